/*
 * ast_test.c — loader and semantic checks of the Test AST (ast_test.h).
 *
 * The loader walks the JSON once, building arena-owned nodes with their
 * paths; every structural problem is a located SCHEMA_ERR_SEMANTIC error
 * and loading goes on so one call reports them all. The checks walk the
 * typed tree with a scope stack of variable names (each remembering the
 * response DTO when it names an API result) to find unknown operations,
 * parameters, variables and DTO properties.
 */
#include "ast/ast_test.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

#include "util/alloc.h"
#include "util/buf.h"

static const char *const tl_expr_kinds[AST_TEST_E_KIND_COUNT_] = {
    "booleanLiteral", "numericLiteral", "stringLiteral", "nullLiteral", "undefinedKeyword",
    "arrayLiteralExpression", "objectLiteralExpression", "identifier", "propertyAccessExpression",
    "elementAccessExpression", "prefixUnaryExpression", "binaryExpression", "conditionalExpression",
    "arrowFunction", "arrayMapExpression", "arrayFilterExpression", "arraySomeExpression",
    "arrayEveryExpression", "arrayFindExpression", "arrayRepeatExpression", "stringRandom",
    "integerRandom", "formatRandom", "equalPredicate", "notEqualPredicate", "conditionalPredicate",
    "errorPredicate", "httpErrorPredicate",
};

static const char *const tl_stmt_kinds[AST_TEST_S_KIND_COUNT_] = {
    "apiOperateStatement", "variableDeclaration", "expressionStatement", "ifStatement", "returnStatement",
};

static const char *const tl_binops[AST_TEST_BINOP_COUNT_] = {
    "===", "!==", "<", "<=", ">", ">=", "+", "-", "*", "/", "%", "&&", "||", "??",
};

static const char *const tl_methods[AST_TEST_METHOD_COUNT_] = {"get", "post", "put", "patch", "delete"};

const char *ast_test_expr_kind_name(ast_test_expr_kind k)
{
    return (unsigned)k < AST_TEST_E_KIND_COUNT_ ? tl_expr_kinds[k] : NULL;
}

const char *ast_test_stmt_kind_name(ast_test_stmt_kind k)
{
    return (unsigned)k < AST_TEST_S_KIND_COUNT_ ? tl_stmt_kinds[k] : NULL;
}

const char *ast_test_binop_name(ast_test_binop op)
{
    return (unsigned)op < AST_TEST_BINOP_COUNT_ ? tl_binops[op] : NULL;
}

const char *ast_test_method_name(ast_test_method m)
{
    return (unsigned)m < AST_TEST_METHOD_COUNT_ ? tl_methods[m] : NULL;
}

/* ==== loader ================================================================= */

typedef struct tl_ctx {
    bb_arena *a;
    schema_errors *errs;
    size_t nodes;
    int bad;
    bb_result rc; /* first failure of the loader itself */
} tl_ctx;

static void tl_err(tl_ctx *c, const char *path, const char *expected, const char *msg)
{
    bb_result r;
    c->bad = 1;
    r = schema_errors_add(c->errs, SCHEMA_ERR_SEMANTIC, path, expected, NULL, msg);
    if (r != BB_OK && c->rc == BB_OK)
        c->rc = r;
}

static const char *tl_path(tl_ctx *c, const char *base, const char *key)
{
    bb_buf b;
    const char *out = NULL;
    bb_buf_init(&b, 64 * 1024);
    if (bb_buf_puts(&b, base) == BB_OK && schema_path_key(&b, key) == BB_OK)
        out = bb_arena_strdup(c->a, bb_buf_str(&b));
    bb_buf_free(&b);
    if (!out && c->rc == BB_OK)
        c->rc = BB_ERR_NOMEM;
    return out ? out : "$";
}

static const char *tl_path_i(tl_ctx *c, const char *base, size_t i)
{
    bb_buf b;
    const char *out = NULL;
    bb_buf_init(&b, 64 * 1024);
    if (bb_buf_puts(&b, base) == BB_OK && schema_path_index(&b, i) == BB_OK)
        out = bb_arena_strdup(c->a, bb_buf_str(&b));
    bb_buf_free(&b);
    if (!out && c->rc == BB_OK)
        c->rc = BB_ERR_NOMEM;
    return out ? out : "$";
}

/* A string member; NULL (with an error when required) when missing or too long. */
static const char *tl_str(tl_ctx *c, const json_t *o, const char *key, const char *path, size_t max, int required,
                          size_t *len /* OUT, may be NULL */)
{
    const json_t *v = json_object_get(o, key);
    const char *s;
    size_t n;
    if (!v) {
        if (required)
            tl_err(c, tl_path(c, path, key), "a string", "missing");
        return NULL;
    }
    if (!json_is_string(v)) {
        tl_err(c, tl_path(c, path, key), "a string", "not a string");
        return NULL;
    }
    n = json_string_length(v);
    if (n > max) {
        tl_err(c, tl_path(c, path, key), "a shorter string", "too long");
        return NULL;
    }
    if (strlen(json_string_value(v)) != n) {
        tl_err(c, tl_path(c, path, key), "a string without NUL bytes", "holds a NUL byte");
        return NULL;
    }
    s = bb_arena_strndup(c->a, json_string_value(v), n);
    if (!s && c->rc == BB_OK)
        c->rc = BB_ERR_NOMEM;
    if (len)
        *len = n;
    return s;
}

static int tl_count(tl_ctx *c, const char *path)
{
    if (++c->nodes > AST_TEST_MAX_NODES) {
        if (c->nodes == AST_TEST_MAX_NODES + 1)
            tl_err(c, path, "at most 20000 nodes", "too many nodes");
        return 0;
    }
    return 1;
}

static ast_test_expr *tl_expr(tl_ctx *c, const json_t *j, const char *path, int depth);
static void tl_block(tl_ctx *c, const json_t *j, const char *path, int depth, ast_test_block *out);

static ast_test_expr *tl_member(tl_ctx *c, const json_t *o, const char *key, const char *path, int depth,
                                int required)
{
    const json_t *v = json_object_get(o, key);
    if (!v) {
        if (required)
            tl_err(c, tl_path(c, path, key), "an expression", "missing");
        return NULL;
    }
    return tl_expr(c, v, tl_path(c, path, key), depth);
}

static int tl_kind(const char *t, const char *const *names, int n)
{
    int i;
    for (i = 0; i < n; i++)
        if (strcmp(t, names[i]) == 0)
            return i;
    return -1;
}

/* The prologue of every node: depth and count caps, an object, a known
 * "type" among names. The kind, or -1 with the error recorded. what_obj and
 * what_type name the node in the errors ("an expression object", "an
 * expression type"), unknown the message for a type not in names. */
static int tl_node_kind(tl_ctx *c, const json_t *j, const char *path, int depth, const char *const *names, int n,
                        const char *what_obj, const char *what_type, const char *unknown)
{
    const char *t;
    int k;
    if (c->rc != BB_OK)
        return -1;
    if (depth > AST_TEST_MAX_DEPTH) {
        tl_err(c, path, "nesting of at most 64", "too deep");
        return -1;
    }
    if (!tl_count(c, path))
        return -1;
    if (!json_is_object(j)) {
        tl_err(c, path, what_obj, "not an object");
        return -1;
    }
    t = json_string_value(json_object_get(j, "type"));
    k = t ? tl_kind(t, names, n) : -1;
    if (k < 0)
        tl_err(c, tl_path(c, path, "type"), what_type, t ? unknown : "missing type");
    return k;
}

static void tl_arrow_params(tl_ctx *c, const json_t *o, const char *path, ast_test_expr *e)
{
    const json_t *ps = json_object_get(o, "parameters");
    const char *pp = tl_path(c, path, "parameters");
    size_t i;
    if (!ps)
        return;
    if (!json_is_array(ps) || json_array_size(ps) > 4) {
        tl_err(c, pp, "an array of at most 4 names", "bad parameters");
        return;
    }
    e->params = bb_arena_calloc(c->a, json_array_size(ps) + 1, sizeof(char *));
    if (!e->params) {
        c->rc = c->rc == BB_OK ? BB_ERR_NOMEM : c->rc;
        return;
    }
    for (i = 0; i < json_array_size(ps); i++) {
        const json_t *p = json_array_get(ps, i);
        if (!json_is_string(p) || json_string_length(p) == 0 || json_string_length(p) > AST_TEST_MAX_NAME ||
            strlen(json_string_value(p)) != json_string_length(p)) {
            tl_err(c, tl_path_i(c, pp, i), "a name", "bad parameter name");
            continue;
        }
        e->params[e->n_params++] = bb_arena_strdup(c->a, json_string_value(p));
    }
}

static ast_test_expr *tl_expr(tl_ctx *c, const json_t *j, const char *path, int depth)
{
    ast_test_expr *e;
    int k = tl_node_kind(c, j, path, depth, tl_expr_kinds, AST_TEST_E_KIND_COUNT_, "an expression object",
                         "an expression type", "unknown expression type");
    size_t i;
    if (k < 0)
        return NULL;
    e = bb_arena_calloc(c->a, 1, sizeof(*e));
    if (!e) {
        c->rc = BB_ERR_NOMEM;
        return NULL;
    }
    e->kind = (ast_test_expr_kind)k;
    e->path = path;
    switch (e->kind) {
    case AST_TEST_E_BOOLEAN: {
        const json_t *v = json_object_get(j, "value");
        if (!json_is_boolean(v))
            tl_err(c, tl_path(c, path, "value"), "a boolean", "not a boolean");
        e->b = json_is_true(v);
        break;
    }
    case AST_TEST_E_NUMBER: {
        const json_t *v = json_object_get(j, "value");
        if (!json_is_number(v) || !isfinite(json_number_value(v)))
            tl_err(c, tl_path(c, path, "value"), "a finite number", "not a number");
        else
            e->num = json_number_value(v);
        break;
    }
    case AST_TEST_E_STRING:
        e->s = tl_str(c, j, "value", path, AST_TEST_MAX_STRING, 1, &e->s_len);
        break;
    case AST_TEST_E_NULL:
    case AST_TEST_E_UNDEFINED:
        break;
    case AST_TEST_E_ARRAY: {
        const json_t *el = json_object_get(j, "elements");
        const char *ep = tl_path(c, path, "elements");
        if (!json_is_array(el) || json_array_size(el) > AST_TEST_MAX_LIST) {
            tl_err(c, ep, "an array of at most 256 expressions", "bad elements");
            break;
        }
        e->items = bb_arena_calloc(c->a, json_array_size(el) + 1, sizeof(*e->items));
        if (!e->items) {
            c->rc = BB_ERR_NOMEM;
            break;
        }
        e->n_items = json_array_size(el);
        for (i = 0; i < e->n_items; i++)
            e->items[i] = tl_expr(c, json_array_get(el, i), tl_path_i(c, ep, i), depth + 1);
        break;
    }
    case AST_TEST_E_OBJECT: {
        const json_t *ps = json_object_get(j, "properties");
        const char *pp = tl_path(c, path, "properties");
        if (!json_is_array(ps) || json_array_size(ps) > AST_TEST_MAX_LIST) {
            tl_err(c, pp, "an array of at most 256 {name, value}", "bad properties");
            break;
        }
        e->n_items = json_array_size(ps);
        e->items = bb_arena_calloc(c->a, e->n_items + 1, sizeof(*e->items));
        e->keys = bb_arena_calloc(c->a, e->n_items + 1, sizeof(*e->keys));
        if (!e->items || !e->keys) {
            c->rc = BB_ERR_NOMEM;
            break;
        }
        for (i = 0; i < e->n_items; i++) {
            const json_t *p = json_array_get(ps, i);
            const char *ip = tl_path_i(c, pp, i);
            size_t m;
            if (!json_is_object(p)) {
                tl_err(c, ip, "{name, value}", "not an object");
                continue;
            }
            e->keys[i] = tl_str(c, p, "name", ip, AST_TEST_MAX_NAME, 1, NULL);
            for (m = 0; e->keys[i] && m < i; m++)
                if (e->keys[m] && strcmp(e->keys[m], e->keys[i]) == 0)
                    tl_err(c, tl_path(c, ip, "name"), "a property named once", "duplicate property");
            e->items[i] = tl_member(c, p, "value", ip, depth + 1, 1);
        }
        break;
    }
    case AST_TEST_E_IDENT:
        e->s = tl_str(c, j, "text", path, AST_TEST_MAX_NAME, 1, NULL);
        break;
    case AST_TEST_E_PROPERTY:
        e->a = tl_member(c, j, "expression", path, depth + 1, 1);
        e->s = tl_str(c, j, "name", path, AST_TEST_MAX_NAME, 1, NULL);
        break;
    case AST_TEST_E_ELEMENT:
        e->a = tl_member(c, j, "expression", path, depth + 1, 1);
        e->b2 = tl_member(c, j, "argumentExpression", path, depth + 1, 1);
        break;
    case AST_TEST_E_UNARY: {
        const char *op = tl_str(c, j, "operator", path, 8, 1, NULL);
        if (op && strcmp(op, "!") == 0)
            e->unop = AST_TEST_NOT;
        else if (op && strcmp(op, "-") == 0)
            e->unop = AST_TEST_NEG;
        else if (op)
            tl_err(c, tl_path(c, path, "operator"), "! or -", "unknown operator");
        e->a = tl_member(c, j, "operand", path, depth + 1, 1);
        break;
    }
    case AST_TEST_E_BINARY: {
        const char *op = tl_str(c, j, "operator", path, 8, 1, NULL);
        int b = op ? tl_kind(op, tl_binops, AST_TEST_BINOP_COUNT_) : 0;
        if (op && b < 0 && strcmp(op, "==") == 0)
            b = AST_TEST_EQ;
        if (op && b < 0 && strcmp(op, "!=") == 0)
            b = AST_TEST_NE;
        if (b < 0)
            tl_err(c, tl_path(c, path, "operator"), "a binary operator", "unknown operator");
        e->binop = b < 0 ? AST_TEST_EQ : (ast_test_binop)b;
        e->a = tl_member(c, j, "left", path, depth + 1, 1);
        e->b2 = tl_member(c, j, "right", path, depth + 1, 1);
        break;
    }
    case AST_TEST_E_CONDITIONAL:
        e->a = tl_member(c, j, "condition", path, depth + 1, 1);
        e->b2 = tl_member(c, j, "whenTrue", path, depth + 1, 1);
        e->c = tl_member(c, j, "whenFalse", path, depth + 1, 1);
        break;
    case AST_TEST_E_ARROW: {
        const json_t *body = json_object_get(j, "body");
        tl_arrow_params(c, j, path, e);
        if (!body)
            tl_err(c, tl_path(c, path, "body"), "an array of statements", "missing");
        else
            tl_block(c, body, tl_path(c, path, "body"), depth + 1, &e->body);
        break;
    }
    case AST_TEST_E_MAP:
    case AST_TEST_E_FILTER:
    case AST_TEST_E_SOME:
    case AST_TEST_E_EVERY:
    case AST_TEST_E_FIND:
        e->a = tl_member(c, j, "array", path, depth + 1, 1);
        e->b2 = tl_member(c, j, "function", path, depth + 1, 1);
        break;
    case AST_TEST_E_REPEAT:
        e->a = tl_member(c, j, "count", path, depth + 1, 1);
        e->b2 = tl_member(c, j, "function", path, depth + 1, 1);
        break;
    case AST_TEST_E_RAND_STRING: {
        const json_t *v = json_object_get(j, "length");
        e->num = 8;
        if (v && (!json_is_integer(v) || json_integer_value(v) < 1 || json_integer_value(v) > 256))
            tl_err(c, tl_path(c, path, "length"), "an integer 1-256", "bad length");
        else if (v)
            e->num = (double)json_integer_value(v);
        break;
    }
    case AST_TEST_E_RAND_INT: {
        const json_t *lo = json_object_get(j, "minimum"), *hi = json_object_get(j, "maximum");
        if (!json_is_integer(lo) || !json_is_integer(hi) || json_integer_value(lo) > json_integer_value(hi) ||
            json_integer_value(lo) < -1000000000 || json_integer_value(hi) > 1000000000) {
            tl_err(c, path, "integer minimum <= maximum within +-1e9", "bad bounds");
            break;
        }
        e->num = (double)json_integer_value(lo);
        e->status = (int)json_integer_value(hi);
        break;
    }
    case AST_TEST_E_RAND_FORMAT: {
        const char *f = tl_str(c, j, "format", path, 32, 1, NULL);
        if (f && strcmp(f, "uuid") == 0)
            e->format = AST_TEST_FMT_UUID;
        else if (f && strcmp(f, "email") == 0)
            e->format = AST_TEST_FMT_EMAIL;
        else if (f)
            tl_err(c, tl_path(c, path, "format"), "uuid or email", "unknown format");
        break;
    }
    case AST_TEST_E_EQUAL:
    case AST_TEST_E_NOT_EQUAL:
        e->s = tl_str(c, j, "title", path, AST_TEST_MAX_STRING, 1, NULL);
        e->a = tl_member(c, j, "x", path, depth + 1, 1);
        e->b2 = tl_member(c, j, "y", path, depth + 1, 1);
        break;
    case AST_TEST_E_COND_PRED:
        e->s = tl_str(c, j, "title", path, AST_TEST_MAX_STRING, 1, NULL);
        e->a = tl_member(c, j, "expression", path, depth + 1, 1);
        break;
    case AST_TEST_E_HTTP_ERROR: {
        const json_t *st = json_object_get(j, "status");
        if (!json_is_integer(st))
            tl_err(c, tl_path(c, path, "status"), "an integer status", "not an integer");
        else
            e->status = (int)(json_integer_value(st) > 1000 || json_integer_value(st) < 0 ? 0
                                                                                          : json_integer_value(st));
    }
        /* fall through */
    case AST_TEST_E_ERROR_PRED:
        e->s = tl_str(c, j, "title", path, AST_TEST_MAX_STRING, 1, NULL);
        e->b2 = tl_member(c, j, "function", path, depth + 1, 1);
        break;
    case AST_TEST_E_KIND_COUNT_:
        break;
    }
    return e;
}

static ast_test_stmt *tl_stmt(tl_ctx *c, const json_t *j, const char *path, int depth)
{
    ast_test_stmt *s;
    int k = tl_node_kind(c, j, path, depth, tl_stmt_kinds, AST_TEST_S_KIND_COUNT_, "a statement object",
                         "a statement type", "unknown statement type");
    if (k < 0)
        return NULL;
    s = bb_arena_calloc(c->a, 1, sizeof(*s));
    if (!s) {
        c->rc = BB_ERR_NOMEM;
        return NULL;
    }
    s->kind = (ast_test_stmt_kind)k;
    s->path = path;
    switch (s->kind) {
    case AST_TEST_S_API: {
        const json_t *ep = json_object_get(j, "endpoint"), *arg = json_object_get(j, "argument");
        const char *epp = tl_path(c, path, "endpoint");
        const char *m;
        const json_t *vn = json_object_get(j, "variableName");
        if (!json_is_object(ep)) {
            tl_err(c, epp, "{path, method}", "missing endpoint");
        } else {
            s->endpoint = tl_str(c, ep, "path", epp, 1024, 1, NULL);
            m = tl_str(c, ep, "method", epp, 16, 1, NULL);
            k = m ? tl_kind(m, tl_methods, AST_TEST_METHOD_COUNT_) : 0;
            if (k < 0)
                tl_err(c, tl_path(c, epp, "method"), "get, post, put, patch or delete", "unknown method");
            s->method = k < 0 ? AST_TEST_GET : (ast_test_method)k;
        }
        if (vn && !json_is_null(vn))
            s->name = tl_str(c, j, "variableName", path, AST_TEST_MAX_NAME, 1, NULL);
        if (arg && !json_is_null(arg)) {
            const char *ap = tl_path(c, path, "argument");
            const json_t *ps, *body;
            if (!json_is_object(arg)) {
                tl_err(c, ap, "{parameters?, body?}", "not an object");
                break;
            }
            ps = json_object_get(arg, "parameters");
            body = json_object_get(arg, "body");
            if (ps && !json_is_null(ps)) {
                const char *key;
                const json_t *v;
                size_t i = 0;
                s->params_path = tl_path(c, ap, "parameters");
                if (!json_is_object(ps) || json_object_size(ps) > 32) {
                    tl_err(c, s->params_path, "an object of at most 32 parameters", "bad parameters");
                    break;
                }
                s->param_names = bb_arena_calloc(c->a, json_object_size(ps) + 1, sizeof(char *));
                s->param_values = bb_arena_calloc(c->a, json_object_size(ps) + 1, sizeof(*s->param_values));
                if (!s->param_names || !s->param_values) {
                    c->rc = BB_ERR_NOMEM;
                    break;
                }
                json_object_foreach ((json_t *)ps, key, v) {
                    if (strlen(key) > AST_TEST_MAX_NAME) {
                        tl_err(c, s->params_path, "a short parameter name", "too long");
                        continue;
                    }
                    s->param_names[i] = bb_arena_strdup(c->a, key);
                    s->param_values[i] = tl_expr(c, v, tl_path(c, s->params_path, key), depth + 1);
                    i++;
                }
                s->n_params = i;
            }
            if (body && !json_is_null(body))
                s->value = tl_expr(c, body, tl_path(c, ap, "body"), depth + 1);
        }
        break;
    }
    case AST_TEST_S_VAR:
        s->name = tl_str(c, j, "name", path, AST_TEST_MAX_NAME, 1, NULL);
        s->value = tl_member(c, j, "initializer", path, depth + 1, 1);
        break;
    case AST_TEST_S_EXPR:
        s->value = tl_member(c, j, "expression", path, depth + 1, 1);
        break;
    case AST_TEST_S_RETURN:
        s->value = tl_member(c, j, "expression", path, depth + 1, 0);
        break;
    case AST_TEST_S_IF: {
        const json_t *th = json_object_get(j, "thenStatements"), *el = json_object_get(j, "elseStatements");
        s->value = tl_member(c, j, "condition", path, depth + 1, 1);
        if (!th)
            tl_err(c, tl_path(c, path, "thenStatements"), "an array of statements", "missing");
        else
            tl_block(c, th, tl_path(c, path, "thenStatements"), depth + 1, &s->then_block);
        if (el && !json_is_null(el)) {
            s->has_else = 1;
            tl_block(c, el, tl_path(c, path, "elseStatements"), depth + 1, &s->else_block);
        }
        break;
    }
    case AST_TEST_S_KIND_COUNT_:
        break;
    }
    return s;
}

static void tl_block(tl_ctx *c, const json_t *j, const char *path, int depth, ast_test_block *out)
{
    size_t i;
    out->path = path;
    if (!json_is_array(j) || json_array_size(j) > AST_TEST_MAX_LIST) {
        tl_err(c, path, "an array of at most 256 statements", "bad statement list");
        return;
    }
    out->items = bb_arena_calloc(c->a, json_array_size(j) + 1, sizeof(*out->items));
    if (!out->items) {
        c->rc = BB_ERR_NOMEM;
        return;
    }
    out->n = json_array_size(j);
    for (i = 0; i < out->n; i++)
        out->items[i] = tl_stmt(c, json_array_get(j, i), tl_path_i(c, path, i), depth + 1);
}

bb_result ast_test_load(const json_t *doc, const char *base, ast_test_fn **out, schema_errors *errs)
{
    tl_ctx c;
    ast_test_fn *fn = NULL;
    bb_result rc;
    const json_t *st;
    *out = NULL;
    memset(&c, 0, sizeof(c));
    c.errs = errs;
    c.a = bb_arena_new(AST_TEST_ARENA_MAX);
    if (!c.a)
        return BB_ERR_NOMEM;
    fn = bb_arena_calloc(c.a, 1, sizeof(*fn));
    if (!fn) {
        rc = BB_ERR_NOMEM;
        goto out;
    }
    fn->arena = c.a;
    if (!json_is_object(doc)) {
        tl_err(&c, base, "a test function object", "not an object");
        goto done;
    }
    fn->name = tl_str(&c, doc, "name", base, AST_TEST_MAX_NAME, 0, NULL);
    fn->plan = tl_str(&c, doc, "plan", base, AST_TEST_MAX_PLAN, 0, NULL);
    fn->draft = tl_str(&c, doc, "draft", base, AST_TEST_MAX_PLAN, 0, NULL);
    st = json_object_get(doc, "statements");
    if (!st)
        tl_err(&c, tl_path(&c, base, "statements"), "an array of statements", "missing");
    else
        tl_block(&c, st, tl_path(&c, base, "statements"), 0, &fn->statements);
done:
    fn->n_nodes = c.nodes;
    if (c.rc == BB_OK && bb_arena_failed(c.a) != BB_OK)
        c.rc = bb_arena_failed(c.a);
    rc = c.rc != BB_OK ? c.rc : c.bad ? BB_ERR_INVALID : BB_OK;
out:
    if (rc != BB_OK) {
        bb_arena_free(c.a);
        return rc;
    }
    *out = fn;
    return BB_OK;
}

void ast_test_free(ast_test_fn *fn)
{
    if (fn)
        bb_arena_free(fn->arena);
}

bb_result ast_test_suite_load(const json_t *doc, ast_test_suite *out, schema_errors *errs)
{
    size_t i, n;
    bb_result rc = BB_OK;
    memset(out, 0, sizeof(*out));
    if (!json_is_array(doc) || json_array_size(doc) > AST_TEST_MAX_FNS) {
        schema_errors_add(errs, SCHEMA_ERR_SEMANTIC, "$input", "an array of at most 1000 test functions", NULL,
                          "not a suite");
        return BB_ERR_INVALID;
    }
    n = json_array_size(doc);
    out->fns = bb_calloc(n + 1, sizeof(*out->fns));
    if (!out->fns)
        return BB_ERR_NOMEM;
    for (i = 0; i < n; i++) {
        char base[48];
        bb_result r;
        snprintf(base, sizeof(base), "$input[%zu]", i);
        r = ast_test_load(json_array_get(doc, i), base, &out->fns[out->n], errs);
        if (r == BB_OK)
            out->n++;
        else if (rc == BB_OK || r != BB_ERR_INVALID)
            rc = r;
    }
    if (rc != BB_OK)
        ast_test_suite_free(out);
    return rc;
}

void ast_test_suite_free(ast_test_suite *s)
{
    size_t i;
    if (!s)
        return;
    for (i = 0; i < s->n; i++)
        ast_test_free(s->fns[i]);
    bb_free(s->fns);
    memset(s, 0, sizeof(*s));
}

/* ==== checks ================================================================= */

#define TC_MAX_SCOPE 1024

typedef struct tc_var {
    const char *name;
    const ast_api_dto *dto; /* response DTO of an API result, or NULL: unknown */
    size_t depth;           /* block depth of the declaration */
} tc_var;

typedef struct tc_ctx {
    const ast_api_doc *api;
    schema_errors *errs;
    tc_var vars[TC_MAX_SCOPE];
    size_t n_vars;
    size_t depth;
    int arrow_depth;
    size_t calls, predicates;
    int bad;
    bb_result rc;
} tc_ctx;

static void tc_err(tc_ctx *c, const char *path, const char *rule, const char *value, const char *msg)
{
    bb_result r;
    c->bad = 1;
    r = schema_errors_add(c->errs, SCHEMA_ERR_SEMANTIC, path, rule, value, msg);
    if (r != BB_OK && c->rc == BB_OK)
        c->rc = r;
}

const ast_api_operation *ast_test_find_operation(const ast_api_doc *api, ast_test_method m, const char *path)
{
    size_t i;
    if (!path)
        return NULL;
    for (i = 0; i < api->n_operations; i++) {
        const ast_api_operation *op = &api->operations[i];
        if (strcmp(op->path, path) == 0 && strcmp(ast_api_method_name(op->method), tl_methods[m]) == 0)
            return op;
    }
    return NULL;
}

/* Follows references and nullable unions to an object DTO, or NULL. */
static const ast_api_dto *tc_object(const ast_api_doc *api, const ast_api_dto *d)
{
    int hops;
    for (hops = 0; d && hops < 16; hops++) {
        if (d->kind == AST_API_DTO_REFERENCE) {
            d = d->u.reference.name ? ast_api_find_schema(api, d->u.reference.name) : NULL;
        } else if (d->kind == AST_API_DTO_ONEOF) {
            const ast_api_dto *obj = NULL;
            size_t i, n_obj = 0;
            for (i = 0; i < d->u.one_of.n_members; i++) {
                const ast_api_dto *m = d->u.one_of.members[i];
                if (m->kind != AST_API_DTO_NULL) {
                    obj = m;
                    n_obj++;
                }
            }
            d = n_obj == 1 ? obj : NULL;
        } else {
            return d->kind == AST_API_DTO_OBJECT ? d : NULL;
        }
    }
    return NULL;
}

static const ast_api_dto *tc_property(const ast_api_dto *obj, const char *name)
{
    size_t i;
    for (i = 0; i < obj->u.object.n_properties; i++)
        if (strcmp(obj->u.object.properties[i].name, name) == 0)
            return obj->u.object.properties[i].schema;
    return NULL;
}

static tc_var *tc_lookup(tc_ctx *c, const char *name)
{
    size_t i;
    for (i = c->n_vars; i > 0; i--)
        if (strcmp(c->vars[i - 1].name, name) == 0)
            return &c->vars[i - 1];
    return NULL;
}

static void tc_declare(tc_ctx *c, const char *name, const ast_api_dto *dto, const char *path)
{
    size_t i;
    if (!name)
        return;
    for (i = c->n_vars; i > 0 && c->vars[i - 1].depth == c->depth; i--)
        if (strcmp(c->vars[i - 1].name, name) == 0) {
            tc_err(c, path, AST_TEST_RULE_REDECLARED, name, "declared twice in one block");
            return;
        }
    if (c->n_vars >= TC_MAX_SCOPE) {
        tc_err(c, path, "at most 1024 live variables", name, "too many variables");
        return;
    }
    c->vars[c->n_vars].name = name;
    c->vars[c->n_vars].dto = dto;
    c->vars[c->n_vars].depth = c->depth;
    c->n_vars++;
}

static void tc_block(tc_ctx *c, const ast_test_block *b);

/* Returns the object DTO the expression is known to have (API results and
 * their object properties), else NULL. */
static const ast_api_dto *tc_expr(tc_ctx *c, const ast_test_expr *e, int fn_arg)
{
    size_t i, saved;
    if (!e || c->rc != BB_OK)
        return NULL;
    if (e->kind == AST_TEST_E_ARROW && !fn_arg)
        tc_err(c, e->path, AST_TEST_RULE_ARROW, NULL, "an arrow function outside a helper or predicate");
    switch (e->kind) {
    case AST_TEST_E_IDENT: {
        tc_var *v = e->s ? tc_lookup(c, e->s) : NULL;
        if (e->s && !v)
            tc_err(c, e->path, AST_TEST_RULE_VARIABLE, e->s, "unknown variable");
        return v ? v->dto : NULL;
    }
    case AST_TEST_E_PROPERTY: {
        const ast_api_dto *obj = tc_expr(c, e->a, 0), *p;
        if (!obj || !e->s)
            return NULL;
        p = tc_property(obj, e->s);
        if (!p) {
            tc_err(c, e->path, AST_TEST_RULE_RESP_PROP, e->s, "no such property in the response DTO");
            return NULL;
        }
        return tc_object(c->api, p);
    }
    case AST_TEST_E_ARROW:
        saved = c->n_vars;
        c->depth++;
        c->arrow_depth++;
        for (i = 0; i < e->n_params; i++)
            tc_declare(c, e->params[i], NULL, e->path);
        tc_block(c, &e->body);
        c->arrow_depth--;
        c->depth--;
        c->n_vars = saved;
        return NULL;
    case AST_TEST_E_EQUAL:
    case AST_TEST_E_NOT_EQUAL:
    case AST_TEST_E_COND_PRED:
    case AST_TEST_E_ERROR_PRED:
    case AST_TEST_E_HTTP_ERROR:
        c->predicates++;
        if (!e->s || !*e->s)
            tc_err(c, e->path, AST_TEST_RULE_TITLE, NULL, "a predicate without a title");
        if (e->kind == AST_TEST_E_HTTP_ERROR && (e->status < 400 || e->status > 599))
            tc_err(c, e->path, AST_TEST_RULE_STATUS, NULL, "not an error status");
        if ((e->kind == AST_TEST_E_ERROR_PRED || e->kind == AST_TEST_E_HTTP_ERROR) && e->b2 &&
            e->b2->kind != AST_TEST_E_ARROW)
            tc_err(c, e->b2->path, "an arrowFunction", NULL, "the function of an error predicate");
        break;
    case AST_TEST_E_MAP:
    case AST_TEST_E_FILTER:
    case AST_TEST_E_SOME:
    case AST_TEST_E_EVERY:
    case AST_TEST_E_FIND:
    case AST_TEST_E_REPEAT:
        if (e->b2 && e->b2->kind != AST_TEST_E_ARROW)
            tc_err(c, e->b2->path, "an arrowFunction", NULL, "the function of an array helper");
        break;
    default:
        break;
    }
    tc_expr(c, e->a, 0);
    tc_expr(c, e->b2, 1);
    tc_expr(c, e->c, 0);
    for (i = 0; i < e->n_items; i++)
        tc_expr(c, e->items[i], 0);
    return NULL;
}

static void tc_api(tc_ctx *c, const ast_test_stmt *s)
{
    const ast_api_operation *op = ast_test_find_operation(c->api, s->method, s->endpoint);
    const ast_api_dto *resp = NULL;
    size_t i, k;
    c->calls++;
    for (i = 0; i < s->n_params; i++)
        tc_expr(c, s->param_values[i], 0);
    tc_expr(c, s->value, 0);
    if (!op) {
        tc_err(c, s->path, AST_TEST_RULE_ENDPOINT, s->endpoint, "no such operation");
        tc_declare(c, s->name, NULL, s->path);
        return;
    }
    for (i = 0; i < s->n_params; i++) {
        int found = 0;
        for (k = 0; k < op->n_parameters; k++)
            found |= strcmp(op->parameters[k].name, s->param_names[i]) == 0;
        if (!found)
            tc_err(c, s->param_values[i] ? s->param_values[i]->path : s->path, AST_TEST_RULE_PARAM,
                   s->param_names[i], "the operation has no such path parameter");
    }
    for (k = 0; k < op->n_parameters; k++) {
        int found = 0;
        for (i = 0; i < s->n_params; i++)
            found |= strcmp(op->parameters[k].name, s->param_names[i]) == 0;
        if (!found)
            tc_err(c, s->path, AST_TEST_RULE_PARAM_MISS, op->parameters[k].name, "a path parameter is missing");
    }
    if (!op->request_body != !s->value)
        tc_err(c, s->path, AST_TEST_RULE_BODY, NULL,
               op->request_body ? "the operation needs a body" : "the operation takes no body");
    if (op->request_body && s->value && s->value->kind == AST_TEST_E_OBJECT) {
        const ast_api_dto *req = tc_object(c->api, ast_api_find_schema(c->api, op->request_body->type_name));
        for (i = 0; req && i < s->value->n_items; i++)
            if (s->value->keys[i] && !tc_property(req, s->value->keys[i]))
                tc_err(c, s->value->items[i] ? s->value->items[i]->path : s->value->path, AST_TEST_RULE_BODY_PROP,
                       s->value->keys[i], "no such property in the request DTO");
    }
    if (op->response_body)
        resp = tc_object(c->api, ast_api_find_schema(c->api, op->response_body->type_name));
    else if (s->name)
        tc_err(c, s->path, AST_TEST_RULE_NO_RESP, s->name, "the operation returns no body");
    tc_declare(c, s->name, resp, s->path);
}

static void tc_block(tc_ctx *c, const ast_test_block *b)
{
    size_t i, saved = c->n_vars;
    c->depth++;
    for (i = 0; i < b->n && c->rc == BB_OK; i++) {
        const ast_test_stmt *s = b->items[i];
        if (!s)
            continue;
        switch (s->kind) {
        case AST_TEST_S_API:
            tc_api(c, s);
            break;
        case AST_TEST_S_VAR: {
            const ast_api_dto *d = tc_expr(c, s->value, 0);
            tc_declare(c, s->name, d, s->path);
            break;
        }
        case AST_TEST_S_EXPR:
            tc_expr(c, s->value, 0);
            break;
        case AST_TEST_S_RETURN:
            if (c->arrow_depth == 0)
                tc_err(c, s->path, AST_TEST_RULE_RETURN, NULL, "return outside an arrow function");
            tc_expr(c, s->value, 0);
            break;
        case AST_TEST_S_IF:
            tc_expr(c, s->value, 0);
            tc_block(c, &s->then_block);
            if (s->has_else)
                tc_block(c, &s->else_block);
            break;
        case AST_TEST_S_KIND_COUNT_:
            break;
        }
    }
    c->depth--;
    c->n_vars = saved;
}

bb_result ast_test_check(const ast_test_fn *fn, const ast_api_doc *api, schema_errors *errs)
{
    tc_ctx *c = bb_calloc(1, sizeof(*c));
    bb_result rc;
    if (!c)
        return BB_ERR_NOMEM;
    c->api = api;
    c->errs = errs;
    tc_block(c, &fn->statements);
    if (c->rc == BB_OK && !c->bad && c->calls == 0 && c->predicates == 0)
        tc_err(c, fn->statements.path ? fn->statements.path : "$input", AST_TEST_RULE_PREDICATE, NULL,
               "the test does nothing");
    rc = c->rc != BB_OK ? c->rc : c->bad ? BB_ERR_INVALID : BB_OK;
    bb_free(c);
    return rc;
}

bb_result ast_test_check_json(const json_t *doc, const ast_api_doc *api, ast_test_fn **out, schema_errors *errs)
{
    ast_test_fn *fn = NULL;
    bb_result rc;
    if (out)
        *out = NULL;
    rc = ast_test_load(doc, "$input", &fn, errs);
    if (rc != BB_OK)
        return rc;
    rc = ast_test_check(fn, api, errs);
    if (rc == BB_OK && out)
        *out = fn;
    else
        ast_test_free(fn);
    return rc;
}
