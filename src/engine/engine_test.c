/*
 * engine_test.c — the Test AST interpreter (engine_test.h).
 *
 * Evaluation returns a flow code: normal, return (out of an arrow body),
 * throw (an HTTP error or a runtime error, catchable by error predicates),
 * fail (a predicate, final) or nomem. Values are the engine's eng_value,
 * allocated in one arena per test run.
 */
#include "engine/engine_test.h"

#include <jansson.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "engine/engine_value.h"
#include "util/alloc.h"
#include "util/arena.h"
#include "util/buf.h"
#include "util/rng.h"

typedef enum rt_flow { RT_OK = 0, RT_RETURN, RT_THROW, RT_FAIL, RT_NOMEM } rt_flow;

typedef struct rt_var {
    const char *name;
    const eng_value *v;
} rt_var;

typedef struct rt {
    eng_engine *e;
    const ast_api_doc *api;
    bb_arena *a;
    bb_rng rng;
    rt_var vars[ENG_TEST_MAX_VARS];
    size_t n_vars;
    int depth;
    char token[1024];
    const eng_value *ret;   /* RT_RETURN value */
    int thrown_status;      /* RT_THROW: HTTP status, 0 for a runtime error */
    eng_test_result *res;
    const int *expected; /* per operation success status, may be NULL */
} rt;

const char *eng_test_outcome_name(eng_test_outcome o)
{
    switch (o) {
    case ENG_TEST_PASS: return "pass";
    case ENG_TEST_FAIL_PREDICATE: return "predicate failed";
    case ENG_TEST_FAIL_HTTP: return "unexpected HTTP error";
    case ENG_TEST_FAIL_RUNTIME: return "runtime error";
    }
    return "?";
}

static void rt_msg(rt *r, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void rt_msg(rt *r, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(r->res->message, sizeof(r->res->message), fmt, ap);
    va_end(ap);
}

/* A runtime error: thrown (catchable by errorPredicate). */
static rt_flow rt_throw(rt *r, const char *path, const char *what)
{
    r->thrown_status = 0;
    rt_msg(r, "runtime error at %s: %s", path ? path : "$input", what);
    return RT_THROW;
}

static rt_flow rt_fail(rt *r, eng_test_outcome o, const char *path, const char *what)
{
    r->res->outcome = o;
    rt_msg(r, "%s at %s", what, path ? path : "$input");
    return RT_FAIL;
}

static int rt_step(rt *r)
{
    return ++r->res->steps <= ENG_TEST_MAX_STEPS;
}

static rt_flow rt_budget(rt *r, const char *path)
{
    return rt_fail(r, ENG_TEST_FAIL_RUNTIME, path, "step budget exhausted");
}

/* Short text of a value for messages. */
static void rt_show(const eng_value *v, char *out, size_t cap)
{
    bb_buf b;
    bb_buf_init(&b, 160);
    if (eng_value_to_json(v, &b) != BB_OK || b.len == 0)
        snprintf(out, cap, "%s", v ? eng_kind_name(v->kind) : "undefined");
    else
        snprintf(out, cap, "%s%s", bb_buf_str(&b), b.len >= 150 ? "..." : "");
    bb_buf_free(&b);
}

static rt_flow rt_expr(rt *r, const ast_test_expr *x, const eng_value **out);
static rt_flow rt_block(rt *r, const ast_test_block *b);

static rt_flow rt_declare(rt *r, const char *name, const eng_value *v, const char *path)
{
    if (!name)
        return RT_OK;
    if (r->n_vars >= ENG_TEST_MAX_VARS)
        return rt_fail(r, ENG_TEST_FAIL_RUNTIME, path, "too many variables");
    r->vars[r->n_vars].name = name;
    r->vars[r->n_vars].v = v;
    r->n_vars++;
    return RT_OK;
}

/* Calls an arrow with up to two arguments; *out is its return value. */
static rt_flow rt_call(rt *r, const ast_test_expr *fn, const eng_value *a0, const eng_value *a1,
                       const eng_value **out)
{
    size_t saved = r->n_vars, i;
    rt_flow f = RT_OK;
    *out = eng_undef();
    if (!fn || fn->kind != AST_TEST_E_ARROW)
        return rt_throw(r, fn ? fn->path : NULL, "not an arrow function");
    if (r->depth >= ENG_TEST_MAX_DEPTH)
        return rt_fail(r, ENG_TEST_FAIL_RUNTIME, fn->path, "arrow calls nested too deep");
    r->depth++;
    for (i = 0; i < fn->n_params && f == RT_OK; i++)
        f = rt_declare(r, fn->params[i], i == 0 ? a0 : i == 1 ? a1 : eng_undef(), fn->path);
    if (f == RT_OK)
        f = rt_block(r, &fn->body);
    if (f == RT_RETURN) {
        *out = r->ret ? r->ret : eng_undef();
        f = RT_OK;
    }
    r->depth--;
    r->n_vars = saved;
    return f;
}

static rt_flow rt_helper(rt *r, const ast_test_expr *x, const eng_value **out)
{
    const eng_value *arr, *res;
    eng_value *acc = NULL;
    size_t i, n_acc = 0;
    rt_flow f = rt_expr(r, x->a, &arr);
    if (f != RT_OK)
        return f;
    if (arr->kind != ENG_ARR)
        return rt_throw(r, x->path, "not an array");
    if (x->kind == AST_TEST_E_MAP || x->kind == AST_TEST_E_FILTER) {
        acc = eng_arr(r->a, arr->len);
        if (!acc)
            return RT_NOMEM;
    }
    for (i = 0; i < arr->len; i++) {
        eng_value *idx = eng_num(r->a, (double)i);
        if (!idx)
            return RT_NOMEM;
        if (!rt_step(r))
            return rt_budget(r, x->path);
        f = rt_call(r, x->b2, arr->items[i], idx, &res);
        if (f != RT_OK)
            return f;
        switch (x->kind) {
        case AST_TEST_E_MAP: acc->items[n_acc++] = (eng_value *)res; break;
        case AST_TEST_E_FILTER:
            if (eng_truthy(res))
                acc->items[n_acc++] = arr->items[i];
            break;
        case AST_TEST_E_SOME:
            if (eng_truthy(res)) {
                *out = eng_bool(r->a, 1);
                return *out ? RT_OK : RT_NOMEM;
            }
            break;
        case AST_TEST_E_EVERY:
            if (!eng_truthy(res)) {
                *out = eng_bool(r->a, 0);
                return *out ? RT_OK : RT_NOMEM;
            }
            break;
        default: /* find */
            if (eng_truthy(res)) {
                *out = arr->items[i];
                return RT_OK;
            }
            break;
        }
    }
    if (acc) {
        acc->len = n_acc;
        *out = acc;
    } else if (x->kind == AST_TEST_E_FIND)
        *out = eng_undef();
    else
        *out = eng_bool(r->a, x->kind == AST_TEST_E_EVERY);
    return *out ? RT_OK : RT_NOMEM;
}

static rt_flow rt_binary(rt *r, const ast_test_expr *x, const eng_value **out)
{
    const eng_value *l, *rv;
    rt_flow f = rt_expr(r, x->a, &l);
    if (f != RT_OK)
        return f;
    if (x->binop == AST_TEST_AND || x->binop == AST_TEST_OR || x->binop == AST_TEST_COALESCE) {
        int short_circuit = x->binop == AST_TEST_AND    ? !eng_truthy(l)
                            : x->binop == AST_TEST_OR   ? eng_truthy(l)
                                                        : (l->kind != ENG_NULL && l->kind != ENG_UNDEF);
        if (short_circuit) {
            *out = l;
            return RT_OK;
        }
        return rt_expr(r, x->b2, out);
    }
    f = rt_expr(r, x->b2, &rv);
    if (f != RT_OK)
        return f;
    switch (x->binop) {
    case AST_TEST_EQ: *out = eng_bool(r->a, eng_equal(l, rv)); break;
    case AST_TEST_NE: *out = eng_bool(r->a, !eng_equal(l, rv)); break;
    case AST_TEST_LT: case AST_TEST_LE: case AST_TEST_GT: case AST_TEST_GE: {
        int c;
        if (l->kind == ENG_NUM && rv->kind == ENG_NUM)
            c = l->n < rv->n ? -1 : l->n > rv->n ? 1 : 0;
        else if (l->kind == ENG_STR && rv->kind == ENG_STR) {
            size_t m = l->len < rv->len ? l->len : rv->len;
            c = memcmp(l->s, rv->s, m);
            if (c == 0)
                c = l->len < rv->len ? -1 : l->len > rv->len ? 1 : 0;
        } else
            return rt_throw(r, x->path, "comparison of values that are not two numbers or two strings");
        *out = eng_bool(r->a, x->binop == AST_TEST_LT ? c < 0 : x->binop == AST_TEST_LE ? c <= 0
                              : x->binop == AST_TEST_GT ? c > 0 : c >= 0);
        break;
    }
    case AST_TEST_ADD:
        if (l->kind == ENG_STR || rv->kind == ENG_STR) {
            char ls[64], rs[64];
            bb_buf b;
            bb_buf_init(&b, 1 << 20);
            if (l->kind == ENG_STR)
                bb_buf_append(&b, l->s, l->len);
            else {
                rt_show(l, ls, sizeof(ls));
                bb_buf_puts(&b, ls);
            }
            if (rv->kind == ENG_STR)
                bb_buf_append(&b, rv->s, rv->len);
            else {
                rt_show(rv, rs, sizeof(rs));
                bb_buf_puts(&b, rs);
            }
            *out = eng_str(r->a, b.data ? b.data : "", b.len);
            bb_buf_free(&b);
            break;
        }
        /* fall through */
    case AST_TEST_SUB: case AST_TEST_MUL: case AST_TEST_DIV: case AST_TEST_MOD: {
        double v;
        if (l->kind != ENG_NUM || rv->kind != ENG_NUM)
            return rt_throw(r, x->path, "arithmetic on values that are not numbers");
        if ((x->binop == AST_TEST_DIV || x->binop == AST_TEST_MOD) && rv->n == 0)
            return rt_throw(r, x->path, "division by zero");
        v = x->binop == AST_TEST_ADD ? l->n + rv->n : x->binop == AST_TEST_SUB ? l->n - rv->n
            : x->binop == AST_TEST_MUL ? l->n * rv->n : x->binop == AST_TEST_DIV ? l->n / rv->n
                                                                                : fmod(l->n, rv->n);
        if (!isfinite(v))
            return rt_throw(r, x->path, "a number out of range");
        *out = eng_num(r->a, v);
        break;
    }
    default:
        return rt_throw(r, x->path, "unknown operator");
    }
    return *out ? RT_OK : RT_NOMEM;
}

static rt_flow rt_random(rt *r, const ast_test_expr *x, const eng_value **out)
{
    char buf[300];
    size_t i, n;
    static const char hex[] = "0123456789abcdef";
    switch (x->kind) {
    case AST_TEST_E_RAND_STRING:
        n = (size_t)x->num;
        if (n < 1 || n > 256)
            n = 8;
        for (i = 0; i < n; i++)
            buf[i] = (char)('a' + bb_rng_below(&r->rng, 26));
        *out = eng_str(r->a, buf, n);
        break;
    case AST_TEST_E_RAND_INT: {
        long long lo = (long long)x->num, hi = x->status;
        *out = eng_num(r->a, (double)(lo + (long long)bb_rng_below(&r->rng, (uint64_t)(hi - lo + 1))));
        break;
    }
    default:
        if (x->format == AST_TEST_FMT_UUID) {
            for (i = 0, n = 0; i < 32; i++) {
                if (i == 8 || i == 12 || i == 16 || i == 20)
                    buf[n++] = '-';
                buf[n++] = i == 12 ? '4' : i == 16 ? hex[8 + bb_rng_below(&r->rng, 4)]
                                                   : hex[bb_rng_below(&r->rng, 16)];
            }
        } else {
            for (n = 0; n < 12; n++)
                buf[n] = (char)('a' + bb_rng_below(&r->rng, 26));
            memcpy(buf + n, "@example.com", 12);
            n += 12;
        }
        *out = eng_str(r->a, buf, n);
        break;
    }
    return *out ? RT_OK : RT_NOMEM;
}

/* Percent-encodes a path parameter value. */
static bb_result rt_put_param(bb_buf *b, const eng_value *v)
{
    char tmp[64];
    const char *s;
    size_t n, i;
    bb_result rc = BB_OK;
    if (v->kind == ENG_STR) {
        s = v->s;
        n = v->len;
    } else {
        rt_show(v, tmp, sizeof(tmp));
        s = tmp;
        n = strlen(tmp);
    }
    for (i = 0; i < n && rc == BB_OK; i++) {
        unsigned char c = (unsigned char)s[i];
        if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' || c == '_' ||
            c == '.' || c == '~')
            rc = bb_buf_putc(b, (char)c);
        else
            rc = bb_buf_printf(b, "%%%02X", c);
    }
    return rc;
}

static rt_flow rt_api(rt *r, const ast_test_stmt *s)
{
    bb_buf path, body, auth;
    const eng_value *bv = NULL;
    eng_value *resp_v = NULL;
    const ast_api_operation *op;
    eng_request req;
    eng_response resp;
    const char *t;
    rt_flow f = RT_OK;
    size_t i;
    bb_buf_init(&path, 8192);
    bb_buf_init(&body, (size_t)1 << 20);
    bb_buf_init(&auth, 2048);
    eng_response_init(&resp);
    if (++r->res->calls > ENG_TEST_MAX_CALLS) {
        f = rt_fail(r, ENG_TEST_FAIL_RUNTIME, s->path, "too many API calls");
        goto out;
    }
    if (!s->endpoint) {
        f = rt_throw(r, s->path, "no endpoint");
        goto out;
    }
    /* path: substitute {name} segments */
    for (t = s->endpoint; *t;) {
        if (*t == '{') {
            const char *end = strchr(t, '}');
            const eng_value *pv = NULL;
            size_t k;
            if (!end) {
                f = rt_throw(r, s->path, "bad path template");
                goto out;
            }
            for (k = 0; k < s->n_params; k++)
                if (strlen(s->param_names[k]) == (size_t)(end - t - 1) &&
                    memcmp(s->param_names[k], t + 1, (size_t)(end - t - 1)) == 0)
                    break;
            if (k == s->n_params) {
                f = rt_throw(r, s->path, "a path parameter without a value");
                goto out;
            }
            f = rt_expr(r, s->param_values[k], &pv);
            if (f != RT_OK)
                goto out;
            if (rt_put_param(&path, pv) != BB_OK) {
                f = rt_throw(r, s->path, "path too long");
                goto out;
            }
            t = end + 1;
        } else {
            if (bb_buf_putc(&path, *t++) != BB_OK) {
                f = rt_throw(r, s->path, "path too long");
                goto out;
            }
        }
    }
    /* evaluate parameters not in the template too (their side effects count) */
    for (i = 0; i < s->n_params && f == RT_OK; i++) {
        const eng_value *pv;
        char pat[AST_TEST_MAX_NAME + 3];
        snprintf(pat, sizeof(pat), "{%s}", s->param_names[i]);
        if (!strstr(s->endpoint, pat))
            f = rt_expr(r, s->param_values[i], &pv);
    }
    if (f != RT_OK)
        goto out;
    if (s->value) {
        f = rt_expr(r, s->value, &bv);
        if (f != RT_OK)
            goto out;
        if (eng_value_to_json(bv, &body) != BB_OK) {
            f = rt_throw(r, s->value->path, "body too large");
            goto out;
        }
    }
    if (r->token[0] && bb_buf_printf(&auth, "Bearer %s", r->token) != BB_OK) {
        f = RT_NOMEM;
        goto out;
    }
    memset(&req, 0, sizeof(req));
    req.method = ast_test_method_name(s->method);
    req.path = bb_buf_str(&path);
    req.authorization = r->token[0] ? bb_buf_str(&auth) : NULL;
    req.body = s->value ? bb_buf_str(&body) : NULL;
    req.body_len = s->value ? body.len : 0;
    if (eng_handle(r->e, &req, &resp) != BB_OK) {
        f = RT_NOMEM;
        goto out;
    }
    if (resp.engine_error)
        r->res->engine_error = 1;
    op = ast_test_find_operation(r->api, s->method, s->endpoint);
    if (resp.status < 200 || resp.status > 299 ||
        (op && r->expected && r->expected[op - r->api->operations] &&
         resp.status != r->expected[op - r->api->operations])) {
        r->thrown_status = resp.status;
        rt_msg(r, "HTTP %d from %s %s at %s: %.200s", resp.status, req.method, s->endpoint, s->path,
               bb_buf_str(&resp.body));
        f = RT_THROW;
        goto out;
    }
    if (resp.body.len > 0) {
        json_error_t jerr;
        json_t *j = json_loadb(resp.body.data, resp.body.len, JSON_DECODE_ANY, &jerr);
        if (!j) {
            f = rt_throw(r, s->path, "the response is not JSON");
            goto out;
        }
        if (eng_value_from_json(r->a, j, 64, &resp_v) != BB_OK)
            resp_v = NULL;
        json_decref(j);
        if (!resp_v) {
            f = RT_NOMEM;
            goto out;
        }
    }
    if (op && op->authorization_type != AST_API_AUTH_NONE && resp_v) {
        const eng_value *tok = eng_get(eng_get(resp_v, "token"), "access");
        if (tok && tok->kind == ENG_STR && tok->len < sizeof(r->token) && !memchr(tok->s, 0, tok->len)) {
            memcpy(r->token, tok->s, tok->len);
            r->token[tok->len] = 0;
        }
    }
    f = rt_declare(r, s->name, resp_v ? resp_v : eng_undef(), s->path);
out:
    eng_response_free(&resp);
    bb_buf_free(&path);
    bb_buf_free(&body);
    bb_buf_free(&auth);
    return f;
}

static rt_flow rt_predicate(rt *r, const ast_test_expr *x)
{
    const eng_value *a, *b, *res;
    char sa[200], sb[200], what[600];
    rt_flow f;
    const char *kind = ast_test_expr_kind_name(x->kind);
    const char *title = x->s ? x->s : "";
    switch (x->kind) {
    case AST_TEST_E_EQUAL:
    case AST_TEST_E_NOT_EQUAL:
        f = rt_expr(r, x->a, &a);
        if (f == RT_OK)
            f = rt_expr(r, x->b2, &b);
        if (f != RT_OK)
            return f;
        if (eng_equal(a, b) == (x->kind == AST_TEST_E_EQUAL))
            return RT_OK;
        rt_show(a, sa, sizeof(sa));
        rt_show(b, sb, sizeof(sb));
        snprintf(what, sizeof(what), "%s \"%s\" failed (x = %s, y = %s)", kind, title, sa, sb);
        return rt_fail(r, ENG_TEST_FAIL_PREDICATE, x->path, what);
    case AST_TEST_E_COND_PRED:
        f = rt_expr(r, x->a, &a);
        if (f != RT_OK)
            return f;
        if (eng_truthy(a))
            return RT_OK;
        snprintf(what, sizeof(what), "%s \"%s\" failed", kind, title);
        return rt_fail(r, ENG_TEST_FAIL_PREDICATE, x->path, what);
    default: /* error / httpError */
        f = rt_call(r, x->b2, eng_undef(), eng_undef(), &res);
        if (f == RT_THROW) {
            if (x->kind == AST_TEST_E_ERROR_PRED || r->thrown_status == x->status) {
                r->res->message[0] = 0;
                return RT_OK;
            }
            snprintf(sa, sizeof(sa), "%.190s", r->res->message);
            snprintf(what, sizeof(what), "%s \"%s\" expected HTTP %d, got %s", kind, title, x->status,
                     r->thrown_status ? sa : "a runtime error");
            return rt_fail(r, ENG_TEST_FAIL_PREDICATE, x->path, what);
        }
        if (f != RT_OK)
            return f;
        snprintf(what, sizeof(what), "%s \"%s\" failed: the call succeeded", kind, title);
        return rt_fail(r, ENG_TEST_FAIL_PREDICATE, x->path, what);
    }
}

static rt_flow rt_expr(rt *r, const ast_test_expr *x, const eng_value **out)
{
    rt_flow f;
    const eng_value *v, *k;
    size_t i;
    *out = eng_undef();
    if (!x)
        return RT_OK;
    if (!rt_step(r))
        return rt_budget(r, x->path);
    switch (x->kind) {
    case AST_TEST_E_BOOLEAN: *out = eng_bool(r->a, x->b); break;
    case AST_TEST_E_NUMBER: *out = eng_num(r->a, x->num); break;
    case AST_TEST_E_STRING: *out = eng_str(r->a, x->s ? x->s : "", x->s ? x->s_len : 0); break;
    case AST_TEST_E_NULL: *out = eng_null(); break;
    case AST_TEST_E_UNDEFINED: *out = eng_undef(); break;
    case AST_TEST_E_ARRAY: {
        eng_value *arr = eng_arr(r->a, x->n_items);
        if (!arr)
            return RT_NOMEM;
        for (i = 0; i < x->n_items; i++) {
            f = rt_expr(r, x->items[i], &v);
            if (f != RT_OK)
                return f;
            arr->items[i] = (eng_value *)v;
        }
        *out = arr;
        break;
    }
    case AST_TEST_E_OBJECT: {
        eng_value *obj = eng_obj(r->a, x->n_items);
        size_t n = 0, m;
        if (!obj)
            return RT_NOMEM;
        for (i = 0; i < x->n_items; i++) {
            f = rt_expr(r, x->items[i], &v);
            if (f != RT_OK)
                return f;
            for (m = 0; m < n && x->keys[i] && strcmp(obj->keys[m], x->keys[i]) != 0; m++)
                ;
            if (!x->keys[i])
                continue;
            obj->keys[m] = x->keys[i];
            obj->items[m] = (eng_value *)v;
            if (m == n)
                n++;
        }
        obj->len = n;
        *out = obj;
        break;
    }
    case AST_TEST_E_IDENT:
        for (i = r->n_vars; i > 0; i--)
            if (x->s && strcmp(r->vars[i - 1].name, x->s) == 0) {
                *out = r->vars[i - 1].v;
                return RT_OK;
            }
        return rt_fail(r, ENG_TEST_FAIL_RUNTIME, x->path, "unknown variable");
    case AST_TEST_E_PROPERTY:
    case AST_TEST_E_ELEMENT: {
        char key[64];
        const char *name = x->s;
        f = rt_expr(r, x->a, &v);
        if (f != RT_OK)
            return f;
        if (x->kind == AST_TEST_E_ELEMENT) {
            f = rt_expr(r, x->b2, &k);
            if (f != RT_OK)
                return f;
            if (k->kind == ENG_NUM && v->kind == ENG_ARR) {
                *out = k->n >= 0 && k->n < (double)v->len && k->n == floor(k->n) ? v->items[(size_t)k->n]
                                                                                 : eng_undef();
                return RT_OK;
            }
            if (k->kind != ENG_STR || memchr(k->s, 0, k->len))
                return rt_throw(r, x->path, "an index that is not a number or a string");
            name = k->s;
        }
        if (!name)
            return rt_throw(r, x->path, "no property name");
        if (v->kind == ENG_NULL || v->kind == ENG_UNDEF) {
            snprintf(key, sizeof(key), "cannot read property of %s", eng_kind_name(v->kind));
            return rt_throw(r, x->path, key);
        }
        if ((v->kind == ENG_ARR || v->kind == ENG_STR) && strcmp(name, "length") == 0) {
            size_t len = v->len;
            if (v->kind == ENG_STR) {
                len = 0;
                for (i = 0; i < v->len; i++)
                    len += ((unsigned char)v->s[i] & 0xC0) != 0x80;
            }
            *out = eng_num(r->a, (double)len);
            break;
        }
        k = eng_get(v, name);
        *out = k ? k : eng_undef();
        return RT_OK;
    }
    case AST_TEST_E_UNARY:
        f = rt_expr(r, x->a, &v);
        if (f != RT_OK)
            return f;
        if (x->unop == AST_TEST_NOT)
            *out = eng_bool(r->a, !eng_truthy(v));
        else if (v->kind == ENG_NUM)
            *out = eng_num(r->a, -v->n);
        else
            return rt_throw(r, x->path, "negation of a value that is not a number");
        break;
    case AST_TEST_E_BINARY: return rt_binary(r, x, out);
    case AST_TEST_E_CONDITIONAL:
        f = rt_expr(r, x->a, &v);
        if (f != RT_OK)
            return f;
        return rt_expr(r, eng_truthy(v) ? x->b2 : x->c, out);
    case AST_TEST_E_ARROW: return rt_throw(r, x->path, "an arrow function is not a value");
    case AST_TEST_E_MAP: case AST_TEST_E_FILTER: case AST_TEST_E_SOME: case AST_TEST_E_EVERY: case AST_TEST_E_FIND:
        return rt_helper(r, x, out);
    case AST_TEST_E_REPEAT: {
        eng_value *arr;
        size_t n;
        f = rt_expr(r, x->a, &v);
        if (f != RT_OK)
            return f;
        if (v->kind != ENG_NUM || v->n < 0 || v->n > ENG_TEST_MAX_REPEAT || v->n != floor(v->n))
            return rt_throw(r, x->path, "repeat count must be an integer 0-1000");
        n = (size_t)v->n;
        arr = eng_arr(r->a, n);
        if (!arr)
            return RT_NOMEM;
        for (i = 0; i < n; i++) {
            eng_value *idx = eng_num(r->a, (double)i);
            if (!idx)
                return RT_NOMEM;
            if (!rt_step(r))
                return rt_budget(r, x->path);
            f = rt_call(r, x->b2, idx, eng_undef(), &k);
            if (f != RT_OK)
                return f;
            arr->items[i] = (eng_value *)k;
        }
        *out = arr;
        break;
    }
    case AST_TEST_E_RAND_STRING: case AST_TEST_E_RAND_INT: case AST_TEST_E_RAND_FORMAT:
        return rt_random(r, x, out);
    case AST_TEST_E_EQUAL: case AST_TEST_E_NOT_EQUAL: case AST_TEST_E_COND_PRED: case AST_TEST_E_ERROR_PRED:
    case AST_TEST_E_HTTP_ERROR:
        f = rt_predicate(r, x);
        if (f != RT_OK)
            return f;
        *out = eng_undef();
        return RT_OK;
    default:
        return rt_throw(r, x->path, "unknown expression");
    }
    return *out ? RT_OK : RT_NOMEM;
}

static rt_flow rt_block(rt *r, const ast_test_block *b)
{
    size_t i, saved = r->n_vars;
    rt_flow f = RT_OK;
    const eng_value *v;
    for (i = 0; i < b->n && f == RT_OK; i++) {
        const ast_test_stmt *s = b->items[i];
        if (!s)
            continue;
        if (!rt_step(r)) {
            f = rt_budget(r, s->path);
            break;
        }
        switch (s->kind) {
        case AST_TEST_S_API: f = rt_api(r, s); break;
        case AST_TEST_S_VAR:
            f = rt_expr(r, s->value, &v);
            if (f == RT_OK)
                f = rt_declare(r, s->name, v, s->path);
            break;
        case AST_TEST_S_EXPR: f = rt_expr(r, s->value, &v); break;
        case AST_TEST_S_IF:
            f = rt_expr(r, s->value, &v);
            if (f == RT_OK) {
                if (eng_truthy(v))
                    f = rt_block(r, &s->then_block);
                else if (s->has_else)
                    f = rt_block(r, &s->else_block);
            }
            break;
        case AST_TEST_S_RETURN:
            f = rt_expr(r, s->value, &v);
            if (f == RT_OK) {
                r->ret = v;
                f = RT_RETURN;
            }
            break;
        default: break;
        }
    }
    r->n_vars = saved;
    return f;
}

bb_result eng_test_run(eng_engine *e, const ast_api_doc *api, const ast_test_fn *fn, uint64_t seed,
                       const int *expected_status, eng_test_result *out)
{
    rt *r;
    rt_flow f;
    bb_result rc = BB_OK;
    memset(out, 0, sizeof(*out));
    r = bb_calloc(1, sizeof(*r));
    if (!r)
        return BB_ERR_NOMEM;
    r->a = bb_arena_new(ENG_TEST_ARENA_MAX);
    if (!r->a) {
        bb_free(r);
        return BB_ERR_NOMEM;
    }
    r->e = e;
    r->api = api;
    r->res = out;
    r->expected = expected_status;
    bb_rng_seed(&r->rng, seed);
    f = rt_block(r, &fn->statements);
    switch (f) {
    case RT_OK: case RT_RETURN: out->outcome = ENG_TEST_PASS; out->message[0] = 0; break;
    case RT_THROW:
        out->outcome = r->thrown_status ? ENG_TEST_FAIL_HTTP : ENG_TEST_FAIL_RUNTIME;
        out->http_status = r->thrown_status;
        break;
    case RT_FAIL: break;
    case RT_NOMEM:
        if (bb_arena_failed(r->a) == BB_ERR_LIMIT) {
            out->outcome = ENG_TEST_FAIL_RUNTIME;
            snprintf(out->message, sizeof(out->message), "the test's memory cap was reached");
        } else
            rc = BB_ERR_NOMEM;
        break;
    }
    bb_arena_free(r->a);
    bb_free(r);
    return rc;
}
