/*
 * engine_dto.h — validates engine values against the API AST's typed DTO
 * schemas, and prunes response values to what the DTO declares.
 *
 * The engine checks request bodies before an operation runs (400 with the
 * located errors) and response bodies after (a mismatch is an engine-reported
 * failure, never a 200), as a typia-validated NestJS controller would. This
 * validator works directly on ast_api_dto (the typed union of the API AST),
 * so the engine needs no JSON Schema round trip: constant, boolean, integer,
 * number (bounds, multipleOf), string (minLength/maxLength in code points,
 * pattern with PCRE2, formats uuid, date-time, date, email, uri), array
 * (items, min/maxItems, uniqueItems), object (properties, required,
 * additionalProperties false or a schema), $ref (by component name, with a
 * depth cap), oneOf (exactly one member matches), null. `undefined` members
 * of an object count as absent. Defaults are not applied (the operation
 * reads `body.page ?? 1`).
 *
 * Error paths start at the given root ("$input.body") and follow typia's
 * style; `expected` is a short type expression.
 */
#ifndef BB_ENGINE_DTO_H
#define BB_ENGINE_DTO_H

#include "ast/ast_api.h"
#include "engine/engine_value.h"
#include "schema/schema_error.h"
#include "util/arena.h"
#include "util/result.h"

#define ENG_DTO_MAX_DEPTH 64 /* nesting of values and $ref hops during one validation */

/* BB_OK: valid. BB_ERR_INVALID: errors appended to errs. Other: failure. */
bb_result eng_dto_validate(const ast_api_doc *api, const ast_api_dto *dto, const eng_value *v, const char *root,
                           schema_errors *errs /* OUT */);

/* A copy of v (sharing leaves) without the object properties the DTO does not
 * declare (where additionalProperties is absent or false). v should be valid. */
bb_result eng_dto_prune(bb_arena *a, const ast_api_doc *api, const ast_api_dto *dto, const eng_value *v,
                        const eng_value **out /* OUT */);

/* 1 when s (len bytes) is a string in this format (unknown formats pass). */
int eng_dto_format_ok(const char *format, const char *s, size_t len);

#endif
