/*
 * ast_db.c — loads a DB AST from jansson into arena-owned structs (see
 * ast_db.h). One loader context carries the path being visited (typia style,
 * "$input.files[0].models[2].name"), the error and warning lists and the
 * limits; every JSON access checks the type first, so no input can crash it.
 */
#include "ast_db.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "ast/ast_ident.h"
#include "json/json_util.h"
#include "util/alloc.h"
#include "util/buf.h"

#define AST_DB_PATH_MAX 4096 /* bytes of an error path */
#define AST_DB_VALUE_MAX 200 /* bytes of an error's value rendering */

static const char *const ast_db_type_names[AST_DB_TYPE_COUNT_] = {
    "boolean", "int", "double", "string", "uri", "uuid", "datetime",
};

static const char *const ast_db_stance_names[AST_DB_STANCE_COUNT_] = {
    "primary", "subsidiary", "snapshot",
};

const char *ast_db_type_name(ast_db_type t)
{
    return (unsigned)t < AST_DB_TYPE_COUNT_ ? ast_db_type_names[t] : NULL;
}

const char *ast_db_stance_name(ast_db_stance s)
{
    return (unsigned)s < AST_DB_STANCE_COUNT_ ? ast_db_stance_names[s] : NULL;
}

ast_db_params ast_db_default_params(void)
{
    ast_db_params p;

    p.max_files = 64;
    p.max_models = 1024;
    p.max_columns = 512;
    p.max_indexes = 128;
    p.max_index_columns = 32;
    p.max_name = 255;
    p.max_text = 65536;
    p.max_arena = (size_t)64 * 1024 * 1024;
    return p;
}

void ast_db_free(ast_db *db)
{
    if (!db)
        return;
    bb_arena_free(db->arena); /* db itself lives in its arena */
}

const ast_db_model *ast_db_find_model(const ast_db *db, const char *name)
{
    size_t i;

    if (!db || !name)
        return NULL;
    for (i = 0; i < db->n_models; i++) {
        if (strcmp(db->models[i]->name, name) == 0)
            return db->models[i];
    }
    return NULL;
}

/* ---- loader context ------------------------------------------------------ */

typedef struct ast_db_loader {
    ast_db *db;
    const ast_db_params *p;
    schema_errors *errs;
    schema_errors *warns;
    bb_buf path;
    size_t n_errors;
    bb_result rc; /* first hard failure (nomem, arena cap) */
} ast_db_loader;

static void ld_fail(ast_db_loader *ld, bb_result rc)
{
    if (ld->rc == BB_OK)
        ld->rc = rc;
}

static size_t ld_key(ast_db_loader *ld, const char *key)
{
    size_t mark = ld->path.len;
    bb_result rc = schema_path_key(&ld->path, key);

    if (rc != BB_OK)
        ld_fail(ld, rc);
    return mark;
}

static size_t ld_index(ast_db_loader *ld, size_t i)
{
    size_t mark = ld->path.len;
    bb_result rc = schema_path_index(&ld->path, i);

    if (rc != BB_OK)
        ld_fail(ld, rc);
    return mark;
}

static void ld_pop(ast_db_loader *ld, size_t mark)
{
    bb_buf_truncate(&ld->path, mark);
}

/* Adds an error (warn = 0) or warning at the current path. */
static void ld_report(ast_db_loader *ld, int warn, schema_error_kind kind, const char *expected,
                      const json_t *value, const char *fmt, ...) __attribute__((format(printf, 6, 7)));

static void ld_report(ast_db_loader *ld, int warn, schema_error_kind kind, const char *expected,
                      const json_t *value, const char *fmt, ...)
{
    bb_buf vb, mb;
    va_list ap;
    schema_errors *list = warn ? ld->warns : ld->errs;
    bb_result rc;

    if (!warn)
        ld->n_errors++;
    if (!list)
        return;
    bb_buf_init(&vb, AST_DB_VALUE_MAX + 16);
    bb_buf_init(&mb, 1024);
    rc = value ? bb_json_append_compact(&vb, value, AST_DB_VALUE_MAX) : bb_buf_puts(&vb, "undefined");
    va_start(ap, fmt);
    if (rc == BB_OK)
        rc = bb_buf_vprintf(&mb, fmt, ap);
    va_end(ap);
    if (rc == BB_ERR_LIMIT)
        rc = BB_OK; /* an over-long message is cut, not fatal */
    if (rc == BB_OK)
        rc = schema_errors_add(list, kind, bb_buf_str(&ld->path), expected, bb_buf_str(&vb), bb_buf_str(&mb));
    if (rc != BB_OK)
        ld_fail(ld, rc);
    bb_buf_free(&vb);
    bb_buf_free(&mb);
}

static const char *ld_json_type(const json_t *v)
{
    switch (json_typeof(v)) {
    case JSON_OBJECT: return "object";
    case JSON_ARRAY: return "array";
    case JSON_STRING: return "string";
    case JSON_INTEGER:
    case JSON_REAL: return "number";
    case JSON_TRUE:
    case JSON_FALSE: return "boolean";
    default: return "null";
    }
}

/* Warns about keys of obj not in known (NULL-terminated). */
static void ld_unknown_keys(ast_db_loader *ld, const json_t *obj, const char *const *known)
{
    const char *key;
    json_t *val;

    json_object_foreach((json_t *)obj, key, val) {
        size_t i, mark;
        int found = 0;
        char shown[512];

        for (i = 0; known[i]; i++) {
            if (strcmp(known[i], key) == 0)
                found = 1;
        }
        if (found)
            continue;
        mark = ld_key(ld, key);
        ld_report(ld, 1, SCHEMA_ERR_ADDITIONAL, "never", val, "unknown property %s is ignored",
                  ast_ident_show(key, 80, shown, sizeof shown));
        ld_pop(ld, mark);
    }
}

/* The member key of obj; reports a missing required member. */
static const json_t *ld_member(ast_db_loader *ld, const json_t *obj, const char *key, int required)
{
    const json_t *v = json_object_get(obj, key);

    if (!v && required) {
        size_t mark = ld_key(ld, key);

        ld_report(ld, 0, SCHEMA_ERR_REQUIRED, "required property", NULL, "property %s is missing", key);
        ld_pop(ld, mark);
    }
    return v;
}

/* Loads a string member into the arena. Returns 1 when *out was set. */
static int ld_string(ast_db_loader *ld, const json_t *obj, const char *key, size_t max,
                     const char **out /* OUT */)
{
    const json_t *v = ld_member(ld, obj, key, 1);
    size_t mark, len;
    const char *s;
    int ok = 0;

    *out = NULL;
    if (!v)
        return 0;
    mark = ld_key(ld, key);
    if (!json_is_string(v)) {
        ld_report(ld, 0, SCHEMA_ERR_TYPE, "string", v, "%s must be a string, not %s", key, ld_json_type(v));
        goto out;
    }
    s = json_string_value(v);
    len = json_string_length(v);
    if (strlen(s) != len) {
        ld_report(ld, 0, SCHEMA_ERR_PATTERN, "string without NUL characters", v,
                  "%s contains a NUL character", key);
        goto out;
    }
    if (len > max) {
        ld_report(ld, 0, SCHEMA_ERR_LENGTH, max <= 255 ? "string & MaxLength<255>" : "string & MaxLength",
                  v, "%s is %zu bytes long; the limit is %zu", key, len, max);
        goto out;
    }
    *out = bb_arena_strndup(ld->db->arena, s, len);
    if (!*out) {
        ld_fail(ld, bb_arena_failed(ld->db->arena));
        goto out;
    }
    ok = 1;
out:
    ld_pop(ld, mark);
    return ok;
}

static int ld_bool(ast_db_loader *ld, const json_t *obj, const char *key, int *out /* OUT */)
{
    const json_t *v = ld_member(ld, obj, key, 1);
    size_t mark;

    *out = 0;
    if (!v)
        return 0;
    if (!json_is_boolean(v)) {
        mark = ld_key(ld, key);
        ld_report(ld, 0, SCHEMA_ERR_TYPE, "boolean", v, "%s must be true or false, not %s", key,
                  ld_json_type(v));
        ld_pop(ld, mark);
        return 0;
    }
    *out = json_is_true(v);
    return 1;
}

/* An array member with at most max items; NULL when absent or wrong. */
static const json_t *ld_array(ast_db_loader *ld, const json_t *obj, const char *key, size_t max)
{
    const json_t *v = ld_member(ld, obj, key, 1);
    const json_t *res = NULL;
    size_t mark;

    if (!v)
        return NULL;
    mark = ld_key(ld, key);
    if (!json_is_array(v))
        ld_report(ld, 0, SCHEMA_ERR_TYPE, "Array", v, "%s must be an array, not %s", key, ld_json_type(v));
    else if (json_array_size(v) > max)
        ld_report(ld, 0, SCHEMA_ERR_LIMIT, "array & MaxItems", NULL, "%s has %zu items; the limit is %zu", key,
                  json_array_size(v), max);
    else
        res = v;
    ld_pop(ld, mark);
    return res;
}

/* Checks that v (at the current path) is an object. */
static int ld_object(ast_db_loader *ld, const json_t *v, const char *what)
{
    if (json_is_object(v))
        return 1;
    ld_report(ld, 0, SCHEMA_ERR_TYPE, what, v, "expected an object (%s), not %s", what, ld_json_type(v));
    return 0;
}

static void *ld_calloc(ast_db_loader *ld, size_t n, size_t size)
{
    void *p;

    if (n == 0)
        return NULL;
    p = bb_arena_calloc(ld->db->arena, n, size);
    if (!p)
        ld_fail(ld, bb_arena_failed(ld->db->arena));
    return p;
}

/* ---- the DB AST ------------------------------------------------------------ */

static void ld_relation(ast_db_loader *ld, const json_t *obj, ast_db_relation *r /* OUT */)
{
    static const char *const known[] = {"name", "targetModel", "oppositeName", NULL};
    size_t mark = ld_key(ld, "relation");

    if (!ld_object(ld, obj, "IRelation"))
        goto out;
    ld_string(ld, obj, "name", ld->p->max_name, &r->name);
    ld_string(ld, obj, "targetModel", ld->p->max_name, &r->target_model);
    if (json_object_get(obj, "oppositeName")) {
        ld_string(ld, obj, "oppositeName", ld->p->max_name, &r->opposite_name);
    } else {
        size_t m2 = ld_key(ld, "oppositeName");

        r->opposite_synthesized = 1;
        ld_report(ld, 1, SCHEMA_ERR_REQUIRED, "string & CamelCase", NULL,
                  "oppositeName is missing (older AutoBe output); a name is synthesised");
        ld_pop(ld, m2);
    }
    ld_unknown_keys(ld, obj, known);
out:
    ld_pop(ld, mark);
}

static void ld_foreign(ast_db_loader *ld, const json_t *obj, ast_db_foreign *f /* OUT */)
{
    static const char *const known[] = {"name", "type", "description", "relation", "unique", "nullable", NULL};
    const char *type = NULL;
    const json_t *rel;

    if (!ld_object(ld, obj, "IForeignField"))
        return;
    ld_string(ld, obj, "name", ld->p->max_name, &f->name);
    if (ld_string(ld, obj, "type", ld->p->max_name, &type) && strcmp(type, "uuid") != 0) {
        size_t mark = ld_key(ld, "type");

        ld_report(ld, 0, SCHEMA_ERR_CONST, "\"uuid\"", json_object_get(obj, "type"),
                  "a foreign key's type must be uuid");
        ld_pop(ld, mark);
    }
    ld_string(ld, obj, "description", ld->p->max_text, &f->description);
    rel = ld_member(ld, obj, "relation", 1);
    if (rel)
        ld_relation(ld, rel, &f->relation);
    ld_bool(ld, obj, "unique", &f->unique);
    ld_bool(ld, obj, "nullable", &f->nullable);
    ld_unknown_keys(ld, obj, known);
}

static void ld_plain(ast_db_loader *ld, const json_t *obj, ast_db_plain *f /* OUT */)
{
    static const char *const known[] = {"name", "type", "description", "nullable", NULL};
    const char *type = NULL;
    int i;

    if (!ld_object(ld, obj, "IPlainField"))
        return;
    ld_string(ld, obj, "name", ld->p->max_name, &f->name);
    if (ld_string(ld, obj, "type", ld->p->max_name, &type)) {
        int found = 0;

        for (i = 0; i < AST_DB_TYPE_COUNT_; i++) {
            if (strcmp(type, ast_db_type_names[i]) == 0) {
                f->type = (ast_db_type)i;
                found = 1;
            }
        }
        if (!found) {
            size_t mark = ld_key(ld, "type");

            ld_report(ld, 0, SCHEMA_ERR_ENUM,
                      "\"boolean\" | \"int\" | \"double\" | \"string\" | \"uri\" | \"uuid\" | \"datetime\"",
                      json_object_get(obj, "type"), "unknown column type");
            ld_pop(ld, mark);
        }
    }
    ld_string(ld, obj, "description", ld->p->max_text, &f->description);
    ld_bool(ld, obj, "nullable", &f->nullable);
    ld_unknown_keys(ld, obj, known);
}

/* fieldNames of an index object into ix. */
static void ld_field_names(ast_db_loader *ld, const json_t *obj, ast_db_index *ix /* OUT */)
{
    const json_t *arr = ld_array(ld, obj, "fieldNames", ld->p->max_index_columns);
    size_t i, mark;

    if (!arr)
        return;
    mark = ld_key(ld, "fieldNames");
    if (json_array_size(arr) == 0)
        ld_report(ld, 0, SCHEMA_ERR_LENGTH, "Array & MinItems<1>", arr, "an index needs at least one column");
    ix->field_names = ld_calloc(ld, json_array_size(arr), sizeof *ix->field_names);
    for (i = 0; ix->field_names && i < json_array_size(arr); i++) {
        const json_t *v = json_array_get(arr, i);
        size_t m2 = ld_index(ld, i);
        size_t len = json_string_length(v);

        if (!json_is_string(v)) {
            ld_report(ld, 0, SCHEMA_ERR_TYPE, "string", v, "a column name must be a string");
        } else if (strlen(json_string_value(v)) != len) {
            ld_report(ld, 0, SCHEMA_ERR_PATTERN, "string without NUL characters", v,
                      "a column name contains a NUL character");
        } else if (len > ld->p->max_name) {
            ld_report(ld, 0, SCHEMA_ERR_LENGTH, "string & MaxLength<255>", v, "a column name is %zu bytes long",
                      len);
        } else {
            const char *s = bb_arena_strndup(ld->db->arena, json_string_value(v), len);

            if (!s)
                ld_fail(ld, bb_arena_failed(ld->db->arena));
            else
                ix->field_names[ix->n_field_names++] = s;
        }
        ld_pop(ld, m2);
    }
    ld_pop(ld, mark);
}

static void ld_indexes(ast_db_loader *ld, const json_t *model, const char *key, int unique,
                       ast_db_index **out /* OUT */, size_t *n /* OUT */)
{
    static const char *const known_unique[] = {"fieldNames", "unique", NULL};
    static const char *const known_plain[] = {"fieldNames", NULL};
    const json_t *arr = ld_array(ld, model, key, ld->p->max_indexes);
    size_t i, mark;

    if (!arr)
        return;
    mark = ld_key(ld, key);
    *out = ld_calloc(ld, json_array_size(arr), sizeof **out);
    for (i = 0; *out && i < json_array_size(arr); i++) {
        const json_t *ix = json_array_get(arr, i);
        size_t m2 = ld_index(ld, i);

        if (ld_object(ld, ix, unique ? "IUniqueIndex" : "IPlainIndex")) {
            ld_field_names(ld, ix, &(*out)[*n]);
            if (unique) {
                const json_t *u = json_object_get(ix, "unique");

                if (u && !json_is_true(u)) {
                    size_t m3 = ld_key(ld, "unique");

                    ld_report(ld, 0, SCHEMA_ERR_CONST, "true", u, "unique must be true");
                    ld_pop(ld, m3);
                }
            }
            ld_unknown_keys(ld, ix, unique ? known_unique : known_plain);
            (*n)++;
        }
        ld_pop(ld, m2);
    }
    ld_pop(ld, mark);
}

static void ld_gin(ast_db_loader *ld, const json_t *model, ast_db_model *m)
{
    static const char *const known[] = {"fieldName", NULL};
    const json_t *arr = ld_array(ld, model, "ginIndexes", ld->p->max_indexes);
    size_t i, mark;

    if (!arr)
        return;
    mark = ld_key(ld, "ginIndexes");
    m->gin_fields = ld_calloc(ld, json_array_size(arr), sizeof *m->gin_fields);
    for (i = 0; m->gin_fields && i < json_array_size(arr); i++) {
        const json_t *ix = json_array_get(arr, i);
        size_t m2 = ld_index(ld, i);
        const char *s = NULL;

        if (ld_object(ld, ix, "IGinIndex") && ld_string(ld, ix, "fieldName", ld->p->max_name, &s)) {
            m->gin_fields[m->n_gin_fields++] = s;
            ld_unknown_keys(ld, ix, known);
        }
        ld_pop(ld, m2);
    }
    ld_pop(ld, mark);
}

static void ld_primary(ast_db_loader *ld, const json_t *obj, ast_db_primary *pk /* OUT */)
{
    static const char *const known[] = {"name", "type", "description", NULL};
    const char *type = NULL;
    size_t mark = ld_key(ld, "primaryField");

    if (!ld_object(ld, obj, "IPrimaryField"))
        goto out;
    ld_string(ld, obj, "name", ld->p->max_name, &pk->name);
    if (ld_string(ld, obj, "type", ld->p->max_name, &type) && strcmp(type, "uuid") != 0) {
        size_t m2 = ld_key(ld, "type");

        ld_report(ld, 0, SCHEMA_ERR_CONST, "\"uuid\"", json_object_get(obj, "type"),
                  "the primary key's type must be uuid");
        ld_pop(ld, m2);
    }
    ld_string(ld, obj, "description", ld->p->max_text, &pk->description);
    ld_unknown_keys(ld, obj, known);
out:
    ld_pop(ld, mark);
}

static void ld_model(ast_db_loader *ld, const json_t *obj, ast_db_model *m /* OUT */)
{
    static const char *const known[] = {"name", "description", "material", "stance", "primaryField",
                                        "foreignFields", "plainFields", "uniqueIndexes", "plainIndexes",
                                        "ginIndexes", NULL};
    const json_t *pk, *arr;
    const char *stance = NULL;
    size_t i, mark, n_cols = 0;

    if (!ld_object(ld, obj, "IModel"))
        return;
    ld_string(ld, obj, "name", ld->p->max_name, &m->name);
    ld_string(ld, obj, "description", ld->p->max_text, &m->description);
    ld_bool(ld, obj, "material", &m->material);
    if (ld_string(ld, obj, "stance", ld->p->max_name, &stance)) {
        int found = 0, k;

        for (k = 0; k < AST_DB_STANCE_COUNT_; k++) {
            if (strcmp(stance, ast_db_stance_names[k]) == 0) {
                m->stance = (ast_db_stance)k;
                found = 1;
            }
        }
        if (!found) {
            mark = ld_key(ld, "stance");
            ld_report(ld, 0, SCHEMA_ERR_ENUM, "\"primary\" | \"subsidiary\" | \"snapshot\"",
                      json_object_get(obj, "stance"), "unknown stance");
            ld_pop(ld, mark);
        }
    }
    pk = ld_member(ld, obj, "primaryField", 1);
    if (pk)
        ld_primary(ld, pk, &m->primary);

    arr = ld_array(ld, obj, "foreignFields", ld->p->max_columns);
    if (arr) {
        n_cols += json_array_size(arr);
        mark = ld_key(ld, "foreignFields");
        m->foreigns = ld_calloc(ld, json_array_size(arr), sizeof *m->foreigns);
        for (i = 0; m->foreigns && i < json_array_size(arr); i++) {
            size_t m2 = ld_index(ld, i);

            ld_foreign(ld, json_array_get(arr, i), &m->foreigns[m->n_foreigns++]);
            ld_pop(ld, m2);
        }
        ld_pop(ld, mark);
    }
    arr = ld_array(ld, obj, "plainFields", ld->p->max_columns);
    if (arr) {
        n_cols += json_array_size(arr);
        mark = ld_key(ld, "plainFields");
        m->plains = ld_calloc(ld, json_array_size(arr), sizeof *m->plains);
        for (i = 0; m->plains && i < json_array_size(arr); i++) {
            size_t m2 = ld_index(ld, i);

            ld_plain(ld, json_array_get(arr, i), &m->plains[m->n_plains++]);
            ld_pop(ld, m2);
        }
        ld_pop(ld, mark);
    }
    if (n_cols > ld->p->max_columns)
        ld_report(ld, 0, SCHEMA_ERR_LIMIT, "at most 512 columns", NULL, "the table has %zu columns; the limit is %zu",
                  n_cols, ld->p->max_columns);
    ld_indexes(ld, obj, "uniqueIndexes", 1, &m->unique_indexes, &m->n_unique_indexes);
    ld_indexes(ld, obj, "plainIndexes", 0, &m->plain_indexes, &m->n_plain_indexes);
    ld_gin(ld, obj, m);
    ld_unknown_keys(ld, obj, known);
}

static void ld_file(ast_db_loader *ld, const json_t *obj, size_t fi, ast_db_file *f /* OUT */)
{
    static const char *const known[] = {"filename", "namespace", "models", NULL};
    const json_t *arr;
    size_t i, mark;

    if (!ld_object(ld, obj, "IFile"))
        return;
    ld_string(ld, obj, "filename", ld->p->max_name, &f->filename);
    ld_string(ld, obj, "namespace", ld->p->max_name, &f->namespace_name);
    arr = ld_array(ld, obj, "models", ld->p->max_models);
    if (arr) {
        mark = ld_key(ld, "models");
        if (ld->db->n_models + json_array_size(arr) > ld->p->max_models) {
            ld_report(ld, 0, SCHEMA_ERR_LIMIT, "at most 1024 tables", NULL,
                      "the design has more than %zu tables", ld->p->max_models);
        } else {
            f->models = ld_calloc(ld, json_array_size(arr), sizeof *f->models);
            for (i = 0; f->models && i < json_array_size(arr); i++) {
                size_t m2 = ld_index(ld, i);
                ast_db_model *m = &f->models[f->n_models++];

                m->file_index = fi;
                m->model_index = i;
                ld_model(ld, json_array_get(arr, i), m);
                ld->db->models[ld->db->n_models++] = m;
                ld_pop(ld, m2);
            }
        }
        ld_pop(ld, mark);
    }
    ld_unknown_keys(ld, obj, known);
}

/* camelCase(source table) + PascalCase(relation name): todo_todos + user ->
 * todoTodosUser. Unique per (table, relation name), so opposite names of
 * older documents rarely clash; the checks report it when they do. */
static const char *ld_synth_opposite(ast_db_loader *ld, const char *table, const char *rel)
{
    bb_buf b;
    const char *p;
    const char *res = NULL;
    int up = 0;
    bb_result rc = BB_OK;

    bb_buf_init(&b, 1024);
    for (p = table; *p && rc == BB_OK; p++) {
        if (*p == '_') {
            up = b.len > 0;
            continue;
        }
        rc = bb_buf_putc(&b, up && *p >= 'a' && *p <= 'z' ? (char)(*p - 'a' + 'A') : *p);
        up = 0;
    }
    if (rc == BB_OK && rel[0])
        rc = bb_buf_putc(&b, rel[0] >= 'a' && rel[0] <= 'z' ? (char)(rel[0] - 'a' + 'A') : rel[0]);
    if (rc == BB_OK && rel[0])
        rc = bb_buf_puts(&b, rel + 1);
    if (rc == BB_OK) {
        res = bb_arena_strdup(ld->db->arena, bb_buf_str(&b));
        if (!res)
            ld_fail(ld, bb_arena_failed(ld->db->arena));
    } else {
        ld_fail(ld, rc);
    }
    bb_buf_free(&b);
    return res;
}

bb_result ast_db_load(const json_t *doc, const ast_db_params *params, ast_db **out, schema_errors *errs,
                      schema_errors *warns)
{
    static const char *const known[] = {"files", NULL};
    ast_db_params defaults = ast_db_default_params();
    ast_db_loader ld;
    bb_arena *arena = NULL;
    const json_t *files;
    size_t i, j, mark, total = 0;
    bb_result rc;

    *out = NULL;
    memset(&ld, 0, sizeof ld);
    ld.p = params ? params : &defaults;
    ld.errs = errs;
    ld.warns = warns;
    bb_buf_init(&ld.path, AST_DB_PATH_MAX);
    arena = bb_arena_new(ld.p->max_arena);
    if (!arena) {
        rc = BB_ERR_NOMEM;
        goto out;
    }
    ld.db = bb_arena_alloc(arena, sizeof *ld.db);
    if (!ld.db) {
        rc = bb_arena_failed(arena);
        goto out;
    }
    rc = schema_path_root(&ld.path);
    if (rc != BB_OK)
        goto out;
    ld.db->arena = arena;
    if (!ld_object(&ld, doc, "IDatabase"))
        goto done;
    files = ld_array(&ld, doc, "files", ld.p->max_files);
    if (files) {
        /* count models first so db->models can be one array */
        for (i = 0; i < json_array_size(files); i++) {
            const json_t *ms = json_object_get(json_array_get(files, i), "models");

            if (json_is_array(ms))
                total += json_array_size(ms);
        }
        if (total > ld.p->max_models)
            total = ld.p->max_models;
        ld.db->models = ld_calloc(&ld, total ? total : 1, sizeof *ld.db->models);
        ld.db->files = ld_calloc(&ld, json_array_size(files), sizeof *ld.db->files);
        mark = ld_key(&ld, "files");
        for (i = 0; ld.db->models && ld.db->files && i < json_array_size(files) && ld.rc == BB_OK; i++) {
            size_t m2 = ld_index(&ld, i);

            ld_file(&ld, json_array_get(files, i), i, &ld.db->files[ld.db->n_files++]);
            ld_pop(&ld, m2);
        }
        ld_pop(&ld, mark);
    }
    ld_unknown_keys(&ld, doc, known);
done:
    if (ld.rc != BB_OK) {
        rc = ld.rc;
        goto out;
    }
    if (ld.n_errors > 0) {
        rc = BB_ERR_INVALID;
        goto out;
    }
    for (i = 0; i < ld.db->n_models; i++) {
        ast_db_model *m = ld.db->models[i];

        for (j = 0; j < m->n_foreigns; j++) {
            ast_db_relation *r = &m->foreigns[j].relation;

            if (!r->opposite_name)
                r->opposite_name = ld_synth_opposite(&ld, m->name, r->name);
        }
    }
    if (ld.rc != BB_OK) {
        rc = ld.rc;
        goto out;
    }
    *out = ld.db;
    arena = NULL;
    rc = BB_OK;
out:
    bb_arena_free(arena);
    bb_buf_free(&ld.path);
    return rc;
}
