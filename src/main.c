/*
 * main.c — command-line entry: finds the subcommand and hands it argv.
 *
 * backbench is one binary with subcommands (see `backbench --help` and
 * src/cli/). Global options come before the subcommand: -v/--verbose,
 * -q/--quiet.
 */
#include <stdio.h>
#include <string.h>

#include "cli/cli.h"
#include "engine/engine.h"
#include "util/log.h"

static void usage(FILE *f)
{
    const cli_command *c;

    fprintf(f, "usage: backbench [-v|-q] COMMAND [ARGS...]\n\n"
               "backbench measures how well language models build a backend by function calling.\n\n"
               "commands:\n");
    for (c = cli_commands; c->name; c++)
        fprintf(f, "  %-10s %s\n", c->name, c->summary);
    fprintf(f, "\n`backbench COMMAND --help` explains one command.\n");
}

int main(int argc, char **argv)
{
    const cli_command *c;
    int i = 1;

    eng_sqlite_setup();
    while (i < argc && argv[i][0] == '-') {
        if (strcmp(argv[i], "-v") == 0 || strcmp(argv[i], "--verbose") == 0) {
            bb_log_set_level(BB_LOG_DEBUG);
        } else if (strcmp(argv[i], "-q") == 0 || strcmp(argv[i], "--quiet") == 0) {
            bb_log_set_level(BB_LOG_ERROR);
        } else if (strcmp(argv[i], "-h") == 0 || strcmp(argv[i], "--help") == 0) {
            usage(stdout);
            return CLI_EXIT_OK;
        } else if (strcmp(argv[i], "--version") == 0) {
            return cli_version_main(1, argv);
        } else {
            fprintf(stderr, "backbench: unknown option '%s'\n", argv[i]);
            usage(stderr);
            return CLI_EXIT_USAGE;
        }
        i++;
    }
    if (i >= argc) {
        usage(stderr);
        return CLI_EXIT_USAGE;
    }
    for (c = cli_commands; c->name; c++) {
        if (strcmp(c->name, argv[i]) == 0)
            return c->main(argc - i, argv + i);
    }
    fprintf(stderr, "backbench: unknown command '%s'\n", argv[i]);
    usage(stderr);
    return CLI_EXIT_USAGE;
}
