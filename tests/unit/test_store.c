/*
 * test_store.c — the results store: runs found again by configuration,
 * units written once, resume, merge without duplicates, endpoint
 * sanitising, and that a store survives being reopened.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <cmocka.h>

#include "store/store.h"
#include "util/buf.h"

static char tmpdir[256];

static int setup(void **state)
{
    (void)state;
    snprintf(tmpdir, sizeof tmpdir, "/tmp/bb-test-store-XXXXXX");
    return mkdtemp(tmpdir) ? 0 : -1;
}

static int teardown(void **state)
{
    char cmd[300];

    (void)state;
    snprintf(cmd, sizeof cmd, "rm -rf %s", tmpdir);
    return system(cmd) == 0 ? 0 : -1;
}

static void path_in_tmp(char *out, size_t n, const char *name)
{
    snprintf(out, n, "%s/%s", tmpdir, name);
}

static store_run_info run_info(const char *model)
{
    store_run_info ri;

    memset(&ri, 0, sizeof ri);
    ri.backbench_version = "0.1.0";
    ri.git_rev = "abc";
    ri.benchmark_version = "test";
    ri.model = model;
    ri.endpoint = "http://user:secret@127.0.0.1:8080/v1?key=SECRET";
    ri.server_kind = "sim";
    ri.sampling = "{\"temperature\":0}";
    ri.harness_mode = "full";
    ri.run_mode = "isolated";
    return ri;
}

static store_unit make_unit(const char *task, int trial, const store_round *rounds, size_t n)
{
    store_unit u;

    memset(&u, 0, sizeof u);
    u.key.project = "todo";
    u.key.phase = "db";
    u.key.task = task;
    u.key.trial = trial;
    u.outcome = "feedback_valid";
    u.rounds_used = (int)n;
    u.score = 87.5;
    u.prompt_tokens = 100;
    u.completion_tokens = 50;
    u.cost_usd = -1;
    u.rounds = rounds;
    u.n_rounds = n;
    u.artifact_kind = "db";
    u.artifact = "{\"files\":[]}";
    return u;
}

static int count_cb(void *ctx, int ncols, const char *const *cols)
{
    (void)ncols;
    *(long *)ctx = strtol(cols[0] ? cols[0] : "0", NULL, 10);
    return 0;
}

static long count(store *s, const char *sql)
{
    long n = -1;

    assert_int_equal(store_query(s, sql, count_cb, &n), BB_OK);
    return n;
}

static int text_cb(void *ctx, int ncols, const char *const *cols)
{
    (void)ncols;
    assert_int_equal(bb_buf_puts(ctx, cols[0] ? cols[0] : "NULL"), BB_OK);
    return 0;
}

static void test_sanitize(void **state)
{
    bb_buf b;

    (void)state;
    bb_buf_init(&b, 1000);
    assert_int_equal(store_endpoint_sanitize("https://u:p@example.com:8443/v1/x?api_key=zzz#f", &b), BB_OK);
    assert_string_equal(bb_buf_str(&b), "https://example.com:8443/v1/x");
    bb_buf_reset(&b);
    assert_int_equal(store_endpoint_sanitize("http://127.0.0.1:8080", &b), BB_OK);
    assert_string_equal(bb_buf_str(&b), "http://127.0.0.1:8080");
    bb_buf_free(&b);
}

static void test_run_units_resume(void **state)
{
    char path[300];
    store *s = NULL;
    store_run_info ri = run_info("sim-perfect");
    int64_t run1 = 0, run2 = 0, other = 0;
    store_round rounds[2];
    store_unit u;
    store_unit_key k = {"todo", "db", "t1", 0};
    int inserted = -1;
    bb_buf b;

    (void)state;
    memset(rounds, 0, sizeof rounds);
    rounds[0].round = 1;
    rounds[0].verdict = "invalid";
    rounds[0].n_errors = 2;
    rounds[0].errors = "[{\"kind\":\"type\"}]";
    rounds[1].round = 2;
    rounds[1].verdict = "valid";
    path_in_tmp(path, sizeof path, "a.db");
    assert_int_equal(store_open(path, &s), BB_OK);
    assert_int_equal(store_run_begin(s, &ri, &run1), BB_OK);
    assert_true(run1 > 0);
    assert_int_equal(store_unit_is_done(s, run1, &k), 0);
    u = make_unit("t1", 0, rounds, 2);
    assert_int_equal(store_unit_finish(s, run1, &u, &inserted), BB_OK);
    assert_int_equal(inserted, 1);
    assert_int_equal(store_unit_is_done(s, run1, &k), 1);
    /* a second finish of the same unit writes nothing */
    assert_int_equal(store_unit_finish(s, run1, &u, &inserted), BB_OK);
    assert_int_equal(inserted, 0);
    assert_int_equal(count(s, "SELECT count(*) FROM units"), 1);
    assert_int_equal(count(s, "SELECT count(*) FROM rounds"), 2);
    assert_int_equal(count(s, "SELECT count(*) FROM artifacts"), 1);
    /* credentials never stored */
    bb_buf_init(&b, 100000);
    assert_int_equal(store_query(s, "SELECT endpoint || run_key FROM runs", text_cb, &b), BB_OK);
    assert_null(strstr(bb_buf_str(&b), "secret"));
    assert_null(strstr(bb_buf_str(&b), "SECRET"));
    bb_buf_free(&b);
    store_close(s);

    /* reopen: the same configuration finds the same run, and the unit is done */
    assert_int_equal(store_open(path, &s), BB_OK);
    assert_int_equal(store_run_begin(s, &ri, &run2), BB_OK);
    assert_int_equal(run2, run1);
    assert_int_equal(store_unit_is_done(s, run2, &k), 1);
    ri.harness_mode = "raw";
    assert_int_equal(store_run_begin(s, &ri, &other), BB_OK);
    assert_true(other != run1);
    assert_int_equal(store_unit_is_done(s, other, &k), 0);
    assert_int_equal(store_unit_set_score(s, run1, &k, 42.0), BB_OK);
    assert_int_equal(count(s, "SELECT CAST(score AS INTEGER) FROM units"), 42);
    k.task = "missing";
    assert_int_equal(store_unit_set_score(s, run1, &k, 1.0), BB_ERR_NOT_FOUND);
    assert_int_equal(store_run_end(s, run1), BB_OK);
    store_close(s);
}

static void test_merge(void **state)
{
    char pa[300], pb[300], pc[300];
    store *a = NULL, *b = NULL, *c = NULL;
    store_run_info ri = run_info("m");
    int64_t ra, rb, rc_;
    store_round r1 = {0};
    store_unit u;
    long added = -1;
    int i;

    (void)state;
    r1.round = 1;
    r1.verdict = "valid";
    path_in_tmp(pa, sizeof pa, "shard0.db");
    path_in_tmp(pb, sizeof pb, "shard1.db");
    path_in_tmp(pc, sizeof pc, "all.db");
    assert_int_equal(store_open(pa, &a), BB_OK);
    assert_int_equal(store_open(pb, &b), BB_OK);
    assert_int_equal(store_run_begin(a, &ri, &ra), BB_OK);
    assert_int_equal(store_run_begin(b, &ri, &rb), BB_OK);
    for (i = 0; i < 10; i++) {
        char task[16];

        snprintf(task, sizeof task, "t%d", i);
        u = make_unit(task, 0, &r1, 1);
        /* shard a has t0..t5, shard b has t4..t9: t4 and t5 overlap */
        if (i <= 5)
            assert_int_equal(store_unit_finish(a, ra, &u, NULL), BB_OK);
        if (i >= 4)
            assert_int_equal(store_unit_finish(b, rb, &u, NULL), BB_OK);
    }
    store_close(a);
    store_close(b);
    assert_int_equal(store_open(pc, &c), BB_OK);
    assert_int_equal(store_merge(c, pa, &added), BB_OK);
    assert_int_equal(added, 6);
    assert_int_equal(store_merge(c, pb, &added), BB_OK);
    assert_int_equal(added, 4);
    assert_int_equal(store_merge(c, pb, &added), BB_OK);
    assert_int_equal(added, 0);
    assert_int_equal(count(c, "SELECT count(*) FROM runs"), 1);
    assert_int_equal(count(c, "SELECT count(*) FROM units"), 10);
    assert_int_equal(count(c, "SELECT count(*) FROM rounds"), 10);
    assert_int_equal(count(c, "SELECT count(*) FROM artifacts"), 10);
    assert_int_equal(count(c, "SELECT count(*) FROM (SELECT DISTINCT task FROM units)"), 10);
    assert_int_equal(store_run_begin(c, &ri, &rc_), BB_OK);
    assert_int_equal(count(c, "SELECT count(*) FROM rounds r JOIN units u ON u.id = r.unit_id"), 10);
    assert_int_not_equal(store_merge(c, "/nonexistent/dir/x.db", &added), BB_OK);
    store_close(c);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_sanitize),
        cmocka_unit_test(test_run_units_resume),
        cmocka_unit_test(test_merge),
    };
    return cmocka_run_group_tests_name("store", tests, setup, teardown);
}
