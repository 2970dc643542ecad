/*
 * schema_expected.c — type expressions of compiled nodes (see
 * schema_expected.h). Computed once at compile time for every node, so the
 * validator only copies a string when it reports an error; recursion through
 * unnamed `$ref`s is cut at a small depth.
 */
#include "schema/schema_expected.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

#include "json/json_util.h"

#define EX_DEPTH_MAX 5
#define EX_ENUM_MAX 16       /* enum values listed before " | …" */
#define EX_LITERAL_MAX 60    /* bytes of one literal */
#define EX_BUF_MAX 8192

static bb_result ex_expr(bb_buf *b, const schema_node *n, int depth);

bb_result schema_expected_number(bb_buf *b, double d)
{
    if (d == floor(d) && fabs(d) < 1e15)
        return bb_buf_printf(b, "%.0f", d);
    return bb_buf_printf(b, "%.17g", d);
}

/* A node whose expression reads better than its name: a primitive. */
static int ex_is_primitive(const schema_node *n)
{
    unsigned prim = SN_T_STRING | SN_T_NUMBER | SN_T_INTEGER | SN_T_BOOLEAN | SN_T_NULL;

    if (n->any_of || n->one_of || n->all_of || (n->has & (SN_H_OBJECT_KW | SN_H_ARRAY_KW)))
        return 0;
    if (n->has & (SN_H_CONST | SN_H_ENUM))
        return 1;
    return (n->has & SN_H_TYPE) && !(n->types & ~prim);
}

static bb_result ex_label(bb_buf *b, const schema_node *m, int depth)
{
    const schema_node *t = schema_node_deref(m);

    if (t->name && !ex_is_primitive(t))
        return bb_buf_puts(b, t->name);
    return ex_expr(b, t, depth + 1);
}

static bb_result ex_union(bb_buf *b, const schema_union *u, int depth)
{
    bb_result rc = BB_OK;
    size_t i;

    for (i = 0; rc == BB_OK && i < u->n; i++) {
        if (i)
            rc = bb_buf_puts(b, " | ");
        if (rc == BB_OK)
            rc = ex_label(b, u->members[i], depth);
    }
    return rc;
}

static bb_result ex_num_constraints(bb_buf *b, const schema_node *n)
{
    static const struct {
        unsigned bit;
        const char *name;
        size_t off;
    } kws[] = {
        {SN_H_MINIMUM, "Minimum", offsetof(schema_node, minimum)},
        {SN_H_MAXIMUM, "Maximum", offsetof(schema_node, maximum)},
        {SN_H_EXMIN, "ExclusiveMinimum", offsetof(schema_node, exmin)},
        {SN_H_EXMAX, "ExclusiveMaximum", offsetof(schema_node, exmax)},
        {SN_H_MULTIPLE, "MultipleOf", offsetof(schema_node, multiple_of)},
    };
    bb_result rc = BB_OK;
    size_t i;

    if ((n->has & SN_H_FORMAT) && schema_format_is_numeric(n->format))
        rc = bb_buf_printf(b, " & Format<\"%s\">", schema_format_name(n->format));
    for (i = 0; rc == BB_OK && i < sizeof kws / sizeof kws[0]; i++) {
        double d;

        if (!(n->has & kws[i].bit))
            continue;
        memcpy(&d, (const char *)n + kws[i].off, sizeof d);
        rc = bb_buf_printf(b, " & %s<", kws[i].name);
        if (rc == BB_OK)
            rc = schema_expected_number(b, d);
        if (rc == BB_OK)
            rc = bb_buf_putc(b, '>');
    }
    return rc;
}

static bb_result ex_str_constraints(bb_buf *b, const schema_node *n)
{
    bb_result rc = BB_OK;

    if ((n->has & SN_H_FORMAT) && !schema_format_is_numeric(n->format))
        rc = bb_buf_printf(b, " & Format<\"%s\">", schema_format_name(n->format));
    if (rc == BB_OK && (n->has & SN_H_PATTERN)) {
        rc = bb_buf_puts(b, " & Pattern<");
        if (rc == BB_OK)
            rc = bb_buf_put_json_string(b, n->pattern_src, strlen(n->pattern_src));
        if (rc == BB_OK)
            rc = bb_buf_putc(b, '>');
    }
    if (rc == BB_OK && (n->has & SN_H_MINLEN))
        rc = bb_buf_printf(b, " & MinLength<%zu>", n->min_length);
    if (rc == BB_OK && (n->has & SN_H_MAXLEN))
        rc = bb_buf_printf(b, " & MaxLength<%zu>", n->max_length);
    return rc;
}

bb_result schema_expected_base(bb_buf *b, const schema_node *n, unsigned tbit)
{
    bb_result rc;
    size_t i;

    switch (tbit) {
    case SN_T_STRING:
        return bb_buf_puts(b, "string");
    case SN_T_NUMBER:
    case SN_T_INTEGER:
        return bb_buf_puts(b, ((n->has & SN_H_TYPE) && !(n->types & SN_T_NUMBER) && (n->types & SN_T_INTEGER))
                                  ? "integer"
                                  : "number");
    case SN_T_BOOLEAN:
        return bb_buf_puts(b, "boolean");
    case SN_T_NULL:
        return bb_buf_puts(b, "null");
    case SN_T_OBJECT:
        return bb_buf_puts(b, n->name ? n->name : "object");
    case SN_T_ARRAY:
        if (n->nprefix) {
            rc = bb_buf_putc(b, '[');
            for (i = 0; rc == BB_OK && i < n->nprefix; i++) {
                if (i)
                    rc = bb_buf_puts(b, ", ");
                if (rc == BB_OK)
                    rc = ex_label(b, n->prefix[i], 1);
            }
            if (rc == BB_OK && n->items)
                rc = bb_buf_puts(b, ", ...");
            if (rc == BB_OK)
                rc = bb_buf_putc(b, ']');
            return rc;
        }
        rc = bb_buf_puts(b, "Array<");
        if (rc == BB_OK)
            rc = n->items ? ex_label(b, n->items, 1) : bb_buf_puts(b, "any");
        if (rc == BB_OK)
            rc = bb_buf_putc(b, '>');
        return rc;
    default:
        break;
    }
    return bb_buf_puts(b, "any");
}

static bb_result ex_types(bb_buf *b, const schema_node *n, unsigned types)
{
    static const unsigned order[] = {SN_T_STRING, SN_T_NUMBER, SN_T_INTEGER, SN_T_BOOLEAN,
                                     SN_T_OBJECT, SN_T_ARRAY,  SN_T_NULL};
    bb_result rc = BB_OK;
    size_t i;
    int first = 1;

    for (i = 0; rc == BB_OK && i < sizeof order / sizeof order[0]; i++) {
        unsigned t = order[i];

        if (!(types & t) || (t == SN_T_INTEGER && (types & SN_T_NUMBER)))
            continue;
        if (!first)
            rc = bb_buf_puts(b, " | ");
        first = 0;
        if (rc == BB_OK)
            rc = schema_expected_base(b, n, t);
        if (rc != BB_OK)
            break;
        if (t == SN_T_STRING)
            rc = ex_str_constraints(b, n);
        else if (t == SN_T_NUMBER || t == SN_T_INTEGER)
            rc = ex_num_constraints(b, n);
        else if (t == SN_T_ARRAY) {
            if (n->has & SN_H_MINITEMS)
                rc = bb_buf_printf(b, " & MinItems<%zu>", n->min_items);
            if (rc == BB_OK && (n->has & SN_H_MAXITEMS))
                rc = bb_buf_printf(b, " & MaxItems<%zu>", n->max_items);
            if (rc == BB_OK && (n->has & SN_H_UNIQUE))
                rc = bb_buf_puts(b, " & UniqueItems");
        }
    }
    return rc;
}

static bb_result ex_expr(bb_buf *b, const schema_node *n, int depth)
{
    bb_result rc = BB_OK;
    size_t i;
    unsigned types;

    if (depth > EX_DEPTH_MAX)
        return bb_buf_puts(b, "any");
    if (n->expr)
        return bb_buf_puts(b, n->expr);
    if (n->has & SN_H_FALSE)
        return bb_buf_puts(b, "never");
    if (n->pure_ref)
        return n->ref ? ex_label(b, n->ref, depth) : bb_buf_puts(b, "any");
    if (n->has & SN_H_CONST)
        return bb_json_append_compact(b, n->const_val, EX_LITERAL_MAX);
    if (n->has & SN_H_ENUM) {
        for (i = 0; rc == BB_OK && i < n->nenum && i < EX_ENUM_MAX; i++) {
            if (i)
                rc = bb_buf_puts(b, " | ");
            if (rc == BB_OK)
                rc = bb_json_append_compact(b, n->enum_vals[i], EX_LITERAL_MAX);
        }
        if (rc == BB_OK && n->nenum > EX_ENUM_MAX)
            rc = bb_buf_puts(b, " | …");
        if (rc == BB_OK && n->nenum == 0)
            rc = bb_buf_puts(b, "never");
        return rc;
    }
    if (n->name && !ex_is_primitive(n))
        return bb_buf_puts(b, n->name);
    if (n->one_of)
        return ex_union(b, n->one_of, depth);
    if (n->any_of)
        return ex_union(b, n->any_of, depth);
    if (n->ref && !(n->has & SN_H_TYPE))
        return ex_label(b, n->ref, depth);
    if (n->all_of && !(n->has & SN_H_TYPE)) {
        for (i = 0; rc == BB_OK && i < n->n_all; i++) {
            if (i)
                rc = bb_buf_puts(b, " & ");
            if (rc == BB_OK)
                rc = ex_label(b, n->all_of[i], depth);
        }
        return rc;
    }
    types = n->types;
    if (!(n->has & SN_H_TYPE)) {
        types = 0;
        if (n->has & SN_H_OBJECT_KW)
            types |= SN_T_OBJECT;
        if (n->has & SN_H_ARRAY_KW)
            types |= SN_T_ARRAY;
        if (n->has & SN_H_STRING_KW)
            types |= SN_T_STRING;
        if (n->has & SN_H_NUMBER_KW)
            types |= SN_T_NUMBER;
        if (!types)
            return bb_buf_puts(b, "any");
    }
    return ex_types(b, n, types);
}

/* Copies the expression into the arena, cut at SCHEMA_EXPECTED_MAX. */
static const char *ex_finish(bb_arena *a, bb_buf *b)
{
    size_t n = b->len;

    if (n > SCHEMA_EXPECTED_MAX) {
        n = SCHEMA_EXPECTED_MAX;
        while (n > 0 && ((unsigned char)b->data[n] & 0xC0) == 0x80)
            n--;
        bb_buf_truncate(b, n);
        if (bb_buf_puts(b, "…") != BB_OK)
            return NULL;
    }
    return bb_arena_strdup(a, bb_buf_str(b));
}

bb_result schema_expected_compute(bb_arena *a, schema_node *n)
{
    bb_buf b;
    bb_result rc = BB_OK;
    schema_union *us[2];
    size_t i;

    bb_buf_init(&b, EX_BUF_MAX);
    us[0] = n->one_of;
    us[1] = n->any_of;
    for (i = 0; i < 2; i++) {
        if (!us[i] || us[i]->members_expr)
            continue;
        bb_buf_reset(&b);
        rc = ex_union(&b, us[i], 0);
        if (rc == BB_ERR_LIMIT)
            rc = BB_OK;
        if (rc != BB_OK)
            goto out;
        us[i]->members_expr = ex_finish(a, &b);
        if (!us[i]->members_expr) {
            rc = BB_ERR_NOMEM;
            goto out;
        }
    }
    if (!n->expr) {
        bb_buf_reset(&b);
        rc = ex_expr(&b, n, 0);
        if (rc == BB_ERR_LIMIT)
            rc = BB_OK; /* cut: keep what fits */
        if (rc != BB_OK)
            goto out;
        n->expr = ex_finish(a, &b);
        if (!n->expr)
            rc = BB_ERR_NOMEM;
    }
out:
    bb_buf_free(&b);
    return rc;
}
