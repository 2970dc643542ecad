/*
 * engine.c — the engine's request pipeline (see engine.h): opening the
 * SQLite database from the DB AST, routing, authorization, DTO validation,
 * running the implementation in a transaction, and shaping the response.
 */
#include "engine/engine.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "emit/emit_sqlite.h"
#include "engine/engine_dto.h"
#include "engine/engine_internal.h"
#include "json/json_util.h"
#include "util/alloc.h"

#define EN_MAX_SEGMENTS 32     /* segments of a request path */
#define EN_MAX_SEGMENT 512     /* bytes of one segment */
#define EN_MAX_QUERY 64        /* query parameters */
#define EN_BODY_DEPTH 64       /* nesting of a request body */
#define EN_RESPONSE_MAX ((size_t)16 * 1024 * 1024)

eng_params eng_default_params(void)
{
    eng_params p;

    p.seed = 1;
    p.epoch_ms = ENG_EPOCH_MS_DEFAULT;
    p.tick_ms = 1000;
    p.max_steps = 200000;
    p.max_arena = (size_t)32 * 1024 * 1024;
    p.max_rows = 10000;
    p.max_body = (size_t)1024 * 1024;
    p.max_vars = 1024;
    return p;
}

void eng_sqlite_setup(void)
{
    (void)sqlite3_config(SQLITE_CONFIG_MEMSTATUS, 0); /* SQLITE_MISUSE once SQLite is initialised: ignored */
}

void eng_response_init(eng_response *r)
{
    r->status = 0;
    r->engine_error = 0;
    bb_buf_init(&r->body, EN_RESPONSE_MAX);
}

void eng_response_free(eng_response *r)
{
    if (r)
        bb_buf_free(&r->body);
}

int64_t eng_clock(const eng_engine *e)
{
    return e->clock_ms;
}

void eng_clock_advance(eng_engine *e, int64_t ms)
{
    e->clock_ms += ms;
}

size_t eng_last_steps(const eng_engine *e)
{
    return e->last_steps;
}

size_t eng_sql_statements(const eng_engine *e)
{
    return e->n_sql;
}

const char *eng_last_sql(const eng_engine *e)
{
    return bb_buf_str(&e->last_sql);
}

void eng_close(eng_engine *e)
{
    if (!e)
        return;
    eng_stmt_cache_free(e);
    sqlite3_close(e->sql);
    bb_buf_free(&e->last_sql);
    bb_buf_free(&e->reset_sql);
    bb_free(e->impls);
    bb_free(e);
}

struct eng_image {
    unsigned char *bytes; /* sqlite3_malloc64 */
    sqlite3_int64 size;
};

/* A new in-memory connection with the schema: from img's copy, else by
 * running the DDL compiled from db. */
static bb_result en_open_sql(const ast_db *db, const eng_image *img, sqlite3 **out, bb_buf *errmsg)
{
    sqlite3 *sql = NULL;
    bb_buf ddl;
    char *err = NULL;
    bb_result rc = BB_OK;

    *out = NULL;
    bb_buf_init(&ddl, (size_t)16 * 1024 * 1024);
    if (sqlite3_open_v2(":memory:", &sql, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, NULL) != SQLITE_OK) {
        rc = sql ? BB_ERR_DB : BB_ERR_NOMEM;
        goto out;
    }
    if (img) {
        unsigned char *copy = sqlite3_malloc64((sqlite3_uint64)img->size);

        if (!copy) {
            rc = BB_ERR_NOMEM;
            goto out;
        }
        memcpy(copy, img->bytes, (size_t)img->size);
        /* FREEONCLOSE: the copy belongs to the connection, even on failure */
        if (sqlite3_deserialize(sql, "main", copy, img->size, img->size,
                                SQLITE_DESERIALIZE_FREEONCLOSE | SQLITE_DESERIALIZE_RESIZEABLE) != SQLITE_OK) {
            if (errmsg)
                (void)bb_buf_printf(errmsg, "the database image does not load: %s", sqlite3_errmsg(sql));
            rc = BB_ERR_DB;
            goto out;
        }
    } else {
        rc = emit_sqlite(db, &ddl);
        if (rc != BB_OK) {
            if (errmsg)
                (void)bb_buf_printf(errmsg, "the database design cannot be compiled to SQLite: %s", bb_strerror(rc));
            goto out;
        }
    }
    if (sqlite3_exec(sql, "PRAGMA foreign_keys = ON;", NULL, NULL, &err) != SQLITE_OK ||
        (!img && sqlite3_exec(sql, bb_buf_str(&ddl), NULL, NULL, &err) != SQLITE_OK)) {
        if (errmsg)
            (void)bb_buf_printf(errmsg, "the SQLite DDL failed: %s", err ? err : "?");
        rc = BB_ERR_DB;
        goto out;
    }
    *out = sql;
    sql = NULL;
out:
    sqlite3_free(err);
    sqlite3_close(sql);
    bb_buf_free(&ddl);
    return rc;
}

static bb_result en_open(const eng_image *img, const ast_db *db, const ast_api_doc *api, const eng_params *params,
                         eng_engine **out, bb_buf *errmsg)
{
    eng_engine *e = NULL;
    bb_result rc;

    *out = NULL;
    e = bb_calloc(1, sizeof *e);
    if (!e)
        return BB_ERR_NOMEM;
    e->db = db;
    e->api = api;
    bb_buf_init(&e->last_sql, (size_t)256 * 1024 + 1);
    bb_buf_init(&e->reset_sql, (size_t)1024 * 1024);
    e->p = params ? *params : eng_default_params();
    e->clock_ms = e->p.epoch_ms;
    eng_auth_init(&e->auth, e->p.seed);
    e->impls = bb_calloc(api->n_operations ? api->n_operations : 1, sizeof *e->impls);
    rc = e->impls ? en_open_sql(db, img, &e->sql, errmsg) : BB_ERR_NOMEM;
    if (rc != BB_OK) {
        eng_close(e);
        return rc;
    }
    *out = e;
    return BB_OK;
}

#define EN_RESET_TABLES 512

/* Appends the DELETE of table name to the reset plan. */
static bb_result en_reset_add(eng_engine *e, const char *name)
{
    if (bb_buf_printf(&e->reset_sql, "DELETE FROM \"%s\"", name) != BB_OK || bb_buf_putc(&e->reset_sql, '\0') != BB_OK)
        return BB_ERR_LIMIT;
    return BB_OK;
}

/* The tables of e's database as the DELETE statements that empty them, in
 * e->reset_sql ("DELETE FROM \"t\"\0" each), children before the tables
 * they reference, so foreign keys stay on: changing that pragma would
 * expire every prepared statement. With a cycle of references, the pragma
 * is turned off during the reset after all (e->reset_toggle_fk). */
static bb_result en_reset_plan(eng_engine *e)
{
    char *names[EN_RESET_TABLES];
    unsigned char refs[EN_RESET_TABLES][EN_RESET_TABLES / 8]; /* refs[i] bit j: table i references j */
    int done[EN_RESET_TABLES] = {0};
    size_t n = 0, i, j, left;
    sqlite3_stmt *st = NULL;
    bb_result rc = BB_OK;
    int src;

    memset(refs, 0, sizeof refs);
    bb_buf_reset(&e->reset_sql);
    if (sqlite3_prepare_v2(e->sql, "SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name", -1, &st,
                           NULL) != SQLITE_OK)
        return BB_ERR_DB;
    while ((src = sqlite3_step(st)) == SQLITE_ROW && rc == BB_OK) {
        const char *name = (const char *)sqlite3_column_text(st, 0);

        /* names come from the checked DB AST (no quotes); sqlite_sequence is emptied too */
        if (!name || strchr(name, '"') || n == EN_RESET_TABLES)
            rc = BB_ERR_LIMIT;
        else if (!(names[n++] = bb_strdup(name)))
            rc = BB_ERR_NOMEM;
    }
    sqlite3_finalize(st);
    if (rc == BB_OK && src != SQLITE_DONE)
        rc = BB_ERR_DB;
    for (i = 0; i < n && rc == BB_OK; i++) {
        char q[600];

        snprintf(q, sizeof q, "SELECT \"table\" FROM pragma_foreign_key_list('%s')", names[i]);
        if (sqlite3_prepare_v2(e->sql, q, -1, &st, NULL) != SQLITE_OK) {
            rc = BB_ERR_DB;
            break;
        }
        while (sqlite3_step(st) == SQLITE_ROW) {
            const char *parent = (const char *)sqlite3_column_text(st, 0);

            for (j = 0; parent && j < n; j++)
                if (j != i && strcmp(names[j], parent) == 0)
                    refs[i][j / 8] |= (unsigned char)(1u << (j % 8));
        }
        sqlite3_finalize(st);
    }
    /* children first: a table goes when no table still to empty references it */
    for (left = n; rc == BB_OK && left > 0;) {
        size_t before = left;

        for (j = 0; j < n && rc == BB_OK; j++) {
            int referenced = 0;

            if (done[j])
                continue;
            for (i = 0; i < n && !referenced; i++)
                referenced = !done[i] && (refs[i][j / 8] >> (j % 8) & 1);
            if (referenced)
                continue;
            done[j] = 1;
            left--;
            rc = en_reset_add(e, names[j]);
        }
        if (left == before) { /* a cycle: the rest in any order, foreign keys off meanwhile */
            e->reset_toggle_fk = 1;
            for (j = 0; j < n && rc == BB_OK; j++) {
                if (done[j])
                    continue;
                done[j] = 1;
                left--;
                rc = en_reset_add(e, names[j]);
            }
        }
    }
    for (i = 0; i < n; i++)
        bb_free(names[i]);
    e->reset_ready = rc == BB_OK;
    return rc;
}

bb_result eng_reset(eng_engine *e)
{
    size_t off;
    int ok = 1;
    bb_result rc = e->reset_ready ? BB_OK : en_reset_plan(e);

    if (rc != BB_OK)
        return rc;
    if (e->reset_toggle_fk)
        ok = eng_stmt_exec(e, "PRAGMA foreign_keys = OFF") == SQLITE_OK;
    ok = ok && eng_stmt_exec(e, "BEGIN") == SQLITE_OK;
    for (off = 0; ok && off < e->reset_sql.len; off += strlen(e->reset_sql.data + off) + 1)
        ok = eng_stmt_exec(e, e->reset_sql.data + off) == SQLITE_OK;
    if (ok)
        ok = eng_stmt_exec(e, "COMMIT") == SQLITE_OK;
    else
        (void)eng_stmt_exec(e, "ROLLBACK");
    if (e->reset_toggle_fk && eng_stmt_exec(e, "PRAGMA foreign_keys = ON") != SQLITE_OK)
        ok = 0;
    e->clock_ms = e->p.epoch_ms;
    eng_auth_init(&e->auth, e->p.seed);
    e->last_steps = 0;
    memset(e->impls, 0, (e->api->n_operations ? e->api->n_operations : 1) * sizeof *e->impls);
    return ok ? BB_OK : BB_ERR_DB;
}

bb_result eng_open(const ast_db *db, const ast_api_doc *api, const eng_params *params, eng_engine **out,
                   bb_buf *errmsg)
{
    return en_open(NULL, db, api, params, out, errmsg);
}

bb_result eng_open_image(const eng_image *img, const ast_db *db, const ast_api_doc *api, const eng_params *params,
                         eng_engine **out, bb_buf *errmsg)
{
    return en_open(img, db, api, params, out, errmsg);
}

bb_result eng_image_build(const ast_db *db, eng_image **out, bb_buf *errmsg)
{
    sqlite3 *sql = NULL;
    eng_image *img;
    bb_result rc;

    *out = NULL;
    img = bb_calloc(1, sizeof *img);
    if (!img)
        return BB_ERR_NOMEM;
    rc = en_open_sql(db, NULL, &sql, errmsg);
    if (rc == BB_OK) {
        img->bytes = sqlite3_serialize(sql, "main", &img->size, 0);
        if (!img->bytes)
            rc = BB_ERR_NOMEM;
    }
    sqlite3_close(sql);
    if (rc != BB_OK) {
        eng_image_free(img);
        return rc;
    }
    *out = img;
    return BB_OK;
}

void eng_image_free(eng_image *img)
{
    if (!img)
        return;
    sqlite3_free(img->bytes);
    bb_free(img);
}

static int en_streq_ci(const char *a, const char *b)
{
    for (; *a && *b; a++, b++) {
        char x = *a >= 'A' && *a <= 'Z' ? (char)(*a - 'A' + 'a') : *a;
        char y = *b >= 'A' && *b <= 'Z' ? (char)(*b - 'A' + 'a') : *b;

        if (x != y)
            return 0;
    }
    return *a == *b;
}

long eng_find_operation(const eng_engine *e, const char *method, const char *path_template)
{
    size_t i;

    for (i = 0; i < e->api->n_operations; i++) {
        const ast_api_operation *o = &e->api->operations[i];

        if (en_streq_ci(ast_api_method_name(o->method), method) && strcmp(o->path, path_template) == 0)
            return (long)i;
    }
    return -1;
}

bb_result eng_set_impl(eng_engine *e, const ast_impl_op *op)
{
    long i = eng_find_operation(e, ast_impl_method_name(op->method), op->path);

    if (i < 0)
        return BB_ERR_NOT_FOUND;
    e->impls[i] = op;
    return BB_OK;
}

/* ---- routing ---------------------------------------------------------------- */

/* Splits a path into segments (in place in buf). Returns the count or -1. */
static int en_split(char *buf, char **seg)
{
    int n = 0;
    char *p = buf;

    if (*p != '/')
        return -1;
    for (;;) {
        char *start = p + 1, *end = start;
        int last;

        while (*end && *end != '/')
            end++;
        last = *end == '\0';
        if (last && end == start && n > 0) /* trailing slash */
            break;
        if (n >= EN_MAX_SEGMENTS || end - start > EN_MAX_SEGMENT)
            return -1;
        seg[n++] = start;
        if (last)
            break;
        *end = '\0';
        p = end;
    }
    return n;
}

/* Decodes %XX in place; -1 on a bad escape or a NUL. */
static int en_unescape(char *s)
{
    char *w = s;

    for (; *s; s++) {
        if (*s == '%') {
            int h = 0, k;

            for (k = 1; k <= 2; k++) {
                char c = s[k];
                int d = c >= '0' && c <= '9' ? c - '0' : c >= 'a' && c <= 'f' ? c - 'a' + 10
                        : c >= 'A' && c <= 'F' ? c - 'A' + 10 : -1;

                if (d < 0)
                    return -1;
                h = h * 16 + d;
            }
            if (h == 0)
                return -1;
            *w++ = (char)h;
            s += 2;
        } else {
            *w++ = *s;
        }
    }
    *w = '\0';
    return 0;
}

/* Matches a template against request segments; fills names/values. */
static int en_match(const char *tmpl, char **seg, int n_seg, const char **names, size_t *name_lens,
                    const char **values)
{
    const char *p = tmpl;
    int i = 0;

    if (*p != '/')
        return -1;
    while (*p) {
        const char *start = ++p;
        size_t len;

        while (*p && *p != '/')
            p++;
        len = (size_t)(p - start);
        if (len == 0 && !*p && i == n_seg)
            break;
        if (i >= n_seg)
            return -1;
        if (len >= 2 && start[0] == '{' && start[len - 1] == '}') {
            if (seg[i][0] == '\0')
                return -1;
            names[i] = start + 1;
            name_lens[i] = len - 2;
            values[i] = seg[i];
        } else {
            if (strlen(seg[i]) != len || memcmp(seg[i], start, len) != 0)
                return -1;
            names[i] = NULL;
        }
        i++;
    }
    return i == n_seg ? 0 : -1;
}

/* ---- responses ---------------------------------------------------------------- */

static bb_result en_error(eng_response *resp, int status, const char *message, const schema_errors *errs,
                          int engine_error)
{
    bb_result rc;

    resp->status = status;
    resp->engine_error = engine_error;
    bb_buf_reset(&resp->body);
    rc = bb_buf_printf(&resp->body, "{\"status\":%d,\"message\":", status);
    if (rc == BB_OK)
        rc = bb_buf_put_json_string(&resp->body, message, strlen(message));
    if (rc == BB_OK && engine_error)
        rc = bb_buf_puts(&resp->body, ",\"engine\":true");
    if (rc == BB_OK && errs && errs->n > 0) {
        rc = bb_buf_puts(&resp->body, ",\"errors\":");
        if (rc == BB_OK)
            rc = schema_errors_to_json(errs, &resp->body);
    }
    if (rc == BB_OK)
        rc = bb_buf_putc(&resp->body, '}');
    return rc;
}

static const ast_api_dto *en_dto(const eng_engine *e, const ast_api_body *b)
{
    return b && b->type_name ? ast_api_find_schema(e->api, b->type_name) : NULL;
}

/* Authorization: returns 0 and fills *principal (NULL when public), or the
 * HTTP status to refuse with (401 / 403) and a message. */
static int en_authorize(eng_engine *e, const ast_api_operation *op, const char *header, eng_principal *p,
                        int *has_principal, const char **why)
{
    const char *tok;
    eng_token_verdict v;

    *has_principal = 0;
    if (header) {
        tok = header;
        if (strncmp(tok, "Bearer ", 7) == 0 || strncmp(tok, "bearer ", 7) == 0)
            tok += 7;
        v = eng_auth_verify_token(&e->auth, tok, strlen(tok), ENG_TOKEN_ACCESS, e->clock_ms, p);
        if (v == ENG_TOKEN_OK)
            *has_principal = 1;
    } else {
        v = ENG_TOKEN_MALFORMED;
    }
    if (!op->authorization_actor || op->authorization_type != AST_API_AUTH_NONE)
        return 0;
    if (!header) {
        *why = "authentication required: send Authorization: Bearer <access token>";
        return 401;
    }
    if (v != ENG_TOKEN_OK) {
        *why = v == ENG_TOKEN_EXPIRED ? "the access token has expired" : "the access token is invalid";
        return 401;
    }
    if (strcmp(p->actor, op->authorization_actor) != 0) {
        *why = "this operation is not allowed for the token's actor";
        return 403;
    }
    return 0;
}

/* Converts a path parameter to the value its schema asks for; NULL when it
 * cannot be (then the request is a 400). */
static const eng_value *en_param_value(bb_arena *a, const ast_api_parameter *p, const char *raw)
{
    const ast_api_dto *d = p->schema;

    if (d && (d->kind == AST_API_DTO_INTEGER || d->kind == AST_API_DTO_NUMBER)) {
        char *end;
        double n = strtod(raw, &end);

        return *raw && *end == '\0' ? eng_num(a, n) : eng_strz(a, raw);
    }
    if (d && d->kind == AST_API_DTO_BOOLEAN && (strcmp(raw, "true") == 0 || strcmp(raw, "false") == 0))
        return eng_bool(a, raw[0] == 't');
    return eng_strz(a, raw);
}

typedef struct en_state {
    bb_arena *arena;
    schema_errors errs;
    bb_buf msg_copy;
    char pathbuf[EN_MAX_SEGMENTS * (EN_MAX_SEGMENT + 1) + 2];
    char *seg[EN_MAX_SEGMENTS];
    const char *names[EN_MAX_SEGMENTS];
    size_t name_lens[EN_MAX_SEGMENTS];
    const char *values[EN_MAX_SEGMENTS];
} en_state;

static bb_result en_params(eng_engine *e, en_state *s, const ast_api_operation *op, int n_seg, eng_value **out)
{
    eng_value *o = eng_obj(s->arena, (size_t)n_seg);
    int i;
    size_t k = 0, j;

    if (!o)
        return BB_ERR_NOMEM;
    for (i = 0; i < n_seg; i++) {
        const ast_api_parameter *p = NULL;
        char *name;
        const eng_value *v;
        bb_buf path;

        if (!s->names[i])
            continue;
        name = bb_arena_strndup(s->arena, s->names[i], s->name_lens[i]);
        if (!name)
            return BB_ERR_NOMEM;
        for (j = 0; j < op->n_parameters; j++) {
            if (strcmp(op->parameters[j].name, name) == 0)
                p = &op->parameters[j];
        }
        v = p ? en_param_value(s->arena, p, s->values[i]) : eng_strz(s->arena, s->values[i]);
        if (!v)
            return BB_ERR_NOMEM;
        if (p && p->schema) {
            bb_result rc;

            bb_buf_init(&path, 1024);
            rc = bb_buf_puts(&path, "$input.path");
            if (rc == BB_OK)
                rc = schema_path_key(&path, name);
            if (rc == BB_OK)
                rc = eng_dto_validate(e->api, p->schema, v, bb_buf_str(&path), &s->errs);
            bb_buf_free(&path);
            if (rc != BB_OK && rc != BB_ERR_INVALID)
                return rc;
        }
        o->keys[k] = name;
        o->items[k++] = (eng_value *)v;
    }
    o->len = k;
    *out = o;
    return BB_OK;
}

static bb_result en_query(en_state *s, const char *const *q, eng_value **out)
{
    size_t n = 0, i;
    eng_value *o;

    while (q && q[2 * n] && q[2 * n + 1] && n < EN_MAX_QUERY)
        n++;
    o = eng_obj(s->arena, n);
    if (!o)
        return BB_ERR_NOMEM;
    for (i = 0; i < n; i++) {
        o->keys[i] = bb_arena_strdup(s->arena, q[2 * i]);
        o->items[i] = eng_strz(s->arena, q[2 * i + 1]);
        if (!o->keys[i] || !o->items[i])
            return BB_ERR_NOMEM;
    }
    *out = o;
    return BB_OK;
}

static bb_result en_run(eng_engine *e, en_state *s, const ast_api_operation *op, const ast_impl_op *impl,
                        eng_run *r, eng_response *resp)
{
    eng_flow f;
    bb_result rc = BB_OK;
    const ast_api_dto *out_dto = en_dto(e, op->response_body);

    if (eng_stmt_exec(e, "BEGIN") != SQLITE_OK)
        return en_error(resp, 500, "the engine could not begin a transaction", NULL, 1);
    r->vars = bb_arena_calloc(s->arena, e->p.max_vars, sizeof *r->vars);
    if (!r->vars) {
        f = ENG_FLOW_FAIL;
        eng_run_fail(r, NULL, "request memory cap reached");
    } else {
        f = eng_run_block(r, &impl->statements);
    }
    if (f == ENG_FLOW_NEXT)
        eng_run_fail(r, impl->statements.path, "the implementation ended without a return or throw");
    e->last_steps = r->steps;
    if (r->flow != ENG_FLOW_RETURN) {
        (void)eng_stmt_exec(e, "ROLLBACK");
        if (r->flow == ENG_FLOW_THROW)
            return en_error(resp, r->status, bb_buf_str(&r->msg), NULL, 0);
        return en_error(resp, 500, bb_buf_str(&r->msg), NULL, 1);
    }
    /* the response body against the response DTO */
    if (out_dto) {
        const eng_value *pruned = NULL;

        rc = eng_dto_validate(e->api, out_dto, r->result, "$response", &s->errs);
        if (rc == BB_ERR_INVALID) {
            (void)eng_stmt_exec(e, "ROLLBACK");
            return en_error(resp, 500, "the response body does not match the response DTO", &s->errs, 1);
        }
        if (rc == BB_OK)
            rc = eng_dto_prune(s->arena, e->api, out_dto, r->result, &pruned);
        if (rc == BB_OK)
            rc = eng_value_to_json(pruned, &resp->body);
    } else if (r->result->kind != ENG_UNDEF && r->result->kind != ENG_NULL) {
        (void)eng_stmt_exec(e, "ROLLBACK");
        return en_error(resp, 500, "the operation has no response body but the implementation returned one", NULL, 1);
    }
    if (rc != BB_OK) {
        (void)eng_stmt_exec(e, "ROLLBACK");
        bb_buf_reset(&resp->body);
        return en_error(resp, 500, "the response could not be built (size or memory cap)", NULL, 1);
    }
    if (eng_stmt_exec(e, "COMMIT") != SQLITE_OK) {
        (void)eng_stmt_exec(e, "ROLLBACK");
        bb_buf_reset(&resp->body);
        return en_error(resp, 500, "the transaction could not be committed", NULL, 1);
    }
    resp->status = r->status;
    return BB_OK;
}

static bb_result en_handle(eng_engine *e, en_state *s, const eng_request *req, eng_response *resp)
{
    int n_seg, method_seen = 0, status, best_literals = 0;
    size_t i;
    long found = -1;
    const ast_api_operation *op;
    const ast_impl_op *impl;
    eng_principal pr;
    int has_pr;
    const char *why = "";
    eng_run r;
    eng_value *params = NULL, *query = NULL;
    const eng_value *body = eng_undef();
    bb_result rc;

    if (strlen(req->path) >= sizeof s->pathbuf)
        return en_error(resp, 404, "no such route", NULL, 0);
    memcpy(s->pathbuf, req->path, strlen(req->path) + 1);
    n_seg = en_split(s->pathbuf, s->seg);
    if (n_seg < 0)
        return en_error(resp, 404, "no such route", NULL, 0);
    for (i = 0; i < (size_t)n_seg; i++) {
        if (en_unescape(s->seg[i]) != 0)
            return en_error(resp, 400, "bad percent-encoding in the path", NULL, 0);
    }
    /* the matching template with the most literal segments wins (/a/search before /a/{id}) */
    for (i = 0; i < e->api->n_operations; i++) {
        int literals = 0, k;

        if (en_match(e->api->operations[i].path, s->seg, n_seg, s->names, s->name_lens, s->values) != 0)
            continue;
        method_seen = 1;
        if (!en_streq_ci(ast_api_method_name(e->api->operations[i].method), req->method))
            continue;
        for (k = 0; k < n_seg; k++)
            literals += s->names[k] == NULL;
        if (found < 0 || literals > best_literals) {
            found = (long)i;
            best_literals = literals;
        }
    }
    if (found < 0)
        return en_error(resp, method_seen ? 405 : 404, method_seen ? "method not allowed" : "no such route", NULL, 0);
    op = &e->api->operations[found];
    (void)en_match(op->path, s->seg, n_seg, s->names, s->name_lens, s->values);
    impl = e->impls[found];
    e->clock_ms += e->p.tick_ms;
    status = en_authorize(e, op, req->authorization, &pr, &has_pr, &why);
    if (status)
        return en_error(resp, status, why, NULL, 0);
    rc = en_params(e, s, op, n_seg, &params);
    if (rc == BB_OK)
        rc = en_query(s, req->query, &query);
    if (rc != BB_OK)
        return en_error(resp, 500, "request memory cap reached", NULL, 1);
    if (op->request_body) {
        const ast_api_dto *in = en_dto(e, op->request_body);
        json_t *j;
        json_error_t jerr;
        eng_value *bv = NULL;

        if (!req->body || req->body_len == 0)
            return en_error(resp, 400, "a JSON request body is required", NULL, 0);
        if (req->body_len > e->p.max_body)
            return en_error(resp, 413, "request body too large", NULL, 0);
        j = json_loadb(req->body, req->body_len, JSON_DECODE_ANY | JSON_ALLOW_NUL, &jerr);
        if (!j)
            return en_error(resp, 400, "the request body is not valid JSON", NULL, 0);
        rc = eng_value_from_json(s->arena, j, EN_BODY_DEPTH, &bv);
        json_decref(j);
        if (rc == BB_ERR_LIMIT)
            return en_error(resp, 400, "the request body is nested too deeply", NULL, 0);
        if (rc != BB_OK)
            return en_error(resp, 500, "request memory cap reached", NULL, 1);
        body = bv;
        if (!in)
            return en_error(resp, 500, "the request DTO does not exist in the API design", NULL, 1);
        rc = eng_dto_validate(e->api, in, body, "$input.body", &s->errs);
        if (rc != BB_OK && rc != BB_ERR_INVALID)
            return en_error(resp, 500, "request validation failed (memory)", NULL, 1);
    }
    if (s->errs.n > 0 || s->errs.dropped > 0)
        return en_error(resp, 400, "the request does not match the operation's parameters or body", &s->errs, 0);
    if (!impl)
        return en_error(resp, 501, "this operation has no implementation", NULL, 1);
    memset(&r, 0, sizeof r);
    r.e = e;
    r.arena = s->arena;
    r.op = op;
    r.actor = op->authorization_actor;
    r.body = body;
    r.params = params;
    r.query = query;
    r.principal = eng_null();
    bb_buf_init(&r.msg, 4096);
    if (has_pr) {
        eng_value *pv = eng_obj(s->arena, 2);

        if (pv) {
            pv->keys[0] = "id";
            pv->items[0] = eng_strz(s->arena, pr.id);
            pv->keys[1] = "actor";
            pv->items[1] = eng_strz(s->arena, pr.actor);
        }
        if (!pv || !pv->items[0] || !pv->items[1]) {
            bb_buf_free(&r.msg);
            return en_error(resp, 500, "request memory cap reached", NULL, 1);
        }
        r.principal = pv;
    }
    rc = en_run(e, s, op, impl, &r, resp);
    bb_buf_free(&r.msg);
    return rc;
}

bb_result eng_handle(eng_engine *e, const eng_request *req, eng_response *resp)
{
    en_state *s;
    bb_result rc;

    bb_buf_reset(&resp->body);
    resp->status = 0;
    resp->engine_error = 0;
    e->last_steps = 0;
    s = bb_calloc(1, sizeof *s);
    if (!s)
        return BB_ERR_NOMEM;
    schema_errors_init(&s->errs, 50);
    s->arena = bb_arena_new(e->p.max_arena);
    if (!s->arena)
        rc = BB_ERR_NOMEM;
    else
        rc = en_handle(e, s, req, resp);
    bb_arena_free(s->arena);
    schema_errors_free(&s->errs);
    bb_free(s);
    return rc;
}
