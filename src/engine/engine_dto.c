/*
 * engine_dto.c — DTO validation and pruning over ast_api_dto (see
 * engine_dto.h). A recursive walk with a path buffer; oneOf members are
 * tried with a scratch error list so only the chosen member's errors (or one
 * union error) reach the caller.
 */
#include "engine_dto.h"

#include <math.h>
#include <pcre2.h>
#include <stdio.h>
#include <string.h>

#include "engine/engine_auth.h"

#define ED_PATH_MAX 4096

typedef struct ed_ctx {
    const ast_api_doc *api;
    schema_errors *errs; /* NULL: count only */
    bb_buf path;
    size_t n_errors;
    bb_result rc;
} ed_ctx;

static void ed_err(ed_ctx *c, schema_error_kind kind, const char *expected, const eng_value *v, const char *msg)
{
    bb_buf vb;
    bb_result rc;

    c->n_errors++;
    if (!c->errs)
        return;
    bb_buf_init(&vb, 4096);
    rc = v && v->kind != ENG_UNDEF ? eng_value_to_json(v, &vb) : bb_buf_puts(&vb, "undefined");
    if (rc == BB_ERR_LIMIT) {
        bb_buf_reset(&vb);
        rc = bb_buf_puts(&vb, "\"...\"");
    }
    if (vb.len > 200)
        bb_buf_truncate(&vb, 200);
    if (rc == BB_OK)
        rc = schema_errors_add(c->errs, kind, bb_buf_str(&c->path), expected, bb_buf_str(&vb), msg);
    if (rc != BB_OK && c->rc == BB_OK)
        c->rc = rc;
    bb_buf_free(&vb);
}

static size_t ed_utf8_len(const char *s, size_t n)
{
    size_t i, k = 0;

    for (i = 0; i < n; i++) {
        if (((unsigned char)s[i] & 0xc0) != 0x80)
            k++;
    }
    return k;
}

static int ed_hex(char ch)
{
    return (ch >= '0' && ch <= '9') || (ch >= 'a' && ch <= 'f') || (ch >= 'A' && ch <= 'F');
}

int eng_dto_format_ok(const char *format, const char *s, size_t len)
{
    size_t i;
    int64_t ms;

    if (!format)
        return 1;
    if (strcmp(format, "uuid") == 0) {
        if (len != 36)
            return 0;
        for (i = 0; i < 36; i++) {
            if (i == 8 || i == 13 || i == 18 || i == 23) {
                if (s[i] != '-')
                    return 0;
            } else if (!ed_hex(s[i])) {
                return 0;
            }
        }
        return 1;
    }
    if (strcmp(format, "date-time") == 0)
        return eng_time_parse(s, len, &ms) == 0;
    if (strcmp(format, "date") == 0) {
        char tmp[32];

        if (len != 10)
            return 0;
        memcpy(tmp, s, 10);
        memcpy(tmp + 10, "T00:00:00Z", 11);
        return eng_time_parse(tmp, 20, &ms) == 0;
    }
    if (strcmp(format, "email") == 0) {
        const char *at = memchr(s, '@', len);
        size_t ats = 0;

        for (i = 0; i < len; i++) {
            if (s[i] == '@')
                ats++;
            if ((unsigned char)s[i] <= ' ' || s[i] == '"' || s[i] == '\\' || s[i] == '<' || s[i] == '>')
                return 0;
        }
        return ats == 1 && at != s && at + 1 < s + len && memchr(at + 1, '.', (size_t)(s + len - at - 1)) &&
               s[len - 1] != '.' && at[1] != '.';
    }
    if (strcmp(format, "uri") == 0) {
        for (i = 0; i < len; i++) {
            if (s[i] == ':')
                return i > 0;
            if (!((s[i] >= 'a' && s[i] <= 'z') || (s[i] >= 'A' && s[i] <= 'Z') ||
                  (i > 0 && ((s[i] >= '0' && s[i] <= '9') || s[i] == '+' || s[i] == '-' || s[i] == '.'))))
                return 0;
        }
        return 0;
    }
    return 1;
}

/* 1 match, 0 no match, -1 bad pattern. */
static int ed_pattern(const char *pattern, const char *s, size_t len)
{
    int err;
    PCRE2_SIZE off;
    pcre2_code *re = pcre2_compile((PCRE2_SPTR)pattern, PCRE2_ZERO_TERMINATED, PCRE2_UTF, &err, &off, NULL);
    pcre2_match_data *md;
    int r;

    if (!re)
        return -1;
    md = pcre2_match_data_create_from_pattern(re, NULL);
    if (!md) {
        pcre2_code_free(re);
        return -1;
    }
    r = pcre2_match(re, (PCRE2_SPTR)s, len, 0, 0, md, NULL);
    pcre2_match_data_free(md);
    pcre2_code_free(re);
    return r >= 0 ? 1 : r == PCRE2_ERROR_NOMATCH ? 0 : -1;
}

static double ed_bound(const ast_api_bound *b)
{
    return b->value.kind == AST_API_LIT_INT ? (double)b->value.i : b->value.r;
}

static int ed_literal_eq(const ast_api_literal *l, const eng_value *v)
{
    switch (l->kind) {
    case AST_API_LIT_NULL: return v->kind == ENG_NULL;
    case AST_API_LIT_BOOL: return v->kind == ENG_BOOL && v->b == l->b;
    case AST_API_LIT_INT: return v->kind == ENG_NUM && v->n == (double)l->i;
    case AST_API_LIT_REAL: return v->kind == ENG_NUM && v->n == l->r;
    case AST_API_LIT_STRING: return v->kind == ENG_STR && v->len == l->s_len && memcmp(v->s, l->s, l->s_len) == 0;
    default: return 0;
    }
}

static void ed_walk(ed_ctx *c, const ast_api_dto *d, const eng_value *v, int depth);

static void ed_number(ed_ctx *c, const ast_api_dto *d, const eng_value *v)
{
    char exp[96];
    double n;

    if (v->kind != ENG_NUM || (d->kind == AST_API_DTO_INTEGER && !v->is_int)) {
        ed_err(c, SCHEMA_ERR_TYPE, d->kind == AST_API_DTO_INTEGER ? "integer" : "number", v,
               d->kind == AST_API_DTO_INTEGER ? "expected an integer" : "expected a number");
        return;
    }
    n = v->n;
    if (d->u.number.minimum.present && n < ed_bound(&d->u.number.minimum)) {
        snprintf(exp, sizeof exp, "number & Minimum<%g>", ed_bound(&d->u.number.minimum));
        ed_err(c, SCHEMA_ERR_RANGE, exp, v, "below the minimum");
    }
    if (d->u.number.maximum.present && n > ed_bound(&d->u.number.maximum)) {
        snprintf(exp, sizeof exp, "number & Maximum<%g>", ed_bound(&d->u.number.maximum));
        ed_err(c, SCHEMA_ERR_RANGE, exp, v, "above the maximum");
    }
    if (d->u.number.exclusive_minimum.present && n <= ed_bound(&d->u.number.exclusive_minimum)) {
        snprintf(exp, sizeof exp, "number & ExclusiveMinimum<%g>", ed_bound(&d->u.number.exclusive_minimum));
        ed_err(c, SCHEMA_ERR_RANGE, exp, v, "not above the exclusive minimum");
    }
    if (d->u.number.exclusive_maximum.present && n >= ed_bound(&d->u.number.exclusive_maximum)) {
        snprintf(exp, sizeof exp, "number & ExclusiveMaximum<%g>", ed_bound(&d->u.number.exclusive_maximum));
        ed_err(c, SCHEMA_ERR_RANGE, exp, v, "not below the exclusive maximum");
    }
    if (d->u.number.multiple_of.present && ed_bound(&d->u.number.multiple_of) > 0) {
        double q = n / ed_bound(&d->u.number.multiple_of);

        if (fabs(q - round(q)) > 1e-9) {
            snprintf(exp, sizeof exp, "number & MultipleOf<%g>", ed_bound(&d->u.number.multiple_of));
            ed_err(c, SCHEMA_ERR_RANGE, exp, v, "not a multiple");
        }
    }
}

static void ed_string(ed_ctx *c, const ast_api_dto *d, const eng_value *v)
{
    char exp[160];
    size_t n;

    if (v->kind != ENG_STR) {
        ed_err(c, SCHEMA_ERR_TYPE, "string", v, "expected a string");
        return;
    }
    n = ed_utf8_len(v->s, v->len);
    if (d->u.string.min_length.present && (double)n < ed_bound(&d->u.string.min_length)) {
        snprintf(exp, sizeof exp, "string & MinLength<%g>", ed_bound(&d->u.string.min_length));
        ed_err(c, SCHEMA_ERR_LENGTH, exp, v, "string too short");
    }
    if (d->u.string.max_length.present && (double)n > ed_bound(&d->u.string.max_length)) {
        snprintf(exp, sizeof exp, "string & MaxLength<%g>", ed_bound(&d->u.string.max_length));
        ed_err(c, SCHEMA_ERR_LENGTH, exp, v, "string too long");
    }
    if (d->u.string.format && !eng_dto_format_ok(d->u.string.format, v->s, v->len)) {
        snprintf(exp, sizeof exp, "string & Format<\"%.100s\">", d->u.string.format);
        ed_err(c, SCHEMA_ERR_FORMAT, exp, v, "not in the required format");
    }
    if (d->u.string.pattern && ed_pattern(d->u.string.pattern, v->s, v->len) != 1) {
        snprintf(exp, sizeof exp, "string & Pattern<\"%.120s\">", d->u.string.pattern);
        ed_err(c, SCHEMA_ERR_PATTERN, exp, v, "does not match the pattern");
    }
}

static void ed_array(ed_ctx *c, const ast_api_dto *d, const eng_value *v, int depth)
{
    char exp[96];
    size_t i, j;

    if (v->kind != ENG_ARR) {
        ed_err(c, SCHEMA_ERR_TYPE, "array", v, "expected an array");
        return;
    }
    if (d->u.array.min_items.present && (double)v->len < ed_bound(&d->u.array.min_items)) {
        snprintf(exp, sizeof exp, "array & MinItems<%g>", ed_bound(&d->u.array.min_items));
        ed_err(c, SCHEMA_ERR_LENGTH, exp, v, "too few items");
    }
    if (d->u.array.max_items.present && (double)v->len > ed_bound(&d->u.array.max_items)) {
        snprintf(exp, sizeof exp, "array & MaxItems<%g>", ed_bound(&d->u.array.max_items));
        ed_err(c, SCHEMA_ERR_LENGTH, exp, v, "too many items");
    }
    if (d->u.array.unique_items == 1) {
        for (i = 0; i < v->len; i++) {
            for (j = i + 1; j < v->len; j++) {
                if (eng_equal(v->items[i], v->items[j])) {
                    ed_err(c, SCHEMA_ERR_UNIQUE, "array & UniqueItems", v, "items are not unique");
                    i = j = v->len;
                }
            }
        }
    }
    for (i = 0; d->u.array.items && i < v->len && c->rc == BB_OK; i++) {
        size_t mark = c->path.len;

        if (schema_path_index(&c->path, i) != BB_OK)
            c->rc = BB_ERR_LIMIT;
        ed_walk(c, d->u.array.items, v->items[i], depth + 1);
        bb_buf_truncate(&c->path, mark);
    }
}

static int ed_is_declared(const ast_api_dto *d, const char *key)
{
    size_t i;

    for (i = 0; i < d->u.object.n_properties; i++) {
        if (strcmp(d->u.object.properties[i].name, key) == 0)
            return 1;
    }
    return 0;
}

static void ed_object(ed_ctx *c, const ast_api_dto *d, const eng_value *v, int depth)
{
    size_t i;

    if (v->kind != ENG_OBJ) {
        ed_err(c, SCHEMA_ERR_TYPE, "object", v, "expected an object");
        return;
    }
    for (i = 0; i < d->u.object.n_required; i++) {
        const eng_value *m = eng_get(v, d->u.object.required[i]);

        if (!m || m->kind == ENG_UNDEF) {
            size_t mark = c->path.len;

            if (schema_path_key(&c->path, d->u.object.required[i]) != BB_OK)
                c->rc = BB_ERR_LIMIT;
            ed_err(c, SCHEMA_ERR_REQUIRED, "required property", NULL, "a required property is missing");
            bb_buf_truncate(&c->path, mark);
        }
    }
    for (i = 0; i < d->u.object.n_properties && c->rc == BB_OK; i++) {
        const ast_api_property *p = &d->u.object.properties[i];
        const eng_value *m = eng_get(v, p->name);
        size_t mark = c->path.len;

        if (!m || m->kind == ENG_UNDEF)
            continue;
        if (schema_path_key(&c->path, p->name) != BB_OK)
            c->rc = BB_ERR_LIMIT;
        ed_walk(c, p->schema, m, depth + 1);
        bb_buf_truncate(&c->path, mark);
    }
    if (d->u.object.additional == AST_API_ADDITIONAL_FALSE || d->u.object.additional == AST_API_ADDITIONAL_SCHEMA) {
        for (i = 0; i < v->len && c->rc == BB_OK; i++) {
            size_t mark = c->path.len;

            if (!v->keys[i] || v->items[i]->kind == ENG_UNDEF || ed_is_declared(d, v->keys[i]))
                continue;
            if (schema_path_key(&c->path, v->keys[i]) != BB_OK)
                c->rc = BB_ERR_LIMIT;
            if (d->u.object.additional == AST_API_ADDITIONAL_FALSE)
                ed_err(c, SCHEMA_ERR_ADDITIONAL, "never", v->items[i], "property not allowed");
            else
                ed_walk(c, d->u.object.additional_schema, v->items[i], depth + 1);
            bb_buf_truncate(&c->path, mark);
        }
    }
}

/* Errors v would produce against d (counted, not stored). */
static size_t ed_count(ed_ctx *c, const ast_api_dto *d, const eng_value *v, int depth)
{
    ed_ctx sub;

    memset(&sub, 0, sizeof sub);
    sub.api = c->api;
    bb_buf_init(&sub.path, ED_PATH_MAX);
    ed_walk(&sub, d, v, depth);
    bb_buf_free(&sub.path);
    if (sub.rc != BB_OK && c->rc == BB_OK)
        c->rc = sub.rc;
    return sub.n_errors;
}

static void ed_one_of(ed_ctx *c, const ast_api_dto *d, const eng_value *v, int depth)
{
    size_t i, matches = 0, best = 0, best_errs = (size_t)-1;

    for (i = 0; i < d->u.one_of.n_members && c->rc == BB_OK; i++) {
        size_t n = ed_count(c, d->u.one_of.members[i], v, depth + 1);

        if (n == 0)
            matches++;
        if (n < best_errs) {
            best_errs = n;
            best = i;
        }
    }
    if (matches == 1)
        return;
    if (matches > 1) {
        ed_err(c, SCHEMA_ERR_UNION, "exactly one member of the oneOf", v, "matches several members");
        return;
    }
    if (d->u.one_of.n_members == 0) {
        ed_err(c, SCHEMA_ERR_UNION, "never", v, "an empty oneOf matches nothing");
        return;
    }
    /* A const enum or a nullable: one readable error; else the closest member's errors. */
    {
        int all_const = 1;

        for (i = 0; i < d->u.one_of.n_members; i++) {
            if (d->u.one_of.members[i]->kind != AST_API_DTO_CONSTANT)
                all_const = 0;
        }
        if (all_const) {
            bb_buf eb;

            bb_buf_init(&eb, 1024);
            for (i = 0; i < d->u.one_of.n_members; i++) {
                const ast_api_literal *l = &d->u.one_of.members[i]->u.constant;

                if (i > 0)
                    (void)bb_buf_puts(&eb, " | ");
                if (l->kind == AST_API_LIT_STRING)
                    (void)bb_buf_put_json_string(&eb, l->s, l->s_len);
                else
                    (void)bb_buf_puts(&eb, "...");
            }
            ed_err(c, SCHEMA_ERR_ENUM, bb_buf_str(&eb), v, "not one of the allowed values");
            bb_buf_free(&eb);
            return;
        }
    }
    ed_walk(c, d->u.one_of.members[best], v, depth + 1);
}

static void ed_walk(ed_ctx *c, const ast_api_dto *d, const eng_value *v, int depth)
{
    if (c->rc != BB_OK)
        return;
    if (depth > ENG_DTO_MAX_DEPTH || !d) {
        ed_err(c, SCHEMA_ERR_LIMIT, "nesting at most 64", v, "value or schema nested too deeply");
        return;
    }
    switch (d->kind) {
    case AST_API_DTO_CONSTANT:
        if (!ed_literal_eq(&d->u.constant, v))
            ed_err(c, SCHEMA_ERR_CONST, "the constant of the schema", v, "not the constant value");
        return;
    case AST_API_DTO_BOOLEAN:
        if (v->kind != ENG_BOOL)
            ed_err(c, SCHEMA_ERR_TYPE, "boolean", v, "expected a boolean");
        return;
    case AST_API_DTO_INTEGER:
    case AST_API_DTO_NUMBER:
        ed_number(c, d, v);
        return;
    case AST_API_DTO_STRING:
        ed_string(c, d, v);
        return;
    case AST_API_DTO_ARRAY:
        ed_array(c, d, v, depth);
        return;
    case AST_API_DTO_OBJECT:
        ed_object(c, d, v, depth);
        return;
    case AST_API_DTO_REFERENCE: {
        const ast_api_dto *t = d->u.reference.name ? ast_api_find_schema(c->api, d->u.reference.name) : NULL;

        if (!t)
            ed_err(c, SCHEMA_ERR_OTHER, d->u.reference.ref ? d->u.reference.ref : "$ref", v,
                   "the DTO reference does not resolve");
        else
            ed_walk(c, t, v, depth + 1);
        return;
    }
    case AST_API_DTO_ONEOF:
        ed_one_of(c, d, v, depth);
        return;
    case AST_API_DTO_NULL:
        if (v->kind != ENG_NULL)
            ed_err(c, SCHEMA_ERR_TYPE, "null", v, "expected null");
        return;
    default:
        ed_err(c, SCHEMA_ERR_OTHER, "known DTO kind", v, "unknown DTO kind");
    }
}

bb_result eng_dto_validate(const ast_api_doc *api, const ast_api_dto *dto, const eng_value *v, const char *root,
                           schema_errors *errs)
{
    ed_ctx c;
    bb_result rc;

    memset(&c, 0, sizeof c);
    c.api = api;
    c.errs = errs;
    bb_buf_init(&c.path, ED_PATH_MAX);
    rc = bb_buf_puts(&c.path, root ? root : "$input");
    if (rc == BB_OK) {
        ed_walk(&c, dto, v->kind == ENG_UNDEF ? eng_null() : v, 0);
        rc = c.rc != BB_OK ? c.rc : c.n_errors ? BB_ERR_INVALID : BB_OK;
    }
    bb_buf_free(&c.path);
    return rc;
}

static bb_result ed_prune(bb_arena *a, const ast_api_doc *api, const ast_api_dto *d, const eng_value *v, int depth,
                          const eng_value **out)
{
    size_t i, k;
    bb_result rc = BB_OK;

    *out = v;
    if (!d || depth > ENG_DTO_MAX_DEPTH)
        return BB_OK;
    if (d->kind == AST_API_DTO_REFERENCE) {
        const ast_api_dto *t = d->u.reference.name ? ast_api_find_schema(api, d->u.reference.name) : NULL;

        return ed_prune(a, api, t, v, depth + 1, out);
    }
    if (d->kind == AST_API_DTO_ONEOF) {
        for (i = 0; i < d->u.one_of.n_members; i++) {
            if (eng_dto_validate(api, d->u.one_of.members[i], v, "$", NULL) == BB_OK)
                return ed_prune(a, api, d->u.one_of.members[i], v, depth + 1, out);
        }
        return BB_OK;
    }
    if (d->kind == AST_API_DTO_ARRAY && v->kind == ENG_ARR && d->u.array.items) {
        eng_value *n = eng_arr(a, v->len);

        if (!n)
            return bb_arena_failed(a);
        for (i = 0; i < v->len && rc == BB_OK; i++)
            rc = ed_prune(a, api, d->u.array.items, v->items[i], depth + 1, (const eng_value **)&n->items[i]);
        *out = n;
        return rc;
    }
    if (d->kind == AST_API_DTO_OBJECT && v->kind == ENG_OBJ && d->u.object.additional != AST_API_ADDITIONAL_TRUE &&
        d->u.object.additional != AST_API_ADDITIONAL_SCHEMA) {
        eng_value *n = eng_obj(a, v->len);

        if (!n)
            return bb_arena_failed(a);
        for (i = 0, k = 0; i < v->len && rc == BB_OK; i++) {
            size_t p;

            if (!v->keys[i])
                continue;
            for (p = 0; p < d->u.object.n_properties; p++) {
                if (strcmp(d->u.object.properties[p].name, v->keys[i]) == 0)
                    break;
            }
            if (p == d->u.object.n_properties)
                continue;
            n->keys[k] = v->keys[i];
            rc = ed_prune(a, api, d->u.object.properties[p].schema, v->items[i], depth + 1,
                          (const eng_value **)&n->items[k]);
            k++;
        }
        n->len = k;
        *out = n;
        return rc;
    }
    return BB_OK;
}

bb_result eng_dto_prune(bb_arena *a, const ast_api_doc *api, const ast_api_dto *dto, const eng_value *v,
                        const eng_value **out)
{
    return ed_prune(a, api, dto, v, 0, out);
}
