/*
 * json_repair.h — lenient extraction and repair of JSON written by a model.
 *
 * Input: the raw text a model produced for a tool call's arguments, or a
 * whole assistant message. Output: one jansson value, the list of repairs
 * applied (each a stable code with a byte position in the input), and a
 * `truncated` flag set when the input ended inside a string, array or object
 * that had to be closed. Strict RFC 8259 JSON passes through with zero
 * repairs and its meaning unchanged. With params.strict set, nothing is
 * repaired: any deviation is a parse error (the "raw" harness mode and the
 * y_/n_ corpus use this).
 *
 * Every input is untrusted: the named limits in json_parse_params bound the
 * input size, nesting depth, string length and number of values, and an
 * excess is an error (BB_ERR_LIMIT) with a position, never a crash or hang.
 *
 * The repair list type is shared with schema-guided coercion (src/schema/),
 * which appends JSON_REPAIR_COERCE_* entries located by path, not position.
 */
#ifndef BB_JSON_REPAIR_H
#define BB_JSON_REPAIR_H

#include <jansson.h>
#include <stddef.h>

#include "util/result.h"

/* Stable codes: their names (json_repair_code_name) are stored in results
 * and must never change meaning. Append only. docs/repair.md lists what
 * triggers each one. */
typedef enum json_repair_code {
    JSON_REPAIR_BOM = 0,          /* "bom": a UTF-8 byte order mark was dropped */
    JSON_REPAIR_THINK,            /* "think_block": a <think>...</think> block was dropped */
    JSON_REPAIR_FENCE,            /* "markdown_fence": ```json fences were dropped */
    JSON_REPAIR_PROSE,            /* "surrounding_text": text before or after the JSON was dropped */
    JSON_REPAIR_COMMENT,          /* "comment": a // or block comment was dropped */
    JSON_REPAIR_TRAILING_COMMA,   /* "trailing_comma" */
    JSON_REPAIR_SINGLE_QUOTE,     /* "single_quote": a 'string' was re-quoted */
    JSON_REPAIR_UNQUOTED_KEY,     /* "unquoted_key" */
    JSON_REPAIR_PYTHON_CONST,     /* "python_constant": True/False/None */
    JSON_REPAIR_CONTROL_CHAR,     /* "control_char": raw newline/tab/control byte in a string was escaped */
    JSON_REPAIR_MULTIPLE_VALUES,  /* "multiple_values": more values followed the first; kept the first */
    JSON_REPAIR_UNCLOSED_STRING,  /* "unclosed_string": input ended inside a string (truncated) */
    JSON_REPAIR_UNCLOSED_ARRAY,   /* "unclosed_array" (truncated; or closed by its parent's closer) */
    JSON_REPAIR_UNCLOSED_OBJECT,  /* "unclosed_object" (truncated; or closed by its parent's closer) */
    JSON_REPAIR_INVALID_UTF8,     /* "invalid_utf8": a bad byte sequence became U+FFFD */
    JSON_REPAIR_MISSING_COMMA,    /* "missing_comma" */
    JSON_REPAIR_MISSING_VALUE,    /* "missing_value": a key with no value (truncated) got null */
    JSON_REPAIR_INVALID_ESCAPE,   /* "invalid_escape": an unknown \x escape kept as the character */
    JSON_REPAIR_NUMBER_FORMAT,    /* "number_format": +1, .5, 1., 0x1F, leading zeros */
    JSON_REPAIR_NONFINITE,        /* "nonfinite_number": NaN/Infinity became null */
    JSON_REPAIR_DUPLICATE_KEY,    /* "duplicate_key": a later value replaced an earlier one */
    JSON_REPAIR_SMART_QUOTE,      /* "smart_quote": typographic quotes used as JSON quotes */
    /* schema-guided coercion (appended by schema_coerce, located by path) */
    JSON_REPAIR_COERCE_NUMBER,    /* "coerce_number": "42" -> 42 */
    JSON_REPAIR_COERCE_BOOLEAN,   /* "coerce_boolean": "true" -> true */
    JSON_REPAIR_COERCE_NULL,      /* "coerce_null": "null" -> null */
    JSON_REPAIR_COERCE_PARSED,    /* "double_encoded": a string holding JSON was parsed */
    JSON_REPAIR_COERCE_WRAP_ARRAY,/* "wrap_array": a lone value where an array is wanted */
    /* appended after the first release (text repairs, located by position) */
    JSON_REPAIR_UNESCAPED_QUOTE,  /* "unescaped_quote": a quote inside a string value that the model
                                     forgot to escape ("said "hi" to") was kept as text */
    JSON_REPAIR_MISSING_COLON,    /* "missing_colon": a key followed directly by its value, or by '=' */
    JSON_REPAIR_CODE_COUNT_       /* keep last */
} json_repair_code;

typedef struct json_repair {
    json_repair_code code;
    size_t pos;   /* byte offset in the input; (size_t)-1 when located by path */
    char *path;   /* "$input.a[0]" for coercions; NULL for text repairs */
} json_repair;

/* A growable list of repairs; owns the items and their paths. */
typedef struct json_repair_list {
    json_repair *items;
    size_t n;
    size_t cap;
    size_t max;      /* further repairs are counted in `dropped`, not stored */
    size_t dropped;
} json_repair_list;

void json_repair_list_init(json_repair_list *l, size_t max);
void json_repair_list_free(json_repair_list *l);
/* Appends a repair (path may be NULL; it is copied). */
bb_result json_repair_list_add(json_repair_list *l, json_repair_code code, size_t pos, const char *path);
/* Number of repairs with this code. */
size_t json_repair_list_count(const json_repair_list *l, json_repair_code code);

/* "bom", "trailing_comma", ...; "unknown" for an out-of-range value. */
const char *json_repair_code_name(json_repair_code code);
/* The code with this name, or -1. */
int json_repair_code_from_name(const char *name);

typedef struct json_parse_params {
    size_t max_input;   /* bytes of input (default 16 MiB) */
    int max_depth;      /* nesting of arrays/objects (default 256) */
    size_t max_string;  /* bytes in one string after unescaping (default 4 MiB) */
    size_t max_values;  /* values in the whole document (default 2,000,000) */
    size_t max_repairs; /* repairs stored (default 1000; more are counted) */
    int strict;         /* 1: RFC 8259 only, no repair at all */
} json_parse_params;

json_parse_params json_parse_default_params(void);

typedef struct json_parse_result {
    json_t *value;            /* the parsed value (owned), NULL on error */
    json_repair_list repairs; /* what was repaired, in input order */
    int truncated;            /* input ended inside an open string/array/object */
    /* on error: where and why */
    size_t err_pos;           /* byte offset */
    unsigned err_line;        /* 1-based */
    unsigned err_col;         /* 1-based, in bytes */
    char err_msg[160];
} json_parse_result;

/*
 * Parses text[0..len) leniently (or strictly, see params). On BB_OK,
 * out->value holds the value. On error (BB_ERR_PARSE, BB_ERR_LIMIT,
 * BB_ERR_NOMEM) out->value is NULL and err_* say where and why. In every case
 * call json_parse_result_free(out) afterwards. params may be NULL (defaults).
 */
bb_result json_parse(const char *text, size_t len, const json_parse_params *params,
                     json_parse_result *out /* OUT */);
void json_parse_result_free(json_parse_result *r);

#endif
