/*
 * store.h — the results database (SQLite, WAL).
 *
 * What a benchmark run produces is kept here: runs (who was measured, with
 * which configuration), units (one task × trial of one run, finished, with its
 * outcome and score), rounds (every round's figures) and artifacts (the
 * accepted AST). Only finished units are written, each in one transaction
 * together with its rounds and artifact, so a killed run never leaves a half
 * unit and a rerun with the same configuration skips what is finished
 * (store_unit_is_done). One writer per store file; several stores made by
 * shards are joined by store_merge without duplicates.
 *
 * Credentials never reach the store: the endpoint is stored through
 * store_endpoint_sanitize (no user-info, no query string), and API keys are
 * never passed to this layer at all.
 */
#ifndef BB_STORE_H
#define BB_STORE_H

#include <stddef.h>
#include <stdint.h>

#include "util/buf.h"
#include "util/result.h"

typedef struct store store;

/* Opens (creating if needed) the store at path. Free with store_close. */
bb_result store_open(const char *path, store **out /* OUT */);
void store_close(store *s);
/* The last SQLite error text of this store ("" if none). */
const char *store_errmsg(const store *s);

/* The configuration of a run. run_key is derived from the fields that define
 * what is measured (all but the version strings and the time), so a rerun of
 * the same command finds the same run. */
typedef struct store_run_info {
    const char *backbench_version;
    const char *git_rev;
    const char *benchmark_version;
    const char *model;        /* as the user named it, e.g. "qwen3.5-27b" or "sim-perfect" */
    const char *endpoint;     /* sanitised before storing */
    const char *server_kind;  /* llama-server, ollama, vllm, lmstudio, openrouter, sim, imported, ... */
    const char *sampling;     /* compact JSON {temperature, top_p, seed, max_tokens} */
    const char *harness_mode; /* raw | repair | full */
    const char *run_mode;     /* isolated | chained */
    int imported;             /* 1 for results imported from elsewhere (AutoBe) */
} store_run_info;

/* Finds the run with the same configuration or creates it; sets *run_id. */
bb_result store_run_begin(store *s, const store_run_info *info, int64_t *run_id /* OUT */);
/* Records the end time of a run. */
bb_result store_run_end(store *s, int64_t run_id);

/* The identity of a unit inside a run. */
typedef struct store_unit_key {
    const char *project;
    const char *phase; /* db | api | impl | test */
    const char *task;
    int trial;
} store_unit_key;

/* 1 when that unit is finished in this run, 0 when not, -1 on error. */
int store_unit_is_done(store *s, int64_t run_id, const store_unit_key *key);

typedef struct store_round {
    int round;               /* 1-based */
    const char *verdict;     /* valid | valid_repaired | invalid | unparseable | no_call | infra */
    int http_status;
    const char *infra_class; /* NULL unless an infrastructure failure */
    long request_bytes, response_bytes;
    long prompt_tokens, cached_tokens, completion_tokens, reasoning_tokens;
    double ttfb_ms, total_ms;
    double server_prompt_ms, server_predicted_ms; /* llama-server timings, 0 if absent */
    const char *call_source; /* where the call was found: tool_calls, text_fenced, ... */
    const char *repairs;     /* compact JSON array of repair codes */
    const char *errors;      /* compact JSON array of {kind, path, expected} */
    int n_errors;
} store_round;

typedef struct store_unit {
    store_unit_key key;
    const char *outcome; /* first_try_valid | repaired_valid | feedback_valid | failed_invalid |
                            failed_no_call | failed_infra */
    int rounds_used;
    double score;        /* 0-100, or negative when not scored yet */
    long prompt_tokens, cached_tokens, completion_tokens, reasoning_tokens;
    double cost_usd;     /* negative when unknown */
    const store_round *rounds;
    size_t n_rounds;
    const char *artifact_kind; /* e.g. "db", "api"; NULL: no artifact */
    const char *artifact;      /* the accepted AST as JSON text */
} store_unit;

/* Writes a finished unit with its rounds and artifact in one transaction.
 * If that unit is already finished in this run, nothing is written and
 * *inserted is 0 (BB_OK). */
bb_result store_unit_finish(store *s, int64_t run_id, const store_unit *u, int *inserted /* OUT, may be NULL */);

/* Sets the score of a finished unit (scoring may run after the run). */
bb_result store_unit_set_score(store *s, int64_t run_id, const store_unit_key *key, double score);

/* Copies every run and finished unit (rounds, artifacts) of the store file at
 * src_path into s, matching runs by run_key and units by their identity;
 * units already present are skipped. *added counts copied units. */
bb_result store_merge(store *s, const char *src_path, long *added /* OUT, may be NULL */);

/* Appends to out the endpoint URL without user-info and query string. */
bb_result store_endpoint_sanitize(const char *url, bb_buf *out);

/* Executes a read-only SQL statement and calls row() per result row with
 * column texts (NULL for SQL NULL). For reports and tests. */
typedef int (*store_row_fn)(void *ctx, int ncols, const char *const *cols);
bb_result store_query(store *s, const char *sql, store_row_fn row, void *ctx);

#endif
