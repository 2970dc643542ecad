/*
 * sim_render.c — sloppy JSON writer for the simulator (see sim_render.h).
 */
#include "sim_render.h"

#include <ctype.h>
#include <string.h>

#include "util/alloc.h"

#define SIM_RENDER_MAX_DEPTH 512

static bb_result sim_render_value(const json_t *v, unsigned flags, int depth, bb_buf *out);

static bb_result sim_render_indent(unsigned flags, int depth, bb_buf *out)
{
    int i;
    bb_result rc = BB_OK;

    if (!(flags & SIM_RENDER_PRETTY))
        return BB_OK;
    rc = bb_buf_putc(out, '\n');
    for (i = 0; rc == BB_OK && i < depth; i++)
        rc = bb_buf_puts(out, "  ");
    return rc;
}

static int sim_render_is_ident(const char *k)
{
    const unsigned char *p = (const unsigned char *)k;

    if (!*p || !(isalpha(*p) || *p == '_'))
        return 0;
    for (; *p; p++) {
        if (!(isalnum(*p) || *p == '_'))
            return 0;
    }
    return 1;
}

static bb_result sim_render_scalar(const json_t *v, unsigned flags, bb_buf *out)
{
    char *s;
    bb_result rc;
    int quote = (flags & SIM_RENDER_SCALAR_STRINGS) && (json_is_number(v) || json_is_boolean(v));

    if ((flags & SIM_RENDER_PYTHON) && !quote) {
        if (json_is_true(v))
            return bb_buf_puts(out, "True");
        if (json_is_false(v))
            return bb_buf_puts(out, "False");
        if (json_is_null(v))
            return bb_buf_puts(out, "None");
    }
    if (json_is_string(v))
        return bb_buf_put_json_string(out, json_string_value(v), json_string_length(v));
    s = json_dumps(v, JSON_ENCODE_ANY | JSON_REAL_PRECISION(17));
    if (!s)
        return BB_ERR_NOMEM;
    rc = quote ? bb_buf_putc(out, '"') : BB_OK;
    if (rc == BB_OK)
        rc = bb_buf_puts(out, s);
    if (rc == BB_OK && quote)
        rc = bb_buf_putc(out, '"');
    bb_free(s);
    return rc;
}

static bb_result sim_render_object(const json_t *v, unsigned flags, int depth, bb_buf *out)
{
    const char *k;
    json_t *m;
    size_t i = 0, n = json_object_size(v);
    bb_result rc = bb_buf_putc(out, '{');

    if (rc == BB_OK && n > 0 && (flags & SIM_RENDER_COMMENTS) && (flags & SIM_RENDER_PRETTY)) {
        rc = sim_render_indent(flags, depth + 1, out);
        if (rc == BB_OK)
            rc = bb_buf_puts(out, "// fields follow");
    }
    json_object_foreach((json_t *)v, k, m) {
        if (rc != BB_OK)
            break;
        rc = sim_render_indent(flags, depth + 1, out);
        if (rc == BB_OK && (flags & SIM_RENDER_UNQUOTED_KEYS) && sim_render_is_ident(k))
            rc = bb_buf_puts(out, k);
        else if (rc == BB_OK)
            rc = bb_buf_put_json_string(out, k, strlen(k));
        if (rc == BB_OK)
            rc = bb_buf_puts(out, (flags & SIM_RENDER_PRETTY) ? ": " : ":");
        if (rc == BB_OK)
            rc = sim_render_value(m, flags, depth + 1, out);
        i++;
        if (rc == BB_OK && (i < n || (flags & SIM_RENDER_TRAILING_COMMA)))
            rc = bb_buf_putc(out, ',');
    }
    if (rc == BB_OK && n > 0)
        rc = sim_render_indent(flags, depth, out);
    if (rc == BB_OK)
        rc = bb_buf_putc(out, '}');
    return rc;
}

static bb_result sim_render_array(const json_t *v, unsigned flags, int depth, bb_buf *out)
{
    size_t i, n = json_array_size(v);
    bb_result rc = bb_buf_putc(out, '[');

    for (i = 0; rc == BB_OK && i < n; i++) {
        rc = sim_render_indent(flags, depth + 1, out);
        if (rc == BB_OK)
            rc = sim_render_value(json_array_get(v, i), flags, depth + 1, out);
        if (rc == BB_OK && (i + 1 < n || (flags & SIM_RENDER_TRAILING_COMMA)))
            rc = bb_buf_putc(out, ',');
    }
    if (rc == BB_OK && n > 0)
        rc = sim_render_indent(flags, depth, out);
    if (rc == BB_OK)
        rc = bb_buf_putc(out, ']');
    return rc;
}

static bb_result sim_render_value(const json_t *v, unsigned flags, int depth, bb_buf *out)
{
    if (depth > SIM_RENDER_MAX_DEPTH)
        return BB_ERR_LIMIT;
    if (json_is_object(v) && (flags & SIM_RENDER_DOUBLE_ENCODE) && depth == 2) {
        /* the nested object as a string holding its strict JSON */
        char *s = json_dumps(v, JSON_COMPACT);
        bb_result rc;

        if (!s)
            return BB_ERR_NOMEM;
        rc = bb_buf_put_json_string(out, s, strlen(s));
        bb_free(s);
        return rc;
    }
    if (json_is_object(v))
        return sim_render_object(v, flags, depth, out);
    if (json_is_array(v))
        return sim_render_array(v, flags, depth, out);
    return sim_render_scalar(v, flags, out);
}

bb_result sim_render(const json_t *v, unsigned flags, bb_buf *out)
{
    return sim_render_value(v, flags, 0, out);
}
