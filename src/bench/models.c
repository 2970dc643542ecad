/*
 * models.c — loads and validates the model registry and the server presets
 * (see models.h), and answers price, cost and eligibility questions.
 *
 * Reading is done by a small reader context (bench_rd) that carries the
 * current JSON path, so every problem becomes one located error and reading
 * goes on: a bad registry reports all its faults at once. A document with any
 * error is rejected as a whole (BB_ERR_INVALID); nothing half-read escapes.
 */
#include "models.h"

#include <ctype.h>
#include <jansson.h>
#include <math.h>
#include <string.h>

#include "json/json_util.h"
#include "util/alloc.h"
#include "util/buf.h"
#include "util/file.h"

#define BENCH_RD_PATH_MAX 1024
#define BENCH_RD_VALUE_MAX 200
#define BENCH_RD_ARENA_MAX ((size_t)8 * 1024 * 1024)

enum { RD_REQ = 0, RD_NULLABLE = 1 };

/* ==== the reader context ================================================= */

typedef struct bench_rd {
    bb_arena *arena;
    schema_errors *errs;
    bb_buf path;
    bb_result hard; /* first failure that is not the document's fault (NOMEM) */
    size_t n_err;
} bench_rd;

static void rd_hard(bench_rd *rd, bb_result rc)
{
    if (rc != BB_OK && rd->hard == BB_OK)
        rd->hard = rc;
}

static size_t rd_push_key(bench_rd *rd, const char *key)
{
    size_t len = rd->path.len;

    rd_hard(rd, schema_path_key(&rd->path, key));
    return len;
}

static size_t rd_push_index(bench_rd *rd, size_t i)
{
    size_t len = rd->path.len;

    rd_hard(rd, schema_path_index(&rd->path, i));
    return len;
}

static void rd_pop(bench_rd *rd, size_t len)
{
    bb_buf_truncate(&rd->path, len);
}

/* Records an error at the current path (plus key when not NULL). */
static void rd_err(bench_rd *rd, schema_error_kind kind, const char *key, const char *expected,
                   const json_t *value, const char *message)
{
    bb_buf v;
    size_t mark = rd->path.len;

    rd->n_err++;
    bb_buf_init(&v, BENCH_RD_VALUE_MAX + 16);
    if (value)
        rd_hard(rd, bb_json_append_compact(&v, value, BENCH_RD_VALUE_MAX));
    if (key)
        rd_push_key(rd, key);
    rd_hard(rd, schema_errors_add(rd->errs, kind, bb_buf_str(&rd->path), expected,
                                  value ? bb_buf_str(&v) : "undefined", message));
    rd_pop(rd, mark);
    bb_buf_free(&v);
}

static const char *rd_strdup(bench_rd *rd, const char *s)
{
    char *d = bb_arena_strdup(rd->arena, s);

    if (!d)
        rd_hard(rd, bb_arena_failed(rd->arena) == BB_OK ? BB_ERR_NOMEM : bb_arena_failed(rd->arena));
    return d;
}

/* Reports keys of obj that are not in allowed (NULL-terminated). */
static void rd_check_keys(bench_rd *rd, const json_t *obj, const char *const *allowed)
{
    const char *key;
    json_t *v;

    json_object_foreach((json_t *)obj, key, v) {
        size_t i;
        int known = 0;

        for (i = 0; allowed[i]; i++) {
            if (strcmp(allowed[i], key) == 0) {
                known = 1;
                break;
            }
        }
        if (!known)
            rd_err(rd, SCHEMA_ERR_ADDITIONAL, key, "never", v, "unknown field");
    }
}

/* The member, or NULL after reporting it missing (or when null is allowed). */
static json_t *rd_member(bench_rd *rd, const json_t *obj, const char *key, int flags, int *is_null)
{
    json_t *v = json_object_get(obj, key);

    *is_null = 0;
    if (!v) {
        rd_err(rd, SCHEMA_ERR_REQUIRED, key, "present", NULL, "missing field");
        return NULL;
    }
    if (json_is_null(v)) {
        if (flags & RD_NULLABLE) {
            *is_null = 1;
            return NULL;
        }
        rd_err(rd, SCHEMA_ERR_TYPE, key, "not null", v, NULL);
        return NULL;
    }
    return v;
}

/* A string of 1..maxlen bytes without control characters; NULL when null. */
static const char *rd_str(bench_rd *rd, const json_t *obj, const char *key, int flags, size_t maxlen)
{
    int is_null;
    json_t *v = rd_member(rd, obj, key, flags, &is_null);
    const char *s;
    size_t n, i;

    if (!v)
        return NULL;
    if (!json_is_string(v)) {
        rd_err(rd, SCHEMA_ERR_TYPE, key, "string", v, NULL);
        return NULL;
    }
    s = json_string_value(v);
    n = json_string_length(v);
    if (n == 0 || n > maxlen) {
        rd_err(rd, SCHEMA_ERR_LENGTH, key, "string of 1 to max bytes", v, NULL);
        return NULL;
    }
    for (i = 0; i < n; i++) {
        if ((unsigned char)s[i] < 0x20 && s[i] != '\n') {
            rd_err(rd, SCHEMA_ERR_PATTERN, key, "string without control characters", v, NULL);
            return NULL;
        }
    }
    return rd_strdup(rd, s);
}

/* A number in [lo, hi]; -1 when null (flags allow it) or bad. */
static double rd_num(bench_rd *rd, const json_t *obj, const char *key, int flags, double lo, double hi)
{
    int is_null;
    json_t *v = rd_member(rd, obj, key, flags, &is_null);
    double d;

    if (!v)
        return -1;
    if (!json_is_number(v)) {
        rd_err(rd, SCHEMA_ERR_TYPE, key, "number", v, NULL);
        return -1;
    }
    d = json_number_value(v);
    if (!(d >= lo && d <= hi)) {
        rd_err(rd, SCHEMA_ERR_RANGE, key, "number in range", v, NULL);
        return -1;
    }
    return d;
}

static long rd_long(bench_rd *rd, const json_t *obj, const char *key, long lo, long hi)
{
    int is_null;
    json_t *v = rd_member(rd, obj, key, RD_REQ, &is_null);
    json_int_t i;

    if (!v)
        return -1;
    if (!json_is_integer(v)) {
        rd_err(rd, SCHEMA_ERR_TYPE, key, "integer", v, NULL);
        return -1;
    }
    i = json_integer_value(v);
    if (i < lo || i > hi) {
        rd_err(rd, SCHEMA_ERR_RANGE, key, "integer in range", v, NULL);
        return -1;
    }
    return (long)i;
}

static int rd_bool(bench_rd *rd, const json_t *obj, const char *key)
{
    int is_null;
    json_t *v = rd_member(rd, obj, key, RD_REQ, &is_null);

    if (!v)
        return 0;
    if (!json_is_boolean(v)) {
        rd_err(rd, SCHEMA_ERR_TYPE, key, "boolean", v, NULL);
        return 0;
    }
    return json_is_true(v);
}

/* An array of at most maxn non-empty strings. */
static const char **rd_strlist(bench_rd *rd, const json_t *obj, const char *key, size_t maxn,
                               size_t maxlen, size_t *n_out)
{
    int is_null;
    json_t *v = rd_member(rd, obj, key, RD_REQ, &is_null);
    const char **list;
    size_t i, mark;

    *n_out = 0;
    if (!v)
        return NULL;
    if (!json_is_array(v)) {
        rd_err(rd, SCHEMA_ERR_TYPE, key, "array of strings", v, NULL);
        return NULL;
    }
    if (json_array_size(v) > maxn) {
        rd_err(rd, SCHEMA_ERR_LENGTH, key, "at most the item limit", v, NULL);
        return NULL;
    }
    list = bb_arena_calloc(rd->arena, json_array_size(v) + 1, sizeof *list);
    if (!list) {
        rd_hard(rd, BB_ERR_NOMEM);
        return NULL;
    }
    mark = rd_push_key(rd, key);
    for (i = 0; i < json_array_size(v); i++) {
        json_t *it = json_array_get(v, i);
        size_t m = rd_push_index(rd, i);

        if (!json_is_string(it) || json_string_length(it) == 0 || json_string_length(it) > maxlen)
            rd_err(rd, SCHEMA_ERR_TYPE, NULL, "non-empty string", it, NULL);
        else
            list[i] = rd_strdup(rd, json_string_value(it));
        rd_pop(rd, m);
    }
    rd_pop(rd, mark);
    *n_out = json_array_size(v);
    return list;
}

/* ^[a-z0-9][a-z0-9._-]{0,maxlen-1}$ */
static int bench_id_valid(const char *s, size_t maxlen)
{
    size_t i, n = strlen(s);

    if (n == 0 || n > maxlen || !(islower((unsigned char)s[0]) || isdigit((unsigned char)s[0])))
        return 0;
    for (i = 1; i < n; i++) {
        unsigned char c = (unsigned char)s[i];

        if (!(islower(c) || isdigit(c) || c == '.' || c == '_' || c == '-'))
            return 0;
    }
    return 1;
}

/* YYYY-MM-DD with plausible ranges. */
static int bench_date_valid(const char *s)
{
    int i;

    if (strlen(s) != 10 || s[4] != '-' || s[7] != '-')
        return 0;
    for (i = 0; i < 10; i++) {
        if (i != 4 && i != 7 && !isdigit((unsigned char)s[i]))
            return 0;
    }
    return !(s[5] > '1' || (s[5] == '1' && s[6] > '2') || (s[5] == '0' && s[6] == '0') ||
             s[8] > '3' || (s[8] == '0' && s[9] == '0'));
}

/* Parses text into a JSON object, reporting a parse error located by line. */
static json_t *rd_parse_root(bench_rd *rd, const char *text, size_t len)
{
    json_error_t jerr;
    json_t *root;

    if (len > BENCH_MODELS_MAX_BYTES) {
        rd->n_err++;
        rd_hard(rd, schema_errors_add(rd->errs, SCHEMA_ERR_LIMIT, "$input", "at most 1 MiB",
                                      "undefined", "file too large"));
        return NULL;
    }
    root = json_loadb(text, len, JSON_REJECT_DUPLICATES, &jerr);
    if (!root) {
        char msg[240];

        snprintf(msg, sizeof msg, "line %d column %d: %s", jerr.line, jerr.column, jerr.text);
        rd->n_err++;
        rd_hard(rd, schema_errors_add(rd->errs, SCHEMA_ERR_PARSE, "$input", "JSON", "undefined", msg));
        return NULL;
    }
    if (!json_is_object(root)) {
        rd_err(rd, SCHEMA_ERR_TYPE, NULL, "object", root, NULL);
        json_decref(root);
        return NULL;
    }
    return root;
}

static bb_result rd_init(bench_rd *rd, schema_errors *errs, schema_errors *local)
{
    memset(rd, 0, sizeof *rd);
    if (!errs) {
        schema_errors_init(local, 0);
        errs = local;
    }
    rd->errs = errs;
    bb_buf_init(&rd->path, BENCH_RD_PATH_MAX);
    rd->arena = bb_arena_new(BENCH_RD_ARENA_MAX);
    if (!rd->arena)
        return BB_ERR_NOMEM;
    return schema_path_root(&rd->path);
}

/* ==== the registry ======================================================== */

static const char *const bench_model_keys[] = {
    "id", "name", "vendor", "openrouter_id", "price_in_per_m", "price_out_per_m", "price_date",
    "price_source", "params_total_b", "params_active_b", "context", "kv_gb_32k", "mem_4bit_gb",
    "fits_64gb", "open_weights", "frontier", "notes", "estimated", NULL,
};

static void bench_read_rule(bench_rd *rd, const json_t *root, bench_eligibility *r)
{
    static const char *const keys[] = {
        "price_max_usd_per_m", "price_basis", "blend_input_weight", "blend_output_weight",
        "laptop_gb", "mem_max_gb", "gb_per_billion_params_4bit", "kv_context_tokens",
        "kv_rule_of_thumb_gb_per_billion", "kv_rule_of_thumb_max_gb", "rule", NULL,
    };
    int is_null;
    json_t *e = rd_member(rd, root, "eligibility", RD_REQ, &is_null);
    const char *basis;
    size_t mark;

    if (!e)
        return;
    if (!json_is_object(e)) {
        rd_err(rd, SCHEMA_ERR_TYPE, "eligibility", "object", e, NULL);
        return;
    }
    mark = rd_push_key(rd, "eligibility");
    rd_check_keys(rd, e, keys);
    r->price_max_usd_per_m = rd_num(rd, e, "price_max_usd_per_m", RD_REQ, 0, 1000);
    basis = rd_str(rd, e, "price_basis", RD_REQ, 32);
    if (basis && strcmp(basis, "blended") != 0)
        rd_err(rd, SCHEMA_ERR_ENUM, "price_basis", "\"blended\"", json_object_get(e, "price_basis"), NULL);
    r->blend_input_weight = rd_num(rd, e, "blend_input_weight", RD_REQ, 0, 100);
    r->blend_output_weight = rd_num(rd, e, "blend_output_weight", RD_REQ, 0, 100);
    if (r->blend_input_weight + r->blend_output_weight <= 0)
        rd_err(rd, SCHEMA_ERR_SEMANTIC, "blend_output_weight", "weights with a positive sum",
               json_object_get(e, "blend_output_weight"), NULL);
    r->laptop_gb = rd_num(rd, e, "laptop_gb", RD_REQ, 1, 100000);
    r->mem_max_gb = rd_num(rd, e, "mem_max_gb", RD_REQ, 1, 100000);
    if (r->mem_max_gb > r->laptop_gb)
        rd_err(rd, SCHEMA_ERR_SEMANTIC, "mem_max_gb", "at most laptop_gb", json_object_get(e, "mem_max_gb"),
               NULL);
    r->gb_per_billion_params = rd_num(rd, e, "gb_per_billion_params_4bit", RD_REQ, 0.01, 10);
    r->kv_context_tokens = rd_long(rd, e, "kv_context_tokens", 1, 100000000L);
    r->kv_rule_gb_per_billion = rd_num(rd, e, "kv_rule_of_thumb_gb_per_billion", RD_REQ, 0, 100);
    r->kv_rule_max_gb = rd_num(rd, e, "kv_rule_of_thumb_max_gb", RD_REQ, 0, 100000);
    r->rule = rd_str(rd, e, "rule", RD_REQ, BENCH_MODELS_MAX_TEXT);
    rd_pop(rd, mark);
}

static int bench_is_model_key(const char *s)
{
    size_t i;

    for (i = 0; bench_model_keys[i]; i++) {
        if (strcmp(bench_model_keys[i], s) == 0)
            return 1;
    }
    return 0;
}

/* The cross-field checks of one entry; m is fully read. */
static void bench_check_model(bench_rd *rd, const json_t *o, const bench_eligibility *r, bench_model *m)
{
    size_t i;

    if (m->id && !bench_id_valid(m->id, BENCH_MODELS_MAX_ID))
        rd_err(rd, SCHEMA_ERR_PATTERN, "id", "^[a-z0-9][a-z0-9._-]{0,63}$", json_object_get(o, "id"), NULL);
    if ((m->price_in_per_m < 0) != (m->price_out_per_m < 0))
        rd_err(rd, SCHEMA_ERR_SEMANTIC, "price_out_per_m", "both prices or neither",
               json_object_get(o, "price_out_per_m"), NULL);
    if (m->price_in_per_m >= 0 && !m->price_date)
        rd_err(rd, SCHEMA_ERR_SEMANTIC, "price_date", "a date when a price is given",
               json_object_get(o, "price_date"), NULL);
    if (m->price_date && !bench_date_valid(m->price_date))
        rd_err(rd, SCHEMA_ERR_FORMAT, "price_date", "string & Format<\"date\">", json_object_get(o, "price_date"),
               NULL);
    if ((m->params_total_b < 0) != (m->params_active_b < 0) ||
        (m->params_total_b >= 0 && m->params_active_b > m->params_total_b))
        rd_err(rd, SCHEMA_ERR_SEMANTIC, "params_active_b", "null with params_total_b, else <= it",
               json_object_get(o, "params_active_b"), NULL);
    if (m->params_total_b < 0) {
        if (m->mem_4bit_gb >= 0 || m->kv_gb_32k >= 0)
            rd_err(rd, SCHEMA_ERR_SEMANTIC, "mem_4bit_gb", "null when params_total_b is null",
                   json_object_get(o, "mem_4bit_gb"), NULL);
    } else if (m->mem_4bit_gb < 0 || m->kv_gb_32k < 0) {
        rd_err(rd, SCHEMA_ERR_SEMANTIC, "mem_4bit_gb", "a number when params_total_b is known",
               json_object_get(o, "mem_4bit_gb"), NULL);
    } else if (r->gb_per_billion_params > 0) {
        double want = m->params_total_b * r->gb_per_billion_params + m->kv_gb_32k;

        if (fabs(want - m->mem_4bit_gb) > 0.051) {
            char msg[160];

            snprintf(msg, sizeof msg, "params_total_b x %.4g + kv_gb_32k = %.1f", r->gb_per_billion_params, want);
            rd_err(rd, SCHEMA_ERR_SEMANTIC, "mem_4bit_gb", "the memory formula", json_object_get(o, "mem_4bit_gb"),
                   msg);
        }
    }
    if (r->mem_max_gb > 0 && m->fits_64gb != (m->mem_4bit_gb >= 0 && m->mem_4bit_gb <= r->mem_max_gb))
        rd_err(rd, SCHEMA_ERR_SEMANTIC, "fits_64gb", "mem_4bit_gb <= eligibility.mem_max_gb",
               json_object_get(o, "fits_64gb"), NULL);
    for (i = 0; i < m->n_estimated; i++) {
        if (m->estimated[i] && !bench_is_model_key(m->estimated[i])) {
            size_t mark = rd_push_key(rd, "estimated");

            rd_push_index(rd, i);
            rd_err(rd, SCHEMA_ERR_ENUM, NULL, "a field name", json_array_get(json_object_get(o, "estimated"), i),
                   NULL);
            rd_pop(rd, mark);
        }
    }
}

static void bench_read_model(bench_rd *rd, const json_t *o, const bench_eligibility *r, bench_model *m)
{
    m->id = rd_str(rd, o, "id", RD_REQ, BENCH_MODELS_MAX_ID);
    m->name = rd_str(rd, o, "name", RD_REQ, 200);
    m->vendor = rd_str(rd, o, "vendor", RD_REQ, 200);
    m->openrouter_id = rd_str(rd, o, "openrouter_id", RD_NULLABLE, 200);
    m->price_in_per_m = rd_num(rd, o, "price_in_per_m", RD_NULLABLE, 0, 10000);
    m->price_out_per_m = rd_num(rd, o, "price_out_per_m", RD_NULLABLE, 0, 10000);
    m->price_date = rd_str(rd, o, "price_date", RD_NULLABLE, 10);
    m->price_source = rd_str(rd, o, "price_source", RD_NULLABLE, BENCH_MODELS_MAX_TEXT);
    m->params_total_b = rd_num(rd, o, "params_total_b", RD_NULLABLE, 0.001, 100000);
    m->params_active_b = rd_num(rd, o, "params_active_b", RD_NULLABLE, 0.001, 100000);
    m->context = rd_long(rd, o, "context", 1, 100000000L);
    m->kv_gb_32k = rd_num(rd, o, "kv_gb_32k", RD_NULLABLE, 0, 100000);
    m->mem_4bit_gb = rd_num(rd, o, "mem_4bit_gb", RD_NULLABLE, 0, 1000000);
    m->fits_64gb = rd_bool(rd, o, "fits_64gb");
    m->open_weights = rd_bool(rd, o, "open_weights");
    m->frontier = rd_bool(rd, o, "frontier");
    m->notes = rd_str(rd, o, "notes", RD_REQ, BENCH_MODELS_MAX_TEXT);
    m->estimated = rd_strlist(rd, o, "estimated", 32, 64, &m->n_estimated);
    bench_check_model(rd, o, r, m);
}

static void bench_read_models(bench_rd *rd, const json_t *root, bench_models *reg)
{
    static const char *const top_keys[] = {"version", "prices_as_of", "eligibility", "models", NULL};
    int is_null;
    json_t *arr;
    size_t i, j, mark;

    rd_check_keys(rd, root, top_keys);
    reg->version = (int)rd_long(rd, root, "version", 1, 1);
    reg->prices_as_of = rd_str(rd, root, "prices_as_of", RD_REQ, 10);
    if (reg->prices_as_of && !bench_date_valid(reg->prices_as_of))
        rd_err(rd, SCHEMA_ERR_FORMAT, "prices_as_of", "string & Format<\"date\">",
               json_object_get(root, "prices_as_of"), NULL);
    bench_read_rule(rd, root, &reg->rule);
    arr = rd_member(rd, root, "models", RD_REQ, &is_null);
    if (!arr)
        return;
    if (!json_is_array(arr) || json_array_size(arr) == 0 || json_array_size(arr) > BENCH_MODELS_MAX_ENTRIES) {
        rd_err(rd, json_is_array(arr) ? SCHEMA_ERR_LENGTH : SCHEMA_ERR_TYPE, "models",
               "array of 1 to 256 models", arr, NULL);
        return;
    }
    reg->models = bb_arena_calloc(rd->arena, json_array_size(arr), sizeof *reg->models);
    if (!reg->models) {
        rd_hard(rd, BB_ERR_NOMEM);
        return;
    }
    reg->n = json_array_size(arr);
    mark = rd_push_key(rd, "models");
    for (i = 0; i < reg->n && rd->hard == BB_OK; i++) {
        json_t *o = json_array_get(arr, i);
        size_t m = rd_push_index(rd, i);

        if (!json_is_object(o)) {
            rd_err(rd, SCHEMA_ERR_TYPE, NULL, "object", o, NULL);
        } else {
            rd_check_keys(rd, o, bench_model_keys);
            bench_read_model(rd, o, &reg->rule, &reg->models[i]);
            for (j = 0; j < i && reg->models[i].id; j++) {
                if (reg->models[j].id && strcmp(reg->models[j].id, reg->models[i].id) == 0) {
                    rd_err(rd, SCHEMA_ERR_UNIQUE, "id", "an id not used by an earlier model",
                           json_object_get(o, "id"), NULL);
                    break;
                }
            }
        }
        rd_pop(rd, m);
    }
    rd_pop(rd, mark);
}

bb_result bench_models_parse(const char *text, size_t len, bench_models **out, schema_errors *errs)
{
    schema_errors local;
    bench_rd rd;
    bench_models *reg = NULL;
    json_t *root = NULL;
    bb_result rc;

    *out = NULL;
    rc = rd_init(&rd, errs, &local);
    if (rc != BB_OK)
        goto out;
    reg = bb_arena_alloc(rd.arena, sizeof *reg);
    if (!reg) {
        rc = BB_ERR_NOMEM;
        goto out;
    }
    root = rd_parse_root(&rd, text, len);
    if (root)
        bench_read_models(&rd, root, reg);
    rc = rd.hard;
    if (rc == BB_OK && rd.n_err > 0)
        rc = root ? BB_ERR_INVALID : BB_ERR_PARSE;
    if (rc == BB_OK) {
        reg->arena = rd.arena;
        rd.arena = NULL;
        *out = reg;
    }
out:
    json_decref(root);
    bb_arena_free(rd.arena);
    bb_buf_free(&rd.path);
    if (!errs)
        schema_errors_free(&local);
    return rc;
}

/* Reads path (or the embedded file) and hands the text to parse. */
static bb_result bench_load_text(const char *path, const char *embed_path, char **owned,
                                 const char **text, size_t *len)
{
    const bb_embedded_file *f;

    *owned = NULL;
    if (path) {
        bb_result rc = bb_file_read(path, BENCH_MODELS_MAX_BYTES, owned, len);

        if (rc == BB_OK)
            *text = *owned;
        return rc;
    }
    f = bb_embed_find(embed_path);
    if (!f)
        return BB_ERR_NOT_FOUND;
    *text = (const char *)f->data;
    *len = f->len;
    return BB_OK;
}

bb_result bench_models_load(const char *path, bench_models **out, schema_errors *errs)
{
    char *owned = NULL;
    const char *text = NULL;
    size_t len = 0;
    bb_result rc;

    *out = NULL;
    rc = bench_load_text(path, BENCH_MODELS_EMBED_PATH, &owned, &text, &len);
    if (rc == BB_OK)
        rc = bench_models_parse(text, len, out, errs);
    bb_free(owned);
    return rc;
}

void bench_models_free(bench_models *reg)
{
    if (reg)
        bb_arena_free(reg->arena);
}

const bench_model *bench_models_find(const bench_models *reg, const char *id)
{
    size_t i;

    if (!reg || !id)
        return NULL;
    for (i = 0; i < reg->n; i++) {
        if (strcmp(reg->models[i].id, id) == 0)
            return &reg->models[i];
    }
    for (i = 0; i < reg->n; i++) {
        if (reg->models[i].openrouter_id && strcmp(reg->models[i].openrouter_id, id) == 0)
            return &reg->models[i];
    }
    return NULL;
}

double bench_model_blended_price(const bench_models *reg, const bench_model *m)
{
    double wi = reg->rule.blend_input_weight, wo = reg->rule.blend_output_weight;

    if (m->price_in_per_m < 0 || m->price_out_per_m < 0 || wi + wo <= 0)
        return -1;
    return (wi * m->price_in_per_m + wo * m->price_out_per_m) / (wi + wo);
}

int bench_model_eligibility(const bench_models *reg, const bench_model *m)
{
    double p = bench_model_blended_price(reg, m);
    int e = 0;

    if (p >= 0 && p < reg->rule.price_max_usd_per_m)
        e |= BENCH_ELIGIBLE_PRICE;
    if (m->fits_64gb)
        e |= BENCH_ELIGIBLE_FITS;
    return e;
}

double bench_model_cost_usd(const bench_model *m, uint64_t prompt_tokens, uint64_t completion_tokens)
{
    if (!m || m->price_in_per_m < 0 || m->price_out_per_m < 0)
        return -1;
    return ((double)prompt_tokens * m->price_in_per_m + (double)completion_tokens * m->price_out_per_m) / 1e6;
}

/* ==== server presets ====================================================== */

static const char *const bench_server_keys[] = {
    "name", "title", "base_url", "api_key_env", "tool_setup", "tool_choice_required", "tool_choice_note",
    "schema_unsupported", "builds_grammar", "schema_note", "stream_quirks", "extra_body", "sources", NULL,
};

static void bench_read_server(bench_rd *rd, const json_t *o, bench_server_preset *p)
{
    const char *tcr;
    json_t *eb;
    int is_null;

    p->name = rd_str(rd, o, "name", RD_REQ, BENCH_MODELS_MAX_ID);
    if (p->name && !bench_id_valid(p->name, BENCH_MODELS_MAX_ID))
        rd_err(rd, SCHEMA_ERR_PATTERN, "name", "^[a-z0-9][a-z0-9._-]{0,63}$", json_object_get(o, "name"), NULL);
    p->title = rd_str(rd, o, "title", RD_REQ, 200);
    p->base_url = rd_str(rd, o, "base_url", RD_REQ, 500);
    if (p->base_url && strncmp(p->base_url, "http://", 7) != 0 && strncmp(p->base_url, "https://", 8) != 0)
        rd_err(rd, SCHEMA_ERR_FORMAT, "base_url", "string & Format<\"uri\"> (http or https)",
               json_object_get(o, "base_url"), NULL);
    p->api_key_env = rd_str(rd, o, "api_key_env", RD_NULLABLE, 100);
    p->tool_setup = rd_str(rd, o, "tool_setup", RD_REQ, BENCH_MODELS_MAX_TEXT);
    tcr = rd_str(rd, o, "tool_choice_required", RD_REQ, 16);
    if (tcr && strcmp(tcr, "yes") == 0)
        p->tool_choice_required = BENCH_YES;
    else if (tcr && strcmp(tcr, "partly") == 0)
        p->tool_choice_required = BENCH_PARTLY;
    else if (tcr && strcmp(tcr, "no") == 0)
        p->tool_choice_required = BENCH_NO;
    else if (tcr)
        rd_err(rd, SCHEMA_ERR_ENUM, "tool_choice_required", "\"yes\" | \"no\" | \"partly\"",
               json_object_get(o, "tool_choice_required"), NULL);
    p->tool_choice_note = rd_str(rd, o, "tool_choice_note", RD_REQ, BENCH_MODELS_MAX_TEXT);
    p->schema_unsupported =
        rd_strlist(rd, o, "schema_unsupported", BENCH_SERVERS_MAX_LIST, 64, &p->n_schema_unsupported);
    p->builds_grammar = rd_bool(rd, o, "builds_grammar");
    p->schema_note = rd_str(rd, o, "schema_note", RD_REQ, BENCH_MODELS_MAX_TEXT);
    p->stream_quirks =
        rd_strlist(rd, o, "stream_quirks", BENCH_SERVERS_MAX_LIST, BENCH_MODELS_MAX_TEXT, &p->n_stream_quirks);
    eb = rd_member(rd, o, "extra_body", RD_REQ, &is_null);
    if (eb && !json_is_object(eb)) {
        rd_err(rd, SCHEMA_ERR_TYPE, "extra_body", "object", eb, NULL);
    } else if (eb) {
        char *s = json_dumps(eb, JSON_COMPACT | JSON_SORT_KEYS);

        if (!s)
            rd_hard(rd, BB_ERR_NOMEM);
        else if (strlen(s) > BENCH_MODELS_MAX_TEXT)
            rd_err(rd, SCHEMA_ERR_LENGTH, "extra_body", "at most 2000 bytes", eb, NULL);
        else
            p->extra_body = rd_strdup(rd, s);
        bb_free(s);
    }
    p->sources = rd_strlist(rd, o, "sources", BENCH_SERVERS_MAX_LIST, 500, &p->n_sources);
    if (p->sources && p->n_sources == 0)
        rd_err(rd, SCHEMA_ERR_LENGTH, "sources", "at least one source", json_object_get(o, "sources"), NULL);
}

bb_result bench_servers_parse(const char *text, size_t len, bench_servers **out, schema_errors *errs)
{
    static const char *const top_keys[] = {"version", "servers", NULL};
    schema_errors local;
    bench_rd rd;
    bench_servers *s = NULL;
    json_t *root = NULL, *arr;
    size_t i, j, mark;
    int is_null;
    bb_result rc;

    *out = NULL;
    rc = rd_init(&rd, errs, &local);
    if (rc != BB_OK)
        goto out;
    s = bb_arena_alloc(rd.arena, sizeof *s);
    if (!s) {
        rc = BB_ERR_NOMEM;
        goto out;
    }
    root = rd_parse_root(&rd, text, len);
    if (!root)
        goto done;
    rd_check_keys(&rd, root, top_keys);
    rd_long(&rd, root, "version", 1, 1);
    arr = rd_member(&rd, root, "servers", RD_REQ, &is_null);
    if (!arr)
        goto done;
    if (!json_is_array(arr) || json_array_size(arr) == 0 || json_array_size(arr) > BENCH_SERVERS_MAX_ENTRIES) {
        rd_err(&rd, json_is_array(arr) ? SCHEMA_ERR_LENGTH : SCHEMA_ERR_TYPE, "servers",
               "array of 1 to 32 presets", arr, NULL);
        goto done;
    }
    s->items = bb_arena_calloc(rd.arena, json_array_size(arr), sizeof *s->items);
    if (!s->items) {
        rc = BB_ERR_NOMEM;
        goto out;
    }
    s->n = json_array_size(arr);
    mark = rd_push_key(&rd, "servers");
    for (i = 0; i < s->n && rd.hard == BB_OK; i++) {
        json_t *o = json_array_get(arr, i);
        size_t m = rd_push_index(&rd, i);

        if (!json_is_object(o)) {
            rd_err(&rd, SCHEMA_ERR_TYPE, NULL, "object", o, NULL);
        } else {
            rd_check_keys(&rd, o, bench_server_keys);
            bench_read_server(&rd, o, &s->items[i]);
            for (j = 0; j < i && s->items[i].name; j++) {
                if (s->items[j].name && strcmp(s->items[j].name, s->items[i].name) == 0) {
                    rd_err(&rd, SCHEMA_ERR_UNIQUE, "name", "a name not used by an earlier preset",
                           json_object_get(o, "name"), NULL);
                    break;
                }
            }
        }
        rd_pop(&rd, m);
    }
    rd_pop(&rd, mark);
done:
    rc = rd.hard;
    if (rc == BB_OK && rd.n_err > 0)
        rc = root ? BB_ERR_INVALID : BB_ERR_PARSE;
    if (rc == BB_OK) {
        s->arena = rd.arena;
        rd.arena = NULL;
        *out = s;
    }
out:
    json_decref(root);
    bb_arena_free(rd.arena);
    bb_buf_free(&rd.path);
    if (!errs)
        schema_errors_free(&local);
    return rc;
}

bb_result bench_servers_load(const char *path, bench_servers **out, schema_errors *errs)
{
    char *owned = NULL;
    const char *text = NULL;
    size_t len = 0;
    bb_result rc;

    *out = NULL;
    rc = bench_load_text(path, BENCH_SERVERS_EMBED_PATH, &owned, &text, &len);
    if (rc == BB_OK)
        rc = bench_servers_parse(text, len, out, errs);
    bb_free(owned);
    return rc;
}

void bench_servers_free(bench_servers *s)
{
    if (s)
        bb_arena_free(s->arena);
}

const bench_server_preset *bench_server_find(const bench_servers *s, const char *name)
{
    size_t i;

    if (!s || !name)
        return NULL;
    for (i = 0; i < s->n; i++) {
        if (strcmp(s->items[i].name, name) == 0)
            return &s->items[i];
    }
    return NULL;
}
