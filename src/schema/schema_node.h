/*
 * schema_node.h — the compiled form of a schema (private to src/schema/).
 *
 * schema_compile turns every subschema into one schema_node, allocated in the
 * schema's arena; `$ref`s are linked to the node of their target, so
 * recursive schemas are graphs. Nothing here changes after compilation, so a
 * compiled schema can be shared by threads. Keyword presence is a bit in
 * `has`; values borrowed from JSON (const, enum, property names) point into
 * the schema's private deep copy of the source document.
 */
#ifndef BB_SCHEMA_NODE_H
#define BB_SCHEMA_NODE_H

#include <jansson.h>
#include <pcre2.h>
#include <stddef.h>

#include "schema/schema.h"
#include "schema/schema_format.h"
#include "util/arena.h"

/* JSON types as bits of schema_node.types */
enum {
    SN_T_NULL = 1u << 0,
    SN_T_BOOLEAN = 1u << 1,
    SN_T_OBJECT = 1u << 2,
    SN_T_ARRAY = 1u << 3,
    SN_T_NUMBER = 1u << 4,
    SN_T_STRING = 1u << 5,
    SN_T_INTEGER = 1u << 6,
    SN_T_ALL = (1u << 7) - 1
};

/* keyword presence bits of schema_node.has */
enum {
    SN_H_TYPE = 1u << 0,
    SN_H_MINIMUM = 1u << 1,
    SN_H_MAXIMUM = 1u << 2,
    SN_H_EXMIN = 1u << 3,
    SN_H_EXMAX = 1u << 4,
    SN_H_MULTIPLE = 1u << 5,
    SN_H_MINLEN = 1u << 6,
    SN_H_MAXLEN = 1u << 7,
    SN_H_MINITEMS = 1u << 8,
    SN_H_MAXITEMS = 1u << 9,
    SN_H_UNIQUE = 1u << 10,
    SN_H_MINPROPS = 1u << 11,
    SN_H_MAXPROPS = 1u << 12,
    SN_H_CONST = 1u << 13,
    SN_H_ENUM = 1u << 14,
    SN_H_FORMAT = 1u << 15,
    SN_H_PATTERN = 1u << 16,
    SN_H_FALSE = 1u << 17, /* the boolean schema `false` */
    SN_H_OBJECT_KW = 1u << 18, /* any object keyword (properties, required, ...) */
    SN_H_ARRAY_KW = 1u << 19,  /* any array keyword */
    SN_H_NUMBER_KW = 1u << 20,
    SN_H_STRING_KW = 1u << 21,
    SN_H_APPLICATOR = 1u << 22 /* allOf/anyOf/oneOf/not/if/$ref with siblings */
};

typedef struct schema_node schema_node;

typedef struct schema_prop {
    const char *name;
    schema_node *node;
} schema_prop;

typedef struct schema_pattern_prop {
    pcre2_code *re;
    const char *src;
    schema_node *node;
} schema_pattern_prop;

typedef struct schema_dep {
    const char *name;
    const char **required; /* array form: these must be present too */
    size_t nrequired;
    schema_node *node;     /* schema form: the object must match it */
} schema_dep;

typedef struct schema_tag {
    const char *value;
    size_t member; /* index into the union's members */
} schema_tag;

typedef struct schema_union {
    schema_node **members;
    size_t n;
    int one;              /* 1: oneOf, 0: anyOf */
    const char *tag_prop; /* discriminating property, or NULL */
    schema_tag *tags;     /* sorted by value */
    size_t ntags;
    int tag_exact;        /* the table is equivalent to trying every member */
    const char *members_expr; /* "Literal | Binary | ..." (expected of a failed union) */
    const char *tag_expr; /* "\"literal\" | \"binary\" | ..." */
} schema_union;

struct schema_node {
    unsigned has;
    unsigned types;
    int pure_ref;          /* only a $ref: validation follows it in a loop */
    const char *name;      /* $defs/definitions key, or title */
    const char *expr;      /* the full type expression (expected of type errors) */
    const char *ref_str;
    schema_node *ref;
    /* numbers */
    double minimum, maximum, exmin, exmax, multiple_of;
    /* strings */
    size_t min_length, max_length;
    pcre2_code *pattern;
    const char *pattern_src;
    schema_format format;
    /* arrays */
    schema_node *items;            /* every item (or the items after prefix) */
    schema_node **prefix;
    size_t nprefix;
    schema_node *contains;
    size_t min_items, max_items;
    /* objects */
    schema_prop *props; /* sorted by name */
    size_t nprops;
    const char **required;
    size_t nrequired;
    schema_pattern_prop *pprops;
    size_t npprops;
    schema_node *additional;
    schema_node *property_names;
    schema_dep *deps;
    size_t ndeps;
    size_t min_props, max_props;
    /* any type */
    const json_t *const_val;
    const json_t **enum_vals;
    size_t nenum;
    schema_node **all_of;
    size_t n_all;
    schema_union *any_of;
    schema_union *one_of;
    schema_node *not_;
    schema_node *if_, *then_, *else_;
    const json_t *disc;    /* the OpenAPI discriminator object, if any */
    schema_node *next_all; /* list of all nodes, for post passes */
};

typedef struct schema_regex {
    pcre2_code *re;
    struct schema_regex *next;
} schema_regex;

struct schema {
    bb_arena *arena;
    json_t *doc; /* private deep copy: borrowed strings and values point into it */
    schema_node *root;
    schema_params params;
    pcre2_general_context *gctx;
    pcre2_match_context *mctx; /* match/heap limits against catastrophic backtracking */
    schema_regex *regexes;
    int has_patterns;
};

/* Follows chains of pure $ref nodes (cycles are rejected at compile time). */
static inline const schema_node *schema_node_deref(const schema_node *n)
{
    while (n->pure_ref && n->ref)
        n = n->ref;
    return n;
}

/* Index of the property called name in n->props, or -1. */
long schema_node_find_prop(const schema_node *n, const char *name);

/* The type bit of a JSON value (integers are SN_T_INTEGER; reals with an
 * integral value count as integers where the schema asks for integers). */
unsigned schema_json_type_bit(const json_t *v);

/* Validity of x under node n of s (a probe: no errors, no side effects):
 * 1 valid, 0 invalid, -1 out of memory. */
int schema_node_valid(const schema *s, const schema_node *n, const json_t *x);
/* 1: re matches str, 0: it does not, -1: out of memory. */
int schema_regex_test(const schema *s, const pcre2_code *re, const char *str, size_t len);

#endif
