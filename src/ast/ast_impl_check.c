/*
 * ast_impl_check.c — semantic checks of an Impl AST (see ast_impl_check.h):
 * one walk over statements and expressions with a scope stack of declared
 * variables, the API operation and the DB AST at hand.
 */
#include "ast/ast_impl_check.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "util/alloc.h"

#define IC_MAX_SCOPE 2048 /* live names during the walk */

typedef struct ic_name {
    const char *name;
    int is_const;
    size_t block; /* block id of the declaration */
} ic_name;

typedef struct ic_ctx {
    const ast_db *db;
    const ast_api_doc *api;
    const ast_api_operation *op; /* may be NULL */
    schema_errors *errs;
    ic_name names[IC_MAX_SCOPE];
    size_t n_names;
    size_t block_id;
    size_t next_block;
    size_t n_errors;
    bb_result rc;
} ic_ctx;

static void ic_err(ic_ctx *c, const char *path, const char *rule, const char *value, const char *fmt, ...)
    __attribute__((format(printf, 5, 6)));

static void ic_err(ic_ctx *c, const char *path, const char *rule, const char *value, const char *fmt, ...)
{
    char msg[512], val[300];
    va_list ap;
    bb_result rc;

    c->n_errors++;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    if (value)
        snprintf(val, sizeof val, "\"%.200s\"", value);
    else
        snprintf(val, sizeof val, "undefined");
    rc = schema_errors_add(c->errs, SCHEMA_ERR_SEMANTIC, path ? path : "$input", rule, val, msg);
    if (rc != BB_OK && c->rc == BB_OK)
        c->rc = rc;
}

const ast_api_operation *ast_impl_find_operation(const ast_api_doc *api, const ast_impl_op *op)
{
    size_t i;

    for (i = 0; i < api->n_operations; i++) {
        if (api->operations[i].method == (ast_api_method)op->method && op->path &&
            strcmp(api->operations[i].path, op->path) == 0)
            return &api->operations[i];
    }
    return NULL;
}

/* Resolves $refs (bounded) to the object DTO, or NULL. */
static const ast_api_dto *ic_object_dto(const ast_api_doc *api, const ast_api_dto *d)
{
    int hops;

    for (hops = 0; d && hops < 16; hops++) {
        if (d->kind == AST_API_DTO_OBJECT)
            return d;
        if (d->kind != AST_API_DTO_REFERENCE || !d->u.reference.name)
            return NULL;
        d = ast_api_find_schema(api, d->u.reference.name);
    }
    return NULL;
}

static int ic_dto_has(const ast_api_dto *d, const char *name)
{
    size_t i;

    for (i = 0; i < d->u.object.n_properties; i++) {
        if (strcmp(d->u.object.properties[i].name, name) == 0)
            return 1;
    }
    return 0;
}

static int ic_has_column(const ast_db_model *m, const char *col)
{
    size_t i;

    if (strcmp(m->primary.name ? m->primary.name : "id", col) == 0)
        return 1;
    for (i = 0; i < m->n_foreigns; i++) {
        if (strcmp(m->foreigns[i].name, col) == 0)
            return 1;
    }
    for (i = 0; i < m->n_plains; i++) {
        if (strcmp(m->plains[i].name, col) == 0)
            return 1;
    }
    return 0;
}

/* ---- static types (only what is visible without running) ------------------ */

typedef enum ic_type { IC_T_UNKNOWN = 0, IC_T_STRING, IC_T_NUMBER, IC_T_BOOL, IC_T_NULL, IC_T_ARRAY, IC_T_OBJECT } ic_type;

static const char *ic_type_name(ic_type t)
{
    static const char *const names[] = {"unknown", "string", "number", "boolean", "null", "array", "object"};

    return names[t];
}

/* The type of a DTO schema, following $refs; nullable unions give the type of
 * their one non-null member; unions of string constants give string. */
static ic_type ic_dto_type(const ast_api_doc *api, const ast_api_dto *d, int depth)
{
    size_t i;
    ic_type t = IC_T_UNKNOWN, m;

    if (!d || depth > 16)
        return IC_T_UNKNOWN;
    switch (d->kind) {
    case AST_API_DTO_BOOLEAN: return IC_T_BOOL;
    case AST_API_DTO_INTEGER:
    case AST_API_DTO_NUMBER: return IC_T_NUMBER;
    case AST_API_DTO_STRING: return IC_T_STRING;
    case AST_API_DTO_ARRAY: return IC_T_ARRAY;
    case AST_API_DTO_OBJECT: return IC_T_OBJECT;
    case AST_API_DTO_NULL: return IC_T_NULL;
    case AST_API_DTO_CONSTANT:
        return d->u.constant.kind == AST_API_LIT_STRING ? IC_T_STRING
               : d->u.constant.kind == AST_API_LIT_BOOL ? IC_T_BOOL
               : d->u.constant.kind == AST_API_LIT_INT || d->u.constant.kind == AST_API_LIT_REAL ? IC_T_NUMBER
                                                                                                  : IC_T_UNKNOWN;
    case AST_API_DTO_REFERENCE:
        return d->u.reference.name ? ic_dto_type(api, ast_api_find_schema(api, d->u.reference.name), depth + 1)
                                   : IC_T_UNKNOWN;
    case AST_API_DTO_ONEOF:
        for (i = 0; i < d->u.one_of.n_members; i++) {
            m = ic_dto_type(api, d->u.one_of.members[i], depth + 1);
            if (m == IC_T_NULL)
                continue;
            if (m == IC_T_UNKNOWN || (t != IC_T_UNKNOWN && t != m))
                return IC_T_UNKNOWN;
            t = m;
        }
        return t;
    default: return IC_T_UNKNOWN;
    }
}

static ic_type ic_expr_type(const ic_ctx *c, const ast_impl_expr *x)
{
    switch (x->kind) {
    case AST_IMPL_E_STRING: return IC_T_STRING;
    case AST_IMPL_E_NUMBER: return IC_T_NUMBER;
    case AST_IMPL_E_BOOLEAN: return IC_T_BOOL;
    case AST_IMPL_E_NULL: return IC_T_NULL;
    case AST_IMPL_E_ARRAY: return IC_T_ARRAY;
    case AST_IMPL_E_OBJECT: return IC_T_OBJECT;
    case AST_IMPL_E_COUNT: return IC_T_NUMBER;
    case AST_IMPL_E_UNARY: return x->unop == AST_IMPL_NOT ? IC_T_BOOL : IC_T_NUMBER;
    case AST_IMPL_E_BINARY:
        if (x->binop <= AST_IMPL_GE)
            return IC_T_BOOL;
        if (x->binop >= AST_IMPL_SUB && x->binop <= AST_IMPL_MOD)
            return IC_T_NUMBER;
        return IC_T_UNKNOWN;
    case AST_IMPL_E_CALL:
        switch (x->fn) {
        case AST_IMPL_FN_NOW:
        case AST_IMPL_FN_UUID:
        case AST_IMPL_FN_HASH_PASSWORD:
        case AST_IMPL_FN_LOWER:
        case AST_IMPL_FN_UPPER:
        case AST_IMPL_FN_TRIM:
        case AST_IMPL_FN_FORMAT_DATE: return IC_T_STRING;
        case AST_IMPL_FN_LENGTH:
        case AST_IMPL_FN_MIN:
        case AST_IMPL_FN_MAX:
        case AST_IMPL_FN_FLOOR:
        case AST_IMPL_FN_CEIL:
        case AST_IMPL_FN_ROUND:
        case AST_IMPL_FN_ABS:
        case AST_IMPL_FN_SUM: return IC_T_NUMBER;
        case AST_IMPL_FN_VERIFY_PASSWORD:
        case AST_IMPL_FN_CONTAINS:
        case AST_IMPL_FN_STARTS_WITH:
        case AST_IMPL_FN_INCLUDES: return IC_T_BOOL;
        case AST_IMPL_FN_MAP:
        case AST_IMPL_FN_FILTER: return IC_T_ARRAY;
        default: return IC_T_UNKNOWN;
        }
    case AST_IMPL_E_PROPERTY:
        if (x->a->kind == AST_IMPL_E_BODY && c->op && c->op->request_body) {
            const ast_api_dto *d = ic_object_dto(c->api, ast_api_find_schema(c->api, c->op->request_body->type_name));
            size_t i;

            for (i = 0; d && i < d->u.object.n_properties; i++) {
                if (strcmp(d->u.object.properties[i].name, x->s) == 0)
                    return ic_dto_type(c->api, d->u.object.properties[i].schema, 0);
            }
        }
        return IC_T_UNKNOWN;
    default: return IC_T_UNKNOWN;
    }
}

/* The value type of a column and whether it is nullable; IC_T_UNKNOWN when absent. */
static ic_type ic_column_type(const ast_db_model *m, const char *col, int *nullable)
{
    size_t i;

    *nullable = 0;
    if (strcmp(m->primary.name ? m->primary.name : "id", col) == 0)
        return IC_T_STRING;
    for (i = 0; i < m->n_foreigns; i++) {
        if (strcmp(m->foreigns[i].name, col) == 0) {
            *nullable = m->foreigns[i].nullable;
            return IC_T_STRING;
        }
    }
    for (i = 0; i < m->n_plains; i++) {
        if (strcmp(m->plains[i].name, col) == 0) {
            *nullable = m->plains[i].nullable;
            switch (m->plains[i].type) {
            case AST_DB_BOOLEAN: return IC_T_BOOL;
            case AST_DB_INT:
            case AST_DB_DOUBLE: return IC_T_NUMBER;
            default: return IC_T_STRING;
            }
        }
    }
    return IC_T_UNKNOWN;
}

/* A value written to (write = 1) or compared with a column. */
static void ic_value_for_column(ic_ctx *c, const ast_db_model *m, const char *col, const ast_impl_expr *v,
                                int write, const char *path)
{
    int nullable;
    ic_type want, got;

    if (!m || !v)
        return;
    want = ic_column_type(m, col, &nullable);
    got = ic_expr_type(c, v);
    if (want == IC_T_UNKNOWN || got == IC_T_UNKNOWN)
        return;
    if (got == IC_T_NULL) {
        if (write && !nullable)
            ic_err(c, path, AST_IMPL_RULE_NOT_NULL, col, "column %s.%s is NOT NULL: null cannot be stored", m->name,
                   col);
        return;
    }
    if (got != want)
        ic_err(c, path, AST_IMPL_RULE_COLUMN_TYPE, ic_type_name(got), "column %s.%s holds %s values, not %s", m->name,
               col, ic_type_name(want), ic_type_name(got));
}

static ic_name *ic_lookup(ic_ctx *c, const char *name)
{
    size_t i;

    for (i = c->n_names; i > 0; i--) {
        if (strcmp(c->names[i - 1].name, name) == 0)
            return &c->names[i - 1];
    }
    return NULL;
}

static void ic_declare(ic_ctx *c, const char *name, int is_const, const char *path)
{
    ic_name *prev = ic_lookup(c, name);

    if (prev && prev->block == c->block_id)
        ic_err(c, path, AST_IMPL_RULE_REDECLARED, name, "variable %s is already declared in this block", name);
    if (c->n_names >= IC_MAX_SCOPE) {
        ic_err(c, path, AST_IMPL_RULE_VARIABLE, name, "too many variables");
        return;
    }
    c->names[c->n_names].name = name;
    c->names[c->n_names].is_const = is_const;
    c->names[c->n_names].block = c->block_id;
    c->n_names++;
}

static void ic_expr(ic_ctx *c, const ast_impl_expr *x);

static void ic_column(ic_ctx *c, const ast_db_model *m, const char *col, const char *path)
{
    if (m && !ic_has_column(m, col))
        ic_err(c, path, AST_IMPL_RULE_COLUMN, col, "table %s has no column %s", m->name, col);
}

static void ic_where(ic_ctx *c, const ast_db_model *m, const ast_impl_where *w)
{
    size_t i;
    char path[1024];

    if (!w)
        return;
    switch (w->kind) {
    case AST_IMPL_W_AND:
    case AST_IMPL_W_OR:
        for (i = 0; i < w->n_items; i++)
            ic_where(c, m, w->items[i]);
        break;
    case AST_IMPL_W_NOT:
        ic_where(c, m, w->inner);
        break;
    case AST_IMPL_W_COMPARE:
        snprintf(path, sizeof path, "%s.column", w->path);
        ic_column(c, m, w->column, path);
        if (!w->value)
            break;
        ic_expr(c, w->value);
        if (m && ic_has_column(m, w->column)) {
            ic_type t = ic_expr_type(c, w->value);

            if ((w->op == AST_IMPL_CMP_CONTAINS || w->op == AST_IMPL_CMP_STARTS_WITH) && t != IC_T_UNKNOWN &&
                t != IC_T_STRING)
                ic_err(c, w->value->path, AST_IMPL_RULE_OPERAND_TYPE, ic_type_name(t), "%s takes a string value",
                       ast_impl_cmp_name(w->op));
            else if (w->op == AST_IMPL_CMP_IN && t != IC_T_UNKNOWN && t != IC_T_ARRAY)
                ic_err(c, w->value->path, AST_IMPL_RULE_OPERAND_TYPE, ic_type_name(t), "in takes an array value");
            else if (w->op == AST_IMPL_CMP_IS_NULL && t != IC_T_UNKNOWN && t != IC_T_BOOL)
                ic_err(c, w->value->path, AST_IMPL_RULE_OPERAND_TYPE, ic_type_name(t),
                       "isNull takes no value or a boolean");
            else if (w->op <= AST_IMPL_CMP_GTE)
                ic_value_for_column(c, m, w->column, w->value, 0, w->value->path);
        }
        break;
    default:
        break;
    }
}

static void ic_db(ic_ctx *c, const ast_impl_expr *x)
{
    const ast_db_model *m = ast_db_find_model(c->db, x->s);
    size_t i;
    char path[1024];

    if (!m)
        ic_err(c, x->table_path, AST_IMPL_RULE_TABLE, x->s, "the database has no table %s", x->s);
    else if (m->material && (x->kind == AST_IMPL_E_CREATE || x->kind == AST_IMPL_E_UPDATE || x->kind == AST_IMPL_E_DELETE))
        ic_err(c, x->table_path, AST_IMPL_RULE_READ_ONLY, x->s, "table %s is a materialized view", x->s);
    ic_where(c, m, x->where);
    for (i = 0; i < x->n_fields; i++) {
        ic_column(c, m, x->fields[i].name, x->fields[i].path);
        ic_expr(c, x->fields[i].value);
        if (m && ic_has_column(m, x->fields[i].name))
            ic_value_for_column(c, m, x->fields[i].name, x->fields[i].value, 1, x->fields[i].path);
    }
    for (i = 0; i < x->n_select; i++) {
        snprintf(path, sizeof path, "%s.select[%zu]", x->path, i);
        ic_column(c, m, x->select[i], path);
    }
    for (i = 0; i < x->n_order; i++) {
        const ast_impl_order *o = &x->order[i];

        if (o->column->kind == AST_IMPL_E_STRING)
            ic_column(c, m, o->column->s, o->column->path);
        else
            ic_expr(c, o->column);
        if (o->direction)
            ic_expr(c, o->direction);
    }
    if (x->skip)
        ic_expr(c, x->skip);
    if (x->take)
        ic_expr(c, x->take);
}

static void ic_expr(ic_ctx *c, const ast_impl_expr *x)
{
    size_t i, mark;
    int lo, hi;

    if (c->rc != BB_OK)
        return;
    switch (x->kind) {
    case AST_IMPL_E_OBJECT:
        for (i = 0; i < x->n_fields; i++)
            ic_expr(c, x->fields[i].value);
        break;
    case AST_IMPL_E_ARRAY:
        for (i = 0; i < x->n_items; i++)
            ic_expr(c, x->items[i]);
        break;
    case AST_IMPL_E_IDENT:
        if (!ic_lookup(c, x->s))
            ic_err(c, x->path, AST_IMPL_RULE_VARIABLE, x->s, "unknown variable %s: declare it with const or let first",
                   x->s);
        break;
    case AST_IMPL_E_PATH_PARAM:
        if (c->op) {
            int found = 0;

            for (i = 0; i < c->op->n_parameters; i++) {
                if (strcmp(c->op->parameters[i].name, x->s) == 0)
                    found = 1;
            }
            if (!found)
                ic_err(c, x->path, AST_IMPL_RULE_PATH_PARAM, x->s, "the operation %s has no path parameter %s",
                       c->op->path, x->s);
        }
        break;
    case AST_IMPL_E_BODY:
        if (c->op && !c->op->request_body)
            ic_err(c, x->path, AST_IMPL_RULE_NO_BODY, NULL, "the operation has no request body");
        break;
    case AST_IMPL_E_PRINCIPAL:
        if (c->op && (!c->op->authorization_actor || c->op->authorization_type != AST_API_AUTH_NONE))
            ic_err(c, x->path, AST_IMPL_RULE_NO_PRINCIPAL, NULL,
                   "the operation is public (no bearer token is required): there is no principal");
        break;
    case AST_IMPL_E_PROPERTY:
        ic_expr(c, x->a);
        if (x->a->kind == AST_IMPL_E_BODY && c->op && c->op->request_body) {
            const ast_api_dto *d = ic_object_dto(c->api, ast_api_find_schema(c->api, c->op->request_body->type_name));

            if (d && !ic_dto_has(d, x->s))
                ic_err(c, x->path, AST_IMPL_RULE_BODY_PROPERTY, x->s, "the request body %s has no property %s",
                       c->op->request_body->type_name, x->s);
        }
        break;
    case AST_IMPL_E_UNARY:
        ic_expr(c, x->a);
        break;
    case AST_IMPL_E_BINARY:
        ic_expr(c, x->a);
        ic_expr(c, x->b2);
        break;
    case AST_IMPL_E_CONDITIONAL:
        ic_expr(c, x->a);
        ic_expr(c, x->b2);
        ic_expr(c, x->c);
        break;
    case AST_IMPL_E_CALL:
        ast_impl_builtin_arity(x->fn, &lo, &hi);
        if ((int)x->n_items < lo || (int)x->n_items > hi)
            ic_err(c, x->path, AST_IMPL_RULE_ARITY, ast_impl_builtin_name(x->fn), "%s takes %d to %d arguments, got %zu",
                   ast_impl_builtin_name(x->fn), lo, hi, x->n_items);
        for (i = 0; i < x->n_items; i++) {
            const ast_impl_expr *a = x->items[i];

            if (a->kind == AST_IMPL_E_LAMBDA) {
                if (i != 1 || (x->fn != AST_IMPL_FN_MAP && x->fn != AST_IMPL_FN_FILTER))
                    ic_err(c, a->path, AST_IMPL_RULE_LAMBDA, ast_impl_builtin_name(x->fn),
                           "a lambda is only the second argument of map or filter");
                size_t saved = c->block_id, k;

                mark = c->n_names;
                c->block_id = ++c->next_block;
                for (k = 0; k < a->n_params; k++)
                    ic_declare(c, a->params[k], 1, a->path);
                ic_expr(c, a->a);
                c->n_names = mark;
                c->block_id = saved;
            } else {
                ic_expr(c, a);
                if (i == 1 && (x->fn == AST_IMPL_FN_MAP || x->fn == AST_IMPL_FN_FILTER))
                    ic_err(c, a->path, AST_IMPL_RULE_LAMBDA, ast_impl_expr_kind_name(a->kind),
                           "the second argument of %s is a lambda {type: \"lambda\", params, body}",
                           ast_impl_builtin_name(x->fn));
            }
        }
        break;
    case AST_IMPL_E_LAMBDA:
        ic_err(c, x->path, AST_IMPL_RULE_LAMBDA, NULL, "a lambda is only the second argument of map or filter");
        break;
    case AST_IMPL_E_FIND_MANY:
    case AST_IMPL_E_FIND_FIRST:
    case AST_IMPL_E_COUNT:
    case AST_IMPL_E_CREATE:
    case AST_IMPL_E_UPDATE:
    case AST_IMPL_E_DELETE:
        ic_db(c, x);
        break;
    default:
        break;
    }
}

static void ic_return(ic_ctx *c, const ast_impl_stmt *s)
{
    const ast_api_dto *d;
    size_t i;

    if (!c->op)
        return;
    if (!c->op->response_body && s->value && s->value->kind != AST_IMPL_E_NULL &&
        s->value->kind != AST_IMPL_E_UNDEFINED) {
        ic_err(c, s->path, AST_IMPL_RULE_RETURN_BODY, NULL, "the operation has no response body: return without body");
        return;
    }
    if (c->op->response_body && !s->value) {
        ic_err(c, s->path, AST_IMPL_RULE_RETURN_BODY, NULL, "the operation responds with %s: return a body",
               c->op->response_body->type_name);
        return;
    }
    if (!s->value || s->value->kind != AST_IMPL_E_OBJECT || !c->op->response_body)
        return;
    d = ic_object_dto(c->api, ast_api_find_schema(c->api, c->op->response_body->type_name));
    if (!d)
        return;
    for (i = 0; i < s->value->n_fields; i++) {
        if (!ic_dto_has(d, s->value->fields[i].name))
            ic_err(c, s->value->fields[i].path, AST_IMPL_RULE_RESPONSE_PROP, s->value->fields[i].name,
                   "the response %s has no property %s", c->op->response_body->type_name, s->value->fields[i].name);
    }
    for (i = 0; i < d->u.object.n_required; i++) {
        size_t k;
        int found = 0;

        for (k = 0; k < s->value->n_fields; k++) {
            if (strcmp(s->value->fields[k].name, d->u.object.required[i]) == 0)
                found = 1;
        }
        if (!found)
            ic_err(c, s->value->path, AST_IMPL_RULE_RESPONSE_REQ, d->u.object.required[i],
                   "the response %s requires property %s", c->op->response_body->type_name, d->u.object.required[i]);
    }
}

static int ic_block(ic_ctx *c, const ast_impl_block *b);

/* Returns 1 when the statement always ends in return/throw. */
static int ic_stmt(ic_ctx *c, const ast_impl_stmt *s)
{
    ic_name *n;
    size_t mark, saved;
    int t1, t2;

    switch (s->kind) {
    case AST_IMPL_S_CONST:
    case AST_IMPL_S_LET:
        ic_expr(c, s->value);
        ic_declare(c, s->name, s->kind == AST_IMPL_S_CONST, s->path);
        return 0;
    case AST_IMPL_S_ASSIGN:
        ic_expr(c, s->value);
        n = ic_lookup(c, s->name);
        if (!n)
            ic_err(c, s->path, AST_IMPL_RULE_VARIABLE, s->name, "assignment to undeclared variable %s", s->name);
        else if (n->is_const)
            ic_err(c, s->path, AST_IMPL_RULE_ASSIGN_CONST, s->name, "%s is const: declare it with let to assign",
                   s->name);
        return 0;
    case AST_IMPL_S_IF:
        ic_expr(c, s->value);
        t1 = ic_block(c, &s->then_block);
        t2 = s->has_else ? ic_block(c, &s->else_block) : 0;
        return t1 && t2;
    case AST_IMPL_S_FOR_EACH:
        ic_expr(c, s->value);
        mark = c->n_names;
        saved = c->block_id;
        c->block_id = ++c->next_block;
        ic_declare(c, s->name, 1, s->path);
        (void)ic_block(c, &s->body);
        c->n_names = mark;
        c->block_id = saved;
        return 0;
    case AST_IMPL_S_RETURN:
        if (s->value)
            ic_expr(c, s->value);
        ic_return(c, s);
        return 1;
    case AST_IMPL_S_THROW:
        ic_expr(c, s->value);
        return 1;
    case AST_IMPL_S_EXPR:
        ic_expr(c, s->value);
        return 0;
    default:
        return 0;
    }
}

static int ic_block(ic_ctx *c, const ast_impl_block *b)
{
    size_t i, mark = c->n_names, saved = c->block_id;
    int term = 0;

    c->block_id = ++c->next_block;
    for (i = 0; i < b->n; i++) {
        if (term) {
            ic_err(c, b->items[i]->path, AST_IMPL_RULE_UNREACHABLE, ast_impl_stmt_kind_name(b->items[i]->kind),
                   "this statement follows a return or throw and never runs");
            break;
        }
        if (ic_stmt(c, b->items[i]))
            term = 1;
    }
    c->n_names = mark;
    c->block_id = saved;
    return term;
}

bb_result ast_impl_check(const ast_impl_op *op, const ast_db *db, const ast_api_doc *api, schema_errors *errs)
{
    ic_ctx *c = bb_calloc(1, sizeof *c);
    bb_result rc;

    if (!c)
        return BB_ERR_NOMEM;
    c->db = db;
    c->api = api;
    c->errs = errs;
    c->op = ast_impl_find_operation(api, op);
    if (!c->op) {
        char path[1200];

        snprintf(path, sizeof path, "%s", op->statements.path ? op->statements.path : "$input");
        /* point at the endpoint: the statements path ends in ".statements" */
        if (strlen(path) > 11 && strcmp(path + strlen(path) - 11, ".statements") == 0)
            memcpy(path + strlen(path) - 11, ".endpoint", 10);
        ic_err(c, path, AST_IMPL_RULE_ENDPOINT, op->path, "the API has no operation %s %s",
               ast_impl_method_name(op->method), op->path ? op->path : "?");
    }
    if (!ic_block(c, &op->statements) && c->rc == BB_OK)
        ic_err(c, op->statements.path, AST_IMPL_RULE_FALLS_OFF, NULL,
               "some path through the statements ends without return or throw");
    rc = c->rc != BB_OK ? c->rc : c->n_errors ? BB_ERR_INVALID : BB_OK;
    bb_free(c);
    return rc;
}

bb_result ast_impl_check_json(const json_t *doc, const ast_db *db, const ast_api_doc *api, ast_impl_op **out,
                              schema_errors *errs)
{
    ast_impl_op *op = NULL;
    bb_result rc;

    if (out)
        *out = NULL;
    rc = ast_impl_load(doc, "$input", &op, errs);
    if (rc == BB_OK)
        rc = ast_impl_check(op, db, api, errs);
    if (rc == BB_OK && out) {
        *out = op;
        op = NULL;
    }
    ast_impl_free(op);
    return rc;
}
