/*
 * ast_api_check.c — the semantic checks of the API AST (see ast_api_check.h).
 *
 * A checker context holds the document, the optional database view, the
 * error list and the JSON path being visited; each check reports at the exact
 * key of the model's JSON. The checks never stop early: the model gets every
 * problem of the round at once. Documents are small (named limits in
 * ast_api.h), so lookups are linear scans.
 */
#include "ast_api_check.h"

#include <ctype.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "util/buf.h"

#define CHECK_PATH_MAX    ((size_t)1024 * 1024)
#define CHECK_VALUE_SHOWN 200 /* bytes of an offending string shown */

typedef struct api_checker {
    const ast_api_doc *doc;
    const ast_api_db_view *db;
    schema_errors *errors;
    bb_buf path;
    size_t n_errors;
    bb_result rc;
} api_checker;

/* ===========================================================================
 * Reporting
 * ========================================================================= */

static size_t ck_push_key(api_checker *C, const char *key)
{
    size_t mark = C->path.len;

    (void)schema_path_key(&C->path, key);
    return mark;
}

static size_t ck_push_index(api_checker *C, size_t i)
{
    size_t mark = C->path.len;

    (void)schema_path_index(&C->path, i);
    return mark;
}

static void ck_pop(api_checker *C, size_t mark)
{
    bb_buf_truncate(&C->path, mark);
}

/* Reports at the current path + key (key may be NULL). value: a string shown
 * as a JSON string (cut), or NULL for "undefined". */
static void ck_report(api_checker *C, const char *key, const char *rule, const char *value, const char *fmt,
                      ...) __attribute__((format(printf, 5, 6)));

static void ck_report(api_checker *C, const char *key, const char *rule, const char *value, const char *fmt,
                      ...)
{
    bb_buf val, msg;
    size_t mark = C->path.len;
    bb_result rc = BB_OK;
    va_list ap;

    C->n_errors++;
    bb_buf_init(&val, 4096);
    bb_buf_init(&msg, 4096);
    if (key)
        (void)schema_path_key(&C->path, key);
    if (value) {
        size_t n = strlen(value);

        if (n > CHECK_VALUE_SHOWN) {
            n = CHECK_VALUE_SHOWN;
            while (n > 0 && ((unsigned char)value[n] & 0xC0) == 0x80)
                n--;
        }
        rc = bb_buf_put_json_string(&val, value, n);
        if (rc == BB_OK && n < strlen(value))
            rc = bb_buf_puts(&val, "...");
    }
    if (rc == BB_OK) {
        va_start(ap, fmt);
        rc = bb_buf_vprintf(&msg, fmt, ap);
        va_end(ap);
    }
    if (rc == BB_OK)
        rc = schema_errors_add(C->errors, SCHEMA_ERR_SEMANTIC, bb_buf_str(&C->path), rule,
                               value ? bb_buf_str(&val) : NULL, bb_buf_str(&msg));
    if (rc != BB_OK && C->rc == BB_OK)
        C->rc = rc == BB_ERR_LIMIT ? BB_OK : rc; /* a cut message is still a report */
    bb_buf_truncate(&C->path, mark);
    bb_buf_free(&val);
    bb_buf_free(&msg);
}

/* ===========================================================================
 * Identifier patterns
 * ========================================================================= */

/* ^[a-z][A-Za-z0-9]*$ */
static int is_camel(const char *s)
{
    const unsigned char *p = (const unsigned char *)s;

    if (!s || !(*p >= 'a' && *p <= 'z'))
        return 0;
    for (p++; *p; p++) {
        if (!(isascii(*p) && isalnum(*p)))
            return 0;
    }
    return 1;
}

/* ^[A-Za-z_][A-Za-z0-9_]*$ */
static int is_property_name(const char *s)
{
    const unsigned char *p = (const unsigned char *)s;

    if (!s || !(isascii(*p) && (isalpha(*p) || *p == '_')))
        return 0;
    for (p++; *p; p++) {
        if (!(isascii(*p) && (isalnum(*p) || *p == '_')))
            return 0;
    }
    return 1;
}

/* ^I[A-Z][A-Za-z0-9]*(\.I[A-Z][A-Za-z0-9]*)*$ */
static int is_type_name(const char *s)
{
    const unsigned char *p = (const unsigned char *)s;

    if (!s)
        return 0;
    for (;;) {
        if (p[0] != 'I' || !(p[1] >= 'A' && p[1] <= 'Z'))
            return 0;
        for (p += 2; *p && *p != '.'; p++) {
            if (!(isascii(*p) && isalnum(*p)))
                return 0;
        }
        if (!*p)
            return 1;
        p++; /* the dot */
    }
}

/* Why path is malformed, or NULL when it is fine. */
static const char *path_problem(const char *path)
{
    const char *seg, *end;

    if (path[0] != '/')
        return "a path starts with '/'";
    if (strstr(path, ".."))
        return "a path may not contain '..'";
    for (seg = path; *seg; seg++) {
        if (isspace((unsigned char)*seg))
            return "a path may not contain whitespace";
        if (*seg == '?' || *seg == '#')
            return "a path may not contain a query string or fragment; search criteria go into a request "
                   "body";
        if ((unsigned char)*seg < 0x20 || (unsigned char)*seg >= 0x7f)
            return "a path is plain ASCII";
    }
    if (strcmp(path, "/") == 0)
        return "a path has at least one segment";
    for (seg = path + 1;; seg = end + 1) {
        size_t n;

        end = strchr(seg, '/');
        n = end ? (size_t)(end - seg) : strlen(seg);
        if (n == 0)
            return end ? "a path has no empty segment ('//')" : "a path has no trailing '/'";
        if (seg[0] == '{') {
            size_t i;

            if (n < 3 || seg[n - 1] != '}' || !(seg[1] >= 'a' && seg[1] <= 'z'))
                return "a path parameter is a whole segment {camelCaseName}";
            for (i = 2; i < n - 1; i++) {
                if (!(isascii((unsigned char)seg[i]) && isalnum((unsigned char)seg[i])))
                    return "a path parameter is a whole segment {camelCaseName}";
            }
        } else {
            size_t i;

            for (i = 0; i < n; i++) {
                unsigned char c = (unsigned char)seg[i];

                if (!(isascii(c) && (isalnum(c) || c == '-' || c == '_')))
                    return "a path segment has only letters, digits, '-' and '_', or is {param}";
            }
        }
        if (!end)
            break;
    }
    return NULL;
}

/* Whether the path has a segment {name}. */
static int path_has_param(const char *path, const char *name)
{
    size_t n = strlen(name);
    const char *p;

    for (p = strchr(path, '{'); p; p = strchr(p + 1, '{')) {
        if (strncmp(p + 1, name, n) == 0 && p[1 + n] == '}')
            return 1;
    }
    return 0;
}

/* ===========================================================================
 * DTO schemas
 * ========================================================================= */

static int dto_is_scalar(const ast_api_dto *d, int depth)
{
    size_t i;

    if (!d || depth > AST_API_MAX_DTO_DEPTH)
        return 0;
    switch (d->kind) {
    case AST_API_DTO_CONSTANT:
    case AST_API_DTO_BOOLEAN:
    case AST_API_DTO_INTEGER:
    case AST_API_DTO_NUMBER:
    case AST_API_DTO_STRING:
    case AST_API_DTO_NULL:
        return 1;
    case AST_API_DTO_ONEOF:
        for (i = 0; i < d->u.one_of.n_members; i++) {
            if (!dto_is_scalar(d->u.one_of.members[i], depth + 1))
                return 0;
        }
        return 1;
    case AST_API_DTO_ARRAY:
    case AST_API_DTO_OBJECT:
    case AST_API_DTO_REFERENCE:
    case AST_API_DTO_KIND_COUNT_:
        break;
    }
    return 0;
}

static void ck_dto(api_checker *C, const ast_api_dto *d, int top_level, int depth);

static void ck_object_db(api_checker *C, const ast_api_dto *d)
{
    const char *table = d->u.object.database_schema;
    size_t i;

    if (!C->db || !table || !C->db->has_table)
        return;
    if (!C->db->has_table(C->db->ctx, table)) {
        ck_report(C, d->u.object.database_key, AST_API_RULE_TABLE_EXISTS, table,
                  "the database has no table \"%.128s\"", table);
        return;
    }
    if (!C->db->has_column)
        return;
    for (i = 0; i < d->u.object.n_properties; i++) {
        const ast_api_property *p = &d->u.object.properties[i];

        if (!strchr(p->name, '_') || !dto_is_scalar(p->schema, 0))
            continue;
        if (!C->db->has_column(C->db->ctx, table, p->name)) {
            size_t mark = ck_push_key(C, "properties");

            ck_report(C, p->name, AST_API_RULE_COLUMN_EXISTS, p->name,
                      "table \"%.128s\" has no column \"%.128s\"; a snake_case property names a "
                      "column: rename it to the column or use a camelCase name for a computed field",
                      table, p->name);
            ck_pop(C, mark);
        }
    }
}

static void ck_object(api_checker *C, const ast_api_dto *d, int depth)
{
    size_t i, j, mark;

    if (!d->u.object.has_required) {
        ck_report(C, "required", AST_API_RULE_REQUIRED_LISTED, NULL,
                  "an object schema lists its required properties in \"required\" ([] when none)");
    }
    mark = ck_push_key(C, "required");
    for (i = 0; i < d->u.object.n_required; i++) {
        const char *r = d->u.object.required[i];
        int found = 0;
        size_t m2 = ck_push_index(C, i);

        for (j = 0; j < d->u.object.n_properties && !found; j++)
            found = strcmp(d->u.object.properties[j].name, r) == 0;
        if (!found)
            ck_report(C, NULL, AST_API_RULE_REQUIRED_EXISTS, r,
                      "\"%.128s\" is required but is not a property of this object", r);
        for (j = 0; j < i; j++) {
            if (strcmp(d->u.object.required[j], r) == 0) {
                ck_report(C, NULL, AST_API_RULE_REQUIRED_UNIQUE, r, "\"%.128s\" is listed twice in required",
                          r);
                break;
            }
        }
        ck_pop(C, m2);
    }
    ck_pop(C, mark);
    mark = ck_push_key(C, "properties");
    for (i = 0; i < d->u.object.n_properties; i++) {
        const ast_api_property *p = &d->u.object.properties[i];
        size_t m2;

        if (!is_property_name(p->name))
            ck_report(C, p->name, AST_API_RULE_PROPERTY_NAME, p->name,
                      "a property name is an identifier (letters, digits, '_')");
        m2 = ck_push_key(C, p->name);
        ck_dto(C, p->schema, 0, depth + 1);
        ck_pop(C, m2);
    }
    ck_pop(C, mark);
    if (d->u.object.additional == AST_API_ADDITIONAL_SCHEMA) {
        mark = ck_push_key(C, "additionalProperties");
        ck_dto(C, d->u.object.additional_schema, 0, depth + 1);
        ck_pop(C, mark);
    }
    ck_object_db(C, d);
}

static void ck_dto(api_checker *C, const ast_api_dto *d, int top_level, int depth)
{
    size_t i, mark;

    if (!d || depth > AST_API_MAX_DTO_DEPTH || C->rc != BB_OK)
        return;
    switch (d->kind) {
    case AST_API_DTO_OBJECT:
        if (!top_level)
            ck_report(C, NULL, AST_API_RULE_NO_INLINE_OBJECT, NULL,
                      "an object nested inside another schema must be a separate named schema "
                      "referenced with $ref");
        ck_object(C, d, depth);
        break;
    case AST_API_DTO_ARRAY:
        mark = ck_push_key(C, "items");
        ck_dto(C, d->u.array.items, 0, depth + 1);
        ck_pop(C, mark);
        break;
    case AST_API_DTO_ONEOF:
        mark = ck_push_key(C, "oneOf");
        for (i = 0; i < d->u.one_of.n_members; i++) {
            size_t m2 = ck_push_index(C, i);

            ck_dto(C, d->u.one_of.members[i], 0, depth + 1);
            ck_pop(C, m2);
        }
        ck_pop(C, mark);
        break;
    case AST_API_DTO_REFERENCE:
        if (!d->u.reference.name)
            ck_report(C, "$ref", AST_API_RULE_REF_EXISTS, d->u.reference.ref,
                      "a $ref starts with \"#/components/schemas/\"");
        else if (!ast_api_find_schema(C->doc, d->u.reference.name))
            ck_report(C, "$ref", AST_API_RULE_REF_EXISTS, d->u.reference.ref,
                      "no schema \"%.128s\" in components.schemas", d->u.reference.name);
        break;
    case AST_API_DTO_CONSTANT:
    case AST_API_DTO_BOOLEAN:
    case AST_API_DTO_INTEGER:
    case AST_API_DTO_NUMBER:
    case AST_API_DTO_STRING:
    case AST_API_DTO_NULL:
    case AST_API_DTO_KIND_COUNT_:
        break;
    }
}

/* ===========================================================================
 * Operations and components
 * ========================================================================= */

static void ck_type_name_ref(api_checker *C, const ast_api_body *b, const char *key)
{
    size_t mark;

    if (!b || !b->type_name)
        return;
    mark = ck_push_key(C, key);
    if (!is_type_name(b->type_name))
        ck_report(C, "typeName", AST_API_RULE_TYPE_NAME, b->type_name,
                  "a type name is I + PascalCase, with .I + PascalCase sub-types (ITodo.ICreate)");
    else if (!ast_api_find_schema(C->doc, b->type_name))
        ck_report(C, "typeName", AST_API_RULE_TYPE_EXISTS, b->type_name,
                  "no schema \"%.128s\" in components.schemas", b->type_name);
    ck_pop(C, mark);
}

static void ck_actor(api_checker *C, const char *key, const char *actor)
{
    if (!actor)
        return;
    if (!ast_api_find_authorization(C->doc, actor))
        ck_report(C, key, AST_API_RULE_ACTOR_EXISTS, actor,
                  "no actor \"%.128s\" in components.authorizations", actor);
}

static void ck_parameters(api_checker *C, const ast_api_operation *o)
{
    size_t i, j, mark = ck_push_key(C, "parameters");

    for (i = 0; i < o->n_parameters; i++) {
        const ast_api_parameter *p = &o->parameters[i];
        size_t m2 = ck_push_index(C, i);

        if (p->name && !is_camel(p->name)) {
            ck_report(C, "name", AST_API_RULE_PARAM_NAME, p->name,
                      "a parameter name is camelCase (letters and digits, lower-case first)");
        } else if (p->name && o->path && !path_has_param(o->path, p->name)) {
            ck_report(C, "name", AST_API_RULE_PARAM_IN_PATH, p->name,
                      "parameter \"%.128s\" does not appear as {%.128s} in the path", p->name, p->name);
        }
        for (j = 0; p->name && j < i; j++) {
            if (o->parameters[j].name && strcmp(o->parameters[j].name, p->name) == 0) {
                ck_report(C, "name", AST_API_RULE_PARAM_UNIQUE, p->name,
                          "parameter \"%.128s\" is declared twice", p->name);
                break;
            }
        }
        if (p->schema && !dto_is_scalar(p->schema, 0))
            ck_report(C, "schema", AST_API_RULE_PARAM_SCALAR, ast_api_dto_kind_name(p->schema->kind),
                      "a path parameter is a scalar value (usually a string with format uuid)");
        ck_pop(C, m2);
    }
    ck_pop(C, mark);
}

/* Every {name} segment of the path has a parameter. */
static void ck_path_params(api_checker *C, const ast_api_operation *o)
{
    const char *p = strchr(o->path, '{');

    while (p) {
        const char *close = strchr(p, '}');
        char name[AST_API_MAX_NAME_LEN + 1];
        size_t n, i;
        int found = 0;

        if (!close)
            break;
        n = (size_t)(close - p - 1);
        if (n > AST_API_MAX_NAME_LEN)
            n = AST_API_MAX_NAME_LEN;
        memcpy(name, p + 1, n);
        name[n] = '\0';
        for (i = 0; i < o->n_parameters && !found; i++)
            found = o->parameters[i].name && strcmp(o->parameters[i].name, name) == 0;
        if (!found)
            ck_report(C, "path", AST_API_RULE_PATH_PARAM_DECLARED, o->path, "{%s} has no entry in parameters",
                      name);
        p = strchr(close + 1, '{');
    }
}

static void ck_operation(api_checker *C, size_t idx)
{
    const ast_api_doc *doc = C->doc;
    const ast_api_operation *o = &doc->operations[idx];
    const char *why;
    size_t j;

    if (o->path) {
        why = path_problem(o->path);
        if (why)
            ck_report(C, "path", AST_API_RULE_PATH_FORMAT, o->path, "%s", why);
        ck_path_params(C, o);
    }
    if (o->name && !is_camel(o->name))
        ck_report(
            C, "name", AST_API_RULE_OP_NAME, o->name,
            "an operation name is camelCase: index, at, create, update, erase, join, login, refresh, ...");
    for (j = 0; j < idx && o->path; j++) {
        const ast_api_operation *q = &doc->operations[j];

        if (!q->path || strcmp(q->path, o->path) != 0)
            continue;
        if (q->method == o->method) {
            char val[AST_API_MAX_PATH_LEN + 16];

            snprintf(val, sizeof val, "%s %s", ast_api_method_name(o->method), o->path);
            ck_report(C, "method", AST_API_RULE_UNIQUE_ENDPOINT, val, "operations[%zu] already is %s %.512s",
                      j, ast_api_method_name(o->method), o->path);
        } else if (o->name && q->name && strcmp(q->name, o->name) == 0) {
            ck_report(C, "name", AST_API_RULE_OP_NAME_UNIQUE, o->name,
                      "operations[%zu] on the same path is already named \"%.128s\"", j, o->name);
        }
    }
    ck_parameters(C, o);
    ck_type_name_ref(C, o->request_body, "requestBody");
    ck_type_name_ref(C, o->response_body, "responseBody");
    ck_actor(C, o->actor_key, o->authorization_actor);
    if (o->n_actors) {
        size_t mark = ck_push_key(C, "authorizationRoles");

        for (j = 0; j < o->n_actors; j++) {
            size_t m2 = ck_push_index(C, j);

            ck_actor(C, NULL, o->actors[j]);
            ck_pop(C, m2);
        }
        ck_pop(C, mark);
    }
    if (o->n_prerequisites) {
        size_t mark = ck_push_key(C, "prerequisites");

        for (j = 0; j < o->n_prerequisites; j++) {
            const ast_api_prerequisite *pr = &o->prerequisites[j];
            size_t k, m2 = ck_push_index(C, j);
            int found = 0;

            for (k = 0; k < doc->n_operations && !found && pr->path; k++)
                found = doc->operations[k].path && doc->operations[k].method == pr->method &&
                        strcmp(doc->operations[k].path, pr->path) == 0;
            if (!found && pr->path) {
                char val[AST_API_MAX_PATH_LEN + 16];

                snprintf(val, sizeof val, "%s %s", ast_api_method_name(pr->method), pr->path);
                ck_report(C, "endpoint", AST_API_RULE_PREREQUISITE, val, "no operation is %s %.512s",
                          ast_api_method_name(pr->method), pr->path);
            }
            ck_pop(C, m2);
        }
        ck_pop(C, mark);
    }
}

static void ck_components(api_checker *C)
{
    const ast_api_doc *doc = C->doc;
    size_t i, j, mark = ck_push_key(C, "components");
    size_t m2 = ck_push_key(C, "schemas");

    for (i = 0; i < doc->n_schemas && C->rc == BB_OK; i++) {
        const ast_api_schema_entry *e = &doc->schemas[i];
        size_t m3;

        if (!is_type_name(e->name))
            ck_report(C, e->name, AST_API_RULE_TYPE_NAME, e->name,
                      "a type name is I + PascalCase, with .I + PascalCase sub-types (ITodo.ICreate)");
        m3 = ck_push_key(C, e->name);
        ck_dto(C, e->schema, 1, 0);
        ck_pop(C, m3);
    }
    ck_pop(C, m2);
    m2 = ck_push_key(C, doc->authorizations_key ? doc->authorizations_key : "authorizations");
    for (i = 0; i < doc->n_authorizations; i++) {
        const char *name = doc->authorizations[i].name;
        size_t m3 = ck_push_index(C, i);

        if (name && !is_camel(name))
            ck_report(C, "name", AST_API_RULE_ACTOR_NAME, name,
                      "an actor name is camelCase (user, admin, member)");
        for (j = 0; name && j < i; j++) {
            if (doc->authorizations[j].name && strcmp(doc->authorizations[j].name, name) == 0) {
                ck_report(C, "name", AST_API_RULE_ACTOR_UNIQUE, name, "actor \"%.128s\" is declared twice",
                          name);
                break;
            }
        }
        ck_pop(C, m3);
    }
    ck_pop(C, m2);
    ck_pop(C, mark);
}

bb_result ast_api_check(const ast_api_doc *doc, const ast_api_db_view *db, schema_errors *errors)
{
    api_checker C;
    size_t i, mark;
    bb_result rc;

    memset(&C, 0, sizeof C);
    C.doc = doc;
    C.db = db;
    C.errors = errors;
    bb_buf_init(&C.path, CHECK_PATH_MAX);
    rc = schema_path_root(&C.path);
    if (rc != BB_OK)
        goto out;
    mark = ck_push_key(&C, "operations");
    for (i = 0; i < doc->n_operations && C.rc == BB_OK; i++) {
        size_t m2 = ck_push_index(&C, i);

        ck_operation(&C, i);
        ck_pop(&C, m2);
    }
    ck_pop(&C, mark);
    ck_components(&C);
    rc = C.rc;
    if (rc == BB_OK && C.n_errors > 0)
        rc = BB_ERR_INVALID;
out:
    bb_buf_free(&C.path);
    return rc;
}
