/*
 * ast_impl.h — the typed Impl AST (the implementation of one operation) and
 * its loader.
 *
 * In the `impl` phase a model fills schemas/impl.schema.json for one API
 * operation: {endpoint: {path, method}, plan, statements: [...]}. Statements
 * and expressions are tagged recursive unions (the `type` property names the
 * member); database access uses ORM-shaped expressions (findMany, findFirst,
 * count, create, update, delete) with `where` as its own recursive union.
 * ast_impl_load turns the JSON DOM into the arena-owned structs below once;
 * the checks (ast_impl_check.h) and the engine (src/engine/) never walk JSON.
 *
 * Every node remembers its path in the model's JSON ("$input.statements[2]
 * .value.where.and[0]"), so semantic errors and engine errors point at the
 * offending node. The loader never crashes on any JSON value: depth, node
 * count, list lengths and string lengths are capped (AST_IMPL_MAX_*), and
 * every problem is a located error. Unknown keys are ignored (the schema
 * validator rejects them before the loader runs in the harness).
 *
 * Ownership: everything lives in the op's arena; ast_impl_free releases it
 * (NULL ok).
 */
#ifndef BB_AST_IMPL_H
#define BB_AST_IMPL_H

#include <jansson.h>
#include <stddef.h>

#include "schema/schema_error.h"
#include "util/arena.h"
#include "util/result.h"

/* Named limits on untrusted input. */
#define AST_IMPL_MAX_DEPTH 64          /* nesting of statements, expressions and where clauses */
#define AST_IMPL_MAX_NODES 20000       /* nodes (statements + expressions + where) of one operation */
#define AST_IMPL_MAX_LIST 256          /* statements of one block, items of one list or object */
#define AST_IMPL_MAX_NAME 128          /* bytes of a name (variable, column, table, property) */
#define AST_IMPL_MAX_STRING 8192       /* bytes of a string literal, message or plan */
#define AST_IMPL_MAX_PLAN 16384        /* bytes of the plan */
#define AST_IMPL_MAX_OPS 1000          /* operations in one implementation file */
#define AST_IMPL_ARENA_MAX ((size_t)32 * 1024 * 1024)

typedef enum ast_impl_method {
    AST_IMPL_GET = 0,
    AST_IMPL_POST,
    AST_IMPL_PUT,
    AST_IMPL_PATCH,
    AST_IMPL_DELETE,
    AST_IMPL_METHOD_COUNT_
} ast_impl_method;

typedef enum ast_impl_expr_kind {
    AST_IMPL_E_STRING = 0, /* stringLiteral {value} */
    AST_IMPL_E_NUMBER,     /* numberLiteral {value} */
    AST_IMPL_E_BOOLEAN,    /* booleanLiteral {value} */
    AST_IMPL_E_NULL,       /* nullLiteral */
    AST_IMPL_E_OBJECT,     /* objectLiteral {properties: {name: expr}} */
    AST_IMPL_E_ARRAY,      /* arrayLiteral {elements: [expr]} */
    AST_IMPL_E_IDENT,      /* identifier {name} */
    AST_IMPL_E_PATH_PARAM, /* pathParam {name} */
    AST_IMPL_E_QUERY,      /* query {name} */
    AST_IMPL_E_BODY,       /* body */
    AST_IMPL_E_PRINCIPAL,  /* principal */
    AST_IMPL_E_PROPERTY,   /* propertyAccess {object, name} */
    AST_IMPL_E_UNARY,      /* unary {operator, operand} */
    AST_IMPL_E_BINARY,     /* binary {operator, left, right} */
    AST_IMPL_E_CONDITIONAL,/* conditional {test, consequent, alternate} */
    AST_IMPL_E_CALL,       /* call {function, arguments} */
    AST_IMPL_E_LAMBDA,     /* lambda {params, body}: only as an argument of map/filter */
    AST_IMPL_E_FIND_MANY,  /* findMany {table, where?, orderBy?, skip?, take?, select?} */
    AST_IMPL_E_FIND_FIRST, /* findFirst {table, where?, orderBy?, select?} */
    AST_IMPL_E_COUNT,      /* count {table, where?} */
    AST_IMPL_E_CREATE,     /* create {table, data} */
    AST_IMPL_E_UPDATE,     /* update {table, where, data} */
    AST_IMPL_E_DELETE,     /* delete {table, where} */
    AST_IMPL_E_UNDEFINED,  /* undefinedLiteral: "no value" (skips a where condition or a data column) */
    AST_IMPL_E_KIND_COUNT_
} ast_impl_expr_kind;

typedef enum ast_impl_unop { AST_IMPL_NOT = 0, AST_IMPL_NEG, AST_IMPL_UNOP_COUNT_ } ast_impl_unop;

typedef enum ast_impl_binop {
    AST_IMPL_EQ = 0, AST_IMPL_NE, AST_IMPL_LT, AST_IMPL_LE, AST_IMPL_GT, AST_IMPL_GE,
    AST_IMPL_ADD, AST_IMPL_SUB, AST_IMPL_MUL, AST_IMPL_DIV, AST_IMPL_MOD,
    AST_IMPL_AND, AST_IMPL_OR, AST_IMPL_COALESCE,
    AST_IMPL_BINOP_COUNT_
} ast_impl_binop;

typedef enum ast_impl_builtin {
    AST_IMPL_FN_NOW = 0, AST_IMPL_FN_UUID, AST_IMPL_FN_HASH_PASSWORD, AST_IMPL_FN_VERIFY_PASSWORD,
    AST_IMPL_FN_ISSUE_TOKEN, AST_IMPL_FN_VERIFY_REFRESH_TOKEN,
    AST_IMPL_FN_LENGTH, AST_IMPL_FN_LOWER, AST_IMPL_FN_UPPER, AST_IMPL_FN_TRIM, AST_IMPL_FN_CONTAINS,
    AST_IMPL_FN_STARTS_WITH,
    AST_IMPL_FN_MIN, AST_IMPL_FN_MAX, AST_IMPL_FN_FLOOR, AST_IMPL_FN_CEIL, AST_IMPL_FN_ROUND, AST_IMPL_FN_ABS,
    AST_IMPL_FN_MAP, AST_IMPL_FN_FILTER, AST_IMPL_FN_INCLUDES, AST_IMPL_FN_SUM, AST_IMPL_FN_MERGE,
    AST_IMPL_FN_PARSE_DATE, AST_IMPL_FN_FORMAT_DATE,
    AST_IMPL_FN_COUNT_
} ast_impl_builtin;

typedef enum ast_impl_where_kind {
    AST_IMPL_W_AND = 0, AST_IMPL_W_OR, AST_IMPL_W_NOT, AST_IMPL_W_COMPARE, AST_IMPL_W_KIND_COUNT_
} ast_impl_where_kind;

typedef enum ast_impl_cmp {
    AST_IMPL_CMP_EQ = 0, AST_IMPL_CMP_NE, AST_IMPL_CMP_LT, AST_IMPL_CMP_LTE, AST_IMPL_CMP_GT, AST_IMPL_CMP_GTE,
    AST_IMPL_CMP_CONTAINS, AST_IMPL_CMP_STARTS_WITH, AST_IMPL_CMP_IN, AST_IMPL_CMP_IS_NULL,
    AST_IMPL_CMP_COUNT_
} ast_impl_cmp;

typedef enum ast_impl_nulls { AST_IMPL_NULLS_DEFAULT = 0, AST_IMPL_NULLS_FIRST, AST_IMPL_NULLS_LAST } ast_impl_nulls;

typedef struct ast_impl_expr ast_impl_expr;
typedef struct ast_impl_where ast_impl_where;

/* A named expression: object literal property, or a column of `data`. */
typedef struct ast_impl_field {
    const char *name;
    ast_impl_expr *value;
    const char *path; /* path of the key */
} ast_impl_field;

typedef struct ast_impl_order {
    ast_impl_expr *column;    /* usually a stringLiteral; evaluated and checked against the table */
    ast_impl_expr *direction; /* "asc" | "desc"; NULL: asc */
    ast_impl_nulls nulls;
    const char **rank;        /* explicit order of values (e.g. low, normal, high); may be empty */
    size_t n_rank;
    const char *path;
} ast_impl_order;

struct ast_impl_where {
    ast_impl_where_kind kind;
    const char *path;
    ast_impl_where **items; /* and / or */
    size_t n_items;
    ast_impl_where *inner;  /* not */
    const char *column;     /* compare */
    ast_impl_cmp op;
    ast_impl_expr *value;   /* compare; NULL for isNull without value (= true) */
};

struct ast_impl_expr {
    ast_impl_expr_kind kind;
    const char *path;
    /* literals */
    const char *s;  /* string literal; identifier/param/query/property name; table of db operations */
    size_t s_len;   /* bytes of a string literal */
    double num;
    int is_int;     /* number literal without fraction */
    int b;
    /* operators */
    ast_impl_unop unop;
    ast_impl_binop binop;
    ast_impl_builtin fn;
    ast_impl_expr *a, *b2, *c; /* operand(s): property object, unary operand, binary left/right,
                                  conditional test/consequent/alternate, lambda body (a) */
    ast_impl_expr **items;     /* array elements, call arguments */
    size_t n_items;
    const char **params;       /* lambda parameters */
    size_t n_params;
    ast_impl_field *fields;    /* object literal properties, db `data` */
    size_t n_fields;
    /* database operations */
    ast_impl_where *where;     /* may be NULL: every row */
    ast_impl_order *order;
    size_t n_order;
    ast_impl_expr *skip, *take; /* may be NULL */
    const char **select;        /* columns; empty: all */
    size_t n_select;
    const char *table_path;     /* path of `table` */
};

typedef enum ast_impl_stmt_kind {
    AST_IMPL_S_CONST = 0, /* const {name, value} */
    AST_IMPL_S_LET,       /* let {name, value} */
    AST_IMPL_S_ASSIGN,    /* assign {name, value} */
    AST_IMPL_S_IF,        /* if {condition, then, else?} */
    AST_IMPL_S_FOR_EACH,  /* forEach {variable, array, body} */
    AST_IMPL_S_RETURN,    /* return {status, body?} */
    AST_IMPL_S_THROW,     /* throw {status, message} */
    AST_IMPL_S_EXPR,      /* expression {expression} */
    AST_IMPL_S_KIND_COUNT_
} ast_impl_stmt_kind;

typedef struct ast_impl_stmt ast_impl_stmt;

typedef struct ast_impl_block {
    ast_impl_stmt **items;
    size_t n;
    const char *path; /* path of the array */
} ast_impl_block;

struct ast_impl_stmt {
    ast_impl_stmt_kind kind;
    const char *path;
    const char *name;     /* const/let/assign name; forEach variable */
    ast_impl_expr *value; /* const/let/assign value; if condition; forEach array; return body (may be
                             NULL); throw message; expression */
    int status;           /* return / throw */
    ast_impl_block then_block, else_block, body;
    int has_else;
};

typedef struct ast_impl_op {
    const char *path;  /* endpoint.path */
    ast_impl_method method;
    const char *plan;
    ast_impl_block statements;
    size_t n_nodes;
    bb_arena *arena;
} ast_impl_op;

/*
 * Loads one operation implementation. `base` is the path prefix of the
 * document ("$input" for a model's tool call; "$input[3]" for an entry of
 * an implementation file). Returns BB_OK with *out set (free with
 * ast_impl_free), BB_ERR_INVALID with *out NULL when located errors were
 * added to errs, BB_ERR_NOMEM / BB_ERR_LIMIT (arena cap) otherwise.
 */
bb_result ast_impl_load(const json_t *doc, const char *base, ast_impl_op **out /* OUT */,
                        schema_errors *errs /* OUT */);
void ast_impl_free(ast_impl_op *op);

/*
 * An implementation file: a JSON array of operation documents, or an object
 * whose keys are "METHOD PATH" and whose values are operation documents
 * (the key's endpoint wins when the value has none). All operations are
 * loaded; errors of every one are collected. Free with ast_impl_set_free.
 */
typedef struct ast_impl_set {
    ast_impl_op **ops;
    size_t n;
} ast_impl_set;

bb_result ast_impl_set_load(const json_t *doc, ast_impl_set *out /* OUT */, schema_errors *errs /* OUT */);
void ast_impl_set_free(ast_impl_set *set);

/* Names as written in the schema; NULL out of range. */
const char *ast_impl_method_name(ast_impl_method m);
const char *ast_impl_expr_kind_name(ast_impl_expr_kind k);
const char *ast_impl_stmt_kind_name(ast_impl_stmt_kind k);
const char *ast_impl_binop_name(ast_impl_binop op);
const char *ast_impl_unop_name(ast_impl_unop op);
const char *ast_impl_builtin_name(ast_impl_builtin fn);
const char *ast_impl_cmp_name(ast_impl_cmp op);
const char *ast_impl_where_kind_name(ast_impl_where_kind k);

/* Arity of a builtin: minimum and maximum number of arguments. */
void ast_impl_builtin_arity(ast_impl_builtin fn, int *min_args /* OUT */, int *max_args /* OUT */);

#endif
