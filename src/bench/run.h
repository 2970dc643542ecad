/*
 * run.h — running the benchmark: units, scheduling, budget, resume, shards,
 * progress events.
 *
 * A *unit* is one task (task.h) × one trial of one model: its key is
 * (project, phase, task id, trial), trials numbered from 1. bench_run
 * enumerates the units trial-major (every task's trial 1, then trial 2, ...,
 * so a budget stop leaves whole trials), keeps those of this shard (a stable
 * hash of "task id#trial" mod the shard count), skips those the store already
 * holds as finished in this run (store_unit_is_done: the run is found again
 * by its configuration, so a rerun of the same command resumes), and drives
 * the rest as harness conversations on one llm_client, at most `concurrency`
 * at a time, each with its trial's seed (bench_task_seed) as the request
 * seed. Every finished unit is scored (bench_unit_score) and written with its
 * rounds and accepted artifact in one transaction (store_unit_finish).
 *
 * Budget: after each finished unit the spent tokens (prompt + completion) and
 * dollars (the server's reported cost, else the model's price from the
 * registry or from params) are added up; once --max-tokens or --budget-usd is
 * reached no new unit starts, the units in flight finish and are stored, and
 * the summary says stopped "budget". The same happens when *params.stop
 * becomes non-zero (SIGINT), with "interrupted", and when max(4,
 * concurrency) units in a row failed on infrastructure (the server is gone),
 * with "infrastructure"; such units are stored (the report counts them, never
 * against the model).
 *
 * Events (bench_run_event) go to an optional callback: the plan, each
 * finished unit, a periodic tick, the stop, the end; progress.h renders them.
 */
#ifndef BB_BENCH_RUN_H
#define BB_BENCH_RUN_H

#include <signal.h>
#include <stddef.h>
#include <stdint.h>

#include "bench/task.h"
#include "harness/harness_loop.h"
#include "store/store.h"
#include "util/result.h"

#define BENCH_RUN_MAX_TRIALS 1000
#define BENCH_RUN_MAX_CONCURRENCY 1024
#define BENCH_RUN_MAX_SHARDS 100000
#define BENCH_RUN_MAX_UNITS 1000000L

typedef enum bench_event_kind {
    BENCH_EV_PLAN = 0, /* units of this shard known, resumed ones counted */
    BENCH_EV_UNIT,     /* one unit finished and stored */
    BENCH_EV_TICK,     /* periodic (about every 250 ms) while units run */
    BENCH_EV_STOP,     /* no new unit will start: budget or interrupted */
    BENCH_EV_END       /* everything in flight finished */
} bench_event_kind;

const char *bench_event_kind_name(bench_event_kind k);

/* Running totals, as of the event. */
typedef struct bench_run_totals {
    long units_total;    /* units of this shard */
    long units_skipped;  /* already finished in the store (resume) */
    long units_done;     /* finished by this invocation */
    long units_valid;    /* of those, with a valid call */
    long units_infra;    /* of those, failed_infra */
    long units_running;
    long rounds;         /* model rounds */
    long long tokens_in, tokens_out;
    double cost_usd;     /* known part */
    int cost_known;      /* every finished unit had a reported or priced cost */
    double elapsed_s;
    const char *stopped; /* NULL, "budget", "interrupted", "infrastructure" */
} bench_run_totals;

typedef struct bench_run_event {
    bench_event_kind kind;
    const char *model;
    const bench_run_totals *totals;
    /* BENCH_EV_UNIT only: */
    const char *task;
    int trial;
    const char *outcome;
    int rounds;
    double score;        /* < 0: unscored */
    long long tokens_in, tokens_out;
    double cost_usd;     /* < 0: unknown */
    const char *error;   /* last error of a failed unit, or NULL */
} bench_run_event;

typedef void (*bench_event_fn)(void *ctx, const bench_run_event *ev);

typedef struct bench_run_params {
    const char *endpoint;         /* base URL (required) */
    const char *endpoint_label;   /* what the store records instead (NULL: endpoint); the
                                     demo's in-process sim records a fixed label so its
                                     changing port does not make every demo a new run */
    const char *model;            /* model id sent to the server (required) */
    const char *api_key_env;      /* environment variable with the key, or NULL */
    const char *server_kind;      /* recorded; default "openai-compatible" */
    const char *backbench_version;
    const char *git_rev;
    const char *benchmark_version;
    const char *projects;         /* comma list; NULL: all */
    const char *phases;           /* comma list; NULL: db,api */
    bench_run_mode mode;          /* isolated (chained: BB_ERR_USAGE, not yet) */
    int trials;                   /* default 1 */
    int concurrency;              /* conversations in flight (default 4) */
    harness_params harness;       /* rounds, mode, sampling; seed set per trial */
    double budget_usd;            /* <= 0: none */
    long long max_tokens;         /* total prompt + completion tokens; <= 0: none */
    double price_in_per_m;        /* USD per million tokens; < 0: from the registry */
    double price_out_per_m;
    int shard_index, shard_count; /* 0-based index; count 1 (default): everything */
    const volatile sig_atomic_t *stop; /* non-zero: stop starting units (may be NULL) */
    bench_event_fn on_event;      /* may be NULL */
    void *event_ctx;
    const llm_client_params *client; /* NULL: defaults (limits set from concurrency) */
} bench_run_params;

bench_run_params bench_run_default_params(void);

/*
 * Runs the units of tasks for params->model into the open store s. Returns
 * BB_OK when the run ended normally or stopped on the budget or a signal
 * (see totals->stopped); an error when the store or the client failed (units
 * stored so far stay). totals may be NULL.
 */
bb_result bench_run(store *s, const bench_tasks *tasks, const bench_run_params *params,
                    bench_run_totals *totals /* OUT, may be NULL */);

/* 1 when the unit (task id, trial) belongs to shard index of count. */
int bench_shard_has(const char *task_id, int trial, int index, int count);

/*
 * Reads a shard from "I/N" (0 <= I < N), else from the environment:
 * SLURM_ARRAY_TASK_ID with SLURM_ARRAY_TASK_COUNT (I relative to
 * SLURM_ARRAY_TASK_MIN when set), else JOB_COMPLETION_INDEX with the count
 * from shards_opt (--shards N) or BACKBENCH_SHARDS. Neither: 0 of 1.
 * BB_ERR_USAGE for malformed or out-of-range values (message in err).
 */
bb_result bench_shard_resolve(const char *spec, const char *shards_opt, int *index /* OUT */,
                              int *count /* OUT */, bb_buf *err);

/* The design score (0-100, bench/score.h) of a finished unit against its
 * project's checklist; accepted is the valid arguments' JSON, or NULL (no
 * valid call: 0). -1 (unscored) only when scoring itself failed. */
/* accepted: the parsed arguments the harness accepted (NULL: none), so a run
 * scores without parsing the design a second time. */
double bench_unit_score(const bench_task *task, const json_t *accepted);

#endif
