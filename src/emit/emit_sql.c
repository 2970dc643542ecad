/*
 * emit_sql.c — the SQL DDL writer for SQLite and PostgreSQL, table order and
 * constraint/index naming (see emit_sql.h).
 */
#include "emit_sql.h"

#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "ast/ast_db_check.h"
#include "emit/emit_postgres.h"
#include "emit/emit_sqlite.h"
#include "util/alloc.h"

#define EMIT_TRY(expr)          \
    do {                        \
        rc = (expr);            \
        if (rc != BB_OK)        \
            goto out;           \
    } while (0)

/* ---- model lookup and order ------------------------------------------------ */

size_t emit_model_pos(const ast_db *db, const char *name)
{
    size_t i;

    for (i = 0; i < db->n_models; i++) {
        if (strcmp(db->models[i]->name, name) == 0)
            return i;
    }
    return SIZE_MAX;
}

/* ---- foreign-key targets -------------------------------------------------------- */

typedef struct emit_name_pos {
    const char *name;
    size_t pos;
} emit_name_pos;

static int emit_cmp_name_pos(const void *x, const void *y)
{
    const emit_name_pos *a = x, *b = y;
    int r = strcmp(a->name, b->name);

    if (r)
        return r;
    return a->pos < b->pos ? -1 : (a->pos > b->pos);
}

bb_result emit_fk_targets_build(const ast_db *db, emit_fk_targets *out)
{
    size_t n = db->n_models, i, k, f = 0, nf = 0;
    emit_name_pos *by_name = NULL;
    bb_result rc = BB_ERR_NOMEM;

    memset(out, 0, sizeof *out);
    for (i = 0; i < n; i++)
        nf += db->models[i]->n_foreigns;
    by_name = bb_calloc(n ? n : 1, sizeof *by_name);
    out->first = bb_calloc(n + 1, sizeof *out->first);
    out->target = bb_calloc(nf ? nf : 1, sizeof *out->target);
    if (!by_name || !out->first || !out->target)
        goto out;
    for (i = 0; i < n; i++) {
        by_name[i].name = db->models[i]->name;
        by_name[i].pos = i;
    }
    qsort(by_name, n, sizeof *by_name, emit_cmp_name_pos);
    for (i = 0; i < n; i++) {
        const ast_db_model *m = db->models[i];

        out->first[i] = f;
        for (k = 0; k < m->n_foreigns; k++) {
            const char *t = m->foreigns[k].relation.target_model;
            size_t lo = 0, hi = n;

            while (lo < hi) {
                size_t mid = lo + (hi - lo) / 2;

                if (strcmp(by_name[mid].name, t) < 0)
                    lo = mid + 1;
                else
                    hi = mid;
            }
            out->target[f++] = lo < n && strcmp(by_name[lo].name, t) == 0 ? by_name[lo].pos : SIZE_MAX;
        }
    }
    out->first[n] = f;
    rc = BB_OK;
out:
    bb_free(by_name);
    if (rc != BB_OK)
        emit_fk_targets_free(out);
    return rc;
}

void emit_fk_targets_free(emit_fk_targets *t)
{
    if (!t)
        return;
    bb_free(t->first);
    bb_free(t->target);
    memset(t, 0, sizeof *t);
}

/* ---- creation order: Kahn's algorithm with a min-heap on document position ---- */

static void emit_heap_push(size_t *h, size_t *n, size_t v)
{
    size_t i = (*n)++;

    while (i > 0 && h[(i - 1) / 2] > v) {
        h[i] = h[(i - 1) / 2];
        i = (i - 1) / 2;
    }
    h[i] = v;
}

static size_t emit_heap_pop(size_t *h, size_t *n)
{
    size_t top = h[0], v = h[--*n], i = 0;

    for (;;) {
        size_t c = 2 * i + 1;

        if (c >= *n)
            break;
        if (c + 1 < *n && h[c + 1] < h[c])
            c++;
        if (h[c] >= v)
            break;
        h[i] = h[c];
        i = c;
    }
    if (*n > 0)
        h[i] = v;
    return top;
}

bb_result emit_sql_table_order(const ast_db *db, size_t **order)
{
    size_t n = db->n_models, placed = 0, i, k, nh = 0, scan = 0, nf;
    emit_fk_targets ft;
    size_t *deps = NULL, *rfirst = NULL, *rsrc = NULL, *heap = NULL, *res = NULL, *fill = NULL;
    unsigned char *done = NULL;
    bb_result rc;

    *order = NULL;
    rc = emit_fk_targets_build(db, &ft);
    if (rc != BB_OK)
        return rc;
    rc = BB_ERR_NOMEM;
    nf = ft.first[n];
    deps = bb_calloc(n ? n : 1, sizeof *deps);
    rfirst = bb_calloc(n + 1, sizeof *rfirst);
    fill = bb_calloc(n + 1, sizeof *fill);
    rsrc = bb_calloc(nf ? nf : 1, sizeof *rsrc);
    heap = bb_calloc(n ? n : 1, sizeof *heap);
    res = bb_calloc(n ? n : 1, sizeof *res);
    done = bb_calloc(n ? n : 1, 1);
    if (!deps || !rfirst || !fill || !rsrc || !heap || !res || !done)
        goto out;
    /* edges i -> t (i needs t first), reversed into t's list of dependants */
    for (i = 0; i < n; i++) {
        for (k = ft.first[i]; k < ft.first[i + 1]; k++) {
            size_t t = ft.target[k];

            if (t != SIZE_MAX && t != i) {
                deps[i]++;
                rfirst[t + 1]++;
            }
        }
    }
    for (i = 0; i < n; i++)
        rfirst[i + 1] += rfirst[i];
    memcpy(fill, rfirst, (n + 1) * sizeof *fill);
    for (i = 0; i < n; i++) {
        for (k = ft.first[i]; k < ft.first[i + 1]; k++) {
            size_t t = ft.target[k];

            if (t != SIZE_MAX && t != i)
                rsrc[fill[t]++] = i;
        }
    }
    for (i = 0; i < n; i++) {
        if (deps[i] == 0)
            emit_heap_push(heap, &nh, i);
    }
    while (placed < n) {
        size_t v;

        if (nh > 0) {
            v = emit_heap_pop(heap, &nh);
        } else {
            /* only cycles are left: place the first remaining table */
            while (done[scan])
                scan++;
            v = scan;
        }
        if (done[v])
            continue;
        done[v] = 1;
        res[placed++] = v;
        for (k = rfirst[v]; k < rfirst[v + 1]; k++) {
            size_t d = rsrc[k];

            if (done[d] || deps[d] == 0)
                continue;
            deps[d]--;
            if (deps[d] == 0)
                emit_heap_push(heap, &nh, d);
        }
    }
    *order = res;
    res = NULL;
    rc = BB_OK;
out:
    emit_fk_targets_free(&ft);
    bb_free(deps);
    bb_free(rfirst);
    bb_free(fill);
    bb_free(rsrc);
    bb_free(heap);
    bb_free(res);
    bb_free(done);
    return rc;
}

/* ---- names ------------------------------------------------------------------ */

static uint32_t emit_fnv1a(const char *s, size_t k)
{
    uint32_t h = 2166136261u;

    for (; *s; s++) {
        h ^= (unsigned char)*s;
        h *= 16777619u;
    }
    h ^= (uint32_t)k;
    h *= 16777619u;
    return h;
}

/* The names handed out so far and the table names, in an open-addressing
 * hash set (slots hold pointers; the set is at most half full). */
typedef struct emit_namer {
    emit_index_names *out;
    size_t cap;
    const ast_db *db;
    bb_buf full;
    const char **slots;
    size_t mask;
} emit_namer;

static size_t emit_name_slot(const emit_namer *nm, const char *s)
{
    size_t i = (size_t)emit_fnv1a(s, 0) & nm->mask;

    while (nm->slots[i] && strcmp(nm->slots[i], s) != 0)
        i = (i + 1) & nm->mask;
    return i;
}

static int emit_name_used(const emit_namer *nm, const char *s)
{
    return nm->slots[emit_name_slot(nm, s)] != NULL;
}

static void emit_name_insert(emit_namer *nm, const char *s)
{
    nm->slots[emit_name_slot(nm, s)] = s;
}

/* Adds a unique name for table + cols + suffix. */
static bb_result emit_name_add(emit_namer *nm, const char *table, const char *const *cols, size_t ncols,
                               const char *suffix)
{
    char cand[EMIT_SQL_NAME_MAX + 1];
    size_t i, k, slen = strlen(suffix);
    bb_result rc;

    bb_buf_reset(&nm->full);
    rc = bb_buf_puts(&nm->full, table);
    for (i = 0; i < ncols && rc == BB_OK; i++)
        rc = bb_buf_printf(&nm->full, "_%s", cols[i]);
    if (rc != BB_OK)
        return rc;
    for (k = 0;; k++) {
        if (k == 0 && nm->full.len + 1 + slen <= EMIT_SQL_NAME_MAX) {
            (void)snprintf(cand, sizeof cand, "%s_%s", bb_buf_str(&nm->full), suffix);
        } else {
            /* cut + hash: prefix (<= 63 - 1 - 8 - 1 - slen) _ hhhhhhhh _ suffix */
            int keep = (int)(EMIT_SQL_NAME_MAX - 10 - slen);

            if (keep > (int)nm->full.len)
                keep = (int)nm->full.len;
            (void)snprintf(cand, sizeof cand, "%.*s_%08x_%s", keep, bb_buf_str(&nm->full),
                           (unsigned)emit_fnv1a(bb_buf_str(&nm->full), k), suffix);
        }
        if (!emit_name_used(nm, cand))
            break;
        if (k > 1000)
            return BB_ERR_INTERNAL;
    }
    if (nm->out->n == nm->cap)
        return BB_ERR_INTERNAL;
    memcpy(nm->out->names[nm->out->n], cand, sizeof cand);
    emit_name_insert(nm, nm->out->names[nm->out->n]);
    nm->out->n++;
    return BB_OK;
}

static size_t emit_names_count(const ast_db_model *m)
{
    size_t k, n = 1 + m->n_unique_indexes + m->n_plain_indexes + m->n_gin_fields + m->n_foreigns;

    for (k = 0; k < m->n_foreigns; k++)
        n += m->foreigns[k].unique != 0;
    return n;
}

bb_result emit_index_names_build(const ast_db *db, emit_index_names *out)
{
    emit_namer nm;
    size_t i, k, total = 0;
    bb_result rc = BB_ERR_NOMEM;

    memset(out, 0, sizeof *out);
    memset(&nm, 0, sizeof nm);
    bb_buf_init(&nm.full, 1 << 16);
    for (i = 0; i < db->n_models; i++)
        total += emit_names_count(db->models[i]);
    out->names = bb_calloc(total ? total : 1, sizeof *out->names);
    out->base = bb_calloc(db->n_models ? db->n_models : 1, sizeof *out->base);
    for (nm.mask = 15; nm.mask < 2 * (total + db->n_models); nm.mask = nm.mask * 2 + 1)
        ;
    nm.slots = bb_calloc(nm.mask + 1, sizeof *nm.slots);
    if (!out->names || !out->base || !nm.slots)
        goto out;
    for (i = 0; i < db->n_models; i++)
        emit_name_insert(&nm, db->models[i]->name);
    nm.out = out;
    nm.cap = total;
    nm.db = db;
    for (i = 0; i < db->n_models; i++) {
        const ast_db_model *m = db->models[i];

        out->base[i] = out->n;
        EMIT_TRY(emit_name_add(&nm, m->name, NULL, 0, "pkey"));
        for (k = 0; k < m->n_foreigns; k++) {
            if (m->foreigns[k].unique)
                EMIT_TRY(emit_name_add(&nm, m->name, &m->foreigns[k].name, 1, "key"));
        }
        for (k = 0; k < m->n_unique_indexes; k++)
            EMIT_TRY(emit_name_add(&nm, m->name, m->unique_indexes[k].field_names,
                                   m->unique_indexes[k].n_field_names, "key"));
        for (k = 0; k < m->n_plain_indexes; k++)
            EMIT_TRY(emit_name_add(&nm, m->name, m->plain_indexes[k].field_names,
                                   m->plain_indexes[k].n_field_names, "idx"));
        for (k = 0; k < m->n_gin_fields; k++)
            EMIT_TRY(emit_name_add(&nm, m->name, &m->gin_fields[k], 1, "trgm_idx"));
        for (k = 0; k < m->n_foreigns; k++)
            EMIT_TRY(emit_name_add(&nm, m->name, &m->foreigns[k].name, 1, "fkey"));
    }
    rc = BB_OK;
out:
    bb_buf_free(&nm.full);
    bb_free(nm.slots);
    if (rc != BB_OK)
        emit_index_names_free(out);
    return rc;
}

void emit_index_names_free(emit_index_names *n)
{
    if (!n)
        return;
    bb_free(n->names);
    bb_free(n->base);
    memset(n, 0, sizeof *n);
}

const char *emit_name_pkey(const emit_index_names *n, const ast_db *db, size_t model_pos)
{
    (void)db;
    return n->names[n->base[model_pos]];
}

const char *emit_name_fk_unique(const emit_index_names *n, const ast_db *db, size_t model_pos, size_t k)
{
    const ast_db_model *m = db->models[model_pos];
    size_t off = 1, j;

    for (j = 0; j < k; j++)
        off += m->foreigns[j].unique != 0;
    return n->names[n->base[model_pos] + off];
}

const char *emit_name_fk(const emit_index_names *n, const ast_db *db, size_t model_pos, size_t k)
{
    const ast_db_model *m = db->models[model_pos];

    return emit_name_index(n, db, model_pos, EMIT_INDEX_GIN, m->n_gin_fields + k);
}

const char *emit_name_index(const emit_index_names *n, const ast_db *db, size_t model_pos, emit_index_kind kind,
                            size_t i)
{
    const ast_db_model *m = db->models[model_pos];
    size_t off = 1, j;

    for (j = 0; j < m->n_foreigns; j++)
        off += m->foreigns[j].unique != 0;
    if (kind != EMIT_INDEX_UNIQUE)
        off += m->n_unique_indexes;
    if (kind == EMIT_INDEX_GIN)
        off += m->n_plain_indexes;
    return n->names[n->base[model_pos] + off + i];
}

/* ---- DDL ------------------------------------------------------------------------ */

static bb_result emit_cols(bb_buf *out, const char *const *cols, size_t n)
{
    size_t i;
    bb_result rc = BB_OK;

    for (i = 0; i < n && rc == BB_OK; i++)
        rc = bb_buf_printf(out, "%s\"%s\"", i ? ", " : "", cols[i]);
    return rc;
}

static bb_result emit_table(const ast_db *db, emit_sql_dialect d, const emit_index_names *names,
                            const emit_fk_targets *ft, size_t pos, const size_t *rank, bb_buf *out)
{
    const ast_db_model *m = db->models[pos];
    int pg = d == EMIT_SQL_POSTGRES;
    size_t k;
    bb_result rc;

    EMIT_TRY(bb_buf_printf(out, "CREATE TABLE \"%s\" (\n", m->name));
    EMIT_TRY(bb_buf_printf(out, "  \"%s\" %s NOT NULL", m->primary.name, pg ? "uuid" : "TEXT"));
    for (k = 0; k < m->n_foreigns; k++) {
        const ast_db_foreign *f = &m->foreigns[k];
        size_t t = ft->target[ft->first[pos] + k];
        int later = t != pos && rank[t] > rank[pos];

        EMIT_TRY(bb_buf_printf(out, ",\n  \"%s\" %s%s", f->name, pg ? "uuid" : "TEXT", f->nullable ? "" : " NOT NULL"));
        if (!(pg && later)) {
            EMIT_TRY(bb_buf_printf(out, " CONSTRAINT \"%s\" REFERENCES \"%s\" (\"%s\")", emit_name_fk(names, db, pos, k),
                                   db->models[t]->name, db->models[t]->primary.name));
            if (later)
                EMIT_TRY(bb_buf_puts(out, " DEFERRABLE INITIALLY DEFERRED"));
        }
    }
    for (k = 0; k < m->n_plains; k++) {
        const ast_db_plain *p = &m->plains[k];

        EMIT_TRY(bb_buf_printf(out, ",\n  \"%s\" %s%s", p->name, pg ? emit_postgres_type(p->type) : emit_sqlite_type(p->type),
                               p->nullable ? "" : " NOT NULL"));
    }
    EMIT_TRY(bb_buf_printf(out, ",\n  CONSTRAINT \"%s\" PRIMARY KEY (\"%s\")", emit_name_pkey(names, db, pos),
                           m->primary.name));
    for (k = 0; k < m->n_foreigns; k++) {
        if (m->foreigns[k].unique)
            EMIT_TRY(bb_buf_printf(out, ",\n  CONSTRAINT \"%s\" UNIQUE (\"%s\")", emit_name_fk_unique(names, db, pos, k),
                                   m->foreigns[k].name));
    }
    EMIT_TRY(bb_buf_puts(out, "\n);\n\n"));
out:
    return rc;
}

static bb_result emit_indexes(const ast_db *db, emit_sql_dialect d, const emit_index_names *names, size_t pos,
                              bb_buf *out)
{
    const ast_db_model *m = db->models[pos];
    size_t k;
    bb_result rc = BB_OK;

    for (k = 0; k < m->n_unique_indexes; k++) {
        EMIT_TRY(bb_buf_printf(out, "CREATE UNIQUE INDEX \"%s\" ON \"%s\" (",
                               emit_name_index(names, db, pos, EMIT_INDEX_UNIQUE, k), m->name));
        EMIT_TRY(emit_cols(out, m->unique_indexes[k].field_names, m->unique_indexes[k].n_field_names));
        EMIT_TRY(bb_buf_puts(out, ");\n"));
    }
    for (k = 0; k < m->n_plain_indexes; k++) {
        EMIT_TRY(bb_buf_printf(out, "CREATE INDEX \"%s\" ON \"%s\" (",
                               emit_name_index(names, db, pos, EMIT_INDEX_PLAIN, k), m->name));
        EMIT_TRY(emit_cols(out, m->plain_indexes[k].field_names, m->plain_indexes[k].n_field_names));
        EMIT_TRY(bb_buf_puts(out, ");\n"));
    }
    for (k = 0; k < m->n_gin_fields; k++) {
        if (d == EMIT_SQL_POSTGRES)
            EMIT_TRY(bb_buf_printf(out, "CREATE INDEX \"%s\" ON \"%s\" USING gin (\"%s\" gin_trgm_ops);\n",
                                   emit_name_index(names, db, pos, EMIT_INDEX_GIN, k), m->name, m->gin_fields[k]));
        else
            EMIT_TRY(bb_buf_printf(out, "-- trigram (gin) index on %s.%s: no SQLite equivalent; LIKE scans instead\n",
                                   m->name, m->gin_fields[k]));
    }
out:
    return rc;
}

bb_result emit_sql_ddl(const ast_db *db, emit_sql_dialect d, bb_buf *out)
{
    emit_fk_targets ft;
    emit_index_names names;
    size_t *order = NULL, *rank = NULL, i, k;
    int any_gin = 0;
    bb_result rc;

    memset(&names, 0, sizeof names);
    memset(&ft, 0, sizeof ft);
    rc = ast_db_emit_ready(db);
    if (rc != BB_OK)
        return rc;
    EMIT_TRY(emit_fk_targets_build(db, &ft));
    EMIT_TRY(emit_sql_table_order(db, &order));
    rank = bb_calloc(db->n_models ? db->n_models : 1, sizeof *rank);
    if (!rank) {
        rc = BB_ERR_NOMEM;
        goto out;
    }
    for (i = 0; i < db->n_models; i++) {
        rank[order[i]] = i;
        any_gin |= db->models[i]->n_gin_fields > 0;
    }
    EMIT_TRY(emit_index_names_build(db, &names));
    EMIT_TRY(bb_buf_printf(out, "-- Generated by backbench from a DB AST (%s); do not edit.\n\n",
                           d == EMIT_SQL_POSTGRES ? "PostgreSQL" : "SQLite"));
    if (d == EMIT_SQL_POSTGRES && any_gin)
        EMIT_TRY(bb_buf_puts(out, "CREATE EXTENSION IF NOT EXISTS pg_trgm;\n\n"));
    for (i = 0; i < db->n_models; i++)
        EMIT_TRY(emit_table(db, d, &names, &ft, order[i], rank, out));
    if (d == EMIT_SQL_POSTGRES) {
        for (i = 0; i < db->n_models; i++) {
            const ast_db_model *m = db->models[order[i]];

            for (k = 0; k < m->n_foreigns; k++) {
                size_t t = ft.target[ft.first[order[i]] + k];

                if (t != order[i] && rank[t] > i)
                    EMIT_TRY(bb_buf_printf(out,
                                           "ALTER TABLE \"%s\" ADD CONSTRAINT \"%s\" FOREIGN KEY (\"%s\") "
                                           "REFERENCES \"%s\" (\"%s\");\n", m->name,
                                           emit_name_fk(&names, db, order[i], k), m->foreigns[k].name,
                                           db->models[t]->name, db->models[t]->primary.name));
            }
        }
    }
    for (i = 0; i < db->n_models; i++)
        EMIT_TRY(emit_indexes(db, d, &names, i, out));
out:
    emit_index_names_free(&names);
    emit_fk_targets_free(&ft);
    bb_free(order);
    bb_free(rank);
    return rc;
}
