/*
 * ast_impl_check.h — semantic checks of a loaded Impl AST against the DB AST
 * and the API AST.
 *
 * After the schema validator (shape) and ast_impl_load, these checks decide
 * whether an implementation can make sense for its operation. Each problem is
 * one schema_error of kind SCHEMA_ERR_SEMANTIC whose path points into the
 * model's JSON ($input.statements[2].value.where.conditions[0].column) and
 * whose `expected` is one of the AST_IMPL_RULE_* strings (stable; reports
 * group by them):
 *   - the endpoint is an operation of the API;
 *   - variables are declared before use, not twice in one block, and only
 *     `let` variables are assigned; lambda parameters are scoped to the lambda;
 *   - path parameters exist in the operation; `body` only where the operation
 *     has a request body, `body.x` only for properties of the request DTO;
 *     `principal` only in operations that require a signed-in actor
 *     (authorizationActor set, authorizationType null: join, login and
 *     refresh are public);
 *   - tables and columns (where, data, select, literal orderBy columns) exist
 *     in the DB AST; no writes to materialized views;
 *   - where the type of a value is visible without running (literals,
 *     builtins with a fixed result type, comparisons, `body.x` whose DTO
 *     property is a scalar), it must fit the column it is written to or
 *     compared with; null is not written to a NOT NULL column; contains and
 *     startsWith take strings, `in` an array;
 *   - builtins get their number of arguments; lambdas only as the second
 *     argument of map/filter;
 *   - return carries a body exactly when the operation has a response body;
 *     an object literal returned must name only properties of the response
 *     DTO and all of its required ones;
 *   - no statement after a return or throw in the same block (unreachable);
 *   - every path through the statements ends in return or throw.
 */
#ifndef BB_AST_IMPL_CHECK_H
#define BB_AST_IMPL_CHECK_H

#include "ast/ast_api.h"
#include "ast/ast_db.h"
#include "ast/ast_impl.h"
#include "schema/schema_error.h"
#include "util/result.h"

#define AST_IMPL_RULE_ENDPOINT        "endpoint (path, method) of an operation of the API"
#define AST_IMPL_RULE_VARIABLE        "variable declared before use"
#define AST_IMPL_RULE_REDECLARED      "variable declared once per block"
#define AST_IMPL_RULE_ASSIGN_CONST    "assignment only to a let variable"
#define AST_IMPL_RULE_PATH_PARAM      "path parameter of the operation"
#define AST_IMPL_RULE_NO_BODY         "body only in an operation with a request body"
#define AST_IMPL_RULE_BODY_PROPERTY   "property of the request body DTO"
#define AST_IMPL_RULE_NO_PRINCIPAL    "principal only in an operation that requires a signed-in actor"
#define AST_IMPL_RULE_TABLE           "table of the database design"
#define AST_IMPL_RULE_COLUMN          "column of the table"
#define AST_IMPL_RULE_READ_ONLY       "no writes to a materialized view"
#define AST_IMPL_RULE_COLUMN_TYPE     "value of the column's type"
#define AST_IMPL_RULE_NOT_NULL        "a value (not null) for a NOT NULL column"
#define AST_IMPL_RULE_OPERAND_TYPE    "operand of the comparison's type"
#define AST_IMPL_RULE_ARITY           "number of arguments of the builtin"
#define AST_IMPL_RULE_LAMBDA          "lambda only as the second argument of map or filter"
#define AST_IMPL_RULE_RETURN_BODY     "return body exactly when the operation has a response body"
#define AST_IMPL_RULE_RESPONSE_PROP   "property of the response DTO"
#define AST_IMPL_RULE_RESPONSE_REQ    "required property of the response DTO"
#define AST_IMPL_RULE_UNREACHABLE     "no statement after return or throw"
#define AST_IMPL_RULE_FALLS_OFF       "every path ends in return or throw"

/* BB_OK: no problem. BB_ERR_INVALID: errors appended to errs. Other codes:
 * the check itself failed (nomem). db and api must not be NULL. */
bb_result ast_impl_check(const ast_impl_op *op, const ast_db *db, const ast_api_doc *api, schema_errors *errs);

/* The harness hook in one call: ast_impl_load (paths from "$input") then,
 * when the structure is sound, ast_impl_check; structural and semantic errors
 * land in the same list. Returns BB_OK (no error), BB_ERR_INVALID (errors
 * appended) or a failure code. On BB_OK, *out (when out is not NULL) receives
 * the AST (free with ast_impl_free); otherwise *out is NULL. */
bb_result ast_impl_check_json(const json_t *doc, const ast_db *db, const ast_api_doc *api,
                              ast_impl_op **out /* OUT, may be NULL */, schema_errors *errs /* OUT */);

/* The API operation an implementation is for, or NULL. */
const ast_api_operation *ast_impl_find_operation(const ast_api_doc *api, const ast_impl_op *op);

#endif
