/*
 * store.c — the results database (see store.h).
 *
 * Schema version 1. All values are bound parameters. Writes of one finished
 * unit happen in one BEGIN IMMEDIATE ... COMMIT transaction; WAL mode keeps
 * readers (the report) from blocking the writer, and synchronous=FULL makes a
 * committed unit survive a kill -9 or power loss.
 */
#include "store.h"

#include <sqlite3.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "util/alloc.h"

#define STORE_SCHEMA_VERSION "1"
#define STORE_BUSY_TIMEOUT_MS 10000

struct store {
    sqlite3 *db;
};

static const char *const store_schema_sql =
    "CREATE TABLE IF NOT EXISTS meta(key TEXT PRIMARY KEY, value TEXT NOT NULL);"
    "CREATE TABLE IF NOT EXISTS runs("
    " id INTEGER PRIMARY KEY,"
    " run_key TEXT NOT NULL UNIQUE,"
    " backbench_version TEXT, git_rev TEXT, benchmark_version TEXT,"
    " model TEXT NOT NULL, endpoint TEXT, server_kind TEXT, sampling TEXT,"
    " harness_mode TEXT, run_mode TEXT, imported INTEGER NOT NULL DEFAULT 0,"
    " started_at TEXT NOT NULL, ended_at TEXT);"
    "CREATE TABLE IF NOT EXISTS units("
    " id INTEGER PRIMARY KEY,"
    " run_id INTEGER NOT NULL REFERENCES runs(id),"
    " project TEXT NOT NULL, phase TEXT NOT NULL, task TEXT NOT NULL, trial INTEGER NOT NULL,"
    " state TEXT NOT NULL DEFAULT 'done', outcome TEXT NOT NULL, rounds INTEGER NOT NULL,"
    " score REAL, prompt_tokens INTEGER, cached_tokens INTEGER, completion_tokens INTEGER,"
    " reasoning_tokens INTEGER, cost_usd REAL, finished_at TEXT NOT NULL,"
    " UNIQUE(run_id, project, phase, task, trial));"
    "CREATE TABLE IF NOT EXISTS rounds("
    " unit_id INTEGER NOT NULL REFERENCES units(id), round INTEGER NOT NULL,"
    " verdict TEXT, http_status INTEGER, infra_class TEXT,"
    " request_bytes INTEGER, response_bytes INTEGER,"
    " prompt_tokens INTEGER, cached_tokens INTEGER, completion_tokens INTEGER, reasoning_tokens INTEGER,"
    " ttfb_ms REAL, total_ms REAL, server_prompt_ms REAL, server_predicted_ms REAL,"
    " call_source TEXT, repairs TEXT, errors TEXT, n_errors INTEGER,"
    " PRIMARY KEY(unit_id, round));"
    "CREATE TABLE IF NOT EXISTS artifacts("
    " unit_id INTEGER PRIMARY KEY REFERENCES units(id), kind TEXT NOT NULL, content TEXT NOT NULL);";

const char *store_errmsg(const store *s)
{
    return s && s->db ? sqlite3_errmsg(s->db) : "";
}

static void store_now(char out[32])
{
    time_t t = time(NULL);
    struct tm tm;

    gmtime_r(&t, &tm);
    strftime(out, 32, "%Y-%m-%dT%H:%M:%SZ", &tm);
}

static bb_result store_exec(store *s, const char *sql)
{
    return sqlite3_exec(s->db, sql, NULL, NULL, NULL) == SQLITE_OK ? BB_OK : BB_ERR_DB;
}

bb_result store_open(const char *path, store **out)
{
    store *s;
    bb_result rc = BB_OK;

    *out = NULL;
    s = bb_calloc(1, sizeof *s);
    if (!s)
        return BB_ERR_NOMEM;
    if (sqlite3_open_v2(path, &s->db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, NULL) != SQLITE_OK) {
        rc = BB_ERR_DB;
        goto out;
    }
    sqlite3_busy_timeout(s->db, STORE_BUSY_TIMEOUT_MS);
    if (store_exec(s, "PRAGMA journal_mode=WAL;") != BB_OK ||
        store_exec(s, "PRAGMA synchronous=FULL; PRAGMA foreign_keys=ON;") != BB_OK ||
        store_exec(s, store_schema_sql) != BB_OK ||
        store_exec(s, "INSERT OR IGNORE INTO meta(key, value) VALUES('schema_version', '" STORE_SCHEMA_VERSION
                      "');") != BB_OK) {
        rc = BB_ERR_DB;
        goto out;
    }
out:
    if (rc != BB_OK) {
        store_close(s);
        return rc;
    }
    *out = s;
    return BB_OK;
}

void store_close(store *s)
{
    if (!s)
        return;
    sqlite3_close(s->db);
    bb_free(s);
}

bb_result store_endpoint_sanitize(const char *url, bb_buf *out)
{
    const char *scheme_end = strstr(url, "://");
    const char *host = scheme_end ? scheme_end + 3 : url;
    const char *path = host + strcspn(host, "/?#");
    const char *at = NULL, *p;
    size_t end;
    bb_result rc;

    for (p = host; p < path; p++) {
        if (*p == '@')
            at = p;
    }
    rc = bb_buf_append(out, url, (size_t)(host - url));
    if (rc != BB_OK)
        return rc;
    rc = bb_buf_append(out, at ? at + 1 : host, (size_t)(path - (at ? at + 1 : host)));
    if (rc != BB_OK)
        return rc;
    end = strcspn(path, "?#");
    return bb_buf_append(out, path, end);
}

static void store_bind_text(sqlite3_stmt *st, int i, const char *v)
{
    if (v)
        sqlite3_bind_text(st, i, v, -1, SQLITE_TRANSIENT);
    else
        sqlite3_bind_null(st, i);
}

static bb_result store_run_key(const store_run_info *info, const char *endpoint, bb_buf *key)
{
    return bb_buf_printf(key, "%s|%s|%s|%s|%s|%s|%s|%d", info->model ? info->model : "", endpoint,
                         info->server_kind ? info->server_kind : "", info->sampling ? info->sampling : "",
                         info->harness_mode ? info->harness_mode : "", info->run_mode ? info->run_mode : "",
                         info->benchmark_version ? info->benchmark_version : "", info->imported);
}

bb_result store_run_begin(store *s, const store_run_info *info, int64_t *run_id)
{
    bb_buf ep, key;
    sqlite3_stmt *st = NULL;
    char now[32];
    bb_result rc;

    *run_id = 0;
    bb_buf_init(&ep, 4096);
    bb_buf_init(&key, 16384);
    rc = store_endpoint_sanitize(info->endpoint ? info->endpoint : "", &ep);
    if (rc == BB_OK)
        rc = store_run_key(info, bb_buf_str(&ep), &key);
    if (rc != BB_OK)
        goto out;
    store_now(now);
    if (sqlite3_prepare_v2(s->db,
                           "INSERT INTO runs(run_key, backbench_version, git_rev, benchmark_version, model, "
                           "endpoint, server_kind, sampling, harness_mode, run_mode, imported, started_at) "
                           "VALUES(?,?,?,?,?,?,?,?,?,?,?,?) ON CONFLICT(run_key) DO UPDATE SET "
                           "backbench_version=excluded.backbench_version, git_rev=excluded.git_rev "
                           "RETURNING id",
                           -1, &st, NULL) != SQLITE_OK) {
        rc = BB_ERR_DB;
        goto out;
    }
    store_bind_text(st, 1, bb_buf_str(&key));
    store_bind_text(st, 2, info->backbench_version);
    store_bind_text(st, 3, info->git_rev);
    store_bind_text(st, 4, info->benchmark_version);
    store_bind_text(st, 5, info->model ? info->model : "");
    store_bind_text(st, 6, bb_buf_str(&ep));
    store_bind_text(st, 7, info->server_kind);
    store_bind_text(st, 8, info->sampling);
    store_bind_text(st, 9, info->harness_mode);
    store_bind_text(st, 10, info->run_mode);
    sqlite3_bind_int(st, 11, info->imported);
    store_bind_text(st, 12, now);
    if (sqlite3_step(st) != SQLITE_ROW) {
        rc = BB_ERR_DB;
        goto out;
    }
    *run_id = sqlite3_column_int64(st, 0);
out:
    sqlite3_finalize(st);
    bb_buf_free(&ep);
    bb_buf_free(&key);
    return rc;
}

bb_result store_run_end(store *s, int64_t run_id)
{
    sqlite3_stmt *st = NULL;
    char now[32];
    bb_result rc = BB_OK;

    store_now(now);
    if (sqlite3_prepare_v2(s->db, "UPDATE runs SET ended_at=? WHERE id=?", -1, &st, NULL) != SQLITE_OK)
        return BB_ERR_DB;
    store_bind_text(st, 1, now);
    sqlite3_bind_int64(st, 2, run_id);
    if (sqlite3_step(st) != SQLITE_DONE)
        rc = BB_ERR_DB;
    sqlite3_finalize(st);
    return rc;
}

int store_unit_is_done(store *s, int64_t run_id, const store_unit_key *key)
{
    sqlite3_stmt *st = NULL;
    int r;

    if (sqlite3_prepare_v2(s->db,
                           "SELECT 1 FROM units WHERE run_id=? AND project=? AND phase=? AND task=? AND trial=?",
                           -1, &st, NULL) != SQLITE_OK)
        return -1;
    sqlite3_bind_int64(st, 1, run_id);
    store_bind_text(st, 2, key->project);
    store_bind_text(st, 3, key->phase);
    store_bind_text(st, 4, key->task);
    sqlite3_bind_int(st, 5, key->trial);
    r = sqlite3_step(st);
    sqlite3_finalize(st);
    if (r == SQLITE_ROW)
        return 1;
    return r == SQLITE_DONE ? 0 : -1;
}

static bb_result store_insert_round(store *s, sqlite3_int64 unit_id, const store_round *r)
{
    sqlite3_stmt *st = NULL;
    bb_result rc = BB_OK;

    if (sqlite3_prepare_v2(s->db,
                           "INSERT INTO rounds(unit_id, round, verdict, http_status, infra_class, request_bytes, "
                           "response_bytes, prompt_tokens, cached_tokens, completion_tokens, reasoning_tokens, "
                           "ttfb_ms, total_ms, server_prompt_ms, server_predicted_ms, call_source, repairs, "
                           "errors, n_errors) VALUES(?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)",
                           -1, &st, NULL) != SQLITE_OK)
        return BB_ERR_DB;
    sqlite3_bind_int64(st, 1, unit_id);
    sqlite3_bind_int(st, 2, r->round);
    store_bind_text(st, 3, r->verdict);
    sqlite3_bind_int(st, 4, r->http_status);
    store_bind_text(st, 5, r->infra_class);
    sqlite3_bind_int64(st, 6, r->request_bytes);
    sqlite3_bind_int64(st, 7, r->response_bytes);
    sqlite3_bind_int64(st, 8, r->prompt_tokens);
    sqlite3_bind_int64(st, 9, r->cached_tokens);
    sqlite3_bind_int64(st, 10, r->completion_tokens);
    sqlite3_bind_int64(st, 11, r->reasoning_tokens);
    sqlite3_bind_double(st, 12, r->ttfb_ms);
    sqlite3_bind_double(st, 13, r->total_ms);
    sqlite3_bind_double(st, 14, r->server_prompt_ms);
    sqlite3_bind_double(st, 15, r->server_predicted_ms);
    store_bind_text(st, 16, r->call_source);
    store_bind_text(st, 17, r->repairs ? r->repairs : "[]");
    store_bind_text(st, 18, r->errors ? r->errors : "[]");
    sqlite3_bind_int(st, 19, r->n_errors);
    if (sqlite3_step(st) != SQLITE_DONE)
        rc = BB_ERR_DB;
    sqlite3_finalize(st);
    return rc;
}

bb_result store_unit_finish(store *s, int64_t run_id, const store_unit *u, int *inserted)
{
    sqlite3_stmt *st = NULL;
    sqlite3_int64 unit_id;
    char now[32];
    bb_result rc = BB_OK;
    size_t i;

    if (inserted)
        *inserted = 0;
    if (store_exec(s, "BEGIN IMMEDIATE") != BB_OK)
        return BB_ERR_DB;
    store_now(now);
    if (sqlite3_prepare_v2(s->db,
                           "INSERT INTO units(run_id, project, phase, task, trial, state, outcome, rounds, score, "
                           "prompt_tokens, cached_tokens, completion_tokens, reasoning_tokens, cost_usd, "
                           "finished_at) VALUES(?,?,?,?,?,'done',?,?,?,?,?,?,?,?,?) "
                           "ON CONFLICT(run_id, project, phase, task, trial) DO NOTHING",
                           -1, &st, NULL) != SQLITE_OK) {
        rc = BB_ERR_DB;
        goto out;
    }
    sqlite3_bind_int64(st, 1, run_id);
    store_bind_text(st, 2, u->key.project);
    store_bind_text(st, 3, u->key.phase);
    store_bind_text(st, 4, u->key.task);
    sqlite3_bind_int(st, 5, u->key.trial);
    store_bind_text(st, 6, u->outcome);
    sqlite3_bind_int(st, 7, u->rounds_used);
    if (u->score >= 0)
        sqlite3_bind_double(st, 8, u->score);
    else
        sqlite3_bind_null(st, 8);
    sqlite3_bind_int64(st, 9, u->prompt_tokens);
    sqlite3_bind_int64(st, 10, u->cached_tokens);
    sqlite3_bind_int64(st, 11, u->completion_tokens);
    sqlite3_bind_int64(st, 12, u->reasoning_tokens);
    if (u->cost_usd >= 0)
        sqlite3_bind_double(st, 13, u->cost_usd);
    else
        sqlite3_bind_null(st, 13);
    store_bind_text(st, 14, now);
    if (sqlite3_step(st) != SQLITE_DONE) {
        rc = BB_ERR_DB;
        goto out;
    }
    if (sqlite3_changes(s->db) == 0)
        goto out; /* already finished: keep the first */
    unit_id = sqlite3_last_insert_rowid(s->db);
    for (i = 0; rc == BB_OK && i < u->n_rounds; i++)
        rc = store_insert_round(s, unit_id, &u->rounds[i]);
    if (rc == BB_OK && u->artifact_kind && u->artifact) {
        sqlite3_finalize(st);
        st = NULL;
        if (sqlite3_prepare_v2(s->db, "INSERT INTO artifacts(unit_id, kind, content) VALUES(?,?,?)", -1, &st,
                               NULL) != SQLITE_OK) {
            rc = BB_ERR_DB;
            goto out;
        }
        sqlite3_bind_int64(st, 1, unit_id);
        store_bind_text(st, 2, u->artifact_kind);
        store_bind_text(st, 3, u->artifact);
        if (sqlite3_step(st) != SQLITE_DONE)
            rc = BB_ERR_DB;
    }
    if (rc == BB_OK && inserted)
        *inserted = 1;
out:
    sqlite3_finalize(st);
    if (rc == BB_OK && store_exec(s, "COMMIT") != BB_OK)
        rc = BB_ERR_DB;
    if (rc != BB_OK) {
        store_exec(s, "ROLLBACK");
        if (inserted)
            *inserted = 0;
    }
    return rc;
}

bb_result store_unit_set_score(store *s, int64_t run_id, const store_unit_key *key, double score)
{
    sqlite3_stmt *st = NULL;
    bb_result rc = BB_OK;

    if (sqlite3_prepare_v2(s->db,
                           "UPDATE units SET score=? WHERE run_id=? AND project=? AND phase=? AND task=? AND trial=?",
                           -1, &st, NULL) != SQLITE_OK)
        return BB_ERR_DB;
    sqlite3_bind_double(st, 1, score);
    sqlite3_bind_int64(st, 2, run_id);
    store_bind_text(st, 3, key->project);
    store_bind_text(st, 4, key->phase);
    store_bind_text(st, 5, key->task);
    sqlite3_bind_int(st, 6, key->trial);
    if (sqlite3_step(st) != SQLITE_DONE)
        rc = BB_ERR_DB;
    else if (sqlite3_changes(s->db) == 0)
        rc = BB_ERR_NOT_FOUND;
    sqlite3_finalize(st);
    return rc;
}

/* The merge is plain SQL over an attached database: runs by run_key, units
 * by (run_key, project, phase, task, trial), rounds and artifacts by the
 * units they belong to. */
static const char *const store_merge_sql =
    "INSERT INTO runs(run_key, backbench_version, git_rev, benchmark_version, model, endpoint, server_kind,"
    " sampling, harness_mode, run_mode, imported, started_at, ended_at)"
    " SELECT run_key, backbench_version, git_rev, benchmark_version, model, endpoint, server_kind, sampling,"
    " harness_mode, run_mode, imported, started_at, ended_at FROM src.runs WHERE true"
    " ON CONFLICT(run_key) DO NOTHING;"
    "CREATE TEMP TABLE merge_map AS"
    " SELECT su.id AS src_id, r.id AS run_id FROM src.units su JOIN src.runs sr ON sr.id = su.run_id"
    " JOIN main.runs r ON r.run_key = sr.run_key"
    " WHERE NOT EXISTS (SELECT 1 FROM main.units u WHERE u.run_id = r.id AND u.project = su.project"
    " AND u.phase = su.phase AND u.task = su.task AND u.trial = su.trial);"
    "CREATE TEMP TABLE merge_ids(src_id INTEGER PRIMARY KEY, dst_id INTEGER);";

bb_result store_merge(store *s, const char *src_path, long *added)
{
    sqlite3_stmt *sel = NULL, *ins = NULL, *map = NULL;
    bb_result rc = BB_OK;
    long n = 0;

    if (added)
        *added = 0;
    if (sqlite3_prepare_v2(s->db, "ATTACH DATABASE ? AS src", -1, &sel, NULL) != SQLITE_OK)
        return BB_ERR_DB;
    store_bind_text(sel, 1, src_path);
    if (sqlite3_step(sel) != SQLITE_DONE) {
        sqlite3_finalize(sel);
        return BB_ERR_DB;
    }
    sqlite3_finalize(sel);
    sel = NULL;
    if (store_exec(s, "BEGIN IMMEDIATE") != BB_OK) {
        rc = BB_ERR_DB;
        goto detach;
    }
    if (store_exec(s, store_merge_sql) != BB_OK) {
        rc = BB_ERR_DB;
        goto out;
    }
    if (sqlite3_prepare_v2(s->db,
                           "SELECT m.src_id, m.run_id, su.project, su.phase, su.task, su.trial, su.state,"
                           " su.outcome, su.rounds, su.score, su.prompt_tokens, su.cached_tokens,"
                           " su.completion_tokens, su.reasoning_tokens, su.cost_usd, su.finished_at"
                           " FROM temp.merge_map m JOIN src.units su ON su.id = m.src_id ORDER BY m.src_id",
                           -1, &sel, NULL) != SQLITE_OK ||
        sqlite3_prepare_v2(s->db,
                           "INSERT INTO main.units(run_id, project, phase, task, trial, state, outcome, rounds,"
                           " score, prompt_tokens, cached_tokens, completion_tokens, reasoning_tokens, cost_usd,"
                           " finished_at) VALUES(?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)",
                           -1, &ins, NULL) != SQLITE_OK ||
        sqlite3_prepare_v2(s->db, "INSERT INTO temp.merge_ids(src_id, dst_id) VALUES(?,?)", -1, &map, NULL) !=
            SQLITE_OK) {
        rc = BB_ERR_DB;
        goto out;
    }
    while (rc == BB_OK && sqlite3_step(sel) == SQLITE_ROW) {
        int c;

        sqlite3_reset(ins);
        for (c = 1; c < 16; c++)
            sqlite3_bind_value(ins, c, sqlite3_column_value(sel, c));
        if (sqlite3_step(ins) != SQLITE_DONE) {
            rc = BB_ERR_DB;
            break;
        }
        sqlite3_reset(map);
        sqlite3_bind_int64(map, 1, sqlite3_column_int64(sel, 0));
        sqlite3_bind_int64(map, 2, sqlite3_last_insert_rowid(s->db));
        if (sqlite3_step(map) != SQLITE_DONE)
            rc = BB_ERR_DB;
        n++;
    }
    if (rc == BB_OK &&
        store_exec(s, "INSERT INTO main.rounds SELECT m.dst_id, r.round, r.verdict, r.http_status, r.infra_class,"
                      " r.request_bytes, r.response_bytes, r.prompt_tokens, r.cached_tokens, r.completion_tokens,"
                      " r.reasoning_tokens, r.ttfb_ms, r.total_ms, r.server_prompt_ms, r.server_predicted_ms,"
                      " r.call_source, r.repairs, r.errors, r.n_errors"
                      " FROM src.rounds r JOIN temp.merge_ids m ON m.src_id = r.unit_id;"
                      "INSERT INTO main.artifacts SELECT m.dst_id, a.kind, a.content"
                      " FROM src.artifacts a JOIN temp.merge_ids m ON m.src_id = a.unit_id;") != BB_OK)
        rc = BB_ERR_DB;
out:
    sqlite3_finalize(sel);
    sqlite3_finalize(ins);
    sqlite3_finalize(map);
    if (rc == BB_OK && store_exec(s, "COMMIT") != BB_OK)
        rc = BB_ERR_DB;
    if (rc != BB_OK)
        store_exec(s, "ROLLBACK");
    store_exec(s, "DROP TABLE IF EXISTS temp.merge_map; DROP TABLE IF EXISTS temp.merge_ids;");
detach:
    store_exec(s, "DETACH DATABASE src");
    if (rc == BB_OK && added)
        *added = n;
    return rc;
}

typedef struct store_query_ctx {
    store_row_fn row;
    void *ctx;
} store_query_ctx;

static int store_query_cb(void *p, int ncols, char **vals, char **names)
{
    store_query_ctx *q = p;

    (void)names;
    return q->row(q->ctx, ncols, (const char *const *)vals);
}

bb_result store_query(store *s, const char *sql, store_row_fn row, void *ctx)
{
    store_query_ctx q = {row, ctx};

    return sqlite3_exec(s->db, sql, store_query_cb, &q, NULL) == SQLITE_OK ? BB_OK : BB_ERR_DB;
}
