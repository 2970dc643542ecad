/*
 * ast_api_check.h — semantic checks of a loaded API AST.
 *
 * The JSON Schema validator decides whether a model's API design has the right
 * shape; these checks decide whether it makes sense: unique endpoints, path
 * parameters that match the path, type names and $refs that resolve, objects
 * that list `required`, no inline nested objects, known actors, identifier
 * patterns, and (given a view of the database design) DTOs that name real
 * tables and columns. Every problem is one schema_error of kind
 * SCHEMA_ERR_SEMANTIC whose path points into the model's own JSON
 * ($input.operations[3].path, $input.components.schemas["ITodo"].required[1]),
 * so the feedback renderer places it; `expected` is one of the AST_API_RULE_*
 * strings below (stable: tests and reports group errors by it).
 *
 * The database is seen through a small callback interface so this module does
 * not depend on the DB AST; the caller connects it.
 */
#ifndef BB_AST_API_CHECK_H
#define BB_AST_API_CHECK_H

#include "ast/ast_api.h"
#include "schema/schema_error.h"
#include "util/result.h"

/* A read-only view of a database design: non-zero when the table / the
 * column of the table exists. */
typedef struct ast_api_db_view {
    int (*has_table)(void *ctx, const char *table);
    int (*has_column)(void *ctx, const char *table, const char *column);
    void *ctx;
} ast_api_db_view;

/* The rules, as written into schema_error.expected. */
#define AST_API_RULE_UNIQUE_ENDPOINT     "unique (path, method)"
#define AST_API_RULE_PATH_FORMAT         "path like /todos/{todoId}: segments [A-Za-z0-9_-]+ or {camelCase}"
#define AST_API_RULE_PATH_PARAM_DECLARED "every {name} in the path is declared in parameters"
#define AST_API_RULE_PARAM_IN_PATH       "every parameter is a {name} segment of the path"
#define AST_API_RULE_PARAM_UNIQUE        "unique parameter names"
#define AST_API_RULE_PARAM_NAME          "parameter name ^[a-z][A-Za-z0-9]*$"
#define AST_API_RULE_PARAM_SCALAR        "parameter schema: string | integer | number | boolean"
#define AST_API_RULE_OP_NAME             "operation name ^[a-z][A-Za-z0-9]*$"
#define AST_API_RULE_OP_NAME_UNIQUE      "operation name unique among the operations of one path"
#define AST_API_RULE_TYPE_EXISTS         "typeName of a schema in components.schemas"
#define AST_API_RULE_REF_EXISTS          "$ref \"#/components/schemas/<name of a schema>\""
#define AST_API_RULE_TYPE_NAME           "type name ^I[A-Z][A-Za-z0-9]*(\\.I[A-Z][A-Za-z0-9]*)*$"
#define AST_API_RULE_REQUIRED_LISTED     "object schema lists \"required\""
#define AST_API_RULE_REQUIRED_EXISTS     "required name is a key of properties"
#define AST_API_RULE_REQUIRED_UNIQUE     "required names listed once"
#define AST_API_RULE_NO_INLINE_OBJECT    "nested object as {\"$ref\": \"#/components/schemas/Name\"}"
#define AST_API_RULE_PROPERTY_NAME       "property name ^[A-Za-z_][A-Za-z0-9_]*$"
#define AST_API_RULE_ACTOR_EXISTS        "actor named in components.authorizations"
#define AST_API_RULE_ACTOR_NAME          "actor name ^[a-z][A-Za-z0-9]*$"
#define AST_API_RULE_ACTOR_UNIQUE        "unique actor names"
#define AST_API_RULE_PREREQUISITE        "prerequisite (path, method) of an operation"
#define AST_API_RULE_TABLE_EXISTS        "x-autobe-database-schema names a table of the database"
#define AST_API_RULE_COLUMN_EXISTS       "snake_case scalar property is a column of the table"

/*
 * Runs every check on doc and appends the problems to errors. db may be NULL
 * (the database checks are then skipped). Returns BB_OK when nothing was
 * found, BB_ERR_INVALID when errors were added, BB_ERR_NOMEM on allocation
 * failure.
 */
bb_result ast_api_check(const ast_api_doc *doc, const ast_api_db_view *db, schema_errors *errors);

#endif
