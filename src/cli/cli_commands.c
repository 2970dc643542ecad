/*
 * cli_commands.c — the table of subcommands and the shared option helpers.
 * Adding a subcommand: write src/cli/cli_<name>.c, declare its entry point in
 * cli.h and add one line here.
 */
#include "cli.h"

#include <stdio.h>
#include <string.h>

const cli_command cli_commands[] = {
    {"call", "one function-calling conversation against any server: rounds, repairs, outcome", cli_call_main},
    {"compile", "compile a DB or API design to SQLite/PostgreSQL DDL, Prisma, Mermaid or OpenAPI",
     cli_compile_main},
    {"demo", "the whole benchmark against the built-in simulator, then the report: no model needed", cli_demo_main},
    {"import", "verdicts and scores for real AutoBe outputs (--autobe DIR), optionally stored (--store FILE)",
     cli_import_main},
    {"logic", "gold figures of a project's logic phases; score an Impl or Test AST (--impl, --test)", cli_logic_main},
    {"merge", "merge results stores (e.g. one per shard) into one, without duplicates", cli_merge_main},
    {"models", "the model registry: prices, sizes, eligibility; --servers: server presets", cli_models_main},
    {"projects", "the reference projects and the sizes of their gold designs", cli_projects_main},
    {"report", "write the HTML dashboard, summary.json, leaderboard.md and leaderboard.csv from a results store",
     cli_report_main},
    {"run", "run the benchmark against a model server; resumable, sharded, with a budget", cli_run_main},
    {"serve", "serve a project's backend (gold or given Impl ASTs) over HTTP on loopback", cli_serve_main},
    {"sim", "run the built-in OpenAI-compatible simulator (a test double)", cli_sim_main},
    {"validate", "check a document as the harness checks a tool call; show repairs, errors, feedback",
     cli_validate_main},
    {"version", "print the backbench and benchmark versions", cli_version_main},
    {NULL, NULL, NULL},
};

void cli_print_errors(FILE *f, const char *lead, const schema_errors *e)
{
    size_t i;

    for (i = 0; i < e->n; i++)
        fprintf(f, "%s%s: expected %s, got %s%s%s\n", lead, e->items[i].path, e->items[i].expected,
                e->items[i].value, e->items[i].message ? " — " : "", e->items[i].message ? e->items[i].message : "");
}

int cli_wants_help(int argc, char **argv)
{
    int i;

    for (i = 1; i < argc; i++) {
        if (strcmp(argv[i], "-h") == 0 || strcmp(argv[i], "--help") == 0)
            return 1;
    }
    return 0;
}

int cli_version_main(int argc, char **argv)
{
    if (cli_wants_help(argc, argv)) {
        printf("usage: backbench version\n\nPrints the program version, the git revision it was built from\n"
               "and the benchmark version (prompts, schemas and project data).\n");
        return CLI_EXIT_OK;
    }
#ifndef BB_GIT_REV
#define BB_GIT_REV "unknown"
#endif
    printf("backbench %s (git %s), benchmark %s\n", BB_VERSION, BB_GIT_REV, BB_BENCHMARK_VERSION);
    return CLI_EXIT_OK;
}
