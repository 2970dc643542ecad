/*
 * engine_sql.c — the Impl AST's database operations on SQLite.
 *
 * findMany / findFirst / count / create / update / delete are compiled to one
 * SQL statement each. Table and column names come only from the Impl AST and
 * are looked up in the DB AST before they are written (double-quoted) into the
 * SQL text; a name the DB AST does not have is refused before any SQL exists.
 * Every value is a bound parameter. Mapping (docs/engine.md):
 *   where compare eq/ne with null     IS NULL / IS NOT NULL
 *   contains / startsWith             LIKE ? ESCAPE '\' (case-insensitive for ASCII)
 *   in [..]                           IN (?, ...); an empty list matches nothing
 *   a compare whose value is undefined is no condition (Prisma's rule)
 *   orderBy {column, direction, nulls, rank}  ORDER BY [CASE col WHEN ? THEN i ..]
 *                                     col ASC|DESC [NULLS FIRST|LAST], then id
 *   data with undefined values        those columns are left out
 * Rows come back typed by the DB AST: boolean columns as booleans, int and
 * double as numbers, the rest as strings; datetimes written through the
 * engine are normalised to "YYYY-MM-DDTHH:MM:SS.mmmZ" so text order is time
 * order. create fills a missing primary key with a new uuid and returns the
 * row; update and delete return the number of rows changed.
 */
#include <stdio.h>
#include <string.h>

#include "engine/engine_internal.h"
#include "util/alloc.h"

#define ES_SQL_MAX ((size_t)256 * 1024) /* bytes of one SQL statement */
#define ES_MAX_BINDS 2000               /* bound parameters of one statement */

typedef struct es_bind {
    const eng_value *v;
    int datetime; /* normalise as a datetime */
} es_bind;

typedef struct es_stmt {
    bb_buf sql;
    es_bind binds[ES_MAX_BINDS];
    size_t n_binds;
} es_stmt;

/* The type of a column: -2 unknown; -1 uuid key (primary or foreign); else ast_db_type. */
static int es_col_type(const ast_db_model *m, const char *col)
{
    size_t i;

    if (strcmp(m->primary.name ? m->primary.name : "id", col) == 0)
        return -1;
    for (i = 0; i < m->n_foreigns; i++) {
        if (strcmp(m->foreigns[i].name, col) == 0)
            return -1;
    }
    for (i = 0; i < m->n_plains; i++) {
        if (strcmp(m->plains[i].name, col) == 0)
            return (int)m->plains[i].type;
    }
    return -2;
}

static const char *es_pk(const ast_db_model *m)
{
    return m->primary.name ? m->primary.name : "id";
}

/* The i-th column of m (primary, foreigns, plains), NULL past the end. */
static const char *es_col_at(const ast_db_model *m, size_t i)
{
    if (i == 0)
        return es_pk(m);
    i--;
    if (i < m->n_foreigns)
        return m->foreigns[i].name;
    i -= m->n_foreigns;
    return i < m->n_plains ? m->plains[i].name : NULL;
}

static int es_bind_add(eng_run *r, es_stmt *st, const eng_value *v, int datetime, const char *path)
{
    if (st->n_binds >= ES_MAX_BINDS) {
        eng_run_fail(r, path, "too many bound values in one statement (at most %d)", ES_MAX_BINDS);
        return 0;
    }
    st->binds[st->n_binds].v = v;
    st->binds[st->n_binds].datetime = datetime;
    st->n_binds++;
    return 1;
}

static int es_put(eng_run *r, es_stmt *st, const char *s, const char *path)
{
    if (bb_buf_puts(&st->sql, s) != BB_OK) {
        eng_run_fail(r, path, "SQL statement too long");
        return 0;
    }
    return 1;
}

/* Writes a checked identifier, quoted. */
static int es_ident(eng_run *r, es_stmt *st, const char *name, const char *path)
{
    return es_put(r, st, "\"", path) && es_put(r, st, name, path) && es_put(r, st, "\"", path);
}

/* Looks up the table; fails the run when the DB AST has none. */
static const ast_db_model *es_model(eng_run *r, const ast_impl_expr *x)
{
    const ast_db_model *m = ast_db_find_model(r->e->db, x->s);

    if (!m)
        eng_run_fail(r, x->table_path, "unknown table %.128s: not in the database design", x->s);
    return m;
}

static int es_column(eng_run *r, const ast_db_model *m, const char *col, const char *path)
{
    int t = es_col_type(m, col);

    if (t == -2)
        eng_run_fail(r, path, "unknown column %.128s of table %s", col, m->name);
    return t;
}

static int es_like_value(eng_run *r, const eng_value *v, int prefix_only, const eng_value **out, const char *path)
{
    bb_buf b;
    size_t i;
    bb_result rc = BB_OK;

    if (v->kind != ENG_STR) {
        eng_run_fail(r, path, "contains/startsWith needs a string value, got %s", eng_kind_name(v->kind));
        return 0;
    }
    bb_buf_init(&b, v->len * 2 + 8);
    if (!prefix_only)
        rc = bb_buf_putc(&b, '%');
    for (i = 0; rc == BB_OK && i < v->len; i++) {
        if (v->s[i] == '%' || v->s[i] == '_' || v->s[i] == '\\')
            rc = bb_buf_putc(&b, '\\');
        if (rc == BB_OK)
            rc = bb_buf_putc(&b, v->s[i]);
    }
    if (rc == BB_OK)
        rc = bb_buf_putc(&b, '%');
    *out = rc == BB_OK ? eng_str(r->arena, bb_buf_str(&b), b.len) : NULL;
    bb_buf_free(&b);
    if (!*out) {
        eng_run_fail(r, path, "out of memory building a LIKE pattern");
        return 0;
    }
    return 1;
}

static int es_where(eng_run *r, es_stmt *st, const ast_db_model *m, const ast_impl_where *w);

static int es_compare(eng_run *r, es_stmt *st, const ast_db_model *m, const ast_impl_where *w)
{
    static const char *const ops[] = {" = ?", " <> ?", " < ?", " <= ?", " > ?", " >= ?"};
    int t = es_column(r, m, w->column, w->path);
    const eng_value *v;
    int dt = t == AST_DB_DATETIME;
    size_t i;

    if (t == -2)
        return 0;
    v = w->value ? eng_run_eval(r, w->value) : eng_undef();
    if (!v)
        return 0;
    if (w->op == AST_IMPL_CMP_IS_NULL) {
        int want = v->kind == ENG_UNDEF || eng_truthy(v);

        return es_ident(r, st, w->column, w->path) && es_put(r, st, want ? " IS NULL" : " IS NOT NULL", w->path);
    }
    if (v->kind == ENG_UNDEF)
        return es_put(r, st, "1", w->path);
    if (v->kind == ENG_OBJ || (v->kind == ENG_ARR && w->op != AST_IMPL_CMP_IN)) {
        eng_run_fail(r, w->path, "cannot compare column %s with a%s %s", w->column,
                     v->kind == ENG_ARR ? "n" : "n", eng_kind_name(v->kind));
        return 0;
    }
    switch (w->op) {
    case AST_IMPL_CMP_EQ:
    case AST_IMPL_CMP_NE:
        if (v->kind == ENG_NULL)
            return es_ident(r, st, w->column, w->path) &&
                   es_put(r, st, w->op == AST_IMPL_CMP_EQ ? " IS NULL" : " IS NOT NULL", w->path);
        if (w->op == AST_IMPL_CMP_NE)
            return es_put(r, st, "(", w->path) && es_ident(r, st, w->column, w->path) &&
                   es_put(r, st, " IS NULL OR ", w->path) && es_ident(r, st, w->column, w->path) &&
                   es_put(r, st, " <> ?)", w->path) && es_bind_add(r, st, v, dt, w->path);
        /* fall through */
    case AST_IMPL_CMP_LT:
    case AST_IMPL_CMP_LTE:
    case AST_IMPL_CMP_GT:
    case AST_IMPL_CMP_GTE:
        return es_ident(r, st, w->column, w->path) && es_put(r, st, ops[w->op], w->path) &&
               es_bind_add(r, st, v, dt, w->path);
    case AST_IMPL_CMP_CONTAINS:
    case AST_IMPL_CMP_STARTS_WITH: {
        const eng_value *pat;

        if (!es_like_value(r, v, w->op == AST_IMPL_CMP_STARTS_WITH, &pat, w->path))
            return 0;
        return es_ident(r, st, w->column, w->path) && es_put(r, st, " LIKE ? ESCAPE '\\'", w->path) &&
               es_bind_add(r, st, pat, 0, w->path);
    }
    case AST_IMPL_CMP_IN:
        if (v->kind != ENG_ARR) {
            eng_run_fail(r, w->path, "op \"in\" needs an array value, got %s", eng_kind_name(v->kind));
            return 0;
        }
        if (v->len == 0)
            return es_put(r, st, "0", w->path);
        if (!es_ident(r, st, w->column, w->path) || !es_put(r, st, " IN (", w->path))
            return 0;
        for (i = 0; i < v->len; i++) {
            if (v->items[i]->kind == ENG_ARR || v->items[i]->kind == ENG_OBJ) {
                eng_run_fail(r, w->path, "op \"in\" needs an array of scalars");
                return 0;
            }
            if (!es_put(r, st, i ? ",?" : "?", w->path) || !es_bind_add(r, st, v->items[i], dt, w->path))
                return 0;
        }
        return es_put(r, st, ")", w->path);
    default:
        eng_run_fail(r, w->path, "unknown comparison");
        return 0;
    }
}

static int es_where(eng_run *r, es_stmt *st, const ast_db_model *m, const ast_impl_where *w)
{
    size_t i;

    if (!eng_run_step(r, 1, w->path))
        return 0;
    switch (w->kind) {
    case AST_IMPL_W_AND:
    case AST_IMPL_W_OR:
        if (w->n_items == 0)
            return es_put(r, st, w->kind == AST_IMPL_W_AND ? "1" : "0", w->path);
        if (!es_put(r, st, "(", w->path))
            return 0;
        for (i = 0; i < w->n_items; i++) {
            if (i > 0 && !es_put(r, st, w->kind == AST_IMPL_W_AND ? " AND " : " OR ", w->path))
                return 0;
            if (!es_where(r, st, m, w->items[i]))
                return 0;
        }
        return es_put(r, st, ")", w->path);
    case AST_IMPL_W_NOT:
        return es_put(r, st, "NOT (", w->path) && es_where(r, st, m, w->inner) && es_put(r, st, ")", w->path);
    case AST_IMPL_W_COMPARE:
        return es_compare(r, st, m, w);
    default:
        eng_run_fail(r, w->path, "unknown where condition");
        return 0;
    }
}

static int es_where_clause(eng_run *r, es_stmt *st, const ast_db_model *m, const ast_impl_where *w)
{
    if (!w)
        return 1;
    return es_put(r, st, " WHERE ", w->path) && es_where(r, st, m, w);
}

/* Binds one value; datetimes normalised. 0 on failure (run failed). */
static int es_bind_one(eng_run *r, sqlite3_stmt *s, int i, const es_bind *b)
{
    const eng_value *v = b->v;
    int rc;

    switch (v->kind) {
    case ENG_UNDEF:
    case ENG_NULL: rc = sqlite3_bind_null(s, i); break;
    case ENG_BOOL: rc = sqlite3_bind_int(s, i, v->b); break;
    case ENG_NUM:
        rc = v->is_int ? sqlite3_bind_int64(s, i, (sqlite3_int64)v->n) : sqlite3_bind_double(s, i, v->n);
        break;
    case ENG_STR: {
        int64_t ms;

        if (b->datetime && eng_time_parse(v->s, v->len, &ms) == 0) {
            char t[32];

            eng_time_format(ms, t);
            rc = sqlite3_bind_text(s, i, t, -1, SQLITE_TRANSIENT);
        } else {
            rc = sqlite3_bind_text(s, i, v->s, (int)v->len, SQLITE_STATIC);
        }
        break;
    }
    default:
        eng_run_fail(r, NULL, "cannot store a%s %s in a column", v->kind == ENG_ARR ? "n" : "n",
                     eng_kind_name(v->kind));
        return 0;
    }
    if (rc != SQLITE_OK) {
        eng_run_fail(r, NULL, "binding a value failed: %s", sqlite3_errstr(rc));
        return 0;
    }
    return 1;
}

static eng_value *es_row(eng_run *r, sqlite3_stmt *s, const ast_db_model *m)
{
    int n = sqlite3_column_count(s), i;
    eng_value *o = eng_obj(r->arena, (size_t)n);

    if (!o)
        return NULL;
    for (i = 0; i < n; i++) {
        const char *col = sqlite3_column_name(s, i);
        int t = col ? es_col_type(m, col) : -2, ct = sqlite3_column_type(s, i);
        eng_value *v;

        if (!col)
            return NULL;
        o->keys[i] = bb_arena_strdup(r->arena, col);
        if (ct == SQLITE_NULL)
            v = (eng_value *)eng_null();
        else if (t == AST_DB_BOOLEAN)
            v = eng_bool(r->arena, sqlite3_column_int64(s, i) != 0);
        else if (ct == SQLITE_INTEGER)
            v = eng_num(r->arena, (double)sqlite3_column_int64(s, i));
        else if (ct == SQLITE_FLOAT)
            v = eng_num(r->arena, sqlite3_column_double(s, i));
        else
            v = eng_str(r->arena, (const char *)sqlite3_column_text(s, i), (size_t)sqlite3_column_bytes(s, i));
        if (!v || !o->keys[i])
            return NULL;
        o->items[i] = v;
    }
    return o;
}

/* Prepares, binds, steps. rows (may be NULL) receives each row; *n_rows the count. */
static int es_run(eng_run *r, es_stmt *st, const ast_db_model *m, const char *path, size_t max_rows,
                  eng_value ***rows, size_t *n_rows)
{
    sqlite3_stmt *s = NULL;
    size_t i, cap = 0;
    int rc, ok = 0;

    if (rows)
        *rows = NULL;
    *n_rows = 0;
    r->e->n_sql++;
    bb_buf_reset(&r->e->last_sql);
    (void)bb_buf_append(&r->e->last_sql, st->sql.data, st->sql.len);
    rc = eng_stmt_get(r->e, bb_buf_str(&st->sql), st->sql.len, &s);
    if (rc != SQLITE_OK) {
        eng_run_fail(r, path, "database error: %s", sqlite3_errmsg(r->e->sql));
        goto out;
    }
    for (i = 0; i < st->n_binds; i++) {
        if (!es_bind_one(r, s, (int)i + 1, &st->binds[i]))
            goto out;
    }
    for (;;) {
        rc = sqlite3_step(s);
        if (rc == SQLITE_DONE)
            break;
        if (rc != SQLITE_ROW) {
            eng_run_fail(r, path, "database error: %s", sqlite3_errmsg(r->e->sql));
            goto out;
        }
        if (!eng_run_step(r, 1, path))
            goto out;
        if (*n_rows >= max_rows) {
            eng_run_fail(r, path, "query returned more than %zu rows (the engine's row cap)", max_rows);
            goto out;
        }
        if (rows) {
            eng_value *row;

            if (*n_rows == cap) {
                size_t ncap = cap ? cap * 2 : 16;
                eng_value **nr = bb_arena_calloc(r->arena, ncap, sizeof *nr);

                if (!nr) {
                    eng_run_fail(r, path, "request memory cap reached");
                    goto out;
                }
                if (cap)
                    memcpy(nr, *rows, cap * sizeof *nr);
                *rows = nr;
                cap = ncap;
            }
            row = es_row(r, s, m);
            if (!row) {
                eng_run_fail(r, path, "request memory cap reached");
                goto out;
            }
            (*rows)[*n_rows] = row;
        }
        (*n_rows)++;
    }
    ok = 1;
out:
    eng_stmt_put(r->e, s);
    return ok;
}

/* SELECT list: the given columns (checked) or all columns. */
static int es_select_list(eng_run *r, es_stmt *st, const ast_db_model *m, const ast_impl_expr *x)
{
    size_t i;
    const char *c;

    if (x->n_select == 0) {
        for (i = 0; es_col_at(m, i) != NULL; i++) {
            c = es_col_at(m, i);
            if ((i > 0 && !es_put(r, st, ", ", x->path)) || !es_ident(r, st, c, x->path))
                return 0;
        }
        return 1;
    }
    for (i = 0; i < x->n_select; i++) {
        if (es_column(r, m, x->select[i], x->path) == -2)
            return 0;
        if ((i > 0 && !es_put(r, st, ", ", x->path)) || !es_ident(r, st, x->select[i], x->path))
            return 0;
    }
    return 1;
}

static int es_order(eng_run *r, es_stmt *st, const ast_db_model *m, const ast_impl_expr *x)
{
    size_t i, k;

    if (!es_put(r, st, " ORDER BY ", x->path))
        return 0;
    for (i = 0; i < x->n_order; i++) {
        const ast_impl_order *o = &x->order[i];
        const eng_value *col = eng_run_eval(r, o->column), *dir;
        int desc = 0;

        if (!col)
            return 0;
        if (col->kind != ENG_STR || strlen(col->s) != col->len) {
            eng_run_fail(r, o->path, "orderBy column must be a string naming a column");
            return 0;
        }
        if (es_column(r, m, col->s, o->path) == -2)
            return 0;
        dir = o->direction ? eng_run_eval(r, o->direction) : eng_undef();
        if (!dir)
            return 0;
        if (dir->kind == ENG_STR && strcmp(dir->s, "desc") == 0)
            desc = 1;
        else if (!(dir->kind == ENG_UNDEF || dir->kind == ENG_NULL || (dir->kind == ENG_STR && strcmp(dir->s, "asc") == 0))) {
            eng_run_fail(r, o->path, "orderBy direction must be \"asc\" or \"desc\"");
            return 0;
        }
        if (o->n_rank > 0) {
            if (!es_put(r, st, "CASE ", o->path) || !es_ident(r, st, col->s, o->path))
                return 0;
            for (k = 0; k < o->n_rank; k++) {
                char num[32];
                eng_value *rv = eng_strz(r->arena, o->rank[k]);

                snprintf(num, sizeof num, " THEN %zu", k);
                if (!rv || !es_put(r, st, " WHEN ?", o->path) || !es_bind_add(r, st, rv, 0, o->path) ||
                    !es_put(r, st, num, o->path))
                    return 0;
            }
            if (!es_put(r, st, " END", o->path))
                return 0;
        } else if (!es_ident(r, st, col->s, o->path)) {
            return 0;
        }
        if (!es_put(r, st, desc ? " DESC" : " ASC", o->path))
            return 0;
        if (o->nulls != AST_IMPL_NULLS_DEFAULT &&
            !es_put(r, st, o->nulls == AST_IMPL_NULLS_FIRST ? " NULLS FIRST" : " NULLS LAST", o->path))
            return 0;
        if (!es_put(r, st, ", ", o->path))
            return 0;
    }
    return es_ident(r, st, es_pk(m), x->path);
}

static int es_int_arg(eng_run *r, const ast_impl_expr *x, long long *out, long long dflt)
{
    const eng_value *v;

    *out = dflt;
    if (!x)
        return 1;
    v = eng_run_eval(r, x);
    if (!v)
        return 0;
    if (v->kind == ENG_UNDEF || v->kind == ENG_NULL)
        return 1;
    if (v->kind != ENG_NUM || !v->is_int || v->n < 0 || v->n > 1e12) {
        eng_run_fail(r, x->path, "skip/take must be a non-negative integer");
        return 0;
    }
    *out = (long long)v->n;
    return 1;
}

static const eng_value *es_find(eng_run *r, const ast_impl_expr *x, const ast_db_model *m, es_stmt *st)
{
    long long skip, take;
    eng_value **rows;
    size_t n, max = r->e->p.max_rows;
    char lim[64];
    eng_value *arr;

    if (!es_put(r, st, "SELECT ", x->path) || !es_select_list(r, st, m, x) || !es_put(r, st, " FROM ", x->path) ||
        !es_ident(r, st, m->name, x->path) || !es_where_clause(r, st, m, x->where) || !es_order(r, st, m, x))
        return NULL;
    if (!es_int_arg(r, x->skip, &skip, 0) || !es_int_arg(r, x->take, &take, -1))
        return NULL;
    if (x->kind == AST_IMPL_E_FIND_FIRST)
        take = 1;
    snprintf(lim, sizeof lim, " LIMIT %lld OFFSET %lld", take, skip);
    if (!es_put(r, st, lim, x->path))
        return NULL;
    if (!es_run(r, st, m, x->path, max, &rows, &n))
        return NULL;
    if (x->kind == AST_IMPL_E_FIND_FIRST)
        return n ? rows[0] : eng_null();
    arr = eng_arr(r->arena, n);
    if (!arr)
        return eng_run_fail(r, x->path, "request memory cap reached");
    if (n)
        memcpy(arr->items, rows, n * sizeof *rows);
    return arr;
}

static const eng_value *es_count(eng_run *r, const ast_impl_expr *x, const ast_db_model *m, es_stmt *st)
{
    sqlite3_stmt *s = NULL;
    const eng_value *res = NULL;
    size_t i;

    if (!es_put(r, st, "SELECT count(*) FROM ", x->path) || !es_ident(r, st, m->name, x->path) ||
        !es_where_clause(r, st, m, x->where))
        return NULL;
    r->e->n_sql++;
    bb_buf_reset(&r->e->last_sql);
    (void)bb_buf_append(&r->e->last_sql, st->sql.data, st->sql.len);
    if (eng_stmt_get(r->e, bb_buf_str(&st->sql), st->sql.len, &s) != SQLITE_OK) {
        eng_run_fail(r, x->path, "database error: %s", sqlite3_errmsg(r->e->sql));
        goto out;
    }
    for (i = 0; i < st->n_binds; i++) {
        if (!es_bind_one(r, s, (int)i + 1, &st->binds[i]))
            goto out;
    }
    if (sqlite3_step(s) != SQLITE_ROW) {
        eng_run_fail(r, x->path, "database error: %s", sqlite3_errmsg(r->e->sql));
        goto out;
    }
    res = eng_num(r->arena, (double)sqlite3_column_int64(s, 0));
    if (!res)
        eng_run_fail(r, x->path, "request memory cap reached");
out:
    eng_stmt_put(r->e, s);
    return res;
}

static const eng_value *es_create(eng_run *r, const ast_impl_expr *x, const ast_db_model *m, es_stmt *st)
{
    size_t i, n_cols = 0;
    int has_pk = 0;
    eng_value **rows;
    size_t n;
    const char *c;

    if (!es_put(r, st, "INSERT INTO ", x->path) || !es_ident(r, st, m->name, x->path) ||
        !es_put(r, st, " (", x->path))
        return NULL;
    for (i = 0; i < x->n_fields; i++) {
        const ast_impl_field *f = &x->fields[i];
        int t = es_column(r, m, f->name, f->path);
        const eng_value *v;

        if (t == -2)
            return NULL;
        v = eng_run_eval(r, f->value);
        if (!v)
            return NULL;
        if (v->kind == ENG_UNDEF)
            continue;
        if (strcmp(f->name, es_pk(m)) == 0)
            has_pk = 1;
        if ((n_cols > 0 && !es_put(r, st, ", ", f->path)) || !es_ident(r, st, f->name, f->path) ||
            !es_bind_add(r, st, v, t == AST_DB_DATETIME, f->path))
            return NULL;
        n_cols++;
    }
    if (!has_pk) {
        char id[40];
        eng_value *v;

        eng_auth_uuid(&r->e->auth, id);
        v = eng_strz(r->arena, id);
        if (!v || (n_cols > 0 && !es_put(r, st, ", ", x->path)) || !es_ident(r, st, es_pk(m), x->path) ||
            !es_bind_add(r, st, v, 0, x->path))
            return eng_run_fail(r, x->path, "request memory cap reached");
        n_cols++;
    }
    if (!es_put(r, st, ") VALUES (", x->path))
        return NULL;
    for (i = 0; i < n_cols; i++) {
        if (!es_put(r, st, i ? ", ?" : "?", x->path))
            return NULL;
    }
    if (!es_put(r, st, ") RETURNING ", x->path))
        return NULL;
    for (i = 0; es_col_at(m, i) != NULL; i++) {
        c = es_col_at(m, i);
        if ((i > 0 && !es_put(r, st, ", ", x->path)) || !es_ident(r, st, c, x->path))
            return NULL;
    }
    if (!es_run(r, st, m, x->path, 1, &rows, &n))
        return NULL;
    return n ? rows[0] : eng_run_fail(r, x->path, "insert returned no row");
}

static const eng_value *es_update(eng_run *r, const ast_impl_expr *x, const ast_db_model *m, es_stmt *st)
{
    size_t i, n_set = 0, n;
    const eng_value *res;

    if (!es_put(r, st, "UPDATE ", x->path) || !es_ident(r, st, m->name, x->path) || !es_put(r, st, " SET ", x->path))
        return NULL;
    for (i = 0; i < x->n_fields; i++) {
        const ast_impl_field *f = &x->fields[i];
        int t = es_column(r, m, f->name, f->path);
        const eng_value *v;

        if (t == -2)
            return NULL;
        v = eng_run_eval(r, f->value);
        if (!v)
            return NULL;
        if (v->kind == ENG_UNDEF)
            continue;
        if ((n_set > 0 && !es_put(r, st, ", ", f->path)) || !es_ident(r, st, f->name, f->path) ||
            !es_put(r, st, " = ?", f->path) || !es_bind_add(r, st, v, t == AST_DB_DATETIME, f->path))
            return NULL;
        n_set++;
    }
    if (n_set == 0) { /* nothing to change: count the matches */
        bb_buf_reset(&st->sql);
        st->n_binds = 0;
        return es_count(r, x, m, st);
    }
    if (!es_where_clause(r, st, m, x->where) || !es_run(r, st, m, x->path, (size_t)-1, NULL, &n))
        return NULL;
    n = (size_t)sqlite3_changes(r->e->sql);
    if (!eng_run_step(r, n, x->path))
        return NULL;
    res = eng_num(r->arena, (double)n);
    return res ? res : eng_run_fail(r, x->path, "request memory cap reached");
}

static const eng_value *es_delete(eng_run *r, const ast_impl_expr *x, const ast_db_model *m, es_stmt *st)
{
    size_t n;
    const eng_value *res;

    if (!es_put(r, st, "DELETE FROM ", x->path) || !es_ident(r, st, m->name, x->path) ||
        !es_where_clause(r, st, m, x->where) || !es_run(r, st, m, x->path, (size_t)-1, NULL, &n))
        return NULL;
    n = (size_t)sqlite3_changes(r->e->sql);
    if (!eng_run_step(r, n, x->path))
        return NULL;
    res = eng_num(r->arena, (double)n);
    return res ? res : eng_run_fail(r, x->path, "request memory cap reached");
}

const eng_value *eng_sql_exec(eng_run *r, const ast_impl_expr *x)
{
    const ast_db_model *m = es_model(r, x);
    es_stmt *st;
    const eng_value *res = NULL;

    if (!m)
        return NULL;
    if (m->material && (x->kind == AST_IMPL_E_CREATE || x->kind == AST_IMPL_E_UPDATE || x->kind == AST_IMPL_E_DELETE))
        return eng_run_fail(r, x->table_path, "table %s is a materialized view: read-only", m->name);
    st = bb_malloc(sizeof *st); /* not in the arena: a loop of writes would fill it */
    if (!st)
        return eng_run_fail(r, x->path, "out of memory");
    st->n_binds = 0;
    bb_buf_init(&st->sql, ES_SQL_MAX);
    switch (x->kind) {
    case AST_IMPL_E_FIND_MANY:
    case AST_IMPL_E_FIND_FIRST: res = es_find(r, x, m, st); break;
    case AST_IMPL_E_COUNT: res = es_count(r, x, m, st); break;
    case AST_IMPL_E_CREATE: res = es_create(r, x, m, st); break;
    case AST_IMPL_E_UPDATE: res = es_update(r, x, m, st); break;
    case AST_IMPL_E_DELETE: res = es_delete(r, x, m, st); break;
    default: eng_run_fail(r, x->path, "not a database operation"); break;
    }
    bb_buf_free(&st->sql);
    bb_free(st);
    return res;
}
