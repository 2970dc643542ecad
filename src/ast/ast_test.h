/*
 * ast_test.h — the typed Test AST (one E2E test function), its loader and
 * its semantic checks.
 *
 * In the `test` phase a model writes an end-to-end test as a tool call that
 * fills schemas/test.schema.json; backbench's hidden acceptance tests are
 * written in the same AST. The shape follows AutoBe's E2E test AST: a
 * function {name?, plan, draft, statements[]} whose statements include
 * apiOperateStatement {endpoint {path, method}, argument {parameters?, body?},
 * variableName?} and whose expressions include literals, identifiers,
 * property/element access, operators, arrow functions, array helpers,
 * seeded random generators and predicates (equal, notEqual, conditional,
 * error, httpError), each predicate with a title. Statements and expressions
 * are tagged recursive unions on `type`.
 *
 * ast_test_load turns the JSON DOM into arena-owned structs once (every node
 * keeps its path into the model's JSON, "$input.statements[3].expression.x");
 * ast_test_check checks the function against the API AST (operations,
 * parameters, DTO properties, variables, titles) with located errors;
 * the runner (engine/engine_test.h) executes it. Unknown keys are ignored by
 * the loader (the schema rejects them first); everything untrusted is capped
 * by the AST_TEST_MAX_* limits.
 */
#ifndef BB_AST_TEST_H
#define BB_AST_TEST_H

#include <jansson.h>
#include <stddef.h>

#include "ast/ast_api.h"
#include "schema/schema_error.h"
#include "util/arena.h"
#include "util/result.h"

#define AST_TEST_MAX_DEPTH 64       /* nesting of statements and expressions */
#define AST_TEST_MAX_NODES 20000    /* nodes of one function */
#define AST_TEST_MAX_LIST 256       /* items of one block, array, object or parameter list */
#define AST_TEST_MAX_NAME 128       /* bytes of a name */
#define AST_TEST_MAX_STRING 8192    /* bytes of a string literal or title */
#define AST_TEST_MAX_PLAN 16384     /* bytes of plan / draft */
#define AST_TEST_MAX_FNS 1000       /* functions in one suite file */
#define AST_TEST_ARENA_MAX ((size_t)16 * 1024 * 1024)

typedef enum ast_test_expr_kind {
    AST_TEST_E_BOOLEAN = 0,  /* booleanLiteral {value} */
    AST_TEST_E_NUMBER,       /* numericLiteral {value} */
    AST_TEST_E_STRING,       /* stringLiteral {value} */
    AST_TEST_E_NULL,         /* nullLiteral */
    AST_TEST_E_UNDEFINED,    /* undefinedKeyword */
    AST_TEST_E_ARRAY,        /* arrayLiteralExpression {elements} */
    AST_TEST_E_OBJECT,       /* objectLiteralExpression {properties: [{name, value}]} */
    AST_TEST_E_IDENT,        /* identifier {text} */
    AST_TEST_E_PROPERTY,     /* propertyAccessExpression {expression, name} */
    AST_TEST_E_ELEMENT,      /* elementAccessExpression {expression, argumentExpression} */
    AST_TEST_E_UNARY,        /* prefixUnaryExpression {operator, operand} */
    AST_TEST_E_BINARY,       /* binaryExpression {left, operator, right} */
    AST_TEST_E_CONDITIONAL,  /* conditionalExpression {condition, whenTrue, whenFalse} */
    AST_TEST_E_ARROW,        /* arrowFunction {parameters, body} */
    AST_TEST_E_MAP,          /* arrayMapExpression {array, function} */
    AST_TEST_E_FILTER,       /* arrayFilterExpression {array, function} */
    AST_TEST_E_SOME,         /* arraySomeExpression {array, function} */
    AST_TEST_E_EVERY,        /* arrayEveryExpression {array, function} */
    AST_TEST_E_FIND,         /* arrayFindExpression {array, function} */
    AST_TEST_E_REPEAT,       /* arrayRepeatExpression {count, function} */
    AST_TEST_E_RAND_STRING,  /* stringRandom {length} */
    AST_TEST_E_RAND_INT,     /* integerRandom {minimum, maximum} */
    AST_TEST_E_RAND_FORMAT,  /* formatRandom {format: uuid | email} */
    AST_TEST_E_EQUAL,        /* equalPredicate {title, x, y} */
    AST_TEST_E_NOT_EQUAL,    /* notEqualPredicate {title, x, y} */
    AST_TEST_E_COND_PRED,    /* conditionalPredicate {title, expression} */
    AST_TEST_E_ERROR_PRED,   /* errorPredicate {title, function} */
    AST_TEST_E_HTTP_ERROR,   /* httpErrorPredicate {title, status, function} */
    AST_TEST_E_KIND_COUNT_
} ast_test_expr_kind;

typedef enum ast_test_binop {
    AST_TEST_EQ = 0, AST_TEST_NE, AST_TEST_LT, AST_TEST_LE, AST_TEST_GT, AST_TEST_GE,
    AST_TEST_ADD, AST_TEST_SUB, AST_TEST_MUL, AST_TEST_DIV, AST_TEST_MOD,
    AST_TEST_AND, AST_TEST_OR, AST_TEST_COALESCE,
    AST_TEST_BINOP_COUNT_
} ast_test_binop;

typedef enum ast_test_unop { AST_TEST_NOT = 0, AST_TEST_NEG, AST_TEST_UNOP_COUNT_ } ast_test_unop;

typedef enum ast_test_format { AST_TEST_FMT_UUID = 0, AST_TEST_FMT_EMAIL, AST_TEST_FMT_COUNT_ } ast_test_format;

typedef enum ast_test_method {
    AST_TEST_GET = 0, AST_TEST_POST, AST_TEST_PUT, AST_TEST_PATCH, AST_TEST_DELETE, AST_TEST_METHOD_COUNT_
} ast_test_method;

typedef struct ast_test_expr ast_test_expr;
typedef struct ast_test_stmt ast_test_stmt;

typedef struct ast_test_block {
    ast_test_stmt **items;
    size_t n;
    const char *path;
} ast_test_block;

struct ast_test_expr {
    ast_test_expr_kind kind;
    const char *path;
    const char *s;   /* string value, identifier text, property name, predicate title */
    size_t s_len;
    double num;      /* numericLiteral; stringRandom length; integerRandom bounds in a/b2 */
    int b;           /* booleanLiteral */
    int status;      /* httpErrorPredicate */
    ast_test_binop binop;
    ast_test_unop unop;
    ast_test_format format;
    ast_test_expr *a, *b2, *c; /* operands: object/left/x/array/condition/count/minimum,
                                  right/y/function/whenTrue/maximum, whenFalse */
    ast_test_expr **items;     /* array elements, object property values */
    const char **keys;         /* object property names */
    size_t n_items;
    const char **params;       /* arrow parameters */
    size_t n_params;
    ast_test_block body;       /* arrow body */
};

typedef enum ast_test_stmt_kind {
    AST_TEST_S_API = 0, /* apiOperateStatement */
    AST_TEST_S_VAR,     /* variableDeclaration {name, initializer} */
    AST_TEST_S_EXPR,    /* expressionStatement {expression} */
    AST_TEST_S_IF,      /* ifStatement {condition, thenStatements, elseStatements?} */
    AST_TEST_S_RETURN,  /* returnStatement {expression} */
    AST_TEST_S_KIND_COUNT_
} ast_test_stmt_kind;

struct ast_test_stmt {
    ast_test_stmt_kind kind;
    const char *path;
    const char *name;        /* variableName / declared name; NULL: none */
    ast_test_expr *value;    /* initializer, expression, condition, return value, api body (may be NULL) */
    ast_test_method method;  /* api */
    const char *endpoint;    /* api: path template */
    const char **param_names;
    ast_test_expr **param_values;
    size_t n_params;
    const char *params_path;
    ast_test_block then_block, else_block;
    int has_else;
};

typedef struct ast_test_fn {
    const char *name;  /* may be NULL */
    const char *plan;
    const char *draft;
    ast_test_block statements;
    size_t n_nodes;
    bb_arena *arena;
} ast_test_fn;

/* Loads one function; base is the path prefix ("$input"). BB_OK with *out
 * (free with ast_test_free), BB_ERR_INVALID with located errors, or a
 * failure code. */
bb_result ast_test_load(const json_t *doc, const char *base, ast_test_fn **out /* OUT */, schema_errors *errs);
void ast_test_free(ast_test_fn *fn);

/* A suite: a JSON array of functions. */
typedef struct ast_test_suite {
    ast_test_fn **fns;
    size_t n;
} ast_test_suite;

bb_result ast_test_suite_load(const json_t *doc, ast_test_suite *out /* OUT */, schema_errors *errs);
void ast_test_suite_free(ast_test_suite *s);

/* Semantic rules (the `expected` of each located error). */
#define AST_TEST_RULE_ENDPOINT   "endpoint (path, method) of an operation of the API"
#define AST_TEST_RULE_PARAM      "path parameter of the operation"
#define AST_TEST_RULE_PARAM_MISS "a value for every path parameter"
#define AST_TEST_RULE_BODY       "a body exactly when the operation has a request body"
#define AST_TEST_RULE_BODY_PROP  "property of the request body DTO"
#define AST_TEST_RULE_RESP_PROP  "property of the response DTO"
#define AST_TEST_RULE_NO_RESP    "a variable only for an operation with a response body"
#define AST_TEST_RULE_VARIABLE   "variable declared before use"
#define AST_TEST_RULE_REDECLARED "variable declared once per block"
#define AST_TEST_RULE_TITLE      "a non-empty predicate title"
#define AST_TEST_RULE_ARROW      "arrow function only as a function argument"
#define AST_TEST_RULE_RETURN     "return only inside an arrow function"
#define AST_TEST_RULE_STATUS     "an HTTP error status 400-599"
#define AST_TEST_RULE_PREDICATE  "at least one predicate or API call"

bb_result ast_test_check(const ast_test_fn *fn, const ast_api_doc *api, schema_errors *errs);

/* The harness hook: load (paths from "$input") then check; one error list.
 * On BB_OK *out (when out is not NULL) receives the function. */
bb_result ast_test_check_json(const json_t *doc, const ast_api_doc *api, ast_test_fn **out /* OUT, may be NULL */,
                              schema_errors *errs /* OUT */);

/* The API operation of an endpoint, or NULL. */
const ast_api_operation *ast_test_find_operation(const ast_api_doc *api, ast_test_method m, const char *path);

const char *ast_test_expr_kind_name(ast_test_expr_kind k);
const char *ast_test_stmt_kind_name(ast_test_stmt_kind k);
const char *ast_test_binop_name(ast_test_binop op);
const char *ast_test_method_name(ast_test_method m);

#endif
