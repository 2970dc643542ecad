/*
 * schema_compile.c — compiles a JSON Schema document into schema_nodes.
 *
 * Pipeline: (1) deep-copy the document (the compiled schema borrows strings
 * and const/enum values from the copy); (2) walk it, one schema_node per
 * subschema, checking every keyword against the supported set and reporting
 * the rest as issues located by JSON pointer; (3) resolve `$ref`s (local JSON
 * pointers, compiled on demand; a map from JSON node to schema_node makes
 * recursion a cycle in the graph); (4) reject chains of pure `$ref`s that
 * never reach a real schema; (5) precompute the tag tables of discriminated
 * unions; (6) precompute each node's readable type expression
 * (schema_expected.c). Nodes live in the schema's arena; regexes are PCRE2
 * codes freed by schema_free.
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

/* Named limits of compilation (a schema is input too). */
#define SCHEMA_COMPILE_MAX_DEPTH 128      /* nesting of subschemas in the document */
#define SCHEMA_COMPILE_MAX_NODES 200000   /* compiled subschemas */
#define SCHEMA_COMPILE_MAX_ARENA ((size_t)256 * 1024 * 1024)
#define SCHEMA_REF_CHAIN_MAX 64           /* pure $ref hops before it counts as a cycle */
#define SCHEMA_ISSUE_PATH_MAX 4096
#define SCHEMA_DEPTH_CAP 2048             /* largest params.max_depth honoured (C stack) */
#define SCHEMA_REGEX_MATCH_LIMIT 1000000  /* PCRE2 match() calls per match: a pathological
                                             pattern fails the value instead of hanging */
#define SCHEMA_REGEX_HEAP_LIMIT_KIB 20000

schema_params schema_default_params(void)
{
    schema_params p;

    p.max_depth = 512;
    p.max_errors = SCHEMA_ERRORS_MAX_DEFAULT;
    p.strict_keywords = 1;
    return p;
}

/* ==== PCRE2 memory through the project's allocator ====================== */

static void *schema_pcre2_malloc(size_t n, void *data)
{
    (void)data;
    return bb_malloc(n);
}

static void schema_pcre2_free(void *p, void *data)
{
    (void)data;
    bb_free(p);
}

/* ==== compile context ===================================================== */

typedef struct ref_entry {
    const json_t *key;
    schema_node *node;
} ref_entry;

typedef struct pending_ref {
    schema_node *node;
    const char *ref;
    const char *where; /* JSON pointer of the subschema holding the $ref */
    struct pending_ref *next;
} pending_ref;

typedef struct cctx {
    schema *s;
    bb_arena *a;
    schema_errors *issues;
    size_t nissues;
    bb_buf path;          /* JSON pointer of the subschema being compiled */
    int modern;           /* 2019-09/2020-12: $ref siblings apply */
    int depth;
    size_t nnodes;
    bb_result rc;         /* first hard failure (nomem, limit) */
    ref_entry *map;       /* open addressing, by JSON node address */
    size_t map_cap, map_n;
    pending_ref *pending;
    schema_node *all;     /* every node, linked through next_all */
    pcre2_compile_context *ccx;
} cctx;

static void cc_fail(cctx *c, bb_result rc)
{
    if (c->rc == BB_OK)
        c->rc = rc;
}

/* Appends key to a JSON pointer (with ~0/~1 escapes). */
static bb_result cc_pointer_push(bb_buf *b, const char *key)
{
    bb_result rc = bb_buf_putc(b, '/');

    for (; rc == BB_OK && *key; key++) {
        if (*key == '~')
            rc = bb_buf_puts(b, "~0");
        else if (*key == '/')
            rc = bb_buf_puts(b, "~1");
        else
            rc = bb_buf_putc(b, *key);
    }
    return rc;
}

/* Records an issue at the current path plus key (key may be NULL). */
static void cc_issue(cctx *c, const char *key, const char *expected, const char *message)
{
    bb_buf p;
    bb_result rc;

    c->nissues++;
    if (!c->issues)
        return;
    bb_buf_init(&p, SCHEMA_ISSUE_PATH_MAX);
    rc = bb_buf_putc(&p, '#');
    if (rc == BB_OK && c->path.len)
        rc = bb_buf_append(&p, c->path.data, c->path.len);
    if (rc == BB_OK && key)
        rc = cc_pointer_push(&p, key);
    /* an over-long path is still reported, cut */
    rc = schema_errors_add(c->issues, SCHEMA_ERR_OTHER, bb_buf_str(&p), expected,
                           key ? key : "", message);
    if (rc != BB_OK)
        cc_fail(c, rc);
    bb_buf_free(&p);
}

/* message = pre + arg + post */
static void cc_issue3(cctx *c, const char *key, const char *expected, const char *pre, const char *arg,
                      const char *post)
{
    bb_buf m;

    bb_buf_init(&m, 1024);
    if (bb_buf_puts(&m, pre) == BB_ERR_NOMEM || bb_buf_puts(&m, arg) == BB_ERR_NOMEM ||
        bb_buf_puts(&m, post) == BB_ERR_NOMEM)
        cc_fail(c, BB_ERR_NOMEM);
    cc_issue(c, key, expected, bb_buf_str(&m));
    bb_buf_free(&m);
}

static void *cc_alloc(cctx *c, size_t count, size_t size)
{
    void *p = bb_arena_calloc(c->a, count ? count : 1, size);

    if (!p)
        cc_fail(c, bb_arena_failed(c->a) != BB_OK ? bb_arena_failed(c->a) : BB_ERR_NOMEM);
    return p;
}

/* ==== JSON node -> schema_node map ========================================== */

static size_t cc_hash_ptr(const void *p, size_t cap)
{
    uintptr_t x = (uintptr_t)p;

    x ^= x >> 17;
    x *= (uintptr_t)0x9E3779B97F4A7C15ull;
    x ^= x >> 29;
    return (size_t)x & (cap - 1);
}

static schema_node *cc_map_get(const cctx *c, const json_t *key)
{
    size_t i;

    if (!c->map_cap)
        return NULL;
    for (i = cc_hash_ptr(key, c->map_cap); c->map[i].key; i = (i + 1) & (c->map_cap - 1)) {
        if (c->map[i].key == key)
            return c->map[i].node;
    }
    return NULL;
}

static bb_result cc_map_put(cctx *c, const json_t *key, schema_node *node)
{
    size_t i;

    if ((c->map_n + 1) * 2 > c->map_cap) {
        size_t ncap = c->map_cap ? c->map_cap * 2 : 64, k;
        ref_entry *nm = bb_calloc(ncap, sizeof *nm);

        if (!nm)
            return BB_ERR_NOMEM;
        for (k = 0; k < c->map_cap; k++) {
            if (!c->map[k].key)
                continue;
            for (i = cc_hash_ptr(c->map[k].key, ncap); nm[i].key; i = (i + 1) & (ncap - 1))
                ;
            nm[i] = c->map[k];
        }
        bb_free(c->map);
        c->map = nm;
        c->map_cap = ncap;
    }
    for (i = cc_hash_ptr(key, c->map_cap); c->map[i].key; i = (i + 1) & (c->map_cap - 1))
        ;
    c->map[i].key = key;
    c->map[i].node = node;
    c->map_n++;
    return BB_OK;
}

/* ==== keyword tables ========================================================= */

static const char *const cc_keywords[] = {
    "type", "properties", "required", "additionalProperties", "items", "prefixItems",
    "additionalItems", "enum", "const", "oneOf", "anyOf", "allOf", "not", "$ref", "$defs",
    "definitions", "minimum", "maximum", "exclusiveMinimum", "exclusiveMaximum", "multipleOf",
    "minLength", "maxLength", "pattern", "minItems", "maxItems", "uniqueItems", "minProperties",
    "maxProperties", "format", "discriminator", "contains", "propertyNames", "patternProperties",
    "dependencies", "dependentRequired", "dependentSchemas", "if", "then", "else", "nullable", NULL,
};

static const char *const cc_annotations[] = {
    "title", "description", "default", "examples", "$schema", "$comment", "deprecated",
    "readOnly", "writeOnly", "contentMediaType", "contentEncoding", "example", NULL,
};

static int cc_in_list(const char *const *list, const char *k)
{
    for (; *list; list++) {
        if (strcmp(*list, k) == 0)
            return 1;
    }
    return 0;
}

/* ==== the walk ================================================================ */

static schema_node *cc_node(cctx *c, const json_t *j);

/* Compiles the subschema j found under key (and, for arrays/maps, sub-key). */
static schema_node *cc_child(cctx *c, const json_t *j, const char *key, const char *sub)
{
    size_t mark = c->path.len;
    schema_node *n = NULL;
    bb_result rc = cc_pointer_push(&c->path, key);

    if (rc == BB_OK && sub)
        rc = cc_pointer_push(&c->path, sub);
    if (rc != BB_OK) {
        cc_fail(c, rc);
        return NULL;
    }
    n = cc_node(c, j);
    bb_buf_truncate(&c->path, mark);
    return n;
}

static schema_node *cc_child_at(cctx *c, const json_t *j, const char *key, size_t i)
{
    char idx[32];

    snprintf(idx, sizeof idx, "%zu", i);
    return cc_child(c, j, key, idx);
}

static int cc_get_count(cctx *c, const json_t *v, const char *key, size_t *out /* OUT */)
{
    double d;

    if (json_is_integer(v) && json_integer_value(v) >= 0) {
        *out = (size_t)json_integer_value(v);
        return 1;
    }
    if (json_is_real(v)) {
        d = json_real_value(v);
        if (d >= 0 && d == floor(d) && d < 9e15) {
            *out = (size_t)d;
            return 1;
        }
    }
    cc_issue(c, key, "a non-negative integer", "must be a non-negative integer");
    return 0;
}

static int cc_get_number(cctx *c, const json_t *v, const char *key, double *out /* OUT */)
{
    if (json_is_number(v)) {
        *out = json_number_value(v);
        return 1;
    }
    if (json_is_boolean(v))
        cc_issue(c, key, "number", "boolean exclusiveMinimum/Maximum (draft 4) is not supported");
    else
        cc_issue(c, key, "number", "must be a number");
    return 0;
}

static unsigned cc_type_bits(const char *t)
{
    static const struct {
        const char *name;
        unsigned bits;
    } types[] = {
        {"null", SN_T_NULL},     {"boolean", SN_T_BOOLEAN}, {"object", SN_T_OBJECT},
        {"array", SN_T_ARRAY},   {"number", SN_T_NUMBER | SN_T_INTEGER},
        {"string", SN_T_STRING}, {"integer", SN_T_INTEGER},
    };
    size_t i;

    for (i = 0; i < sizeof types / sizeof types[0]; i++) {
        if (strcmp(t, types[i].name) == 0)
            return types[i].bits;
    }
    return 0;
}

static pcre2_code *cc_regex(cctx *c, const char *key, const json_t *v)
{
    int err = 0;
    PCRE2_SIZE off = 0;
    pcre2_code *re;
    schema_regex *node;
    char msg[256];

    if (!json_is_string(v)) {
        cc_issue(c, key, "string", "pattern must be a string");
        return NULL;
    }
    re = pcre2_compile((PCRE2_SPTR)json_string_value(v), json_string_length(v),
                       PCRE2_UTF | PCRE2_UCP | PCRE2_DOLLAR_ENDONLY | PCRE2_ALT_BSUX, &err, &off, c->ccx);
    if (!re) {
        if (err == PCRE2_ERROR_NOMEMORY) {
            cc_fail(c, BB_ERR_NOMEM);
            return NULL;
        }
        pcre2_get_error_message(err, (PCRE2_UCHAR *)msg, sizeof msg);
        cc_issue3(c, key, "a valid regular expression", "bad pattern: ", msg, "");
        return NULL;
    }
    (void)pcre2_jit_compile(re, PCRE2_JIT_COMPLETE); /* optional speed-up */
    node = cc_alloc(c, 1, sizeof *node);
    if (!node) {
        pcre2_code_free(re);
        return NULL;
    }
    node->re = re;
    node->next = c->s->regexes;
    c->s->regexes = node;
    c->s->has_patterns = 1;
    return re;
}

static int cc_prop_cmp(const void *a, const void *b)
{
    return strcmp(((const schema_prop *)a)->name, ((const schema_prop *)b)->name);
}

static void cc_properties(cctx *c, schema_node *n, const json_t *v)
{
    const char *k;
    json_t *sub;
    size_t i = 0;

    if (!json_is_object(v)) {
        cc_issue(c, "properties", "object", "properties must be an object");
        return;
    }
    n->props = cc_alloc(c, json_object_size(v), sizeof *n->props);
    if (!n->props)
        return;
    json_object_foreach((json_t *)v, k, sub) {
        n->props[i].name = k;
        n->props[i].node = cc_child(c, sub, "properties", k);
        i++;
    }
    n->nprops = i;
    qsort(n->props, n->nprops, sizeof *n->props, cc_prop_cmp);
}

static int cc_string_list(cctx *c, const json_t *v, const char *key, const char ***out /* OUT */,
                          size_t *nout /* OUT */)
{
    size_t i, n;

    if (!json_is_array(v)) {
        cc_issue(c, key, "string[]", "must be an array of strings");
        return 0;
    }
    n = json_array_size(v);
    *out = cc_alloc(c, n, sizeof **out);
    if (!*out)
        return 0;
    for (i = 0; i < n; i++) {
        const json_t *e = json_array_get(v, i);

        if (!json_is_string(e)) {
            cc_issue(c, key, "string[]", "must be an array of strings");
            return 0;
        }
        (*out)[i] = json_string_value(e);
    }
    *nout = n;
    return 1;
}

static schema_node **cc_schema_list(cctx *c, const json_t *v, const char *key, size_t *nout /* OUT */)
{
    size_t i, n;
    schema_node **list;

    if (!json_is_array(v) || json_array_size(v) == 0) {
        cc_issue(c, key, "schema[]", "must be a non-empty array of schemas");
        return NULL;
    }
    n = json_array_size(v);
    list = cc_alloc(c, n, sizeof *list);
    if (!list)
        return NULL;
    for (i = 0; i < n; i++)
        list[i] = cc_child_at(c, json_array_get(v, i), key, i);
    *nout = n;
    return list;
}

static schema_union *cc_union(cctx *c, const json_t *v, const char *key, int one)
{
    schema_union *u = cc_alloc(c, 1, sizeof *u);

    if (!u)
        return NULL;
    u->one = one;
    u->members = cc_schema_list(c, v, key, &u->n);
    return u->members ? u : NULL;
}

static void cc_deps(cctx *c, schema_node *n, const json_t *obj)
{
    static const char *const keys[] = {"dependencies", "dependentRequired", "dependentSchemas"};
    size_t total = 0, i = 0, kk;

    for (kk = 0; kk < 3; kk++) {
        const json_t *v = json_object_get(obj, keys[kk]);

        if (!v)
            continue;
        if (!json_is_object(v)) {
            cc_issue(c, keys[kk], "object", "must be an object");
            return;
        }
        total += json_object_size(v);
    }
    if (!total)
        return;
    n->deps = cc_alloc(c, total, sizeof *n->deps);
    if (!n->deps)
        return;
    for (kk = 0; kk < 3; kk++) {
        const json_t *v = json_object_get(obj, keys[kk]);
        const char *k;
        json_t *d;

        if (!v)
            continue;
        json_object_foreach((json_t *)v, k, d) {
            schema_dep *dep = &n->deps[i++];

            dep->name = k;
            if (json_is_array(d) && kk != 2)
                cc_string_list(c, d, keys[kk], &dep->required, &dep->nrequired);
            else if (kk != 1)
                dep->node = cc_child(c, d, keys[kk], k);
            else
                cc_issue(c, keys[kk], "string[]", "dependentRequired values must be arrays");
        }
    }
    n->ndeps = i;
    n->has |= SN_H_OBJECT_KW;
}

static void cc_defs(cctx *c, const json_t *obj, const char *key)
{
    const json_t *v = json_object_get(obj, key);
    const char *k;
    json_t *d;

    if (!v)
        return;
    if (!json_is_object(v)) {
        cc_issue(c, key, "object", "must be an object of schemas");
        return;
    }
    json_object_foreach((json_t *)v, k, d) {
        schema_node *dn = cc_child(c, d, key, k);

        if (dn)
            dn->name = k;
    }
}

static void cc_items(cctx *c, schema_node *n, const json_t *obj)
{
    const json_t *items = json_object_get(obj, "items");
    const json_t *prefix = json_object_get(obj, "prefixItems");
    const json_t *additional = json_object_get(obj, "additionalItems");

    if (prefix) {
        if (items && json_is_array(items)) {
            cc_issue(c, "items", "schema", "array-form items cannot be combined with prefixItems");
            return;
        }
        n->prefix = cc_schema_list(c, prefix, "prefixItems", &n->nprefix);
        if (items)
            n->items = cc_child(c, items, "items", NULL);
        if (additional)
            cc_issue(c, "additionalItems", "no additionalItems", "additionalItems with prefixItems: use items");
    } else if (items && json_is_array(items)) {
        size_t i;

        n->nprefix = json_array_size(items);
        n->prefix = cc_alloc(c, n->nprefix, sizeof *n->prefix);
        for (i = 0; n->prefix && i < n->nprefix; i++)
            n->prefix[i] = cc_child_at(c, json_array_get(items, i), "items", i);
        if (additional)
            n->items = cc_child(c, additional, "additionalItems", NULL);
    } else {
        if (items)
            n->items = cc_child(c, items, "items", NULL);
        if (additional)
            (void)cc_child(c, additional, "additionalItems", NULL); /* no effect without tuple items */
    }
    if (items || prefix || additional)
        n->has |= SN_H_ARRAY_KW;
}

static void cc_keyword_check(cctx *c, const json_t *obj, int is_root)
{
    const char *k;
    json_t *v;

    json_object_foreach((json_t *)obj, k, v) {
        if (cc_in_list(cc_keywords, k) || cc_in_list(cc_annotations, k) || strncmp(k, "x-", 2) == 0)
            continue;
        if (strcmp(k, "$id") == 0 && is_root)
            continue;
        if (strcmp(k, "$id") == 0)
            cc_issue(c, k, "a supported keyword", "$id is supported at the root only");
        else
            cc_issue3(c, k, "a supported keyword", "unsupported keyword \"", k, "\"");
    }
}

static void cc_type(cctx *c, schema_node *n, const json_t *v)
{
    size_t i;

    if (json_is_string(v)) {
        n->types = cc_type_bits(json_string_value(v));
        if (!n->types)
            cc_issue3(c, "type", "a JSON type name", "unknown type \"", json_string_value(v), "\"");
    } else if (json_is_array(v) && json_array_size(v) > 0) {
        for (i = 0; i < json_array_size(v); i++) {
            const json_t *e = json_array_get(v, i);
            unsigned bits = json_is_string(e) ? cc_type_bits(json_string_value(e)) : 0;

            if (!bits)
                cc_issue(c, "type", "a JSON type name", "unknown type in type array");
            n->types |= bits;
        }
    } else {
        cc_issue(c, "type", "string | string[]", "type must be a type name or an array of them");
    }
    n->has |= SN_H_TYPE;
}

static void cc_numbers(cctx *c, schema_node *n, const json_t *obj)
{
    static const struct {
        const char *key;
        unsigned bit;
        size_t off;
    } kws[] = {
        {"minimum", SN_H_MINIMUM, offsetof(schema_node, minimum)},
        {"maximum", SN_H_MAXIMUM, offsetof(schema_node, maximum)},
        {"exclusiveMinimum", SN_H_EXMIN, offsetof(schema_node, exmin)},
        {"exclusiveMaximum", SN_H_EXMAX, offsetof(schema_node, exmax)},
        {"multipleOf", SN_H_MULTIPLE, offsetof(schema_node, multiple_of)},
    };
    size_t i;

    for (i = 0; i < sizeof kws / sizeof kws[0]; i++) {
        const json_t *v = json_object_get(obj, kws[i].key);
        double d;

        if (!v || !cc_get_number(c, v, kws[i].key, &d))
            continue;
        if (kws[i].bit == SN_H_MULTIPLE && !(d > 0)) {
            cc_issue(c, kws[i].key, "number & ExclusiveMinimum<0>", "multipleOf must be greater than 0");
            continue;
        }
        memcpy((char *)n + kws[i].off, &d, sizeof d);
        n->has |= kws[i].bit | SN_H_NUMBER_KW;
    }
}

static void cc_counts(cctx *c, schema_node *n, const json_t *obj)
{
    static const struct {
        const char *key;
        unsigned bit, group;
        size_t off;
    } kws[] = {
        {"minLength", SN_H_MINLEN, SN_H_STRING_KW, offsetof(schema_node, min_length)},
        {"maxLength", SN_H_MAXLEN, SN_H_STRING_KW, offsetof(schema_node, max_length)},
        {"minItems", SN_H_MINITEMS, SN_H_ARRAY_KW, offsetof(schema_node, min_items)},
        {"maxItems", SN_H_MAXITEMS, SN_H_ARRAY_KW, offsetof(schema_node, max_items)},
        {"minProperties", SN_H_MINPROPS, SN_H_OBJECT_KW, offsetof(schema_node, min_props)},
        {"maxProperties", SN_H_MAXPROPS, SN_H_OBJECT_KW, offsetof(schema_node, max_props)},
    };
    size_t i;

    for (i = 0; i < sizeof kws / sizeof kws[0]; i++) {
        const json_t *v = json_object_get(obj, kws[i].key);
        size_t k;

        if (!v || !cc_get_count(c, v, kws[i].key, &k))
            continue;
        memcpy((char *)n + kws[i].off, &k, sizeof k);
        n->has |= kws[i].bit | kws[i].group;
    }
}

static void cc_object_kw(cctx *c, schema_node *n, const json_t *obj)
{
    const json_t *v;

    v = json_object_get(obj, "properties");
    if (v) {
        cc_properties(c, n, v);
        n->has |= SN_H_OBJECT_KW;
    }
    v = json_object_get(obj, "required");
    if (v) {
        cc_string_list(c, v, "required", &n->required, &n->nrequired);
        n->has |= SN_H_OBJECT_KW;
    }
    v = json_object_get(obj, "patternProperties");
    if (v) {
        const char *k;
        json_t *sub;
        size_t i = 0;

        n->has |= SN_H_OBJECT_KW;
        if (!json_is_object(v)) {
            cc_issue(c, "patternProperties", "object", "must be an object");
        } else {
            n->pprops = cc_alloc(c, json_object_size(v), sizeof *n->pprops);
            json_object_foreach((json_t *)v, k, sub) {
                json_t *ks = json_string(k);

                if (!n->pprops)
                    break;
                if (!ks) {
                    cc_fail(c, BB_ERR_NOMEM);
                    break;
                }
                n->pprops[i].re = cc_regex(c, "patternProperties", ks);
                json_decref(ks);
                n->pprops[i].src = k;
                n->pprops[i].node = cc_child(c, sub, "patternProperties", k);
                if (n->pprops[i].re)
                    i++;
            }
            n->npprops = i;
        }
    }
    v = json_object_get(obj, "additionalProperties");
    if (v) {
        n->additional = cc_child(c, v, "additionalProperties", NULL);
        n->has |= SN_H_OBJECT_KW;
    }
    v = json_object_get(obj, "propertyNames");
    if (v) {
        n->property_names = cc_child(c, v, "propertyNames", NULL);
        n->has |= SN_H_OBJECT_KW;
    }
    cc_deps(c, n, obj);
}

static void cc_string_kw(cctx *c, schema_node *n, const json_t *obj)
{
    const json_t *v = json_object_get(obj, "pattern");

    if (v) {
        n->pattern = cc_regex(c, "pattern", v);
        n->pattern_src = json_is_string(v) ? json_string_value(v) : NULL;
        if (n->pattern)
            n->has |= SN_H_PATTERN | SN_H_STRING_KW;
    }
    v = json_object_get(obj, "format");
    if (v) {
        n->format = json_is_string(v) ? schema_format_from_name(json_string_value(v)) : SCHEMA_FMT_NONE;
        if (n->format == SCHEMA_FMT_NONE)
            cc_issue3(c, "format", "a supported format", "unsupported format \"",
                      json_is_string(v) ? json_string_value(v) : "(not a string)", "\"");
        else
            n->has |= SN_H_FORMAT | (schema_format_is_numeric(n->format) ? SN_H_NUMBER_KW : SN_H_STRING_KW);
    }
}

static void cc_generic_kw(cctx *c, schema_node *n, const json_t *obj)
{
    const json_t *v;

    v = json_object_get(obj, "const");
    if (v) {
        n->const_val = v;
        n->has |= SN_H_CONST;
    }
    v = json_object_get(obj, "enum");
    if (v) {
        size_t i;

        if (!json_is_array(v)) {
            cc_issue(c, "enum", "array", "enum must be an array");
        } else {
            n->nenum = json_array_size(v);
            n->enum_vals = cc_alloc(c, n->nenum, sizeof *n->enum_vals);
            for (i = 0; n->enum_vals && i < n->nenum; i++)
                n->enum_vals[i] = json_array_get(v, i);
            n->has |= SN_H_ENUM;
        }
    }
    v = json_object_get(obj, "allOf");
    if (v)
        n->all_of = cc_schema_list(c, v, "allOf", &n->n_all);
    v = json_object_get(obj, "anyOf");
    if (v)
        n->any_of = cc_union(c, v, "anyOf", 0);
    v = json_object_get(obj, "oneOf");
    if (v)
        n->one_of = cc_union(c, v, "oneOf", 1);
    v = json_object_get(obj, "not");
    if (v)
        n->not_ = cc_child(c, v, "not", NULL);
    v = json_object_get(obj, "if");
    if (v)
        n->if_ = cc_child(c, v, "if", NULL);
    v = json_object_get(obj, "then");
    if (v) {
        schema_node *t = cc_child(c, v, "then", NULL);

        if (n->if_)
            n->then_ = t;
    }
    v = json_object_get(obj, "else");
    if (v) {
        schema_node *e = cc_child(c, v, "else", NULL);

        if (n->if_)
            n->else_ = e;
    }
    v = json_object_get(obj, "contains");
    if (v) {
        n->contains = cc_child(c, v, "contains", NULL);
        n->has |= SN_H_ARRAY_KW;
    }
    v = json_object_get(obj, "discriminator");
    if (v) {
        const json_t *pn = json_object_get(v, "propertyName");
        const json_t *map = json_object_get(v, "mapping");

        if (!json_is_object(v) || !json_is_string(pn) || (map && !json_is_object(map)))
            cc_issue(c, "discriminator", "{propertyName: string, mapping?: object}",
                     "discriminator must be {propertyName, mapping?}");
        else if (!n->one_of && !n->any_of)
            cc_issue(c, "discriminator", "oneOf or anyOf", "discriminator needs a oneOf or anyOf beside it");
        else
            n->disc = v;
    }
    if (n->all_of || n->any_of || n->one_of || n->not_ || n->if_)
        n->has |= SN_H_APPLICATOR;
}

static schema_node *cc_node(cctx *c, const json_t *j)
{
    schema_node *n;
    const json_t *ref, *title;
    int is_root = c->depth == 0 && c->nnodes == 0;

    n = cc_map_get(c, j);
    if (n)
        return n;
    if (c->rc != BB_OK)
        return NULL;
    if (c->depth >= SCHEMA_COMPILE_MAX_DEPTH || c->nnodes >= SCHEMA_COMPILE_MAX_NODES) {
        cc_issue(c, NULL, "a smaller schema", "schema nesting or size limit reached");
        cc_fail(c, BB_ERR_LIMIT);
        return NULL;
    }
    n = cc_alloc(c, 1, sizeof *n);
    if (!n)
        return NULL;
    c->nnodes++;
    n->next_all = c->all;
    c->all = n;
    if (cc_map_put(c, j, n) != BB_OK) {
        cc_fail(c, BB_ERR_NOMEM);
        return NULL;
    }
    if (json_is_true(j))
        return n;
    if (json_is_false(j)) {
        n->has |= SN_H_FALSE;
        return n;
    }
    if (!json_is_object(j)) {
        cc_issue(c, NULL, "object | boolean", "a schema must be an object or a boolean");
        return n;
    }
    c->depth++;
    cc_keyword_check(c, j, is_root);
    title = json_object_get(j, "title");
    if (json_is_string(title))
        n->name = json_string_value(title);
    cc_defs(c, j, "$defs");
    cc_defs(c, j, "definitions");
    ref = json_object_get(j, "$ref");
    if (ref) {
        pending_ref *p = cc_alloc(c, 1, sizeof *p);

        if (!json_is_string(ref)) {
            cc_issue(c, "$ref", "string", "$ref must be a string");
        } else if (p) {
            p->node = n;
            p->ref = json_string_value(ref);
            p->where = bb_arena_strndup(c->a, c->path.data ? c->path.data : "", c->path.len);
            if (!p->where)
                cc_fail(c, BB_ERR_NOMEM);
            p->next = c->pending;
            c->pending = p;
            n->ref_str = p->ref;
        }
        if (!c->modern) {
            /* draft 7: siblings of $ref are ignored */
            n->pure_ref = 1;
            c->depth--;
            return n;
        }
    }
    {
        const json_t *t = json_object_get(j, "type");

        if (t)
            cc_type(c, n, t);
    }
    cc_numbers(c, n, j);
    cc_counts(c, n, j);
    cc_object_kw(c, n, j);
    cc_items(c, n, j);
    if (json_object_get(j, "uniqueItems")) {
        const json_t *u = json_object_get(j, "uniqueItems");

        if (!json_is_boolean(u))
            cc_issue(c, "uniqueItems", "boolean", "uniqueItems must be a boolean");
        else if (json_is_true(u))
            n->has |= SN_H_UNIQUE | SN_H_ARRAY_KW;
    }
    cc_string_kw(c, n, j);
    cc_generic_kw(c, n, j);
    if (json_is_true(json_object_get(j, "nullable")) && (n->has & SN_H_TYPE))
        n->types |= SN_T_NULL;
    if (n->ref_str) {
        unsigned active = n->has & ~(unsigned)SN_H_APPLICATOR;

        n->pure_ref = !active && !(n->has & SN_H_APPLICATOR);
        n->has |= SN_H_APPLICATOR;
    }
    c->depth--;
    return n;
}

/* ==== $ref resolution ========================================================= */

static int cc_hexval(char h)
{
    if (h >= '0' && h <= '9')
        return h - '0';
    if (h >= 'a' && h <= 'f')
        return h - 'a' + 10;
    if (h >= 'A' && h <= 'F')
        return h - 'A' + 10;
    return -1;
}

/* Resolves a local JSON pointer "#/a/b" against root; NULL when absent. */
static const json_t *cc_resolve_pointer(cctx *c, const char *ref)
{
    const json_t *cur = c->s->doc;
    const char *p = ref + 1;
    bb_buf seg;
    const json_t *out = NULL;

    bb_buf_init(&seg, 4096);
    while (*p) {
        if (*p != '/')
            goto out;
        p++;
        bb_buf_reset(&seg);
        while (*p && *p != '/') {
            char ch = *p;

            if (ch == '~' && (p[1] == '0' || p[1] == '1')) {
                ch = p[1] == '0' ? '~' : '/';
                p += 2;
            } else if (ch == '%' && cc_hexval(p[1]) >= 0 && cc_hexval(p[2]) >= 0) {
                ch = (char)(cc_hexval(p[1]) * 16 + cc_hexval(p[2]));
                p += 3;
            } else {
                p++;
            }
            if (bb_buf_putc(&seg, ch) != BB_OK)
                goto out;
        }
        if (json_is_object(cur)) {
            cur = json_object_get(cur, bb_buf_str(&seg));
        } else if (json_is_array(cur)) {
            const char *s = bb_buf_str(&seg);
            char *end = NULL;
            unsigned long idx;

            if (!*s || (s[0] == '0' && s[1]) || s[0] < '0' || s[0] > '9')
                goto out;
            idx = strtoul(s, &end, 10);
            if (*end)
                goto out;
            cur = json_array_get(cur, idx);
        } else {
            goto out;
        }
        if (!cur)
            goto out;
    }
    out = cur;
out:
    bb_buf_free(&seg);
    return out;
}

static void cc_resolve_refs(cctx *c)
{
    while (c->pending && c->rc == BB_OK) {
        pending_ref *p = c->pending;
        const json_t *target;

        c->pending = p->next;
        bb_buf_reset(&c->path);
        if (bb_buf_puts(&c->path, p->where ? p->where : "") != BB_OK) {
            cc_fail(c, BB_ERR_NOMEM);
            continue;
        }
        if (p->ref[0] != '#') {
            cc_issue3(c, "$ref", "a local $ref (#/...)", "remote $ref \"", p->ref, "\" is not supported");
            continue;
        }
        if (p->ref[1] && p->ref[1] != '/') {
            cc_issue3(c, "$ref", "a local $ref (#/...)", "anchor $ref \"", p->ref, "\" is not supported");
            continue;
        }
        target = cc_resolve_pointer(c, p->ref);
        if (!target) {
            cc_issue3(c, "$ref", "an existing local target", "$ref \"", p->ref, "\" does not resolve");
            continue;
        }
        /* the target is compiled with its pointer as path */
        bb_buf_reset(&c->path);
        if (bb_buf_puts(&c->path, p->ref + 1) != BB_OK) {
            cc_fail(c, BB_ERR_NOMEM);
            continue;
        }
        p->node->ref = cc_node(c, target);
        if (p->node->ref && !p->node->ref->name &&
            (strstr(p->ref, "/$defs/") || strstr(p->ref, "/definitions/") || strstr(p->ref, "/schemas/"))) {
            const char *slash = strrchr(p->ref, '/');

            if (slash && slash[1])
                p->node->ref->name = bb_arena_strdup(c->a, slash + 1);
        }
    }
    bb_buf_reset(&c->path);
}

static void cc_check_ref_cycles(cctx *c)
{
    schema_node *n;

    for (n = c->all; n; n = n->next_all) {
        const schema_node *m = n;
        int hops = 0;

        if (!n->pure_ref)
            continue;
        while (m->pure_ref && m->ref && hops < SCHEMA_REF_CHAIN_MAX) {
            m = m->ref;
            hops++;
        }
        if (m->pure_ref && m->ref) {
            cc_issue3(c, NULL, "a $ref that reaches a schema", "$ref \"", n->ref_str ? n->ref_str : "",
                      "\" is a cycle of references that never reaches a schema");
            cc_fail(c, BB_ERR_SCHEMA); /* fatal even when lenient: validation would loop */
            return;
        }
    }
}

/* ==== tagged unions =========================================================== */

/* The const string that member m fixes for property prop, or NULL. m must
 * reject every instance that is not an object, lacks prop, or has another
 * value there (so choosing by tag is exactly the union's semantics). */
static const char *cc_member_tag(const schema_node *m, const char *prop, int depth)
{
    size_t i;
    long pi;

    if (depth > 8)
        return NULL;
    m = schema_node_deref(m);
    if ((m->has & SN_H_TYPE) && m->types == SN_T_OBJECT) {
        int req = 0;

        for (i = 0; i < m->nrequired; i++)
            req |= strcmp(m->required[i], prop) == 0;
        pi = schema_node_find_prop(m, prop);
        if (req && pi >= 0) {
            const schema_node *pn = schema_node_deref(m->props[pi].node);

            if ((pn->has & SN_H_CONST) && json_is_string(pn->const_val))
                return json_string_value(pn->const_val);
            if ((pn->has & SN_H_ENUM) && pn->nenum == 1 && json_is_string(pn->enum_vals[0]))
                return json_string_value(pn->enum_vals[0]);
        }
    }
    for (i = 0; i < m->n_all; i++) {
        const char *t = cc_member_tag(m->all_of[i], prop, depth + 1);

        if (t)
            return t;
    }
    return NULL;
}

static int cc_tag_cmp(const void *a, const void *b)
{
    return strcmp(((const schema_tag *)a)->value, ((const schema_tag *)b)->value);
}

static int cc_try_tag(cctx *c, schema_union *u, const char *prop)
{
    schema_tag *tags = cc_alloc(c, u->n, sizeof *tags);
    size_t i;

    if (!tags)
        return 0;
    for (i = 0; i < u->n; i++) {
        tags[i].value = cc_member_tag(u->members[i], prop, 0);
        tags[i].member = i;
        if (!tags[i].value)
            return 0;
    }
    qsort(tags, u->n, sizeof *tags, cc_tag_cmp);
    for (i = 1; i < u->n; i++) {
        if (strcmp(tags[i - 1].value, tags[i].value) == 0)
            return 0;
    }
    u->tags = tags;
    u->ntags = u->n;
    u->tag_prop = prop;
    u->tag_exact = 1;
    return 1;
}

/* Candidate tag properties: the required const properties of member 0. */
static int cc_find_tag(cctx *c, schema_union *u, const schema_node *m, int depth)
{
    size_t i;

    if (depth > 8)
        return 0;
    m = schema_node_deref(m);
    for (i = 0; i < m->nrequired; i++) {
        if (cc_try_tag(c, u, m->required[i]))
            return 1;
    }
    for (i = 0; i < m->n_all; i++) {
        if (cc_find_tag(c, u, m->all_of[i], depth + 1))
            return 1;
    }
    return 0;
}

/* OpenAPI discriminator without consts: mapping values name $ref targets. */
static void cc_tag_from_mapping(cctx *c, schema_union *u, const json_t *disc)
{
    const json_t *map = json_object_get(disc, "mapping");
    const char *prop = json_string_value(json_object_get(disc, "propertyName"));
    schema_tag *tags = cc_alloc(c, u->n + (map ? json_object_size(map) : 0), sizeof *tags);
    size_t i, nt = 0;

    if (!tags)
        return;
    if (map) {
        const char *k;
        json_t *v;

        json_object_foreach((json_t *)map, k, v) {
            for (i = 0; json_is_string(v) && i < u->n; i++) {
                if (u->members[i]->ref_str && strcmp(u->members[i]->ref_str, json_string_value(v)) == 0) {
                    tags[nt].value = k;
                    tags[nt].member = i;
                    nt++;
                    break;
                }
            }
        }
    }
    for (i = 0; i < u->n; i++) {
        const char *nm = u->members[i]->ref ? u->members[i]->ref->name : NULL;
        size_t k2, dup = 0;

        if (!nm)
            continue;
        for (k2 = 0; k2 < nt; k2++)
            dup |= tags[k2].member == i || strcmp(tags[k2].value, nm) == 0;
        if (!dup) {
            tags[nt].value = nm;
            tags[nt].member = i;
            nt++;
        }
    }
    qsort(tags, nt, sizeof *tags, cc_tag_cmp);
    for (i = 1; i < nt; i++) {
        if (strcmp(tags[i - 1].value, tags[i].value) == 0) {
            cc_issue(c, "discriminator", "distinct tag values", "discriminator mapping has duplicate values");
            return;
        }
    }
    if (nt == 0) {
        cc_issue(c, "discriminator", "a mapping or members with const tags",
                 "discriminator: no member can be chosen by tag");
        return;
    }
    u->tags = tags;
    u->ntags = nt;
    u->tag_prop = prop;
    u->tag_exact = 0;
}

/* Finds the discriminator object of the node holding union u, if any. */
static void cc_tag_union(cctx *c, schema_union *u, const json_t *disc)
{
    const char *dprop = disc ? json_string_value(json_object_get(disc, "propertyName")) : NULL;

    if (!u || u->n < 2)
        return;
    if (dprop) {
        if (!cc_try_tag(c, u, dprop))
            cc_tag_from_mapping(c, u, disc);
    } else {
        (void)cc_find_tag(c, u, u->members[0], 0);
    }
    if (u->tags) {
        bb_buf b;
        size_t i;
        bb_result rc = BB_OK;

        bb_buf_init(&b, 64 * 1024);
        for (i = 0; rc == BB_OK && i < u->ntags; i++) {
            if (i)
                rc = bb_buf_puts(&b, " | ");
            if (rc == BB_OK)
                rc = bb_buf_put_json_string(&b, u->tags[i].value, strlen(u->tags[i].value));
        }
        u->tag_expr = bb_arena_strdup(c->a, bb_buf_str(&b));
        if (!u->tag_expr)
            cc_fail(c, BB_ERR_NOMEM);
        bb_buf_free(&b);
    }
}

static void cc_tag_all(cctx *c)
{
    schema_node *n;

    for (n = c->all; n && c->rc == BB_OK; n = n->next_all) {
        const json_t *disc;

        if (!n->any_of && !n->one_of)
            continue;
        disc = n->disc;
        cc_tag_union(c, n->one_of, disc);
        cc_tag_union(c, n->any_of, disc);
    }
}

/* ==== entry points ============================================================ */

long schema_node_find_prop(const schema_node *n, const char *name)
{
    size_t lo = 0, hi = n->nprops;

    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        int cmp = strcmp(n->props[mid].name, name);

        if (cmp == 0)
            return (long)mid;
        if (cmp < 0)
            lo = mid + 1;
        else
            hi = mid;
    }
    return -1;
}

unsigned schema_json_type_bit(const json_t *v)
{
    switch (json_typeof(v)) {
    case JSON_NULL:
        return SN_T_NULL;
    case JSON_TRUE:
    case JSON_FALSE:
        return SN_T_BOOLEAN;
    case JSON_OBJECT:
        return SN_T_OBJECT;
    case JSON_ARRAY:
        return SN_T_ARRAY;
    case JSON_INTEGER:
        return SN_T_INTEGER;
    case JSON_REAL:
        return SN_T_NUMBER;
    case JSON_STRING:
        return SN_T_STRING;
    }
    return 0;
}

bb_result schema_compile(const json_t *doc, const schema_params *params, schema **out, schema_errors *issues)
{
    cctx c;
    schema *s = NULL;
    const json_t *sv;
    bb_result rc = BB_OK;
    schema_node *n;

    *out = NULL;
    memset(&c, 0, sizeof c);
    bb_buf_init(&c.path, SCHEMA_ISSUE_PATH_MAX);
    if (!doc) {
        rc = BB_ERR_USAGE;
        goto out;
    }
    s = bb_calloc(1, sizeof *s);
    if (!s) {
        rc = BB_ERR_NOMEM;
        goto out;
    }
    s->params = params ? *params : schema_default_params();
    if (s->params.max_depth <= 0)
        s->params.max_depth = schema_default_params().max_depth;
    if (s->params.max_depth > SCHEMA_DEPTH_CAP)
        s->params.max_depth = SCHEMA_DEPTH_CAP;
    if (!s->params.max_errors)
        s->params.max_errors = SCHEMA_ERRORS_MAX_DEFAULT;
    s->arena = bb_arena_new(SCHEMA_COMPILE_MAX_ARENA);
    s->doc = json_deep_copy(doc);
    s->gctx = pcre2_general_context_create(schema_pcre2_malloc, schema_pcre2_free, NULL);
    if (!s->arena || !s->doc || !s->gctx) {
        rc = BB_ERR_NOMEM;
        goto out;
    }
    c.ccx = pcre2_compile_context_create(s->gctx);
    s->mctx = pcre2_match_context_create(s->gctx);
    if (!c.ccx || !s->mctx) {
        rc = BB_ERR_NOMEM;
        goto out;
    }
    pcre2_set_newline(c.ccx, PCRE2_NEWLINE_ANYCRLF);
    pcre2_set_match_limit(s->mctx, SCHEMA_REGEX_MATCH_LIMIT);
    pcre2_set_heap_limit(s->mctx, SCHEMA_REGEX_HEAP_LIMIT_KIB);
    pcre2_set_compile_extra_options(c.ccx, PCRE2_EXTRA_ALT_BSUX);
    c.s = s;
    c.a = s->arena;
    c.issues = issues;
    sv = json_object_get(s->doc, "$schema");
    if (json_is_string(sv) &&
        (strstr(json_string_value(sv), "2019-09") || strstr(json_string_value(sv), "2020-12")))
        c.modern = 1;
    s->root = cc_node(&c, s->doc);
    cc_resolve_refs(&c);
    if (c.rc == BB_OK)
        cc_check_ref_cycles(&c);
    if (c.rc == BB_OK && !(c.nissues && s->params.strict_keywords))
        cc_tag_all(&c);
    for (n = c.all; n && c.rc == BB_OK && !(c.nissues && s->params.strict_keywords); n = n->next_all) {
        bb_result er = schema_expected_compute(s->arena, n);

        if (er != BB_OK)
            cc_fail(&c, er);
    }
    if (c.rc != BB_OK) {
        rc = c.rc;
        goto out;
    }
    if (c.nissues && s->params.strict_keywords) {
        rc = BB_ERR_SCHEMA;
        goto out;
    }
    if (!s->root) {
        rc = BB_ERR_SCHEMA;
        goto out;
    }
    *out = s;
    s = NULL;
out:
    if (c.ccx)
        pcre2_compile_context_free(c.ccx);
    bb_free(c.map);
    bb_buf_free(&c.path);
    schema_free(s);
    return rc;
}

void schema_free(schema *s)
{
    schema_regex *r;

    if (!s)
        return;
    for (r = s->regexes; r; r = r->next)
        pcre2_code_free(r->re);
    if (s->mctx)
        pcre2_match_context_free(s->mctx);
    if (s->gctx)
        pcre2_general_context_free(s->gctx);
    json_decref(s->doc);
    bb_arena_free(s->arena);
    bb_free(s);
}
