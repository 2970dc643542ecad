/*
 * ast_impl_text.c — the text form of the Impl AST (see ast_impl_text.h): a
 * printer over the typed AST and a recursive-descent parser that builds the
 * JSON document ast_impl_load reads. Nesting is capped (IT_MAX_DEPTH) so no
 * input can exhaust the stack; every syntax error carries line and column.
 */
#include "ast/ast_impl_text.h"

#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define IT_MAX_DEPTH 128 /* nesting of expressions, conditions and blocks */

static const char *const it_reserved[] = {
    "body", "principal", "param", "query", "true", "false", "null", "undefined", "findMany", "findFirst",
    "count", "create", "update", "delete", "and", "or", "not", "const", "let", "if", "else", "for", "of",
    "return", "throw", "do", "endpoint", "plan", NULL,
};

static int it_is_ident(const char *s)
{
    const char *p;

    if (!s || !((*s >= 'a' && *s <= 'z') || (*s >= 'A' && *s <= 'Z') || *s == '_'))
        return 0;
    for (p = s + 1; *p; p++) {
        if (!((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') || (*p >= '0' && *p <= '9') || *p == '_'))
            return 0;
    }
    return 1;
}

static int it_is_reserved(const char *s)
{
    size_t i;

    for (i = 0; it_reserved[i]; i++) {
        if (strcmp(it_reserved[i], s) == 0)
            return 1;
    }
    return 0;
}

/* ====================================================================== */
/* printer                                                                 */
/* ====================================================================== */

typedef struct ip_ctx {
    bb_buf *out;
    bb_result rc;
} ip_ctx;

static void ip_puts(ip_ctx *p, const char *s)
{
    if (p->rc == BB_OK)
        p->rc = bb_buf_puts(p->out, s);
}

static void ip_str(ip_ctx *p, const char *s, size_t n)
{
    if (p->rc == BB_OK)
        p->rc = bb_buf_put_json_string(p->out, s, n);
}

/* A variable or column name: must be an identifier and not reserved. */
static void ip_name(ip_ctx *p, const char *s)
{
    if (!it_is_ident(s) || it_is_reserved(s)) {
        if (p->rc == BB_OK)
            p->rc = BB_ERR_UNSUPPORTED;
        return;
    }
    ip_puts(p, s);
}

/* A table or column name: an identifier; reserved words are fine (they
 * stand where only a name can), except and/or/not at a condition's start. */
static void ip_column(ip_ctx *p, const char *s)
{
    if (!it_is_ident(s) || strcmp(s, "and") == 0 || strcmp(s, "or") == 0 || strcmp(s, "not") == 0) {
        if (p->rc == BB_OK)
            p->rc = BB_ERR_UNSUPPORTED;
        return;
    }
    ip_puts(p, s);
}

/* A property key: bare when an identifier, else a JSON string. */
static void ip_key(ip_ctx *p, const char *s)
{
    if (it_is_ident(s))
        ip_puts(p, s);
    else
        ip_str(p, s, strlen(s));
}

static void ip_indent(ip_ctx *p, int depth)
{
    int i;

    for (i = 0; i < depth; i++)
        ip_puts(p, "  ");
}

static int ip_prec(const ast_impl_expr *x)
{
    if (x->kind == AST_IMPL_E_CONDITIONAL || x->kind == AST_IMPL_E_LAMBDA)
        return 1;
    if (x->kind == AST_IMPL_E_UNARY)
        return 9;
    if (x->kind != AST_IMPL_E_BINARY)
        return 10;
    switch (x->binop) {
    case AST_IMPL_COALESCE: return 2;
    case AST_IMPL_OR: return 3;
    case AST_IMPL_AND: return 4;
    case AST_IMPL_EQ:
    case AST_IMPL_NE: return 5;
    case AST_IMPL_LT:
    case AST_IMPL_LE:
    case AST_IMPL_GT:
    case AST_IMPL_GE: return 6;
    case AST_IMPL_ADD:
    case AST_IMPL_SUB: return 7;
    default: return 8;
    }
}

static void ip_expr(ip_ctx *p, const ast_impl_expr *x, int min_prec);

static void ip_where(ip_ctx *p, const ast_impl_where *w)
{
    size_t i;

    switch (w->kind) {
    case AST_IMPL_W_AND:
    case AST_IMPL_W_OR:
        ip_puts(p, w->kind == AST_IMPL_W_AND ? "and(" : "or(");
        for (i = 0; i < w->n_items; i++) {
            if (i)
                ip_puts(p, ", ");
            ip_where(p, w->items[i]);
        }
        ip_puts(p, ")");
        break;
    case AST_IMPL_W_NOT:
        ip_puts(p, "not(");
        ip_where(p, w->inner);
        ip_puts(p, ")");
        break;
    default:
        ip_column(p, w->column);
        ip_puts(p, " ");
        ip_puts(p, ast_impl_cmp_name(w->op));
        if (w->value) {
            ip_puts(p, " ");
            ip_expr(p, w->value, 2);
        }
    }
}

static void ip_names(ip_ctx *p, const char *const *names, size_t n, int as_strings, int columns)
{
    size_t i;

    ip_puts(p, "[");
    for (i = 0; i < n; i++) {
        if (i)
            ip_puts(p, ", ");
        if (as_strings)
            ip_str(p, names[i], strlen(names[i]));
        else if (columns)
            ip_column(p, names[i]);
        else
            ip_name(p, names[i]);
    }
    ip_puts(p, "]");
}

static void ip_fields(ip_ctx *p, const ast_impl_field *f, size_t n)
{
    size_t i;

    ip_puts(p, "{");
    for (i = 0; i < n; i++) {
        ip_puts(p, i ? ", " : "");
        ip_key(p, f[i].name);
        ip_puts(p, ": ");
        ip_expr(p, f[i].value, 1);
    }
    ip_puts(p, "}");
}

static void ip_db(ip_ctx *p, const ast_impl_expr *x)
{
    size_t i;

    ip_puts(p, ast_impl_expr_kind_name(x->kind));
    ip_puts(p, "(");
    ip_column(p, x->s);
    if (x->where) {
        ip_puts(p, ", where: ");
        ip_where(p, x->where);
    }
    if (x->order) {
        ip_puts(p, ", orderBy: [");
        for (i = 0; i < x->n_order; i++) {
            const ast_impl_order *o = &x->order[i];

            ip_puts(p, i ? ", " : "");
            ip_expr(p, o->column, 2);
            if (o->direction) {
                ip_puts(p, " dir ");
                ip_expr(p, o->direction, 2);
            }
            if (o->nulls != AST_IMPL_NULLS_DEFAULT)
                ip_puts(p, o->nulls == AST_IMPL_NULLS_FIRST ? " nulls first" : " nulls last");
            if (o->rank) {
                ip_puts(p, " rank ");
                ip_names(p, o->rank, o->n_rank, 1, 0);
            }
        }
        ip_puts(p, "]");
    }
    if (x->skip) {
        ip_puts(p, ", skip: ");
        ip_expr(p, x->skip, 1);
    }
    if (x->take) {
        ip_puts(p, ", take: ");
        ip_expr(p, x->take, 1);
    }
    if (x->select) {
        ip_puts(p, ", select: ");
        ip_names(p, x->select, x->n_select, 0, 1);
    }
    if (x->kind == AST_IMPL_E_CREATE || x->kind == AST_IMPL_E_UPDATE) {
        ip_puts(p, ", data: ");
        ip_fields(p, x->fields, x->n_fields);
    }
    ip_puts(p, ")");
}

static void ip_number(ip_ctx *p, double n, int is_int)
{
    char tmp[40];

    if (is_int && fabs(n) < 9007199254740992.0)
        snprintf(tmp, sizeof tmp, "%.0f", n);
    else
        snprintf(tmp, sizeof tmp, "%.17g", n);
    ip_puts(p, tmp);
}

static void ip_input(ip_ctx *p, const char *root, const char *name)
{
    ip_puts(p, root);
    if (it_is_ident(name)) {
        ip_puts(p, ".");
        ip_puts(p, name);
    } else {
        ip_puts(p, "[");
        ip_str(p, name, strlen(name));
        ip_puts(p, "]");
    }
}

static void ip_expr(ip_ctx *p, const ast_impl_expr *x, int min_prec)
{
    int prec = ip_prec(x);
    size_t i;

    if (p->rc != BB_OK)
        return;
    if (prec < min_prec)
        ip_puts(p, "(");
    switch (x->kind) {
    case AST_IMPL_E_STRING: ip_str(p, x->s, x->s_len); break;
    case AST_IMPL_E_NUMBER: ip_number(p, x->num, x->is_int); break;
    case AST_IMPL_E_BOOLEAN: ip_puts(p, x->b ? "true" : "false"); break;
    case AST_IMPL_E_NULL: ip_puts(p, "null"); break;
    case AST_IMPL_E_UNDEFINED: ip_puts(p, "undefined"); break;
    case AST_IMPL_E_OBJECT: ip_fields(p, x->fields, x->n_fields); break;
    case AST_IMPL_E_ARRAY:
        ip_puts(p, "[");
        for (i = 0; i < x->n_items; i++) {
            ip_puts(p, i ? ", " : "");
            ip_expr(p, x->items[i], 1);
        }
        ip_puts(p, "]");
        break;
    case AST_IMPL_E_IDENT: ip_name(p, x->s); break;
    case AST_IMPL_E_PATH_PARAM: ip_input(p, "param", x->s); break;
    case AST_IMPL_E_QUERY: ip_input(p, "query", x->s); break;
    case AST_IMPL_E_BODY: ip_puts(p, "body"); break;
    case AST_IMPL_E_PRINCIPAL: ip_puts(p, "principal"); break;
    case AST_IMPL_E_PROPERTY:
        ip_expr(p, x->a, 10);
        if (it_is_ident(x->s)) {
            ip_puts(p, ".");
            ip_puts(p, x->s);
        } else {
            ip_puts(p, "[");
            ip_str(p, x->s, strlen(x->s));
            ip_puts(p, "]");
        }
        break;
    case AST_IMPL_E_UNARY:
        ip_puts(p, x->unop == AST_IMPL_NOT ? "!" : "-");
        /* -(3) is the operator on a literal; -3 is the literal itself */
        ip_expr(p, x->a, x->unop == AST_IMPL_NEG && x->a->kind == AST_IMPL_E_NUMBER ? 11 : 9);
        break;
    case AST_IMPL_E_BINARY:
        ip_expr(p, x->a, prec);
        ip_puts(p, " ");
        ip_puts(p, ast_impl_binop_name(x->binop));
        ip_puts(p, " ");
        ip_expr(p, x->b2, prec + 1);
        break;
    case AST_IMPL_E_CONDITIONAL:
        ip_expr(p, x->a, 2);
        ip_puts(p, " ? ");
        ip_expr(p, x->b2, 1);
        ip_puts(p, " : ");
        ip_expr(p, x->c, 1);
        break;
    case AST_IMPL_E_CALL:
        ip_puts(p, ast_impl_builtin_name(x->fn));
        ip_puts(p, "(");
        for (i = 0; i < x->n_items; i++) {
            ip_puts(p, i ? ", " : "");
            ip_expr(p, x->items[i], 1);
        }
        ip_puts(p, ")");
        break;
    case AST_IMPL_E_LAMBDA:
        ip_puts(p, "(");
        for (i = 0; i < x->n_params; i++) {
            ip_puts(p, i ? ", " : "");
            ip_name(p, x->params[i]);
        }
        ip_puts(p, ") => ");
        ip_expr(p, x->a, 1);
        break;
    default: ip_db(p, x); break;
    }
    if (prec < min_prec)
        ip_puts(p, ")");
}

static void ip_block(ip_ctx *p, const ast_impl_block *b, int depth);

static void ip_stmt(ip_ctx *p, const ast_impl_stmt *s, int depth)
{
    char num[16];

    ip_indent(p, depth);
    switch (s->kind) {
    case AST_IMPL_S_CONST:
    case AST_IMPL_S_LET:
        ip_puts(p, s->kind == AST_IMPL_S_CONST ? "const " : "let ");
        /* fall through */
    case AST_IMPL_S_ASSIGN:
        ip_name(p, s->name);
        ip_puts(p, " = ");
        ip_expr(p, s->value, 1);
        break;
    case AST_IMPL_S_IF:
        ip_puts(p, "if ");
        ip_expr(p, s->value, s->value->kind == AST_IMPL_E_OBJECT ? 11 : 1);
        ip_puts(p, " {\n");
        ip_block(p, &s->then_block, depth + 1);
        ip_indent(p, depth);
        ip_puts(p, "}");
        if (s->has_else) {
            ip_puts(p, " else {\n");
            ip_block(p, &s->else_block, depth + 1);
            ip_indent(p, depth);
            ip_puts(p, "}");
        }
        break;
    case AST_IMPL_S_FOR_EACH:
        ip_puts(p, "for ");
        ip_name(p, s->name);
        ip_puts(p, " of ");
        ip_expr(p, s->value, s->value->kind == AST_IMPL_E_OBJECT ? 11 : 1);
        ip_puts(p, " {\n");
        ip_block(p, &s->body, depth + 1);
        ip_indent(p, depth);
        ip_puts(p, "}");
        break;
    case AST_IMPL_S_RETURN:
    case AST_IMPL_S_THROW:
        snprintf(num, sizeof num, "%d", s->status);
        ip_puts(p, s->kind == AST_IMPL_S_RETURN ? "return " : "throw ");
        ip_puts(p, num);
        if (s->value) {
            ip_puts(p, " ");
            ip_expr(p, s->value, 1);
        }
        break;
    default:
        ip_puts(p, "do ");
        ip_expr(p, s->value, 1);
    }
    ip_puts(p, "\n");
}

static void ip_block(ip_ctx *p, const ast_impl_block *b, int depth)
{
    size_t i;

    for (i = 0; i < b->n; i++)
        ip_stmt(p, b->items[i], depth);
}

bb_result ast_impl_text_print(const ast_impl_op *op, bb_buf *out)
{
    ip_ctx p;

    p.out = out;
    p.rc = BB_OK;
    ip_puts(&p, "endpoint ");
    ip_puts(&p, ast_impl_method_name(op->method));
    ip_puts(&p, " ");
    if (strchr(op->path, '\n') || strchr(op->path, ' '))
        return BB_ERR_UNSUPPORTED;
    ip_puts(&p, op->path);
    ip_puts(&p, "\nplan ");
    ip_str(&p, op->plan ? op->plan : "", op->plan ? strlen(op->plan) : 0);
    ip_puts(&p, "\n");
    ip_block(&p, &op->statements, 0);
    return p.rc;
}

/* ====================================================================== */
/* parser                                                                  */
/* ====================================================================== */

typedef enum it_tok_kind { IT_EOF = 0, IT_NL, IT_IDENT, IT_NUMBER, IT_STRING, IT_PUNCT } it_tok_kind;

typedef struct it_tok {
    it_tok_kind kind;
    const char *s; /* start in the text */
    size_t len;
    int line, col;
} it_tok;

typedef struct it_ctx {
    const char *text;
    size_t len, pos;
    int line, col;
    it_tok tok;    /* current token */
    int nl_skip;   /* > 0: inside brackets of an expression, newlines are spaces */
    int depth;
    bb_buf *err;
    int failed;
} it_ctx;

static void it_fail(it_ctx *c, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static void it_fail(it_ctx *c, const char *fmt, ...)
{
    va_list ap;

    if (c->failed)
        return;
    c->failed = 1;
    if (!c->err)
        return;
    (void)bb_buf_printf(c->err, "line %d, column %d: ", c->tok.line, c->tok.col);
    va_start(ap, fmt);
    (void)bb_buf_vprintf(c->err, fmt, ap);
    va_end(ap);
}

static void it_lex(it_ctx *c)
{
    static const char *const two[] = {"=>", "==", "!=", "<=", ">=", "&&", "||", "??", NULL};
    const char *t = c->text;
    size_t i;

    for (;;) {
        while (c->pos < c->len && (t[c->pos] == ' ' || t[c->pos] == '\t' || t[c->pos] == '\r')) {
            c->pos++;
            c->col++;
        }
        if (c->pos < c->len && t[c->pos] == '#') {
            while (c->pos < c->len && t[c->pos] != '\n')
                c->pos++;
        }
        if (c->pos < c->len && t[c->pos] == '\n' && c->nl_skip > 0) {
            c->pos++;
            c->line++;
            c->col = 1;
            continue;
        }
        break;
    }
    c->tok.s = t + c->pos;
    c->tok.line = c->line;
    c->tok.col = c->col;
    c->tok.len = 0;
    if (c->pos >= c->len) {
        c->tok.kind = IT_EOF;
        return;
    }
    if (t[c->pos] == '\n') {
        c->tok.kind = IT_NL;
        c->tok.len = 1;
        c->pos++;
        c->line++;
        c->col = 1;
        return;
    }
    if ((t[c->pos] >= 'a' && t[c->pos] <= 'z') || (t[c->pos] >= 'A' && t[c->pos] <= 'Z') || t[c->pos] == '_') {
        c->tok.kind = IT_IDENT;
        while (c->pos + c->tok.len < c->len) {
            char ch = t[c->pos + c->tok.len];

            if (!((ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') || (ch >= '0' && ch <= '9') || ch == '_'))
                break;
            c->tok.len++;
        }
    } else if (t[c->pos] >= '0' && t[c->pos] <= '9') {
        c->tok.kind = IT_NUMBER;
        while (c->pos + c->tok.len < c->len) {
            char ch = t[c->pos + c->tok.len];

            if (!((ch >= '0' && ch <= '9') || ch == '.' || ch == 'e' || ch == 'E' ||
                  ((ch == '+' || ch == '-') && (t[c->pos + c->tok.len - 1] == 'e' || t[c->pos + c->tok.len - 1] == 'E'))))
                break;
            c->tok.len++;
        }
    } else if (t[c->pos] == '"') {
        c->tok.kind = IT_STRING;
        c->tok.len = 1;
        while (c->pos + c->tok.len < c->len && t[c->pos + c->tok.len] != '"' && t[c->pos + c->tok.len] != '\n') {
            if (t[c->pos + c->tok.len] == '\\' && c->pos + c->tok.len + 1 < c->len)
                c->tok.len++;
            c->tok.len++;
        }
        if (c->pos + c->tok.len >= c->len || t[c->pos + c->tok.len] != '"') {
            it_fail(c, "unterminated string");
            c->tok.kind = IT_EOF;
            return;
        }
        c->tok.len++;
    } else {
        c->tok.kind = IT_PUNCT;
        c->tok.len = 1;
        for (i = 0; two[i]; i++) {
            if (c->pos + 1 < c->len && t[c->pos] == two[i][0] && t[c->pos + 1] == two[i][1])
                c->tok.len = 2;
        }
        if (c->tok.len == 1 && !strchr("()[]{},:.?<>+-*/%!=", t[c->pos])) {
            it_fail(c, "unexpected character '%c'", t[c->pos]);
            c->tok.kind = IT_EOF;
            return;
        }
    }
    c->pos += c->tok.len;
    c->col += (int)c->tok.len;
}

static int it_is(const it_ctx *c, it_tok_kind k, const char *s)
{
    return c->tok.kind == k && (!s || (strlen(s) == c->tok.len && memcmp(c->tok.s, s, c->tok.len) == 0));
}

static int it_accept(it_ctx *c, it_tok_kind k, const char *s)
{
    if (c->failed || !it_is(c, k, s))
        return 0;
    it_lex(c);
    return 1;
}

static int it_expect(it_ctx *c, it_tok_kind k, const char *s, const char *what)
{
    if (it_accept(c, k, s))
        return 1;
    it_fail(c, "expected %s", what);
    return 0;
}

/* The current identifier as a JSON string, then advance. */
static json_t *it_ident(it_ctx *c, const char *what)
{
    json_t *j;

    if (c->tok.kind != IT_IDENT) {
        it_fail(c, "expected %s", what);
        return NULL;
    }
    j = json_stringn(c->tok.s, c->tok.len);
    it_lex(c);
    return j;
}

/* A variable name: an identifier that is not reserved. */
static json_t *it_var(it_ctx *c)
{
    char name[64];

    if (c->tok.kind == IT_IDENT) {
        snprintf(name, sizeof name, "%.*s", (int)(c->tok.len < 63 ? c->tok.len : 63), c->tok.s);
        if (it_is_reserved(name)) {
            it_fail(c, "%s is a reserved word, not a variable name", name);
            return NULL;
        }
    }
    return it_ident(c, "a variable name");
}

/* Decodes the current string token (JSON escapes) via jansson. */
static json_t *it_string(it_ctx *c)
{
    json_t *j;

    if (c->tok.kind != IT_STRING) {
        it_fail(c, "expected a string");
        return NULL;
    }
    j = json_loadb(c->tok.s, c->tok.len, JSON_DECODE_ANY | JSON_ALLOW_NUL, NULL);
    if (!json_is_string(j)) {
        json_decref(j);
        it_fail(c, "bad string literal");
        return NULL;
    }
    it_lex(c);
    return j;
}

static json_t *it_node(const char *type)
{
    return json_pack("{ss}", "type", type);
}

/* Sets key of obj to v (stolen); fails the parse on NULL. */
static void it_set(it_ctx *c, json_t *obj, const char *key, json_t *v)
{
    if (!v) {
        if (!c->failed)
            it_fail(c, "out of memory");
        return;
    }
    if (!obj || json_object_set_new(obj, key, v) != 0)
        it_fail(c, "out of memory");
}

static json_t *it_expr(it_ctx *c, int min_prec);
static json_t *it_where(it_ctx *c);

static int it_enter(it_ctx *c)
{
    if (++c->depth > IT_MAX_DEPTH) {
        it_fail(c, "nested too deeply (at most %d levels)", IT_MAX_DEPTH);
        return 0;
    }
    return 1;
}

/* Comma-separated items until close; item parser per kind. */
static json_t *it_list(it_ctx *c, const char *close, json_t *(*item)(it_ctx *, int), int arg)
{
    json_t *arr = json_array();

    c->nl_skip++;
    while (arr && !c->failed && !it_is(c, IT_PUNCT, close)) {
        json_t *v = item(c, arg);

        if (!v || json_array_append_new(arr, v) != 0)
            break;
        if (!it_accept(c, IT_PUNCT, ","))
            break;
    }
    c->nl_skip--;
    if (!c->failed)
        (void)it_expect(c, IT_PUNCT, close, close);
    if (c->failed) {
        json_decref(arr);
        return NULL;
    }
    return arr;
}

static json_t *it_string_item(it_ctx *c, int arg)
{
    (void)arg;
    return it_string(c);
}

static json_t *it_ident_item(it_ctx *c, int arg)
{
    return arg ? it_var(c) : it_ident(c, "a name");
}

static json_t *it_where_item(it_ctx *c, int arg)
{
    (void)arg;
    return it_where(c);
}

static json_t *it_expr_item(it_ctx *c, int arg)
{
    return it_expr(c, arg);
}

/* {key: E, ...} as a JSON object of expressions. */
static json_t *it_fields(it_ctx *c)
{
    json_t *obj = json_object();

    if (!it_expect(c, IT_PUNCT, "{", "{")) {
        json_decref(obj);
        return NULL;
    }
    c->nl_skip++;
    while (obj && !c->failed && !it_is(c, IT_PUNCT, "}")) {
        json_t *k = c->tok.kind == IT_STRING ? it_string(c) : it_ident(c, "a property name");
        json_t *v;

        if (!k)
            break;
        if (!it_expect(c, IT_PUNCT, ":", ":")) {
            json_decref(k);
            break;
        }
        v = it_expr(c, 1);
        if (v)
            it_set(c, obj, json_string_value(k), v);
        json_decref(k);
        if (!v || !it_accept(c, IT_PUNCT, ","))
            break;
    }
    c->nl_skip--;
    if (!c->failed)
        (void)it_expect(c, IT_PUNCT, "}", "}");
    if (c->failed) {
        json_decref(obj);
        return NULL;
    }
    return obj;
}

static json_t *it_where(it_ctx *c)
{
    json_t *w = NULL;

    if (!it_enter(c))
        return NULL;
    if (it_is(c, IT_IDENT, "and") || it_is(c, IT_IDENT, "or")) {
        w = it_node(it_is(c, IT_IDENT, "and") ? "and" : "or");
        it_lex(c);
        if (it_expect(c, IT_PUNCT, "(", "("))
            it_set(c, w, "conditions", it_list(c, ")", it_where_item, 0));
    } else if (it_accept(c, IT_IDENT, "not")) {
        w = it_node("not");
        if (it_expect(c, IT_PUNCT, "(", "(")) {
            c->nl_skip++;
            it_set(c, w, "condition", it_where(c));
            c->nl_skip--;
            (void)it_expect(c, IT_PUNCT, ")", ")");
        }
    } else {
        json_t *col = it_ident(c, "a column name, and(, or( or not(");
        json_t *op = NULL;
        size_t k;

        for (k = 0; col && !op && c->tok.kind == IT_IDENT && k < AST_IMPL_CMP_COUNT_; k++) {
            const char *n = ast_impl_cmp_name((ast_impl_cmp)k);

            if (strlen(n) == c->tok.len && memcmp(n, c->tok.s, c->tok.len) == 0)
                op = it_ident(c, "a comparison");
        }
        if (col && !op && c->tok.kind == IT_IDENT)
            it_fail(c, "unknown comparison %.*s", (int)(c->tok.len < 40 ? c->tok.len : 40), c->tok.s);
        else if (col && !op)
            it_fail(c, "expected a comparison (eq, ne, lt, lte, gt, gte, contains, startsWith, in, isNull)");
        w = it_node("compare");
        it_set(c, w, "column", col);
        it_set(c, w, "op", op);
        if (!c->failed && !(op && strcmp(json_string_value(op), "isNull") == 0 &&
                            (it_is(c, IT_PUNCT, ",") || it_is(c, IT_PUNCT, ")"))))
            it_set(c, w, "value", it_expr(c, 2));
    }
    c->depth--;
    if (c->failed) {
        json_decref(w);
        return NULL;
    }
    return w;
}

static json_t *it_order_item(it_ctx *c, int arg)
{
    json_t *o = json_object();

    (void)arg;
    it_set(c, o, "column", it_expr(c, 2));
    if (it_accept(c, IT_IDENT, "dir"))
        it_set(c, o, "direction", it_expr(c, 2));
    if (it_accept(c, IT_IDENT, "nulls")) {
        if (it_is(c, IT_IDENT, "first") || it_is(c, IT_IDENT, "last"))
            it_set(c, o, "nulls", it_ident(c, "first or last"));
        else
            it_fail(c, "expected first or last");
    }
    if (it_accept(c, IT_IDENT, "rank") && it_expect(c, IT_PUNCT, "[", "["))
        it_set(c, o, "rank", it_list(c, "]", it_string_item, 0));
    if (c->failed) {
        json_decref(o);
        return NULL;
    }
    return o;
}

/* findMany(table, where: .., orderBy: [..], skip: E, take: E, select: [..], data: {..}) */
static json_t *it_db(it_ctx *c, const char *kind)
{
    json_t *x = it_node(kind);

    c->nl_skip++;
    it_set(c, x, "table", it_ident(c, "a table name"));
    while (!c->failed && it_accept(c, IT_PUNCT, ",")) {
        static const char *const clauses[] = {"where", "orderBy", "skip", "take", "select", "data", NULL};
        json_t *k = NULL;
        const char *key = "";
        size_t i;

        for (i = 0; !k && c->tok.kind == IT_IDENT && clauses[i]; i++) {
            if (strlen(clauses[i]) == c->tok.len && memcmp(clauses[i], c->tok.s, c->tok.len) == 0)
                k = it_ident(c, "a clause");
        }
        if (!k) {
            it_fail(c, "unknown clause %.*s (where, orderBy, skip, take, select, data)",
                    (int)(c->tok.len < 40 ? c->tok.len : 40), c->tok.s);
            break;
        }
        key = json_string_value(k);

        if (k && it_expect(c, IT_PUNCT, ":", ":")) {
            if (strcmp(key, "where") == 0)
                it_set(c, x, "where", it_where(c));
            else if (strcmp(key, "orderBy") == 0 && it_expect(c, IT_PUNCT, "[", "["))
                it_set(c, x, "orderBy", it_list(c, "]", it_order_item, 0));
            else if (strcmp(key, "skip") == 0 || strcmp(key, "take") == 0)
                it_set(c, x, key, it_expr(c, 1));
            else if (strcmp(key, "select") == 0 && it_expect(c, IT_PUNCT, "[", "["))
                it_set(c, x, "select", it_list(c, "]", it_ident_item, 0));
            else if (strcmp(key, "data") == 0)
                it_set(c, x, "data", it_fields(c));
        }
        json_decref(k);
    }
    c->nl_skip--;
    if (!c->failed)
        (void)it_expect(c, IT_PUNCT, ")", ")");
    if (c->failed) {
        json_decref(x);
        return NULL;
    }
    return x;
}

static int it_lambda_ahead(const it_ctx *c)
{
    /* ( ident [, ident] ) => : scan the raw text from the current token */
    const char *p = c->tok.s + 1, *end = c->text + c->len;
    int names = 0;

    for (;;) {
        while (p < end && (*p == ' ' || *p == '\t'))
            p++;
        if (p < end && ((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') || *p == '_')) {
            while (p < end && ((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') || (*p >= '0' && *p <= '9') ||
                               *p == '_'))
                p++;
            names++;
        } else {
            return 0;
        }
        while (p < end && (*p == ' ' || *p == '\t'))
            p++;
        if (p < end && *p == ',') {
            p++;
            continue;
        }
        if (p < end && *p == ')') {
            p++;
            while (p < end && (*p == ' ' || *p == '\t'))
                p++;
            return names > 0 && p + 1 < end && p[0] == '=' && p[1] == '>';
        }
        return 0;
    }
}

static json_t *it_primary(it_ctx *c)
{
    json_t *x = NULL;
    char name[64];
    size_t k;

    if (c->tok.kind == IT_STRING) {
        x = it_node("stringLiteral");
        it_set(c, x, "value", it_string(c));
    } else if (c->tok.kind == IT_NUMBER) {
        char tmp[64];
        char *end;
        double v;
        int is_int = 1;

        if (c->tok.len >= sizeof tmp) {
            it_fail(c, "number too long");
            return NULL;
        }
        memcpy(tmp, c->tok.s, c->tok.len);
        tmp[c->tok.len] = '\0';
        v = strtod(tmp, &end);
        if (*end != '\0' || !isfinite(v)) {
            it_fail(c, "bad number %s", tmp);
            return NULL;
        }
        for (k = 0; k < c->tok.len; k++) {
            if (tmp[k] == '.' || tmp[k] == 'e' || tmp[k] == 'E')
                is_int = 0;
        }
        x = it_node("numberLiteral");
        it_set(c, x, "value", is_int && fabs(v) < 9007199254740992.0 ? json_integer((json_int_t)v) : json_real(v));
        it_lex(c);
    } else if (it_is(c, IT_PUNCT, "(")) {
        if (it_lambda_ahead(c)) {
            it_lex(c);
            x = it_node("lambda");
            it_set(c, x, "params", it_list(c, ")", it_ident_item, 1));
            if (!c->failed && it_expect(c, IT_PUNCT, "=>", "=>"))
                it_set(c, x, "body", it_expr(c, 1));
        } else {
            it_lex(c);
            c->nl_skip++;
            x = it_expr(c, 1);
            c->nl_skip--;
            if (!c->failed)
                (void)it_expect(c, IT_PUNCT, ")", ")");
        }
    } else if (it_accept(c, IT_PUNCT, "[")) {
        x = it_node("arrayLiteral");
        it_set(c, x, "elements", it_list(c, "]", it_expr_item, 1));
    } else if (it_is(c, IT_PUNCT, "{")) {
        x = it_node("objectLiteral");
        it_set(c, x, "properties", it_fields(c));
    } else if (c->tok.kind == IT_IDENT) {
        snprintf(name, sizeof name, "%.*s", (int)(c->tok.len < 63 ? c->tok.len : 63), c->tok.s);
        it_lex(c);
        if (strcmp(name, "true") == 0 || strcmp(name, "false") == 0) {
            x = it_node("booleanLiteral");
            it_set(c, x, "value", json_boolean(name[0] == 't'));
        } else if (strcmp(name, "null") == 0 || strcmp(name, "undefined") == 0) {
            x = it_node(name[0] == 'n' ? "nullLiteral" : "undefinedLiteral");
        } else if (strcmp(name, "body") == 0 || strcmp(name, "principal") == 0) {
            x = it_node(name);
        } else if (strcmp(name, "param") == 0 || strcmp(name, "query") == 0) {
            x = it_node(name[0] == 'p' ? "pathParam" : "query");
            if (it_accept(c, IT_PUNCT, "."))
                it_set(c, x, "name", it_ident(c, "a parameter name"));
            else if (it_expect(c, IT_PUNCT, "[", ". or [")) {
                it_set(c, x, "name", it_string(c));
                (void)it_expect(c, IT_PUNCT, "]", "]");
            }
        } else if (it_is(c, IT_PUNCT, "(")) {
            int db = strcmp(name, "findMany") == 0 || strcmp(name, "findFirst") == 0 || strcmp(name, "count") == 0 ||
                     strcmp(name, "create") == 0 || strcmp(name, "update") == 0 || strcmp(name, "delete") == 0;

            it_lex(c);
            if (db) {
                x = it_db(c, name);
            } else {
                x = it_node("call");
                it_set(c, x, "function", json_string(name));
                it_set(c, x, "arguments", it_list(c, ")", it_expr_item, 1));
            }
        } else if (it_accept(c, IT_PUNCT, "=>")) {
            x = it_node("lambda");
            it_set(c, x, "params", json_pack("[s]", name));
            it_set(c, x, "body", it_expr(c, 1));
        } else if (it_is_reserved(name) || strlen(name) >= 63) {
            it_fail(c, "%s cannot be used here", name);
        } else {
            x = it_node("identifier");
            it_set(c, x, "name", json_string(name));
        }
    } else {
        it_fail(c, "expected an expression");
    }
    if (c->failed) {
        json_decref(x);
        return NULL;
    }
    return x;
}

static json_t *it_postfix(it_ctx *c)
{
    json_t *x = it_primary(c);

    while (x && !c->failed) {
        json_t *p;

        if (it_accept(c, IT_PUNCT, ".")) {
            p = it_node("propertyAccess");
            it_set(c, p, "object", x);
            it_set(c, p, "name", it_ident(c, "a property name"));
        } else if (it_accept(c, IT_PUNCT, "[")) {
            p = it_node("propertyAccess");
            it_set(c, p, "object", x);
            it_set(c, p, "name", it_string(c));
            (void)it_expect(c, IT_PUNCT, "]", "]");
        } else {
            break;
        }
        x = p;
    }
    if (c->failed) {
        json_decref(x);
        return NULL;
    }
    return x;
}

static int it_binop_prec(const it_ctx *c, int *op)
{
    size_t k;

    if (c->tok.kind != IT_PUNCT)
        return 0;
    for (k = 0; k < AST_IMPL_BINOP_COUNT_; k++) {
        const char *n = ast_impl_binop_name((ast_impl_binop)k);

        if (strlen(n) == c->tok.len && memcmp(n, c->tok.s, c->tok.len) == 0) {
            *op = (int)k;
            switch ((ast_impl_binop)k) {
            case AST_IMPL_COALESCE: return 2;
            case AST_IMPL_OR: return 3;
            case AST_IMPL_AND: return 4;
            case AST_IMPL_EQ:
            case AST_IMPL_NE: return 5;
            case AST_IMPL_LT:
            case AST_IMPL_LE:
            case AST_IMPL_GT:
            case AST_IMPL_GE: return 6;
            case AST_IMPL_ADD:
            case AST_IMPL_SUB: return 7;
            default: return 8;
            }
        }
    }
    return 0;
}

static json_t *it_unary(it_ctx *c)
{
    json_t *x;

    if (it_is(c, IT_PUNCT, "!") || it_is(c, IT_PUNCT, "-")) {
        const char *op = it_is(c, IT_PUNCT, "!") ? "!" : "-";

        if (!it_enter(c))
            return NULL;
        it_lex(c);
        if (op[0] == '-' && c->tok.kind == IT_NUMBER) { /* a negative literal */
            x = it_primary(c);
            if (x) {
                json_t *v = json_object_get(x, "value");

                it_set(c, x, "value", json_is_integer(v) ? json_integer(-json_integer_value(v))
                                                         : json_real(-json_number_value(v)));
            }
            c->depth--;
            return x;
        }
        x = it_node("unary");
        it_set(c, x, "operator", json_string(op));
        it_set(c, x, "operand", it_unary(c));
        c->depth--;
        if (c->failed) {
            json_decref(x);
            return NULL;
        }
        return x;
    }
    return it_postfix(c);
}

static json_t *it_expr(it_ctx *c, int min_prec)
{
    json_t *x;
    int op, prec;

    if (!it_enter(c))
        return NULL;
    x = it_unary(c);
    while (x && !c->failed) {
        prec = it_binop_prec(c, &op);
        if (prec == 0 || prec < min_prec)
            break;
        it_lex(c);
        {
            json_t *b = it_node("binary");

            it_set(c, b, "operator", json_string(ast_impl_binop_name((ast_impl_binop)op)));
            it_set(c, b, "left", x);
            it_set(c, b, "right", it_expr(c, prec + 1));
            x = b;
        }
    }
    if (x && !c->failed && min_prec <= 1 && it_accept(c, IT_PUNCT, "?")) {
        json_t *q = it_node("conditional");

        it_set(c, q, "test", x);
        c->nl_skip++;
        it_set(c, q, "consequent", it_expr(c, 1));
        if (!c->failed)
            (void)it_expect(c, IT_PUNCT, ":", ":");
        c->nl_skip--;
        it_set(c, q, "alternate", it_expr(c, 1));
        x = q;
    }
    c->depth--;
    if (c->failed) {
        json_decref(x);
        return NULL;
    }
    return x;
}

/* ---- statements --------------------------------------------------------------- */

static json_t *it_block(it_ctx *c, int top);

static void it_end_of_line(it_ctx *c)
{
    if (!c->failed && !it_accept(c, IT_NL, NULL) && !it_is(c, IT_EOF, NULL))
        it_fail(c, "expected the end of the line");
}

static int it_status(it_ctx *c, json_t *s)
{
    char tmp[8];

    if (c->tok.kind != IT_NUMBER || c->tok.len > 3) {
        it_fail(c, "expected an HTTP status");
        return 0;
    }
    snprintf(tmp, sizeof tmp, "%.*s", (int)c->tok.len, c->tok.s);
    it_set(c, s, "status", json_integer(strtol(tmp, NULL, 10)));
    it_lex(c);
    return 1;
}

/* A braced block after `if`/`for`: `{` NL statements `}`. */
static json_t *it_braced(it_ctx *c)
{
    json_t *b;

    if (!it_expect(c, IT_PUNCT, "{", "{") || !it_expect(c, IT_NL, NULL, "a new line after {"))
        return NULL;
    b = it_block(c, 0);
    if (!c->failed && !it_expect(c, IT_PUNCT, "}", "}")) {
        json_decref(b);
        return NULL;
    }
    return b;
}

static json_t *it_stmt(it_ctx *c)
{
    json_t *s = NULL;

    if (!it_enter(c))
        return NULL;
    if (it_is(c, IT_IDENT, "const") || it_is(c, IT_IDENT, "let")) {
        s = it_node(it_is(c, IT_IDENT, "const") ? "const" : "let");
        it_lex(c);
        it_set(c, s, "name", it_var(c));
        if (it_expect(c, IT_PUNCT, "=", "="))
            it_set(c, s, "value", it_expr(c, 1));
    } else if (it_accept(c, IT_IDENT, "if")) {
        s = it_node("if");
        it_set(c, s, "condition", it_expr(c, 1));
        if (!c->failed)
            it_set(c, s, "then", it_braced(c));
        if (!c->failed && it_accept(c, IT_IDENT, "else"))
            it_set(c, s, "else", it_braced(c));
    } else if (it_accept(c, IT_IDENT, "for")) {
        s = it_node("forEach");
        it_set(c, s, "variable", it_var(c));
        if (it_expect(c, IT_IDENT, "of", "of"))
            it_set(c, s, "array", it_expr(c, 1));
        if (!c->failed)
            it_set(c, s, "body", it_braced(c));
    } else if (it_is(c, IT_IDENT, "return") || it_is(c, IT_IDENT, "throw")) {
        int ret = it_is(c, IT_IDENT, "return");

        s = it_node(ret ? "return" : "throw");
        it_lex(c);
        if (it_status(c, s) && (!ret || !(it_is(c, IT_NL, NULL) || it_is(c, IT_EOF, NULL) || it_is(c, IT_PUNCT, "}"))))
            it_set(c, s, ret ? "body" : "message", it_expr(c, 1));
    } else if (it_accept(c, IT_IDENT, "do")) {
        s = it_node("expression");
        it_set(c, s, "expression", it_expr(c, 1));
    } else if (c->tok.kind == IT_IDENT) {
        s = it_node("assign");
        it_set(c, s, "name", it_var(c));
        if (it_expect(c, IT_PUNCT, "=", "="))
            it_set(c, s, "value", it_expr(c, 1));
    } else {
        it_fail(c, "expected a statement");
    }
    c->depth--;
    if (c->failed) {
        json_decref(s);
        return NULL;
    }
    return s;
}

/* Statements until `}` (not consumed) or, at the top, EOF / `endpoint`. */
static json_t *it_block(it_ctx *c, int top)
{
    json_t *arr = json_array();

    if (!it_enter(c)) {
        json_decref(arr);
        return NULL;
    }
    while (arr && !c->failed) {
        json_t *s;

        while (it_accept(c, IT_NL, NULL))
            ;
        if (it_is(c, IT_EOF, NULL) || it_is(c, IT_PUNCT, "}") || (top && it_is(c, IT_IDENT, "endpoint")))
            break;
        s = it_stmt(c);
        if (!s || json_array_append_new(arr, s) != 0)
            break;
        if (!it_is(c, IT_PUNCT, "}"))
            it_end_of_line(c);
    }
    c->depth--;
    if (c->failed) {
        json_decref(arr);
        return NULL;
    }
    return arr;
}

static json_t *it_op(it_ctx *c)
{
    json_t *op = json_object(), *m;
    size_t start, end;

    it_lex(c); /* `endpoint` */
    m = it_ident(c, "a method (get, post, put, patch, delete)");
    /* the path: the raw rest of the line */
    start = (size_t)(c->tok.s - c->text);
    end = start;
    while (end < c->len && c->text[end] != '\n' && c->text[end] != ' ' && c->text[end] != '\t' &&
           c->text[end] != '\r')
        end++;
    if (!c->failed && (c->tok.kind == IT_NL || c->tok.kind == IT_EOF || end == start))
        it_fail(c, "expected a path");
    if (!c->failed) {
        c->col = c->tok.col + (int)(end - start);
        c->pos = end;
        it_set(c, op, "endpoint", json_pack("{s:s%,s:o}", "path", c->text + start, end - start, "method", m));
        m = NULL;
        it_lex(c);
        it_end_of_line(c);
    }
    json_decref(m);
    while (!c->failed && it_accept(c, IT_NL, NULL))
        ;
    if (!c->failed && it_accept(c, IT_IDENT, "plan")) {
        it_set(c, op, "plan", it_string(c));
        it_end_of_line(c);
    } else if (!c->failed) {
        it_set(c, op, "plan", json_string(""));
    }
    if (!c->failed)
        it_set(c, op, "statements", it_block(c, 1));
    if (!c->failed && it_is(c, IT_PUNCT, "}"))
        it_fail(c, "} without a matching {");
    if (c->failed) {
        json_decref(op);
        return NULL;
    }
    return op;
}

bb_result ast_impl_text_parse(const char *text, size_t len, json_t **out, bb_buf *err)
{
    it_ctx c;
    json_t *arr;

    *out = NULL;
    if (len > AST_IMPL_TEXT_MAX)
        return BB_ERR_LIMIT;
    if (memchr(text, '\0', len)) {
        if (err)
            (void)bb_buf_puts(err, "the text holds a NUL byte");
        return BB_ERR_PARSE;
    }
    memset(&c, 0, sizeof c);
    c.text = text;
    c.len = len;
    c.line = 1;
    c.col = 1;
    c.err = err;
    arr = json_array();
    if (!arr)
        return BB_ERR_NOMEM;
    it_lex(&c);
    while (!c.failed) {
        json_t *op;

        while (it_accept(&c, IT_NL, NULL))
            ;
        if (it_is(&c, IT_EOF, NULL))
            break;
        if (!it_is(&c, IT_IDENT, "endpoint")) {
            it_fail(&c, "expected `endpoint METHOD PATH`");
            break;
        }
        op = it_op(&c);
        if (!op || json_array_append_new(arr, op) != 0)
            break;
    }
    if (c.failed) {
        json_decref(arr);
        return BB_ERR_PARSE;
    }
    *out = arr;
    return BB_OK;
}
