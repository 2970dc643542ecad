/*
 * report_md.c — leaderboard.md: the leaderboard as a Markdown table with
 * 95% intervals, and the weights, threshold and noise floor in a preamble
 * (see report_output.h).
 */
#include "report/report_output.h"

#include <math.h>

#include "report/report_format.h"

static bb_result rm_cost(bb_buf *b, const report_entry *en)
{
    if (en->cost_state == REPORT_COST_SIM)
        return bb_buf_puts(b, "0 (simulated)");
    if (en->cost_state == REPORT_COST_NA)
        return bb_buf_puts(b, "n/a");
    return bb_buf_printf(b, "%.4f%s", en->cost_usd, en->cost_priced ? " (priced)" : "");
}

static bb_result rm_pct(bb_buf *b, double v)
{
    if (isnan(v))
        return bb_buf_puts(b, "—");
    return bb_buf_printf(b, "%.1f%%", 100 * v);
}

bb_result report_md_render(const report_data *d, bb_buf *b)
{
    bb_result rc;
    size_t i;
    int a;

    rc = bb_buf_puts(b, "# backbench leaderboard\n\n");
    if (rc == BB_OK && d->n_versions) {
        rc = bb_buf_puts(b, "Benchmark version: ");
        for (i = 0; rc == BB_OK && i < d->n_versions; i++) {
            if (i)
                rc = bb_buf_puts(b, ", ");
            if (rc == BB_OK)
                rc = report_fmt_md(b, d->versions[i]);
        }
        if (rc == BB_OK)
            rc = bb_buf_puts(b, ".\n");
    }
    if (rc == BB_OK)
        rc = bb_buf_printf(b,
                           "Scores are 0-100: mean [95%% bootstrap interval, %d resamples]. Total = weighted mean of "
                           "the axes present (DB design %.2f, API design %.2f, Logic %.2f, renormalised). "
                           "Projects weigh equally within an axis. Noise floor (median half-width of the total "
                           "intervals): ",
                           d->params.bootstrap_b, d->params.weight[0], d->params.weight[1], d->params.weight[2]);
    if (rc == BB_OK)
        rc = report_fmt_num(b, d->noise_floor, 1, "n/a");
    if (rc == BB_OK)
        rc = bb_buf_puts(b, " points.\n\n| # | Model | Total |");
    for (a = 0; rc == BB_OK && a < REPORT_AXIS_COUNT; a++) {
        if (d->axis_present[a])
            rc = bb_buf_printf(b, " %s |", report_axis_title(a));
    }
    if (rc == BB_OK)
        rc = bb_buf_puts(b, " First-try valid | Final valid | Mean rounds | Cost (USD) |\n|---:|---|---|");
    for (a = 0; rc == BB_OK && a < REPORT_AXIS_COUNT; a++) {
        if (d->axis_present[a])
            rc = bb_buf_puts(b, "---|");
    }
    if (rc == BB_OK)
        rc = bb_buf_puts(b, "---:|---:|---:|---:|\n");
    for (i = 0; rc == BB_OK && i < d->n_entries; i++) {
        const report_entry *en = &d->entries[d->order[i]];

        rc = bb_buf_printf(b, "| %zu | ", i + 1);
        if (rc == BB_OK)
            rc = report_fmt_md(b, en->label);
        if (rc == BB_OK && en->imported)
            rc = bb_buf_puts(b, " (imported)");
        if (rc == BB_OK && en->simulated)
            rc = bb_buf_puts(b, " (simulated)");
        if (rc == BB_OK)
            rc = bb_buf_puts(b, " | ");
        if (rc == BB_OK)
            rc = report_fmt_interval(b, en->total.present, en->total.mean, en->total.lo, en->total.hi, "—");
        for (a = 0; rc == BB_OK && a < REPORT_AXIS_COUNT; a++) {
            if (!d->axis_present[a])
                continue;
            rc = bb_buf_puts(b, " | ");
            if (rc == BB_OK)
                rc = report_fmt_interval(b, en->axis[a].present, en->axis[a].mean, en->axis[a].lo, en->axis[a].hi,
                                         "—");
        }
        if (rc == BB_OK)
            rc = bb_buf_puts(b, " | ");
        if (rc == BB_OK)
            rc = rm_pct(b, en->share_first_try);
        if (rc == BB_OK)
            rc = bb_buf_puts(b, " | ");
        if (rc == BB_OK)
            rc = rm_pct(b, en->share_final);
        if (rc == BB_OK)
            rc = bb_buf_puts(b, " | ");
        if (rc == BB_OK)
            rc = report_fmt_num(b, en->rounds_mean, 2, "—");
        if (rc == BB_OK)
            rc = bb_buf_puts(b, " | ");
        if (rc == BB_OK)
            rc = rm_cost(b, en);
        if (rc == BB_OK)
            rc = bb_buf_puts(b, " |\n");
    }
    if (rc == BB_OK)
        rc = bb_buf_puts(b, "\nImported entries are results produced elsewhere (AutoBe) and scored here: design "
                            "axes only, no harness figures.\n");
    return rc;
}
