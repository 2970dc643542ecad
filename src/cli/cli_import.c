/*
 * cli_import.c — `backbench import --autobe DIR [--store FILE]`: verdicts and
 * scores for real AutoBe outputs (bench/import.h), printed as a summary and
 * optionally recorded in the results store beside simulated and real runs.
 */
#include <stdio.h>
#include <string.h>

#include "bench/import.h"
#include "cli/cli.h"
#include "json/json_util.h"
#include "store/store.h"
#include "util/buf.h"


static void cli_import_usage(FILE *f)
{
    fprintf(f,
            "usage: backbench import --autobe DIR [--store FILE]\n"
            "\n"
            "Reads DIR/<vendor>/<model>/<project>/autobe/{prisma,document}.json (the layout of\n"
            "wrtnlabs/autobe-examples), loads and checks every DB and API design, compiles each\n"
            "DB design that passes to SQLite DDL and executes it in memory, scores the designs of\n"
            "our projects (todo, bbs) and prints a summary: files, valid, errors by class.\n"
            "\n"
            "  --autobe DIR   the directory to import\n"
            "  --store FILE   also record one run per AutoBe model (imported) in this store\n");
}

int cli_import_main(int argc, char **argv)
{
    const char *dir = NULL, *store_path = NULL;
    bench_import *im = NULL;
    store *st = NULL;
    bb_buf out;
    long units = 0;
    int i, code = CLI_EXIT_OK;
    bb_result rc;

    if (cli_wants_help(argc, argv)) {
        cli_import_usage(stdout);
        return CLI_EXIT_OK;
    }
    for (i = 1; i < argc; i++) {
        if (strcmp(argv[i], "--autobe") == 0 && i + 1 < argc) {
            dir = argv[++i];
        } else if (strcmp(argv[i], "--store") == 0 && i + 1 < argc) {
            store_path = argv[++i];
        } else {
            cli_import_usage(stderr);
            return CLI_EXIT_USAGE;
        }
    }
    if (!dir) {
        cli_import_usage(stderr);
        return CLI_EXIT_USAGE;
    }
    bb_json_init();
    bb_buf_init(&out, BB_BUF_MAX_DEFAULT);
    rc = bench_import_autobe(dir, &im);
    if (rc != BB_OK) {
        fprintf(stderr, "backbench import: %s: %s\n", dir, bb_strerror(rc));
        code = CLI_EXIT_USAGE;
        goto out;
    }
    rc = bench_import_summary(im, &out);
    if (rc == BB_OK)
        fputs(bb_buf_str(&out), stdout);
    if (rc == BB_OK && store_path) {
        store_run_info base;

        memset(&base, 0, sizeof base);
        base.backbench_version = BB_VERSION;
        base.git_rev = BB_GIT_REV;
        base.benchmark_version = BB_BENCHMARK_VERSION;
        rc = store_open(store_path, &st);
        if (rc == BB_OK)
            rc = bench_import_store(im, st, &base, &units);
        if (rc == BB_OK)
            printf("stored: %ld new units in %s\n", units, store_path);
        else
            fprintf(stderr, "backbench import: store %s: %s %s\n", store_path, bb_strerror(rc),
                    st ? store_errmsg(st) : "");
    }
    if (rc != BB_OK)
        code = CLI_EXIT_USAGE;
out:
    store_close(st);
    bench_import_free(im);
    bb_buf_free(&out);
    return code;
}
