/*
 * emit_mermaid.c — Mermaid ER diagram of a DB AST (see emit_mermaid.h).
 */
#include "emit_mermaid.h"

#include <string.h>

#include "ast/ast_db_check.h"

#define EMIT_TRY(expr)          \
    do {                        \
        rc = (expr);            \
        if (rc != BB_OK)        \
            goto out;           \
    } while (0)

/* 1 when column col of m is the single column of a unique index or a unique
 * foreign key. */
static int emit_mermaid_uk(const ast_db_model *m, const char *col)
{
    size_t k;

    for (k = 0; k < m->n_unique_indexes; k++) {
        if (m->unique_indexes[k].n_field_names == 1 && strcmp(m->unique_indexes[k].field_names[0], col) == 0)
            return 1;
    }
    for (k = 0; k < m->n_foreigns; k++) {
        if (m->foreigns[k].unique && strcmp(m->foreigns[k].name, col) == 0)
            return 1;
    }
    return 0;
}

bb_result emit_mermaid(const ast_db *db, bb_buf *out)
{
    size_t i, k;
    bb_result rc = ast_db_emit_ready(db);

    if (rc != BB_OK)
        return rc;
    EMIT_TRY(bb_buf_puts(out, "erDiagram\n"));
    for (i = 0; i < db->n_models; i++) {
        const ast_db_model *m = db->models[i];

        EMIT_TRY(bb_buf_printf(out, "  %s {\n    uuid %s PK\n", m->name, m->primary.name));
        for (k = 0; k < m->n_foreigns; k++)
            EMIT_TRY(bb_buf_printf(out, "    uuid %s FK%s\n", m->foreigns[k].name,
                                   m->foreigns[k].unique ? ", UK" : ""));
        for (k = 0; k < m->n_plains; k++)
            EMIT_TRY(bb_buf_printf(out, "    %s %s%s\n", ast_db_type_name(m->plains[k].type), m->plains[k].name,
                                   emit_mermaid_uk(m, m->plains[k].name) ? " UK" : ""));
        EMIT_TRY(bb_buf_puts(out, "  }\n"));
    }
    for (i = 0; i < db->n_models; i++) {
        const ast_db_model *m = db->models[i];

        for (k = 0; k < m->n_foreigns; k++) {
            const ast_db_foreign *f = &m->foreigns[k];

            EMIT_TRY(bb_buf_printf(out, "  %s %s--%s %s : %s\n", f->relation.target_model, f->nullable ? "|o" : "||",
                                   f->unique ? "o|" : "o{", m->name, f->relation.name));
        }
    }
out:
    return rc;
}
