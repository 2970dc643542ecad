/*
 * test_run_task.c — task building (bench/task.h): ids, prompts, tools, hooks,
 * the prompt template filler (cases as data), per-trial seeds, and refusals
 * (unknown project or phase, chained mode).
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>

#include "bench/task.h"
#include "json/json_util.h"
#include "util/file.h"

static bench_projects *projects;

static int setup(void **state)
{
    schema_errors errs;
    bb_result rc;

    (void)state;
    bb_json_init();
    schema_errors_init(&errs, 8);
    rc = bench_projects_list(&projects, &errs);
    schema_errors_free(&errs);
    return rc == BB_OK ? 0 : -1;
}

static int teardown(void **state)
{
    (void)state;
    bench_projects_free(projects);
    return 0;
}

/* Every project gets a db and an api task with a stable id, in order. */
static void test_ids_and_order(void **state)
{
    bench_tasks *ts = NULL;
    size_t i;
    char want[BENCH_TASK_ID_MAX];

    (void)state;
    assert_int_equal(bench_tasks_build(projects, NULL, NULL, BENCH_MODE_ISOLATED, &ts, NULL), BB_OK);
    assert_int_equal(ts->n, projects->n * 2);
    for (i = 0; i < ts->n; i++) {
        const bench_task *t = &ts->items[i];

        snprintf(want, sizeof want, "%s/%s", projects->items[i / 2].name, i % 2 ? "api" : "db");
        assert_string_equal(t->id, want);
        assert_string_equal(t->harness.id, want);
        assert_int_equal(t->phase, i % 2 ? BENCH_PHASE_API : BENCH_PHASE_DB);
    }
    bench_tasks_free(ts);
    /* a chosen order is kept */
    assert_int_equal(bench_tasks_build(projects, "todo,bbs", "api,db", BENCH_MODE_ISOLATED, &ts, NULL), BB_OK);
    assert_int_equal(ts->n, 4);
    assert_string_equal(ts->items[0].id, "todo/api");
    assert_string_equal(ts->items[1].id, "todo/db");
    assert_string_equal(ts->items[2].id, "bbs/api");
    assert_string_equal(ts->items[3].id, "bbs/db");
    bench_tasks_free(ts);
}

/* Prompts carry the requirements (and for api the gold DB as Prisma); the
 * tool is the phase's function with the embedded schema; the hook is set. */
static void test_prompts_and_tools(void **state)
{
    bench_tasks *ts = NULL;
    size_t i;

    (void)state;
    assert_int_equal(bench_tasks_build(projects, NULL, NULL, BENCH_MODE_ISOLATED, &ts, NULL), BB_OK);
    for (i = 0; i < ts->n; i++) {
        const bench_task *t = &ts->items[i];
        const bb_embedded_file *sf = bb_embed_find(bench_phase_schema_path(t->phase));

        assert_non_null(strstr(t->user_prompt, t->project->requirements.data));
        assert_null(strstr(t->user_prompt, "{{"));
        assert_non_null(strstr(t->user_prompt, bench_phase_tool_name(t->phase)));
        assert_non_null(t->system_prompt);
        assert_true(strlen(t->system_prompt) > 50);
        assert_non_null(sf);
        assert_ptr_equal(t->harness.tool_schema_json, (const char *)sf->data);
        assert_string_equal(t->harness.tool_name, bench_phase_tool_name(t->phase));
        assert_ptr_equal(t->harness.schema, ts->schemas[t->phase]);
        assert_ptr_equal(t->harness.hook.check, bench_phase_semantic);
        assert_ptr_equal(t->harness.hook.ctx, &t->checker);
        if (t->phase == BENCH_PHASE_API) {
            assert_non_null(t->gold_db);
            assert_ptr_equal(t->checker.db, t->gold_db);
            assert_non_null(strstr(t->user_prompt, "```prisma"));
            /* the first gold table appears as a Prisma model */
            {
                char model[300];

                snprintf(model, sizeof model, "model %s {", t->gold_db->models[0]->name);
                assert_non_null(strstr(t->user_prompt, model));
            }
            assert_ptr_equal(t->answer, t->project->gold_api.data);
        } else {
            assert_null(t->gold_db);
            assert_null(strstr(t->user_prompt, "```prisma"));
            assert_ptr_equal(t->answer, t->project->gold_db.data);
        }
    }
    bench_tasks_free(ts);
}

static void test_refusals(void **state)
{
    bench_tasks *ts = NULL;
    bb_buf bad;

    (void)state;
    bb_buf_init(&bad, 256);
    assert_int_equal(bench_tasks_build(projects, "todo,nosuch", NULL, BENCH_MODE_ISOLATED, &ts, &bad),
                     BB_ERR_NOT_FOUND);
    assert_null(ts);
    assert_string_equal(bb_buf_str(&bad), "nosuch");
    bb_buf_reset(&bad);
    /* impl tasks only for the operations some acceptance test is about (all of them once a suite is complete) */
    assert_int_equal(bench_tasks_build(projects, "shopping", "impl", BENCH_MODE_ISOLATED, &ts, &bad), BB_OK);
    assert_true(ts->n > 0 && ts->n <= 106);
    bench_tasks_free(ts);
    ts = NULL;
    bb_buf_reset(&bad);
    assert_int_equal(bench_tasks_build(projects, NULL, "db,frob", BENCH_MODE_ISOLATED, &ts, &bad), BB_ERR_USAGE);
    assert_string_equal(bb_buf_str(&bad), "frob");
    assert_int_equal(bench_tasks_build(projects, NULL, "db,db", BENCH_MODE_ISOLATED, &ts, NULL), BB_ERR_USAGE);
    assert_int_equal(bench_tasks_build(projects, "todo,todo", NULL, BENCH_MODE_ISOLATED, &ts, NULL), BB_ERR_USAGE);
    assert_int_equal(bench_tasks_build(projects, NULL, NULL, BENCH_MODE_CHAINED, &ts, NULL), BB_ERR_USAGE);
    assert_int_equal(bench_tasks_build(projects, ",", NULL, BENCH_MODE_ISOLATED, &ts, NULL), BB_ERR_USAGE);
    assert_null(ts);
    assert_int_equal(bench_run_mode_parse("isolated"), BENCH_MODE_ISOLATED);
    assert_int_equal(bench_run_mode_parse("chained"), BENCH_MODE_CHAINED);
    assert_int_equal(bench_run_mode_parse("Isolated"), -1);
    bb_buf_free(&bad);
}

/* bench_prompt_fill: template, expected result (NULL: the error). */
static const struct {
    const char *tmpl;
    const char *want;
    bb_result rc;
} fill_cases[] = {
    {"plain text", "plain text", BB_OK},
    {"", "", BB_OK},
    {"{{a}}", "A", BB_OK},
    {"x {{a}} y {{bb}} z {{a}}", "x A y BEE z A", BB_OK},
    {"{{empty}}|", "|", BB_OK},
    {"{ {a} } {a}", "{ {a} } {a}", BB_OK},
    {"{{nope}}", NULL, BB_ERR_INVALID},
    {"{{a", NULL, BB_ERR_INVALID},
    {"{{}}", NULL, BB_ERR_INVALID},
    {"{{aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa}}", NULL, BB_ERR_INVALID},
};

static void test_prompt_fill(void **state)
{
    const char *names[] = {"a", "bb", "empty"};
    const char *values[] = {"A", "BEE", ""};
    size_t i;

    (void)state;
    for (i = 0; i < sizeof fill_cases / sizeof fill_cases[0]; i++) {
        bb_buf out;
        bb_result rc;

        bb_buf_init(&out, 1024);
        rc = bench_prompt_fill(fill_cases[i].tmpl, names, values, 3, &out);
        if (rc != fill_cases[i].rc)
            fail_msg("case %zu (%s): %s, wanted %s", i, fill_cases[i].tmpl, bb_result_name(rc),
                     bb_result_name(fill_cases[i].rc));
        if (fill_cases[i].want)
            assert_string_equal(bb_buf_str(&out), fill_cases[i].want);
        bb_buf_free(&out);
    }
    {
        bb_buf small;

        bb_buf_init(&small, 4);
        assert_int_equal(bench_prompt_fill("{{bb}}{{bb}}", names, values, 3, &small), BB_ERR_LIMIT);
        bb_buf_free(&small);
    }
}

/* Seeds: the same for the same (task, trial), distinct across trials and
 * tasks, non-negative 31-bit (servers take int32 seeds). */
static void test_seeds(void **state)
{
    long long a1 = bench_task_seed("todo/db", 1), a2 = bench_task_seed("todo/db", 2);
    long long b1 = bench_task_seed("todo/api", 1);
    int t;

    (void)state;
    assert_true(a1 != a2);
    assert_true(a1 != b1);
    assert_true(a1 == bench_task_seed("todo/db", 1));
    for (t = 1; t <= 200; t++) {
        long long s = bench_task_seed("shopping/api", t);

        assert_true(s >= 0 && s <= 0x7fffffffLL);
        assert_true(s != bench_task_seed("shopping/api", t + 1));
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_ids_and_order),
        cmocka_unit_test(test_prompts_and_tools),
        cmocka_unit_test(test_refusals),
        cmocka_unit_test(test_prompt_fill),
        cmocka_unit_test(test_seeds),
    };

    return cmocka_run_group_tests(tests, setup, teardown);
}
