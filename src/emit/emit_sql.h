/*
 * emit_sql.h — shared pieces of the DB AST compilers: SQL DDL for SQLite and
 * PostgreSQL (one writer, two dialects), table order, and index names.
 *
 * Table order: a table comes after the tables its foreign keys reference
 * (document order among equals); tables in a cycle keep document order, and
 * a foreign key to a table created later is a "deferred" one (SQLite: inline
 * REFERENCES ... DEFERRABLE INITIALLY DEFERRED; PostgreSQL: ALTER TABLE ...
 * ADD FOREIGN KEY after all tables).
 *
 * Index names: <table>_<col>..._key (unique), _idx (plain), _trgm_idx (gin),
 * at most 63 bytes (a longer name is cut and ends in an 8-hex-digit hash of
 * the full name), made unique across the design by a numeric suffix. The
 * Prisma emitter uses the same names (map:), so all outputs agree.
 *
 * Every function refuses (BB_ERR_INVALID) an AST that has not passed
 * ast_db_check (ast_db_emit_ready); identifiers are then safe patterns, and
 * are still always written quoted in SQL.
 */
#ifndef BB_EMIT_SQL_H
#define BB_EMIT_SQL_H

#include <stddef.h>

#include "ast/ast_db.h"
#include "util/buf.h"
#include "util/result.h"

typedef enum emit_sql_dialect {
    EMIT_SQL_SQLITE = 0,
    EMIT_SQL_POSTGRES
} emit_sql_dialect;

#define EMIT_SQL_NAME_MAX 63

/* Appends the DDL of db in the given dialect to out. */
bb_result emit_sql_ddl(const ast_db *db, emit_sql_dialect dialect, bb_buf *out);

/* ---- helpers shared with the Prisma emitter ---- */

typedef enum emit_index_kind {
    EMIT_INDEX_UNIQUE = 0,
    EMIT_INDEX_PLAIN,
    EMIT_INDEX_GIN
} emit_index_kind;

/* Names of every primary key, unique foreign key and index of db, distinct
 * from each other and from the table names (PostgreSQL keeps tables and
 * indexes in one namespace). Per model, in document order: the primary key
 * (<table>_pkey), the unique foreign keys (<table>_<col>_key), the unique,
 * plain and gin indexes, the foreign key constraints (<table>_<col>_fkey). */
typedef struct emit_index_names {
    char (*names)[EMIT_SQL_NAME_MAX + 1];
    size_t n;
    size_t *base; /* per model position: index of its primary key name */
} emit_index_names;

bb_result emit_index_names_build(const ast_db *db, emit_index_names *out /* OUT */);
void emit_index_names_free(emit_index_names *n);
const char *emit_name_pkey(const emit_index_names *n, const ast_db *db, size_t model_pos);
/* Name of the UNIQUE constraint of foreign key k (which must be unique). */
const char *emit_name_fk_unique(const emit_index_names *n, const ast_db *db, size_t model_pos, size_t k);
/* Name of the FOREIGN KEY constraint of foreign key k. */
const char *emit_name_fk(const emit_index_names *n, const ast_db *db, size_t model_pos, size_t k);
const char *emit_name_index(const emit_index_names *n, const ast_db *db, size_t model_pos, emit_index_kind kind,
                            size_t i);

/* Resolved foreign-key targets: target[first[m] + k] is the position in
 * db->models of the table foreign key k of model m references, or SIZE_MAX
 * when no such table exists (never after ast_db_check). Built in
 * O(F log n) from a sorted name index. */
typedef struct emit_fk_targets {
    size_t *first; /* n_models + 1 entries */
    size_t *target;
} emit_fk_targets;

bb_result emit_fk_targets_build(const ast_db *db, emit_fk_targets *out /* OUT */);
void emit_fk_targets_free(emit_fk_targets *t);

/* Creation order: order[i] is a position in db->models. Caller frees *order
 * with bb_free. */
bb_result emit_sql_table_order(const ast_db *db, size_t **order /* OUT */);

/* Position of model name in db->models, or (size_t)-1 (a linear search). */
size_t emit_model_pos(const ast_db *db, const char *name);

#endif
