/*
 * engine_value.c — tagged values, equality, truthiness and the JSON edges
 * (see engine_value.h).
 */
#include "engine_value.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

static const eng_value eng_undef_value = {ENG_UNDEF, 0, 0, 0, NULL, 0, NULL, NULL};
static const eng_value eng_null_value = {ENG_NULL, 0, 0, 0, NULL, 0, NULL, NULL};

const eng_value *eng_undef(void)
{
    return &eng_undef_value;
}

const eng_value *eng_null(void)
{
    return &eng_null_value;
}

static eng_value *eng_new(bb_arena *a, eng_kind k)
{
    eng_value *v = bb_arena_alloc(a, sizeof *v);

    if (v)
        v->kind = k;
    return v;
}

eng_value *eng_bool(bb_arena *a, int b)
{
    eng_value *v = eng_new(a, ENG_BOOL);

    if (v)
        v->b = b != 0;
    return v;
}

eng_value *eng_num(bb_arena *a, double n)
{
    eng_value *v = eng_new(a, ENG_NUM);

    if (v) {
        v->n = n;
        v->is_int = isfinite(n) && n == floor(n) && fabs(n) < 9007199254740992.0;
    }
    return v;
}

eng_value *eng_str(bb_arena *a, const char *s, size_t len)
{
    eng_value *v = eng_new(a, ENG_STR);

    if (!v)
        return NULL;
    v->s = bb_arena_strndup(a, s ? s : "", s ? len : 0);
    v->len = s ? len : 0;
    return v->s ? v : NULL;
}

eng_value *eng_strz(bb_arena *a, const char *s)
{
    return eng_str(a, s, s ? strlen(s) : 0);
}

eng_value *eng_arr(bb_arena *a, size_t n)
{
    eng_value *v = eng_new(a, ENG_ARR);

    if (!v)
        return NULL;
    v->items = bb_arena_calloc(a, n ? n : 1, sizeof *v->items);
    v->len = n;
    return v->items ? v : NULL;
}

eng_value *eng_obj(bb_arena *a, size_t n)
{
    eng_value *v = eng_new(a, ENG_OBJ);

    if (!v)
        return NULL;
    v->items = bb_arena_calloc(a, n ? n : 1, sizeof *v->items);
    v->keys = bb_arena_calloc(a, n ? n : 1, sizeof *v->keys);
    v->len = n;
    return v->items && v->keys ? v : NULL;
}

const eng_value *eng_get(const eng_value *v, const char *key)
{
    size_t i;

    if (!v || v->kind != ENG_OBJ)
        return NULL;
    for (i = 0; i < v->len; i++) {
        if (v->keys[i] && strcmp(v->keys[i], key) == 0)
            return v->items[i];
    }
    return NULL;
}

int eng_truthy(const eng_value *v)
{
    switch (v->kind) {
    case ENG_BOOL: return v->b;
    case ENG_NUM: return v->n != 0 && !isnan(v->n);
    case ENG_STR: return v->len > 0;
    case ENG_ARR:
    case ENG_OBJ: return 1;
    default: return 0;
    }
}

int eng_equal(const eng_value *a, const eng_value *b)
{
    size_t i;
    int an = a->kind == ENG_NULL || a->kind == ENG_UNDEF, bn = b->kind == ENG_NULL || b->kind == ENG_UNDEF;

    if (an || bn)
        return an && bn;
    if (a->kind != b->kind)
        return 0;
    switch (a->kind) {
    case ENG_BOOL: return a->b == b->b;
    case ENG_NUM: return a->n == b->n;
    case ENG_STR: return a->len == b->len && memcmp(a->s, b->s, a->len) == 0;
    case ENG_ARR:
        if (a->len != b->len)
            return 0;
        for (i = 0; i < a->len; i++) {
            if (!eng_equal(a->items[i], b->items[i]))
                return 0;
        }
        return 1;
    case ENG_OBJ:
        if (a->len != b->len)
            return 0;
        for (i = 0; i < a->len; i++) {
            const eng_value *o = eng_get(b, a->keys[i]);

            if (!o || !eng_equal(a->items[i], o))
                return 0;
        }
        return 1;
    default: return 0;
    }
}

const char *eng_kind_name(eng_kind k)
{
    static const char *const names[] = {"undefined", "null", "boolean", "number", "string", "array", "object"};

    return (unsigned)k <= ENG_OBJ ? names[k] : "?";
}

bb_result eng_value_from_json(bb_arena *a, const json_t *j, int max_depth, eng_value **out)
{
    eng_value *v = NULL;
    bb_result rc = BB_OK;
    size_t i;

    *out = NULL;
    if (max_depth <= 0)
        return BB_ERR_LIMIT;
    switch (json_typeof(j)) {
    case JSON_NULL:
        v = eng_new(a, ENG_NULL);
        break;
    case JSON_TRUE:
    case JSON_FALSE:
        v = eng_bool(a, json_is_true(j));
        break;
    case JSON_INTEGER:
    case JSON_REAL:
        v = eng_num(a, json_number_value(j));
        break;
    case JSON_STRING:
        v = eng_str(a, json_string_value(j), json_string_length(j));
        break;
    case JSON_ARRAY:
        v = eng_arr(a, json_array_size(j));
        for (i = 0; v && rc == BB_OK && i < v->len; i++)
            rc = eng_value_from_json(a, json_array_get(j, i), max_depth - 1, &v->items[i]);
        break;
    case JSON_OBJECT: {
        const char *k;
        json_t *m;

        v = eng_obj(a, json_object_size(j));
        i = 0;
        if (!v)
            break;
        json_object_foreach((json_t *)j, k, m) {
            if (rc != BB_OK)
                break;
            v->keys[i] = bb_arena_strdup(a, k);
            if (!v->keys[i])
                rc = bb_arena_failed(a);
            else
                rc = eng_value_from_json(a, m, max_depth - 1, &v->items[i]);
            i++;
        }
        break;
    }
    }
    if (rc != BB_OK)
        return rc;
    if (!v)
        return bb_arena_failed(a) != BB_OK ? bb_arena_failed(a) : BB_ERR_NOMEM;
    *out = v;
    return BB_OK;
}

static bb_result eng_num_to_json(double n, int is_int, bb_buf *out)
{
    char tmp[40];

    if (!isfinite(n))
        return bb_buf_puts(out, "null");
    if (is_int || (n == floor(n) && fabs(n) < 9007199254740992.0))
        snprintf(tmp, sizeof tmp, "%.0f", n);
    else
        snprintf(tmp, sizeof tmp, "%.17g", n);
    if (strcmp(tmp, "-0") == 0)
        return bb_buf_puts(out, "0");
    return bb_buf_puts(out, tmp);
}

bb_result eng_value_to_json(const eng_value *v, bb_buf *out)
{
    bb_result rc = BB_OK;
    size_t i;
    int first = 1;

    switch (v->kind) {
    case ENG_UNDEF:
    case ENG_NULL: return bb_buf_puts(out, "null");
    case ENG_BOOL: return bb_buf_puts(out, v->b ? "true" : "false");
    case ENG_NUM: return eng_num_to_json(v->n, v->is_int, out);
    case ENG_STR: return bb_buf_put_json_string(out, v->s, v->len);
    case ENG_ARR:
        rc = bb_buf_putc(out, '[');
        for (i = 0; rc == BB_OK && i < v->len; i++) {
            if (i > 0)
                rc = bb_buf_putc(out, ',');
            if (rc == BB_OK)
                rc = eng_value_to_json(v->items[i], out);
        }
        return rc == BB_OK ? bb_buf_putc(out, ']') : rc;
    case ENG_OBJ:
        rc = bb_buf_putc(out, '{');
        for (i = 0; rc == BB_OK && i < v->len; i++) {
            if (!v->keys[i] || v->items[i]->kind == ENG_UNDEF)
                continue;
            if (!first)
                rc = bb_buf_putc(out, ',');
            first = 0;
            if (rc == BB_OK)
                rc = bb_buf_put_json_string(out, v->keys[i], strlen(v->keys[i]));
            if (rc == BB_OK)
                rc = bb_buf_putc(out, ':');
            if (rc == BB_OK)
                rc = eng_value_to_json(v->items[i], out);
        }
        return rc == BB_OK ? bb_buf_putc(out, '}') : rc;
    }
    return BB_ERR_INTERNAL;
}
