/*
 * project.c — finds the reference projects among embedded files and reads
 * their project.json (see project.h).
 *
 * A project is recognised by a file named projects/<name>/project.json with
 * exactly that depth. The name is checked against the strict pattern before
 * it is used to build any other path. All faults are collected before the
 * list is rejected, each located by file and JSON path.
 */
#include "project.h"

#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "json/json_util.h"
#include "util/alloc.h"
#include "util/buf.h"

#define BENCH_PROJECT_PATH_MAX 256

int bench_project_name_valid(const char *name)
{
    size_t i, n;

    if (!name)
        return 0;
    n = strlen(name);
    if (n == 0 || n > BENCH_PROJECT_NAME_MAX || !(name[0] >= 'a' && name[0] <= 'z'))
        return 0;
    for (i = 1; i < n; i++) {
        char c = name[i];

        if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_' || c == '-'))
            return 0;
    }
    return 1;
}

/* The project name of "projects/<name>/project.json" into buf, or 0. */
static int bench_project_dir_of(const char *path, char *buf, size_t size)
{
    static const char prefix[] = "projects/";
    static const char suffix[] = "/project.json";
    size_t n = strlen(path), np = sizeof prefix - 1, ns = sizeof suffix - 1, len;

    if (n <= np + ns || strncmp(path, prefix, np) != 0 || strcmp(path + n - ns, suffix) != 0)
        return 0;
    len = n - np - ns;
    if (len >= size || memchr(path + np, '/', len))
        return 0;
    memcpy(buf, path + np, len);
    buf[len] = '\0';
    return 1;
}

typedef struct bench_prj_ctx {
    bb_arena *arena;
    schema_errors *errs;
    const char *file; /* prefix of every error path */
    size_t n_err;
    bb_result hard;
} bench_prj_ctx;

static void prj_err(bench_prj_ctx *c, schema_error_kind kind, const char *jpath, const char *expected,
                    const json_t *value, const char *message)
{
    char path[BENCH_PROJECT_PATH_MAX + 64];
    bb_buf v;
    bb_result rc;

    c->n_err++;
    snprintf(path, sizeof path, "%s: %s", c->file, jpath);
    bb_buf_init(&v, 256);
    if (value) {
        rc = bb_json_append_compact(&v, value, 200);
        if (rc != BB_OK && c->hard == BB_OK)
            c->hard = rc;
    }
    rc = schema_errors_add(c->errs, kind, path, expected, value ? bb_buf_str(&v) : "undefined", message);
    if (rc != BB_OK && c->hard == BB_OK)
        c->hard = rc;
    bb_buf_free(&v);
}

static const char *prj_str(bench_prj_ctx *c, const json_t *o, const char *key, size_t maxlen)
{
    json_t *v = json_object_get(o, key);
    char jpath[64];
    char *d;

    snprintf(jpath, sizeof jpath, "$input.%s", key);
    if (!v) {
        prj_err(c, SCHEMA_ERR_REQUIRED, jpath, "string", NULL, "missing field");
        return NULL;
    }
    if (!json_is_string(v) || json_string_length(v) == 0 || json_string_length(v) > maxlen) {
        prj_err(c, SCHEMA_ERR_TYPE, jpath, "non-empty string within the length limit", v, NULL);
        return NULL;
    }
    d = bb_arena_strdup(c->arena, json_string_value(v));
    if (!d && c->hard == BB_OK)
        c->hard = BB_ERR_NOMEM;
    return d;
}

static long prj_size(bench_prj_ctx *c, const json_t *sizes, const char *key)
{
    json_t *v = json_object_get(sizes, key);
    char jpath[64];

    snprintf(jpath, sizeof jpath, "$input.sizes.%s", key);
    if (!v) {
        prj_err(c, SCHEMA_ERR_REQUIRED, jpath, "integer", NULL, "missing field");
        return -1;
    }
    if (!json_is_integer(v) || json_integer_value(v) < 0 || json_integer_value(v) > BENCH_PROJECT_SIZE_MAX) {
        prj_err(c, SCHEMA_ERR_RANGE, jpath, "integer & Minimum<0> & Maximum<100000>", v, NULL);
        return -1;
    }
    return (long)json_integer_value(v);
}

static void prj_check_keys(bench_prj_ctx *c, const json_t *o, const char *prefix, const char *const *allowed)
{
    const char *key;
    json_t *v;

    json_object_foreach((json_t *)o, key, v) {
        size_t i;
        int known = 0;
        char jpath[160];

        for (i = 0; allowed[i]; i++)
            known |= strcmp(allowed[i], key) == 0;
        if (!known) {
            snprintf(jpath, sizeof jpath, "%s.%.100s", prefix, key);
            prj_err(c, SCHEMA_ERR_ADDITIONAL, jpath, "never", v, "unknown field");
        }
    }
}

/* Reads project.json text into p (strings in c->arena). */
static void bench_project_read_meta(bench_prj_ctx *c, const char *dir, const bb_embedded_file *f,
                                    bench_project *p)
{
    static const char *const keys[] = {"name", "version", "summary", "sizes", NULL};
    static const char *const size_keys[] = {"tables", "operations", "schemas", NULL};
    json_error_t jerr;
    json_t *root = NULL, *sizes;

    if (f->len > BENCH_PROJECT_META_MAX_BYTES) {
        prj_err(c, SCHEMA_ERR_LIMIT, "$input", "at most 64 KiB", NULL, "file too large");
        return;
    }
    root = json_loadb((const char *)f->data, f->len, JSON_REJECT_DUPLICATES, &jerr);
    if (!root) {
        char msg[240];

        snprintf(msg, sizeof msg, "line %d column %d: %s", jerr.line, jerr.column, jerr.text);
        prj_err(c, SCHEMA_ERR_PARSE, "$input", "JSON", NULL, msg);
        return;
    }
    if (!json_is_object(root)) {
        prj_err(c, SCHEMA_ERR_TYPE, "$input", "object", root, NULL);
        goto out;
    }
    prj_check_keys(c, root, "$input", keys);
    p->name = prj_str(c, root, "name", BENCH_PROJECT_NAME_MAX);
    if (p->name && strcmp(p->name, dir) != 0)
        prj_err(c, SCHEMA_ERR_SEMANTIC, "$input.name", "the directory name", json_object_get(root, "name"),
                "name differs from the project directory");
    p->version = prj_str(c, root, "version", 32);
    p->summary = prj_str(c, root, "summary", BENCH_PROJECT_SUMMARY_MAX);
    sizes = json_object_get(root, "sizes");
    if (!json_is_object(sizes)) {
        prj_err(c, sizes ? SCHEMA_ERR_TYPE : SCHEMA_ERR_REQUIRED, "$input.sizes", "object", sizes, NULL);
        goto out;
    }
    prj_check_keys(c, sizes, "$input.sizes", size_keys);
    p->tables = prj_size(c, sizes, "tables");
    p->operations = prj_size(c, sizes, "operations");
    p->schemas = prj_size(c, sizes, "schemas");
out:
    json_decref(root);
}

static const bb_embedded_file *bench_files_find(const bb_embedded_file *const *files, size_t n,
                                                const char *path)
{
    size_t i;

    for (i = 0; i < n; i++) {
        if (files[i] && strcmp(files[i]->path, path) == 0)
            return files[i];
    }
    return NULL;
}

/* Points *slot at projects/<dir>/<rel>, or reports it missing. */
static void bench_project_attach(bench_prj_ctx *c, const bb_embedded_file *const *files, size_t n,
                                 const char *dir, const char *rel, bench_project_file *slot)
{
    char path[BENCH_PROJECT_PATH_MAX];
    const bb_embedded_file *f;

    snprintf(path, sizeof path, "projects/%s/%s", dir, rel);
    f = bench_files_find(files, n, path);
    if (!f) {
        prj_err(c, SCHEMA_ERR_REQUIRED, rel, "a file", NULL, "missing project file");
        return;
    }
    slot->data = (const char *)f->data;
    slot->len = f->len;
}

static int bench_project_cmp(const void *a, const void *b)
{
    const bench_project *x = a, *y = b;

    return strcmp(x->name ? x->name : "", y->name ? y->name : "");
}

bb_result bench_projects_from_files(const bb_embedded_file *const *files, size_t n, bench_projects **out,
                                    schema_errors *errs)
{
    schema_errors local;
    bench_prj_ctx c;
    bench_projects *ps = NULL;
    char dir[BENCH_PROJECT_PATH_MAX];
    size_t i, count = 0;
    bb_result rc = BB_OK;

    *out = NULL;
    memset(&c, 0, sizeof c);
    if (!errs) {
        schema_errors_init(&local, 0);
        errs = &local;
    }
    c.errs = errs;
    c.arena = bb_arena_new(0);
    if (!c.arena) {
        rc = BB_ERR_NOMEM;
        goto out;
    }
    ps = bb_arena_alloc(c.arena, sizeof *ps);
    if (!ps) {
        rc = BB_ERR_NOMEM;
        goto out;
    }
    for (i = 0; i < n; i++) {
        if (files[i] && bench_project_dir_of(files[i]->path, dir, sizeof dir))
            count++;
    }
    if (count == 0) {
        rc = BB_ERR_NOT_FOUND;
        goto out;
    }
    if (count > BENCH_PROJECTS_MAX) {
        rc = BB_ERR_LIMIT;
        goto out;
    }
    ps->items = bb_arena_calloc(c.arena, count, sizeof *ps->items);
    if (!ps->items) {
        rc = BB_ERR_NOMEM;
        goto out;
    }
    for (i = 0; i < n && c.hard == BB_OK; i++) {
        bench_project *p;

        if (!files[i] || !bench_project_dir_of(files[i]->path, dir, sizeof dir))
            continue;
        c.file = files[i]->path;
        if (!bench_project_name_valid(dir)) {
            prj_err(&c, SCHEMA_ERR_PATTERN, "$input", "a directory named ^[a-z][a-z0-9_-]{0,31}$", NULL,
                    "invalid project name");
            continue;
        }
        p = &ps->items[ps->n++];
        bench_project_read_meta(&c, dir, files[i], p);
        bench_project_attach(&c, files, n, dir, "requirements.md", &p->requirements);
        bench_project_attach(&c, files, n, dir, "gold/db.json", &p->gold_db);
        bench_project_attach(&c, files, n, dir, "gold/api.json", &p->gold_api);
        bench_project_attach(&c, files, n, dir, "checklist.json", &p->checklist);
    }
    rc = c.hard;
    if (rc == BB_OK && c.n_err > 0)
        rc = BB_ERR_INVALID;
    if (rc == BB_OK) {
        qsort(ps->items, ps->n, sizeof *ps->items, bench_project_cmp);
        ps->arena = c.arena;
        c.arena = NULL;
        *out = ps;
    }
out:
    bb_arena_free(c.arena);
    if (errs == &local)
        schema_errors_free(&local);
    return rc;
}

bb_result bench_projects_list(bench_projects **out, schema_errors *errs)
{
    const bb_embedded_file **files = NULL;
    size_t n = 0, i;
    bb_result rc;

    *out = NULL;
    while (bb_embed_at(n))
        n++;
    files = bb_calloc(n ? n : 1, sizeof *files);
    if (!files)
        return BB_ERR_NOMEM;
    for (i = 0; i < n; i++)
        files[i] = bb_embed_at(i);
    rc = bench_projects_from_files(files, n, out, errs);
    bb_free(files);
    return rc;
}

void bench_projects_free(bench_projects *p)
{
    if (p)
        bb_arena_free(p->arena);
}

const bench_project *bench_projects_find(const bench_projects *p, const char *name)
{
    size_t i;

    if (!p || !bench_project_name_valid(name))
        return NULL;
    for (i = 0; i < p->n; i++) {
        if (p->items[i].name && strcmp(p->items[i].name, name) == 0)
            return &p->items[i];
    }
    return NULL;
}
