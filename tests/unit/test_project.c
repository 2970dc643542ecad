/*
 * test_project.c — the reference projects: every embedded project lists with
 * valid metadata and all its files, the sizes in project.json equal the
 * counts in its gold designs (an acceptance item: counted here with jansson,
 * independently of src/ast), names are checked against the strict pattern,
 * and malformed project sets are rejected with errors located by file.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include <jansson.h>

#include "bench/project.h"
#include "json/json_util.h"
#include "util/alloc.h"

static void test_name_pattern(void **state)
{
    static const struct {
        const char *name;
        int ok;
    } cases[] = {
        {"todo", 1}, {"bbs", 1}, {"a", 1}, {"shop_2-x", 1}, {"abcdefghijklmnopqrstuvwxyz012345", 1},
        {"abcdefghijklmnopqrstuvwxyz0123456", 0}, {"", 0}, {"Todo", 0}, {"1todo", 0}, {"_x", 0},
        {"to do", 0}, {"../etc", 0}, {"a/b", 0}, {"a.b", 0}, {"todo\n", 0},
    };
    size_t i;

    (void)state;
    for (i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        if (bench_project_name_valid(cases[i].name) != cases[i].ok)
            print_message("name case %zu '%s'\n", i, cases[i].name);
        assert_int_equal(bench_project_name_valid(cases[i].name), cases[i].ok);
    }
    assert_int_equal(bench_project_name_valid(NULL), 0);
}

static json_t *load_file(const bench_project_file *f)
{
    json_error_t err;
    json_t *j;

    assert_non_null(f->data);
    j = json_loadb(f->data, f->len, 0, &err);
    if (!j)
        print_message("line %d: %s\n", err.line, err.text);
    assert_non_null(j);
    return j;
}

/* tables = models over all files of gold/db.json */
static long count_tables(const json_t *db)
{
    json_t *files = json_object_get(db, "files");
    long n = 0;
    size_t i;

    assert_true(json_is_array(files));
    for (i = 0; i < json_array_size(files); i++) {
        json_t *models = json_object_get(json_array_get(files, i), "models");

        assert_true(json_is_array(models));
        n += (long)json_array_size(models);
    }
    return n;
}

static void test_embedded_projects_sizes_match_gold(void **state)
{
    schema_errors errs;
    bench_projects *ps = NULL;
    size_t i;
    bb_result rc;

    (void)state;
    schema_errors_init(&errs, 0);
    rc = bench_projects_list(&ps, &errs);
    for (i = 0; i < errs.n; i++)
        print_message("%s: %s\n", errs.items[i].path, errs.items[i].message ? errs.items[i].message : "");
    assert_int_equal(rc, BB_OK);
    assert_true(ps->n >= 1);
    assert_non_null(bench_projects_find(ps, "shopping"));
    for (i = 0; i < ps->n; i++) {
        const bench_project *p = &ps->items[i];
        json_t *db = load_file(&p->gold_db), *api = load_file(&p->gold_api), *cl = load_file(&p->checklist);
        long tables = count_tables(db);
        long ops = (long)json_array_size(json_object_get(api, "operations"));
        long schemas = (long)json_object_size(json_object_get(json_object_get(api, "components"), "schemas"));

        print_message("# %s: tables %ld/%ld operations %ld/%ld schemas %ld/%ld\n", p->name, p->tables, tables,
                      p->operations, ops, p->schemas, schemas);
        assert_true(bench_project_name_valid(p->name));
        assert_ptr_equal(bench_projects_find(ps, p->name), p);
        assert_true(p->requirements.len > 0 && strlen(p->requirements.data) == p->requirements.len);
        assert_true(json_is_object(cl));
        assert_int_equal(p->tables, tables);
        assert_int_equal(p->operations, ops);
        assert_int_equal(p->schemas, schemas);
        if (i > 0)
            assert_true(strcmp(ps->items[i - 1].name, p->name) < 0);
        json_decref(db);
        json_decref(api);
        json_decref(cl);
    }
    assert_null(bench_projects_find(ps, "no-such-project"));
    assert_null(bench_projects_find(ps, "../shopping"));
    bench_projects_free(ps);
    schema_errors_free(&errs);
}

/* ---- synthetic project sets ---------------------------------------------- */

#define GOOD_META "{\"name\":\"demo\",\"version\":\"1.0.0\",\"summary\":\"s\",\"sizes\":{\"tables\":1,\"operations\":2,\"schemas\":3}}"

typedef struct set_case {
    const char *meta_path; /* where project.json sits */
    const char *meta;      /* its text */
    int with_files;        /* requirements + gold + checklist present */
    bb_result want;
    const char *err_path;  /* an error with exactly this path, or NULL */
} set_case;

static const set_case set_cases[] = {
    {"projects/demo/project.json", GOOD_META, 1, BB_OK, NULL},
    {"projects/demo/project.json", GOOD_META, 0, BB_ERR_INVALID, "projects/demo/project.json: requirements.md"},
    {"projects/demo/project.json", "{\"name\":\"other\",\"version\":\"1\",\"summary\":\"s\",\"sizes\":"
                                   "{\"tables\":1,\"operations\":2,\"schemas\":3}}",
     1, BB_ERR_INVALID, "projects/demo/project.json: $input.name"},
    {"projects/demo/project.json", "{\"name\":\"demo\",\"version\":\"1\",\"summary\":\"s\",\"sizes\":"
                                   "{\"tables\":-1,\"operations\":2,\"schemas\":3}}",
     1, BB_ERR_INVALID, "projects/demo/project.json: $input.sizes.tables"},
    {"projects/demo/project.json", "{\"name\":\"demo\",\"version\":\"1\",\"summary\":\"s\",\"sizes\":"
                                   "{\"tables\":1,\"operations\":2}}",
     1, BB_ERR_INVALID, "projects/demo/project.json: $input.sizes.schemas"},
    {"projects/demo/project.json", "{\"name\":\"demo\",\"version\":\"1\",\"sizes\":"
                                   "{\"tables\":1,\"operations\":2,\"schemas\":3}}",
     1, BB_ERR_INVALID, "projects/demo/project.json: $input.summary"},
    {"projects/demo/project.json", "{\"name\":\"demo\",\"version\":\"1\",\"summary\":\"s\",\"sizes\":"
                                   "{\"tables\":1,\"operations\":2,\"schemas\":3},\"owner\":\"x\"}",
     1, BB_ERR_INVALID, "projects/demo/project.json: $input.owner"},
    {"projects/demo/project.json", "{\"name\":", 1, BB_ERR_INVALID, "projects/demo/project.json: $input"},
    {"projects/Demo/project.json", GOOD_META, 1, BB_ERR_INVALID, "projects/Demo/project.json: $input"},
    {"projects/demo/sub/project.json", GOOD_META, 1, BB_ERR_NOT_FOUND, NULL},
    {"elsewhere/demo/project.json", GOOD_META, 1, BB_ERR_NOT_FOUND, NULL},
};

static void test_project_sets(void **state)
{
    size_t i, k;

    (void)state;
    for (i = 0; i < sizeof set_cases / sizeof set_cases[0]; i++) {
        const set_case *c = &set_cases[i];
        bb_embedded_file f[5] = {
            {c->meta_path, (const unsigned char *)c->meta, strlen(c->meta)},
            {"projects/demo/requirements.md", (const unsigned char *)"# Demo\n", 7},
            {"projects/demo/gold/db.json", (const unsigned char *)"{}", 2},
            {"projects/demo/gold/api.json", (const unsigned char *)"{}", 2},
            {"projects/demo/checklist.json", (const unsigned char *)"{}", 2},
        };
        const bb_embedded_file *files[5];
        schema_errors errs;
        bench_projects *ps = NULL;
        bb_result rc;
        int found = c->err_path == NULL;

        for (k = 0; k < 5; k++)
            files[k] = c->with_files || k == 0 ? &f[k] : NULL;
        schema_errors_init(&errs, 0);
        rc = bench_projects_from_files(files, 5, &ps, &errs);
        for (k = 0; k < errs.n && !found; k++)
            found = strcmp(errs.items[k].path, c->err_path) == 0;
        if (rc != c->want || !found) {
            print_message("set case %zu: rc %s\n", i, bb_result_name(rc));
            for (k = 0; k < errs.n; k++)
                print_message("  %s\n", errs.items[k].path);
            fail();
        }
        if (rc == BB_OK) {
            const bench_project *p = bench_projects_find(ps, "demo");

            assert_non_null(p);
            assert_string_equal(p->version, "1.0.0");
            assert_int_equal(p->tables, 1);
            assert_int_equal(p->operations, 2);
            assert_int_equal(p->schemas, 3);
            assert_string_equal(p->requirements.data, "# Demo\n");
        } else {
            assert_null(ps);
        }
        bench_projects_free(ps);
        schema_errors_free(&errs);
    }
}

static void test_out_of_memory(void **state)
{
    long k;
    int ok = 0;

    (void)state;
    for (k = 0; k < 100000 && !ok; k++) {
        bench_projects *ps = NULL;
        bb_result rc;

        bb_alloc_fail_after(k);
        rc = bench_projects_list(&ps, NULL);
        bb_alloc_fail_after(-1);
        assert_true(rc == BB_OK || rc == BB_ERR_NOMEM);
        ok = rc == BB_OK;
        bench_projects_free(ps);
    }
    assert_true(ok);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_name_pattern),
        cmocka_unit_test(test_embedded_projects_sizes_match_gold),
        cmocka_unit_test(test_project_sets),
        cmocka_unit_test(test_out_of_memory),
    };

    bb_json_init();
    return cmocka_run_group_tests(tests, NULL, NULL);
}
