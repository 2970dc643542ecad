/*
 * test_harness.c — the function-calling loop end to end over real loopback
 * sockets: the libcurl client against the built-in simulator, the DB phase's
 * schema and semantic checks, every profile, streamed and not, fallbacks, the
 * harness modes, and one multi-round transcript checked message by message.
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

#include "bench/phase.h"
#include "harness/harness_loop.h"
#include "json/json_util.h"
#include "sim/sim_server.h"
#include "util/alloc.h"
#include "util/file.h"

#define TASKS 24

typedef struct fixture {
    sim_server *sim;
    char base[64];
    schema *db_schema;
    const char *answer;
    char *tool_schema;
    bench_phase_checker checker;
    char ids[TASKS][32];
    harness_task tasks[TASKS];
    harness_result *results[TASKS];
} fixture;

static fixture fx;

static int setup(void **state)
{
    sim_params sp = sim_default_params();
    const bb_embedded_file *f = bb_embed_find("projects/todo/gold/db.json");
    const bb_embedded_file *sf = bb_embed_find("schemas/db.schema.json");
    json_error_t e;
    json_t *ans;
    int i;

    (void)state;
    bb_json_init();
    if (!f || !sf)
        return -1;
    ans = json_loadb((const char *)f->data, f->len, 0, &e);
    fx.answer = json_dumps(ans, JSON_COMPACT);
    json_decref(ans);
    fx.tool_schema = (char *)sf->data;
    sp.stall_ms = 1500;
    if (sim_server_start(&sp, &fx.sim) != BB_OK)
        return -1;
    snprintf(fx.base, sizeof fx.base, "http://127.0.0.1:%d", sim_server_port(fx.sim));
    if (bench_phase_schema(BENCH_PHASE_DB, &fx.db_schema) != BB_OK)
        return -1;
    fx.checker.kind = BENCH_PHASE_DB;
    for (i = 0; i < TASKS; i++) {
        snprintf(fx.ids[i], sizeof fx.ids[i], "todo/db/%d", i);
        if (sim_server_answer(fx.sim, fx.ids[i], fx.answer) != BB_OK)
            return -1;
    }
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    sim_server_stop(fx.sim);
    schema_free(fx.db_schema);
    free((void *)fx.answer);
    return 0;
}

static void on_done(void *user, harness_result *r)
{
    *(harness_result **)user = r;
}

typedef struct tally {
    int n[HARNESS_OUTCOME_COUNT_];
    int rounds;
    int exact; /* accepted == answer */
} tally;

/* Runs TASKS conversations of one simulated model at once. */
static tally run_all(const char *model, const harness_params *hp, int concurrency)
{
    llm_client_params cp = llm_client_default_params();
    llm_client *client = NULL;
    tally t;
    int ep, i;

    memset(&t, 0, sizeof t);
    cp.max_concurrent = concurrency;
    cp.max_concurrent_per_endpoint = concurrency;
    cp.backoff_base_ms = 20;
    cp.stall_timeout_ms = 500;
    cp.rng_seed = 7;
    assert_int_equal(llm_client_new(&cp, &client), BB_OK);
    assert_int_equal(llm_client_add_endpoint(client, fx.base, NULL, 0, &ep), BB_OK);
    for (i = 0; i < TASKS; i++) {
        harness_task *tk = &fx.tasks[i];

        memset(tk, 0, sizeof *tk);
        tk->id = fx.ids[i];
        tk->model = model;
        tk->system_prompt = "You design databases. Answer only by calling the function.";
        tk->user_prompt = "Design the database of a todo application.";
        tk->tool_name = bench_phase_tool_name(BENCH_PHASE_DB);
        tk->tool_schema_json = fx.tool_schema;
        tk->schema = fx.db_schema;
        tk->hook.check = bench_phase_semantic;
        tk->hook.ctx = &fx.checker;
        fx.results[i] = NULL;
        assert_int_equal(harness_start(client, ep, tk, hp, on_done, &fx.results[i]), BB_OK);
    }
    assert_int_equal(llm_client_run(client, -1), BB_OK);
    for (i = 0; i < TASKS; i++) {
        harness_result *r = fx.results[i];

        assert_non_null(r);
        t.n[r->outcome]++;
        t.rounds += r->rounds_used;
        if (r->accepted) {
            json_error_t e;
            json_t *a = json_loads(r->accepted, 0, &e), *b = json_loads(fx.answer, 0, &e);

            t.exact += json_equal(a, b);
            json_decref(a);
            json_decref(b);
        }
    }
    llm_client_free(client);
    print_message("%-28s first %2d repaired %2d feedback %2d | invalid %2d no_call %2d infra %2d | rounds %.2f exact %d\n",
                  model, t.n[HARNESS_FIRST_TRY_VALID], t.n[HARNESS_REPAIRED_VALID], t.n[HARNESS_FEEDBACK_VALID],
                  t.n[HARNESS_FAILED_INVALID], t.n[HARNESS_FAILED_NO_CALL], t.n[HARNESS_FAILED_INFRA],
                  t.rounds / (double)TASKS, t.exact);
    return t;
}

static void free_results(void)
{
    int i;

    for (i = 0; i < TASKS; i++) {
        harness_result_destroy(fx.results[i]);
        fx.results[i] = NULL;
    }
}

static void test_perfect(void **state)
{
    harness_params hp = harness_default_params();
    tally t;

    (void)state;
    t = run_all("sim-perfect", &hp, 8);
    assert_int_equal(t.n[HARNESS_FIRST_TRY_VALID], TASKS);
    assert_int_equal(t.exact, TASKS);
    assert_int_equal(t.rounds, TASKS);
    assert_true(fx.results[0]->prompt_tokens > 1000);
    free_results();
    hp.stream = 1;
    t = run_all("sim-perfect", &hp, 8);
    assert_int_equal(t.n[HARNESS_FIRST_TRY_VALID], TASKS);
    assert_int_equal(t.exact, TASKS);
    free_results();
}

static void test_sloppy_rescued_by_repair(void **state)
{
    harness_params hp = harness_default_params();
    tally t;

    (void)state;
    t = run_all("sim-sloppy", &hp, 8);
    assert_true(t.n[HARNESS_FIRST_TRY_VALID] < TASKS / 2);
    assert_int_equal(t.n[HARNESS_FIRST_TRY_VALID] + t.n[HARNESS_REPAIRED_VALID], TASKS);
    assert_int_equal(t.exact, TASKS); /* repair gives back exactly the right content */
    free_results();
    hp.stream = 1;
    t = run_all("sim-sloppy", &hp, 8);
    assert_int_equal(t.n[HARNESS_FIRST_TRY_VALID] + t.n[HARNESS_REPAIRED_VALID], TASKS);
    assert_int_equal(t.exact, TASKS);
    free_results();
    /* without repair the same answers mostly fail */
    hp.stream = 0;
    hp.mode = HARNESS_MODE_RAW;
    t = run_all("sim-sloppy", &hp, 8);
    assert_int_equal(t.n[HARNESS_REPAIRED_VALID], 0);
    assert_true(t.n[HARNESS_FAILED_INVALID] + t.n[HARNESS_FAILED_NO_CALL] > TASKS / 2);
    free_results();
}

static void test_weak_needs_feedback(void **state)
{
    harness_params hp = harness_default_params();
    tally t;

    (void)state;
    t = run_all("sim-weak", &hp, 8);
    assert_true(t.rounds > TASKS);
    assert_true(t.n[HARNESS_FEEDBACK_VALID] > TASKS / 2);
    assert_int_equal(t.n[HARNESS_FIRST_TRY_VALID] + t.n[HARNESS_REPAIRED_VALID] + t.n[HARNESS_FEEDBACK_VALID] +
                         t.n[HARNESS_FAILED_INVALID],
                     TASKS);
    free_results();
    /* repair mode: one round, no feedback: the mistakes stay */
    hp.mode = HARNESS_MODE_REPAIR;
    t = run_all("sim-weak", &hp, 8);
    assert_int_equal(t.n[HARNESS_FEEDBACK_VALID], 0);
    assert_true(t.n[HARNESS_FAILED_INVALID] > TASKS / 2);
    free_results();
}

static void test_broken_never_valid(void **state)
{
    harness_params hp = harness_default_params();
    tally t;

    (void)state;
    hp.max_rounds = 4;
    t = run_all("sim-broken", &hp, 8);
    assert_int_equal(t.n[HARNESS_FAILED_INVALID] + t.n[HARNESS_FAILED_NO_CALL], TASKS);
    assert_int_equal(t.rounds, 4 * TASKS);
    assert_true(fx.results[0]->rounds[0].nudged);
    free_results();
}

static void test_faulty_infra_not_charged(void **state)
{
    harness_params hp = harness_default_params();
    tally t;

    (void)state;
    t = run_all("sim-faulty", &hp, 8);
    assert_int_equal(t.n[HARNESS_FAILED_INVALID] + t.n[HARNESS_FAILED_NO_CALL], 0);
    assert_int_equal(t.n[HARNESS_FIRST_TRY_VALID] + t.n[HARNESS_FAILED_INFRA], TASKS);
    assert_true(t.n[HARNESS_FIRST_TRY_VALID] >= TASKS - 2);
    free_results();
}

static void test_fallbacks(void **state)
{
    harness_params hp = harness_default_params();
    tally t;
    int i;

    (void)state;
    t = run_all("sim-perfect+no-required", &hp, 4);
    assert_int_equal(t.n[HARNESS_FIRST_TRY_VALID], TASKS);
    for (i = 0; i < TASKS; i++) {
        assert_true(fx.results[i]->fell_back_auto);
        assert_string_equal(fx.results[i]->rounds[0].verdict, "rejected");
        assert_int_equal(fx.results[i]->rounds_used, 1);
    }
    free_results();
    t = run_all("sim-weak+no-tool-role", &hp, 4);
    assert_int_equal(t.n[HARNESS_FAILED_INFRA], 0);
    assert_true(t.n[HARNESS_FEEDBACK_VALID] > 0);
    for (i = 0; i < TASKS; i++) {
        if (fx.results[i]->rounds_used > 1)
            assert_true(fx.results[i]->fell_back_user);
    }
    free_results();
}

/* One weak conversation, message by message. */
static void test_transcript(void **state)
{
    harness_params hp = harness_default_params();
    json_error_t e;
    json_t *req, *msgs, *m;
    harness_result *r = NULL;
    int i, found = -1;
    size_t k, n;

    (void)state;
    run_all("sim-weak", &hp, 8);
    for (i = 0; i < TASKS; i++) {
        if (fx.results[i]->outcome == HARNESS_FEEDBACK_VALID && fx.results[i]->rounds_used >= 2) {
            found = i;
            break;
        }
    }
    assert_true(found >= 0);
    r = fx.results[found];
    req = json_loads(r->last_request, 0, &e);
    assert_non_null(req);
    assert_string_equal(json_string_value(json_object_get(req, "model")), "sim-weak");
    assert_string_equal(json_string_value(json_object_get(req, "tool_choice")), "required");
    assert_string_equal(json_string_value(json_object_get(json_object_get(json_array_get(
                            json_object_get(req, "tools"), 0), "function"), "name")),
                        "design_database");
    msgs = json_object_get(req, "messages");
    n = json_array_size(msgs);
    /* system, user, then (assistant with a call, tool with feedback) per failed round */
    assert_int_equal(n, 2 + 2 * (size_t)(r->rounds_used - 1));
    assert_string_equal(json_string_value(json_object_get(json_array_get(msgs, 0), "role")), "system");
    assert_string_equal(json_string_value(json_object_get(json_array_get(msgs, 1), "role")), "user");
    for (k = 2; k < n; k += 2) {
        json_t *a = json_array_get(msgs, k), *tm = json_array_get(msgs, k + 1), *call;
        const char *fb;

        assert_string_equal(json_string_value(json_object_get(a, "role")), "assistant");
        call = json_array_get(json_object_get(a, "tool_calls"), 0);
        assert_non_null(call);
        assert_string_equal(json_string_value(json_object_get(json_object_get(call, "function"), "name")),
                            "design_database");
        assert_string_equal(json_string_value(json_object_get(tm, "role")), "tool");
        assert_string_equal(json_string_value(json_object_get(tm, "tool_call_id")),
                            json_string_value(json_object_get(call, "id")));
        fb = json_string_value(json_object_get(tm, "content"));
        assert_non_null(strstr(fb, "// ❌"));
        assert_non_null(strstr(fb, "$input."));
        if (k > 2)
            assert_non_null(strstr(fb, "earlier attempts"));
    }
    m = json_array_get(msgs, 1);
    assert_non_null(strstr(json_string_value(json_object_get(m, "content")), "todo"));
    /* per-round records */
    assert_int_equal(r->n_rounds, (size_t)r->rounds_used);
    for (k = 0; k + 1 < r->n_rounds; k++) {
        assert_string_equal(r->rounds[k].verdict, "invalid");
        assert_true(r->rounds[k].n_errors > 0);
        assert_non_null(strstr(r->rounds[k].errors, "\"path\""));
    }
    assert_string_equal(r->rounds[r->n_rounds - 1].verdict, "valid");
    json_decref(req);
    free_results();
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_perfect),
        cmocka_unit_test(test_sloppy_rescued_by_repair),
        cmocka_unit_test(test_weak_needs_feedback),
        cmocka_unit_test(test_broken_never_valid),
        cmocka_unit_test(test_faulty_infra_not_charged),
        cmocka_unit_test(test_fallbacks),
        cmocka_unit_test(test_transcript),
    };
    return cmocka_run_group_tests_name("harness", tests, setup, teardown);
}
