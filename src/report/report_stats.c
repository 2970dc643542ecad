/*
 * report_stats.c — the report's arithmetic (see report_stats.h and
 * docs/report.md for the formulas).
 *
 * Sums run in a fixed order (units sorted by entry, axis, project), every
 * bootstrap stream is seeded from the report seed and the entry's label and
 * axis, so the same store always gives the same figures, whatever order the
 * store returned its rows in.
 */
#include "report/report_stats.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "util/alloc.h"
#include "util/rng.h"

int report_stats_unit_value(const report_unit *u, double *value)
{
    *value = 0;
    if (u->outcome == REPORT_OUT_INFRA)
        return 0;
    if (!isnan(u->score)) {
        *value = u->score;
        return 1;
    }
    if (u->outcome == REPORT_OUT_INVALID || u->outcome == REPORT_OUT_NO_CALL || u->outcome == REPORT_OUT_OTHER)
        return 1; /* failed without a score: 0 */
    return 0;     /* valid, not scored yet */
}

static double report_stats_strata_mean(const double *values, const size_t *start, size_t n_strata)
{
    double total = 0;
    size_t s, i;

    for (s = 0; s < n_strata; s++) {
        double sum = 0;

        for (i = start[s]; i < start[s + 1]; i++)
            sum += values[i];
        total += sum / (double)(start[s + 1] - start[s]);
    }
    return total / (double)n_strata;
}

bb_result report_stats_bootstrap(const double *values, const size_t *start, size_t n_strata, int b,
                                 uint64_t seed, double *point, double *resamples)
{
    bb_rng rng;
    int r;
    size_t s, i;

    *point = NAN;
    if (n_strata == 0 || b < 0)
        return BB_ERR_USAGE;
    for (s = 0; s < n_strata; s++) {
        if (start[s + 1] <= start[s])
            return BB_ERR_USAGE;
    }
    *point = report_stats_strata_mean(values, start, n_strata);
    bb_rng_seed(&rng, seed);
    for (r = 0; r < b; r++) {
        double total = 0;

        for (s = 0; s < n_strata; s++) {
            size_t n = start[s + 1] - start[s];
            double sum = 0;

            for (i = 0; i < n; i++)
                sum += values[start[s] + (size_t)bb_rng_below(&rng, n)];
            total += sum / (double)n;
        }
        resamples[r] = total / (double)n_strata;
    }
    return BB_OK;
}

double report_stats_quantile(const double *sorted, size_t n, double q)
{
    double pos = q * (double)(n - 1);
    size_t lo = (size_t)floor(pos);
    double frac = pos - (double)lo;

    if (lo + 1 >= n)
        return sorted[n - 1];
    return sorted[lo] + (sorted[lo + 1] - sorted[lo]) * frac;
}

double report_stats_pass_hat_k(long n, long c, int k)
{
    double p = 1;
    int i;

    if (k < 1 || n < k || c < 0 || c > n)
        return NAN;
    if (c < k)
        return 0;
    for (i = 0; i < k; i++)
        p *= (double)(c - i) / (double)(n - i);
    return p;
}

void report_stats_pareto(const double *cost, const double *score, size_t n, int *front)
{
    size_t i, j;

    for (i = 0; i < n; i++) {
        front[i] = !isnan(cost[i]) && !isnan(score[i]);
        for (j = 0; front[i] && j < n; j++) {
            if (j == i || isnan(cost[j]) || isnan(score[j]))
                continue;
            if (cost[j] <= cost[i] && score[j] >= score[i] && (cost[j] < cost[i] || score[j] > score[i]))
                front[i] = 0;
        }
    }
}

static int report_stats_double_cmp(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;

    return (x > y) - (x < y);
}

/* ---- scores --------------------------------------------------------------- */

typedef struct report_key {
    int entry, axis, project;
    size_t unit;
} report_key;

static int report_key_cmp(const void *a, const void *b)
{
    const report_key *x = a, *y = b;

    if (x->entry != y->entry)
        return x->entry < y->entry ? -1 : 1;
    if (x->axis != y->axis)
        return x->axis < y->axis ? -1 : 1;
    if (x->project != y->project)
        return x->project < y->project ? -1 : 1;
    return (x->unit > y->unit) - (x->unit < y->unit);
}

static void report_stats_interval(double *resamples, int b, report_interval *iv)
{
    qsort(resamples, (size_t)b, sizeof *resamples, report_stats_double_cmp);
    iv->lo = report_stats_quantile(resamples, (size_t)b, 0.025);
    iv->hi = report_stats_quantile(resamples, (size_t)b, 0.975);
}

/* Axis scores, their resamples (boot[(e * AXES + a) * b + r]) and the project matrix. */
static bb_result report_stats_axes(report_data *d, double *boot)
{
    const int b = d->params.bootstrap_b;
    report_key *keys = NULL;
    double *values = NULL;
    size_t *start = NULL;
    size_t n = 0, i, j;
    bb_result rc = BB_OK;

    keys = bb_calloc(d->n_units + 1, sizeof *keys);
    values = bb_calloc(d->n_units + 1, sizeof *values);
    start = bb_calloc(d->n_projects + 2, sizeof *start);
    if (!keys || !values || !start) {
        rc = BB_ERR_NOMEM;
        goto out;
    }
    for (i = 0; i < d->n_units; i++) {
        const report_unit *u = &d->units[i];
        double v;

        if (!report_stats_unit_value(u, &v))
            continue;
        if (d->entries[u->entry].imported && report_phase_axis(u->phase) == REPORT_AXIS_LOGIC)
            continue; /* imported results: design axes only */
        keys[n].entry = u->entry;
        keys[n].axis = report_phase_axis(u->phase);
        keys[n].project = u->project;
        keys[n].unit = i;
        n++;
    }
    qsort(keys, n, sizeof *keys, report_key_cmp);
    for (i = 0; i < n; i = j) {
        report_entry *en = &d->entries[keys[i].entry];
        int a = keys[i].axis;
        size_t k, n_strata = 0;
        uint64_t seed;

        for (j = i; j < n && keys[j].entry == keys[i].entry && keys[j].axis == a; j++) {
            if (j == i || keys[j].project != keys[j - 1].project)
                start[n_strata++] = j - i;
            report_stats_unit_value(&d->units[keys[j].unit], &values[j - i]);
        }
        start[n_strata] = j - i;
        seed = bb_hash_mix(bb_hash_mix(d->params.seed, bb_hash64_str(en->model)),
                           (uint64_t)(a * 4 + en->imported * 2) + bb_hash64_str(en->label));
        rc = report_stats_bootstrap(values, start, n_strata, b, seed, &en->axis[a].mean,
                                    boot + ((size_t)keys[i].entry * REPORT_AXIS_COUNT + (size_t)a) * (size_t)b);
        if (rc != BB_OK)
            goto out;
        en->axis[a].present = 1;
        en->axis[a].n = (long)(j - i);
        for (k = 0; k < n_strata; k++) {
            double sum = 0;
            size_t x;

            for (x = start[k]; x < start[k + 1]; x++)
                sum += values[x];
            en->project_axis[(size_t)keys[i + start[k]].project * REPORT_AXIS_COUNT + (size_t)a] =
                sum / (double)(start[k + 1] - start[k]);
        }
        d->axis_present[a] = 1;
    }
out:
    bb_free(keys);
    bb_free(values);
    bb_free(start);
    return rc;
}

/* Totals (point and interval) from the axis resamples, then the axis intervals. */
static bb_result report_stats_totals(report_data *d, double *boot)
{
    const int b = d->params.bootstrap_b;
    double *tot = bb_calloc((size_t)b, sizeof *tot);
    size_t e, p;
    int a, r;

    if (!tot)
        return BB_ERR_NOMEM;
    for (e = 0; e < d->n_entries; e++) {
        report_entry *en = &d->entries[e];
        double wsum = 0, msum = 0;

        for (a = 0; a < REPORT_AXIS_COUNT; a++) {
            if (en->axis[a].present) {
                wsum += d->params.weight[a];
                msum += d->params.weight[a] * en->axis[a].mean;
                en->total.n += en->axis[a].n;
            }
        }
        if (wsum > 0) {
            en->total.present = 1;
            en->total.mean = msum / wsum;
            for (r = 0; r < b; r++) {
                double s = 0;

                for (a = 0; a < REPORT_AXIS_COUNT; a++) {
                    if (en->axis[a].present)
                        s += d->params.weight[a] * boot[(e * REPORT_AXIS_COUNT + (size_t)a) * (size_t)b + (size_t)r];
                }
                tot[r] = s / wsum;
            }
            report_stats_interval(tot, b, &en->total);
        }
        for (a = 0; a < REPORT_AXIS_COUNT; a++) {
            if (en->axis[a].present)
                report_stats_interval(boot + (e * REPORT_AXIS_COUNT + (size_t)a) * (size_t)b, b, &en->axis[a]);
        }
        for (p = 0; p < d->n_projects; p++) {
            double pw = 0, pm = 0;

            for (a = 0; a < REPORT_AXIS_COUNT; a++) {
                double v = en->project_axis[p * REPORT_AXIS_COUNT + (size_t)a];

                if (!isnan(v)) {
                    pw += d->params.weight[a];
                    pm += d->params.weight[a] * v;
                }
            }
            en->project_total[p] = pw > 0 ? pm / pw : NAN;
        }
    }
    bb_free(tot);
    return BB_OK;
}

/* ---- harness figures, pass^k, cost ------------------------------------------ */

static void report_stats_harness(report_data *d)
{
    size_t i, e;
    int ph;

    for (i = 0; i < d->n_units; i++) {
        const report_unit *u = &d->units[i];
        report_entry *en = &d->entries[u->entry];

        d->phase_present[u->phase] = 1;
        en->units_phase[u->phase]++;
        en->tokens_in_phase[u->phase] += u->tokens_in;
        en->tokens_out_phase[u->phase] += u->tokens_out;
        en->n_outcome[u->outcome]++;
        if (u->outcome != REPORT_OUT_INFRA) {
            en->n_valid_denominator++;
            en->rounds_mean += u->rounds; /* summed here, divided below */
        }
    }
    for (e = 0; e < d->n_entries; e++) {
        report_entry *en = &d->entries[e];
        long n = en->n_valid_denominator;
        long ft = en->n_outcome[REPORT_OUT_FIRST_TRY], rp = en->n_outcome[REPORT_OUT_REPAIRED],
             fb = en->n_outcome[REPORT_OUT_FEEDBACK];

        en->share_first_try = n ? (double)ft / (double)n : NAN;
        en->share_after_repair = n ? (double)(ft + rp) / (double)n : NAN;
        en->share_final = n ? (double)(ft + rp + fb) / (double)n : NAN;
        en->rounds_mean = n ? en->rounds_mean / (double)n : NAN;
        if (en->imported) {
            en->share_first_try = en->share_after_repair = en->share_final = en->rounds_mean = NAN;
            for (ph = 0; ph < REPORT_PHASE_COUNT; ph++)
                en->tokens_in_phase[ph] = en->tokens_out_phase[ph] = 0;
        }
    }
}

typedef struct report_task_key {
    int entry, project, phase;
    const char *task;
    size_t unit;
} report_task_key;

static int report_task_key_cmp(const void *a, const void *b)
{
    const report_task_key *x = a, *y = b;
    int c;

    if (x->entry != y->entry)
        return x->entry < y->entry ? -1 : 1;
    if (x->project != y->project)
        return x->project < y->project ? -1 : 1;
    if (x->phase != y->phase)
        return x->phase < y->phase ? -1 : 1;
    c = strcmp(x->task, y->task);
    if (c)
        return c;
    return (x->unit > y->unit) - (x->unit < y->unit);
}

static int report_task_same(const report_task_key *x, const report_task_key *y)
{
    return x->entry == y->entry && x->project == y->project && x->phase == y->phase && strcmp(x->task, y->task) == 0;
}

static bb_result report_stats_passk(report_data *d)
{
    report_task_key *keys = bb_calloc(d->n_units + 1, sizeof *keys);
    size_t n = 0, i, j;
    int k;

    if (!keys)
        return BB_ERR_NOMEM;
    for (i = 0; i < d->n_units; i++) {
        double v;

        if (d->entries[d->units[i].entry].imported || !report_stats_unit_value(&d->units[i], &v))
            continue;
        keys[n].entry = d->units[i].entry;
        keys[n].project = d->units[i].project;
        keys[n].phase = d->units[i].phase;
        keys[n].task = d->units[i].task;
        keys[n].unit = i;
        n++;
    }
    qsort(keys, n, sizeof *keys, report_task_key_cmp);
    for (i = 0; i < n; i = j) {
        for (j = i; j < n && report_task_same(&keys[i], &keys[j]); j++)
            ;
        if ((long)(j - i) > d->max_trials)
            d->max_trials = (int)(j - i);
    }
    d->passk_max = d->max_trials < REPORT_PASSK_MAX ? d->max_trials : REPORT_PASSK_MAX;
    for (i = 0; i < n; i = j) {
        report_entry *en = &d->entries[keys[i].entry];
        long c = 0;

        for (j = i; j < n && report_task_same(&keys[i], &keys[j]); j++) {
            double v;

            report_stats_unit_value(&d->units[keys[j].unit], &v);
            c += v >= d->params.pass_threshold;
        }
        for (k = 1; k <= d->passk_max; k++) {
            double p = report_stats_pass_hat_k((long)(j - i), c, k);

            if (!isnan(p)) {
                en->passk[k] += p; /* summed here, divided below */
                en->passk_tasks[k]++;
            }
        }
    }
    for (i = 0; i < d->n_entries; i++) {
        for (k = 0; k <= REPORT_PASSK_MAX; k++) {
            report_entry *en = &d->entries[i];

            en->passk[k] = en->passk_tasks[k] ? en->passk[k] / (double)en->passk_tasks[k] : NAN;
        }
    }
    bb_free(keys);
    return BB_OK;
}

static bb_result report_stats_cost(report_data *d)
{
    double *cost = bb_calloc(d->n_entries + 1, sizeof *cost), *score = bb_calloc(d->n_entries + 1, sizeof *score);
    int *front = bb_calloc(d->n_entries + 1, sizeof *front);
    int *unknown = bb_calloc(d->n_entries + 1, sizeof *unknown);
    size_t i, e;
    bb_result rc = BB_OK;

    if (!cost || !score || !front || !unknown) {
        rc = BB_ERR_NOMEM;
        goto out;
    }
    for (i = 0; i < d->n_units; i++) {
        const report_unit *u = &d->units[i];
        report_entry *en = &d->entries[u->entry];

        if (u->cost_usd >= 0) {
            en->cost_usd += u->cost_usd;
        } else if (en->has_price) {
            en->cost_usd += ((double)u->tokens_in * en->price_in_per_m + (double)u->tokens_out * en->price_out_per_m) /
                            1e6;
            en->cost_priced = 1;
        } else {
            unknown[u->entry] = 1;
        }
    }
    for (e = 0; e < d->n_entries; e++) {
        report_entry *en = &d->entries[e];
        long units = 0;
        int ph;

        for (ph = 0; ph < REPORT_PHASE_COUNT; ph++)
            units += en->units_phase[ph];
        if (en->imported || units == 0) {
            en->cost_state = REPORT_COST_NA;
        } else if (en->simulated) {
            en->cost_state = REPORT_COST_SIM;
            en->cost_usd = 0;
        } else {
            en->cost_state = unknown[e] ? REPORT_COST_NA : REPORT_COST_KNOWN;
        }
        if (en->cost_state == REPORT_COST_NA)
            en->cost_usd = 0;
        if (en->cost_state != REPORT_COST_NA)
            d->any_cost = 1;
        cost[e] = en->cost_state != REPORT_COST_NA ? en->cost_usd : NAN;
        score[e] = en->total.present ? en->total.mean : NAN;
    }
    report_stats_pareto(cost, score, d->n_entries, front);
    for (e = 0; e < d->n_entries; e++)
        d->entries[e].pareto = front[e];
out:
    bb_free(cost);
    bb_free(score);
    bb_free(front);
    bb_free(unknown);
    return rc;
}

/* ---- order and noise floor ------------------------------------------------- */

static int report_order_cmp_entries(const report_entry *x, const report_entry *y)
{
    int c;

    if (x->total.present != y->total.present)
        return x->total.present ? -1 : 1;
    if (x->total.present && x->total.mean != y->total.mean)
        return x->total.mean > y->total.mean ? -1 : 1;
    c = strcmp(x->label, y->label);
    if (c)
        return c;
    return x->imported - y->imported;
}

static void report_stats_order(report_data *d)
{
    size_t i, j;

    /* insertion sort: entries are few, and no qsort context is needed */
    for (i = 0; i < d->n_entries; i++)
        d->order[i] = i;
    for (i = 1; i < d->n_entries; i++) {
        size_t v = d->order[i];

        for (j = i; j > 0 && report_order_cmp_entries(&d->entries[v], &d->entries[d->order[j - 1]]) < 0; j--)
            d->order[j] = d->order[j - 1];
        d->order[j] = v;
    }
}

static bb_result report_stats_noise(report_data *d)
{
    double *hw = bb_calloc(d->n_entries + 1, sizeof *hw);
    size_t e, n;
    int a;

    if (!hw)
        return BB_ERR_NOMEM;
    for (a = -1; a < REPORT_AXIS_COUNT; a++) {
        n = 0;
        for (e = 0; e < d->n_entries; e++) {
            const report_interval *iv = a < 0 ? &d->entries[e].total : &d->entries[e].axis[a];

            if (iv->present && (a >= 0 || !d->entries[e].imported))
                hw[n++] = (iv->hi - iv->lo) / 2;
        }
        qsort(hw, n, sizeof *hw, report_stats_double_cmp);
        if (a < 0)
            d->noise_floor = n ? report_stats_quantile(hw, n, 0.5) : NAN;
        else
            d->noise_floor_axis[a] = n ? report_stats_quantile(hw, n, 0.5) : NAN;
    }
    bb_free(hw);
    return BB_OK;
}

bb_result report_stats_compute(report_data *d)
{
    double *boot = NULL;
    size_t e, i;
    bb_result rc;

    d->order = bb_arena_calloc(d->arena, d->n_entries + 1, sizeof *d->order);
    if (!d->order)
        return BB_ERR_NOMEM;
    for (e = 0; e < d->n_entries; e++) {
        report_entry *en = &d->entries[e];

        memset(en->axis, 0, sizeof en->axis);
        memset(&en->total, 0, sizeof en->total);
        en->project_axis = bb_arena_calloc(d->arena, d->n_projects * REPORT_AXIS_COUNT + 1, sizeof(double));
        en->project_total = bb_arena_calloc(d->arena, d->n_projects + 1, sizeof(double));
        if (!en->project_axis || !en->project_total)
            return BB_ERR_NOMEM;
        for (i = 0; i < d->n_projects * REPORT_AXIS_COUNT; i++)
            en->project_axis[i] = NAN;
        for (i = 0; i < d->n_projects; i++)
            en->project_total[i] = NAN;
    }
    boot = bb_calloc(d->n_entries * REPORT_AXIS_COUNT * (size_t)d->params.bootstrap_b + 1, sizeof *boot);
    if (!boot)
        return BB_ERR_NOMEM;
    rc = report_stats_axes(d, boot);
    if (rc == BB_OK)
        rc = report_stats_totals(d, boot);
    bb_free(boot);
    if (rc != BB_OK)
        return rc;
    report_stats_harness(d);
    rc = report_stats_passk(d);
    if (rc == BB_OK)
        rc = report_stats_cost(d);
    if (rc == BB_OK)
        rc = report_stats_noise(d);
    if (rc == BB_OK)
        report_stats_order(d);
    return rc;
}
