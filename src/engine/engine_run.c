/*
 * engine_run.c — the Impl AST interpreter: statements, expressions and
 * builtins over engine values (engine_value.h), with a step budget.
 *
 * Semantics follow JavaScript where a model would expect them and are strict
 * where JavaScript is surprising (docs/engine.md):
 *   - `+` adds numbers or concatenates when either side is a string;
 *     other arithmetic needs numbers; division or modulo by zero fails;
 *   - == / != are strict (no coercion), deep for arrays/objects, and treat
 *     null and undefined as equal; < <= > >= compare two numbers or two
 *     strings (byte order) and fail otherwise;
 *   - && || ?? short-circuit and return an operand; ! uses truthiness;
 *   - property access on null/undefined yields undefined (optional chaining);
 *     `length` of a string or array, and a digit name indexes an array;
 *   - a failure (type error, unknown variable, budget) stops the request
 *     with a 500-class engine error naming the node's path.
 * Every statement and expression evaluated costs one step; rows read or
 * changed cost one each (engine_sql.c); forEach and map/filter are bounded by
 * the same budget.
 */
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "engine/engine_internal.h"

#define ER_STRING_MAX (1024 * 1024) /* bytes of a string built by + */

const eng_value *eng_run_fail(eng_run *r, const char *path, const char *fmt, ...)
{
    va_list ap;

    if (r->flow == ENG_FLOW_FAIL)
        return NULL;
    r->flow = ENG_FLOW_FAIL;
    r->status = 500;
    bb_buf_reset(&r->msg);
    va_start(ap, fmt);
    (void)bb_buf_vprintf(&r->msg, fmt, ap);
    va_end(ap);
    if (path)
        (void)bb_buf_printf(&r->msg, " (at %s)", path);
    return NULL;
}

int eng_run_step(eng_run *r, size_t n, const char *path)
{
    if (r->flow == ENG_FLOW_FAIL)
        return 0;
    r->steps += n;
    if (r->steps > r->e->p.max_steps) {
        eng_run_fail(r, path, "step budget exhausted (%zu steps): the implementation does too much work",
                     r->e->p.max_steps);
        return 0;
    }
    return 1;
}

static const eng_value *er_oom(eng_run *r, const char *path)
{
    return eng_run_fail(r, path, "request memory cap reached (%zu bytes)", r->e->p.max_arena);
}

/* ---- variables ------------------------------------------------------------ */

static eng_var *er_lookup(eng_run *r, const char *name)
{
    size_t i;

    for (i = r->n_vars; i > 0; i--) {
        if (strcmp(r->vars[i - 1].name, name) == 0)
            return &r->vars[i - 1];
    }
    return NULL;
}

static int er_push(eng_run *r, const char *name, const eng_value *v, int is_const, const char *path)
{
    if (r->n_vars >= r->e->p.max_vars) {
        eng_run_fail(r, path, "too many live variables (at most %zu)", r->e->p.max_vars);
        return 0;
    }
    r->vars[r->n_vars].name = name;
    r->vars[r->n_vars].v = v;
    r->vars[r->n_vars].is_const = is_const;
    r->n_vars++;
    return 1;
}

/* ---- helpers ---------------------------------------------------------------- */

static const eng_value *er_num(eng_run *r, double n, const char *path)
{
    eng_value *v;

    if (!isfinite(n))
        return eng_run_fail(r, path, "arithmetic produced a non-finite number");
    v = eng_num(r->arena, n);
    return v ? v : er_oom(r, path);
}

static const eng_value *er_bool(eng_run *r, int b, const char *path)
{
    eng_value *v = eng_bool(r->arena, b);

    return v ? v : er_oom(r, path);
}

static const eng_value *er_str(eng_run *r, const char *s, size_t n, const char *path)
{
    eng_value *v = eng_str(r->arena, s, n);

    return v ? v : er_oom(r, path);
}

/* Appends the string form of a scalar (for + concatenation). */
static int er_to_text(const eng_value *v, bb_buf *b)
{
    switch (v->kind) {
    case ENG_STR: return bb_buf_append(b, v->s, v->len) == BB_OK;
    case ENG_NUM: return eng_value_to_json(v, b) == BB_OK;
    case ENG_BOOL: return bb_buf_puts(b, v->b ? "true" : "false") == BB_OK;
    case ENG_NULL: return bb_buf_puts(b, "null") == BB_OK;
    case ENG_UNDEF: return bb_buf_puts(b, "undefined") == BB_OK;
    default: return 0;
    }
}

static int er_cmp(const eng_value *a, const eng_value *b, int *out)
{
    if (a->kind == ENG_NUM && b->kind == ENG_NUM) {
        *out = a->n < b->n ? -1 : a->n > b->n ? 1 : 0;
        return 1;
    }
    if (a->kind == ENG_STR && b->kind == ENG_STR) {
        size_t n = a->len < b->len ? a->len : b->len;
        int c = memcmp(a->s, b->s, n);

        *out = c != 0 ? (c < 0 ? -1 : 1) : a->len < b->len ? -1 : a->len > b->len ? 1 : 0;
        return 1;
    }
    return 0;
}

/* ---- expressions ---------------------------------------------------------- */

static const eng_value *er_binary(eng_run *r, const ast_impl_expr *x)
{
    const eng_value *a = eng_run_eval(r, x->a), *b;
    int c;

    if (!a)
        return NULL;
    switch (x->binop) {
    case AST_IMPL_AND: return eng_truthy(a) ? eng_run_eval(r, x->b2) : a;
    case AST_IMPL_OR: return eng_truthy(a) ? a : eng_run_eval(r, x->b2);
    case AST_IMPL_COALESCE: return a->kind == ENG_NULL || a->kind == ENG_UNDEF ? eng_run_eval(r, x->b2) : a;
    default: break;
    }
    b = eng_run_eval(r, x->b2);
    if (!b)
        return NULL;
    switch (x->binop) {
    case AST_IMPL_EQ: return er_bool(r, eng_equal(a, b), x->path);
    case AST_IMPL_NE: return er_bool(r, !eng_equal(a, b), x->path);
    case AST_IMPL_LT:
    case AST_IMPL_LE:
    case AST_IMPL_GT:
    case AST_IMPL_GE:
        if (!er_cmp(a, b, &c))
            return eng_run_fail(r, x->path, "operator %s compares two numbers or two strings, not %s and %s",
                                ast_impl_binop_name(x->binop), eng_kind_name(a->kind), eng_kind_name(b->kind));
        return er_bool(r, x->binop == AST_IMPL_LT ? c < 0 : x->binop == AST_IMPL_LE ? c <= 0
                                                     : x->binop == AST_IMPL_GT ? c > 0 : c >= 0, x->path);
    case AST_IMPL_ADD:
        if (a->kind == ENG_STR || b->kind == ENG_STR) {
            bb_buf t;
            const eng_value *v = NULL;

            bb_buf_init(&t, ER_STRING_MAX);
            if (er_to_text(a, &t) && er_to_text(b, &t))
                v = er_str(r, bb_buf_str(&t), t.len, x->path);
            else if ((a->kind == ENG_STR || a->kind == ENG_NUM || a->kind == ENG_BOOL || a->kind <= ENG_NULL) &&
                     (b->kind == ENG_STR || b->kind == ENG_NUM || b->kind == ENG_BOOL || b->kind <= ENG_NULL))
                eng_run_fail(r, x->path, "string longer than %d bytes", ER_STRING_MAX);
            else
                eng_run_fail(r, x->path, "cannot concatenate %s and %s", eng_kind_name(a->kind),
                             eng_kind_name(b->kind));
            bb_buf_free(&t);
            return v;
        }
        /* fall through */
    case AST_IMPL_SUB:
    case AST_IMPL_MUL:
    case AST_IMPL_DIV:
    case AST_IMPL_MOD:
        if (a->kind != ENG_NUM || b->kind != ENG_NUM)
            return eng_run_fail(r, x->path, "operator %s needs numbers, not %s and %s", ast_impl_binop_name(x->binop),
                                eng_kind_name(a->kind), eng_kind_name(b->kind));
        if ((x->binop == AST_IMPL_DIV || x->binop == AST_IMPL_MOD) && b->n == 0)
            return eng_run_fail(r, x->path, "division by zero");
        return er_num(r, x->binop == AST_IMPL_ADD ? a->n + b->n : x->binop == AST_IMPL_SUB ? a->n - b->n
                         : x->binop == AST_IMPL_MUL ? a->n * b->n : x->binop == AST_IMPL_DIV ? a->n / b->n
                         : fmod(a->n, b->n), x->path);
    default:
        return eng_run_fail(r, x->path, "unknown operator");
    }
}

static const eng_value *er_property(eng_run *r, const ast_impl_expr *x)
{
    const eng_value *o = eng_run_eval(r, x->a), *v;

    if (!o)
        return NULL;
    if (o->kind == ENG_NULL || o->kind == ENG_UNDEF)
        return eng_undef();
    if (strcmp(x->s, "length") == 0 && (o->kind == ENG_STR || o->kind == ENG_ARR)) {
        size_t i, k = 0;

        if (o->kind == ENG_ARR)
            return er_num(r, (double)o->len, x->path);
        for (i = 0; i < o->len; i++) /* code points, like the length() builtin */
            k += ((unsigned char)o->s[i] & 0xc0) != 0x80;
        return er_num(r, (double)k, x->path);
    }
    if (o->kind == ENG_ARR && x->s[0] >= '0' && x->s[0] <= '9') {
        size_t i = 0;
        const char *p;

        for (p = x->s; *p >= '0' && *p <= '9' && i < ((size_t)1 << 40); p++)
            i = i * 10 + (size_t)(*p - '0');
        return *p == '\0' && i < o->len ? o->items[i] : eng_undef();
    }
    v = eng_get(o, x->s);
    return v ? v : eng_undef();
}

static const eng_value *er_object(eng_run *r, const ast_impl_expr *x)
{
    eng_value *o = eng_obj(r->arena, x->n_fields);
    size_t i;

    if (!o)
        return er_oom(r, x->path);
    for (i = 0; i < x->n_fields; i++) {
        const eng_value *v = eng_run_eval(r, x->fields[i].value);

        if (!v)
            return NULL;
        o->keys[i] = x->fields[i].name;
        o->items[i] = (eng_value *)v;
    }
    return o;
}

static const eng_value *er_array(eng_run *r, const ast_impl_expr *x)
{
    eng_value *a = eng_arr(r->arena, x->n_items);
    size_t i;

    if (!a)
        return er_oom(r, x->path);
    for (i = 0; i < x->n_items; i++) {
        const eng_value *v = eng_run_eval(r, x->items[i]);

        if (!v)
            return NULL;
        a->items[i] = (eng_value *)v;
    }
    return a;
}

/* Applies a lambda to one element. */
static const eng_value *er_apply(eng_run *r, const ast_impl_expr *lam, const eng_value *el, size_t idx)
{
    size_t mark = r->n_vars;
    const eng_value *v;

    if (lam->n_params > 0 && !er_push(r, lam->params[0], el, 1, lam->path))
        return NULL;
    if (lam->n_params > 1) {
        const eng_value *iv = er_num(r, (double)idx, lam->path);

        if (!iv || !er_push(r, lam->params[1], iv, 1, lam->path))
            return NULL;
    }
    v = eng_run_eval(r, lam->a);
    r->n_vars = mark;
    return v;
}

static const eng_value *er_map_filter(eng_run *r, const ast_impl_expr *x)
{
    const eng_value *arr = eng_run_eval(r, x->items[0]);
    const ast_impl_expr *lam = x->items[1];
    eng_value *out;
    size_t i, k = 0;

    if (!arr)
        return NULL;
    if (arr->kind != ENG_ARR)
        return eng_run_fail(r, x->path, "%s needs an array, got %s", ast_impl_builtin_name(x->fn),
                            eng_kind_name(arr->kind));
    if (lam->kind != AST_IMPL_E_LAMBDA)
        return eng_run_fail(r, lam->path, "the second argument of %s is a lambda", ast_impl_builtin_name(x->fn));
    out = eng_arr(r->arena, arr->len);
    if (!out)
        return er_oom(r, x->path);
    for (i = 0; i < arr->len; i++) {
        const eng_value *v = er_apply(r, lam, arr->items[i], i);

        if (!v)
            return NULL;
        if (x->fn == AST_IMPL_FN_MAP)
            out->items[k++] = (eng_value *)v;
        else if (eng_truthy(v))
            out->items[k++] = arr->items[i];
    }
    out->len = k;
    return out;
}

static const eng_value *er_issue_token(eng_run *r, const ast_impl_expr *x, const eng_value *id)
{
    bb_buf acc, ref;
    char t1[32], t2[32];
    eng_value *o;
    int64_t now = r->e->clock_ms;
    const eng_value *res = NULL;

    if (id->kind != ENG_STR || strlen(id->s) != id->len)
        return eng_run_fail(r, x->path, "issueToken needs the principal id (a string), got %s", eng_kind_name(id->kind));
    if (!r->actor)
        return eng_run_fail(r, x->path, "issueToken in an operation without authorizationActor");
    bb_buf_init(&acc, ENG_TOKEN_MAX * 2);
    bb_buf_init(&ref, ENG_TOKEN_MAX * 2);
    if (eng_auth_token(&r->e->auth, ENG_TOKEN_ACCESS, r->actor, id->s, now + ENG_ACCESS_TTL_MS, &acc) != BB_OK ||
        eng_auth_token(&r->e->auth, ENG_TOKEN_REFRESH, r->actor, id->s, now + ENG_REFRESH_TTL_MS, &ref) != BB_OK) {
        eng_run_fail(r, x->path, "issueToken: the id must be a non-empty string without '.'");
        goto out;
    }
    eng_time_format(now + ENG_ACCESS_TTL_MS, t1);
    eng_time_format(now + ENG_REFRESH_TTL_MS, t2);
    o = eng_obj(r->arena, 4);
    if (!o) {
        er_oom(r, x->path);
        goto out;
    }
    o->keys[0] = "access";
    o->items[0] = eng_str(r->arena, acc.data, acc.len);
    o->keys[1] = "refresh";
    o->items[1] = eng_str(r->arena, ref.data, ref.len);
    o->keys[2] = "expired_at";
    o->items[2] = eng_strz(r->arena, t1);
    o->keys[3] = "refreshable_until";
    o->items[3] = eng_strz(r->arena, t2);
    if (!o->items[0] || !o->items[1] || !o->items[2] || !o->items[3])
        er_oom(r, x->path);
    else
        res = o;
out:
    bb_buf_free(&acc);
    bb_buf_free(&ref);
    return res;
}

static const eng_value *er_principal_value(eng_run *r, const eng_principal *p, const char *path)
{
    eng_value *o = eng_obj(r->arena, 2);

    if (!o)
        return er_oom(r, path);
    o->keys[0] = "id";
    o->items[0] = eng_strz(r->arena, p->id);
    o->keys[1] = "actor";
    o->items[1] = eng_strz(r->arena, p->actor);
    return o->items[0] && o->items[1] ? o : er_oom(r, path);
}

static const eng_value *er_string_fn(eng_run *r, const ast_impl_expr *x, const eng_value *s)
{
    size_t i, a, b;
    char *t;

    if (s->kind != ENG_STR)
        return eng_run_fail(r, x->path, "%s needs a string, got %s", ast_impl_builtin_name(x->fn), eng_kind_name(s->kind));
    if (x->fn == AST_IMPL_FN_TRIM) {
        a = 0;
        b = s->len;
        while (a < b && (s->s[a] == ' ' || s->s[a] == '\t' || s->s[a] == '\n' || s->s[a] == '\r'))
            a++;
        while (b > a && (s->s[b - 1] == ' ' || s->s[b - 1] == '\t' || s->s[b - 1] == '\n' || s->s[b - 1] == '\r'))
            b--;
        return er_str(r, s->s + a, b - a, x->path);
    }
    t = bb_arena_strndup(r->arena, s->s, s->len);
    if (!t)
        return er_oom(r, x->path);
    for (i = 0; i < s->len; i++) {
        if (x->fn == AST_IMPL_FN_LOWER && t[i] >= 'A' && t[i] <= 'Z')
            t[i] = (char)(t[i] - 'A' + 'a');
        else if (x->fn == AST_IMPL_FN_UPPER && t[i] >= 'a' && t[i] <= 'z')
            t[i] = (char)(t[i] - 'a' + 'A');
    }
    return er_str(r, t, s->len, x->path);
}

static const eng_value *er_call(eng_run *r, const ast_impl_expr *x)
{
    const eng_value *args[16];
    size_t i, n = x->n_items;
    int lo, hi;

    ast_impl_builtin_arity(x->fn, &lo, &hi);
    if ((int)n < lo || (int)n > hi)
        return eng_run_fail(r, x->path, "%s takes %d to %d arguments, got %zu", ast_impl_builtin_name(x->fn), lo, hi, n);
    if (x->fn == AST_IMPL_FN_MAP || x->fn == AST_IMPL_FN_FILTER)
        return er_map_filter(r, x);
    for (i = 0; i < n; i++) {
        if (x->items[i]->kind == AST_IMPL_E_LAMBDA)
            return eng_run_fail(r, x->items[i]->path, "a lambda is only an argument of map or filter");
        args[i] = eng_run_eval(r, x->items[i]);
        if (!args[i])
            return NULL;
    }
    switch (x->fn) {
    case AST_IMPL_FN_NOW: {
        char t[32];

        eng_time_format(r->e->clock_ms, t);
        return er_str(r, t, strlen(t), x->path);
    }
    case AST_IMPL_FN_UUID: {
        char id[40];

        eng_auth_uuid(&r->e->auth, id);
        return er_str(r, id, strlen(id), x->path);
    }
    case AST_IMPL_FN_HASH_PASSWORD: {
        bb_buf h;
        const eng_value *v = NULL;

        if (args[0]->kind != ENG_STR)
            return eng_run_fail(r, x->path, "hashPassword needs a string, got %s", eng_kind_name(args[0]->kind));
        bb_buf_init(&h, 128);
        if (eng_auth_hash_password(&r->e->auth, args[0]->s, args[0]->len, &h) == BB_OK)
            v = er_str(r, h.data, h.len, x->path);
        else
            er_oom(r, x->path);
        bb_buf_free(&h);
        return v;
    }
    case AST_IMPL_FN_VERIFY_PASSWORD:
        if (args[0]->kind != ENG_STR)
            return eng_run_fail(r, x->path, "verifyPassword needs (password, hash) strings");
        return er_bool(r, args[1]->kind == ENG_STR &&
                              eng_auth_verify_password(&r->e->auth, args[0]->s, args[0]->len, args[1]->s, args[1]->len),
                       x->path);
    case AST_IMPL_FN_ISSUE_TOKEN:
        return er_issue_token(r, x, args[0]);
    case AST_IMPL_FN_VERIFY_REFRESH_TOKEN: {
        eng_principal p;

        if (args[0]->kind != ENG_STR ||
            eng_auth_verify_token(&r->e->auth, args[0]->s, args[0]->len, ENG_TOKEN_REFRESH, r->e->clock_ms, &p) !=
                ENG_TOKEN_OK ||
            (r->actor && strcmp(p.actor, r->actor) != 0))
            return eng_null();
        return er_principal_value(r, &p, x->path);
    }
    case AST_IMPL_FN_LENGTH:
        if (args[0]->kind != ENG_STR && args[0]->kind != ENG_ARR)
            return eng_run_fail(r, x->path, "length needs a string or an array, got %s", eng_kind_name(args[0]->kind));
        if (args[0]->kind == ENG_STR) {
            size_t k = 0;

            for (i = 0; i < args[0]->len; i++) {
                if (((unsigned char)args[0]->s[i] & 0xc0) != 0x80)
                    k++;
            }
            return er_num(r, (double)k, x->path);
        }
        return er_num(r, (double)args[0]->len, x->path);
    case AST_IMPL_FN_LOWER:
    case AST_IMPL_FN_UPPER:
    case AST_IMPL_FN_TRIM:
        return er_string_fn(r, x, args[0]);
    case AST_IMPL_FN_CONTAINS:
    case AST_IMPL_FN_STARTS_WITH:
        if (args[0]->kind != ENG_STR || args[1]->kind != ENG_STR)
            return eng_run_fail(r, x->path, "%s needs two strings", ast_impl_builtin_name(x->fn));
        if (x->fn == AST_IMPL_FN_STARTS_WITH)
            return er_bool(r, args[1]->len <= args[0]->len && memcmp(args[0]->s, args[1]->s, args[1]->len) == 0,
                           x->path);
        if (args[1]->len == 0)
            return er_bool(r, 1, x->path);
        for (i = 0; i + args[1]->len <= args[0]->len; i++) {
            if (memcmp(args[0]->s + i, args[1]->s, args[1]->len) == 0)
                return er_bool(r, 1, x->path);
        }
        return er_bool(r, 0, x->path);
    case AST_IMPL_FN_MIN:
    case AST_IMPL_FN_MAX: {
        double m = 0;

        for (i = 0; i < n; i++) {
            if (args[i]->kind != ENG_NUM)
                return eng_run_fail(r, x->path, "%s needs numbers", ast_impl_builtin_name(x->fn));
            if (i == 0 || (x->fn == AST_IMPL_FN_MIN ? args[i]->n < m : args[i]->n > m))
                m = args[i]->n;
        }
        return er_num(r, m, x->path);
    }
    case AST_IMPL_FN_FLOOR:
    case AST_IMPL_FN_CEIL:
    case AST_IMPL_FN_ROUND:
    case AST_IMPL_FN_ABS:
        if (args[0]->kind != ENG_NUM)
            return eng_run_fail(r, x->path, "%s needs a number, got %s", ast_impl_builtin_name(x->fn),
                                eng_kind_name(args[0]->kind));
        return er_num(r, x->fn == AST_IMPL_FN_FLOOR ? floor(args[0]->n) : x->fn == AST_IMPL_FN_CEIL ? ceil(args[0]->n)
                         : x->fn == AST_IMPL_FN_ROUND ? floor(args[0]->n + 0.5) : fabs(args[0]->n), x->path);
    case AST_IMPL_FN_INCLUDES:
        if (args[0]->kind == ENG_STR && args[1]->kind == ENG_STR) {
            for (i = 0; i + args[1]->len <= args[0]->len; i++) {
                if (memcmp(args[0]->s + i, args[1]->s, args[1]->len) == 0)
                    return er_bool(r, 1, x->path);
            }
            return er_bool(r, 0, x->path);
        }
        if (args[0]->kind != ENG_ARR)
            return eng_run_fail(r, x->path, "includes needs an array, got %s", eng_kind_name(args[0]->kind));
        for (i = 0; i < args[0]->len; i++) {
            if (eng_equal(args[0]->items[i], args[1]))
                return er_bool(r, 1, x->path);
        }
        return er_bool(r, 0, x->path);
    case AST_IMPL_FN_SUM: {
        double s = 0;

        if (args[0]->kind != ENG_ARR)
            return eng_run_fail(r, x->path, "sum needs an array of numbers");
        for (i = 0; i < args[0]->len; i++) {
            if (args[0]->items[i]->kind != ENG_NUM)
                return eng_run_fail(r, x->path, "sum needs an array of numbers");
            s += args[0]->items[i]->n;
        }
        return er_num(r, s, x->path);
    }
    case AST_IMPL_FN_MERGE: {
        eng_value *o;
        size_t k = 0, j;

        if (args[0]->kind != ENG_OBJ || args[1]->kind != ENG_OBJ)
            return eng_run_fail(r, x->path, "merge needs two objects");
        o = eng_obj(r->arena, args[0]->len + args[1]->len);
        if (!o)
            return er_oom(r, x->path);
        for (j = 0; j < args[0]->len; j++) {
            if (args[0]->keys[j] && !eng_get(args[1], args[0]->keys[j])) {
                o->keys[k] = args[0]->keys[j];
                o->items[k++] = args[0]->items[j];
            }
        }
        for (j = 0; j < args[1]->len; j++) {
            o->keys[k] = args[1]->keys[j];
            o->items[k++] = args[1]->items[j];
        }
        o->len = k;
        return o;
    }
    case AST_IMPL_FN_PARSE_DATE: {
        int64_t ms;

        if (args[0]->kind != ENG_STR || eng_time_parse(args[0]->s, args[0]->len, &ms) != 0)
            return eng_null();
        return er_num(r, (double)ms, x->path);
    }
    case AST_IMPL_FN_FORMAT_DATE: {
        char t[32];

        if (args[0]->kind != ENG_NUM || !args[0]->is_int || fabs(args[0]->n) > 253402300799999.0)
            return eng_run_fail(r, x->path, "formatDate needs integer milliseconds since 1970 (years 0-9999)");
        eng_time_format((int64_t)args[0]->n, t);
        return er_str(r, t, strlen(t), x->path);
    }
    default:
        return eng_run_fail(r, x->path, "unknown builtin");
    }
}

const eng_value *eng_run_eval(eng_run *r, const ast_impl_expr *x)
{
    const eng_value *v;
    eng_var *var;

    if (!eng_run_step(r, 1, x->path))
        return NULL;
    switch (x->kind) {
    case AST_IMPL_E_STRING: return er_str(r, x->s, x->s_len, x->path);
    case AST_IMPL_E_NUMBER: return er_num(r, x->num, x->path);
    case AST_IMPL_E_BOOLEAN: return er_bool(r, x->b, x->path);
    case AST_IMPL_E_NULL: return eng_null();
    case AST_IMPL_E_UNDEFINED: return eng_undef();
    case AST_IMPL_E_OBJECT: return er_object(r, x);
    case AST_IMPL_E_ARRAY: return er_array(r, x);
    case AST_IMPL_E_IDENT:
        var = er_lookup(r, x->s);
        if (!var)
            return eng_run_fail(r, x->path, "unknown variable %s", x->s);
        return var->v;
    case AST_IMPL_E_PATH_PARAM:
        v = eng_get(r->params, x->s);
        return v ? v : eng_run_fail(r, x->path, "the path has no parameter %s", x->s);
    case AST_IMPL_E_QUERY:
        v = eng_get(r->query, x->s);
        return v ? v : eng_undef();
    case AST_IMPL_E_BODY: return r->body;
    case AST_IMPL_E_PRINCIPAL: return r->principal;
    case AST_IMPL_E_PROPERTY: return er_property(r, x);
    case AST_IMPL_E_UNARY:
        v = eng_run_eval(r, x->a);
        if (!v)
            return NULL;
        if (x->unop == AST_IMPL_NOT)
            return er_bool(r, !eng_truthy(v), x->path);
        if (v->kind != ENG_NUM)
            return eng_run_fail(r, x->path, "unary - needs a number, got %s", eng_kind_name(v->kind));
        return er_num(r, -v->n, x->path);
    case AST_IMPL_E_BINARY: return er_binary(r, x);
    case AST_IMPL_E_CONDITIONAL:
        v = eng_run_eval(r, x->a);
        if (!v)
            return NULL;
        return eng_run_eval(r, eng_truthy(v) ? x->b2 : x->c);
    case AST_IMPL_E_CALL: return er_call(r, x);
    case AST_IMPL_E_LAMBDA: return eng_run_fail(r, x->path, "a lambda is only an argument of map or filter");
    case AST_IMPL_E_FIND_MANY:
    case AST_IMPL_E_FIND_FIRST:
    case AST_IMPL_E_COUNT:
    case AST_IMPL_E_CREATE:
    case AST_IMPL_E_UPDATE:
    case AST_IMPL_E_DELETE: return eng_sql_exec(r, x);
    default: return eng_run_fail(r, x->path, "unknown expression");
    }
}

/* ---- statements ----------------------------------------------------------- */

static eng_flow er_stmt(eng_run *r, const ast_impl_stmt *s)
{
    const eng_value *v;
    eng_var *var;
    size_t i, mark;
    eng_flow f;

    if (!eng_run_step(r, 1, s->path))
        return ENG_FLOW_FAIL;
    switch (s->kind) {
    case AST_IMPL_S_CONST:
    case AST_IMPL_S_LET:
        v = eng_run_eval(r, s->value);
        if (!v || !er_push(r, s->name, v, s->kind == AST_IMPL_S_CONST, s->path))
            return ENG_FLOW_FAIL;
        return ENG_FLOW_NEXT;
    case AST_IMPL_S_ASSIGN:
        var = er_lookup(r, s->name);
        if (!var) {
            eng_run_fail(r, s->path, "assignment to unknown variable %s", s->name);
            return ENG_FLOW_FAIL;
        }
        if (var->is_const) {
            eng_run_fail(r, s->path, "assignment to const %s", s->name);
            return ENG_FLOW_FAIL;
        }
        v = eng_run_eval(r, s->value);
        if (!v)
            return ENG_FLOW_FAIL;
        var = er_lookup(r, s->name); /* evaluation may have pushed and popped */
        var->v = v;
        return ENG_FLOW_NEXT;
    case AST_IMPL_S_IF:
        v = eng_run_eval(r, s->value);
        if (!v)
            return ENG_FLOW_FAIL;
        if (eng_truthy(v))
            return eng_run_block(r, &s->then_block);
        return s->has_else ? eng_run_block(r, &s->else_block) : ENG_FLOW_NEXT;
    case AST_IMPL_S_FOR_EACH:
        v = eng_run_eval(r, s->value);
        if (!v)
            return ENG_FLOW_FAIL;
        if (v->kind != ENG_ARR) {
            eng_run_fail(r, s->path, "forEach needs an array, got %s", eng_kind_name(v->kind));
            return ENG_FLOW_FAIL;
        }
        for (i = 0; i < v->len; i++) {
            mark = r->n_vars;
            if (!er_push(r, s->name, v->items[i], 1, s->path))
                return ENG_FLOW_FAIL;
            f = eng_run_block(r, &s->body);
            r->n_vars = mark;
            if (f != ENG_FLOW_NEXT)
                return f;
        }
        return ENG_FLOW_NEXT;
    case AST_IMPL_S_RETURN:
        v = s->value ? eng_run_eval(r, s->value) : eng_undef();
        if (!v)
            return ENG_FLOW_FAIL;
        r->flow = ENG_FLOW_RETURN;
        r->status = s->status;
        r->result = v;
        return ENG_FLOW_RETURN;
    case AST_IMPL_S_THROW:
        v = eng_run_eval(r, s->value);
        if (!v)
            return ENG_FLOW_FAIL;
        r->flow = ENG_FLOW_THROW;
        r->status = s->status;
        bb_buf_reset(&r->msg);
        if (v->kind == ENG_STR)
            (void)bb_buf_append(&r->msg, v->s, v->len);
        else
            (void)eng_value_to_json(v, &r->msg);
        return ENG_FLOW_THROW;
    case AST_IMPL_S_EXPR:
        v = eng_run_eval(r, s->value);
        return v ? ENG_FLOW_NEXT : ENG_FLOW_FAIL;
    default:
        eng_run_fail(r, s->path, "unknown statement");
        return ENG_FLOW_FAIL;
    }
}

eng_flow eng_run_block(eng_run *r, const ast_impl_block *b)
{
    size_t i, mark = r->n_vars;
    eng_flow f = ENG_FLOW_NEXT;

    for (i = 0; i < b->n && f == ENG_FLOW_NEXT; i++)
        f = er_stmt(r, b->items[i]);
    r->n_vars = mark;
    if (r->flow == ENG_FLOW_FAIL)
        return ENG_FLOW_FAIL;
    return f;
}
