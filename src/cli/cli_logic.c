/*
 * cli_logic.c — `backbench logic`: the gold figures of a project's logic
 * phases, and the impl/test scores of implementation or test files.
 *
 *   backbench logic --project todo                  acceptance tests on gold, mutation table
 *   backbench logic --project todo --impl FILE      impl score of every operation in FILE
 *   backbench logic --project todo --test FILE --scenario ID
 *                                                   test score of each test in FILE for the scenario
 *
 * FILE is JSON or, when its name ends in .txt, the text form (Impl or Test
 * AST). The lead registers the command (cli.h, cli_commands.c).
 */
#include <stdio.h>
#include <string.h>

#include "ast/ast_impl_text.h"
#include "ast/ast_test_text.h"
#include "bench/logic_score.h"
#include "cli/cli.h"
#include "json/json_util.h"
#include "util/alloc.h"
#include "util/file.h"

static void cl_usage(FILE *f)
{
    fprintf(f, "usage: backbench logic --project NAME [--impl FILE | --test FILE --scenario ID] [--ops TEXT] [--list]\n"
               "\n"
               "Without a file: runs the hidden acceptance tests on the gold implementation and the\n"
               "mutation analysis, prints the gold figures (--list also names every surviving and\n"
               "equivalent mutant) and checks them: every test passes on gold, at least 90%% of the\n"
               "non-equivalent mutants killed, every listed equivalent survives, a test about every\n"
               "operation and three per operation on average, every scenario's key test scores 100;\n"
               "exit status 0 only when all hold.\n"
               "\n"
               "--impl FILE      the impl score of each operation in FILE (Impl ASTs, JSON or .txt text form)\n"
               "--test FILE --scenario ID\n"
               "                 the test score of each test in FILE (Test ASTs, JSON array or .txt) for the\n"
               "                 scenario\n"
               "--ops TEXT       mutation analysis of the operations whose \"METHOD /path\" contains TEXT only\n"
               "                 (faster while writing a suite)\n");
}

static int cl_is_txt(const char *path)
{
    size_t n = strlen(path);
    return n > 4 && strcmp(path + n - 4, ".txt") == 0;
}

/* Reads FILE as JSON, or parses the text form with parse(). */
static bb_result cl_read(const char *path, int is_test, json_t **out)
{
    char *text = NULL;
    size_t len = 0;
    bb_buf err;
    bb_result rc = bb_file_read(path, (size_t)8 << 20, &text, &len);
    *out = NULL;
    if (rc != BB_OK) {
        fprintf(stderr, "backbench logic: %s: %s\n", path, bb_strerror(rc));
        return rc;
    }
    bb_buf_init(&err, 1024);
    if (cl_is_txt(path)) {
        rc = is_test ? ast_test_text_parse(text, len, out, &err) : ast_impl_text_parse(text, len, out, &err);
    } else {
        json_error_t jerr;
        *out = json_loadb(text, len, 0, &jerr);
        rc = *out ? BB_OK : BB_ERR_PARSE;
        if (!*out)
            (void)bb_buf_printf(&err, "line %d: %s", jerr.line, jerr.text);
    }
    if (rc != BB_OK)
        fprintf(stderr, "backbench logic: %s: %s\n", path, bb_buf_str(&err));
    if (rc == BB_OK && is_test && json_is_object(*out)) {
        json_t *arr = json_array();
        json_array_append_new(arr, *out);
        *out = arr;
    }
    bb_buf_free(&err);
    bb_free(text);
    return rc;
}

/* Prints one verdict line; returns 1 when it failed. */
static int cl_verdict(int ok, const char *project, const char *what)
{
    printf("%s %s: %s\n", ok ? "ok    " : "FAILED", project, what);
    return !ok;
}

/* Coverage: at least one test about every operation, three per operation on
 * average. Returns the number of failed verdicts. */
static int cl_gold_coverage(bench_logic *L, const char *project)
{
    const eng_project *proj = bench_logic_project(L);
    size_t k, i, bare = 0, n = bench_logic_n_tests(L);
    char what[1400];
    for (k = 0; k < proj->impls.n; k++) {
        char key[1200];
        size_t about = 0;
        if (bench_logic_op_key(proj->impls.ops[k], key, sizeof(key)) != BB_OK)
            continue;
        for (i = 0; i < n; i++)
            about += strcmp(bench_logic_subject(L, i), key) == 0;
        if (!about) {
            printf("  no acceptance test about %s\n", key);
            bare++;
        }
    }
    snprintf(what, sizeof(what), "%zu of %zu operations have acceptance tests", proj->impls.n - bare, proj->impls.n);
    k = (size_t)cl_verdict(bare == 0, project, what);
    snprintf(what, sizeof(what), "%.2f tests per operation (at least 3)",
             proj->impls.n ? (double)n / (double)proj->impls.n : 0.0);
    return (int)k + cl_verdict(n >= 3 * proj->impls.n, project, what);
}

/* Every scenario names reference tests that exist and has a key test that
 * passes on gold and kills every mutant its reference tests kill. */
static int cl_gold_scenarios(bench_logic *L, const char *project)
{
    size_t i, j, bad = 0, gap = 0, n = bench_logic_n_scenarios(L);
    char what[256];
    bb_buf missed;
    bb_buf_init(&missed, 64 * 1024);
    for (i = 0; i < n; i++) {
        const char *id = bench_logic_scenario_id(L, i);
        const ast_test_fn *key = bench_logic_scenario_key(L, i);
        bench_score s;
        for (j = 0; bench_logic_scenario_ref(L, i, j); j++)
            if (!bench_logic_find_test(L, bench_logic_scenario_ref(L, i, j))) {
                printf("  scenario %s: no acceptance test \"%s\"\n", id, bench_logic_scenario_ref(L, i, j));
                bad++;
            }
        if (!key) {
            printf("  scenario %s: no key test in keys.txt\n", id);
            bad++;
            continue;
        }
        bb_buf_reset(&missed);
        if (bench_logic_score_test(L, id, key, &s) != BB_OK || s.score < 99.95) {
            printf("  scenario %s: key test scores %.1f: %s\n", id, s.score, s.detail);
            bad++;
        } else if (bench_logic_scenario_gap(L, i, &gap, &missed) != BB_OK || gap) {
            printf("  scenario %s: the key test misses %zu mutants its reference tests kill:\n    %s\n", id, gap,
                   bb_buf_str(&missed));
            bad++;
        } else {
            printf("  scenario %-28s key test 100.0 (%s; none of the reference tests' kills missed)\n", id,
                   s.detail);
        }
    }
    bb_buf_free(&missed);
    snprintf(what, sizeof(what), "%zu scenarios, each with reference tests and a key test scoring 100", n);
    return cl_verdict(bad == 0 && n > 0, project, what);
}

/* The gold figures and the thresholds; exit 0 only when all hold. */
static int cl_gold(bench_logic *L, const char *project, const char *filter, int list)
{
    bench_mutation_report m;
    size_t i, pass = 0, k, listed_bad = 0;
    int failed = 0;
    char what[256];
    for (i = 0; i < bench_logic_n_tests(L); i++) {
        eng_test_result r;
        if (bench_logic_run(L, bench_logic_test(L, i), NULL, &r) != BB_OK)
            return CLI_EXIT_FAIL;
        if (r.outcome == ENG_TEST_PASS)
            pass++;
        else
            printf("FAIL %s: %s\n", bench_logic_test(L, i)->name, r.message);
    }
    printf("%s: %zu acceptance tests, %zu pass on the gold implementation\n", project, bench_logic_n_tests(L), pass);
    if (bench_logic_mutants_matching(L, filter, &m) != BB_OK)
        return CLI_EXIT_FAIL;
    if (filter)
        printf("(mutants of the operations matching \"%s\" only)\n", filter);
    printf("%s: %zu mutants: %zu killed, %zu survived, %zu equivalent, %zu invalid: %.1f%% of the non-equivalent "
           "killed\n",
           project, m.n, m.total[BENCH_MUT_KILLED], m.total[BENCH_MUT_SURVIVED], m.total[BENCH_MUT_EQUIVALENT],
           m.total[BENCH_MUT_INVALID], bench_mutation_kill_rate(&m));
    for (k = 0; k < ENG_MUT_OPERATOR_COUNT_; k++)
        printf("  %-14s killed %4zu  survived %3zu  equivalent %3zu  invalid %3zu\n",
               eng_mut_operator_name((eng_mut_operator)k), m.by_op[k][BENCH_MUT_KILLED],
               m.by_op[k][BENCH_MUT_SURVIVED], m.by_op[k][BENCH_MUT_EQUIVALENT], m.by_op[k][BENCH_MUT_INVALID]);
    for (i = 0; i < m.n; i++) {
        if (list && m.rows[i].status == BENCH_MUT_SURVIVED)
            printf("survived   %s\n", m.rows[i].name);
        else if (list && m.rows[i].status == BENCH_MUT_EQUIVALENT)
            printf("equivalent %s: %s\n", m.rows[i].name, m.rows[i].reason ? m.rows[i].reason : "");
        if (m.rows[i].reason && m.rows[i].status != BENCH_MUT_EQUIVALENT) {
            printf("  listed as equivalent but %s: %s\n", m.rows[i].status == BENCH_MUT_KILLED ? "killed" : "invalid",
                   m.rows[i].name);
            listed_bad++;
        }
    }
    snprintf(what, sizeof(what), "%zu of %zu acceptance tests pass on the gold implementation", pass,
             bench_logic_n_tests(L));
    failed += cl_verdict(pass == bench_logic_n_tests(L) && pass > 0, project, what);
    snprintf(what, sizeof(what), "%.1f%% of the non-equivalent mutants killed (at least 90%%)",
             bench_mutation_kill_rate(&m));
    failed += cl_verdict(bench_mutation_kill_rate(&m) >= 90.0, project, what);
    snprintf(what, sizeof(what), "%zu equivalents listed, each surviving; %zu listed names match no mutant",
             m.total[BENCH_MUT_EQUIVALENT] + listed_bad, m.stale_equivalents);
    failed += cl_verdict(listed_bad == 0 && m.stale_equivalents == 0, project, what);
    if (!filter) {
        failed += cl_gold_coverage(L, project);
        failed += cl_gold_scenarios(L, project);
    }
    bench_mutation_report_free(&m);
    return failed ? CLI_EXIT_FAIL : CLI_EXIT_OK;
}

static int cl_impl(bench_logic *L, const char *path)
{
    json_t *doc = NULL;
    ast_impl_set set;
    schema_errors errs;
    size_t i;
    int rc = CLI_EXIT_OK;
    if (cl_read(path, 0, &doc) != BB_OK)
        return CLI_EXIT_FAIL;
    schema_errors_init(&errs, 20);
    if (ast_impl_set_load(doc, &set, &errs) != BB_OK) {
        fprintf(stderr, "backbench logic: %s does not load: %s: %s\n", path, errs.n ? errs.items[0].path : "?",
                errs.n ? errs.items[0].expected : "?");
        rc = CLI_EXIT_FAIL;
    } else {
        for (i = 0; i < set.n; i++) {
            char key[1200];
            bench_score s;
            if (bench_logic_op_key(set.ops[i], key, sizeof(key)) != BB_OK)
                continue;
            if (bench_logic_score_impl(L, key, set.ops[i], &s) != BB_OK)
                printf("%-60s  no score: %s\n", key, s.detail);
            else
                printf("%-60s %6.1f  (%zu of %zu tests)%s%s\n", key, s.score, s.hits, s.total, s.detail[0] ? "  " : "",
                       s.detail);
        }
        ast_impl_set_free(&set);
    }
    schema_errors_free(&errs);
    json_decref(doc);
    return rc;
}

static int cl_test(bench_logic *L, const char *path, const char *scenario)
{
    json_t *doc = NULL;
    ast_test_suite suite;
    schema_errors errs;
    size_t i;
    int rc = CLI_EXIT_OK;
    if (cl_read(path, 1, &doc) != BB_OK)
        return CLI_EXIT_FAIL;
    schema_errors_init(&errs, 20);
    if (ast_test_suite_load(doc, &suite, &errs) != BB_OK) {
        fprintf(stderr, "backbench logic: %s does not load: %s: %s\n", path, errs.n ? errs.items[0].path : "?",
                errs.n ? errs.items[0].expected : "?");
        rc = CLI_EXIT_FAIL;
    } else {
        for (i = 0; i < suite.n; i++) {
            bench_score s;
            schema_errors_clear(&errs);
            if (ast_test_check(suite.fns[i], bench_logic_project(L)->api, &errs) != BB_OK) {
                printf("test %zu: refused by the checks: %s: %s\n", i, errs.n ? errs.items[0].path : "?",
                       errs.n ? errs.items[0].expected : "?");
                continue;
            }
            if (bench_logic_score_test(L, scenario, suite.fns[i], &s) != BB_OK) {
                printf("test %zu: no score: %s\n", i, s.detail);
                rc = CLI_EXIT_FAIL;
            } else {
                printf("test %zu (%s): %.1f  %s\n", i, suite.fns[i]->name ? suite.fns[i]->name : "", s.score,
                       s.detail);
            }
        }
        ast_test_suite_free(&suite);
    }
    schema_errors_free(&errs);
    json_decref(doc);
    return rc;
}

int cli_logic_main(int argc, char **argv)
{
    const char *project = NULL, *impl = NULL, *test = NULL, *scenario = NULL, *ops = NULL;
    int i, list = 0, rc;
    bench_logic *L = NULL;
    bb_buf err;
    if (cli_wants_help(argc, argv)) {
        cl_usage(stdout);
        return CLI_EXIT_OK;
    }
    for (i = 1; i < argc; i++) {
        const char *a = argv[i];
        const char **slot = strcmp(a, "--project") == 0    ? &project
                            : strcmp(a, "--impl") == 0     ? &impl
                            : strcmp(a, "--test") == 0     ? &test
                            : strcmp(a, "--scenario") == 0 ? &scenario
                            : strcmp(a, "--ops") == 0      ? &ops
                                                           : NULL;
        if (strcmp(a, "--list") == 0) {
            list = 1;
        } else if (slot && i + 1 < argc) {
            *slot = argv[++i];
        } else {
            cl_usage(stderr);
            return CLI_EXIT_USAGE;
        }
    }
    if (!project || (test && !scenario) || (impl && test)) {
        cl_usage(stderr);
        return CLI_EXIT_USAGE;
    }
    bb_json_init();
    bb_buf_init(&err, 4096);
    if (bench_logic_open(project, &L, &err) != BB_OK) {
        fprintf(stderr, "backbench logic: %s\n", bb_buf_str(&err));
        bb_buf_free(&err);
        return CLI_EXIT_FAIL;
    }
    bb_buf_free(&err);
    if (impl)
        rc = cl_impl(L, impl);
    else if (test)
        rc = cl_test(L, test, scenario);
    else
        rc = cl_gold(L, project, ops, list);
    bench_logic_close(L);
    return rc;
}
