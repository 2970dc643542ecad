/*
 * logic_unit.c — scoring a finished impl or test unit (see logic_unit.h).
 */
#include "bench/logic_unit.h"

#include <jansson.h>

#include "ast/ast_impl.h"
#include "ast/ast_test.h"
#include "bench/logic_score.h"
#include "schema/schema_error.h"

double bench_logic_unit_score(const bench_task *task, const json_t *doc)
{
    schema_errors errs;
    ast_impl_op *op = NULL;
    ast_test_fn *fn = NULL;
    bench_score sc;
    double score = -1;
    bb_result rc;

    if (!task->logic || (task->phase != BENCH_PHASE_IMPL && task->phase != BENCH_PHASE_TEST))
        return -1;
    schema_errors_init(&errs, 8);
    if (!doc) {
        score = 0;
        goto out;
    }
    if (task->phase == BENCH_PHASE_IMPL) {
        if (ast_impl_load(doc, "$input", &op, &errs) != BB_OK) {
            score = 0;
            goto out;
        }
        rc = bench_logic_score_impl(task->logic, task->key, op, &sc);
        /* an implementation of another endpoint scores 0 (BB_OK) */
        score = rc == BB_OK ? sc.score : -1;
    } else {
        if (ast_test_check_json(doc, bench_logic_project(task->logic)->api, &fn, &errs) != BB_OK) {
            score = 0;
            goto out;
        }
        rc = bench_logic_score_test(task->logic, task->key, fn, &sc);
        score = rc == BB_OK ? sc.score : -1;
    }
out:
    ast_impl_free(op);
    ast_test_free(fn);
    schema_errors_free(&errs);
    return score;
}
