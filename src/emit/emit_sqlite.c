/*
 * emit_sqlite.c — SQLite DDL (see emit_sqlite.h); the writer is emit_sql.c.
 */
#include "emit_sqlite.h"

#include "emit/emit_sql.h"

const char *emit_sqlite_type(ast_db_type t)
{
    switch (t) {
    case AST_DB_BOOLEAN:
    case AST_DB_INT:
        return "INTEGER";
    case AST_DB_DOUBLE:
        return "REAL";
    default:
        return "TEXT";
    }
}

bb_result emit_sqlite(const ast_db *db, bb_buf *out)
{
    return emit_sql_ddl(db, EMIT_SQL_SQLITE, out);
}
