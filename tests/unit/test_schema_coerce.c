/*
 * test_schema_coerce.c — schema-guided coercion: cases as data
 * (tests/data/schema/coerce.json: schema, document, the document after
 * coercion, and the repairs [code, path] in order), then allocation-failure
 * injection over a coercion that parses a double-encoded object.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "json/json_repair.h"
#include "json/json_util.h"
#include "schema/schema.h"
#include "util/alloc.h"

static json_t *load(const char *name)
{
    char path[512];
    json_error_t jerr;
    json_t *j;

    snprintf(path, sizeof path, "tests/data/schema/%s", name);
    j = json_load_file(path, JSON_DECODE_ANY, &jerr);
    if (!j)
        printf("# %s:%d: %s\n", path, jerr.line, jerr.text);
    assert_non_null(j);
    return j;
}

static void test_coerce_cases(void **state)
{
    json_t *cases = load("coerce.json"), *expr = load("expr.schema.json");
    size_t ci;

    (void)state;
    for (ci = 0; ci < json_array_size(cases); ci++) {
        const json_t *c = json_array_get(cases, ci);
        const json_t *sj = json_object_get(c, "schema");
        const json_t *want = json_object_get(c, "want");
        const json_t *reps = json_object_get(c, "repairs");
        json_t *doc = json_deep_copy(json_object_get(c, "doc"));
        schema *s = NULL;
        json_repair_list rl;
        size_t i;

        printf("# coerce case: %s\n", json_string_value(json_object_get(c, "name")));
        assert_int_equal(schema_compile(json_is_string(sj) ? expr : sj, NULL, &s, NULL), BB_OK);
        json_repair_list_init(&rl, 100);
        assert_int_equal(schema_coerce(s, &doc, &rl), BB_OK);
        for (i = 0; i < rl.n; i++)
            printf("#   %s %s\n", json_repair_code_name(rl.items[i].code), rl.items[i].path);
        if (!json_equal(doc, (json_t *)want)) {
            char *got = json_dumps(doc, JSON_COMPACT | JSON_ENCODE_ANY);

            printf("#   got %s\n", got);
            free(got);
        }
        assert_true(json_equal(doc, (json_t *)want));
        assert_int_equal(rl.n, json_array_size(reps));
        for (i = 0; i < rl.n; i++) {
            const json_t *r = json_array_get(reps, i);

            assert_string_equal(json_repair_code_name(rl.items[i].code), json_string_value(json_array_get(r, 0)));
            assert_string_equal(rl.items[i].path, json_string_value(json_array_get(r, 1)));
            assert_true(rl.items[i].pos == (size_t)-1);
        }
        json_repair_list_free(&rl);
        json_decref(doc);
        schema_free(s);
    }
    json_decref(expr);
    json_decref(cases);
}

static void test_coerce_alloc_failures(void **state)
{
    json_t *expr = load("expr.schema.json");
    json_t *src = json_loads("{\"type\":\"call\",\"callee\":\"f\",\"arguments\":\"[{\\\"type\\\":\\\"range\\\","
                             "\\\"start\\\":\\\"1\\\",\\\"end\\\":\\\"2\\\"}]\"}",
                             0, NULL);
    schema *s = NULL;
    long k;
    int done = 0;

    (void)state;
    assert_non_null(src);
    assert_int_equal(schema_compile(expr, NULL, &s, NULL), BB_OK);
    for (k = 0; !done && k < 100000; k++) {
        json_t *doc = json_deep_copy(src);
        json_repair_list rl;
        bb_result rc;

        assert_non_null(doc);
        json_repair_list_init(&rl, 100);
        bb_alloc_fail_after(k);
        rc = schema_coerce(s, &doc, &rl);
        bb_alloc_fail_after(-1);
        if (rc == BB_OK && rl.n == 3) {
            done = 1;
            assert_true(schema_is_valid(s, doc));
        } else {
            assert_int_equal(rc, BB_ERR_NOMEM);
        }
        json_repair_list_free(&rl);
        json_decref(doc);
    }
    assert_true(done);
    schema_free(s);
    json_decref(src);
    json_decref(expr);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_coerce_cases),
        cmocka_unit_test(test_coerce_alloc_failures),
    };

    bb_json_init();
    return cmocka_run_group_tests(tests, NULL, NULL);
}
