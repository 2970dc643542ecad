/*
 * schema.h — compiled JSON Schema validation and schema-guided coercion.
 *
 * A schema document (jansson) is compiled once into an immutable `schema`
 * that can validate any number of documents, from several threads. The
 * supported subset (docs/schema.md lists it): type (string or array),
 * properties, required, additionalProperties (boolean or schema), items,
 * prefixItems (and draft-7 array-form items/additionalItems), enum, const,
 * oneOf, anyOf, allOf, not, local $ref into $defs/definitions (recursive),
 * minimum/maximum/exclusive*, multipleOf, minLength/maxLength (code points),
 * pattern (PCRE2), minItems/maxItems, uniqueItems, minProperties/
 * maxProperties, format (date-time, date, time, email, uri, uuid, ipv4,
 * ipv6, hostname, password, int32, uint32, int64, uint64, float, double),
 * contains, propertyNames, patternProperties, dependencies,
 * dependentRequired/Schemas, if/then/else, OpenAPI discriminator and
 * nullable, plus annotations (title, description, default, examples, x-*,
 * ...). Any other keyword is reported by schema_compile as an issue located
 * by its JSON pointer (never silently ignored). Draft-7 semantics ($ref
 * siblings ignored) unless the root's $schema names 2019-09 or 2020-12.
 *
 * Tagged unions: when every member of a oneOf/anyOf fixes one property with a
 * `const` (or one-value enum), the validator picks the member by that
 * property and reports the errors inside it; a missing or unknown tag is one
 * SCHEMA_ERR_DISCRIMINATOR error listing the allowed values.
 */
#ifndef BB_SCHEMA_H
#define BB_SCHEMA_H

#include <jansson.h>
#include <stddef.h>

#include "json/json_repair.h"
#include "schema/schema_error.h"
#include "util/result.h"

typedef struct schema schema;

typedef struct schema_params {
    int max_depth;        /* nested subschema applications during validation and
                             coercion (default 512, at most 2048); past it: one
                             SCHEMA_ERR_LIMIT error */
    size_t max_errors;    /* errors stored per validation (default 200) */
    int strict_keywords;  /* 1: unknown keywords make compile fail (default 1) */
} schema_params;

schema_params schema_default_params(void);

/*
 * Compiles doc (not retained: the schema copies what it needs). Problems
 * (unsupported keyword, bad $ref, bad regex) go to `issues` as errors located
 * by their path in the schema; with strict_keywords any issue makes the
 * result BB_ERR_SCHEMA and *out NULL. params may be NULL. Free with
 * schema_free.
 */
bb_result schema_compile(const json_t *doc, const schema_params *params, schema **out /* OUT */,
                         schema_errors *issues /* OUT, may be NULL */);
void schema_free(schema *s);

/* Validates doc. BB_OK: valid. BB_ERR_INVALID: errors were appended to errs
 * (initialised by the caller; all errors up to its cap, in document order).
 * Other codes: the validation itself failed (nomem). Thread-safe on a shared
 * schema. */
bb_result schema_validate(const schema *s, const json_t *doc, schema_errors *errs /* OUT */);

/* Fast yes/no validation without error collection. */
int schema_is_valid(const schema *s, const json_t *doc);

/*
 * Schema-guided coercion, before validation: where the schema wants a number
 * and the document holds a numeric string, where it wants a boolean/null and
 * the document holds "true"/"false"/"null", and where it wants an object or
 * array and the document holds a string that parses as one (double-encoded),
 * the value is replaced; recursively. Each replacement is appended to
 * repairs with its path. *doc may be replaced (the root itself coerced; the
 * old value is released). Untagged unions: coerced only when exactly one
 * member accepts the coerced value. docs/schema.md has the rules.
 */
bb_result schema_coerce(const schema *s, json_t **doc /* IN/OUT */, json_repair_list *repairs /* OUT */);

#endif
