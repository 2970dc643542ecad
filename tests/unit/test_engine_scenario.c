/*
 * test_engine_scenario.c — scripted scenarios against the engine: each gold
 * implementation (todo, bbs) passes its project's story
 * (tests/data/impl/scenarios/<project>_story.json), and every mutant of it
 * (<project>_mutants.json: one gold operation replaced by a plausible model
 * mistake) fails at least one step: the primitive the impl phase's acceptance
 * scoring is built on. Malformed scenarios are refused.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ast/ast_impl.h"
#include "engine/engine.h"
#include "engine/engine_project.h"
#include "engine/engine_scenario.h"
#include "json/json_util.h"

static json_t *file_json(const char *rel)
{
    const char *root = getenv("BB_ROOT");
    char path[1024];
    json_error_t je;
    json_t *doc;

    snprintf(path, sizeof path, "%s/%s", root && *root ? root : ".", rel);
    doc = json_load_file(path, 0, &je);
    if (!doc)
        fail_msg("%s:%d: %s", path, je.line, je.text);
    return doc;
}

static const char *const projects[] = {"todo", "bbs"};

static void gold_story(const char *project)
{
    char rel[256];
    json_t *sc;
    eng_project *p = NULL;
    eng_scenario_result r;

    snprintf(rel, sizeof rel, "tests/data/impl/scenarios/%s_story.json", project);
    sc = file_json(rel);
    assert_int_equal(eng_project_open(project, NULL, NULL, &p, NULL, NULL), BB_OK);
    eng_scenario_result_init(&r);
    assert_int_equal(eng_scenario_run(p->engine, sc, &r), BB_OK);
    if (r.passed != r.steps)
        fail_msg("%zu/%zu steps:\n%s", r.passed, r.steps, bb_buf_str(&r.log));
    print_message("# %s gold: %zu/%zu steps\n", project, r.passed, r.steps);
    assert_true(r.steps >= 35);
    assert_int_equal(r.engine_errors, 0);
    eng_scenario_result_free(&r);
    eng_project_close(p);
    json_decref(sc);
}

static void test_gold_story(void **state)
{
    size_t i;

    (void)state;
    bb_json_init();
    for (i = 0; i < sizeof projects / sizeof *projects; i++)
        gold_story(projects[i]);
}

static void mutants_fail(const char *project)
{
    char rel[256];
    json_t *sc, *mutants;
    size_t i;

    snprintf(rel, sizeof rel, "tests/data/impl/scenarios/%s_story.json", project);
    sc = file_json(rel);
    snprintf(rel, sizeof rel, "tests/data/impl/scenarios/%s_mutants.json", project);
    mutants = file_json(rel);
    assert_true(json_array_size(mutants) >= 6);
    for (i = 0; i < json_array_size(mutants); i++) {
        const json_t *m = json_array_get(mutants, i);
        eng_project *p = NULL;
        ast_impl_op *op = NULL;
        schema_errors errs;
        eng_scenario_result r;
        const char *first;

        schema_errors_init(&errs, SCHEMA_ERRORS_MAX_DEFAULT);
        assert_int_equal(eng_project_open(project, NULL, NULL, &p, NULL, NULL), BB_OK);
        assert_int_equal(ast_impl_load(json_object_get(m, "impl"), "$input", &op, &errs), BB_OK);
        assert_int_equal(eng_set_impl(p->engine, op), BB_OK);
        eng_scenario_result_init(&r);
        assert_int_equal(eng_scenario_run(p->engine, sc, &r), BB_OK);
        first = strchr(bb_buf_str(&r.log), '\n');
        print_message("# %s mutant \"%s\": %zu/%zu steps; first failure: %.*s\n", project,
                      json_string_value(json_object_get(m, "name")), r.passed, r.steps,
                      first ? (int)(first - bb_buf_str(&r.log)) : 0, bb_buf_str(&r.log));
        assert_true(r.passed < r.steps);
        eng_scenario_result_free(&r);
        eng_project_close(p);
        ast_impl_free(op);
        schema_errors_free(&errs);
    }
    json_decref(mutants);
    json_decref(sc);
}

static void test_mutants_fail(void **state)
{
    size_t i;

    (void)state;
    bb_json_init();
    for (i = 0; i < sizeof projects / sizeof *projects; i++)
        mutants_fail(projects[i]);
}

static void test_malformed(void **state)
{
    static const char *const bad[] = {
        "{}",
        "{\"steps\": [{\"request\": {\"method\": \"GET\"}, \"expect\": {\"status\": 200}}]}",
        "{\"steps\": [{\"request\": {\"method\": \"GET\", \"path\": \"x\"}, \"expect\": {\"status\": 200}}]}",
        "{\"steps\": [{\"request\": {\"method\": \"GET\", \"path\": \"/x\"}, \"expect\": {}}]}",
        "{\"steps\": [{\"request\": {\"method\": \"GET\", \"path\": \"/x\"}, \"expect\": {\"status\": 200}, \"capture\": 3}]}",
    };
    eng_project *p = NULL;
    size_t i;

    (void)state;
    bb_json_init();
    assert_int_equal(eng_project_open("todo", NULL, NULL, &p, NULL, NULL), BB_OK);
    for (i = 0; i < sizeof bad / sizeof *bad; i++) {
        json_t *sc = json_loads(bad[i], 0, NULL);
        eng_scenario_result r;

        eng_scenario_result_init(&r);
        assert_int_equal(eng_scenario_run(p->engine, sc, &r), BB_ERR_INVALID);
        assert_int_equal(r.steps, 0);
        assert_true(r.log.len > 0);
        eng_scenario_result_free(&r);
        json_decref(sc);
    }
    eng_project_close(p);
}

/* A missing capture fails its step and the ones that need it, not the run. */
static void test_missing_capture(void **state)
{
    const char *text =
        "{\"steps\": ["
        "{\"name\": \"no such route\", \"request\": {\"method\": \"GET\", \"path\": \"/nope\"}, \"expect\": {\"status\": 404},"
        " \"capture\": {\"x\": \"id\"}},"
        "{\"name\": \"needs x\", \"request\": {\"method\": \"GET\", \"path\": \"/user/lists/${x}\"}, \"expect\": {\"status\": 401}},"
        "{\"name\": \"public\", \"request\": {\"method\": \"POST\", \"path\": \"/auth/user/login\", \"body\": "
        "{\"email\": \"n@o.io\", \"password\": \"12345678\"}}, \"expect\": {\"status\": 401, \"body\": {\"status\": 401}}}]}";
    json_t *sc = json_loads(text, 0, NULL);
    eng_project *p = NULL;
    eng_scenario_result r;

    (void)state;
    bb_json_init();
    assert_non_null(sc);
    assert_int_equal(eng_project_open("todo", NULL, NULL, &p, NULL, NULL), BB_OK);
    eng_scenario_result_init(&r);
    assert_int_equal(eng_scenario_run(p->engine, sc, &r), BB_OK);
    assert_int_equal(r.steps, 3);
    assert_int_equal(r.passed, 1);
    assert_non_null(strstr(bb_buf_str(&r.log), "step 1 (no such route): nothing to capture at id"));
    assert_non_null(strstr(bb_buf_str(&r.log), "step 2 (needs x): a capture it needs is missing"));
    eng_scenario_result_free(&r);
    eng_project_close(p);
    json_decref(sc);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_gold_story),
        cmocka_unit_test(test_mutants_fail),
        cmocka_unit_test(test_malformed),
        cmocka_unit_test(test_missing_capture),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
