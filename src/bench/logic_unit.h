/*
 * logic_unit.h — the score of one finished unit of a logic phase.
 *
 * impl: the accepted call is loaded as an Impl AST and scored with
 * bench_logic_score_impl (the share of the acceptance tests about the task's
 * operation that pass with it installed over the gold one); test: it is
 * loaded and checked as a Test AST against the gold API and scored with
 * bench_logic_score_test (0 unless it passes on gold, else the share of the
 * scenario's relevant mutants it kills). No valid call, or one that does not
 * load, scores 0. The task's logic handle (kept open by the task list) is
 * reused, so no project is reopened per unit. A separate module from
 * bench_unit_score because the design and logic scorers both name a
 * `bench_score` type.
 */
#ifndef BB_BENCH_LOGIC_UNIT_H
#define BB_BENCH_LOGIC_UNIT_H

#include "bench/task.h"

/* 0-100, or -1 (unscored) when the task is no logic task or scoring failed. */
double bench_logic_unit_score(const bench_task *task, const json_t *doc /* the parsed arguments, NULL: none */);

#endif
