/*
 * project.h — the reference projects embedded in the binary.
 *
 * A project lives in projects/<name>/: project.json (name, version, summary,
 * sizes of the gold designs), requirements.md, gold/db.json, gold/api.json and
 * checklist.json. This module finds the projects among the embedded files,
 * validates project.json into a typed bench_project (located errors such as
 * "projects/todo/project.json: $input.sizes.tables") and gives access to the
 * other files as embedded bytes; parsing the gold ASTs and the checklist is
 * the business of src/ast and the scorer.
 *
 * Ownership: a bench_projects owns its strings (one arena); the file
 * pointers (requirements, gold_db, ...) point into the embedded data (or the
 * caller's files for bench_projects_from_files) and live as long as those.
 */
#ifndef BB_BENCH_PROJECT_H
#define BB_BENCH_PROJECT_H

#include <stddef.h>

#include "schema/schema_error.h"
#include "util/arena.h"
#include "util/file.h"
#include "util/result.h"

#define BENCH_PROJECT_NAME_MAX 32
#define BENCH_PROJECTS_MAX 64
#define BENCH_PROJECT_META_MAX_BYTES ((size_t)64 * 1024)
#define BENCH_PROJECT_SUMMARY_MAX 1000
#define BENCH_PROJECT_SIZE_MAX 100000

typedef struct bench_project_file {
    const char *data; /* NUL-terminated */
    size_t len;
} bench_project_file;

typedef struct bench_project {
    const char *name;    /* ^[a-z][a-z0-9_-]{0,31}$, equals the directory name */
    const char *version; /* "1.0.0" */
    const char *summary;
    long tables;         /* sizes of the gold designs */
    long operations;
    long schemas;
    bench_project_file requirements; /* requirements.md */
    bench_project_file gold_db;      /* gold/db.json */
    bench_project_file gold_api;     /* gold/api.json */
    bench_project_file checklist;    /* checklist.json */
} bench_project;

typedef struct bench_projects {
    bb_arena *arena;
    bench_project *items; /* sorted by name */
    size_t n;
} bench_projects;

/* 1 when name matches ^[a-z][a-z0-9_-]{0,31}$. */
int bench_project_name_valid(const char *name);

/*
 * Every embedded project. BB_ERR_INVALID when a project.json is malformed or
 * a project misses one of its files (errors in errs, paths prefixed by the
 * file); BB_ERR_NOT_FOUND when no project is embedded.
 */
bb_result bench_projects_list(bench_projects **out /* OUT */, schema_errors *errs);

/* The same over a given set of files (paths as in the repository). */
bb_result bench_projects_from_files(const bb_embedded_file *const *files, size_t n,
                                    bench_projects **out /* OUT */, schema_errors *errs);

void bench_projects_free(bench_projects *p);

/* The project with this name, or NULL (also for an invalid name). */
const bench_project *bench_projects_find(const bench_projects *p, const char *name);

#endif
