/*
 * logic_score.c — impl/test phase scores and the gold suite's mutation
 * analysis (logic_score.h).
 *
 * Each test run opens a fresh engine on the project's gold DB and API,
 * installs the gold implementations, then the replacement; opening an
 * engine is cheap (the DDL of a few tables on an in-memory database), so a
 * fresh database per test is affordable and keeps tests independent.
 */
#include "bench/logic_score.h"

#include <pthread.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "ast/ast_impl_check.h"
#include "ast/ast_test_text.h"
#include "engine/engine_project.h"
#include "util/alloc.h"
#include "util/file.h"

typedef struct bl_scenario {
    const char *id;
    const char **ops;
    size_t n_ops;
    const char **refs; /* reference gold test names */
    size_t n_refs;
    const ast_test_fn *key; /* the scenario's key test in keys.txt, or NULL */
    ast_impl_op **relevant; /* the relevant mutants, loaded (computed once) */
    size_t n_relevant;
    int relevant_ready;
} bl_scenario;

typedef struct bl_equiv {
    const char *name;
    const char *reason;
    int used;
} bl_equiv;

struct bench_logic {
    eng_project *proj;
    eng_image *image;   /* the gold database, built once */
    eng_engine *engines[BENCH_LOGIC_THREADS_MAX]; /* per worker, opened from image, reset before every run */
    int threads;        /* workers of a batch (bl_batch_run) */
    json_t *impl_doc;   /* the gold implementation file (an array, in proj->impls order) */
    ast_test_suite suite;
    ast_test_suite keys; /* gold/tests/keys.txt: one key test per scenario (may be empty) */
    char **subjects;    /* per test: "post /user/lists" or "" */
    json_t *scen_doc;
    bl_scenario *scen;
    size_t n_scen;
    json_t *equiv_doc;
    bl_equiv *equiv;
    size_t n_equiv;
    int *expected;      /* per API operation: the status the gold implementation returns on success */
    signed char *gold_pass; /* per test: 1 passes on gold, 0 fails, -1 not run yet */
};

static long bl_test_index(const bench_logic *L, const char *name);

bb_result bench_logic_op_key(const ast_impl_op *op, char *out, size_t cap)
{
    int n = snprintf(out, cap, "%s %s", ast_impl_method_name(op->method), op->path ? op->path : "");
    return n < 0 || (size_t)n >= cap ? BB_ERR_LIMIT : BB_OK;
}

static int bl_exercises_block(const ast_test_block *b, const char *key);

static int bl_exercises_expr(const ast_test_expr *e, const char *key)
{
    size_t i;
    if (!e)
        return 0;
    if (e->kind == AST_TEST_E_ARROW)
        return bl_exercises_block(&e->body, key);
    if (bl_exercises_expr(e->a, key) || bl_exercises_expr(e->b2, key) || bl_exercises_expr(e->c, key))
        return 1;
    for (i = 0; i < e->n_items; i++)
        if (bl_exercises_expr(e->items[i], key))
            return 1;
    return 0;
}

static int bl_exercises_block(const ast_test_block *b, const char *key)
{
    size_t i, k;
    char mine[1200];
    for (i = 0; i < b->n; i++) {
        const ast_test_stmt *s = b->items[i];
        if (!s)
            continue;
        if (s->kind == AST_TEST_S_API && s->endpoint) {
            snprintf(mine, sizeof(mine), "%s %s", ast_test_method_name(s->method), s->endpoint);
            if (strcmp(mine, key) == 0)
                return 1;
            for (k = 0; k < s->n_params; k++)
                if (bl_exercises_expr(s->param_values[k], key))
                    return 1;
        }
        if (bl_exercises_expr(s->value, key) || bl_exercises_block(&s->then_block, key) ||
            bl_exercises_block(&s->else_block, key))
            return 1;
    }
    return 0;
}

int bench_logic_exercises(const ast_test_fn *t, const char *op_key)
{
    return bl_exercises_block(&t->statements, op_key);
}

/* The length of a test name's prefix before ':' ("post /user/lists" of
 * "post /user/lists: ..."), 0 when it has none. */
static size_t bl_name_prefix(const char *name)
{
    const char *colon = strchr(name, ':');
    return colon ? (size_t)(colon - name) : 0;
}

/* Parses and checks the tests of path into *suite. A missing file is an
 * error when required, else an empty suite. */
static bb_result bl_load_tests(bench_logic *L, const char *path, int required, ast_test_suite *suite,
                               bb_buf *errmsg)
{
    char *text = NULL;
    size_t len = 0, i = 0;
    json_t *doc = NULL;
    bb_buf err;
    schema_errors errs;
    bb_result rc;
    bb_buf_init(&err, 1024);
    schema_errors_init(&errs, 20);
    rc = bb_data_read(path, BENCH_LOGIC_FILE_MAX, &text, &len);
    if (rc == BB_ERR_NOT_FOUND && !required) {
        rc = BB_OK;
        doc = json_array();
        if (!doc)
            rc = BB_ERR_NOMEM;
    } else if (rc != BB_OK) {
        if (errmsg)
            (void)bb_buf_printf(errmsg, "%s: %s", path, bb_strerror(rc));
    } else {
        rc = ast_test_text_parse(text, len, &doc, &err);
        if (rc != BB_OK && errmsg)
            (void)bb_buf_printf(errmsg, "%s: %s", path, bb_buf_str(&err));
    }
    if (rc == BB_OK)
        rc = ast_test_suite_load(doc, suite, &errs);
    for (i = 0; rc == BB_OK && i < suite->n; i++)
        rc = ast_test_check(suite->fns[i], L->proj->api, &errs);
    if (rc != BB_OK && errmsg && errs.n)
        (void)bb_buf_printf(errmsg, "%s: test %zu: %s: %s (%s)", path, i ? i - 1 : 0, errs.items[0].path,
                            errs.items[0].expected, errs.items[0].message ? errs.items[0].message : "");
    json_decref(doc);
    bb_free(text);
    bb_buf_free(&err);
    schema_errors_free(&errs);
    return rc;
}

static bb_result bl_load_suite(bench_logic *L, const char *name, bb_buf *errmsg)
{
    char path[256];
    size_t i;
    bb_result rc;
    snprintf(path, sizeof(path), "projects/%s/gold/tests/acceptance.txt", name);
    rc = bl_load_tests(L, path, 1, &L->suite, errmsg);
    if (rc != BB_OK)
        return rc;
    snprintf(path, sizeof(path), "projects/%s/gold/tests/keys.txt", name);
    rc = bl_load_tests(L, path, 0, &L->keys, errmsg);
    if (rc != BB_OK)
        return rc;
    L->subjects = bb_calloc(L->suite.n + 1, sizeof(char *));
    L->gold_pass = bb_malloc(L->suite.n + 1);
    if (!L->subjects || !L->gold_pass)
        return BB_ERR_NOMEM;
    memset(L->gold_pass, -1, L->suite.n + 1);
    for (i = 0; i < L->suite.n; i++) {
        const char *nm = L->suite.fns[i]->name ? L->suite.fns[i]->name : "";
        size_t n = bl_name_prefix(nm);
        L->subjects[i] = bb_malloc(n + 1);
        if (!L->subjects[i])
            return BB_ERR_NOMEM;
        memcpy(L->subjects[i], nm, n);
        L->subjects[i][n] = 0;
    }
    return BB_OK;
}

static const char **bl_strings(const json_t *arr, size_t *n)
{
    const char **out;
    size_t i;
    *n = 0;
    out = bb_calloc(json_array_size(arr) + 1, sizeof(char *));
    if (!out)
        return NULL;
    for (i = 0; i < json_array_size(arr); i++)
        if (json_is_string(json_array_get(arr, i)))
            out[(*n)++] = json_string_value(json_array_get(arr, i));
    return out;
}

static bb_result bl_load_meta(bench_logic *L, const char *name, bb_buf *errmsg)
{
    char path[256];
    const json_t *arr;
    size_t i;
    bb_result rc;
    snprintf(path, sizeof(path), "projects/%s/scenarios.json", name);
    rc = eng_project_read_json(path, &L->scen_doc, errmsg);
    if (rc != BB_OK)
        return rc;
    arr = json_object_get(L->scen_doc, "scenarios");
    if (!json_is_array(arr) || json_array_size(arr) > BENCH_LOGIC_MAX_SCENARIOS) {
        if (errmsg)
            (void)bb_buf_printf(errmsg, "%s: no scenarios array", path);
        return BB_ERR_INVALID;
    }
    L->scen = bb_calloc(json_array_size(arr) + 1, sizeof(*L->scen));
    if (!L->scen)
        return BB_ERR_NOMEM;
    for (i = 0; i < json_array_size(arr); i++) {
        const json_t *s = json_array_get(arr, i);
        bl_scenario *sc = &L->scen[L->n_scen++];
        sc->id = json_string_value(json_object_get(s, "id"));
        sc->ops = bl_strings(json_object_get(s, "operations"), &sc->n_ops);
        sc->refs = bl_strings(json_object_get(s, "reference_tests"), &sc->n_refs);
        if (!sc->id || !sc->ops || !sc->refs)
            return sc->id ? BB_ERR_NOMEM : BB_ERR_INVALID;
    }
    snprintf(path, sizeof(path), "projects/%s/gold/tests/equivalent.json", name);
    rc = eng_project_read_json(path, &L->equiv_doc, errmsg);
    if (rc != BB_OK)
        return rc;
    arr = json_object_get(L->equiv_doc, "equivalent");
    L->equiv = bb_calloc(json_array_size(arr) + 1, sizeof(*L->equiv));
    if (!L->equiv)
        return BB_ERR_NOMEM;
    for (i = 0; i < json_array_size(arr); i++) {
        const json_t *e = json_array_get(arr, i);
        const char *nm = json_string_value(json_object_get(e, "mutant"));
        const char *why = json_string_value(json_object_get(e, "reason"));
        if (!nm || !why || !*why) {
            if (errmsg)
                (void)bb_buf_printf(errmsg, "%s: entry %zu needs mutant and reason", path, i);
            return BB_ERR_INVALID;
        }
        L->equiv[L->n_equiv].name = nm;
        L->equiv[L->n_equiv].reason = why;
        L->n_equiv++;
    }
    return BB_OK;
}

/* Gives each scenario its key test: the test of keys.txt named "<id>: ...".
 * A key test that names no scenario, or a second key of one, is an error. */
static bb_result bl_match_keys(bench_logic *L, const char *name, bb_buf *errmsg)
{
    size_t k, i;
    for (k = 0; k < L->keys.n; k++) {
        const char *nm = L->keys.fns[k]->name ? L->keys.fns[k]->name : "";
        size_t n = bl_name_prefix(nm);
        bl_scenario *hit = NULL;
        for (i = 0; i < L->n_scen && n; i++)
            if (strlen(L->scen[i].id) == n && strncmp(L->scen[i].id, nm, n) == 0)
                hit = &L->scen[i];
        if (!hit || hit->key) {
            if (errmsg)
                (void)bb_buf_printf(errmsg, "projects/%s/gold/tests/keys.txt: test %zu \"%s\": %s", name, k, nm,
                                    hit ? "a second key test of this scenario"
                                        : "names no scenario (expected \"<scenario id>: title\")");
            return BB_ERR_INVALID;
        }
        hit->key = L->keys.fns[k];
    }
    return BB_OK;
}

/* The first success status a block returns (depth-first), or 0. */
static int bl_first_return(const ast_impl_block *b)
{
    size_t i;
    int st;
    for (i = 0; i < b->n; i++) {
        const ast_impl_stmt *s = b->items[i];
        if (s->kind == AST_IMPL_S_RETURN)
            return s->status;
        st = bl_first_return(&s->then_block);
        if (!st)
            st = bl_first_return(&s->else_block);
        if (!st)
            st = bl_first_return(&s->body);
        if (st)
            return st;
    }
    return 0;
}

static bb_result bl_expected_statuses(bench_logic *L)
{
    size_t i;
    const ast_api_doc *api = L->proj->api;
    L->expected = bb_calloc(api->n_operations + 1, sizeof(int));
    if (!L->expected)
        return BB_ERR_NOMEM;
    for (i = 0; i < L->proj->impls.n; i++) {
        const ast_api_operation *op = ast_impl_find_operation(api, L->proj->impls.ops[i]);
        if (op)
            L->expected[op - api->operations] = bl_first_return(&L->proj->impls.ops[i]->statements);
    }
    return BB_OK;
}

bb_result bench_logic_open(const char *project, bench_logic **out, bb_buf *errmsg)
{
    bench_logic *L;
    char path[256];
    bb_result rc;
    eng_params params = eng_default_params();
    *out = NULL;
    L = bb_calloc(1, sizeof(*L));
    if (!L)
        return BB_ERR_NOMEM;
    params.seed = BENCH_LOGIC_SEED;
    eng_sqlite_setup();
    {
        long cpus = sysconf(_SC_NPROCESSORS_ONLN);
        bench_logic_set_threads(L, cpus > 0 ? (int)cpus : 1);
    }
    rc = eng_project_open(project, NULL, &params, &L->proj, errmsg, NULL);
    if (rc != BB_OK)
        goto out;
    snprintf(path, sizeof(path), "projects/%s/gold/impl.json", project);
    rc = eng_project_read_json(path, &L->impl_doc, errmsg);
    if (rc == BB_OK && (!json_is_array(L->impl_doc) || json_array_size(L->impl_doc) != L->proj->impls.n)) {
        if (errmsg)
            (void)bb_buf_printf(errmsg, "%s: not an array of operations", path);
        rc = BB_ERR_INVALID;
    }
    if (rc == BB_OK)
        rc = eng_image_build(L->proj->db, &L->image, errmsg);
    if (rc == BB_OK)
        rc = bl_expected_statuses(L);
    if (rc == BB_OK)
        rc = bl_load_suite(L, project, errmsg);
    if (rc == BB_OK)
        rc = bl_load_meta(L, project, errmsg);
    if (rc == BB_OK)
        rc = bl_match_keys(L, project, errmsg);
out:
    if (rc != BB_OK) {
        bench_logic_close(L);
        return rc;
    }
    *out = L;
    return BB_OK;
}

void bench_logic_close(bench_logic *L)
{
    size_t i;
    if (!L)
        return;
    for (i = 0; L->subjects && i < L->suite.n; i++)
        bb_free(L->subjects[i]);
    bb_free(L->subjects);
    ast_test_suite_free(&L->suite);
    ast_test_suite_free(&L->keys);
    for (i = 0; i < BENCH_LOGIC_THREADS_MAX; i++)
        eng_close(L->engines[i]);
    eng_image_free(L->image);
    for (i = 0; i < L->n_scen; i++) {
        size_t m;
        bb_free(L->scen[i].ops);
        bb_free(L->scen[i].refs);
        for (m = 0; m < L->scen[i].n_relevant; m++)
            ast_impl_free(L->scen[i].relevant[m]);
        bb_free(L->scen[i].relevant);
    }
    bb_free(L->scen);
    bb_free(L->equiv);
    bb_free(L->expected);
    bb_free(L->gold_pass);
    json_decref(L->scen_doc);
    json_decref(L->equiv_doc);
    json_decref(L->impl_doc);
    eng_project_close(L->proj);
    bb_free(L);
}

const eng_project *bench_logic_project(const bench_logic *L) { return L->proj; }
size_t bench_logic_n_tests(const bench_logic *L) { return L->suite.n; }
const ast_test_fn *bench_logic_test(const bench_logic *L, size_t i) { return i < L->suite.n ? L->suite.fns[i] : NULL; }
size_t bench_logic_n_scenarios(const bench_logic *L) { return L->n_scen; }
const char *bench_logic_scenario_id(const bench_logic *L, size_t i) { return i < L->n_scen ? L->scen[i].id : NULL; }
const char *bench_logic_scenario_ref(const bench_logic *L, size_t i, size_t j)
{
    return i < L->n_scen && j < L->scen[i].n_refs ? L->scen[i].refs[j] : NULL;
}

const ast_test_fn *bench_logic_scenario_key(const bench_logic *L, size_t i)
{
    return i < L->n_scen ? L->scen[i].key : NULL;
}

const ast_test_fn *bench_logic_find_test(const bench_logic *L, const char *name)
{
    size_t i;
    for (i = 0; i < L->suite.n; i++)
        if (L->suite.fns[i]->name && strcmp(L->suite.fns[i]->name, name) == 0)
            return L->suite.fns[i];
    return NULL;
}

const char *bench_logic_subject(const bench_logic *L, size_t i) { return i < L->suite.n ? L->subjects[i] : ""; }

/* Runs t on the engine in *slot (opened on first use, reset before every
 * run: a fresh database as far as any request can tell, with the prepared
 * statements kept) with the gold implementation, replace installed over it. */
static bb_result bl_run_on(bench_logic *L, eng_engine **slot, const ast_test_fn *t, const ast_impl_op *replace,
                           eng_test_result *out)
{
    eng_params params = eng_default_params();
    size_t i;
    bb_result rc;
    memset(out, 0, sizeof(*out));
    params.seed = BENCH_LOGIC_SEED;
    rc = *slot ? eng_reset(*slot) : eng_open_image(L->image, L->proj->db, L->proj->api, &params, slot, NULL);
    for (i = 0; i < L->proj->impls.n && rc == BB_OK; i++)
        rc = eng_set_impl(*slot, L->proj->impls.ops[i]);
    if (rc == BB_OK && replace)
        rc = eng_set_impl(*slot, replace);
    if (rc == BB_OK)
        rc = eng_test_run(*slot, L->proj->api, t, BENCH_LOGIC_SEED, L->expected, out);
    if (rc != BB_OK) { /* never reuse an engine in an unknown state */
        eng_close(*slot);
        *slot = NULL;
    }
    return rc;
}

bb_result bench_logic_run(bench_logic *L, const ast_test_fn *t, const ast_impl_op *replace, eng_test_result *out)
{
    return bl_run_on(L, &L->engines[0], t, replace, out);
}

/* ---- batches: many mutants, each against a short list of tests ------------
 *
 * The expensive loops (mutation analysis, relevant mutants, a model test
 * against them) run each mutant independently, so a batch spreads them over
 * worker threads, each with its own engine (the database image is shared and
 * immutable); results land in per-mutant slots, so they do not depend on the
 * number of threads. */

typedef struct bl_batch {
    bench_logic *L;
    const ast_test_fn *const *tests; /* tried in order until one fails: the first kill */
    size_t n_tests;
    ast_impl_op *const *mops;        /* NULL entries are skipped */
    size_t n;
    long *killed_by;                 /* out: per mutant, the index in tests of the kill, or -1 */
    size_t next;
    bb_result rc;
    pthread_mutex_t lock;
} bl_batch;

typedef struct bl_worker {
    bl_batch *b;
    int slot;
} bl_worker;

static void *bl_work(void *arg)
{
    bl_worker *w = arg;
    bl_batch *b = w->b;
    for (;;) {
        size_t i, t;
        bb_result rc = BB_OK;
        pthread_mutex_lock(&b->lock);
        i = b->rc == BB_OK ? b->next++ : b->n;
        pthread_mutex_unlock(&b->lock);
        if (i >= b->n)
            break;
        b->killed_by[i] = -1;
        for (t = 0; b->mops[i] && t < b->n_tests && rc == BB_OK && b->killed_by[i] < 0; t++) {
            eng_test_result r;
            rc = bl_run_on(b->L, &b->L->engines[w->slot], b->tests[t], b->mops[i], &r);
            if (rc == BB_OK && r.outcome != ENG_TEST_PASS)
                b->killed_by[i] = (long)t;
        }
        if (rc != BB_OK) {
            pthread_mutex_lock(&b->lock);
            b->rc = rc;
            pthread_mutex_unlock(&b->lock);
        }
    }
    return NULL;
}

/* killed_by[i] for each of mops (n entries): see bl_batch. */
static bb_result bl_batch_run(bench_logic *L, const ast_test_fn *const *tests, size_t n_tests,
                              ast_impl_op *const *mops, size_t n, long *killed_by)
{
    bl_batch b;
    bl_worker w[BENCH_LOGIC_THREADS_MAX];
    pthread_t th[BENCH_LOGIC_THREADS_MAX];
    int k, started = 0, want = L->threads;
    memset(&b, 0, sizeof(b));
    b.L = L;
    b.tests = tests;
    b.n_tests = n_tests;
    b.mops = mops;
    b.n = n;
    b.killed_by = killed_by;
    b.rc = BB_OK;
    if ((size_t)want > n)
        want = n ? (int)n : 1;
    pthread_mutex_init(&b.lock, NULL);
    for (k = 0; k < want; k++) {
        w[k].b = &b;
        w[k].slot = k;
    }
    for (k = 1; k < want; k++) /* worker 0 is this thread */
        if (pthread_create(&th[k], NULL, bl_work, &w[k]) == 0)
            started = k;
        else
            break;
    (void)bl_work(&w[0]);
    for (k = 1; k <= started; k++)
        pthread_join(th[k], NULL);
    pthread_mutex_destroy(&b.lock);
    return b.rc;
}

void bench_logic_set_threads(bench_logic *L, int n)
{
    L->threads = n < 1 ? 1 : n > BENCH_LOGIC_THREADS_MAX ? BENCH_LOGIC_THREADS_MAX : n;
}

bb_result bench_logic_score_impl(bench_logic *L, const char *op_key, const ast_impl_op *model_impl, bench_score *out)
{
    char key[1200];
    size_t i;
    bb_result rc = BB_OK;
    memset(out, 0, sizeof(*out));
    for (i = 0; i < L->suite.n; i++)
        out->total += strcmp(L->subjects[i], op_key) == 0;
    if (out->total == 0) {
        snprintf(out->detail, sizeof(out->detail), "no acceptance test is about %s", op_key);
        return BB_ERR_NOT_FOUND;
    }
    if (!model_impl || bench_logic_op_key(model_impl, key, sizeof(key)) != BB_OK || strcmp(key, op_key) != 0) {
        snprintf(out->detail, sizeof(out->detail), "the implementation is not for %s", op_key);
        return BB_OK;
    }
    for (i = 0; i < L->suite.n && rc == BB_OK; i++) {
        eng_test_result r;
        if (strcmp(L->subjects[i], op_key) != 0)
            continue;
        rc = bench_logic_run(L, L->suite.fns[i], model_impl, &r);
        if (rc == BB_ERR_NOT_FOUND) {
            rc = BB_OK;
            break;
        }
        if (rc == BB_OK && r.outcome == ENG_TEST_PASS)
            out->hits++;
        else if (rc == BB_OK && !out->detail[0])
            snprintf(out->detail, sizeof(out->detail), "first failure: %.120s: %.110s", L->suite.fns[i]->name,
                     r.message);
    }
    out->score = 100.0 * (double)out->hits / (double)out->total;
    return rc;
}

/* 1 when gold test t passes on the gold implementation (cached). */
static bb_result bl_gold_passes(bench_logic *L, size_t t, int *passes)
{
    if (L->gold_pass[t] < 0) {
        eng_test_result r;
        bb_result rc = bench_logic_run(L, L->suite.fns[t], NULL, &r);
        if (rc != BB_OK)
            return rc;
        L->gold_pass[t] = r.outcome == ENG_TEST_PASS;
    }
    *passes = L->gold_pass[t];
    return BB_OK;
}

static const bl_equiv *bl_find_equiv(bench_logic *L, const char *name)
{
    size_t i;
    for (i = 0; i < L->n_equiv; i++)
        if (strcmp(L->equiv[i].name, name) == 0) {
            L->equiv[i].used = 1;
            return &L->equiv[i];
        }
    return NULL;
}

/* The acceptance tests that exercise op_key and pass on gold (the tests a
 * mutant of it is run against), in suite order, and their suite indexes.
 * *out and *idx: bb_free. */
static bb_result bl_tests_of(bench_logic *L, const char *op_key, const ast_test_fn ***out, size_t **idx, size_t *n)
{
    size_t t;
    bb_result rc = BB_OK;
    *n = 0;
    *out = bb_calloc(L->suite.n + 1, sizeof(**out));
    *idx = bb_calloc(L->suite.n + 1, sizeof(**idx));
    if (!*out || !*idx)
        return BB_ERR_NOMEM;
    for (t = 0; t < L->suite.n && rc == BB_OK; t++) {
        int ok = 0;
        if (!bench_logic_exercises(L->suite.fns[t], op_key))
            continue;
        rc = bl_gold_passes(L, t, &ok);
        if (rc == BB_OK && ok) {
            (*idx)[*n] = t;
            (*out)[(*n)++] = L->suite.fns[t];
        }
    }
    return rc;
}

/* Loads mutant m of list (NULL when the loader or the checks refuse it:
 * an invalid mutant). */
static bb_result bl_load_mutant(bench_logic *L, const json_t *doc, const eng_mutant *mu, ast_impl_op **out)
{
    json_t *mdoc = NULL;
    schema_errors errs;
    bb_result rc;
    *out = NULL;
    schema_errors_init(&errs, 4);
    rc = eng_mutate_apply(doc, mu, &mdoc);
    if (rc == BB_OK) {
        rc = ast_impl_load(mdoc, "$input", out, &errs);
        if (rc == BB_OK && ast_impl_check(*out, L->proj->db, L->proj->api, &errs) != BB_OK) {
            ast_impl_free(*out);
            *out = NULL;
        }
        if (rc == BB_ERR_INVALID)
            rc = BB_OK;
    }
    schema_errors_free(&errs);
    json_decref(mdoc);
    return rc;
}

/* Mutants of the gold operation k, each run (in a batch) against the tests
 * that exercise the operation until the first kill; rows appended to out. */
static bb_result bl_mutants_of_op(bench_logic *L, size_t k, bench_mutation_report *out)
{
    const json_t *doc = json_array_get(L->impl_doc, k);
    char key[1200];
    eng_mutant_list list;
    const ast_test_fn **tests = NULL;
    size_t *test_idx = NULL;
    ast_impl_op **mops = NULL;
    long *killed_by = NULL;
    size_t m, n_tests = 0;
    bb_result rc;
    bench_mutant_row *grown;
    if (bench_logic_op_key(L->proj->impls.ops[k], key, sizeof(key)) != BB_OK)
        return BB_ERR_LIMIT;
    rc = eng_mutate_list(doc, key, &list);
    if (rc != BB_OK)
        return rc;
    grown = bb_realloc(out->rows, (out->n + list.n + 1) * sizeof(*out->rows));
    mops = bb_calloc(list.n + 1, sizeof(*mops));
    killed_by = bb_calloc(list.n + 1, sizeof(*killed_by));
    if (grown)
        out->rows = grown;
    rc = grown && mops && killed_by ? bl_tests_of(L, key, &tests, &test_idx, &n_tests) : BB_ERR_NOMEM;
    for (m = 0; m < list.n && rc == BB_OK; m++)
        rc = bl_load_mutant(L, doc, &list.items[m], &mops[m]);
    if (rc == BB_OK)
        rc = bl_batch_run(L, tests, n_tests, mops, list.n, killed_by);
    for (m = 0; m < list.n && rc == BB_OK; m++) {
        bench_mutant_row *row = &out->rows[out->n++];
        const bl_equiv *eq = bl_find_equiv(L, list.items[m].name);
        memset(row, 0, sizeof(*row));
        snprintf(row->name, sizeof(row->name), "%s", list.items[m].name);
        row->op = list.items[m].op;
        row->op_index = k;
        row->killed_by = -1;
        if (!mops[m]) {
            row->status = BENCH_MUT_INVALID;
        } else if (killed_by[m] >= 0) {
            row->status = BENCH_MUT_KILLED;
            row->killed_by = (long)test_idx[killed_by[m]];
        } else {
            row->status = eq ? BENCH_MUT_EQUIVALENT : BENCH_MUT_SURVIVED;
        }
        if (eq)
            row->reason = eq->reason;
        out->by_op[row->op][row->status]++;
        out->total[row->status]++;
    }
    for (m = 0; mops && m < list.n; m++)
        ast_impl_free(mops[m]);
    bb_free(mops);
    bb_free(killed_by);
    bb_free(tests);
    bb_free(test_idx);
    eng_mutant_list_free(&list);
    return rc;
}

bb_result bench_logic_mutants_matching(bench_logic *L, const char *filter, bench_mutation_report *out)
{
    size_t k, i;
    char key[1200];
    bb_result rc = BB_OK;
    memset(out, 0, sizeof(*out));
    for (i = 0; i < L->n_equiv; i++)
        L->equiv[i].used = 0;
    for (k = 0; k < L->proj->impls.n && rc == BB_OK; k++) {
        if (filter && (bench_logic_op_key(L->proj->impls.ops[k], key, sizeof(key)) != BB_OK || !strstr(key, filter)))
            continue;
        rc = bl_mutants_of_op(L, k, out);
    }
    for (i = 0; i < L->n_equiv && !filter; i++)
        out->stale_equivalents += !L->equiv[i].used;
    if (rc != BB_OK)
        bench_mutation_report_free(out);
    return rc;
}

bb_result bench_logic_mutants(bench_logic *L, bench_mutation_report *out)
{
    return bench_logic_mutants_matching(L, NULL, out);
}

bb_result bench_logic_mutants_of(bench_logic *L, const char *op_key, bench_mutation_report *out)
{
    size_t k;
    char key[1200];
    memset(out, 0, sizeof(*out));
    for (k = 0; k < L->proj->impls.n; k++)
        if (bench_logic_op_key(L->proj->impls.ops[k], key, sizeof(key)) == BB_OK && strcmp(key, op_key) == 0)
            return bl_mutants_of_op(L, k, out);
    return BB_ERR_NOT_FOUND;
}

void bench_mutation_report_free(bench_mutation_report *r)
{
    if (!r)
        return;
    bb_free(r->rows);
    memset(r, 0, sizeof(*r));
}

double bench_mutation_kill_rate(const bench_mutation_report *r)
{
    size_t k = r->total[BENCH_MUT_KILLED], s = r->total[BENCH_MUT_SURVIVED];
    return k + s ? 100.0 * (double)k / (double)(k + s) : 100.0;
}

static long bl_test_index(const bench_logic *L, const char *name)
{
    size_t i;
    for (i = 0; i < L->suite.n; i++)
        if (L->suite.fns[i]->name && strcmp(L->suite.fns[i]->name, name) == 0)
            return (long)i;
    return -1;
}

/* 1 when the scenario's key test exists and passes on gold. */
static bb_result bl_key_usable(bench_logic *L, bl_scenario *sc, int *usable)
{
    eng_test_result r;
    bb_result rc = BB_OK;
    *usable = 0;
    if (sc->key) {
        rc = bench_logic_run(L, sc->key, NULL, &r);
        *usable = rc == BB_OK && r.outcome == ENG_TEST_PASS;
    }
    return rc;
}

/* The valid, non-equivalent mutants of the scenario's operations that key
 * (when not NULL) or, with by_refs, one of the scenario's reference tests
 * (those passing on gold) kills. Appends the loaded mutants to *out (owned
 * by the caller) and, when names is not NULL, their names (bb_strdup). */
static bb_result bl_kill_set(bench_logic *L, bl_scenario *sc, const ast_test_fn *key_test, int by_refs,
                             ast_impl_op ***out, char ***names, size_t *n)
{
    const ast_test_fn **tests = bb_calloc(sc->n_refs + 2, sizeof(*tests));
    ast_impl_op **cand = NULL;
    const char **cand_name = NULL;
    long *killed_by = NULL;
    size_t i, k, m, n_tests = 0, n_cand = 0;
    bb_result rc = tests ? BB_OK : BB_ERR_NOMEM;
    if (rc == BB_OK && key_test)
        tests[n_tests++] = key_test;
    for (i = 0; by_refs && i < sc->n_refs && rc == BB_OK; i++) {
        long ti = bl_test_index(L, sc->refs[i]);
        int ok = 0;
        if (ti >= 0 && (rc = bl_gold_passes(L, (size_t)ti, &ok)) == BB_OK && ok)
            tests[n_tests++] = L->suite.fns[ti];
    }
    /* the candidates: valid, non-equivalent mutants of the scenario's operations */
    for (k = 0; k < L->proj->impls.n && rc == BB_OK; k++) {
        char key[1200];
        const json_t *doc = json_array_get(L->impl_doc, k);
        eng_mutant_list list;
        int wanted = 0;
        if (bench_logic_op_key(L->proj->impls.ops[k], key, sizeof(key)) != BB_OK)
            continue;
        for (i = 0; i < sc->n_ops; i++)
            wanted |= strcmp(sc->ops[i], key) == 0;
        if (!wanted)
            continue;
        rc = eng_mutate_list(doc, key, &list);
        for (m = 0; m < list.n && rc == BB_OK; m++) {
            ast_impl_op *mop = NULL;
            ast_impl_op **gc;
            const char **gn;
            if (bl_find_equiv(L, list.items[m].name))
                continue;
            rc = bl_load_mutant(L, doc, &list.items[m], &mop);
            if (rc != BB_OK || !mop)
                continue;
            gc = bb_realloc(cand, (n_cand + 1) * sizeof(*gc));
            gn = bb_realloc(cand_name, (n_cand + 1) * sizeof(*gn));
            if (gc)
                cand = gc;
            if (gn)
                cand_name = gn;
            if (!gc || !gn || !(cand_name[n_cand] = bb_strdup(list.items[m].name))) {
                ast_impl_free(mop);
                rc = BB_ERR_NOMEM;
                break;
            }
            cand[n_cand++] = mop;
        }
        eng_mutant_list_free(&list);
    }
    killed_by = bb_calloc(n_cand + 1, sizeof(*killed_by));
    if (rc == BB_OK)
        rc = killed_by ? bl_batch_run(L, tests, n_tests, cand, n_cand, killed_by) : BB_ERR_NOMEM;
    for (i = 0; i < n_cand; i++) {
        if (rc == BB_OK && killed_by[i] >= 0) {
            ast_impl_op **grown = bb_realloc(*out, (*n + 1) * sizeof(*grown));
            char **gnames = names ? bb_realloc(*names, (*n + 1) * sizeof(*gnames)) : NULL;
            if (grown)
                *out = grown;
            if (gnames)
                *names = gnames;
            if (grown && (!names || gnames)) {
                if (names)
                    (*names)[*n] = (char *)cand_name[i];
                else
                    bb_free((char *)cand_name[i]);
                (*out)[(*n)++] = cand[i];
                continue;
            }
            rc = BB_ERR_NOMEM;
        }
        ast_impl_free(cand[i]);
        bb_free((char *)cand_name[i]);
    }
    bb_free(cand);
    bb_free(cand_name);
    bb_free(killed_by);
    bb_free(tests);
    return rc;
}

/* The relevant mutants of a scenario: valid, not listed as equivalent, of
 * the scenario's operations, killed by its key test or by one of its
 * reference tests. The key test proves the whole scenario description,
 * which can ask for more than the reference tests check. `backbench logic`
 * checks that the key test kills everything the reference tests kill
 * (bench_logic_scenario_gap), so when the key test is usable the set is
 * computed with it alone: one run per mutant instead of up to one per
 * reference test. Computed once per handle (the gold side never changes),
 * so scoring many models' tests for one scenario costs one run of each test
 * per relevant mutant. */
static bb_result bl_relevant(bench_logic *L, bl_scenario *sc)
{
    int usable = 0;
    bb_result rc;
    if (sc->relevant_ready)
        return BB_OK;
    rc = bl_key_usable(L, sc, &usable);
    if (rc == BB_OK)
        rc = bl_kill_set(L, sc, usable ? sc->key : NULL, !usable, &sc->relevant, NULL, &sc->n_relevant);
    if (rc == BB_OK)
        sc->relevant_ready = 1;
    return rc;
}

void bench_logic_scenario_set_key(bench_logic *L, size_t i, const ast_test_fn *key)
{
    size_t m;
    if (i >= L->n_scen)
        return;
    L->scen[i].key = key;
    for (m = 0; m < L->scen[i].n_relevant; m++)
        ast_impl_free(L->scen[i].relevant[m]);
    bb_free(L->scen[i].relevant);
    L->scen[i].relevant = NULL;
    L->scen[i].n_relevant = 0;
    L->scen[i].relevant_ready = 0;
}

bb_result bench_logic_scenario_gap(bench_logic *L, size_t i, size_t *n_missed, bb_buf *names)
{
    bl_scenario *sc;
    ast_impl_op **set = NULL;
    char **nm = NULL;
    long *killed_by = NULL;
    size_t n = 0, j;
    int usable = 0;
    bb_result rc;
    *n_missed = 0;
    if (i >= L->n_scen)
        return BB_ERR_NOT_FOUND;
    sc = &L->scen[i];
    rc = bl_key_usable(L, sc, &usable);
    if (rc == BB_OK && !usable)
        return BB_ERR_INVALID;
    if (rc == BB_OK)
        rc = bl_kill_set(L, sc, NULL, 1, &set, &nm, &n);
    killed_by = bb_calloc(n + 1, sizeof(*killed_by));
    if (rc == BB_OK)
        rc = killed_by ? bl_batch_run(L, &sc->key, 1, set, n, killed_by) : BB_ERR_NOMEM;
    for (j = 0; j < n; j++) {
        if (rc == BB_OK && killed_by[j] < 0) {
            (*n_missed)++;
            if (names)
                (void)bb_buf_printf(names, "%s%s", names->len ? "\n" : "", nm[j] ? nm[j] : "?");
        }
        ast_impl_free(set[j]);
        bb_free(nm[j]);
    }
    bb_free(set);
    bb_free(nm);
    bb_free(killed_by);
    return rc;
}

bb_result bench_logic_score_test(bench_logic *L, const char *scenario, const ast_test_fn *model_test, bench_score *out)
{
    bl_scenario *sc = NULL;
    eng_test_result r;
    size_t i;
    bb_result rc;
    memset(out, 0, sizeof(*out));
    for (i = 0; i < L->n_scen; i++)
        if (strcmp(L->scen[i].id, scenario) == 0)
            sc = &L->scen[i];
    if (!sc) {
        snprintf(out->detail, sizeof(out->detail), "no scenario %s", scenario);
        return BB_ERR_NOT_FOUND;
    }
    rc = bench_logic_run(L, model_test, NULL, &r);
    if (rc != BB_OK)
        return rc;
    if (r.outcome != ENG_TEST_PASS) {
        snprintf(out->detail, sizeof(out->detail), "fails on the gold implementation: %.200s", r.message);
        return BB_OK;
    }
    rc = bl_relevant(L, sc);
    if (rc == BB_OK) {
        long *killed_by = bb_calloc(sc->n_relevant + 1, sizeof(*killed_by));
        rc = killed_by ? bl_batch_run(L, &model_test, 1, sc->relevant, sc->n_relevant, killed_by) : BB_ERR_NOMEM;
        for (i = 0; rc == BB_OK && i < sc->n_relevant; i++)
            out->hits += killed_by[i] >= 0;
        bb_free(killed_by);
    }
    out->total = sc->n_relevant;
    if (rc != BB_OK)
        return rc;
    if (out->total == 0) {
        snprintf(out->detail, sizeof(out->detail), "scenario %s has no relevant mutant", scenario);
        return BB_ERR_NOT_FOUND;
    }
    out->score = 100.0 * (double)out->hits / (double)out->total;
    snprintf(out->detail, sizeof(out->detail), "kills %zu of %zu relevant mutants", out->hits, out->total);
    return BB_OK;
}

bb_result bench_score_impl(const char *project, const char *op, const ast_impl_op *model_impl, bench_score *out)
{
    bench_logic *L = NULL;
    bb_result rc = bench_logic_open(project, &L, NULL);
    memset(out, 0, sizeof(*out));
    if (rc != BB_OK)
        return rc;
    rc = bench_logic_score_impl(L, op, model_impl, out);
    bench_logic_close(L);
    return rc;
}

bb_result bench_score_test(const char *project, const char *scenario, const ast_test_fn *model_test, bench_score *out)
{
    bench_logic *L = NULL;
    bb_result rc = bench_logic_open(project, &L, NULL);
    memset(out, 0, sizeof(*out));
    if (rc != BB_OK)
        return rc;
    rc = bench_logic_score_test(L, scenario, model_test, out);
    bench_logic_close(L);
    return rc;
}
