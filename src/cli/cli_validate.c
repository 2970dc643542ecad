/*
 * cli_validate.c — `backbench validate`: check a document the way the harness
 * checks a model's tool call, and show what the model would be told.
 *
 * The document goes through harness_check (lenient parse, repairs, coercion,
 * schema validation, the AST's semantic checks when --ast is given) and the
 * feedback renderer. Exit status: 0 valid (also after repair), 1 invalid or
 * unparseable, 2 usage or I/O error (including a schema that does not load).
 */
#include <stdio.h>
#include <string.h>

#include "ast/ast_db_check.h"
#include "bench/phase.h"
#include "cli/cli.h"
#include "cli/cli_load.h"
#include "harness/harness_check.h"
#include "json/json_util.h"
#include "schema/feedback.h"
#include "schema/schema.h"
#include "util/alloc.h"
#include "util/buf.h"
#include "util/file.h"

#define CLI_VALIDATE_MAX_INPUT ((size_t)64 * 1024 * 1024)

static void cli_validate_usage(FILE *f)
{
    fprintf(f,
            "usage: backbench validate --schema SCHEMA.json [--mode raw|repair|full] [--json] DOC\n"
            "       backbench validate --ast db|api [--db DBFILE] [--mode ...] [--json] DOC\n"
            "       backbench validate --ast impl --db DBFILE --api APIFILE [--mode ...] [--json] DOC\n"
            "       backbench validate --ast test --api APIFILE [--mode ...] [--json] DOC\n"
            "\n"
            "Checks DOC (a file, or - for standard input) as the harness checks a model's tool\n"
            "call: a lenient parse that repairs what models commonly break (fences, prose,\n"
            "comments, trailing commas, quotes, truncation...), schema-guided coercion\n"
            "(\"42\" -> 42, double-encoded objects), JSON Schema validation, and prints:\n"
            "  the repairs applied (code and byte position or path),\n"
            "  the errors ({path, expected, value}),\n"
            "  the feedback text exactly as a model would read it.\n"
            "\n"
            "options:\n"
            "  --schema FILE   the JSON Schema (the tool's parameters)\n"
            "  --ast db|api    use the built-in schema of that AST and run its semantic checks\n"
            "                  (duplicate tables, foreign keys to missing tables, naming rules,\n"
            "                  path parameters, unresolved DTO types, ...)\n"
            "  --db DBFILE     with --ast api: the database design DTOs are checked against\n"
            "  --api APIFILE   with --ast impl: the API design (and --db the database) the\n"
            "                  implementation of one operation is checked against\n"
            "  --mode MODE     raw: strict JSON, no repair or coercion; repair/full (default):\n"
            "                  lenient parse and coercion\n"
            "  --json          print one JSON object {verdict, truncated, repairs, errors, feedback}\n"
            "\n"
            "exit status: 0 valid (possibly after repair), 1 invalid or unparseable, 2 usage,\n"
            "I/O or schema error.\n");
}

static bb_result cli_validate_load_schema(const char *path, schema **out)
{
    char *text = NULL;
    size_t len = 0;
    json_error_t jerr;
    json_t *doc = NULL;
    schema_errors issues;
    bb_result rc;
    size_t i;

    *out = NULL;
    schema_errors_init(&issues, 50);
    rc = bb_file_read(path, CLI_VALIDATE_MAX_INPUT, &text, &len);
    if (rc != BB_OK) {
        fprintf(stderr, "backbench validate: cannot read schema %s: %s\n", path, bb_strerror(rc));
        goto out;
    }
    doc = json_loadb(text, len, 0, &jerr);
    if (!doc) {
        fprintf(stderr, "backbench validate: %s:%d:%d: schema is not JSON: %s\n", path, jerr.line, jerr.column,
                jerr.text);
        rc = BB_ERR_PARSE;
        goto out;
    }
    rc = schema_compile(doc, NULL, out, &issues);
    for (i = 0; i < issues.n; i++)
        fprintf(stderr, "backbench validate: %s: schema %s: %s%s%s\n", path, issues.items[i].path,
                issues.items[i].message ? issues.items[i].message : "",
                issues.items[i].message ? " " : "", issues.items[i].expected);
    if (rc != BB_OK)
        fprintf(stderr, "backbench validate: %s: schema not usable: %s\n", path, bb_strerror(rc));
out:
    schema_errors_free(&issues);
    json_decref(doc);
    bb_free(text);
    return rc;
}

static bb_result cli_validate_print_text(const harness_check_result *r, const char *feedback)
{
    size_t i;

    printf("verdict: %s", harness_verdict_name(r->verdict));
    if (r->verdict == HARNESS_INVALID)
        printf(" (%zu schema errors, %zu semantic errors)", r->n_schema_errors, r->n_semantic_errors);
    printf("\ntruncated: %s\n", r->parse.truncated ? "yes" : "no");
    printf("repairs: %zu\n", r->parse.repairs.n + r->parse.repairs.dropped);
    for (i = 0; i < r->parse.repairs.n; i++) {
        const json_repair *rp = &r->parse.repairs.items[i];

        if (rp->path)
            printf("  %s at %s\n", json_repair_code_name(rp->code), rp->path);
        else
            printf("  %s at byte %zu\n", json_repair_code_name(rp->code), rp->pos);
    }
    if (r->verdict == HARNESS_UNPARSEABLE)
        printf("parse error: line %u, column %u (byte %zu): %s\n", r->parse.err_line, r->parse.err_col,
               r->parse.err_pos, r->parse.err_msg);
    printf("errors: %zu\n", schema_errors_total(&r->errors));
    fflush(stdout);
    cli_print_errors(stdout, "  ", &r->errors);
    if (feedback) {
        printf("feedback:\n%s", feedback);
        if (feedback[0] && feedback[strlen(feedback) - 1] != '\n')
            printf("\n");
    }
    return BB_OK;
}

static bb_result cli_validate_print_json(const harness_check_result *r, const char *feedback)
{
    bb_buf b;
    size_t i;
    bb_result rc;

    bb_buf_init(&b, BB_BUF_MAX_DEFAULT);
    rc = bb_buf_printf(&b, "{\"verdict\":\"%s\",\"truncated\":%s,\"repairs\":[",
                       harness_verdict_name(r->verdict), r->parse.truncated ? "true" : "false");
    for (i = 0; rc == BB_OK && i < r->parse.repairs.n; i++) {
        const json_repair *rp = &r->parse.repairs.items[i];

        rc = bb_buf_printf(&b, "%s{\"code\":\"%s\"", i ? "," : "", json_repair_code_name(rp->code));
        if (rc == BB_OK && rp->path) {
            rc = bb_buf_puts(&b, ",\"path\":");
            if (rc == BB_OK)
                rc = bb_buf_put_json_string(&b, rp->path, strlen(rp->path));
        } else if (rc == BB_OK) {
            rc = bb_buf_printf(&b, ",\"pos\":%zu", rp->pos);
        }
        if (rc == BB_OK)
            rc = bb_buf_putc(&b, '}');
    }
    if (rc == BB_OK && r->verdict == HARNESS_UNPARSEABLE) {
        rc = bb_buf_printf(&b, "],\"parse_error\":{\"line\":%u,\"column\":%u,\"pos\":%zu,\"message\":",
                           r->parse.err_line, r->parse.err_col, r->parse.err_pos);
        if (rc == BB_OK)
            rc = bb_buf_put_json_string(&b, r->parse.err_msg, strlen(r->parse.err_msg));
        if (rc == BB_OK)
            rc = bb_buf_puts(&b, "},\"errors\":");
    } else if (rc == BB_OK) {
        rc = bb_buf_puts(&b, "],\"errors\":");
    }
    if (rc == BB_OK)
        rc = schema_errors_to_json(&r->errors, &b);
    if (rc == BB_OK)
        rc = bb_buf_printf(&b, ",\"errors_total\":%zu,\"feedback\":", schema_errors_total(&r->errors));
    if (rc == BB_OK && feedback)
        rc = bb_buf_put_json_string(&b, feedback, strlen(feedback));
    else if (rc == BB_OK)
        rc = bb_buf_puts(&b, "null");
    if (rc == BB_OK)
        rc = bb_buf_puts(&b, "}\n");
    if (rc == BB_OK)
        fputs(b.data, stdout);
    bb_buf_free(&b);
    return rc;
}

int cli_validate_main(int argc, char **argv)
{
    const char *schema_path = NULL, *doc_path = NULL, *ast_name = NULL, *db_path = NULL, *api_path = NULL;
    ast_api_doc *api = NULL;
    bench_phase_checker checker = {BENCH_PHASE_DB, NULL, NULL};
    harness_hook hook = {NULL, NULL};
    ast_db *db = NULL;
    int mode = HARNESS_MODE_FULL, as_json = 0, i, status = CLI_EXIT_USAGE;
    schema *s = NULL;
    char *text = NULL;
    size_t len = 0;
    harness_check_result res;
    bb_buf fb;
    bb_result rc;

    memset(&res, 0, sizeof res);
    bb_buf_init(&fb, (size_t)4 * 1024 * 1024);
    if (cli_wants_help(argc, argv)) {
        cli_validate_usage(stdout);
        return CLI_EXIT_OK;
    }
    for (i = 1; i < argc; i++) {
        if (strcmp(argv[i], "--schema") == 0 && i + 1 < argc) {
            schema_path = argv[++i];
        } else if (strcmp(argv[i], "--ast") == 0 && i + 1 < argc) {
            ast_name = argv[++i];
        } else if (strcmp(argv[i], "--db") == 0 && i + 1 < argc) {
            db_path = argv[++i];
        } else if (strcmp(argv[i], "--api") == 0 && i + 1 < argc) {
            api_path = argv[++i];
        } else if (strcmp(argv[i], "--mode") == 0 && i + 1 < argc) {
            mode = harness_mode_parse(argv[++i]);
            if (mode < 0) {
                fprintf(stderr, "backbench validate: --mode must be raw, repair or full\n");
                return CLI_EXIT_USAGE;
            }
        } else if (strcmp(argv[i], "--json") == 0) {
            as_json = 1;
        } else if (argv[i][0] == '-' && argv[i][1] != '\0') {
            fprintf(stderr, "backbench validate: unknown option '%s'\n", argv[i]);
            cli_validate_usage(stderr);
            return CLI_EXIT_USAGE;
        } else if (!doc_path) {
            doc_path = argv[i];
        } else {
            fprintf(stderr, "backbench validate: only one document\n");
            return CLI_EXIT_USAGE;
        }
    }
    if (!doc_path || (!schema_path == !ast_name) || (db_path && !ast_name) || (api_path && !ast_name)) {
        cli_validate_usage(stderr);
        return CLI_EXIT_USAGE;
    }
    bb_json_init();
    if (ast_name) {
        int k = bench_phase_parse(ast_name);

        if (k < 0) {
            fprintf(stderr, "backbench validate: --ast must be db, api, impl or test\n");
            goto out;
        }
        checker.kind = (bench_phase_kind)k;
        rc = bench_phase_schema(checker.kind, &s);
        if (rc != BB_OK) {
            fprintf(stderr, "backbench validate: built-in %s schema: %s\n", ast_name, bb_strerror(rc));
            goto out;
        }
        if (checker.kind == BENCH_PHASE_IMPL && (!db_path || !api_path)) {
            fprintf(stderr, "backbench validate: --ast impl needs --db DBFILE and --api APIFILE\n");
            goto out;
        }
        if (checker.kind == BENCH_PHASE_TEST && !api_path) {
            fprintf(stderr, "backbench validate: --ast test needs --api APIFILE\n");
            goto out;
        }
        if (db_path) {
            if (cli_load_db(db_path, &db) != BB_OK)
                goto out;
            checker.db = db;
        }
        if (api_path) {
            if (cli_load_api(api_path, db, &api) != BB_OK)
                goto out;
            checker.api = api;
        }
        hook.check = bench_phase_semantic;
        hook.ctx = &checker;
    } else if (cli_validate_load_schema(schema_path, &s) != BB_OK) {
        goto out;
    }
    rc = bb_file_read(doc_path, CLI_VALIDATE_MAX_INPUT, &text, &len);
    if (rc != BB_OK) {
        fprintf(stderr, "backbench validate: cannot read %s: %s\n", doc_path, bb_strerror(rc));
        goto out;
    }
    rc = harness_check(text, len, s, (harness_mode)mode, &hook, &res);
    if (rc != BB_OK) {
        fprintf(stderr, "backbench validate: %s\n", bb_strerror(rc));
        goto out;
    }
    if (res.verdict == HARNESS_INVALID || res.verdict == HARNESS_UNPARSEABLE) {
        rc = feedback_render(res.parse.value, &res.errors, NULL, &fb);
        if (rc != BB_OK) {
            fprintf(stderr, "backbench validate: feedback: %s\n", bb_strerror(rc));
            goto out;
        }
    }
    rc = as_json ? cli_validate_print_json(&res, fb.data) : cli_validate_print_text(&res, fb.data);
    if (rc != BB_OK) {
        fprintf(stderr, "backbench validate: %s\n", bb_strerror(rc));
        goto out;
    }
    status = res.verdict <= HARNESS_VALID_REPAIRED ? CLI_EXIT_OK : CLI_EXIT_FAIL;
out:
    harness_check_result_free(&res);
    bb_buf_free(&fb);
    schema_free(s);
    ast_api_free(api);
    ast_db_free(db);
    bb_free(text);
    return status;
}
