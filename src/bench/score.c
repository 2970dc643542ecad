/*
 * score.c — the design score of the db and api phases (see score.h and
 * docs/scoring.md): the validity gate, checklist matching with its itemised
 * breakdown, and the rules part from rules.c.
 */
#include "bench/score.h"

#include <string.h>

#include "ast/ast_api_check.h"
#include "ast/ast_dbview.h"
#include "util/alloc.h"

/* Relative weights of the checklist groups (scaled to checklist_points). */
#define SC_W_ENTITY    30.0
#define SC_W_ATTRIBUTE 20.0
#define SC_W_RELATION  20.0
#define SC_W_ENDPOINT  40.0
#define SC_W_FIELD     20.0
#define SC_W_ACTOR     10.0
/* Share of an endpoint's points for the path+method match; the rest is for
 * the actor being allowed. */
#define SC_ENDPOINT_FOUND 0.7
/* $ref levels followed when looking for a DTO field; nodes visited per look-up. */
#define SC_FIELD_REF_DEPTH 3
#define SC_FIELD_BUDGET    1024
#define SC_ARENA_MAX       ((size_t)64 * 1024 * 1024)

bench_score_params bench_score_default_params(void)
{
    bench_score_params p;

    p.checklist_points = 70.0;
    p.rules_points = 30.0;
    return p;
}

const char *bench_item_kind_name(bench_item_kind k)
{
    static const char *const names[] = {"entity", "attribute", "relation", "actor", "endpoint", "field"};

    return (unsigned)k < BENCH_ITEM_KIND_COUNT_ ? names[k] : "unknown";
}

/* ---- score construction ------------------------------------------------------------ */

static bb_result sc_new(size_t n_items, const bench_score_params *params, bench_score **out)
{
    bb_arena *arena = bb_arena_new(SC_ARENA_MAX);
    bench_score *s;

    *out = NULL;
    if (!arena)
        return BB_ERR_NOMEM;
    s = bb_arena_alloc(arena, sizeof *s);
    if (s)
        s->items = bb_arena_calloc(arena, n_items ? n_items : 1, sizeof *s->items);
    if (!s || !s->items) {
        bb_arena_free(arena);
        return BB_ERR_NOMEM;
    }
    s->arena = arena;
    s->checklist_max = params->checklist_points;
    s->rules_max = params->rules_points;
    *out = s;
    return BB_OK;
}

void bench_score_free(bench_score *s)
{
    if (s)
        bb_arena_free(s->arena);
}

static bench_score_item *sc_item(bench_score *s, bench_item_kind kind, const char *id, double points)
{
    bench_score_item *it = &s->items[s->n_items++];

    it->kind = kind;
    it->id = id;
    it->points = points;
    return it;
}

/* Points per item of each group: group weights, empty groups left out, scaled
 * to the checklist part. */
static void sc_group_points(const double *w, const size_t *count, size_t n, double total, double *per_item)
{
    double sum = 0;
    size_t i;

    for (i = 0; i < n; i++)
        if (count[i])
            sum += w[i];
    for (i = 0; i < n; i++)
        per_item[i] = (count[i] && sum > 0) ? w[i] * total / sum / (double)count[i] : 0;
}

/* Sums items and rules into the totals. */
static void sc_finish(bench_score *s)
{
    double wsum = 0, got = 0, cl = 0;
    size_t i;

    for (i = 0; i < s->n_items; i++)
        cl += s->items[i].got;
    if (s->n_items == 0)
        cl = s->checklist_max;
    for (i = 0; i < s->n_rules; i++)
        wsum += s->rule_results[i].weight;
    for (i = 0; i < s->n_rules; i++)
        got += s->rule_results[i].weight * s->rule_results[i].fraction;
    s->checklist = cl;
    s->rules = wsum > 0 ? got * s->rules_max / wsum : s->rules_max;
    s->total = s->checklist + s->rules;
    if (s->total > 100.0)
        s->total = 100.0;
}

/* ---- DB ------------------------------------------------------------------------------ */

/* Normalised table names with the design prefix and the project words. */
typedef struct sc_tables {
    size_t n;
    bench_name *names;
    int *ok;        /* the name normalised */
    size_t *drop;   /* design-prefix words to drop */
    size_t *pdrop;  /* project-name words to drop */
} sc_tables;

static bb_result sc_tables_build(const bench_checklist *cl, const ast_db *db, bb_arena *a, sc_tables *t)
{
    size_t i, pw = 0, which = 0, n_ok = 0;
    bench_name proj, *okn;

    t->n = db->n_models;
    t->names = bb_arena_calloc(a, t->n ? t->n : 1, sizeof *t->names);
    t->ok = bb_arena_calloc(a, t->n ? t->n : 1, sizeof *t->ok);
    t->drop = bb_arena_calloc(a, t->n ? t->n : 1, sizeof *t->drop);
    t->pdrop = bb_arena_calloc(a, t->n ? t->n : 1, sizeof *t->pdrop);
    okn = bb_arena_calloc(a, t->n ? t->n : 1, sizeof *okn);
    if (!t->names || !t->ok || !t->drop || !t->pdrop || !okn)
        return BB_ERR_NOMEM;
    for (i = 0; i < t->n; i++) {
        t->ok[i] = bench_name_parse(db->models[i]->name, &t->names[i]) == BB_OK;
        if (t->ok[i])
            okn[n_ok++] = t->names[i];
    }
    bench_names_prefix(okn, n_ok, &pw, &which);
    for (i = 0; i < t->n; i++)
        if (t->ok[i] && n_ok > 0)
            t->drop[i] = bench_name_prefix_drop(&t->names[i], &okn[which], pw);
    if (cl->project[0] && bench_name_parse(cl->project, &proj) == BB_OK) {
        for (i = 0; i < t->n; i++) {
            const bench_name *nm = &t->names[i];

            if (t->ok[i] && nm->n_words > proj.n_words &&
                memcmp(nm->joined, proj.joined, proj.start[proj.n_words]) == 0 &&
                nm->start[proj.n_words] == proj.start[proj.n_words])
                t->pdrop[i] = proj.n_words;
        }
    }
    return BB_OK;
}

static int sc_table_matches(const sc_tables *t, size_t i, const bench_cl_aliases *al)
{
    if (!t->ok[i])
        return 0;
    return bench_cl_aliases_match(al, &t->names[i], t->drop[i]) || bench_cl_aliases_match(al, &t->names[i], 0) ||
           bench_cl_aliases_match(al, &t->names[i], t->pdrop[i]);
}

/* The column of m matching one of the aliases, or NULL. */
static const char *sc_column_match(const ast_db_model *m, const bench_cl_aliases *al)
{
    size_t i;
    bench_name n;

    for (i = 0; i < m->n_plains; i++)
        if (bench_name_parse(m->plains[i].name, &n) == BB_OK && bench_cl_aliases_match(al, &n, 0))
            return m->plains[i].name;
    for (i = 0; i < m->n_foreigns; i++)
        if (bench_name_parse(m->foreigns[i].name, &n) == BB_OK && bench_cl_aliases_match(al, &n, 0))
            return m->foreigns[i].name;
    return NULL;
}

static bb_result sc_db_items(const bench_checklist *cl, const ast_db *db, bench_score *s)
{
    sc_tables t;
    unsigned char *m; /* m[e * n + table]: table matches entity e */
    size_t e, i, k, n_attr = 0, counts[3];
    double per[3], w[3] = {SC_W_ENTITY, SC_W_ATTRIBUTE, SC_W_RELATION};
    bench_db_targets tg = {NULL, NULL};
    bb_result rc = sc_tables_build(cl, db, s->arena, &t);

    if (rc != BB_OK)
        return rc;
    m = bb_arena_calloc(s->arena, (cl->n_entities ? cl->n_entities : 1) * (t.n ? t.n : 1), 1);
    if (!m)
        return BB_ERR_NOMEM;
    rc = bench_db_targets_build(db, &tg);
    if (rc != BB_OK)
        return rc;
    for (e = 0; e < cl->n_entities; e++) {
        n_attr += cl->entities[e].n_attributes;
        for (i = 0; i < t.n; i++)
            m[e * t.n + i] = (unsigned char)sc_table_matches(&t, i, &cl->entities[e].aliases);
    }
    counts[0] = cl->n_entities;
    counts[1] = n_attr;
    counts[2] = cl->n_relations;
    sc_group_points(w, counts, 3, s->checklist_max, per);

    for (e = 0; e < cl->n_entities; e++) {
        const bench_cl_entity *en = &cl->entities[e];
        bench_score_item *it = sc_item(s, BENCH_ITEM_ENTITY, en->id, per[0]);

        for (i = 0; i < t.n && !it->matched; i++)
            if (m[e * t.n + i])
                it->matched = bb_arena_strdup(s->arena, db->models[i]->name);
        it->got = it->matched ? it->points : 0;
        if (!it->matched)
            it->note = "no table matches the entity's aliases";
        for (k = 0; k < en->n_attributes; k++) {
            const bench_cl_attribute *at = &en->attributes[k];
            bench_score_item *ai = sc_item(s, BENCH_ITEM_ATTRIBUTE,
                                           bb_arena_printf(s->arena, "%s.%s", en->id, at->id), per[1]);

            for (i = 0; i < t.n && !ai->matched; i++) {
                const char *col;

                if (!m[e * t.n + i])
                    continue;
                col = sc_column_match(db->models[i], &at->aliases);
                if (col)
                    ai->matched = bb_arena_printf(s->arena, "%s.%s", db->models[i]->name, col);
            }
            ai->got = ai->matched ? ai->points : 0;
            if (!ai->matched)
                ai->note = it->matched ? "no column of the entity's tables matches" : "entity missing";
        }
    }
    for (k = 0; k < cl->n_relations; k++) {
        const bench_cl_relation *r = &cl->relations[k];
        bench_score_item *it = sc_item(s, BENCH_ITEM_RELATION,
                                       bb_arena_printf(s->arena, "%s->%s", cl->entities[r->from].id,
                                                       cl->entities[r->to].id),
                                       per[2]);

        for (i = 0; i < t.n && !it->matched; i++) {
            const ast_db_model *md = db->models[i];
            size_t f;

            if (!m[r->from * t.n + i])
                continue;
            for (f = 0; f < md->n_foreigns && !it->matched; f++) {
                long tp = tg.target[tg.first[i] + f];

                if (tp >= 0 && m[r->to * t.n + (size_t)tp])
                    it->matched = bb_arena_printf(s->arena, "%s.%s -> %s", md->name, md->foreigns[f].name,
                                                  md->foreigns[f].relation.target_model);
            }
        }
        it->got = it->matched ? it->points : 0;
        if (!it->matched)
            it->note = "no foreign key between tables of these entities";
    }
    bench_db_targets_free(&tg);
    return bb_arena_failed(s->arena);
}

bb_result bench_score_db(const bench_checklist *cl, const ast_db *design, const bench_score_params *params,
                         bench_score **out)
{
    bench_score_params p = params ? *params : bench_score_default_params();
    bench_score *s = NULL;
    size_t n_items = cl->n_entities + cl->n_relations, e;
    bb_result rc;

    for (e = 0; e < cl->n_entities; e++)
        n_items += cl->entities[e].n_attributes;
    *out = NULL;
    rc = sc_new(n_items, &p, &s);
    if (rc != BB_OK)
        return rc;
    if (!design || !design->checked_ok)
        goto out; /* no valid design: 0 */
    s->valid = 1;
    rc = sc_db_items(cl, design, s);
    if (rc == BB_OK)
        rc = bench_rules_db(design, cl, s->arena, s->rule_results, &s->n_rules);
    if (rc != BB_OK) {
        bench_score_free(s);
        return rc;
    }
    sc_finish(s);
out:
    *out = s;
    return BB_OK;
}

/* ---- API --------------------------------------------------------------------------------- */

typedef struct sc_ops {
    size_t n;
    bench_path *paths; /* normalised */
    size_t *skip;      /* leading project/actor segments */
    int *ok;
    const char **actors; /* normalised actor names of the design (authorizations, operation actors) */
    size_t n_actors;
} sc_ops;

/* Collects the design's actor names, normalised, once. */
static bb_result sc_ops_actors(const ast_api_doc *doc, bb_arena *arena, sc_ops *o)
{
    size_t i, cap = doc->n_authorizations + doc->n_operations;
    bench_name n;

    o->actors = bb_arena_calloc(arena, cap ? cap : 1, sizeof *o->actors);
    if (!o->actors)
        return BB_ERR_NOMEM;
    for (i = 0; i < cap; i++) {
        const char *a = i < doc->n_authorizations ? doc->authorizations[i].name
                                                  : doc->operations[i - doc->n_authorizations].authorization_actor;
        size_t k;
        int seen = 0;

        if (!a || bench_name_parse(a, &n) != BB_OK)
            continue;
        for (k = 0; k < o->n_actors && !seen; k++)
            seen = strcmp(o->actors[k], n.joined) == 0;
        if (seen)
            continue;
        o->actors[o->n_actors] = bb_arena_strdup(arena, n.joined);
        if (!o->actors[o->n_actors])
            return BB_ERR_NOMEM;
        o->n_actors++;
    }
    return BB_OK;
}

/* 1 when the normalised segment names an actor of the checklist or of the design. */
static int sc_actor_word(const bench_checklist *cl, const sc_ops *o, const char *seg)
{
    size_t i;

    if (bench_cl_is_actor_word(cl, seg))
        return 1;
    for (i = 0; i < o->n_actors; i++)
        if (strcmp(o->actors[i], seg) == 0)
            return 1;
    return 0;
}

/* The project segment: the first segment of at least 60 % of the operations
 * (not counting /auth/...), when it is not an actor and is never used as a
 * collection (never alone, never followed by a {parameter}), as in AutoBe's
 * /todoList/user/todos. "" when there is none. */
static void sc_project_segment(const bench_checklist *cl, const sc_ops *o, char *out, size_t cap)
{
    size_t i, j, n = 0, best = 0, best_i = 0;
    char a[BENCH_NAME_MAX_LEN + 1], b[BENCH_NAME_MAX_LEN + 1];

    out[0] = '\0';
    for (i = 0; i < o->n; i++) {
        size_t count = 0;

        if (!o->ok[i] || o->paths[i].n_segs == 0)
            continue;
        bench_path_segment(&o->paths[i], 0, a, sizeof a);
        if (strcmp(a, "auth") == 0)
            continue;
        n++;
        for (j = 0; j < o->n; j++)
            if (o->ok[j] && strcmp(bench_path_segment(&o->paths[j], 0, b, sizeof b), a) == 0)
                count++;
        if (count > best) {
            best = count;
            best_i = i;
        }
    }
    if (n < 2 || best * 10 < n * 6)
        return;
    bench_path_segment(&o->paths[best_i], 0, a, sizeof a);
    if (strcmp(a, "{}") == 0 || sc_actor_word(cl, o, a))
        return;
    for (i = 0; i < o->n; i++) {
        if (!o->ok[i] || strcmp(bench_path_segment(&o->paths[i], 0, b, sizeof b), a) != 0)
            continue;
        if (o->paths[i].n_segs < 2 || strcmp(bench_path_segment(&o->paths[i], 1, b, sizeof b), "{}") == 0)
            return; /* used as a collection: a resource, not a project */
    }
    if (strlen(a) < cap)
        memcpy(out, a, strlen(a) + 1);
}

static bb_result sc_ops_build(const bench_checklist *cl, const ast_api_doc *doc, bb_arena *arena, sc_ops *o)
{
    size_t i;
    char proj[BENCH_NAME_MAX_LEN + 1];

    memset(o, 0, sizeof *o);
    o->n = doc->n_operations;
    o->paths = bb_arena_calloc(arena, o->n ? o->n : 1, sizeof *o->paths);
    o->skip = bb_arena_calloc(arena, o->n ? o->n : 1, sizeof *o->skip);
    o->ok = bb_arena_calloc(arena, o->n ? o->n : 1, sizeof *o->ok);
    if (!o->paths || !o->skip || !o->ok || sc_ops_actors(doc, arena, o) != BB_OK)
        return BB_ERR_NOMEM;
    for (i = 0; i < o->n; i++)
        o->ok[i] = bench_path_normalise(doc->operations[i].path, &o->paths[i]) == BB_OK;
    sc_project_segment(cl, o, proj, sizeof proj);
    for (i = 0; i < o->n; i++) {
        const bench_path *p = &o->paths[i];
        size_t k = 0;
        char seg[BENCH_NAME_MAX_LEN + 1], next[BENCH_NAME_MAX_LEN + 1];

        if (!o->ok[i])
            continue;
        if (proj[0] && p->n_segs > 1 && strcmp(bench_path_segment(p, 0, seg, sizeof seg), proj) == 0)
            k = 1;
        while (k + 1 < p->n_segs) {
            bench_path_segment(p, k, seg, sizeof seg);
            bench_path_segment(p, k + 1, next, sizeof next);
            if (strcmp(next, "{}") == 0 || !sc_actor_word(cl, o, seg))
                break;
            k++;
        }
        o->skip[i] = k;
    }
    return BB_OK;
}

static int sc_is_auth_op(const ast_api_operation *op)
{
    return op->authorization_type != AST_API_AUTH_NONE ||
           (op->name && (strcmp(op->name, "join") == 0 || strcmp(op->name, "login") == 0 ||
                         strcmp(op->name, "refresh") == 0));
}

/* 1 when the operation is allowed for checklist actor a (-1: public). */
static int sc_actor_ok(const bench_checklist *cl, const ast_api_operation *op, const bench_path *path, long a)
{
    size_t i;
    char seg[BENCH_NAME_MAX_LEN + 1];

    if (a < 0)
        return op->authorization_actor == NULL && op->n_actors == 0;
    if (op->authorization_actor && bench_cl_actor_match(cl, (size_t)a, op->authorization_actor))
        return 1;
    for (i = 0; i < op->n_actors; i++)
        if (bench_cl_actor_match(cl, (size_t)a, op->actors[i]))
            return 1;
    /* join/login/refresh often carry no actor: the actor is a path segment */
    if (sc_is_auth_op(op)) {
        const char *p = op->path;

        (void)path;
        while (*p) {
            size_t len;

            while (*p == '/')
                p++;
            len = strcspn(p, "/");
            if (len > 0 && len < sizeof seg) {
                memcpy(seg, p, len);
                seg[len] = '\0';
                if (bench_cl_actor_match(cl, (size_t)a, seg))
                    return 1;
            }
            p += len;
        }
    }
    return 0;
}

static int sc_auth_kind_match(const ast_api_operation *op, bench_cl_auth want)
{
    static const char *const names[] = {"", "join", "login", "refresh"};

    if (want == BENCH_CL_AUTH_NONE)
        return 0;
    if ((int)op->authorization_type == (int)want)
        return 1;
    return op->name && strcmp(op->name, names[want]) == 0;
}

static int sc_path_match(const sc_ops *o, size_t i, const bench_cl_endpoint *e)
{
    const char *tail;
    size_t p;

    if (!o->ok[i])
        return 0;
    tail = bench_path_tail(&o->paths[i], o->skip[i]);
    for (p = 0; p < e->n_paths; p++)
        if (strcmp(bench_path_tail(&e->paths[p], 0), tail) == 0)
            return 1;
    return 0;
}

static int sc_dto_has(const ast_api_doc *doc, const ast_api_dto *d, const bench_cl_aliases *alts, int depth,
                      size_t *budget)
{
    size_t i;
    bench_name n;

    if (!d || *budget == 0)
        return 0;
    (*budget)--;
    switch (d->kind) {
    case AST_API_DTO_OBJECT:
        for (i = 0; i < d->u.object.n_properties; i++)
            if (bench_name_parse(d->u.object.properties[i].name, &n) == BB_OK &&
                bench_cl_aliases_match(alts, &n, 0))
                return 1;
        for (i = 0; i < d->u.object.n_properties; i++)
            if (sc_dto_has(doc, d->u.object.properties[i].schema, alts, depth, budget))
                return 1;
        return 0;
    case AST_API_DTO_REFERENCE:
        if (depth >= SC_FIELD_REF_DEPTH || !d->u.reference.name)
            return 0;
        return sc_dto_has(doc, ast_api_find_schema(doc, d->u.reference.name), alts, depth + 1, budget);
    case AST_API_DTO_ARRAY:
        return sc_dto_has(doc, d->u.array.items, alts, depth, budget);
    case AST_API_DTO_ONEOF:
        for (i = 0; i < d->u.one_of.n_members; i++)
            if (sc_dto_has(doc, d->u.one_of.members[i], alts, depth, budget))
                return 1;
        return 0;
    default:
        return 0;
    }
}

static int sc_body_has(const ast_api_doc *doc, const ast_api_body *body, const bench_cl_field *f)
{
    size_t budget = SC_FIELD_BUDGET;

    if (!body || !body->type_name)
        return 0;
    return sc_dto_has(doc, ast_api_find_schema(doc, body->type_name), &f->alts, 0, &budget);
}

/* Fields of endpoint e present in operation op (request and response). */
static size_t sc_fields_found(const ast_api_doc *doc, const ast_api_operation *op, const bench_cl_endpoint *e)
{
    size_t k, n = 0;

    for (k = 0; k < e->n_request; k++)
        n += (size_t)sc_body_has(doc, op->request_body, &e->request[k]);
    for (k = 0; k < e->n_response; k++)
        n += (size_t)sc_body_has(doc, op->response_body, &e->response[k]);
    return n;
}

static bb_result sc_api_items(const bench_checklist *cl, const ast_api_doc *doc, bench_score *s)
{
    sc_ops o;
    size_t e, i, k, n_fields = 0, counts[3];
    double per[3], w[3] = {SC_W_ENDPOINT, SC_W_FIELD, SC_W_ACTOR};
    bb_result rc = sc_ops_build(cl, doc, s->arena, &o);

    if (rc != BB_OK)
        return rc;
    for (e = 0; e < cl->n_endpoints; e++)
        n_fields += cl->endpoints[e].n_request + cl->endpoints[e].n_response;
    counts[0] = cl->n_endpoints;
    counts[1] = n_fields;
    counts[2] = cl->n_actors;
    sc_group_points(w, counts, 3, s->checklist_max, per);

    for (e = 0; e < cl->n_endpoints; e++) {
        const bench_cl_endpoint *ep = &cl->endpoints[e];
        bench_score_item *it = sc_item(s, BENCH_ITEM_ENDPOINT, ep->id, per[0]);
        long best = -1;
        int best_actor = 0;
        size_t best_fields = 0;

        for (i = 0; i < o.n; i++) {
            const ast_api_operation *op = &doc->operations[i];
            int actor, path_ok;
            size_t nf;

            path_ok = sc_path_match(&o, i, ep) && ((1u << op->method) & ep->methods);
            actor = o.ok[i] && sc_actor_ok(cl, op, &o.paths[i], ep->actor);
            if (!path_ok && !(sc_auth_kind_match(op, ep->auth) && actor))
                continue;
            nf = sc_fields_found(doc, op, ep);
            if (best < 0 || actor > best_actor || (actor == best_actor && nf > best_fields)) {
                best = (long)i;
                best_actor = actor;
                best_fields = nf;
            }
        }
        if (best >= 0) {
            const ast_api_operation *op = &doc->operations[best];

            it->matched = bb_arena_printf(s->arena, "%s %s", ast_api_method_name(op->method), op->path);
            it->got = it->points * (SC_ENDPOINT_FOUND + (best_actor ? 1.0 - SC_ENDPOINT_FOUND : 0.0));
            if (!best_actor)
                it->note = ep->actor < 0 ? "should be public" : "the operation does not allow the actor";
        } else {
            it->note = "no operation with a matching method and path";
        }
        for (k = 0; k < ep->n_request + ep->n_response; k++) {
            int req = k < ep->n_request;
            const bench_cl_field *f = req ? &ep->request[k] : &ep->response[k - ep->n_request];
            bench_score_item *fi = sc_item(s, BENCH_ITEM_FIELD,
                                           bb_arena_printf(s->arena, "%s.%s.%s", ep->id,
                                                           req ? "request" : "response", f->text),
                                           per[1]);

            if (best >= 0) {
                const ast_api_operation *op = &doc->operations[best];
                const ast_api_body *body = req ? op->request_body : op->response_body;

                if (sc_body_has(doc, body, f))
                    fi->matched = bb_arena_strdup(s->arena, body->type_name);
            }
            fi->got = fi->matched ? fi->points : 0;
            if (!fi->matched)
                fi->note = best >= 0 ? "not in the DTO (or its $refs, depth 3)" : "endpoint missing";
        }
    }
    for (k = 0; k < cl->n_actors; k++) {
        bench_score_item *it = sc_item(s, BENCH_ITEM_ACTOR, cl->actors[k].id, per[2]);

        for (i = 0; i < doc->n_authorizations && !it->matched; i++)
            if (bench_cl_actor_match(cl, k, doc->authorizations[i].name))
                it->matched = bb_arena_strdup(s->arena, doc->authorizations[i].name);
        it->got = it->matched ? it->points : 0;
        if (!it->matched)
            it->note = "no authorization matches the actor's aliases";
    }
    return bb_arena_failed(s->arena);
}

bb_result bench_score_api(const bench_checklist *cl, const ast_api_doc *design, const ast_db *db,
                          const bench_score_params *params, bench_score **out)
{
    bench_score_params p = params ? *params : bench_score_default_params();
    bench_score *s = NULL;
    size_t n_items = cl->n_endpoints + cl->n_actors, e;
    schema_errors errs;
    ast_api_db_view view;
    bb_result rc;

    for (e = 0; e < cl->n_endpoints; e++)
        n_items += cl->endpoints[e].n_request + cl->endpoints[e].n_response;
    *out = NULL;
    schema_errors_init(&errs, 1);
    rc = sc_new(n_items, &p, &s);
    if (rc != BB_OK)
        goto out;
    if (!design)
        goto out;
    rc = ast_api_check(design, NULL, &errs);
    if (rc == BB_ERR_INVALID) {
        rc = BB_OK; /* not a valid design: 0 */
        goto out;
    }
    if (rc != BB_OK)
        goto out;
    s->valid = 1;
    rc = sc_api_items(cl, design, s);
    if (rc == BB_OK) {
        view = ast_dbview(db);
        rc = bench_rules_api(design, db ? &view : NULL, cl, s->arena, s->rule_results, &s->n_rules);
    }
    if (rc == BB_OK)
        sc_finish(s);
out:
    schema_errors_free(&errs);
    if (rc != BB_OK) {
        bench_score_free(s);
        return rc;
    }
    *out = s;
    return BB_OK;
}

/* ---- JSON ------------------------------------------------------------------------------ */

static bb_result sc_json_str(bb_buf *b, const char *key, const char *v)
{
    bb_result rc = bb_buf_printf(b, "\"%s\":", key);

    if (rc != BB_OK)
        return rc;
    if (!v)
        return bb_buf_puts(b, "null");
    return bb_buf_put_json_string(b, v, strlen(v));
}

bb_result bench_score_to_json(const bench_score *s, bb_buf *out)
{
    size_t i;
    bb_result rc = bb_buf_printf(out, "{\"valid\":%s,\"total\":%.2f,\"checklist\":%.2f,\"rules\":%.2f,\"items\":[",
                                 s->valid ? "true" : "false", s->total, s->checklist, s->rules);

    for (i = 0; rc == BB_OK && i < s->n_items; i++) {
        const bench_score_item *it = &s->items[i];

        rc = bb_buf_printf(out, "%s{\"kind\":\"%s\",", i ? "," : "", bench_item_kind_name(it->kind));
        if (rc == BB_OK)
            rc = sc_json_str(out, "id", it->id);
        if (rc == BB_OK)
            rc = bb_buf_printf(out, ",\"points\":%.3f,\"got\":%.3f,", it->points, it->got);
        if (rc == BB_OK)
            rc = sc_json_str(out, "matched", it->matched);
        if (rc == BB_OK)
            rc = bb_buf_putc(out, ',');
        if (rc == BB_OK)
            rc = sc_json_str(out, "note", it->note);
        if (rc == BB_OK)
            rc = bb_buf_putc(out, '}');
    }
    if (rc == BB_OK)
        rc = bb_buf_puts(out, "],\"rule_results\":[");
    for (i = 0; rc == BB_OK && i < s->n_rules; i++) {
        const bench_rule_result *r = &s->rule_results[i];

        rc = bb_buf_printf(out, "%s{", i ? "," : "");
        if (rc == BB_OK)
            rc = sc_json_str(out, "id", r->id);
        if (rc == BB_OK)
            rc = bb_buf_printf(out, ",\"weight\":%.2f,\"fraction\":%.4f,\"defects\":%zu,", r->weight, r->fraction,
                               r->defects);
        if (rc == BB_OK)
            rc = sc_json_str(out, "detail", r->detail);
        if (rc == BB_OK)
            rc = bb_buf_putc(out, '}');
    }
    if (rc == BB_OK)
        rc = bb_buf_puts(out, "]}");
    return rc;
}
