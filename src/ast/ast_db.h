/*
 * ast_db.h — the typed DB AST (database design) and its loader.
 *
 * The DB AST is the document a model fills through the schema
 * schemas/db.schema.json (docs/ast-db.md): files of models (tables), each with
 * a uuid primary key, foreign keys with named relations, plain columns and
 * indexes. ast_db_load turns a jansson document into these structs once;
 * after that nothing walks JSON (checks in ast_db_check, emitters in
 * src/emit/).
 *
 * The loader is lenient where the schema is strict: it accepts AutoBe's older
 * outputs (relations without oppositeName, extra keys such as mappingName,
 * targetField, onDelete) and reports unknown keys and missing oppositeName as
 * warnings (located like errors). A missing oppositeName is synthesised
 * (camelCase of the source table plus the relation name, see
 * ast_db_relation.opposite_synthesized) so emitters always have one.
 * Structural problems (a missing required key, a wrong JSON type, an unknown
 * field type, a string with a NUL byte, a count or length over a limit) are
 * located errors; the loader collects them all and never crashes on any
 * input.
 *
 * Ownership: everything, strings included, lives in the ast_db's arena and is
 * released by ast_db_free (which accepts NULL).
 */
#ifndef BB_AST_DB_H
#define BB_AST_DB_H

#include <jansson.h>
#include <stddef.h>

#include "schema/schema_error.h"
#include "util/arena.h"
#include "util/result.h"

/* Column types (plain fields); the primary and foreign keys are always uuid. */
typedef enum ast_db_type {
    AST_DB_BOOLEAN = 0,
    AST_DB_INT,
    AST_DB_DOUBLE,
    AST_DB_STRING,
    AST_DB_URI,
    AST_DB_UUID,
    AST_DB_DATETIME,
    AST_DB_TYPE_COUNT_
} ast_db_type;

typedef enum ast_db_stance {
    AST_DB_PRIMARY = 0,  /* an independent entity managed directly */
    AST_DB_SUBSIDIARY,   /* owned by a parent, managed through it */
    AST_DB_SNAPSHOT,     /* an immutable history/version row */
    AST_DB_STANCE_COUNT_
} ast_db_stance;

typedef struct ast_db_relation {
    const char *name;          /* camelCase field on this model */
    const char *target_model;  /* table name */
    const char *opposite_name; /* camelCase field on the target; never NULL after loading */
    int opposite_synthesized;  /* 1: the input had none (older AutoBe output) */
} ast_db_relation;

typedef struct ast_db_primary {
    const char *name;
    const char *description;
} ast_db_primary;

typedef struct ast_db_foreign {
    const char *name;
    const char *description;
    ast_db_relation relation;
    int unique;   /* one-to-one */
    int nullable;
} ast_db_foreign;

typedef struct ast_db_plain {
    const char *name;
    ast_db_type type;
    const char *description;
    int nullable;
} ast_db_plain;

typedef struct ast_db_index {
    const char **field_names;
    size_t n_field_names;
} ast_db_index;

typedef struct ast_db_model {
    const char *name;
    const char *description;
    int material;
    ast_db_stance stance;
    ast_db_primary primary;
    ast_db_foreign *foreigns;
    size_t n_foreigns;
    ast_db_plain *plains;
    size_t n_plains;
    ast_db_index *unique_indexes;
    size_t n_unique_indexes;
    ast_db_index *plain_indexes;
    size_t n_plain_indexes;
    const char **gin_fields; /* ginIndexes[i].fieldName */
    size_t n_gin_fields;
    size_t file_index;  /* position in the document, for error paths */
    size_t model_index;
} ast_db_model;

typedef struct ast_db_file {
    const char *filename;
    const char *namespace_name;
    ast_db_model *models;
    size_t n_models;
} ast_db_file;

typedef struct ast_db {
    ast_db_file *files;
    size_t n_files;
    ast_db_model **models; /* all models of all files, in document order */
    size_t n_models;
    /* Set by ast_db_check: every identifier matched its pattern and length
     * limit (emitters refuse an AST without it), and every relation targets an
     * existing table. `checked_ok`: no check error at all. */
    int idents_ok;
    int refs_ok;
    int checked_ok;
    bb_arena *arena;
} ast_db;

/* Limits on untrusted input (named, with defaults). */
typedef struct ast_db_params {
    size_t max_files;         /* files in a document (default 64) */
    size_t max_models;        /* models in all files (default 1024) */
    size_t max_columns;       /* foreign + plain fields of one model (default 512) */
    size_t max_indexes;       /* indexes of one kind on one model (default 128) */
    size_t max_index_columns; /* columns of one index (default 32) */
    size_t max_name;          /* bytes of a name; longer is an error (default 255) */
    size_t max_text;          /* bytes of a description (default 65536) */
    size_t max_arena;         /* bytes of the whole AST (default 64 MiB) */
} ast_db_params;

ast_db_params ast_db_default_params(void);

/*
 * Loads doc into *out. errs receives located structural errors, warns
 * (may be NULL) the warnings. Returns BB_OK with *out set (free with
 * ast_db_free) when there was no structural error, BB_ERR_INVALID with *out
 * NULL when there was, BB_ERR_NOMEM / BB_ERR_LIMIT (arena cap) otherwise.
 * params may be NULL.
 */
bb_result ast_db_load(const json_t *doc, const ast_db_params *params, ast_db **out /* OUT */,
                      schema_errors *errs /* OUT */, schema_errors *warns /* OUT, may be NULL */);
void ast_db_free(ast_db *db);

/* The model with this table name, or NULL (first match). */
const ast_db_model *ast_db_find_model(const ast_db *db, const char *name);

/* "boolean", "int", ...; "primary", ...; NULL out of range. */
const char *ast_db_type_name(ast_db_type t);
const char *ast_db_stance_name(ast_db_stance s);

#endif
