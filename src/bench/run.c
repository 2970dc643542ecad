/*
 * run.c — running the benchmark (see run.h): the unit list, shards, resume,
 * the scheduler on one llm_client, the budget, storing finished units, and
 * the progress events.
 */
#include "bench/run.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <jansson.h>

#include "ast/ast_api.h"
#include "ast/ast_db_check.h"
#include "bench/models.h"
#include "bench/logic_unit.h"
#include "bench/score.h"
#include "util/alloc.h"
#include "util/log.h"
#include "util/rng.h"

#define RUN_TICK_MS 250
/* This many units in a row failing on infrastructure (after the client's
 * retries) means the server is gone: stop rather than burn the unit list. */
#define RUN_INFRA_STREAK_MIN 4
#define RUN_SAMPLING_MAX 16384

const char *bench_event_kind_name(bench_event_kind k)
{
    static const char *const names[] = {"plan", "unit", "tick", "stop", "end"};

    return (unsigned)k < sizeof names / sizeof names[0] ? names[k] : "?";
}

bench_run_params bench_run_default_params(void)
{
    bench_run_params p;

    memset(&p, 0, sizeof p);
    p.server_kind = "openai-compatible";
    p.mode = BENCH_MODE_ISOLATED;
    p.trials = 1;
    p.concurrency = 4;
    p.harness = harness_default_params();
    p.price_in_per_m = -1;
    p.price_out_per_m = -1;
    p.shard_count = 1;
    return p;
}

/* ---- shards ---------------------------------------------------------------- */

int bench_shard_has(const char *task_id, int trial, int index, int count)
{
    char key[BENCH_TASK_ID_MAX + 16];

    if (count <= 1)
        return 1;
    snprintf(key, sizeof key, "%s#%d", task_id, trial);
    return (int)(bb_hash64_str(key) % (uint64_t)count) == index;
}

static int run_parse_long(const char *s, long lo, long hi, long *out)
{
    char *end;
    long v;

    if (!s || !*s)
        return -1;
    errno = 0;
    v = strtol(s, &end, 10);
    if (errno || *end != '\0' || v < lo || v > hi)
        return -1;
    *out = v;
    return 0;
}

/* Parses "I/N" into index and count. */
static int run_parse_spec(const char *spec, long *i, long *n)
{
    const char *slash = strchr(spec, '/');
    char ibuf[16];
    size_t len = slash ? (size_t)(slash - spec) : 0;

    if (!slash || len == 0 || len >= sizeof ibuf)
        return -1;
    memcpy(ibuf, spec, len);
    ibuf[len] = '\0';
    if (run_parse_long(ibuf, 0, BENCH_RUN_MAX_SHARDS - 1, i) != 0 ||
        run_parse_long(slash + 1, 1, BENCH_RUN_MAX_SHARDS, n) != 0 || *i >= *n)
        return -1;
    return 0;
}

bb_result bench_shard_resolve(const char *spec, const char *shards_opt, int *index, int *count, bb_buf *err)
{
    const char *id, *total, *from;
    long i = 0, n = 1, min = 0;

    *index = 0;
    *count = 1;
    if (spec) {
        if (run_parse_spec(spec, &i, &n) != 0) {
            if (err)
                (void)bb_buf_printf(err, "--shard wants I/N with 0 <= I < N <= %d, got '%s'", BENCH_RUN_MAX_SHARDS,
                                    spec);
            return BB_ERR_USAGE;
        }
        *index = (int)i;
        *count = (int)n;
        return BB_OK;
    }
    if (getenv("SLURM_ARRAY_TASK_ID") && getenv("SLURM_ARRAY_TASK_COUNT")) {
        id = getenv("SLURM_ARRAY_TASK_ID");
        total = getenv("SLURM_ARRAY_TASK_COUNT");
        from = "SLURM_ARRAY_TASK_ID/SLURM_ARRAY_TASK_COUNT";
        if (getenv("SLURM_ARRAY_TASK_MIN") &&
            run_parse_long(getenv("SLURM_ARRAY_TASK_MIN"), 0, BENCH_RUN_MAX_SHARDS, &min) != 0)
            min = -1; /* reported below */
    } else if (getenv("JOB_COMPLETION_INDEX")) {
        id = getenv("JOB_COMPLETION_INDEX");
        total = shards_opt ? shards_opt : getenv("BACKBENCH_SHARDS");
        from = shards_opt ? "JOB_COMPLETION_INDEX with --shards" : "JOB_COMPLETION_INDEX with BACKBENCH_SHARDS";
        if (!total) {
            if (err)
                (void)bb_buf_puts(err, "JOB_COMPLETION_INDEX is set but the shard count is not: give --shards N "
                                       "or set BACKBENCH_SHARDS (the Job's completions)");
            return BB_ERR_USAGE;
        }
    } else {
        return BB_OK;
    }
    if (min < 0 || run_parse_long(id, 0, BENCH_RUN_MAX_SHARDS + min, &i) != 0 ||
        run_parse_long(total, 1, BENCH_RUN_MAX_SHARDS, &n) != 0 || i - min < 0 || i - min >= n) {
        if (err)
            (void)bb_buf_printf(err, "bad shard from %s: '%s' of '%s'", from, id, total);
        return BB_ERR_USAGE;
    }
    *index = (int)(i - min);
    *count = (int)n;
    return BB_OK;
}

/* ---- scoring ---------------------------------------------------------------- */

double bench_unit_score(const bench_task *task, const json_t *doc)
{
    schema_errors errs;
    ast_db *db = NULL;
    ast_api_doc *api = NULL;
    bench_score *sc = NULL;
    double score = -1;
    bb_result rc;

    if (task->phase == BENCH_PHASE_IMPL || task->phase == BENCH_PHASE_TEST)
        return bench_logic_unit_score(task, doc);
    if (!task->checklist)
        return -1;
    schema_errors_init(&errs, 8);
    /* a design that does not load or pass its checks scores as no design (0) */
    if (task->phase == BENCH_PHASE_DB) {
        if (doc && ast_db_check_json(doc, NULL, &db, &errs, NULL) != BB_OK) {
            ast_db_free(db);
            db = NULL;
        }
        rc = bench_score_db(task->checklist, db, NULL, &sc);
    } else {
        if (doc && ast_api_load(doc, &api, &errs, NULL) != BB_OK)
            api = NULL;
        rc = bench_score_api(task->checklist, api, task->gold_db, NULL, &sc);
    }
    if (rc == BB_OK && sc)
        score = sc->total;
    bench_score_free(sc);
    ast_api_free(api);
    ast_db_free(db);
    schema_errors_free(&errs);
    return score;
}

/* ---- the scheduler ---------------------------------------------------------- */

typedef struct run_unit {
    const bench_task *task;
    int trial;
} run_unit;

struct run_ctx;

typedef struct run_slot {
    struct run_ctx *ctx;
    size_t unit;
    harness_task ht;
    int busy;
} run_slot;

typedef struct run_ctx {
    store *s;
    int64_t run_id;
    const bench_run_params *p;
    llm_client *client;
    int endpoint;
    run_unit *units;
    size_t n_units, next;
    run_slot *slots;
    int n_slots;
    const bench_model *price; /* registry entry, or NULL */
    bench_models *registry;
    bench_run_totals t;
    struct timespec t0;
    double last_tick;
    bb_result err;
    int stop_emitted;
    long infra_streak;
} run_ctx;

static double run_now_s(const struct timespec *t0)
{
    struct timespec t;

    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)(t.tv_sec - t0->tv_sec) + (double)(t.tv_nsec - t0->tv_nsec) / 1e9;
}

static void run_emit(run_ctx *c, bench_run_event *ev)
{
    c->t.elapsed_s = run_now_s(&c->t0);
    ev->model = c->p->model;
    ev->totals = &c->t;
    if (c->p->on_event)
        c->p->on_event(c->p->event_ctx, ev);
}

static void run_emit_simple(run_ctx *c, bench_event_kind k)
{
    bench_run_event ev;

    memset(&ev, 0, sizeof ev);
    ev.kind = k;
    run_emit(c, &ev);
}

static double run_unit_cost(const run_ctx *c, const harness_result *r)
{
    const bench_run_params *p = c->p;

    if (r->cost >= 0)
        return r->cost;
    if (p->price_in_per_m >= 0 && p->price_out_per_m >= 0)
        return ((double)r->prompt_tokens * p->price_in_per_m + (double)r->completion_tokens * p->price_out_per_m) /
               1e6;
    if (p->server_kind && strcmp(p->server_kind, "sim") == 0)
        return 0; /* a simulated model costs nothing (unless priced for a test) */
    if (c->price)
        return bench_model_cost_usd(c->price, (uint64_t)r->prompt_tokens, (uint64_t)r->completion_tokens);
    return -1;
}

/* Decides whether new units may start; emits the stop event once. */
static int run_may_start(run_ctx *c)
{
    const bench_run_params *p = c->p;

    if (c->err != BB_OK)
        return 0;
    if (!c->t.stopped) {
        if (p->stop && *p->stop)
            c->t.stopped = "interrupted";
        else if (p->max_tokens > 0 && c->t.tokens_in + c->t.tokens_out >= p->max_tokens)
            c->t.stopped = "budget";
        else if (p->budget_usd > 0 && c->t.cost_usd >= p->budget_usd)
            c->t.stopped = "budget";
        else if (c->infra_streak >= (p->concurrency > RUN_INFRA_STREAK_MIN ? p->concurrency : RUN_INFRA_STREAK_MIN))
            c->t.stopped = "infrastructure";
    }
    if (c->t.stopped && !c->stop_emitted) {
        c->stop_emitted = 1;
        run_emit_simple(c, BENCH_EV_STOP);
    }
    return c->t.stopped == NULL;
}

static void run_done(void *user, harness_result *r);

static void run_top_up(run_ctx *c)
{
    int i;

    for (i = 0; i < c->n_slots && c->next < c->n_units; i++) {
        run_slot *sl = &c->slots[i];
        const run_unit *u;
        harness_params hp;
        bb_result rc;

        if (sl->busy)
            continue;
        if (!run_may_start(c))
            return;
        u = &c->units[c->next];
        sl->unit = c->next++;
        sl->ht = u->task->harness;
        sl->ht.model = c->p->model;
        hp = c->p->harness;
        hp.seed = bench_task_seed(u->task->id, u->trial);
        hp.has_seed = 1;
        sl->busy = 1;
        c->t.units_running++;
        rc = harness_start(c->client, c->endpoint, &sl->ht, &hp, run_done, sl);
        if (rc != BB_OK) {
            sl->busy = 0;
            c->t.units_running--;
            c->err = rc;
            BB_ERROR("cannot start %s trial %d: %s", u->task->id, u->trial, bb_strerror(rc));
            return;
        }
    }
}

static bb_result run_store_unit(run_ctx *c, const run_unit *u, const harness_result *r, double score, double cost)
{
    store_round *rounds = NULL;
    store_unit su;
    size_t i;
    int refused = 0;
    bb_result rc;

    if (r->n_rounds) {
        rounds = bb_calloc(r->n_rounds, sizeof *rounds);
        if (!rounds)
            return BB_ERR_NOMEM;
    }
    for (i = 0; i < r->n_rounds; i++) {
        const harness_round *h = &r->rounds[i];
        store_round *o = &rounds[i];

        /* a request the server refused (harness round 0: resent after a
         * fallback) is no model round; such exchanges are stored as rounds
         * 0, -1, -2, ... so (unit, round) stays unique */
        o->round = h->round > 0 ? h->round : -(refused++);
        o->verdict = h->verdict;
        o->http_status = (int)h->http_status;
        o->infra_class = h->infra_class;
        o->request_bytes = h->request_bytes;
        o->response_bytes = h->response_bytes;
        o->prompt_tokens = (long)h->prompt_tokens;
        o->cached_tokens = (long)h->cached_tokens;
        o->completion_tokens = (long)h->completion_tokens;
        o->reasoning_tokens = (long)h->reasoning_tokens;
        o->ttfb_ms = h->ttfb_ms;
        o->total_ms = h->total_ms;
        o->server_prompt_ms = h->server_prompt_ms;
        o->server_predicted_ms = h->server_predicted_ms;
        o->call_source = h->call_source;
        o->repairs = h->repairs;
        o->errors = h->errors;
        o->n_errors = h->n_errors;
    }
    memset(&su, 0, sizeof su);
    su.key.project = u->task->project->name;
    su.key.phase = bench_phase_name(u->task->phase);
    su.key.task = u->task->id;
    su.key.trial = u->trial;
    su.outcome = harness_outcome_name(r->outcome);
    su.rounds_used = r->rounds_used;
    su.score = score;
    su.prompt_tokens = (long)r->prompt_tokens;
    su.cached_tokens = (long)r->cached_tokens;
    su.completion_tokens = (long)r->completion_tokens;
    su.reasoning_tokens = (long)r->reasoning_tokens;
    su.cost_usd = cost;
    su.rounds = rounds;
    su.n_rounds = r->n_rounds;
    if (r->accepted) {
        su.artifact_kind = bench_phase_name(u->task->phase);
        su.artifact = r->accepted;
    }
    rc = store_unit_finish(c->s, c->run_id, &su, NULL);
    bb_free(rounds);
    return rc;
}

static void run_done(void *user, harness_result *r)
{
    run_slot *sl = user;
    run_ctx *c = sl->ctx;
    const run_unit *u = &c->units[sl->unit];
    bench_run_event ev;
    double score, cost;
    bb_result rc;

    /* infrastructure failures are never charged to the model: unscored */
    score = r->outcome == HARNESS_FAILED_INFRA ? -1 : bench_unit_score(u->task, r->accepted_value);
    cost = run_unit_cost(c, r);
    rc = run_store_unit(c, u, r, score, cost);
    sl->busy = 0;
    c->t.units_running--;
    if (rc != BB_OK) {
        BB_ERROR("cannot store %s trial %d: %s (%s)", u->task->id, u->trial, bb_strerror(rc), store_errmsg(c->s));
        if (c->err == BB_OK)
            c->err = rc;
    } else {
        c->t.units_done++;
        c->t.units_valid += harness_outcome_is_valid(r->outcome);
        c->t.units_infra += r->outcome == HARNESS_FAILED_INFRA;
        c->infra_streak = r->outcome == HARNESS_FAILED_INFRA ? c->infra_streak + 1 : 0;
        c->t.rounds += r->rounds_used;
        c->t.tokens_in += r->prompt_tokens;
        c->t.tokens_out += r->completion_tokens;
        if (cost >= 0)
            c->t.cost_usd += cost;
        else
            c->t.cost_known = 0;
        memset(&ev, 0, sizeof ev);
        ev.kind = BENCH_EV_UNIT;
        ev.task = u->task->id;
        ev.trial = u->trial;
        ev.outcome = harness_outcome_name(r->outcome);
        ev.rounds = r->rounds_used;
        ev.score = score;
        ev.tokens_in = r->prompt_tokens;
        ev.tokens_out = r->completion_tokens;
        ev.cost_usd = cost;
        ev.error = harness_outcome_is_valid(r->outcome) ? NULL : r->last_error;
        run_emit(c, &ev);
    }
    harness_result_destroy(r);
    run_top_up(c);
}

static bb_result run_sampling(const bench_run_params *p, bb_buf *b)
{
    const harness_params *h = &p->harness;
    bb_result rc = bb_buf_puts(b, "{\"temperature\":");

    if (rc == BB_OK)
        rc = h->temperature < 0 ? bb_buf_puts(b, "null") : bb_buf_printf(b, "%.17g", h->temperature);
    if (rc == BB_OK)
        rc = bb_buf_puts(b, ",\"top_p\":");
    if (rc == BB_OK)
        rc = h->top_p < 0 ? bb_buf_puts(b, "null") : bb_buf_printf(b, "%.17g", h->top_p);
    if (rc == BB_OK)
        rc = bb_buf_printf(b, ",\"seed\":\"per-trial\",\"max_tokens\":%ld,\"rounds\":%d,\"stream\":%s",
                           h->max_tokens, h->max_rounds, h->stream ? "true" : "false");
    if (rc == BB_OK && h->extra_json) {
        rc = bb_buf_puts(b, ",\"extra\":");
        if (rc == BB_OK)
            rc = bb_buf_put_json_string(b, h->extra_json, strlen(h->extra_json));
    }
    if (rc == BB_OK)
        rc = bb_buf_putc(b, '}');
    return rc;
}

static bb_result run_plan(run_ctx *c, const bench_tasks *tasks)
{
    const bench_run_params *p = c->p;
    size_t i, cap = tasks->n * (size_t)p->trials;
    int trial;

    if (cap == 0 || (long)cap > BENCH_RUN_MAX_UNITS)
        return BB_ERR_LIMIT;
    c->units = bb_calloc(cap, sizeof *c->units);
    if (!c->units)
        return BB_ERR_NOMEM;
    for (trial = 1; trial <= p->trials; trial++) {
        for (i = 0; i < tasks->n; i++) {
            const bench_task *t = &tasks->items[i];
            store_unit_key key;
            int done;

            if (!bench_shard_has(t->id, trial, p->shard_index, p->shard_count))
                continue;
            c->t.units_total++;
            key.project = t->project->name;
            key.phase = bench_phase_name(t->phase);
            key.task = t->id;
            key.trial = trial;
            done = store_unit_is_done(c->s, c->run_id, &key);
            if (done < 0)
                return BB_ERR_DB;
            if (done) {
                c->t.units_skipped++;
                continue;
            }
            c->units[c->n_units].task = t;
            c->units[c->n_units].trial = trial;
            c->n_units++;
        }
    }
    return BB_OK;
}

bb_result bench_run(store *s, const bench_tasks *tasks, const bench_run_params *p, bench_run_totals *totals)
{
    run_ctx c;
    store_run_info info;
    llm_client_params cp;
    bb_buf sampling;
    int i;
    bb_result rc;

    memset(&c, 0, sizeof c);
    bb_buf_init(&sampling, RUN_SAMPLING_MAX);
    clock_gettime(CLOCK_MONOTONIC, &c.t0);
    c.s = s;
    c.p = p;
    c.t.cost_known = 1;
    if (!s || !tasks || !p || !p->endpoint || !p->model || p->trials < 1 || p->trials > BENCH_RUN_MAX_TRIALS ||
        p->concurrency < 1 || p->concurrency > BENCH_RUN_MAX_CONCURRENCY || p->shard_count < 1 ||
        p->shard_index < 0 || p->shard_index >= p->shard_count || p->mode != BENCH_MODE_ISOLATED) {
        rc = BB_ERR_USAGE;
        goto out;
    }
    if (bench_models_load(NULL, &c.registry, NULL) == BB_OK)
        c.price = bench_models_find(c.registry, p->model);
    rc = run_sampling(p, &sampling);
    if (rc != BB_OK)
        goto out;
    memset(&info, 0, sizeof info);
    info.backbench_version = p->backbench_version;
    info.git_rev = p->git_rev;
    info.benchmark_version = p->benchmark_version;
    info.model = p->model;
    info.endpoint = p->endpoint_label ? p->endpoint_label : p->endpoint;
    info.server_kind = p->server_kind;
    info.sampling = bb_buf_str(&sampling);
    info.harness_mode = harness_mode_name(p->harness.mode);
    info.run_mode = bench_run_mode_name(p->mode);
    rc = store_run_begin(s, &info, &c.run_id);
    if (rc != BB_OK)
        goto out;
    rc = run_plan(&c, tasks);
    if (rc != BB_OK)
        goto out;
    run_emit_simple(&c, BENCH_EV_PLAN);
    cp = p->client ? *p->client : llm_client_default_params();
    cp.max_concurrent = p->concurrency;
    cp.max_concurrent_per_endpoint = p->concurrency;
    rc = llm_client_new(&cp, &c.client);
    if (rc == BB_OK)
        rc = llm_client_add_endpoint(c.client, p->endpoint, p->api_key_env, p->concurrency, &c.endpoint);
    if (rc != BB_OK)
        goto out;
    c.n_slots = p->concurrency;
    c.slots = bb_calloc((size_t)c.n_slots, sizeof *c.slots);
    if (!c.slots) {
        rc = BB_ERR_NOMEM;
        goto out;
    }
    for (i = 0; i < c.n_slots; i++)
        c.slots[i].ctx = &c;
    run_top_up(&c);
    while (c.t.units_running > 0) {
        double now;

        rc = llm_client_run(c.client, RUN_TICK_MS);
        if (rc != BB_OK)
            break;
        run_top_up(&c);
        now = run_now_s(&c.t0);
        if (now - c.last_tick >= RUN_TICK_MS / 1000.0) {
            c.last_tick = now;
            run_emit_simple(&c, BENCH_EV_TICK);
        }
    }
    if (rc == BB_OK)
        rc = c.err;
    if (rc == BB_OK && !c.t.stopped && c.next == c.n_units)
        rc = store_run_end(s, c.run_id);
    run_emit_simple(&c, BENCH_EV_END);
out:
    if (totals)
        *totals = c.t;
    llm_client_free(c.client);
    bb_free(c.slots);
    bb_free(c.units);
    bench_models_free(c.registry);
    bb_buf_free(&sampling);
    return rc;
}
