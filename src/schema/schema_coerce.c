/*
 * schema_coerce.c — schema-guided coercion of a document before validation.
 *
 * Models often put a value in the wrong JSON type while meaning the right
 * one: "42" for a number, "true" for a boolean, "null" for null, and most
 * often a whole object or array written as a JSON string (double-encoded).
 * This walk follows the compiled schema (properties, pattern properties,
 * additionalProperties, items, $ref, allOf, tagged unions by their tag) and
 * replaces such values in place when the schema wants the other type and
 * does not accept a string there; a parsed string is coerced again. For an
 * untagged union a value is coerced only when exactly one member accepts the
 * coerced value (and none accepts it as it is). Where only an array is
 * wanted, a lone value that makes a valid one-item array is wrapped. Every replacement is recorded
 * as a JSON_REPAIR_COERCE_* repair with its path ("$input.a[0]"). The walk
 * is bounded by params.max_depth like validation.
 */
#include "schema/schema.h"

#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "schema/schema_node.h"
#include "util/alloc.h"

#define CO_PATH_MAX (64 * 1024)
#define CO_NUMBER_MAX 64 /* bytes of a numeric string worth converting */

typedef struct coctx {
    const schema *s;
    json_repair_list *repairs;
    bb_buf path;
    int depth;
    bb_result rc;
} coctx;

static bb_result co_value(coctx *c, const schema_node *n, json_t **x /* IN/OUT */);

/* ==== what a node wants ===================================================== */

/* The JSON types the node (or what it applies) can accept: SN_T_ALL when
 * unknown or unconstrained. */
static unsigned co_wants(const schema_node *n, int depth)
{
    unsigned t = SN_T_ALL;
    size_t i;

    n = schema_node_deref(n);
    if (depth > 8)
        return SN_T_ALL;
    if (n->has & SN_H_FALSE)
        return 0;
    if (n->has & SN_H_TYPE)
        t &= n->types | ((n->types & SN_T_NUMBER) ? SN_T_INTEGER : 0);
    if (n->has & SN_H_CONST)
        t &= schema_json_type_bit(n->const_val) | (json_is_number(n->const_val) ? SN_T_NUMBER | SN_T_INTEGER : 0);
    if (n->has & SN_H_ENUM) {
        unsigned e = 0;

        for (i = 0; i < n->nenum; i++)
            e |= schema_json_type_bit(n->enum_vals[i]) |
                 (json_is_number(n->enum_vals[i]) ? SN_T_NUMBER | SN_T_INTEGER : 0);
        t &= e;
    }
    if (n->ref && !n->pure_ref)
        t &= co_wants(n->ref, depth + 1);
    for (i = 0; i < n->n_all; i++)
        t &= co_wants(n->all_of[i], depth + 1);
    if (n->one_of || n->any_of) {
        const schema_union *u = n->one_of ? n->one_of : n->any_of;
        unsigned ut = 0;

        for (i = 0; i < u->n; i++)
            ut |= co_wants(u->members[i], depth + 1);
        t &= ut;
    }
    return t;
}

/* ==== recording ================================================================ */

static bb_result co_record(coctx *c, json_repair_code code)
{
    return json_repair_list_add(c->repairs, code, (size_t)-1, bb_buf_str(&c->path));
}

/* Parses a strict JSON number; NULL when s is not one (*nomem set when it
 * is one but the value could not be allocated). */
static json_t *co_parse_number(const char *s, size_t len, int want_integer, int *nomem /* OUT */)
{
    json_t *v;
    size_t i = 0;
    char buf[CO_NUMBER_MAX + 1];
    char *end = NULL;
    double d;
    int is_int = 1;

    if (len == 0 || len > CO_NUMBER_MAX)
        return NULL;
    if (s[i] == '-')
        i++;
    if (i >= len || s[i] < '0' || s[i] > '9')
        return NULL;
    if (s[i] == '0' && i + 1 < len && s[i + 1] >= '0' && s[i + 1] <= '9')
        return NULL;
    while (i < len && s[i] >= '0' && s[i] <= '9')
        i++;
    if (i < len && s[i] == '.') {
        is_int = 0;
        i++;
        if (i >= len || s[i] < '0' || s[i] > '9')
            return NULL;
        while (i < len && s[i] >= '0' && s[i] <= '9')
            i++;
    }
    if (i < len && (s[i] == 'e' || s[i] == 'E')) {
        is_int = 0;
        i++;
        if (i < len && (s[i] == '+' || s[i] == '-'))
            i++;
        if (i >= len || s[i] < '0' || s[i] > '9')
            return NULL;
        while (i < len && s[i] >= '0' && s[i] <= '9')
            i++;
    }
    if (i != len)
        return NULL;
    memcpy(buf, s, len);
    buf[len] = '\0';
    if (is_int) {
        long long iv0;

        errno = 0;
        iv0 = strtoll(buf, &end, 10);
        if (errno == 0 && end && *end == '\0') {
            json_t *iv = json_integer(iv0);

            *nomem = iv == NULL;
            return iv;
        }
    }
    errno = 0;
    d = strtod(buf, &end);
    if (!end || *end || !isfinite(d))
        return NULL;
    if (want_integer && d == floor(d) && fabs(d) < 9.0e15)
        v = json_integer((long long)d);
    else
        v = json_real(d);
    *nomem = v == NULL;
    return v;
}

/* Parses a double-encoded object/array; NULL when it is not one. */
static json_t *co_parse_encoded(coctx *c, const char *s, size_t len, unsigned wants)
{
    json_parse_result r;
    json_parse_params p = json_parse_default_params();
    json_t *v = NULL;
    size_t i = 0;
    bb_result rc;

    while (i < len && (s[i] == ' ' || s[i] == '\n' || s[i] == '\r' || s[i] == '\t'))
        i++;
    if (i >= len || !((s[i] == '{' && (wants & SN_T_OBJECT)) || (s[i] == '[' && (wants & SN_T_ARRAY))))
        return NULL;
    memset(&r, 0, sizeof r);
    p.max_depth = c->s->params.max_depth;
    rc = json_parse(s, len, &p, &r);
    if (rc == BB_ERR_NOMEM)
        c->rc = rc;
    if (rc == BB_OK && !r.truncated && (json_is_object(r.value) || json_is_array(r.value)) &&
        (wants & schema_json_type_bit(r.value))) {
        v = r.value;
        r.value = NULL;
    }
    json_parse_result_free(&r);
    return v;
}

/* Replaces *x by a value of a wanted type parsed from its string, if any. */
static bb_result co_scalar(coctx *c, unsigned wants, json_t **x)
{
    const char *s = json_string_value(*x);
    size_t len = json_string_length(*x);
    json_t *nv = NULL;
    json_repair_code code = JSON_REPAIR_COERCE_NUMBER;

    if (wants & SN_T_STRING)
        return BB_OK; /* a string is acceptable: leave it */
    if (wants & (SN_T_NUMBER | SN_T_INTEGER)) {
        int nomem = 0;

        nv = co_parse_number(s, len, !(wants & SN_T_NUMBER), &nomem);
        if (nomem)
            return BB_ERR_NOMEM;
        code = JSON_REPAIR_COERCE_NUMBER;
    }
    if (!nv && (wants & SN_T_BOOLEAN) && (strcmp(s, "true") == 0 || strcmp(s, "false") == 0)) {
        nv = json_boolean(strcmp(s, "true") == 0);
        code = JSON_REPAIR_COERCE_BOOLEAN;
    }
    if (!nv && (wants & SN_T_NULL) && strcmp(s, "null") == 0) {
        nv = json_null();
        code = JSON_REPAIR_COERCE_NULL;
    }
    if (!nv && (wants & (SN_T_OBJECT | SN_T_ARRAY))) {
        nv = co_parse_encoded(c, s, len, wants);
        code = JSON_REPAIR_COERCE_PARSED;
        if (c->rc != BB_OK)
            return c->rc;
    }
    if (!nv)
        return BB_OK;
    json_decref(*x);
    *x = nv;
    return co_record(c, code);
}

/* ==== the walk ====================================================================== */

static bb_result co_child_key(coctx *c, const schema_node *n, json_t *obj, void *iter, const char *key)
{
    size_t mark = c->path.len;
    json_t *v = json_incref(json_object_iter_value(iter)), *orig = v;
    bb_result rc = schema_path_key(&c->path, key);

    if (rc == BB_OK)
        rc = co_value(c, n, &v);
    if (v != orig && rc == BB_OK) {
        if (json_object_iter_set(obj, iter, v) != 0)
            rc = BB_ERR_NOMEM;
    }
    json_decref(v);
    bb_buf_truncate(&c->path, mark);
    return rc == BB_ERR_LIMIT ? BB_OK : rc;
}

static bb_result co_child_idx(coctx *c, const schema_node *n, json_t *arr, size_t i)
{
    size_t mark = c->path.len;
    json_t *v = json_incref(json_array_get(arr, i)), *orig = v;
    bb_result rc = schema_path_index(&c->path, i);

    if (rc == BB_OK)
        rc = co_value(c, n, &v);
    if (v != orig && rc == BB_OK) {
        if (json_array_set(arr, i, v) != 0)
            rc = BB_ERR_NOMEM;
    }
    json_decref(v);
    bb_buf_truncate(&c->path, mark);
    return rc == BB_ERR_LIMIT ? BB_OK : rc;
}

static bb_result co_object(coctx *c, const schema_node *n, json_t *x)
{
    void *it;
    bb_result rc = BB_OK;
    size_t i;

    for (it = json_object_iter(x); it && rc == BB_OK; it = json_object_iter_next(x, it)) {
        const char *k = json_object_iter_key(it);
        long pi = n->nprops ? schema_node_find_prop(n, k) : -1;
        int matched = 0;

        if (pi >= 0) {
            matched = 1;
            rc = co_child_key(c, n->props[pi].node, x, it, k);
        }
        for (i = 0; rc == BB_OK && i < n->npprops; i++) {
            int hit;

            hit = schema_regex_test(c->s, n->pprops[i].re, k, strlen(k));
            if (hit < 0)
                return BB_ERR_NOMEM;
            if (hit) {
                matched = 1;
                rc = co_child_key(c, n->pprops[i].node, x, it, k);
            }
        }
        if (rc == BB_OK && !matched && n->additional)
            rc = co_child_key(c, n->additional, x, it, k);
    }
    return rc;
}

static bb_result co_array(coctx *c, const schema_node *n, json_t *x)
{
    size_t i, size = json_array_size(x);
    bb_result rc = BB_OK;

    for (i = 0; i < size && rc == BB_OK; i++) {
        const schema_node *in = i < n->nprefix ? n->prefix[i] : n->items;

        if (!in)
            break;
        rc = co_child_idx(c, in, x, i);
    }
    return rc;
}

static int co_tag_cmp(const void *key, const void *elem)
{
    return strcmp((const char *)key, ((const schema_tag *)elem)->value);
}

/* Untagged union: coerce a copy for every member; keep the one result when
 * exactly one member accepts its coerced copy (and none accepts x as is). */
static bb_result co_union(coctx *c, const schema_union *u, json_t **x)
{
    json_repair_list *outer = c->repairs, winner_repairs;
    json_t *winner = NULL;
    size_t i, hits = 0;
    bb_result rc = BB_OK;

    if (u->tags && json_is_object(*x)) {
        const json_t *tv = json_object_get(*x, u->tag_prop);
        const schema_tag *t = json_is_string(tv) ? bsearch(json_string_value(tv), u->tags, u->ntags,
                                                            sizeof *u->tags, co_tag_cmp)
                                                 : NULL;

        return t ? co_value(c, u->members[t->member], x) : BB_OK;
    }
    for (i = 0; i < u->n; i++) {
        int ok = schema_node_valid(c->s, u->members[i], *x);

        if (ok < 0)
            return BB_ERR_NOMEM;
        if (ok)
            return BB_OK; /* acceptable as it is */
    }
    json_repair_list_init(&winner_repairs, outer->max);
    for (i = 0; i < u->n && rc == BB_OK && hits < 2; i++) {
        json_t *copy = json_deep_copy(*x);
        json_repair_list tmp;
        int ok;

        if (!copy) {
            rc = BB_ERR_NOMEM;
            break;
        }
        json_repair_list_init(&tmp, outer->max);
        c->repairs = &tmp;
        rc = co_value(c, u->members[i], &copy);
        c->repairs = outer;
        ok = rc == BB_OK && tmp.n > 0 ? schema_node_valid(c->s, u->members[i], copy) : 0;
        if (ok < 0)
            rc = BB_ERR_NOMEM;
        if (ok > 0) {
            hits++;
            if (hits == 1) {
                json_repair_list_free(&winner_repairs);
                winner_repairs = tmp;
                json_repair_list_init(&tmp, outer->max);
                winner = copy;
                copy = NULL;
            }
        }
        json_repair_list_free(&tmp);
        json_decref(copy);
    }
    if (rc == BB_OK && hits == 1) {
        json_decref(*x);
        *x = winner;
        winner = NULL;
        for (i = 0; rc == BB_OK && i < winner_repairs.n; i++)
            rc = json_repair_list_add(outer, winner_repairs.items[i].code, winner_repairs.items[i].pos,
                                      winner_repairs.items[i].path);
    }
    json_decref(winner);
    json_repair_list_free(&winner_repairs);
    return rc;
}

/* A lone value where only an array is wanted: wrapped as [value] when the
 * array then validates (after coercing its item, recorded at path[0]). */
static bb_result co_wrap(coctx *c, const schema_node *n, json_t **x)
{
    json_repair_list *outer = c->repairs, tmp;
    json_t *arr, *copy;
    bb_result rc = BB_OK;
    size_t i;
    int ok = 0;

    if (json_is_array(*x) || !(n->items || n->nprefix) || co_wants(n, 0) != SN_T_ARRAY)
        return BB_OK;
    arr = json_array();
    copy = json_deep_copy(*x);
    if (!arr || !copy || json_array_append_new(arr, copy) != 0) {
        json_decref(arr);
        return BB_ERR_NOMEM;
    }
    json_repair_list_init(&tmp, outer->max);
    c->repairs = &tmp;
    rc = co_array(c, n, arr);
    c->repairs = outer;
    if (rc == BB_OK) {
        ok = schema_node_valid(c->s, n, arr);
        if (ok < 0)
            rc = BB_ERR_NOMEM;
    }
    if (rc == BB_OK && ok) {
        rc = co_record(c, JSON_REPAIR_COERCE_WRAP_ARRAY);
        for (i = 0; rc == BB_OK && i < tmp.n; i++)
            rc = json_repair_list_add(outer, tmp.items[i].code, tmp.items[i].pos, tmp.items[i].path);
        json_decref(*x);
        *x = arr;
        arr = NULL;
    }
    json_decref(arr);
    json_repair_list_free(&tmp);
    return rc;
}

static int co_untagged(const schema_union *u)
{
    return u && !u->tags;
}

static bb_result co_value(coctx *c, const schema_node *n, json_t **x)
{
    bb_result rc = BB_OK;
    size_t i;

    n = schema_node_deref(n);
    if (c->depth >= c->s->params.max_depth)
        return BB_OK; /* validation reports the depth; coercion just stops */
    c->depth++;
    if (json_is_string(*x) && !co_untagged(n->one_of) && !co_untagged(n->any_of)) {
        /* untagged unions decide member by member (co_union) */
        unsigned w = co_wants(n, 0);

        if (w != SN_T_ALL && !(w & SN_T_STRING)) {
            rc = co_scalar(c, w, x);
            if (rc != BB_OK)
                goto out;
        }
    }
    if (!json_is_array(*x) && (n->has & SN_H_ARRAY_KW)) {
        rc = co_wrap(c, n, x);
        if (rc != BB_OK)
            goto out;
        if (json_is_array(*x))
            goto out; /* wrapped: its item was coerced already */
    }
    if (json_is_object(*x) && (n->has & SN_H_OBJECT_KW))
        rc = co_object(c, n, *x);
    else if (json_is_array(*x) && (n->has & SN_H_ARRAY_KW))
        rc = co_array(c, n, *x);
    if (rc == BB_OK && n->ref && !n->pure_ref)
        rc = co_value(c, n->ref, x);
    for (i = 0; rc == BB_OK && i < n->n_all; i++)
        rc = co_value(c, n->all_of[i], x);
    if (rc == BB_OK && n->one_of)
        rc = co_union(c, n->one_of, x);
    if (rc == BB_OK && n->any_of)
        rc = co_union(c, n->any_of, x);
out:
    c->depth--;
    return rc;
}

bb_result schema_coerce(const schema *s, json_t **doc, json_repair_list *repairs)
{
    coctx c;
    bb_result rc;

    if (!s || !doc || !*doc || !repairs)
        return BB_ERR_USAGE;
    memset(&c, 0, sizeof c);
    c.s = s;
    c.repairs = repairs;
    bb_buf_init(&c.path, CO_PATH_MAX);
    rc = schema_path_root(&c.path);
    if (rc == BB_OK)
        rc = co_value(&c, s->root, doc);
    if (rc == BB_OK && c.rc != BB_OK)
        rc = c.rc;
    bb_buf_free(&c.path);
    return rc;
}
