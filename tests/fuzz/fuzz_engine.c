/*
 * fuzz_engine.c — libFuzzer target for the Impl AST pipeline and the engine.
 *
 * Input bytes -> jansson parse -> ast_impl_load -> ast_impl_check against the
 * todo gold designs -> when clean: a fresh todo engine with the gold
 * implementations, the fuzzed one installed over its endpoint, a user signed
 * up through the gold join, and one fixed request to the fuzzed endpoint
 * (path parameters filled with a uuid, a body with the common fields). Any
 * crash, leak or sanitizer report is a bug, and so is a request that used
 * more steps than the budget allows (plus one statement's rows). Seeds: the
 * gold implementation's operations and tests/data/impl/ (cases are unwrapped
 * from their "impl" member). Input that is not JSON is read in the text form
 * (ast_impl_text.h); for every operation that loads, printing, parsing the
 * print and printing again must give the same text (abort otherwise).
 */
#include <jansson.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ast/ast_impl.h"
#include "ast/ast_impl_check.h"
#include "ast/ast_impl_text.h"
#include "engine/engine.h"
#include "engine/engine_project.h"
#include "json/json_util.h"

#define FZ_MAX_STEPS 20000
#define FZ_MAX_ROWS 1000

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    (void)argc;
    (void)argv;
    bb_json_init();
    return 0;
}

static int fz_request(eng_engine *e, const char *method, const char *path, const char *body, const char *auth,
                      eng_response *r)
{
    eng_request q;

    memset(&q, 0, sizeof q);
    q.method = method;
    q.path = path;
    q.body = body;
    q.body_len = body ? strlen(body) : 0;
    q.authorization = auth;
    if (eng_handle(e, &q, r) != BB_OK)
        return -1;
    return r->status;
}

static void fz_run(const ast_impl_op *op)
{
    eng_params p = eng_default_params();
    eng_project *proj = NULL;
    eng_response r;
    char auth[1024] = "", path[600];
    const char *s;
    size_t n = 0;
    json_t *j;

    p.max_steps = FZ_MAX_STEPS;
    p.max_rows = FZ_MAX_ROWS;
    p.max_arena = (size_t)8 * 1024 * 1024;
    if (eng_project_open("todo", NULL, &p, &proj, NULL, NULL) != BB_OK)
        abort();
    eng_response_init(&r);
    if (fz_request(proj->engine, "POST", "/auth/user/join",
                   "{\"email\": \"f@z.io\", \"password\": \"12345678\", \"display_name\": \"F\"}", NULL, &r) != 201)
        abort();
    j = json_loads(bb_buf_str(&r.body), 0, NULL);
    snprintf(auth, sizeof auth, "Bearer %s",
             json_string_value(json_object_get(json_object_get(j, "token"), "access")));
    json_decref(j);
    if (eng_set_impl(proj->engine, op) != BB_OK)
        abort(); /* checked: the endpoint exists */
    for (s = op->path; *s && n + 40 < sizeof path; s++) {
        if (*s == '{') {
            memcpy(path + n, "00000000-0000-4000-8000-000000000001", 36);
            n += 36;
            while (*s && *s != '}')
                s++;
            if (!*s)
                break;
        } else {
            path[n++] = *s;
        }
    }
    path[n] = '\0';
    (void)fz_request(proj->engine, ast_impl_method_name(op->method), path,
                     "{\"title\": \"t\", \"name\": \"n\", \"email\": \"g@z.io\", \"password\": \"12345678\", "
                     "\"display_name\": \"G\", \"refresh_token\": \"x\"}",
                     auth, &r);
    if (eng_last_steps(proj->engine) > FZ_MAX_STEPS + FZ_MAX_ROWS) {
        fprintf(stderr, "a request used %zu steps, over the budget\n", eng_last_steps(proj->engine));
        abort();
    }
    eng_response_free(&r);
    eng_project_close(proj);
}

/* The text form is stable: print(load(parse(print(op)))) == print(op). */
static void fz_roundtrip(const ast_impl_op *op)
{
    bb_buf t1, t2;
    json_t *back = NULL;
    ast_impl_op *op2 = NULL;
    schema_errors errs;

    bb_buf_init(&t1, AST_IMPL_TEXT_MAX);
    bb_buf_init(&t2, AST_IMPL_TEXT_MAX);
    schema_errors_init(&errs, 20);
    if (ast_impl_text_print(op, &t1) == BB_OK) {
        if (ast_impl_text_parse(t1.data, t1.len, &back, NULL) != BB_OK || json_array_size(back) != 1 ||
            ast_impl_load(json_array_get(back, 0), "$input", &op2, &errs) != BB_OK ||
            ast_impl_text_print(op2, &t2) != BB_OK || strcmp(bb_buf_str(&t1), bb_buf_str(&t2)) != 0) {
            fprintf(stderr, "text round trip failed:\n%s\n---\n%s\n", bb_buf_str(&t1), bb_buf_str(&t2));
            abort();
        }
    }
    ast_impl_free(op2);
    schema_errors_free(&errs);
    json_decref(back);
    bb_buf_free(&t1);
    bb_buf_free(&t2);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static eng_project *designs;
    json_error_t je;
    json_t *doc;
    const json_t *impl;
    schema_errors errs;
    ast_impl_op *op = NULL;

    if (!designs && eng_project_open("todo", NULL, NULL, &designs, NULL, NULL) != BB_OK)
        abort();
    doc = json_loadb((const char *)data, size, JSON_ALLOW_NUL, &je);
    if (!doc) {
        json_t *ops = NULL;

        if (ast_impl_text_parse((const char *)data, size, &ops, NULL) != BB_OK)
            return 0;
        doc = json_incref(json_array_get(ops, 0));
        json_decref(ops);
        if (!doc)
            return 0;
    }
    impl = json_object_get(doc, "impl") ? json_object_get(doc, "impl") : doc;
    schema_errors_init(&errs, 20);
    if (ast_impl_load(impl, "$input", &op, &errs) == BB_OK) {
        fz_roundtrip(op);
        if (ast_impl_check(op, designs->db, designs->api, &errs) == BB_OK)
            fz_run(op);
    }
    ast_impl_free(op);
    schema_errors_free(&errs);
    json_decref(doc);
    return 0;
}
