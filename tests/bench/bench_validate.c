/*
 * bench_validate.c — validation throughput of backbench on a document set.
 *
 * usage: bench_validate SCHEMA DOCS.jsonl [SECONDS]
 * Parses every line of DOCS once (parsing is not timed), compiles SCHEMA,
 * then validates the whole set repeatedly for at least SECONDS (default 2)
 * with schema_is_valid (yes/no, like ajv's default) and with schema_validate
 * (every error collected, like ajv's allErrors), and prints throughput in MB/s
 * of document text as "name value" lines for tests/bench/validate.sh, which
 * runs ajv on the same set and prints the ratio. Without arguments it says
 * how to run it and exits 0 (tests/bench/run.sh runs every bench program).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <jansson.h>

#include "json/json_util.h"
#include "schema/schema.h"
#include "util/alloc.h"
#include "util/file.h"

#define BENCH_MAX_FILE ((size_t)256 * 1024 * 1024)
#define BENCH_MAX_DOCS 1000000

static double bench_now(void)
{
    struct timespec ts;

    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

int main(int argc, char **argv)
{
    char *text = NULL;
    size_t len = 0, ndocs = 0, i, bytes = 0, nvalid = 0;
    json_t **docs = NULL, *sdoc = NULL;
    schema *s = NULL;
    double seconds = argc > 3 ? strtod(argv[3], NULL) : 2.0, t0, el;
    char *p, *line;
    int rc = 1, mode;
    json_error_t jerr;

    if (argc < 3) {
        printf("bench_validate: run tests/bench/validate.sh (needs node + ajv for the reference)\n");
        return 0;
    }
    bb_json_init();
    sdoc = json_load_file(argv[1], 0, &jerr);
    if (!sdoc || schema_compile(sdoc, NULL, &s, NULL) != BB_OK) {
        fprintf(stderr, "bench_validate: cannot compile %s\n", argv[1]);
        goto out;
    }
    if (bb_file_read(argv[2], BENCH_MAX_FILE, &text, &len) != BB_OK) {
        fprintf(stderr, "bench_validate: cannot read %s\n", argv[2]);
        goto out;
    }
    docs = calloc(BENCH_MAX_DOCS, sizeof *docs);
    if (!docs)
        goto out;
    for (p = text; p < text + len && ndocs < BENCH_MAX_DOCS;) {
        char *nl = memchr(p, '\n', (size_t)(text + len - p));
        size_t ll = nl ? (size_t)(nl - p) : (size_t)(text + len - p);

        line = p;
        p += ll + 1;
        if (ll == 0)
            continue;
        docs[ndocs] = json_loadb(line, ll, 0, &jerr);
        if (!docs[ndocs]) {
            fprintf(stderr, "bench_validate: bad line: %s\n", jerr.text);
            goto out;
        }
        bytes += ll + 1;
        ndocs++;
    }
    for (i = 0; i < ndocs; i++)
        nvalid += (size_t)schema_is_valid(s, docs[i]);
    printf("docs %zu\nbytes %zu\nvalid %zu\n", ndocs, bytes, nvalid);
    for (mode = 0; mode < 2; mode++) {
        size_t rounds = 0, sink = 0;

        t0 = bench_now();
        do {
            for (i = 0; i < ndocs; i++) {
                if (mode == 0) {
                    sink += (size_t)schema_is_valid(s, docs[i]);
                } else {
                    schema_errors errs;

                    schema_errors_init(&errs, 200);
                    sink += schema_validate(s, docs[i], &errs) == BB_OK;
                    schema_errors_free(&errs);
                }
            }
            rounds++;
            el = bench_now() - t0;
        } while (el < seconds);
        if (sink != rounds * nvalid) {
            fprintf(stderr, "bench_validate: verdicts changed between rounds\n");
            goto out;
        }
        printf("%s %.2f\n", mode == 0 ? "backbench_first_error_mbps" : "backbench_all_errors_mbps",
               (double)bytes * (double)rounds / el / 1e6);
    }
    rc = 0;
out:
    for (i = 0; docs && i < ndocs; i++)
        json_decref(docs[i]);
    free(docs);
    bb_free(text);
    schema_free(s);
    json_decref(sdoc);
    return rc;
}
