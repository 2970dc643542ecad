/*
 * cli_report.c — `backbench report`: writes the dashboard and the
 * machine-readable summaries of a results store into a directory (see
 * src/report/report.h and docs/report.md).
 */
#include <stdio.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "cli/cli.h"
#include "json/json_util.h"
#include "report/report.h"

/* Declared in cli.h once the subcommand is registered; repeated here so this
 * file stands alone. */
int cli_report_main(int argc, char **argv);

#define CLI_REPORT_DEFAULT_STORE "backbench.db"
#define CLI_REPORT_DEFAULT_OUT "report"

static void cli_report_usage(FILE *f)
{
    fprintf(f,
            "usage: backbench report [--store FILE] [--out DIR] [--resamples N] [--seed N]\n"
            "\n"
            "Reads the results store and writes into DIR:\n"
            "  index.html       the dashboard (self-contained: inline CSS and SVG, no network)\n"
            "  summary.json     every figure of the leaderboard and the model x project matrix\n"
            "  leaderboard.md   the leaderboard as a Markdown table with 95%% intervals\n"
            "  leaderboard.csv  the same, one row per entry\n"
            "\n"
            "  --store FILE     results store (default " CLI_REPORT_DEFAULT_STORE ")\n"
            "  --out DIR        output directory, created if missing (default " CLI_REPORT_DEFAULT_OUT ")\n"
            "  --resamples N    bootstrap resamples for the 95%% intervals (default 2000)\n"
            "  --seed N         bootstrap seed (default 20261126); same store and seed, same report\n"
            "\n"
            "docs/report.md explains every figure and how it is computed.\n");
}

static int cli_report_ull(const char *s, unsigned long long lo, unsigned long long hi, unsigned long long *out)
{
    char *end;
    unsigned long long v;

    if (!s || *s == '\0' || *s == '-')
        return -1;
    v = strtoull(s, &end, 10);
    if (*end != '\0' || v < lo || v > hi)
        return -1;
    *out = v;
    return 0;
}

int cli_report_main(int argc, char **argv)
{
    const char *store_path = CLI_REPORT_DEFAULT_STORE, *out_dir = CLI_REPORT_DEFAULT_OUT;
    report_params p = report_default_params();
    report_summary sum;
    struct stat st;
    store *s = NULL;
    unsigned long long v;
    bb_result rc;
    int i;

    if (cli_wants_help(argc, argv)) {
        cli_report_usage(stdout);
        return CLI_EXIT_OK;
    }
    for (i = 1; i < argc; i += 2) {
        const char *a = argv[i], *val = i + 1 < argc ? argv[i + 1] : NULL;

        if (!val) {
            fprintf(stderr, "backbench report: '%s' needs a value\n", a);
            cli_report_usage(stderr);
            return CLI_EXIT_USAGE;
        }
        if (strcmp(a, "--store") == 0) {
            store_path = val;
        } else if (strcmp(a, "--out") == 0) {
            out_dir = val;
        } else if (strcmp(a, "--resamples") == 0 && cli_report_ull(val, 1, 100000, &v) == 0) {
            p.bootstrap_b = (int)v;
        } else if (strcmp(a, "--seed") == 0 && cli_report_ull(val, 0, UINT64_MAX, &v) == 0) {
            p.seed = v;
        } else {
            fprintf(stderr, "backbench report: bad option '%s %s'\n", a, val);
            cli_report_usage(stderr);
            return CLI_EXIT_USAGE;
        }
    }
    if (stat(store_path, &st) != 0 || !S_ISREG(st.st_mode)) {
        fprintf(stderr, "backbench report: no results store at %s (run `backbench run` or pass --store)\n",
                store_path);
        return CLI_EXIT_USAGE;
    }
    bb_json_init();
    rc = store_open(store_path, &s);
    if (rc != BB_OK) {
        fprintf(stderr, "backbench report: cannot open %s: %s\n", store_path, bb_strerror(rc));
        return CLI_EXIT_USAGE;
    }
    rc = report_write(s, out_dir, &p, &sum);
    store_close(s);
    if (rc != BB_OK) {
        fprintf(stderr, "backbench report: %s\n", bb_strerror(rc));
        return CLI_EXIT_USAGE;
    }
    printf("report: %zu entries, %zu projects, %zu units -> %s/index.html, summary.json, leaderboard.md, "
           "leaderboard.csv\n",
           sum.n_entries, sum.n_projects, sum.n_units, out_dir);
    return CLI_EXIT_OK;
}
