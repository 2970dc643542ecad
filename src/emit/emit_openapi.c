/*
 * emit_openapi.c — API AST to OpenAPI 3.1 (see emit_openapi.h for the mapping).
 *
 * The document is built as a jansson tree (JSON at the edge: this module is the
 * edge where the typed AST leaves the program) in document order, then dumped
 * once. An emitter context remembers the first failure so the builders can be
 * chained without checking every call; operationIds are made unique with a
 * small list of those already given out.
 */
#include "emit_openapi.h"

#include <ctype.h>
#include <string.h>

#include <jansson.h>

#include "util/alloc.h"
#include "util/arena.h"

typedef struct openapi_emitter {
    bb_arena *arena;  /* scratch: operationIds */
    const char **ids; /* operationIds given out */
    size_t n_ids;
    bb_result rc;
} openapi_emitter;

emit_openapi_params emit_openapi_default_params(void)
{
    emit_openapi_params p;

    memset(&p, 0, sizeof p);
    p.title = "backbench API";
    p.version = "1.0.0";
    p.description = NULL;
    p.indent = 2;
    return p;
}

/* ===========================================================================
 * Building helpers: each records the first failure and tolerates NULL input
 * ========================================================================= */

static void em_fail(openapi_emitter *E, bb_result rc)
{
    if (E->rc == BB_OK)
        E->rc = rc;
}

static json_t *em_str(openapi_emitter *E, const char *s)
{
    json_t *v = json_string(s ? s : "");

    if (!v)
        em_fail(E, BB_ERR_NOMEM);
    return v;
}

/* obj[key] = v (steals v); a NULL v is a failure already recorded. */
static void em_set(openapi_emitter *E, json_t *obj, const char *key, json_t *v)
{
    if (!v) {
        em_fail(E, BB_ERR_NOMEM);
        return;
    }
    if (!obj) { /* the container failed already; the value is not adopted */
        json_decref(v);
        return;
    }
    if (json_object_set_new(obj, key, v) != 0) /* jansson releases v on failure */
        em_fail(E, BB_ERR_NOMEM);
}

static void em_set_str(openapi_emitter *E, json_t *obj, const char *key, const char *s)
{
    if (s)
        em_set(E, obj, key, em_str(E, s));
}

static void em_append(openapi_emitter *E, json_t *arr, json_t *v)
{
    if (!v) {
        em_fail(E, BB_ERR_NOMEM);
        return;
    }
    if (!arr) {
        json_decref(v);
        return;
    }
    if (json_array_append_new(arr, v) != 0)
        em_fail(E, BB_ERR_NOMEM);
}

static json_t *em_literal(openapi_emitter *E, const ast_api_literal *lit)
{
    json_t *v = NULL;

    switch (lit->kind) {
    case AST_API_LIT_NULL:
    case AST_API_LIT_NONE:
        v = json_null();
        break;
    case AST_API_LIT_BOOL:
        v = json_boolean(lit->b);
        break;
    case AST_API_LIT_INT:
        v = json_integer((json_int_t)lit->i);
        break;
    case AST_API_LIT_REAL:
        v = json_real(lit->r);
        break;
    case AST_API_LIT_STRING:
        v = json_stringn(lit->s ? lit->s : "", lit->s ? lit->s_len : 0);
        break;
    }
    if (!v)
        em_fail(E, BB_ERR_NOMEM);
    return v;
}

static void em_bound(openapi_emitter *E, json_t *obj, const char *key, const ast_api_bound *b)
{
    if (b->present)
        em_set(E, obj, key, em_literal(E, &b->value));
}

/* Re-parses example text kept by the loader; dropped when it does not parse. */
static void em_example(openapi_emitter *E, json_t *obj, const char *key, const char *text)
{
    json_t *v;

    if (!text)
        return;
    v = json_loads(text, JSON_DECODE_ANY | JSON_ALLOW_NUL, NULL);
    if (v)
        em_set(E, obj, key, v);
}

/* ===========================================================================
 * DTO schemas
 * ========================================================================= */

static json_t *em_dto(openapi_emitter *E, const ast_api_dto *d, int depth);

static void em_dto_object(openapi_emitter *E, const ast_api_dto *d, json_t *o, int depth)
{
    json_t *props = json_object();
    json_t *req = json_array();
    size_t i;

    em_set(E, o, "properties", props);
    for (i = 0; props && i < d->u.object.n_properties; i++)
        em_set(E, props, d->u.object.properties[i].name,
               em_dto(E, d->u.object.properties[i].schema, depth + 1));
    em_set(E, o, "required", req);
    for (i = 0; req && i < d->u.object.n_required; i++)
        em_append(E, req, em_str(E, d->u.object.required[i]));
    switch (d->u.object.additional) {
    case AST_API_ADDITIONAL_FALSE:
        em_set(E, o, "additionalProperties", json_false());
        break;
    case AST_API_ADDITIONAL_TRUE:
        em_set(E, o, "additionalProperties", json_true());
        break;
    case AST_API_ADDITIONAL_SCHEMA:
        em_set(E, o, "additionalProperties", em_dto(E, d->u.object.additional_schema, depth + 1));
        break;
    case AST_API_ADDITIONAL_ABSENT:
        break;
    }
    em_set_str(E, o, "x-autobe-database-schema", d->u.object.database_schema);
}

static json_t *em_dto(openapi_emitter *E, const ast_api_dto *d, int depth)
{
    json_t *o;
    size_t i;

    if (!d || depth > AST_API_MAX_DTO_DEPTH + 1)
        return json_object(); /* the loader never builds these; stay total */
    o = json_object();
    if (!o) {
        em_fail(E, BB_ERR_NOMEM);
        return NULL;
    }
    switch (d->kind) {
    case AST_API_DTO_CONSTANT:
        em_set(E, o, "const", em_literal(E, &d->u.constant));
        break;
    case AST_API_DTO_BOOLEAN:
    case AST_API_DTO_NULL:
        em_set_str(E, o, "type", ast_api_dto_kind_name(d->kind));
        break;
    case AST_API_DTO_INTEGER:
    case AST_API_DTO_NUMBER:
        em_set_str(E, o, "type", ast_api_dto_kind_name(d->kind));
        em_bound(E, o, "minimum", &d->u.number.minimum);
        em_bound(E, o, "maximum", &d->u.number.maximum);
        em_bound(E, o, "exclusiveMinimum", &d->u.number.exclusive_minimum);
        em_bound(E, o, "exclusiveMaximum", &d->u.number.exclusive_maximum);
        em_bound(E, o, "multipleOf", &d->u.number.multiple_of);
        break;
    case AST_API_DTO_STRING:
        em_set_str(E, o, "type", "string");
        em_set_str(E, o, "format", d->u.string.format);
        em_set_str(E, o, "pattern", d->u.string.pattern);
        em_bound(E, o, "minLength", &d->u.string.min_length);
        em_bound(E, o, "maxLength", &d->u.string.max_length);
        em_set_str(E, o, "contentMediaType", d->u.string.content_media_type);
        break;
    case AST_API_DTO_ARRAY:
        em_set_str(E, o, "type", "array");
        em_set(E, o, "items", em_dto(E, d->u.array.items, depth + 1));
        em_bound(E, o, "minItems", &d->u.array.min_items);
        em_bound(E, o, "maxItems", &d->u.array.max_items);
        if (d->u.array.unique_items >= 0)
            em_set(E, o, "uniqueItems", json_boolean(d->u.array.unique_items));
        break;
    case AST_API_DTO_OBJECT:
        em_set_str(E, o, "type", "object");
        em_dto_object(E, d, o, depth);
        break;
    case AST_API_DTO_REFERENCE:
        em_set_str(E, o, "$ref", d->u.reference.ref);
        break;
    case AST_API_DTO_ONEOF: {
        json_t *arr = json_array();

        em_set(E, o, "oneOf", arr);
        for (i = 0; arr && i < d->u.one_of.n_members; i++)
            em_append(E, arr, em_dto(E, d->u.one_of.members[i], depth + 1));
        if (d->u.one_of.discriminator) {
            json_t *disc = json_object();

            em_set(E, o, "discriminator", disc);
            em_set_str(E, disc, "propertyName", d->u.one_of.discriminator);
            if (d->u.one_of.n_mapping) {
                json_t *map = json_object();

                em_set(E, disc, "mapping", map);
                for (i = 0; map && i < d->u.one_of.n_mapping; i++)
                    em_set_str(E, map, d->u.one_of.mapping[i].key, d->u.one_of.mapping[i].value);
            }
        }
        break;
    }
    case AST_API_DTO_KIND_COUNT_:
        break;
    }
    if (d->default_value.kind != AST_API_LIT_NONE)
        em_set(E, o, "default", em_literal(E, &d->default_value));
    em_set_str(E, o, "title", d->title);
    em_set_str(E, o, "description", d->description);
    em_example(E, o, "example", d->example_json);
    em_example(E, o, "examples", d->examples_json);
    return o;
}

/* ===========================================================================
 * Operations
 * ========================================================================= */

static int em_id_taken(const openapi_emitter *E, const char *id)
{
    size_t i;

    for (i = 0; i < E->n_ids; i++) {
        if (strcmp(E->ids[i], id) == 0)
            return 1;
    }
    return 0;
}

/* Path-derived prefix: static segments joined with '.', and with params as
 * "by<Param>" segments when with_params. */
static bb_result em_path_prefix(bb_buf *b, const char *path, int with_params)
{
    const char *seg = path;
    bb_result rc = BB_OK;

    while (rc == BB_OK && *seg) {
        const char *end;
        size_t n;

        while (*seg == '/')
            seg++;
        end = strchr(seg, '/');
        n = end ? (size_t)(end - seg) : strlen(seg);
        if (n == 0)
            break;
        if (seg[0] == '{') {
            if (with_params && n > 2) {
                rc = bb_buf_puts(b, b->len ? ".by" : "by");
                if (rc == BB_OK)
                    rc = bb_buf_putc(b, (char)toupper((unsigned char)seg[1]));
                if (rc == BB_OK)
                    rc = bb_buf_append(b, seg + 2, n - 3);
            }
        } else {
            if (b->len)
                rc = bb_buf_putc(b, '.');
            if (rc == BB_OK)
                rc = bb_buf_append(b, seg, n);
        }
        seg += n;
    }
    return rc;
}

/* Whether the id built so far ends with the segment seg ("a.b" ends with "b"). */
static int em_ends_with_segment(const bb_buf *b, const char *seg)
{
    size_t n = strlen(seg);

    return b->len >= n && strcmp(b->data + b->len - n, seg) == 0 &&
           (b->len == n || b->data[b->len - n - 1] == '.');
}

static const char *em_operation_id(openapi_emitter *E, const ast_api_operation *o)
{
    bb_buf b;
    const char *id = NULL;
    const char *name = o->name ? o->name : ast_api_method_name(o->method);
    int attempt;
    unsigned suffix;
    bb_result rc = BB_OK;

    bb_buf_init(&b, AST_API_MAX_PATH_LEN * 4 + 64);
    for (attempt = 0; attempt < 2 && !id; attempt++) {
        bb_buf_reset(&b);
        rc = em_path_prefix(&b, o->path ? o->path : "", attempt);
        if (rc == BB_OK && !em_ends_with_segment(&b, name)) /* "/auth/user/join" join: once */
            rc = bb_buf_printf(&b, "%s%s", b.len ? "." : "", name);
        if (rc != BB_OK)
            goto out;
        if (!em_id_taken(E, bb_buf_str(&b)))
            id = bb_arena_strdup(E->arena, bb_buf_str(&b));
    }
    for (suffix = 2; !id; suffix++) {
        char *s = bb_arena_printf(E->arena, "%s_%u", bb_buf_str(&b), suffix);

        if (!s)
            break;
        if (!em_id_taken(E, s))
            id = s;
    }
    if (id)
        E->ids[E->n_ids++] = id;
out:
    if (rc != BB_OK)
        em_fail(E, rc);
    else if (!id)
        em_fail(E, BB_ERR_NOMEM);
    bb_buf_free(&b);
    return id;
}

static json_t *em_body_content(openapi_emitter *E, const char *type_name)
{
    json_t *content = json_object(), *media = json_object(), *schema = json_object();
    const char *ref = bb_arena_printf(E->arena, "%s%s", AST_API_REF_PREFIX, type_name ? type_name : "");

    if (!ref)
        em_fail(E, BB_ERR_NOMEM);
    em_set_str(E, schema, "$ref", ref);
    em_set(E, media, "schema", schema);
    em_set(E, content, "application/json", media);
    return content;
}

static void em_security(openapi_emitter *E, json_t *op, const ast_api_operation *o)
{
    json_t *sec;
    size_t i, j;

    if (o->authorization_type != AST_API_AUTH_NONE || (!o->authorization_actor && !o->n_actors))
        return;
    sec = json_array();
    em_set(E, op, "security", sec);
    if (o->authorization_actor) {
        json_t *req = json_object();

        em_set(E, req, o->authorization_actor, json_array());
        em_append(E, sec, req);
    }
    for (i = 0; i < o->n_actors; i++) {
        int dup = o->authorization_actor && strcmp(o->authorization_actor, o->actors[i]) == 0;
        json_t *req;

        for (j = 0; j < i && !dup; j++)
            dup = strcmp(o->actors[j], o->actors[i]) == 0;
        if (dup)
            continue;
        req = json_object();
        em_set(E, req, o->actors[i], json_array());
        em_append(E, sec, req);
    }
}

static json_t *em_operation(openapi_emitter *E, const ast_api_operation *o)
{
    json_t *op = json_object(), *responses = json_object(), *resp;
    const char *id = em_operation_id(E, o);
    const char *status;
    size_t i;

    em_set_str(E, op, "operationId", id);
    em_set_str(E, op, "summary", o->summary);
    em_set_str(E, op, "description", o->description);
    if (o->n_parameters) {
        json_t *params = json_array();

        em_set(E, op, "parameters", params);
        for (i = 0; params && i < o->n_parameters; i++) {
            json_t *p = json_object();

            em_set_str(E, p, "name", o->parameters[i].name);
            em_set_str(E, p, "in", "path");
            em_set(E, p, "required", json_true());
            em_set_str(E, p, "description", o->parameters[i].description);
            em_set(E, p, "schema", em_dto(E, o->parameters[i].schema, 0));
            em_append(E, params, p);
        }
    }
    if (o->request_body) {
        json_t *rb = json_object();

        em_set_str(E, rb, "description", o->request_body->description);
        em_set(E, rb, "required", json_true());
        em_set(E, rb, "content", em_body_content(E, o->request_body->type_name));
        em_set(E, op, "requestBody", rb);
    }
    resp = json_object();
    if (o->response_body) {
        status = o->method == AST_API_METHOD_POST ? "201" : "200";
        em_set_str(E, resp, "description",
                   o->response_body->description && o->response_body->description[0]
                       ? o->response_body->description
                       : "Success.");
        em_set(E, resp, "content", em_body_content(E, o->response_body->type_name));
    } else {
        status = "204";
        em_set_str(E, resp, "description", "No content.");
    }
    em_set(E, responses, status, resp);
    em_set(E, op, "responses", responses);
    em_security(E, op, o);
    em_set_str(E, op, "x-autobe-specification", o->specification);
    if (o->authorization_type != AST_API_AUTH_NONE) {
        json_t *auth = json_object();

        em_set_str(E, auth, "type", ast_api_auth_type_name(o->authorization_type));
        em_set(E, auth, "actor", o->authorization_actor ? em_str(E, o->authorization_actor) : json_null());
        em_set(E, op, "x-autobe-authorization", auth);
    }
    return op;
}

/* ===========================================================================
 * The document
 * ========================================================================= */

bb_result emit_openapi(const ast_api_doc *doc, const emit_openapi_params *params, bb_buf *out)
{
    emit_openapi_params defaults = emit_openapi_default_params();
    openapi_emitter E;
    json_t *root = NULL, *info, *paths, *components, *schemas;
    char *text = NULL;
    size_t i, indent;
    bb_result rc;

    if (!params)
        params = &defaults;
    memset(&E, 0, sizeof E);
    E.arena = bb_arena_new(0);
    if (!E.arena) {
        rc = BB_ERR_NOMEM;
        goto out;
    }
    E.ids = bb_arena_calloc(E.arena, doc->n_operations + 1, sizeof(char *));
    root = json_object();
    if (!E.ids || !root) {
        rc = BB_ERR_NOMEM;
        goto out;
    }
    em_set_str(&E, root, "openapi", "3.1.0");
    info = json_object();
    em_set(&E, root, "info", info);
    em_set_str(&E, info, "title", params->title ? params->title : defaults.title);
    em_set_str(&E, info, "version", params->version ? params->version : defaults.version);
    em_set_str(&E, info, "description", params->description);

    paths = json_object();
    em_set(&E, root, "paths", paths);
    for (i = 0; paths && i < doc->n_operations && E.rc == BB_OK; i++) {
        const ast_api_operation *o = &doc->operations[i];
        const char *path = o->path ? o->path : "/";
        json_t *item = json_object_get(paths, path);

        if (!item) {
            item = json_object();
            em_set(&E, paths, path, item);
        }
        em_set(&E, item, ast_api_method_name(o->method), em_operation(&E, o));
    }

    components = json_object();
    em_set(&E, root, "components", components);
    schemas = json_object();
    em_set(&E, components, "schemas", schemas);
    for (i = 0; schemas && i < doc->n_schemas && E.rc == BB_OK; i++)
        em_set(&E, schemas, doc->schemas[i].name, em_dto(&E, doc->schemas[i].schema, 0));
    if (doc->n_authorizations) {
        json_t *schemes = json_object();

        em_set(&E, components, "securitySchemes", schemes);
        for (i = 0; schemes && i < doc->n_authorizations; i++) {
            const ast_api_authorization *a = &doc->authorizations[i];
            json_t *s = json_object();

            if (!a->name) {
                json_decref(s);
                continue;
            }
            em_set_str(&E, s, "type", "http");
            em_set_str(&E, s, "scheme", "bearer");
            em_set_str(&E, s, "bearerFormat", "JWT");
            em_set_str(&E, s, "description", a->description);
            em_set(&E, schemes, a->name, s);
        }
    }
    rc = E.rc;
    if (rc != BB_OK)
        goto out;
    indent = params->indent > 0 ? (size_t)params->indent : 0;
    if (indent > 31)
        indent = 31;
    text = json_dumps(root, indent ? JSON_INDENT(indent) : JSON_COMPACT);
    if (!text) {
        rc = BB_ERR_NOMEM;
        goto out;
    }
    rc = bb_buf_puts(out, text);
    if (rc == BB_OK)
        rc = bb_buf_putc(out, '\n');
out:
    bb_free(text);
    json_decref(root);
    bb_arena_free(E.arena);
    return rc;
}
