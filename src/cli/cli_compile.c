/*
 * cli_compile.c — `backbench compile`: turn a DB or API design into the
 * artifacts real tools read (SQLite and PostgreSQL DDL, a Prisma schema, a
 * Mermaid ERD, an OpenAPI 3.1 document).
 *
 * The design is checked exactly as a model's answer is (lenient parse,
 * coercion, schema, semantic checks); a design with errors is not compiled:
 * the errors are printed and the exit status is 1.
 */
#include <stdio.h>
#include <string.h>

#include "ast/ast_api.h"
#include "ast/ast_db_check.h"
#include "bench/phase.h"
#include "cli/cli.h"
#include "cli/cli_load.h"
#include "emit/emit_mermaid.h"
#include "emit/emit_openapi.h"
#include "emit/emit_postgres.h"
#include "emit/emit_prisma.h"
#include "emit/emit_sqlite.h"
#include "harness/harness_check.h"
#include "json/json_util.h"
#include "util/alloc.h"
#include "util/buf.h"
#include "util/file.h"

static void cli_compile_usage(FILE *f)
{
    fprintf(f,
            "usage: backbench compile --ast db FILE --to sqlite|postgres|prisma|mermaid [-o OUT]\n"
            "       backbench compile --ast api FILE --to openapi [--db DBFILE] [--title T] [-o OUT]\n"
            "\n"
            "Compiles a design (a DB AST or an API AST, as JSON) into:\n"
            "  sqlite    SQLite DDL (CREATE TABLE / CREATE INDEX, tables in dependency order)\n"
            "  postgres  PostgreSQL DDL (uuid, timestamptz; gin indexes need pg_trgm)\n"
            "  prisma    a Prisma schema\n"
            "  mermaid   a Mermaid entity-relationship diagram\n"
            "  openapi   an OpenAPI 3.1 document (JSON)\n"
            "The design is first checked as the benchmark checks a model's answer (schema and\n"
            "semantic checks; --db adds the API's database checks). With errors, nothing is\n"
            "written, the errors are printed, and the exit status is 1. Output goes to standard\n"
            "output, or to OUT (written through a temporary file).\n"
            "\n"
            "exit status: 0 compiled, 1 the design has errors, 2 usage or I/O error.\n");
}

static int cli_compile_target_ok(bench_phase_kind k, const char *to)
{
    if (k == BENCH_PHASE_DB)
        return strcmp(to, "sqlite") == 0 || strcmp(to, "postgres") == 0 || strcmp(to, "prisma") == 0 ||
               strcmp(to, "mermaid") == 0;
    return strcmp(to, "openapi") == 0;
}

static bb_result cli_compile_emit(bench_phase_kind k, const json_t *doc, const char *to, const char *title,
                                  bb_buf *out)
{
    bb_result rc;

    if (k == BENCH_PHASE_DB) {
        ast_db *db = NULL;
        schema_errors errs;

        schema_errors_init(&errs, 10);
        rc = ast_db_check_json(doc, NULL, &db, &errs, NULL);
        schema_errors_free(&errs);
        if (rc == BB_OK) {
            if (strcmp(to, "sqlite") == 0)
                rc = emit_sqlite(db, out);
            else if (strcmp(to, "postgres") == 0)
                rc = emit_postgres(db, out);
            else if (strcmp(to, "prisma") == 0)
                rc = emit_prisma(db, out);
            else
                rc = emit_mermaid(db, out);
        }
        ast_db_free(db);
        return rc;
    } else {
        ast_api_doc *api = NULL;
        schema_errors errs;
        emit_openapi_params p = emit_openapi_default_params();

        if (title)
            p.title = title;
        schema_errors_init(&errs, 10);
        rc = ast_api_load(doc, &api, &errs, NULL);
        schema_errors_free(&errs);
        if (rc == BB_OK)
            rc = emit_openapi(api, &p, out);
        ast_api_free(api);
        return rc;
    }
}

int cli_compile_main(int argc, char **argv)
{
    const char *ast_name = NULL, *file = NULL, *to = NULL, *out_path = NULL, *db_path = NULL, *title = NULL;
    bench_phase_checker checker = {BENCH_PHASE_DB, NULL, NULL};
    harness_hook hook = {bench_phase_semantic, NULL};
    harness_check_result res;
    schema *s = NULL;
    ast_db *db = NULL;
    char *text = NULL;
    size_t len = 0;
    bb_buf out;
    int status = CLI_EXIT_USAGE, k, a;
    bb_result rc;

    memset(&res, 0, sizeof res);
    bb_buf_init(&out, (size_t)256 * 1024 * 1024);
    if (cli_wants_help(argc, argv)) {
        cli_compile_usage(stdout);
        return CLI_EXIT_OK;
    }
    for (a = 1; a < argc; a++) {
        const char *val = a + 1 < argc ? argv[a + 1] : NULL;

        if (strcmp(argv[a], "--ast") == 0 && val) {
            ast_name = val;
            a++;
            if (a + 1 < argc && argv[a + 1][0] != '-')
                file = argv[++a];
        } else if (strcmp(argv[a], "--to") == 0 && val) {
            to = val;
            a++;
        } else if ((strcmp(argv[a], "-o") == 0 || strcmp(argv[a], "--out") == 0) && val) {
            out_path = val;
            a++;
        } else if (strcmp(argv[a], "--db") == 0 && val) {
            db_path = val;
            a++;
        } else if (strcmp(argv[a], "--title") == 0 && val) {
            title = val;
            a++;
        } else if (argv[a][0] != '-' && !file) {
            file = argv[a];
        } else {
            fprintf(stderr, "backbench compile: unexpected argument '%s'\n", argv[a]);
            cli_compile_usage(stderr);
            return CLI_EXIT_USAGE;
        }
    }
    k = ast_name ? bench_phase_parse(ast_name) : -1;
    if (k < 0 || !file || !to || !cli_compile_target_ok((bench_phase_kind)k, to) ||
        (db_path && k != BENCH_PHASE_API)) {
        cli_compile_usage(stderr);
        return CLI_EXIT_USAGE;
    }
    bb_json_init();
    checker.kind = (bench_phase_kind)k;
    hook.ctx = &checker;
    rc = bench_phase_schema(checker.kind, &s);
    if (rc != BB_OK) {
        fprintf(stderr, "backbench compile: built-in %s schema: %s\n", ast_name, bb_strerror(rc));
        goto out;
    }
    if (db_path) {
        if (cli_load_db(db_path, &db) != BB_OK)
            goto out;
        checker.db = db;
    }
    rc = bb_file_read(file, CLI_LOAD_MAX_INPUT, &text, &len);
    if (rc != BB_OK) {
        fprintf(stderr, "backbench compile: cannot read %s: %s\n", file, bb_strerror(rc));
        goto out;
    }
    rc = harness_check(text, len, s, HARNESS_MODE_REPAIR, &hook, &res);
    if (rc != BB_OK) {
        fprintf(stderr, "backbench compile: %s\n", bb_strerror(rc));
        goto out;
    }
    if (res.verdict == HARNESS_INVALID || res.verdict == HARNESS_UNPARSEABLE) {
        fprintf(stderr, "backbench compile: %s: %zu errors; nothing compiled\n", file,
                schema_errors_total(&res.errors));
        cli_print_errors(stderr, "  ", &res.errors);
        status = CLI_EXIT_FAIL;
        goto out;
    }
    rc = cli_compile_emit(checker.kind, res.parse.value, to, title, &out);
    if (rc != BB_OK) {
        fprintf(stderr, "backbench compile: %s: %s\n", to, bb_strerror(rc));
        status = CLI_EXIT_FAIL;
        goto out;
    }
    if (out_path) {
        rc = bb_file_write(out_path, out.data ? out.data : "", out.len);
        if (rc != BB_OK) {
            fprintf(stderr, "backbench compile: cannot write %s: %s\n", out_path, bb_strerror(rc));
            goto out;
        }
    } else if (out.len && fwrite(out.data, 1, out.len, stdout) != out.len) {
        goto out;
    }
    status = CLI_EXIT_OK;
out:
    harness_check_result_free(&res);
    bb_buf_free(&out);
    schema_free(s);
    ast_db_free(db);
    bb_free(text);
    return status;
}
