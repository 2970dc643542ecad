/*
 * report_json.c — summary.json: every figure of the report, machine-readable
 * (see report_output.h; docs/report.md describes each field).
 *
 * Written by hand (not through a JSON DOM) so the key order and the number
 * formatting are fixed: reals with 4 decimals (costs with 6), NAN as null.
 */
#include "report/report_output.h"

#include <math.h>
#include <string.h>

static const char *const report_json_outcomes[REPORT_OUT_COUNT] = {
    "first_try_valid", "repaired_valid", "feedback_valid", "failed_invalid", "failed_no_call", "failed_infra", "other"};

static bb_result rj_str(bb_buf *b, const char *s)
{
    return bb_buf_put_json_string(b, s ? s : "", s ? strlen(s) : 0);
}

static bb_result rj_num(bb_buf *b, double v, int decimals)
{
    if (isnan(v) || isinf(v))
        return bb_buf_puts(b, "null");
    if (v < 0 && v > -0.5 * pow(10, -decimals))
        v = 0;
    return bb_buf_printf(b, "%.*f", decimals, v);
}

static bb_result rj_interval(bb_buf *b, const report_interval *iv)
{
    bb_result rc;

    if (!iv->present)
        return bb_buf_puts(b, "null");
    rc = bb_buf_puts(b, "{\"mean\":");
    if (rc == BB_OK)
        rc = rj_num(b, iv->mean, 4);
    if (rc == BB_OK)
        rc = bb_buf_puts(b, ",\"lo\":");
    if (rc == BB_OK)
        rc = rj_num(b, iv->lo, 4);
    if (rc == BB_OK)
        rc = bb_buf_puts(b, ",\"hi\":");
    if (rc == BB_OK)
        rc = rj_num(b, iv->hi, 4);
    if (rc == BB_OK)
        rc = bb_buf_printf(b, ",\"half_width\":");
    if (rc == BB_OK)
        rc = rj_num(b, (iv->hi - iv->lo) / 2, 4);
    if (rc == BB_OK)
        rc = bb_buf_printf(b, ",\"units\":%ld}", iv->n);
    return rc;
}

static bb_result rj_entry(const report_data *d, const report_entry *en, size_t rank, bb_buf *b)
{
    static const char *const cost_names[3] = {"n/a", "known", "simulated"};
    bb_result rc;
    size_t p;
    int a, k;

    rc = bb_buf_printf(b, "{\"rank\":%zu,\"model\":", rank);
    if (rc == BB_OK)
        rc = rj_str(b, en->model);
    if (rc == BB_OK)
        rc = bb_buf_puts(b, ",\"label\":");
    if (rc == BB_OK)
        rc = rj_str(b, en->label);
    if (rc == BB_OK)
        rc = bb_buf_puts(b, ",\"server_kind\":");
    if (rc == BB_OK)
        rc = rj_str(b, en->server_kind);
    if (rc == BB_OK)
        rc = bb_buf_puts(b, ",\"harness_mode\":");
    if (rc == BB_OK)
        rc = en->harness_mode ? rj_str(b, en->harness_mode) : bb_buf_puts(b, "null");
    if (rc == BB_OK)
        rc = bb_buf_puts(b, ",\"run_mode\":");
    if (rc == BB_OK)
        rc = en->run_mode ? rj_str(b, en->run_mode) : bb_buf_puts(b, "null");
    if (rc == BB_OK)
        rc = bb_buf_printf(b, ",\"imported\":%s,\"simulated\":%s,\"total\":", en->imported ? "true" : "false",
                           en->simulated ? "true" : "false");
    if (rc == BB_OK)
        rc = rj_interval(b, &en->total);
    if (rc == BB_OK)
        rc = bb_buf_puts(b, ",\"axes\":{");
    for (a = 0; rc == BB_OK && a < REPORT_AXIS_COUNT; a++) {
        rc = bb_buf_printf(b, "%s\"%s\":", a ? "," : "", report_axis_name(a));
        if (rc == BB_OK)
            rc = rj_interval(b, &en->axis[a]);
    }
    if (rc == BB_OK)
        rc = bb_buf_puts(b, "},\"projects\":[");
    for (p = 0; rc == BB_OK && p < d->n_projects; p++) {
        rc = bb_buf_printf(b, "%s{\"project\":", p ? "," : "");
        if (rc == BB_OK)
            rc = rj_str(b, d->projects[p]);
        if (rc == BB_OK)
            rc = bb_buf_puts(b, ",\"total\":");
        if (rc == BB_OK)
            rc = rj_num(b, en->project_total[p], 4);
        for (a = 0; rc == BB_OK && a < REPORT_AXIS_COUNT; a++) {
            rc = bb_buf_printf(b, ",\"%s\":", report_axis_name(a));
            if (rc == BB_OK)
                rc = rj_num(b, en->project_axis[p * REPORT_AXIS_COUNT + (size_t)a], 4);
        }
        if (rc == BB_OK)
            rc = bb_buf_putc(b, '}');
    }
    if (rc == BB_OK)
        rc = bb_buf_puts(b, "],\"harness\":");
    if (rc == BB_OK && en->imported) {
        rc = bb_buf_puts(b, "null");
    } else if (rc == BB_OK) {
        rc = bb_buf_printf(b, "{\"units\":%ld,\"infra_failures\":%ld,\"first_try\":", en->n_valid_denominator,
                           en->n_outcome[REPORT_OUT_INFRA]);
        if (rc == BB_OK)
            rc = rj_num(b, en->share_first_try, 4);
        if (rc == BB_OK)
            rc = bb_buf_puts(b, ",\"after_repair\":");
        if (rc == BB_OK)
            rc = rj_num(b, en->share_after_repair, 4);
        if (rc == BB_OK)
            rc = bb_buf_puts(b, ",\"final\":");
        if (rc == BB_OK)
            rc = rj_num(b, en->share_final, 4);
        if (rc == BB_OK)
            rc = bb_buf_puts(b, ",\"rounds_mean\":");
        if (rc == BB_OK)
            rc = rj_num(b, en->rounds_mean, 4);
        if (rc == BB_OK)
            rc = bb_buf_puts(b, ",\"outcomes\":{");
        for (k = 0; rc == BB_OK && k < REPORT_OUT_COUNT; k++)
            rc = bb_buf_printf(b, "%s\"%s\":%ld", k ? "," : "", report_json_outcomes[k], en->n_outcome[k]);
        if (rc == BB_OK)
            rc = bb_buf_puts(b, "},\"tokens\":{");
        for (k = 0; rc == BB_OK && k < REPORT_PHASE_COUNT; k++)
            rc = bb_buf_printf(b, "%s\"%s\":{\"units\":%ld,\"in\":%ld,\"out\":%ld}", k ? "," : "",
                               report_phase_name(k), en->units_phase[k], en->tokens_in_phase[k],
                               en->tokens_out_phase[k]);
        if (rc == BB_OK)
            rc = bb_buf_puts(b, "},\"pass_k\":{");
        for (k = 1; rc == BB_OK && k <= d->passk_max; k++) {
            rc = bb_buf_printf(b, "%s\"%d\":", k > 1 ? "," : "", k);
            if (rc == BB_OK)
                rc = rj_num(b, en->passk[k], 4);
        }
        if (rc == BB_OK)
            rc = bb_buf_puts(b, "}}");
    }
    if (rc == BB_OK)
        rc = bb_buf_printf(b, ",\"cost\":{\"state\":\"%s\",\"usd\":", cost_names[en->cost_state]);
    if (rc == BB_OK)
        rc = en->cost_state == REPORT_COST_NA ? bb_buf_puts(b, "null") : rj_num(b, en->cost_usd, 6);
    if (rc == BB_OK)
        rc = bb_buf_printf(b, ",\"priced_from_registry\":%s},\"pareto\":%s}", en->cost_priced ? "true" : "false",
                           en->pareto ? "true" : "false");
    return rc;
}

static bb_result rj_classes(bb_buf *b, const char *name, report_count *const *lists, const size_t *ns,
                            const long *totals)
{
    bb_result rc = bb_buf_printf(b, ",\"%s\":{", name);
    size_t i;
    int ph;

    for (ph = 0; rc == BB_OK && ph < REPORT_PHASE_COUNT; ph++) {
        rc = bb_buf_printf(b, "%s\"%s\":{\"total\":%ld,\"top\":[", ph ? "," : "", report_phase_name(ph), totals[ph]);
        for (i = 0; rc == BB_OK && i < ns[ph]; i++) {
            rc = bb_buf_puts(b, i ? ",{\"class\":" : "{\"class\":");
            if (rc == BB_OK)
                rc = rj_str(b, lists[ph][i].name);
            if (rc == BB_OK)
                rc = bb_buf_printf(b, ",\"n\":%ld}", lists[ph][i].n);
        }
        if (rc == BB_OK)
            rc = bb_buf_puts(b, "]}");
    }
    if (rc == BB_OK)
        rc = bb_buf_putc(b, '}');
    return rc;
}

bb_result report_json_render(const report_data *d, bb_buf *b)
{
    bb_result rc = bb_buf_puts(b, "{\"format\":\"backbench-report\",\"format_version\":1,\"benchmark_versions\":[");
    size_t i;
    int a, ph;

    for (i = 0; rc == BB_OK && i < d->n_versions; i++) {
        if (i)
            rc = bb_buf_putc(b, ',');
        if (rc == BB_OK)
            rc = rj_str(b, d->versions[i]);
    }
    if (rc == BB_OK)
        rc = bb_buf_printf(b,
                           "],\"method\":{\"confidence\":0.95,\"interval\":\"percentile bootstrap, units resampled "
                           "within each project\",\"bootstrap_resamples\":%d,\"seed\":%llu,\"pass_threshold\":",
                           d->params.bootstrap_b, (unsigned long long)d->params.seed);
    if (rc == BB_OK)
        rc = rj_num(b, d->params.pass_threshold, 1);
    if (rc == BB_OK)
        rc = bb_buf_puts(b, ",\"weights\":{");
    for (a = 0; rc == BB_OK && a < REPORT_AXIS_COUNT; a++) {
        rc = bb_buf_printf(b, "%s\"%s\":", a ? "," : "", report_axis_name(a));
        if (rc == BB_OK)
            rc = rj_num(b, d->params.weight[a], 4);
    }
    if (rc == BB_OK)
        rc = bb_buf_puts(b, "}},\"noise_floor\":{\"total\":");
    if (rc == BB_OK)
        rc = rj_num(b, d->noise_floor, 4);
    for (a = 0; rc == BB_OK && a < REPORT_AXIS_COUNT; a++) {
        rc = bb_buf_printf(b, ",\"%s\":", report_axis_name(a));
        if (rc == BB_OK)
            rc = rj_num(b, d->noise_floor_axis[a], 4);
    }
    if (rc == BB_OK)
        rc = bb_buf_puts(b, "},\"phases\":[");
    for (ph = 0, i = 0; rc == BB_OK && ph < REPORT_PHASE_COUNT; ph++) {
        if (d->phase_present[ph])
            rc = bb_buf_printf(b, "%s\"%s\"", i++ ? "," : "", report_phase_name(ph));
    }
    if (rc == BB_OK)
        rc = bb_buf_printf(b, "],\"units\":%zu,\"max_trials\":%d,\"passk_max\":%d,\"projects\":[", d->n_units,
                           d->max_trials, d->passk_max);
    for (i = 0; rc == BB_OK && i < d->n_projects; i++) {
        if (i)
            rc = bb_buf_putc(b, ',');
        if (rc == BB_OK)
            rc = rj_str(b, d->projects[i]);
    }
    if (rc == BB_OK)
        rc = bb_buf_puts(b, "],\"entries\":[\n");
    for (i = 0; rc == BB_OK && i < d->n_entries; i++) {
        rc = rj_entry(d, &d->entries[d->order[i]], i + 1, b);
        if (rc == BB_OK)
            rc = bb_buf_puts(b, i + 1 < d->n_entries ? ",\n" : "\n");
    }
    if (rc == BB_OK)
        rc = bb_buf_putc(b, ']');
    if (rc == BB_OK)
        rc = rj_classes(b, "error_classes", d->errors, d->n_errors, d->errors_total);
    if (rc == BB_OK)
        rc = rj_classes(b, "repair_codes", d->repairs, d->n_repairs, d->repairs_total);
    if (rc == BB_OK)
        rc = bb_buf_puts(b, "}\n");
    return rc;
}
