/*
 * test_logic.c — the gold figures of the logic phases and their scores.
 *
 * todo under the sanitizers (tests/e2e/logic_gold.sh checks all four projects
 * with the release build): every test passes on the gold implementation;
 * there are at least three tests per operation on average and at least one
 * about each operation; the mutation analysis kills at least 90% of the
 * non-equivalent mutants (printed per operator), and every mutant listed as
 * equivalent really survives (a listed mutant that a test kills, or a name
 * that matches no mutant, fails). Scores: the gold
 * implementation of an operation scores 100 in the impl phase, a mutant of it
 * less; a scenario's key test scores 100 in the test phase, each reference
 * test more than 0, a test that proves nothing under 50, a test failing on
 * gold 0.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <string.h>

#include "ast/ast_impl_text.h"
#include "ast/ast_test_text.h"
#include "bench/logic_score.h"
#include "json/json_util.h"
#include "util/alloc.h"

static bench_logic *open_project(const char *p)
{
    bench_logic *L = NULL;
    bb_buf err;
    bb_buf_init(&err, 4096);
    if (bench_logic_open(p, &L, &err) != BB_OK)
        fail_msg("%s: %s", p, bb_buf_str(&err));
    bb_buf_free(&err);
    return L;
}

/* todo's gold figures under the sanitizers; tests/e2e/logic_gold.sh checks
 * every project's with the release build (`backbench logic`). */
static void test_gold_figures(void **state)
{
    bench_logic *L = open_project("todo");
    const eng_project *proj = bench_logic_project(L);
    bench_mutation_report m;
    size_t i, k, pass = 0, equiv_listed = 0;
    (void)state;
    for (i = 0; i < bench_logic_n_tests(L); i++) {
        eng_test_result r;
        assert_int_equal(bench_logic_run(L, bench_logic_test(L, i), NULL, &r), BB_OK);
        if (r.outcome != ENG_TEST_PASS)
            fail_msg("todo: %s: %s", bench_logic_test(L, i)->name, r.message);
        pass++;
    }
    for (k = 0; k < proj->impls.n; k++) {
        char key[1200];
        size_t about = 0;
        assert_int_equal(bench_logic_op_key(proj->impls.ops[k], key, sizeof(key)), BB_OK);
        for (i = 0; i < bench_logic_n_tests(L); i++)
            about += strcmp(bench_logic_subject(L, i), key) == 0;
        if (about == 0)
            fail_msg("todo: no acceptance test about %s", key);
    }
    assert_true(bench_logic_n_tests(L) >= 3 * proj->impls.n);
    assert_int_equal(bench_logic_mutants(L, &m), BB_OK);
    print_message("todo: %zu acceptance tests for %zu operations, %zu pass on gold\n", bench_logic_n_tests(L),
                  proj->impls.n, pass);
    print_message("todo: %zu mutants: %zu killed, %zu survived, %zu equivalent, %zu invalid: %.1f%% of the "
                  "non-equivalent killed\n",
                  m.n, m.total[BENCH_MUT_KILLED], m.total[BENCH_MUT_SURVIVED], m.total[BENCH_MUT_EQUIVALENT],
                  m.total[BENCH_MUT_INVALID], bench_mutation_kill_rate(&m));
    for (k = 0; k < ENG_MUT_OPERATOR_COUNT_; k++)
        print_message("  %-14s killed %4zu  survived %3zu  equivalent %3zu  invalid %3zu\n",
                      eng_mut_operator_name((eng_mut_operator)k), m.by_op[k][BENCH_MUT_KILLED],
                      m.by_op[k][BENCH_MUT_SURVIVED], m.by_op[k][BENCH_MUT_EQUIVALENT], m.by_op[k][BENCH_MUT_INVALID]);
    for (i = 0; i < m.n; i++) {
        if (m.rows[i].status == BENCH_MUT_SURVIVED)
            print_message("  survived: %s\n", m.rows[i].name);
        if (m.rows[i].reason) {
            equiv_listed++;
            if (m.rows[i].status != BENCH_MUT_EQUIVALENT)
                fail_msg("todo: listed as equivalent but %s: %s",
                         m.rows[i].status == BENCH_MUT_KILLED ? "killed" : "invalid", m.rows[i].name);
        }
    }
    assert_int_equal(m.stale_equivalents, 0);
    assert_int_equal(equiv_listed, m.total[BENCH_MUT_EQUIVALENT]);
    assert_true(bench_mutation_kill_rate(&m) >= 90.0);
    {
        /* the same analysis on one thread and on three: identical rows (the worker threads only share out mutants) */
        bench_mutation_report m1, m3;
        bench_logic_set_threads(L, 1);
        assert_int_equal(bench_logic_mutants_matching(L, "/user/tags", &m1), BB_OK);
        bench_logic_set_threads(L, 3);
        assert_int_equal(bench_logic_mutants_matching(L, "/user/tags", &m3), BB_OK);
        assert_true(m1.n > 20);
        assert_int_equal(m1.n, m3.n);
        for (i = 0; i < m1.n; i++) {
            assert_string_equal(m1.rows[i].name, m3.rows[i].name);
            assert_int_equal(m1.rows[i].status, m3.rows[i].status);
            assert_int_equal(m1.rows[i].killed_by, m3.rows[i].killed_by);
        }
        bench_mutation_report_free(&m1);
        bench_mutation_report_free(&m3);
    }
    bench_mutation_report_free(&m);
    bench_logic_close(L);
}

static void test_score_impl(void **state)
{
    bench_logic *L = open_project("todo");
    const eng_project *proj = bench_logic_project(L);
    bench_mutation_report m;
    bench_score s;
    size_t k, i, checked = 0;
    (void)state;
    for (k = 0; k < proj->impls.n; k++) {
        char key[1200];
        assert_int_equal(bench_logic_op_key(proj->impls.ops[k], key, sizeof(key)), BB_OK);
        assert_int_equal(bench_logic_score_impl(L, key, proj->impls.ops[k], &s), BB_OK);
        if (s.score != 100.0)
            fail_msg("gold %s scores %.1f: %s", key, s.score, s.detail);
        assert_true(s.total >= 3);
    }
    /* another operation's implementation scores 0 */
    assert_int_equal(bench_logic_score_impl(L, "post /user/lists", proj->impls.ops[0], &s), BB_OK);
    assert_true(s.score == 0.0);
    /* the one-call form, and a killed mutant of post /user/tags scoring less than 100 */
    assert_int_equal(bench_score_impl("todo", "post /user/tags", proj->impls.ops[14], &s), BB_OK);
    assert_true(s.score == 100.0);
    assert_int_equal(bench_logic_mutants_of(L, "post /user/tags", &m), BB_OK);
    for (i = 0; i < m.n; i++) {
        const json_t *doc;
        (void)doc;
        if (m.rows[i].status == BENCH_MUT_KILLED)
            checked++;
    }
    assert_true(checked > 0);
    bench_mutation_report_free(&m);
    {
        /* a hand-written wrong implementation: no 409 on a duplicate name */
        static const char text[] =
            "endpoint post /user/tags\n"
            "plan \"create without the uniqueness check\"\n"
            "return 201 create(todo_tags, data: {todo_user_id: principal.id, name: body.name, color: body.color ?? "
            "null, created_at: now(), updated_at: now()})\n";
        json_t *arr = NULL;
        ast_impl_set set;
        schema_errors errs;
        schema_errors_init(&errs, 10);
        assert_int_equal(ast_impl_text_parse(text, sizeof(text) - 1, &arr, NULL), BB_OK);
        assert_int_equal(ast_impl_set_load(arr, &set, &errs), BB_OK);
        assert_int_equal(bench_logic_score_impl(L, "post /user/tags", set.ops[0], &s), BB_OK);
        print_message("todo post /user/tags without the 409 check: %.1f (%zu of %zu)\n", s.score, s.hits, s.total);
        assert_true(s.score > 0.0 && s.score < 100.0);
        ast_impl_set_free(&set);
        json_decref(arr);
        schema_errors_free(&errs);
    }
    bench_logic_close(L);
}

static ast_test_fn *parse_one(const char *text)
{
    json_t *arr = NULL;
    ast_test_fn *fn = NULL;
    schema_errors errs;
    bb_buf err;
    bb_buf_init(&err, 1024);
    schema_errors_init(&errs, 10);
    if (ast_test_text_parse(text, strlen(text), &arr, &err) != BB_OK)
        fail_msg("%s", bb_buf_str(&err));
    assert_int_equal(ast_test_load(json_array_get(arr, 0), "$input", &fn, &errs), BB_OK);
    json_decref(arr);
    bb_buf_free(&err);
    schema_errors_free(&errs);
    return fn;
}

static void test_score_test(void **state)
{
    bench_logic *L;
    size_t sc, i, gap = 0;
    int weak_key_seen = 0;
    bench_score s;
    ast_test_fn *weak, *broken;
    (void)state;
    L = open_project("todo");
    weak = parse_one("test \"weak\"\ncall post /auth/user/join {email: \"a@b.co\", password: \"secret123\", "
                     "display_name: \"A\"}\ncall post /user/tags {name: \"x\"}\ncall post /user/lists {title: \"x\"}\n");
    broken = parse_one("test \"broken\"\ncall post /auth/user/join {email: \"a@b.co\", password: \"secret123\", "
                       "display_name: \"A\"}\ncall l = post /user/lists {title: \"x\"}\nequal \"t\" l.title, \"y\"\n");
    assert_true(bench_logic_n_scenarios(L) >= 5);
    for (sc = 0; sc < bench_logic_n_scenarios(L); sc++) {
        const char *id = bench_logic_scenario_id(L, sc);
        double sum = 0;
        size_t n_refs = 0;
        /* every reference test exists, passes on gold and kills some of the relevant mutants */
        for (i = 0; bench_logic_scenario_ref(L, sc, i); i++) {
            const char *name = bench_logic_scenario_ref(L, sc, i);
            const ast_test_fn *ref = bench_logic_find_test(L, name);
            if (!ref)
                fail_msg("scenario %s: no gold test %s", id, name);
            assert_int_equal(bench_logic_score_test(L, id, ref, &s), BB_OK);
            if (s.score <= 0.0)
                fail_msg("scenario %s: reference %s scores %.1f: %s", id, name, s.score, s.detail);
            sum += s.score;
            n_refs++;
        }
        assert_true(n_refs >= 1);
        /* the key test proves it all: it kills every relevant mutant and misses none the references kill */
        assert_non_null(bench_logic_scenario_key(L, sc));
        assert_int_equal(bench_logic_score_test(L, id, bench_logic_scenario_key(L, sc), &s), BB_OK);
        if (s.score != 100.0)
            fail_msg("scenario %s: key test scores %.1f: %s", id, s.score, s.detail);
        assert_int_equal(bench_logic_scenario_gap(L, sc, &gap, NULL), BB_OK);
        assert_int_equal(gap, 0);
        if (n_refs >= 3 && !weak_key_seen) {
            /* a weaker key (one reference test of several) is caught by the gap check */
            const ast_test_fn *key = bench_logic_scenario_key(L, sc);
            bb_buf names;
            bb_buf_init(&names, 65536);
            bench_logic_scenario_set_key(L, sc, bench_logic_find_test(L, bench_logic_scenario_ref(L, sc, 0)));
            assert_int_equal(bench_logic_scenario_gap(L, sc, &gap, &names), BB_OK);
            print_message("scenario %-22s with its first reference test as key: %zu mutants missed, e.g. %.80s\n", id,
                          gap, bb_buf_str(&names));
            assert_true(gap > 0 && names.len > 0);
            bb_buf_free(&names);
            bench_logic_scenario_set_key(L, sc, NULL);
            assert_int_equal(bench_logic_scenario_gap(L, sc, &gap, NULL), BB_ERR_INVALID);
            bench_logic_scenario_set_key(L, sc, key);
            weak_key_seen = 1;
        }
        print_message("scenario %-22s reference tests: %zu, mean score %5.1f\n", id, n_refs, sum / (double)n_refs);
        assert_int_equal(bench_logic_score_test(L, id, weak, &s), BB_OK);
        print_message("scenario %-22s a test that checks nothing: %5.1f (%zu of %zu mutants)\n", id, s.score, s.hits,
                      s.total);
        assert_true(s.total > 0 && s.score < 50.0);
        assert_int_equal(bench_logic_score_test(L, id, broken, &s), BB_OK);
        assert_true(s.score == 0.0);
        assert_non_null(strstr(s.detail, "fails on the gold implementation"));
    }
    assert_true(weak_key_seen);
    assert_int_equal(bench_logic_score_test(L, "no-such-scenario", weak, &s), BB_ERR_NOT_FOUND);
    {
        /* bbs: every scenario names existing reference tests that pass on gold */
        bench_logic *B = open_project("bbs");
        assert_true(bench_logic_n_scenarios(B) >= 5);
        for (sc = 0; sc < bench_logic_n_scenarios(B); sc++) {
            assert_non_null(bench_logic_scenario_ref(B, sc, 0));
            for (i = 0; bench_logic_scenario_ref(B, sc, i); i++) {
                const ast_test_fn *ref = bench_logic_find_test(B, bench_logic_scenario_ref(B, sc, i));
                eng_test_result r;
                if (!ref)
                    fail_msg("bbs scenario %s: no test %s", bench_logic_scenario_id(B, sc),
                             bench_logic_scenario_ref(B, sc, i));
                assert_int_equal(bench_logic_run(B, ref, NULL, &r), BB_OK);
                assert_int_equal(r.outcome, ENG_TEST_PASS);
            }
        }
        bench_logic_close(B);
    }
    assert_int_equal(bench_score_test("todo", "todo.tag-names", weak, &s), BB_OK);
    ast_test_free(weak);
    ast_test_free(broken);
    bench_logic_close(L);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_gold_figures),
        cmocka_unit_test(test_score_impl),
        cmocka_unit_test(test_score_test),
    };
    bb_json_init();
    return cmocka_run_group_tests(tests, NULL, NULL);
}
