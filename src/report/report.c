/*
 * report.c — load, compute, render, write (see report.h).
 */
#include "report/report.h"

#include <errno.h>
#include <string.h>
#include <sys/stat.h>

#include "report/report_output.h"
#include "report/report_stats.h"
#include "util/buf.h"
#include "util/file.h"
#include "util/log.h"

typedef bb_result (*report_render_fn)(const report_data *d, bb_buf *out);

static const struct {
    const char *name;
    report_render_fn render;
} report_files[] = {
    {"index.html", report_html_render},
    {"summary.json", report_json_render},
    {"leaderboard.md", report_md_render},
    {"leaderboard.csv", report_csv_render},
};

bb_result report_write(store *s, const char *out_dir, const report_params *params, report_summary *summary)
{
    report_data *d = NULL;
    bb_buf content, path;
    bb_result rc;
    size_t i;

    if (summary)
        memset(summary, 0, sizeof *summary);
    bb_buf_init(&content, REPORT_MAX_OUTPUT);
    bb_buf_init(&path, 4096);
    if (mkdir(out_dir, 0755) != 0 && errno != EEXIST) {
        BB_ERROR("report: cannot create %s: %s", out_dir, strerror(errno));
        rc = BB_ERR_IO;
        goto out;
    }
    rc = report_data_load(s, params, &d);
    if (rc != BB_OK) {
        BB_ERROR("report: reading the store failed: %s (%s)", bb_strerror(rc), store_errmsg(s));
        goto out;
    }
    rc = report_stats_compute(d);
    if (rc != BB_OK)
        goto out;
    for (i = 0; i < sizeof report_files / sizeof *report_files; i++) {
        bb_buf_reset(&content);
        bb_buf_reset(&path);
        rc = report_files[i].render(d, &content);
        if (rc == BB_OK)
            rc = bb_buf_printf(&path, "%s/%s", out_dir, report_files[i].name);
        if (rc == BB_OK)
            rc = bb_file_write(bb_buf_str(&path), bb_buf_str(&content), content.len);
        if (rc != BB_OK) {
            BB_ERROR("report: writing %s/%s failed: %s", out_dir, report_files[i].name, bb_strerror(rc));
            goto out;
        }
    }
    if (summary) {
        summary->n_entries = d->n_entries;
        summary->n_projects = d->n_projects;
        summary->n_units = d->n_units;
    }
out:
    report_data_free(d);
    bb_buf_free(&content);
    bb_buf_free(&path);
    return rc;
}
