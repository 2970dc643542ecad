/*
 * ast_api.c — loads the API AST from JSON into typed, arena-owned structs
 * (see ast_api.h for the shape, the accepted older spellings and ownership).
 *
 * One loader context carries the arena, the two error lists and the JSON path
 * of the value being read; every problem is reported at that path. The loader
 * keeps going after an error so one pass reports everything it can, and only
 * hands out the document when no error was found.
 */
#include "ast_api.h"

#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "json/json_util.h"
#include "util/alloc.h"
#include "util/buf.h"

#define AST_API_PATH_MAX    ((size_t)1024 * 1024) /* cap on a JSON path being built */
#define AST_API_VALUE_SHOWN 200                   /* bytes of a value shown in an error */

typedef struct api_loader {
    bb_arena *arena;
    schema_errors *errors;
    schema_errors *warnings; /* may be NULL */
    bb_buf path;
    size_t n_errors;  /* errors added by this load */
    size_t dto_nodes; /* DTO schema nodes created so far */
    bb_result rc;     /* first hard failure (NOMEM) */
} api_loader;

static const char *const api_method_names[AST_API_METHOD_COUNT_] = {"get", "post", "put", "patch", "delete"};
static const char *const api_dto_kind_names[AST_API_DTO_KIND_COUNT_] = {
    "constant", "boolean", "integer", "number", "string", "array", "object", "reference", "oneOf", "null"};

const char *ast_api_method_name(ast_api_method m)
{
    if ((unsigned)m >= AST_API_METHOD_COUNT_)
        return "unknown";
    return api_method_names[m];
}

const char *ast_api_auth_type_name(ast_api_auth_type t)
{
    switch (t) {
    case AST_API_AUTH_JOIN:
        return "join";
    case AST_API_AUTH_LOGIN:
        return "login";
    case AST_API_AUTH_REFRESH:
        return "refresh";
    case AST_API_AUTH_NONE:
        break;
    }
    return NULL;
}

const char *ast_api_dto_kind_name(ast_api_dto_kind k)
{
    if ((unsigned)k >= AST_API_DTO_KIND_COUNT_)
        return "unknown";
    return api_dto_kind_names[k];
}

/* ===========================================================================
 * Reporting and paths
 * ========================================================================= */

static void ld_fail(api_loader *L, bb_result rc)
{
    if (L->rc == BB_OK)
        L->rc = rc;
}

/* Appends a key to the current path; returns the mark to restore. */
static size_t ld_push_key(api_loader *L, const char *key)
{
    size_t mark = L->path.len;

    (void)schema_path_key(&L->path, key); /* past the cap the path stays shorter */
    return mark;
}

static size_t ld_push_index(api_loader *L, size_t i)
{
    size_t mark = L->path.len;

    (void)schema_path_index(&L->path, i);
    return mark;
}

static void ld_pop(api_loader *L, size_t mark)
{
    bb_buf_truncate(&L->path, mark);
}

/* Reports a problem at the current path (+ key when not NULL). */
static void ld_report(api_loader *L, int warning, schema_error_kind kind, const char *key,
                      const char *expected, const json_t *value, const char *fmt, ...)
    __attribute__((format(printf, 7, 8)));

static void ld_report(api_loader *L, int warning, schema_error_kind kind, const char *key,
                      const char *expected, const json_t *value, const char *fmt, ...)
{
    schema_errors *list = warning ? L->warnings : L->errors;
    bb_buf val, msg;
    size_t mark = L->path.len;
    bb_result rc = BB_OK;
    va_list ap;

    if (!warning)
        L->n_errors++;
    if (!list)
        return;
    bb_buf_init(&val, 4096);
    bb_buf_init(&msg, 4096);
    if (key)
        (void)schema_path_key(&L->path, key);
    if (value)
        rc = bb_json_append_compact(&val, value, AST_API_VALUE_SHOWN);
    if (rc == BB_OK && fmt) {
        va_start(ap, fmt);
        rc = bb_buf_vprintf(&msg, fmt, ap);
        va_end(ap);
    }
    if (rc == BB_ERR_NOMEM)
        ld_fail(L, rc);
    rc = schema_errors_add(list, kind, bb_buf_str(&L->path), expected, value ? bb_buf_str(&val) : NULL,
                           fmt ? bb_buf_str(&msg) : NULL);
    if (rc != BB_OK)
        ld_fail(L, rc);
    bb_buf_truncate(&L->path, mark);
    bb_buf_free(&val);
    bb_buf_free(&msg);
}

static const char *json_type_word(const json_t *v)
{
    switch (json_typeof(v)) {
    case JSON_OBJECT:
        return "an object";
    case JSON_ARRAY:
        return "an array";
    case JSON_STRING:
        return "a string";
    case JSON_INTEGER:
    case JSON_REAL:
        return "a number";
    case JSON_TRUE:
    case JSON_FALSE:
        return "a boolean";
    case JSON_NULL:
        return "null";
    }
    return "unknown";
}

static int key_in(const char *key, const char *const *known)
{
    size_t i;

    for (i = 0; known[i]; i++) {
        if (strcmp(key, known[i]) == 0)
            return 1;
    }
    return 0;
}

/* Warns about every key of obj that is not in known (NULL-terminated). */
static void ld_unknown_keys(api_loader *L, const json_t *obj, const char *const *known)
{
    void *it;

    for (it = json_object_iter((json_t *)obj); it; it = json_object_iter_next((json_t *)obj, it)) {
        const char *k = json_object_iter_key(it);

        if (strlen(k) != json_object_iter_key_len(it) || !key_in(k, known))
            ld_report(L, 1, SCHEMA_ERR_ADDITIONAL, k, "no such property", NULL,
                      "unknown property \"%.64s\" is ignored", k);
    }
}

/* ===========================================================================
 * Scalars
 * ========================================================================= */

enum { LD_OPTIONAL = 0, LD_REQUIRED = 1 };
enum { LD_TEXT = 0, LD_NAME = 1 };

/*
 * Reads obj[key] as a string into *out (NULL when absent or null and allowed).
 * kind LD_NAME: at most max bytes and no NUL byte; LD_TEXT: at most max bytes.
 * nullable: a JSON null is accepted as absent.
 */
static void ld_string(api_loader *L, const json_t *obj, const char *key, int required, int nullable, int name,
                      size_t max, const char **out /* OUT */)
{
    const json_t *v = json_object_get(obj, key);
    size_t n;

    *out = NULL;
    if (!v || (nullable && json_is_null(v))) {
        if (required && !v)
            ld_report(L, 0, SCHEMA_ERR_REQUIRED, key, "string", NULL, "property \"%s\" is required", key);
        return;
    }
    if (!json_is_string(v)) {
        ld_report(L, 0, SCHEMA_ERR_TYPE, key, nullable ? "string | null" : "string", v,
                  "\"%s\" must be a string, not %s", key, json_type_word(v));
        return;
    }
    n = json_string_length(v);
    if (n > max) {
        char expected[64];

        snprintf(expected, sizeof expected, "string & MaxLength<%zu>", max);
        ld_report(L, 0, SCHEMA_ERR_LENGTH, key, expected, v, "\"%s\" is %zu bytes long; the limit is %zu",
                  key, n, max);
        return;
    }
    if (name && strlen(json_string_value(v)) != n) {
        ld_report(L, 0, SCHEMA_ERR_PATTERN, key, "string without NUL bytes", v, "\"%s\" contains a NUL byte",
                  key);
        return;
    }
    *out = bb_arena_strndup(L->arena, json_string_value(v), n);
    if (!*out)
        ld_fail(L, bb_arena_failed(L->arena));
}

/* Reads a scalar JSON value into a literal; 0 when v is not a scalar. */
static int ld_literal(api_loader *L, const json_t *v, ast_api_literal *lit /* OUT */)
{
    memset(lit, 0, sizeof *lit);
    switch (json_typeof(v)) {
    case JSON_NULL:
        lit->kind = AST_API_LIT_NULL;
        return 1;
    case JSON_TRUE:
    case JSON_FALSE:
        lit->kind = AST_API_LIT_BOOL;
        lit->b = json_is_true(v);
        return 1;
    case JSON_INTEGER:
        lit->kind = AST_API_LIT_INT;
        lit->i = (long long)json_integer_value(v);
        return 1;
    case JSON_REAL:
        lit->kind = AST_API_LIT_REAL;
        lit->r = json_real_value(v);
        return 1;
    case JSON_STRING:
        lit->kind = AST_API_LIT_STRING;
        lit->s_len = json_string_length(v);
        if (lit->s_len > AST_API_MAX_TEXT_LEN)
            return 0;
        lit->s = bb_arena_strndup(L->arena, json_string_value(v), lit->s_len);
        if (!lit->s)
            ld_fail(L, bb_arena_failed(L->arena));
        return 1;
    case JSON_OBJECT:
    case JSON_ARRAY:
        break;
    }
    return 0;
}

/* obj[key] as a number bound; integer_only: must be a JSON integer. */
static void ld_bound(api_loader *L, const json_t *obj, const char *key, int integer_only,
                     ast_api_bound *b /* OUT */)
{
    const json_t *v = json_object_get(obj, key);

    memset(b, 0, sizeof *b);
    if (!v)
        return;
    if (json_is_integer(v) || (!integer_only && json_is_real(v))) {
        b->present = 1;
        (void)ld_literal(L, v, &b->value);
        return;
    }
    ld_report(L, 0, SCHEMA_ERR_TYPE, key, integer_only ? "integer" : "number", v, "\"%s\" must be %s, not %s",
              key, integer_only ? "an integer" : "a number", json_type_word(v));
}

/* Keeps example/examples as compact JSON text. */
static const char *ld_json_text(api_loader *L, const json_t *v)
{
    char *s;
    const char *copy;

    if (!v)
        return NULL;
    s = json_dumps(v, JSON_COMPACT | JSON_ENCODE_ANY);
    if (!s) {
        ld_fail(L, BB_ERR_NOMEM);
        return NULL;
    }
    if (strlen(s) > AST_API_MAX_TEXT_LEN) {
        bb_free(s);
        ld_report(L, 1, SCHEMA_ERR_LENGTH, NULL, "example of at most 65536 bytes", NULL,
                  "an example longer than %d bytes is dropped", AST_API_MAX_TEXT_LEN);
        return NULL;
    }
    copy = bb_arena_strdup(L->arena, s);
    bb_free(s);
    if (!copy)
        ld_fail(L, bb_arena_failed(L->arena));
    return copy;
}

/* ===========================================================================
 * DTO schemas
 * ========================================================================= */

static ast_api_dto *ld_dto(api_loader *L, const json_t *v, int depth);

static const char *const dto_keys_constant[] = {"const",   "type",     "description", "title",
                                                "example", "examples", NULL};
static const char *const dto_keys_boolean[] = {"type",    "default",  "description", "title",
                                               "example", "examples", NULL};
static const char *const dto_keys_number[] = {
    "type",    "minimum",     "maximum", "exclusiveMinimum", "exclusiveMaximum", "multipleOf",
    "default", "description", "title",   "example",          "examples",         NULL};
static const char *const dto_keys_string[] = {"type",      "format",           "pattern",  "minLength",
                                              "maxLength", "contentMediaType", "default",  "description",
                                              "title",     "example",          "examples", NULL};
static const char *const dto_keys_array[] = {"type",        "items", "minItems", "maxItems", "uniqueItems",
                                             "description", "title", "example",  "examples", NULL};
static const char *const dto_keys_object[] = {"type",
                                              "properties",
                                              "required",
                                              "additionalProperties",
                                              "x-autobe-database-schema",
                                              "x-autobe-prisma-schema",
                                              "description",
                                              "title",
                                              "example",
                                              "examples",
                                              NULL};
static const char *const dto_keys_reference[] = {"$ref", "description", "title", "example", "examples", NULL};
static const char *const dto_keys_oneof[] = {"oneOf",   "discriminator", "description", "title",
                                             "example", "examples",      NULL};
static const char *const dto_keys_null[] = {"type", "description", "title", "example", "examples", NULL};

static const char *const *dto_known_keys(ast_api_dto_kind k)
{
    switch (k) {
    case AST_API_DTO_CONSTANT:
        return dto_keys_constant;
    case AST_API_DTO_BOOLEAN:
        return dto_keys_boolean;
    case AST_API_DTO_INTEGER:
    case AST_API_DTO_NUMBER:
        return dto_keys_number;
    case AST_API_DTO_STRING:
        return dto_keys_string;
    case AST_API_DTO_ARRAY:
        return dto_keys_array;
    case AST_API_DTO_OBJECT:
        return dto_keys_object;
    case AST_API_DTO_REFERENCE:
        return dto_keys_reference;
    case AST_API_DTO_ONEOF:
        return dto_keys_oneof;
    case AST_API_DTO_NULL:
    case AST_API_DTO_KIND_COUNT_:
        break;
    }
    return dto_keys_null;
}

#define DTO_EXPECTED                                                                                         \
    "constant | boolean | integer | number | string | array | object | reference | oneOf | null"

/* Which union member v is; -1 (after reporting) when none. */
static int dto_classify(api_loader *L, const json_t *v)
{
    const json_t *type = json_object_get(v, "type");
    const char *t;
    int k;

    if (json_object_get(v, "$ref"))
        return AST_API_DTO_REFERENCE;
    if (json_object_get(v, "oneOf"))
        return AST_API_DTO_ONEOF;
    if (json_object_get(v, "const"))
        return AST_API_DTO_CONSTANT;
    if (!type) {
        if (json_object_get(v, "anyOf") || json_object_get(v, "allOf"))
            ld_report(L, 0, SCHEMA_ERR_UNION, NULL, DTO_EXPECTED, v,
                      "anyOf/allOf are not supported: use oneOf, or a $ref to a named type");
        else
            ld_report(L, 0, SCHEMA_ERR_UNION, NULL, DTO_EXPECTED, v,
                      "a DTO schema needs \"type\", \"const\", \"$ref\" or \"oneOf\"");
        return -1;
    }
    if (json_is_array(type)) {
        ld_report(L, 0, SCHEMA_ERR_TYPE, "type", "string", type,
                  "\"type\" must be one type name; write a nullable value as "
                  "{\"oneOf\": [<schema>, {\"type\": \"null\"}]}");
        return -1;
    }
    if (!json_is_string(type)) {
        ld_report(L, 0, SCHEMA_ERR_TYPE, "type", "string", type, "\"type\" must be a string");
        return -1;
    }
    t = json_string_value(type);
    for (k = AST_API_DTO_BOOLEAN; k <= AST_API_DTO_NULL; k++) {
        if (k != AST_API_DTO_REFERENCE && k != AST_API_DTO_ONEOF && strcmp(t, api_dto_kind_names[k]) == 0)
            return k;
    }
    ld_report(L, 0, SCHEMA_ERR_ENUM, "type",
              "\"boolean\" | \"integer\" | \"number\" | \"string\" | \"array\" | \"object\" | \"null\"", type,
              "unknown type \"%.64s\"", t);
    return -1;
}

static void ld_dto_object(api_loader *L, const json_t *v, ast_api_dto *d, int depth)
{
    const json_t *props = json_object_get(v, "properties");
    const json_t *req = json_object_get(v, "required");
    const json_t *add = json_object_get(v, "additionalProperties");
    const char *dbkey = "x-autobe-database-schema";
    size_t mark, i = 0;
    void *it;

    if (!props) {
        ld_report(L, 0, SCHEMA_ERR_REQUIRED, "properties", "Record<string, DTO schema>", NULL,
                  "an object schema needs \"properties\"");
    } else if (!json_is_object(props)) {
        ld_report(L, 0, SCHEMA_ERR_TYPE, "properties", "Record<string, DTO schema>", props,
                  "\"properties\" must be an object, not %s", json_type_word(props));
    } else if (json_object_size(props) > AST_API_MAX_PROPERTIES) {
        ld_report(L, 0, SCHEMA_ERR_LIMIT, "properties", "at most 512 properties", NULL,
                  "%zu properties; the limit is %d", json_object_size(props), AST_API_MAX_PROPERTIES);
    } else {
        d->u.object.properties =
            bb_arena_calloc(L->arena, json_object_size(props) + 1, sizeof(ast_api_property));
        if (!d->u.object.properties) {
            ld_fail(L, bb_arena_failed(L->arena));
            return;
        }
        mark = ld_push_key(L, "properties");
        for (it = json_object_iter((json_t *)props); it && L->rc == BB_OK;
             it = json_object_iter_next((json_t *)props, it)) {
            const char *k = json_object_iter_key(it);
            size_t klen = json_object_iter_key_len(it);
            ast_api_property *p = &d->u.object.properties[i];

            if (klen > AST_API_MAX_NAME_LEN || strlen(k) != klen) {
                ld_report(L, 0, klen > AST_API_MAX_NAME_LEN ? SCHEMA_ERR_LENGTH : SCHEMA_ERR_PATTERN, k,
                          "property name (at most 128 bytes, no NUL)", NULL,
                          "property name of %zu bytes is not allowed", klen);
                continue;
            }
            p->name = bb_arena_strndup(L->arena, k, klen);
            if (!p->name) {
                ld_fail(L, bb_arena_failed(L->arena));
                break;
            }
            {
                size_t m2 = ld_push_key(L, k);

                p->schema = ld_dto(L, json_object_iter_value(it), depth + 1);
                ld_pop(L, m2);
            }
            if (p->schema)
                i++;
        }
        ld_pop(L, mark);
        d->u.object.n_properties = i;
    }
    if (req) {
        if (!json_is_array(req)) {
            ld_report(L, 0, SCHEMA_ERR_TYPE, "required", "Array<string>", req,
                      "\"required\" must be an array of property names");
        } else if (json_array_size(req) > AST_API_MAX_PROPERTIES) {
            ld_report(L, 0, SCHEMA_ERR_LIMIT, "required", "at most 512 names", NULL,
                      "%zu required names; the limit is %d", json_array_size(req), AST_API_MAX_PROPERTIES);
        } else {
            d->u.object.has_required = 1;
            d->u.object.required = bb_arena_calloc(L->arena, json_array_size(req) + 1, sizeof(char *));
            if (!d->u.object.required) {
                ld_fail(L, bb_arena_failed(L->arena));
                return;
            }
            mark = ld_push_key(L, "required");
            for (i = 0; i < json_array_size(req); i++) {
                const json_t *e = json_array_get(req, i);
                size_t m2 = ld_push_index(L, i);

                if (!json_is_string(e) || json_string_length(e) > AST_API_MAX_NAME_LEN ||
                    strlen(json_string_value(e)) != json_string_length(e)) {
                    ld_report(L, 0, SCHEMA_ERR_TYPE, NULL, "string (a property name)", e,
                              "a required entry must be a property name");
                } else {
                    const char *s = bb_arena_strdup(L->arena, json_string_value(e));

                    if (!s)
                        ld_fail(L, bb_arena_failed(L->arena));
                    d->u.object.required[d->u.object.n_required++] = s;
                }
                ld_pop(L, m2);
            }
            ld_pop(L, mark);
        }
    }
    if (add) {
        if (json_is_boolean(add)) {
            d->u.object.additional = json_is_true(add) ? AST_API_ADDITIONAL_TRUE : AST_API_ADDITIONAL_FALSE;
        } else {
            mark = ld_push_key(L, "additionalProperties");
            d->u.object.additional_schema = ld_dto(L, add, depth + 1);
            ld_pop(L, mark);
            if (d->u.object.additional_schema)
                d->u.object.additional = AST_API_ADDITIONAL_SCHEMA;
        }
    }
    if (!json_object_get(v, dbkey) && json_object_get(v, "x-autobe-prisma-schema"))
        dbkey = "x-autobe-prisma-schema";
    ld_string(L, v, dbkey, LD_OPTIONAL, 1, LD_NAME, AST_API_MAX_NAME_LEN, &d->u.object.database_schema);
    d->u.object.database_key = dbkey;
}

static void ld_dto_oneof(api_loader *L, const json_t *v, ast_api_dto *d, int depth)
{
    const json_t *members = json_object_get(v, "oneOf");
    const json_t *disc = json_object_get(v, "discriminator");
    size_t i, n, mark;

    if (!json_is_array(members) || json_array_size(members) == 0) {
        ld_report(L, 0, SCHEMA_ERR_TYPE, "oneOf", "Array<DTO schema> & MinItems<1>", members,
                  "\"oneOf\" must be a non-empty array of schemas");
        return;
    }
    n = json_array_size(members);
    if (n > AST_API_MAX_UNION) {
        ld_report(L, 0, SCHEMA_ERR_LIMIT, "oneOf", "at most 64 members", NULL, "%zu members; the limit is %d",
                  n, AST_API_MAX_UNION);
        return;
    }
    d->u.one_of.members = bb_arena_calloc(L->arena, n, sizeof(ast_api_dto *));
    if (!d->u.one_of.members) {
        ld_fail(L, bb_arena_failed(L->arena));
        return;
    }
    mark = ld_push_key(L, "oneOf");
    for (i = 0; i < n && L->rc == BB_OK; i++) {
        size_t m2 = ld_push_index(L, i);
        ast_api_dto *m = ld_dto(L, json_array_get(members, i), depth + 1);

        if (m)
            d->u.one_of.members[d->u.one_of.n_members++] = m;
        ld_pop(L, m2);
    }
    ld_pop(L, mark);
    if (!disc)
        return;
    mark = ld_push_key(L, "discriminator");
    if (!json_is_object(disc)) {
        ld_report(L, 0, SCHEMA_ERR_TYPE, NULL, "{ propertyName: string; mapping?: Record<string, string> }",
                  disc, "\"discriminator\" must be an object");
    } else {
        const json_t *map = json_object_get(disc, "mapping");
        static const char *const disc_keys[] = {"propertyName", "mapping", NULL};

        ld_unknown_keys(L, disc, disc_keys);
        ld_string(L, disc, "propertyName", LD_REQUIRED, 0, LD_NAME, AST_API_MAX_NAME_LEN,
                  &d->u.one_of.discriminator);
        if (map && (!json_is_object(map) || json_object_size(map) > AST_API_MAX_UNION)) {
            ld_report(L, 0, SCHEMA_ERR_TYPE, "mapping", "Record<string, string>", map,
                      "\"mapping\" must be an object of at most 64 strings");
        } else if (map) {
            void *it;

            d->u.one_of.mapping =
                bb_arena_calloc(L->arena, json_object_size(map) + 1, sizeof(ast_api_mapping));
            if (!d->u.one_of.mapping) {
                ld_fail(L, bb_arena_failed(L->arena));
            } else {
                size_t m2 = ld_push_key(L, "mapping");

                for (it = json_object_iter((json_t *)map); it;
                     it = json_object_iter_next((json_t *)map, it)) {
                    const json_t *val = json_object_iter_value(it);
                    ast_api_mapping *mp = &d->u.one_of.mapping[d->u.one_of.n_mapping];
                    const char *k = json_object_iter_key(it);

                    if (!json_is_string(val) || json_string_length(val) > AST_API_MAX_PATH_LEN ||
                        json_object_iter_key_len(it) > AST_API_MAX_NAME_LEN) {
                        ld_report(L, 0, SCHEMA_ERR_TYPE, k, "string", val,
                                  "a mapping value must be a $ref string");
                        continue;
                    }
                    mp->key = bb_arena_strdup(L->arena, k);
                    mp->value = bb_arena_strdup(L->arena, json_string_value(val));
                    if (!mp->key || !mp->value)
                        ld_fail(L, bb_arena_failed(L->arena));
                    d->u.one_of.n_mapping++;
                }
                ld_pop(L, m2);
            }
        }
    }
    ld_pop(L, mark);
}

static void ld_dto_default(api_loader *L, const json_t *v, ast_api_dto *d)
{
    const json_t *def = json_object_get(v, "default");
    int ok;

    if (!def)
        return;
    ok = ld_literal(L, def, &d->default_value);
    switch (d->kind) {
    case AST_API_DTO_BOOLEAN:
        ok = ok && d->default_value.kind == AST_API_LIT_BOOL;
        break;
    case AST_API_DTO_INTEGER:
        ok = ok && d->default_value.kind == AST_API_LIT_INT;
        break;
    case AST_API_DTO_NUMBER:
        ok = ok && (d->default_value.kind == AST_API_LIT_INT || d->default_value.kind == AST_API_LIT_REAL);
        break;
    case AST_API_DTO_STRING:
        ok = ok && d->default_value.kind == AST_API_LIT_STRING;
        break;
    default:
        ok = 0;
        break;
    }
    if (!ok) {
        memset(&d->default_value, 0, sizeof d->default_value);
        ld_report(L, 0, SCHEMA_ERR_TYPE, "default", ast_api_dto_kind_name(d->kind), def,
                  "\"default\" must be a value of the schema's own type");
    }
}

static ast_api_dto *ld_dto(api_loader *L, const json_t *v, int depth)
{
    ast_api_dto *d;
    int kind;
    const json_t *x;

    if (L->rc != BB_OK)
        return NULL;
    if (!json_is_object(v)) {
        ld_report(L, 0, SCHEMA_ERR_TYPE, NULL, DTO_EXPECTED, v, "a DTO schema must be an object, not %s",
                  json_type_word(v));
        return NULL;
    }
    if (depth > AST_API_MAX_DTO_DEPTH) {
        ld_report(L, 0, SCHEMA_ERR_LIMIT, NULL, "schema nesting at most 32 deep", NULL,
                  "DTO schemas nest deeper than %d levels", AST_API_MAX_DTO_DEPTH);
        return NULL;
    }
    if (++L->dto_nodes > AST_API_MAX_DTO_NODES) {
        if (L->dto_nodes == AST_API_MAX_DTO_NODES + 1)
            ld_report(L, 0, SCHEMA_ERR_LIMIT, NULL, "at most 200000 schema nodes", NULL,
                      "the document has more than %d DTO schema nodes", AST_API_MAX_DTO_NODES);
        return NULL;
    }
    kind = dto_classify(L, v);
    if (kind < 0)
        return NULL;
    d = bb_arena_alloc(L->arena, sizeof *d);
    if (!d) {
        ld_fail(L, bb_arena_failed(L->arena));
        return NULL;
    }
    d->kind = (ast_api_dto_kind)kind;
    ld_unknown_keys(L, v, dto_known_keys(d->kind));
    ld_string(L, v, "description", LD_OPTIONAL, 0, LD_TEXT, AST_API_MAX_TEXT_LEN, &d->description);
    ld_string(L, v, "title", LD_OPTIONAL, 0, LD_TEXT, AST_API_MAX_TEXT_LEN, &d->title);
    d->example_json = ld_json_text(L, json_object_get(v, "example"));
    x = json_object_get(v, "examples");
    if (x && !json_is_array(x))
        ld_report(L, 1, SCHEMA_ERR_TYPE, "examples", "Array<unknown>", x,
                  "\"examples\" is an array of example values; this one is ignored");
    else
        d->examples_json = ld_json_text(L, x);
    switch (d->kind) {
    case AST_API_DTO_CONSTANT:
        x = json_object_get(v, "const");
        if (!ld_literal(L, x, &d->u.constant))
            ld_report(L, 0, SCHEMA_ERR_TYPE, "const", "string | number | boolean | null", x,
                      "a constant must be a scalar value");
        break;
    case AST_API_DTO_BOOLEAN:
        ld_dto_default(L, v, d);
        break;
    case AST_API_DTO_INTEGER:
    case AST_API_DTO_NUMBER: {
        int io = d->kind == AST_API_DTO_INTEGER;

        ld_bound(L, v, "minimum", 0, &d->u.number.minimum);
        ld_bound(L, v, "maximum", 0, &d->u.number.maximum);
        ld_bound(L, v, "exclusiveMinimum", 0, &d->u.number.exclusive_minimum);
        ld_bound(L, v, "exclusiveMaximum", 0, &d->u.number.exclusive_maximum);
        ld_bound(L, v, "multipleOf", io, &d->u.number.multiple_of);
        ld_dto_default(L, v, d);
        break;
    }
    case AST_API_DTO_STRING:
        ld_string(L, v, "format", LD_OPTIONAL, 0, LD_NAME, AST_API_MAX_NAME_LEN, &d->u.string.format);
        ld_string(L, v, "pattern", LD_OPTIONAL, 0, LD_TEXT, AST_API_MAX_PATH_LEN * 2, &d->u.string.pattern);
        ld_string(L, v, "contentMediaType", LD_OPTIONAL, 0, LD_NAME, AST_API_MAX_NAME_LEN,
                  &d->u.string.content_media_type);
        ld_bound(L, v, "minLength", 1, &d->u.string.min_length);
        ld_bound(L, v, "maxLength", 1, &d->u.string.max_length);
        ld_dto_default(L, v, d);
        break;
    case AST_API_DTO_ARRAY: {
        size_t mark;

        x = json_object_get(v, "items");
        if (!x) {
            ld_report(L, 0, SCHEMA_ERR_REQUIRED, "items", "DTO schema", NULL,
                      "an array schema needs \"items\"");
        } else {
            mark = ld_push_key(L, "items");
            d->u.array.items = ld_dto(L, x, depth + 1);
            ld_pop(L, mark);
        }
        ld_bound(L, v, "minItems", 1, &d->u.array.min_items);
        ld_bound(L, v, "maxItems", 1, &d->u.array.max_items);
        x = json_object_get(v, "uniqueItems");
        d->u.array.unique_items = -1;
        if (x && !json_is_boolean(x))
            ld_report(L, 0, SCHEMA_ERR_TYPE, "uniqueItems", "boolean", x,
                      "\"uniqueItems\" must be a boolean");
        else if (x)
            d->u.array.unique_items = json_is_true(x);
        break;
    }
    case AST_API_DTO_OBJECT:
        ld_dto_object(L, v, d, depth);
        break;
    case AST_API_DTO_REFERENCE:
        ld_string(L, v, "$ref", LD_REQUIRED, 0, LD_NAME, strlen(AST_API_REF_PREFIX) + AST_API_MAX_NAME_LEN,
                  &d->u.reference.ref);
        if (d->u.reference.ref &&
            strncmp(d->u.reference.ref, AST_API_REF_PREFIX, strlen(AST_API_REF_PREFIX)) == 0)
            d->u.reference.name = d->u.reference.ref + strlen(AST_API_REF_PREFIX);
        break;
    case AST_API_DTO_ONEOF:
        ld_dto_oneof(L, v, d, depth);
        break;
    case AST_API_DTO_NULL:
    case AST_API_DTO_KIND_COUNT_:
        break;
    }
    return d;
}

/* ===========================================================================
 * Operations
 * ========================================================================= */

static int parse_method(const char *s, ast_api_method *m /* OUT */)
{
    int i;

    for (i = 0; i < AST_API_METHOD_COUNT_; i++) {
        if (strcmp(s, api_method_names[i]) == 0) {
            *m = (ast_api_method)i;
            return 1;
        }
    }
    return 0;
}

#define METHOD_EXPECTED "\"get\" | \"post\" | \"put\" | \"patch\" | \"delete\""

static void ld_method(api_loader *L, const json_t *obj, const char *key, ast_api_method *m /* OUT */)
{
    const json_t *v = json_object_get(obj, key);

    if (!v) {
        ld_report(L, 0, SCHEMA_ERR_REQUIRED, key, METHOD_EXPECTED, NULL, "property \"%s\" is required", key);
        return;
    }
    if (!json_is_string(v) || strlen(json_string_value(v)) != json_string_length(v) ||
        !parse_method(json_string_value(v), m))
        ld_report(L, 0, SCHEMA_ERR_ENUM, key, METHOD_EXPECTED, v, "not an HTTP method of the API");
}

static ast_api_body *ld_body(api_loader *L, const json_t *op, const char *key)
{
    const json_t *v = json_object_get(op, key);
    static const char *const body_keys[] = {"description", "typeName", NULL};
    ast_api_body *b;
    size_t mark;

    if (!v || json_is_null(v))
        return NULL;
    if (!json_is_object(v)) {
        ld_report(L, 0, SCHEMA_ERR_TYPE, key, "{ description: string; typeName: string } | null", v,
                  "\"%s\" must be an object or null", key);
        return NULL;
    }
    b = bb_arena_alloc(L->arena, sizeof *b);
    if (!b) {
        ld_fail(L, bb_arena_failed(L->arena));
        return NULL;
    }
    mark = ld_push_key(L, key);
    ld_unknown_keys(L, v, body_keys);
    ld_string(L, v, "description", LD_OPTIONAL, 0, LD_TEXT, AST_API_MAX_TEXT_LEN, &b->description);
    ld_string(L, v, "typeName", LD_REQUIRED, 0, LD_NAME, AST_API_MAX_NAME_LEN, &b->type_name);
    ld_pop(L, mark);
    return b;
}

/* obj[key] as an array of at most max elements; NULL (after reporting when
 * present and wrong) otherwise. Absent or null: NULL without a report. */
static const json_t *ld_array(api_loader *L, const json_t *obj, const char *key, size_t max,
                              const char *expected)
{
    const json_t *v = json_object_get(obj, key);

    if (!v || json_is_null(v))
        return NULL;
    if (!json_is_array(v)) {
        ld_report(L, 0, SCHEMA_ERR_TYPE, key, expected, v, "\"%s\" must be an array, not %s", key,
                  json_type_word(v));
        return NULL;
    }
    if (json_array_size(v) > max) {
        ld_report(L, 0, SCHEMA_ERR_LIMIT, key, expected, NULL, "%zu elements; the limit is %zu",
                  json_array_size(v), max);
        return NULL;
    }
    return v;
}

static void ld_parameters(api_loader *L, const json_t *op, ast_api_operation *o)
{
    static const char *const param_keys[] = {"name", "description", "schema", NULL};
    const json_t *arr = ld_array(L, op, "parameters", AST_API_MAX_PARAMETERS, "Array<Parameter>");
    size_t i, mark;

    if (!arr)
        return;
    o->parameters = bb_arena_calloc(L->arena, json_array_size(arr) + 1, sizeof(ast_api_parameter));
    if (!o->parameters) {
        ld_fail(L, bb_arena_failed(L->arena));
        return;
    }
    mark = ld_push_key(L, "parameters");
    for (i = 0; i < json_array_size(arr); i++) {
        const json_t *p = json_array_get(arr, i);
        ast_api_parameter *dst = &o->parameters[o->n_parameters++];
        size_t m2 = ld_push_index(L, i);

        if (!json_is_object(p)) {
            ld_report(L, 0, SCHEMA_ERR_TYPE, NULL, "Parameter", p, "a parameter must be an object");
        } else {
            ld_unknown_keys(L, p, param_keys);
            ld_string(L, p, "name", LD_REQUIRED, 0, LD_NAME, AST_API_MAX_NAME_LEN, &dst->name);
            ld_string(L, p, "description", LD_OPTIONAL, 0, LD_TEXT, AST_API_MAX_TEXT_LEN, &dst->description);
            if (!json_object_get(p, "schema")) {
                ld_report(L, 0, SCHEMA_ERR_REQUIRED, "schema", "DTO schema", NULL,
                          "a parameter needs a \"schema\"");
            } else {
                size_t m3 = ld_push_key(L, "schema");

                dst->schema = ld_dto(L, json_object_get(p, "schema"), 0);
                ld_pop(L, m3);
            }
        }
        ld_pop(L, m2);
    }
    ld_pop(L, mark);
}

static void ld_prerequisites(api_loader *L, const json_t *op, ast_api_operation *o)
{
    static const char *const pre_keys[] = {"endpoint", "description", NULL};
    static const char *const ep_keys[] = {"path", "method", NULL};
    const json_t *arr = ld_array(L, op, "prerequisites", AST_API_MAX_PREREQUISITES, "Array<Prerequisite>");
    size_t i, mark;

    if (!arr)
        return;
    o->prerequisites = bb_arena_calloc(L->arena, json_array_size(arr) + 1, sizeof(ast_api_prerequisite));
    if (!o->prerequisites) {
        ld_fail(L, bb_arena_failed(L->arena));
        return;
    }
    mark = ld_push_key(L, "prerequisites");
    for (i = 0; i < json_array_size(arr); i++) {
        const json_t *p = json_array_get(arr, i);
        const json_t *ep = json_object_get(p, "endpoint");
        ast_api_prerequisite *dst = &o->prerequisites[o->n_prerequisites++];
        size_t m2 = ld_push_index(L, i);

        if (!json_is_object(p)) {
            ld_report(L, 0, SCHEMA_ERR_TYPE, NULL, "Prerequisite", p, "a prerequisite must be an object");
        } else if (!json_is_object(ep)) {
            ld_report(L, 0, ep ? SCHEMA_ERR_TYPE : SCHEMA_ERR_REQUIRED, "endpoint",
                      "{ path: string; method: string }", ep, "a prerequisite needs an \"endpoint\" object");
        } else {
            size_t m3;

            ld_unknown_keys(L, p, pre_keys);
            ld_string(L, p, "description", LD_OPTIONAL, 0, LD_TEXT, AST_API_MAX_TEXT_LEN, &dst->description);
            m3 = ld_push_key(L, "endpoint");
            ld_unknown_keys(L, ep, ep_keys);
            ld_string(L, ep, "path", LD_REQUIRED, 0, LD_NAME, AST_API_MAX_PATH_LEN, &dst->path);
            ld_method(L, ep, "method", &dst->method);
            ld_pop(L, m3);
        }
        ld_pop(L, m2);
    }
    ld_pop(L, mark);
}

static void ld_operation(api_loader *L, const json_t *op, ast_api_operation *o)
{
    static const char *const op_keys[] = {"specification",
                                          "description",
                                          "summary",
                                          "path",
                                          "method",
                                          "name",
                                          "parameters",
                                          "requestBody",
                                          "responseBody",
                                          "authorizationType",
                                          "authorizationActor",
                                          "authorizationRole",
                                          "authorizationRoles",
                                          "accessor",
                                          "prerequisites",
                                          NULL};
    const json_t *v;

    if (!json_is_object(op)) {
        ld_report(L, 0, SCHEMA_ERR_TYPE, NULL, "Operation", op, "an operation must be an object");
        return;
    }
    ld_unknown_keys(L, op, op_keys);
    ld_string(L, op, "specification", LD_OPTIONAL, 0, LD_TEXT, AST_API_MAX_TEXT_LEN, &o->specification);
    ld_string(L, op, "description", LD_OPTIONAL, 0, LD_TEXT, AST_API_MAX_TEXT_LEN, &o->description);
    ld_string(L, op, "summary", LD_OPTIONAL, 1, LD_TEXT, AST_API_MAX_TEXT_LEN, &o->summary);
    ld_string(L, op, "path", LD_REQUIRED, 0, LD_NAME, AST_API_MAX_PATH_LEN, &o->path);
    ld_method(L, op, "method", &o->method);
    ld_string(L, op, "name", LD_REQUIRED, 0, LD_NAME, AST_API_MAX_NAME_LEN, &o->name);
    ld_parameters(L, op, o);
    o->request_body = ld_body(L, op, "requestBody");
    o->response_body = ld_body(L, op, "responseBody");

    v = json_object_get(op, "authorizationType");
    if (v && !json_is_null(v)) {
        const char *s = json_is_string(v) ? json_string_value(v) : "";

        if (strcmp(s, "join") == 0)
            o->authorization_type = AST_API_AUTH_JOIN;
        else if (strcmp(s, "login") == 0)
            o->authorization_type = AST_API_AUTH_LOGIN;
        else if (strcmp(s, "refresh") == 0)
            o->authorization_type = AST_API_AUTH_REFRESH;
        else
            ld_report(L, 0, SCHEMA_ERR_ENUM, "authorizationType", "\"join\" | \"login\" | \"refresh\" | null",
                      v, "unknown authorization type");
    }
    o->actor_key = "authorizationActor";
    if (!json_object_get(op, "authorizationActor") && json_object_get(op, "authorizationRole"))
        o->actor_key = "authorizationRole";
    ld_string(L, op, o->actor_key, LD_OPTIONAL, 1, LD_NAME, AST_API_MAX_NAME_LEN, &o->authorization_actor);

    v = ld_array(L, op, "authorizationRoles", AST_API_MAX_AUTHORIZATIONS, "Array<string>");
    if (v) {
        size_t i, mark = ld_push_key(L, "authorizationRoles");

        o->actors = bb_arena_calloc(L->arena, json_array_size(v) + 1, sizeof(char *));
        if (!o->actors)
            ld_fail(L, bb_arena_failed(L->arena));
        for (i = 0; o->actors && i < json_array_size(v); i++) {
            const json_t *e = json_array_get(v, i);

            if (!json_is_string(e) || json_string_length(e) > AST_API_MAX_NAME_LEN ||
                strlen(json_string_value(e)) != json_string_length(e)) {
                size_t m2 = ld_push_index(L, i);

                ld_report(L, 0, SCHEMA_ERR_TYPE, NULL, "string (an actor name)", e,
                          "an authorization role must be an actor name");
                ld_pop(L, m2);
                continue;
            }
            o->actors[o->n_actors] = bb_arena_strdup(L->arena, json_string_value(e));
            if (!o->actors[o->n_actors])
                ld_fail(L, bb_arena_failed(L->arena));
            o->n_actors++;
        }
        ld_pop(L, mark);
    }
    ld_prerequisites(L, op, o);
}

/* ===========================================================================
 * Components and the document
 * ========================================================================= */

static void ld_authorizations(api_loader *L, const json_t *comp, ast_api_doc *doc)
{
    static const char *const auth_keys[] = {"name", "description", "kind", NULL};
    const json_t *arr;
    size_t i, mark;

    doc->authorizations_key = "authorizations";
    if (!json_object_get(comp, "authorizations") && json_object_get(comp, "authorization"))
        doc->authorizations_key = "authorization";
    else if (json_object_get(comp, "authorization"))
        ld_report(L, 1, SCHEMA_ERR_ADDITIONAL, "authorization", "no such property", NULL,
                  "both \"authorizations\" and the older \"authorization\" are present; the first is used");
    arr = ld_array(L, comp, doc->authorizations_key, AST_API_MAX_AUTHORIZATIONS, "Array<Authorization>");
    if (!arr)
        return;
    doc->authorizations = bb_arena_calloc(L->arena, json_array_size(arr) + 1, sizeof(ast_api_authorization));
    if (!doc->authorizations) {
        ld_fail(L, bb_arena_failed(L->arena));
        return;
    }
    mark = ld_push_key(L, doc->authorizations_key);
    for (i = 0; i < json_array_size(arr); i++) {
        const json_t *a = json_array_get(arr, i);
        ast_api_authorization *dst = &doc->authorizations[doc->n_authorizations++];
        size_t m2 = ld_push_index(L, i);

        if (!json_is_object(a)) {
            ld_report(L, 0, SCHEMA_ERR_TYPE, NULL, "Authorization", a, "an authorization must be an object");
        } else {
            ld_unknown_keys(L, a, auth_keys);
            ld_string(L, a, "name", LD_REQUIRED, 0, LD_NAME, AST_API_MAX_NAME_LEN, &dst->name);
            ld_string(L, a, "description", LD_OPTIONAL, 0, LD_TEXT, AST_API_MAX_TEXT_LEN, &dst->description);
            ld_string(L, a, "kind", LD_OPTIONAL, 1, LD_NAME, AST_API_MAX_NAME_LEN, &dst->kind);
        }
        ld_pop(L, m2);
    }
    ld_pop(L, mark);
}

static void ld_schemas(api_loader *L, const json_t *comp, ast_api_doc *doc)
{
    const json_t *schemas = json_object_get(comp, "schemas");
    size_t mark;
    void *it;

    if (!schemas) {
        ld_report(L, 0, SCHEMA_ERR_REQUIRED, "schemas", "Record<string, DTO schema>", NULL,
                  "components need \"schemas\"");
        return;
    }
    if (!json_is_object(schemas)) {
        ld_report(L, 0, SCHEMA_ERR_TYPE, "schemas", "Record<string, DTO schema>", schemas,
                  "\"schemas\" must be an object of named DTO schemas");
        return;
    }
    if (json_object_size(schemas) > AST_API_MAX_SCHEMAS) {
        ld_report(L, 0, SCHEMA_ERR_LIMIT, "schemas", "at most 2000 schemas", NULL,
                  "%zu schemas; the limit is %d", json_object_size(schemas), AST_API_MAX_SCHEMAS);
        return;
    }
    doc->schemas = bb_arena_calloc(L->arena, json_object_size(schemas) + 1, sizeof(ast_api_schema_entry));
    if (!doc->schemas) {
        ld_fail(L, bb_arena_failed(L->arena));
        return;
    }
    mark = ld_push_key(L, "schemas");
    for (it = json_object_iter((json_t *)schemas); it && L->rc == BB_OK;
         it = json_object_iter_next((json_t *)schemas, it)) {
        const char *k = json_object_iter_key(it);
        size_t klen = json_object_iter_key_len(it);
        ast_api_schema_entry *e = &doc->schemas[doc->n_schemas];
        size_t m2;

        if (klen > AST_API_MAX_NAME_LEN || strlen(k) != klen) {
            ld_report(L, 0, klen > AST_API_MAX_NAME_LEN ? SCHEMA_ERR_LENGTH : SCHEMA_ERR_PATTERN, k,
                      "type name (at most 128 bytes, no NUL)", NULL,
                      "a type name of %zu bytes is not allowed", klen);
            continue;
        }
        e->name = bb_arena_strndup(L->arena, k, klen);
        e->name_len = klen;
        if (!e->name) {
            ld_fail(L, bb_arena_failed(L->arena));
            break;
        }
        m2 = ld_push_key(L, k);
        e->schema = ld_dto(L, json_object_iter_value(it), 0);
        ld_pop(L, m2);
        if (e->schema)
            doc->n_schemas++;
    }
    ld_pop(L, mark);
}

/* Reads the whole document into doc; problems go to the loader's lists. */
static void ld_document(api_loader *L, const json_t *root, ast_api_doc *doc)
{
    static const char *const root_keys[] = {"operations", "components", NULL};
    static const char *const comp_keys[] = {"schemas", "authorizations", "authorization", NULL};
    const json_t *ops, *comp;
    size_t i, mark;

    if (!json_is_object(root)) {
        ld_report(L, 0, SCHEMA_ERR_TYPE, NULL, "{ operations: Operation[]; components: Components }", root,
                  "the API design must be an object");
        return;
    }
    ld_unknown_keys(L, root, root_keys);
    ops = json_object_get(root, "operations");
    if (!ops)
        ld_report(L, 0, SCHEMA_ERR_REQUIRED, "operations", "Array<Operation>", NULL,
                  "property \"operations\" is required");
    else
        ops = ld_array(L, root, "operations", AST_API_MAX_OPERATIONS, "Array<Operation>");
    if (ops) {
        doc->operations = bb_arena_calloc(L->arena, json_array_size(ops) + 1, sizeof(ast_api_operation));
        if (!doc->operations) {
            ld_fail(L, bb_arena_failed(L->arena));
            return;
        }
        mark = ld_push_key(L, "operations");
        for (i = 0; i < json_array_size(ops) && L->rc == BB_OK; i++) {
            size_t m2 = ld_push_index(L, i);

            ld_operation(L, json_array_get(ops, i), &doc->operations[doc->n_operations++]);
            ld_pop(L, m2);
        }
        ld_pop(L, mark);
    }
    comp = json_object_get(root, "components");
    if (!comp) {
        ld_report(L, 0, SCHEMA_ERR_REQUIRED, "components", "Components", NULL,
                  "property \"components\" is required");
    } else if (!json_is_object(comp)) {
        ld_report(L, 0, SCHEMA_ERR_TYPE, "components", "Components", comp,
                  "\"components\" must be an object");
    } else {
        mark = ld_push_key(L, "components");
        ld_unknown_keys(L, comp, comp_keys);
        ld_schemas(L, comp, doc);
        ld_authorizations(L, comp, doc);
        ld_pop(L, mark);
    }
}

bb_result ast_api_load(const json_t *root, ast_api_doc **out, schema_errors *errors, schema_errors *warnings)
{
    api_loader L;
    ast_api_doc *doc = NULL;
    bb_result rc;

    *out = NULL;
    memset(&L, 0, sizeof L);
    L.errors = errors;
    L.warnings = warnings;
    bb_buf_init(&L.path, AST_API_PATH_MAX);
    L.arena = bb_arena_new(AST_API_ARENA_MAX);
    if (!L.arena) {
        rc = BB_ERR_NOMEM;
        goto out;
    }
    rc = schema_path_root(&L.path);
    if (rc != BB_OK)
        goto out;
    doc = bb_arena_alloc(L.arena, sizeof *doc);
    if (!doc) {
        rc = BB_ERR_NOMEM;
        goto out;
    }
    doc->arena = L.arena;
    ld_document(&L, root, doc);
    rc = L.rc;
    if (rc == BB_ERR_LIMIT) { /* the arena cap: the input's problem, reported as such */
        bb_buf_truncate(&L.path, 0);
        (void)schema_path_root(&L.path);
        L.rc = BB_OK;
        ld_report(&L, 0, SCHEMA_ERR_LIMIT, NULL, "a document of at most 256 MiB in memory", NULL,
                  "the API design is too large to load");
        rc = L.rc == BB_OK ? BB_ERR_INVALID : L.rc;
    }
    if (rc == BB_OK && L.n_errors > 0)
        rc = BB_ERR_INVALID;
    if (rc == BB_OK) {
        *out = doc;
        L.arena = NULL; /* now owned by the document */
    }
out:
    bb_arena_free(L.arena);
    bb_buf_free(&L.path);
    return rc;
}

void ast_api_free(ast_api_doc *doc)
{
    if (doc)
        bb_arena_free(doc->arena);
}

const ast_api_dto *ast_api_find_schema(const ast_api_doc *doc, const char *name)
{
    size_t i;

    if (!name)
        return NULL;
    for (i = 0; i < doc->n_schemas; i++) {
        if (strcmp(doc->schemas[i].name, name) == 0)
            return doc->schemas[i].schema;
    }
    return NULL;
}

const ast_api_authorization *ast_api_find_authorization(const ast_api_doc *doc, const char *name)
{
    size_t i;

    if (!name)
        return NULL;
    for (i = 0; i < doc->n_authorizations; i++) {
        if (doc->authorizations[i].name && strcmp(doc->authorizations[i].name, name) == 0)
            return &doc->authorizations[i];
    }
    return NULL;
}
