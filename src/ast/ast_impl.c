/*
 * ast_impl.c — loads Impl AST documents from jansson into arena-owned structs
 * (see ast_impl.h). One loader context carries the current path (typia
 * style), the error list, the node counter and the depth; every JSON access
 * checks the type first, and every list, string and nesting level is capped,
 * so no input can crash the loader or make it allocate without bound.
 */
#include "ast_impl.h"

#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "json/json_util.h"
#include "util/alloc.h"
#include "util/buf.h"

#define IL_PATH_MAX 8192  /* bytes of a node path */
#define IL_VALUE_MAX 200  /* bytes of an error's value rendering */

/* ---- names ---------------------------------------------------------------- */

static const char *const il_methods[AST_IMPL_METHOD_COUNT_] = {"get", "post", "put", "patch", "delete"};

static const char *const il_expr_kinds[AST_IMPL_E_KIND_COUNT_] = {
    "stringLiteral", "numberLiteral", "booleanLiteral", "nullLiteral", "objectLiteral", "arrayLiteral",
    "identifier", "pathParam", "query", "body", "principal", "propertyAccess", "unary", "binary",
    "conditional", "call", "lambda", "findMany", "findFirst", "count", "create", "update", "delete",
    "undefinedLiteral",
};

static const char *const il_stmt_kinds[AST_IMPL_S_KIND_COUNT_] = {
    "const", "let", "assign", "if", "forEach", "return", "throw", "expression",
};

static const char *const il_binops[AST_IMPL_BINOP_COUNT_] = {
    "==", "!=", "<", "<=", ">", ">=", "+", "-", "*", "/", "%", "&&", "||", "??",
};

static const char *const il_unops[AST_IMPL_UNOP_COUNT_] = {"!", "-"};

static const char *const il_builtins[AST_IMPL_FN_COUNT_] = {
    "now", "uuid", "hashPassword", "verifyPassword", "issueToken", "verifyRefreshToken",
    "length", "lower", "upper", "trim", "contains", "startsWith",
    "min", "max", "floor", "ceil", "round", "abs",
    "map", "filter", "includes", "sum", "merge", "parseDate", "formatDate",
};

static const int il_arity[AST_IMPL_FN_COUNT_][2] = {
    {0, 0}, {0, 0}, {1, 1}, {2, 2}, {1, 1}, {1, 1},
    {1, 1}, {1, 1}, {1, 1}, {1, 1}, {2, 2}, {2, 2},
    {1, 16}, {1, 16}, {1, 1}, {1, 1}, {1, 1}, {1, 1},
    {2, 2}, {2, 2}, {2, 2}, {1, 1}, {2, 2}, {1, 1}, {1, 1},
};

static const char *const il_where_kinds[AST_IMPL_W_KIND_COUNT_] = {"and", "or", "not", "compare"};

static const char *const il_cmps[AST_IMPL_CMP_COUNT_] = {
    "eq", "ne", "lt", "lte", "gt", "gte", "contains", "startsWith", "in", "isNull",
};

const char *ast_impl_method_name(ast_impl_method m)
{
    return (unsigned)m < AST_IMPL_METHOD_COUNT_ ? il_methods[m] : NULL;
}

const char *ast_impl_expr_kind_name(ast_impl_expr_kind k)
{
    return (unsigned)k < AST_IMPL_E_KIND_COUNT_ ? il_expr_kinds[k] : NULL;
}

const char *ast_impl_stmt_kind_name(ast_impl_stmt_kind k)
{
    return (unsigned)k < AST_IMPL_S_KIND_COUNT_ ? il_stmt_kinds[k] : NULL;
}

const char *ast_impl_binop_name(ast_impl_binop op)
{
    return (unsigned)op < AST_IMPL_BINOP_COUNT_ ? il_binops[op] : NULL;
}

const char *ast_impl_unop_name(ast_impl_unop op)
{
    return (unsigned)op < AST_IMPL_UNOP_COUNT_ ? il_unops[op] : NULL;
}

const char *ast_impl_builtin_name(ast_impl_builtin fn)
{
    return (unsigned)fn < AST_IMPL_FN_COUNT_ ? il_builtins[fn] : NULL;
}

const char *ast_impl_cmp_name(ast_impl_cmp op)
{
    return (unsigned)op < AST_IMPL_CMP_COUNT_ ? il_cmps[op] : NULL;
}

const char *ast_impl_where_kind_name(ast_impl_where_kind k)
{
    return (unsigned)k < AST_IMPL_W_KIND_COUNT_ ? il_where_kinds[k] : NULL;
}

void ast_impl_builtin_arity(ast_impl_builtin fn, int *min_args, int *max_args)
{
    *min_args = (unsigned)fn < AST_IMPL_FN_COUNT_ ? il_arity[fn][0] : 0;
    *max_args = (unsigned)fn < AST_IMPL_FN_COUNT_ ? il_arity[fn][1] : 0;
}

/* Index of s in names[n], or -1. */
static int il_lookup(const char *const *names, size_t n, const char *s)
{
    size_t i;

    for (i = 0; i < n; i++) {
        if (strcmp(names[i], s) == 0)
            return (int)i;
    }
    return -1;
}

void ast_impl_free(ast_impl_op *op)
{
    if (!op)
        return;
    bb_arena_free(op->arena); /* op lives in its arena */
}

/* ---- loader context ------------------------------------------------------- */

typedef struct il_ctx {
    bb_arena *arena;
    schema_errors *errs;
    bb_buf path;
    size_t n_errors;
    size_t n_nodes;
    int depth;
    bb_result rc; /* first hard failure */
} il_ctx;

static void il_fail(il_ctx *c, bb_result rc)
{
    if (c->rc == BB_OK)
        c->rc = rc;
}

static size_t il_key(il_ctx *c, const char *key)
{
    size_t mark = c->path.len;
    bb_result rc = schema_path_key(&c->path, key);

    if (rc != BB_OK)
        il_fail(c, rc);
    return mark;
}

static size_t il_index(il_ctx *c, size_t i)
{
    size_t mark = c->path.len;
    bb_result rc = schema_path_index(&c->path, i);

    if (rc != BB_OK)
        il_fail(c, rc);
    return mark;
}

static void il_pop(il_ctx *c, size_t mark)
{
    bb_buf_truncate(&c->path, mark);
}

static const char *il_path_dup(il_ctx *c)
{
    const char *s = bb_arena_strdup(c->arena, bb_buf_str(&c->path));

    if (!s)
        il_fail(c, bb_arena_failed(c->arena));
    return s;
}

static void il_error(il_ctx *c, schema_error_kind kind, const char *expected, const json_t *value,
                     const char *fmt, ...) __attribute__((format(printf, 5, 6)));

static void il_error(il_ctx *c, schema_error_kind kind, const char *expected, const json_t *value,
                     const char *fmt, ...)
{
    bb_buf vb, mb;
    va_list ap;
    bb_result rc;

    c->n_errors++;
    bb_buf_init(&vb, IL_VALUE_MAX + 16);
    bb_buf_init(&mb, 1024);
    rc = value ? bb_json_append_compact(&vb, value, IL_VALUE_MAX) : bb_buf_puts(&vb, "undefined");
    va_start(ap, fmt);
    if (rc == BB_OK)
        rc = bb_buf_vprintf(&mb, fmt, ap);
    va_end(ap);
    if (rc == BB_ERR_LIMIT)
        rc = BB_OK;
    if (rc == BB_OK)
        rc = schema_errors_add(c->errs, kind, bb_buf_str(&c->path), expected, bb_buf_str(&vb), bb_buf_str(&mb));
    if (rc != BB_OK)
        il_fail(c, rc);
    bb_buf_free(&vb);
    bb_buf_free(&mb);
}

static const json_t *il_member(il_ctx *c, const json_t *obj, const char *key, int required)
{
    const json_t *v = json_object_get(obj, key);

    if (!v && required) {
        size_t mark = il_key(c, key);

        il_error(c, SCHEMA_ERR_REQUIRED, "required property", NULL, "property %s is missing", key);
        il_pop(c, mark);
    }
    return v;
}

/* A string value (at the current path) with a byte cap and no NUL byte. */
static const char *il_str_value(il_ctx *c, const json_t *v, size_t max, size_t *len /* OUT, may be NULL */)
{
    const char *s;
    size_t n;

    if (!json_is_string(v)) {
        il_error(c, SCHEMA_ERR_TYPE, "string", v, "expected a string");
        return NULL;
    }
    n = json_string_length(v);
    if (n > max) {
        char exp[64];

        snprintf(exp, sizeof exp, "string & MaxLength<%zu>", max);
        il_error(c, SCHEMA_ERR_LENGTH, exp, v, "string of %zu bytes is too long", n);
        return NULL;
    }
    if (memchr(json_string_value(v), '\0', n)) {
        il_error(c, SCHEMA_ERR_PATTERN, "string without NUL characters", v, "string holds a NUL character");
        return NULL;
    }
    s = bb_arena_strndup(c->arena, json_string_value(v), n);
    if (!s)
        il_fail(c, bb_arena_failed(c->arena));
    if (len)
        *len = n;
    return s;
}

/* A string member; NULL when absent (reported when required) or bad. */
static const char *il_str(il_ctx *c, const json_t *obj, const char *key, int required, size_t max)
{
    const json_t *v = il_member(c, obj, key, required);
    const char *s;
    size_t mark;

    if (!v)
        return NULL;
    mark = il_key(c, key);
    s = il_str_value(c, v, max, NULL);
    il_pop(c, mark);
    return s;
}

/* A name member: 1..AST_IMPL_MAX_NAME bytes. */
static const char *il_name(il_ctx *c, const json_t *obj, const char *key)
{
    const char *s = il_str(c, obj, key, 1, AST_IMPL_MAX_NAME);

    if (s && !*s) {
        size_t mark = il_key(c, key);

        il_error(c, SCHEMA_ERR_LENGTH, "string & MinLength<1>", json_object_get(obj, key), "empty name");
        il_pop(c, mark);
        return NULL;
    }
    return s;
}

/* An enum member: index in names or -1 (reported). */
static int il_enum(il_ctx *c, const json_t *obj, const char *key, const char *const *names, size_t n,
                   const char *expected, int required)
{
    const json_t *v = il_member(c, obj, key, required);
    size_t mark;
    int i = -1;

    if (!v)
        return -1;
    mark = il_key(c, key);
    if (json_is_string(v) && strlen(json_string_value(v)) == json_string_length(v))
        i = il_lookup(names, n, json_string_value(v));
    if (i < 0)
        il_error(c, SCHEMA_ERR_ENUM, expected, v, "not one of the allowed values");
    il_pop(c, mark);
    return i;
}

/* Counts a node and checks the node cap. 0 when over. */
static int il_node(il_ctx *c, const json_t *v)
{
    if (++c->n_nodes > AST_IMPL_MAX_NODES) {
        if (c->n_nodes == AST_IMPL_MAX_NODES + 1)
            il_error(c, SCHEMA_ERR_LIMIT, "at most 20000 nodes", v, "the implementation has too many nodes");
        return 0;
    }
    return 1;
}

/* An array member with the list cap; NULL when absent/bad. */
static const json_t *il_list(il_ctx *c, const json_t *obj, const char *key, int required)
{
    const json_t *v = il_member(c, obj, key, required);
    size_t mark;

    if (!v)
        return NULL;
    mark = il_key(c, key);
    if (!json_is_array(v)) {
        il_error(c, SCHEMA_ERR_TYPE, "array", v, "expected an array");
        v = NULL;
    } else if (json_array_size(v) > AST_IMPL_MAX_LIST) {
        il_error(c, SCHEMA_ERR_LENGTH, "array & MaxItems<256>", v, "list of %zu items is too long",
                 json_array_size(v));
        v = NULL;
    }
    il_pop(c, mark);
    return v;
}

static void *il_alloc(il_ctx *c, size_t count, size_t size)
{
    void *p = bb_arena_calloc(c->arena, count ? count : 1, size);

    if (!p)
        il_fail(c, bb_arena_failed(c->arena));
    return p;
}

/* ---- expressions ---------------------------------------------------------- */

static ast_impl_expr *il_expr(il_ctx *c, const json_t *v);
static ast_impl_where *il_where(il_ctx *c, const json_t *v);

/* An expression member at key (required or optional). */
static ast_impl_expr *il_expr_at(il_ctx *c, const json_t *obj, const char *key, int required)
{
    const json_t *v = il_member(c, obj, key, required);
    ast_impl_expr *e;
    size_t mark;

    if (!v)
        return NULL;
    mark = il_key(c, key);
    e = il_expr(c, v);
    il_pop(c, mark);
    return e;
}

/* {name: expr} object (object literal properties, db data). */
static int il_fields(il_ctx *c, const json_t *obj, const char *key, ast_impl_field **out, size_t *n_out)
{
    const json_t *m = il_member(c, obj, key, 1);
    const char *k;
    json_t *val;
    size_t mark, i = 0;
    int ok = 1;

    *out = NULL;
    *n_out = 0;
    if (!m)
        return 0;
    mark = il_key(c, key);
    if (!json_is_object(m)) {
        il_error(c, SCHEMA_ERR_TYPE, "object", m, "expected an object of named expressions");
        il_pop(c, mark);
        return 0;
    }
    if (json_object_size(m) > AST_IMPL_MAX_LIST) {
        il_error(c, SCHEMA_ERR_LENGTH, "object & MaxProperties<256>", m, "too many properties");
        il_pop(c, mark);
        return 0;
    }
    *out = il_alloc(c, json_object_size(m), sizeof **out);
    if (!*out) {
        il_pop(c, mark);
        return 0;
    }
    json_object_foreach((json_t *)m, k, val) {
        size_t m2 = il_key(c, k);
        ast_impl_field *f = &(*out)[i];

        if (strlen(k) == 0 || strlen(k) > AST_IMPL_MAX_NAME) {
            il_error(c, SCHEMA_ERR_LENGTH, "property name of 1 to 128 bytes", val, "bad property name");
            ok = 0;
        } else {
            f->name = bb_arena_strdup(c->arena, k);
            f->path = il_path_dup(c);
            f->value = il_expr(c, val);
            if (!f->name || !f->value)
                ok = 0;
            i++;
        }
        il_pop(c, m2);
    }
    *n_out = i;
    il_pop(c, mark);
    return ok;
}

static int il_exprs(il_ctx *c, const json_t *obj, const char *key, ast_impl_expr ***out, size_t *n_out)
{
    const json_t *arr = il_list(c, obj, key, 1);
    size_t i, mark;
    int ok = 1;

    *out = NULL;
    *n_out = 0;
    if (!arr)
        return 0;
    *out = il_alloc(c, json_array_size(arr), sizeof **out);
    if (!*out)
        return 0;
    mark = il_key(c, key);
    for (i = 0; i < json_array_size(arr); i++) {
        size_t m2 = il_index(c, i);

        (*out)[i] = il_expr(c, json_array_get(arr, i));
        if (!(*out)[i])
            ok = 0;
        il_pop(c, m2);
    }
    il_pop(c, mark);
    *n_out = json_array_size(arr);
    return ok;
}

/* A list of names (select columns, lambda params, rank values). */
static int il_names(il_ctx *c, const json_t *obj, const char *key, int required, size_t max,
                    const char ***out, size_t *n_out)
{
    const json_t *arr = il_list(c, obj, key, required);
    size_t i, mark;
    int ok = 1;

    *out = NULL;
    *n_out = 0;
    if (!arr)
        return !required && !json_object_get(obj, key);
    *out = il_alloc(c, json_array_size(arr), sizeof **out);
    if (!*out)
        return 0;
    mark = il_key(c, key);
    for (i = 0; i < json_array_size(arr); i++) {
        size_t m2 = il_index(c, i);

        (*out)[i] = il_str_value(c, json_array_get(arr, i), max, NULL);
        if (!(*out)[i])
            ok = 0;
        il_pop(c, m2);
    }
    il_pop(c, mark);
    *n_out = json_array_size(arr);
    return ok;
}

static int il_order(il_ctx *c, const json_t *obj, ast_impl_expr *e)
{
    static const char *const nulls[] = {"first", "last"};
    const json_t *arr = il_list(c, obj, "orderBy", 0);
    size_t i, mark;
    int ok = 1;

    if (!arr)
        return !json_object_get(obj, "orderBy");
    e->order = il_alloc(c, json_array_size(arr), sizeof *e->order);
    if (!e->order)
        return 0;
    e->n_order = json_array_size(arr);
    mark = il_key(c, "orderBy");
    for (i = 0; i < e->n_order; i++) {
        size_t m2 = il_index(c, i);
        const json_t *o = json_array_get(arr, i);
        ast_impl_order *ord = &e->order[i];

        ord->path = il_path_dup(c);
        if (!json_is_object(o)) {
            il_error(c, SCHEMA_ERR_TYPE, "{column, direction}", o, "expected an order object");
            ok = 0;
        } else {
            int nl;

            ord->column = il_expr_at(c, o, "column", 1);
            ord->direction = il_expr_at(c, o, "direction", 0);
            nl = json_object_get(o, "nulls") ? il_enum(c, o, "nulls", nulls, 2, "\"first\" | \"last\"", 0) : -2;
            ord->nulls = nl == 0 ? AST_IMPL_NULLS_FIRST : nl == 1 ? AST_IMPL_NULLS_LAST : AST_IMPL_NULLS_DEFAULT;
            if (!ord->column || (json_object_get(o, "direction") && !ord->direction) || nl == -1)
                ok = 0;
            if (!il_names(c, o, "rank", 0, AST_IMPL_MAX_STRING, &ord->rank, &ord->n_rank))
                ok = 0;
        }
        il_pop(c, m2);
    }
    il_pop(c, mark);
    return ok;
}

/* The table, where, order, ... members of a database operation. */
static int il_db(il_ctx *c, const json_t *v, ast_impl_expr *e)
{
    int ok = 1;
    const json_t *w;
    size_t mark;

    e->s = il_name(c, v, "table");
    if (!e->s)
        ok = 0;
    mark = il_key(c, "table");
    e->table_path = il_path_dup(c);
    il_pop(c, mark);
    w = il_member(c, v, "where", e->kind == AST_IMPL_E_UPDATE || e->kind == AST_IMPL_E_DELETE);
    if (w) {
        mark = il_key(c, "where");
        e->where = il_where(c, w);
        if (!e->where)
            ok = 0;
        il_pop(c, mark);
    } else if (e->kind == AST_IMPL_E_UPDATE || e->kind == AST_IMPL_E_DELETE) {
        ok = 0;
    }
    if (e->kind == AST_IMPL_E_FIND_MANY || e->kind == AST_IMPL_E_FIND_FIRST) {
        if (!il_order(c, v, e))
            ok = 0;
        if (!il_names(c, v, "select", 0, AST_IMPL_MAX_NAME, &e->select, &e->n_select))
            ok = 0;
    }
    if (e->kind == AST_IMPL_E_FIND_MANY) {
        e->skip = il_expr_at(c, v, "skip", 0);
        e->take = il_expr_at(c, v, "take", 0);
        if ((json_object_get(v, "skip") && !e->skip) || (json_object_get(v, "take") && !e->take))
            ok = 0;
    }
    if (e->kind == AST_IMPL_E_CREATE || e->kind == AST_IMPL_E_UPDATE) {
        if (!il_fields(c, v, "data", &e->fields, &e->n_fields))
            ok = 0;
    }
    return ok;
}

static int il_expr_body(il_ctx *c, const json_t *v, ast_impl_expr *e)
{
    const json_t *m;
    int k;

    switch (e->kind) {
    case AST_IMPL_E_STRING:
        m = il_member(c, v, "value", 1);
        if (m) {
            size_t mark = il_key(c, "value");

            e->s = il_str_value(c, m, AST_IMPL_MAX_STRING, &e->s_len);
            il_pop(c, mark);
        }
        return e->s != NULL;
    case AST_IMPL_E_NUMBER:
        m = il_member(c, v, "value", 1);
        if (!m)
            return 0;
        if (!json_is_number(m) || !isfinite(json_number_value(m))) {
            size_t mark = il_key(c, "value");

            il_error(c, SCHEMA_ERR_TYPE, "number", m, "expected a finite number");
            il_pop(c, mark);
            return 0;
        }
        e->num = json_number_value(m);
        e->is_int = json_is_integer(m) || (e->num == floor(e->num) && fabs(e->num) < 9007199254740992.0);
        return 1;
    case AST_IMPL_E_BOOLEAN:
        m = il_member(c, v, "value", 1);
        if (!m)
            return 0;
        if (!json_is_boolean(m)) {
            size_t mark = il_key(c, "value");

            il_error(c, SCHEMA_ERR_TYPE, "boolean", m, "expected true or false");
            il_pop(c, mark);
            return 0;
        }
        e->b = json_is_true(m);
        return 1;
    case AST_IMPL_E_NULL:
    case AST_IMPL_E_UNDEFINED:
    case AST_IMPL_E_BODY:
    case AST_IMPL_E_PRINCIPAL:
        return 1;
    case AST_IMPL_E_OBJECT:
        return il_fields(c, v, "properties", &e->fields, &e->n_fields);
    case AST_IMPL_E_ARRAY:
        return il_exprs(c, v, "elements", &e->items, &e->n_items);
    case AST_IMPL_E_IDENT:
    case AST_IMPL_E_PATH_PARAM:
    case AST_IMPL_E_QUERY:
        e->s = il_name(c, v, "name");
        return e->s != NULL;
    case AST_IMPL_E_PROPERTY:
        e->a = il_expr_at(c, v, "object", 1);
        e->s = il_name(c, v, "name");
        return e->a && e->s;
    case AST_IMPL_E_UNARY:
        k = il_enum(c, v, "operator", il_unops, AST_IMPL_UNOP_COUNT_, "\"!\" | \"-\"", 1);
        e->unop = k < 0 ? AST_IMPL_NOT : (ast_impl_unop)k;
        e->a = il_expr_at(c, v, "operand", 1);
        return k >= 0 && e->a;
    case AST_IMPL_E_BINARY:
        k = il_enum(c, v, "operator", il_binops, AST_IMPL_BINOP_COUNT_,
                    "\"==\" | \"!=\" | \"<\" | \"<=\" | \">\" | \">=\" | \"+\" | \"-\" | \"*\" | \"/\" | \"%\" | "
                    "\"&&\" | \"||\" | \"??\"",
                    1);
        e->binop = k < 0 ? AST_IMPL_EQ : (ast_impl_binop)k;
        e->a = il_expr_at(c, v, "left", 1);
        e->b2 = il_expr_at(c, v, "right", 1);
        return k >= 0 && e->a && e->b2;
    case AST_IMPL_E_CONDITIONAL:
        e->a = il_expr_at(c, v, "test", 1);
        e->b2 = il_expr_at(c, v, "consequent", 1);
        e->c = il_expr_at(c, v, "alternate", 1);
        return e->a && e->b2 && e->c;
    case AST_IMPL_E_CALL:
        k = il_enum(c, v, "function", il_builtins, AST_IMPL_FN_COUNT_, "name of a builtin function", 1);
        e->fn = k < 0 ? AST_IMPL_FN_NOW : (ast_impl_builtin)k;
        if (!json_object_get(v, "arguments")) {
            e->items = NULL;
            e->n_items = 0;
            return k >= 0;
        }
        return il_exprs(c, v, "arguments", &e->items, &e->n_items) && k >= 0;
    case AST_IMPL_E_LAMBDA:
        if (!il_names(c, v, "params", 1, AST_IMPL_MAX_NAME, &e->params, &e->n_params))
            return 0;
        e->a = il_expr_at(c, v, "body", 1);
        return e->a != NULL;
    case AST_IMPL_E_FIND_MANY:
    case AST_IMPL_E_FIND_FIRST:
    case AST_IMPL_E_COUNT:
    case AST_IMPL_E_CREATE:
    case AST_IMPL_E_UPDATE:
    case AST_IMPL_E_DELETE:
        return il_db(c, v, e);
    default:
        return 0;
    }
}

static ast_impl_expr *il_expr(il_ctx *c, const json_t *v)
{
    ast_impl_expr *e = NULL;
    const json_t *t;
    int k, ok;

    if (c->rc != BB_OK || !il_node(c, v))
        return NULL;
    if (!json_is_object(v)) {
        il_error(c, SCHEMA_ERR_TYPE, "expression object {type, ...}", v, "expected an expression object");
        return NULL;
    }
    if (c->depth >= AST_IMPL_MAX_DEPTH) {
        il_error(c, SCHEMA_ERR_LIMIT, "nesting depth at most 64", NULL, "expression nested too deeply");
        return NULL;
    }
    t = json_object_get(v, "type");
    if (!t) {
        il_error(c, SCHEMA_ERR_DISCRIMINATOR, "expression with a type tag", v, "property type is missing");
        return NULL;
    }
    k = json_is_string(t) && strlen(json_string_value(t)) == json_string_length(t)
            ? il_lookup(il_expr_kinds, AST_IMPL_E_KIND_COUNT_, json_string_value(t))
            : -1;
    if (k < 0) {
        size_t mark = il_key(c, "type");

        il_error(c, SCHEMA_ERR_DISCRIMINATOR, "one of the expression types (stringLiteral, ..., delete)", t,
                 "unknown expression type");
        il_pop(c, mark);
        return NULL;
    }
    e = il_alloc(c, 1, sizeof *e);
    if (!e)
        return NULL;
    e->kind = (ast_impl_expr_kind)k;
    e->path = il_path_dup(c);
    c->depth++;
    ok = il_expr_body(c, v, e);
    c->depth--;
    return ok && e->path ? e : NULL;
}

/* ---- where ---------------------------------------------------------------- */

static ast_impl_where *il_where(il_ctx *c, const json_t *v)
{
    ast_impl_where *w;
    const json_t *t;
    int k, ok = 1;

    if (c->rc != BB_OK || !il_node(c, v))
        return NULL;
    if (!json_is_object(v)) {
        il_error(c, SCHEMA_ERR_TYPE, "where object {type, ...}", v, "expected a where condition object");
        return NULL;
    }
    if (c->depth >= AST_IMPL_MAX_DEPTH) {
        il_error(c, SCHEMA_ERR_LIMIT, "nesting depth at most 64", NULL, "condition nested too deeply");
        return NULL;
    }
    t = json_object_get(v, "type");
    k = json_is_string(t) && strlen(json_string_value(t)) == json_string_length(t)
            ? il_lookup(il_where_kinds, AST_IMPL_W_KIND_COUNT_, json_string_value(t))
            : -1;
    if (k < 0) {
        size_t mark = t ? il_key(c, "type") : c->path.len;

        il_error(c, SCHEMA_ERR_DISCRIMINATOR, "\"and\" | \"or\" | \"not\" | \"compare\"", t,
                 t ? "unknown where condition type" : "property type is missing");
        il_pop(c, mark);
        return NULL;
    }
    w = il_alloc(c, 1, sizeof *w);
    if (!w)
        return NULL;
    w->kind = (ast_impl_where_kind)k;
    w->path = il_path_dup(c);
    c->depth++;
    if (w->kind == AST_IMPL_W_AND || w->kind == AST_IMPL_W_OR) {
        const json_t *arr = il_list(c, v, "conditions", 1);
        size_t i, mark;

        if (!arr) {
            ok = 0;
        } else {
            w->items = il_alloc(c, json_array_size(arr), sizeof *w->items);
            w->n_items = json_array_size(arr);
            mark = il_key(c, "conditions");
            for (i = 0; w->items && i < w->n_items; i++) {
                size_t m2 = il_index(c, i);

                w->items[i] = il_where(c, json_array_get(arr, i));
                if (!w->items[i])
                    ok = 0;
                il_pop(c, m2);
            }
            il_pop(c, mark);
            if (!w->items)
                ok = 0;
        }
    } else if (w->kind == AST_IMPL_W_NOT) {
        const json_t *in = il_member(c, v, "condition", 1);

        if (in) {
            size_t mark = il_key(c, "condition");

            w->inner = il_where(c, in);
            il_pop(c, mark);
        }
        ok = w->inner != NULL;
    } else {
        int op;

        w->column = il_name(c, v, "column");
        op = il_enum(c, v, "op", il_cmps, AST_IMPL_CMP_COUNT_,
                     "\"eq\" | \"ne\" | \"lt\" | \"lte\" | \"gt\" | \"gte\" | \"contains\" | \"startsWith\" | "
                     "\"in\" | \"isNull\"",
                     1);
        w->op = op < 0 ? AST_IMPL_CMP_EQ : (ast_impl_cmp)op;
        w->value = il_expr_at(c, v, "value", w->op != AST_IMPL_CMP_IS_NULL);
        if (!w->column || op < 0 || (!w->value && (w->op != AST_IMPL_CMP_IS_NULL || json_object_get(v, "value"))))
            ok = 0;
    }
    c->depth--;
    return ok && w->path ? w : NULL;
}

/* ---- statements ----------------------------------------------------------- */

static int il_block(il_ctx *c, const json_t *obj, const char *key, int required, ast_impl_block *out);

static ast_impl_stmt *il_stmt(il_ctx *c, const json_t *v)
{
    ast_impl_stmt *s;
    const json_t *t;
    int k, ok = 1;

    if (c->rc != BB_OK || !il_node(c, v))
        return NULL;
    if (!json_is_object(v)) {
        il_error(c, SCHEMA_ERR_TYPE, "statement object {type, ...}", v, "expected a statement object");
        return NULL;
    }
    if (c->depth >= AST_IMPL_MAX_DEPTH) {
        il_error(c, SCHEMA_ERR_LIMIT, "nesting depth at most 64", NULL, "statement nested too deeply");
        return NULL;
    }
    t = json_object_get(v, "type");
    k = json_is_string(t) && strlen(json_string_value(t)) == json_string_length(t)
            ? il_lookup(il_stmt_kinds, AST_IMPL_S_KIND_COUNT_, json_string_value(t))
            : -1;
    if (k < 0) {
        size_t mark = t ? il_key(c, "type") : c->path.len;

        il_error(c, SCHEMA_ERR_DISCRIMINATOR,
                 "\"const\" | \"let\" | \"assign\" | \"if\" | \"forEach\" | \"return\" | \"throw\" | \"expression\"",
                 t, t ? "unknown statement type" : "property type is missing");
        il_pop(c, mark);
        return NULL;
    }
    s = il_alloc(c, 1, sizeof *s);
    if (!s)
        return NULL;
    s->kind = (ast_impl_stmt_kind)k;
    s->path = il_path_dup(c);
    c->depth++;
    switch (s->kind) {
    case AST_IMPL_S_CONST:
    case AST_IMPL_S_LET:
    case AST_IMPL_S_ASSIGN:
        s->name = il_name(c, v, "name");
        s->value = il_expr_at(c, v, "value", 1);
        ok = s->name && s->value;
        break;
    case AST_IMPL_S_IF:
        s->value = il_expr_at(c, v, "condition", 1);
        ok = s->value != NULL;
        if (!il_block(c, v, "then", 1, &s->then_block))
            ok = 0;
        s->has_else = json_object_get(v, "else") != NULL;
        if (s->has_else && !il_block(c, v, "else", 1, &s->else_block))
            ok = 0;
        break;
    case AST_IMPL_S_FOR_EACH:
        s->name = il_name(c, v, "variable");
        s->value = il_expr_at(c, v, "array", 1);
        ok = s->name && s->value;
        if (!il_block(c, v, "body", 1, &s->body))
            ok = 0;
        break;
    case AST_IMPL_S_RETURN:
    case AST_IMPL_S_THROW: {
        const json_t *st = il_member(c, v, "status", 1);
        int lo = s->kind == AST_IMPL_S_RETURN ? 200 : 400, hi = s->kind == AST_IMPL_S_RETURN ? 299 : 499;

        if (st) {
            size_t mark = il_key(c, "status");

            if (!json_is_integer(st) || json_integer_value(st) < lo || json_integer_value(st) > hi) {
                il_error(c, SCHEMA_ERR_RANGE,
                         s->kind == AST_IMPL_S_RETURN ? "integer & Minimum<200> & Maximum<299>"
                                                      : "integer & Minimum<400> & Maximum<499>",
                         st, s->kind == AST_IMPL_S_RETURN ? "a return status is a 2xx HTTP status"
                                                          : "a throw status is a 4xx HTTP status");
                ok = 0;
            } else {
                s->status = (int)json_integer_value(st);
            }
            il_pop(c, mark);
        } else {
            ok = 0;
        }
        if (s->kind == AST_IMPL_S_RETURN) {
            s->value = il_expr_at(c, v, "body", 0);
            if (json_object_get(v, "body") && !s->value)
                ok = 0;
        } else {
            s->value = il_expr_at(c, v, "message", 1);
            if (!s->value)
                ok = 0;
        }
        break;
    }
    case AST_IMPL_S_EXPR:
        s->value = il_expr_at(c, v, "expression", 1);
        ok = s->value != NULL;
        break;
    default:
        ok = 0;
    }
    c->depth--;
    return ok && s->path ? s : NULL;
}

static int il_block(il_ctx *c, const json_t *obj, const char *key, int required, ast_impl_block *out)
{
    const json_t *arr = il_list(c, obj, key, required);
    size_t i, mark;
    int ok = 1;

    memset(out, 0, sizeof *out);
    if (!arr)
        return 0;
    mark = il_key(c, key);
    out->path = il_path_dup(c);
    out->items = il_alloc(c, json_array_size(arr), sizeof *out->items);
    if (!out->items || !out->path) {
        il_pop(c, mark);
        return 0;
    }
    for (i = 0; i < json_array_size(arr); i++) {
        size_t m2 = il_index(c, i);

        out->items[i] = il_stmt(c, json_array_get(arr, i));
        if (!out->items[i])
            ok = 0;
        il_pop(c, m2);
    }
    out->n = json_array_size(arr);
    il_pop(c, mark);
    return ok;
}

/* ---- documents ------------------------------------------------------------ */

/* Loads the op body into op (endpoint may be absent when fallback is given). */
static int il_op(il_ctx *c, const json_t *doc, ast_impl_op *op, const char *fallback_method,
                 const char *fallback_path)
{
    const json_t *ep;
    int ok = 1;

    if (!json_is_object(doc)) {
        il_error(c, SCHEMA_ERR_TYPE, "object {endpoint, plan, statements}", doc, "expected an object");
        return 0;
    }
    ep = fallback_path ? json_object_get(doc, "endpoint") : il_member(c, doc, "endpoint", 1);
    if (ep) {
        size_t mark = il_key(c, "endpoint");
        int m;

        if (!json_is_object(ep)) {
            il_error(c, SCHEMA_ERR_TYPE, "object {path, method}", ep, "expected an object");
            ok = 0;
        } else {
            op->path = il_str(c, ep, "path", 1, 512);
            m = il_enum(c, ep, "method", il_methods, AST_IMPL_METHOD_COUNT_,
                        "\"get\" | \"post\" | \"put\" | \"patch\" | \"delete\"", 1);
            op->method = m < 0 ? AST_IMPL_GET : (ast_impl_method)m;
            if (!op->path || m < 0)
                ok = 0;
            else if (op->path[0] != '/') {
                size_t m2 = il_key(c, "path");

                il_error(c, SCHEMA_ERR_PATTERN, "string & Pattern<\"^/\">", json_object_get(ep, "path"),
                         "an endpoint path starts with /");
                il_pop(c, m2);
                ok = 0;
            }
        }
        il_pop(c, mark);
    } else if (fallback_path) {
        int m = il_lookup(il_methods, AST_IMPL_METHOD_COUNT_, fallback_method);

        op->path = bb_arena_strdup(c->arena, fallback_path);
        op->method = m < 0 ? AST_IMPL_GET : (ast_impl_method)m;
        if (m < 0 || !op->path) {
            il_error(c, SCHEMA_ERR_PATTERN, "key \"METHOD /path\"", NULL, "bad operation key");
            ok = 0;
        }
    } else {
        ok = 0;
    }
    if (json_object_get(doc, "plan")) {
        op->plan = il_str(c, doc, "plan", 0, AST_IMPL_MAX_PLAN);
        if (!op->plan)
            ok = 0;
    } else {
        op->plan = "";
    }
    if (!il_block(c, doc, "statements", 1, &op->statements))
        ok = 0;
    op->n_nodes = c->n_nodes;
    return ok;
}

static bb_result il_load_one(const json_t *doc, const char *base, const char *fb_method, const char *fb_path,
                             ast_impl_op **out, schema_errors *errs)
{
    il_ctx c;
    bb_arena *arena = NULL;
    ast_impl_op *op;
    bb_result rc = BB_OK;

    *out = NULL;
    memset(&c, 0, sizeof c);
    bb_buf_init(&c.path, IL_PATH_MAX);
    arena = bb_arena_new(AST_IMPL_ARENA_MAX);
    if (!arena) {
        rc = BB_ERR_NOMEM;
        goto out;
    }
    c.arena = arena;
    c.errs = errs;
    if (bb_buf_puts(&c.path, base ? base : "$input") != BB_OK) {
        rc = BB_ERR_NOMEM;
        goto out;
    }
    op = bb_arena_alloc(arena, sizeof *op);
    if (!op) {
        rc = bb_arena_failed(arena);
        goto out;
    }
    op->arena = arena;
    (void)il_op(&c, doc, op, fb_method, fb_path);
    if (c.rc != BB_OK) {
        rc = c.rc;
        goto out;
    }
    if (c.n_errors > 0) {
        rc = BB_ERR_INVALID;
        goto out;
    }
    *out = op;
    arena = NULL;
out:
    bb_arena_free(arena);
    bb_buf_free(&c.path);
    return rc;
}

bb_result ast_impl_load(const json_t *doc, const char *base, ast_impl_op **out, schema_errors *errs)
{
    return il_load_one(doc, base, NULL, NULL, out, errs);
}

void ast_impl_set_free(ast_impl_set *set)
{
    size_t i;

    if (!set)
        return;
    for (i = 0; i < set->n; i++)
        ast_impl_free(set->ops[i]);
    bb_free(set->ops);
    set->ops = NULL;
    set->n = 0;
}

bb_result ast_impl_set_load(const json_t *doc, ast_impl_set *out, schema_errors *errs)
{
    size_t n, i = 0;
    bb_result rc = BB_OK, first = BB_OK;
    char base[64];

    memset(out, 0, sizeof *out);
    if (!json_is_array(doc) && !json_is_object(doc)) {
        return schema_errors_add(errs, SCHEMA_ERR_TYPE, "$input", "array | object", "?",
                                 "an implementation file is an array of operations or an object keyed by "
                                 "\"METHOD /path\"") == BB_OK
                   ? BB_ERR_INVALID
                   : BB_ERR_NOMEM;
    }
    n = json_is_array(doc) ? json_array_size(doc) : json_object_size(doc);
    if (n > AST_IMPL_MAX_OPS)
        return schema_errors_add(errs, SCHEMA_ERR_LIMIT, "$input", "at most 1000 operations", "?", NULL) == BB_OK
                   ? BB_ERR_INVALID
                   : BB_ERR_NOMEM;
    out->ops = bb_calloc(n ? n : 1, sizeof *out->ops);
    if (!out->ops)
        return BB_ERR_NOMEM;
    if (json_is_array(doc)) {
        for (i = 0; i < n; i++) {
            ast_impl_op *op = NULL;

            snprintf(base, sizeof base, "$input[%zu]", i);
            rc = il_load_one(json_array_get(doc, i), base, NULL, NULL, &op, errs);
            if (rc == BB_OK)
                out->ops[out->n++] = op;
            else if (first == BB_OK || first == BB_ERR_INVALID)
                first = rc;
        }
    } else {
        const char *key;
        json_t *val;

        json_object_foreach((json_t *)doc, key, val) {
            ast_impl_op *op = NULL;
            char method[16] = "";
            const char *sp = strchr(key, ' ');
            size_t ml = sp ? (size_t)(sp - key) : 0;
            bb_buf kp;

            for (i = 0; i < ml && i + 1 < sizeof method; i++)
                method[i] = (char)(key[i] >= 'A' && key[i] <= 'Z' ? key[i] - 'A' + 'a' : key[i]);
            method[i < sizeof method ? i : sizeof method - 1] = '\0';
            bb_buf_init(&kp, IL_PATH_MAX);
            rc = schema_path_root(&kp);
            if (rc == BB_OK)
                rc = schema_path_key(&kp, key);
            if (rc == BB_OK)
                rc = il_load_one(val, bb_buf_str(&kp), method, sp ? sp + 1 : "", &op, errs);
            bb_buf_free(&kp);
            if (rc == BB_OK)
                out->ops[out->n++] = op;
            else if (first == BB_OK || first == BB_ERR_INVALID)
                first = rc;
        }
    }
    if (first != BB_OK)
        ast_impl_set_free(out);
    return first;
}
