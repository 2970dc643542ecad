/*
 * schema_validate.c — validates a jansson document against a compiled schema.
 *
 * One recursive walk over (schema node, instance value). The context carries
 * the error list: when it is NULL the walk is a probe (union members, `not`,
 * `if`, schema_is_valid) and stops at the first failure; otherwise every
 * failure is reported (up to the list's cap) with the instance path, which is
 * kept as a stack of segments and rendered only when an error is reported, so
 * the valid path allocates nothing per node (one segment array and, for
 * schemas with patterns, one PCRE2 match block per call). The schema
 * application depth is capped by params.max_depth: past it the walk reports a
 * SCHEMA_ERR_LIMIT error instead of recursing further.
 *
 * Tagged unions (schema_union.tags) pick their member by the tag property and
 * report that member's errors; other unions report one SCHEMA_ERR_UNION error
 * naming the members, except when only one member accepts the instance's JSON
 * type, whose errors are reported instead.
 */
#include "schema/schema.h"

#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "json/json_util.h"
#include "schema/schema_expected.h"
#include "schema/schema_node.h"
#include "util/alloc.h"
#include "util/utf8.h"

#define V_VALUE_MAX 200           /* bytes of an error's value */
#define V_PATH_MAX (64 * 1024)    /* bytes of an error's path */
#define V_UNIQUE_PAIRWISE 32      /* arrays up to this size are compared pairwise */
#define V_MULTIPLE_EPSILON 1e-9   /* tolerance of multipleOf on non-integers */
#define V_RENDER_DEPTH_MAX (V_VALUE_MAX + 1) /* deeper values pass the cut anyway */
#define V_GUESS_MEMBERS_MAX 64    /* unions larger than this get no member guess on failure */

typedef struct vseg {
    const char *key; /* NULL: an array index */
    size_t idx;
} vseg;

typedef struct vctx {
    const schema *s;
    schema_errors *errs; /* NULL while probing */
    int depth, max_depth;
    vseg *segs;
    size_t nseg, maxseg;
    bb_buf path, tmp, val;
    pcre2_match_data *md;
    bb_result rc;  /* a hard failure (nomem) */
    int limit_hit; /* the depth limit was reached (maybe while probing) */
    int limit_reported;
    size_t n_before; /* errs->n when the validation started */
} vctx;

static int vn(vctx *v, const schema_node *n, const json_t *x);

/* ==== error reporting ======================================================== */

static void v_fail(vctx *v, bb_result rc)
{
    if (v->rc == BB_OK)
        v->rc = rc;
}

static bb_result v_render_path(vctx *v, const char *extra_key)
{
    size_t i;
    bb_result rc;

    bb_buf_reset(&v->path);
    rc = schema_path_root(&v->path);
    for (i = 0; rc == BB_OK && i < v->nseg; i++) {
        if (v->segs[i].key)
            rc = schema_path_key(&v->path, v->segs[i].key);
        else
            rc = schema_path_index(&v->path, v->segs[i].idx);
    }
    if (rc == BB_OK && extra_key)
        rc = schema_path_key(&v->path, extra_key);
    return rc;
}

/* Appends compact JSON of x to b, stopping once b holds more than `stop`
 * bytes: a big value costs no more than its first bytes. Scalars are
 * rendered by jansson, containers walked here, so up to the cut the text is
 * what json_dumps(JSON_COMPACT) gives. */
static bb_result v_render_value(bb_buf *b, const json_t *x, size_t stop, int depth)
{
    bb_result rc = BB_OK;
    const char *k;
    json_t *val;
    size_t i;
    int first = 1;

    if (b->len > stop)
        return BB_OK;
    if (depth > V_RENDER_DEPTH_MAX)
        return bb_buf_puts(b, "...");
    if (json_is_object(x)) {
        rc = bb_buf_putc(b, '{');
        json_object_foreach((json_t *)x, k, val) {
            json_t *ks;

            if (rc != BB_OK || b->len > stop)
                break;
            if (!first)
                rc = bb_buf_putc(b, ',');
            first = 0;
            ks = json_string(k);
            if (!ks)
                return BB_ERR_NOMEM;
            if (rc == BB_OK)
                rc = bb_json_append_compact(b, ks, 0);
            json_decref(ks);
            if (rc == BB_OK)
                rc = bb_buf_putc(b, ':');
            if (rc == BB_OK)
                rc = v_render_value(b, val, stop, depth + 1);
        }
        return rc == BB_OK ? bb_buf_putc(b, '}') : rc;
    }
    if (json_is_array(x)) {
        rc = bb_buf_putc(b, '[');
        for (i = 0; rc == BB_OK && i < json_array_size(x) && b->len <= stop; i++) {
            if (i)
                rc = bb_buf_putc(b, ',');
            if (rc == BB_OK)
                rc = v_render_value(b, json_array_get(x, i), stop, depth + 1);
        }
        return rc == BB_OK ? bb_buf_putc(b, ']') : rc;
    }
    if (json_is_string(x) && json_string_length(x) > stop) {
        /* only the head of a long string is shown */
        size_t len = json_string_length(x), n = stop + 8 < len ? stop + 8 : len;
        json_t *head;

        while (n > 0 && ((unsigned char)json_string_value(x)[n] & 0xC0) == 0x80)
            n--;
        head = json_stringn(json_string_value(x), n);
        if (!head)
            return BB_ERR_NOMEM;
        rc = bb_json_append_compact(b, head, 0);
        json_decref(head);
        return rc;
    }
    return bb_json_append_compact(b, x, 0);
}

/* Reports an error at the current path (plus extra_key). value NULL means
 * "undefined". Nothing is done while probing. */
static void v_err(vctx *v, schema_error_kind kind, const char *extra_key, const char *expected,
                  const json_t *value, const char *message)
{
    bb_result rc;

    if (!v->errs)
        return;
    if (v->errs->n >= v->errs->max || v->errs->n - v->n_before >= v->s->params.max_errors) {
        /* the list (or this validation's share, params.max_errors) is full:
         * only counted, nothing rendered */
        v->errs->dropped++;
        return;
    }
    rc = v_render_path(v, extra_key);
    if (rc == BB_ERR_NOMEM) {
        v_fail(v, rc);
        return;
    }
    bb_buf_reset(&v->val);
    if (value) {
        rc = v_render_value(&v->val, value, V_VALUE_MAX, 0);
        if (rc == BB_OK && v->val.len > V_VALUE_MAX) {
            /* cut like bb_json_append_compact: at a UTF-8 boundary, then "..." */
            size_t cut = V_VALUE_MAX;

            while (cut > 0 && ((unsigned char)v->val.data[cut] & 0xC0) == 0x80)
                cut--;
            bb_buf_truncate(&v->val, cut);
            rc = bb_buf_puts(&v->val, "...");
        }
        if (rc == BB_ERR_NOMEM) {
            v_fail(v, rc);
            return;
        }
    } else if (bb_buf_puts(&v->val, "undefined") != BB_OK) {
        v_fail(v, BB_ERR_NOMEM);
        return;
    }
    rc = schema_errors_add(v->errs, kind, bb_buf_str(&v->path), expected, bb_buf_str(&v->val), message);
    if (rc != BB_OK)
        v_fail(v, rc);
}

/* Builds "<base> & <constraint>" in v->tmp and reports it. */
/* name<str>, name<count> (count != V_NO_COUNT) or name<num>. */
#define V_NO_COUNT ((size_t)-1)
static void v_err_constraint(vctx *v, schema_error_kind kind, const schema_node *n, unsigned tbit,
                             const json_t *x, const char *name, double num, size_t count, const char *str)
{
    bb_result rc;

    if (!v->errs)
        return;
    bb_buf_reset(&v->tmp);
    rc = schema_expected_base(&v->tmp, n, tbit);
    if (rc == BB_OK)
        rc = bb_buf_puts(&v->tmp, " & ");
    if (rc == BB_OK) {
        if (str)
            rc = bb_buf_printf(&v->tmp, "%s<%s>", name, str);
        else if (count != V_NO_COUNT)
            rc = bb_buf_printf(&v->tmp, "%s<%zu>", name, count);
        else {
            rc = bb_buf_printf(&v->tmp, "%s<", name);
            if (rc == BB_OK)
                rc = schema_expected_number(&v->tmp, num);
            if (rc == BB_OK)
                rc = bb_buf_putc(&v->tmp, '>');
        }
    }
    if (rc == BB_ERR_NOMEM) {
        v_fail(v, rc);
        return;
    }
    v_err(v, kind, NULL, bb_buf_str(&v->tmp), x, NULL);
}

static int v_push_key(vctx *v, const char *key)
{
    if (v->nseg >= v->maxseg)
        return 0;
    v->segs[v->nseg].key = key;
    v->segs[v->nseg].idx = 0;
    v->nseg++;
    return 1;
}

static int v_push_idx(vctx *v, size_t i)
{
    if (v->nseg >= v->maxseg)
        return 0;
    v->segs[v->nseg].key = NULL;
    v->segs[v->nseg].idx = i;
    v->nseg++;
    return 1;
}

/* Validates child value c of the current instance under n. */
static int vn_key(vctx *v, const schema_node *n, const json_t *c, const char *key)
{
    int ok;

    if (!v_push_key(v, key)) {
        v->limit_hit = 1;
        return 0;
    }
    ok = vn(v, n, c);
    v->nseg--;
    return ok;
}

static int vn_idx(vctx *v, const schema_node *n, const json_t *c, size_t i)
{
    int ok;

    if (!v_push_idx(v, i)) {
        v->limit_hit = 1;
        return 0;
    }
    ok = vn(v, n, c);
    v->nseg--;
    return ok;
}

/* Runs n on x as a probe (no errors); returns validity. */
static int v_probe(vctx *v, const schema_node *n, const json_t *x)
{
    schema_errors *saved = v->errs;
    int ok;

    v->errs = NULL;
    ok = vn(v, n, x);
    v->errs = saved;
    return ok;
}

/* ==== type, numbers, strings ================================================== */

static int v_type_ok(unsigned types, const json_t *x, unsigned tb)
{
    if (types & tb)
        return 1;
    if (tb == SN_T_NUMBER && (types & SN_T_INTEGER)) {
        double d = json_real_value(x);

        return d == floor(d) && isfinite(d);
    }
    return 0;
}

/* The format name quoted, for Format<"uuid"> (formats names are plain ASCII). */
static const char *v_format_arg(schema_format f)
{
    static const char *const quoted[SCHEMA_FMT_COUNT_] = {
        "\"\"",         "\"date-time\"", "\"date\"",   "\"time\"",   "\"email\"", "\"uri\"",
        "\"uuid\"",     "\"ipv4\"",      "\"ipv6\"",   "\"hostname\"", "\"password\"",
        "\"int32\"",    "\"uint32\"",    "\"int64\"",  "\"uint64\"", "\"float\"",  "\"double\"",
    };

    return (unsigned)f < SCHEMA_FMT_COUNT_ ? quoted[f] : "\"\"";
}

static int v_multiple_ok(const schema_node *n, const json_t *x, double d)
{
    double m = n->multiple_of, q, r;

    if (json_is_integer(x) && m == floor(m) && m < 9.2e18) {
        long long mi = (long long)m;

        if (mi > 0)
            return json_integer_value(x) % mi == 0;
    }
    q = d / m;
    if (!isfinite(q))
        return 0;
    r = nearbyint(q);
    return q == r || fabs(q - r) <= V_MULTIPLE_EPSILON;
}

static int v_number(vctx *v, const schema_node *n, const json_t *x, unsigned tb)
{
    double d = json_number_value(x);
    int ok = 1;

    if ((n->has & SN_H_MINIMUM) && d < n->minimum) {
        ok = 0;
        v_err_constraint(v, SCHEMA_ERR_RANGE, n, tb, x, "Minimum", n->minimum, V_NO_COUNT, NULL);
        if (!v->errs)
            return 0;
    }
    if ((n->has & SN_H_MAXIMUM) && d > n->maximum) {
        ok = 0;
        v_err_constraint(v, SCHEMA_ERR_RANGE, n, tb, x, "Maximum", n->maximum, V_NO_COUNT, NULL);
        if (!v->errs)
            return 0;
    }
    if ((n->has & SN_H_EXMIN) && d <= n->exmin) {
        ok = 0;
        v_err_constraint(v, SCHEMA_ERR_RANGE, n, tb, x, "ExclusiveMinimum", n->exmin, V_NO_COUNT, NULL);
        if (!v->errs)
            return 0;
    }
    if ((n->has & SN_H_EXMAX) && d >= n->exmax) {
        ok = 0;
        v_err_constraint(v, SCHEMA_ERR_RANGE, n, tb, x, "ExclusiveMaximum", n->exmax, V_NO_COUNT, NULL);
        if (!v->errs)
            return 0;
    }
    if ((n->has & SN_H_MULTIPLE) && !v_multiple_ok(n, x, d)) {
        ok = 0;
        v_err_constraint(v, SCHEMA_ERR_RANGE, n, tb, x, "MultipleOf", n->multiple_of, V_NO_COUNT, NULL);
        if (!v->errs)
            return 0;
    }
    if ((n->has & SN_H_FORMAT) && !schema_format_check_number(n->format, d)) {
        ok = 0;
        v_err_constraint(v, SCHEMA_ERR_FORMAT, n, tb, x, "Format", 0, 0, v_format_arg(n->format));
    }
    return ok;
}

static int v_pattern_match(vctx *v, const pcre2_code *re, const char *s, size_t len)
{
    int rc;

    if (!v->md) {
        v->md = pcre2_match_data_create(1, v->s->gctx);
        if (!v->md) {
            v_fail(v, BB_ERR_NOMEM);
            return 0;
        }
    }
    rc = pcre2_match(re, (PCRE2_SPTR)s, len, 0, 0, v->md, v->s->mctx);
    if (rc == PCRE2_ERROR_NOMEMORY)
        v_fail(v, BB_ERR_NOMEM);
    return rc >= 0;
}

static int v_string(vctx *v, const schema_node *n, const json_t *x)
{
    const char *s = json_string_value(x);
    size_t len = json_string_length(x);
    int ok = 1;

    if (n->has & (SN_H_MINLEN | SN_H_MAXLEN)) {
        /* code points <= bytes: count only when the byte length cannot decide */
        size_t cp = len;

        if (((n->has & SN_H_MINLEN) && len >= n->min_length) || ((n->has & SN_H_MAXLEN) && len > n->max_length))
            cp = bb_utf8_count(s, len);
        if ((n->has & SN_H_MINLEN) && cp < n->min_length) {
            ok = 0;
            v_err_constraint(v, SCHEMA_ERR_LENGTH, n, SN_T_STRING, x, "MinLength", 0, n->min_length, NULL);
            if (!v->errs)
                return 0;
        }
        if ((n->has & SN_H_MAXLEN) && cp > n->max_length) {
            ok = 0;
            v_err_constraint(v, SCHEMA_ERR_LENGTH, n, SN_T_STRING, x, "MaxLength", 0, n->max_length, NULL);
            if (!v->errs)
                return 0;
        }
    }
    if ((n->has & SN_H_PATTERN) && !v_pattern_match(v, n->pattern, s, len)) {
        bb_buf pat;

        ok = 0;
        if (!v->errs)
            return 0;
        bb_buf_init(&pat, V_PATH_MAX);
        if (bb_buf_put_json_string(&pat, n->pattern_src, strlen(n->pattern_src)) == BB_ERR_NOMEM)
            v_fail(v, BB_ERR_NOMEM);
        v_err_constraint(v, SCHEMA_ERR_PATTERN, n, SN_T_STRING, x, "Pattern", 0, 0, bb_buf_str(&pat));
        bb_buf_free(&pat);
    }
    if ((n->has & SN_H_FORMAT) && !schema_format_is_numeric(n->format) && !schema_format_check(n->format, s, len)) {
        ok = 0;
        v_err_constraint(v, SCHEMA_ERR_FORMAT, n, SN_T_STRING, x, "Format", 0, 0, v_format_arg(n->format));
    }
    return ok;
}

/* ==== objects ==================================================================== */

static const char *v_prop_expr(const schema_node *n, const char *name)
{
    long pi = schema_node_find_prop(n, name);

    if (pi < 0)
        return "any";
    return schema_node_deref(n->props[pi].node)->expr ? schema_node_deref(n->props[pi].node)->expr : "any";
}

static int v_required(vctx *v, const schema_node *n, const json_t *x, const char *const *names, size_t count)
{
    size_t i;
    int ok = 1;

    for (i = 0; i < count; i++) {
        if (json_object_get(x, names[i]))
            continue;
        ok = 0;
        if (!v->errs)
            return 0;
        v_err(v, SCHEMA_ERR_REQUIRED, names[i], v_prop_expr(n, names[i]), NULL, NULL);
    }
    return ok;
}

static int v_object(vctx *v, const schema_node *n, const json_t *x)
{
    size_t size = json_object_size(x), i;
    const char *k;
    json_t *val;
    int ok = 1;

    if ((n->has & SN_H_MINPROPS) && size < n->min_props) {
        ok = 0;
        v_err_constraint(v, SCHEMA_ERR_LENGTH, n, SN_T_OBJECT, x, "MinProperties", 0, n->min_props, NULL);
        if (!v->errs)
            return 0;
    }
    if ((n->has & SN_H_MAXPROPS) && size > n->max_props) {
        ok = 0;
        v_err_constraint(v, SCHEMA_ERR_LENGTH, n, SN_T_OBJECT, x, "MaxProperties", 0, n->max_props, NULL);
        if (!v->errs)
            return 0;
    }
    if (n->nprops || n->npprops || n->additional || n->property_names) {
        json_object_foreach((json_t *)x, k, val) {
            int matched = 0;
            long pi = n->nprops ? schema_node_find_prop(n, k) : -1;

            if (pi >= 0) {
                matched = 1;
                if (!vn_key(v, n->props[pi].node, val, k)) {
                    ok = 0;
                    if (!v->errs)
                        return 0;
                }
            }
            for (i = 0; i < n->npprops; i++) {
                if (!v_pattern_match(v, n->pprops[i].re, k, strlen(k)))
                    continue;
                matched = 1;
                if (!vn_key(v, n->pprops[i].node, val, k)) {
                    ok = 0;
                    if (!v->errs)
                        return 0;
                }
            }
            if (!matched && n->additional) {
                if (schema_node_deref(n->additional)->has & SN_H_FALSE) {
                    ok = 0;
                    if (!v->errs)
                        return 0;
                    if (v_push_key(v, k)) {
                        v_err(v, SCHEMA_ERR_ADDITIONAL, NULL, "undefined", val, NULL);
                        v->nseg--;
                    }
                } else if (!vn_key(v, n->additional, val, k)) {
                    ok = 0;
                    if (!v->errs)
                        return 0;
                }
            }
            if (n->property_names) {
                json_t *ks = json_string(k);
                int kok;

                if (!ks) {
                    v_fail(v, BB_ERR_NOMEM);
                    return 0;
                }
                kok = vn_key(v, n->property_names, ks, k);
                json_decref(ks);
                if (!kok) {
                    ok = 0;
                    if (!v->errs)
                        return 0;
                }
            }
        }
    }
    if (n->nrequired && !v_required(v, n, x, n->required, n->nrequired)) {
        ok = 0;
        if (!v->errs)
            return 0;
    }
    for (i = 0; i < n->ndeps; i++) {
        const schema_dep *d = &n->deps[i];

        if (!json_object_get(x, d->name))
            continue;
        if (d->nrequired && !v_required(v, n, x, d->required, d->nrequired)) {
            ok = 0;
            if (!v->errs)
                return 0;
        }
        if (d->node && !vn(v, d->node, x)) {
            ok = 0;
            if (!v->errs)
                return 0;
        }
    }
    return ok;
}

/* ==== arrays ====================================================================== */

/* A structural hash where equal JSON values (1 == 1.0, any key order) agree. */
static uint64_t v_hash(const json_t *x)
{
    uint64_t h = 1469598103934665603ull;
    const char *k;
    json_t *val;
    size_t i;

    switch (json_typeof(x)) {
    case JSON_OBJECT: {
        uint64_t sum = 0;

        json_object_foreach((json_t *)x, k, val) {
            uint64_t kh = 1469598103934665603ull;
            const unsigned char *p;

            for (p = (const unsigned char *)k; *p; p++)
                kh = (kh ^ *p) * 1099511628211ull;
            sum += kh * 31 + v_hash(val);
        }
        return sum ^ 0x9E3779B97F4A7C15ull;
    }
    case JSON_ARRAY:
        for (i = 0; i < json_array_size(x); i++)
            h = (h ^ v_hash(json_array_get(x, i))) * 1099511628211ull;
        return h ^ 0xA5A5;
    case JSON_STRING: {
        const unsigned char *p = (const unsigned char *)json_string_value(x);
        size_t len = json_string_length(x);

        for (i = 0; i < len; i++)
            h = (h ^ p[i]) * 1099511628211ull;
        return h;
    }
    case JSON_INTEGER:
    case JSON_REAL: {
        double d = json_number_value(x);
        uint64_t bits;

        if (d == 0)
            d = 0; /* -0 == 0 */
        memcpy(&bits, &d, sizeof bits);
        return bits * 0xff51afd7ed558ccdull;
    }
    case JSON_TRUE:
        return 1;
    case JSON_FALSE:
        return 2;
    case JSON_NULL:
        return 3;
    }
    return 0;
}

typedef struct v_hidx {
    uint64_t h;
    size_t i;
} v_hidx;

static int v_hidx_cmp(const void *a, const void *b)
{
    const v_hidx *x = a, *y = b;

    if (x->h != y->h)
        return x->h < y->h ? -1 : 1;
    return x->i < y->i ? -1 : x->i > y->i;
}

/* Finds a duplicate pair; returns 1 and sets *a < *b, 0 when unique. */
static int v_find_duplicate(vctx *v, const json_t *x, size_t *a /* OUT */, size_t *b /* OUT */)
{
    size_t n = json_array_size(x), i, j;
    v_hidx *hs;
    int found = 0;

    if (n <= V_UNIQUE_PAIRWISE) {
        for (i = 0; i < n; i++) {
            for (j = i + 1; j < n; j++) {
                if (bb_json_equal(json_array_get(x, i), json_array_get(x, j))) {
                    *a = i;
                    *b = j;
                    return 1;
                }
            }
        }
        return 0;
    }
    hs = bb_malloc(n * sizeof *hs);
    if (!hs) {
        v_fail(v, BB_ERR_NOMEM);
        return 0;
    }
    for (i = 0; i < n; i++) {
        hs[i].h = v_hash(json_array_get(x, i));
        hs[i].i = i;
    }
    qsort(hs, n, sizeof *hs, v_hidx_cmp);
    for (i = 0; i < n && !found; i++) {
        for (j = i + 1; j < n && hs[j].h == hs[i].h; j++) {
            if (bb_json_equal(json_array_get(x, hs[i].i), json_array_get(x, hs[j].i))) {
                *a = hs[i].i;
                *b = hs[j].i;
                found = 1;
                break;
            }
        }
    }
    bb_free(hs);
    return found;
}

static int v_array(vctx *v, const schema_node *n, const json_t *x)
{
    size_t size = json_array_size(x), i;
    int ok = 1;

    if ((n->has & SN_H_MINITEMS) && size < n->min_items) {
        ok = 0;
        v_err_constraint(v, SCHEMA_ERR_LENGTH, n, SN_T_ARRAY, x, "MinItems", 0, n->min_items, NULL);
        if (!v->errs)
            return 0;
    }
    if ((n->has & SN_H_MAXITEMS) && size > n->max_items) {
        ok = 0;
        v_err_constraint(v, SCHEMA_ERR_LENGTH, n, SN_T_ARRAY, x, "MaxItems", 0, n->max_items, NULL);
        if (!v->errs)
            return 0;
    }
    if (n->items || n->nprefix) {
        for (i = 0; i < size; i++) {
            const schema_node *in = i < n->nprefix ? n->prefix[i] : n->items;

            if (!in)
                break;
            if (!vn_idx(v, in, json_array_get(x, i), i)) {
                ok = 0;
                if (!v->errs)
                    return 0;
            }
        }
    }
    if (n->contains) {
        int found = 0;

        for (i = 0; i < size && !found; i++)
            found = v_probe(v, n->contains, json_array_get(x, i));
        if (!found) {
            ok = 0;
            if (!v->errs)
                return 0;
            bb_buf_reset(&v->tmp);
            if (schema_expected_base(&v->tmp, n, SN_T_ARRAY) != BB_OK ||
                bb_buf_printf(&v->tmp, " & Contains<%s>", schema_node_deref(n->contains)->expr
                                                             ? schema_node_deref(n->contains)->expr
                                                             : "any") == BB_ERR_NOMEM)
                v_fail(v, BB_ERR_NOMEM);
            v_err(v, SCHEMA_ERR_OTHER, NULL, bb_buf_str(&v->tmp), x, "no item matches the contains schema");
        }
    }
    if (n->has & SN_H_UNIQUE) {
        size_t a = 0, b = 0;

        if (v_find_duplicate(v, x, &a, &b)) {
            char msg[96];

            ok = 0;
            if (!v->errs)
                return 0;
            snprintf(msg, sizeof msg, "items %zu and %zu are equal", a, b);
            bb_buf_reset(&v->tmp);
            if (schema_expected_base(&v->tmp, n, SN_T_ARRAY) != BB_OK ||
                bb_buf_puts(&v->tmp, " & UniqueItems") != BB_OK)
                v_fail(v, BB_ERR_NOMEM);
            v_err(v, SCHEMA_ERR_UNIQUE, NULL, bb_buf_str(&v->tmp), x, msg);
        }
    }
    return ok;
}

/* ==== unions and other applicators ============================================== */

static int v_tag_cmp(const void *key, const void *elem)
{
    return strcmp((const char *)key, ((const schema_tag *)elem)->value);
}

/* Could member m accept x at all, judging by JSON type and tag? */
static int v_member_plausible(const schema_node *m, const json_t *x)
{
    m = schema_node_deref(m);
    if (m->has & SN_H_FALSE)
        return 0;
    if ((m->has & SN_H_TYPE) && !v_type_ok(m->types, x, schema_json_type_bit(x)))
        return 0;
    if ((m->has & SN_H_CONST) && schema_json_type_bit(m->const_val) != schema_json_type_bit(x) &&
        !(json_is_number(m->const_val) && json_is_number(x)))
        return 0;
    /* an exact tagged union accepts objects only */
    if (m->one_of && m->one_of->tag_exact && !json_is_object(x))
        return 0;
    if (m->any_of && m->any_of->tag_exact && !json_is_object(x))
        return 0;
    return 1;
}

/* ---- error-time guess at the member an object meant (partly tagged unions) */

/* The string a property schema fixes (const or one-value enum), or NULL. */
static const char *v_fixed_string(const schema_node *pn)
{
    pn = schema_node_deref(pn);
    if ((pn->has & SN_H_CONST) && json_is_string(pn->const_val))
        return json_string_value(pn->const_val);
    if ((pn->has & SN_H_ENUM) && pn->nenum == 1 && json_is_string(pn->enum_vals[0]))
        return json_string_value(pn->enum_vals[0]);
    return NULL;
}

/* Classifies member m for object x: -1 excluded (a fixed property of m has
 * another value in x, or x is not an object m accepts), 2 a fixed property
 * matches, 1 every required property of m is present, 0 otherwise. */
static int v_member_class(const schema_node *m, const json_t *x)
{
    size_t i;
    int matched = 0;

    m = schema_node_deref(m);
    if (!v_member_plausible(m, x))
        return -1;
    for (i = 0; i < m->nprops; i++) {
        const char *fixed = v_fixed_string(m->props[i].node);
        const json_t *xv;

        if (!fixed)
            continue;
        xv = json_object_get(x, m->props[i].name);
        if (!xv)
            continue;
        if (!json_is_string(xv) || strcmp(json_string_value(xv), fixed) != 0)
            return -1;
        matched = 1;
    }
    if (matched)
        return 2;
    for (i = 0; i < m->nrequired; i++) {
        if (!json_object_get(x, m->required[i]))
            return 0;
    }
    return 1;
}

/* For a failed untagged union and an object instance: when one member is
 * clearly meant (its fixed property matches, or it alone has all its
 * required properties), reports that member's errors; when most members fix
 * one property and x has an unknown value there, reports one discriminator
 * error listing their values. Returns 1 when it reported something. */
static int v_union_best(vctx *v, const schema_union *u, const json_t *x)
{
    size_t i, j, count[3] = {0, 0, 0}, pick[3] = {0, 0, 0};
    const schema_node *m0;

    if (u->n > V_GUESS_MEMBERS_MAX)
        return 0; /* the guess is quadratic; huge unions just name their members */
    for (i = 0; i < u->n; i++) {
        int cls = v_member_class(u->members[i], x);

        if (cls >= 0) {
            count[cls]++;
            pick[cls] = i;
        }
    }
    if (count[2] == 1) {
        (void)vn(v, u->members[pick[2]], x);
        return 1;
    }
    if (count[2] == 0 && count[1] == 1) {
        (void)vn(v, u->members[pick[1]], x);
        return 1;
    }
    if (count[2] != 0)
        return 0;
    /* a property most members fix, present in x with a value none of them has */
    for (i = 0; i < u->n; i++) {
        m0 = schema_node_deref(u->members[i]);
        for (j = 0; j < m0->nprops; j++) {
            const char *prop = m0->props[j].name;
            size_t k, fixing = 0;
            bb_result rc = BB_OK;

            if (!v_fixed_string(m0->props[j].node) || !json_object_get(x, prop))
                continue;
            for (k = 0; k < u->n; k++) {
                const schema_node *mk = schema_node_deref(u->members[k]);
                long pk = schema_node_find_prop(mk, prop);

                fixing += pk >= 0 && v_fixed_string(mk->props[pk].node);
            }
            if (fixing * 2 <= u->n)
                continue;
            bb_buf_reset(&v->tmp);
            for (k = 0; rc == BB_OK && k < u->n; k++) {
                const schema_node *mk = schema_node_deref(u->members[k]);
                long pk = schema_node_find_prop(mk, prop);
                const char *fv = pk >= 0 ? v_fixed_string(mk->props[pk].node) : NULL;

                if (!fv)
                    continue;
                if (v->tmp.len)
                    rc = bb_buf_puts(&v->tmp, " | ");
                if (rc == BB_OK)
                    rc = bb_buf_put_json_string(&v->tmp, fv, strlen(fv));
            }
            if (rc == BB_ERR_NOMEM)
                v_fail(v, rc);
            v_err(v, SCHEMA_ERR_DISCRIMINATOR, prop, bb_buf_str(&v->tmp), json_object_get(x, prop),
                  "no member of the union has this value");
            return 1;
        }
    }
    return 0;
}

static int v_union(vctx *v, const schema_node *n, const schema_union *u, const json_t *x)
{
    size_t i, valid = 0, plausible = 0, last = 0;

    if (u->tags && json_is_object(x)) {
        const json_t *tv = json_object_get(x, u->tag_prop);
        const schema_tag *t = NULL;

        if (json_is_string(tv))
            t = bsearch(json_string_value(tv), u->tags, u->ntags, sizeof *u->tags, v_tag_cmp);
        if (!t) {
            v_err(v, SCHEMA_ERR_DISCRIMINATOR, u->tag_prop, u->tag_expr, tv,
                  tv ? "unknown discriminator value" : "missing discriminator property");
            return 0;
        }
        return vn(v, u->members[t->member], x);
    }
    for (i = 0; i < u->n; i++) {
        if (v_probe(v, u->members[i], x)) {
            valid++;
            if (!u->one || valid > 1)
                break;
        }
    }
    if (u->one ? valid == 1 : valid >= 1)
        return 1;
    if (!v->errs)
        return 0;
    if (valid > 1) {
        v_err(v, SCHEMA_ERR_UNION, NULL, u->members_expr, x, "matches more than one member of oneOf");
        return 0;
    }
    for (i = 0; i < u->n; i++) {
        if (v_member_plausible(u->members[i], x)) {
            plausible++;
            last = i;
        }
    }
    if (plausible == 1)
        return vn(v, u->members[last], x); /* reports inside the only candidate */
    if (json_is_object(x) && v_union_best(v, u, x))
        return 0;
    (void)n;
    v_err(v, SCHEMA_ERR_UNION, NULL, u->members_expr, x, NULL);
    return 0;
}

static int v_applicators(vctx *v, const schema_node *n, const json_t *x)
{
    int ok = 1;
    size_t i;

    if (n->ref && !n->pure_ref && !vn(v, n->ref, x)) {
        ok = 0;
        if (!v->errs)
            return 0;
    }
    for (i = 0; i < n->n_all; i++) {
        if (!vn(v, n->all_of[i], x)) {
            ok = 0;
            if (!v->errs)
                return 0;
        }
    }
    if (n->any_of && !v_union(v, n, n->any_of, x)) {
        ok = 0;
        if (!v->errs)
            return 0;
    }
    if (n->one_of && !v_union(v, n, n->one_of, x)) {
        ok = 0;
        if (!v->errs)
            return 0;
    }
    if (n->not_ && v_probe(v, n->not_, x)) {
        ok = 0;
        if (!v->errs)
            return 0;
        bb_buf_reset(&v->tmp);
        if (bb_buf_printf(&v->tmp, "not %s", n->not_->expr ? n->not_->expr : "any") == BB_ERR_NOMEM)
            v_fail(v, BB_ERR_NOMEM);
        v_err(v, SCHEMA_ERR_NOT, NULL, bb_buf_str(&v->tmp), x, NULL);
    }
    if (n->if_) {
        const schema_node *branch = v_probe(v, n->if_, x) ? n->then_ : n->else_;

        if (branch && !vn(v, branch, x))
            ok = 0;
    }
    return ok;
}

/* ==== the walk ======================================================================= */

static int vn(vctx *v, const schema_node *n, const json_t *x)
{
    unsigned tb;
    int ok = 1;

    n = schema_node_deref(n);
    if (v->rc != BB_OK)
        return 0;
    if (v->depth >= v->max_depth) {
        if (!v->limit_reported && v->errs) {
            v_err(v, SCHEMA_ERR_LIMIT, NULL, "a shallower value", x, "validation depth limit reached");
            v->limit_reported = 1; /* one limit error per validation is enough */
        }
        v->limit_hit = 1;
        return 0;
    }
    v->depth++;
    if (n->has & SN_H_FALSE) {
        ok = 0;
        v_err(v, SCHEMA_ERR_TYPE, NULL, "never", x, NULL);
        goto out;
    }
    tb = schema_json_type_bit(x);
    if ((n->has & SN_H_TYPE) && !v_type_ok(n->types, x, tb)) {
        ok = 0;
        v_err(v, SCHEMA_ERR_TYPE, NULL, n->expr, x, NULL);
        goto out; /* the other keywords would only add noise */
    }
    if ((n->has & SN_H_CONST) && !bb_json_equal(n->const_val, x)) {
        ok = 0;
        v_err(v, SCHEMA_ERR_CONST, NULL, n->expr, x, NULL);
        if (!v->errs)
            goto out;
    }
    if (n->has & SN_H_ENUM) {
        size_t i;
        int found = 0;

        for (i = 0; i < n->nenum && !found; i++)
            found = bb_json_equal(n->enum_vals[i], x);
        if (!found) {
            ok = 0;
            v_err(v, SCHEMA_ERR_ENUM, NULL, n->expr, x, NULL);
            if (!v->errs)
                goto out;
        }
    }
    switch (tb) {
    case SN_T_STRING:
        if ((n->has & SN_H_STRING_KW) && !v_string(v, n, x))
            ok = 0;
        break;
    case SN_T_INTEGER:
    case SN_T_NUMBER:
        if ((n->has & SN_H_NUMBER_KW) && !v_number(v, n, x, tb))
            ok = 0;
        break;
    case SN_T_OBJECT:
        if ((n->has & SN_H_OBJECT_KW) && !v_object(v, n, x))
            ok = 0;
        break;
    case SN_T_ARRAY:
        if ((n->has & SN_H_ARRAY_KW) && !v_array(v, n, x))
            ok = 0;
        break;
    default:
        break;
    }
    if (!ok && !v->errs)
        goto out;
    if ((n->has & SN_H_APPLICATOR) && !v_applicators(v, n, x))
        ok = 0;
out:
    v->depth--;
    return ok;
}

/* ==== entry points ===================================================================== */

static bb_result v_init(vctx *v, const schema *s, schema_errors *errs)
{
    memset(v, 0, sizeof *v);
    v->s = s;
    v->errs = errs;
    v->n_before = errs ? errs->n : 0;
    v->max_depth = s->params.max_depth;
    v->maxseg = (size_t)s->params.max_depth + 2;
    bb_buf_init(&v->path, V_PATH_MAX);
    bb_buf_init(&v->tmp, V_PATH_MAX);
    bb_buf_init(&v->val, V_PATH_MAX);
    v->segs = bb_malloc(v->maxseg * sizeof *v->segs);
    return v->segs ? BB_OK : BB_ERR_NOMEM;
}

static void v_free(vctx *v)
{
    bb_free(v->segs);
    bb_buf_free(&v->path);
    bb_buf_free(&v->tmp);
    bb_buf_free(&v->val);
    if (v->md)
        pcre2_match_data_free(v->md);
}

bb_result schema_validate(const schema *s, const json_t *doc, schema_errors *errs)
{
    vctx v;
    bb_result rc;
    size_t before;
    int ok;

    if (!s || !doc || !errs)
        return BB_ERR_USAGE;
    before = schema_errors_total(errs);
    rc = v_init(&v, s, errs);
    if (rc != BB_OK)
        goto out;
    ok = vn(&v, s->root, doc);
    if (v.rc != BB_OK) {
        rc = v.rc;
        goto out;
    }
    if (!ok && v.limit_hit && !v.limit_reported) {
        /* the limit was met while probing (a union member, not, if) */
        v.nseg = 0;
        v_err(&v, SCHEMA_ERR_LIMIT, NULL, "a shallower value", NULL, "validation depth limit reached");
    }
    if (!ok && schema_errors_total(errs) == before)
        v_err(&v, SCHEMA_ERR_OTHER, NULL, s->root->expr ? s->root->expr : "any", doc, "invalid");
    if (v.rc != BB_OK)
        rc = v.rc;
    else
        rc = ok ? BB_OK : BB_ERR_INVALID;
out:
    v_free(&v);
    return rc;
}

int schema_node_valid(const schema *s, const schema_node *n, const json_t *x)
{
    vctx v;
    int ok = 0;

    if (v_init(&v, s, NULL) != BB_OK) {
        ok = -1;
    } else {
        ok = vn(&v, n, x);
        if (v.rc != BB_OK)
            ok = -1;
    }
    v_free(&v);
    return ok;
}

int schema_regex_test(const schema *s, const pcre2_code *re, const char *str, size_t len)
{
    pcre2_match_data *md = pcre2_match_data_create(1, s->gctx);
    int rc;

    if (!md)
        return -1;
    rc = pcre2_match(re, (PCRE2_SPTR)str, len, 0, 0, md, s->mctx);
    pcre2_match_data_free(md);
    if (rc == PCRE2_ERROR_NOMEMORY)
        return -1;
    return rc >= 0;
}

int schema_is_valid(const schema *s, const json_t *doc)
{
    vctx v;
    int ok = 0;

    if (!s || !doc)
        return 0;
    if (v_init(&v, s, NULL) == BB_OK) {
        ok = vn(&v, s->root, doc);
        if (v.rc != BB_OK)
            ok = 0;
    }
    v_free(&v);
    return ok;
}
