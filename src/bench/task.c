/*
 * task.c — building the benchmark's tasks (see task.h): prompts from the
 * embedded templates, the phase's tool and semantic hook, the gold DB for the
 * api phase rendered as Prisma schema text, and the stable per-trial seed.
 */
#include "bench/task.h"

#include <jansson.h>
#include <stdio.h>
#include <string.h>

#include "ast/ast_db_check.h"
#include "ast/ast_test_text.h"
#include "bench/logic_score.h"
#include "emit/emit_prisma.h"
#include "util/alloc.h"
#include "util/file.h"
#include "util/rng.h"

#define TASK_SYSTEM_PROMPT "prompts/system.md"
#define TASK_JSON_DEPTH 64 /* nesting followed when collecting DTO refs and tables */
#define TASK_REF_PREFIX "#/components/schemas/"

const char *bench_run_mode_name(bench_run_mode m)
{
    return m == BENCH_MODE_CHAINED ? "chained" : "isolated";
}

int bench_run_mode_parse(const char *s)
{
    if (!s)
        return -1;
    if (strcmp(s, "isolated") == 0)
        return BENCH_MODE_ISOLATED;
    if (strcmp(s, "chained") == 0)
        return BENCH_MODE_CHAINED;
    return -1;
}

long long bench_task_seed(const char *task_id, int trial)
{
    uint64_t h = bb_hash_mix(bb_hash64_str(task_id ? task_id : ""), (uint64_t)(unsigned)trial);

    return (long long)(h & 0x7fffffffULL);
}

/* ---- templates ------------------------------------------------------------ */

bb_result bench_prompt_fill(const char *tmpl, const char *const *names, const char *const *values, size_t n,
                            bb_buf *out)
{
    const char *p = tmpl;
    bb_result rc = BB_OK;

    while (rc == BB_OK && *p) {
        const char *open = strstr(p, "{{");
        const char *close;
        size_t len, i;

        if (!open)
            return bb_buf_puts(out, p);
        rc = bb_buf_append(out, p, (size_t)(open - p));
        if (rc != BB_OK)
            break;
        close = strstr(open + 2, "}}");
        if (!close)
            return BB_ERR_INVALID;
        len = (size_t)(close - (open + 2));
        if (len == 0 || len > BENCH_PROMPT_VAR_MAX)
            return BB_ERR_INVALID;
        for (i = 0; i < n; i++) {
            if (strlen(names[i]) == len && memcmp(names[i], open + 2, len) == 0)
                break;
        }
        if (i == n)
            return BB_ERR_INVALID;
        rc = bb_buf_puts(out, values[i] ? values[i] : "");
        p = close + 2;
    }
    return rc;
}

static const char *task_template(const char *path)
{
    const bb_embedded_file *f = bb_embed_find(path);

    return f ? (const char *)f->data : NULL;
}

/* ---- one task ------------------------------------------------------------- */

static bb_result task_load_gold_db(const bench_project *p, ast_db **out)
{
    json_error_t jerr;
    json_t *doc = json_loadb(p->gold_db.data, p->gold_db.len, 0, &jerr);
    schema_errors errs;
    bb_result rc;

    *out = NULL;
    if (!doc)
        return BB_ERR_PARSE;
    schema_errors_init(&errs, 8);
    rc = ast_db_check_json(doc, NULL, out, &errs, NULL);
    if (rc != BB_OK) {
        ast_db_free(*out);
        *out = NULL;
    }
    schema_errors_free(&errs);
    json_decref(doc);
    return rc;
}

/* The placeholders every template may use (values in this order). */
enum { TASK_VAR_PROJECT, TASK_VAR_TOOL, TASK_VAR_REQ, TASK_VAR_DB, TASK_VAR_OP, TASK_VAR_DTOS, TASK_VAR_TABLES,
       TASK_VAR_SCENARIO, TASK_VAR_API, TASK_VARS };
static const char *const task_var_names[TASK_VARS] = {"project", "tool",   "requirements", "database", "operation",
                                                      "dtos",    "tables", "scenario",     "api"};

/* Fills prompts/<phase>.md with values, sets the system prompt and the
 * harness task (tool, schema, hook). The phase's schema must be compiled. */
static bb_result task_finish(bench_tasks *ts, bench_task *t, const char *const *values)
{
    char path[64];
    const char *tmpl, *system;
    bb_buf prompt;
    bb_result rc;

    bb_buf_init(&prompt, BENCH_PROMPT_MAX);
    snprintf(path, sizeof path, "prompts/%s.md", bench_phase_name(t->phase));
    tmpl = task_template(path);
    system = task_template(TASK_SYSTEM_PROMPT);
    if (!tmpl || !system) {
        rc = BB_ERR_NOT_FOUND;
        goto out;
    }
    rc = bench_prompt_fill(tmpl, task_var_names, values, TASK_VARS, &prompt);
    if (rc != BB_OK)
        goto out;
    t->user_prompt = bb_buf_take(&prompt);
    t->system_prompt = bb_strdup(system);
    if (!t->user_prompt || !t->system_prompt) {
        rc = BB_ERR_NOMEM;
        goto out;
    }
    t->harness.id = t->id;
    t->harness.system_prompt = t->system_prompt;
    t->harness.user_prompt = t->user_prompt;
    t->harness.tool_name = bench_phase_tool_name(t->phase);
    t->harness.tool_description = bench_phase_tool_description(t->phase);
    t->harness.tool_schema_json = task_template(bench_phase_schema_path(t->phase));
    t->harness.schema = ts->schemas[t->phase];
    t->harness.hook.check = bench_phase_semantic;
    t->harness.hook.ctx = &t->checker;
    if (!t->harness.tool_schema_json)
        rc = BB_ERR_NOT_FOUND;
out:
    bb_buf_free(&prompt);
    return rc;
}

static bb_result task_build_one(bench_tasks *ts, bench_task *t, const bench_project *p, bench_phase_kind k)
{
    const char *values[TASK_VARS] = {NULL};
    bb_buf prisma;
    schema_errors cl_errs;
    bb_result rc;

    bb_buf_init(&prisma, BENCH_PROMPT_MAX);
    memset(t, 0, sizeof *t);
    t->project = p;
    t->phase = k;
    snprintf(t->id, sizeof t->id, "%s/%s", p->name, bench_phase_name(k));
    t->answer = k == BENCH_PHASE_DB ? p->gold_db.data : p->gold_api.data;
    if (!ts->schemas[k]) {
        rc = bench_phase_schema(k, &ts->schemas[k]);
        if (rc != BB_OK)
            goto out;
    }
    t->checker.kind = k;
    schema_errors_init(&cl_errs, 8);
    rc = bench_checklist_load_project(p->name, &t->checklist, &cl_errs);
    schema_errors_free(&cl_errs);
    if (rc != BB_OK)
        goto out;
    if (k == BENCH_PHASE_API) {
        rc = task_load_gold_db(p, &t->gold_db);
        if (rc != BB_OK)
            goto out;
        t->checker.db = t->gold_db;
        rc = emit_prisma(t->gold_db, &prisma);
        if (rc != BB_OK)
            goto out;
    }
    values[0] = p->name;
    values[1] = bench_phase_tool_name(k);
    values[2] = p->requirements.data;
    values[3] = bb_buf_str(&prisma);
    rc = task_finish(ts, t, values);
out:
    bb_buf_free(&prisma);
    return rc;
}

/* ---- logic tasks (impl, test) --------------------------------------------- */

/* 1 when the project has what the logic phases need: a gold implementation
 * and hidden acceptance tests (embedded). */
static int task_has_logic(const bench_project *p)
{
    char a[128], b[128];

    snprintf(a, sizeof a, "projects/%s/gold/impl.json", p->name);
    snprintf(b, sizeof b, "projects/%s/gold/tests/acceptance.txt", p->name);
    return bb_embed_find(a) != NULL && bb_embed_find(b) != NULL;
}

static int task_dump_cb(const char *b, size_t n, void *data)
{
    return bb_buf_append(data, b, n) == BB_OK ? 0 : -1;
}

/* Appends j as compact JSON. */
static bb_result task_put_json(bb_buf *out, const json_t *j)
{
    return json_dump_callback(j, task_dump_cb, out, JSON_COMPACT) == 0 ? BB_OK : BB_ERR_LIMIT;
}

/* Adds the DTO `name` (and every DTO it refers to) from schemas to set. */
static bb_result task_add_dto(const json_t *schemas, const char *name, json_t *set, int depth);

static bb_result task_collect_refs(const json_t *j, const json_t *schemas, json_t *set, int depth)
{
    const char *key;
    json_t *v;
    size_t i;
    bb_result rc = BB_OK;

    if (depth > TASK_JSON_DEPTH)
        return BB_OK;
    if (json_is_array(j)) {
        json_array_foreach (j, i, v) {
            rc = task_collect_refs(v, schemas, set, depth + 1);
            if (rc != BB_OK)
                return rc;
        }
    } else if (json_is_object(j)) {
        json_object_foreach ((json_t *)j, key, v) {
            const char *s = json_string_value(v);

            if (s && (strcmp(key, "$ref") == 0 || strcmp(key, "typeName") == 0)) {
                if (strncmp(s, TASK_REF_PREFIX, strlen(TASK_REF_PREFIX)) == 0)
                    s += strlen(TASK_REF_PREFIX);
                rc = task_add_dto(schemas, s, set, depth + 1);
            } else {
                rc = task_collect_refs(v, schemas, set, depth + 1);
            }
            if (rc != BB_OK)
                return rc;
        }
    }
    return rc;
}

static bb_result task_add_dto(const json_t *schemas, const char *name, json_t *set, int depth)
{
    json_t *dto = json_object_get(schemas, name);

    if (!dto || json_object_get(set, name))
        return BB_OK;
    if (json_object_set(set, name, dto) != 0)
        return BB_ERR_NOMEM;
    return task_collect_refs(dto, schemas, set, depth);
}

/* Collects the values of every "table" member of an Impl AST into set. */
static bb_result task_collect_tables(const json_t *j, json_t *set, int depth)
{
    const char *key;
    json_t *v;
    size_t i;
    bb_result rc = BB_OK;

    if (depth > TASK_JSON_DEPTH)
        return BB_OK;
    if (json_is_array(j)) {
        json_array_foreach (j, i, v) {
            rc = task_collect_tables(v, set, depth + 1);
            if (rc != BB_OK)
                return rc;
        }
    } else if (json_is_object(j)) {
        json_object_foreach ((json_t *)j, key, v) {
            if (strcmp(key, "table") == 0 && json_is_string(v)) {
                if (json_object_set(set, json_string_value(v), json_true()) != 0)
                    return BB_ERR_NOMEM;
            } else {
                rc = task_collect_tables(v, set, depth + 1);
                if (rc != BB_OK)
                    return rc;
            }
        }
    }
    return rc;
}

/* The i-th operation document of an implementation file (array or object). */
static const json_t *task_impl_entry(const json_t *doc, size_t i)
{
    const char *key;
    json_t *v;
    size_t n = 0;

    if (json_is_array(doc))
        return json_array_get(doc, i);
    json_object_foreach ((json_t *)doc, key, v) {
        if (n++ == i)
            return v;
    }
    return NULL;
}

/* The gold API operation of "method /path", or NULL. */
static const json_t *task_api_op(const json_t *api, const char *op_key)
{
    const json_t *ops = json_object_get(api, "operations");
    json_t *o;
    size_t i;
    char k[BENCH_TASK_ID_MAX];

    json_array_foreach (ops, i, o) {
        const char *m = json_string_value(json_object_get(o, "method"));
        const char *pa = json_string_value(json_object_get(o, "path"));

        snprintf(k, sizeof k, "%s %s", m ? m : "", pa ? pa : "");
        if (strcmp(k, op_key) == 0)
            return o;
    }
    return NULL;
}

/* The shared documents of one project's logic tasks. */
typedef struct task_logic_docs {
    json_t *api, *db, *impl, *scenarios;
} task_logic_docs;

static void task_logic_docs_free(task_logic_docs *d)
{
    json_decref(d->api);
    json_decref(d->db);
    json_decref(d->impl);
    json_decref(d->scenarios);
}

static bb_result task_logic_docs_load(const bench_project *p, task_logic_docs *d)
{
    json_error_t jerr;
    char path[128];
    bb_buf err;
    bb_result rc;

    memset(d, 0, sizeof *d);
    bb_buf_init(&err, 256);
    d->api = json_loadb(p->gold_api.data, p->gold_api.len, 0, &jerr);
    d->db = json_loadb(p->gold_db.data, p->gold_db.len, 0, &jerr);
    if (!d->api || !d->db) {
        rc = BB_ERR_PARSE;
        goto out;
    }
    snprintf(path, sizeof path, "projects/%s/gold/impl.json", p->name);
    rc = eng_project_read_json(path, &d->impl, &err);
    if (rc != BB_OK)
        goto out;
    snprintf(path, sizeof path, "projects/%s/scenarios.json", p->name);
    rc = eng_project_read_json(path, &d->scenarios, &err);
out:
    bb_buf_free(&err);
    return rc;
}

/* The impl task of operation i of L: the operation, its DTOs, its tables. */
static bb_result task_build_impl(bench_tasks *ts, bench_task *t, const task_logic_docs *d, size_t i)
{
    const eng_project *ep = bench_logic_project(t->logic);
    const json_t *entry = task_impl_entry(d->impl, i), *op, *files, *f, *m;
    const char *values[TASK_VARS] = {NULL};
    json_t *dtos = json_object(), *tables = json_object(), *models = json_array();
    bb_buf bop, bdtos, btables;
    size_t fi, mi;
    bb_result rc;

    bb_buf_init(&bop, BENCH_PROMPT_MAX);
    bb_buf_init(&bdtos, BENCH_PROMPT_MAX);
    bb_buf_init(&btables, BENCH_PROMPT_MAX);
    if (!dtos || !tables || !models || !entry || i >= ep->impls.n) {
        rc = !entry || i >= ep->impls.n ? BB_ERR_INVALID : BB_ERR_NOMEM;
        goto out;
    }
    rc = bench_logic_op_key(ep->impls.ops[i], t->key, sizeof t->key);
    if (rc != BB_OK)
        goto out;
    if ((size_t)snprintf(t->id, sizeof t->id, "%s/impl/%s", t->project->name, t->key) >= sizeof t->id) {
        rc = BB_ERR_LIMIT;
        goto out;
    }
    op = task_api_op(d->api, t->key);
    if (!op) {
        rc = BB_ERR_NOT_FOUND;
        goto out;
    }
    rc = task_put_json(&bop, op);
    if (rc == BB_OK)
        rc = task_collect_refs(op, json_object_get(json_object_get(d->api, "components"), "schemas"), dtos, 0);
    if (rc == BB_OK)
        rc = task_put_json(&bdtos, dtos);
    if (rc == BB_OK)
        rc = task_collect_tables(entry, tables, 0);
    if (rc != BB_OK)
        goto out;
    files = json_object_get(d->db, "files");
    json_array_foreach (files, fi, f) {
        json_array_foreach (json_object_get(f, "models"), mi, m) {
            const char *name = json_string_value(json_object_get(m, "name"));

            if (name && json_object_get(tables, name) && json_array_append(models, (json_t *)m) != 0) {
                rc = BB_ERR_NOMEM;
                goto out;
            }
        }
    }
    rc = task_put_json(&btables, models);
    if (rc != BB_OK)
        goto out;
    t->answer_owned = json_dumps(entry, JSON_COMPACT);
    if (!t->answer_owned) {
        rc = BB_ERR_NOMEM;
        goto out;
    }
    t->answer = t->answer_owned;
    t->checker.db = ep->db;
    t->checker.api = ep->api;
    values[TASK_VAR_OP] = bb_buf_str(&bop);
    values[TASK_VAR_DTOS] = bb_buf_str(&bdtos);
    values[TASK_VAR_TABLES] = bb_buf_str(&btables);
    values[TASK_VAR_PROJECT] = t->project->name;
    values[TASK_VAR_TOOL] = bench_phase_tool_name(t->phase);
    values[TASK_VAR_REQ] = t->project->requirements.data;
    rc = task_finish(ts, t, values);
out:
    json_decref(dtos);
    json_decref(tables);
    json_decref(models);
    bb_buf_free(&bop);
    bb_buf_free(&bdtos);
    bb_buf_free(&btables);
    return rc;
}

/* The answer key of a scenario: its key test as Test AST JSON (printed as
 * text and parsed back), or NULL when the project has none for it. */
static bb_result task_scenario_answer(bench_logic *L, size_t i, char **out)
{
    const ast_test_fn *fn = bench_logic_scenario_key(L, i);
    json_t *arr = NULL;
    bb_buf text;
    bb_result rc;

    *out = NULL;
    if (!fn)
        return BB_OK;
    bb_buf_init(&text, AST_TEST_TEXT_MAX);
    rc = ast_test_text_print(fn, &text);
    if (rc == BB_OK)
        rc = ast_test_text_parse(bb_buf_str(&text), text.len, &arr, NULL);
    if (rc == BB_OK) {
        *out = json_dumps(json_array_get(arr, 0), JSON_COMPACT);
        if (!*out)
            rc = BB_ERR_NOMEM;
    }
    json_decref(arr);
    bb_buf_free(&text);
    return rc;
}

/* The API as a test task shows it: every operation, DTO and parameter, but
 * the implementation specification only of the scenario's operations (the
 * others are called as fixtures, for which their summary, description and
 * DTOs suffice). The specifications are about a third of an API document,
 * and a test prompt carries the whole API: shopping's went from 215 KB to
 * about 150 KB. A new reference, or NULL when out of memory. */
static json_t *task_api_for_scenario(const json_t *api, const json_t *ops)
{
    json_t *copy = json_deep_copy(api), *o;
    size_t k, j;

    if (!copy)
        return NULL;
    json_array_foreach (json_object_get(copy, "operations"), k, o) {
        const char *method = json_string_value(json_object_get(o, "method"));
        const char *path = json_string_value(json_object_get(o, "path"));
        const json_t *name;
        int mine = 0;

        json_array_foreach (ops, j, name) {
            const char *n = json_string_value(name);
            size_t ml = method ? strlen(method) : 0;

            mine |= n && method && path && strncmp(n, method, ml) == 0 && n[ml] == ' ' && strcmp(n + ml + 1, path) == 0;
        }
        if (!mine)
            (void)json_object_del(o, "specification");
    }
    return copy;
}

/* The test task of scenario i of L: the scenario (without its reference
 * tests, which are hidden) and the whole gold API. */
static bb_result task_build_test(bench_tasks *ts, bench_task *t, const task_logic_docs *d, size_t i)
{
    const eng_project *ep = bench_logic_project(t->logic);
    const char *values[TASK_VARS] = {NULL};
    const json_t *sc = NULL, *s;
    json_t *shown = NULL, *api = NULL;
    bb_buf bsc, bapi;
    size_t j;
    bb_result rc;

    bb_buf_init(&bsc, BENCH_PROMPT_MAX);
    bb_buf_init(&bapi, BENCH_PROMPT_MAX);
    snprintf(t->key, sizeof t->key, "%s", bench_logic_scenario_id(t->logic, i));
    if ((size_t)snprintf(t->id, sizeof t->id, "%s/test/%s", t->project->name, t->key) >= sizeof t->id) {
        rc = BB_ERR_LIMIT;
        goto out;
    }
    json_array_foreach (json_object_get(d->scenarios, "scenarios"), j, s) {
        const char *id = json_string_value(json_object_get(s, "id"));

        if (id && strcmp(id, t->key) == 0)
            sc = s;
    }
    if (!sc) {
        rc = BB_ERR_NOT_FOUND;
        goto out;
    }
    shown = json_deep_copy(sc);
    if (!shown) {
        rc = BB_ERR_NOMEM;
        goto out;
    }
    (void)json_object_del(shown, "reference_tests");
    rc = task_put_json(&bsc, shown);
    if (rc == BB_OK) {
        api = task_api_for_scenario(d->api, json_object_get(sc, "operations"));
        rc = api ? task_put_json(&bapi, api) : BB_ERR_NOMEM;
    }
    if (rc == BB_OK)
        rc = task_scenario_answer(t->logic, i, &t->answer_owned);
    if (rc != BB_OK)
        goto out;
    t->answer = t->answer_owned;
    t->checker.api = ep->api;
    values[TASK_VAR_SCENARIO] = bb_buf_str(&bsc);
    values[TASK_VAR_API] = bb_buf_str(&bapi);
    values[TASK_VAR_PROJECT] = t->project->name;
    values[TASK_VAR_TOOL] = bench_phase_tool_name(t->phase);
    values[TASK_VAR_REQ] = t->project->requirements.data;
    rc = task_finish(ts, t, values);
out:
    json_decref(shown);
    json_decref(api);
    bb_buf_free(&bsc);
    bb_buf_free(&bapi);
    return rc;
}

/* The tasks of one project's logic phase k, appended at ts->items[ts->n..]. */
static bb_result task_build_logic(bench_tasks *ts, const bench_project *p, struct bench_logic *L,
                                  bench_phase_kind k, bb_buf *bad)
{
    size_t n = k == BENCH_PHASE_IMPL ? bench_logic_project(L)->impls.n : bench_logic_n_scenarios(L), i;
    task_logic_docs d;
    bb_result rc;

    if (!ts->schemas[k]) {
        rc = bench_phase_schema(k, &ts->schemas[k]);
        if (rc != BB_OK)
            return rc;
    }
    rc = task_logic_docs_load(p, &d);
    for (i = 0; rc == BB_OK && i < n; i++) {
        bench_task *t;

        if (k == BENCH_PHASE_IMPL) {
            /* an operation no acceptance test is about cannot be scored (a
             * project whose suite is still partial): no task for it */
            char key[1200];
            bench_score probe;

            if (bench_logic_op_key(bench_logic_project(L)->impls.ops[i], key, sizeof key) == BB_OK &&
                bench_logic_score_impl(L, key, NULL, &probe) == BB_ERR_NOT_FOUND)
                continue;
        }
        t = &ts->items[ts->n++];

        memset(t, 0, sizeof *t);
        t->project = p;
        t->phase = k;
        t->logic = L;
        t->checker.kind = k;
        snprintf(t->id, sizeof t->id, "%s/%s/%zu", p->name, bench_phase_name(k), i);
        rc = k == BENCH_PHASE_IMPL ? task_build_impl(ts, t, &d, i) : task_build_test(ts, t, &d, i);
        if (rc != BB_OK && bad)
            (void)bb_buf_puts(bad, t->id);
    }
    task_logic_docs_free(&d);
    return rc;
}

static void task_clear(bench_task *t)
{
    bb_free(t->system_prompt);
    bb_free(t->user_prompt);
    bb_free(t->answer_owned); /* json_dumps allocates through bb_malloc (bb_json_init) */
    ast_db_free(t->gold_db);
    bench_checklist_free(t->checklist);
    memset(t, 0, sizeof *t);
}

/* ---- the list ------------------------------------------------------------- */

/* Splits a comma list into at most max items (pointers into buf). */
static bb_result task_split(const char *list, char *buf, size_t bufsize, const char **items, size_t max,
                            size_t *n)
{
    char *p, *start;
    size_t len = strlen(list);

    *n = 0;
    if (len >= bufsize)
        return BB_ERR_LIMIT;
    memcpy(buf, list, len + 1);
    start = buf;
    for (p = buf;; p++) {
        if (*p == ',' || *p == '\0') {
            int end = *p == '\0';

            *p = '\0';
            if (*start) {
                if (*n == max)
                    return BB_ERR_LIMIT;
                items[(*n)++] = start;
            }
            if (end)
                break;
            start = p + 1;
        }
    }
    return BB_OK;
}

bb_result bench_tasks_build(const bench_projects *projects, const char *project_list, const char *phase_list,
                            bench_run_mode mode, bench_tasks **out, bb_buf *bad)
{
    char pbuf[BENCH_PROJECTS_MAX * (BENCH_PROJECT_NAME_MAX + 2)], fbuf[64];
    const char *pnames[BENCH_PROJECTS_MAX], *fnames[BENCH_PHASE_COUNT_ + 1];
    const bench_project *sel[BENCH_PROJECTS_MAX];
    bench_phase_kind phases[BENCH_PHASE_COUNT_];
    size_t np = 0, nf = 0, i, j, total;
    int logic = 0;
    bench_tasks *ts = NULL;
    bb_result rc = BB_OK;

    *out = NULL;
    if (mode != BENCH_MODE_ISOLATED)
        return BB_ERR_USAGE;
    if (project_list && *project_list) {
        rc = task_split(project_list, pbuf, sizeof pbuf, pnames, BENCH_PROJECTS_MAX, &np);
        if (rc != BB_OK)
            return rc;
        for (i = 0; i < np; i++) {
            sel[i] = bench_projects_find(projects, pnames[i]);
            if (!sel[i]) {
                if (bad)
                    (void)bb_buf_puts(bad, pnames[i]);
                return BB_ERR_NOT_FOUND;
            }
            for (j = 0; j < i; j++) {
                if (sel[j] == sel[i])
                    return BB_ERR_USAGE;
            }
        }
    } else {
        for (i = 0; i < projects->n && i < BENCH_PROJECTS_MAX; i++)
            sel[np++] = &projects->items[i];
    }
    if (phase_list && *phase_list) {
        rc = task_split(phase_list, fbuf, sizeof fbuf, fnames, BENCH_PHASE_COUNT_ + 1, &nf);
        if (rc != BB_OK || nf > BENCH_PHASE_COUNT_) {
            if (bad)
                (void)bb_buf_puts(bad, phase_list);
            return BB_ERR_USAGE;
        }
        for (i = 0; i < nf; i++) {
            int k = bench_phase_parse(fnames[i]);

            if (k < 0) {
                if (bad)
                    (void)bb_buf_puts(bad, fnames[i]);
                return BB_ERR_USAGE;
            }
            phases[i] = (bench_phase_kind)k;
            for (j = 0; j < i; j++) {
                if (phases[j] == phases[i])
                    return BB_ERR_USAGE;
            }
        }
    } else {
        phases[nf++] = BENCH_PHASE_DB;
        phases[nf++] = BENCH_PHASE_API;
    }
    if (np == 0 || nf == 0)
        return BB_ERR_USAGE;
    for (j = 0; j < nf; j++)
        logic |= phases[j] == BENCH_PHASE_IMPL || phases[j] == BENCH_PHASE_TEST;
    ts = bb_calloc(1, sizeof *ts);
    if (!ts)
        return BB_ERR_NOMEM;
    /* the logic phases: one handle per project that has them, and the count
     * of their tasks, before the items (tasks point into them) exist */
    total = np * nf;
    for (i = 0; logic && i < np; i++) {
        bb_buf err;

        if (!task_has_logic(sel[i]))
            continue; /* no gold implementation or acceptance tests: no logic tasks */
        bb_buf_init(&err, 256);
        rc = bench_logic_open(sel[i]->name, &ts->logic[i], &err);
        if (rc != BB_OK && bad)
            (void)bb_buf_printf(bad, "%s (logic: %s)", sel[i]->name, bb_buf_str(&err));
        bb_buf_free(&err);
        if (rc != BB_OK)
            goto out;
        ts->n_logic = i + 1;
        for (j = 0; j < nf; j++) {
            if (phases[j] == BENCH_PHASE_IMPL)
                total += bench_logic_project(ts->logic[i])->impls.n;
            else if (phases[j] == BENCH_PHASE_TEST)
                total += bench_logic_n_scenarios(ts->logic[i]);
        }
    }
    ts->items = bb_calloc(total, sizeof *ts->items);
    if (!ts->items) {
        rc = BB_ERR_NOMEM;
        goto out;
    }
    for (i = 0; i < np; i++) {
        for (j = 0; j < nf; j++) {
            if (phases[j] == BENCH_PHASE_IMPL || phases[j] == BENCH_PHASE_TEST) {
                if (!ts->logic[i])
                    continue;
                rc = task_build_logic(ts, sel[i], ts->logic[i], phases[j], bad);
                if (rc != BB_OK)
                    goto out;
                continue;
            }
            rc = task_build_one(ts, &ts->items[ts->n], sel[i], phases[j]);
            ts->n++;
            if (rc != BB_OK) {
                if (bad)
                    (void)bb_buf_puts(bad, ts->items[ts->n - 1].id);
                goto out;
            }
        }
    }
    if (ts->n == 0)
        rc = BB_ERR_USAGE; /* e.g. only logic phases of projects without them */
out:
    if (rc != BB_OK) {
        bench_tasks_free(ts);
        return rc;
    }
    *out = ts;
    return BB_OK;
}

size_t bench_tasks_keep_answered(bench_tasks *ts)
{
    size_t i, kept = 0, dropped;

    for (i = 0; i < ts->n; i++) {
        bench_task *t = &ts->items[i];

        if (!t->answer) {
            task_clear(t);
            continue;
        }
        if (kept != i) {
            ts->items[kept] = *t;
            memset(t, 0, sizeof *t);
            /* the harness task points into its own bench_task */
            ts->items[kept].harness.id = ts->items[kept].id;
            ts->items[kept].harness.hook.ctx = &ts->items[kept].checker;
        }
        kept++;
    }
    dropped = ts->n - kept;
    ts->n = kept;
    return dropped;
}

void bench_tasks_free(bench_tasks *t)
{
    size_t i;

    if (!t)
        return;
    for (i = 0; i < t->n; i++)
        task_clear(&t->items[i]);
    for (i = 0; i < BENCH_PHASE_COUNT_; i++)
        schema_free(t->schemas[i]);
    for (i = 0; i < t->n_logic; i++)
        bench_logic_close(t->logic[i]);
    bb_free(t->items);
    bb_free(t);
}
