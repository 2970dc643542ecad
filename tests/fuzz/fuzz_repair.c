/*
 * fuzz_repair.c — libFuzzer target for json_parse (src/json/json_repair.h).
 *
 * Each input is parsed strictly and leniently with small limits, and the
 * invariants of the repair layer are checked (a violation aborts):
 *   - an error leaves no value, a located position inside the input and a
 *     message;
 *   - strict success implies lenient success with an equal value, no
 *     truncation and no repairs other than duplicate_key (RFC 8259 allows
 *     duplicate names; lenient mode records them);
 *   - a lenient value re-serialised by json_dumps parses strictly to an
 *     equal value (whatever was repaired, the output is valid JSON);
 *   - repairs are sorted by position and lie inside the input.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "json/json_repair.h"
#include "json/json_util.h"
#include "util/alloc.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* json_equal, except that object keys may hold NUL bytes. */
static int fuzz_eq(const json_t *a, const json_t *b)
{
    if (!a || !b || json_typeof(a) != json_typeof(b))
        return 0;
    if (json_is_array(a)) {
        size_t i;

        if (json_array_size(a) != json_array_size(b))
            return 0;
        for (i = 0; i < json_array_size(a); i++) {
            if (!fuzz_eq(json_array_get(a, i), json_array_get(b, i)))
                return 0;
        }
        return 1;
    }
    if (json_is_object(a)) {
        const char *k;
        size_t kl;
        json_t *v;

        if (json_object_size(a) != json_object_size(b))
            return 0;
        json_object_keylen_foreach((json_t *)a, k, kl, v) {
            if (!fuzz_eq(v, json_object_getn(b, k, kl)))
                return 0;
        }
        return 1;
    }
    return json_equal((json_t *)a, (json_t *)b);
}

static void fuzz_check(int ok, const char *what)
{
    if (!ok) {
        fprintf(stderr, "fuzz_repair: invariant violated: %s\n", what);
        abort();
    }
}

static void fuzz_check_result(bb_result rc, const json_parse_result *r, size_t size)
{
    size_t i;

    if (rc != BB_OK) {
        fuzz_check(rc == BB_ERR_PARSE || rc == BB_ERR_LIMIT, "error is parse or limit");
        fuzz_check(r->value == NULL, "no value on error");
        fuzz_check(r->err_pos <= size, "error position inside the input");
        fuzz_check(r->err_line >= 1 && r->err_col >= 1, "error line and column");
        fuzz_check(r->err_msg[0] != '\0', "error message");
        return;
    }
    fuzz_check(r->value != NULL, "value on success");
    for (i = 0; i < r->repairs.n; i++) {
        fuzz_check(r->repairs.items[i].pos <= size, "repair inside the input");
        fuzz_check(i == 0 || r->repairs.items[i - 1].pos <= r->repairs.items[i].pos, "repairs sorted");
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    json_parse_params p = json_parse_default_params();
    json_parse_result rs, rl;
    bb_result crs, crl;

    bb_json_init();
    p.max_input = 1 << 16;
    p.max_depth = 64;
    p.max_string = 4096;
    p.max_values = 10000;
    p.max_repairs = 64;
    p.strict = 1;
    crs = json_parse((const char *)data, size, &p, &rs);
    fuzz_check_result(crs, &rs, size);
    p.strict = 0;
    crl = json_parse((const char *)data, size, &p, &rl);
    fuzz_check_result(crl, &rl, size);
    if (crs == BB_OK) {
        fuzz_check(crl == BB_OK, "strict success implies lenient success");
        fuzz_check(fuzz_eq(rs.value, rl.value), "strict and lenient values equal");
        /* RFC 8259 allows duplicate keys; lenient mode records them */
        fuzz_check(json_repair_list_count(&rl.repairs, JSON_REPAIR_DUPLICATE_KEY) == rl.repairs.n,
                   "no repairs but duplicate_key on strict JSON");
        fuzz_check(!rl.truncated, "strict JSON is not truncated");
    }
    if (crl == BB_OK) {
        char *s = json_dumps(rl.value, JSON_COMPACT | JSON_ENCODE_ANY);
        json_parse_result r2;
        json_parse_params p2 = json_parse_default_params();

        fuzz_check(s != NULL, "json_dumps of the repaired value");
        p2.strict = 1;
        fuzz_check(json_parse(s, strlen(s), &p2, &r2) == BB_OK, "re-serialised value parses strictly");
        fuzz_check(fuzz_eq(r2.value, rl.value), "re-serialised value equal");
        json_parse_result_free(&r2);
        bb_free(s);
    }
    json_parse_result_free(&rs);
    json_parse_result_free(&rl);
    return 0;
}
