/*
 * rules.c — the design-quality rules of the db and api phases (see rules.h
 * and docs/scoring.md for each rule, its weight and why a reviewer cares).
 */
#include "bench/rules.h"

#include <stdio.h>
#include <string.h>

#include "bench/names.h"
#include "util/alloc.h"
#include "util/buf.h"

#define RULES_DETAIL_MAX  512 /* bytes of a rule's detail text */
#define RULES_DETAIL_NAMES 4  /* offenders named in a detail */
#define RULES_MIN_TOLERANCE 3 /* size rule: extra items always tolerated */

double bench_rules_fraction(size_t defects, size_t basis)
{
    double f;

    if (defects == 0)
        return 1.0;
    if (basis == 0)
        return 0.0;
    f = 1.0 - (double)defects / (double)basis;
    return f < 0 ? 0 : f;
}

/* A rule being evaluated: counts defects and names the first offenders. */
typedef struct rules_acc {
    bench_rule_result *r;
    bb_buf detail;
    size_t basis;
} rules_acc;

static void rules_begin(rules_acc *a, bench_rule_result *r, const char *id, const char *title, double weight,
                        size_t basis)
{
    memset(r, 0, sizeof *r);
    r->id = id;
    r->title = title;
    r->weight = weight;
    a->r = r;
    a->basis = basis;
    bb_buf_init(&a->detail, RULES_DETAIL_MAX);
}

/* One defect; what (may be NULL) names it in the detail. A full detail
 * buffer only stops naming. */
static void rules_defect(rules_acc *a, const char *what)
{
    a->r->defects++;
    if (what && a->r->defects <= RULES_DETAIL_NAMES)
        (void)bb_buf_printf(&a->detail, "%s%.100s", a->r->defects > 1 ? ", " : "", what);
    else if (what && a->r->defects == RULES_DETAIL_NAMES + 1)
        (void)bb_buf_puts(&a->detail, ", ...");
}

static bb_result rules_end(rules_acc *a, bb_arena *arena)
{
    a->r->fraction = bench_rules_fraction(a->r->defects, a->basis);
    a->r->detail = bb_arena_strdup(arena, bb_buf_str(&a->detail));
    bb_buf_free(&a->detail);
    return a->r->detail ? BB_OK : BB_ERR_NOMEM;
}

/* The size rule: items beyond gold + max(3, 10 %) each cost 1/gold. */
static void rules_size(rules_acc *a, size_t n, size_t gold, const char *what)
{
    size_t tol = (gold + 9) / 10, allowed, k;
    char buf[96];

    if (tol < RULES_MIN_TOLERANCE)
        tol = RULES_MIN_TOLERANCE;
    allowed = gold + tol;
    if (n <= allowed)
        return;
    for (k = allowed; k < n; k++)
        a->r->defects++;
    snprintf(buf, sizeof buf, "%zu %s, %zu allowed (gold %zu)", n, what, allowed, gold);
    (void)bb_buf_puts(&a->detail, buf);
}

/* ---- DB -------------------------------------------------------------------------- */

typedef struct rules_pos {
    const char *name;
    size_t pos;
} rules_pos;

static int rules_pos_cmp(const void *a, const void *b)
{
    return strcmp(((const rules_pos *)a)->name, ((const rules_pos *)b)->name);
}

bb_result bench_db_targets_build(const ast_db *db, bench_db_targets *out)
{
    rules_pos *sorted = NULL;
    size_t i, k, n_fk = 0;
    bb_result rc = BB_OK;

    memset(out, 0, sizeof *out);
    for (i = 0; i < db->n_models; i++)
        n_fk += db->models[i]->n_foreigns;
    sorted = bb_calloc(db->n_models ? db->n_models : 1, sizeof *sorted);
    out->first = bb_calloc(db->n_models + 1, sizeof *out->first);
    out->target = bb_calloc(n_fk ? n_fk : 1, sizeof *out->target);
    if (!sorted || !out->first || !out->target) {
        rc = BB_ERR_NOMEM;
        goto out;
    }
    for (i = 0; i < db->n_models; i++) {
        sorted[i].name = db->models[i]->name;
        sorted[i].pos = i;
    }
    qsort(sorted, db->n_models, sizeof *sorted, rules_pos_cmp);
    n_fk = 0;
    for (i = 0; i < db->n_models; i++) {
        out->first[i] = n_fk;
        for (k = 0; k < db->models[i]->n_foreigns; k++) {
            rules_pos key, *hit;

            key.name = db->models[i]->foreigns[k].relation.target_model;
            key.pos = 0;
            hit = key.name ? bsearch(&key, sorted, db->n_models, sizeof *sorted, rules_pos_cmp) : NULL;
            out->target[n_fk++] = hit ? (long)hit->pos : -1;
        }
    }
    out->first[db->n_models] = n_fk;
out:
    bb_free(sorted);
    if (rc != BB_OK)
        bench_db_targets_free(out);
    return rc;
}

void bench_db_targets_free(bench_db_targets *t)
{
    if (!t)
        return;
    bb_free(t->target);
    bb_free(t->first);
    t->target = NULL;
    t->first = NULL;
}

static int rules_col_leads_index(const ast_db_model *m, const char *col)
{
    size_t i;

    for (i = 0; i < m->n_unique_indexes; i++)
        if (m->unique_indexes[i].n_field_names > 0 && strcmp(m->unique_indexes[i].field_names[0], col) == 0)
            return 1;
    for (i = 0; i < m->n_plain_indexes; i++)
        if (m->plain_indexes[i].n_field_names > 0 && strcmp(m->plain_indexes[i].field_names[0], col) == 0)
            return 1;
    return 0;
}

/* 1 when a unique index of at most two columns contains col. */
static int rules_col_unique(const ast_db_model *m, const char *col)
{
    size_t i, k;

    for (i = 0; i < m->n_unique_indexes; i++) {
        const ast_db_index *ix = &m->unique_indexes[i];

        if (ix->n_field_names > 2)
            continue;
        for (k = 0; k < ix->n_field_names; k++)
            if (strcmp(ix->field_names[k], col) == 0)
                return 1;
    }
    return 0;
}

static int rules_name_has_word(const char *name, const char *word)
{
    bench_name n;
    size_t i;

    if (bench_name_parse(name, &n) != BB_OK)
        return 0;
    for (i = 0; i < n.n_words; i++)
        if (bench_name_word_is(&n, i, word))
            return 1;
    return 0;
}

/* Words with no useful plural as a table name's last word ("edit_history",
 * "user_metadata"): neither singular nor plural for the naming rule. */
static const char *const rules_uncountable[] = {"data",    "metadata",  "information", "info",   "history",
                                                "media",   "feedback",  "analytics",   "news",   "equipment",
                                                "staff",   "reputation", "audit",      "inventory", "progress"};

/* 1 plural, 0 singular, -1 neither (uncountable or unreadable). */
static int rules_number(const char *table)
{
    const char *last = strrchr(table, '_');
    char w[BENCH_NAME_MAX_LEN + 1];
    size_t n, i;

    last = last ? last + 1 : table;
    n = strlen(last);
    if (n == 0 || n > BENCH_NAME_MAX_LEN)
        return -1;
    for (i = 0; i < sizeof rules_uncountable / sizeof rules_uncountable[0]; i++)
        if (strcmp(last, rules_uncountable[i]) == 0)
            return -1;
    memcpy(w, last, n + 1);
    bench_name_singular(w);
    return strcmp(w, last) != 0;
}

static int rules_has_column(const ast_db_model *m, const char *col)
{
    size_t i;

    for (i = 0; i < m->n_plains; i++)
        if (strcmp(m->plains[i].name, col) == 0)
            return 1;
    return 0;
}

static int rules_is_plain_password(const char *col)
{
    static const char *const plain[] = {"password", "passwd", "pwd", "pass", "plain_password", "raw_password",
                                        "password_plain", "password_text"};
    size_t i;

    for (i = 0; i < sizeof plain / sizeof plain[0]; i++)
        if (strcmp(col, plain[i]) == 0)
            return 1;
    return 0;
}

bb_result bench_rules_db(const ast_db *db, const bench_checklist *cl, bb_arena *arena, bench_rule_result *out,
                         size_t *n)
{
    size_t G = cl->gold_tables ? cl->gold_tables : db->n_models;
    size_t i, j, k, plural = 0, singular = 0;
    bench_name *names = NULL, *okn = NULL;
    int *ok = NULL;
    size_t *drop = NULL, pw = 0, which = 0, n_ok = 0;
    rules_acc a;
    bench_db_targets targets = {NULL, NULL};
    bb_result rc = BB_OK;
    char buf[160];

    *n = 0;
    if (G == 0)
        G = 1;
    names = bb_calloc(db->n_models ? db->n_models : 1, sizeof *names);
    okn = bb_calloc(db->n_models ? db->n_models : 1, sizeof *okn);
    ok = bb_calloc(db->n_models ? db->n_models : 1, sizeof *ok);
    drop = bb_calloc(db->n_models ? db->n_models : 1, sizeof *drop);
    if (!names || !okn || !ok || !drop) {
        rc = BB_ERR_NOMEM;
        goto out;
    }

    /* foreign keys are the leading column of an index */
    rules_begin(&a, &out[(*n)++], "db.fk_indexed", "every foreign key leads an index", 6, G);
    for (i = 0; i < db->n_models; i++) {
        const ast_db_model *m = db->models[i];

        for (k = 0; k < m->n_foreigns; k++) {
            if (m->foreigns[k].unique || rules_col_leads_index(m, m->foreigns[k].name))
                continue;
            snprintf(buf, sizeof buf, "%.60s.%.60s", m->name, m->foreigns[k].name);
            rules_defect(&a, buf);
        }
    }
    rc = rules_end(&a, arena);
    if (rc != BB_OK)
        goto out;

    /* no duplicated tables (same words after the design prefix) */
    for (i = 0; i < db->n_models; i++) {
        ok[i] = bench_name_parse(db->models[i]->name, &names[i]) == BB_OK;
        if (ok[i])
            okn[n_ok++] = names[i];
    }
    bench_names_prefix(okn, n_ok, &pw, &which);
    for (i = 0; i < db->n_models; i++)
        if (ok[i] && n_ok > 0)
            drop[i] = bench_name_prefix_drop(&names[i], &okn[which], pw);
    rules_begin(&a, &out[(*n)++], "db.no_duplicates", "no two tables for the same thing", 4, G);
    for (i = 0; i < db->n_models; i++) {
        for (j = 0; ok[i] && j < i; j++) {
            if (ok[j] && bench_name_equal(&names[i], drop[i], &names[j], drop[j])) {
                snprintf(buf, sizeof buf, "%.60s ~ %.60s", db->models[i]->name, db->models[j]->name);
                rules_defect(&a, buf);
                break;
            }
        }
    }
    rc = rules_end(&a, arena);
    if (rc != BB_OK)
        goto out;

    /* consistent naming: one number for table names, foreign keys end in _id */
    rules_begin(&a, &out[(*n)++], "db.naming", "table names all plural (or all singular); foreign keys *_id", 4, G);
    for (i = 0; i < db->n_models; i++) {
        int num = rules_number(db->models[i]->name);

        plural += num == 1;
        singular += num == 0;
    }
    for (i = 0; i < db->n_models; i++) {
        int num = rules_number(db->models[i]->name);

        if (num >= 0 && (plural >= singular) != (num == 1))
            rules_defect(&a, db->models[i]->name);
    }
    for (i = 0; i < db->n_models; i++) {
        const ast_db_model *m = db->models[i];

        for (k = 0; k < m->n_foreigns; k++) {
            size_t len = strlen(m->foreigns[k].name);

            if (len < 3 || strcmp(m->foreigns[k].name + len - 3, "_id") != 0) {
                snprintf(buf, sizeof buf, "%.60s.%.60s", m->name, m->foreigns[k].name);
                rules_defect(&a, buf);
            }
        }
    }
    rc = rules_end(&a, arena);
    if (rc != BB_OK)
        goto out;

    /* creation timestamps */
    rules_begin(&a, &out[(*n)++], "db.timestamps", "every stored table has created_at", 3, G);
    for (i = 0; i < db->n_models; i++)
        if (!db->models[i]->material && !rules_has_column(db->models[i], "created_at"))
            rules_defect(&a, db->models[i]->name);
    rc = rules_end(&a, arena);
    if (rc != BB_OK)
        goto out;

    /* no plain-text passwords */
    rules_begin(&a, &out[(*n)++], "db.password_hashed", "passwords stored as hashes (password_hash)", 3, G);
    for (i = 0; i < db->n_models; i++) {
        const ast_db_model *m = db->models[i];

        for (k = 0; k < m->n_plains; k++) {
            if (rules_is_plain_password(m->plains[k].name)) {
                snprintf(buf, sizeof buf, "%.60s.%.60s", m->name, m->plains[k].name);
                rules_defect(&a, buf);
            }
        }
    }
    rc = rules_end(&a, arena);
    if (rc != BB_OK)
        goto out;

    /* login identifiers unique in account tables (tables with a password column) */
    rules_begin(&a, &out[(*n)++], "db.login_unique", "email/username of an account table is unique", 3, G);
    for (i = 0; i < db->n_models; i++) {
        const ast_db_model *m = db->models[i];
        int account = 0;

        for (k = 0; k < m->n_plains; k++)
            if (rules_name_has_word(m->plains[k].name, "password"))
                account = 1;
        for (k = 0; account && k < m->n_plains; k++) {
            const char *c = m->plains[k].name;

            if ((strcmp(c, "email") == 0 || strcmp(c, "username") == 0) && !rules_col_unique(m, c)) {
                snprintf(buf, sizeof buf, "%.60s.%.60s", m->name, c);
                rules_defect(&a, buf);
            }
        }
    }
    rc = rules_end(&a, arena);
    if (rc != BB_OK)
        goto out;

    /* no isolated tables (account tables, such as administrators, may stand alone) */
    rc = bench_db_targets_build(db, &targets);
    if (rc != BB_OK)
        goto out;
    for (i = 0; i < db->n_models; i++) {
        for (k = targets.first[i]; k < targets.first[i + 1]; k++)
            if (targets.target[k] >= 0)
                ok[targets.target[k]] = 2; /* targeted (ok[] is reused: the names are done with) */
    }
    rules_begin(&a, &out[(*n)++], "db.connected", "every table but account tables takes part in a relation", 3,
                G);
    for (i = 0; db->n_models > 1 && i < db->n_models; i++) {
        const ast_db_model *m = db->models[i];
        int linked = m->n_foreigns > 0 || ok[i] == 2;

        for (k = 0; !linked && k < m->n_plains; k++)
            if (rules_name_has_word(m->plains[k].name, "password"))
                linked = 1;
        if (!linked)
            rules_defect(&a, m->name);
    }
    rc = rules_end(&a, arena);
    if (rc != BB_OK)
        goto out;

    /* size discipline */
    rules_begin(&a, &out[(*n)++], "db.size", "not far bigger than needed (gold + max(3, 10 %) tables)", 4, G);
    rules_size(&a, db->n_models, G, "tables");
    rc = rules_end(&a, arena);
out:
    bench_db_targets_free(&targets);
    bb_free(names);
    bb_free(okn);
    bb_free(ok);
    bb_free(drop);
    return rc;
}

/* ---- API ------------------------------------------------------------------------- */

static int rules_method_fits(const char *name, ast_api_method m, int *conventional)
{
    *conventional = 1;
    if (strcmp(name, "at") == 0)
        return m == AST_API_METHOD_GET;
    if (strcmp(name, "index") == 0)
        return m == AST_API_METHOD_PATCH || m == AST_API_METHOD_GET;
    if (strcmp(name, "create") == 0)
        return m == AST_API_METHOD_POST;
    if (strcmp(name, "update") == 0)
        return m == AST_API_METHOD_PUT || m == AST_API_METHOD_PATCH;
    if (strcmp(name, "erase") == 0)
        return m == AST_API_METHOD_DELETE;
    *conventional = 0;
    return 1;
}

/* The object a type name resolves to (through at most a few references). */
static const ast_api_dto *rules_object(const ast_api_doc *doc, const char *type_name)
{
    const ast_api_dto *d = type_name ? ast_api_find_schema(doc, type_name) : NULL;
    int hops;

    for (hops = 0; d && d->kind == AST_API_DTO_REFERENCE && hops < 4; hops++)
        d = d->u.reference.name ? ast_api_find_schema(doc, d->u.reference.name) : NULL;
    return d && d->kind == AST_API_DTO_OBJECT ? d : NULL;
}

static const ast_api_dto *rules_prop(const ast_api_dto *obj, const char *name)
{
    size_t i;

    for (i = 0; i < obj->u.object.n_properties; i++)
        if (strcmp(obj->u.object.properties[i].name, name) == 0)
            return obj->u.object.properties[i].schema;
    return NULL;
}

/* 1 when the type is a page: an object with an array `data` and `pagination`. */
static int rules_is_page(const ast_api_doc *doc, const char *type_name)
{
    const ast_api_dto *o = rules_object(doc, type_name), *d;

    if (!o || !rules_prop(o, "pagination"))
        return 0;
    d = rules_prop(o, "data");
    return d && d->kind == AST_API_DTO_ARRAY;
}

/* 1 when some login (or refresh) operation authenticates this actor. */
static int rules_has_auth(const ast_api_doc *doc, const char *actor, ast_api_auth_type t)
{
    static const char *const names[] = {"", "join", "login", "refresh"};
    bench_name an, pn;
    size_t i, s;

    if (bench_name_parse(actor, &an) != BB_OK)
        return 0;
    for (i = 0; i < doc->n_operations; i++) {
        const ast_api_operation *op = &doc->operations[i];
        bench_path p;

        if (op->authorization_type != t && !(op->name && strcmp(op->name, names[t]) == 0))
            continue;
        if (op->authorization_actor && bench_name_parse(op->authorization_actor, &pn) == BB_OK &&
            strcmp(pn.joined, an.joined) == 0)
            return 1;
        if (bench_path_normalise(op->path, &p) != BB_OK)
            continue;
        for (s = 0; s < p.n_segs; s++) {
            char seg[BENCH_NAME_MAX_LEN + 1];

            if (strcmp(bench_path_segment(&p, s, seg, sizeof seg), an.joined) == 0)
                return 1;
        }
    }
    return 0;
}

/* Style of a multi-word path segment: 1 kebab, 2 camel, 3 snake, 0 one word. */
static int rules_seg_style(const char *s, size_t n)
{
    size_t i;
    int dash = 0, upper = 0, under = 0;

    if (n > 0 && s[0] == '{')
        return 0;
    for (i = 0; i < n; i++) {
        dash |= s[i] == '-';
        under |= s[i] == '_';
        upper |= s[i] >= 'A' && s[i] <= 'Z';
    }
    return dash ? 1 : upper ? 2 : under ? 3 : 0;
}

bb_result bench_rules_api(const ast_api_doc *doc, const ast_api_db_view *db, const bench_checklist *cl,
                          bb_arena *arena, bench_rule_result *out, size_t *n)
{
    size_t G = cl->gold_operations ? cl->gold_operations : doc->n_operations;
    size_t GS = cl->gold_schemas ? cl->gold_schemas : doc->n_schemas;
    size_t i, k, style[4] = {0, 0, 0, 0}, major = 1, annotated = 0, objects = 0;
    rules_acc a;
    bb_result rc = BB_OK;
    char buf[160];

    *n = 0;
    if (G == 0)
        G = 1;
    if (GS == 0)
        GS = 1;

    /* DTOs agree with the database */
    if (db) {
        schema_errors errs;

        rules_begin(&a, &out[(*n)++], "api.dto_db", "DTOs name real tables and columns", 8, GS);
        schema_errors_init(&errs, SCHEMA_ERRORS_MAX_DEFAULT);
        rc = ast_api_check(doc, db, &errs);
        if (rc == BB_ERR_INVALID)
            rc = BB_OK;
        if (rc != BB_OK) {
            schema_errors_free(&errs);
            bb_buf_free(&a.detail);
            return rc;
        }
        for (i = 0; i < errs.n; i++) {
            const char *ex = errs.items[i].expected;

            if (ex && (strcmp(ex, AST_API_RULE_TABLE_EXISTS) == 0 || strcmp(ex, AST_API_RULE_COLUMN_EXISTS) == 0))
                rules_defect(&a, errs.items[i].value);
        }
        a.r->defects += errs.dropped; /* counted, not named */
        schema_errors_free(&errs);
        for (i = 0; i < doc->n_schemas; i++) {
            const ast_api_dto *d = doc->schemas[i].schema;

            if (d && d->kind == AST_API_DTO_OBJECT) {
                objects++;
                annotated += d->u.object.database_schema != NULL;
            }
        }
        rc = rules_end(&a, arena);
        if (rc != BB_OK)
            return rc;
        if (objects > 0 && annotated == 0) {
            a.r->fraction = 0;
            a.r->detail = "no DTO names its table (x-autobe-database-schema)";
        }
    }

    /* conventional names use their method */
    rules_begin(&a, &out[(*n)++], "api.methods", "at=GET, index=PATCH|GET, create=POST, update=PUT|PATCH, erase=DELETE",
                5, G);
    for (i = 0; i < doc->n_operations; i++) {
        const ast_api_operation *op = &doc->operations[i];
        int conv;

        if (op->name && !rules_method_fits(op->name, op->method, &conv)) {
            snprintf(buf, sizeof buf, "%s %s %.80s", op->name, ast_api_method_name(op->method), op->path);
            rules_defect(&a, buf);
        }
    }
    rc = rules_end(&a, arena);
    if (rc != BB_OK)
        return rc;

    /* lists are paginated */
    rules_begin(&a, &out[(*n)++], "api.pagination", "index operations return a page {pagination, data[]}", 4, G);
    for (i = 0; i < doc->n_operations; i++) {
        const ast_api_operation *op = &doc->operations[i];

        if (!op->name || strcmp(op->name, "index") != 0)
            continue;
        if (!op->response_body || !rules_is_page(doc, op->response_body->type_name)) {
            snprintf(buf, sizeof buf, "%s %.80s", ast_api_method_name(op->method), op->path);
            rules_defect(&a, buf);
        }
    }
    rc = rules_end(&a, arena);
    if (rc != BB_OK)
        return rc;

    /* every actor can log in and refresh */
    rules_begin(&a, &out[(*n)++], "api.auth", "every actor has login (guests excepted) and refresh", 4,
                2 * (cl->n_actors ? cl->n_actors : (doc->n_authorizations ? doc->n_authorizations : 1)));
    for (i = 0; i < doc->n_authorizations; i++) {
        const ast_api_authorization *au = &doc->authorizations[i];
        int guest = au->kind && strcmp(au->kind, "guest") == 0;

        if (!guest && !rules_has_auth(doc, au->name, AST_API_AUTH_LOGIN)) {
            snprintf(buf, sizeof buf, "%.60s: no login", au->name);
            rules_defect(&a, buf);
        }
        if (!rules_has_auth(doc, au->name, AST_API_AUTH_REFRESH)) {
            snprintf(buf, sizeof buf, "%.60s: no refresh", au->name);
            rules_defect(&a, buf);
        }
    }
    rc = rules_end(&a, arena);
    if (rc != BB_OK)
        return rc;

    /* one style for multi-word path segments */
    for (i = 0; i < doc->n_operations; i++) {
        const char *p = doc->operations[i].path;

        while (p && *p) {
            size_t len;

            while (*p == '/')
                p++;
            len = strcspn(p, "/");
            style[rules_seg_style(p, len)]++;
            p += len;
        }
    }
    for (k = 2; k <= 3; k++)
        if (style[k] > style[major])
            major = k;
    rules_begin(&a, &out[(*n)++], "api.path_style", "multi-word path segments in one style (kebab or camel)", 3, G);
    for (i = 0; i < doc->n_operations; i++) {
        const char *p = doc->operations[i].path;
        int bad = 0;

        while (p && *p) {
            size_t len;
            int st;

            while (*p == '/')
                p++;
            len = strcspn(p, "/");
            st = rules_seg_style(p, len);
            if (st != 0 && (size_t)st != major)
                bad = 1;
            p += len;
        }
        if (bad)
            rules_defect(&a, doc->operations[i].path);
    }
    rc = rules_end(&a, arena);
    if (rc != BB_OK)
        return rc;

    /* bodies where the convention needs them */
    rules_begin(&a, &out[(*n)++], "api.bodies", "update takes a body; at/index/create return one", 2, G);
    for (i = 0; i < doc->n_operations; i++) {
        const ast_api_operation *op = &doc->operations[i];
        const char *nm = op->name ? op->name : "";
        int need_req = strcmp(nm, "update") == 0; /* a create may carry no data (like, subscribe) */
        int need_res = strcmp(nm, "at") == 0 || strcmp(nm, "index") == 0 || strcmp(nm, "create") == 0;

        if ((need_req && !op->request_body) || (need_res && !op->response_body)) {
            snprintf(buf, sizeof buf, "%s %s %.80s", nm, ast_api_method_name(op->method), op->path);
            rules_defect(&a, buf);
        }
    }
    rc = rules_end(&a, arena);
    if (rc != BB_OK)
        return rc;

    rules_begin(&a, &out[(*n)++], "api.size", "not far bigger than needed (gold + max(3, 10 %) operations)", 4, G);
    rules_size(&a, doc->n_operations, G, "operations");
    return rules_end(&a, arena);
}
