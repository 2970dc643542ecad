/*
 * emit_postgres.c — PostgreSQL DDL (see emit_postgres.h); the writer is
 * emit_sql.c.
 */
#include "emit_postgres.h"

#include "emit/emit_sql.h"

const char *emit_postgres_type(ast_db_type t)
{
    switch (t) {
    case AST_DB_BOOLEAN:
        return "boolean";
    case AST_DB_INT:
        return "integer";
    case AST_DB_DOUBLE:
        return "double precision";
    case AST_DB_UUID:
        return "uuid";
    case AST_DB_DATETIME:
        return "timestamptz";
    default:
        return "text";
    }
}

bb_result emit_postgres(const ast_db *db, bb_buf *out)
{
    return emit_sql_ddl(db, EMIT_SQL_POSTGRES, out);
}
