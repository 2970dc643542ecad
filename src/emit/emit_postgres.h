/*
 * emit_postgres.h — compiles a checked DB AST into PostgreSQL DDL.
 *
 * Types: uuid -> uuid, boolean -> boolean, int -> integer, double -> double
 * precision, string and uri -> text, datetime -> timestamptz. Foreign keys
 * inline REFERENCES when the target exists already, otherwise ALTER TABLE
 * ADD FOREIGN KEY after all tables. gin indexes: CREATE INDEX ... USING gin
 * (col gin_trgm_ops), preceded by CREATE EXTENSION IF NOT EXISTS pg_trgm
 * when the design has any. Run inside one transaction by the e2e oracle
 * (tests/e2e/db_postgres.sh).
 */
#ifndef BB_EMIT_POSTGRES_H
#define BB_EMIT_POSTGRES_H

#include "ast/ast_db.h"
#include "util/buf.h"
#include "util/result.h"

bb_result emit_postgres(const ast_db *db, bb_buf *out);
const char *emit_postgres_type(ast_db_type t);

#endif
