/*
 * report_svg.c — inline SVG charts (see report_svg.h).
 *
 * Layout is computed from fixed metrics (a 12 px system font is assumed to
 * average 7 px per character), so no measuring is needed and output is
 * deterministic. Long labels are shortened with an ellipsis on screen and
 * given in full in a <title> (tooltip).
 */
#include "report/report_svg.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

#include "report/report_format.h"

#define SVG_CHAR_W 7.0
#ifndef M_PI
#define M_PI 3.14159265358979323846
#endif
#define SVG_LABEL_MAX_CHARS 34
#define SVG_FONT "font-family=\"system-ui, -apple-system, 'Segoe UI', Roboto, 'DejaVu Sans', sans-serif\""

static const char *const svg_style_fill[3] = {"#3b6fb6", "#8e6bb8", "#7f9aa8"};

/* Characters (UTF-8 code points) in s. */
static size_t svg_chars(const char *s)
{
    size_t n = 0;

    for (; s && *s; s++)
        n += ((unsigned char)*s & 0xc0) != 0x80;
    return n;
}

/* Appends s escaped, cut to max characters with an ellipsis. */
static bb_result svg_text(bb_buf *b, const char *s, size_t max)
{
    size_t n = 0, i;
    bb_buf tmp;
    bb_result rc;

    if (!s)
        return BB_OK;
    if (svg_chars(s) <= max)
        return report_fmt_html(b, s);
    for (i = 0; s[i]; i++) {
        if (((unsigned char)s[i] & 0xc0) != 0x80 && ++n > max - 1)
            break;
    }
    bb_buf_init(&tmp, i + 1);
    rc = bb_buf_append(&tmp, s, i);
    if (rc == BB_OK)
        rc = report_fmt_html(b, bb_buf_str(&tmp));
    if (rc == BB_OK)
        rc = bb_buf_puts(b, "\xe2\x80\xa6");
    bb_buf_free(&tmp);
    return rc;
}

static double svg_label_width(const char *const *labels, size_t n, size_t stride)
{
    size_t i, m = 0;

    for (i = 0; i < n; i++) {
        const char *s = *(const char *const *)((const char *)labels + i * stride);
        size_t c = svg_chars(s);

        if (c > m)
            m = c;
    }
    if (m > SVG_LABEL_MAX_CHARS)
        m = SVG_LABEL_MAX_CHARS;
    return fmax(90.0, (double)m * SVG_CHAR_W + 16);
}

static bb_result svg_open(bb_buf *b, double w, double h, const char *title)
{
    bb_result rc = bb_buf_printf(b,
                                 "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%.0f\" height=\"%.0f\" "
                                 "viewBox=\"0 0 %.0f %.0f\" role=\"img\" " SVG_FONT " font-size=\"12\" "
                                 "aria-label=\"",
                                 w, h, w, h);

    if (rc == BB_OK)
        rc = report_fmt_html(b, title);
    if (rc == BB_OK)
        rc = bb_buf_puts(b, "\"><title>");
    if (rc == BB_OK)
        rc = report_fmt_html(b, title);
    if (rc == BB_OK)
        rc = bb_buf_puts(b, "</title>\n");
    return rc;
}

/* A text element with escaped content; anchor "start" | "middle" | "end". */
static bb_result svg_label(bb_buf *b, double x, double y, const char *anchor, const char *extra, const char *s,
                           size_t max)
{
    bb_result rc = bb_buf_printf(b, "<text x=\"%.1f\" y=\"%.1f\" text-anchor=\"%s\"%s%s>", x, y, anchor,
                                 extra ? " " : "", extra ? extra : "");

    if (rc == BB_OK && svg_chars(s) > max) {
        rc = bb_buf_puts(b, "<title>");
        if (rc == BB_OK)
            rc = report_fmt_html(b, s);
        if (rc == BB_OK)
            rc = bb_buf_puts(b, "</title>");
    }
    if (rc == BB_OK)
        rc = svg_text(b, s, max);
    if (rc == BB_OK)
        rc = bb_buf_puts(b, "</text>\n");
    return rc;
}

/* ---- bars with intervals ---------------------------------------------------- */

bb_result report_svg_bars(bb_buf *b, const char *title, const report_svg_bar *rows, size_t n)
{
    const double row_h = 26, top = 28, plot_w = 520, right = 110;
    double lw = n ? svg_label_width(&rows[0].label, n, sizeof *rows) : 90;
    double h = top + (double)n * row_h + 24, w = lw + plot_w + right;
    bb_result rc = svg_open(b, w, h, title);
    size_t i;
    int t;

    for (t = 0; rc == BB_OK && t <= 100; t += 20) {
        double x = lw + plot_w * t / 100.0;

        rc = bb_buf_printf(b,
                           "<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" stroke=\"#e3e6ea\"/>"
                           "<text x=\"%.1f\" y=\"%.1f\" text-anchor=\"middle\" fill=\"#667\">%d</text>\n",
                           x, top - 6, x, top + (double)n * row_h, x, top + (double)n * row_h + 16, t);
    }
    for (i = 0; rc == BB_OK && i < n; i++) {
        const report_svg_bar *r = &rows[i];
        double y = top + (double)i * row_h, cy = y + row_h / 2;
        int st = r->style >= 0 && r->style < 3 ? r->style : 0;

        rc = svg_label(b, lw - 8, cy + 4, "end", NULL, r->label, SVG_LABEL_MAX_CHARS);
        if (rc != BB_OK || isnan(r->value)) {
            if (rc == BB_OK)
                rc = bb_buf_printf(b, "<text x=\"%.1f\" y=\"%.1f\" fill=\"#889\">n/a</text>\n", lw + 4, cy + 4);
            continue;
        }
        rc = bb_buf_printf(b, "<rect x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"%.1f\" rx=\"2\" fill=\"%s\"%s/>\n",
                           lw, y + 5, plot_w * fmax(0, fmin(100, r->value)) / 100.0, row_h - 10, svg_style_fill[st],
                           st == REPORT_SVG_IMPORTED ? " fill-opacity=\"0.75\"" : "");
        if (rc == BB_OK) {
            double x1 = lw + plot_w * fmax(0, fmin(100, r->lo)) / 100.0;
            double x2 = lw + plot_w * fmax(0, fmin(100, r->hi)) / 100.0;

            rc = bb_buf_printf(b,
                               "<path d=\"M%.1f %.1fV%.1fM%.1f %.1fH%.1fM%.1f %.1fV%.1f\" stroke=\"#1d2733\" "
                               "stroke-width=\"1.5\" fill=\"none\"/>\n"
                               "<text x=\"%.1f\" y=\"%.1f\" fill=\"#1d2733\">%.1f \xc2\xb1%.1f</text>\n",
                               x1, cy - 6, cy + 6, x1, cy, x2, x2, cy - 6, cy + 6, fmax(x2, lw + plot_w * r->value / 100.0) + 8,
                               cy + 4, r->value, (r->hi - r->lo) / 2);
        }
    }
    if (rc == BB_OK)
        rc = bb_buf_puts(b, "</svg>\n");
    return rc;
}

/* ---- heatmap ------------------------------------------------------------------ */

void report_svg_score_colour(double v, char out[8])
{
    /* red (0) -> amber (50) -> green (100), muted for readability */
    static const double stops[3][3] = {{214, 96, 77}, {250, 219, 130}, {76, 160, 105}};
    double t = fmax(0, fmin(100, v)) / 50.0;
    int seg = t >= 1 ? 1 : 0, c[3], k;
    double f = t - seg;

    for (k = 0; k < 3; k++)
        c[k] = (int)lround(stops[seg][k] + (stops[seg + 1][k] - stops[seg][k]) * f);
    /* the caller's buffer holds exactly "#rrggbb" */
    out[0] = '#';
    for (k = 0; k < 3; k++) {
        static const char hex[] = "0123456789abcdef";

        out[1 + 2 * k] = hex[(c[k] >> 4) & 15];
        out[2 + 2 * k] = hex[c[k] & 15];
    }
    out[7] = '\0';
}

bb_result report_svg_heatmap(bb_buf *b, const char *title, const char *const *row_labels, size_t n_rows,
                             const char *const *col_labels, size_t n_cols, const double *values)
{
    const double cell_w = 78, cell_h = 26;
    double lw = n_rows ? svg_label_width(row_labels, n_rows, sizeof *row_labels) : 90, top;
    size_t longest = 0;
    double w = lw + (double)n_cols * cell_w + 20, h = (double)n_rows * cell_h + 10;
    bb_result rc;
    size_t r, c;

    /* column labels are rotated by 35 degrees: room for the longest one */
    for (c = 0; c < n_cols; c++)
        longest = svg_chars(col_labels[c]) > longest ? svg_chars(col_labels[c]) : longest;
    top = 26 + SVG_CHAR_W * sin(35 * M_PI / 180) * (double)(longest < 14 ? longest : 14);
    h += top;
    rc = svg_open(b, w, h, title);
    for (c = 0; rc == BB_OK && c < n_cols; c++) {
        double x = lw + (double)c * cell_w + cell_w / 2;
        char rot[64];

        snprintf(rot, sizeof rot, "transform=\"rotate(-35 %.1f %.1f)\"", x, top - 8);
        rc = svg_label(b, x, top - 8, "start", rot, col_labels[c], 14);
    }
    for (r = 0; rc == BB_OK && r < n_rows; r++) {
        double y = top + (double)r * cell_h;

        rc = svg_label(b, lw - 8, y + cell_h / 2 + 4, "end", NULL, row_labels[r], SVG_LABEL_MAX_CHARS);
        for (c = 0; rc == BB_OK && c < n_cols; c++) {
            double v = values[r * n_cols + c], x = lw + (double)c * cell_w;
            char fill[8];

            if (isnan(v)) {
                rc = bb_buf_printf(b,
                                   "<rect x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"%.1f\" fill=\"#f3f4f6\" "
                                   "stroke=\"#fff\"/><text x=\"%.1f\" y=\"%.1f\" text-anchor=\"middle\" "
                                   "fill=\"#aab\">\xe2\x80\x93</text>\n",
                                   x, y, cell_w, cell_h, x + cell_w / 2, y + cell_h / 2 + 4);
                continue;
            }
            report_svg_score_colour(v, fill);
            rc = bb_buf_puts(b, "<g><title>");
            if (rc == BB_OK)
                rc = report_fmt_html(b, row_labels[r]);
            if (rc == BB_OK)
                rc = bb_buf_puts(b, " \xc2\xb7 ");
            if (rc == BB_OK)
                rc = report_fmt_html(b, col_labels[c]);
            if (rc == BB_OK)
                rc = bb_buf_printf(b,
                                   ": %.1f</title><rect x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"%.1f\" "
                                   "fill=\"%s\" stroke=\"#fff\"/><text x=\"%.1f\" y=\"%.1f\" text-anchor=\"middle\" "
                                   "fill=\"#1d2733\">%.1f</text></g>\n",
                                   v, x, y, cell_w, cell_h, fill, x + cell_w / 2, y + cell_h / 2 + 4, v);
        }
    }
    if (rc == BB_OK)
        rc = bb_buf_puts(b, "</svg>\n");
    return rc;
}

/* ---- scatter with front --------------------------------------------------------- */

/* A step of 1, 2 or 5 times a power of ten giving about five ticks over span. */
static double svg_nice_step(double span)
{
    double raw = span / 5, p = pow(10, floor(log10(raw))), m = raw / p;

    return (m <= 1 ? 1 : m <= 2 ? 2 : m <= 5 ? 5 : 10) * p;
}

static int svg_point_x_cmp(const report_svg_point *x, const report_svg_point *y)
{
    return (x->x > y->x) - (x->x < y->x);
}

bb_result report_svg_scatter(bb_buf *b, const char *title, const char *x_title, const char *y_title,
                             const report_svg_point *pts, size_t n)
{
    const double left = 64, top = 20, pw = 620, ph = 320, right = 190, bottom = 50;
    double xmax = 0, ymin = 100, step, ystep = 10, t;
    bb_result rc;
    size_t i, j, n_front = 0;
    size_t front[64];
    int first;

    for (i = 0; i < n; i++) {
        if (isnan(pts[i].x) || isnan(pts[i].y))
            continue;
        xmax = fmax(xmax, pts[i].x);
        ymin = fmin(ymin, pts[i].y);
    }
    xmax = xmax > 0 ? xmax * 1.1 : 1;
    step = svg_nice_step(xmax);
    xmax = ceil(xmax / step) * step;
    ymin = fmax(0, floor((ymin - 5) / 10) * 10);
    if (ymin > 80)
        ymin = 80;
    rc = svg_open(b, left + pw + right, top + ph + bottom, title);
    /* grid and axes */
    for (t = 0; rc == BB_OK && t <= xmax + step / 2; t += step) {
        double x = left + pw * t / xmax;

        rc = bb_buf_printf(b,
                           "<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" stroke=\"#e3e6ea\"/>"
                           "<text x=\"%.1f\" y=\"%.1f\" text-anchor=\"middle\" fill=\"#667\">%s%.*f</text>\n",
                           x, top, x, top + ph, x, top + ph + 16, "$", step < 0.01 ? 4 : step < 1 ? 2 : 0, t);
    }
    for (t = ymin; rc == BB_OK && t <= 100.001; t += ystep) {
        double y = top + ph - ph * (t - ymin) / (100 - ymin);

        rc = bb_buf_printf(b,
                           "<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" stroke=\"#e3e6ea\"/>"
                           "<text x=\"%.1f\" y=\"%.1f\" text-anchor=\"end\" fill=\"#667\">%.0f</text>\n",
                           left, y, left + pw, y, left - 6, y + 4, t);
    }
    if (rc == BB_OK)
        rc = svg_label(b, left + pw / 2, top + ph + 38, "middle", "fill=\"#334\"", x_title, 80);
    if (rc == BB_OK) {
        char rot[64];

        snprintf(rot, sizeof rot, "transform=\"rotate(-90 16 %.1f)\" fill=\"#334\"", top + ph / 2);
        rc = svg_label(b, 16, top + ph / 2, "middle", rot, y_title, 80);
    }
    /* the front as a staircase: sorted by cost */
    for (i = 0; i < n && n_front < sizeof front / sizeof *front; i++) {
        if (pts[i].front && !isnan(pts[i].x) && !isnan(pts[i].y))
            front[n_front++] = i;
    }
    for (i = 1; i < n_front; i++) {
        size_t v = front[i];

        for (j = i; j > 0 && svg_point_x_cmp(&pts[v], &pts[front[j - 1]]) < 0; j--)
            front[j] = front[j - 1];
        front[j] = v;
    }
    if (rc == BB_OK && n_front > 0) {
        rc = bb_buf_puts(b, "<path d=\"");
        for (i = 0, first = 1; rc == BB_OK && i < n_front; i++, first = 0) {
            double x = left + pw * pts[front[i]].x / xmax;
            double y = top + ph - ph * (pts[front[i]].y - ymin) / (100 - ymin);

            rc = first ? bb_buf_printf(b, "M%.1f %.1f", x, y) : bb_buf_printf(b, "H%.1fV%.1f", x, y);
        }
        if (rc == BB_OK)
            rc = bb_buf_puts(b, "\" fill=\"none\" stroke=\"#c2571a\" stroke-width=\"1.5\" stroke-dasharray=\"5 3\"/>\n");
    }
    for (i = 0; rc == BB_OK && i < n; i++) {
        const report_svg_point *p = &pts[i];
        double x, y;
        int st = p->style >= 0 && p->style < 3 ? p->style : 0;

        if (isnan(p->x) || isnan(p->y))
            continue;
        x = left + pw * p->x / xmax;
        y = top + ph - ph * (fmax(ymin, p->y) - ymin) / (100 - ymin);
        rc = bb_buf_puts(b, "<g><title>");
        if (rc == BB_OK)
            rc = report_fmt_html(b, p->label);
        if (rc == BB_OK)
            rc = bb_buf_printf(b, ": $%.4f, %.1f%s</title><circle cx=\"%.1f\" cy=\"%.1f\" r=\"%d\" fill=\"%s\" "
                                  "stroke=\"%s\" stroke-width=\"2\"/></g>\n",
                               p->x, p->y, p->front ? " (Pareto front)" : "", x, y, p->front ? 7 : 5,
                               st == REPORT_SVG_SIMULATED ? "#fff" : svg_style_fill[st],
                               p->front ? "#c2571a" : svg_style_fill[st]);
        if (rc == BB_OK)
            rc = svg_label(b, x + 10, y + 4, "start", "fill=\"#334\" font-size=\"11\"", p->label, 26);
    }
    if (rc == BB_OK)
        rc = bb_buf_printf(b,
                           "<g transform=\"translate(%.1f %.1f)\"><circle cx=\"6\" cy=\"0\" r=\"6\" fill=\"#3b6fb6\" "
                           "stroke=\"#c2571a\" stroke-width=\"2\"/><text x=\"18\" y=\"4\" fill=\"#334\">on the "
                           "Pareto front</text><circle cx=\"6\" cy=\"20\" r=\"5\" fill=\"#fff\" stroke=\"#7f9aa8\" "
                           "stroke-width=\"2\"/><text x=\"18\" y=\"24\" fill=\"#334\">simulated (cost 0)</text></g>\n",
                           left + pw + 24, top + 10);
    if (rc == BB_OK)
        rc = bb_buf_puts(b, "</svg>\n");
    return rc;
}

/* ---- stacked shares ------------------------------------------------------------- */

bb_result report_svg_stacked(bb_buf *b, const char *title, const char *const *part_names,
                             const char *const *part_colours, size_t n_parts, const report_svg_stack *rows,
                             size_t n)
{
    const double row_h = 26, top = 34, plot_w = 520, right = 200;
    double lw = n ? svg_label_width(&rows[0].label, n, sizeof *rows) : 90;
    bb_result rc = svg_open(b, lw + plot_w + right, top + (double)n * row_h + 8, title);
    double lx = lw;
    size_t i, k;

    if (n_parts > REPORT_SVG_MAX_PARTS)
        n_parts = REPORT_SVG_MAX_PARTS;
    for (k = 0; rc == BB_OK && k < n_parts; k++) {
        rc = bb_buf_printf(b, "<rect x=\"%.1f\" y=\"6\" width=\"12\" height=\"12\" fill=\"%s\"/>", lx,
                           part_colours[k]);
        if (rc == BB_OK)
            rc = svg_label(b, lx + 16, 16, "start", "fill=\"#334\"", part_names[k], 40);
        lx += 16 + (double)svg_chars(part_names[k]) * SVG_CHAR_W + 18;
    }
    for (i = 0; rc == BB_OK && i < n; i++) {
        double y = top + (double)i * row_h, x = lw;

        rc = svg_label(b, lw - 8, y + row_h / 2 + 4, "end", NULL, rows[i].label, SVG_LABEL_MAX_CHARS);
        if (rc == BB_OK && isnan(rows[i].part[0])) {
            rc = bb_buf_printf(b, "<text x=\"%.1f\" y=\"%.1f\" fill=\"#889\">n/a</text>\n", lw + 4,
                               y + row_h / 2 + 4);
            continue;
        }
        for (k = 0; rc == BB_OK && k < n_parts; k++) {
            double wk = plot_w * fmax(0, fmin(1, rows[i].part[k]));

            if (wk <= 0)
                continue;
            rc = bb_buf_puts(b, "<g><title>");
            if (rc == BB_OK)
                rc = report_fmt_html(b, part_names[k]);
            if (rc == BB_OK)
                rc = bb_buf_printf(b, ": %.1f%%</title><rect x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" "
                                  "height=\"%.1f\" fill=\"%s\"/>",
                               100 * rows[i].part[k], x, y + 4, wk, row_h - 8, part_colours[k]);
            if (rc == BB_OK && wk >= 34)
                rc = bb_buf_printf(b, "<text x=\"%.1f\" y=\"%.1f\" text-anchor=\"middle\" fill=\"#fff\" "
                                      "font-size=\"11\">%.0f%%</text>",
                                   x + wk / 2, y + row_h / 2 + 4, 100 * rows[i].part[k]);
            if (rc == BB_OK)
                rc = bb_buf_puts(b, "</g>\n");
            x += wk;
        }
        if (rc == BB_OK && rows[i].note)
            rc = svg_label(b, lw + plot_w + 8, y + row_h / 2 + 4, "start", "fill=\"#445\"", rows[i].note, 40);
    }
    if (rc == BB_OK)
        rc = bb_buf_puts(b, "</svg>\n");
    return rc;
}
