/*
 * test_ast_db.c — the DB AST loader, its semantic checks and the identifier
 * rules.
 *
 * The check corpus tests/data/db/check/ (one JSON file per case) is data: each case holds an
 * AST and the exact set of errors expected, as [path, expected-rule] pairs
 * for the semantic checks ("errors"), [path, kind] pairs for structural load
 * errors ("load_errors") and warnings ("warnings"). Injection attempts
 * (SQL, path traversal, unicode lookalikes, NUL, 10,000-byte names) must
 * give located errors and no emitter output. A mutation sweep replaces and
 * deletes every node of a valid design in turn (the loader must never crash
 * and never accept a broken document silently), and allocation failures are
 * injected into load and check. SQLite confirms the reserved-word list.
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
#include "emit/emit_sqlite.h"
#include "json/json_util.h"
#include "util/alloc.h"
#include "util/buf.h"
#include "util/file.h"

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

/* 1 when every [a, b] pair of want occurs in the list (a = path, b = the
 * field picked by use_kind) and the sizes match. Prints the difference. */
static int same_set(const char *label, const json_t *want, const schema_errors *got, int use_kind)
{
    size_t i, k;
    int ok = json_array_size(want) == got->n;

    for (i = 0; i < json_array_size(want); i++) {
        const char *p = json_string_value(json_array_get(json_array_get(want, i), 0));
        const char *x = json_string_value(json_array_get(json_array_get(want, i), 1));
        int found = 0;

        for (k = 0; k < got->n; k++) {
            const char *gx = use_kind ? schema_error_kind_name(got->items[k].kind) : got->items[k].expected;

            if (strcmp(got->items[k].path, p) == 0 && strcmp(gx, x) == 0)
                found = 1;
        }
        if (!found) {
            ok = 0;
            print_message("# %s: missing %s | %s\n", label, p, x);
        }
    }
    if (!ok) {
        for (k = 0; k < got->n; k++)
            print_message("# %s: got %s | %s | %s | %s | %s\n", label, got->items[k].path,
                          schema_error_kind_name(got->items[k].kind), got->items[k].expected, got->items[k].value,
                          got->items[k].message ? got->items[k].message : "-");
    }
    return ok;
}

static void assert_no_output(ast_db *db)
{
    bb_buf out;

    bb_buf_init(&out, 1 << 20);
    assert_int_equal(emit_sqlite(db, &out), BB_ERR_INVALID);
    assert_int_equal(emit_postgres(db, &out), BB_ERR_INVALID);
    assert_int_equal(emit_prisma(db, &out), BB_ERR_INVALID);
    assert_int_equal(emit_mermaid(db, &out), BB_ERR_INVALID);
    assert_int_equal(out.len, 0);
    bb_buf_free(&out);
}

static void run_case(const char *path)
{
    json_t *c = load_json(path);
    const json_t *want_err = json_object_get(c, "errors");
    const json_t *want_load = json_object_get(c, "load_errors");
    const json_t *want_warn = json_object_get(c, "warnings");
    const char *label = strrchr(path, '/') + 1;
    schema_errors errs, warns;
    ast_db *db = NULL;
    bb_result rc;
    size_t k;

    schema_errors_init(&errs, 0);
    schema_errors_init(&warns, 0);
    rc = ast_db_load(json_object_get(c, "ast"), NULL, &db, &errs, &warns);
    if (want_load) {
        assert_int_equal(rc, BB_ERR_INVALID);
        assert_null(db);
        if (!same_set(label, want_load, &errs, 1))
            fail_msg("%s: load errors differ", label);
        for (k = 0; k < errs.n; k++)
            assert_non_null(errs.items[k].message);
    } else {
        if (rc != BB_OK)
            fail_msg("%s: load failed (%s): %s %s", label, bb_result_name(rc), errs.n ? errs.items[0].path : "-",
                     errs.n && errs.items[0].message ? errs.items[0].message : "-");
        rc = ast_db_check(db, &errs);
        assert_int_equal(rc, json_array_size(want_err) ? BB_ERR_INVALID : BB_OK);
        if (!same_set(label, want_err, &errs, 0))
            fail_msg("%s: check errors differ", label);
        for (k = 0; k < errs.n; k++) {
            const schema_error *e = &errs.items[k];

            assert_int_equal(e->kind, SCHEMA_ERR_SEMANTIC);
            assert_non_null(e->message);
            if (strstr(e->path, "files["))
                assert_non_null(strstr(e->message, "File "));
            if (strstr(e->path, ".models["))
                assert_non_null(strstr(e->message, ", table "));
            assert_true(strlen(e->value) < 1300);
            for (size_t b = 0; e->message[b]; b++) {
                unsigned char ch = (unsigned char)e->message[b];

                if (ch < 0x20 || ch > 0x7E)
                    fail_msg("%s: message byte 0x%02X is not printable ASCII: %s", label, ch, e->message);
            }
        }
        if (json_array_size(want_err))
            assert_no_output(db);
        else
            assert_int_equal(ast_db_emit_ready(db), BB_OK);
    }
    if (want_warn && !same_set(label, want_warn, &warns, 1))
        fail_msg("%s: warnings differ", label);
    ast_db_free(db);
    schema_errors_free(&errs);
    schema_errors_free(&warns);
    json_decref(c);
}

static void test_check_corpus(void **state)
{
    char pat[1024];
    glob_t g;
    size_t i;

    (void)state;
    (void)snprintf(pat, sizeof pat, "%s/tests/data/db/check/*.json", root_dir());
    assert_int_equal(glob(pat, 0, NULL, &g), 0);
    assert_true(g.gl_pathc >= 20);
    for (i = 0; i < g.gl_pathc; i++)
        run_case(g.gl_pathv[i]);
    globfree(&g);
}

/* A one-table design whose table name is `name`. */
static json_t *one_table(const char *name)
{
    json_t *doc = json_pack("{s:[{s:s, s:s, s:[{s:s, s:s, s:b, s:s, s:{s:s, s:s, s:s}, s:[], s:[], s:[], s:[], s:[]}]}]}",
                            "files", "filename", "schema-01-a.prisma", "namespace", "A", "models", "name", name,
                            "description", "", "material", 0, "stance", "primary", "primaryField", "name", "id",
                            "type", "uuid", "description", "", "foreignFields", "plainFields", "uniqueIndexes",
                            "plainIndexes", "ginIndexes");

    assert_non_null(doc);
    return doc;
}

static void test_long_names(void **state)
{
    static const size_t lens[] = {63, 64, 100, 255, 256, 10000};
    size_t i;

    (void)state;
    for (i = 0; i < sizeof lens / sizeof lens[0]; i++) {
        char *name = bb_malloc(lens[i] + 1);
        json_t *doc;
        schema_errors errs;
        ast_db *db = NULL;
        bb_result rc;

        assert_non_null(name);
        memset(name, 'a', lens[i]);
        name[lens[i]] = '\0';
        doc = one_table(name);
        schema_errors_init(&errs, 0);
        rc = ast_db_load(doc, NULL, &db, &errs, NULL);
        if (lens[i] > 255) {
            assert_int_equal(rc, BB_ERR_INVALID);
            assert_int_equal(errs.n, 1);
            assert_string_equal(errs.items[0].path, "$input.files[0].models[0].name");
            assert_int_equal(errs.items[0].kind, SCHEMA_ERR_LENGTH);
            assert_true(strlen(errs.items[0].value) < 260);
        } else {
            assert_int_equal(rc, BB_OK);
            rc = ast_db_check(db, &errs);
            if (lens[i] <= 63) {
                assert_int_equal(rc, BB_OK);
            } else {
                assert_int_equal(rc, BB_ERR_INVALID);
                assert_int_equal(errs.n, 1);
                assert_string_equal(errs.items[0].expected, "string & MaxLength<63>");
                assert_no_output(db);
            }
        }
        ast_db_free(db);
        schema_errors_free(&errs);
        json_decref(doc);
        bb_free(name);
    }
}

typedef struct ident_case {
    const char *s;
    int snake, camel, pascal, file;
} ident_case;

static void test_ident_patterns(void **state)
{
    static const ident_case cases[] = {
        {"todo_users", 1, 0, 0, 0},
        {"a", 1, 1, 0, 0},
        {"a1_b2", 1, 0, 0, 0},
        {"todoUsers", 0, 1, 0, 0},
        {"TodoUsers", 0, 0, 1, 0},
        {"_todo", 0, 0, 0, 0},
        {"1todo", 0, 0, 0, 0},
        {"", 0, 0, 0, 0},
        {"todo users", 0, 0, 0, 0},
        {"todo-users", 0, 0, 0, 0},
        {"t\xc3\xb6" "do", 0, 0, 0, 0},       /* UTF-8 o with diaeresis */
        {"t\xd0\xbe" "do", 0, 0, 0, 0},       /* Cyrillic o */
        {"x\"; DROP TABLE x; --", 0, 0, 0, 0},
        {"schema-01-actors.prisma", 0, 0, 0, 1},
        {"schema_01.prisma", 0, 0, 0, 1},
        {"../../etc/passwd", 0, 0, 0, 0},
        {"../a.prisma", 0, 0, 0, 0},
        {"a/b.prisma", 0, 0, 0, 0},
        {".prisma", 0, 0, 0, 0},
        {"A.prisma", 0, 0, 0, 0},
        {"a.prisma.sql", 0, 0, 0, 0},
    };
    size_t i;

    (void)state;
    for (i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        const ident_case *c = &cases[i];
        size_t len = strlen(c->s);

        if (ast_ident_is_snake(c->s, len) != c->snake || ast_ident_is_camel(c->s, len) != c->camel ||
            ast_ident_is_pascal(c->s, len) != c->pascal || ast_ident_is_filename(c->s, len) != c->file)
            fail_msg("identifier case %zu (%s) misclassified", i, c->s);
    }
    /* an embedded NUL never passes: the length says more than strlen */
    assert_false(ast_ident_is_snake("ab\0cd", 5));
    assert_false(ast_ident_is_camel("ab\0cd", 5));
    assert_false(ast_ident_is_filename("a\0.prisma", 9));
    assert_int_equal(ast_ident_reserved("ORDER"), AST_RESERVED_SQLITE | AST_RESERVED_POSTGRES);
    assert_int_equal(ast_ident_reserved("user"), AST_RESERVED_POSTGRES);
    assert_int_equal(ast_ident_reserved("delete"), AST_RESERVED_SQLITE | AST_RESERVED_PRISMA_MODEL);
    assert_int_equal(ast_ident_reserved("title"), 0);
    {
        char buf[64];

        assert_string_equal(ast_ident_show("a\nb", 80, buf, sizeof buf), "a\\u000Ab");
        assert_string_equal(ast_ident_show("t\xd0\xbe" "do", 80, buf, sizeof buf), "t\\u043Edo");
        assert_string_equal(ast_ident_show("x\xff\xc3", 80, buf, sizeof buf), "x\\xFF\\xC3");
        assert_string_equal(ast_ident_show("\xf0\x9f\x98\x80", 80, buf, sizeof buf), "\\u{1F600}");
        assert_string_equal(ast_ident_show("abcdefgh", 3, buf, sizeof buf), "abc...");
        assert_string_equal(ast_ident_show("abcdefghijklmnopqrstuvwxyz0123456789", 80, buf, 20), "abcdefgh...");
    }
    assert_string_equal(ast_ident_reserved_where(AST_RESERVED_SQLITE | AST_RESERVED_POSTGRES), "SQLite and PostgreSQL");
}

/* Each word listed as SQLite-reserved is refused unquoted by SQLite in one of
 * the places a name goes, and accepted quoted everywhere. */
static void test_reserved_sqlite_confirmed(void **state)
{
    size_t i;
    const char *w;

    (void)state;
    for (i = 0; ast_ident_reserved_at(AST_RESERVED_SQLITE, i) != NULL; i++) {
        char sql[4][256];
        sqlite3 *s = NULL;
        int k, refused = 0;

        w = ast_ident_reserved_at(AST_RESERVED_SQLITE, i);
        (void)snprintf(sql[0], sizeof sql[0], "CREATE TABLE %s (x TEXT)", w);
        (void)snprintf(sql[1], sizeof sql[1], "CREATE TABLE t (%s TEXT)", w);
        (void)snprintf(sql[2], sizeof sql[2], "CREATE INDEX i ON t (%s)", w);
        (void)snprintf(sql[3], sizeof sql[3], "CREATE TABLE u (y TEXT REFERENCES t (%s))", w);
        assert_int_equal(sqlite3_open(":memory:", &s), SQLITE_OK);
        for (k = 0; k < 4; k++)
            refused |= sqlite3_exec(s, sql[k], NULL, NULL, NULL) != SQLITE_OK;
        sqlite3_close(s);
        if (!refused)
            fail_msg("SQLite accepts the listed reserved word %s unquoted", w);
        assert_int_equal(sqlite3_open(":memory:", &s), SQLITE_OK);
        (void)snprintf(sql[0], sizeof sql[0], "CREATE TABLE \"%s\" (\"%s\" TEXT); CREATE INDEX i ON \"%s\" (\"%s\")", w,
                       w, w, w);
        assert_int_equal(sqlite3_exec(s, sql[0], NULL, NULL, NULL), SQLITE_OK);
        sqlite3_close(s);
    }
    assert_true(i >= 60);
}

/* ---- mutation sweep ----------------------------------------------------------- */

static size_t count_nodes(const json_t *v)
{
    size_t n = 1, i;
    const char *key;
    json_t *val;

    if (json_is_array(v)) {
        for (i = 0; i < json_array_size(v); i++)
            n += count_nodes(json_array_get(v, i));
    } else if (json_is_object(v)) {
        json_object_foreach((json_t *)v, key, val)
            n += count_nodes(val);
    }
    return n;
}

/* Replaces (repl != NULL) or deletes the target-th node in pre-order (the
 * root is node 0 and is never touched). Returns 1 when done. */
static int mutate(json_t *v, size_t *counter, size_t target, json_t *repl)
{
    size_t i;
    const char *key;
    json_t *val;

    if (json_is_array(v)) {
        for (i = 0; i < json_array_size(v); i++) {
            if (++*counter == target) {
                if (repl)
                    json_array_set(v, i, repl);
                else
                    json_array_remove(v, i);
                return 1;
            }
            if (mutate(json_array_get(v, i), counter, target, repl))
                return 1;
        }
    } else if (json_is_object(v)) {
        json_object_foreach(v, key, val) {
            if (++*counter == target) {
                if (repl)
                    json_object_set(v, key, repl);
                else
                    json_object_del(v, key);
                return 1;
            }
            if (mutate(val, counter, target, repl))
                return 1;
        }
    }
    return 0;
}

static void test_mutation_sweep(void **state)
{
    char path[1024];
    json_t *orig, *repls[7];
    size_t n, t, r, n_invalid = 0, n_ok = 0;

    (void)state;
    (void)snprintf(path, sizeof path, "%s/tests/data/db/y_bbs.json", root_dir());
    orig = load_json(path);
    repls[0] = json_null();
    repls[1] = json_integer(-1);
    repls[2] = json_string("x\"; DROP TABLE t; --");
    repls[3] = json_array();
    repls[4] = json_object();
    repls[5] = json_true();
    repls[6] = NULL; /* delete */
    n = count_nodes(orig);
    for (t = 1; t < n; t++) {
        for (r = 0; r < 7; r++) {
            json_t *doc = json_deep_copy(orig);
            size_t counter = 0;
            schema_errors errs, warns;
            ast_db *db = NULL;
            bb_result rc;

            assert_true(mutate(doc, &counter, t, repls[r]));
            schema_errors_init(&errs, 0);
            schema_errors_init(&warns, 0);
            rc = ast_db_load(doc, NULL, &db, &errs, &warns);
            assert_true(rc == BB_OK || rc == BB_ERR_INVALID);
            if (rc == BB_ERR_INVALID)
                assert_true(errs.n > 0);
            if (rc == BB_OK) {
                rc = ast_db_check(db, &errs);
                assert_true(rc == BB_OK || rc == BB_ERR_INVALID);
                if (rc == BB_OK) {
                    bb_buf out;

                    bb_buf_init(&out, 1 << 22);
                    assert_int_equal(emit_sqlite(db, &out), BB_OK);
                    assert_int_equal(emit_prisma(db, &out), BB_OK);
                    bb_buf_free(&out);
                } else {
                    assert_no_output(db);
                }
            }
            if (rc == BB_OK)
                n_ok++;
            else
                n_invalid++;
            ast_db_free(db);
            schema_errors_free(&errs);
            schema_errors_free(&warns);
            json_decref(doc);
        }
    }
    print_message("# mutation sweep: %zu nodes, %zu variants valid, %zu invalid\n", n, n_ok, n_invalid);
    assert_true(n_invalid > n_ok);
    for (r = 0; r < 6; r++)
        json_decref(repls[r]);
    json_decref(orig);
}

static void test_alloc_failure(void **state)
{
    char path[1024];
    json_t *doc;
    long k;
    int done = 0;

    (void)state;
    (void)snprintf(path, sizeof path, "%s/tests/data/db/check/n_redundant_indexes.json", root_dir());
    doc = load_json(path);
    for (k = 0; k < 5000 && !done; k++) {
        schema_errors errs, warns;
        ast_db *db = NULL;
        bb_result rc;

        schema_errors_init(&errs, 0);
        schema_errors_init(&warns, 0);
        bb_alloc_fail_after(k);
        rc = ast_db_load(json_object_get(doc, "ast"), NULL, &db, &errs, &warns);
        if (rc == BB_OK)
            rc = ast_db_check(db, &errs);
        bb_alloc_fail_after(-1);
        if (rc != BB_ERR_NOMEM && rc != BB_ERR_INVALID)
            fail_msg("allocation %ld failing gave %s", k, bb_result_name(rc));
        done = rc == BB_ERR_INVALID && errs.n == 3;
        ast_db_free(db);
        schema_errors_free(&errs);
        schema_errors_free(&warns);
    }
    assert_true(done);
    json_decref(doc);
}

static void test_limits(void **state)
{
    char path[1024];
    json_t *doc;
    ast_db_params p = ast_db_default_params();
    schema_errors errs;
    ast_db *db = NULL;

    (void)state;
    (void)snprintf(path, sizeof path, "%s/tests/data/db/y_bbs.json", root_dir());
    doc = load_json(path);
    schema_errors_init(&errs, 0);
    p.max_models = 3;
    assert_int_equal(ast_db_load(doc, &p, &db, &errs, NULL), BB_ERR_INVALID);
    assert_null(db);
    assert_int_equal(errs.n, 1);
    assert_string_equal(errs.items[0].path, "$input.files[1].models");
    assert_int_equal(errs.items[0].kind, SCHEMA_ERR_LIMIT);
    schema_errors_clear(&errs);
    p = ast_db_default_params();
    p.max_index_columns = 1;
    assert_int_equal(ast_db_load(doc, &p, &db, &errs, NULL), BB_ERR_INVALID);
    assert_string_equal(errs.items[0].path, "$input.files[1].models[0].plainIndexes[0].fieldNames");
    schema_errors_clear(&errs);
    p = ast_db_default_params();
    p.max_arena = 4096;
    assert_int_equal(ast_db_load(doc, &p, &db, &errs, NULL), BB_ERR_LIMIT);
    assert_null(db);
    /* warnings are optional; the default limits accept the design */
    assert_int_equal(ast_db_load(doc, NULL, &db, &errs, NULL), BB_OK);
    assert_int_equal(db->n_files, 2);
    assert_int_equal(db->n_models, 6);
    assert_string_equal(db->models[1]->foreigns[2].relation.opposite_name, "pinnedOn");
    assert_non_null(ast_db_find_model(db, "bbs_tags"));
    assert_null(ast_db_find_model(db, "bbs_nothing"));
    ast_db_free(db);
    ast_db_free(NULL);
    schema_errors_free(&errs);
    json_decref(doc);
}

/* The one-call hook puts structural and semantic errors in one list. */
static void test_check_json(void **state)
{
    char path[1024];
    json_t *c;
    schema_errors errs;
    ast_db *db = (ast_db *)&errs; /* must be overwritten */

    (void)state;
    schema_errors_init(&errs, 0);
    (void)snprintf(path, sizeof path, "%s/tests/data/db/check/n_missing_target.json", root_dir());
    c = load_json(path);
    assert_int_equal(ast_db_check_json(json_object_get(c, "ast"), NULL, &db, &errs, NULL), BB_ERR_INVALID);
    assert_non_null(db);
    assert_int_equal(db->refs_ok, 0);
    assert_int_equal(errs.n, 1);
    ast_db_free(db);
    json_decref(c);
    schema_errors_clear(&errs);
    (void)snprintf(path, sizeof path, "%s/tests/data/db/check/l_structure.json", root_dir());
    c = load_json(path);
    assert_int_equal(ast_db_check_json(json_object_get(c, "ast"), NULL, &db, &errs, NULL), BB_ERR_INVALID);
    assert_null(db);
    assert_int_equal(errs.n, 10);
    json_decref(c);
    schema_errors_clear(&errs);
    (void)snprintf(path, sizeof path, "%s/tests/data/db/y_todo.json", root_dir());
    c = load_json(path);
    assert_int_equal(ast_db_check_json(c, NULL, NULL, &errs, NULL), BB_OK);
    assert_int_equal(errs.n, 0);
    json_decref(c);
    schema_errors_free(&errs);
}

/* Older AutoBe relations get a synthesised opposite name. */
static void test_synthesised_opposite(void **state)
{
    char path[1024];
    json_t *doc;
    schema_errors errs, warns;
    ast_db *db = NULL;

    (void)state;
    (void)snprintf(path, sizeof path, "%s/tests/data/db/y_older_autobe.json", root_dir());
    doc = load_json(path);
    schema_errors_init(&errs, 0);
    schema_errors_init(&warns, 0);
    assert_int_equal(ast_db_load(doc, NULL, &db, &errs, &warns), BB_OK);
    assert_true(warns.n >= 3 * 9);
    assert_int_equal(db->models[1]->foreigns[0].relation.opposite_synthesized, 1);
    assert_string_equal(db->models[1]->foreigns[0].relation.opposite_name, "bbsArticlesAuthor");
    assert_int_equal(ast_db_check(db, &errs), BB_OK);
    ast_db_free(db);
    schema_errors_free(&errs);
    schema_errors_free(&warns);
    json_decref(doc);
}

/* The schema is embedded in the binary, identical to the file, and names
 * every object of the AST with additionalProperties false. */
static void test_schema_embedded(void **state)
{
    static const char *const defs[] = {"file", "model", "primaryField", "foreignField", "relation", "plainField",
                                       "uniqueIndex", "plainIndex", "ginIndex"};
    const bb_embedded_file *f = bb_embed_find("schemas/db.schema.json");
    char path[1024];
    char *disk = NULL;
    size_t len = 0, i;
    json_t *schema;

    (void)state;
    assert_non_null(f);
    (void)snprintf(path, sizeof path, "%s/schemas/db.schema.json", root_dir());
    assert_int_equal(bb_file_read(path, 1 << 22, &disk, &len), BB_OK);
    assert_int_equal(len, f->len);
    assert_memory_equal(disk, f->data, len);
    schema = json_loadb((const char *)f->data, f->len, 0, NULL);
    assert_non_null(schema);
    assert_true(json_is_false(json_object_get(schema, "additionalProperties")));
    for (i = 0; i < sizeof defs / sizeof defs[0]; i++) {
        const json_t *d = json_object_get(json_object_get(schema, "$defs"), defs[i]);

        assert_non_null(d);
        assert_true(json_is_false(json_object_get(d, "additionalProperties")));
        assert_true(json_array_size(json_object_get(d, "required")) > 0);
    }
    json_decref(schema);
    bb_free(disk);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_check_corpus),
        cmocka_unit_test(test_long_names),
        cmocka_unit_test(test_ident_patterns),
        cmocka_unit_test(test_reserved_sqlite_confirmed),
        cmocka_unit_test(test_mutation_sweep),
        cmocka_unit_test(test_alloc_failure),
        cmocka_unit_test(test_limits),
        cmocka_unit_test(test_synthesised_opposite),
        cmocka_unit_test(test_check_json),
        cmocka_unit_test(test_schema_embedded),
    };

    bb_json_init();
    return cmocka_run_group_tests(tests, NULL, NULL);
}
