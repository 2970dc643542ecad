/*
 * test_score.c — the design scorer on the four reference projects.
 *
 * For every project (projects/<name>/, read from the embedded copies):
 *   - the gold designs satisfy their own checklist 100 % and score >= 95;
 *   - perturbations move the score the right way (acceptance of issue 5):
 *     removing a table that a checklist entity matched, removing an operation
 *     that a checklist endpoint matched, and breaking a checklist relation
 *     (dropping its foreign keys) lower the score; renaming tables and columns
 *     to other aliases the checklist allows, operation paths to other allowed
 *     paths, or actors to other actor aliases, leaves it unchanged;
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
#include <math.h>
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

/* ---- JSON mutations of a DB design -------------------------------------------------- */

#define MODELS_MAX 256

/* Every model object of a DB document, in order; returns the count. */
static size_t all_models(json_t *doc, json_t **out)
{
    json_t *files = json_object_get(doc, "files");
    size_t f, m, n = 0;

    for (f = 0; f < json_array_size(files); f++) {
        json_t *models = json_object_get(json_array_get(files, f), "models");

        for (m = 0; m < json_array_size(models) && n < MODELS_MAX; m++)
            out[n++] = json_array_get(models, m);
    }
    return n;
}

static const char *jstr(const json_t *o, const char *k)
{
    return json_string_value(json_object_get(o, k));
}

/* Removes from model m every index that names column col. */
static void drop_indexes_on(json_t *m, const char *col)
{
    static const char *const kinds[] = {"uniqueIndexes", "plainIndexes"};
    size_t k, i, j;
    json_t *gin = json_object_get(m, "ginIndexes");

    for (k = 0; k < 2; k++) {
        json_t *arr = json_object_get(m, kinds[k]);

        for (i = json_array_size(arr); i-- > 0;) {
            json_t *names = json_object_get(json_array_get(arr, i), "fieldNames");

            for (j = 0; j < json_array_size(names); j++)
                if (strcmp(json_string_value(json_array_get(names, j)), col) == 0) {
                    json_array_remove(arr, i);
                    break;
                }
        }
    }
    for (i = json_array_size(gin); i-- > 0;)
        if (strcmp(jstr(json_array_get(gin, i), "fieldName"), col) == 0)
            json_array_remove(gin, i);
}

/* Removes foreign fields of m (all, or only column col) that target `target`. */
static int drop_fks(json_t *m, const char *target, const char *col)
{
    json_t *fks = json_object_get(m, "foreignFields");
    size_t i;
    int n = 0;

    for (i = json_array_size(fks); i-- > 0;) {
        json_t *fk = json_array_get(fks, i);
        char name[128];

        if (target && strcmp(jstr(json_object_get(fk, "relation"), "targetModel"), target) != 0)
            continue;
        if (col && strcmp(jstr(fk, "name"), col) != 0)
            continue;
        snprintf(name, sizeof name, "%s", jstr(fk, "name"));
        json_array_remove(fks, i);
        drop_indexes_on(m, name);
        n++;
    }
    return n;
}

static void remove_table(json_t *doc, const char *table)
{
    json_t *ms[MODELS_MAX];
    size_t fi, mi, n = all_models(doc, ms);

    for (mi = 0; mi < n; mi++)
        drop_fks(ms[mi], table, NULL);
    for (fi = 0; fi < json_array_size(json_object_get(doc, "files")); fi++) {
        json_t *models = json_object_get(json_array_get(json_object_get(doc, "files"), fi), "models");

        for (mi = json_array_size(models); mi-- > 0;)
            if (strcmp(jstr(json_array_get(models, mi), "name"), table) == 0)
                json_array_remove(models, mi);
    }
}

static json_t *find_model(json_t *doc, const char *table)
{
    json_t *ms[MODELS_MAX];
    size_t i, n = all_models(doc, ms);

    for (i = 0; i < n; i++)
        if (strcmp(jstr(ms[i], "name"), table) == 0)
            return ms[i];
    return NULL;
}

static void rename_table(json_t *doc, const char *from, const char *to)
{
    json_t *ms[MODELS_MAX];
    size_t mi, n = all_models(doc, ms);

    for (mi = 0; mi < n; mi++) {
        json_t *m = ms[mi];
        json_t *fks = json_object_get(m, "foreignFields");
        size_t i;

        if (strcmp(jstr(m, "name"), from) == 0)
            json_object_set_new(m, "name", json_string(to));
        for (i = 0; i < json_array_size(fks); i++) {
            json_t *rel = json_object_get(json_array_get(fks, i), "relation");

            if (strcmp(jstr(rel, "targetModel"), from) == 0)
                json_object_set_new(rel, "targetModel", json_string(to));
        }
    }
}

static int has_column(json_t *m, const char *col)
{
    static const char *const kinds[] = {"plainFields", "foreignFields"};
    size_t k, i;

    for (k = 0; k < 2; k++)
        for (i = 0; i < json_array_size(json_object_get(m, kinds[k])); i++)
            if (strcmp(jstr(json_array_get(json_object_get(m, kinds[k]), i), "name"), col) == 0)
                return 1;
    return 0;
}

static void rename_column(json_t *m, const char *from, const char *to)
{
    static const char *const fields[] = {"plainFields", "foreignFields"};
    static const char *const idx[] = {"uniqueIndexes", "plainIndexes"};
    size_t k, i, j;
    json_t *gin = json_object_get(m, "ginIndexes");

    for (k = 0; k < 2; k++)
        for (i = 0; i < json_array_size(json_object_get(m, fields[k])); i++) {
            json_t *f = json_array_get(json_object_get(m, fields[k]), i);

            if (strcmp(jstr(f, "name"), from) == 0)
                json_object_set_new(f, "name", json_string(to));
        }
    for (k = 0; k < 2; k++)
        for (i = 0; i < json_array_size(json_object_get(m, idx[k])); i++) {
            json_t *names = json_object_get(json_array_get(json_object_get(m, idx[k]), i), "fieldNames");

            for (j = 0; j < json_array_size(names); j++)
                if (strcmp(json_string_value(json_array_get(names, j)), from) == 0)
                    json_array_set_new(names, j, json_string(to));
        }
    for (i = 0; i < json_array_size(gin); i++)
        if (strcmp(jstr(json_array_get(gin, i), "fieldName"), from) == 0)
            json_object_set_new(json_array_get(gin, i), "fieldName", json_string(to));
}

/* 1 when the checked design from doc passes the checks. */
static int db_valid(const json_t *doc)
{
    ast_db *db = db_from_json(doc);
    int ok = db && db->checked_ok;

    ast_db_free(db);
    return ok;
}

/* ---- perturbations: DB -------------------------------------------------------------- */

typedef enum pert_kind { PERT_REMOVE_TABLE, PERT_BREAK_RELATION, PERT_RENAME, PERT_KIND_COUNT_ } pert_kind;

static const struct {
    pert_kind kind;
    const char *name;
    int expect; /* -1 down, 0 unchanged */
} db_perturbations[] = {
    {PERT_REMOVE_TABLE, "remove a matched table", -1},
    {PERT_BREAK_RELATION, "drop the foreign keys of a checklist relation", -1},
    {PERT_RENAME, "rename table and columns to other allowed aliases", 0},
};

/* 1 when name (a table or column name) matches some alias of a set other than skip. */
static int alias_taken(const bench_checklist *cl, const char *name, long skip_entity)
{
    bench_name n;
    size_t e;

    if (bench_name_parse(name, &n) != BB_OK)
        return 1;
    for (e = 0; e < cl->n_entities; e++)
        if ((long)e != skip_entity && (bench_cl_aliases_match(&cl->entities[e].aliases, &n, 0) ||
                                       (n.n_words > 1 && bench_cl_aliases_match(&cl->entities[e].aliases, &n, 1))))
            return 1;
    return 0;
}

/* Renames the entity's table (and its attribute columns) to other aliases;
 * 1 when something was renamed into a valid design. */
static int rename_entity(const bench_checklist *cl, json_t *doc, size_t e, const char *table,
                         const bench_score *gold)
{
    const bench_cl_entity *en = &cl->entities[e];
    const char *us = strchr(table, '_');
    char prefix[64], cand[128];
    size_t k, i, renamed = 0;
    json_t *m;

    snprintf(prefix, sizeof prefix, "%.*s", us ? (int)(us - table + 1) : 0, table);
    for (k = 0; k < en->aliases.n; k++) {
        bench_name n, want;
        json_t *trial;

        snprintf(cand, sizeof cand, "%s%ss", prefix, en->aliases.texts[k]);
        if (strcmp(cand, table) == 0 || find_model(doc, cand) || strlen(cand) > 60)
            continue;
        /* the plural must come back to the alias, and no other entity may claim it */
        if (bench_name_parse(cand + strlen(prefix), &n) != BB_OK ||
            bench_name_parse(en->aliases.texts[k], &want) != BB_OK || !bench_name_equal(&n, 0, &want, 0) ||
            alias_taken(cl, cand + strlen(prefix), (long)e))
            continue;
        trial = json_deep_copy(doc);
        rename_table(trial, table, cand);
        if (db_valid(trial)) {
            rename_table(doc, table, cand);
            renamed++;
            json_decref(trial);
            break;
        }
        json_decref(trial);
    }
    if (!renamed)
        return 0;
    m = find_model(doc, cand);
    /* attribute columns the gold matched in this table */
    for (i = 0; i < gold->n_items; i++) {
        const bench_score_item *it = &gold->items[i];
        const char *dot;
        char col[128];
        const bench_cl_attribute *at = NULL;
        size_t a;

        if (it->kind != BENCH_ITEM_ATTRIBUTE || !it->matched)
            continue;
        dot = strchr(it->matched, '.');
        if (!dot || (size_t)(dot - it->matched) != strlen(table) || strncmp(it->matched, table, strlen(table)) != 0)
            continue;
        snprintf(col, sizeof col, "%s", dot + 1);
        for (a = 0; a < en->n_attributes; a++)
            if (strncmp(it->id, en->id, strlen(en->id)) == 0 && it->id[strlen(en->id)] == '.' &&
                strcmp(it->id + strlen(en->id) + 1, en->attributes[a].id) == 0)
                at = &en->attributes[a];
        if (!at || !has_column(m, col))
            continue;
        for (k = 0; k < at->aliases.n; k++) {
            const char *b = at->aliases.texts[k];
            json_t *trial;

            if (strcmp(b, col) == 0 || has_column(m, b) || strstr(b, "pass") || strcmp(b, "email") == 0 ||
                strcmp(b, "username") == 0)
                continue;
            trial = json_deep_copy(doc);
            rename_column(find_model(trial, cand), col, b);
            if (db_valid(trial)) {
                rename_column(m, col, b);
                json_decref(trial);
                break;
            }
            json_decref(trial);
        }
    }
    return 1;
}

static void test_db_perturbations(void **state)
{
    size_t p, k, i;

    (void)state;
    for (p = 0; p < N_PROJECTS; p++) {
        bench_checklist *cl = load_checklist(projects[p]);
        json_t *gold_j = embedded_json(projects[p], "gold/db.json");
        bench_score *gold = NULL;
        double base = score_db_json(cl, gold_j, &gold);

        for (k = 0; k < sizeof db_perturbations / sizeof db_perturbations[0]; k++) {
            size_t tried = 0;

            for (i = 0; i < gold->n_items; i++) {
                const bench_score_item *it = &gold->items[i];
                json_t *doc;
                double after;
                int changed = 0;

                if (db_perturbations[k].kind == PERT_BREAK_RELATION ? it->kind != BENCH_ITEM_RELATION
                                                                     : it->kind != BENCH_ITEM_ENTITY)
                    continue;
                doc = json_deep_copy(gold_j);
                if (db_perturbations[k].kind == PERT_REMOVE_TABLE) {
                    remove_table(doc, it->matched);
                    changed = 1;
                } else if (db_perturbations[k].kind == PERT_BREAK_RELATION) {
                    /* drop the matched foreign key until no foreign key satisfies the relation */
                    bench_score *s = NULL;
                    int round;

                    score_db_json(cl, doc, &s);
                    for (round = 0; round < 10 && s->items[i].matched; round++) {
                        char table[128], col[128];

                        assert_int_equal(sscanf(s->items[i].matched, "%127[^.].%127s", table, col), 2);
                        assert_true(drop_fks(find_model(doc, table), NULL, col) > 0);
                        bench_score_free(s);
                        score_db_json(cl, doc, &s);
                    }
                    assert_null(s->items[i].matched);
                    bench_score_free(s);
                    changed = 1;
                } else {
                    changed = rename_entity(cl, doc, (size_t)bench_cl_entity_find(cl, it->id),
                                            it->matched, gold);
                }
                if (!changed) {
                    json_decref(doc);
                    continue;
                }
                tried++;
                assert_true(db_valid(doc));
                after = score_db_json(cl, doc, NULL);
                if (db_perturbations[k].expect < 0 && !(after < base - 1e-6))
                    fail_msg("%s: %s (%s): %.3f -> %.3f, expected lower", projects[p], db_perturbations[k].name,
                             it->id, base, after);
                if (db_perturbations[k].expect == 0 && fabs(after - base) > 1e-6) {
                    bench_score *s = NULL;

                    score_db_json(cl, doc, &s);
                    print_misses(projects[p], s);
                    bench_score_free(s);
                    fail_msg("%s: %s (%s): %.3f -> %.3f, expected unchanged", projects[p],
                             db_perturbations[k].name, it->id, base, after);
                }
                json_decref(doc);
            }
            print_message("# %s: %s: %zu cases\n", projects[p], db_perturbations[k].name, tried);
            assert_true(tried > 0);
        }
        bench_score_free(gold);
        json_decref(gold_j);
        bench_checklist_free(cl);
    }
}

/* ---- perturbations: API ------------------------------------------------------------- */

/* Removes the operation "method path" and prerequisites that name it. */
static void remove_operation(json_t *doc, const char *method_path)
{
    json_t *ops = json_object_get(doc, "operations");
    char method[16], path[512];
    size_t i, k;

    assert_int_equal(sscanf(method_path, "%15s %511s", method, path), 2);
    for (i = json_array_size(ops); i-- > 0;) {
        json_t *op = json_array_get(ops, i);

        if (strcmp(jstr(op, "method"), method) == 0 && strcmp(jstr(op, "path"), path) == 0)
            json_array_remove(ops, i);
    }
    for (i = 0; i < json_array_size(ops); i++) {
        json_t *pre = json_object_get(json_array_get(ops, i), "prerequisites");

        for (k = json_array_size(pre); k-- > 0;) {
            json_t *ep = json_object_get(json_array_get(pre, k), "endpoint");

            if (strcmp(jstr(ep, "method"), method) == 0 && strcmp(jstr(ep, "path"), path) == 0)
                json_array_remove(pre, k);
        }
    }
}

static void test_api_perturbations(void **state)
{
    size_t p, i;

    (void)state;
    for (p = 0; p < N_PROJECTS; p++) {
        bench_checklist *cl = load_checklist(projects[p]);
        json_t *dbj = embedded_json(projects[p], "gold/db.json");
        json_t *gold_j = embedded_json(projects[p], "gold/api.json");
        ast_db *gold_db = db_from_json(dbj);
        bench_score *gold = NULL;
        double base = score_api_json(cl, gold_j, gold_db, &gold);
        size_t tried = 0;

        for (i = 0; i < gold->n_items; i++) {
            json_t *doc;
            double after;

            if (gold->items[i].kind != BENCH_ITEM_ENDPOINT || !gold->items[i].matched)
                continue;
            doc = json_deep_copy(gold_j);
            remove_operation(doc, gold->items[i].matched);
            {
                /* another allowed path may serve the endpoint too: remove until none does */
                bench_score *s = NULL;
                int round;

                score_api_json(cl, doc, gold_db, &s);
                for (round = 0; round < 10 && s->items[i].matched; round++) {
                    char m[600];

                    snprintf(m, sizeof m, "%s", s->items[i].matched);
                    remove_operation(doc, m);
                    bench_score_free(s);
                    score_api_json(cl, doc, gold_db, &s);
                }
                assert_null(s->items[i].matched);
                bench_score_free(s);
            }
            after = score_api_json(cl, doc, gold_db, NULL);
            if (!(after < base - 1e-6))
                fail_msg("%s: removing %s (%s): %.3f -> %.3f, expected lower", projects[p], gold->items[i].matched,
                         gold->items[i].id, base, after);
            tried++;
            json_decref(doc);
        }
        print_message("# %s: remove a matched operation: %zu cases\n", projects[p], tried);
        assert_true(tried > 0);
        bench_score_free(gold);
        ast_db_free(gold_db);
        json_decref(dbj);
        json_decref(gold_j);
        bench_checklist_free(cl);
    }
}


/* ---- renaming operation paths to other allowed paths --------------------------------- */

#define SEGS_MAX 16

/* Splits "/a/{b}/c" into segments (in buf); returns the count. */
static size_t split_path(const char *path, char *buf, size_t cap, char **segs)
{
    size_t n = 0;
    char *p;

    snprintf(buf, cap, "%s", path);
    p = buf;
    while (*p && n < SEGS_MAX) {
        while (*p == '/')
            *p++ = '\0';
        if (!*p)
            break;
        segs[n++] = p;
        while (*p && *p != '/')
            p++;
    }
    return n;
}

static int is_actor_name(const json_t *doc, const char *seg)
{
    const json_t *auths = json_object_get(json_object_get(doc, "components"), "authorizations"), *a;
    size_t i;

    json_array_foreach(auths, i, a)
        if (strcmp(jstr(a, "name"), seg) == 0)
            return 1;
    return 0;
}

static int plain_word(const char *s)
{
    for (; *s; s++)
        if (!(*s >= 'a' && *s <= 'z'))
            return 0;
    return 1;
}

/* The op with this method and path, or NULL. */
static json_t *find_op(json_t *doc, const char *method, const char *path)
{
    json_t *ops = json_object_get(doc, "operations"), *op;
    size_t i;

    json_array_foreach(ops, i, op)
        if (strcmp(jstr(op, "method"), method) == 0 && strcmp(jstr(op, "path"), path) == 0)
            return op;
    return NULL;
}

/* 1 when the checklist endpoint lists path text t. */
static int endpoint_lists(const bench_cl_endpoint *e, const char *t)
{
    size_t i;

    for (i = 0; i < e->n_paths; i++)
        if (strcmp(e->path_texts[i], t) == 0)
            return 1;
    return 0;
}

/* Renames operation `matched` ("method /path") to another path of endpoint
 * e that every endpoint matched to the same operation allows. 1 when done. */
static int rename_operation(const bench_checklist *cl, const bench_score *gold, json_t *doc, size_t item,
                            const bench_cl_endpoint *e)
{
    const char *matched = gold->items[item].matched;
    char method[16], path[512], obuf[512], cbuf[512], newpath[600];
    char *osegs[SEGS_MAX], *csegs[SEGS_MAX];
    size_t on, skip = 0, c, k, i;
    json_t *op;

    if (sscanf(matched, "%15s %511s", method, path) != 2)
        return 0;
    op = find_op(doc, method, path);
    on = split_path(path, obuf, sizeof obuf, osegs);
    while (skip + 1 < on && osegs[skip + 1][0] != '{' && is_actor_name(doc, osegs[skip]))
        skip++;
    for (c = 0; c < e->n_paths; c++) {
        const char *cand = e->path_texts[c];
        size_t cn = split_path(cand, cbuf, sizeof cbuf, csegs), len;
        int fits = cn == on - skip && cn > 0;

        for (k = 0; fits && k < cn; k++) {
            int param = csegs[k][0] == '{';

            if (param != (osegs[skip + k][0] == '{') || (!param && !plain_word(csegs[k])))
                fits = 0;
        }
        if (!fits)
            continue;
        /* every endpoint served by this operation must allow the new path */
        for (i = 0; fits && i < gold->n_items; i++)
            if (gold->items[i].kind == BENCH_ITEM_ENDPOINT && gold->items[i].matched &&
                strcmp(gold->items[i].matched, matched) == 0)
                for (k = 0; k < cl->n_endpoints; k++)
                    if (strcmp(cl->endpoints[k].id, gold->items[i].id) == 0 && !endpoint_lists(&cl->endpoints[k], cand))
                        fits = 0;
        if (!fits)
            continue;
        len = 0;
        newpath[0] = '\0';
        for (k = 0; k < on; k++) {
            const char *seg = k < skip ? osegs[k] : csegs[k - skip][0] == '{' ? osegs[k] : csegs[k - skip];

            len += (size_t)snprintf(newpath + len, sizeof newpath - len, "/%s", seg);
        }
        if (strcmp(newpath, path) == 0 || find_op(doc, method, newpath))
            continue;
        json_object_set_new(op, "path", json_string(newpath));
        {
            json_t *ops = json_object_get(doc, "operations"), *o;

            json_array_foreach(ops, i, o) {
                json_t *pre = json_object_get(o, "prerequisites"), *pr;

                json_array_foreach(pre, k, pr) {
                    json_t *ep = json_object_get(pr, "endpoint");

                    if (strcmp(jstr(ep, "method"), method) == 0 && strcmp(jstr(ep, "path"), path) == 0)
                        json_object_set_new(ep, "path", json_string(newpath));
                }
            }
        }
        return 1;
    }
    return 0;
}

static void test_api_renames(void **state)
{
    size_t p, i, e;

    (void)state;
    for (p = 0; p < N_PROJECTS; p++) {
        bench_checklist *cl = load_checklist(projects[p]);
        json_t *dbj = embedded_json(projects[p], "gold/db.json");
        json_t *gold_j = embedded_json(projects[p], "gold/api.json");
        ast_db *gold_db = db_from_json(dbj);
        bench_score *gold = NULL;
        double base = score_api_json(cl, gold_j, gold_db, &gold);
        size_t tried = 0;

        for (i = 0; i < gold->n_items; i++) {
            json_t *doc;
            double after;

            if (gold->items[i].kind != BENCH_ITEM_ENDPOINT || !gold->items[i].matched)
                continue;
            for (e = 0; e < cl->n_endpoints && strcmp(cl->endpoints[e].id, gold->items[i].id) != 0; e++)
                ;
            doc = json_deep_copy(gold_j);
            if (rename_operation(cl, gold, doc, i, &cl->endpoints[e])) {
                after = score_api_json(cl, doc, gold_db, NULL);
                if (fabs(after - base) > 1e-6) {
                    bench_score *s = NULL;

                    score_api_json(cl, doc, gold_db, &s);
                    print_misses(projects[p], s);
                    bench_score_free(s);
                    fail_msg("%s: renaming %s (%s): %.3f -> %.3f, expected unchanged", projects[p],
                             gold->items[i].matched, gold->items[i].id, base, after);
                }
                tried++;
            }
            json_decref(doc);
        }
        print_message("# %s: rename an operation's path to another allowed path: %zu cases\n", projects[p], tried);
        assert_true(tried > 0);
        bench_score_free(gold);
        ast_db_free(gold_db);
        json_decref(dbj);
        json_decref(gold_j);
        bench_checklist_free(cl);
    }
}

/* Renames design actor `from` to `to` everywhere: authorizations, operation
 * actors and path segments (also in prerequisites). */
static void rename_actor(json_t *doc, const char *from, const char *to)
{
    json_t *auths = json_object_get(json_object_get(doc, "components"), "authorizations");
    json_t *ops = json_object_get(doc, "operations"), *x, *op;
    size_t i, k;

    json_array_foreach(auths, i, x)
        if (strcmp(jstr(x, "name"), from) == 0)
            json_object_set_new(x, "name", json_string(to));
    json_array_foreach(ops, i, op) {
        json_t *pre = json_object_get(op, "prerequisites"), *pr;
        json_t *targets[65];
        size_t nt = 0, t;

        if (jstr(op, "authorizationActor") && strcmp(jstr(op, "authorizationActor"), from) == 0)
            json_object_set_new(op, "authorizationActor", json_string(to));
        targets[nt++] = op;
        json_array_foreach(pre, k, pr)
            if (nt < 65)
                targets[nt++] = json_object_get(pr, "endpoint");
        for (t = 0; t < nt; t++) {
            char buf[512], out[600];
            char *segs[SEGS_MAX];
            size_t n = split_path(jstr(targets[t], "path"), buf, sizeof buf, segs), len = 0, j;

            out[0] = '\0';
            for (j = 0; j < n; j++)
                len += (size_t)snprintf(out + len, sizeof out - len, "/%s", strcmp(segs[j], from) == 0 ? to : segs[j]);
            json_object_set_new(targets[t], "path", json_string(out));
        }
    }
}

static void test_api_actor_renames(void **state)
{
    size_t p, a, k, tried_all = 0;

    (void)state;
    for (p = 0; p < N_PROJECTS; p++) {
        bench_checklist *cl = load_checklist(projects[p]);
        json_t *dbj = embedded_json(projects[p], "gold/db.json");
        json_t *gold_j = embedded_json(projects[p], "gold/api.json");
        json_t *auths = json_object_get(json_object_get(gold_j, "components"), "authorizations"), *x;
        ast_db *gold_db = db_from_json(dbj);
        double base = score_api_json(cl, gold_j, gold_db, NULL);
        size_t i;

        json_array_foreach(auths, i, x) {
            const char *name = jstr(x, "name");

            for (a = 0; a < cl->n_actors; a++) {
                if (!bench_cl_actor_match(cl, a, name))
                    continue;
                for (k = 0; k < cl->actors[a].aliases.n; k++) {
                    const char *to = cl->actors[a].aliases.texts[k];
                    json_t *doc, *y;
                    size_t j;
                    int clash = !plain_word(to) || strcmp(to, name) == 0;
                    double after;

                    /* the new name must be no other actor's name in the design, and match exactly
                     * the checklist actors the old name matched */
                    json_array_foreach(auths, j, y)
                        clash |= strcmp(jstr(y, "name"), to) == 0;
                    for (j = 0; j < cl->n_actors; j++)
                        clash |= bench_cl_actor_match(cl, j, to) != bench_cl_actor_match(cl, j, name);
                    if (clash)
                        continue;
                    doc = json_deep_copy(gold_j);
                    rename_actor(doc, name, to);
                    after = score_api_json(cl, doc, gold_db, NULL);
                    if (fabs(after - base) > 1e-6)
                        fail_msg("%s: actor %s renamed %s: %.3f -> %.3f, expected unchanged", projects[p], name, to,
                                 base, after);
                    tried_all++;
                    json_decref(doc);
                    break;
                }
            }
        }
        ast_db_free(gold_db);
        json_decref(dbj);
        json_decref(gold_j);
        bench_checklist_free(cl);
    }
    print_message("# actor renamed to another alias: %zu cases\n", tried_all);
    assert_true(tried_all > 0);
}

/* ---- bulk invention ------------------------------------------------------------------ */

static void test_bulk_invention(void **state)
{
    size_t p, k;

    (void)state;
    for (p = 0; p < N_PROJECTS; p++) {
        bench_checklist *cl = load_checklist(projects[p]);
        json_t *dbj = embedded_json(projects[p], "gold/db.json");
        json_t *apij = embedded_json(projects[p], "gold/api.json");
        json_t *db2 = json_deep_copy(dbj), *api2 = json_deep_copy(apij);
        json_t *models = json_object_get(json_array_get(json_object_get(db2, "files"), 0), "models");
        json_t *ops = json_object_get(api2, "operations");
        ast_db *gold_db = db_from_json(dbj);
        double db_gold, db_bulk, api_gold, api_bulk;

        for (k = 0; k < 30; k++) {
            char name[64], path[64];
            json_t *m = json_pack("{s:s, s:s, s:b, s:s, s:{s:s, s:s, s:s}, s:[], s:[{s:s, s:s, s:s, s:b},"
                                  " {s:s, s:s, s:s, s:b}], s:[], s:[], s:[]}",
                                  "name", "", "description", "invented", "material", 0, "stance", "primary",
                                  "primaryField", "name", "id", "type", "uuid", "description", "id", "foreignFields",
                                  "plainFields", "name", "widget_code", "type", "string", "description", "x",
                                  "nullable", 0, "name", "created_at", "type", "datetime", "description", "x",
                                  "nullable", 0, "uniqueIndexes", "plainIndexes", "ginIndexes");

            snprintf(name, sizeof name, "%s_gizmo_%c%c_records", projects[p], 'a' + (int)(k / 26),
                     'a' + (int)(k % 26));
            json_object_set_new(m, "name", json_string(name));
            json_array_append_new(models, m);
            snprintf(path, sizeof path, "/gizmos/g%c%c", 'a' + (int)(k / 26), 'a' + (int)(k % 26));
            json_array_append_new(ops, json_pack("{s:s, s:s, s:s, s:s, s:s, s:[], s:n, s:n, s:n, s:n, s:[]}",
                                                 "specification", "invented", "description", "invented", "path",
                                                 path, "method", "get", "name", "gizmo", "parameters",
                                                 "requestBody", "responseBody", "authorizationType",
                                                 "authorizationActor", "prerequisites"));
        }
        assert_true(db_valid(db2));
        db_gold = score_db_json(cl, dbj, NULL);
        db_bulk = score_db_json(cl, db2, NULL);
        api_gold = score_api_json(cl, apij, gold_db, NULL);
        api_bulk = score_api_json(cl, api2, gold_db, NULL);
        print_message("# %s: gold + 30 tables %.2f (gold %.2f); gold + 30 operations %.2f (gold %.2f)\n",
                      projects[p], db_bulk, db_gold, api_bulk, api_gold);
        assert_true(db_bulk < db_gold);
        assert_true(api_bulk < api_gold);
        ast_db_free(gold_db);
        json_decref(db2);
        json_decref(api2);
        json_decref(dbj);
        json_decref(apij);
        bench_checklist_free(cl);
    }
}

/* ---- invalid designs, allocation failures ---------------------------------------------- */

static void test_invalid_scores_zero(void **state)
{
    bench_checklist *cl = load_checklist("todo");
    json_t *dbj = embedded_json("todo", "gold/db.json");
    json_t *models = json_object_get(json_array_get(json_object_get(dbj, "files"), 0), "models");
    bench_score *s = NULL;

    (void)state;
    /* a duplicate table fails the checks */
    json_array_append_new(models, json_deep_copy(json_array_get(models, 0)));
    assert_false(db_valid(dbj));
    assert_true(score_db_json(cl, dbj, &s) == 0.0);
    assert_false(s->valid);
    bench_score_free(s);
    assert_int_equal(bench_score_db(cl, NULL, NULL, &s), BB_OK);
    assert_true(s->total == 0.0 && !s->valid);
    bench_score_free(s);
    assert_int_equal(bench_score_api(cl, NULL, NULL, NULL, &s), BB_OK);
    assert_true(s->total == 0.0 && !s->valid);
    bench_score_free(s);
    json_decref(dbj);
    bench_checklist_free(cl);
}

static void test_alloc_failures(void **state)
{
    bench_checklist *cl = load_checklist("bbs");
    json_t *dbj = embedded_json("bbs", "gold/db.json");
    json_t *apij = embedded_json("bbs", "gold/api.json");
    ast_db *db = db_from_json(dbj);
    ast_api_doc *api = api_from_json(apij);
    long k;
    int phase;

    (void)state;
    for (phase = 0; phase < 2; phase++) {
        for (k = 0;; k++) {
            bench_score *s = NULL;
            bb_result rc;

            bb_alloc_fail_after(k);
            rc = phase == 0 ? bench_score_db(cl, db, NULL, &s) : bench_score_api(cl, api, db, NULL, &s);
            bb_alloc_fail_after(-1);
            if (rc == BB_OK) {
                assert_true(s->total > 99.99);
                bench_score_free(s);
                print_message("# %s scorer: allocation failures 0..%ld all reported\n", phase ? "api" : "db", k - 1);
                break;
            }
            assert_int_equal(rc, BB_ERR_NOMEM);
            assert_null(s);
            assert_true(k < 100000);
        }
    }
    ast_api_free(api);
    ast_db_free(db);
    json_decref(dbj);
    json_decref(apij);
    bench_checklist_free(cl);
}

static void test_json_breakdown(void **state)
{
    bench_checklist *cl = load_checklist("todo");
    json_t *dbj = embedded_json("todo", "gold/db.json"), *out, *items;
    bench_score *s = NULL;
    bb_buf b;
    json_error_t je;
    size_t i;

    (void)state;
    json_array_remove(json_object_get(json_array_get(json_object_get(dbj, "files"), 0), "models"), 0);
    remove_table(dbj, "todo_users");
    score_db_json(cl, dbj, &s);
    bb_buf_init(&b, 1 << 20);
    assert_int_equal(bench_score_to_json(s, &b), BB_OK);
    out = json_loads(bb_buf_str(&b), 0, &je);
    assert_non_null(out);
    assert_true(json_is_true(json_object_get(out, "valid")));
    assert_true(fabs(json_real_value(json_object_get(out, "total")) - s->total) < 0.01);
    items = json_object_get(out, "items");
    assert_int_equal(json_array_size(items), s->n_items);
    assert_int_equal(json_array_size(json_object_get(out, "rule_results")), s->n_rules);
    for (i = 0; i < s->n_items; i++) {
        json_t *it = json_array_get(items, i);

        assert_string_equal(json_string_value(json_object_get(it, "kind")), bench_item_kind_name(s->items[i].kind));
        assert_int_equal(json_is_null(json_object_get(it, "matched")), s->items[i].matched == NULL);
    }
    json_decref(out);
    bb_buf_free(&b);
    bench_score_free(s);
    json_decref(dbj);
    bench_checklist_free(cl);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_gold_full),          cmocka_unit_test(test_db_perturbations),
        cmocka_unit_test(test_api_perturbations),  cmocka_unit_test(test_api_renames),
        cmocka_unit_test(test_api_actor_renames),
        cmocka_unit_test(test_bulk_invention),
        cmocka_unit_test(test_invalid_scores_zero), cmocka_unit_test(test_alloc_failures),
        cmocka_unit_test(test_json_breakdown),
    };

    bb_json_init();
    return cmocka_run_group_tests(tests, NULL, NULL);
}
