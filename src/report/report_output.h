/*
 * report_output.h — the report's files, each rendered from a computed
 * report_data (report_stats_compute must have run) into a buffer.
 *
 *   index.html       the dashboard: leaderboard, charts (inline SVG), tables,
 *                    method; self-contained (inline CSS, no script, no network)
 *   summary.json     every figure of the leaderboard and the per-project matrix
 *   leaderboard.md   a Markdown table with intervals
 *   leaderboard.csv  one row per entry, one column per figure
 *
 * Entries appear in d->order (total descending, then label). Every string
 * from the store is escaped for the format (report_format.h).
 */
#ifndef BB_REPORT_OUTPUT_H
#define BB_REPORT_OUTPUT_H

#include "report/report_data.h"
#include "util/buf.h"
#include "util/result.h"

bb_result report_html_render(const report_data *d, bb_buf *out);
bb_result report_json_render(const report_data *d, bb_buf *out);
bb_result report_md_render(const report_data *d, bb_buf *out);
bb_result report_csv_render(const report_data *d, bb_buf *out);

#endif
