/*
 * report_csv.c — leaderboard.csv: one row per entry (in leaderboard order),
 * one column per figure; reals with 4 decimals, empty when absent
 * (see report_output.h).
 */
#include "report/report_output.h"

#include "report/report_format.h"

static bb_result rc_num(bb_buf *b, double v, int decimals)
{
    bb_result rc = bb_buf_putc(b, ',');

    return rc == BB_OK ? report_fmt_num(b, v, decimals, "") : rc;
}

static bb_result rc_interval(bb_buf *b, const report_interval *iv)
{
    bb_result rc = BB_OK;

    if (!iv->present)
        return bb_buf_puts(b, ",,,");
    rc = rc_num(b, iv->mean, 4);
    if (rc == BB_OK)
        rc = rc_num(b, iv->lo, 4);
    if (rc == BB_OK)
        rc = rc_num(b, iv->hi, 4);
    return rc;
}

static bb_result rc_field(bb_buf *b, const char *s)
{
    bb_result rc = bb_buf_putc(b, ',');

    return rc == BB_OK ? report_fmt_csv(b, s ? s : "") : rc;
}

bb_result report_csv_render(const report_data *d, bb_buf *b)
{
    static const char *const cost_names[3] = {"n/a", "known", "simulated"};
    bb_result rc = bb_buf_puts(b, "rank,model,label,server_kind,harness_mode,run_mode,imported,simulated,"
                                  "total,total_lo,total_hi,db,db_lo,db_hi,api,api_lo,api_hi,logic,logic_lo,logic_hi,"
                                  "units,infra_failures,first_try,after_repair,final,rounds_mean");
    size_t i;
    int a, k;

    for (k = 1; rc == BB_OK && k <= d->passk_max; k++)
        rc = bb_buf_printf(b, ",pass%d", k);
    if (rc == BB_OK)
        rc = bb_buf_puts(b, ",cost_state,cost_usd,pareto\n");
    for (i = 0; rc == BB_OK && i < d->n_entries; i++) {
        const report_entry *en = &d->entries[d->order[i]];

        rc = bb_buf_printf(b, "%zu", i + 1);
        if (rc == BB_OK)
            rc = rc_field(b, en->model);
        if (rc == BB_OK)
            rc = rc_field(b, en->label);
        if (rc == BB_OK)
            rc = rc_field(b, en->server_kind);
        if (rc == BB_OK)
            rc = rc_field(b, en->harness_mode);
        if (rc == BB_OK)
            rc = rc_field(b, en->run_mode);
        if (rc == BB_OK)
            rc = bb_buf_printf(b, ",%d,%d", en->imported, en->simulated);
        if (rc == BB_OK)
            rc = rc_interval(b, &en->total);
        for (a = 0; rc == BB_OK && a < REPORT_AXIS_COUNT; a++)
            rc = rc_interval(b, &en->axis[a]);
        if (rc == BB_OK && en->imported)
            rc = bb_buf_puts(b, ",,,,,,");
        else if (rc == BB_OK) {
            rc = bb_buf_printf(b, ",%ld,%ld", en->n_valid_denominator, en->n_outcome[REPORT_OUT_INFRA]);
            if (rc == BB_OK)
                rc = rc_num(b, en->share_first_try, 4);
            if (rc == BB_OK)
                rc = rc_num(b, en->share_after_repair, 4);
            if (rc == BB_OK)
                rc = rc_num(b, en->share_final, 4);
            if (rc == BB_OK)
                rc = rc_num(b, en->rounds_mean, 4);
        }
        for (k = 1; rc == BB_OK && k <= d->passk_max; k++)
            rc = rc_num(b, en->passk[k], 4);
        if (rc == BB_OK)
            rc = bb_buf_printf(b, ",%s", cost_names[en->cost_state]);
        if (rc == BB_OK)
            rc = en->cost_state == REPORT_COST_NA ? bb_buf_putc(b, ',') : rc_num(b, en->cost_usd, 6);
        if (rc == BB_OK)
            rc = bb_buf_printf(b, ",%d\n", en->pareto);
    }
    return rc;
}
