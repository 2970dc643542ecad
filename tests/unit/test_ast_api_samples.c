/*
 * test_ast_api_samples.c — loads and checks every real AutoBe API design in
 * $BB_SHARED/data/autobe-oct2025/<vendor>/<model>/<project>/autobe/document.json.
 *
 * One test per file: the loader must accept it (these are AutoBe's final,
 * schema-valid outputs, in its older spelling), must map the older keys
 * (authorizationRole, components.authorization) to the same values the JSON
 * holds, and the checks must run to completion against the sibling
 * prisma.json seen through an ast_api_db_view (tables and columns read here
 * with jansson, as tests may). At the end a summary line per rule is printed
 * as TAP comments: the figures in docs/ast-api.md come from it.
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
#include "json/json_util.h"
#include "util/alloc.h"
#include "util/file.h"

#define SAMPLE_MAX_BYTES ((size_t)16 * 1024 * 1024)
#define RULES_MAX        64

typedef struct rule_count {
    const char *rule; /* static AST_API_RULE_* text or a loader kind */
    char text[160];
    size_t n;
} rule_count;

typedef struct summary {
    size_t files, loaded, load_failed, valid, valid_db, warnings, errors;
    rule_count rules[RULES_MAX];
    size_t n_rules;
} summary;

static summary g_sum;

static void count_rule(const char *rule)
{
    size_t i;

    for (i = 0; i < g_sum.n_rules; i++) {
        if (strcmp(g_sum.rules[i].text, rule) == 0) {
            g_sum.rules[i].n++;
            return;
        }
    }
    if (g_sum.n_rules < RULES_MAX) {
        snprintf(g_sum.rules[g_sum.n_rules].text, sizeof g_sum.rules[0].text, "%s", rule);
        g_sum.rules[g_sum.n_rules++].n = 1;
    }
}

/* ---- the database view over prisma.json ---------------------------------- */

/* tables: {"table": {"column": true, ...}, ...} */
static int view_has_table(void *ctx, const char *table)
{
    return json_object_get((json_t *)ctx, table) != NULL;
}

static int view_has_column(void *ctx, const char *table, const char *column)
{
    return json_object_get(json_object_get((json_t *)ctx, table), column) != NULL;
}

static void add_column(json_t *cols, const json_t *field)
{
    const char *name = json_string_value(json_object_get(field, "name"));

    if (name)
        assert_int_equal(json_object_set_new(cols, name, json_true()), 0);
}

static json_t *load_tables(const char *prisma_path)
{
    json_t *root = json_load_file(prisma_path, 0, NULL);
    json_t *tables;
    size_t i, j, k;

    if (!root)
        return NULL;
    tables = json_object();
    assert_non_null(tables);
    for (i = 0; i < json_array_size(json_object_get(root, "files")); i++) {
        json_t *models = json_object_get(json_array_get(json_object_get(root, "files"), i), "models");

        for (j = 0; j < json_array_size(models); j++) {
            json_t *m = json_array_get(models, j);
            json_t *cols = json_object();
            const char *name = json_string_value(json_object_get(m, "name"));

            assert_non_null(cols);
            add_column(cols, json_object_get(m, "primaryField"));
            for (k = 0; k < json_array_size(json_object_get(m, "foreignFields")); k++)
                add_column(cols, json_array_get(json_object_get(m, "foreignFields"), k));
            for (k = 0; k < json_array_size(json_object_get(m, "plainFields")); k++)
                add_column(cols, json_array_get(json_object_get(m, "plainFields"), k));
            if (name)
                assert_int_equal(json_object_set_new(tables, name, cols), 0);
            else
                json_decref(cols);
        }
    }
    json_decref(root);
    return tables;
}

/* ---- one sample ------------------------------------------------------------- */

static void test_sample(void **state)
{
    const char *path = *state;
    char *text = NULL;
    size_t len = 0, i;
    json_t *root, *comp, *auth;
    json_error_t jerr;
    ast_api_doc *doc = NULL;
    schema_errors errs, warns, errs_db;
    char prisma[4096];
    json_t *tables;
    ast_api_db_view view;
    bb_result rc;

    g_sum.files++;
    schema_errors_init(&errs, 10000);
    schema_errors_init(&warns, 10000);
    schema_errors_init(&errs_db, 10000);
    assert_int_equal(bb_file_read(path, SAMPLE_MAX_BYTES, &text, &len), BB_OK);
    root = json_loadb(text, len, 0, &jerr);
    assert_non_null(root);
    rc = ast_api_load(root, &doc, &errs, &warns);
    if (rc == BB_ERR_INVALID) {
        /* a broken sample: every problem is located, the document withheld */
        assert_null(doc);
        assert_true(errs.n > 0);
        g_sum.load_failed++;
        for (i = 0; i < errs.n; i++) {
            char rule[160];

            assert_memory_equal(errs.items[i].path, "$input", 6);
            snprintf(rule, sizeof rule, "load: %s %s", schema_error_kind_name(errs.items[i].kind),
                     errs.items[i].expected);
            count_rule(rule);
            if (i < 2)
                print_message("# load error %s: %s\n", errs.items[i].path,
                              errs.items[i].message ? errs.items[i].message : "");
        }
        goto out;
    }
    assert_int_equal(rc, BB_OK);
    g_sum.loaded++;
    g_sum.warnings += warns.n;

    /* the older spellings map to the same values */
    assert_int_equal(doc->n_operations, json_array_size(json_object_get(root, "operations")));
    comp = json_object_get(root, "components");
    auth = json_object_get(comp, "authorizations");
    if (!auth)
        auth = json_object_get(comp, "authorization");
    assert_int_equal(doc->n_authorizations, json_array_size(auth));
    assert_int_equal(doc->n_schemas, json_object_size(json_object_get(comp, "schemas")));
    for (i = 0; i < doc->n_operations; i++) {
        json_t *op = json_array_get(json_object_get(root, "operations"), i);
        json_t *actor = json_object_get(op, "authorizationActor");

        if (!actor)
            actor = json_object_get(op, "authorizationRole");
        if (json_is_string(actor))
            assert_string_equal(doc->operations[i].authorization_actor, json_string_value(actor));
        else
            assert_null(doc->operations[i].authorization_actor);
        assert_string_equal(doc->operations[i].path, json_string_value(json_object_get(op, "path")));
    }

    /* checks without and with the database */
    rc = ast_api_check(doc, NULL, &errs);
    assert_true(rc == BB_OK || rc == BB_ERR_INVALID);
    assert_int_equal(rc == BB_OK, errs.n == 0);
    if (rc == BB_OK)
        g_sum.valid++;
    snprintf(prisma, sizeof prisma, "%.*sprisma.json", (int)(strlen(path) - strlen("document.json")), path);
    tables = load_tables(prisma);
    if (tables) {
        view.has_table = view_has_table;
        view.has_column = view_has_column;
        view.ctx = tables;
        rc = ast_api_check(doc, &view, &errs_db);
        assert_true(rc == BB_OK || rc == BB_ERR_INVALID);
        /* the database adds checks, never removes any */
        assert_true(errs_db.n >= errs.n);
        if (rc == BB_OK)
            g_sum.valid_db++;
        for (i = 0; i < errs_db.n; i++) {
            count_rule(errs_db.items[i].expected);
            if (i < 3)
                print_message("# %s: %s %s\n", errs_db.items[i].path, errs_db.items[i].value,
                              errs_db.items[i].message ? errs_db.items[i].message : "");
        }
        g_sum.errors += errs_db.n;
        json_decref(tables);
    }
out:
    ast_api_free(doc);
    json_decref(root);
    bb_free(text);
    schema_errors_free(&errs);
    schema_errors_free(&warns);
    schema_errors_free(&errs_db);
}

int main(void)
{
    const char *shared = getenv("BB_SHARED");
    char pattern[4096];
    glob_t g;
    struct CMUnitTest *tests;
    size_t i, n;
    int failed;

    bb_json_init();
    if (!shared)
        shared = "../shared";
    snprintf(pattern, sizeof pattern, "%s/data/autobe-oct2025/*/*/*/autobe/document.json", shared);
    memset(&g, 0, sizeof g);
    if (glob(pattern, 0, NULL, &g) != 0 || g.gl_pathc == 0) {
        printf("not ok 1 - no AutoBe samples under %s\n", pattern);
        globfree(&g);
        return 1;
    }
    n = g.gl_pathc;
    tests = calloc(n, sizeof *tests);
    if (!tests)
        return 1;
    for (i = 0; i < n; i++) {
        tests[i].name = g.gl_pathv[i] + strlen(shared) + strlen("/data/autobe-oct2025/");
        tests[i].test_func = test_sample;
        tests[i].initial_state = g.gl_pathv[i];
    }
    failed = _cmocka_run_group_tests("ast_api_samples", tests, n, NULL, NULL);
    printf("# samples: %zu files, %zu loaded, %zu rejected by the loader, %zu pass the checks without the "
           "DB, %zu with the DB; "
           "%zu loader warnings; %zu check errors (with the DB)\n",
           g_sum.files, g_sum.loaded, g_sum.load_failed, g_sum.valid, g_sum.valid_db, g_sum.warnings,
           g_sum.errors);
    for (i = 0; i < g_sum.n_rules; i++)
        printf("#   %5zu  %s\n", g_sum.rules[i].n, g_sum.rules[i].text);
    free(tests);
    globfree(&g);
    return failed;
}
