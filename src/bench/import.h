/*
 * import.h — the AutoBe importer (`backbench import --autobe DIR`).
 *
 * Walks DIR/<vendor>/<model>/<project>/autobe/{prisma,document}.json (the
 * layout of wrtnlabs/autobe-examples; docs/import.md), and gives every file a
 * verdict: prisma.json is loaded as a DB AST, checked, and, when it passes,
 * compiled to SQLite DDL that is executed in an in-memory database;
 * document.json is loaded as an API AST and checked, against the same
 * model's DB design when that one loaded. Every located error is counted by
 * class (load errors by kind, check errors by rule). When the project is one
 * of ours (an embedded checklist exists: todo, bbs) the design is also
 * scored (bench/score.h; the API against the model's own DB: chained mode).
 *
 * Untrusted layout: every directory and file name must match a strict
 * pattern (^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$, never "." or ".."), entries
 * are examined with lstat and symbolic links are skipped (counted), so no
 * path is ever built from an unchecked name and nothing outside DIR is read.
 *
 * bench_import_store writes the results to a store: one run per AutoBe model
 * (imported = 1, server_kind "imported", model "autobe/<vendor>/<model>"),
 * one unit per project and phase (task = phase, trial 1) with outcome
 * first_try_valid when the design passes our checks, else failed_invalid,
 * and the score when the project is ours.
 *
 * Ownership: a bench_import owns everything (one arena); bench_import_free.
 */
#ifndef BB_BENCH_IMPORT_H
#define BB_BENCH_IMPORT_H

#include <stddef.h>

#include "store/store.h"
#include "util/arena.h"
#include "util/buf.h"
#include "util/result.h"

#define BENCH_IMPORT_NAME_MAX   64                        /* bytes of a directory name */
#define BENCH_IMPORT_MAX_DIRS   4096                      /* entries per directory level */
#define BENCH_IMPORT_MAX_FILES  4096                      /* files in one import */
#define BENCH_IMPORT_FILE_MAX   ((size_t)64 * 1024 * 1024) /* bytes of one JSON file */
#define BENCH_IMPORT_MAX_CLASSES 64                       /* error classes counted per file */

typedef struct bench_import_class {
    const char *name; /* "load: type", "check: unique table name", "ddl", "parse" */
    size_t count;
} bench_import_class;

typedef struct bench_import_file {
    const char *vendor, *model, *project;
    const char *phase;    /* "db" | "api" */
    const char *rel_path; /* vendor/model/project/autobe/prisma.json */
    int parsed;           /* JSON parsed */
    int loaded;           /* the AST loaded (no structural error) */
    int valid;            /* passed our checks */
    int ddl;              /* db: 1 DDL executed, 0 failed, -1 not attempted */
    size_t n_tables;      /* db: tables; api: operations (when loaded) */
    size_t n_errors;      /* located errors (all classes) */
    size_t n_warnings;
    bench_import_class *classes;
    size_t n_classes;
    double score;         /* 0-100, or -1 when the project is not ours */
    const char *ddl_error; /* SQLite's message when DDL failed, else NULL */
} bench_import_file;

typedef struct bench_import {
    bench_import_file *files;
    size_t n_files;
    size_t skipped;       /* entries skipped: bad names, symlinks, not files */
    bb_arena *arena;
} bench_import;

/* Imports every file under dir. BB_ERR_IO when dir cannot be read,
 * BB_ERR_LIMIT past the limits, BB_ERR_NOMEM. A file that does not load is
 * a verdict, not an error. */
bb_result bench_import_autobe(const char *dir, bench_import **out /* OUT */);

void bench_import_free(bench_import *im);

/* Appends a plain-text summary: files, valid, DDL executed, errors by class,
 * and a per-file table. */
bb_result bench_import_summary(const bench_import *im, bb_buf *out);

/* Writes runs and units to the store (see above). base (may be NULL)
 * supplies the version strings; model, server_kind, endpoint, sampling,
 * modes and imported are set here. *units counts units written (already
 * present ones are skipped). */
bb_result bench_import_store(const bench_import *im, store *s, const store_run_info *base,
                             long *units /* OUT, may be NULL */);

/* 1 when name is an acceptable directory or file name (see above). */
int bench_import_name_ok(const char *name);

#endif
