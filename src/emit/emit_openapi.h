/*
 * emit_openapi.h — compiles an API AST into an OpenAPI 3.1 document (JSON).
 *
 * The mapping (docs/ast-api.md has the full table):
 *   operation        -> paths[path][method] with operationId (static path
 *                       segments + name, e.g. "todos.at", the name not
 *                       repeated: "auth.user.join"; disambiguated with
 *                       "by<Param>" segments, then a numeric suffix)
 *   parameters       -> "in": "path", "required": true
 *   requestBody      -> application/json with {"$ref": "#/components/schemas/T"}
 *   responseBody     -> 201 for post, 200 otherwise; 204 without a body
 *   actor            -> one http bearer security scheme per actor; operations
 *                       with an actor (and no join/login/refresh type) require it
 *   specification    -> "x-autobe-specification"; join/login/refresh ->
 *                       "x-autobe-authorization": {"type", "actor"}
 *   DTO union        -> JSON Schema 2020-12 (OpenAPI 3.1's dialect)
 * The output is deterministic: the same AST and params give the same bytes
 * (document order is kept; nothing depends on addresses or time).
 */
#ifndef BB_EMIT_OPENAPI_H
#define BB_EMIT_OPENAPI_H

#include "ast/ast_api.h"
#include "util/buf.h"
#include "util/result.h"

typedef struct emit_openapi_params {
    const char *title;       /* info.title */
    const char *version;     /* info.version */
    const char *description; /* info.description, may be NULL */
    int indent;              /* spaces of JSON indentation, 0 = compact (max 31) */
} emit_openapi_params;

/* title "backbench API", version "1.0.0", no description, indent 2. */
emit_openapi_params emit_openapi_default_params(void);

/* Appends the OpenAPI document (and a final newline) to out. params NULL:
 * the defaults. BB_ERR_NOMEM, or BB_ERR_LIMIT when out's cap is reached. */
bb_result emit_openapi(const ast_api_doc *doc, const emit_openapi_params *params, bb_buf *out);

#endif
