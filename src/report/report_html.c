/*
 * report_html.c — index.html: the self-contained dashboard (see
 * report_output.h).
 *
 * One page with inline CSS and inline SVG charts; no script, no external
 * resource, so it opens from a file or an offline mirror and renders the same
 * everywhere. Sections: leaderboard (table and chart), model × project
 * heatmaps, cost versus score with the Pareto front, harness figures
 * (validity, rounds, tokens), pass^k, error classes, and the method.
 * Writing goes through a sticky-error context: after the first failure every
 * later append is skipped and the error is returned at the end.
 */
#include "report/report_output.h"

#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "report/report_format.h"
#include "report/report_svg.h"
#include "util/alloc.h"

typedef struct rh {
    const report_data *d;
    bb_buf *b;
    bb_result rc;
} rh;

static void rh_puts(rh *h, const char *s)
{
    if (h->rc == BB_OK)
        h->rc = bb_buf_puts(h->b, s);
}

static void rh_printf(rh *h, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void rh_printf(rh *h, const char *fmt, ...)
{
    va_list ap;

    if (h->rc != BB_OK)
        return;
    va_start(ap, fmt);
    h->rc = bb_buf_vprintf(h->b, fmt, ap);
    va_end(ap);
}

static void rh_esc(rh *h, const char *s)
{
    if (h->rc == BB_OK)
        h->rc = report_fmt_html(h->b, s);
}

static void rh_num(rh *h, double v, int decimals, const char *none)
{
    if (h->rc == BB_OK)
        h->rc = report_fmt_num(h->b, v, decimals, none);
}

static void rh_pct(rh *h, double v)
{
    if (isnan(v))
        rh_puts(h, "<span class=\"na\">—</span>");
    else
        rh_printf(h, "%.1f%%", 100 * v);
}

static void rh_tokens(rh *h, long n)
{
    if (n >= 10000000)
        rh_printf(h, "%.1fM", (double)n / 1e6);
    else if (n >= 10000)
        rh_printf(h, "%.1fk", (double)n / 1e3);
    else
        rh_printf(h, "%ld", n);
}

static const char *const rh_css =
    "*{box-sizing:border-box}"
    "body{margin:0;background:#f5f6f8;color:#1d2733;font:14px/1.5 system-ui,-apple-system,'Segoe UI',Roboto,"
    "'DejaVu Sans',sans-serif}"
    "main{max-width:1320px;margin:0 auto;padding:24px 28px 48px}"
    "header{margin-bottom:18px}h1{font-size:26px;margin:0 0 4px}"
    "h2{font-size:19px;margin:0 0 6px}h3{font-size:15px;margin:18px 0 6px}"
    ".sub{color:#556;margin:0}"
    "section{background:#fff;border:1px solid #e1e4e8;border-radius:8px;padding:18px 22px;margin:0 0 18px}"
    "p.note{color:#556;margin:4px 0 12px;max-width:980px}"
    ".chips{display:flex;flex-wrap:wrap;gap:8px;margin-top:10px}"
    ".chip{background:#fff;border:1px solid #dde1e6;border-radius:16px;padding:3px 12px;font-size:13px}"
    ".chip b{font-weight:600}"
    "table{border-collapse:collapse;font-variant-numeric:tabular-nums;margin:6px 0 4px}"
    "th,td{padding:5px 10px;border-bottom:1px solid #eceef1;text-align:right;white-space:nowrap}"
    "th{background:#f7f8fa;font-weight:600;font-size:13px;color:#334;position:sticky;top:0}"
    "td.l,th.l{text-align:left}td.name{text-align:left;font-weight:600;max-width:330px;white-space:normal;"
    "overflow-wrap:anywhere}"
    "td.l code{white-space:normal;overflow-wrap:anywhere}"
    "tr:hover td{background:#f8fafc}"
    ".ci{color:#778;font-size:12px;margin-left:4px}"
    ".na{color:#aab}"
    ".badge{display:inline-block;font-size:11px;font-weight:600;border-radius:4px;padding:0 6px;margin-left:6px;"
    "vertical-align:1px}"
    ".b-imp{background:#efe7f8;color:#6a4a93}.b-sim{background:#e8eef1;color:#4f6874}"
    ".b-mode{background:#fdf0e3;color:#94531b}.b-front{background:#fbe4d6;color:#a2461a}"
    ".scroll{overflow-x:auto}"
    ".grid{display:grid;grid-template-columns:repeat(auto-fit,minmax(380px,1fr));gap:8px 28px}"
    ".grid.wide{grid-template-columns:repeat(auto-fit,minmax(560px,1fr))}"
    ".legend{color:#556;font-size:13px}.sw{display:inline-block;width:11px;height:11px;border-radius:2px;"
    "margin:0 5px 0 12px;vertical-align:-1px}"
    "svg{max-width:100%;height:auto;display:block;margin:8px 0}"
    "code{background:#f2f3f5;border-radius:3px;padding:0 4px;font-size:13px}"
    "ul.method{max-width:980px;padding-left:20px}ul.method li{margin:4px 0}"
    "footer{color:#889;font-size:12px;text-align:center}";

static void rh_badges(rh *h, const report_entry *en)
{
    if (en->imported)
        rh_puts(h, "<span class=\"badge b-imp\">imported</span>");
    if (en->simulated)
        rh_puts(h, "<span class=\"badge b-sim\">simulated</span>");
}

static void rh_name(rh *h, const report_entry *en)
{
    rh_puts(h, "<td class=\"name\" title=\"");
    rh_esc(h, en->label);
    rh_puts(h, "\">");
    rh_esc(h, en->label);
    rh_badges(h, en);
    rh_puts(h, "</td>");
}

static void rh_interval_cell(rh *h, const report_interval *iv)
{
    if (!iv->present) {
        rh_puts(h, "<td><span class=\"na\">—</span></td>");
        return;
    }
    rh_printf(h, "<td><b>%.1f</b><span class=\"ci\">[%.1f, %.1f]</span></td>", iv->mean, iv->lo, iv->hi);
}

static void rh_cost_cell(rh *h, const report_entry *en)
{
    if (en->cost_state == REPORT_COST_SIM)
        rh_puts(h, "<td>0 <span class=\"ci\">sim</span></td>");
    else if (en->cost_state == REPORT_COST_NA)
        rh_puts(h, "<td><span class=\"na\">n/a</span></td>");
    else
        rh_printf(h, "<td>$%.4f%s</td>", en->cost_usd, en->cost_priced ? "<span class=\"ci\">priced</span>" : "");
}

/* ---- sections ------------------------------------------------------------------- */

static void rh_header(rh *h)
{
    const report_data *d = h->d;
    size_t i, n_imp = 0;
    int ph, first = 1;

    for (i = 0; i < d->n_entries; i++)
        n_imp += (size_t)d->entries[i].imported;
    rh_puts(h, "<header><h1>");
    rh_esc(h, d->params.title);
    rh_puts(h, "</h1><p class=\"sub\">How well language models build a backend by function calling. ");
    if (d->n_versions) {
        rh_puts(h, "Benchmark version ");
        for (i = 0; i < d->n_versions; i++) {
            rh_puts(h, i ? ", <code>" : "<code>");
            rh_esc(h, d->versions[i]);
            rh_puts(h, "</code>");
        }
        rh_puts(h, ".");
    }
    rh_printf(h, "</p><div class=\"chips\"><span class=\"chip\"><b>%zu</b> entries", d->n_entries);
    if (n_imp)
        rh_printf(h, " (%zu imported)", n_imp);
    rh_printf(h, "</span><span class=\"chip\"><b>%zu</b> projects</span><span class=\"chip\">phases <b>", d->n_projects);
    for (ph = 0; ph < REPORT_PHASE_COUNT; ph++) {
        if (d->phase_present[ph]) {
            rh_printf(h, "%s%s", first ? "" : ", ", report_phase_name(ph));
            first = 0;
        }
    }
    if (first)
        rh_puts(h, "none");
    rh_printf(h, "</b></span><span class=\"chip\"><b>%zu</b> units</span><span class=\"chip\">up to <b>%d</b> "
                 "trials per task</span><span class=\"chip\">noise floor <b>",
              d->n_units, d->max_trials);
    if (isnan(d->noise_floor))
        rh_puts(h, "n/a");
    else
        rh_printf(h, "\xc2\xb1%.1f", d->noise_floor);
    rh_puts(h, "</b> points</span></div></header>\n");
}

static void rh_leaderboard(rh *h)
{
    const report_data *d = h->d;
    report_svg_bar *bars = bb_calloc(d->n_entries + 1, sizeof *bars);
    size_t i;
    int a;

    if (!bars) {
        h->rc = BB_ERR_NOMEM;
        return;
    }
    rh_printf(h,
              "<section id=\"leaderboard\"><h2>Leaderboard</h2><p class=\"note\">Scores are 0-100: the mean and its "
              "95%% bootstrap interval. Each axis is the mean over projects (every project weighs the same) of the "
              "project's mean score over tasks \xc3\x97 trials. <b>Total</b> = weighted mean of the axes present: "
              "DB design %.2f, API design %.2f, Logic %.2f, renormalised over the axes an entry has. Sorted by total, "
              "then name. Validity shares leave infrastructure failures out.</p><div class=\"scroll\"><table><thead>"
              "<tr><th>#</th><th class=\"l\">Model</th><th>Total</th>",
              d->params.weight[0], d->params.weight[1], d->params.weight[2]);
    for (a = 0; a < REPORT_AXIS_COUNT; a++) {
        if (d->axis_present[a])
            rh_printf(h, "<th>%s</th>", report_axis_title(a));
    }
    rh_puts(h, "<th>First-try valid</th><th>Final valid</th><th>Mean rounds</th><th>Cost (USD)</th></tr></thead>"
               "<tbody>\n");
    for (i = 0; i < d->n_entries; i++) {
        const report_entry *en = &d->entries[d->order[i]];

        rh_printf(h, "<tr><td>%zu</td>", i + 1);
        rh_name(h, en);
        rh_interval_cell(h, &en->total);
        for (a = 0; a < REPORT_AXIS_COUNT; a++) {
            if (d->axis_present[a])
                rh_interval_cell(h, &en->axis[a]);
        }
        rh_puts(h, "<td>");
        rh_pct(h, en->share_first_try);
        rh_puts(h, "</td><td>");
        rh_pct(h, en->share_final);
        rh_puts(h, "</td><td>");
        rh_num(h, en->rounds_mean, 2, "<span class=\"na\">—</span>");
        rh_puts(h, "</td>");
        rh_cost_cell(h, en);
        rh_puts(h, "</tr>\n");
        bars[i].label = en->label;
        bars[i].value = en->total.present ? en->total.mean : NAN;
        bars[i].lo = en->total.lo;
        bars[i].hi = en->total.hi;
        bars[i].style = en->imported ? REPORT_SVG_IMPORTED : en->simulated ? REPORT_SVG_SIMULATED : REPORT_SVG_NORMAL;
    }
    rh_puts(h, "</tbody></table></div><h3>Total score with 95% interval</h3><div class=\"legend\">bar: mean; "
               "whiskers: 95% interval<span class=\"sw\" style=\"background:#3b6fb6\"></span>measured"
               "<span class=\"sw\" style=\"background:#8e6bb8\"></span>imported"
               "<span class=\"sw\" style=\"background:#7f9aa8\"></span>simulated</div>");
    if (h->rc == BB_OK)
        h->rc = report_svg_bars(h->b, "Total score with 95% interval", bars, d->n_entries);
    rh_puts(h, "</section>\n");
    bb_free(bars);
}

static void rh_heatmaps(rh *h)
{
    const report_data *d = h->d;
    const char **rows = bb_calloc(d->n_entries + 1, sizeof *rows);
    double *vals = bb_calloc(d->n_entries * d->n_projects + 1, sizeof *vals);
    size_t i, p;
    int a;

    if (!rows || !vals) {
        h->rc = BB_ERR_NOMEM;
        goto out;
    }
    rh_puts(h, "<section id=\"projects\"><h2>Models \xc3\x97 projects</h2><p class=\"note\">The score of each "
               "entry on each project (0-100; grey: no data). The total per project uses the same weights as the "
               "leaderboard.</p><div class=\"grid wide\">");
    for (a = -1; a < REPORT_AXIS_COUNT && h->rc == BB_OK; a++) {
        const char *title = a < 0 ? "Total" : report_axis_title(a);

        if (a >= 0 && !d->axis_present[a])
            continue;
        for (i = 0; i < d->n_entries; i++) {
            const report_entry *en = &d->entries[d->order[i]];

            rows[i] = en->label;
            for (p = 0; p < d->n_projects; p++)
                vals[i * d->n_projects + p] =
                    a < 0 ? en->project_total[p] : en->project_axis[p * REPORT_AXIS_COUNT + (size_t)a];
        }
        rh_printf(h, "<div><h3>%s</h3>", title);
        if (h->rc == BB_OK)
            h->rc = report_svg_heatmap(h->b, title, rows, d->n_entries, d->projects, d->n_projects, vals);
        rh_puts(h, "</div>");
    }
    rh_puts(h, "</div></section>\n");
out:
    bb_free(rows);
    bb_free(vals);
}

static void rh_cost(rh *h)
{
    const report_data *d = h->d;
    report_svg_point *pts = bb_calloc(d->n_entries + 1, sizeof *pts);
    size_t i, n = 0;

    if (!pts) {
        h->rc = BB_ERR_NOMEM;
        return;
    }
    rh_puts(h, "<section id=\"cost\"><h2>Cost versus score</h2><p class=\"note\">Total cost of an entry's units "
               "in US dollars: the cost the server reported, else tokens \xc3\x97 the price in the model registry "
               "(<code>models/registry.json</code>); simulated models cost 0, imported results and unpriced models "
               "are n/a and left out. The dashed line joins the Pareto front: no other entry is both cheaper (or "
               "as cheap) and better (or as good).</p>");
    for (i = 0; i < d->n_entries; i++) {
        const report_entry *en = &d->entries[d->order[i]];

        if (en->cost_state == REPORT_COST_NA || !en->total.present)
            continue;
        pts[n].label = en->label;
        pts[n].x = en->cost_usd;
        pts[n].y = en->total.mean;
        pts[n].front = en->pareto;
        pts[n].style = en->simulated ? REPORT_SVG_SIMULATED : REPORT_SVG_NORMAL;
        n++;
    }
    if (n == 0) {
        rh_puts(h, "<p class=\"na\">No entry has a known cost.</p>");
    } else {
        if (h->rc == BB_OK)
            h->rc = report_svg_scatter(h->b, "Cost versus total score", "cost of the run (USD)", "total score", pts,
                                       n);
        rh_puts(h, "<p class=\"note\">On the front: ");
        for (i = 0; i < n; i++) {
            if (pts[i].front) {
                rh_puts(h, "<span class=\"badge b-front\">");
                rh_esc(h, pts[i].label);
                rh_puts(h, "</span>");
            }
        }
        rh_puts(h, "</p>");
    }
    rh_puts(h, "</section>\n");
    bb_free(pts);
}

static void rh_harness(rh *h)
{
    static const char *const parts[4] = {"valid on the first try", "valid after repair", "valid after feedback",
                                         "failed"};
    static const char *const colours[4] = {"#2f7d4a", "#7cb867", "#e9b949", "#d0584a"};
    const report_data *d = h->d;
    report_svg_stack *rows = bb_calloc(d->n_entries + 1, sizeof *rows);
    char (*notes)[48] = bb_calloc(d->n_entries + 1, sizeof *notes);
    size_t i, n = 0;
    int ph;

    if (!rows || !notes) {
        h->rc = BB_ERR_NOMEM;
        goto out;
    }
    rh_puts(h, "<section id=\"harness\"><h2>Harness: validity, rounds, tokens</h2><p class=\"note\">Every unit "
               "(task \xc3\x97 trial) ends in one outcome. <b>First-try</b> = share valid on the first call without "
               "repair; <b>after repair</b> adds those made valid by lenient repair; <b>final</b> adds those valid "
               "after feedback rounds. Infrastructure failures (connection, 429/5xx, timeouts) are never counted "
               "against a model: they are left out of the denominators and counted apart. Imported results have no "
               "harness figures.</p>");
    for (i = 0; i < d->n_entries; i++) {
        const report_entry *en = &d->entries[d->order[i]];
        long nd = en->n_valid_denominator;

        if (en->imported)
            continue;
        rows[n].label = en->label;
        if (nd == 0) {
            rows[n].part[0] = NAN;
        } else {
            rows[n].part[0] = (double)en->n_outcome[REPORT_OUT_FIRST_TRY] / (double)nd;
            rows[n].part[1] = (double)en->n_outcome[REPORT_OUT_REPAIRED] / (double)nd;
            rows[n].part[2] = (double)en->n_outcome[REPORT_OUT_FEEDBACK] / (double)nd;
            rows[n].part[3] = 1 - rows[n].part[0] - rows[n].part[1] - rows[n].part[2];
        }
        snprintf(notes[n], sizeof notes[n], "%ld units, %ld infra", nd, en->n_outcome[REPORT_OUT_INFRA]);
        rows[n].note = notes[n];
        n++;
    }
    if (n && h->rc == BB_OK)
        h->rc = report_svg_stacked(h->b, "Outcome of each unit", parts, colours, 4, rows, n);
    rh_puts(h, "<div class=\"scroll\"><table><thead><tr><th class=\"l\">Model</th><th>Units</th><th>Infra "
               "failures</th><th>First-try</th><th>After repair</th><th>Final</th><th>Failed</th>"
               "<th>Mean rounds</th>");
    for (ph = 0; ph < REPORT_PHASE_COUNT; ph++) {
        if (d->phase_present[ph])
            rh_printf(h, "<th>Tokens %s<br><span class=\"ci\">in / out</span></th>", report_phase_name(ph));
    }
    rh_puts(h, "</tr></thead><tbody>\n");
    for (i = 0; i < d->n_entries; i++) {
        const report_entry *en = &d->entries[d->order[i]];

        if (en->imported)
            continue;
        rh_puts(h, "<tr>");
        rh_name(h, en);
        rh_printf(h, "<td>%ld</td><td>%ld</td><td>", en->n_valid_denominator, en->n_outcome[REPORT_OUT_INFRA]);
        rh_pct(h, en->share_first_try);
        rh_puts(h, "</td><td>");
        rh_pct(h, en->share_after_repair);
        rh_puts(h, "</td><td>");
        rh_pct(h, en->share_final);
        rh_puts(h, "</td><td>");
        rh_pct(h, isnan(en->share_final) ? NAN : 1 - en->share_final);
        rh_puts(h, "</td><td>");
        rh_num(h, en->rounds_mean, 2, "—");
        rh_puts(h, "</td>");
        for (ph = 0; ph < REPORT_PHASE_COUNT; ph++) {
            if (!d->phase_present[ph])
                continue;
            rh_puts(h, "<td>");
            rh_tokens(h, en->tokens_in_phase[ph]);
            rh_puts(h, " / ");
            rh_tokens(h, en->tokens_out_phase[ph]);
            rh_puts(h, "</td>");
        }
        rh_puts(h, "</tr>\n");
    }
    rh_puts(h, "</tbody></table></div></section>\n");
out:
    bb_free(rows);
    bb_free(notes);
}

static void rh_passk(rh *h)
{
    const report_data *d = h->d;
    size_t i;
    int k;

    rh_printf(h,
              "<section id=\"passk\"><h2>Reliability: pass<sup>k</sup></h2><p class=\"note\">A trial passes when its score is at "
              "least <b>%.0f</b> (every phase; a failed call scores 0). pass<sup>k</sup> estimates the chance that <i>k</i> "
              "independent trials of a task all pass: per task with <i>n</i> \xe2\x89\xa5 <i>k</i> trials of which "
              "<i>c</i> pass, C(c,k)/C(n,k), averaged over tasks. Tasks with fewer than <i>k</i> trials are left out "
              "of pass<sup>k</sup>.</p>",
              d->params.pass_threshold);
    if (d->passk_max < 1) {
        rh_puts(h, "<p class=\"na\">No scored trials.</p></section>\n");
        return;
    }
    rh_puts(h, "<div class=\"scroll\"><table><thead><tr><th class=\"l\">Model</th>");
    for (k = 1; k <= d->passk_max; k++)
        rh_printf(h, "<th>pass<sup>%d</sup></th>", k);
    rh_puts(h, "<th>Tasks</th></tr></thead><tbody>\n");
    for (i = 0; i < d->n_entries; i++) {
        const report_entry *en = &d->entries[d->order[i]];

        if (en->imported)
            continue;
        rh_puts(h, "<tr>");
        rh_name(h, en);
        for (k = 1; k <= d->passk_max; k++) {
            rh_puts(h, "<td>");
            rh_pct(h, en->passk[k]);
            rh_puts(h, "</td>");
        }
        rh_printf(h, "<td>%ld</td></tr>\n", en->passk_tasks[1]);
    }
    rh_puts(h, "</tbody></table></div></section>\n");
}

static void rh_class_table(rh *h, const char *title, const report_count *list, size_t n, long total, int top)
{
    size_t i;

    rh_printf(h, "<div><h3>%s</h3>", title);
    if (n == 0 || total == 0) {
        rh_puts(h, "<p class=\"na\">none recorded</p></div>");
        return;
    }
    rh_puts(h, "<table><thead><tr><th class=\"l\">Class</th><th>Count</th><th>Share</th></tr></thead><tbody>");
    for (i = 0; i < n && (int)i < top; i++) {
        rh_puts(h, "<tr><td class=\"l\"><code>");
        rh_esc(h, list[i].name);
        rh_printf(h, "</code></td><td>%ld</td><td>%.1f%%</td></tr>", list[i].n, 100.0 * (double)list[i].n / (double)total);
    }
    rh_printf(h, "</tbody></table><p class=\"note\">%ld in all</p></div>", total);
}

static void rh_errors(rh *h)
{
    const report_data *d = h->d;
    int ph;
    char title[64];

    rh_puts(h, "<section id=\"errors\"><h2>Most common errors and repairs</h2><p class=\"note\">Over all rounds of "
               "all measured (not imported) entries, per phase: validation error classes as "
               "<code>kind: expected</code>, and the lenient-repair codes applied to the models' JSON.</p>");
    for (ph = 0; ph < REPORT_PHASE_COUNT; ph++) {
        if (!d->phase_present[ph])
            continue;
        rh_puts(h, "<div class=\"grid\">");
        snprintf(title, sizeof title, "Phase %s: errors", report_phase_name(ph));
        rh_class_table(h, title, d->errors[ph], d->n_errors[ph], d->errors_total[ph], d->params.top_classes);
        snprintf(title, sizeof title, "Phase %s: repairs", report_phase_name(ph));
        rh_class_table(h, title, d->repairs[ph], d->n_repairs[ph], d->repairs_total[ph], d->params.top_classes);
        rh_puts(h, "</div>");
    }
    rh_puts(h, "</section>\n");
}

static void rh_method(rh *h)
{
    const report_data *d = h->d;

    rh_printf(h,
              "<section id=\"method\"><h2>Method</h2><ul class=\"method\">"
              "<li><b>Unit value.</b> A unit is one task \xc3\x97 trial. Its value is its score (0-100); a failed "
              "unit (invalid, no call) without a score counts 0; infrastructure failures and valid units not yet "
              "scored are left out.</li>"
              "<li><b>Axis score.</b> For each project, the mean of the unit values of that axis's phases (DB design: "
              "db; API design: api; Logic: impl and test). The axis score is the mean of the project means, so every "
              "project weighs the same whatever its number of tasks.</li>"
              "<li><b>Total.</b> (%.2f\xc2\xb7" "DB + %.2f\xc2\xb7" "API + %.2f\xc2\xb7" "Logic) / (sum of the weights "
              "of the axes present).</li>"
              "<li><b>95%% interval.</b> Percentile bootstrap: %d resamples; in each, the units of every (entry, axis, "
              "project) are drawn with replacement (as many as there are), the project means and their equal-weight "
              "mean are recomputed, and the total is recomputed from the resampled axes. The interval runs from the "
              "2.5th to the 97.5th percentile. Seed %llu: the report is reproducible. With one unit the interval is "
              "the point.</li>"
              "<li><b>Noise floor.</b> The median half-width of the total intervals (\xc2\xb1",
              d->params.weight[0], d->params.weight[1], d->params.weight[2], d->params.bootstrap_b,
              (unsigned long long)d->params.seed);
    rh_num(h, d->noise_floor, 1, "n/a");
    rh_puts(h, " points here): differences smaller than this are within the noise of this benchmark's sample.</li>"
               "<li><b>Imported</b> entries are real outputs of another system (AutoBe) scored by backbench: design "
               "axes only, no harness figures, no cost.</li>"
               "<li>Full formulas: <code>docs/report.md</code>. Machine-readable figures: <code>summary.json</code>, "
               "<code>leaderboard.csv</code>, <code>leaderboard.md</code>.</li></ul></section>\n");
}

bb_result report_html_render(const report_data *d, bb_buf *b)
{
    rh h;

    h.d = d;
    h.b = b;
    h.rc = BB_OK;
    rh_puts(&h, "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
                "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\"><title>");
    rh_esc(&h, d->params.title);
    rh_puts(&h, "</title><style>");
    rh_puts(&h, rh_css);
    rh_puts(&h, "</style></head>\n<body><main>\n");
    rh_header(&h);
    rh_leaderboard(&h);
    if (d->n_projects)
        rh_heatmaps(&h);
    rh_cost(&h);
    rh_harness(&h);
    rh_passk(&h);
    rh_errors(&h);
    rh_method(&h);
    rh_puts(&h, "<footer>Generated by backbench from the results store. Self-contained: no script, no network."
                "</footer>\n</main></body></html>\n");
    return h.rc;
}
