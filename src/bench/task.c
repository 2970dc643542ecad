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
#include "emit/emit_prisma.h"
#include "util/alloc.h"
#include "util/file.h"
#include "util/rng.h"

#define TASK_SYSTEM_PROMPT "prompts/system.md"

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

static bb_result task_build_one(bench_tasks *ts, bench_task *t, const bench_project *p, bench_phase_kind k)
{
    char path[64];
    const char *tmpl, *system;
    const char *names[4] = {"project", "tool", "requirements", "database"};
    const char *values[4];
    bb_buf prompt, prisma;
    schema_errors cl_errs;
    bb_result rc;

    bb_buf_init(&prompt, BENCH_PROMPT_MAX);
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
    snprintf(path, sizeof path, "prompts/%s.md", bench_phase_name(k));
    tmpl = task_template(path);
    system = task_template(TASK_SYSTEM_PROMPT);
    if (!tmpl || !system) {
        rc = BB_ERR_NOT_FOUND;
        goto out;
    }
    values[0] = p->name;
    values[1] = bench_phase_tool_name(k);
    values[2] = p->requirements.data;
    values[3] = bb_buf_str(&prisma);
    rc = bench_prompt_fill(tmpl, names, values, 4, &prompt);
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
    t->harness.tool_name = bench_phase_tool_name(k);
    t->harness.tool_description = bench_phase_tool_description(k);
    t->harness.tool_schema_json = task_template(bench_phase_schema_path(k));
    t->harness.schema = ts->schemas[k];
    t->harness.hook.check = bench_phase_semantic;
    t->harness.hook.ctx = &t->checker;
    if (!t->harness.tool_schema_json)
        rc = BB_ERR_NOT_FOUND;
out:
    bb_buf_free(&prompt);
    bb_buf_free(&prisma);
    return rc;
}

static void task_clear(bench_task *t)
{
    bb_free(t->system_prompt);
    bb_free(t->user_prompt);
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
    size_t np = 0, nf = 0, i, j;
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
    ts = bb_calloc(1, sizeof *ts);
    if (!ts)
        return BB_ERR_NOMEM;
    ts->items = bb_calloc(np * nf, sizeof *ts->items);
    if (!ts->items) {
        rc = BB_ERR_NOMEM;
        goto out;
    }
    for (i = 0; i < np; i++) {
        for (j = 0; j < nf; j++) {
            rc = task_build_one(ts, &ts->items[ts->n], sel[i], phases[j]);
            ts->n++;
            if (rc != BB_OK) {
                if (bad)
                    (void)bb_buf_puts(bad, ts->items[ts->n - 1].id);
                goto out;
            }
        }
    }
out:
    if (rc != BB_OK) {
        bench_tasks_free(ts);
        return rc;
    }
    *out = ts;
    return BB_OK;
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
    bb_free(t->items);
    bb_free(t);
}
