/*
 * test_emit_db.c — the DB AST compilers end to end: golden outputs of a
 * design that uses every feature, SQLite execution of the DDL of every
 * design that passes the checks (the y_ corpus, the AutoBe samples, the gold
 * designs), a one-row-per-table insert that proves the foreign keys can be
 * satisfied, refusal of unchecked ASTs, and allocation failures.
 *
 * Environment: BB_SHARED (the AutoBe samples), BB_ROOT (the repository; "."
 * by default), BB_EMIT_DIR (when set, every emitted file is also written
 * there as <design>.sqlite.sql, .postgres.sql, .prisma, .mmd for the e2e
 * oracles), BB_UPDATE_GOLDEN=1 (rewrites tests/data/db/emit/).
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <glob.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ast/ast_db.h"
#include "ast/ast_db_check.h"
#include "ast/ast_ident.h"
#include "emit/emit_mermaid.h"
#include "emit/emit_postgres.h"
#include "emit/emit_prisma.h"
#include "emit/emit_sql.h"
#include "emit/emit_sqlite.h"
#include "json/json_util.h"
#include "util/alloc.h"
#include "util/buf.h"
#include "util/file.h"

#define EMIT_COUNT 4
static const char *const emit_ext[EMIT_COUNT] = {"sqlite.sql", "postgres.sql", "prisma", "mmd"};

static const char *root_dir(void)
{
    const char *r = getenv("BB_ROOT");

    return r && *r ? r : ".";
}

static json_t *load_json(const char *path)
{
    json_error_t je;
    json_t *doc = json_load_file(path, JSON_ALLOW_NUL, &je);

    if (!doc)
        fail_msg("%s:%d: %s", path, je.line, je.text);
    return doc;
}

/* Loads and checks path; returns the AST when it passed (else NULL and the
 * errors in errs). */
static ast_db *load_checked(const char *path, schema_errors *errs, bb_result *rc_out)
{
    json_t *doc = load_json(path);
    ast_db *db = NULL;
    bb_result rc = ast_db_load(doc, NULL, &db, errs, NULL);

    json_decref(doc);
    if (rc == BB_OK)
        rc = ast_db_check(db, errs);
    if (rc_out)
        *rc_out = rc;
    if (rc != BB_OK) {
        ast_db_free(db);
        return NULL;
    }
    return db;
}

static bb_result emit_one(const ast_db *db, int which, bb_buf *out)
{
    switch (which) {
    case 0: return emit_sqlite(db, out);
    case 1: return emit_postgres(db, out);
    case 2: return emit_prisma(db, out);
    default: return emit_mermaid(db, out);
    }
}

/* Writes content to $BB_EMIT_DIR/<name>.<ext>; name is sanitised to
 * [A-Za-z0-9_.-] without a leading dot. */
static void maybe_write(const char *name, const char *ext, const bb_buf *content)
{
    const char *dir = getenv("BB_EMIT_DIR");
    char safe[256], path[1024];
    size_t i;

    if (!dir || !*dir)
        return;
    for (i = 0; name[i] && i < sizeof safe - 1; i++) {
        char c = name[i];
        int ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' ||
                 c == '-' || (c == '.' && i > 0);

        safe[i] = ok ? c : '_';
    }
    safe[i] = '\0';
    (void)snprintf(path, sizeof path, "%s/%s.%s", dir, safe, ext);
    assert_int_equal(bb_file_write(path, content->data ? content->data : "", content->len), BB_OK);
}

static int count_rows(sqlite3 *s, const char *sql)
{
    sqlite3_stmt *st = NULL;
    int n = -1;

    assert_int_equal(sqlite3_prepare_v2(s, sql, -1, &st, NULL), SQLITE_OK);
    if (sqlite3_step(st) == SQLITE_ROW)
        n = sqlite3_column_int(st, 0);
    sqlite3_finalize(st);
    return n;
}

/* Inserts one row into every table (creation order, one transaction, foreign
 * keys enforced): every foreign key points at the target's row. */
static void insert_one_row_each(sqlite3 *s, const ast_db *db, const char *label)
{
    size_t *order = NULL, i, k;
    char *err = NULL;
    bb_buf sql;

    assert_int_equal(emit_sql_table_order(db, &order), BB_OK);
    assert_int_equal(sqlite3_exec(s, "PRAGMA foreign_keys = ON; BEGIN;", NULL, NULL, NULL), SQLITE_OK);
    bb_buf_init(&sql, 1 << 20);
    for (i = 0; i < db->n_models; i++) {
        const ast_db_model *m = db->models[order[i]];
        sqlite3_stmt *st = NULL;
        int col = 1;
        char id[32];

        bb_buf_reset(&sql);
        assert_int_equal(bb_buf_printf(&sql, "INSERT INTO \"%s\" (\"%s\"", m->name, m->primary.name), BB_OK);
        for (k = 0; k < m->n_foreigns; k++)
            assert_int_equal(bb_buf_printf(&sql, ", \"%s\"", m->foreigns[k].name), BB_OK);
        for (k = 0; k < m->n_plains; k++)
            assert_int_equal(bb_buf_printf(&sql, ", \"%s\"", m->plains[k].name), BB_OK);
        assert_int_equal(bb_buf_puts(&sql, ") VALUES (?"), BB_OK);
        for (k = 0; k < m->n_foreigns + m->n_plains; k++)
            assert_int_equal(bb_buf_puts(&sql, ", ?"), BB_OK);
        assert_int_equal(bb_buf_puts(&sql, ")"), BB_OK);
        if (sqlite3_prepare_v2(s, bb_buf_str(&sql), -1, &st, NULL) != SQLITE_OK)
            fail_msg("%s: prepare %s: %s", label, bb_buf_str(&sql), sqlite3_errmsg(s));
        (void)snprintf(id, sizeof id, "row-%zu", order[i]);
        sqlite3_bind_text(st, col++, id, -1, SQLITE_TRANSIENT);
        for (k = 0; k < m->n_foreigns; k++) {
            char tid[32];

            (void)snprintf(tid, sizeof tid, "row-%zu", emit_model_pos(db, m->foreigns[k].relation.target_model));
            sqlite3_bind_text(st, col++, tid, -1, SQLITE_TRANSIENT);
        }
        for (k = 0; k < m->n_plains; k++) {
            switch (m->plains[k].type) {
            case AST_DB_BOOLEAN:
            case AST_DB_INT: sqlite3_bind_int(st, col++, 1); break;
            case AST_DB_DOUBLE: sqlite3_bind_double(st, col++, 1.5); break;
            default: sqlite3_bind_text(st, col++, "2025-01-01T00:00:00Z", -1, SQLITE_STATIC); break;
            }
        }
        if (sqlite3_step(st) != SQLITE_DONE)
            fail_msg("%s: insert into %s: %s", label, m->name, sqlite3_errmsg(s));
        sqlite3_finalize(st);
    }
    if (sqlite3_exec(s, "COMMIT;", NULL, NULL, &err) != SQLITE_OK)
        fail_msg("%s: commit with foreign keys on: %s", label, err ? err : "?");
    assert_int_equal(count_rows(s, "SELECT count(*) FROM pragma_foreign_key_check"), 0);
    bb_buf_free(&sql);
    bb_free(order);
}

/* Executes the SQLite DDL in a fresh in-memory database and compares the
 * schema SQLite reports with the AST. */
static void sqlite_verify(const ast_db *db, const char *ddl, const char *label)
{
    sqlite3 *s = NULL;
    char *err = NULL;
    size_t i, k, n_idx = 0, n_fk = 0, n_notnull = 0;
    int got_idx = 0, got_fk = 0, got_notnull = 0;
    char q[512];

    assert_int_equal(sqlite3_open(":memory:", &s), SQLITE_OK);
    if (sqlite3_exec(s, ddl, NULL, NULL, &err) != SQLITE_OK)
        fail_msg("%s: SQLite refused the DDL: %s", label, err ? err : "?");
    assert_int_equal(count_rows(s, "SELECT count(*) FROM sqlite_master WHERE type = 'table'"), (int)db->n_models);
    for (i = 0; i < db->n_models; i++) {
        const ast_db_model *m = db->models[i];

        n_idx += m->n_unique_indexes + m->n_plain_indexes;
        n_fk += m->n_foreigns;
        n_notnull += 1;
        for (k = 0; k < m->n_foreigns; k++)
            n_notnull += !m->foreigns[k].nullable;
        for (k = 0; k < m->n_plains; k++)
            n_notnull += !m->plains[k].nullable;
        (void)snprintf(q, sizeof q, "SELECT count(*) FROM pragma_foreign_key_list('%s')", m->name);
        got_fk += count_rows(s, q);
        (void)snprintf(q, sizeof q, "SELECT count(*) FROM pragma_table_info('%s') WHERE \"notnull\"", m->name);
        got_notnull += count_rows(s, q);
    }
    got_idx = count_rows(s, "SELECT count(*) FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL");
    assert_int_equal(got_idx, (int)n_idx);
    assert_int_equal(got_fk, (int)n_fk);
    assert_int_equal(got_notnull, (int)n_notnull);
    insert_one_row_each(s, db, label);
    sqlite3_close(s);
}

/* Emits all four outputs of a checked design, executes and verifies the
 * SQLite DDL, and writes the files when BB_EMIT_DIR is set. */
static void compile_design(const ast_db *db, const char *name)
{
    bb_buf out[EMIT_COUNT];
    int i;

    for (i = 0; i < EMIT_COUNT; i++) {
        bb_buf_init(&out[i], BB_BUF_MAX_DEFAULT);
        assert_int_equal(emit_one(db, i, &out[i]), BB_OK);
        assert_true(out[i].len > 0);
        maybe_write(name, emit_ext[i], &out[i]);
    }
    sqlite_verify(db, bb_buf_str(&out[0]), name);
    for (i = 0; i < EMIT_COUNT; i++)
        bb_buf_free(&out[i]);
}

/* ---- tests ------------------------------------------------------------------------ */

static void test_golden_todo(void **state)
{
    char path[1024], gpath[1024];
    schema_errors errs;
    ast_db *db;
    int i;

    (void)state;
    schema_errors_init(&errs, 0);
    (void)snprintf(path, sizeof path, "%s/tests/data/db/y_todo.json", root_dir());
    db = load_checked(path, &errs, NULL);
    assert_non_null(db);
    for (i = 0; i < EMIT_COUNT; i++) {
        bb_buf out;
        char *want = NULL;
        size_t len = 0;

        bb_buf_init(&out, BB_BUF_MAX_DEFAULT);
        assert_int_equal(emit_one(db, i, &out), BB_OK);
        (void)snprintf(gpath, sizeof gpath, "%s/tests/data/db/emit/y_todo.%s", root_dir(), emit_ext[i]);
        if (getenv("BB_UPDATE_GOLDEN"))
            assert_int_equal(bb_file_write(gpath, out.data, out.len), BB_OK);
        assert_int_equal(bb_file_read(gpath, 1 << 24, &want, &len), BB_OK);
        assert_string_equal(bb_buf_str(&out), want);
        bb_free(want);
        bb_buf_free(&out);
    }
    ast_db_free(db);
    schema_errors_free(&errs);
}

static void test_y_corpus_compiles(void **state)
{
    char pat[1024];
    glob_t g;
    size_t i;

    (void)state;
    (void)snprintf(pat, sizeof pat, "%s/tests/data/db/y_*.json", root_dir());
    assert_int_equal(glob(pat, 0, NULL, &g), 0);
    assert_true(g.gl_pathc >= 3);
    for (i = 0; i < g.gl_pathc; i++) {
        schema_errors errs;
        ast_db *db;
        const char *base = strrchr(g.gl_pathv[i], '/') + 1;
        char name[256];

        schema_errors_init(&errs, 0);
        db = load_checked(g.gl_pathv[i], &errs, NULL);
        if (!db)
            fail_msg("%s: %zu errors, first: %s %s", base, schema_errors_total(&errs),
                     errs.n ? errs.items[0].path : "-", errs.n && errs.items[0].message ? errs.items[0].message : "-");
        (void)snprintf(name, sizeof name, "corpus__%.*s", (int)(strlen(base) - 5), base);
        compile_design(db, name);
        ast_db_free(db);
        schema_errors_free(&errs);
    }
    globfree(&g);
}

/* Error classes for the summary: the `expected` rule of each error. */
typedef struct err_class {
    char name[96];
    size_t n;
} err_class;

static void class_add(err_class *cls, size_t *n, size_t max, const char *name)
{
    size_t i;

    for (i = 0; i < *n; i++) {
        if (strcmp(cls[i].name, name) == 0) {
            cls[i].n++;
            return;
        }
    }
    if (*n < max) {
        (void)snprintf(cls[*n].name, sizeof cls[*n].name, "%s", name);
        cls[(*n)++].n = 1;
    }
}

static void test_autobe_samples(void **state)
{
    const char *shared = getenv("BB_SHARED");
    char pat[1024];
    glob_t g;
    size_t i, n_valid = 0, n_loaded = 0, n_tables = 0, n_warn = 0;
    err_class cls[64];
    size_t n_cls = 0;

    (void)state;
    if (!shared || !*shared)
        skip();
    (void)snprintf(pat, sizeof pat, "%s/data/autobe-oct2025/*/*/*/autobe/prisma.json", shared);
    if (glob(pat, 0, NULL, &g) != 0)
        skip();
    for (i = 0; i < g.gl_pathc; i++) {
        json_t *doc = load_json(g.gl_pathv[i]);
        schema_errors errs, warns;
        ast_db *db = NULL;
        bb_result rc;
        size_t k;

        schema_errors_init(&errs, 1000);
        schema_errors_init(&warns, 1000);
        rc = ast_db_load(doc, NULL, &db, &errs, &warns);
        json_decref(doc);
        n_warn += schema_errors_total(&warns);
        if (rc == BB_OK) {
            n_loaded++;
            n_tables += db->n_models;
            rc = ast_db_check(db, &errs);
        }
        assert_true(rc == BB_OK || rc == BB_ERR_INVALID);
        for (k = 0; k < errs.n; k++)
            class_add(cls, &n_cls, 64, errs.items[k].expected);
        if (rc == BB_OK) {
            const char *rel = g.gl_pathv[i] + strlen(shared) + strlen("/data/autobe-oct2025/");
            char name[256];

            n_valid++;
            (void)snprintf(name, sizeof name, "autobe__%.*s", (int)(strstr(rel, "/autobe/") - rel), rel);
            compile_design(db, name);
        } else {
            print_message("# autobe invalid: %s (%zu errors; first: %s)\n", g.gl_pathv[i] + strlen(shared),
                          schema_errors_total(&errs), errs.n && errs.items[0].message ? errs.items[0].message : "-");
        }
        ast_db_free(db);
        schema_errors_free(&errs);
        schema_errors_free(&warns);
    }
    print_message("# autobe DB samples: %zu files, %zu loaded, %zu pass the checks (%zu tables), %zu warnings\n",
                  g.gl_pathc, n_loaded, n_valid, n_tables, n_warn);
    for (i = 0; i < n_cls; i++)
        print_message("#   errors \"%s\": %zu\n", cls[i].name, cls[i].n);
    assert_true(g.gl_pathc > 0);
    assert_true(n_valid > 0);
    globfree(&g);
}

static void test_gold_designs(void **state)
{
    char pat[1024];
    glob_t g;
    size_t i;

    (void)state;
    (void)snprintf(pat, sizeof pat, "%s/projects/*/gold/db.json", root_dir());
    if (glob(pat, 0, NULL, &g) != 0) {
        print_message("# no gold designs yet\n");
        return;
    }
    for (i = 0; i < g.gl_pathc; i++) {
        schema_errors errs;
        ast_db *db;
        char name[256];
        const char *p = g.gl_pathv[i] + strlen(root_dir()) + strlen("/projects/");

        schema_errors_init(&errs, 0);
        db = load_checked(g.gl_pathv[i], &errs, NULL);
        if (!db)
            fail_msg("gold %s fails the checks: %s %s", g.gl_pathv[i], errs.n ? errs.items[0].path : "-",
                     errs.n && errs.items[0].message ? errs.items[0].message : "(structure)");
        (void)snprintf(name, sizeof name, "gold__%.*s", (int)(strchr(p, '/') - p), p);
        compile_design(db, name);
        ast_db_free(db);
        schema_errors_free(&errs);
    }
    globfree(&g);
}

static void test_refuses_unchecked(void **state)
{
    char path[1024];
    json_t *doc;
    ast_db *db = NULL;
    schema_errors errs;
    bb_buf out;
    int i;

    (void)state;
    schema_errors_init(&errs, 0);
    bb_buf_init(&out, BB_BUF_MAX_DEFAULT);
    (void)snprintf(path, sizeof path, "%s/tests/data/db/y_todo.json", root_dir());
    doc = load_json(path);
    assert_int_equal(ast_db_load(doc, NULL, &db, &errs, NULL), BB_OK);
    for (i = 0; i < EMIT_COUNT; i++)
        assert_int_equal(emit_one(db, i, &out), BB_ERR_INVALID);
    assert_int_equal(out.len, 0);
    assert_int_equal(ast_db_check(db, &errs), BB_OK);
    for (i = 0; i < EMIT_COUNT; i++)
        assert_int_equal(emit_one(db, i, &out), BB_OK);
    /* a name changed after the check is caught again */
    db->models[1]->plains[0].name = "bio\"; DROP TABLE x; --";
    bb_buf_reset(&out);
    for (i = 0; i < EMIT_COUNT; i++)
        assert_int_equal(emit_one(db, i, &out), BB_ERR_INVALID);
    assert_int_equal(out.len, 0);
    db->models[1]->plains[0].name = "bio";
    for (i = 0; i < EMIT_COUNT; i++)
        assert_int_equal(emit_one(db, i, &out), BB_OK);
    bb_buf_reset(&out);
    db->files[0].namespace_name = "Actors\nmodel x {";
    for (i = 0; i < EMIT_COUNT; i++)
        assert_int_equal(emit_one(db, i, &out), BB_ERR_INVALID);
    assert_int_equal(out.len, 0);
    assert_int_equal(emit_sqlite(NULL, &out), BB_ERR_INVALID);
    ast_db_free(db);
    json_decref(doc);
    bb_buf_free(&out);
    schema_errors_free(&errs);
}

/* A design with errors (here: a missing target table) is refused too. */
static void test_refuses_invalid(void **state)
{
    const char *text = "{\"files\":[{\"filename\":\"schema-01-a.prisma\",\"namespace\":\"A\",\"models\":[{\"name\":"
                       "\"a_items\",\"description\":\"\",\"material\":false,\"stance\":\"primary\",\"primaryField\":"
                       "{\"name\":\"id\",\"type\":\"uuid\",\"description\":\"\"},\"foreignFields\":[{\"name\":"
                       "\"a_user_id\",\"type\":\"uuid\",\"description\":\"\",\"relation\":{\"name\":\"user\","
                       "\"targetModel\":\"a_users\",\"oppositeName\":\"items\"},\"unique\":false,\"nullable\":false}],"
                       "\"plainFields\":[],\"uniqueIndexes\":[],\"plainIndexes\":[],\"ginIndexes\":[]}]}]}";
    json_t *doc = json_loads(text, 0, NULL);
    ast_db *db = NULL;
    schema_errors errs;
    bb_buf out;
    int i;

    (void)state;
    assert_non_null(doc);
    schema_errors_init(&errs, 0);
    bb_buf_init(&out, 1 << 20);
    assert_int_equal(ast_db_load(doc, NULL, &db, &errs, NULL), BB_OK);
    assert_int_equal(ast_db_check(db, &errs), BB_ERR_INVALID);
    assert_int_equal(db->refs_ok, 0);
    for (i = 0; i < EMIT_COUNT; i++)
        assert_int_equal(emit_one(db, i, &out), BB_ERR_INVALID);
    ast_db_free(db);
    json_decref(doc);
    bb_buf_free(&out);
    schema_errors_free(&errs);
}

/* Long names: index names stay within 63 bytes and distinct, and PostgreSQL-
 * style collisions (a_b + c vs a + b_c) get distinct names. */
static void test_index_names(void **state)
{
    const char *text =
        "{\"files\":[{\"filename\":\"schema-01-a.prisma\",\"namespace\":\"A\",\"models\":["
        "{\"name\":\"a_b\",\"description\":\"\",\"material\":false,\"stance\":\"primary\",\"primaryField\":{\"name\":"
        "\"id\",\"type\":\"uuid\",\"description\":\"\"},\"foreignFields\":[],\"plainFields\":[{\"name\":\"c\",\"type\":"
        "\"int\",\"description\":\"\",\"nullable\":false}],\"uniqueIndexes\":[],\"plainIndexes\":[{\"fieldNames\":"
        "[\"c\"]}],\"ginIndexes\":[]},"
        "{\"name\":\"a\",\"description\":\"\",\"material\":false,\"stance\":\"primary\",\"primaryField\":{\"name\":"
        "\"id\",\"type\":\"uuid\",\"description\":\"\"},\"foreignFields\":[],\"plainFields\":[{\"name\":\"b_c\",\"type\":"
        "\"int\",\"description\":\"\",\"nullable\":false},{\"name\":"
        "\"a_column_name_that_is_long_enough_to_push_the_index_name_over\",\"type\":\"string\",\"description\":\"\","
        "\"nullable\":false},{\"name\":\"another_column_name_that_is_long_enough_to_push_it_over_too\",\"type\":"
        "\"string\",\"description\":\"\",\"nullable\":false}],\"uniqueIndexes\":[{\"fieldNames\":[\"a_column_name_that"
        "_is_long_enough_to_push_the_index_name_over\",\"another_column_name_that_is_long_enough_to_push_it_over_too\"]"
        ",\"unique\":true}],\"plainIndexes\":[{\"fieldNames\":[\"b_c\"]},{\"fieldNames\":[\"another_column_name_that_is"
        "_long_enough_to_push_it_over_too\",\"a_column_name_that_is_long_enough_to_push_the_index_name_over\"]}],"
        "\"ginIndexes\":[{\"fieldName\":\"a_column_name_that_is_long_enough_to_push_the_index_name_over\"}]}]}]}";
    json_t *doc = json_loads(text, 0, NULL);
    ast_db *db = NULL;
    schema_errors errs;
    emit_index_names names;
    size_t i, j;

    (void)state;
    assert_non_null(doc);
    schema_errors_init(&errs, 0);
    assert_int_equal(ast_db_load(doc, NULL, &db, &errs, NULL), BB_OK);
    assert_int_equal(ast_db_check(db, &errs), BB_OK);
    assert_int_equal(emit_index_names_build(db, &names), BB_OK);
    assert_int_equal(names.n, 7);
    for (i = 0; i < names.n; i++) {
        assert_true(strlen(names.names[i]) <= 63);
        for (j = 0; j < i; j++)
            assert_string_not_equal(names.names[i], names.names[j]);
    }
    assert_string_equal(emit_name_index(&names, db, 0, EMIT_INDEX_PLAIN, 0), "a_b_c_idx");
    assert_string_not_equal(emit_name_index(&names, db, 1, EMIT_INDEX_PLAIN, 0), "a_b_c_idx");
    assert_string_equal(emit_name_pkey(&names, db, 1), "a_pkey");
    compile_design(db, "index_names");
    emit_index_names_free(&names);
    ast_db_free(db);
    json_decref(doc);
    schema_errors_free(&errs);
}

/* A design at the loader's table limit: 1024 tables in 4 files, each with
 * foreign keys to earlier and (nullable) later tables, long names, indexes.
 * Everything must pass and SQLite must execute and fill it. */
static void test_large_design(void **state)
{
    json_t *files = json_array();
    json_t *doc = json_pack("{s:o}", "files", files);
    size_t n = 1024, i, f;
    schema_errors errs;
    ast_db *db = NULL;
    char name[128];

    (void)state;
    assert_non_null(doc);
    for (f = 0; f < 4; f++) {
        char fname[64], ns[16];

        (void)snprintf(fname, sizeof fname, "schema-%02zu-part.prisma", f + 1);
        (void)snprintf(ns, sizeof ns, "Part%zu", f + 1);
        json_array_append_new(files, json_pack("{s:s, s:s, s:[]}", "filename", fname, "namespace", ns, "models"));
    }
    for (i = 0; i < n; i++) {
        json_t *fks = json_array(), *plains = json_array(), *pidx = json_array();
        json_t *m;
        size_t k;

        for (k = 1; k <= 3; k++) {
            /* earlier tables: required; a later table: nullable (a cycle of the whole chain) */
            size_t t = k < 3 ? (i >= k ? i - k : i) : (i + 7) % n;
            char col[96], rel[32], opp[64], tgt[80];
            int nullable = k == 3 || i < k;

            (void)snprintf(col, sizeof col, "ref_%zu_of_a_rather_long_table_name_for_index_names_id", k);
            (void)snprintf(rel, sizeof rel, "ref%zu", k);
            (void)snprintf(opp, sizeof opp, "backRef%zuFrom%zu", k, i);
            (void)snprintf(tgt, sizeof tgt, "bench_table_with_a_long_name_number_%04zu", t);
            json_array_append_new(fks, json_pack("{s:s, s:s, s:s, s:{s:s, s:s, s:s}, s:b, s:b}", "name", col, "type",
                                                 "uuid", "description", "", "relation", "name", rel, "targetModel",
                                                 tgt, "oppositeName", opp, "unique", 0, "nullable", nullable));
            json_array_append_new(pidx, json_pack("{s:[s]}", "fieldNames", col));
        }
        for (k = 0; k < 12; k++) {
            char col[32];

            (void)snprintf(col, sizeof col, "value_%zu", k);
            json_array_append_new(plains, json_pack("{s:s, s:s, s:s, s:b}", "name", col, "type",
                                                    k % 2 ? "string" : "datetime", "description", "", "nullable",
                                                    k > 8));
        }
        (void)snprintf(name, sizeof name, "bench_table_with_a_long_name_number_%04zu", i);
        m = json_pack("{s:s, s:s, s:b, s:s, s:{s:s, s:s, s:s}, s:o, s:o, s:[{s:[s, s], s:b}], s:o, s:[{s:s}]}", "name",
                      name, "description", "", "material", 0, "stance", "primary", "primaryField", "name", "id", "type",
                      "uuid", "description", "", "foreignFields", fks, "plainFields", plains, "uniqueIndexes",
                      "fieldNames", "value_1", "value_3", "unique", 1, "plainIndexes", pidx, "ginIndexes", "fieldName",
                      "value_5");
        assert_non_null(m);
        json_array_append_new(json_object_get(json_array_get(files, i % 4), "models"), m);
    }
    schema_errors_init(&errs, 0);
    assert_int_equal(ast_db_load(doc, NULL, &db, &errs, NULL), BB_OK);
    if (ast_db_check(db, &errs) != BB_OK)
        fail_msg("large design: %s %s", errs.items[0].path, errs.items[0].message);
    compile_design(db, "large_design");
    ast_db_free(db);
    schema_errors_free(&errs);
    json_decref(doc);
}

/* The reserved-word lists are sorted, non-empty, and written for the e2e
 * oracles (PostgreSQL and Prisma confirm them there). */
static void test_reserved_lists(void **state)
{
    static const unsigned which[3] = {AST_RESERVED_SQLITE, AST_RESERVED_POSTGRES, AST_RESERVED_PRISMA_MODEL};
    static const char *const names[3] = {"reserved_sqlite", "reserved_postgres", "reserved_prisma"};
    int w;

    (void)state;
    for (w = 0; w < 3; w++) {
        bb_buf b;
        size_t i;

        bb_buf_init(&b, 1 << 16);
        for (i = 0; ast_ident_reserved_at(which[w], i); i++) {
            const char *word = ast_ident_reserved_at(which[w], i);

            if (i > 0)
                assert_true(strcmp(ast_ident_reserved_at(which[w], i - 1), word) < 0);
            assert_true((ast_ident_reserved(word) & which[w]) != 0);
            assert_int_equal(bb_buf_printf(&b, "%s\n", word), BB_OK);
        }
        assert_true(i >= 40);
        maybe_write(names[w], "txt", &b);
        bb_buf_free(&b);
    }
}

static void test_emit_alloc_failure(void **state)
{
    char path[1024];
    schema_errors errs;
    ast_db *db;
    long k;
    int i, done = 0;

    (void)state;
    schema_errors_init(&errs, 0);
    (void)snprintf(path, sizeof path, "%s/tests/data/db/y_todo.json", root_dir());
    db = load_checked(path, &errs, NULL);
    assert_non_null(db);
    for (k = 0; k < 2000 && !done; k++) {
        done = 1;
        for (i = 0; i < EMIT_COUNT; i++) {
            bb_buf out;
            bb_result rc;

            bb_buf_init(&out, BB_BUF_MAX_DEFAULT);
            bb_alloc_fail_after(k);
            rc = emit_one(db, i, &out);
            bb_alloc_fail_after(-1);
            assert_true(rc == BB_OK || rc == BB_ERR_NOMEM);
            if (rc != BB_OK)
                done = 0;
            bb_buf_free(&out);
        }
    }
    assert_true(done);
    ast_db_free(db);
    schema_errors_free(&errs);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_golden_todo),
        cmocka_unit_test(test_y_corpus_compiles),
        cmocka_unit_test(test_autobe_samples),
        cmocka_unit_test(test_gold_designs),
        cmocka_unit_test(test_refuses_unchecked),
        cmocka_unit_test(test_refuses_invalid),
        cmocka_unit_test(test_index_names),
        cmocka_unit_test(test_large_design),
        cmocka_unit_test(test_reserved_lists),
        cmocka_unit_test(test_emit_alloc_failure),
    };

    bb_json_init();
    return cmocka_run_group_tests(tests, NULL, NULL);
}
