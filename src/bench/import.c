/*
 * import.c — the AutoBe importer (see import.h): directory walk with checked
 * names, per-file verdicts (load, check, DDL in SQLite, score), summary and
 * store writing.
 */
#include "bench/import.h"

#include <dirent.h>
#include <errno.h>
#include <stdarg.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include <jansson.h>

#include "ast/ast_api.h"
#include "ast/ast_api_check.h"
#include "ast/ast_db.h"
#include "ast/ast_db_check.h"
#include "ast/ast_dbview.h"
#include "bench/checklist.h"
#include "bench/score.h"
#include "emit/emit_sqlite.h"
#include "util/alloc.h"
#include "util/file.h"

#define IM_PATH_MAX 4096
#define IM_ERRORS_MAX 1000 /* located errors kept per file (the rest are counted) */

/* Formats a path into out; BB_ERR_LIMIT when it does not fit (never cut). */
static bb_result im_path(char *out, size_t cap, const char *fmt, ...) __attribute__((format(printf, 3, 4)));

static bb_result im_path(char *out, size_t cap, const char *fmt, ...)
{
    va_list ap;
    int n;

    va_start(ap, fmt);
    n = vsnprintf(out, cap, fmt, ap);
    va_end(ap);
    return n < 0 || (size_t)n >= cap ? BB_ERR_LIMIT : BB_OK;
}

int bench_import_name_ok(const char *name)
{
    size_t i, n = strlen(name);

    if (n == 0 || n > BENCH_IMPORT_NAME_MAX || strcmp(name, ".") == 0 || strcmp(name, "..") == 0)
        return 0;
    for (i = 0; i < n; i++) {
        char c = name[i];
        int alnum = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');

        if (i == 0 ? !alnum : !(alnum || c == '.' || c == '_' || c == '-'))
            return 0;
    }
    return 1;
}

/* ---- directory listing ------------------------------------------------------------ */

static int im_cmp(const void *a, const void *b)
{
    return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/* Sorted names of the real subdirectories of dir whose names pass the check
 * (symlinks and other entries are counted in *skipped). Free with im_names_free. */
static bb_result im_list_dirs(const char *dir, char ***out, size_t *n_out, size_t *skipped)
{
    DIR *d = opendir(dir);
    struct dirent *e;
    char **names = NULL;
    size_t n = 0;
    bb_result rc = BB_OK;

    *out = NULL;
    *n_out = 0;
    if (!d)
        return BB_ERR_IO;
    names = bb_calloc(BENCH_IMPORT_MAX_DIRS, sizeof *names);
    if (!names) {
        closedir(d);
        return BB_ERR_NOMEM;
    }
    for (;;) {
        char path[IM_PATH_MAX];
        struct stat st;

        errno = 0;
        e = readdir(d);
        if (!e) {
            if (errno != 0)
                rc = BB_ERR_IO;
            break;
        }
        if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0)
            continue;
        if (!bench_import_name_ok(e->d_name)) {
            (*skipped)++;
            continue;
        }
        if (im_path(path, sizeof path, "%s/%s", dir, e->d_name) != BB_OK || lstat(path, &st) != 0) {
            (*skipped)++;
            continue;
        }
        if (!S_ISDIR(st.st_mode)) {
            if (!S_ISREG(st.st_mode))
                (*skipped)++; /* symbolic links, devices, ... */
            continue;         /* plain files beside the directories (README.md, LICENSE) are ignored */
        }
        if (n >= BENCH_IMPORT_MAX_DIRS) {
            rc = BB_ERR_LIMIT;
            break;
        }
        names[n] = bb_strdup(e->d_name);
        if (!names[n]) {
            rc = BB_ERR_NOMEM;
            break;
        }
        n++;
    }
    closedir(d);
    qsort(names, n, sizeof *names, im_cmp);
    *out = names;
    *n_out = n;
    return rc;
}

static void im_names_free(char **names, size_t n)
{
    size_t i;

    for (i = 0; names && i < n; i++)
        bb_free(names[i]);
    bb_free(names);
}

/* ---- one file ------------------------------------------------------------------------ */

static bb_result im_class_add(bench_import *im, bench_import_file *f, const char *prefix, const char *name)
{
    size_t i;
    char key[256];

    snprintf(key, sizeof key, "%s: %.200s", prefix, name ? name : "?");
    for (i = 0; i < f->n_classes; i++) {
        if (strcmp(f->classes[i].name, key) == 0) {
            f->classes[i].count++;
            return BB_OK;
        }
    }
    if (f->n_classes >= BENCH_IMPORT_MAX_CLASSES)
        return BB_OK; /* counted in n_errors only */
    f->classes[f->n_classes].name = bb_arena_strdup(im->arena, key);
    if (!f->classes[f->n_classes].name)
        return BB_ERR_NOMEM;
    f->classes[f->n_classes++].count = 1;
    return BB_OK;
}

/* Counts the errors of errs into f: structural ones by kind, semantic ones by rule. */
static bb_result im_count(bench_import *im, bench_import_file *f, const schema_errors *errs, const char *stage)
{
    size_t i;
    bb_result rc = BB_OK;

    for (i = 0; rc == BB_OK && i < errs->n; i++) {
        const schema_error *e = &errs->items[i];

        rc = im_class_add(im, f, stage,
                          e->kind == SCHEMA_ERR_SEMANTIC ? e->expected : schema_error_kind_name(e->kind));
    }
    if (rc == BB_OK && errs->dropped > 0) {
        size_t k;

        for (k = 0; rc == BB_OK && k < errs->dropped; k++)
            rc = im_class_add(im, f, stage, "more errors past the cap");
    }
    f->n_errors += schema_errors_total(errs);
    return rc;
}

static int im_ddl_exec(const char *sql, const char **errmsg_out, bb_arena *arena)
{
    sqlite3 *db = NULL;
    char *err = NULL;
    int ok;

    *errmsg_out = NULL;
    if (sqlite3_open_v2(":memory:", &db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_MEMORY, NULL) !=
        SQLITE_OK) {
        sqlite3_close(db);
        *errmsg_out = "cannot open an in-memory SQLite database";
        return 0;
    }
    ok = sqlite3_exec(db, "PRAGMA foreign_keys=ON;", NULL, NULL, NULL) == SQLITE_OK &&
         sqlite3_exec(db, sql, NULL, NULL, &err) == SQLITE_OK;
    if (!ok)
        *errmsg_out = bb_arena_strdup(arena, err ? err : sqlite3_errmsg(db));
    sqlite3_free(err);
    sqlite3_close(db);
    return ok;
}

static json_t *im_read_json(const char *path, bench_import_file *f)
{
    char *text = NULL;
    size_t len = 0;
    json_error_t je;
    json_t *doc = NULL;

    if (bb_file_read(path, BENCH_IMPORT_FILE_MAX, &text, &len) != BB_OK)
        return NULL;
    doc = json_loadb(text, len, 0, &je);
    bb_free(text);
    f->parsed = doc != NULL;
    return doc;
}

/* The DB design: load, check, DDL. *db_out keeps the loaded design (even
 * when the checks fail) for the API of the same project. */
static bb_result im_db_file(bench_import *im, bench_import_file *f, const char *path,
                            const bench_checklist *cl, ast_db **db_out)
{
    json_t *doc = im_read_json(path, f);
    schema_errors errs, warns;
    ast_db *db = NULL;
    bb_buf ddl;
    bb_result rc = BB_OK, lrc;

    *db_out = NULL;
    schema_errors_init(&errs, IM_ERRORS_MAX);
    schema_errors_init(&warns, IM_ERRORS_MAX);
    bb_buf_init(&ddl, BB_BUF_MAX_DEFAULT);
    if (!doc) {
        f->n_errors++;
        rc = im_class_add(im, f, "parse", "not JSON (or unreadable)");
        goto out;
    }
    lrc = ast_db_load(doc, NULL, &db, &errs, &warns);
    f->n_warnings = schema_errors_total(&warns);
    if (lrc == BB_ERR_NOMEM || lrc == BB_ERR_LIMIT) {
        rc = lrc == BB_ERR_NOMEM ? lrc : BB_OK;
        if (lrc == BB_ERR_LIMIT)
            rc = im_class_add(im, f, "load", "limit");
        goto out;
    }
    if (lrc != BB_OK) {
        rc = im_count(im, f, &errs, "load");
        goto out;
    }
    f->loaded = 1;
    f->n_tables = db->n_models;
    lrc = ast_db_check(db, &errs);
    if (lrc != BB_OK && lrc != BB_ERR_INVALID) {
        rc = lrc;
        goto out;
    }
    rc = im_count(im, f, &errs, "check");
    if (rc != BB_OK || lrc != BB_OK)
        goto out;
    f->valid = 1;
    rc = emit_sqlite(db, &ddl);
    if (rc != BB_OK)
        goto out;
    f->ddl = im_ddl_exec(bb_buf_str(&ddl), &f->ddl_error, im->arena);
    if (!f->ddl) {
        f->n_errors++;
        rc = im_class_add(im, f, "ddl", "SQLite refused the DDL");
    }
out:
    /* the verdict is reached: score it (an invalid design scores 0), then clean up */
    if (rc == BB_OK && cl) {
        bench_score *s = NULL;

        rc = bench_score_db(cl, f->valid && f->ddl == 1 ? db : NULL, NULL, &s);
        if (rc == BB_OK)
            f->score = s->total;
        bench_score_free(s);
    }
    if (rc == BB_OK)
        *db_out = db;
    else
        ast_db_free(db);
    json_decref(doc);
    bb_buf_free(&ddl);
    schema_errors_free(&errs);
    schema_errors_free(&warns);
    return rc;
}

static bb_result im_api_file(bench_import *im, bench_import_file *f, const char *path, const bench_checklist *cl,
                             const ast_db *db)
{
    json_t *doc = im_read_json(path, f);
    schema_errors errs, warns;
    ast_api_doc *api = NULL;
    ast_api_db_view view;
    bb_result rc = BB_OK, lrc;

    schema_errors_init(&errs, IM_ERRORS_MAX);
    schema_errors_init(&warns, IM_ERRORS_MAX);
    if (!doc) {
        f->n_errors++;
        rc = im_class_add(im, f, "parse", "not JSON (or unreadable)");
        goto out;
    }
    lrc = ast_api_load(doc, &api, &errs, &warns);
    f->n_warnings = schema_errors_total(&warns);
    if (lrc == BB_ERR_NOMEM) {
        rc = lrc;
        goto out;
    }
    if (lrc != BB_OK) {
        rc = im_count(im, f, &errs, "load");
        goto out;
    }
    f->loaded = 1;
    f->n_tables = api->n_operations;
    view = ast_dbview(db);
    lrc = ast_api_check(api, db ? &view : NULL, &errs);
    if (lrc != BB_OK && lrc != BB_ERR_INVALID) {
        rc = lrc;
        goto out;
    }
    rc = im_count(im, f, &errs, "check");
    f->valid = lrc == BB_OK;
out:
    /* the verdict is reached: score it (an invalid design scores 0), then clean up */
    if (rc == BB_OK && cl) {
        bench_score *s = NULL;

        rc = bench_score_api(cl, f->valid ? api : NULL, db, NULL, &s);
        if (rc == BB_OK)
            f->score = s->total;
        bench_score_free(s);
    }
    ast_api_free(api);
    json_decref(doc);
    schema_errors_free(&errs);
    schema_errors_free(&warns);
    return rc;
}

/* ---- the walk -------------------------------------------------------------------------- */

static bb_result im_new_file(bench_import *im, const char *vendor, const char *model, const char *project,
                             const char *phase, const char *file, bench_import_file **out)
{
    bench_import_file *f;

    if (im->n_files >= BENCH_IMPORT_MAX_FILES)
        return BB_ERR_LIMIT;
    f = &im->files[im->n_files];
    memset(f, 0, sizeof *f);
    f->vendor = bb_arena_strdup(im->arena, vendor);
    f->model = bb_arena_strdup(im->arena, model);
    f->project = bb_arena_strdup(im->arena, project);
    f->phase = phase;
    f->rel_path = bb_arena_printf(im->arena, "%s/%s/%s/autobe/%s", vendor, model, project, file);
    f->classes = bb_arena_calloc(im->arena, BENCH_IMPORT_MAX_CLASSES, sizeof *f->classes);
    f->ddl = -1;
    f->score = -1;
    if (!f->vendor || !f->model || !f->project || !f->rel_path || !f->classes)
        return BB_ERR_NOMEM;
    im->n_files++;
    *out = f;
    return BB_OK;
}

/* 1 when path is a regular file (not a symlink). */
static int im_is_file(const char *path)
{
    struct stat st;

    return lstat(path, &st) == 0 && S_ISREG(st.st_mode);
}

static bb_result im_project(bench_import *im, const char *dir, const char *vendor, const char *model,
                            const char *project)
{
    char base[IM_PATH_MAX], path[IM_PATH_MAX];
    bench_checklist *cl = NULL;
    schema_errors errs;
    ast_db *db = NULL;
    bench_import_file *f;
    struct stat st;
    bb_result rc = BB_OK;

    if (im_path(base, sizeof base, "%s/%s/%s/%s/autobe", dir, vendor, model, project) != BB_OK)
        return BB_ERR_LIMIT;
    if (lstat(base, &st) != 0 || !S_ISDIR(st.st_mode)) {
        im->skipped++;
        return BB_OK;
    }
    schema_errors_init(&errs, 10);
    if (bench_checklist_load_project(project, &cl, &errs) != BB_OK)
        cl = NULL; /* not one of ours: verdicts without a score */
    schema_errors_free(&errs);

    if (im_path(path, sizeof path, "%s/prisma.json", base) == BB_OK && im_is_file(path)) {
        rc = im_new_file(im, vendor, model, project, "db", "prisma.json", &f);
        if (rc == BB_OK)
            rc = im_db_file(im, f, path, cl, &db);
    }
    if (rc == BB_OK && im_path(path, sizeof path, "%s/document.json", base) == BB_OK && im_is_file(path)) {
        rc = im_new_file(im, vendor, model, project, "api", "document.json", &f);
        if (rc == BB_OK)
            rc = im_api_file(im, f, path, cl, db);
    }
    ast_db_free(db);
    bench_checklist_free(cl);
    return rc;
}

bb_result bench_import_autobe(const char *dir, bench_import **out)
{
    bench_import *im = NULL;
    bb_arena *arena = NULL;
    char **vendors = NULL;
    size_t n_vendors = 0, v;
    bb_result rc;

    *out = NULL;
    arena = bb_arena_new((size_t)256 * 1024 * 1024);
    if (!arena)
        return BB_ERR_NOMEM;
    im = bb_arena_alloc(arena, sizeof *im);
    if (im)
        im->files = bb_arena_calloc(arena, BENCH_IMPORT_MAX_FILES, sizeof *im->files);
    if (!im || !im->files) {
        bb_arena_free(arena);
        return BB_ERR_NOMEM;
    }
    im->arena = arena;
    rc = im_list_dirs(dir, &vendors, &n_vendors, &im->skipped);
    for (v = 0; rc == BB_OK && v < n_vendors; v++) {
        char vdir[IM_PATH_MAX];
        char **models = NULL;
        size_t n_models = 0, m;

        rc = im_path(vdir, sizeof vdir, "%s/%s", dir, vendors[v]);
        if (rc != BB_OK)
            break;
        rc = im_list_dirs(vdir, &models, &n_models, &im->skipped);
        for (m = 0; rc == BB_OK && m < n_models; m++) {
            char mdir[IM_PATH_MAX];
            char **projs = NULL;
            size_t n_projs = 0, p;

            rc = im_path(mdir, sizeof mdir, "%s/%s", vdir, models[m]);
            if (rc != BB_OK)
                break;
            rc = im_list_dirs(mdir, &projs, &n_projs, &im->skipped);
            for (p = 0; rc == BB_OK && p < n_projs; p++)
                rc = im_project(im, dir, vendors[v], models[m], projs[p]);
            im_names_free(projs, n_projs);
        }
        im_names_free(models, n_models);
    }
    im_names_free(vendors, n_vendors);
    if (rc != BB_OK) {
        bb_arena_free(arena);
        return rc;
    }
    *out = im;
    return BB_OK;
}

void bench_import_free(bench_import *im)
{
    if (im)
        bb_arena_free(im->arena);
}

/* ---- summary ------------------------------------------------------------------------------ */

typedef struct im_total {
    const char *name;
    size_t count;
} im_total;

static int im_total_cmp(const void *a, const void *b)
{
    const im_total *x = a, *y = b;

    if (x->count != y->count)
        return x->count < y->count ? 1 : -1;
    return strcmp(x->name, y->name);
}

bb_result bench_import_summary(const bench_import *im, bb_buf *out)
{
    size_t i, k, n_valid = 0, n_db = 0, n_db_valid = 0, n_ddl = 0, n_parsed = 0, n_loaded = 0, n_tot = 0, n_err = 0;
    im_total *tot = NULL;
    bb_result rc = BB_OK;

    tot = bb_calloc(BENCH_IMPORT_MAX_CLASSES * 4, sizeof *tot);
    if (!tot)
        return BB_ERR_NOMEM;
    for (i = 0; i < im->n_files; i++) {
        const bench_import_file *f = &im->files[i];

        n_valid += (size_t)f->valid;
        n_parsed += (size_t)f->parsed;
        n_loaded += (size_t)f->loaded;
        n_err += f->n_errors;
        if (strcmp(f->phase, "db") == 0) {
            n_db++;
            n_db_valid += (size_t)f->valid;
            n_ddl += f->ddl == 1;
        }
        for (k = 0; k < f->n_classes; k++) {
            size_t j;

            for (j = 0; j < n_tot && strcmp(tot[j].name, f->classes[k].name) != 0; j++)
                ;
            if (j == n_tot) {
                if (n_tot >= BENCH_IMPORT_MAX_CLASSES * 4)
                    continue;
                tot[n_tot].name = f->classes[k].name;
                n_tot++;
            }
            tot[j].count += f->classes[k].count;
        }
    }
    qsort(tot, n_tot, sizeof *tot, im_total_cmp);
    rc = bb_buf_printf(out,
                       "files: %zu (db %zu, api %zu); parsed %zu, loaded %zu, valid %zu; "
                       "db valid %zu, DDL executed %zu; errors %zu; entries skipped %zu\n",
                       im->n_files, n_db, im->n_files - n_db, n_parsed, n_loaded, n_valid, n_db_valid, n_ddl, n_err,
                       im->skipped);
    if (rc == BB_OK && n_tot > 0)
        rc = bb_buf_puts(out, "errors by class:\n");
    for (i = 0; rc == BB_OK && i < n_tot; i++)
        rc = bb_buf_printf(out, "  %6zu  %s\n", tot[i].count, tot[i].name);
    if (rc == BB_OK)
        rc = bb_buf_puts(out, "per file:\n");
    for (i = 0; rc == BB_OK && i < im->n_files; i++) {
        const bench_import_file *f = &im->files[i];
        char score[32];

        if (f->score >= 0)
            snprintf(score, sizeof score, "%6.1f", f->score);
        else
            snprintf(score, sizeof score, "%6s", "-");
        rc = bb_buf_printf(out, "  %-58s %-8s %4zu %s  errors %4zu%s%s%s%s\n", f->rel_path,
                           f->valid ? "valid" : f->loaded ? "invalid" : f->parsed ? "broken" : "unparsed",
                           f->n_tables, score, f->n_errors, f->n_classes ? "  first: " : "",
                           f->n_classes ? f->classes[0].name : "", f->ddl == 0 ? "  DDL FAILED: " : "",
                           f->ddl == 0 && f->ddl_error ? f->ddl_error : "");
    }
    bb_free(tot);
    return rc;
}

/* ---- store ---------------------------------------------------------------------------------- */

bb_result bench_import_store(const bench_import *im, store *s, const store_run_info *base, long *units)
{
    size_t i;
    bb_result rc = BB_OK;

    if (units)
        *units = 0;
    for (i = 0; rc == BB_OK && i < im->n_files; i++) {
        const bench_import_file *f = &im->files[i];
        store_run_info info;
        store_unit u;
        int64_t run_id = 0;
        int inserted = 0;
        char model[2 * BENCH_IMPORT_NAME_MAX + 16];

        memset(&info, 0, sizeof info);
        if (base)
            info = *base;
        rc = im_path(model, sizeof model, "autobe/%s/%s", f->vendor, f->model);
        if (rc != BB_OK)
            break;
        info.model = model;
        info.endpoint = "";
        info.server_kind = "imported";
        info.sampling = "{}";
        info.harness_mode = "full";
        info.run_mode = "chained";
        info.imported = 1;
        rc = store_run_begin(s, &info, &run_id);
        if (rc != BB_OK)
            break;
        memset(&u, 0, sizeof u);
        u.key.project = f->project;
        u.key.phase = f->phase;
        u.key.task = f->phase;
        u.key.trial = 1;
        u.outcome = f->valid && (f->ddl != 0) ? "first_try_valid" : "failed_invalid";
        u.rounds_used = 1;
        u.score = f->score;
        u.cost_usd = -1;
        rc = store_unit_finish(s, run_id, &u, &inserted);
        if (rc == BB_OK && units)
            *units += inserted;
        if (rc == BB_OK)
            rc = store_run_end(s, run_id);
    }
    return rc;
}
