/*
 * test_checklist.c — loading checklist.json (bench/checklist.h).
 *
 * tests/data/score/checklist_errors.json is a corpus of broken checklists,
 * each with the exact set of located errors ([path, kind]) it must give.
 * Further: every embedded project's checklist loads with its gold sizes;
 * aliases are normalised (actor segments dropped from paths, auth kinds from
 * ids); unknown or malformed project names are not found; allocation
 * failures while loading are reported, never crash or leak.
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

#include "bench/checklist.h"
#include "json/json_util.h"
#include "util/alloc.h"

static void test_error_corpus(void **state)
{
    char path[1024];
    const char *root = getenv("BB_ROOT");
    json_error_t je;
    json_t *cases, *c;
    size_t i, k, j;

    (void)state;
    snprintf(path, sizeof path, "%s/tests/data/score/checklist_errors.json", root && *root ? root : ".");
    cases = json_load_file(path, 0, &je);
    assert_non_null(cases);
    json_array_foreach(cases, i, c) {
        json_t *want = json_object_get(c, "errors");
        bench_checklist *cl = NULL;
        schema_errors errs;
        bb_result rc;

        schema_errors_init(&errs, 100);
        rc = bench_checklist_load(json_object_get(c, "doc"), "x", &cl, &errs);
        assert_int_equal(rc, BB_ERR_INVALID);
        assert_null(cl);
        for (k = 0; k < json_array_size(want); k++) {
            const char *wp = json_string_value(json_array_get(json_array_get(want, k), 0));
            const char *wk = json_string_value(json_array_get(json_array_get(want, k), 1));
            int found = 0;

            for (j = 0; j < errs.n; j++)
                if (strcmp(errs.items[j].path, wp) == 0 && strcmp(schema_error_kind_name(errs.items[j].kind), wk) == 0)
                    found = 1;
            if (!found) {
                for (j = 0; j < errs.n; j++)
                    print_message("#   got %s %s\n", errs.items[j].path, schema_error_kind_name(errs.items[j].kind));
                fail_msg("%s: missing error %s %s", json_string_value(json_object_get(c, "name")), wp, wk);
            }
        }
        if (errs.n != json_array_size(want)) {
            for (j = 0; j < errs.n; j++)
                print_message("#   got %s %s\n", errs.items[j].path, schema_error_kind_name(errs.items[j].kind));
            fail_msg("%s: %zu errors, expected %zu", json_string_value(json_object_get(c, "name")), errs.n,
                     json_array_size(want));
        }
        schema_errors_free(&errs);
    }
    json_decref(cases);
}

static void test_projects_load(void **state)
{
    static const char *const names[] = {"todo", "bbs", "reddit", "shopping"};
    size_t i;

    (void)state;
    for (i = 0; i < 4; i++) {
        bench_checklist *cl = NULL;
        schema_errors errs;

        schema_errors_init(&errs, 20);
        assert_int_equal(bench_checklist_load_project(names[i], &cl, &errs), BB_OK);
        assert_true(cl->n_entities > 0 && cl->n_endpoints > 0 && cl->n_actors > 0 && cl->n_relations > 0);
        assert_true(cl->gold_tables > 0 && cl->gold_operations > 0 && cl->gold_schemas > 0);
        assert_string_equal(cl->project, names[i]);
        bench_checklist_free(cl);
        schema_errors_free(&errs);
    }
}

static void test_normalised(void **state)
{
    bench_checklist *cl = NULL;
    schema_errors errs;
    size_t e, p;
    long join = -1, li = -1;

    (void)state;
    schema_errors_init(&errs, 20);
    assert_int_equal(bench_checklist_load_project("todo", &cl, &errs), BB_OK);
    for (e = 0; e < cl->n_endpoints; e++) {
        if (strcmp(cl->endpoints[e].id, "user.join") == 0)
            join = (long)e;
        if (strcmp(cl->endpoints[e].id, "list.index") == 0)
            li = (long)e;
    }
    assert_true(join >= 0 && li >= 0);
    assert_int_equal(cl->endpoints[join].auth, BENCH_CL_AUTH_JOIN);
    assert_int_equal(cl->endpoints[li].auth, BENCH_CL_AUTH_NONE);
    assert_int_equal(cl->endpoints[li].methods, BENCH_CL_PATCH | BENCH_CL_GET);
    for (p = 0; p < cl->endpoints[li].n_paths; p++)
        if (strcmp(cl->endpoints[li].path_texts[p], "/todo-lists") == 0)
            assert_string_equal(cl->endpoints[li].paths[p].text, "todolist");
    /* "/user/join": the actor segment is dropped; "/users" (alone) is kept */
    for (p = 0; p < cl->endpoints[join].n_paths; p++) {
        if (strcmp(cl->endpoints[join].path_texts[p], "/user/join") == 0)
            assert_string_equal(cl->endpoints[join].paths[p].text, "join");
        if (strcmp(cl->endpoints[join].path_texts[p], "/users") == 0)
            assert_string_equal(cl->endpoints[join].paths[p].text, "user");
    }
    assert_true(bench_cl_actor_match(cl, 0, "registeredUsers"));
    assert_true(bench_cl_actor_match(cl, 0, "todoMember"));
    assert_false(bench_cl_actor_match(cl, 0, "administrator"));
    assert_true(bench_cl_entity_find(cl, "item") >= 0);
    assert_int_equal(bench_cl_entity_find(cl, "nope"), -1);
    bench_checklist_free(cl);
    schema_errors_free(&errs);

    assert_int_equal(bench_checklist_load_project("nope", &cl, &errs), BB_ERR_NOT_FOUND);
    assert_int_equal(bench_checklist_load_project("../todo", &cl, &errs), BB_ERR_NOT_FOUND);
    assert_int_equal(bench_checklist_load_project("", &cl, &errs), BB_ERR_NOT_FOUND);
    assert_null(cl);
}

static void test_alloc_failures(void **state)
{
    long k;

    (void)state;
    for (k = 0;; k++) {
        bench_checklist *cl = NULL;
        schema_errors errs;
        bb_result rc;

        schema_errors_init(&errs, 20);
        bb_alloc_fail_after(k);
        rc = bench_checklist_load_project("bbs", &cl, &errs);
        bb_alloc_fail_after(-1);
        schema_errors_free(&errs);
        if (rc == BB_OK) {
            bench_checklist_free(cl);
            break;
        }
        assert_true(rc == BB_ERR_NOMEM || rc == BB_ERR_PARSE);
        assert_null(cl);
        assert_true(k < 1000000);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_error_corpus),
        cmocka_unit_test(test_projects_load),
        cmocka_unit_test(test_normalised),
        cmocka_unit_test(test_alloc_failures),
    };

    bb_json_init();
    return cmocka_run_group_tests(tests, NULL, NULL);
}
