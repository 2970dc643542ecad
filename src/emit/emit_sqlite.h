/*
 * emit_sqlite.h — compiles a checked DB AST into SQLite DDL.
 *
 * Types: uuid, string, uri, datetime -> TEXT (datetimes as ISO 8601 text);
 * boolean, int -> INTEGER; double -> REAL. Primary key TEXT NOT NULL PRIMARY
 * KEY; foreign keys inline REFERENCES (deferrable when the target is created
 * later); unique foreign keys UNIQUE; indexes as CREATE [UNIQUE] INDEX; gin
 * (trigram) indexes have no SQLite equivalent and become a comment. No CHECK
 * constraints. The output executes in an empty database (tests do so).
 */
#ifndef BB_EMIT_SQLITE_H
#define BB_EMIT_SQLITE_H

#include "ast/ast_db.h"
#include "util/buf.h"
#include "util/result.h"

/* Appends to out; BB_ERR_INVALID when db has not passed ast_db_check. */
bb_result emit_sqlite(const ast_db *db, bb_buf *out);
/* The SQLite type of a plain column type. */
const char *emit_sqlite_type(ast_db_type t);

#endif
