/*
 * test_impl.c — the Impl AST loader and its semantic checks.
 *
 * The corpus tests/data/impl/ is data: each file holds an implementation
 * ("impl") and the exact set of errors expected as {path, expected} pairs
 * (y_: none; n_: loader errors the schema also rejects; l_: loader limits;
 * c_: semantic check errors, checked against the todo project's gold DB and
 * API designs). The todo gold implementation must load and check clean and
 * cover every operation. A mutation sweep deletes and replaces every member
 * of gold operations (no crash, no silent acceptance of a broken node), and
 * allocation failures are injected into load and check.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <glob.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ast/ast_api.h"
#include "ast/ast_db.h"
#include "ast/ast_db_check.h"
#include "ast/ast_impl.h"
#include "ast/ast_impl_check.h"
#include "json/json_util.h"
#include "schema/schema.h"
#include "util/alloc.h"
#include "util/file.h"

static ast_db *g_db;
static ast_api_doc *g_api;

static const char *root_dir(void)
{
    const char *r = getenv("BB_ROOT");

    return r && *r ? r : ".";
}

static json_t *embedded_json(const char *path)
{
    const bb_embedded_file *f = bb_embed_find(path);
    json_error_t je;
    json_t *doc;

    if (!f)
        fail_msg("%s is not embedded", path);
    doc = json_loadb((const char *)f->data, f->len, 0, &je);
    if (!doc)
        fail_msg("%s:%d: %s", path, je.line, je.text);
    return doc;
}

static int setup_designs(void **state)
{
    json_t *j;
    schema_errors errs;

    (void)state;
    bb_json_init();
    schema_errors_init(&errs, SCHEMA_ERRORS_MAX_DEFAULT);
    j = embedded_json("projects/todo/gold/db.json");
    if (ast_db_load(j, NULL, &g_db, &errs, NULL) != BB_OK || ast_db_check(g_db, &errs) != BB_OK)
        return -1;
    json_decref(j);
    j = embedded_json("projects/todo/gold/api.json");
    if (ast_api_load(j, &g_api, &errs, NULL) != BB_OK)
        return -1;
    json_decref(j);
    schema_errors_free(&errs);
    return 0;
}

static int teardown_designs(void **state)
{
    (void)state;
    ast_db_free(g_db);
    ast_api_free(g_api);
    return 0;
}

/* Load + check; errors to errs. Returns the combined result. */
static bb_result load_and_check(const json_t *doc, schema_errors *errs)
{
    return ast_impl_check_json(doc, g_db, g_api, NULL, errs);
}

static void print_errors(const schema_errors *e)
{
    size_t i;

    for (i = 0; i < e->n; i++)
        print_message("#   got %s  [%s]  %s\n", e->items[i].path, e->items[i].expected,
                      e->items[i].message ? e->items[i].message : "");
}

static void test_corpus(void **state)
{
    glob_t g;
    char pat[1024];
    size_t i, cases = 0;
    int bad = 0;

    (void)state;
    snprintf(pat, sizeof pat, "%s/tests/data/impl/*.json", root_dir());
    assert_int_equal(glob(pat, 0, NULL, &g), 0);
    for (i = 0; i < g.gl_pathc; i++) {
        json_error_t je;
        json_t *c = json_load_file(g.gl_pathv[i], 0, &je);
        const json_t *want;
        schema_errors errs;
        bb_result rc;
        size_t k, m;
        int ok = 1;

        assert_non_null(c);
        want = json_object_get(c, "errors");
        schema_errors_init(&errs, SCHEMA_ERRORS_MAX_DEFAULT);
        rc = load_and_check(json_object_get(c, "impl"), &errs);
        if ((json_array_size(want) == 0) != (rc == BB_OK) || errs.n != json_array_size(want))
            ok = 0;
        for (k = 0; ok && k < json_array_size(want); k++) {
            const char *p = json_string_value(json_object_get(json_array_get(want, k), "path"));
            const char *x = json_string_value(json_object_get(json_array_get(want, k), "expected"));
            int found = 0;

            for (m = 0; m < errs.n; m++) {
                if (strcmp(errs.items[m].path, p) == 0 && strcmp(errs.items[m].expected, x) == 0)
                    found = 1;
            }
            if (!found) {
                print_message("#   missing %s [%s]\n", p, x);
                ok = 0;
            }
        }
        if (!ok) {
            print_message("# case %s: %s\n", strrchr(g.gl_pathv[i], '/') + 1, bb_result_name(rc));
            print_errors(&errs);
            bad++;
        }
        cases++;
        schema_errors_free(&errs);
        json_decref(c);
    }
    globfree(&g);
    print_message("# %zu impl cases\n", cases);
    assert_true(cases >= 30);
    assert_int_equal(bad, 0);
}

static void test_gold_todo(void **state)
{
    json_t *doc = embedded_json("projects/todo/gold/impl.json");
    ast_impl_set set;
    schema_errors errs;
    size_t i, k;

    (void)state;
    schema_errors_init(&errs, SCHEMA_ERRORS_MAX_DEFAULT);
    assert_int_equal(ast_impl_set_load(doc, &set, &errs), BB_OK);
    assert_int_equal(set.n, g_api->n_operations);
    for (i = 0; i < set.n; i++) {
        bb_result rc = ast_impl_check(set.ops[i], g_db, g_api, &errs);

        if (rc != BB_OK)
            print_errors(&errs);
        assert_int_equal(rc, BB_OK);
    }
    /* every operation of the API has exactly one implementation */
    for (k = 0; k < g_api->n_operations; k++) {
        size_t hits = 0;

        for (i = 0; i < set.n; i++)
            hits += ast_impl_find_operation(g_api, set.ops[i]) == &g_api->operations[k];
        assert_int_equal(hits, 1);
    }
    ast_impl_set_free(&set);
    schema_errors_free(&errs);
    json_decref(doc);
}

static void test_set_object_form(void **state)
{
    const char *text = "{\"GET /user/lists/{listId}\": {\"plan\": \"p\", \"statements\": ["
                       "{\"type\": \"throw\", \"status\": 404, \"message\": {\"type\": \"stringLiteral\", \"value\": \"x\"}}]},"
                       " \"PATCH /nope\": {\"statements\": [{\"type\": \"return\", \"status\": 700}]}}";
    json_t *doc = json_loads(text, 0, NULL);
    ast_impl_set set;
    schema_errors errs;

    (void)state;
    schema_errors_init(&errs, SCHEMA_ERRORS_MAX_DEFAULT);
    assert_int_equal(ast_impl_set_load(doc, &set, &errs), BB_ERR_INVALID);
    assert_int_equal(errs.n, 1);
    assert_string_equal(errs.items[0].path, "$input[\"PATCH /nope\"].statements[0].status");
    schema_errors_clear(&errs);
    json_object_del(doc, "PATCH /nope");
    assert_int_equal(ast_impl_set_load(doc, &set, &errs), BB_OK);
    assert_int_equal(set.n, 1);
    assert_int_equal(set.ops[0]->method, AST_IMPL_GET);
    assert_string_equal(set.ops[0]->path, "/user/lists/{listId}");
    assert_int_equal(ast_impl_check(set.ops[0], g_db, g_api, &errs), BB_OK);
    ast_impl_set_free(&set);
    schema_errors_free(&errs);
    json_decref(doc);
}

static void test_not_objects(void **state)
{
    const char *inputs[] = {"[]", "1", "\"x\"", "null", "{}", "{\"endpoint\": 3, \"statements\": {}}",
                            "{\"endpoint\": {\"path\": \"nope\", \"method\": \"GET\"}, \"statements\": [1]}"};
    size_t i;

    (void)state;
    for (i = 0; i < sizeof inputs / sizeof *inputs; i++) {
        json_t *doc = json_loads(inputs[i], JSON_DECODE_ANY, NULL);
        schema_errors errs;
        ast_impl_op *op = (ast_impl_op *)1;

        schema_errors_init(&errs, SCHEMA_ERRORS_MAX_DEFAULT);
        assert_int_equal(ast_impl_load(doc, "$input", &op, &errs), BB_ERR_INVALID);
        assert_null(op);
        assert_true(errs.n >= 1);
        assert_true(strncmp(errs.items[0].path, "$input", 6) == 0);
        schema_errors_free(&errs);
        json_decref(doc);
    }
}

/* Every member of every object in v, deleted and replaced by 7 in turn. */
static size_t sweep(json_t *root, json_t *v, size_t *accepted)
{
    size_t n = 0, i;

    if (json_is_array(v)) {
        for (i = 0; i < json_array_size(v); i++)
            n += sweep(root, json_array_get(v, i), accepted);
    } else if (json_is_object(v)) {
        const char *key;
        json_t *val;
        json_t *keys = json_array();

        assert_non_null(keys);
        json_object_foreach(v, key, val)
            json_array_append_new(keys, json_string(key));
        for (i = 0; i < json_array_size(keys); i++) {
            const char *k = json_string_value(json_array_get(keys, i));
            json_t *keep = json_incref(json_object_get(v, k));
            schema_errors errs;
            bb_result rc;

            n += sweep(root, keep, accepted);
            schema_errors_init(&errs, SCHEMA_ERRORS_MAX_DEFAULT);
            json_object_del(v, k);
            rc = load_and_check(root, &errs);
            assert_true(rc == BB_OK || rc == BB_ERR_INVALID);
            if (rc == BB_OK)
                (*accepted)++;
            schema_errors_clear(&errs);
            json_object_set_new(v, k, json_integer(7));
            rc = load_and_check(root, &errs);
            assert_true(rc == BB_OK || rc == BB_ERR_INVALID);
            json_object_set(v, k, keep);
            json_decref(keep);
            schema_errors_free(&errs);
            n += 2;
        }
        json_decref(keys);
    }
    return n;
}

static void test_mutation_sweep(void **state)
{
    json_t *doc = embedded_json("projects/todo/gold/impl.json");
    size_t i, n = 0, accepted = 0;
    size_t pick[] = {0, 8, 11};

    (void)state;
    for (i = 0; i < sizeof pick / sizeof *pick; i++) {
        json_t *op = json_array_get(doc, pick[i]);
        schema_errors errs;

        assert_non_null(op);
        n += sweep(op, op, &accepted);
        schema_errors_init(&errs, SCHEMA_ERRORS_MAX_DEFAULT);
        assert_int_equal(load_and_check(op, &errs), BB_OK); /* restored intact */
        schema_errors_free(&errs);
    }
    print_message("# %zu mutations, %zu deletions still accepted (optional members)\n", n, accepted);
    assert_true(n > 500);
    assert_true(accepted < n / 4);
    json_decref(doc);
}

static void test_alloc_failure(void **state)
{
    json_t *doc = embedded_json("projects/todo/gold/impl.json");
    json_t *op = json_array_get(doc, 8);
    long k;
    int done = 0;

    (void)state;
    for (k = 0; !done && k < 100000; k++) {
        schema_errors errs;
        bb_result rc;

        schema_errors_init(&errs, SCHEMA_ERRORS_MAX_DEFAULT);
        bb_alloc_fail_after(k);
        rc = load_and_check(op, &errs);
        bb_alloc_fail_after(-1);
        if (rc != BB_OK && rc != BB_ERR_NOMEM)
            fail_msg("allocation %ld failing gave %s", k, bb_result_name(rc));
        done = rc == BB_OK;
        schema_errors_free(&errs);
    }
    print_message("# load+check survived %ld failing allocations\n", k - 1);
    assert_true(done);
    json_decref(doc);
}

static void test_node_cap(void **state)
{
    json_t *doc = json_pack("{s{ss,ss},ss,s[]}", "endpoint", "path", "/user/lists/{listId}", "method", "get", "plan",
                            "", "statements");
    json_t *stmts = json_object_get(doc, "statements");
    schema_errors errs;
    ast_impl_op *op = NULL;
    int i, k;

    (void)state;
    /* 250 statements of 100 numbers each: over the node cap */
    for (i = 0; i < 250; i++) {
        json_t *elems = json_array();

        for (k = 0; k < 100; k++)
            json_array_append_new(elems, json_pack("{ss,si}", "type", "numberLiteral", "value", k));
        json_array_append_new(stmts, json_pack("{ss,s{ss,so}}", "type", "expression", "expression", "type",
                                               "arrayLiteral", "elements", elems));
    }
    schema_errors_init(&errs, SCHEMA_ERRORS_MAX_DEFAULT);
    assert_int_equal(ast_impl_load(doc, "$input", &op, &errs), BB_ERR_INVALID);
    assert_int_equal(errs.items[0].kind, SCHEMA_ERR_LIMIT);
    schema_errors_free(&errs);
    json_decref(doc);
}

/* The schema compiles in the project's validator with strict keywords, accepts
 * every gold operation and the y_/c_ cases, and rejects the n_ cases. */
static void test_schema(void **state)
{
    json_t *sdoc = embedded_json("schemas/impl.schema.json");
    static const char *const golds[] = {"projects/todo/gold/impl.json", "projects/bbs/gold/impl.json",
                                         "projects/reddit/gold/impl.json", "projects/shopping/gold/impl.json"};
    schema *sc = NULL;
    schema_errors issues, errs;
    glob_t g;
    char pat[1024];
    size_t i, n = 0;

    (void)state;
    schema_errors_init(&issues, SCHEMA_ERRORS_MAX_DEFAULT);
    schema_errors_init(&errs, SCHEMA_ERRORS_MAX_DEFAULT);
    if (schema_compile(sdoc, NULL, &sc, &issues) != BB_OK) {
        print_errors(&issues);
        fail_msg("schemas/impl.schema.json does not compile");
    }
    for (n = 0; n < sizeof golds / sizeof *golds; n++) {
        json_t *gold = embedded_json(golds[n]);

        for (i = 0; i < json_array_size(gold); i++) {
            if (schema_validate(sc, json_array_get(gold, i), &errs) != BB_OK) {
                print_errors(&errs);
                fail_msg("%s operation %zu is invalid", golds[n], i);
            }
        }
        json_decref(gold);
    }
    n = 0;
    snprintf(pat, sizeof pat, "%s/tests/data/impl/*.json", root_dir());
    assert_int_equal(glob(pat, 0, NULL, &g), 0);
    for (i = 0; i < g.gl_pathc; i++) {
        const char *base = strrchr(g.gl_pathv[i], '/') + 1;
        json_t *c = json_load_file(g.gl_pathv[i], 0, NULL);
        int valid;

        assert_non_null(c);
        schema_errors_clear(&errs);
        valid = schema_validate(sc, json_object_get(c, "impl"), &errs) == BB_OK;
        if ((base[0] == 'y' || base[0] == 'c') && !valid) {
            print_errors(&errs);
            fail_msg("the schema rejects %s", base);
        }
        if (base[0] == 'n' && valid)
            fail_msg("the schema accepts %s", base);
        n++;
        json_decref(c);
    }
    globfree(&g);
    assert_true(n >= 30);
    schema_free(sc);
    schema_errors_free(&issues);
    schema_errors_free(&errs);
    json_decref(sdoc);
}

static void test_names(void **state)
{
    int lo, hi;

    (void)state;
    assert_string_equal(ast_impl_expr_kind_name(AST_IMPL_E_FIND_MANY), "findMany");
    assert_string_equal(ast_impl_expr_kind_name(AST_IMPL_E_UNDEFINED), "undefinedLiteral");
    assert_string_equal(ast_impl_stmt_kind_name(AST_IMPL_S_FOR_EACH), "forEach");
    assert_string_equal(ast_impl_binop_name(AST_IMPL_COALESCE), "??");
    assert_string_equal(ast_impl_cmp_name(AST_IMPL_CMP_STARTS_WITH), "startsWith");
    assert_string_equal(ast_impl_builtin_name(AST_IMPL_FN_VERIFY_REFRESH_TOKEN), "verifyRefreshToken");
    assert_null(ast_impl_builtin_name(AST_IMPL_FN_COUNT_));
    assert_null(ast_impl_method_name(AST_IMPL_METHOD_COUNT_));
    ast_impl_builtin_arity(AST_IMPL_FN_MAX, &lo, &hi);
    assert_int_equal(lo, 1);
    assert_int_equal(hi, 16);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_corpus),         cmocka_unit_test(test_gold_todo),
        cmocka_unit_test(test_set_object_form), cmocka_unit_test(test_not_objects),
        cmocka_unit_test(test_mutation_sweep), cmocka_unit_test(test_alloc_failure),
        cmocka_unit_test(test_node_cap),       cmocka_unit_test(test_names),
        cmocka_unit_test(test_schema),
    };

    return cmocka_run_group_tests(tests, setup_designs, teardown_designs);
}
