/*
 * test_run.c — bench_run against the built-in simulator over loopback: every
 * unit stored once with its rounds and artifact, resume skips finished
 * units, the token and dollar budgets stop cleanly (no unit starts after the
 * limit; units in flight finish and are stored), an interrupt flag stops
 * before anything starts, and the events add up.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <cmocka.h>

#include "bench/run.h"
#include "bench/task.h"
#include "json/json_util.h"
#include "sim/sim_server.h"
#include "store/store.h"

typedef struct fixture {
    sim_server *sim;
    char url[64];
    bench_projects *projects;
    bench_tasks *tasks; /* todo/db, todo/api */
    char dir[64];
    int n_store;
} fixture;

static fixture fx;

static int setup(void **state)
{
    sim_params sp = sim_default_params();
    schema_errors errs;
    size_t i;

    (void)state;
    bb_json_init();
    schema_errors_init(&errs, 8);
    if (bench_projects_list(&fx.projects, &errs) != BB_OK)
        return -1;
    schema_errors_free(&errs);
    if (bench_tasks_build(fx.projects, "todo", NULL, BENCH_MODE_ISOLATED, &fx.tasks, NULL) != BB_OK)
        return -1;
    if (sim_server_start(&sp, &fx.sim) != BB_OK)
        return -1;
    for (i = 0; i < fx.tasks->n; i++) {
        if (sim_server_answer(fx.sim, fx.tasks->items[i].id, fx.tasks->items[i].answer) != BB_OK)
            return -1;
    }
    snprintf(fx.url, sizeof fx.url, "http://127.0.0.1:%d/v1", sim_server_port(fx.sim));
    snprintf(fx.dir, sizeof fx.dir, "/tmp/bb_test_run_XXXXXX");
    if (!mkdtemp(fx.dir))
        return -1;
    return 0;
}

static int teardown(void **state)
{
    char cmd[128];

    (void)state;
    sim_server_stop(fx.sim);
    bench_tasks_free(fx.tasks);
    bench_projects_free(fx.projects);
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", fx.dir);
    return system(cmd) == 0 ? 0 : -1;
}

static store *open_store(const char *name)
{
    char path[160];
    store *s = NULL;

    snprintf(path, sizeof path, "%s/%s-%d.db", fx.dir, name, fx.n_store++);
    assert_int_equal(store_open(path, &s), BB_OK);
    return s;
}

static int count_row(void *ctx, int ncols, const char *const *cols)
{
    (void)ncols;
    *(long *)ctx = cols[0] ? strtol(cols[0], NULL, 10) : -1;
    return 0;
}

static long count(store *s, const char *sql)
{
    long n = -1;

    assert_int_equal(store_query(s, sql, count_row, &n), BB_OK);
    return n;
}

/* What the event callback saw. */
typedef struct seen {
    int plan, stop, end, units;
    long long tokens_at_stop;     /* cumulative tokens when the stop event came */
    long long tokens_before_last; /* cumulative tokens before the last unit event */
    int units_after_limit;        /* unit events whose predecessor total was already over */
    long long limit;
    long long cum;
} seen;

static void on_event(void *ctx, const bench_run_event *ev)
{
    seen *s = ctx;

    switch (ev->kind) {
    case BENCH_EV_PLAN:
        s->plan++;
        s->cum = 0; /* totals are per invocation */
        break;
    case BENCH_EV_UNIT:
        s->units++;
        if (s->limit > 0 && s->cum >= s->limit)
            s->units_after_limit++;
        s->cum += ev->tokens_in + ev->tokens_out;
        assert_int_equal(s->cum, ev->totals->tokens_in + ev->totals->tokens_out);
        break;
    case BENCH_EV_STOP:
        s->stop++;
        s->tokens_at_stop = ev->totals->tokens_in + ev->totals->tokens_out;
        break;
    case BENCH_EV_END:
        s->end++;
        break;
    default:
        break;
    }
}

static bench_run_params params(const char *model, int trials, int concurrency, seen *sn)
{
    bench_run_params p = bench_run_default_params();

    p.endpoint = fx.url;
    p.model = model;
    p.server_kind = "sim";
    p.trials = trials;
    p.concurrency = concurrency;
    p.backbench_version = "test";
    p.benchmark_version = "test";
    p.on_event = on_event;
    p.event_ctx = sn;
    return p;
}

/* Every unit stored once, with rounds and an artifact; the events add up. */
static void test_all_units_stored(void **state)
{
    store *s = open_store("all");
    seen sn;
    bench_run_params p;
    bench_run_totals t;

    (void)state;
    memset(&sn, 0, sizeof sn);
    p = params("sim-weak", 3, 4, &sn);
    assert_int_equal(bench_run(s, fx.tasks, &p, &t), BB_OK);
    assert_null(t.stopped);
    assert_int_equal(t.units_total, 6);
    assert_int_equal(t.units_done, 6);
    assert_int_equal(t.units_skipped, 0);
    assert_int_equal(sn.plan, 1);
    assert_int_equal(sn.units, 6);
    assert_int_equal(sn.end, 1);
    assert_int_equal(sn.stop, 0);
    assert_int_equal(count(s, "SELECT COUNT(*) FROM units"), 6);
    assert_int_equal(count(s, "SELECT COUNT(DISTINCT task || '#' || trial) FROM units"), 6);
    assert_int_equal(count(s, "SELECT COUNT(*) FROM units WHERE task NOT IN ('todo/db','todo/api')"), 0);
    assert_int_equal(count(s, "SELECT SUM(rounds) FROM units"), t.rounds);
    assert_int_equal(count(s, "SELECT COUNT(*) FROM rounds WHERE round >= 1"), t.rounds);
    assert_int_equal(count(s, "SELECT SUM(prompt_tokens) + SUM(completion_tokens) FROM units"),
                     t.tokens_in + t.tokens_out);
    /* weak needs feedback: more rounds than units */
    assert_true(t.rounds > t.units_done);
    assert_int_equal(count(s, "SELECT COUNT(*) FROM artifacts"), t.units_valid);
    assert_int_equal(count(s, "SELECT COUNT(*) FROM artifacts a JOIN units u ON u.id = a.unit_id"
                              " WHERE a.kind <> u.phase"),
                     0);
    assert_int_equal(count(s, "SELECT COUNT(*) FROM runs WHERE ended_at IS NOT NULL"), 1);
    store_close(s);
}

/* A rerun skips what is finished; more trials run only the new ones. */
static void test_resume(void **state)
{
    store *s = open_store("resume");
    seen sn;
    bench_run_params p;
    bench_run_totals t;

    (void)state;
    memset(&sn, 0, sizeof sn);
    p = params("sim-perfect", 2, 2, &sn);
    assert_int_equal(bench_run(s, fx.tasks, &p, &t), BB_OK);
    assert_int_equal(t.units_done, 4);
    assert_int_equal(bench_run(s, fx.tasks, &p, &t), BB_OK);
    assert_int_equal(t.units_total, 4);
    assert_int_equal(t.units_skipped, 4);
    assert_int_equal(t.units_done, 0);
    p.trials = 3;
    assert_int_equal(bench_run(s, fx.tasks, &p, &t), BB_OK);
    assert_int_equal(t.units_skipped, 4);
    assert_int_equal(t.units_done, 2);
    assert_int_equal(count(s, "SELECT COUNT(*) FROM units"), 6);
    assert_int_equal(count(s, "SELECT COUNT(*) FROM runs"), 1);
    /* another model is another run */
    p.model = "sim-sloppy";
    assert_int_equal(bench_run(s, fx.tasks, &p, &t), BB_OK);
    assert_int_equal(t.units_skipped, 0);
    assert_int_equal(t.units_done, 6);
    assert_int_equal(count(s, "SELECT COUNT(*) FROM runs"), 2);
    store_close(s);
}

/* --max-tokens: no unit starts once the limit is reached; the ones in flight
 * finish and are stored; the stop is reported once. */
static void test_token_budget(void **state)
{
    store *s = open_store("tokens");
    seen sn;
    bench_run_params p;
    bench_run_totals t;
    const int conc = 3;

    (void)state;
    memset(&sn, 0, sizeof sn);
    p = params("sim-perfect", 20, conc, &sn);
    p.max_tokens = 40000;
    sn.limit = p.max_tokens;
    assert_int_equal(bench_run(s, fx.tasks, &p, &t), BB_OK);
    assert_non_null(t.stopped);
    assert_string_equal(t.stopped, "budget");
    assert_int_equal(sn.stop, 1);
    assert_int_equal(sn.end, 1);
    assert_true(t.units_done < t.units_total);
    assert_true(t.tokens_in + t.tokens_out >= p.max_tokens);
    /* at most conc - 1 units were still in flight when the limit was crossed */
    assert_true(sn.units_after_limit <= conc - 1);
    assert_int_equal(count(s, "SELECT COUNT(*) FROM units"), t.units_done);
    assert_int_equal(t.units_running, 0);
    /* a stopped run has no end time; the rerun with room finishes it */
    assert_int_equal(count(s, "SELECT COUNT(*) FROM runs WHERE ended_at IS NULL"), 1);
    memset(&sn, 0, sizeof sn);
    p.max_tokens = 0;
    assert_int_equal(bench_run(s, fx.tasks, &p, &t), BB_OK);
    assert_null(t.stopped);
    assert_int_equal(t.units_skipped + t.units_done, 40);
    assert_int_equal(count(s, "SELECT COUNT(*) FROM units"), 40);
    assert_int_equal(count(s, "SELECT COUNT(*) FROM runs WHERE ended_at IS NULL"), 0);
    store_close(s);
}

/* --budget-usd with a given price: costs are stored and the run stops. */
static void test_dollar_budget(void **state)
{
    store *s = open_store("usd");
    seen sn;
    bench_run_params p;
    bench_run_totals t;

    (void)state;
    memset(&sn, 0, sizeof sn);
    p = params("sim-perfect", 20, 2, &sn);
    p.price_in_per_m = 1.0;
    p.price_out_per_m = 4.0;
    p.budget_usd = 0.05;
    assert_int_equal(bench_run(s, fx.tasks, &p, &t), BB_OK);
    assert_non_null(t.stopped);
    assert_string_equal(t.stopped, "budget");
    assert_true(t.cost_known);
    assert_true(t.cost_usd >= p.budget_usd);
    assert_true(t.units_done < t.units_total);
    assert_true(t.cost_usd < p.budget_usd + 2 * 0.05);
    assert_int_equal(count(s, "SELECT COUNT(*) FROM units WHERE cost_usd IS NULL OR cost_usd <= 0"), 0);
    /* the stored costs follow the price */
    assert_int_equal(count(s, "SELECT COUNT(*) FROM units WHERE ABS(cost_usd - (prompt_tokens * 1.0 + "
                              "completion_tokens * 4.0) / 1e6) > 1e-9"),
                     0);
    store_close(s);
}

static void test_interrupted(void **state)
{
    static volatile sig_atomic_t stop = 1;
    store *s = open_store("stop");
    seen sn;
    bench_run_params p;
    bench_run_totals t;

    (void)state;
    memset(&sn, 0, sizeof sn);
    p = params("sim-perfect", 2, 2, &sn);
    p.stop = &stop;
    assert_int_equal(bench_run(s, fx.tasks, &p, &t), BB_OK);
    assert_string_equal(t.stopped, "interrupted");
    assert_int_equal(t.units_done, 0);
    assert_int_equal(count(s, "SELECT COUNT(*) FROM units"), 0);
    store_close(s);
}

/* A server that is gone: after max(4, concurrency) infrastructure failures
 * in a row the run stops; those units are stored as failed_infra. */
static void test_server_gone(void **state)
{
    store *s = open_store("gone");
    llm_client_params cp = llm_client_default_params();
    seen sn;
    bench_run_params p;
    bench_run_totals t;

    (void)state;
    memset(&sn, 0, sizeof sn);
    p = params("sim-perfect", 20, 2, &sn);
    p.endpoint = "http://127.0.0.1:1/v1";
    cp.max_retries = 0;
    cp.connect_timeout_ms = 2000;
    p.client = &cp;
    assert_int_equal(bench_run(s, fx.tasks, &p, &t), BB_OK);
    assert_non_null(t.stopped);
    assert_string_equal(t.stopped, "infrastructure");
    assert_true(t.units_done >= 4 && t.units_done <= 5);
    assert_int_equal(t.units_infra, t.units_done);
    assert_int_equal(count(s, "SELECT COUNT(*) FROM units WHERE outcome = 'failed_infra' AND score IS NULL"),
                     t.units_done);
    store_close(s);
}

static void test_bad_params(void **state)
{
    store *s = open_store("bad");
    seen sn;
    bench_run_params p;

    (void)state;
    memset(&sn, 0, sizeof sn);
    p = params("sim-perfect", 0, 2, &sn);
    assert_int_equal(bench_run(s, fx.tasks, &p, NULL), BB_ERR_USAGE);
    p = params("sim-perfect", 1, 2, &sn);
    p.mode = BENCH_MODE_CHAINED;
    assert_int_equal(bench_run(s, fx.tasks, &p, NULL), BB_ERR_USAGE);
    p = params("sim-perfect", 1, 2, &sn);
    p.shard_index = 2;
    p.shard_count = 2;
    assert_int_equal(bench_run(s, fx.tasks, &p, NULL), BB_ERR_USAGE);
    store_close(s);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_all_units_stored),
        cmocka_unit_test(test_resume),
        cmocka_unit_test(test_token_budget),
        cmocka_unit_test(test_dollar_budget),
        cmocka_unit_test(test_interrupted),
        cmocka_unit_test(test_server_gone),
        cmocka_unit_test(test_bad_params),
    };

    return cmocka_run_group_tests(tests, setup, teardown);
}
