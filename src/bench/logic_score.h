/*
 * logic_score.h — the scores of the logic phases (`impl` and `test`) and
 * the mutation analysis of the hidden acceptance tests.
 *
 * A bench_logic handle holds one reference project ready to run: the gold
 * DB, API and implementation (engine_project.h), the hidden acceptance
 * tests (projects/NAME/gold/tests/acceptance.txt, text form of the Test
 * AST), the identified equivalent mutants (gold/tests/equivalent.json) and
 * the test-writing scenarios (projects/NAME/scenarios.json). Every test runs
 * on a fresh engine (a fresh database) with the gold implementation of every
 * operation, optionally one operation replaced (a model's implementation or a
 * mutant).
 *
 * A test is *about* the operation its name starts with ("post /user/lists:
 * ..."); it *exercises* every operation it calls.
 *   impl score of an operation = 100 * (tests about it that pass with the
 *       model's implementation of it and the gold of all others) / (tests
 *       about it); an implementation for another endpoint scores 0.
 *   test score of a scenario = 0 unless the model's test passes on the gold
 *       implementation; else 100 * (relevant mutants it kills) / (relevant
 *       mutants), where the relevant mutants are the valid, non-equivalent
 *       mutants of the scenario's operations that the scenario's reference
 *       tests (gold tests named in the scenario) kill.
 * A mutant is killed by a test that passes on gold and fails with the
 * mutant installed.
 */
#ifndef BB_LOGIC_SCORE_H
#define BB_LOGIC_SCORE_H

#include <stddef.h>

#include "ast/ast_impl.h"
#include "ast/ast_test.h"
#include "engine/engine_mutate.h"
#include "engine/engine_project.h"
#include "engine/engine_test.h"
#include "util/buf.h"
#include "util/result.h"

#define BENCH_LOGIC_SEED 7u              /* seed of every acceptance run */
#define BENCH_LOGIC_THREADS_MAX 8        /* workers of the mutant loops */
#define BENCH_LOGIC_MAX_SCENARIOS 200
#define BENCH_LOGIC_FILE_MAX ((size_t)8 << 20)

typedef struct bench_logic bench_logic;

/* Opens projects/NAME (embedded files first, else the working directory).
 * Every acceptance test must load and check; errmsg gets the reason. */
bb_result bench_logic_open(const char *project, bench_logic **out /* OUT */, bb_buf *errmsg);
void bench_logic_close(bench_logic *L);
/* Worker threads of the mutant loops (default: the online CPUs, at most
 * BENCH_LOGIC_THREADS_MAX); results do not depend on it. */
void bench_logic_set_threads(bench_logic *L, int n);

const eng_project *bench_logic_project(const bench_logic *L);
size_t bench_logic_n_tests(const bench_logic *L);
const ast_test_fn *bench_logic_test(const bench_logic *L, size_t i);
size_t bench_logic_n_scenarios(const bench_logic *L);
const char *bench_logic_scenario_id(const bench_logic *L, size_t i);
/* The j-th reference test named by scenario i, or NULL past the end. */
const char *bench_logic_scenario_ref(const bench_logic *L, size_t i, size_t j);
/* The key test of scenario i (projects/NAME/gold/tests/keys.txt, named
 * "<scenario id>: ..."): one test proving the whole scenario, the answer key
 * of its test task; NULL when the project has none for it. */
const ast_test_fn *bench_logic_scenario_key(const bench_logic *L, size_t i);
/* How many of the mutants that scenario i's reference tests kill its key
 * test misses (0 for a sound key test; names, may be NULL, gets them one per
 * line). BB_ERR_INVALID when the key test is missing or fails on gold. */
bb_result bench_logic_scenario_gap(bench_logic *L, size_t i, size_t *n_missed, bb_buf *names);
/* Replaces the key test of scenario i (key must outlive L; NULL: none) and
 * forgets its relevant mutants (for tests of the gap check). */
void bench_logic_scenario_set_key(bench_logic *L, size_t i, const ast_test_fn *key);
/* The acceptance test with this name, or NULL. */
const ast_test_fn *bench_logic_find_test(const bench_logic *L, const char *name);

/* "post /user/lists" of an operation; the subject of a test (its name's
 * prefix before ':'), or "" when it names none. */
bb_result bench_logic_op_key(const ast_impl_op *op, char *out, size_t cap);
const char *bench_logic_subject(const bench_logic *L, size_t test);
/* 1 when the test calls the operation (anywhere, arrows included). */
int bench_logic_exercises(const ast_test_fn *t, const char *op_key);

/* Runs t with the gold implementation, `replace` (may be NULL) installed
 * over its operation. BB_ERR_NOT_FOUND when replace is for no operation. */
bb_result bench_logic_run(bench_logic *L, const ast_test_fn *t, const ast_impl_op *replace,
                          eng_test_result *out /* OUT */);

typedef struct bench_score {
    double score;  /* 0-100 */
    size_t hits;   /* tests passed (impl) / mutants killed (test) */
    size_t total;  /* tests about the op / relevant mutants */
    char detail[256];
} bench_score;

bb_result bench_logic_score_impl(bench_logic *L, const char *op_key, const ast_impl_op *model_impl,
                                 bench_score *out /* OUT */);
bb_result bench_logic_score_test(bench_logic *L, const char *scenario, const ast_test_fn *model_test,
                                 bench_score *out /* OUT */);

/* One-call forms (open, score, close). op: "METHOD /path". */
bb_result bench_score_impl(const char *project, const char *op, const ast_impl_op *model_impl,
                           bench_score *out /* OUT */);
bb_result bench_score_test(const char *project, const char *scenario, const ast_test_fn *model_test,
                           bench_score *out /* OUT */);

/* ---- mutation analysis of the gold suite --------------------------------- */

typedef enum bench_mutant_status {
    BENCH_MUT_KILLED = 0,
    BENCH_MUT_SURVIVED,
    BENCH_MUT_EQUIVALENT, /* listed in equivalent.json with a reason */
    BENCH_MUT_INVALID,    /* refused by the loader or the checks (no program to run) */
} bench_mutant_status;

typedef struct bench_mutant_row {
    char name[ENG_MUT_NAME_MAX];
    eng_mut_operator op;
    size_t op_index;        /* operation in the gold implementation */
    bench_mutant_status status;
    long killed_by;         /* test index, -1 */
    const char *reason;     /* equivalent: why (owned by L) */
} bench_mutant_row;

typedef struct bench_mutation_report {
    bench_mutant_row *rows;
    size_t n;
    size_t by_op[ENG_MUT_OPERATOR_COUNT_][4]; /* [operator][status] */
    size_t total[4];
    size_t stale_equivalents;                 /* names in equivalent.json that match no mutant */
} bench_mutation_report;

/* Generates every mutant of every gold operation and runs the suite on it
 * (tests exercising the operation, stopping at the first kill). */
bb_result bench_logic_mutants(bench_logic *L, bench_mutation_report *out /* OUT */);
/* The same for the operations whose key ("METHOD /path") contains filter
 * (NULL: every operation; stale equivalents are counted only then). */
bb_result bench_logic_mutants_matching(bench_logic *L, const char *filter, bench_mutation_report *out /* OUT */);
void bench_mutation_report_free(bench_mutation_report *r);
/* killed / (killed + survived), in percent. */
double bench_mutation_kill_rate(const bench_mutation_report *r);

/* Mutant rows of a single operation, for the test phase (the caller frees
 * with bench_mutation_report_free). */
bb_result bench_logic_mutants_of(bench_logic *L, const char *op_key, bench_mutation_report *out /* OUT */);

#endif
