/*
 * checklist.c — loads checklist.json into bench_checklist (see checklist.h).
 *
 * One pass over the JSON DOM; every problem becomes a located error and the
 * pass continues, so a broken checklist reports all its problems at once.
 * References (relation from/to, endpoint actor) are resolved after the
 * entities and actors are loaded.
 */
#include "bench/checklist.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "bench/project.h"
#include "json/json_util.h"
#include "util/buf.h"
#include "util/file.h"

#define CL_PATH_MAX 256

typedef struct cl_ctx {
    bench_checklist *cl;
    schema_errors *errs;
    bb_result fatal; /* BB_ERR_NOMEM once an allocation failed */
    int n_errors;
} cl_ctx;

/* Formats a JSON path; paths longer than the buffer are cut (they only
 * locate errors). */
static void cl_path(char *out, size_t cap, const char *fmt, ...) __attribute__((format(printf, 3, 4)));

static void cl_path(char *out, size_t cap, const char *fmt, ...)
{
    va_list ap;

    va_start(ap, fmt);
    (void)vsnprintf(out, cap, fmt, ap);
    va_end(ap);
}

/* ---- errors --------------------------------------------------------------- */

static void cl_error(cl_ctx *c, schema_error_kind kind, const char *path, const char *expected, const json_t *value,
                     const char *message)
{
    bb_buf text;
    bb_result rc = BB_OK;

    c->n_errors++;
    bb_buf_init(&text, 4096);
    if (value)
        rc = bb_json_append_compact(&text, value, 200);
    if (rc == BB_OK)
        rc = schema_errors_add(c->errs, kind, path, expected, value ? bb_buf_str(&text) : "undefined", message);
    if (rc != BB_OK && c->fatal == BB_OK)
        c->fatal = rc;
    bb_buf_free(&text);
}

static void cl_nomem(cl_ctx *c)
{
    if (c->fatal == BB_OK)
        c->fatal = BB_ERR_NOMEM;
}

/* ---- small readers -------------------------------------------------------- */

/* A required non-empty string no longer than BENCH_CL_MAX_TEXT, copied to
 * the arena; NULL (with an error) otherwise. */
static const char *cl_string(cl_ctx *c, const json_t *v, const char *path, const char *what)
{
    const char *s;
    char *copy;

    if (!v) {
        cl_error(c, SCHEMA_ERR_REQUIRED, path, what, NULL, NULL);
        return NULL;
    }
    if (!json_is_string(v)) {
        cl_error(c, SCHEMA_ERR_TYPE, path, what, v, NULL);
        return NULL;
    }
    s = json_string_value(v);
    if (json_string_length(v) == 0 || json_string_length(v) != strlen(s) ||
        json_string_length(v) > BENCH_CL_MAX_TEXT) {
        cl_error(c, SCHEMA_ERR_LENGTH, path, "non-empty string without NUL, at most 4096 bytes", v, NULL);
        return NULL;
    }
    copy = bb_arena_strdup(c->cl->arena, s);
    if (!copy)
        cl_nomem(c);
    return copy;
}

/* An array of at most max items (an error and NULL otherwise). */
static const json_t *cl_array(cl_ctx *c, const json_t *v, const char *path, size_t max, int required)
{
    if (!v) {
        if (required)
            cl_error(c, SCHEMA_ERR_REQUIRED, path, "array", NULL, NULL);
        return NULL;
    }
    if (!json_is_array(v)) {
        cl_error(c, SCHEMA_ERR_TYPE, path, "array", v, NULL);
        return NULL;
    }
    if (json_array_size(v) > max) {
        cl_error(c, SCHEMA_ERR_LIMIT, path, "at most the named limit of items", NULL,
                 "too many items for the checklist limits");
        return NULL;
    }
    return v;
}

/* Reports keys of obj not in allowed (NULL-terminated). */
static void cl_keys(cl_ctx *c, const json_t *obj, const char *path, const char *const *allowed)
{
    const char *key;
    json_t *val;

    json_object_foreach((json_t *)obj, key, val) {
        size_t i;
        int ok = 0;
        char p[CL_PATH_MAX];

        for (i = 0; allowed[i]; i++)
            if (strcmp(key, allowed[i]) == 0)
                ok = 1;
        if (!ok) {
            cl_path(p, sizeof p, "%s.%.64s", path, key);
            cl_error(c, SCHEMA_ERR_ADDITIONAL, p, "a known key", val, "unknown key in a checklist");
        }
    }
}

static int cl_object(cl_ctx *c, const json_t *v, const char *path)
{
    if (!json_is_object(v)) {
        cl_error(c, SCHEMA_ERR_TYPE, path, "object", v, NULL);
        return 0;
    }
    return 1;
}

/* Normalises text into *name; an error located at path when it does not. */
static int cl_name(cl_ctx *c, const char *text, const char *path, const json_t *v, bench_name *name)
{
    bb_result rc = bench_name_parse(text, name);

    if (rc != BB_OK) {
        cl_error(c, rc == BB_ERR_LIMIT ? SCHEMA_ERR_LIMIT : SCHEMA_ERR_FORMAT, path,
                 "a name of words (at most 16 words, 127 letters)", v, NULL);
        return 0;
    }
    return 1;
}

/* Reads an array of alias strings. */
static void cl_aliases(cl_ctx *c, const json_t *v, const char *path, bench_cl_aliases *out)
{
    const json_t *arr = cl_array(c, v, path, BENCH_CL_MAX_ALIASES, 1);
    size_t i, n;

    if (!arr)
        return;
    n = json_array_size(arr);
    if (n == 0) {
        cl_error(c, SCHEMA_ERR_LENGTH, path, "at least one alias", arr, NULL);
        return;
    }
    out->texts = bb_arena_calloc(c->cl->arena, n, sizeof *out->texts);
    out->names = bb_arena_calloc(c->cl->arena, n, sizeof *out->names);
    if (!out->texts || !out->names) {
        cl_nomem(c);
        return;
    }
    for (i = 0; i < n; i++) {
        char p[CL_PATH_MAX];
        const json_t *a = json_array_get(arr, i);
        const char *s;

        cl_path(p, sizeof p, "%s[%zu]", path, i);
        s = cl_string(c, a, p, "string (alias in singular snake_case)");
        if (!s || !cl_name(c, s, p, a, &out->names[out->n]))
            continue;
        out->texts[out->n++] = s;
    }
}

/* An id: a string unique among ids[0..n). */
static const char *cl_id(cl_ctx *c, const json_t *obj, const char *path, const char *const *ids, size_t n)
{
    char p[CL_PATH_MAX];
    const json_t *v = json_object_get(obj, "id");
    const char *id;
    size_t i;

    cl_path(p, sizeof p, "%s.id", path);
    id = cl_string(c, v, p, "string (unique id)");
    if (!id)
        return NULL;
    for (i = 0; i < n; i++) {
        if (ids[i] && strcmp(ids[i], id) == 0) {
            cl_error(c, SCHEMA_ERR_SEMANTIC, p, "unique id", v, "this id is used twice");
            return NULL;
        }
    }
    return id;
}

/* ---- sections --------------------------------------------------------------- */

static const char *const cl_entity_keys[] = {"id", "aliases", "attributes", "description", NULL};
static const char *const cl_attr_keys[] = {"id", "aliases", "description", NULL};
static const char *const cl_relation_keys[] = {"from", "to", "description", NULL};
static const char *const cl_actor_keys[] = {"id", "aliases", "description", NULL};
static const char *const cl_endpoint_keys[] = {"id",      "method",   "paths",       "actor",
                                               "request", "response", "description", NULL};
static const char *const cl_root_keys[] = {"version", "entities", "relations", "actors", "endpoints", NULL};

static void cl_load_attributes(cl_ctx *c, const json_t *v, const char *path, bench_cl_entity *e)
{
    const json_t *arr = cl_array(c, v, path, BENCH_CL_MAX_ITEMS, 0);
    size_t i, n;
    const char **ids;

    if (!arr)
        return;
    n = json_array_size(arr);
    e->attributes = bb_arena_calloc(c->cl->arena, n ? n : 1, sizeof *e->attributes);
    ids = bb_arena_calloc(c->cl->arena, n ? n : 1, sizeof *ids);
    if (!e->attributes || !ids) {
        cl_nomem(c);
        return;
    }
    for (i = 0; i < n; i++) {
        char p[CL_PATH_MAX], pa[CL_PATH_MAX];
        const json_t *o = json_array_get(arr, i);
        bench_cl_attribute *a = &e->attributes[e->n_attributes];

        cl_path(p, sizeof p, "%s[%zu]", path, i);
        if (!cl_object(c, o, p))
            continue;
        cl_keys(c, o, p, cl_attr_keys);
        a->id = cl_id(c, o, p, ids, e->n_attributes);
        cl_path(pa, sizeof pa, "%s.aliases", p);
        cl_aliases(c, json_object_get(o, "aliases"), pa, &a->aliases);
        if (a->id && a->aliases.n > 0)
            ids[e->n_attributes++] = a->id;
    }
}

static void cl_load_entities(cl_ctx *c, const json_t *arr)
{
    bench_checklist *cl = c->cl;
    size_t i, n = json_array_size(arr);
    const char **ids = bb_arena_calloc(cl->arena, n ? n : 1, sizeof *ids);

    cl->entities = bb_arena_calloc(cl->arena, n ? n : 1, sizeof *cl->entities);
    if (!ids || !cl->entities) {
        cl_nomem(c);
        return;
    }
    for (i = 0; i < n; i++) {
        char p[CL_PATH_MAX], pa[CL_PATH_MAX];
        const json_t *o = json_array_get(arr, i);
        bench_cl_entity *e = &cl->entities[cl->n_entities];

        cl_path(p, sizeof p, "$input.entities[%zu]", i);
        if (!cl_object(c, o, p))
            continue;
        cl_keys(c, o, p, cl_entity_keys);
        e->id = cl_id(c, o, p, ids, cl->n_entities);
        cl_path(pa, sizeof pa, "%s.aliases", p);
        cl_aliases(c, json_object_get(o, "aliases"), pa, &e->aliases);
        cl_path(pa, sizeof pa, "%s.attributes", p);
        cl_load_attributes(c, json_object_get(o, "attributes"), pa, e);
        if (e->id && e->aliases.n > 0)
            ids[cl->n_entities++] = e->id;
    }
}

static void cl_load_actors(cl_ctx *c, const json_t *arr)
{
    bench_checklist *cl = c->cl;
    size_t i, n = json_array_size(arr);
    const char **ids = bb_arena_calloc(cl->arena, n ? n : 1, sizeof *ids);

    cl->actors = bb_arena_calloc(cl->arena, n ? n : 1, sizeof *cl->actors);
    if (!ids || !cl->actors) {
        cl_nomem(c);
        return;
    }
    for (i = 0; i < n; i++) {
        char p[CL_PATH_MAX], pa[CL_PATH_MAX];
        const json_t *o = json_array_get(arr, i);
        bench_cl_actor *a = &cl->actors[cl->n_actors];

        cl_path(p, sizeof p, "$input.actors[%zu]", i);
        if (!cl_object(c, o, p))
            continue;
        cl_keys(c, o, p, cl_actor_keys);
        a->id = cl_id(c, o, p, ids, cl->n_actors);
        cl_path(pa, sizeof pa, "%s.aliases", p);
        cl_aliases(c, json_object_get(o, "aliases"), pa, &a->aliases);
        if (a->id && a->aliases.n > 0)
            ids[cl->n_actors++] = a->id;
    }
}

static void cl_load_relations(cl_ctx *c, const json_t *arr)
{
    bench_checklist *cl = c->cl;
    size_t i, n = json_array_size(arr);

    cl->relations = bb_arena_calloc(cl->arena, n ? n : 1, sizeof *cl->relations);
    if (!cl->relations) {
        cl_nomem(c);
        return;
    }
    for (i = 0; i < n; i++) {
        char p[CL_PATH_MAX], pf[CL_PATH_MAX], pt[CL_PATH_MAX], pd[CL_PATH_MAX];
        const json_t *o = json_array_get(arr, i);
        const char *from, *to;
        long fi = -1, ti = -1;
        bench_cl_relation *r = &cl->relations[cl->n_relations];

        cl_path(p, sizeof p, "$input.relations[%zu]", i);
        if (!cl_object(c, o, p))
            continue;
        cl_keys(c, o, p, cl_relation_keys);
        cl_path(pf, sizeof pf, "%s.from", p);
        cl_path(pt, sizeof pt, "%s.to", p);
        cl_path(pd, sizeof pd, "%s.description", p);
        from = cl_string(c, json_object_get(o, "from"), pf, "string (an entity id)");
        to = cl_string(c, json_object_get(o, "to"), pt, "string (an entity id)");
        if (from) {
            fi = bench_cl_entity_find(cl, from);
            if (fi < 0)
                cl_error(c, SCHEMA_ERR_SEMANTIC, pf, "an entity id", json_object_get(o, "from"),
                         "the relation names an entity the checklist does not define");
        }
        if (to) {
            ti = bench_cl_entity_find(cl, to);
            if (ti < 0)
                cl_error(c, SCHEMA_ERR_SEMANTIC, pt, "an entity id", json_object_get(o, "to"),
                         "the relation names an entity the checklist does not define");
        }
        if (json_object_get(o, "description"))
            r->description = cl_string(c, json_object_get(o, "description"), pd, "string");
        if (fi >= 0 && ti >= 0) {
            r->from = (size_t)fi;
            r->to = (size_t)ti;
            cl->n_relations++;
        }
    }
}

static unsigned cl_method_bit(const char *s, size_t n)
{
    static const char *const names[] = {"get", "post", "put", "patch", "delete"};
    size_t i;

    for (i = 0; i < 5; i++)
        if (strlen(names[i]) == n && memcmp(names[i], s, n) == 0)
            return 1u << i;
    return 0;
}

/* "patch|get" -> bits; 0 when any part is unknown. */
static unsigned cl_methods(const char *s)
{
    unsigned bits = 0;

    while (*s) {
        const char *bar = strchr(s, '|');
        size_t n = bar ? (size_t)(bar - s) : strlen(s);
        unsigned b = cl_method_bit(s, n);

        if (!b)
            return 0;
        bits |= b;
        s += n;
        if (*s == '|')
            s++;
    }
    return bits;
}

/* Field groups: ["title|name", "id"]. */
static void cl_fields(cl_ctx *c, const json_t *v, const char *path, bench_cl_field **out, size_t *n_out)
{
    const json_t *arr = cl_array(c, v, path, BENCH_CL_MAX_FIELDS, 1);
    size_t i, n;

    if (!arr)
        return;
    n = json_array_size(arr);
    *out = bb_arena_calloc(c->cl->arena, n ? n : 1, sizeof **out);
    if (!*out) {
        cl_nomem(c);
        return;
    }
    for (i = 0; i < n; i++) {
        char p[CL_PATH_MAX];
        const json_t *fv = json_array_get(arr, i);
        const char *s, *q;
        bench_cl_field *f = &(*out)[*n_out];
        size_t alts = 1, k = 0;
        int ok = 1;

        cl_path(p, sizeof p, "%s[%zu]", path, i);
        s = cl_string(c, fv, p, "string (field names separated by |)");
        if (!s)
            continue;
        for (q = s; *q; q++)
            alts += *q == '|';
        if (alts > BENCH_CL_MAX_ALTS) {
            cl_error(c, SCHEMA_ERR_LIMIT, p, "at most 32 alternatives", fv, NULL);
            continue;
        }
        f->alts.texts = bb_arena_calloc(c->cl->arena, alts, sizeof *f->alts.texts);
        f->alts.names = bb_arena_calloc(c->cl->arena, alts, sizeof *f->alts.names);
        if (!f->alts.texts || !f->alts.names) {
            cl_nomem(c);
            return;
        }
        q = s;
        while (ok && k < alts) {
            const char *bar = strchr(q, '|');
            size_t len = bar ? (size_t)(bar - q) : strlen(q);
            char *alt = bb_arena_strndup(c->cl->arena, q, len);

            if (!alt) {
                cl_nomem(c);
                return;
            }
            ok = cl_name(c, alt, p, fv, &f->alts.names[k]);
            f->alts.texts[k++] = alt;
            q += len + (bar ? 1 : 0);
        }
        if (!ok)
            continue;
        f->alts.n = k;
        f->text = s;
        (*n_out)++;
    }
}

/* Leading segments of p that are actor names followed by a static segment. */
static size_t cl_actor_skip(const bench_checklist *cl, const bench_path *p)
{
    size_t skip = 0;

    while (skip + 1 < p->n_segs) {
        char seg[BENCH_NAME_MAX_LEN + 1], next[BENCH_NAME_MAX_LEN + 1];

        bench_path_segment(p, skip, seg, sizeof seg);
        bench_path_segment(p, skip + 1, next, sizeof next);
        if (strcmp(next, "{}") == 0 || !bench_cl_is_actor_word(cl, seg))
            break;
        skip++;
    }
    return skip;
}

static void cl_endpoint_paths(cl_ctx *c, const json_t *o, const char *p, bench_cl_endpoint *e)
{
    char pp[CL_PATH_MAX];
    const json_t *arr;
    size_t i, n;

    cl_path(pp, sizeof pp, "%s.paths", p);
    arr = cl_array(c, json_object_get(o, "paths"), pp, BENCH_CL_MAX_PATHS, 1);
    if (!arr)
        return;
    n = json_array_size(arr);
    if (n == 0) {
        cl_error(c, SCHEMA_ERR_LENGTH, pp, "at least one path", arr, NULL);
        return;
    }
    e->path_texts = bb_arena_calloc(c->cl->arena, n, sizeof *e->path_texts);
    e->paths = bb_arena_calloc(c->cl->arena, n, sizeof *e->paths);
    if (!e->path_texts || !e->paths) {
        cl_nomem(c);
        return;
    }
    for (i = 0; i < n; i++) {
        char pi[CL_PATH_MAX];
        const json_t *pv = json_array_get(arr, i);
        const char *s;
        bench_path full;
        bb_result rc;
        size_t skip;

        cl_path(pi, sizeof pi, "%s[%zu]", pp, i);
        s = cl_string(c, pv, pi, "string (a path like /todos/{id})");
        if (!s)
            continue;
        rc = bench_path_normalise(s, &full);
        if (rc != BB_OK) {
            cl_error(c, rc == BB_ERR_LIMIT ? SCHEMA_ERR_LIMIT : SCHEMA_ERR_FORMAT, pi,
                     "path like /todos/{id}: segments of words or {param}", pv, NULL);
            continue;
        }
        skip = cl_actor_skip(c->cl, &full);
        {
            char buf[BENCH_PATH_MAX_LEN + 2];

            snprintf(buf, sizeof buf, "/%s", bench_path_tail(&full, skip));
            rc = bench_path_normalise(buf, &e->paths[e->n_paths]);
        }
        if (rc != BB_OK) {
            cl_error(c, SCHEMA_ERR_FORMAT, pi, "path like /todos/{id}", pv, NULL);
            continue;
        }
        e->path_texts[e->n_paths++] = s;
    }
}

static void cl_load_endpoints(cl_ctx *c, const json_t *arr)
{
    bench_checklist *cl = c->cl;
    size_t i, n = json_array_size(arr);
    const char **ids = bb_arena_calloc(cl->arena, n ? n : 1, sizeof *ids);

    cl->endpoints = bb_arena_calloc(cl->arena, n ? n : 1, sizeof *cl->endpoints);
    if (!ids || !cl->endpoints) {
        cl_nomem(c);
        return;
    }
    for (i = 0; i < n; i++) {
        char p[CL_PATH_MAX], px[CL_PATH_MAX];
        const json_t *o = json_array_get(arr, i), *av;
        bench_cl_endpoint *e = &cl->endpoints[cl->n_endpoints];
        size_t before = (size_t)c->n_errors;
        size_t idlen;

        cl_path(p, sizeof p, "$input.endpoints[%zu]", i);
        if (!cl_object(c, o, p))
            continue;
        cl_keys(c, o, p, cl_endpoint_keys);
        e->id = cl_id(c, o, p, ids, cl->n_endpoints);
        cl_path(px, sizeof px, "%s.method", p);
        e->method_text = cl_string(c, json_object_get(o, "method"), px, "\"get\" | \"post\" | ... (| separated)");
        if (e->method_text) {
            e->methods = cl_methods(e->method_text);
            if (!e->methods)
                cl_error(c, SCHEMA_ERR_ENUM, px, "get | post | put | patch | delete, separated by |",
                         json_object_get(o, "method"), NULL);
        }
        cl_endpoint_paths(c, o, p, e);
        cl_path(px, sizeof px, "%s.actor", p);
        av = json_object_get(o, "actor");
        e->actor = -1;
        if (!av) {
            cl_error(c, SCHEMA_ERR_REQUIRED, px, "an actor id or null", NULL, NULL);
        } else if (!json_is_null(av)) {
            const char *a = cl_string(c, av, px, "an actor id or null");

            if (a) {
                e->actor = bench_cl_actor_find(cl, a);
                if (e->actor < 0)
                    cl_error(c, SCHEMA_ERR_SEMANTIC, px, "an actor id", av,
                             "the endpoint names an actor the checklist does not define");
            }
        }
        cl_path(px, sizeof px, "%s.request", p);
        cl_fields(c, json_object_get(o, "request"), px, &e->request, &e->n_request);
        cl_path(px, sizeof px, "%s.response", p);
        cl_fields(c, json_object_get(o, "response"), px, &e->response, &e->n_response);
        if (e->id) {
            idlen = strlen(e->id);
            if (idlen > 5 && strcmp(e->id + idlen - 5, ".join") == 0)
                e->auth = BENCH_CL_AUTH_JOIN;
            else if (idlen > 6 && strcmp(e->id + idlen - 6, ".login") == 0)
                e->auth = BENCH_CL_AUTH_LOGIN;
            else if (idlen > 8 && strcmp(e->id + idlen - 8, ".refresh") == 0)
                e->auth = BENCH_CL_AUTH_REFRESH;
        }
        if ((size_t)c->n_errors == before && e->id) {
            ids[cl->n_endpoints] = e->id;
            cl->n_endpoints++;
        } else {
            memset(e, 0, sizeof *e);
        }
    }
}

/* ---- entry points ------------------------------------------------------------ */

bb_result bench_checklist_load(const json_t *doc, const char *project, bench_checklist **out,
                               schema_errors *errs)
{
    cl_ctx c;
    bench_checklist *cl = NULL;
    bb_arena *arena = NULL;
    const json_t *v;
    bb_result rc = BB_OK;

    *out = NULL;
    memset(&c, 0, sizeof c);
    c.errs = errs;
    arena = bb_arena_new(64u * 1024 * 1024);
    if (!arena)
        return BB_ERR_NOMEM;
    cl = bb_arena_alloc(arena, sizeof *cl);
    if (!cl) {
        rc = BB_ERR_NOMEM;
        goto out;
    }
    cl->arena = arena;
    cl->project = bb_arena_strdup(arena, project ? project : "");
    if (!cl->project) {
        rc = BB_ERR_NOMEM;
        goto out;
    }
    c.cl = cl;
    if (!cl_object(&c, doc, "$input")) {
        rc = c.fatal != BB_OK ? c.fatal : BB_ERR_INVALID;
        goto out;
    }
    cl_keys(&c, doc, "$input", cl_root_keys);
    v = json_object_get(doc, "version");
    if (!json_is_integer(v) || json_integer_value(v) != 1)
        cl_error(&c, v ? SCHEMA_ERR_CONST : SCHEMA_ERR_REQUIRED, "$input.version", "1", v, NULL);
    v = cl_array(&c, json_object_get(doc, "entities"), "$input.entities", BENCH_CL_MAX_ITEMS, 1);
    if (v)
        cl_load_entities(&c, v);
    v = cl_array(&c, json_object_get(doc, "actors"), "$input.actors", BENCH_CL_MAX_ITEMS, 1);
    if (v)
        cl_load_actors(&c, v);
    v = cl_array(&c, json_object_get(doc, "relations"), "$input.relations", BENCH_CL_MAX_ITEMS, 1);
    if (v)
        cl_load_relations(&c, v);
    v = cl_array(&c, json_object_get(doc, "endpoints"), "$input.endpoints", BENCH_CL_MAX_ITEMS, 1);
    if (v)
        cl_load_endpoints(&c, v);
    if (c.fatal != BB_OK)
        rc = c.fatal;
    else if (bb_arena_failed(arena) != BB_OK)
        rc = bb_arena_failed(arena);
    else if (c.n_errors > 0)
        rc = BB_ERR_INVALID;
out:
    if (rc != BB_OK) {
        bb_arena_free(arena);
        return rc;
    }
    *out = cl;
    return BB_OK;
}

static size_t cl_size(const json_t *sizes, const char *key)
{
    const json_t *v = json_object_get(sizes, key);

    if (!json_is_integer(v) || json_integer_value(v) < 0 || json_integer_value(v) > 1000000)
        return 0;
    return (size_t)json_integer_value(v);
}

bb_result bench_checklist_load_project(const char *project, bench_checklist **out, schema_errors *errs)
{
    char path[128];
    const bb_embedded_file *f;
    json_t *doc = NULL, *pj = NULL;
    json_error_t je;
    bb_result rc;

    *out = NULL;
    if (!project || !bench_project_name_valid(project))
        return BB_ERR_NOT_FOUND;
    cl_path(path, sizeof path, "projects/%s/checklist.json", project);
    f = bb_embed_find(path);
    if (!f)
        return BB_ERR_NOT_FOUND;
    doc = json_loadb((const char *)f->data, f->len, 0, &je);
    if (!doc) {
        rc = BB_ERR_PARSE;
        goto out;
    }
    rc = bench_checklist_load(doc, project, out, errs);
    if (rc != BB_OK)
        goto out;
    cl_path(path, sizeof path, "projects/%s/project.json", project);
    f = bb_embed_find(path);
    if (f) {
        pj = json_loadb((const char *)f->data, f->len, 0, &je);
        if (pj) {
            const json_t *sizes = json_object_get(pj, "sizes");

            (*out)->gold_tables = cl_size(sizes, "tables");
            (*out)->gold_operations = cl_size(sizes, "operations");
            (*out)->gold_schemas = cl_size(sizes, "schemas");
        }
    }
out:
    json_decref(doc);
    json_decref(pj);
    return rc;
}

void bench_checklist_free(bench_checklist *cl)
{
    if (cl)
        bb_arena_free(cl->arena);
}

/* ---- lookups ------------------------------------------------------------------ */

int bench_cl_aliases_match(const bench_cl_aliases *a, const bench_name *name, size_t from)
{
    size_t i;

    for (i = 0; i < a->n; i++)
        if (bench_name_equal(&a->names[i], 0, name, from))
            return 1;
    return 0;
}

int bench_cl_actor_match(const bench_checklist *cl, size_t i, const char *name)
{
    bench_name n, proj;

    if (i >= cl->n_actors || bench_name_parse(name, &n) != BB_OK)
        return 0;
    if (bench_cl_aliases_match(&cl->actors[i].aliases, &n, 0))
        return 1;
    /* "todoMember" in project todo: the project's words dropped */
    if (cl->project[0] && bench_name_parse(cl->project, &proj) == BB_OK && n.n_words > proj.n_words &&
        n.start[proj.n_words] == proj.start[proj.n_words] &&
        memcmp(n.joined, proj.joined, proj.start[proj.n_words]) == 0)
        return bench_cl_aliases_match(&cl->actors[i].aliases, &n, proj.n_words);
    return 0;
}

int bench_cl_is_actor_word(const bench_checklist *cl, const char *seg)
{
    size_t i, k;

    for (i = 0; i < cl->n_actors; i++)
        for (k = 0; k < cl->actors[i].aliases.n; k++)
            if (strcmp(cl->actors[i].aliases.names[k].joined, seg) == 0)
                return 1;
    return 0;
}

long bench_cl_entity_find(const bench_checklist *cl, const char *id)
{
    size_t i;

    for (i = 0; i < cl->n_entities; i++)
        if (cl->entities[i].id && strcmp(cl->entities[i].id, id) == 0)
            return (long)i;
    return -1;
}

long bench_cl_actor_find(const bench_checklist *cl, const char *id)
{
    size_t i;

    for (i = 0; i < cl->n_actors; i++)
        if (cl->actors[i].id && strcmp(cl->actors[i].id, id) == 0)
            return (long)i;
    return -1;
}
