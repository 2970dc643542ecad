/*
 * bench_parse.c — throughput of json_parse (lenient params) against jansson's
 * strict json_loadb on the same ~1 MB strict JSON document.
 *
 * The document is generated deterministically (a fixed linear congruential
 * generator): an array of AST-like objects with identifiers, descriptions
 * holding escapes and non-ASCII text, integers, reals, booleans, nulls and
 * nested expression trees, pretty-printed, so it resembles what models send
 * as tool-call arguments. Each parser runs the document several rounds; the
 * best round counts. The cost ratio (lenient time / jansson time) has a
 * target of at most 1.5.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <jansson.h>

#include "json/json_repair.h"
#include "json/json_util.h"
#include "util/buf.h"

#define BENCH_TARGET_BYTES ((size_t)1024 * 1024)
#define BENCH_ROUNDS 7
#define BENCH_REPS 5

typedef struct bench_rng {
    unsigned long long s;
} bench_rng;

static unsigned bench_next(bench_rng *r, unsigned n)
{
    r->s = r->s * 6364136223846793005ULL + 1442695040888963407ULL;
    return (unsigned)((r->s >> 33) % n);
}

static const char *const bench_words[] = {
    "user", "order", "item", "price", "created_at", "email", "status", "total", "customer",
    "payment", "address", "inventory", "category", "review", "rating", "shipment",
};

static bb_result bench_expr(bb_buf *b, bench_rng *r, int depth)
{
    unsigned k = depth <= 0 ? 0 : bench_next(r, 3);

    if (k == 0)
        return bb_buf_printf(b, "{\"type\": \"literal\", \"value\": %u}", bench_next(r, 100000));
    if (k == 1)
        return bb_buf_printf(b, "{\"type\": \"identifier\", \"name\": \"%s_%u\"}",
                             bench_words[bench_next(r, 16)], bench_next(r, 100));
    if (bb_buf_printf(b, "{\"type\": \"binary\", \"operator\": \"%s\", \"left\": ",
                      bench_next(r, 2) ? "+" : "&&") != BB_OK ||
        bench_expr(b, r, depth - 1) != BB_OK || bb_buf_puts(b, ", \"right\": ") != BB_OK ||
        bench_expr(b, r, depth - 1) != BB_OK)
        return BB_ERR_NOMEM;
    return bb_buf_putc(b, '}');
}

static bb_result bench_doc(bb_buf *b)
{
    bench_rng r = {42};
    unsigned i = 0;

    if (bb_buf_puts(b, "[\n") != BB_OK)
        return BB_ERR_NOMEM;
    while (b->len < BENCH_TARGET_BYTES) {
        const char *w = bench_words[bench_next(&r, 16)];

        if (bb_buf_printf(b,
                          "%s  {\n    \"name\": \"%s_%u\",\n    \"description\": \"The %s table.\\n"
                          "Stores one row per %s (caf\\u00e9, na\xC3\xAFve, \\\"quoted\\\").\",\n"
                          "    \"nullable\": %s,\n    \"default\": null,\n    \"weight\": %u.%03u,\n"
                          "    \"tags\": [\"%s\", \"%s\", %u, -%u],\n    \"expr\": ",
                          i ? ",\n" : "", w, i, w, w, bench_next(&r, 2) ? "true" : "false",
                          bench_next(&r, 1000), bench_next(&r, 1000), bench_words[bench_next(&r, 16)],
                          bench_words[bench_next(&r, 16)], bench_next(&r, 1u << 30),
                          bench_next(&r, 1000)) != BB_OK ||
            bench_expr(b, &r, 4) != BB_OK || bb_buf_puts(b, "\n  }") != BB_OK)
            return BB_ERR_NOMEM;
        i++;
    }
    return bb_buf_puts(b, "\n]\n");
}

static double bench_now(void)
{
    struct timespec ts;

    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

int main(void)
{
    bb_buf doc;
    json_parse_params prm = json_parse_default_params();
    double best_ours = 1e30, best_jansson = 1e30, mb;
    int round, rep, rc = 1;

    bb_json_init();
    bb_buf_init(&doc, BB_BUF_MAX_DEFAULT);
    if (bench_doc(&doc) != BB_OK) {
        fprintf(stderr, "bench_parse: out of memory building the document\n");
        goto out;
    }
    /* sanity: both parsers accept it and agree */
    {
        json_parse_result r;
        json_error_t err;
        json_t *j = json_loadb(doc.data, doc.len, 0, &err);

        if (json_parse(doc.data, doc.len, &prm, &r) != BB_OK || !j || !json_equal(r.value, j) ||
            r.repairs.n != 0) {
            fprintf(stderr, "bench_parse: parsers disagree on the document (%s)\n", r.err_msg);
            json_parse_result_free(&r);
            json_decref(j);
            goto out;
        }
        json_parse_result_free(&r);
        json_decref(j);
    }
    for (round = 0; round < BENCH_ROUNDS; round++) {
        double t0 = bench_now(), t;

        for (rep = 0; rep < BENCH_REPS; rep++) {
            json_parse_result r;

            if (json_parse(doc.data, doc.len, &prm, &r) != BB_OK)
                goto out;
            json_parse_result_free(&r);
        }
        t = (bench_now() - t0) / BENCH_REPS;
        if (t < best_ours)
            best_ours = t;
        t0 = bench_now();
        for (rep = 0; rep < BENCH_REPS; rep++) {
            json_error_t err;
            json_t *j = json_loadb(doc.data, doc.len, 0, &err);

            if (!j)
                goto out;
            json_decref(j);
        }
        t = (bench_now() - t0) / BENCH_REPS;
        if (t < best_jansson)
            best_jansson = t;
    }
    mb = (double)doc.len / (1024.0 * 1024.0);
    printf("parse: document %.2f MB, best of %d rounds x %d parses\n", mb, BENCH_ROUNDS, BENCH_REPS);
    printf("parse: backbench-lenient %.1f MB/s, jansson strict %.1f MB/s, ratio cost = %.2f "
           "(lenient time / jansson time; target <= 1.5) %s\n",
           mb / best_ours, mb / best_jansson, best_ours / best_jansson,
           best_ours / best_jansson <= 1.5 ? "OK" : "OVER TARGET");
    rc = 0;
out:
    bb_buf_free(&doc);
    return rc;
}
