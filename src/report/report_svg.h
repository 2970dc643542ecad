/*
 * report_svg.h — the report's charts as inline SVG.
 *
 * Four chart kinds, each appended to a buffer as one <svg> element sized in
 * pixels and styled with presentation attributes (no external fonts, no
 * scripts): horizontal bars with interval whiskers, a heatmap, a scatter
 * plot with a marked front, and 100% stacked bars. Labels are escaped here;
 * callers pass raw strings. Output depends only on the inputs (numbers are
 * printed with fixed decimals).
 */
#ifndef BB_REPORT_SVG_H
#define BB_REPORT_SVG_H

#include <stddef.h>

#include "util/buf.h"
#include "util/result.h"

/* Styles of a bar or point. */
enum { REPORT_SVG_NORMAL = 0, REPORT_SVG_IMPORTED, REPORT_SVG_SIMULATED };

typedef struct report_svg_bar {
    const char *label;
    double value, lo, hi; /* 0-100; value NAN: no bar */
    int style;
} report_svg_bar;

/* Bars on a 0-100 scale with 95% interval whiskers. */
bb_result report_svg_bars(bb_buf *b, const char *title, const report_svg_bar *rows, size_t n);

/* values[r * n_cols + c] on 0-100, NAN for an empty cell. */
bb_result report_svg_heatmap(bb_buf *b, const char *title, const char *const *row_labels, size_t n_rows,
                             const char *const *col_labels, size_t n_cols, const double *values);

typedef struct report_svg_point {
    const char *label;
    double x, y;  /* cost (USD), score (0-100) */
    int front;    /* 1: on the Pareto front */
    int style;
} report_svg_point;

bb_result report_svg_scatter(bb_buf *b, const char *title, const char *x_title, const char *y_title,
                             const report_svg_point *pts, size_t n);

#define REPORT_SVG_MAX_PARTS 6

typedef struct report_svg_stack {
    const char *label;
    double part[REPORT_SVG_MAX_PARTS]; /* shares that sum to 1 (NAN row: "n/a") */
    const char *note;                  /* text after the bar, may be NULL */
} report_svg_stack;

bb_result report_svg_stacked(bb_buf *b, const char *title, const char *const *part_names,
                             const char *const *part_colours, size_t n_parts, const report_svg_stack *rows,
                             size_t n);

/* The fill colour of a 0-100 score in the heatmap scale ("#rrggbb"). */
void report_svg_score_colour(double v, char out[8]);

#endif
