/*
 * schema_error.c — the located error list and path syntax (see schema_error.h).
 */
#include "schema_error.h"

#include <ctype.h>
#include <string.h>

#include "util/alloc.h"

static const char *const schema_error_kind_names[SCHEMA_ERR_KIND_COUNT_] = {
    "type", "required", "additional", "enum", "const", "format", "pattern", "range",
    "length", "unique", "union", "discriminator", "not", "semantic", "limit", "other", "parse",
};

const char *schema_error_kind_name(schema_error_kind kind)
{
    if ((unsigned)kind >= SCHEMA_ERR_KIND_COUNT_)
        return "unknown";
    return schema_error_kind_names[kind];
}

void schema_errors_init(schema_errors *e, size_t max)
{
    memset(e, 0, sizeof *e);
    e->max = max ? max : SCHEMA_ERRORS_MAX_DEFAULT;
}

void schema_errors_free(schema_errors *e)
{
    if (!e)
        return;
    bb_free(e->items);
    bb_arena_free(e->arena);
    e->items = NULL;
    e->arena = NULL;
    e->n = e->cap = e->dropped = 0;
}

void schema_errors_clear(schema_errors *e)
{
    size_t max = e->max;

    schema_errors_free(e);
    schema_errors_init(e, max);
}

size_t schema_errors_total(const schema_errors *e)
{
    return e->n + e->dropped;
}

bb_result schema_errors_add(schema_errors *e, schema_error_kind kind, const char *path,
                            const char *expected, const char *value, const char *message)
{
    schema_error *it;

    if (e->n >= e->max) {
        e->dropped++;
        return BB_OK;
    }
    if (!e->arena) {
        e->arena = bb_arena_new(0);
        if (!e->arena)
            return BB_ERR_NOMEM;
    }
    if (e->n == e->cap) {
        size_t ncap = e->cap ? e->cap * 2 : 16;
        schema_error *ni = bb_realloc(e->items, ncap * sizeof *ni);

        if (!ni)
            return BB_ERR_NOMEM;
        e->items = ni;
        e->cap = ncap;
    }
    it = &e->items[e->n];
    it->kind = kind;
    it->path = bb_arena_strdup(e->arena, path ? path : "$input");
    it->expected = bb_arena_strdup(e->arena, expected ? expected : "");
    it->value = bb_arena_strdup(e->arena, value ? value : "undefined");
    it->message = message ? bb_arena_strdup(e->arena, message) : NULL;
    if (!it->path || !it->expected || !it->value || (message && !it->message))
        return BB_ERR_NOMEM;
    e->n++;
    return BB_OK;
}

bb_result schema_path_root(bb_buf *b)
{
    return bb_buf_puts(b, "$input");
}

static int schema_path_is_ident(const char *key)
{
    const unsigned char *p = (const unsigned char *)key;

    if (!*p || !(isalpha(*p) || *p == '_' || *p == '$'))
        return 0;
    for (p++; *p; p++) {
        if (!(isalnum(*p) || *p == '_' || *p == '$'))
            return 0;
    }
    return 1;
}

bb_result schema_path_key(bb_buf *b, const char *key)
{
    bb_result rc;

    if (schema_path_is_ident(key)) {
        rc = bb_buf_putc(b, '.');
        if (rc == BB_OK)
            rc = bb_buf_puts(b, key);
        return rc;
    }
    rc = bb_buf_putc(b, '[');
    if (rc == BB_OK)
        rc = bb_buf_put_json_string(b, key, strlen(key));
    if (rc == BB_OK)
        rc = bb_buf_putc(b, ']');
    return rc;
}

bb_result schema_path_index(bb_buf *b, size_t i)
{
    return bb_buf_printf(b, "[%zu]", i);
}

bb_result schema_errors_to_json(const schema_errors *e, bb_buf *out)
{
    size_t i;
    bb_result rc = bb_buf_putc(out, '[');

    for (i = 0; rc == BB_OK && i < e->n; i++) {
        const schema_error *it = &e->items[i];

        rc = bb_buf_puts(out, i ? ",{\"path\":" : "{\"path\":");
        if (rc == BB_OK)
            rc = bb_buf_put_json_string(out, it->path, strlen(it->path));
        if (rc == BB_OK)
            rc = bb_buf_printf(out, ",\"kind\":\"%s\",\"expected\":", schema_error_kind_name(it->kind));
        if (rc == BB_OK)
            rc = bb_buf_put_json_string(out, it->expected, strlen(it->expected));
        if (rc == BB_OK)
            rc = bb_buf_puts(out, ",\"value\":");
        if (rc == BB_OK)
            rc = bb_buf_put_json_string(out, it->value, strlen(it->value));
        if (rc == BB_OK && it->message) {
            rc = bb_buf_puts(out, ",\"message\":");
            if (rc == BB_OK)
                rc = bb_buf_put_json_string(out, it->message, strlen(it->message));
        }
        if (rc == BB_OK)
            rc = bb_buf_putc(out, '}');
    }
    if (rc == BB_OK)
        rc = bb_buf_putc(out, ']');
    return rc;
}
