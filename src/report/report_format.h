/*
 * report_format.h — escaping and number formatting shared by the report's
 * renderers.
 *
 * Every string that comes from the store (model, project, task, error class)
 * is user input and goes through one of the escapers for the format it lands
 * in: HTML/SVG text and attributes, CSV fields, Markdown table cells. Numbers
 * are printed with fixed decimals so the output is byte-for-byte the same for
 * the same store; a NAN prints as the given placeholder ("n/a", "", "null").
 */
#ifndef BB_REPORT_FORMAT_H
#define BB_REPORT_FORMAT_H

#include "util/buf.h"
#include "util/result.h"

/* Appends s with & < > " ' escaped (safe in HTML/SVG text and quoted attributes). */
bb_result report_fmt_html(bb_buf *b, const char *s);
/* Appends s as one CSV field: quoted when it holds , " CR or LF (quotes
 * doubled); a leading = + - @ is prefixed with ' so spreadsheets do not run it. */
bb_result report_fmt_csv(bb_buf *b, const char *s);
/* Appends s for a Markdown table cell: | \ ` * _ [ ] < > # escaped with a backslash
 * or entity, so nothing in it becomes markup. */
bb_result report_fmt_md(bb_buf *b, const char *s);
/* Appends v with the given decimals, or none_text when v is NAN. */
bb_result report_fmt_num(bb_buf *b, double v, int decimals, const char *none_text);
/* Appends "mean [lo, hi]" (decimals 1) or none_text when !present. */
bb_result report_fmt_interval(bb_buf *b, int present, double mean, double lo, double hi, const char *none_text);

#endif
