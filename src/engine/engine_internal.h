/*
 * engine_internal.h — state shared by the engine's modules (engine.c: the
 * request pipeline; engine_run.c: the interpreter; engine_sql.c: database
 * operations). Not part of the engine's public interface (engine.h).
 */
#ifndef BB_ENGINE_INTERNAL_H
#define BB_ENGINE_INTERNAL_H

#include <sqlite3.h>

#include "ast/ast_api.h"
#include "ast/ast_db.h"
#include "ast/ast_impl.h"
#include "engine/engine.h"
#include "engine/engine_auth.h"
#include "engine/engine_value.h"

#define ENG_STMT_CACHE 1024 /* prepared statements kept per connection (engine_stmt.c) */

typedef struct eng_stmt_slot eng_stmt_slot;

struct eng_engine {
    const ast_db *db;
    const ast_api_doc *api;
    sqlite3 *sql;
    eng_auth auth;
    int64_t clock_ms;
    eng_params p;
    const ast_impl_op **impls; /* indexed like api->operations */
    size_t last_steps;
    size_t n_sql;     /* SQL statements prepared so far */
    bb_buf last_sql;  /* text of the last one (tests) */
    bb_buf reset_sql;     /* eng_reset: one DELETE per table, NUL-separated */
    int reset_ready;
    int reset_toggle_fk;  /* the tables reference each other in a cycle */
    eng_stmt_slot *stmts; /* the statement cache (engine_stmt.c) */
    size_t n_stmts;
    size_t stmt_evict;
};

/* engine_stmt.c: a prepared statement for the exact text sql[0..len) —
 * cached, or fresh when the cached one is busy — returned with eng_stmt_put
 * (reset and unbound, or finalised when uncached). SQLite result codes. */
int eng_stmt_get(eng_engine *e, const char *sql, size_t len, sqlite3_stmt **out /* OUT */);
void eng_stmt_put(eng_engine *e, sqlite3_stmt *s);
/* Runs a statement without parameters (BEGIN, COMMIT, ROLLBACK) through the cache. */
int eng_stmt_exec(eng_engine *e, const char *sql);
/* Finalises every cached statement (before the connection closes). */
void eng_stmt_cache_free(eng_engine *e);

typedef struct eng_var {
    const char *name;
    const eng_value *v;
    int is_const;
} eng_var;

typedef enum eng_flow {
    ENG_FLOW_NEXT = 0, /* fall through to the next statement */
    ENG_FLOW_RETURN,   /* status + result */
    ENG_FLOW_THROW,    /* status + msg */
    ENG_FLOW_FAIL      /* engine error: msg (500, engine_error) */
} eng_flow;

typedef struct eng_run {
    eng_engine *e;
    bb_arena *arena;
    const ast_api_operation *op;
    const char *actor;          /* actor of issued tokens (the operation's) */
    const eng_value *body;      /* request body (undefined when none) */
    const eng_value *params;    /* object of path parameters */
    const eng_value *query;     /* object of query parameters */
    const eng_value *principal; /* {id, actor} or null */
    eng_var *vars;
    size_t n_vars;
    size_t steps;
    eng_flow flow;
    int status;
    const eng_value *result;
    bb_buf msg;
} eng_run;

/* Marks the run failed with a message located at path; returns NULL. */
const eng_value *eng_run_fail(eng_run *r, const char *path, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
/* Charges n steps; 0 (and the run failed) when the budget is exhausted. */
int eng_run_step(eng_run *r, size_t n, const char *path);
/* Evaluates an expression; NULL when the run failed. */
const eng_value *eng_run_eval(eng_run *r, const ast_impl_expr *x);
/* Runs a block; returns the flow. */
eng_flow eng_run_block(eng_run *r, const ast_impl_block *b);

/* Runs a database expression (findMany ... delete). NULL when the run failed. */
const eng_value *eng_sql_exec(eng_run *r, const ast_impl_expr *x);

#endif
