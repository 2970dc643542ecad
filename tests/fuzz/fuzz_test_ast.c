/*
 * fuzz_test_ast.c — libFuzzer target for the Test AST pipeline and its runner.
 *
 * Input bytes are a test in the text form (parsed by ast_test_text_parse)
 * or, when they start with '{', a JSON test function. Parse -> ast_test_load
 * -> ast_test_check against the todo gold API -> when clean: a fresh todo
 * engine with the gold implementations runs the test in process. Any crash,
 * leak or sanitizer report is a bug, and so is a run that used more steps or
 * API calls than the runner's budget allows, or a parse of the printed text
 * that does not give the same document back. Seeds: the todo acceptance
 * tests, one per file (tests/fuzz/corpus/fuzz_test_ast/).
 */
#include <jansson.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ast/ast_test.h"
#include "ast/ast_test_text.h"
#include "engine/engine_project.h"
#include "engine/engine_test.h"
#include "json/json_util.h"

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    (void)argc;
    (void)argv;
    bb_json_init();
    return 0;
}

static void fz_roundtrip(const ast_test_fn *fn, const json_t *doc)
{
    bb_buf t;
    json_t *again = NULL;
    bb_buf_init(&t, (size_t)4 << 20);
    if (ast_test_text_print(fn, &t) == BB_OK) {
        if (ast_test_text_parse(t.data ? t.data : "", t.len, &again, NULL) == BB_OK) {
            /* the printer writes name, plan and draft only when present: compare statements */
            if (!json_equal(json_object_get(json_array_get(again, 0), "statements"),
                            json_object_get(doc, "statements")))
                abort();
        } else {
            abort();
        }
    }
    json_decref(again);
    bb_buf_free(&t);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    json_t *arr = NULL, *doc = NULL;
    ast_test_fn *fn = NULL;
    eng_project *proj = NULL;
    schema_errors errs;
    eng_params p = eng_default_params();
    eng_test_result r;

    if (size > 65536)
        return 0;
    if (size > 0 && data[0] == '{') {
        doc = json_loadb((const char *)data, size, 0, NULL);
    } else if (ast_test_text_parse((const char *)data, size, &arr, NULL) == BB_OK) {
        doc = json_incref(json_array_get(arr, 0));
        json_decref(arr);
    }
    if (!doc)
        return 0;
    p.max_steps = 20000;
    p.max_rows = 1000;
    if (eng_project_open("todo", NULL, &p, &proj, NULL, NULL) != BB_OK)
        abort();
    schema_errors_init(&errs, 20);
    if (ast_test_check_json(doc, proj->api, &fn, &errs) == BB_OK) {
        if (json_is_array(json_object_get(doc, "statements")))
            fz_roundtrip(fn, doc);
        if (eng_test_run(proj->engine, proj->api, fn, 1, NULL, &r) != BB_OK)
            abort();
        if (r.steps > ENG_TEST_MAX_STEPS + 1 || r.calls > ENG_TEST_MAX_CALLS + 1)
            abort();
        ast_test_free(fn);
    }
    schema_errors_free(&errs);
    eng_project_close(proj);
    json_decref(doc);
    return 0;
}
