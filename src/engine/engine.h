/*
 * engine.h — runs Impl ASTs (one per API operation) on an in-memory SQLite
 * database built from the DB AST; the heart of `backbench serve` and of the
 * impl phase's acceptance tests.
 *
 * An engine owns one SQLite database (created from the checked DB AST's
 * SQLite DDL), a deterministic clock and uuid stream (engine_auth.h) and a
 * table of implementations indexed like the API AST's operations. One call of
 * eng_handle is one HTTP exchange, framework included:
 *   1. route: method + path against the operations' path templates ({param}
 *      segments; the match with the most literal segments wins), 404 when
 *      none matches, 405 when only the method differs, 501 when the operation
 *      has no implementation installed;
 *   2. authorize: an operation with authorizationActor (and no
 *      authorizationType) needs "Authorization: Bearer <access token>" of that
 *      actor: 401 without a valid one, 403 for another actor's token;
 *   3. validate path parameters and the request body against the operation's
 *      DTOs (400 with located errors);
 *   4. run the implementation in one transaction (rolled back on throw or
 *      engine error) under a step budget and an arena cap;
 *   5. validate the returned body against the response DTO and prune
 *      undeclared properties; a mismatch is a 500 engine failure
 *      (resp->engine_error set), never a 200.
 * Errors are JSON bodies {"status", "message", "errors"?}; engine failures
 * carry "engine": true so tests tell a model's 4xx from a broken
 * implementation.
 *
 * Not thread-safe: callers serialise eng_handle (serve holds a mutex).
 */
#ifndef BB_ENGINE_H
#define BB_ENGINE_H

#include <stddef.h>
#include <stdint.h>

#include "ast/ast_api.h"
#include "ast/ast_db.h"
#include "ast/ast_impl.h"
#include "util/buf.h"
#include "util/result.h"

typedef struct eng_params {
    uint64_t seed;        /* uuids, salts, token secret (default 1) */
    int64_t epoch_ms;     /* clock at the first request (default 2026-01-01T00:00:00Z) */
    int64_t tick_ms;      /* clock advance per request (default 1000) */
    size_t max_steps;     /* statements + expressions + rows touched per request (default 200000) */
    size_t max_arena;     /* bytes of one request's values (default 32 MiB) */
    size_t max_rows;      /* rows one findMany may return (default 10000) */
    size_t max_body;      /* bytes of a request body (default 1 MiB) */
    size_t max_vars;      /* live variables (default 1024) */
} eng_params;

eng_params eng_default_params(void);

typedef struct eng_engine eng_engine;

/* Configures SQLite for many independent connections used from several
 * threads (the logic scorer's workers): no global memory statistics, which
 * take a process-wide mutex on every allocation. Effective only before the
 * first use of SQLite in the process (later calls change nothing). */
void eng_sqlite_setup(void);

/* db must have passed ast_db_check; db and api must outlive the engine.
 * errmsg (may be NULL) receives a reason on failure. */
bb_result eng_open(const ast_db *db, const ast_api_doc *api, const eng_params *params, eng_engine **out /* OUT */,
                   bb_buf *errmsg);
void eng_close(eng_engine *e);

/* Makes e answer as a freshly opened engine: every table emptied (in one
 * transaction, foreign keys off meanwhile), the clock, the uuids and the
 * token secret restarted from the parameters, no implementation installed.
 * Prepared statements survive, which is the point: reusing one engine for
 * many acceptance tests saves parsing the same SQL again (docs/engine.md). */
bb_result eng_reset(eng_engine *e);

/* A database built once from a DB AST (its DDL executed, then serialised).
 * Opening an engine from it copies the image instead of running the DDL,
 * which is most of the cost of a fresh database for a big design (shopping:
 * about 8x less). The image is immutable; one image serves any number of
 * engines, in any thread. */
typedef struct eng_image eng_image;
bb_result eng_image_build(const ast_db *db, eng_image **out /* OUT */, bb_buf *errmsg);
void eng_image_free(eng_image *img);
/* eng_open on a copy of img, which must have been built from db. */
bb_result eng_open_image(const eng_image *img, const ast_db *db, const ast_api_doc *api, const eng_params *params,
                         eng_engine **out /* OUT */, bb_buf *errmsg);

/* Installs the implementation of the operation with op's endpoint (replacing
 * any earlier one); op must outlive the engine. BB_ERR_NOT_FOUND when the API
 * has no such operation. */
bb_result eng_set_impl(eng_engine *e, const ast_impl_op *op);

/* The index of the API operation with this endpoint, or -1. */
long eng_find_operation(const eng_engine *e, const char *method, const char *path_template);

typedef struct eng_request {
    const char *method;        /* "GET", "post", ... (case-insensitive) */
    const char *path;          /* "/user/lists/…" without the query string */
    const char *authorization; /* the Authorization header, may be NULL */
    const char *body;          /* request body text, may be NULL */
    size_t body_len;
    const char *const *query;  /* name, value pairs, NULL-terminated; may be NULL */
} eng_request;

typedef struct eng_response {
    int status;
    bb_buf body;        /* JSON text ("" for 204); owned, free with eng_response_free */
    int engine_error;   /* 1: the implementation failed (step budget, type error, DTO mismatch, ...) */
} eng_response;

void eng_response_init(eng_response *r);
void eng_response_free(eng_response *r);

/* Handles one request. BB_OK when a response was produced (any status);
 * other codes only for failures of the engine itself (nomem). */
bb_result eng_handle(eng_engine *e, const eng_request *req, eng_response *resp /* OUT */);

/* The current clock (ms since the epoch); tests move it to expire tokens. */
int64_t eng_clock(const eng_engine *e);
void eng_clock_advance(eng_engine *e, int64_t ms);

/* Steps used by the last request (for tests and budgets in reports). */
size_t eng_last_steps(const eng_engine *e);
/* SQL statements the implementations have prepared so far (tests prove
 * that a refused identifier never reaches SQL). */
size_t eng_sql_statements(const eng_engine *e);
/* The text of the last SQL statement prepared ("" before any): tests check
 * the mapping and that values are bound, never spliced. */
const char *eng_last_sql(const eng_engine *e);

#endif
