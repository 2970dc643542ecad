/*
 * report_stats.h — every figure of the report, computed from the loaded units.
 *
 * report_stats_compute fills the figures of a report_data (report_data.h):
 * per entry the axis scores with 95% bootstrap intervals, the total, the
 * model × project matrix, validity shares, mean rounds, tokens, pass^k, cost
 * and the Pareto front; per report the noise floor and the display order.
 * The pieces that carry the arithmetic are exposed for the tests. docs/report.md
 * gives the formulas; in short:
 *
 *   unit value   score (0-100); a failed unit without a score counts 0; an
 *                infrastructure failure or a valid unit not yet scored is left out
 *   project mean mean of the unit values of one project (its tasks × trials)
 *   axis score   mean of the project means (every project weighs the same)
 *   total        sum_a w_a * axis_a / sum_a w_a over the axes present
 *   interval     2.5th and 97.5th percentiles of B stratified bootstrap
 *                resamples (units resampled with replacement within each project)
 *   pass^k       mean over tasks with n >= k trials of C(c, k) / C(n, k)
 */
#ifndef BB_REPORT_STATS_H
#define BB_REPORT_STATS_H

#include <stddef.h>
#include <stdint.h>

#include "report/report_data.h"
#include "util/result.h"

/* Computes every figure of d (see above). Deterministic for the same store
 * and params. */
bb_result report_stats_compute(report_data *d);

/* The value a unit contributes to its axis; 0 when it is left out. */
int report_stats_unit_value(const report_unit *u, double *value /* OUT */);

/* Stratified bootstrap. values[start[s] .. start[s+1]) are the values of
 * stratum s (s < n_strata, every stratum non-empty). *point is the mean of the
 * stratum means; resamples[0..b) (may be NULL when b is 0) receive the same
 * statistic over b resamples drawn with bb_rng seeded with seed. */
bb_result report_stats_bootstrap(const double *values, const size_t *start, size_t n_strata, int b,
                                 uint64_t seed, double *point /* OUT */, double *resamples /* OUT */);

/* The q-quantile (0..1) of sorted[0..n) with linear interpolation between
 * order statistics (position q * (n - 1)). n > 0. */
double report_stats_quantile(const double *sorted, size_t n, double q);

/* The unbiased estimate of the probability that k trials out of k pass, from
 * c passing trials out of n: C(c, k) / C(n, k). NAN when n < k or k < 1. */
double report_stats_pass_hat_k(long n, long c, int k);

/* Marks front[i] = 1 for the points not dominated by another (lower or equal
 * cost and higher or equal score, one of them strictly); points with a NAN
 * coordinate are never on the front (front[i] = 0). */
void report_stats_pareto(const double *cost, const double *score, size_t n, int *front /* OUT */);

#endif
