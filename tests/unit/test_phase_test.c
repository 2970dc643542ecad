/*
 * test_phase_test.c — the `test` phase description and its semantic hook:
 * the phase parses and names its schema and tool, the embedded Test AST
 * schema compiles, and bench_phase_semantic runs the Test AST checks against
 * the gold API (each case below: a test in text form and whether the hook
 * must report errors,).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>
#include <jansson.h>

#include "ast/ast_test_text.h"
#include "bench/logic_score.h"
#include "bench/phase.h"
#include "json/json_util.h"
#include "util/file.h"

static void test_describes(void **state)
{
    schema *s = NULL;
    (void)state;
    assert_int_equal(bench_phase_parse("test"), BENCH_PHASE_TEST);
    assert_string_equal(bench_phase_name(BENCH_PHASE_TEST), "test");
    assert_string_equal(bench_phase_tool_name(BENCH_PHASE_TEST), "write_test");
    assert_string_equal(bench_phase_schema_path(BENCH_PHASE_TEST), "schemas/test.schema.json");
    assert_non_null(bb_embed_find(bench_phase_schema_path(BENCH_PHASE_TEST)));
    assert_int_equal(bench_phase_schema(BENCH_PHASE_TEST, &s), BB_OK);
    assert_non_null(s);
    schema_free(s);
    assert_int_equal(bench_phase_parse("tests"), -1);
}

static const struct {
    const char *text;
    int errors;       /* the hook must report at least one error */
} cases[] = {
    {"test \"t\"\ncall me = post /auth/user/join {email: \"a@b.cc\", password: \"secret123\", display_name: \"A\"}\n"
     "equal \"mail\" me.user.email, \"a@b.cc\"\n",
     0},
    {"test \"t\"\ncall me = post /no/such/thing {}\nassert \"x\" true\n", 1},
    {"test \"t\"\ncall me = post /auth/user/join {email: \"a@b.cc\", password: \"secret123\", display_name: \"A\"}\n"
     "equal \"x\" nobody.id, 1\n",
     1},
};

static void test_hook(void **state)
{
    bench_logic *L = NULL;
    bench_phase_checker c;
    bb_buf err;
    size_t i;
    (void)state;
    bb_buf_init(&err, 1024);
    if (bench_logic_open("todo", &L, &err) != BB_OK)
        fail_msg("open: %s", bb_buf_str(&err));
    memset(&c, 0, sizeof c);
    c.kind = BENCH_PHASE_TEST;
    for (i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        json_t *arr = NULL;
        schema_errors errs;
        schema_errors_init(&errs, 16);
        if (ast_test_text_parse(cases[i].text, strlen(cases[i].text), &arr, &err) != BB_OK)
            fail_msg("case %zu: %s", i, bb_buf_str(&err));
        c.api = NULL;
        assert_int_equal(bench_phase_semantic(&c, json_array_get(arr, 0), &errs), BB_ERR_USAGE);
        c.api = bench_logic_project(L)->api;
        assert_int_equal(bench_phase_semantic(&c, json_array_get(arr, 0), &errs), BB_OK);
        if (cases[i].errors ? errs.n == 0 : errs.n != 0)
            fail_msg("case %zu: %zu errors, want %s", i, errs.n, cases[i].errors ? "some" : "none");
        schema_errors_free(&errs);
        json_decref(arr);
    }
    bb_buf_free(&err);
    bench_logic_close(L);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_describes),
        cmocka_unit_test(test_hook),
    };
    bb_json_init();
    return cmocka_run_group_tests(tests, NULL, NULL);
}
