/*
 * bench_logic.c — time of the logic phases' scoring on this machine.
 *
 * Per project with acceptance tests: opening it (designs, gold
 * implementation, checks, suite), running every acceptance test on the gold
 * implementation (a fresh database each), the full mutation analysis (every
 * mutant of every operation against the tests that exercise it), and what
 * scoring one model run costs: the impl score of every operation (the gold
 * implementation standing in for the model's) plus the test score of every
 * scenario (its key test standing in for the model's). The
 * target for one model run is under 10 seconds for all projects together;
 * the relevant mutants of each scenario are computed once per handle, so
 * further model runs scored on the same handles are cheaper (printed too).
 * Figures are wall-clock seconds of one run; nothing here asserts speed.
 */
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "bench/logic_score.h"
#include "json/json_util.h"

static double bl_now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* A scenario's key test, else its first reference test. */
static const ast_test_fn *bl_answer(const bench_logic *L, size_t i)
{
    const ast_test_fn *key = bench_logic_scenario_key(L, i);
    return key ? key : bench_logic_find_test(L, bench_logic_scenario_ref(L, i, 0));
}

int main(void)
{
    static const char *const projects[] = {"todo", "bbs", "reddit", "shopping"};
    double total_model = 0, total_next = 0;
    size_t pi;
    int status = 0;
    bb_json_init();
    for (pi = 0; pi < sizeof(projects) / sizeof(projects[0]); pi++) {
        bench_logic *L = NULL;
        bench_mutation_report m;
        bb_buf err;
        double t0, t1, t2, t3, t4, t5;
        size_t i, k, pass = 0, n_scored = 0;
        const eng_project *proj;
        bb_buf_init(&err, 4096);
        t0 = bl_now();
        if (bench_logic_open(projects[pi], &L, &err) != BB_OK) {
            printf("   %-8s not benchmarked: %s\n", projects[pi], bb_buf_str(&err));
            bb_buf_free(&err);
            continue;
        }
        bb_buf_free(&err);
        proj = bench_logic_project(L);
        t1 = bl_now();
        for (i = 0; i < bench_logic_n_tests(L); i++) {
            eng_test_result r;
            if (bench_logic_run(L, bench_logic_test(L, i), NULL, &r) == BB_OK && r.outcome == ENG_TEST_PASS)
                pass++;
        }
        t2 = bl_now();
        if (bench_logic_mutants(L, &m) != BB_OK) {
            status = 1;
            bench_logic_close(L);
            continue;
        }
        t3 = bl_now();
        for (k = 0; k < proj->impls.n; k++) {
            char key[1200];
            bench_score s;
            if (bench_logic_op_key(proj->impls.ops[k], key, sizeof(key)) == BB_OK &&
                bench_logic_score_impl(L, key, proj->impls.ops[k], &s) == BB_OK)
                n_scored++;
        }
        for (i = 0; i < bench_logic_n_scenarios(L); i++) {
            const ast_test_fn *ref = bl_answer(L, i);
            bench_score s;
            if (ref && bench_logic_score_test(L, bench_logic_scenario_id(L, i), ref, &s) == BB_OK)
                n_scored++;
        }
        t4 = bl_now();
        for (i = 0; i < bench_logic_n_scenarios(L); i++) {
            const ast_test_fn *ref = bl_answer(L, i);
            bench_score s;
            if (ref)
                (void)bench_logic_score_test(L, bench_logic_scenario_id(L, i), ref, &s);
        }
        for (k = 0; k < proj->impls.n; k++) {
            char key[1200];
            bench_score s;
            if (bench_logic_op_key(proj->impls.ops[k], key, sizeof(key)) == BB_OK)
                (void)bench_logic_score_impl(L, key, proj->impls.ops[k], &s);
        }
        t5 = bl_now();
        total_model += (t1 - t0) + (t4 - t3);
        total_next += t5 - t4;
        printf("   %-8s open %.3f s | %zu acceptance tests on gold: %.3f s (%zu pass, %.2f ms/test) | "
               "%zu mutants: %.2f s (%.1f%% of non-equivalent killed) | one model run (%zu impl + %zu test tasks): "
               "%.2f s, each further model run %.2f s\n",
               projects[pi], t1 - t0, bench_logic_n_tests(L), t2 - t1, pass,
               1000.0 * (t2 - t1) / (double)(bench_logic_n_tests(L) ? bench_logic_n_tests(L) : 1), m.n, t3 - t2,
               bench_mutation_kill_rate(&m), proj->impls.n, bench_logic_n_scenarios(L), t4 - t3, t5 - t4);
        (void)n_scored;
        bench_mutation_report_free(&m);
        bench_logic_close(L);
    }
    printf("   logic scoring of one model run, all projects: %.2f s (target < 10 s); each further model run on the same "
           "handles: %.2f s\n",
           total_model, total_next);
    return status;
}
