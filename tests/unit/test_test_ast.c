/*
 * test_test_ast.c — the Test AST: schema, loader, semantic checks, text form
 * and the in-process runner.
 *
 * Cases as data: tests/data/test_ast/cases.json (a test in text form or as
 * JSON, and the exact set of {path, expected} errors the loader and checks
 * must report against the todo API) and run_cases.json (a test, the outcome
 * of running it on the todo gold implementation, optionally the message and
 * the number of calls). Besides: the schema compiles with the project's
 * validator and accepts every hidden acceptance test; every acceptance test
 * round-trips through the text form; parse errors carry line and column;
 * allocation failures during load are clean.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ast/ast_test.h"
#include "ast/ast_test_text.h"
#include "bench/logic_score.h"
#include "engine/engine_project.h"
#include "engine/engine_test.h"
#include "json/json_util.h"
#include "schema/schema.h"
#include "util/alloc.h"
#include "util/file.h"

static json_t *read_json(const char *path)
{
    json_error_t jerr;
    json_t *doc = json_load_file(path, JSON_ALLOW_NUL, &jerr);
    if (!doc)
        fail_msg("%s: %s", path, jerr.text);
    return doc;
}

/* The single function of a case: parsed from "text" or taken from "doc". */
static json_t *case_doc(const json_t *c)
{
    const json_t *text = json_object_get(c, "text");
    json_t *arr = NULL, *fn;
    bb_buf err;
    if (!text)
        return json_incref(json_object_get(c, "doc"));
    bb_buf_init(&err, 1024);
    if (ast_test_text_parse(json_string_value(text), json_string_length(text), &arr, &err) != BB_OK)
        fail_msg("%s: %s", json_string_value(json_object_get(c, "name")), bb_buf_str(&err));
    bb_buf_free(&err);
    assert_int_equal(json_array_size(arr), 1);
    fn = json_incref(json_array_get(arr, 0));
    json_decref(arr);
    return fn;
}

static void test_check_cases(void **state)
{
    json_t *cases = read_json("tests/data/test_ast/cases.json");
    eng_project *p = NULL;
    size_t i, k, m;
    (void)state;
    assert_int_equal(eng_project_open("todo", NULL, NULL, &p, NULL, NULL), BB_OK);
    for (i = 0; i < json_array_size(cases); i++) {
        const json_t *c = json_array_get(cases, i), *want = json_object_get(c, "errors");
        const char *name = json_string_value(json_object_get(c, "name"));
        json_t *doc = case_doc(c);
        schema_errors errs;
        ast_test_fn *fn = NULL;
        bb_result rc;
        schema_errors_init(&errs, 50);
        rc = ast_test_check_json(doc, p->api, &fn, &errs);
        if (json_array_size(want) == 0) {
            if (rc != BB_OK)
                fail_msg("%s: unexpected error %s %s", name, errs.n ? errs.items[0].path : "?",
                         errs.n ? errs.items[0].expected : "?");
            assert_non_null(fn);
        } else {
            assert_int_equal(rc, BB_ERR_INVALID);
            assert_null(fn);
            if (errs.n != json_array_size(want)) {
                for (m = 0; m < errs.n; m++)
                    print_message("  got %s: %s\n", errs.items[m].path, errs.items[m].expected);
                fail_msg("%s: %zu errors, want %zu", name, errs.n, json_array_size(want));
            }
            for (k = 0; k < json_array_size(want); k++) {
                const char *wp = json_string_value(json_object_get(json_array_get(want, k), "path"));
                const char *we = json_string_value(json_object_get(json_array_get(want, k), "expected"));
                int found = 0;
                for (m = 0; m < errs.n; m++)
                    found |= strcmp(errs.items[m].path, wp) == 0 && strcmp(errs.items[m].expected, we) == 0 &&
                             errs.items[m].kind == SCHEMA_ERR_SEMANTIC;
                if (!found)
                    fail_msg("%s: missing %s: %s (got %s: %s)", name, wp, we, errs.items[0].path,
                             errs.items[0].expected);
            }
        }
        ast_test_free(fn);
        schema_errors_free(&errs);
        json_decref(doc);
    }
    print_message("test AST check cases: %zu\n", json_array_size(cases));
    eng_project_close(p);
    json_decref(cases);
}

static void test_run_cases(void **state)
{
    json_t *cases = read_json("tests/data/test_ast/run_cases.json");
    bench_logic *L = NULL;
    bb_buf err;
    size_t i;
    (void)state;
    bb_buf_init(&err, 4096);
    if (bench_logic_open("todo", &L, &err) != BB_OK)
        fail_msg("open: %s", bb_buf_str(&err));
    for (i = 0; i < json_array_size(cases); i++) {
        const json_t *c = json_array_get(cases, i);
        const char *name = json_string_value(json_object_get(c, "name"));
        const char *want = json_string_value(json_object_get(c, "outcome"));
        const char *msg = json_string_value(json_object_get(c, "message"));
        const json_t *calls = json_object_get(c, "calls"), *status = json_object_get(c, "status");
        json_t *arr = NULL;
        ast_test_suite suite;
        schema_errors errs;
        eng_test_result r, r2;
        bb_buf perr;
        bb_buf_init(&perr, 1024);
        schema_errors_init(&errs, 10);
        if (ast_test_text_parse(json_string_value(json_object_get(c, "text")),
                                json_string_length(json_object_get(c, "text")), &arr, &perr) != BB_OK)
            fail_msg("%s: %s", name, bb_buf_str(&perr));
        assert_int_equal(ast_test_suite_load(arr, &suite, &errs), BB_OK);
        assert_int_equal(bench_logic_run(L, suite.fns[0], NULL, &r), BB_OK);
        if (strcmp(eng_test_outcome_name(r.outcome), want) != 0)
            fail_msg("%s: outcome %s (%s), want %s", name, eng_test_outcome_name(r.outcome), r.message, want);
        if (msg && strncmp(r.message, msg, strlen(msg)) != 0)
            fail_msg("%s: message\n  %s\nwant\n  %s", name, r.message, msg);
        if (calls)
            assert_int_equal(r.calls, (size_t)json_integer_value(calls));
        if (status)
            assert_int_equal(r.http_status, (int)json_integer_value(status));
        assert_true(r.steps <= ENG_TEST_MAX_STEPS + 1);
        /* deterministic: the same verdict and message again */
        assert_int_equal(bench_logic_run(L, suite.fns[0], NULL, &r2), BB_OK);
        assert_int_equal(r.outcome, r2.outcome);
        assert_string_equal(r.message, r2.message);
        ast_test_suite_free(&suite);
        json_decref(arr);
        schema_errors_free(&errs);
        bb_buf_free(&perr);
    }
    print_message("test AST run cases: %zu\n", json_array_size(cases));
    bench_logic_close(L);
    bb_buf_free(&err);
    json_decref(cases);
}

static json_t *suite_json(const char *project)
{
    char path[256], *text = NULL;
    size_t len = 0;
    json_t *arr = NULL;
    bb_buf err;
    snprintf(path, sizeof(path), "projects/%s/gold/tests/acceptance.txt", project);
    if (bb_file_read(path, (size_t)8 << 20, &text, &len) != BB_OK)
        return NULL;
    bb_buf_init(&err, 1024);
    if (ast_test_text_parse(text, len, &arr, &err) != BB_OK)
        fail_msg("%s: %s", path, bb_buf_str(&err));
    bb_buf_free(&err);
    bb_free(text);
    return arr;
}

static const char *const projects[] = {"todo", "bbs", "reddit", "shopping"};

/* The schema compiles strictly and accepts every acceptance test; every
 * acceptance test round-trips through the text form. */
static void test_schema_and_roundtrip(void **state)
{
    const bb_embedded_file *f = bb_embed_find("schemas/test.schema.json");
    json_t *sdoc;
    schema *s = NULL;
    schema_errors issues;
    size_t pi, i, total = 0;
    (void)state;
    assert_non_null(f);
    sdoc = json_loadb((const char *)f->data, f->len, 0, NULL);
    assert_non_null(sdoc);
    schema_errors_init(&issues, 20);
    if (schema_compile(sdoc, NULL, &s, &issues) != BB_OK)
        fail_msg("schema: %s %s", issues.n ? issues.items[0].path : "?", issues.n ? issues.items[0].message : "");
    for (pi = 0; pi < sizeof(projects) / sizeof(projects[0]); pi++) {
        json_t *arr = suite_json(projects[pi]);
        ast_test_suite suite;
        schema_errors errs;
        if (!arr)
            continue;
        schema_errors_init(&errs, 20);
        for (i = 0; i < json_array_size(arr); i++) {
            json_t *one = json_array_get(arr, i);
            if (schema_validate(s, one, &errs) != BB_OK)
                fail_msg("%s test %zu: %s: %s", projects[pi], i, errs.items[0].path, errs.items[0].expected);
        }
        assert_int_equal(ast_test_suite_load(arr, &suite, &errs), BB_OK);
        for (i = 0; i < suite.n; i++) {
            bb_buf t1, t2, perr;
            json_t *again = NULL;
            ast_test_suite s2;
            bb_buf_init(&t1, (size_t)1 << 20);
            bb_buf_init(&t2, (size_t)1 << 20);
            bb_buf_init(&perr, 1024);
            assert_int_equal(ast_test_text_print(suite.fns[i], &t1), BB_OK);
            if (ast_test_text_parse(t1.data, t1.len, &again, &perr) != BB_OK)
                fail_msg("%s test %zu: reparse: %s\n%s", projects[pi], i, bb_buf_str(&perr), bb_buf_str(&t1));
            if (!json_equal(json_array_get(again, 0), json_array_get(arr, i)))
                fail_msg("%s test %zu: the text form does not round-trip\n%s", projects[pi], i, bb_buf_str(&t1));
            assert_int_equal(ast_test_suite_load(again, &s2, &errs), BB_OK);
            assert_int_equal(ast_test_text_print(s2.fns[0], &t2), BB_OK);
            assert_string_equal(bb_buf_str(&t1), bb_buf_str(&t2));
            ast_test_suite_free(&s2);
            json_decref(again);
            bb_buf_free(&t1);
            bb_buf_free(&t2);
            bb_buf_free(&perr);
            total++;
        }
        ast_test_suite_free(&suite);
        schema_errors_free(&errs);
        json_decref(arr);
    }
    print_message("acceptance tests valid against the schema and round-tripped: %zu\n", total);
    assert_true(total >= 50);
    schema_free(s);
    schema_errors_free(&issues);
    json_decref(sdoc);
}

static void test_parse_errors(void **state)
{
    static const struct {
        const char *text, *msg;
    } rows[] = {
        {"call post /x {}\n", "line 1, column 1: expected test \"name\""},
        {"test \"t\"\nfrobnicate 1\n", "line 2, column 1: unknown statement"},
        {"test \"t\"\nequal \"a\" 1 2\n", "line 2, column 13: expected ,"},
        {"test \"t\"\ncall fetch /x\n", "line 2, column 11: expected get, post, put, patch or delete"},
        {"test \"t\"\nconst a = [1, 2\n", "line 3, column 1: expected ]"},
        {"test \"t\"\nconst a = \"open\n", "line 2, column 16: newline in a string"},
        {"test \"t\"\nhttpError x \"t\" {\n}\n", "line 2, column 11: expected a status"},
        {"test \"t\"\nerror \"t\" {\n  equal \"x\" 1, 1\n", "line 4, column 1: expected }"},
        {"test \"t\"\nconst a = nosuch(1)\n", "line 2, column 11: unknown function"},
        {"test \"t\"\nconst a = 1 1\n", "line 2, column 13: expected the end of the line"},
    };
    size_t i;
    (void)state;
    for (i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
        json_t *out = NULL;
        bb_buf err;
        bb_buf_init(&err, 1024);
        assert_int_equal(ast_test_text_parse(rows[i].text, strlen(rows[i].text), &out, &err), BB_ERR_PARSE);
        assert_null(out);
        if (strcmp(bb_buf_str(&err), rows[i].msg) != 0)
            fail_msg("row %zu: %s, want %s", i, bb_buf_str(&err), rows[i].msg);
        bb_buf_free(&err);
    }
}

/* Deep nesting is refused by the parser and the loader, never a crash. */
static void test_limits(void **state)
{
    char *text = malloc(20000);
    json_t *out = NULL, *doc, *e;
    size_t i, n = 0;
    schema_errors errs;
    ast_test_fn *fn = NULL;
    bb_buf err;
    (void)state;
    assert_non_null(text);
    n += (size_t)snprintf(text, 20000, "test \"t\"\nconst a = ");
    for (i = 0; i < 500; i++)
        text[n++] = '(';
    text[n++] = '1';
    for (i = 0; i < 500; i++)
        text[n++] = ')';
    text[n++] = '\n';
    bb_buf_init(&err, 1024);
    assert_int_equal(ast_test_text_parse(text, n, &out, &err), BB_ERR_PARSE);
    assert_non_null(strstr(bb_buf_str(&err), "nesting too deep"));
    free(text);
    bb_buf_free(&err);
    /* a 100-deep unary chain built as JSON */
    e = json_pack("{s:s,s:i}", "type", "numericLiteral", "value", 1);
    for (i = 0; i < 100; i++)
        e = json_pack("{s:s,s:s,s:o}", "type", "prefixUnaryExpression", "operator", "-", "operand", e);
    doc = json_pack("{s:[{s:s,s:o}]}", "statements", "type", "expressionStatement", "expression", e);
    schema_errors_init(&errs, 10);
    assert_int_equal(ast_test_load(doc, "$input", &fn, &errs), BB_ERR_INVALID);
    assert_string_equal(errs.items[0].expected, "nesting of at most 64");
    schema_errors_free(&errs);
    json_decref(doc);
}

/* Allocation failures anywhere in load + check + print end cleanly. */
static void test_alloc_failures(void **state)
{
    json_t *arr = suite_json("todo");
    const json_t *doc;
    eng_project *p = NULL;
    int k;
    (void)state;
    assert_non_null(arr);
    doc = json_array_get(arr, 1);
    assert_int_equal(eng_project_open("todo", NULL, NULL, &p, NULL, NULL), BB_OK);
    for (k = 0; k < 400; k++) {
        ast_test_fn *fn = NULL;
        schema_errors errs;
        bb_result rc;
        schema_errors_init(&errs, 10);
        bb_alloc_fail_after(k);
        rc = ast_test_check_json(doc, p->api, &fn, &errs);
        if (rc == BB_OK) {
            bb_buf t;
            bb_buf_init(&t, 1 << 20);
            (void)ast_test_text_print(fn, &t);
            bb_buf_free(&t);
        }
        bb_alloc_fail_after(-1);
        assert_true(rc == BB_OK || rc == BB_ERR_NOMEM || rc == BB_ERR_LIMIT);
        ast_test_free(fn);
        schema_errors_free(&errs);
    }
    eng_project_close(p);
    json_decref(arr);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_check_cases),     cmocka_unit_test(test_run_cases),
        cmocka_unit_test(test_schema_and_roundtrip), cmocka_unit_test(test_parse_errors),
        cmocka_unit_test(test_limits),          cmocka_unit_test(test_alloc_failures),
    };
    bb_json_init();
    return cmocka_run_group_tests(tests, NULL, NULL);
}
