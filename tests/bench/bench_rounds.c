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
 *   rounds, wall_s, cpu_s, rounds_per_s, cpu_ms_per_round.
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
    status = 0;
out:
    store_close(s);
    bench_tasks_free(tasks);
    bench_projects_free(projects);
    schema_errors_free(&errs);
    return status;
}
