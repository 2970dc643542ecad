/*
 * cli.h — the subcommands of the backbench command line.
 *
 * Each subcommand lives in its own file src/cli/cli_<name>.c and exposes one
 * entry point taking the arguments after the subcommand name (argv[0] is the
 * subcommand). Exit codes everywhere: 0 success/valid, 1 a negative verdict
 * (invalid document, failed run), 2 usage or I/O error.
 */
#ifndef BB_CLI_H
#define BB_CLI_H

#include <stdio.h>

#include "schema/schema_error.h"

#define BB_VERSION "0.1.0"
#define BB_BENCHMARK_VERSION "2026.11-dev"

enum { CLI_EXIT_OK = 0, CLI_EXIT_FAIL = 1, CLI_EXIT_USAGE = 2 };

typedef struct cli_command {
    const char *name;
    const char *summary;
    int (*main)(int argc, char **argv);
} cli_command;

/* The table of subcommands (NULL-terminated), defined in cli_commands.c. */
extern const cli_command cli_commands[];

/* Prints each stored error as "LEAD$path: expected E, got V[ — message]". */
void cli_print_errors(FILE *f, const char *lead, const schema_errors *e);

/* Returns 1 when argv holds -h or --help. */
int cli_wants_help(int argc, char **argv);

int cli_version_main(int argc, char **argv);
int cli_sim_main(int argc, char **argv);
int cli_validate_main(int argc, char **argv);
int cli_compile_main(int argc, char **argv);
int cli_call_main(int argc, char **argv);
int cli_import_main(int argc, char **argv);
int cli_models_main(int argc, char **argv);
int cli_projects_main(int argc, char **argv);
int cli_report_main(int argc, char **argv);
int cli_run_main(int argc, char **argv);
int cli_demo_main(int argc, char **argv);
int cli_merge_main(int argc, char **argv);
int cli_serve_main(int argc, char **argv);
int cli_logic_main(int argc, char **argv);

#endif
