/*
 * cli_projects.c — `backbench projects`: the embedded reference projects with
 * their version, the sizes of their gold designs and a one-line summary.
 */
#include <jansson.h>
#include <stdio.h>
#include <string.h>

#include "bench/project.h"
#include "cli/cli.h"
#include "json/json_util.h"
#include "util/alloc.h"

static void cli_projects_usage(FILE *f)
{
    fprintf(f,
            "usage: backbench projects [--json]\n"
            "\n"
            "Lists the reference projects built into this binary: name, version, and the\n"
            "sizes of the gold designs (tables, API operations, DTO schemas), with the\n"
            "summary. Each lives in projects/<name>/ of the source tree.\n"
            "\n"
            "  --json   JSON instead of a table\n");
}

static int cli_projects_json(const bench_projects *ps)
{
    json_t *arr = json_array();
    char *s;
    size_t i;
    int bad = !arr;

    for (i = 0; i < ps->n && !bad; i++) {
        const bench_project *p = &ps->items[i];
        json_t *o = json_pack("{s:s, s:s, s:s, s:{s:I, s:I, s:I}}", "name", p->name, "version", p->version,
                              "summary", p->summary, "sizes", "tables", (json_int_t)p->tables, "operations",
                              (json_int_t)p->operations, "schemas", (json_int_t)p->schemas);

        bad |= !o || json_array_append_new(arr, o) != 0;
    }
    s = bad ? NULL : json_dumps(arr, JSON_INDENT(2));
    json_decref(arr);
    if (!s) {
        fprintf(stderr, "backbench projects: out of memory\n");
        return CLI_EXIT_USAGE;
    }
    printf("%s\n", s);
    bb_free(s);
    return CLI_EXIT_OK;
}

int cli_projects_main(int argc, char **argv)
{
    schema_errors errs;
    bench_projects *ps = NULL;
    int json = 0, i, code = CLI_EXIT_OK;
    size_t k;
    bb_result rc;

    if (cli_wants_help(argc, argv)) {
        cli_projects_usage(stdout);
        return CLI_EXIT_OK;
    }
    for (i = 1; i < argc; i++) {
        if (strcmp(argv[i], "--json") == 0) {
            json = 1;
        } else {
            fprintf(stderr, "backbench projects: bad option '%s'\n", argv[i]);
            cli_projects_usage(stderr);
            return CLI_EXIT_USAGE;
        }
    }
    bb_json_init();
    schema_errors_init(&errs, 0);
    rc = bench_projects_list(&ps, &errs);
    if (rc != BB_OK) {
        fprintf(stderr, "backbench projects: %s\n", bb_strerror(rc));
        cli_print_errors(stderr, "  ", &errs);
        schema_errors_free(&errs);
        return CLI_EXIT_USAGE;
    }
    if (json) {
        code = cli_projects_json(ps);
    } else {
        printf("%-12s %-8s %6s %10s %7s  %s\n", "name", "version", "tables", "operations", "schemas", "summary");
        for (k = 0; k < ps->n; k++) {
            const bench_project *p = &ps->items[k];

            printf("%-12s %-8s %6ld %10ld %7ld  %s\n", p->name, p->version, p->tables, p->operations, p->schemas,
                   p->summary);
        }
    }
    bench_projects_free(ps);
    schema_errors_free(&errs);
    return code;
}
