/*
 * test_logic_tasks.c — the impl and test tasks and their unit scores: one
 * impl task per gold operation and one test task per scenario, only for
 * projects with acceptance tests; ids, what the prompts show (the
 * operation, its DTOs and tables; the scenario and the API, never its
 * reference tests), the hooks; and the scores of the answer keys (every
 * gold operation scores 100, every reference test passes on gold and kills
 * mutants), of no answer (0) and of an implementation of another endpoint
 * (0).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "bench/logic_unit.h"
#include "bench/task.h"
#include "json/json_util.h"
#include "schema/schema_error.h"
#include "util/alloc.h"
#include "util/file.h"

static bench_projects *projects;
static bench_tasks *tasks; /* todo, impl then test */

static int setup(void **state)
{
    schema_errors errs;
    bb_result rc;
    (void)state;
    bb_json_init();
    schema_errors_init(&errs, 8);
    rc = bench_projects_list(&projects, &errs);
    schema_errors_free(&errs);
    if (rc != BB_OK)
        return -1;
    return bench_tasks_build(projects, "todo", "impl,test", BENCH_MODE_ISOLATED, &tasks, NULL) == BB_OK ? 0
                                                                                                             : -1;
}

static int teardown(void **state)
{
    (void)state;
    bench_tasks_free(tasks);
    bench_projects_free(projects);
    return 0;
}

/* A test task shows the specification of its scenario's operations and of
 * no other operation (their summaries and DTOs stay). */
static void check_specifications(const bench_task *t)
{
    const bb_embedded_file *f = bb_embed_find("projects/todo/gold/api.json");
    json_t *api = f ? json_loadb((const char *)f->data, f->len, 0, NULL) : NULL, *o;
    size_t k, shown = 0, hidden = 0;
    assert_non_null(api);
    json_array_foreach (json_object_get(api, "operations"), k, o) {
        char key[512], *spec = json_dumps(json_object_get(o, "specification"), JSON_ENCODE_ANY);
        char *summary = json_dumps(json_object_get(o, "summary"), JSON_ENCODE_ANY);
        int mine;
        snprintf(key, sizeof key, "\"%s %s\"", json_string_value(json_object_get(o, "method")),
                 json_string_value(json_object_get(o, "path")));
        /* the scenario JSON in the prompt lists its operations as "method /path" strings */
        mine = strstr(t->user_prompt, key) != NULL;
        assert_non_null(spec);
        assert_non_null(summary);
        assert_non_null(strstr(t->user_prompt, summary));
        if (mine) {
            assert_non_null(strstr(t->user_prompt, spec));
            shown++;
        } else {
            assert_null(strstr(t->user_prompt, spec));
            hidden++;
        }
        bb_free(spec);
        bb_free(summary);
    }
    assert_true(shown > 0 && hidden > 0);
    json_decref(api);
}

static void test_ids_and_prompts(void **state)
{
    size_t i, n_impl = 0, n_test = 0;
    (void)state;
    for (i = 0; i < tasks->n; i++) {
        const bench_task *t = &tasks->items[i];
        char want[2 * BENCH_TASK_ID_MAX];

        assert_string_equal(t->project->name, "todo");
        snprintf(want, sizeof want, "todo/%s/%s", bench_phase_name(t->phase), t->key);
        assert_string_equal(t->id, want);
        assert_non_null(t->logic);
        assert_non_null(t->answer);
        assert_ptr_equal(t->harness.hook.check, bench_phase_semantic);
        assert_ptr_equal(t->harness.schema, tasks->schemas[t->phase]);
        assert_non_null(strstr(t->user_prompt, bench_phase_tool_name(t->phase)));
        assert_null(strstr(t->user_prompt, "{{"));
        if (t->phase == BENCH_PHASE_IMPL) {
            assert_int_equal(n_test, 0); /* phase-minor order: impl tasks first */
            n_impl++;
            assert_non_null(t->checker.db);
            assert_non_null(t->checker.api);
        } else {
            assert_int_equal(t->phase, BENCH_PHASE_TEST);
            n_test++;
            assert_non_null(t->checker.api);
            assert_null(strstr(t->user_prompt, "reference_tests"));
            check_specifications(t);
        }
    }
    for (i = 0; i < tasks->n; i++) /* sizes, for docs/tasks.md */
        print_message("%s: prompt %zu bytes\n", tasks->items[i].id, strlen(tasks->items[i].user_prompt));
    assert_int_equal(n_impl, 17);
    assert_int_equal(n_test, 8);
    /* the join operation: its specification, DTOs (followed through refs) and its one table */
    for (i = 0; i < tasks->n; i++) {
        const bench_task *t = &tasks->items[i];

        if (strcmp(t->id, "todo/impl/post /auth/user/join") != 0)
            continue;
        assert_non_null(strstr(t->user_prompt, "\"ITodoUser.IJoin\":{"));
        assert_non_null(strstr(t->user_prompt, "\"IAuthorizationToken\":{"));
        assert_non_null(strstr(t->user_prompt, "\"name\":\"todo_users\""));
        assert_null(strstr(t->user_prompt, "\"name\":\"todo_lists\""));
        break;
    }
    assert_true(i < tasks->n);
}

/* The unit score of a call's arguments given as JSON text (NULL: none). */
static double score_text(const bench_task *t, const char *text)
{
    json_t *doc = text ? json_loads(text, 0, NULL) : NULL;
    double s = bench_logic_unit_score(t, doc);
    json_decref(doc);
    return s;
}

static void test_answer_scores(void **state)
{
    size_t i;
    const bench_task *join = NULL;
    (void)state;
    for (i = 0; i < tasks->n; i++) {
        const bench_task *t = &tasks->items[i];
        double s = score_text(t, t->answer);

        if (t->phase == BENCH_PHASE_IMPL && strcmp(t->key, "post /auth/user/join") == 0)
            join = t;
        if (t->phase == BENCH_PHASE_IMPL && s != 100)
            fail_msg("%s: gold scores %.1f", t->id, s);
        if (t->phase == BENCH_PHASE_TEST && !(s > 0))
            fail_msg("%s: reference test scores %.1f", t->id, s);
        print_message("%s: %.1f\n", t->id, s);
        assert_true(score_text(t, NULL) == 0);
        assert_true(score_text(t, "{\"not\": \"an AST\"}") == 0);
    }
    assert_non_null(join);
    /* the gold join offered for another operation */
    for (i = 0; i < tasks->n; i++) {
        if (tasks->items[i].phase == BENCH_PHASE_IMPL && &tasks->items[i] != join) {
            assert_true(score_text(&tasks->items[i], join->answer) == 0);
            break;
        }
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_ids_and_prompts),
        cmocka_unit_test(test_answer_scores),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
