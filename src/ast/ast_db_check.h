/*
 * ast_db_check.h — semantic checks of a loaded DB AST.
 *
 * Runs after the schema validator (and after ast_db_load) and reports each
 * problem as a located error (kind SCHEMA_ERR_SEMANTIC) in the shared
 * schema_errors list, so the feedback renderer places it on the model's own
 * JSON:
 *   path      "$input.files[0].models[2].plainFields[1].name"
 *   expected  a short rule: "string & SnakeCase", "unique table name",
 *             "existing table name", ...
 *   value     the offending value as JSON
 *   message   a sentence naming the file, the table and the field
 * The checks (docs/ast-db.md has examples): identifier patterns and length
 * limits, reserved words (SQLite, PostgreSQL, Prisma), duplicate tables
 * (across files), columns, relation names and opposite names, foreign keys
 * to missing tables, index columns that do not exist, gin indexes on
 * non-text columns, duplicate and redundant (prefix) indexes, and cycles of
 * non-nullable foreign keys (no row of such a cycle could ever be inserted).
 *
 * ast_db_check records its verdict in the AST (idents_ok, refs_ok,
 * checked_ok); the emitters call ast_db_emit_ready and refuse anything else.
 */
#ifndef BB_AST_DB_CHECK_H
#define BB_AST_DB_CHECK_H

#include "ast/ast_db.h"
#include "schema/schema_error.h"
#include "util/result.h"

/* BB_OK: no error. BB_ERR_INVALID: errors were appended to errs (which must
 * not be NULL). BB_ERR_NOMEM / BB_ERR_LIMIT: the check itself failed. */
bb_result ast_db_check(ast_db *db, schema_errors *errs /* OUT */);

/* The harness hook in one call: ast_db_load then, when the structure is
 * sound, ast_db_check; structural and semantic errors land in the same list.
 * On BB_OK or BB_ERR_INVALID after a successful load, *out (when out is not
 * NULL) receives the AST (free with ast_db_free); otherwise *out is NULL.
 * params and warns may be NULL. */
bb_result ast_db_check_json(const json_t *doc, const ast_db_params *params, ast_db **out /* OUT, may be NULL */,
                            schema_errors *errs /* OUT */, schema_errors *warns /* OUT, may be NULL */);

/* BB_OK when db passed ast_db_check without errors and every identifier
 * still matches its pattern (checked again here, cheaply); BB_ERR_INVALID
 * otherwise. Every emitter calls this first. */
bb_result ast_db_emit_ready(const ast_db *db);

#endif
