/*
 * engine_mutate.c — mutation operators over Impl AST documents
 * (engine_mutate.h).
 *
 * One walker serves enumeration and application: it visits the document in
 * a fixed order and numbers every site where an operator applies; with a
 * target index it performs that site's change on the (copied) document and
 * stops. Because enumeration and application walk identical documents the
 * numbering agrees.
 */
#include "engine/engine_mutate.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "util/alloc.h"

static const char *const mu_names[ENG_MUT_OPERATOR_COUNT_] = {
    "drop_where", "flip_compare", "drop_check", "change_status", "skip_write",
    "drop_field", "off_by_one", "reverse_sort", "negate_if",
};

const char *eng_mut_operator_name(eng_mut_operator op)
{
    return (unsigned)op < ENG_MUT_OPERATOR_COUNT_ ? mu_names[op] : NULL;
}


/* Formats a path (truncated past the buffer: paths only name sites). */
static void mu_fmt(char *p, size_t cap, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
static void mu_fmt(char *p, size_t cap, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(p, cap, fmt, ap);
    va_end(ap);
}

typedef struct mu {
    size_t count;      /* sites seen */
    long target;       /* site to apply, -1: enumerate */
    int done;
    bb_result rc;
    eng_mutant_list *list; /* enumeration output */
    const char *label;
    size_t depth;
} mu;

/* Registers a site; returns 1 when it is the one to apply now. */
static int mu_site(mu *m, eng_mut_operator op, const char *path)
{
    size_t k = m->count++;
    if (m->target >= 0)
        return (long)k == m->target;
    if (m->list && m->rc == BB_OK) {
        eng_mutant *it;
        if (m->list->n >= ENG_MUT_MAX_PER_OP)
            return 0;
        it = &m->list->items[m->list->n++];
        it->op = op;
        it->index = k;
        snprintf(it->site, sizeof(it->site), "%s", path);
        snprintf(it->name, sizeof(it->name), "%s: %s #%zu (%.120s)", m->label, mu_names[op], k, path);
    }
    return 0;
}

static const char *mu_type(const json_t *o)
{
    const char *t = json_string_value(json_object_get(o, "type"));
    return t ? t : "";
}

static json_t *mu_num(long v)
{
    return json_pack("{s:s,s:I}", "type", "numberLiteral", "value", (json_int_t)v);
}

static int mu_throws(const json_t *block)
{
    size_t i;
    json_t *s;
    json_array_foreach (block, i, s)
        if (strcmp(mu_type(s), "throw") == 0)
            return 1;
    return 0;
}

static int mu_is_write(const json_t *e)
{
    const char *t = mu_type(e);
    return strcmp(t, "create") == 0 || strcmp(t, "update") == 0 || strcmp(t, "delete") == 0;
}

static const char *mu_flip_cmp(const char *op)
{
    static const char *const pairs[][2] = {
        {"eq", "ne"}, {"ne", "eq"}, {"lt", "gte"}, {"lte", "gt"}, {"gt", "lte"}, {"gte", "lt"},
        {"==", "!="}, {"!=", "=="}, {"<", ">="}, {"<=", ">"}, {">", "<="}, {">=", "<"},
    };
    size_t i;
    for (i = 0; op && i < sizeof(pairs) / sizeof(pairs[0]); i++)
        if (strcmp(op, pairs[i][0]) == 0)
            return pairs[i][1];
    return NULL;
}

static long mu_new_status(long st)
{
    switch (st) {
    case 200: return 201;
    case 201: return 200;
    case 204: return 200;
    case 404: return 403;
    case 403: return 404;
    case 409: return 400;
    case 401: return 403;
    case 400: return 422;
    default: return st >= 400 ? 400 : 200;
    }
}

typedef struct mu_ctx {
    int in_where;
    int in_return;
    int in_direction;
} mu_ctx;

static void mu_walk(mu *m, json_t *v, const char *path, mu_ctx ctx);

static void mu_child(mu *m, json_t *v, const char *path, const char *key, mu_ctx ctx)
{
    char p[1024];
    mu_fmt(p, sizeof(p), "%s.%s", path, key);
    mu_walk(m, v, p, ctx);
}

/* Statement arrays: sites that remove a statement. */
static void mu_block(mu *m, json_t *arr, const char *path, mu_ctx ctx)
{
    size_t i;
    char p[1024];
    for (i = 0; i < json_array_size(arr) && !m->done; i++) {
        json_t *s = json_array_get(arr, i);
        const char *t = mu_type(s);
        mu_fmt(p, sizeof(p), "%s[%zu]", path, i);
        if (strcmp(t, "if") == 0 && mu_throws(json_object_get(s, "then")) && mu_site(m, ENG_MUT_DROP_CHECK, p)) {
            json_array_remove(arr, i);
            m->done = 1;
            return;
        }
        if (strcmp(t, "expression") == 0 && mu_is_write(json_object_get(s, "expression")) &&
            mu_site(m, ENG_MUT_SKIP_WRITE, p)) {
            json_array_remove(arr, i);
            m->done = 1;
            return;
        }
        mu_walk(m, s, p, ctx);
    }
}

static void mu_walk(mu *m, json_t *v, const char *path, mu_ctx ctx)
{
    const char *t, *key;
    json_t *child;
    char p[1024];
    size_t i;
    if (m->done || !v || ++m->depth > 200) {
        if (v)
            m->depth--;
        return;
    }
    if (json_is_array(v)) {
        for (i = 0; i < json_array_size(v) && !m->done; i++) {
            mu_fmt(p, sizeof(p), "%s[%zu]", path, i);
            mu_walk(m, json_array_get(v, i), p, ctx);
        }
        m->depth--;
        return;
    }
    if (!json_is_object(v)) {
        m->depth--;
        return;
    }
    t = mu_type(v);
    /* where clauses */
    if ((strcmp(t, "and") == 0 || strcmp(t, "or") == 0) && ctx.in_where) {
        json_t *conds = json_object_get(v, "conditions");
        for (i = 0; json_array_size(conds) >= 2 && i < json_array_size(conds); i++) {
            mu_fmt(p, sizeof(p), "%s.conditions[%zu]", path, i);
            if (mu_site(m, ENG_MUT_DROP_WHERE, p)) {
                json_array_remove(conds, i);
                m->done = 1;
                goto out;
            }
        }
    }
    if (strcmp(t, "compare") == 0 && ctx.in_where) {
        const char *op = json_string_value(json_object_get(v, "op"));
        const char *flip = mu_flip_cmp(op);
        if (flip && mu_site(m, ENG_MUT_FLIP_COMPARE, path)) {
            json_object_set_new(v, "op", json_string(flip));
            m->done = 1;
            goto out;
        }
        if (op && strcmp(op, "isNull") == 0 && !json_object_get(v, "value") &&
            mu_site(m, ENG_MUT_FLIP_COMPARE, path)) {
            json_object_set_new(v, "value", json_pack("{s:s,s:b}", "type", "booleanLiteral", "value", 0));
            m->done = 1;
            goto out;
        }
    }
    if (strcmp(t, "binary") == 0) {
        const char *flip = mu_flip_cmp(json_string_value(json_object_get(v, "operator")));
        if (flip && mu_site(m, ENG_MUT_FLIP_COMPARE, path)) {
            json_object_set_new(v, "operator", json_string(flip));
            m->done = 1;
            goto out;
        }
    }
    if (strcmp(t, "if") == 0 && json_object_get(v, "condition") && mu_site(m, ENG_MUT_NEGATE_IF, path)) {
        json_t *c = json_object_get(v, "condition");
        json_object_set_new(v, "condition",
                            json_pack("{s:s,s:s,s:O}", "type", "unary", "operator", "!", "operand", c));
        m->done = 1;
        goto out;
    }
    if ((strcmp(t, "return") == 0 || strcmp(t, "throw") == 0) && json_is_integer(json_object_get(v, "status")) &&
        mu_site(m, ENG_MUT_CHANGE_STATUS, path)) {
        long st = (long)json_integer_value(json_object_get(v, "status"));
        json_object_set_new(v, "status", json_integer(mu_new_status(st)));
        m->done = 1;
        goto out;
    }
    if (strcmp(t, "objectLiteral") == 0 && ctx.in_return) {
        json_t *props = json_object_get(v, "properties");
        json_object_foreach (props, key, child) {
            mu_fmt(p, sizeof(p), "%s.properties.%s", path, key);
            if (mu_site(m, ENG_MUT_DROP_FIELD, p)) {
                json_object_del(props, key);
                m->done = 1;
                goto out;
            }
        }
    }
    if (strcmp(t, "findMany") == 0) {
        static const char *const keys[] = {"skip", "take"};
        for (i = 0; i < 2; i++) {
            json_t *e = json_object_get(v, keys[i]);
            mu_fmt(p, sizeof(p), "%s.%s", path, keys[i]);
            if (e && mu_site(m, ENG_MUT_OFF_BY_ONE, p)) {
                json_object_set_new(v, keys[i], json_pack("{s:s,s:s,s:O,s:o}", "type", "binary", "operator", "+",
                                                          "left", e, "right", mu_num(1)));
                m->done = 1;
                goto out;
            }
        }
    }
    if (strcmp(t, "stringLiteral") == 0 && ctx.in_direction) {
        const char *s = json_string_value(json_object_get(v, "value"));
        if (s && (strcmp(s, "asc") == 0 || strcmp(s, "desc") == 0) && mu_site(m, ENG_MUT_REVERSE_SORT, path)) {
            json_object_set_new(v, "value", json_string(s[0] == 'a' ? "desc" : "asc"));
            m->done = 1;
            goto out;
        }
    }
    if (!*t && json_object_get(v, "column") && !json_object_get(v, "direction") && !ctx.in_where &&
        mu_site(m, ENG_MUT_REVERSE_SORT, path)) { /* an orderBy item with the default direction */
        json_object_set_new(v, "direction", json_pack("{s:s,s:s}", "type", "stringLiteral", "value", "desc"));
        m->done = 1;
        goto out;
    }
    /* children, in key order of the document */
    json_object_foreach (v, key, child) {
        mu_ctx c = ctx;
        if (m->done)
            break;
        if (strcmp(key, "where") == 0)
            c.in_where = 1;
        else if (ctx.in_where && strcmp(key, "value") == 0)
            c.in_where = 0;
        if (strcmp(key, "direction") == 0)
            c.in_direction = 1;
        if (strcmp(t, "return") == 0 && strcmp(key, "body") == 0)
            c.in_return = 1;
        else if (strcmp(key, "where") == 0 || strcmp(key, "data") == 0)
            c.in_return = 0;
        if (json_is_array(child) && (strcmp(key, "statements") == 0 || strcmp(key, "then") == 0 ||
                                     strcmp(key, "else") == 0 || (strcmp(key, "body") == 0 && json_is_array(child)))) {
            mu_fmt(p, sizeof(p), "%s.%s", path, key);
            mu_block(m, child, p, c);
        } else
            mu_child(m, child, path, key, c);
    }
out:
    m->depth--;
}

bb_result eng_mutate_list(const json_t *op_doc, const char *label, eng_mutant_list *out)
{
    mu m;
    json_t *copy;
    memset(out, 0, sizeof(*out));
    memset(&m, 0, sizeof(m));
    out->items = bb_calloc(ENG_MUT_MAX_PER_OP, sizeof(*out->items));
    if (!out->items)
        return BB_ERR_NOMEM;
    copy = json_deep_copy(op_doc); /* the walker takes non-const nodes; it changes nothing here */
    if (!copy) {
        eng_mutant_list_free(out);
        return BB_ERR_NOMEM;
    }
    m.target = -1;
    m.list = out;
    m.label = label ? label : "";
    mu_walk(&m, copy, "$input", (mu_ctx){0, 0, 0});
    json_decref(copy);
    return m.rc;
}

void eng_mutant_list_free(eng_mutant_list *l)
{
    if (!l)
        return;
    bb_free(l->items);
    l->items = NULL;
    l->n = 0;
}

bb_result eng_mutate_apply(const json_t *op_doc, const eng_mutant *mt, json_t **out)
{
    mu m;
    json_t *copy = json_deep_copy(op_doc);
    *out = NULL;
    if (!copy)
        return BB_ERR_NOMEM;
    memset(&m, 0, sizeof(m));
    m.target = (long)mt->index;
    mu_walk(&m, copy, "$input", (mu_ctx){0, 0, 0});
    if (!m.done) {
        json_decref(copy);
        return BB_ERR_NOT_FOUND;
    }
    *out = copy;
    return BB_OK;
}
