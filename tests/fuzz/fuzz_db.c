/*
 * fuzz_db.c — libFuzzer target for the DB AST pipeline.
 *
 * Input bytes -> jansson parse (NUL characters allowed, so the loader sees
 * them) -> ast_db_load with small limits -> ast_db_check -> when the design
 * is clean: all four emitters, and SQLite executes the emitted DDL in an
 * in-memory database. A checked design whose DDL SQLite refuses is a bug
 * (abort), as is any crash, leak or sanitizer report. Seeds:
 * tests/data/db/ (y_*.json designs, check/ cases: use their "ast" member,
 * the target also unwraps it).
 */
#include <jansson.h>
#include <sqlite3.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#include "ast/ast_db.h"
#include "ast/ast_db_check.h"
#include "emit/emit_mermaid.h"
#include "emit/emit_postgres.h"
#include "emit/emit_prisma.h"
#include "emit/emit_sqlite.h"
#include "json/json_util.h"
#include "util/buf.h"

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    (void)argc;
    (void)argv;
    bb_json_init();
    return 0;
}

static void fuzz_sqlite(const char *ddl)
{
    sqlite3 *s = NULL;
    char *err = NULL;

    if (sqlite3_open(":memory:", &s) != SQLITE_OK)
        abort();
    if (sqlite3_exec(s, ddl, NULL, NULL, &err) != SQLITE_OK) {
        fprintf(stderr, "SQLite refused the DDL of a checked design: %s\n%s\n", err ? err : "?", ddl);
        abort();
    }
    sqlite3_close(s);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    json_error_t je;
    json_t *doc;
    const json_t *ast;
    ast_db_params p = ast_db_default_params();
    schema_errors errs, warns;
    ast_db *db = NULL;
    bb_result rc;

    if (size > (1u << 20))
        return 0;
    doc = json_loadb((const char *)data, size, JSON_ALLOW_NUL | JSON_DECODE_ANY, &je);
    if (!doc)
        return 0;
    ast = json_object_get(doc, "ast") ? json_object_get(doc, "ast") : doc;
    p.max_models = 64;
    p.max_columns = 64;
    p.max_indexes = 32;
    p.max_arena = 4u << 20;
    schema_errors_init(&errs, 50);
    schema_errors_init(&warns, 50);
    rc = ast_db_load(ast, &p, &db, &errs, &warns);
    if (rc == BB_OK && ast_db_check(db, &errs) == BB_OK) {
        bb_buf out;

        bb_buf_init(&out, 16u << 20);
        if (emit_postgres(db, &out) != BB_OK || emit_prisma(db, &out) != BB_OK || emit_mermaid(db, &out) != BB_OK)
            abort();
        bb_buf_reset(&out);
        if (emit_sqlite(db, &out) != BB_OK)
            abort();
        fuzz_sqlite(bb_buf_str(&out));
        bb_buf_free(&out);
    } else if (rc == BB_OK && ast_db_emit_ready(db) == BB_OK) {
        abort(); /* a design with errors must never be emittable */
    }
    ast_db_free(db);
    schema_errors_free(&errs);
    schema_errors_free(&warns);
    json_decref(doc);
    return 0;
}
