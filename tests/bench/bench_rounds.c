/*
 * bench_rounds.c — the runner's client side at full speed: rounds per second
 * and client CPU per round of bench_run (harness loop with repair,
 * validation, semantic checks, scoring and the store) against a simulator at
 * the given URL, at concurrency 64. Driven by tests/bench/rounds.sh, which
 * starts the zero-latency simulator as its own process (so this process's
 * CPU time is the client's alone) and times curl sending the same request
 * bodies, which this program writes out first.
 *
 * usage: bench_rounds URL BODY_DIR TRIALS
 *   writes BODY_DIR/<n>.json (the first-round request body of each task) and
 *   BODY_DIR/tasks.txt ("<n> <task id>" per line), then runs every task for
 *   TRIALS trials with sim-perfect and prints "key value" lines:
 *   rounds, wall_s, cpu_s, rounds_per_s, cpu_ms_per_round for the whole
 *   runner (bench_run), then the same with a harness_ prefix for the
 *   harness loop alone (harness_start on one llm_client, 64 in flight: no
 *   scoring, no store), to show where the runner's time goes.
 * Without arguments it prints where it is driven from and exits 0 (make
 * bench runs every bench_* program).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>
#include <unistd.h>

#include "bench/run.h"
#include "bench/task.h"
#include "harness/harness_loop.h"
#include "json/json_util.h"
#include "store/store.h"
#include "util/file.h"

#define ROUNDS_MODEL "sim-perfect"
#define ROUNDS_CONCURRENCY 64

static double rounds_cpu_s(void)
{
    struct rusage ru;

    getrusage(RUSAGE_SELF, &ru);
    return (double)ru.ru_utime.tv_sec + (double)ru.ru_utime.tv_usec / 1e6 + (double)ru.ru_stime.tv_sec +
           (double)ru.ru_stime.tv_usec / 1e6;
}

static double rounds_wall_s(void)
{
    struct timespec t;

    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

/* One conversation per task; its (first and only) request body is saved. */
static int rounds_write_bodies(const char *url, const bench_tasks *ts, const char *dir)
{
    char path[4096];
    FILE *list;
    size_t i;

    snprintf(path, sizeof path, "%s/tasks.txt", dir);
    list = fopen(path, "w");
    if (!list)
        return -1;
    for (i = 0; i < ts->n; i++) {
        harness_task t = ts->items[i].harness;
        harness_params hp = harness_default_params();
        harness_result *r = NULL;

        t.model = ROUNDS_MODEL;
        hp.seed = bench_task_seed(t.id, 1);
        hp.has_seed = 1;
        if (harness_run_one(url, NULL, &t, &hp, NULL, &r) != BB_OK || !r->last_request ||
            r->outcome != HARNESS_FIRST_TRY_VALID) {
            fprintf(stderr, "bench_rounds: %s did not give one valid round\n", t.id);
            harness_result_destroy(r);
            fclose(list);
            return -1;
        }
        snprintf(path, sizeof path, "%s/%zu.json", dir, i);
        if (bb_file_write(path, r->last_request, strlen(r->last_request)) != BB_OK) {
            harness_result_destroy(r);
            fclose(list);
            return -1;
        }
        fprintf(list, "%zu %s\n", i, t.id);
        harness_result_destroy(r);
    }
    return fclose(list) == 0 ? 0 : -1;
}

/* ---- the harness loop alone ----------------------------------------------- */

typedef struct rounds_loop {
    llm_client *client;
    int endpoint;
    const bench_tasks *tasks;
    size_t next, total, done;
    long rounds;
    int failed;
    harness_task ht[ROUNDS_CONCURRENCY];
    int busy[ROUNDS_CONCURRENCY];
} rounds_loop;

typedef struct rounds_slot {
    rounds_loop *loop;
    int i;
} rounds_slot;

static rounds_slot rounds_slots[ROUNDS_CONCURRENCY];

static void rounds_start(rounds_loop *l, int i);

static void rounds_done(void *user, harness_result *r)
{
    rounds_slot *sl = user;
    rounds_loop *l = sl->loop;

    l->done++;
    l->rounds += r->rounds_used;
    l->failed += !harness_outcome_is_valid(r->outcome);
    harness_result_destroy(r);
    l->busy[sl->i] = 0;
    rounds_start(l, sl->i);
}

static void rounds_start(rounds_loop *l, int i)
{
    size_t k;
    harness_params hp = harness_default_params();

    if (l->next >= l->total)
        return;
    k = l->next++;
    l->ht[i] = l->tasks->items[k % l->tasks->n].harness;
    l->ht[i].model = ROUNDS_MODEL;
    hp.seed = bench_task_seed(l->ht[i].id, (int)(k / l->tasks->n) + 1);
    hp.has_seed = 1;
    l->busy[i] = 1;
    rounds_slots[i].loop = l;
    rounds_slots[i].i = i;
    if (harness_start(l->client, l->endpoint, &l->ht[i], &hp, rounds_done, &rounds_slots[i]) != BB_OK) {
        l->busy[i] = 0;
        l->failed++;
    }
}

static int rounds_harness_only(const char *url, const bench_tasks *ts, int trials)
{
    llm_client_params cp = llm_client_default_params();
    rounds_loop l;
    double w0, c0, wall, cpu;
    int i, rc = -1;

    memset(&l, 0, sizeof l);
    cp.max_concurrent = ROUNDS_CONCURRENCY;
    cp.max_concurrent_per_endpoint = ROUNDS_CONCURRENCY;
    if (llm_client_new(&cp, &l.client) != BB_OK ||
        llm_client_add_endpoint(l.client, url, NULL, ROUNDS_CONCURRENCY, &l.endpoint) != BB_OK)
        goto out;
    l.tasks = ts;
    l.total = ts->n * (size_t)trials;
    w0 = rounds_wall_s();
    c0 = rounds_cpu_s();
    for (i = 0; i < ROUNDS_CONCURRENCY; i++)
        rounds_start(&l, i);
    if (llm_client_run(l.client, -1) != BB_OK || l.done != l.total || l.failed) {
        fprintf(stderr, "bench_rounds: harness loop: %zu of %zu done, %d failed\n", l.done, l.total, l.failed);
        goto out;
    }
    wall = rounds_wall_s() - w0;
    cpu = rounds_cpu_s() - c0;
    printf("harness_rounds %ld\nharness_wall_s %.3f\nharness_cpu_s %.3f\nharness_rounds_per_s %.1f\n"
           "harness_cpu_ms_per_round %.3f\n",
           l.rounds, wall, cpu, (double)l.rounds / wall, cpu * 1000.0 / (double)l.rounds);
    rc = 0;
out:
    llm_client_free(l.client);
    return rc;
}

int main(int argc, char **argv)
{
    bench_run_params p = bench_run_default_params();
    bench_projects *projects = NULL;
    bench_tasks *tasks = NULL;
    bench_run_totals t;
    schema_errors errs;
    store *s = NULL;
    char store_path[4096];
    double w0, c0, wall, cpu;
    int status = 1;

    if (argc != 4) {
        printf("   bench_rounds: driven by tests/bench/rounds.sh (needs a simulator URL)\n");
        return argc == 1 ? 0 : 2;
    }
    bb_json_init();
    schema_errors_init(&errs, 8);
    if (bench_projects_list(&projects, &errs) != BB_OK ||
        bench_tasks_build(projects, NULL, NULL, BENCH_MODE_ISOLATED, &tasks, NULL) != BB_OK)
        goto out;
    if (rounds_write_bodies(argv[1], tasks, argv[2]) != 0)
        goto out;
    snprintf(store_path, sizeof store_path, "%s/rounds.db", argv[2]);
    if (store_open(store_path, &s) != BB_OK)
        goto out;
    p.endpoint = argv[1];
    p.model = ROUNDS_MODEL;
    p.server_kind = "sim";
    p.trials = (int)strtol(argv[3], NULL, 10);
    p.concurrency = ROUNDS_CONCURRENCY;
    p.backbench_version = "bench";
    p.benchmark_version = "bench";
    w0 = rounds_wall_s();
    c0 = rounds_cpu_s();
    if (bench_run(s, tasks, &p, &t) != BB_OK || t.units_done != (long)tasks->n * p.trials) {
        fprintf(stderr, "bench_rounds: the run failed (%ld units done)\n", t.units_done);
        goto out;
    }
    wall = rounds_wall_s() - w0;
    cpu = rounds_cpu_s() - c0;
    printf("rounds %ld\nunits_valid %ld\nwall_s %.3f\ncpu_s %.3f\nrounds_per_s %.1f\ncpu_ms_per_round %.3f\n",
           t.rounds, t.units_valid, wall, cpu, (double)t.rounds / wall, cpu * 1000.0 / (double)t.rounds);
    if (rounds_harness_only(argv[1], tasks, p.trials) != 0)
        goto out;
    status = 0;
out:
    store_close(s);
    bench_tasks_free(tasks);
    bench_projects_free(projects);
    schema_errors_free(&errs);
    return status;
}
