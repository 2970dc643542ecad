/*
 * report_data.c — loads the results store into a report_data (see
 * report_data.h).
 *
 * Reading happens through store_query with fixed SQL; the JSON columns of
 * rounds (errors, repairs) are taken apart by SQLite's json_each inside the
 * query, so the report never walks a JSON DOM of the store. The model
 * registry (models/registry.json, embedded) is the one JSON document read
 * here, with jansson, for the prices. Unknown phases are skipped, unknown
 * outcomes are kept as REPORT_OUT_OTHER (a failure).
 */
#include "report/report_data.h"

#include <jansson.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util/alloc.h"
#include "util/file.h"
#include "util/log.h"

#define REPORT_REGISTRY_PATH "models/registry.json"
#define REPORT_REGISTRY_MAX_MODELS 4096

report_params report_default_params(void)
{
    report_params p;

    memset(&p, 0, sizeof p);
    p.bootstrap_b = 2000;
    p.seed = 20261126u;
    p.pass_threshold = 80.0;
    p.weight[REPORT_AXIS_DB] = 0.25;
    p.weight[REPORT_AXIS_API] = 0.25;
    p.weight[REPORT_AXIS_LOGIC] = 0.5;
    p.top_classes = 8;
    p.registry_json = NULL;
    p.title = "backbench report";
    return p;
}

static const char *const report_phase_names[REPORT_PHASE_COUNT] = {"db", "api", "impl", "test"};
static const char *const report_axis_names[REPORT_AXIS_COUNT] = {"db", "api", "logic"};
static const char *const report_axis_titles[REPORT_AXIS_COUNT] = {"DB design", "API design", "Logic"};
static const char *const report_outcome_names[REPORT_OUT_OTHER] = {
    "first_try_valid", "repaired_valid", "feedback_valid", "failed_invalid", "failed_no_call", "failed_infra"};

const char *report_phase_name(int phase)
{
    return phase >= 0 && phase < REPORT_PHASE_COUNT ? report_phase_names[phase] : "?";
}

const char *report_axis_name(int axis)
{
    return axis >= 0 && axis < REPORT_AXIS_COUNT ? report_axis_names[axis] : "?";
}

const char *report_axis_title(int axis)
{
    return axis >= 0 && axis < REPORT_AXIS_COUNT ? report_axis_titles[axis] : "?";
}

int report_phase_axis(int phase)
{
    switch (phase) {
    case REPORT_PHASE_DB: return REPORT_AXIS_DB;
    case REPORT_PHASE_API: return REPORT_AXIS_API;
    default: return REPORT_AXIS_LOGIC;
    }
}

static int report_phase_from_name(const char *s)
{
    int i;

    for (i = 0; s && i < REPORT_PHASE_COUNT; i++) {
        if (strcmp(s, report_phase_names[i]) == 0)
            return i;
    }
    return -1;
}

static int report_outcome_from_name(const char *s)
{
    int i;

    for (i = 0; s && i < REPORT_OUT_OTHER; i++) {
        if (strcmp(s, report_outcome_names[i]) == 0)
            return i;
    }
    return REPORT_OUT_OTHER;
}

/* Length of the valid UTF-8 sequence at s (at most n bytes), 0 if invalid. */
static size_t report_utf8_len(const unsigned char *s, size_t n)
{
    size_t len, i;
    unsigned cp;

    if (s[0] < 0x80)
        return 1;
    if (s[0] >= 0xc2 && s[0] <= 0xdf) {
        len = 2;
        cp = s[0] & 0x1f;
    } else if (s[0] >= 0xe0 && s[0] <= 0xef) {
        len = 3;
        cp = s[0] & 0x0f;
    } else if (s[0] >= 0xf0 && s[0] <= 0xf4) {
        len = 4;
        cp = s[0] & 0x07;
    } else {
        return 0;
    }
    if (len > n)
        return 0;
    for (i = 1; i < len; i++) {
        if ((s[i] & 0xc0) != 0x80)
            return 0;
        cp = (cp << 6) | (s[i] & 0x3f);
    }
    if ((len == 3 && cp < 0x800) || (len == 4 && (cp < 0x10000 || cp > 0x10ffff)) ||
        (cp >= 0xd800 && cp <= 0xdfff))
        return 0;
    return len;
}

/* A copy of raw (NULL: "") clipped to max bytes at a character boundary,
 * with invalid UTF-8 and control characters replaced by '?'. */
static char *report_clean(bb_arena *a, const char *raw, size_t max)
{
    const unsigned char *s = (const unsigned char *)(raw ? raw : "");
    size_t n = strlen((const char *)s), i = 0, o = 0;
    char *out = bb_arena_alloc(a, (n < max ? n : max) + 1);

    if (!out)
        return NULL;
    while (i < n) {
        size_t len = report_utf8_len(s + i, n - i);

        if (len == 0 || s[i] < 0x20 || s[i] == 0x7f) {
            if (o + 1 > max)
                break;
            out[o++] = '?';
            i += len ? len : 1;
            continue;
        }
        if (o + len > max)
            break;
        memcpy(out + o, s + i, len);
        o += len;
        i += len;
    }
    out[o] = '\0';
    return out;
}

static int report_parse_long(const char *s, long *out)
{
    char *end;
    long v;

    if (!s || !*s)
        return -1;
    v = strtol(s, &end, 10);
    if (*end != '\0')
        return -1;
    *out = v;
    return 0;
}

static int report_parse_double(const char *s, double *out)
{
    char *end;
    double v;

    if (!s || !*s)
        return -1;
    v = strtod(s, &end);
    if (*end != '\0' || !isfinite(v))
        return -1;
    *out = v;
    return 0;
}

/* ---- loading context ------------------------------------------------------ */

typedef struct report_run_map {
    long run_id;
    int entry;
} report_run_map;

typedef struct report_load {
    report_data *d;
    bb_result rc;
    report_run_map *runs;
    size_t n_runs;
    char **raw_projects; /* as stored, for lookup; sorted as SQLite sorts (memcmp) */
    size_t cap;          /* capacity of the array being filled */
    long count;
    int phase;           /* for the class queries */
} report_load;

static int report_count_cb(void *ctx, int ncols, const char *const *cols)
{
    report_load *L = ctx;

    if (ncols < 1 || report_parse_long(cols[0], &L->count) != 0)
        L->count = 0;
    return 0;
}

static int report_str_null_eq(const char *a, const char *b)
{
    return strcmp(a ? a : "", b ? b : "") == 0;
}

/* runs: id, model, server_kind, harness_mode, run_mode, imported, benchmark_version */
static int report_run_cb(void *ctx, int ncols, const char *const *cols)
{
    report_load *L = ctx;
    report_data *d = L->d;
    long id, imported = 0;
    size_t e;
    report_entry *en;

    if (ncols < 7 || report_parse_long(cols[0], &id) != 0)
        return 0;
    if (L->n_runs >= REPORT_MAX_RUNS) {
        L->rc = BB_ERR_LIMIT;
        return 1;
    }
    if (report_parse_long(cols[5], &imported) != 0)
        imported = 0;
    imported = imported != 0;
    for (e = 0; e < d->n_entries; e++) {
        en = &d->entries[e];
        if (strcmp(en->model_key, cols[1] ? cols[1] : "") == 0 && report_str_null_eq(en->harness_mode, cols[3]) &&
            report_str_null_eq(en->run_mode, cols[4]) && en->imported == (int)imported)
            break;
    }
    if (e == d->n_entries) {
        char *label;

        if (d->n_entries >= REPORT_MAX_ENTRIES) {
            L->rc = BB_ERR_LIMIT;
            return 1;
        }
        en = &d->entries[d->n_entries];
        en->model_key = bb_arena_strdup(d->arena, cols[1] ? cols[1] : "");
        en->model = report_clean(d->arena, cols[1], REPORT_MAX_NAME);
        en->server_kind = report_clean(d->arena, cols[2], REPORT_MAX_NAME);
        en->harness_mode = cols[3] ? report_clean(d->arena, cols[3], 32) : NULL;
        en->run_mode = cols[4] ? report_clean(d->arena, cols[4], 32) : NULL;
        en->imported = (int)imported;
        en->simulated = cols[2] && strcmp(cols[2], "sim") == 0;
        label = report_clean(d->arena, cols[1], REPORT_MAX_NAME);
        if (label && !imported && en->harness_mode && strcmp(en->harness_mode, "full") != 0)
            label = bb_arena_printf(d->arena, "%s [harness %s]", label, en->harness_mode);
        if (label && !imported && en->run_mode && strcmp(en->run_mode, "isolated") != 0)
            label = bb_arena_printf(d->arena, "%s [%s]", label, en->run_mode);
        en->label = label;
        if (!en->model_key || !en->model || !en->label || !en->server_kind) {
            L->rc = bb_arena_failed(d->arena);
            return 1;
        }
        d->n_entries++;
    }
    L->runs[L->n_runs].run_id = id;
    L->runs[L->n_runs].entry = (int)e;
    L->n_runs++;
    if (cols[6]) {
        size_t v;

        for (v = 0; v < d->n_versions; v++) {
            if (strcmp(d->versions[v], cols[6]) == 0)
                break;
        }
        if (v == d->n_versions && d->n_versions < 16) {
            d->versions[d->n_versions] = report_clean(d->arena, cols[6], 64);
            if (!d->versions[d->n_versions]) {
                L->rc = BB_ERR_NOMEM;
                return 1;
            }
            d->n_versions++;
        }
    }
    return 0;
}

static int report_project_cb(void *ctx, int ncols, const char *const *cols)
{
    report_load *L = ctx;
    report_data *d = L->d;

    if (ncols < 1 || !cols[0])
        return 0;
    if (d->n_projects >= L->cap) {
        L->rc = BB_ERR_LIMIT;
        return 1;
    }
    L->raw_projects[d->n_projects] = bb_arena_strdup(d->arena, cols[0]);
    d->projects[d->n_projects] = report_clean(d->arena, cols[0], REPORT_MAX_NAME);
    if (!L->raw_projects[d->n_projects] || !d->projects[d->n_projects]) {
        L->rc = BB_ERR_NOMEM;
        return 1;
    }
    d->n_projects++;
    return 0;
}

static int report_run_map_cmp(const void *a, const void *b)
{
    long x = ((const report_run_map *)a)->run_id, y = ((const report_run_map *)b)->run_id;

    return (x > y) - (x < y);
}

static int report_str_cmp(const void *a, const void *b)
{
    return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/* units: run_id, project, phase, task, trial, outcome, rounds, score, prompt_tokens, completion_tokens, cost_usd */
static int report_unit_cb(void *ctx, int ncols, const char *const *cols)
{
    report_load *L = ctx;
    report_data *d = L->d;
    report_run_map key, *run;
    const char *pkey;
    char **proj;
    report_unit *u;
    int phase;
    long v;

    if (ncols < 11 || report_parse_long(cols[0], &key.run_id) != 0 || !cols[1])
        return 0;
    phase = report_phase_from_name(cols[2]);
    if (phase < 0)
        return 0;
    run = bsearch(&key, L->runs, L->n_runs, sizeof *L->runs, report_run_map_cmp);
    pkey = cols[1];
    proj = bsearch(&pkey, L->raw_projects, d->n_projects, sizeof *L->raw_projects, report_str_cmp);
    if (!run || !proj)
        return 0;
    if (d->n_units >= L->cap) {
        L->rc = BB_ERR_LIMIT;
        return 1;
    }
    u = &d->units[d->n_units];
    u->entry = run->entry;
    u->project = (int)(proj - L->raw_projects);
    u->phase = phase;
    u->task = bb_arena_strdup(d->arena, cols[3] ? cols[3] : "");
    if (!u->task) {
        L->rc = BB_ERR_NOMEM;
        return 1;
    }
    u->trial = report_parse_long(cols[4], &v) == 0 && v >= 0 && v < 1000000 ? (int)v : 0;
    u->outcome = report_outcome_from_name(cols[5]);
    u->rounds = report_parse_long(cols[6], &v) == 0 && v >= 0 && v < 1000000 ? (int)v : 0;
    if (report_parse_double(cols[7], &u->score) != 0)
        u->score = NAN;
    else if (u->score < 0)
        u->score = 0;
    else if (u->score > 100)
        u->score = 100;
    u->tokens_in = report_parse_long(cols[8], &v) == 0 && v >= 0 ? v : 0;
    u->tokens_out = report_parse_long(cols[9], &v) == 0 && v >= 0 ? v : 0;
    if (report_parse_double(cols[10], &u->cost_usd) != 0 || u->cost_usd < 0)
        u->cost_usd = -1;
    d->n_units++;
    return 0;
}

/* classes: phase, class, count (ordered by phase, count desc, class) */
static int report_class_cb(void *ctx, int ncols, const char *const *cols)
{
    report_load *L = ctx;
    report_data *d = L->d;
    report_count **list = L->phase ? d->repairs : d->errors;
    size_t *n = L->phase ? d->n_repairs : d->n_errors;
    long *total = L->phase ? d->repairs_total : d->errors_total;
    int phase;
    long c;

    if (ncols < 3 || !cols[1] || report_parse_long(cols[2], &c) != 0 || c <= 0)
        return 0;
    phase = report_phase_from_name(cols[0]);
    if (phase < 0)
        return 0;
    total[phase] += c;
    if (n[phase] >= REPORT_MAX_TOP)
        return 0;
    list[phase][n[phase]].name = report_clean(d->arena, cols[1], REPORT_MAX_CLASS);
    if (!list[phase][n[phase]].name) {
        L->rc = BB_ERR_NOMEM;
        return 1;
    }
    list[phase][n[phase]].n = c;
    n[phase]++;
    return 0;
}

static const char *const report_errors_sql =
    "SELECT u.phase, coalesce(CAST(json_extract(e.value, '$.kind') AS TEXT), '?') ||"
    " CASE WHEN coalesce(CAST(json_extract(e.value, '$.expected') AS TEXT), '') = '' THEN ''"
    " ELSE ': ' || substr(CAST(json_extract(e.value, '$.expected') AS TEXT), 1, 80) END AS cls, count(*) AS n"
    " FROM rounds r JOIN units u ON u.id = r.unit_id JOIN runs ru ON ru.id = u.run_id,"
    " json_each(CASE WHEN json_valid(r.errors) THEN r.errors ELSE '[]' END) e"
    " WHERE ru.imported = 0 AND u.state = 'done' AND e.type = 'object'"
    " GROUP BY u.phase, cls ORDER BY u.phase, n DESC, cls";

static const char *const report_repairs_sql =
    "SELECT u.phase, CASE WHEN e.type = 'text' THEN e.value"
    " ELSE CAST(json_extract(e.value, '$.code') AS TEXT) END AS cls, count(*) AS n"
    " FROM rounds r JOIN units u ON u.id = r.unit_id JOIN runs ru ON ru.id = u.run_id,"
    " json_each(CASE WHEN json_valid(r.repairs) THEN r.repairs ELSE '[]' END) e"
    " WHERE ru.imported = 0 AND u.state = 'done' AND e.type IN ('text', 'object') AND cls IS NOT NULL"
    " GROUP BY u.phase, cls ORDER BY u.phase, n DESC, cls";

/* Reads the prices of the registry (text, or the embedded file) into the entries. */
static bb_result report_load_registry(report_data *d)
{
    const char *text = d->params.registry_json;
    const bb_embedded_file *f;
    json_t *root = NULL, *models;
    json_error_t jerr;
    bb_result rc = BB_OK;
    size_t i, e;

    if (!text) {
        f = bb_embed_find(REPORT_REGISTRY_PATH);
        if (!f)
            return BB_OK;
        text = (const char *)f->data;
    }
    root = json_loads(text, 0, &jerr);
    if (!root && json_error_code(&jerr) == json_error_out_of_memory) {
        rc = BB_ERR_NOMEM;
        goto out;
    }
    models = json_object_get(root, "models");
    if (!json_is_array(models)) {
        /* the registry is project data checked by its own tests: a broken one stops the report */
        BB_ERROR("report: %s unreadable: %s", REPORT_REGISTRY_PATH, root ? "no models array" : jerr.text);
        rc = BB_ERR_PARSE;
        goto out;
    }
    for (i = 0; i < json_array_size(models) && i < REPORT_REGISTRY_MAX_MODELS; i++) {
        json_t *m = json_array_get(models, i);
        const char *id = json_string_value(json_object_get(m, "id"));
        json_t *pin = json_object_get(m, "price_in_per_m"), *pout = json_object_get(m, "price_out_per_m");

        if (!id || !json_is_number(pin) || !json_is_number(pout) || json_number_value(pin) < 0 ||
            json_number_value(pout) < 0)
            continue;
        for (e = 0; e < d->n_entries; e++) {
            report_entry *en = &d->entries[e];

            if (!en->has_price && strcmp(en->model_key, id) == 0) {
                en->has_price = 1;
                en->price_in_per_m = json_number_value(pin);
                en->price_out_per_m = json_number_value(pout);
            }
        }
    }
out:
    json_decref(root);
    return rc;
}

bb_result report_data_load(store *s, const report_params *params, report_data **out)
{
    report_data *d = NULL;
    report_load L;
    bb_result rc = BB_OK;
    int p, pass;

    *out = NULL;
    memset(&L, 0, sizeof L);
    d = bb_calloc(1, sizeof *d);
    if (!d)
        return BB_ERR_NOMEM;
    d->params = params ? *params : report_default_params();
    if (d->params.bootstrap_b < 1 || d->params.bootstrap_b > 100000 || d->params.top_classes < 0) {
        rc = BB_ERR_USAGE;
        goto out;
    }
    d->arena = bb_arena_new(REPORT_ARENA_MAX);
    if (!d->arena) {
        rc = BB_ERR_NOMEM;
        goto out;
    }
    L.d = d;
    d->entries = bb_arena_calloc(d->arena, REPORT_MAX_ENTRIES, sizeof *d->entries);
    L.runs = bb_calloc(REPORT_MAX_RUNS, sizeof *L.runs);
    d->versions = bb_arena_calloc(d->arena, 16, sizeof *d->versions);
    for (p = 0; p < REPORT_PHASE_COUNT; p++) {
        d->errors[p] = bb_arena_calloc(d->arena, REPORT_MAX_TOP, sizeof(report_count));
        d->repairs[p] = bb_arena_calloc(d->arena, REPORT_MAX_TOP, sizeof(report_count));
        if (!d->errors[p] || !d->repairs[p]) {
            rc = BB_ERR_NOMEM;
            goto out;
        }
    }
    if (!d->entries || !L.runs || !d->versions) {
        rc = BB_ERR_NOMEM;
        goto out;
    }
    rc = store_query(s,
                     "SELECT id, model, server_kind, harness_mode, run_mode, imported, benchmark_version"
                     " FROM runs ORDER BY id",
                     report_run_cb, &L);
    if (rc == BB_OK && L.rc != BB_OK)
        rc = L.rc;
    if (rc != BB_OK)
        goto out;
    qsort(d->versions, d->n_versions, sizeof *d->versions, report_str_cmp);

    /* projects */
    rc = store_query(s, "SELECT count(DISTINCT project) FROM units WHERE state = 'done'", report_count_cb, &L);
    if (rc != BB_OK)
        goto out;
    if (L.count > REPORT_MAX_PROJECTS) {
        rc = BB_ERR_LIMIT;
        goto out;
    }
    L.cap = (size_t)L.count;
    d->projects = bb_arena_calloc(d->arena, L.cap + 1, sizeof *d->projects);
    L.raw_projects = bb_arena_calloc(d->arena, L.cap + 1, sizeof *L.raw_projects);
    if (!d->projects || !L.raw_projects) {
        rc = BB_ERR_NOMEM;
        goto out;
    }
    rc = store_query(s, "SELECT DISTINCT project FROM units WHERE state = 'done' ORDER BY project",
                     report_project_cb, &L);
    if (rc == BB_OK && L.rc != BB_OK)
        rc = L.rc;
    if (rc != BB_OK)
        goto out;

    /* units */
    rc = store_query(s, "SELECT count(*) FROM units WHERE state = 'done'", report_count_cb, &L);
    if (rc != BB_OK)
        goto out;
    if (L.count > REPORT_MAX_UNITS) {
        rc = BB_ERR_LIMIT;
        goto out;
    }
    L.cap = (size_t)L.count;
    d->units = bb_arena_calloc(d->arena, L.cap + 1, sizeof *d->units);
    if (!d->units) {
        rc = bb_arena_failed(d->arena);
        goto out;
    }
    rc = store_query(s,
                     "SELECT run_id, project, phase, task, trial, outcome, rounds, score, prompt_tokens,"
                     " completion_tokens, cost_usd FROM units WHERE state = 'done'"
                     " ORDER BY run_id, project, phase, task, trial",
                     report_unit_cb, &L);
    if (rc == BB_OK && L.rc != BB_OK)
        rc = L.rc;
    if (rc != BB_OK)
        goto out;

    /* error classes (pass 0) and repair codes (pass 1) per phase */
    for (pass = 0; pass < 2; pass++) {
        L.phase = pass;
        rc = store_query(s, pass ? report_repairs_sql : report_errors_sql, report_class_cb, &L);
        if (rc == BB_OK && L.rc != BB_OK)
            rc = L.rc;
        if (rc != BB_OK)
            goto out;
    }
    rc = report_load_registry(d);
out:
    bb_free(L.runs);
    if (rc != BB_OK) {
        report_data_free(d);
        return rc;
    }
    *out = d;
    return BB_OK;
}

void report_data_free(report_data *d)
{
    if (!d)
        return;
    bb_arena_free(d->arena);
    bb_free(d);
}
