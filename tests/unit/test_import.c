/*
 * test_import.c — the AutoBe importer over $BB_SHARED/data/autobe-oct2025.
 *
 * Asserted loosely, as the data is real: every prisma.json and document.json
 * under the directory gets a verdict and nothing crashes; every DB design
 * that passes our checks compiles to DDL that SQLite executes; the designs
 * of our projects (todo, bbs) are scored; the summary counts add up; and
 * storing the results gives one imported run per model with a unit per
 * project and phase (stored twice: nothing is duplicated). Hostile layouts
 * (symbolic links out of the directory, bad names, junk files) are built in
 * a temporary directory: links are never followed, bad names are skipped,
 * junk gets a verdict. The command line entry is run as the user would.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <glob.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <cmocka.h>

#include "bench/import.h"
#include "json/json_util.h"
#include "store/store.h"
#include "util/buf.h"
#include "util/file.h"

int cli_import_main(int argc, char **argv);

static const char *autobe_dir(char *buf, size_t cap)
{
    const char *shared = getenv("BB_SHARED");
    struct stat st;

    if (!shared || !*shared)
        return NULL;
    snprintf(buf, cap, "%s/data/autobe-oct2025", shared);
    return stat(buf, &st) == 0 && S_ISDIR(st.st_mode) ? buf : NULL;
}

static size_t count_glob(const char *dir, const char *file)
{
    char pat[1200];
    glob_t g;
    size_t n;

    snprintf(pat, sizeof pat, "%s/*/*/*/autobe/%s", dir, file);
    if (glob(pat, 0, NULL, &g) != 0)
        return 0;
    n = g.gl_pathc;
    globfree(&g);
    return n;
}

static void test_autobe_import(void **state)
{
    char dir[1024];
    bench_import *im = NULL;
    bb_buf out;
    size_t i, n_db = 0, n_api = 0, n_valid = 0, n_scored = 0;

    (void)state;
    if (!autobe_dir(dir, sizeof dir))
        skip();
    assert_int_equal(bench_import_autobe(dir, &im), BB_OK);
    for (i = 0; i < im->n_files; i++) {
        const bench_import_file *f = &im->files[i];
        int ours = strcmp(f->project, "todo") == 0 || strcmp(f->project, "bbs") == 0;

        if (strcmp(f->phase, "db") == 0) {
            n_db++;
            /* a DB design that passes our checks compiles and SQLite runs it */
            if (f->valid && f->ddl != 1)
                fail_msg("%s: DDL failed: %s", f->rel_path, f->ddl_error ? f->ddl_error : "?");
        } else {
            n_api++;
        }
        /* a verdict: valid, or at least one located error */
        assert_true(f->valid || f->n_errors > 0);
        assert_true(f->valid ? f->loaded : 1);
        n_valid += (size_t)f->valid;
        if (ours) {
            assert_true(f->score >= 0 && f->score <= 100);
            if (!f->valid)
                assert_true(f->score == 0);
            n_scored++;
        } else {
            assert_true(f->score < 0);
        }
    }
    assert_int_equal(n_db, count_glob(dir, "prisma.json"));
    assert_int_equal(n_api, count_glob(dir, "document.json"));
    assert_true(n_valid > 0);
    assert_int_equal(n_scored, im->n_files);
    bb_buf_init(&out, 1 << 20);
    assert_int_equal(bench_import_summary(im, &out), BB_OK);
    {
        const char *line = bb_buf_str(&out);

        while (*line) {
            size_t len = strcspn(line, "\n");

            print_message("# %.*s\n", (int)len, line);
            line += len + (line[len] == '\n');
        }
    }
    assert_non_null(strstr(bb_buf_str(&out), "files: "));
    bb_buf_free(&out);
    bench_import_free(im);
}

static int count_row(void *ctx, int ncols, const char *const *cols)
{
    (void)ncols;
    *(long *)ctx = cols[0] ? strtol(cols[0], NULL, 10) : -1;
    return 0;
}

static long query_long(store *s, const char *sql)
{
    long v = -1;

    assert_int_equal(store_query(s, sql, count_row, &v), BB_OK);
    return v;
}

static void test_autobe_store(void **state)
{
    char dir[1024], path[] = "/tmp/bb_import_store_XXXXXX";
    bench_import *im = NULL;
    store *s = NULL;
    long units = 0, again = 0;
    size_t i, k, n_models = 0;
    int fd;

    (void)state;
    if (!autobe_dir(dir, sizeof dir))
        skip();
    fd = mkstemp(path);
    assert_true(fd >= 0);
    close(fd);
    assert_int_equal(bench_import_autobe(dir, &im), BB_OK);
    assert_int_equal(store_open(path, &s), BB_OK);
    assert_int_equal(bench_import_store(im, s, NULL, &units), BB_OK);
    assert_int_equal(units, (long)im->n_files);
    assert_int_equal(bench_import_store(im, s, NULL, &again), BB_OK);
    assert_int_equal(again, 0);
    for (i = 0; i < im->n_files; i++) {
        int seen = 0;

        for (k = 0; k < i; k++)
            if (strcmp(im->files[k].vendor, im->files[i].vendor) == 0 &&
                strcmp(im->files[k].model, im->files[i].model) == 0)
                seen = 1;
        n_models += !seen;
    }
    assert_int_equal(query_long(s, "SELECT count(*) FROM runs WHERE imported = 1 AND server_kind = 'imported'"
                                   " AND model LIKE 'autobe/%/%'"),
                     (long)n_models);
    assert_int_equal(query_long(s, "SELECT count(*) FROM units"), (long)im->n_files);
    assert_true(query_long(s, "SELECT count(*) FROM units WHERE outcome = 'first_try_valid'") > 0);
    assert_int_equal(query_long(s, "SELECT count(*) FROM units WHERE outcome NOT IN"
                                   " ('first_try_valid', 'failed_invalid')"),
                     0);
    assert_int_equal(query_long(s, "SELECT count(*) FROM units WHERE outcome = 'failed_invalid' AND score <> 0"), 0);
    store_close(s);
    bench_import_free(im);
    unlink(path);
    {
        char wal[64];

        snprintf(wal, sizeof wal, "%s-wal", path);
        unlink(wal);
        snprintf(wal, sizeof wal, "%s-shm", path);
        unlink(wal);
    }
}

/* ---- hostile layouts -------------------------------------------------------------- */

static void write_file(const char *path, const char *text)
{
    assert_int_equal(bb_file_write(path, text, strlen(text)), BB_OK);
}

static void mkdirs(const char *root, const char *rel)
{
    char path[1024], *p;

    snprintf(path, sizeof path, "%s/%s", root, rel);
    for (p = path + strlen(root) + 1; *p; p++) {
        if (*p == '/') {
            *p = '\0';
            (void)mkdir(path, 0700);
            *p = '/';
        }
    }
    (void)mkdir(path, 0700);
}

static void test_hostile_layout(void **state)
{
    char root[] = "/tmp/bb_import_XXXXXX", outside[] = "/tmp/bb_import_out_XXXXXX";
    char path[1024], cmd[1200];
    bench_import *im = NULL;
    size_t i;

    (void)state;
    assert_non_null(mkdtemp(root));
    assert_non_null(mkdtemp(outside));
    /* a real design outside the root, reachable only through links */
    mkdirs(outside, "m/todo/autobe");
    snprintf(path, sizeof path, "%s/m/todo/autobe/prisma.json", outside);
    write_file(path, "{\"files\": []}");
    mkdirs(root, "vendor/model/todo/autobe");
    snprintf(path, sizeof path, "%s/vendor/model/todo/autobe/prisma.json", root);
    write_file(path, "{\"files\": [ {\"filename\": \"x\"");                   /* not JSON */
    snprintf(path, sizeof path, "%s/vendor/model/todo/autobe/document.json", root);
    write_file(path, "{\"operations\": 3}");                                  /* wrong shape */
    snprintf(path, sizeof path, "%s/linked", root);
    assert_int_equal(symlink(outside, path), 0);                              /* vendor as a link */
    snprintf(path, sizeof path, "%s/vendor/model/bbs", root);
    snprintf(cmd, sizeof cmd, "%s/m/todo", outside);
    assert_int_equal(symlink(cmd, path), 0);                                  /* project as a link */
    mkdirs(root, "vendor/model/shop/autobe");
    snprintf(path, sizeof path, "%s/vendor/model/shop/autobe/prisma.json", root);
    assert_int_equal(symlink("../../../../../etc/passwd", path), 0);          /* file as a link */
    mkdirs(root, "vendor/..hidden/todo/autobe");                              /* bad name */
    mkdirs(root, "vendor/model/we ird/autobe");                               /* bad name */

    assert_int_equal(bench_import_autobe(root, &im), BB_OK);
    assert_int_equal(im->n_files, 2); /* the two real files, nothing through a link */
    for (i = 0; i < im->n_files; i++) {
        assert_string_equal(im->files[i].vendor, "vendor");
        assert_false(im->files[i].valid);
        assert_true(im->files[i].n_errors > 0);
        assert_true(im->files[i].score == 0); /* todo is ours: invalid scores 0 */
    }
    assert_true(im->skipped >= 3);
    bench_import_free(im);

    /* the command line: usage errors and a run over the same tree */
    {
        char a0[] = "import", a1[] = "--autobe", bad[] = "/nonexistent/bb_import";
        char *argv1[] = {a0, NULL};
        char *argv2[] = {a0, a1, root, NULL};
        char *argv3[] = {a0, a1, bad, NULL};

        char a2[] = "--store", db[] = "/tmp/bb_import_cli_XXXXXX";
        char *argv4[] = {a0, a1, root, a2, db, NULL};
        store *s = NULL;
        int fd;

        assert_int_equal(cli_import_main(1, argv1), 2);
        assert_int_equal(cli_import_main(3, argv2), 0);
        assert_int_equal(cli_import_main(3, argv3), 2);
        fd = mkstemp(db);
        assert_true(fd >= 0);
        close(fd);
        assert_int_equal(cli_import_main(5, argv4), 0);
        assert_int_equal(store_open(db, &s), BB_OK);
        assert_int_equal(query_long(s, "SELECT count(*) FROM units WHERE outcome = 'failed_invalid' AND score = 0"
                                       " AND project = 'todo'"),
                         2);
        assert_int_equal(query_long(s, "SELECT count(*) FROM runs WHERE model = 'autobe/vendor/model'"), 1);
        store_close(s);
        snprintf(cmd, sizeof cmd, "rm -f '%s' '%s-wal' '%s-shm'", db, db, db);
        assert_int_equal(system(cmd), 0);
    }
    snprintf(cmd, sizeof cmd, "rm -rf '%s' '%s'", root, outside);
    assert_int_equal(system(cmd), 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_autobe_import),
        cmocka_unit_test(test_autobe_store),
        cmocka_unit_test(test_hostile_layout),
    };

    bb_json_init();
    return cmocka_run_group_tests(tests, NULL, NULL);
}
