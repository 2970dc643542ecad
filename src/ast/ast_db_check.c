/*
 * ast_db_check.c — semantic checks of the DB AST (see ast_db_check.h).
 *
 * Sections: the check context and error helpers; identifiers; duplicates
 * (tables through a sorted name index, columns and relations per table,
 * opposite names per target table); references and indexes; cycles of
 * non-nullable foreign keys (Tarjan's strongly connected components,
 * iterative so that no input can exhaust the stack).
 */
#include "ast_db_check.h"

#include <stdarg.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "ast/ast_ident.h"
#include "util/alloc.h"
#include "util/buf.h"

#define CK_VALUE_MAX 200    /* bytes of a value in an error */
#define CK_NAME_SHOWN 80    /* bytes of a name quoted in a message */
#define CK_SHOW_SLOTS 16    /* names shown in messages at once (ring) */
#define CK_SYNTH_MAX 255    /* bytes of a synthesised opposite name */
#define CK_CYCLE_SHOWN 8    /* tables named in a cycle message */

/* ---- context and error helpers --------------------------------------------- */

typedef struct ck_ctx {
    ast_db *db;
    schema_errors *errs;
    size_t n_errors;
    int idents_bad;
    int refs_bad;
    bb_result rc;
    const ast_db_model **sorted; /* models sorted by name (first declaration wins ties) */
    int raw_value;               /* 1: ck_report's value is JSON already */
    char shown[CK_SHOW_SLOTS][CK_NAME_SHOWN * 6 + 8];
    unsigned shown_next;
} ck_ctx;

/* A name made safe for a one-line message (ast_ident_show), in a ring of
 * slots in the context. */
static const char *ck_show(ck_ctx *c, const char *s)
{
    char *out = c->shown[c->shown_next++ % CK_SHOW_SLOTS];

    return ast_ident_show(s, CK_NAME_SHOWN, out, sizeof c->shown[0]);
}

static void ck_fail(ck_ctx *c, bb_result rc)
{
    if (c->rc == BB_OK)
        c->rc = rc;
}

/* Path of a model: $input.files[f].models[m] followed by parts (keys are
 * strings, indexes are given as "[n]" already formatted by the caller). */
static bb_result ck_model_path(bb_buf *b, const ast_db_model *m, const char *suffix)
{
    bb_result rc = schema_path_root(b);

    if (rc == BB_OK)
        rc = schema_path_key(b, "files");
    if (rc == BB_OK)
        rc = schema_path_index(b, m->file_index);
    if (rc == BB_OK)
        rc = schema_path_key(b, "models");
    if (rc == BB_OK)
        rc = schema_path_index(b, m->model_index);
    if (rc == BB_OK && suffix)
        rc = bb_buf_puts(b, suffix);
    return rc;
}

/* Adds one semantic error. path: full path; value: the offending string
 * (rendered as a JSON string, cut) or NULL for "undefined". */
static void ck_report(ck_ctx *c, const char *path, const char *expected, const char *value, const char *fmt, ...)
    __attribute__((format(printf, 5, 6)));

static void ck_report(ck_ctx *c, const char *path, const char *expected, const char *value, const char *fmt, ...)
{
    bb_buf vb, mb;
    va_list ap;
    bb_result rc = BB_OK;

    c->n_errors++;
    bb_buf_init(&vb, CK_VALUE_MAX * 6 + 16);
    bb_buf_init(&mb, 2048);
    if (value && c->raw_value) {
        rc = bb_buf_puts(&vb, value);
    } else if (value) {
        size_t n = strlen(value);

        rc = bb_buf_put_json_string(&vb, value, n > CK_VALUE_MAX ? CK_VALUE_MAX : n);
        if (rc == BB_OK && n > CK_VALUE_MAX)
            rc = bb_buf_puts(&vb, "...");
    } else {
        rc = bb_buf_puts(&vb, "undefined");
    }
    va_start(ap, fmt);
    if (rc == BB_OK && bb_buf_vprintf(&mb, fmt, ap) != BB_OK)
        rc = BB_OK; /* an over-long message stays empty rather than failing the check */
    va_end(ap);
    if (rc == BB_OK)
        rc = schema_errors_add(c->errs, SCHEMA_ERR_SEMANTIC, path, expected, bb_buf_str(&vb), bb_buf_str(&mb));
    if (rc != BB_OK)
        ck_fail(c, rc);
    bb_buf_free(&vb);
    bb_buf_free(&mb);
}

/* Error located in model m at suffix (".plainFields[1].name", may be ""). */
static void ck_at(ck_ctx *c, const ast_db_model *m, const char *suffix, const char *expected, const char *value,
                  const char *fmt, ...) __attribute__((format(printf, 6, 7)));

static void ck_at(ck_ctx *c, const ast_db_model *m, const char *suffix, const char *expected, const char *value,
                  const char *fmt, ...)
{
    bb_buf path, msg;
    va_list ap;
    const ast_db_file *f = &c->db->files[m->file_index];

    bb_result rc;

    bb_buf_init(&path, 4096);
    bb_buf_init(&msg, 2048);
    rc = ck_model_path(&path, m, suffix);
    if (rc != BB_OK) {
        ck_fail(c, rc);
        goto out;
    }
    (void)bb_buf_printf(&msg, "File %s, table %s: ", ck_show(c, f->filename), ck_show(c, m->name));
    va_start(ap, fmt);
    (void)bb_buf_vprintf(&msg, fmt, ap);
    va_end(ap);
    ck_report(c, bb_buf_str(&path), expected, value, "%s", bb_buf_str(&msg));
out:
    bb_buf_free(&path);
    bb_buf_free(&msg);
}

/* A suffix like ".foreignFields[3].relation.name" into a small buffer. */
static const char *ck_suffix(char *buf, size_t n, const char *fmt, ...) __attribute__((format(printf, 3, 4)));

static const char *ck_suffix(char *buf, size_t n, const char *fmt, ...)
{
    va_list ap;

    va_start(ap, fmt);
    (void)vsnprintf(buf, n, fmt, ap);
    va_end(ap);
    return buf;
}

/* ---- identifiers -------------------------------------------------------------- */

/* Checks a snake_case SQL name (table or column). what: "table", "column". */
static void ck_snake(ck_ctx *c, const ast_db_model *m, const char *suffix, const char *name, const char *what,
                     int is_table)
{
    size_t len = strlen(name);
    unsigned res;

    if (!ast_ident_is_snake(name, len)) {
        c->idents_bad = 1;
        ck_at(c, m, suffix, "string & SnakeCase", name,
              "%s name \"%s\" must be snake_case: a lower-case letter, then lower-case letters, digits or "
              "underscores (^[a-z][a-z0-9_]*$).", what, ck_show(c, name));
        return;
    }
    if (len > AST_IDENT_MAX_SQL) {
        c->idents_bad = 1;
        ck_at(c, m, suffix, "string & MaxLength<63>", name,
              "%s name %s is %zu bytes long; PostgreSQL allows at most 63.", what, ck_show(c, name), len);
        return;
    }
    if (is_table && (strcmp(name, "sqlite") == 0 || strncmp(name, "sqlite_", 7) == 0)) {
        /* SQLite reserves every object name beginning with "sqlite_" (tables,
         * and the indexes named after the table) for its own use */
        c->idents_bad = 1;
        ck_at(c, m, suffix, "string & not reserved prefix sqlite_", name,
              "%s name %s is reserved: SQLite keeps names beginning with \"sqlite_\" for itself; choose "
              "another name.", what, name);
        return;
    }
    res = ast_ident_reserved(name) & (is_table ? ~0u : (unsigned)~AST_RESERVED_PRISMA_MODEL);
    if (res)
        ck_at(c, m, suffix, "string & not reserved word", name,
              "%s name %s is a reserved word in %s; choose another name (e.g. a more specific one).", what, name,
              ast_ident_reserved_where(res));
}

static void ck_camel(ck_ctx *c, const ast_db_model *m, const char *suffix, const char *name, const char *what)
{
    size_t len = strlen(name);

    if (!ast_ident_is_camel(name, len)) {
        c->idents_bad = 1;
        ck_at(c, m, suffix, "string & CamelCase", name,
              "%s \"%s\" must be camelCase: a lower-case letter, then letters or digits (^[a-z][a-zA-Z0-9]*$).",
              what, ck_show(c, name));
    } else if (len > AST_IDENT_MAX_SQL) {
        c->idents_bad = 1;
        ck_at(c, m, suffix, "string & MaxLength<63>", name, "%s %s is %zu bytes long; the limit is 63.", what,
              ck_show(c, name), len);
    }
}

static void ck_file_idents(ck_ctx *c, size_t fi)
{
    const ast_db_file *f = &c->db->files[fi];
    bb_buf path;
    size_t i;

    bb_buf_init(&path, 256);
    for (i = 0; i < 2; i++) {
        const char *key = i == 0 ? "filename" : "namespace";
        const char *v = i == 0 ? f->filename : f->namespace_name;
        int ok = i == 0 ? ast_ident_is_filename(v, strlen(v))
                        : ast_ident_is_pascal(v, strlen(v)) && strlen(v) <= AST_IDENT_MAX_SQL;

        if (ok)
            continue;
        c->idents_bad = 1;
        bb_result rc;

        bb_buf_reset(&path);
        rc = schema_path_root(&path);
        if (rc == BB_OK)
            rc = schema_path_key(&path, "files");
        if (rc == BB_OK)
            rc = schema_path_index(&path, fi);
        if (rc == BB_OK)
            rc = schema_path_key(&path, key);
        if (rc != BB_OK) {
            ck_fail(c, rc);
            break;
        }
        if (i == 0)
            ck_report(c, bb_buf_str(&path), "string & Pattern<\"^[a-z0-9][a-z0-9_-]*\\\\.prisma$\">", v,
                      "File %zu: filename \"%s\" must look like schema-01-actors.prisma (lower-case letters, "
                      "digits, - and _, ending in .prisma, at most 100 bytes).", fi, ck_show(c, v));
        else
            ck_report(c, bb_buf_str(&path), "string & PascalCase", v,
                      "File %s: namespace \"%s\" must be PascalCase (^[A-Z][A-Za-z0-9]*$, at most 63 bytes).",
                      ck_show(c, f->filename), ck_show(c, v));
    }
    bb_buf_free(&path);
}

static void ck_model_idents(ck_ctx *c, const ast_db_model *m)
{
    char sfx[96];
    size_t i;

    ck_snake(c, m, ".name", m->name, "table", 1);
    ck_snake(c, m, ".primaryField.name", m->primary.name, "primary key column", 0);
    for (i = 0; i < m->n_foreigns; i++) {
        const ast_db_foreign *f = &m->foreigns[i];

        ck_snake(c, m, ck_suffix(sfx, sizeof sfx, ".foreignFields[%zu].name", i), f->name, "foreign key column", 0);
        ck_camel(c, m, ck_suffix(sfx, sizeof sfx, ".foreignFields[%zu].relation.name", i), f->relation.name,
                 "relation name");
        if (!f->relation.opposite_synthesized)
            ck_camel(c, m, ck_suffix(sfx, sizeof sfx, ".foreignFields[%zu].relation.oppositeName", i),
                     f->relation.opposite_name, "opposite relation name");
        else if (!ast_ident_is_camel(f->relation.opposite_name, strlen(f->relation.opposite_name)) ||
                 strlen(f->relation.opposite_name) > CK_SYNTH_MAX)
            c->idents_bad = 1; /* follows from a bad table or relation name, reported there */
    }
    for (i = 0; i < m->n_plains; i++)
        ck_snake(c, m, ck_suffix(sfx, sizeof sfx, ".plainFields[%zu].name", i), m->plains[i].name, "column", 0);
}

/* ---- duplicates -------------------------------------------------------------- */

static int ck_cmp_model(const void *a, const void *b)
{
    const ast_db_model *x = *(const ast_db_model *const *)a;
    const ast_db_model *y = *(const ast_db_model *const *)b;
    int r = strcmp(x->name, y->name);

    if (r)
        return r;
    if (x->file_index != y->file_index)
        return x->file_index < y->file_index ? -1 : 1;
    return x->model_index < y->model_index ? -1 : (x->model_index > y->model_index);
}

static void ck_tables(ck_ctx *c)
{
    size_t i, n = c->db->n_models;

    c->sorted = bb_calloc(n ? n : 1, sizeof *c->sorted);
    if (!c->sorted) {
        ck_fail(c, BB_ERR_NOMEM);
        return;
    }
    for (i = 0; i < n; i++)
        c->sorted[i] = c->db->models[i];
    qsort(c->sorted, n, sizeof *c->sorted, ck_cmp_model);
    for (i = 1; i < n; i++) {
        const ast_db_model *first = c->sorted[i - 1];
        const ast_db_model *m = c->sorted[i];
        size_t k = i - 1;

        if (strcmp(first->name, m->name) != 0)
            continue;
        while (k > 0 && strcmp(c->sorted[k - 1]->name, m->name) == 0)
            k--;
        first = c->sorted[k];
        ck_at(c, m, ".name", "unique table name", m->name,
              "table name %s is already declared in file %s ($input.files[%zu].models[%zu]); table names must "
              "be unique across all files.", ck_show(c, m->name),
              ck_show(c, c->db->files[first->file_index].filename), first->file_index, first->model_index);
    }
}

/* Index in sorted[] of the first model named name (or where it would go). */
static size_t ck_find_slot(const ck_ctx *c, const char *name)
{
    size_t lo = 0, hi = c->db->n_models;

    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;

        if (strcmp(c->sorted[mid]->name, name) < 0)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo;
}

/* The model named name (first declaration), or NULL. */
static const ast_db_model *ck_find(const ck_ctx *c, const char *name)
{
    size_t lo = 0, hi = c->db->n_models;

    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        int r = strcmp(c->sorted[mid]->name, name);

        if (r < 0)
            lo = mid + 1;
        else
            hi = mid;
    }
    if (lo < c->db->n_models && strcmp(c->sorted[lo]->name, name) == 0)
        return c->sorted[lo];
    return NULL;
}

/* Column i of model m in declaration order: 0 = primary key, then foreign,
 * then plain. Returns the name and the path suffix. */
static const char *ck_column(const ast_db_model *m, size_t i, char *sfx, size_t n)
{
    if (i == 0) {
        ck_suffix(sfx, n, ".primaryField.name");
        return m->primary.name;
    }
    i--;
    if (i < m->n_foreigns) {
        ck_suffix(sfx, n, ".foreignFields[%zu].name", i);
        return m->foreigns[i].name;
    }
    i -= m->n_foreigns;
    ck_suffix(sfx, n, ".plainFields[%zu].name", i);
    return m->plains[i].name;
}

/* Type of column name in m: 1 found (type in *t; keys are uuid), 0 not. */
static int ck_has_column(const ast_db_model *m, const char *name, ast_db_type *t /* OUT, may be NULL */)
{
    size_t i;
    ast_db_type dummy;

    if (!t)
        t = &dummy;
    *t = AST_DB_UUID;
    if (strcmp(m->primary.name, name) == 0)
        return 1;
    for (i = 0; i < m->n_foreigns; i++) {
        if (strcmp(m->foreigns[i].name, name) == 0)
            return 1;
    }
    for (i = 0; i < m->n_plains; i++) {
        if (strcmp(m->plains[i].name, name) == 0) {
            *t = m->plains[i].type;
            return 1;
        }
    }
    return 0;
}

static int ck_has_relation(const ast_db_model *m, const char *name)
{
    size_t i;

    for (i = 0; i < m->n_foreigns; i++) {
        if (strcmp(m->foreigns[i].relation.name, name) == 0)
            return 1;
    }
    return 0;
}

static void ck_columns_and_relations(ck_ctx *c, const ast_db_model *m)
{
    size_t n = 1 + m->n_foreigns + m->n_plains, i, j;
    char sfx[96], sfx2[96];

    for (i = 1; i < n; i++) {
        const char *a = ck_column(m, i, sfx, sizeof sfx);

        for (j = 0; j < i; j++) {
            if (strcmp(a, ck_column(m, j, sfx2, sizeof sfx2)) == 0) {
                ck_at(c, m, sfx, "unique column name", a,
                      "column %s is declared twice (also at %s); column names must be unique across the primary, "
                      "foreign and plain fields of a table.", ck_show(c, a), sfx2 + 1);
                break;
            }
        }
    }
    for (i = 0; i < m->n_foreigns; i++) {
        const char *r = m->foreigns[i].relation.name;

        ck_suffix(sfx, sizeof sfx, ".foreignFields[%zu].relation.name", i);
        for (j = 0; j < i; j++) {
            if (strcmp(r, m->foreigns[j].relation.name) == 0) {
                ck_at(c, m, sfx, "unique relation name", r,
                      "relation name %s is used twice (also by foreignFields[%zu] %s); each foreign key needs its "
                      "own relation name.", ck_show(c, r), j, ck_show(c, m->foreigns[j].name));
                break;
            }
        }
        if (j == i && ck_has_column(m, r, NULL))
            ck_at(c, m, sfx, "relation name distinct from column names", r,
                  "relation name %s is also a column name of this table; name the relation after the target "
                  "(e.g. user for user_id).", ck_show(c, r));
    }
}

/* One foreign key seen from its target table, for the opposite-name check. */
typedef struct ck_opp {
    const ast_db_model *target;
    size_t target_pos; /* sort key: the target's position in sorted[] */
    const ast_db_model *m;
    size_t model_pos;  /* document order */
    size_t fk;
} ck_opp;

static int ck_cmp_opp(const void *x, const void *y)
{
    const ck_opp *a = x, *b = y;
    int r;

    if (a->target_pos != b->target_pos)
        return a->target_pos < b->target_pos ? -1 : 1;
    r = strcmp(a->m->foreigns[a->fk].relation.opposite_name, b->m->foreigns[b->fk].relation.opposite_name);
    if (r)
        return r;
    if (a->model_pos != b->model_pos)
        return a->model_pos < b->model_pos ? -1 : 1;
    return a->fk < b->fk ? -1 : (a->fk > b->fk);
}

/* The opposite names on each target table must not clash with its columns,
 * its own relation names, or other opposite names pointing at it (the first
 * in document order keeps the name). Sorting keeps this O(F log F). */
static void ck_opposites(ck_ctx *c)
{
    size_t a, i, n = 0, total = 0, g;
    char sfx[96];
    ck_opp *v;

    for (a = 0; a < c->db->n_models; a++)
        total += c->db->models[a]->n_foreigns;
    v = bb_calloc(total ? total : 1, sizeof *v);
    if (!v) {
        ck_fail(c, BB_ERR_NOMEM);
        return;
    }
    for (a = 0; a < c->db->n_models; a++) {
        const ast_db_model *m = c->db->models[a];

        for (i = 0; i < m->n_foreigns; i++) {
            const ast_db_relation *r = &m->foreigns[i].relation;
            const ast_db_model *t = ck_find(c, r->target_model);

            if (!t)
                continue;
            if (ck_has_column(t, r->opposite_name, NULL) || ck_has_relation(t, r->opposite_name)) {
                ck_at(c, m, ck_suffix(sfx, sizeof sfx, ".foreignFields[%zu].relation.oppositeName", i),
                      "unique field name on the target table", r->opposite_name,
                      "foreign key %s: oppositeName %s is already a column or relation of table %s; choose "
                      "another name (e.g. the plural of this table).", ck_show(c, m->foreigns[i].name),
                      ck_show(c, r->opposite_name), ck_show(c, t->name));
                continue;
            }
            v[n].target = t;
            v[n].target_pos = (size_t)(ck_find_slot(c, t->name));
            v[n].m = m;
            v[n].model_pos = a;
            v[n].fk = i;
            n++;
        }
    }
    qsort(v, n, sizeof *v, ck_cmp_opp);
    for (g = 0, i = 1; i < n; i++) {
        const ck_opp *first = &v[g], *e = &v[i];
        const char *opp = e->m->foreigns[e->fk].relation.opposite_name;

        if (first->target != e->target || strcmp(first->m->foreigns[first->fk].relation.opposite_name, opp) != 0) {
            g = i;
            continue;
        }
        ck_at(c, e->m, ck_suffix(sfx, sizeof sfx, ".foreignFields[%zu].relation.oppositeName", e->fk),
              "unique opposite name on the target table", opp,
              "foreign key %s: oppositeName %s on table %s is also used by %s.%s; each relation into a table needs "
              "its own opposite name.", ck_show(c, e->m->foreigns[e->fk].name), ck_show(c, opp),
              ck_show(c, e->target->name), ck_show(c, first->m->name), ck_show(c, first->m->foreigns[first->fk].name));
    }
    bb_free(v);
}

/* ---- references and indexes ---------------------------------------------------- */

static void ck_targets(ck_ctx *c, const ast_db_model *m)
{
    size_t i;
    char sfx[96];

    for (i = 0; i < m->n_foreigns; i++) {
        const char *t = m->foreigns[i].relation.target_model;

        if (ck_find(c, t))
            continue;
        c->refs_bad = 1;
        ck_at(c, m, ck_suffix(sfx, sizeof sfx, ".foreignFields[%zu].relation.targetModel", i), "existing table name",
              t, "foreign key %s references table %s, which is not declared in any file.",
              ck_show(c, m->foreigns[i].name), ck_show(c, t));
    }
}

/* 1 when index a's columns are a leading prefix of b's (equal when same length). */
static int ck_prefix(const ast_db_index *a, const ast_db_index *b)
{
    size_t i;

    if (a->n_field_names > b->n_field_names)
        return 0;
    for (i = 0; i < a->n_field_names; i++) {
        if (strcmp(a->field_names[i], b->field_names[i]) != 0)
            return 0;
    }
    return 1;
}

/* Reports a duplicate or redundant index; the value is the index as JSON. */
static void ck_index_report(ck_ctx *c, const ast_db_model *m, const char *sfx, const char *rule,
                            const ast_db_index *ix, int unique, size_t i, size_t j)
{
    const char *key = unique ? "uniqueIndexes" : "plainIndexes";
    bb_buf v;
    size_t k;
    bb_result rc;

    bb_buf_init(&v, 16384);
    rc = bb_buf_puts(&v, "{\"fieldNames\":[");
    for (k = 0; k < ix->n_field_names && rc == BB_OK; k++) {
        if (k)
            rc = bb_buf_putc(&v, ',');
        if (rc == BB_OK)
            rc = bb_buf_put_json_string(&v, ix->field_names[k], strlen(ix->field_names[k]));
    }
    if (rc == BB_OK)
        rc = bb_buf_puts(&v, unique ? "],\"unique\":true}" : "]}");
    if (rc != BB_OK) {
        ck_fail(c, rc);
        bb_buf_free(&v);
        return;
    }
    c->raw_value = 1;
    if (strcmp(rule, "no duplicate index") == 0)
        ck_at(c, m, sfx, rule, bb_buf_str(&v), "%s[%zu] repeats %s[%zu] (same columns); remove one.", key, i, key,
              j);
    else if (!unique)
        ck_at(c, m, sfx, rule, bb_buf_str(&v),
              "plainIndexes[%zu] is a leading prefix of plainIndexes[%zu], which serves the same queries; remove it.",
              i, j);
    else
        ck_at(c, m, sfx, rule, bb_buf_str(&v),
              "uniqueIndexes[%zu] is implied by uniqueIndexes[%zu], a unique index on a leading prefix of its "
              "columns; remove it.", i, j);
    c->raw_value = 0;
    bb_buf_free(&v);
}

static void ck_index_list(ck_ctx *c, const ast_db_model *m, const ast_db_index *ix, size_t n, int unique)
{
    const char *key = unique ? "uniqueIndexes" : "plainIndexes";
    char sfx[128];
    size_t i, j, k;

    for (i = 0; i < n; i++) {
        int bad_col = 0;

        for (k = 0; k < ix[i].n_field_names; k++) {
            const char *col = ix[i].field_names[k];
            size_t q;

            ck_suffix(sfx, sizeof sfx, ".%s[%zu].fieldNames[%zu]", key, i, k);
            if (!ck_has_column(m, col, NULL)) {
                c->refs_bad = 1;
                bad_col = 1;
                ck_at(c, m, sfx, "existing column name", col,
                      "%s[%zu] names column %s, which this table does not have.", key, i, ck_show(c, col));
                continue;
            }
            for (q = 0; q < k; q++) {
                if (strcmp(ix[i].field_names[q], col) == 0) {
                    c->refs_bad = 1;
                    ck_at(c, m, sfx, "column not repeated in the index", col,
                          "%s[%zu] lists column %s twice.", key, i, ck_show(c, col));
                    break;
                }
            }
        }
        if (bad_col)
            continue;
        for (j = 0; j < n; j++) {
            int same;
            const char *rule = NULL;

            if (j == i)
                continue;
            same = ix[i].n_field_names == ix[j].n_field_names && ck_prefix(&ix[i], &ix[j]);
            ck_suffix(sfx, sizeof sfx, ".%s[%zu]", key, i);
            if (same && j < i)
                rule = "no duplicate index";
            else if (!same && !unique && ck_prefix(&ix[i], &ix[j]))
                rule = "no index that is a prefix of another";
            else if (!same && unique && ck_prefix(&ix[j], &ix[i]))
                rule = "no unique index implied by another";
            if (!rule)
                continue;
            ck_index_report(c, m, sfx, rule, &ix[i], unique, i, j);
            break;
        }
    }
}

static void ck_gin(ck_ctx *c, const ast_db_model *m)
{
    char sfx[96];
    size_t i, j;

    for (i = 0; i < m->n_gin_fields; i++) {
        const char *col = m->gin_fields[i];
        ast_db_type t;

        ck_suffix(sfx, sizeof sfx, ".ginIndexes[%zu].fieldName", i);
        if (!ck_has_column(m, col, &t)) {
            c->refs_bad = 1;
            ck_at(c, m, sfx, "existing column name", col,
                  "ginIndexes[%zu] names column %s, which this table does not have.", i, ck_show(c, col));
            continue;
        }
        if (t != AST_DB_STRING && t != AST_DB_URI) {
            c->refs_bad = 1;
            ck_at(c, m, sfx, "string column", col,
                  "ginIndexes[%zu]: column %s is not a string column; trigram (gin) indexes only serve text.", i,
                  ck_show(c, col));
            continue;
        }
        for (j = 0; j < i; j++) {
            if (strcmp(m->gin_fields[j], col) == 0) {
                ck_at(c, m, sfx, "no duplicate index", col, "ginIndexes[%zu] repeats ginIndexes[%zu] on column %s.",
                      i, j, ck_show(c, col));
                break;
            }
        }
    }
}

/* ---- cycles of non-nullable foreign keys ----------------------------------------- */

typedef struct ck_node {
    size_t index;   /* Tarjan discovery index + 1 (0 = unvisited) */
    size_t low;
    int on_stack;
    size_t next_fk; /* iteration state */
} ck_node;

/* Position of model in db->models (models are unique pointers). */
static size_t ck_pos(const ck_ctx *c, const ast_db_model *m)
{
    size_t i, base = 0;

    for (i = 0; i < m->file_index; i++)
        base += c->db->files[i].n_models;
    return base + m->model_index;
}

/* The target of a non-nullable foreign key k of m as a node position, or
 * SIZE_MAX when nullable or unresolved. */
static size_t ck_edge(const ck_ctx *c, const ast_db_model *m, size_t k)
{
    const ast_db_model *t;

    if (m->foreigns[k].nullable)
        return SIZE_MAX;
    t = ck_find(c, m->foreigns[k].relation.target_model);
    return t ? ck_pos(c, t) : SIZE_MAX;
}

static void ck_report_cycle(ck_ctx *c, const size_t *members, size_t n)
{
    const ast_db_model *first = c->db->models[members[0]];
    bb_buf names;
    size_t i, k;
    char sfx[96];

    /* locate at the first non-nullable foreign key of the first member that stays inside the cycle */
    sfx[0] = '\0';
    for (k = 0; k < first->n_foreigns; k++) {
        size_t t = ck_edge(c, first, k);

        for (i = 0; i < n && t != SIZE_MAX; i++) {
            if (members[i] == t) {
                ck_suffix(sfx, sizeof sfx, ".foreignFields[%zu].nullable", k);
                break;
            }
        }
        if (sfx[0])
            break;
    }
    bb_buf_init(&names, 4096);
    for (i = 0; i < n && i < CK_CYCLE_SHOWN; i++)
        (void)bb_buf_printf(&names, "%s%s", i ? ", " : "", ck_show(c, c->db->models[members[i]]->name));
    if (n > CK_CYCLE_SHOWN)
        (void)bb_buf_printf(&names, " and %zu more", n - CK_CYCLE_SHOWN);
    c->raw_value = 1;
    if (n == 1)
        ck_at(c, first, sfx, "nullable self-reference", "false",
              "foreign key %s references its own table and is not nullable, so no first row could be inserted; "
              "make it nullable.", ck_show(c, k < first->n_foreigns ? first->foreigns[k].name : "?"));
    else
        ck_at(c, first, sfx, "no cycle of non-nullable foreign keys", "false",
              "tables %s reference each other through non-nullable foreign keys, so none of them could get a first "
              "row; make one foreign key in the cycle nullable.", bb_buf_str(&names));
    c->raw_value = 0;
    bb_buf_free(&names);
}

static void ck_cycles(ck_ctx *c)
{
    size_t n = c->db->n_models, counter = 0, sp = 0, cp = 0, v;
    ck_node *nodes = bb_calloc(n ? n : 1, sizeof *nodes);
    size_t *stack = bb_calloc(n ? n : 1, sizeof *stack);   /* Tarjan stack */
    size_t *call = bb_calloc(n ? n : 1, sizeof *call);     /* DFS call stack */
    size_t *members = bb_calloc(n ? n : 1, sizeof *members);

    if (!nodes || !stack || !call || !members) {
        ck_fail(c, BB_ERR_NOMEM);
        goto out;
    }
    for (v = 0; v < n; v++) {
        if (nodes[v].index)
            continue;
        call[cp++] = v;
        nodes[v].index = nodes[v].low = ++counter;
        stack[sp++] = v;
        nodes[v].on_stack = 1;
        while (cp > 0) {
            size_t u = call[cp - 1];
            const ast_db_model *m = c->db->models[u];

            if (nodes[u].next_fk < m->n_foreigns) {
                size_t w = ck_edge(c, m, nodes[u].next_fk++);

                if (w == SIZE_MAX)
                    continue;
                if (!nodes[w].index) {
                    nodes[w].index = nodes[w].low = ++counter;
                    stack[sp++] = w;
                    nodes[w].on_stack = 1;
                    call[cp++] = w;
                } else if (nodes[w].on_stack && nodes[w].index < nodes[u].low) {
                    nodes[u].low = nodes[w].index;
                }
                continue;
            }
            cp--;
            if (cp > 0 && nodes[u].low < nodes[call[cp - 1]].low)
                nodes[call[cp - 1]].low = nodes[u].low;
            if (nodes[u].low == nodes[u].index) {
                size_t nm = 0, w, k;
                int self = 0;

                do {
                    w = stack[--sp];
                    nodes[w].on_stack = 0;
                    members[nm++] = w;
                } while (w != u);
                for (k = 0; nm == 1 && k < m->n_foreigns; k++) {
                    if (ck_edge(c, m, k) == u)
                        self = 1;
                }
                if (nm > 1 || self) {
                    /* report in document order: smallest position first */
                    for (k = 1; k < nm; k++) {
                        if (members[k] < members[0]) {
                            size_t tmp = members[0];

                            members[0] = members[k];
                            members[k] = tmp;
                        }
                    }
                    ck_report_cycle(c, members, nm);
                }
            }
        }
    }
out:
    bb_free(nodes);
    bb_free(stack);
    bb_free(call);
    bb_free(members);
}

/* ---- entry points ------------------------------------------------------------ */

bb_result ast_db_check(ast_db *db, schema_errors *errs)
{
    ck_ctx c;
    size_t i;

    memset(&c, 0, sizeof c);
    c.db = db;
    c.errs = errs;
    db->idents_ok = db->refs_ok = db->checked_ok = 0;
    if (db->n_models == 0) {
        c.raw_value = 1;
        ck_report(&c, "$input.files", "at least one table", "[]",
                  "The design declares no table; every design needs at least one model in some file.");
        c.raw_value = 0;
    }
    for (i = 0; i < db->n_files; i++)
        ck_file_idents(&c, i);
    for (i = 0; i < db->n_models; i++)
        ck_model_idents(&c, db->models[i]);
    ck_tables(&c);
    if (c.rc != BB_OK)
        goto out;
    for (i = 0; i < db->n_models; i++) {
        const ast_db_model *m = db->models[i];

        ck_columns_and_relations(&c, m);
        ck_targets(&c, m);
        ck_index_list(&c, m, m->unique_indexes, m->n_unique_indexes, 1);
        ck_index_list(&c, m, m->plain_indexes, m->n_plain_indexes, 0);
        ck_gin(&c, m);
    }
    ck_opposites(&c);
    ck_cycles(&c);
out:
    bb_free(c.sorted);
    if (c.rc != BB_OK)
        return c.rc;
    db->idents_ok = !c.idents_bad;
    db->refs_ok = !c.refs_bad;
    db->checked_ok = c.n_errors == 0;
    return c.n_errors ? BB_ERR_INVALID : BB_OK;
}

bb_result ast_db_check_json(const json_t *doc, const ast_db_params *params, ast_db **out, schema_errors *errs,
                            schema_errors *warns)
{
    ast_db *db = NULL;
    bb_result rc = ast_db_load(doc, params, &db, errs, warns);

    if (out)
        *out = NULL;
    if (rc != BB_OK)
        return rc;
    rc = ast_db_check(db, errs);
    if (out && (rc == BB_OK || rc == BB_ERR_INVALID))
        *out = db;
    else
        ast_db_free(db);
    return rc;
}

static int ck_ready_snake(const char *s)
{
    return s && ast_ident_is_snake(s, strlen(s)) && strlen(s) <= AST_IDENT_MAX_SQL;
}

bb_result ast_db_emit_ready(const ast_db *db)
{
    size_t i, j, k;

    if (!db || !db->checked_ok || !db->idents_ok || !db->refs_ok)
        return BB_ERR_INVALID;
    for (i = 0; i < db->n_files; i++) {
        const ast_db_file *f = &db->files[i];

        if (!f->filename || !ast_ident_is_filename(f->filename, strlen(f->filename)) || !f->namespace_name ||
            !ast_ident_is_pascal(f->namespace_name, strlen(f->namespace_name)))
            return BB_ERR_INVALID;
    }
    for (i = 0; i < db->n_models; i++) {
        const ast_db_model *m = db->models[i];

        if (!ck_ready_snake(m->name) || !ck_ready_snake(m->primary.name))
            return BB_ERR_INVALID;
        for (j = 0; j < m->n_foreigns; j++) {
            const ast_db_relation *r = &m->foreigns[j].relation;

            if (!ck_ready_snake(m->foreigns[j].name) || !ck_ready_snake(r->target_model) ||
                !ast_ident_is_camel(r->name, strlen(r->name)) ||
                !ast_ident_is_camel(r->opposite_name, strlen(r->opposite_name)) ||
                strlen(r->opposite_name) > CK_SYNTH_MAX)
                return BB_ERR_INVALID;
        }
        for (j = 0; j < m->n_plains; j++) {
            if (!ck_ready_snake(m->plains[j].name) || (unsigned)m->plains[j].type >= AST_DB_TYPE_COUNT_)
                return BB_ERR_INVALID;
        }
        for (j = 0; j < m->n_unique_indexes; j++)
            for (k = 0; k < m->unique_indexes[j].n_field_names; k++)
                if (!ck_ready_snake(m->unique_indexes[j].field_names[k]))
                    return BB_ERR_INVALID;
        for (j = 0; j < m->n_plain_indexes; j++)
            for (k = 0; k < m->plain_indexes[j].n_field_names; k++)
                if (!ck_ready_snake(m->plain_indexes[j].field_names[k]))
                    return BB_ERR_INVALID;
        for (j = 0; j < m->n_gin_fields; j++)
            if (!ck_ready_snake(m->gin_fields[j]))
                return BB_ERR_INVALID;
    }
    return BB_OK;
}
