/*
 * test_schema_ajv.c — compares backbench's verdicts with ajv 8's.
 *
 * Reads the JSON lines written by tests/oracles/gen_expr.js ({id, valid,
 * mutation, doc}, `valid` being ajv's verdict) from $BB_AJV_CASES and the
 * schema from $BB_AJV_SCHEMA (default tests/data/schema/expr.schema.json),
 * validates every document and fails on any disagreement, printing each
 * one with backbench's errors. Also checks the error shape on every invalid
 * document: at least one error, `expected` never "undefined" except for a
 * forbidden additional property. tests/e2e/ajv_crosscheck.sh runs it on fresh
 * sets; run alone (no $BB_AJV_CASES) it checks the 400 checked-in cases of
 * tests/data/schema/expr_ajv_cases.jsonl (gen_expr.js --seed 3 --count 400).
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "json/json_util.h"
#include "schema/schema.h"

static void test_ajv_agreement(void **state)
{
    const char *cases = getenv("BB_AJV_CASES") ? getenv("BB_AJV_CASES") : "tests/data/schema/expr_ajv_cases.jsonl";
    const char *schema_path = getenv("BB_AJV_SCHEMA") ? getenv("BB_AJV_SCHEMA") : "tests/data/schema/expr.schema.json";
    json_error_t jerr;
    json_t *sdoc;
    schema *s = NULL;
    FILE *f;
    char *line = NULL;
    size_t cap = 0, total = 0, agree = 0, nvalid = 0;
    ssize_t len;

    (void)state;
    sdoc = json_load_file(schema_path, 0, &jerr);
    assert_non_null(sdoc);
    assert_int_equal(schema_compile(sdoc, NULL, &s, NULL), BB_OK);
    f = fopen(cases, "r");
    assert_non_null(f);
    for (;;) {
        json_t *c;
        const json_t *doc;
        int want, got;
        schema_errors errs;
        bb_result rc;
        size_t i;

        len = getline(&line, &cap, f);
        if (len <= 0)
            break;
        c = json_loadb(line, (size_t)len, 0, &jerr);
        assert_non_null(c);
        doc = json_object_get(c, "doc");
        want = json_is_true(json_object_get(c, "valid"));
        schema_errors_init(&errs, 50);
        rc = schema_validate(s, doc, &errs);
        assert_true(rc == BB_OK || rc == BB_ERR_INVALID);
        got = rc == BB_OK;
        assert_int_equal(got, schema_is_valid(s, doc));
        total++;
        nvalid += (size_t)want;
        if (got == want) {
            agree++;
        } else {
            printf("# disagreement id=%lld mutation=%s ajv=%s backbench=%s\n",
                   (long long)json_integer_value(json_object_get(c, "id")),
                   json_string_value(json_object_get(c, "mutation")), want ? "valid" : "invalid",
                   got ? "valid" : "invalid");
        }
        if (!got)
            assert_true(errs.n > 0);
        for (i = 0; i < errs.n; i++) {
            const schema_error *e = &errs.items[i];

            if (got != want)
                printf("#   %s: %s expected %s, got %s\n", schema_error_kind_name(e->kind), e->path, e->expected,
                       e->value);
            assert_true(strncmp(e->path, "$input", 6) == 0);
            if (e->kind != SCHEMA_ERR_ADDITIONAL)
                assert_string_not_equal(e->expected, "undefined");
            else
                assert_string_equal(e->expected, "undefined");
        }
        schema_errors_free(&errs);
        json_decref(c);
    }
    free(line);
    fclose(f);
    schema_free(s);
    json_decref(sdoc);
    printf("# ajv crosscheck: %zu/%zu verdicts agree (%zu valid per ajv)\n", agree, total, nvalid);
    assert_true(total >= (getenv("BB_AJV_CASES") ? 1000u : 400u));
    assert_int_equal(agree, total);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_ajv_agreement),
    };

    bb_json_init();
    return cmocka_run_group_tests(tests, NULL, NULL);
}
