/*
 * report.h — `backbench report`: from a results store to a directory of
 * report files.
 *
 * report_write loads the store (report_data.h), computes the figures
 * (report_stats.h) and writes index.html, summary.json, leaderboard.md and
 * leaderboard.csv (report_output.h) into out_dir, creating it if needed.
 * Each file is written through a temporary file and a rename, so a reader
 * never sees half a file. The output depends only on the store's content and
 * the params: the same store gives byte-identical files.
 */
#ifndef BB_REPORT_H
#define BB_REPORT_H

#include "report/report_data.h"
#include "store/store.h"
#include "util/result.h"

/* Cap on the size of one rendered file. */
#define REPORT_MAX_OUTPUT ((size_t)256 * 1024 * 1024)

typedef struct report_summary {
    size_t n_entries;
    size_t n_projects;
    size_t n_units;
} report_summary;

/* params may be NULL (defaults). summary may be NULL. */
bb_result report_write(store *s, const char *out_dir, const report_params *params,
                       report_summary *summary /* OUT, may be NULL */);

#endif
