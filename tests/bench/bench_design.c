/*
 * bench_design.c — time to load, check and compile a design (issue 4's
 * benchmark), stage by stage, on one DB or API AST file.
 *
 * usage: bench_design db|api FILE [GOLD_DB_FOR_API] [SECONDS]
 * Stages, each repeated for at least SECONDS and reported as ms per run:
 *   parse     lenient json_parse of the text
 *   validate  JSON Schema validation against the embedded phase schema
 *   load      typed AST loading (ast_db_load / ast_api_load)
 *   check     semantic checks (for api: with the gold DB's view when given)
 *   emit      SQLite DDL (db) / OpenAPI 3.1 (api)
 *   sqlite    (db only) executing the DDL in a fresh in-memory database
 * Prints "name value" lines; tests/bench/design.sh compares the validate
 * stage with ajv on the same document and schema.
 */
#include <jansson.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "ast/ast_api.h"
#include "ast/ast_api_check.h"
#include "ast/ast_db_check.h"
#include "ast/ast_dbview.h"
#include "bench/phase.h"
#include "emit/emit_openapi.h"
#include "emit/emit_sqlite.h"
#include "json/json_repair.h"
#include "json/json_util.h"
#include "util/alloc.h"
#include "util/file.h"

static double now_s(void)
{
    struct timespec ts;

    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

typedef struct bench_ctx {
    bench_phase_kind kind;
    const char *text;
    size_t len;
    json_t *doc;
    schema *s;
    const ast_db *gold;
    char *ddl;
} bench_ctx;

static int stage_parse(bench_ctx *c)
{
    json_parse_result r;
    int ok = json_parse(c->text, c->len, NULL, &r) == BB_OK;

    json_parse_result_free(&r);
    return ok;
}

static int stage_validate(bench_ctx *c)
{
    return schema_is_valid(c->s, c->doc);
}

static int stage_load(bench_ctx *c)
{
    schema_errors e;
    int ok;

    schema_errors_init(&e, 50);
    if (c->kind == BENCH_PHASE_DB) {
        ast_db *db = NULL;

        ok = ast_db_load(c->doc, NULL, &db, &e, NULL) == BB_OK;
        ast_db_free(db);
    } else {
        ast_api_doc *api = NULL;

        ok = ast_api_load(c->doc, &api, &e, NULL) == BB_OK;
        ast_api_free(api);
    }
    schema_errors_free(&e);
    return ok;
}

static int stage_check(bench_ctx *c)
{
    schema_errors e;
    bb_result rc;

    schema_errors_init(&e, 200);
    if (c->kind == BENCH_PHASE_DB) {
        ast_db *db = NULL;

        rc = ast_db_check_json(c->doc, NULL, &db, &e, NULL);
        ast_db_free(db);
    } else {
        ast_api_doc *api = NULL;
        ast_api_db_view v = ast_dbview(c->gold);

        rc = ast_api_load(c->doc, &api, &e, NULL);
        if (rc == BB_OK)
            rc = ast_api_check(api, c->gold ? &v : NULL, &e);
        ast_api_free(api);
    }
    schema_errors_free(&e);
    return rc == BB_OK || rc == BB_ERR_INVALID;
}

static int stage_emit(bench_ctx *c)
{
    bb_buf out;
    schema_errors e;
    bb_result rc;

    bb_buf_init(&out, (size_t)256 * 1024 * 1024);
    schema_errors_init(&e, 50);
    if (c->kind == BENCH_PHASE_DB) {
        ast_db *db = NULL;

        rc = ast_db_check_json(c->doc, NULL, &db, &e, NULL);
        if (rc == BB_OK)
            rc = emit_sqlite(db, &out);
        if (rc == BB_OK && !c->ddl)
            c->ddl = bb_strdup(out.data);
        ast_db_free(db);
    } else {
        ast_api_doc *api = NULL;

        rc = ast_api_load(c->doc, &api, &e, NULL);
        if (rc == BB_OK)
            rc = emit_openapi(api, NULL, &out);
        ast_api_free(api);
    }
    schema_errors_free(&e);
    bb_buf_free(&out);
    return rc == BB_OK;
}

static int stage_sqlite(bench_ctx *c)
{
    sqlite3 *db = NULL;
    int ok;

    if (!c->ddl)
        return 0;
    ok = sqlite3_open(":memory:", &db) == SQLITE_OK && sqlite3_exec(db, c->ddl, NULL, NULL, NULL) == SQLITE_OK;
    sqlite3_close(db);
    return ok;
}

static void run_stage(const char *name, int (*fn)(bench_ctx *), bench_ctx *c, double seconds, double *total)
{
    double t0 = now_s(), el;
    long n = 0;
    int ok = fn(c);

    do {
        ok &= fn(c);
        n++;
        el = now_s() - t0;
    } while (el < seconds);
    printf("%s_ms %.3f\n%s_ok %d\n", name, el * 1000.0 / (double)n, name, ok);
    if (total)
        *total += el * 1000.0 / (double)n;
}

int main(int argc, char **argv)
{
    bench_ctx c;
    char *text = NULL, *gold_text = NULL;
    size_t len = 0, glen = 0;
    double seconds = argc > 4 ? strtod(argv[4], NULL) : 1.0, pipeline = 0;
    ast_db *gold = NULL;
    json_parse_result pr;
    int k;

    if (argc == 1) {
        printf("   bench_design: driven by tests/bench/design.sh (needs a design file)\n");
        return 0;
    }
    if (argc < 3 || (k = bench_phase_parse(argv[1])) < 0) {
        fprintf(stderr, "usage: bench_design db|api FILE [GOLD_DB_FOR_API] [SECONDS]\n");
        return 2;
    }
    bb_json_init();
    memset(&c, 0, sizeof c);
    c.kind = (bench_phase_kind)k;
    if (bb_file_read(argv[2], (size_t)256 * 1024 * 1024, &text, &len) != BB_OK ||
        json_parse(text, len, NULL, &pr) != BB_OK || bench_phase_schema(c.kind, &c.s) != BB_OK) {
        fprintf(stderr, "bench_design: cannot load %s or the %s schema\n", argv[2], argv[1]);
        return 1;
    }
    c.text = text;
    c.len = len;
    c.doc = json_incref(pr.value);
    json_parse_result_free(&pr);
    if (argc > 3 && argv[3][0] && c.kind == BENCH_PHASE_API) {
        schema_errors e;
        json_parse_result gp;

        schema_errors_init(&e, 10);
        if (bb_file_read(argv[3], (size_t)64 * 1024 * 1024, &gold_text, &glen) == BB_OK &&
            json_parse(gold_text, glen, NULL, &gp) == BB_OK) {
            ast_db_check_json(gp.value, NULL, &gold, &e, NULL);
            json_parse_result_free(&gp);
        }
        schema_errors_free(&e);
        c.gold = gold;
    }
    printf("bytes %zu\n", len);
    run_stage("parse", stage_parse, &c, seconds, &pipeline);
    run_stage("validate", stage_validate, &c, seconds, &pipeline);
    run_stage("load", stage_load, &c, seconds, NULL);
    run_stage("check", stage_check, &c, seconds, &pipeline);
    run_stage("emit", stage_emit, &c, seconds, &pipeline);
    if (c.kind == BENCH_PHASE_DB)
        run_stage("sqlite", stage_sqlite, &c, seconds, &pipeline);
    printf("pipeline_ms %.3f\n", pipeline);
    json_decref(c.doc);
    schema_free(c.s);
    ast_db_free(gold);
    bb_free(c.ddl);
    bb_free(text);
    bb_free(gold_text);
    return 0;
}
