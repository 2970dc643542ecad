/*
 * test_emit_openapi.c — the API AST to OpenAPI 3.1 compiler.
 *
 * Compiler cases as input + expected output: tests/data/api/y_todo.json must
 * compile to tests/data/api/y_todo.openapi.json (compared as JSON). Further
 * tests: byte-for-byte determinism, operationId disambiguation, the mapping
 * rules read back from the emitted JSON (status codes, security, extensions),
 * and every real AutoBe sample that passes the checks plus every gold design
 * (projects/<name>/gold/api.json, checked against its gold/db.json) compiles to
 * a document with one operation per AST operation and unique operationIds.
 *
 * With BB_EMIT_DIR=dir set, each emitted document is also written there
 * (tests/e2e/api_openapi.sh hands them to the independent OpenAPI validator).
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <glob.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "ast/ast_api.h"
#include "ast/ast_api_check.h"
#include "emit/emit_openapi.h"
#include "json/json_util.h"
#include "util/alloc.h"
#include "util/buf.h"
#include "util/file.h"

#define DATA_DIR      "tests/data/api/"
#define DOC_MAX_BYTES ((size_t)16 * 1024 * 1024)

static const char *root_dir(void)
{
    return getenv("BB_ROOT") ? getenv("BB_ROOT") : ".";
}

static json_t *read_json(const char *path)
{
    json_error_t err;
    json_t *v = json_load_file(path, 0, &err);

    if (!v)
        print_message("# %s: %s\n", path, err.text);
    return v;
}

static json_t *read_data(const char *name)
{
    char path[1024];

    snprintf(path, sizeof path, "%s/" DATA_DIR "%s", root_dir(), name);
    return read_json(path);
}

static ast_api_doc *load_ok(const json_t *root)
{
    schema_errors errs;
    ast_api_doc *doc = NULL;
    size_t i;

    schema_errors_init(&errs, 100);
    if (ast_api_load(root, &doc, &errs, NULL) != BB_OK) {
        for (i = 0; i < errs.n; i++)
            print_message("# %s: %s\n", errs.items[i].path, errs.items[i].message);
    }
    assert_non_null(doc);
    schema_errors_free(&errs);
    return doc;
}

/* Emits doc; returns the text (caller frees with bb_free). */
static char *emit_text(const ast_api_doc *doc, const char *title, const char *version)
{
    emit_openapi_params p = emit_openapi_default_params();
    bb_buf out;

    if (title)
        p.title = title;
    if (version)
        p.version = version;
    bb_buf_init(&out, BB_BUF_MAX_DEFAULT);
    assert_int_equal(emit_openapi(doc, &p, &out), BB_OK);
    return bb_buf_take(&out);
}

static void maybe_write(const char *name, const char *text)
{
    const char *dir = getenv("BB_EMIT_DIR");
    char path[2048];

    if (!dir || !*dir)
        return;
    snprintf(path, sizeof path, "%s/%s.openapi.json", dir, name);
    assert_int_equal(bb_file_write(path, text, strlen(text)), BB_OK);
}

/* Counts operations under paths and checks operationIds are unique. */
static size_t count_operations(const json_t *openapi)
{
    const char *path, *method, *id;
    json_t *item, *op, *seen = json_object();
    size_t n = 0;

    assert_non_null(seen);
    json_object_foreach((json_t *)json_object_get(openapi, "paths"), path, item)
    {
        json_object_foreach(item, method, op)
        {
            id = json_string_value(json_object_get(op, "operationId"));
            assert_non_null(id);
            assert_null(json_object_get(seen, id));
            json_object_set_new(seen, id, json_true());
            n++;
        }
    }
    json_decref(seen);
    return n;
}

/* The DTO translation is a fixpoint: the emitted components.schemas, loaded
 * back as an API design and emitted again, give the same schemas. */
static void expect_dto_fixpoint(const json_t *openapi)
{
    json_t *again = json_pack("{s:[], s:{s:O, s:[]}}", "operations", "components", "schemas",
                              json_object_get(json_object_get(openapi, "components"), "schemas"),
                              "authorizations");
    ast_api_doc *doc;
    json_t *out;
    char *text;

    assert_non_null(again);
    doc = load_ok(again);
    text = emit_text(doc, NULL, NULL);
    out = json_loads(text, 0, NULL);
    assert_non_null(out);
    assert_true(bb_json_equal(json_object_get(json_object_get(out, "components"), "schemas"),
                              json_object_get(json_object_get(openapi, "components"), "schemas")));
    json_decref(out);
    bb_free(text);
    ast_api_free(doc);
    json_decref(again);
}

/* ---- the compiler case ------------------------------------------------------ */

static void test_golden_todo(void **state)
{
    json_t *in = read_data("y_todo.json"), *want, *got;
    ast_api_doc *doc;
    char *text;

    (void)state;
    assert_non_null(in);
    doc = load_ok(in);
    text = emit_text(doc, "todo", "1.0.0");
    maybe_write("y_todo", text);
    want = read_data("y_todo.openapi.json");
    assert_non_null(want);
    expect_dto_fixpoint(want);
    got = json_loads(text, 0, NULL);
    assert_non_null(got);
    if (!bb_json_equal(got, want)) {
        print_message("# emitted:\n%s\n", text);
        fail_msg("y_todo.json does not compile to y_todo.openapi.json");
    }
    json_decref(got);
    json_decref(want);
    json_decref(in);
    bb_free(text);
    ast_api_free(doc);
}

static void test_deterministic(void **state)
{
    json_t *in = read_data("y_todo.json");
    ast_api_doc *a, *b;
    char *ta, *tb, *tc;

    (void)state;
    a = load_ok(in);
    b = load_ok(in);
    ta = emit_text(a, NULL, NULL);
    tb = emit_text(b, NULL, NULL);
    tc = emit_text(a, NULL, NULL);
    assert_string_equal(ta, tb);
    assert_string_equal(ta, tc);
    bb_free(ta);
    bb_free(tb);
    bb_free(tc);
    ast_api_free(a);
    ast_api_free(b);
    json_decref(in);
}

/* ---- mapping rules read back ----------------------------------------------------- */

static json_t *op_at(json_t *openapi, const char *path, const char *method)
{
    json_t *op = json_object_get(json_object_get(json_object_get(openapi, "paths"), path), method);

    assert_non_null(op);
    return op;
}

static void test_mapping(void **state)
{
    json_t *in = read_data("y_todo.json"), *out, *op, *sec, *scheme;
    ast_api_doc *doc;
    char *text;

    (void)state;
    doc = load_ok(in);
    text = emit_text(doc, "todo", "2.1.0");
    out = json_loads(text, 0, NULL);
    assert_non_null(out);
    assert_string_equal(json_string_value(json_object_get(out, "openapi")), "3.1.0");
    assert_string_equal(json_string_value(json_object_get(json_object_get(out, "info"), "version")), "2.1.0");
    assert_int_equal(count_operations(out), doc->n_operations);
    assert_int_equal(json_object_size(json_object_get(json_object_get(out, "components"), "schemas")),
                     doc->n_schemas);

    op = op_at(out, "/todos", "post"); /* create: 201 + security */
    assert_string_equal(json_string_value(json_object_get(op, "operationId")), "todos.create");
    assert_non_null(json_object_get(json_object_get(op, "responses"), "201"));
    sec = json_object_get(op, "security");
    assert_int_equal(json_array_size(sec), 1);
    assert_non_null(json_object_get(json_array_get(sec, 0), "user"));
    op = op_at(out, "/todos/{todoId}", "get"); /* at: 200, path parameter */
    assert_string_equal(json_string_value(json_object_get(op, "operationId")), "todos.at");
    assert_non_null(json_object_get(json_object_get(op, "responses"), "200"));
    assert_string_equal(
        json_string_value(json_object_get(json_array_get(json_object_get(op, "parameters"), 0), "in")),
        "path");
    assert_true(
        json_is_true(json_object_get(json_array_get(json_object_get(op, "parameters"), 0), "required")));
    op = op_at(out, "/todos/{todoId}", "delete"); /* erase: 204 */
    assert_non_null(json_object_get(json_object_get(op, "responses"), "204"));
    assert_null(json_object_get(op, "requestBody"));
    op = op_at(out, "/auth/user/join", "post"); /* join: public, marked */
    assert_null(json_object_get(op, "security"));
    assert_string_equal(
        json_string_value(json_object_get(json_object_get(op, "x-autobe-authorization"), "type")), "join");
    assert_string_equal(json_string_value(json_object_get(op, "operationId")), "auth.user.join");
    scheme = json_object_get(json_object_get(json_object_get(out, "components"), "securitySchemes"), "user");
    assert_string_equal(json_string_value(json_object_get(scheme, "scheme")), "bearer");
    assert_string_equal(json_string_value(json_object_get(scheme, "type")), "http");
    json_decref(out);
    json_decref(in);
    bb_free(text);
    ast_api_free(doc);
}

static void test_operation_ids_disambiguated(void **state)
{
    static const char *const src =
        "{\"operations\": ["
        " {\"path\": \"/a\", \"method\": \"get\", \"name\": \"at\"},"
        " {\"path\": \"/a/{x}\", \"method\": \"get\", \"name\": \"at\", \"parameters\": [{\"name\": \"x\", "
        "\"schema\": {\"type\": \"string\"}}]},"
        " {\"path\": \"/a/byX\", \"method\": \"get\", \"name\": \"at\"},"
        " {\"path\": \"/a/{x}\", \"method\": \"put\", \"name\": \"at\", \"parameters\": [{\"name\": \"x\", "
        "\"schema\": {\"type\": \"string\"}}]}],"
        " \"components\": {\"schemas\": {}, \"authorizations\": []}}";
    static const char *const want[][2] = {{"/a", "a.at"}, {"/a/{x}", "a.byX.at"}, {"/a/byX", "a.byX.at_2"}};
    json_t *in = json_loads(src, 0, NULL), *out;
    ast_api_doc *doc;
    char *text;
    size_t i;

    (void)state;
    assert_non_null(in);
    doc = load_ok(in);
    text = emit_text(doc, NULL, NULL);
    out = json_loads(text, 0, NULL);
    assert_non_null(out);
    for (i = 0; i < sizeof want / sizeof want[0]; i++)
        assert_string_equal(json_string_value(json_object_get(op_at(out, want[i][0], "get"), "operationId")),
                            want[i][1]);
    assert_string_equal(json_string_value(json_object_get(op_at(out, "/a/{x}", "put"), "operationId")),
                        "a.byX.at_3");
    assert_int_equal(count_operations(out), 4);
    json_decref(out);
    json_decref(in);
    bb_free(text);
    ast_api_free(doc);
}

/* ---- real designs --------------------------------------------------------------- */

typedef struct tables_view {
    json_t *tables; /* {"table": {"column": true}} */
} tables_view;

static int tv_has_table(void *ctx, const char *table)
{
    return json_object_get((json_t *)ctx, table) != NULL;
}

static int tv_has_column(void *ctx, const char *table, const char *column)
{
    return json_object_get(json_object_get((json_t *)ctx, table), column) != NULL;
}

/* Tables and columns of a DB AST (files[].models[]) read directly. */
static json_t *db_tables(const char *path)
{
    json_t *root = read_json(path), *tables, *files;
    size_t i, j, k;
    static const char *const lists[] = {"foreignFields", "plainFields"};

    if (!root)
        return NULL;
    tables = json_object();
    files = json_object_get(root, "files");
    for (i = 0; i < json_array_size(files); i++) {
        json_t *models = json_object_get(json_array_get(files, i), "models");

        for (j = 0; j < json_array_size(models); j++) {
            json_t *m = json_array_get(models, j), *cols = json_object();
            const char *pk = json_string_value(json_object_get(json_object_get(m, "primaryField"), "name"));
            size_t l;

            if (pk)
                json_object_set_new(cols, pk, json_true());
            for (l = 0; l < 2; l++) {
                json_t *fs = json_object_get(m, lists[l]);

                for (k = 0; k < json_array_size(fs); k++) {
                    const char *c = json_string_value(json_object_get(json_array_get(fs, k), "name"));

                    if (c)
                        json_object_set_new(cols, c, json_true());
                }
            }
            if (json_string_value(json_object_get(m, "name")))
                json_object_set_new(tables, json_string_value(json_object_get(m, "name")), cols);
            else
                json_decref(cols);
        }
    }
    json_decref(root);
    return tables;
}

/* Loads, checks (with the DB when given) and emits one design file. Returns
 * 1 when it passed the checks and was emitted. must_pass: fail otherwise. */
static int compile_file(const char *path, const char *db_path, const char *out_name, int must_pass)
{
    char *text = NULL, *emitted;
    size_t len, i;
    json_t *root, *out, *tables = NULL;
    schema_errors errs;
    ast_api_doc *doc = NULL;
    ast_api_db_view view;
    bb_result rc;
    int passed = 0;

    assert_int_equal(bb_file_read(path, DOC_MAX_BYTES, &text, &len), BB_OK);
    root = json_loadb(text, len, 0, NULL);
    bb_free(text);
    assert_non_null(root);
    schema_errors_init(&errs, 50);
    rc = ast_api_load(root, &doc, &errs, NULL);
    if (rc == BB_OK) {
        if (db_path)
            tables = db_tables(db_path);
        view.has_table = tv_has_table;
        view.has_column = tv_has_column;
        view.ctx = tables;
        rc = ast_api_check(doc, tables ? &view : NULL, &errs);
    }
    if (rc == BB_OK) {
        emitted = emit_text(doc, out_name, "1.0.0");
        out = json_loads(emitted, 0, NULL);
        assert_non_null(out);
        assert_int_equal(count_operations(out), doc->n_operations);
        assert_int_equal(json_object_size(json_object_get(json_object_get(out, "components"), "schemas")),
                         doc->n_schemas);
        expect_dto_fixpoint(out);
        maybe_write(out_name, emitted);
        json_decref(out);
        bb_free(emitted);
        passed = 1;
    } else if (must_pass) {
        for (i = 0; i < errs.n && i < 20; i++)
            print_message("# %s: %s\n", errs.items[i].path,
                          errs.items[i].message ? errs.items[i].message : "");
    }
    assert_true(rc == BB_OK || rc == BB_ERR_INVALID);
    if (must_pass)
        assert_int_equal(rc, BB_OK);
    json_decref(tables);
    ast_api_free(doc);
    json_decref(root);
    schema_errors_free(&errs);
    return passed;
}

/* "a/b/c/d/autobe/document.json" under the samples root -> "autobe-a-b-c". */
static void sample_name(const char *rel, char *name, size_t cap)
{
    size_t i, n = 0;
    const char *end = strstr(rel, "/autobe/");

    n = (size_t)snprintf(name, cap, "autobe-");
    for (i = 0; rel + i < end && n + 1 < cap; i++)
        name[n++] = rel[i] == '/' ? '-' : rel[i];
    name[n] = '\0';
}

static void test_autobe_samples(void **state)
{
    const char *shared = getenv("BB_SHARED") ? getenv("BB_SHARED") : "../shared";
    char pattern[2048], name[512], db[4096];
    glob_t g;
    size_t i, emitted = 0;

    (void)state;
    snprintf(pattern, sizeof pattern, "%s/data/autobe-oct2025/*/*/*/autobe/document.json", shared);
    memset(&g, 0, sizeof g);
    assert_int_equal(glob(pattern, 0, NULL, &g), 0);
    for (i = 0; i < g.gl_pathc; i++) {
        const char *p = g.gl_pathv[i];

        sample_name(p + strlen(shared) + strlen("/data/autobe-oct2025/"), name, sizeof name);
        snprintf(db, sizeof db, "%.*sprisma.json", (int)(strlen(p) - strlen("document.json")), p);
        emitted += (size_t)compile_file(p, db, name, 0);
    }
    print_message("# AutoBe samples: %zu files, %zu pass the checks (with their prisma.json) and compile\n",
                  g.gl_pathc, emitted);
    assert_true(g.gl_pathc > 0);
    assert_true(emitted > 0);
    globfree(&g);
}

static void test_gold_designs(void **state)
{
    char pattern[2048], db[4096], name[512];
    glob_t g;
    size_t i;

    (void)state;
    snprintf(pattern, sizeof pattern, "%s/projects/*/gold/api.json", root_dir());
    memset(&g, 0, sizeof g);
    if (glob(pattern, 0, NULL, &g) != 0) {
        print_message("# no gold designs under projects/ yet\n");
        globfree(&g);
        return;
    }
    for (i = 0; i < g.gl_pathc; i++) {
        const char *p = g.gl_pathv[i];
        const char *proj = p + strlen(root_dir()) + strlen("/projects/");
        FILE *f;

        snprintf(db, sizeof db, "%.*sdb.json", (int)(strlen(p) - strlen("api.json")), p);
        snprintf(name, sizeof name, "gold-%.*s", (int)(strchr(proj, '/') - proj), proj);
        f = fopen(db, "r");
        if (f)
            fclose(f);
        print_message("# gold %s\n", name);
        compile_file(p, f ? db : NULL, name, 1);
    }
    globfree(&g);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_golden_todo),    cmocka_unit_test(test_deterministic),
        cmocka_unit_test(test_mapping),        cmocka_unit_test(test_operation_ids_disambiguated),
        cmocka_unit_test(test_autobe_samples), cmocka_unit_test(test_gold_designs),
    };

    bb_json_init();
    return cmocka_run_group_tests_name("emit_openapi", tests, NULL, NULL);
}
