/*
 * cli_merge.c — `backbench merge`: joins results stores (e.g. one per shard)
 * into one, without duplicates (store_merge: runs matched by their
 * configuration, units by their identity; units already present are kept).
 */
#include <stdio.h>
#include <string.h>

#include "cli/cli.h"
#include "store/store.h"

#define CLI_MERGE_MAX_INPUTS 10000

static void cli_merge_usage(FILE *f)
{
    fprintf(f,
            "usage: backbench merge A.db B.db ... -o ALL.db\n"
            "\n"
            "Copies every run and finished unit (with its rounds and artifact) of the input stores\n"
            "into ALL.db (created if missing; it may already hold results). A unit present in\n"
            "several inputs, or already in ALL.db, is kept once. Inputs are only read.\n"
            "\n"
            "exit status: 0 merged, 1 an input could not be merged (the ones before it are kept),\n"
            "2 usage error.\n");
}

int cli_merge_main(int argc, char **argv)
{
    const char *out_path = NULL;
    const char *inputs[CLI_MERGE_MAX_INPUTS];
    int n = 0, i, status = CLI_EXIT_USAGE;
    long total = 0;
    store *s = NULL;
    bb_result rc;

    if (cli_wants_help(argc, argv)) {
        cli_merge_usage(stdout);
        return CLI_EXIT_OK;
    }
    for (i = 1; i < argc; i++) {
        if (strcmp(argv[i], "-o") == 0 || strcmp(argv[i], "--out") == 0) {
            if (i + 1 >= argc) {
                fprintf(stderr, "backbench merge: '%s' needs a file\n", argv[i]);
                return CLI_EXIT_USAGE;
            }
            out_path = argv[++i];
        } else if (argv[i][0] == '-') {
            fprintf(stderr, "backbench merge: unknown option %s\n", argv[i]);
            cli_merge_usage(stderr);
            return CLI_EXIT_USAGE;
        } else if (n == CLI_MERGE_MAX_INPUTS) {
            fprintf(stderr, "backbench merge: more than %d inputs\n", CLI_MERGE_MAX_INPUTS);
            return CLI_EXIT_USAGE;
        } else {
            inputs[n++] = argv[i];
        }
    }
    if (!out_path || n == 0) {
        cli_merge_usage(stderr);
        return CLI_EXIT_USAGE;
    }
    for (i = 0; i < n; i++) {
        if (strcmp(inputs[i], out_path) == 0) {
            fprintf(stderr, "backbench merge: %s is both an input and the output\n", out_path);
            return CLI_EXIT_USAGE;
        }
    }
    rc = store_open(out_path, &s);
    if (rc != BB_OK) {
        fprintf(stderr, "backbench merge: cannot open %s: %s\n", out_path, bb_strerror(rc));
        return CLI_EXIT_USAGE;
    }
    status = CLI_EXIT_OK;
    for (i = 0; i < n; i++) {
        long added = 0;
        FILE *probe = fopen(inputs[i], "rb");

        if (!probe) {
            fprintf(stderr, "backbench merge: cannot read %s\n", inputs[i]);
            status = CLI_EXIT_FAIL;
            break;
        }
        fclose(probe);
        rc = store_merge(s, inputs[i], &added);
        if (rc != BB_OK) {
            fprintf(stderr, "backbench merge: %s: %s (%s)\n", inputs[i], bb_strerror(rc), store_errmsg(s));
            status = CLI_EXIT_FAIL;
            break;
        }
        printf("%s: %ld units added\n", inputs[i], added);
        total += added;
    }
    printf("%s: %ld units added from %d store%s\n", out_path, total, i, i == 1 ? "" : "s");
    store_close(s);
    return status;
}
