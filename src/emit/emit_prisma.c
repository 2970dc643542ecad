/*
 * emit_prisma.c — Prisma schema text of a DB AST (see emit_prisma.h).
 */
#include "emit_prisma.h"

#include <stdint.h>
#include <string.h>

#include "ast/ast_db_check.h"
#include "emit/emit_sql.h"
#include "util/alloc.h"

#define EMIT_TRY(expr)          \
    do {                        \
        rc = (expr);            \
        if (rc != BB_OK)        \
            goto out;           \
    } while (0)

#define PRISMA_DOC_MAX 2000 /* bytes of a description kept in a doc comment */

/* "/// text" with control characters (newlines included) as spaces. */
static bb_result prisma_doc(bb_buf *out, const char *indent, const char *text)
{
    size_t i, n = strlen(text);
    bb_result rc;

    if (n == 0)
        return BB_OK;
    if (n > PRISMA_DOC_MAX)
        n = PRISMA_DOC_MAX;
    /* do not cut inside a UTF-8 sequence */
    while (n > 0 && n < strlen(text) && ((unsigned char)text[n] & 0xC0) == 0x80)
        n--;
    rc = bb_buf_printf(out, "%s///", indent);
    if (rc == BB_OK && text[0] != ' ')
        rc = bb_buf_putc(out, ' ');
    for (i = 0; i < n && rc == BB_OK; i++) {
        unsigned char c = (unsigned char)text[i];

        rc = bb_buf_putc(out, c < 0x20 || c == 0x7F ? ' ' : (char)c);
    }
    if (rc == BB_OK)
        rc = bb_buf_putc(out, '\n');
    return rc;
}

static const char *prisma_type(ast_db_type t)
{
    switch (t) {
    case AST_DB_BOOLEAN: return "Boolean";
    case AST_DB_INT: return "Int";
    case AST_DB_DOUBLE: return "Float";
    case AST_DB_DATETIME: return "DateTime";
    default: return "String";
    }
}

static const char *prisma_native(ast_db_type t)
{
    switch (t) {
    case AST_DB_UUID: return " @db.Uuid";
    case AST_DB_DATETIME: return " @db.Timestamptz";
    default: return "";
    }
}

static bb_result prisma_field_list(bb_buf *out, const char *const *cols, size_t n)
{
    size_t i;
    bb_result rc = BB_OK;

    for (i = 0; i < n && rc == BB_OK; i++)
        rc = bb_buf_printf(out, "%s%s", i ? ", " : "", cols[i]);
    return rc;
}

/* Foreign keys grouped by target table, in document order (counting sort):
 * the foreign keys pointing at table t are src[in_first[t] .. in_first[t+1])
 * as (model position, foreign key index) pairs. */
typedef struct prisma_incoming {
    size_t *in_first;
    size_t (*src)[2];
} prisma_incoming;

static void prisma_incoming_free(prisma_incoming *in)
{
    bb_free(in->in_first);
    bb_free(in->src);
    memset(in, 0, sizeof *in);
}

static bb_result prisma_incoming_build(const ast_db *db, const emit_fk_targets *ft, prisma_incoming *in)
{
    size_t n = db->n_models, nf = ft->first[n], i, k, *fill;

    memset(in, 0, sizeof *in);
    in->in_first = bb_calloc(n + 1, sizeof *in->in_first);
    in->src = bb_calloc(nf ? nf : 1, sizeof *in->src);
    fill = bb_calloc(n + 1, sizeof *fill);
    if (!in->in_first || !in->src || !fill) {
        bb_free(fill);
        prisma_incoming_free(in);
        return BB_ERR_NOMEM;
    }
    for (k = 0; k < nf; k++) {
        if (ft->target[k] != SIZE_MAX)
            in->in_first[ft->target[k] + 1]++;
    }
    for (i = 0; i < n; i++)
        in->in_first[i + 1] += in->in_first[i];
    memcpy(fill, in->in_first, (n + 1) * sizeof *fill);
    for (i = 0; i < n; i++) {
        for (k = ft->first[i]; k < ft->first[i + 1]; k++) {
            size_t t = ft->target[k];

            if (t == SIZE_MAX)
                continue;
            in->src[fill[t]][0] = i;
            in->src[fill[t]][1] = k - ft->first[i];
            fill[t]++;
        }
    }
    bb_free(fill);
    return BB_OK;
}

static bb_result prisma_model(const ast_db *db, const emit_index_names *names, const emit_fk_targets *ft,
                              const prisma_incoming *in, size_t pos, bb_buf *out)
{
    const ast_db_model *m = db->models[pos];
    size_t k, a;
    bb_result rc;

    EMIT_TRY(prisma_doc(out, "", m->description));
    EMIT_TRY(bb_buf_printf(out, "model %s {\n", m->name));
    EMIT_TRY(prisma_doc(out, "  ", m->primary.description));
    EMIT_TRY(bb_buf_printf(out, "  %s String @id(map: \"%s\") @db.Uuid\n", m->primary.name,
                           emit_name_pkey(names, db, pos)));
    for (k = 0; k < m->n_foreigns; k++) {
        const ast_db_foreign *f = &m->foreigns[k];

        EMIT_TRY(prisma_doc(out, "  ", f->description));
        EMIT_TRY(bb_buf_printf(out, "  %s String%s @db.Uuid", f->name, f->nullable ? "?" : ""));
        if (f->unique)
            EMIT_TRY(bb_buf_printf(out, " @unique(map: \"%s\")", emit_name_fk_unique(names, db, pos, k)));
        EMIT_TRY(bb_buf_putc(out, '\n'));
    }
    for (k = 0; k < m->n_plains; k++) {
        const ast_db_plain *p = &m->plains[k];

        EMIT_TRY(prisma_doc(out, "  ", p->description));
        EMIT_TRY(bb_buf_printf(out, "  %s %s%s%s\n", p->name, prisma_type(p->type), p->nullable ? "?" : "",
                               prisma_native(p->type)));
    }
    EMIT_TRY(bb_buf_putc(out, '\n'));
    for (k = 0; k < m->n_foreigns; k++) {
        const ast_db_foreign *f = &m->foreigns[k];
        size_t t = ft->target[ft->first[pos] + k];

        EMIT_TRY(bb_buf_printf(out, "  %s %s%s @relation(\"%s_%s\", fields: [%s], references: [%s], map: \"%s\")\n",
                               f->relation.name, db->models[t]->name, f->nullable ? "?" : "", m->name,
                               f->relation.name, f->name, db->models[t]->primary.name,
                               emit_name_fk(names, db, pos, k)));
    }
    /* opposite fields: every foreign key of every model that targets this one */
    for (a = in->in_first[pos]; a < in->in_first[pos + 1]; a++) {
        const ast_db_model *s = db->models[in->src[a][0]];
        const ast_db_foreign *f = &s->foreigns[in->src[a][1]];

        EMIT_TRY(bb_buf_printf(out, "  %s %s%s @relation(\"%s_%s\")\n", f->relation.opposite_name, s->name,
                               f->unique ? "?" : "[]", s->name, f->relation.name));
    }
    for (k = 0; k < m->n_unique_indexes; k++) {
        EMIT_TRY(bb_buf_puts(out, "\n  @@unique(["));
        EMIT_TRY(prisma_field_list(out, m->unique_indexes[k].field_names, m->unique_indexes[k].n_field_names));
        EMIT_TRY(bb_buf_printf(out, "], map: \"%s\")", emit_name_index(names, db, pos, EMIT_INDEX_UNIQUE, k)));
    }
    for (k = 0; k < m->n_plain_indexes; k++) {
        EMIT_TRY(bb_buf_puts(out, "\n  @@index(["));
        EMIT_TRY(prisma_field_list(out, m->plain_indexes[k].field_names, m->plain_indexes[k].n_field_names));
        EMIT_TRY(bb_buf_printf(out, "], map: \"%s\")", emit_name_index(names, db, pos, EMIT_INDEX_PLAIN, k)));
    }
    for (k = 0; k < m->n_gin_fields; k++)
        EMIT_TRY(bb_buf_printf(out, "\n  @@index([%s(ops: raw(\"gin_trgm_ops\"))], type: Gin, map: \"%s\")",
                               m->gin_fields[k], emit_name_index(names, db, pos, EMIT_INDEX_GIN, k)));
    EMIT_TRY(bb_buf_puts(out, m->n_unique_indexes + m->n_plain_indexes + m->n_gin_fields ? "\n}\n\n" : "}\n\n"));
out:
    return rc;
}

bb_result emit_prisma(const ast_db *db, bb_buf *out)
{
    emit_index_names names;
    emit_fk_targets ft;
    prisma_incoming in;
    size_t i, j, pos = 0;
    int any_gin = 0;
    bb_result rc;

    memset(&names, 0, sizeof names);
    memset(&ft, 0, sizeof ft);
    memset(&in, 0, sizeof in);
    rc = ast_db_emit_ready(db);
    if (rc != BB_OK)
        return rc;
    for (i = 0; i < db->n_models; i++)
        any_gin |= db->models[i]->n_gin_fields > 0;
    EMIT_TRY(emit_index_names_build(db, &names));
    EMIT_TRY(emit_fk_targets_build(db, &ft));
    EMIT_TRY(prisma_incoming_build(db, &ft, &in));
    EMIT_TRY(bb_buf_puts(out, "// Generated by backbench from a DB AST; do not edit.\n\n"
                              "generator client {\n  provider = \"prisma-client-js\"\n"));
    if (any_gin)
        EMIT_TRY(bb_buf_puts(out, "  previewFeatures = [\"postgresqlExtensions\"]\n"));
    EMIT_TRY(bb_buf_puts(out, "}\n\ndatasource db {\n  provider = \"postgresql\"\n"));
    if (any_gin)
        EMIT_TRY(bb_buf_puts(out, "  extensions = [pg_trgm]\n"));
    EMIT_TRY(bb_buf_puts(out, "}\n\n"));
    for (i = 0; i < db->n_files; i++) {
        const ast_db_file *f = &db->files[i];

        EMIT_TRY(bb_buf_printf(out, "// ---- %s (%s) ----\n\n", f->namespace_name, f->filename));
        for (j = 0; j < f->n_models; j++)
            EMIT_TRY(prisma_model(db, &names, &ft, &in, pos++, out));
    }
out:
    emit_index_names_free(&names);
    emit_fk_targets_free(&ft);
    prisma_incoming_free(&in);
    return rc;
}
