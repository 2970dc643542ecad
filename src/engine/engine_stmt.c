/*
 * engine_stmt.c — the engine's cache of prepared statements (declared in
 * engine_internal.h).
 *
 * The interpreter builds the SQL of a database operation from the AST with
 * bound parameters only, so one AST node yields the same SQL text on every
 * call; parsing that text again was about half of the time of an
 * acceptance test. The cache keeps up to ENG_STMT_CACHE prepared statements
 * per connection keyed by their exact text. A statement handed out is
 * "busy" until it is given back (reset, bindings cleared); a request for
 * text whose statement is busy gets a fresh, uncached statement, so nested
 * use can never reset a statement that is still being stepped. When the
 * cache is full, a statement that is not busy is finalised to make room
 * (round robin).
 */
#include <string.h>

#include "engine/engine_internal.h"
#include "util/alloc.h"

struct eng_stmt_slot {
    uint64_t hash;
    size_t len;
    char *sql;
    sqlite3_stmt *stmt;
    int busy;
};

static uint64_t est_hash(const char *s, size_t n)
{
    uint64_t h = 1469598103934665603ull; /* FNV-1a */
    size_t i;

    for (i = 0; i < n; i++) {
        h ^= (unsigned char)s[i];
        h *= 1099511628211ull;
    }
    return h;
}

/* A free slot: an empty one, else a non-busy one evicted; NULL when every
 * slot is busy. */
static eng_stmt_slot *est_room(eng_engine *e)
{
    size_t k;

    if (!e->stmts) {
        e->stmts = bb_calloc(ENG_STMT_CACHE, sizeof *e->stmts);
        if (!e->stmts)
            return NULL;
    }
    if (e->n_stmts < ENG_STMT_CACHE)
        return &e->stmts[e->n_stmts++];
    for (k = 0; k < ENG_STMT_CACHE; k++) {
        eng_stmt_slot *sl = &e->stmts[(e->stmt_evict + k) % ENG_STMT_CACHE];

        if (!sl->busy) {
            e->stmt_evict = (e->stmt_evict + k + 1) % ENG_STMT_CACHE;
            sqlite3_finalize(sl->stmt);
            bb_free(sl->sql);
            memset(sl, 0, sizeof *sl);
            return sl;
        }
    }
    return NULL;
}

int eng_stmt_get(eng_engine *e, const char *sql, size_t len, sqlite3_stmt **out)
{
    uint64_t h = est_hash(sql, len);
    eng_stmt_slot *sl;
    size_t k;
    int rc;

    *out = NULL;
    for (k = 0; k < e->n_stmts; k++) {
        sl = &e->stmts[k];
        if (sl->hash == h && !sl->busy && sl->len == len && memcmp(sl->sql, sql, len) == 0) {
            sl->busy = 1;
            *out = sl->stmt;
            return SQLITE_OK;
        }
    }
    rc = sqlite3_prepare_v2(e->sql, sql, (int)len, out, NULL);
    if (rc != SQLITE_OK)
        return rc;
    sl = est_room(e);
    if (sl) {
        sl->sql = bb_malloc(len + 1);
        if (!sl->sql) {
            memset(sl, 0, sizeof *sl); /* stays empty; the statement is used uncached */
            return SQLITE_OK;
        }
        memcpy(sl->sql, sql, len);
        sl->sql[len] = 0;
        sl->hash = h;
        sl->len = len;
        sl->stmt = *out;
        sl->busy = 1;
    }
    return SQLITE_OK;
}

void eng_stmt_put(eng_engine *e, sqlite3_stmt *s)
{
    size_t k;

    if (!s)
        return;
    for (k = 0; k < e->n_stmts; k++) {
        if (e->stmts[k].stmt == s) {
            (void)sqlite3_reset(s);
            (void)sqlite3_clear_bindings(s);
            e->stmts[k].busy = 0;
            return;
        }
    }
    sqlite3_finalize(s);
}

int eng_stmt_exec(eng_engine *e, const char *sql)
{
    sqlite3_stmt *s = NULL;
    int rc = eng_stmt_get(e, sql, strlen(sql), &s);

    if (rc != SQLITE_OK)
        return rc;
    while ((rc = sqlite3_step(s)) == SQLITE_ROW)
        ;
    eng_stmt_put(e, s);
    return rc == SQLITE_DONE ? SQLITE_OK : rc;
}

void eng_stmt_cache_free(eng_engine *e)
{
    size_t k;

    for (k = 0; k < e->n_stmts; k++) {
        sqlite3_finalize(e->stmts[k].stmt);
        bb_free(e->stmts[k].sql);
    }
    bb_free(e->stmts);
    e->stmts = NULL;
    e->n_stmts = 0;
}
