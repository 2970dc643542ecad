/*
 * ast_test_text.c — parser and printer of the Test AST's text form
 * (ast_test_text.h; grammar in docs/ast-test.md).
 *
 * The parser is recursive descent over the bytes with a line/column
 * position; newlines end statements except inside brackets. It builds the
 * JSON document directly (jansson), so the loader's checks apply unchanged.
 * The printer walks the typed AST and writes the same forms back, with
 * parentheses wherever precedence needs them.
 */
#include "ast/ast_test_text.h"

#include <ctype.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ==== parser ================================================================= */

typedef struct tp {
    const char *s;
    size_t n, i;
    int nest;  /* >0: inside brackets, newlines are blanks */
    int depth; /* recursion guard */
    char msg[160];
    size_t err_at;
    int failed;
} tp;

static void tp_fail(tp *p, const char *msg)
{
    if (p->failed)
        return;
    p->failed = 1;
    p->err_at = p->i;
    snprintf(p->msg, sizeof(p->msg), "%s", msg);
}

static void tp_blank(tp *p)
{
    while (p->i < p->n) {
        char c = p->s[p->i];
        if (c == ' ' || c == '\t' || c == '\r' || (c == '\n' && p->nest > 0))
            p->i++;
        else if (c == '#') {
            while (p->i < p->n && p->s[p->i] != '\n')
                p->i++;
        } else
            break;
    }
}

/* Skips blanks, comments and newlines. */
static void tp_lines(tp *p)
{
    int saved = p->nest;
    p->nest = 1;
    tp_blank(p);
    p->nest = saved;
}

static int tp_peek(tp *p)
{
    tp_blank(p);
    return p->i < p->n ? (unsigned char)p->s[p->i] : -1;
}

static int tp_eat(tp *p, const char *tok)
{
    size_t k = strlen(tok);
    tp_blank(p);
    if (p->i + k <= p->n && memcmp(p->s + p->i, tok, k) == 0) {
        p->i += k;
        return 1;
    }
    return 0;
}

static void tp_expect(tp *p, const char *tok)
{
    if (!tp_eat(p, tok)) {
        char m[64];
        snprintf(m, sizeof(m), "expected %s", tok);
        tp_fail(p, m);
    }
}

static int tp_is_ident_start(int c)
{
    return c == '_' || c == '$' || isalpha(c);
}

/* Reads an identifier into buf; 0 when none. */
static int tp_ident(tp *p, char *buf, size_t cap)
{
    size_t k = 0;
    tp_blank(p);
    if (p->i >= p->n || !tp_is_ident_start((unsigned char)p->s[p->i]))
        return 0;
    while (p->i < p->n && (tp_is_ident_start((unsigned char)p->s[p->i]) || isdigit((unsigned char)p->s[p->i]))) {
        if (k + 1 >= cap) {
            tp_fail(p, "name too long");
            return 0;
        }
        buf[k++] = p->s[p->i++];
    }
    buf[k] = 0;
    return 1;
}

/* The identifier at the cursor, without consuming it. */
static int tp_word_is(tp *p, const char *w)
{
    size_t k = strlen(w);
    tp_blank(p);
    return p->i + k <= p->n && memcmp(p->s + p->i, w, k) == 0 &&
           (p->i + k == p->n || !(tp_is_ident_start((unsigned char)p->s[p->i + k]) ||
                                  isdigit((unsigned char)p->s[p->i + k])));
}

static int tp_word(tp *p, const char *w)
{
    if (!tp_word_is(p, w))
        return 0;
    p->i += strlen(w);
    return 1;
}

/* A double-quoted string with \" \\ \n \t \uXXXX (BMP) escapes. */
static json_t *tp_string(tp *p)
{
    char *buf;
    size_t k = 0;
    json_t *out = NULL;
    if (tp_peek(p) != '"') {
        tp_fail(p, "expected a string");
        return NULL;
    }
    p->i++;
    buf = malloc(p->n - p->i + 1);
    if (!buf) {
        tp_fail(p, "out of memory");
        return NULL;
    }
    while (p->i < p->n && p->s[p->i] != '"') {
        char c = p->s[p->i++];
        if (c == '\n') {
            p->i--;
            tp_fail(p, "newline in a string");
            goto out;
        }
        if (c == '\\' && p->i < p->n) {
            char e = p->s[p->i++];
            if (e == 'n')
                c = '\n';
            else if (e == 't')
                c = '\t';
            else if (e == 'u' && p->i + 4 <= p->n) {
                char hex[5];
                unsigned long cp;
                memcpy(hex, p->s + p->i, 4);
                hex[4] = 0;
                cp = strtoul(hex, NULL, 16);
                p->i += 4;
                if (cp == 0 || (cp >= 0xD800 && cp <= 0xDFFF)) {
                    tp_fail(p, "bad \\u escape");
                    goto out;
                }
                if (cp < 0x80)
                    buf[k++] = (char)cp;
                else if (cp < 0x800) {
                    buf[k++] = (char)(0xC0 | (cp >> 6));
                    buf[k++] = (char)(0x80 | (cp & 0x3F));
                } else {
                    buf[k++] = (char)(0xE0 | (cp >> 12));
                    buf[k++] = (char)(0x80 | ((cp >> 6) & 0x3F));
                    buf[k++] = (char)(0x80 | (cp & 0x3F));
                }
                continue;
            } else if (e == '"' || e == '\\')
                c = e;
            else {
                tp_fail(p, "unknown escape");
                goto out;
            }
        }
        buf[k++] = c;
    }
    if (p->i >= p->n) {
        tp_fail(p, "unterminated string");
        goto out;
    }
    p->i++;
    out = json_stringn(buf, k);
    if (!out)
        tp_fail(p, "not UTF-8");
out:
    free(buf);
    return out;
}

static json_t *tp_node(const char *type)
{
    return json_pack("{s:s}", "type", type);
}

static json_t *tp_expr(tp *p);
static json_t *tp_block(tp *p);

static int tp_enter(tp *p)
{
    if (++p->depth > AST_TEST_TEXT_MAX_NEST) {
        tp_fail(p, "nesting too deep");
        return 0;
    }
    return 1;
}

/* After the parameters and `=>`: an expression body or a { block }. */
static json_t *tp_arrow_body(tp *p, json_t *params)
{
    json_t *fn = tp_node("arrowFunction"), *body;
    json_object_set_new(fn, "parameters", params);
    if (tp_peek(p) == '{') {
        body = tp_block(p);
    } else {
        json_t *r = tp_node("returnStatement");
        json_object_set_new(r, "expression", tp_expr(p));
        body = json_array();
        json_array_append_new(body, r);
    }
    json_object_set_new(fn, "body", body ? body : json_array());
    return fn;
}

/* At "(": an arrow's parameter list if it is one ("(a, b) =>"), else 0. */
static int tp_is_arrow_parens(tp *p)
{
    size_t j = p->i + 1;
    while (j < p->n && (isalnum((unsigned char)p->s[j]) || p->s[j] == '_' || p->s[j] == ',' || p->s[j] == ' '))
        j++;
    if (j >= p->n || p->s[j] != ')')
        return 0;
    j++;
    while (j < p->n && p->s[j] == ' ')
        j++;
    return j + 1 < p->n && p->s[j] == '=' && p->s[j + 1] == '>';
}

static json_t *tp_args(tp *p, size_t min, size_t max)
{
    json_t *a = json_array();
    p->nest++;
    if (!tp_eat(p, ")")) {
        do {
            json_array_append_new(a, tp_expr(p));
        } while (!p->failed && tp_eat(p, ","));
        tp_expect(p, ")");
    }
    p->nest--;
    if (!p->failed && (json_array_size(a) < min || json_array_size(a) > max))
        tp_fail(p, "wrong number of arguments");
    return a;
}

static json_t *tp_primary(tp *p)
{
    int c = tp_peek(p);
    char name[AST_TEST_MAX_NAME + 1];
    json_t *e;
    size_t name_at;
    if (c == '"') {
        e = tp_node("stringLiteral");
        json_object_set_new(e, "value", tp_string(p));
        return e;
    }
    if (c >= '0' && c <= '9') {
        char *end;
        double v = strtod(p->s + p->i, &end);
        size_t used = (size_t)(end - (p->s + p->i));
        if (used == 0 || p->i + used > p->n || !isfinite(v)) {
            tp_fail(p, "bad number");
            return NULL;
        }
        p->i += used;
        e = tp_node("numericLiteral");
        json_object_set_new(e, "value", v == floor(v) && fabs(v) < 9e15 ? json_integer((json_int_t)v) : json_real(v));
        return e;
    }
    if (c == '(') {
        if (tp_is_arrow_parens(p)) {
            json_t *params = json_array();
            p->i++;
            while (!p->failed && !tp_eat(p, ")")) {
                if (!tp_ident(p, name, sizeof(name))) {
                    tp_fail(p, "expected a parameter name");
                    break;
                }
                json_array_append_new(params, json_string(name));
                tp_eat(p, ",");
            }
            tp_expect(p, "=>");
            return tp_arrow_body(p, params);
        }
        p->i++;
        p->nest++;
        e = tp_expr(p);
        tp_expect(p, ")");
        p->nest--;
        return e;
    }
    if (c == '[') {
        p->i++;
        p->nest++;
        e = tp_node("arrayLiteralExpression");
        json_object_set_new(e, "elements", json_array());
        if (!tp_eat(p, "]")) {
            do {
                json_array_append_new(json_object_get(e, "elements"), tp_expr(p));
            } while (!p->failed && tp_eat(p, ","));
            tp_expect(p, "]");
        }
        p->nest--;
        return e;
    }
    if (c == '{') {
        json_t *props = json_array();
        p->i++;
        p->nest++;
        e = tp_node("objectLiteralExpression");
        json_object_set_new(e, "properties", props);
        if (!tp_eat(p, "}")) {
            do {
                json_t *key, *prop = json_object();
                if (tp_peek(p) == '"')
                    key = tp_string(p);
                else
                    key = tp_ident(p, name, sizeof(name)) ? json_string(name) : NULL;
                if (!key) {
                    tp_fail(p, "expected a property name");
                    json_decref(prop);
                    break;
                }
                json_object_set_new(prop, "name", key);
                tp_expect(p, ":");
                json_object_set_new(prop, "value", tp_expr(p));
                json_array_append_new(props, prop);
            } while (!p->failed && tp_eat(p, ",") && tp_peek(p) != '}');
            tp_expect(p, "}");
        }
        p->nest--;
        return e;
    }
    tp_blank(p);
    name_at = p->i;
    if (!tp_ident(p, name, sizeof(name))) {
        tp_fail(p, "expected an expression");
        return NULL;
    }
    if (strcmp(name, "true") == 0 || strcmp(name, "false") == 0) {
        e = tp_node("booleanLiteral");
        json_object_set_new(e, "value", json_boolean(name[0] == 't'));
        return e;
    }
    if (strcmp(name, "null") == 0)
        return tp_node("nullLiteral");
    if (strcmp(name, "undefined") == 0)
        return tp_node("undefinedKeyword");
    if (tp_peek(p) == '=' && p->i + 1 < p->n && p->s[p->i + 1] == '>') {
        json_t *params = json_array();
        p->i += 2;
        json_array_append_new(params, json_string(name));
        return tp_arrow_body(p, params);
    }
    if (tp_peek(p) == '(') {
        json_t *args;
        p->i++;
        if (strcmp(name, "randomString") == 0) {
            args = tp_args(p, 0, 1);
            e = tp_node("stringRandom");
            if (json_array_size(args) == 1)
                json_object_set(e, "length", json_object_get(json_array_get(args, 0), "value"));
        } else if (strcmp(name, "randomInt") == 0) {
            args = tp_args(p, 2, 2);
            e = tp_node("integerRandom");
            json_object_set(e, "minimum", json_object_get(json_array_get(args, 0), "value"));
            json_object_set(e, "maximum", json_object_get(json_array_get(args, 1), "value"));
        } else if (strcmp(name, "randomUuid") == 0 || strcmp(name, "randomEmail") == 0) {
            args = tp_args(p, 0, 0);
            e = tp_node("formatRandom");
            json_object_set_new(e, "format", json_string(name[6] == 'U' ? "uuid" : "email"));
        } else if (strcmp(name, "repeat") == 0) {
            args = tp_args(p, 2, 2);
            e = tp_node("arrayRepeatExpression");
            json_object_set(e, "count", json_array_get(args, 0));
            json_object_set(e, "function", json_array_get(args, 1));
        } else {
            p->i = name_at;
            tp_fail(p, "unknown function");
            return NULL;
        }
        json_decref(args);
        return e;
    }
    e = tp_node("identifier");
    json_object_set_new(e, "text", json_string(name));
    return e;
}

static json_t *tp_postfix(tp *p)
{
    json_t *e = tp_primary(p);
    static const char *const helpers[][2] = {
        {"map", "arrayMapExpression"}, {"filter", "arrayFilterExpression"}, {"some", "arraySomeExpression"},
        {"every", "arrayEveryExpression"}, {"find", "arrayFindExpression"},
    };
    while (!p->failed) {
        int c = tp_peek(p);
        if (c == '.') {
            char name[AST_TEST_MAX_NAME + 1];
            size_t h;
            json_t *n;
            p->i++;
            if (tp_peek(p) == '"') {
                json_t *k = tp_string(p);
                n = tp_node("propertyAccessExpression");
                json_object_set_new(n, "expression", e);
                json_object_set_new(n, "name", k);
                e = n;
                continue;
            }
            if (!tp_ident(p, name, sizeof(name))) {
                tp_fail(p, "expected a property name");
                break;
            }
            for (h = 0; h < sizeof(helpers) / sizeof(helpers[0]); h++)
                if (strcmp(name, helpers[h][0]) == 0 && tp_peek(p) == '(')
                    break;
            if (h < sizeof(helpers) / sizeof(helpers[0])) {
                json_t *args;
                p->i++;
                args = tp_args(p, 1, 1);
                n = tp_node(helpers[h][1]);
                json_object_set_new(n, "array", e);
                json_object_set(n, "function", json_array_get(args, 0));
                json_decref(args);
            } else {
                n = tp_node("propertyAccessExpression");
                json_object_set_new(n, "expression", e);
                json_object_set_new(n, "name", json_string(name));
            }
            e = n;
        } else if (c == '[') {
            json_t *n = tp_node("elementAccessExpression");
            p->i++;
            p->nest++;
            json_object_set_new(n, "expression", e);
            json_object_set_new(n, "argumentExpression", tp_expr(p));
            tp_expect(p, "]");
            p->nest--;
            e = n;
        } else
            break;
    }
    return e;
}

static json_t *tp_unary(tp *p)
{
    int c = tp_peek(p);
    if ((c == '!' && !(p->i + 1 < p->n && p->s[p->i + 1] == '=')) || c == '-') {
        json_t *e = tp_node("prefixUnaryExpression");
        p->i++;
        json_object_set_new(e, "operator", json_string(c == '!' ? "!" : "-"));
        if (!tp_enter(p))
            return e;
        json_object_set_new(e, "operand", tp_unary(p));
        p->depth--;
        return e;
    }
    return tp_postfix(p);
}

/* Binary levels, loosest first; each entry: the text tokens and AST operators. */
static const char *const tp_levels[][4] = {
    {"??", NULL}, {"||", NULL}, {"&&", NULL}, {"===", "!==", "==", "!="}, {"<=", ">=", "<", ">"},
    {"+", "-", NULL}, {"*", "/", "%", NULL},
};
#define TP_LEVELS 7

static json_t *tp_binary(tp *p, int level)
{
    json_t *left;
    if (level >= TP_LEVELS)
        return tp_unary(p);
    if (!tp_enter(p))
        return NULL;
    left = tp_binary(p, level + 1);
    while (!p->failed) {
        int k, hit = -1;
        for (k = 0; k < 4 && tp_levels[level][k]; k++) {
            const char *t = tp_levels[level][k];
            size_t len = strlen(t);
            tp_blank(p);
            if (p->i + len <= p->n && memcmp(p->s + p->i, t, len) == 0 &&
                !(len == 1 && (t[0] == '<' || t[0] == '>') && p->i + 1 < p->n && p->s[p->i + 1] == '=') &&
                !(len == 2 && t[1] == '=' && p->i + 2 < p->n && p->s[p->i + 2] == '=') &&
                !(t[0] == '=' && len == 2 && p->i + 2 < p->n && p->s[p->i + 2] == '>')) {
                hit = k;
                p->i += len;
                break;
            }
        }
        if (hit < 0)
            break;
        {
            const char *op = tp_levels[level][hit];
            json_t *e = tp_node("binaryExpression");
            if (strcmp(op, "==") == 0)
                op = "===";
            else if (strcmp(op, "!=") == 0)
                op = "!==";
            json_object_set_new(e, "left", left);
            json_object_set_new(e, "operator", json_string(op));
            json_object_set_new(e, "right", tp_binary(p, level + 1));
            left = e;
        }
    }
    p->depth--;
    return left;
}

static json_t *tp_expr(tp *p)
{
    json_t *e;
    if (p->failed || !tp_enter(p))
        return NULL;
    e = tp_binary(p, 0);
    if (!p->failed && tp_peek(p) == '?' && !(p->i + 1 < p->n && p->s[p->i + 1] == '?')) {
        json_t *c = tp_node("conditionalExpression");
        p->i++;
        json_object_set_new(c, "condition", e);
        json_object_set_new(c, "whenTrue", tp_expr(p));
        tp_expect(p, ":");
        json_object_set_new(c, "whenFalse", tp_expr(p));
        e = c;
    }
    p->depth--;
    return e;
}

static json_t *tp_stmt(tp *p);

/* "{" newline statements "}" ; returns the statement array. */
static json_t *tp_block(tp *p)
{
    json_t *arr = json_array();
    int saved = p->nest;
    tp_expect(p, "{");
    if (!tp_enter(p))
        return arr;
    p->nest = 0;
    for (;;) {
        tp_lines(p);
        if (p->failed || p->i >= p->n)
            break;
        if (p->s[p->i] == '}') {
            p->i++;
            break;
        }
        json_array_append_new(arr, tp_stmt(p));
    }
    if (!p->failed && (p->i > p->n || p->s[p->i - 1] != '}'))
        tp_fail(p, "expected }");
    p->nest = saved;
    p->depth--;
    return arr;
}

static void tp_end_line(tp *p)
{
    int c = tp_peek(p);
    if (c == -1 || c == '\n' || c == '}')
        return;
    tp_fail(p, "expected the end of the line");
}

static json_t *tp_pred2(tp *p, const char *type)
{
    json_t *e = tp_node(type);
    json_object_set_new(e, "title", tp_string(p));
    json_object_set_new(e, "x", tp_expr(p));
    tp_expect(p, ",");
    json_object_set_new(e, "y", tp_expr(p));
    return e;
}

static json_t *tp_call(tp *p)
{
    char name[AST_TEST_MAX_NAME + 1], method[16];
    json_t *s = tp_node("apiOperateStatement"), *arg = json_object();
    size_t save = p->i, start;
    if (tp_ident(p, name, sizeof(name)) && tp_eat(p, "=") && p->i < p->n && p->s[p->i] != '=') {
        json_object_set_new(s, "variableName", json_string(name));
    } else {
        p->i = save;
        p->failed = 0;
    }
    if (!tp_ident(p, method, sizeof(method)) ||
        (strcmp(method, "get") && strcmp(method, "post") && strcmp(method, "put") && strcmp(method, "patch") &&
         strcmp(method, "delete"))) {
        tp_fail(p, "expected get, post, put, patch or delete");
        json_decref(arg);
        return s;
    }
    tp_blank(p);
    start = p->i;
    while (p->i < p->n && !isspace((unsigned char)p->s[p->i]))
        p->i++;
    if (p->i == start || p->s[start] != '/') {
        tp_fail(p, "expected a path");
        json_decref(arg);
        return s;
    }
    json_object_set_new(s, "endpoint",
                        json_pack("{s:s%,s:s}", "path", p->s + start, p->i - start, "method", method));
    if (tp_peek(p) == '(') {
        json_t *ps = json_object();
        p->i++;
        p->nest++;
        while (!p->failed && !tp_eat(p, ")")) {
            if (!tp_ident(p, name, sizeof(name))) {
                tp_fail(p, "expected a parameter name");
                break;
            }
            tp_expect(p, ":");
            json_object_set_new(ps, name, tp_expr(p));
            tp_eat(p, ",");
        }
        p->nest--;
        json_object_set_new(arg, "parameters", ps);
    }
    if (!p->failed && tp_peek(p) != '\n' && tp_peek(p) != -1 && tp_peek(p) != '}')
        json_object_set_new(arg, "body", tp_expr(p));
    if (json_object_size(arg))
        json_object_set_new(s, "argument", arg);
    else
        json_decref(arg);
    return s;
}

static json_t *tp_expr_stmt(json_t *e)
{
    json_t *s = tp_node("expressionStatement");
    json_object_set_new(s, "expression", e);
    return s;
}

static json_t *tp_stmt(tp *p)
{
    char name[AST_TEST_MAX_NAME + 1];
    json_t *s = NULL;
    if (!tp_enter(p))
        return NULL;
    if (tp_word(p, "const")) {
        s = tp_node("variableDeclaration");
        if (!tp_ident(p, name, sizeof(name)))
            tp_fail(p, "expected a name");
        json_object_set_new(s, "name", json_string(name));
        tp_expect(p, "=");
        json_object_set_new(s, "initializer", tp_expr(p));
    } else if (tp_word(p, "call")) {
        s = tp_call(p);
    } else if (tp_word(p, "equal")) {
        s = tp_expr_stmt(tp_pred2(p, "equalPredicate"));
    } else if (tp_word(p, "notEqual")) {
        s = tp_expr_stmt(tp_pred2(p, "notEqualPredicate"));
    } else if (tp_word(p, "assert")) {
        json_t *e = tp_node("conditionalPredicate");
        json_object_set_new(e, "title", tp_string(p));
        json_object_set_new(e, "expression", tp_expr(p));
        s = tp_expr_stmt(e);
    } else if (tp_word(p, "error") || tp_word_is(p, "httpError")) {
        json_t *e, *fn = tp_node("arrowFunction");
        if (tp_word(p, "httpError")) {
            char *end;
            long st;
            tp_blank(p);
            st = strtol(p->s + p->i, &end, 10);
            if (end == p->s + p->i || st < 0 || st > 999)
                tp_fail(p, "expected a status");
            p->i = (size_t)(end - p->s);
            e = tp_node("httpErrorPredicate");
            json_object_set_new(e, "status", json_integer(st));
        } else {
            e = tp_node("errorPredicate");
        }
        json_object_set_new(e, "title", tp_string(p));
        json_object_set_new(fn, "parameters", json_array());
        json_object_set_new(fn, "body", tp_block(p));
        json_object_set_new(e, "function", fn);
        s = tp_expr_stmt(e);
    } else if (tp_word(p, "if")) {
        s = tp_node("ifStatement");
        json_object_set_new(s, "condition", tp_expr(p));
        json_object_set_new(s, "thenStatements", tp_block(p));
        if (tp_word(p, "else"))
            json_object_set_new(s, "elseStatements", tp_block(p));
    } else if (tp_word(p, "return")) {
        s = tp_node("returnStatement");
        json_object_set_new(s, "expression", tp_expr(p));
    } else if (tp_word(p, "do")) {
        s = tp_expr_stmt(tp_expr(p));
    } else {
        tp_fail(p, "unknown statement");
    }
    if (!p->failed)
        tp_end_line(p);
    p->depth--;
    return s ? s : json_null();
}

bb_result ast_test_text_parse(const char *text, size_t len, json_t **out, bb_buf *err)
{
    tp p;
    json_t *arr = json_array(), *fn = NULL;
    memset(&p, 0, sizeof(p));
    p.s = text;
    p.n = len;
    *out = NULL;
    if (!arr)
        return BB_ERR_NOMEM;
    if (len > AST_TEST_TEXT_MAX || memchr(text, 0, len)) {
        tp_fail(&p, len > AST_TEST_TEXT_MAX ? "text too long" : "NUL byte");
        goto done;
    }
    for (;;) {
        tp_lines(&p);
        if (p.failed || p.i >= p.n)
            break;
        if (tp_word(&p, "test")) {
            fn = json_object();
            json_object_set_new(fn, "name", tp_string(&p));
            json_object_set_new(fn, "plan", json_string(""));
            json_object_set_new(fn, "draft", json_string(""));
            json_object_set_new(fn, "statements", json_array());
            json_array_append_new(arr, fn);
            tp_end_line(&p);
        } else if (!fn) {
            tp_fail(&p, "expected test \"name\"");
        } else if (tp_word(&p, "plan") || tp_word(&p, "draft")) {
            const char *key = p.s[p.i - 1] == 'n' ? "plan" : "draft";
            json_object_set_new(fn, key, tp_string(&p));
            tp_end_line(&p);
        } else {
            json_array_append_new(json_object_get(fn, "statements"), tp_stmt(&p));
        }
    }
done:
    if (p.failed) {
        size_t line = 1, col = 1, k;
        for (k = 0; k < p.err_at && k < p.n; k++) {
            if (text[k] == '\n') {
                line++;
                col = 1;
            } else
                col++;
        }
        if (err)
            bb_buf_printf(err, "line %zu, column %zu: %s", line, col, p.msg);
        json_decref(arr);
        return BB_ERR_PARSE;
    }
    *out = arr;
    return BB_OK;
}

/* ==== printer ================================================================ */

typedef struct tw {
    bb_buf *b;
    bb_result rc;
} tw;

static void tw_put(tw *w, const char *s)
{
    if (w->rc == BB_OK)
        w->rc = bb_buf_puts(w->b, s);
}

static void tw_str(tw *w, const char *s, size_t n)
{
    size_t i;
    char tmp[8];
    tw_put(w, "\"");
    for (i = 0; i < n && w->rc == BB_OK; i++) {
        unsigned char c = (unsigned char)s[i];
        if (c == '"' || c == '\\') {
            tmp[0] = '\\';
            tmp[1] = (char)c;
            tmp[2] = 0;
        } else if (c == '\n')
            snprintf(tmp, sizeof(tmp), "\\n");
        else if (c == '\t')
            snprintf(tmp, sizeof(tmp), "\\t");
        else if (c < 0x20)
            snprintf(tmp, sizeof(tmp), "\\u%04x", c);
        else {
            tmp[0] = (char)c;
            tmp[1] = 0;
        }
        tw_put(w, tmp);
    }
    tw_put(w, "\"");
}

static int tw_is_ident(const char *s)
{
    size_t i;
    static const char *const reserved[] = {"true", "false", "null", "undefined", "map", "filter", "some",
                                           "every", "find"};
    if (!s || !tp_is_ident_start((unsigned char)s[0]))
        return 0;
    for (i = 1; s[i]; i++)
        if (!tp_is_ident_start((unsigned char)s[i]) && !isdigit((unsigned char)s[i]))
            return 0;
    for (i = 0; i < sizeof(reserved) / sizeof(reserved[0]); i++)
        if (strcmp(s, reserved[i]) == 0)
            return 0;
    return 1;
}

static void tw_expr(tw *w, const ast_test_expr *e, int level, int indent);
static void tw_block(tw *w, const ast_test_block *b, int indent);

static int tw_level(ast_test_binop op)
{
    switch (op) {
    case AST_TEST_COALESCE: return 0;
    case AST_TEST_OR: return 1;
    case AST_TEST_AND: return 2;
    case AST_TEST_EQ: case AST_TEST_NE: return 3;
    case AST_TEST_LT: case AST_TEST_LE: case AST_TEST_GT: case AST_TEST_GE: return 4;
    case AST_TEST_ADD: case AST_TEST_SUB: return 5;
    default: return 6;
    }
}

static void tw_indent(tw *w, int indent)
{
    int i;
    for (i = 0; i < indent; i++)
        tw_put(w, "  ");
}

static void tw_arrow(tw *w, const ast_test_expr *e, int indent)
{
    size_t i;
    tw_put(w, "(");
    for (i = 0; i < e->n_params; i++) {
        tw_put(w, i ? ", " : "");
        tw_put(w, e->params[i]);
    }
    tw_put(w, ") => ");
    if (e->body.n == 1 && e->body.items[0] && e->body.items[0]->kind == AST_TEST_S_RETURN &&
        e->body.items[0]->value && e->body.items[0]->value->kind != AST_TEST_E_OBJECT) {
        tw_expr(w, e->body.items[0]->value, -1, indent);
        return;
    }
    tw_put(w, "{\n");
    tw_block(w, &e->body, indent + 1);
    tw_indent(w, indent);
    tw_put(w, "}");
}

/* level: the binding of the context (-1: conditional allowed, 0..6 binary, 7 operand of a unary/postfix). */
static void tw_expr(tw *w, const ast_test_expr *e, int level, int indent)
{
    char num[64];
    size_t i;
    static const char *const helpers[] = {"map", "filter", "some", "every", "find"};
    if (!e) {
        tw_put(w, "undefined");
        return;
    }
    switch (e->kind) {
    case AST_TEST_E_BOOLEAN: tw_put(w, e->b ? "true" : "false"); break;
    case AST_TEST_E_NUMBER:
        if (e->num < 0)
            tw_put(w, "(");
        if (e->num == floor(e->num) && fabs(e->num) < 9e15)
            snprintf(num, sizeof(num), "%lld", (long long)e->num);
        else
            snprintf(num, sizeof(num), "%.17g", e->num);
        tw_put(w, e->num < 0 ? "-" : "");
        tw_put(w, e->num < 0 ? num + 1 : num);
        if (e->num < 0)
            tw_put(w, ")");
        break;
    case AST_TEST_E_STRING: tw_str(w, e->s ? e->s : "", e->s_len); break;
    case AST_TEST_E_NULL: tw_put(w, "null"); break;
    case AST_TEST_E_UNDEFINED: tw_put(w, "undefined"); break;
    case AST_TEST_E_ARRAY:
        tw_put(w, "[");
        for (i = 0; i < e->n_items; i++) {
            tw_put(w, i ? ", " : "");
            tw_expr(w, e->items[i], -1, indent);
        }
        tw_put(w, "]");
        break;
    case AST_TEST_E_OBJECT:
        tw_put(w, "{");
        for (i = 0; i < e->n_items; i++) {
            tw_put(w, i ? ", " : "");
            if (tw_is_ident(e->keys[i]))
                tw_put(w, e->keys[i]);
            else
                tw_str(w, e->keys[i] ? e->keys[i] : "", e->keys[i] ? strlen(e->keys[i]) : 0);
            tw_put(w, ": ");
            tw_expr(w, e->items[i], -1, indent);
        }
        tw_put(w, "}");
        break;
    case AST_TEST_E_IDENT: tw_put(w, e->s); break;
    case AST_TEST_E_PROPERTY:
        tw_expr(w, e->a, 7, indent);
        tw_put(w, ".");
        if (tw_is_ident(e->s))
            tw_put(w, e->s);
        else
            tw_str(w, e->s ? e->s : "", e->s ? strlen(e->s) : 0);
        break;
    case AST_TEST_E_ELEMENT:
        tw_expr(w, e->a, 7, indent);
        tw_put(w, "[");
        tw_expr(w, e->b2, -1, indent);
        tw_put(w, "]");
        break;
    case AST_TEST_E_UNARY:
        tw_put(w, e->unop == AST_TEST_NOT ? "!" : "-");
        tw_expr(w, e->a, 7, indent);
        break;
    case AST_TEST_E_BINARY: {
        int l = tw_level(e->binop);
        const char *op = e->binop == AST_TEST_EQ ? "==" : e->binop == AST_TEST_NE ? "!=" : ast_test_binop_name(e->binop);
        if (l < level || level == 7)
            tw_put(w, "(");
        tw_expr(w, e->a, l, indent);
        tw_put(w, " ");
        tw_put(w, op);
        tw_put(w, " ");
        tw_expr(w, e->b2, l + 1, indent);
        if (l < level || level == 7)
            tw_put(w, ")");
        break;
    }
    case AST_TEST_E_CONDITIONAL:
        if (level >= 0)
            tw_put(w, "(");
        tw_expr(w, e->a, 0, indent);
        tw_put(w, " ? ");
        tw_expr(w, e->b2, -1, indent);
        tw_put(w, " : ");
        tw_expr(w, e->c, -1, indent);
        if (level >= 0)
            tw_put(w, ")");
        break;
    case AST_TEST_E_ARROW:
        if (level >= 0)
            tw_put(w, "(");
        tw_arrow(w, e, indent);
        if (level >= 0)
            tw_put(w, ")");
        break;
    case AST_TEST_E_MAP: case AST_TEST_E_FILTER: case AST_TEST_E_SOME: case AST_TEST_E_EVERY: case AST_TEST_E_FIND:
        tw_expr(w, e->a, 7, indent);
        tw_put(w, ".");
        tw_put(w, helpers[e->kind - AST_TEST_E_MAP]);
        tw_put(w, "(");
        tw_expr(w, e->b2, -1, indent);
        tw_put(w, ")");
        break;
    case AST_TEST_E_REPEAT:
        tw_put(w, "repeat(");
        tw_expr(w, e->a, -1, indent);
        tw_put(w, ", ");
        tw_expr(w, e->b2, -1, indent);
        tw_put(w, ")");
        break;
    case AST_TEST_E_RAND_STRING:
        snprintf(num, sizeof(num), "randomString(%d)", (int)e->num);
        tw_put(w, num);
        break;
    case AST_TEST_E_RAND_INT:
        snprintf(num, sizeof(num), "randomInt(%lld, %d)", (long long)e->num, e->status);
        tw_put(w, num);
        break;
    case AST_TEST_E_RAND_FORMAT: tw_put(w, e->format == AST_TEST_FMT_UUID ? "randomUuid()" : "randomEmail()"); break;
    default:
        /* predicates in expression position have no text form of their own */
        w->rc = w->rc == BB_OK ? BB_ERR_UNSUPPORTED : w->rc;
        break;
    }
}

static void tw_stmt(tw *w, const ast_test_stmt *s, int indent)
{
    size_t i;
    char num[32];
    tw_indent(w, indent);
    if (!s) {
        w->rc = w->rc == BB_OK ? BB_ERR_UNSUPPORTED : w->rc;
        return;
    }
    switch (s->kind) {
    case AST_TEST_S_VAR:
        tw_put(w, "const ");
        tw_put(w, s->name);
        tw_put(w, " = ");
        tw_expr(w, s->value, -1, indent);
        break;
    case AST_TEST_S_API:
        tw_put(w, "call ");
        if (s->name) {
            tw_put(w, s->name);
            tw_put(w, " = ");
        }
        tw_put(w, ast_test_method_name(s->method));
        tw_put(w, " ");
        tw_put(w, s->endpoint);
        if (s->params_path) {
            tw_put(w, " (");
            for (i = 0; i < s->n_params; i++) {
                tw_put(w, i ? ", " : "");
                tw_put(w, s->param_names[i]);
                tw_put(w, ": ");
                tw_expr(w, s->param_values[i], -1, indent);
            }
            tw_put(w, ")");
        }
        if (s->value) {
            tw_put(w, " ");
            tw_expr(w, s->value, -1, indent);
        }
        break;
    case AST_TEST_S_EXPR: {
        const ast_test_expr *e = s->value;
        if (e && (e->kind == AST_TEST_E_EQUAL || e->kind == AST_TEST_E_NOT_EQUAL)) {
            tw_put(w, e->kind == AST_TEST_E_EQUAL ? "equal " : "notEqual ");
            tw_str(w, e->s ? e->s : "", e->s ? strlen(e->s) : 0);
            tw_put(w, " ");
            tw_expr(w, e->a, -1, indent);
            tw_put(w, ", ");
            tw_expr(w, e->b2, -1, indent);
        } else if (e && e->kind == AST_TEST_E_COND_PRED) {
            tw_put(w, "assert ");
            tw_str(w, e->s ? e->s : "", e->s ? strlen(e->s) : 0);
            tw_put(w, " ");
            tw_expr(w, e->a, -1, indent);
        } else if (e && (e->kind == AST_TEST_E_ERROR_PRED || e->kind == AST_TEST_E_HTTP_ERROR) && e->b2 &&
                   e->b2->kind == AST_TEST_E_ARROW && e->b2->n_params == 0) {
            if (e->kind == AST_TEST_E_HTTP_ERROR) {
                snprintf(num, sizeof(num), "httpError %d ", e->status);
                tw_put(w, num);
            } else
                tw_put(w, "error ");
            tw_str(w, e->s ? e->s : "", e->s ? strlen(e->s) : 0);
            tw_put(w, " {\n");
            tw_block(w, &e->b2->body, indent + 1);
            tw_indent(w, indent);
            tw_put(w, "}");
        } else {
            tw_put(w, "do ");
            tw_expr(w, e, -1, indent);
        }
        break;
    }
    case AST_TEST_S_IF:
        tw_put(w, "if ");
        tw_expr(w, s->value, -1, indent);
        tw_put(w, " {\n");
        tw_block(w, &s->then_block, indent + 1);
        tw_indent(w, indent);
        tw_put(w, "}");
        if (s->has_else) {
            tw_put(w, " else {\n");
            tw_block(w, &s->else_block, indent + 1);
            tw_indent(w, indent);
            tw_put(w, "}");
        }
        break;
    case AST_TEST_S_RETURN:
        tw_put(w, "return ");
        tw_expr(w, s->value, -1, indent);
        break;
    default:
        break;
    }
    tw_put(w, "\n");
}

static void tw_block(tw *w, const ast_test_block *b, int indent)
{
    size_t i;
    for (i = 0; i < b->n; i++)
        tw_stmt(w, b->items[i], indent);
}

bb_result ast_test_text_print(const ast_test_fn *fn, bb_buf *out)
{
    tw w;
    w.b = out;
    w.rc = BB_OK;
    tw_put(&w, "test ");
    tw_str(&w, fn->name ? fn->name : "", fn->name ? strlen(fn->name) : 0);
    tw_put(&w, "\n");
    if (fn->plan && *fn->plan) {
        tw_put(&w, "plan ");
        tw_str(&w, fn->plan, strlen(fn->plan));
        tw_put(&w, "\n");
    }
    if (fn->draft && *fn->draft) {
        tw_put(&w, "draft ");
        tw_str(&w, fn->draft, strlen(fn->draft));
        tw_put(&w, "\n");
    }
    tw_block(&w, &fn->statements, 0);
    return w.rc;
}
