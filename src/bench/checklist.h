/*
 * checklist.h — a project's checklist (projects/<name>/checklist.json) as
 * typed structs, with every alias already normalised (bench/names.h).
 *
 * The checklist says what any good design for the requirements must have:
 * entities with key attributes, relations between entities, actors, and
 * endpoints with key request/response fields (format in docs/projects.md and
 * docs/scoring.md). The scorer (bench/score.h) matches a design against it.
 * Loading checks everything a scorer relies on and reports each problem as a
 * located error ($input.entities[2].aliases[0], ...): wrong JSON types,
 * missing keys, unknown keys, duplicate ids, relations or endpoints naming an
 * entity or actor that does not exist, unknown methods, paths or aliases that
 * do not normalise, and counts or lengths over the named limits.
 *
 * Ownership: the checklist and everything in it live in its arena; free with
 * bench_checklist_free (NULL ok).
 */
#ifndef BB_BENCH_CHECKLIST_H
#define BB_BENCH_CHECKLIST_H

#include <stddef.h>

#include <jansson.h>

#include "bench/names.h"
#include "schema/schema_error.h"
#include "util/arena.h"
#include "util/result.h"

/* Named limits on checklist files. */
#define BENCH_CL_MAX_ITEMS   512   /* entities, relations, actors or endpoints */
#define BENCH_CL_MAX_ALIASES 256   /* aliases of one entity/attribute/actor */
#define BENCH_CL_MAX_PATHS   1024  /* paths of one endpoint */
#define BENCH_CL_MAX_FIELDS  32    /* request or response field groups of one endpoint */
#define BENCH_CL_MAX_ALTS    32    /* alternatives of one field group ("a|b|c") */
#define BENCH_CL_MAX_TEXT    4096  /* bytes of an id, alias, path or description */
#define BENCH_CL_MAX_FILE    ((size_t)8 * 1024 * 1024)

/* Methods as a bit set (1u << ast_api_method). */
#define BENCH_CL_GET    0x01u
#define BENCH_CL_POST   0x02u
#define BENCH_CL_PUT    0x04u
#define BENCH_CL_PATCH  0x08u
#define BENCH_CL_DELETE 0x10u

typedef struct bench_cl_aliases {
    const char **texts;  /* as written */
    bench_name *names;   /* normalised */
    size_t n;
} bench_cl_aliases;

typedef struct bench_cl_attribute {
    const char *id;
    bench_cl_aliases aliases;
} bench_cl_attribute;

typedef struct bench_cl_entity {
    const char *id;
    bench_cl_aliases aliases;
    bench_cl_attribute *attributes;
    size_t n_attributes;
} bench_cl_entity;

typedef struct bench_cl_relation {
    size_t from, to; /* entity positions */
    const char *description;
} bench_cl_relation;

typedef struct bench_cl_actor {
    const char *id;
    bench_cl_aliases aliases;
} bench_cl_actor;

/* One key DTO field with its alternatives ("title|name"). */
typedef struct bench_cl_field {
    const char *text;
    bench_cl_aliases alts;
} bench_cl_field;

typedef enum bench_cl_auth {
    BENCH_CL_AUTH_NONE = 0,
    BENCH_CL_AUTH_JOIN,    /* id ends in ".join" */
    BENCH_CL_AUTH_LOGIN,   /* ".login" */
    BENCH_CL_AUTH_REFRESH  /* ".refresh" */
} bench_cl_auth;

typedef struct bench_cl_endpoint {
    const char *id;
    unsigned methods;      /* BENCH_CL_* bits */
    const char *method_text;
    const char **path_texts;
    bench_path *paths;     /* normalised, leading actor segments dropped */
    size_t n_paths;
    long actor;            /* actor position, -1: public */
    bench_cl_auth auth;
    bench_cl_field *request;
    size_t n_request;
    bench_cl_field *response;
    size_t n_response;
} bench_cl_endpoint;

typedef struct bench_checklist {
    const char *project;   /* project name (for prefix dropping), may be "" */
    bench_cl_entity *entities;
    size_t n_entities;
    bench_cl_relation *relations;
    size_t n_relations;
    bench_cl_actor *actors;
    size_t n_actors;
    bench_cl_endpoint *endpoints;
    size_t n_endpoints;
    /* sizes of the gold designs (project.json "sizes"); 0 when unknown */
    size_t gold_tables, gold_operations, gold_schemas;
    bb_arena *arena;
} bench_checklist;

/*
 * Loads a checklist document. project names the project (may be NULL).
 * Returns BB_OK with *out set, BB_ERR_INVALID with located errors in errs
 * (*out NULL), BB_ERR_NOMEM.
 */
bb_result bench_checklist_load(const json_t *doc, const char *project, bench_checklist **out /* OUT */,
                               schema_errors *errs /* OUT */);

/*
 * Loads the embedded projects/<project>/checklist.json and the gold sizes of
 * projects/<project>/project.json. BB_ERR_NOT_FOUND when the project is not
 * embedded (or its name fails bench_project_name_valid), BB_ERR_PARSE when a
 * file is not JSON, otherwise as bench_checklist_load.
 */
bb_result bench_checklist_load_project(const char *project, bench_checklist **out /* OUT */,
                                       schema_errors *errs /* OUT */);

void bench_checklist_free(bench_checklist *cl);

/* 1 when name (normalised) equals one of the aliases from word `from` on. */
int bench_cl_aliases_match(const bench_cl_aliases *a, const bench_name *name, size_t from);

/* 1 when the actor name (as a design writes it) is an alias of actor i. */
int bench_cl_actor_match(const bench_checklist *cl, size_t i, const char *name);

/* 1 when s (normalised) is an alias of any actor of cl. */
int bench_cl_is_actor_word(const bench_checklist *cl, const char *normalised_segment);

/* Position of the entity / actor with this id, or -1. */
long bench_cl_entity_find(const bench_checklist *cl, const char *id);
long bench_cl_actor_find(const bench_checklist *cl, const char *id);

#endif
