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

bb_result emit_sql_table_order(const ast_db *db, size_t **order)
{
    size_t n = db->n_models, placed = 0, i, k, f = 0, nf = 0;
    unsigned char *done = NULL;
    size_t *targets = NULL, *first = NULL, *res = NULL;
    bb_result rc = BB_ERR_NOMEM;

    *order = NULL;
    for (i = 0; i < n; i++)
        nf += db->models[i]->n_foreigns;
    done = bb_calloc(n ? n : 1, 1);
    targets = bb_calloc(nf ? nf : 1, sizeof *targets);
    first = bb_calloc(n + 1, sizeof *first);
    res = bb_calloc(n ? n : 1, sizeof *res);
    if (!done || !targets || !first || !res)
        goto out;
    for (i = 0; i < n; i++) {
        first[i] = f;
        for (k = 0; k < db->models[i]->n_foreigns; k++)
            targets[f++] = emit_model_pos(db, db->models[i]->foreigns[k].relation.target_model);
    }
    first[n] = f;
    while (placed < n) {
        int progress = 0;

        for (i = 0; i < n; i++) {
            int ready = 1;

            if (done[i])
                continue;
            for (k = first[i]; k < first[i + 1]; k++) {
                if (targets[k] != SIZE_MAX && targets[k] != i && !done[targets[k]])
                    ready = 0;
            }
            if (ready) {
                done[i] = 1;
                res[placed++] = i;
                progress = 1;
                break; /* restart: keeps document order among ready tables */
            }
        }
        if (!progress) {
            /* a cycle: place the first remaining table */
            for (i = 0; i < n && done[i]; i++)
                ;
            done[i] = 1;
            res[placed++] = i;
        }
    }
    *order = res;
    res = NULL;
    rc = BB_OK;
out:
    bb_free(done);
    bb_free(targets);
    bb_free(first);
    bb_free(res);
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

typedef struct emit_namer {
    emit_index_names *out;
    size_t cap;
    const ast_db *db;
    bb_buf full;
} emit_namer;

static int emit_name_used(const emit_namer *nm, const char *s)
{
    size_t i;

    for (i = 0; i < nm->out->n; i++) {
        if (strcmp(nm->out->names[i], s) == 0)
            return 1;
    }
    for (i = 0; i < nm->db->n_models; i++) {
        if (strcmp(nm->db->models[i]->name, s) == 0)
            return 1;
    }
    return 0;
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
    memcpy(nm->out->names[nm->out->n++], cand, sizeof cand);
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
    if (!out->names || !out->base)
        goto out;
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

static bb_result emit_table(const ast_db *db, emit_sql_dialect d, const emit_index_names *names, size_t pos,
                            const size_t *rank, bb_buf *out)
{
    const ast_db_model *m = db->models[pos];
    int pg = d == EMIT_SQL_POSTGRES;
    size_t k;
    bb_result rc;

    EMIT_TRY(bb_buf_printf(out, "CREATE TABLE \"%s\" (\n", m->name));
    EMIT_TRY(bb_buf_printf(out, "  \"%s\" %s NOT NULL", m->primary.name, pg ? "uuid" : "TEXT"));
    for (k = 0; k < m->n_foreigns; k++) {
        const ast_db_foreign *f = &m->foreigns[k];
        size_t t = emit_model_pos(db, f->relation.target_model);
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
    emit_index_names names;
    size_t *order = NULL, *rank = NULL, i, k;
    int any_gin = 0;
    bb_result rc;

    memset(&names, 0, sizeof names);
    rc = ast_db_emit_ready(db);
    if (rc != BB_OK)
        return rc;
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
        EMIT_TRY(emit_table(db, d, &names, order[i], rank, out));
    if (d == EMIT_SQL_POSTGRES) {
        for (i = 0; i < db->n_models; i++) {
            const ast_db_model *m = db->models[order[i]];

            for (k = 0; k < m->n_foreigns; k++) {
                size_t t = emit_model_pos(db, m->foreigns[k].relation.target_model);

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
    bb_free(order);
    bb_free(rank);
    return rc;
}
