/*
 * ast_api.h — the typed API AST (operations + DTO schemas) and its loader.
 *
 * The API AST is what a model fills in the `api` phase (schemas/api.schema.json)
 * and what AutoBe writes as document.json. ast_api_load turns the JSON DOM into
 * the arena-owned structs below; nothing after the loader walks JSON. The DTO
 * schema is a typed recursive union (ast_api_dto) of ten members: constant,
 * boolean, integer, number, string, array, object, reference, oneOf, null.
 *
 * The loader is lenient about AutoBe's older spellings and strict about shape:
 *   - `authorizationRole` is read as `authorizationActor`, `components.authorization`
 *     as `components.authorizations`, `x-autobe-prisma-schema` as
 *     `x-autobe-database-schema`; `authorizationRoles` (a list of actors) and
 *     `accessor` are accepted; the key actually used is remembered so checks can
 *     point at it.
 *   - an unknown key is a warning (located, kind SCHEMA_ERR_ADDITIONAL);
 *   - a wrong JSON type, a missing required key, an unknown enum value, a limit
 *     passed, a NUL byte inside a name are errors (located, in `errors`).
 * Semantic rules (unique endpoints, resolvable types, ...) are not the loader's
 * business: see ast_api_check.h. The loader never crashes on any JSON value.
 *
 * Ownership: ast_api_load allocates the document and everything in it from an
 * arena owned by the document; ast_api_free(doc) releases all of it (NULL ok).
 */
#ifndef BB_AST_API_H
#define BB_AST_API_H

#include <stddef.h>

#include <jansson.h>

#include "schema/schema_error.h"
#include "util/arena.h"
#include "util/result.h"

/* Named limits on untrusted input. */
#define AST_API_MAX_OPERATIONS     1000   /* operations in one document */
#define AST_API_MAX_SCHEMAS        2000   /* named component schemas */
#define AST_API_MAX_AUTHORIZATIONS 64     /* actors */
#define AST_API_MAX_PARAMETERS     32     /* parameters of one operation */
#define AST_API_MAX_PREREQUISITES  64     /* prerequisites of one operation */
#define AST_API_MAX_PROPERTIES     512    /* properties of one object schema */
#define AST_API_MAX_UNION          64     /* members of one oneOf */
#define AST_API_MAX_DTO_DEPTH      32     /* nesting of DTO schemas */
#define AST_API_MAX_DTO_NODES      200000 /* DTO schema nodes in one document */
#define AST_API_MAX_NAME_LEN       128    /* type, property, parameter, actor, operation names */
#define AST_API_MAX_PATH_LEN       512    /* an operation path */
#define AST_API_MAX_TEXT_LEN       65536  /* a description or specification */
#define AST_API_ARENA_MAX          ((size_t)256 * 1024 * 1024)

typedef enum ast_api_method {
    AST_API_METHOD_GET = 0,
    AST_API_METHOD_POST,
    AST_API_METHOD_PUT,
    AST_API_METHOD_PATCH,
    AST_API_METHOD_DELETE,
    AST_API_METHOD_COUNT_
} ast_api_method;

typedef enum ast_api_auth_type {
    AST_API_AUTH_NONE = 0, /* null */
    AST_API_AUTH_JOIN,
    AST_API_AUTH_LOGIN,
    AST_API_AUTH_REFRESH
} ast_api_auth_type;

/* ---- DTO schemas ----------------------------------------------------------- */

typedef enum ast_api_dto_kind {
    AST_API_DTO_CONSTANT = 0,
    AST_API_DTO_BOOLEAN,
    AST_API_DTO_INTEGER,
    AST_API_DTO_NUMBER,
    AST_API_DTO_STRING,
    AST_API_DTO_ARRAY,
    AST_API_DTO_OBJECT,
    AST_API_DTO_REFERENCE,
    AST_API_DTO_ONEOF,
    AST_API_DTO_NULL,
    AST_API_DTO_KIND_COUNT_
} ast_api_dto_kind;

/* A scalar JSON value (constants, defaults). */
typedef enum ast_api_literal_kind {
    AST_API_LIT_NONE = 0, /* absent */
    AST_API_LIT_NULL,
    AST_API_LIT_BOOL,
    AST_API_LIT_INT,
    AST_API_LIT_REAL,
    AST_API_LIT_STRING
} ast_api_literal_kind;

typedef struct ast_api_literal {
    ast_api_literal_kind kind;
    int b;
    long long i;
    double r;
    const char *s; /* NUL-terminated; s_len bytes (may hold NUL bytes) */
    size_t s_len;
} ast_api_literal;

/* An optional number bound: present or not. */
typedef struct ast_api_bound {
    int present;
    ast_api_literal value; /* AST_API_LIT_INT or AST_API_LIT_REAL */
} ast_api_bound;

typedef struct ast_api_dto ast_api_dto;

typedef struct ast_api_property {
    const char *name;
    ast_api_dto *schema;
} ast_api_property;

typedef enum ast_api_additional {
    AST_API_ADDITIONAL_ABSENT = 0,
    AST_API_ADDITIONAL_FALSE,
    AST_API_ADDITIONAL_TRUE,
    AST_API_ADDITIONAL_SCHEMA
} ast_api_additional;

typedef struct ast_api_mapping {
    const char *key;
    const char *value;
} ast_api_mapping;

struct ast_api_dto {
    ast_api_dto_kind kind;
    const char *description; /* may be NULL */
    const char *title;       /* may be NULL */
    /* example/examples, kept as compact JSON text for documentation output
     * only (the one piece of opaque JSON the AST carries); may be NULL */
    const char *example_json;
    const char *examples_json;
    ast_api_literal default_value; /* boolean/integer/number/string */
    union {
        ast_api_literal constant; /* AST_API_DTO_CONSTANT */
        struct {                  /* AST_API_DTO_INTEGER, AST_API_DTO_NUMBER */
            ast_api_bound minimum, maximum, exclusive_minimum, exclusive_maximum, multiple_of;
        } number;
        struct { /* AST_API_DTO_STRING */
            const char *format, *pattern, *content_media_type; /* may be NULL */
            ast_api_bound min_length, max_length;
        } string;
        struct { /* AST_API_DTO_ARRAY */
            ast_api_dto *items;
            ast_api_bound min_items, max_items;
            int unique_items; /* -1 absent, 0, 1 */
        } array;
        struct { /* AST_API_DTO_OBJECT */
            ast_api_property *properties;
            size_t n_properties;
            const char **required;
            size_t n_required;
            int has_required; /* 0 when the key `required` was missing */
            ast_api_additional additional;
            ast_api_dto *additional_schema; /* AST_API_ADDITIONAL_SCHEMA */
            const char *database_schema;    /* table name, may be NULL */
            const char *database_key;       /* the key it was read from */
        } object;
        struct {              /* AST_API_DTO_REFERENCE */
            const char *ref;  /* as written, e.g. "#/components/schemas/ITodo" */
            const char *name; /* the part after "#/components/schemas/", or NULL */
        } reference;
        struct { /* AST_API_DTO_ONEOF */
            ast_api_dto **members;
            size_t n_members;
            const char *discriminator; /* propertyName, may be NULL */
            ast_api_mapping *mapping;
            size_t n_mapping;
        } one_of;
    } u;
};

typedef struct ast_api_schema_entry {
    const char *name;
    size_t name_len; /* bytes; differs from strlen(name) if the key held NUL */
    ast_api_dto *schema;
} ast_api_schema_entry;

/* ---- operations ------------------------------------------------------------ */

typedef struct ast_api_parameter {
    const char *name;
    const char *description;
    ast_api_dto *schema;
} ast_api_parameter;

typedef struct ast_api_body {
    const char *description;
    const char *type_name;
} ast_api_body;

typedef struct ast_api_prerequisite {
    const char *path;
    ast_api_method method;
    const char *description;
} ast_api_prerequisite;

typedef struct ast_api_operation {
    const char *specification;
    const char *description;
    const char *summary; /* may be NULL */
    const char *path;
    ast_api_method method;
    const char *name;
    ast_api_parameter *parameters;
    size_t n_parameters;
    ast_api_body *request_body;  /* NULL: no body */
    ast_api_body *response_body; /* NULL: no body */
    ast_api_auth_type authorization_type;
    const char *authorization_actor; /* NULL: public */
    const char *actor_key;           /* "authorizationActor" or "authorizationRole" */
    const char **actors;             /* older `authorizationRoles`, may be empty */
    size_t n_actors;
    ast_api_prerequisite *prerequisites;
    size_t n_prerequisites;
} ast_api_operation;

typedef struct ast_api_authorization {
    const char *name;
    const char *description;
    const char *kind; /* may be NULL */
} ast_api_authorization;

typedef struct ast_api_doc {
    ast_api_operation *operations;
    size_t n_operations;
    ast_api_schema_entry *schemas; /* in document order */
    size_t n_schemas;
    ast_api_authorization *authorizations;
    size_t n_authorizations;
    const char *authorizations_key; /* "authorizations" or "authorization" */
    bb_arena *arena;                /* owns everything above */
} ast_api_doc;

/*
 * Loads root into a new document. errors and warnings receive located
 * problems (warnings may be NULL to drop them). Returns BB_OK with *out set
 * when there were no errors; BB_ERR_INVALID with *out NULL when errors were
 * added; BB_ERR_NOMEM on allocation failure. Free *out with ast_api_free.
 */
bb_result ast_api_load(const json_t *root, ast_api_doc **out /* OUT */, schema_errors *errors,
                       schema_errors *warnings);
void ast_api_free(ast_api_doc *doc);

/* Lookup helpers (linear; documents are small). NULL when absent. */
const ast_api_dto *ast_api_find_schema(const ast_api_doc *doc, const char *name);
const ast_api_authorization *ast_api_find_authorization(const ast_api_doc *doc, const char *name);

const char *ast_api_method_name(ast_api_method m);       /* "get", ... */
const char *ast_api_auth_type_name(ast_api_auth_type t); /* NULL for NONE */
const char *ast_api_dto_kind_name(ast_api_dto_kind k);   /* "constant", ... */

/* The prefix of a component reference: "#/components/schemas/". */
#define AST_API_REF_PREFIX "#/components/schemas/"

#endif
