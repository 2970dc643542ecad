/*
 * sim_profile.c — the simulated model's decisions (see sim_profile.h).
 *
 * Randomness: every decision draws from a generator seeded by
 * (seed, task, round, attempt, purpose), so replies do not depend on the
 * order in which concurrent requests arrive.
 */
#include "sim_profile.h"

#include <jansson.h>
#include <string.h>

#include "schema/schema_error.h"
#include "sim/sim_render.h"
#include "util/alloc.h"
#include "util/arena.h"
#include "util/buf.h"
#include "util/rng.h"

#define SIM_MAX_CANDIDATES 20000
#define SIM_MAX_WALK_DEPTH 256
#define SIM_MAX_MUTATIONS 3

static const char *const sim_profile_names[SIM_PROFILE_COUNT_] = {"perfect", "sloppy", "weak", "broken",
                                                                   "faulty"};
static const char *const sim_fault_names[SIM_FAULT_COUNT_] = {"none",  "429",      "500",    "reset",
                                                               "stall", "truncate", "garbage"};

const char *sim_profile_name(sim_profile_kind k)
{
    return (unsigned)k < SIM_PROFILE_COUNT_ ? sim_profile_names[k] : "unknown";
}

int sim_profile_parse(const char *s)
{
    size_t n;
    int i;

    if (strncmp(s, "sim-", 4) == 0)
        s += 4;
    n = strcspn(s, "+"); /* "+quirk" suffixes are server quirks, not the profile */
    for (i = 0; i < SIM_PROFILE_COUNT_; i++) {
        if (strlen(sim_profile_names[i]) == n && strncmp(s, sim_profile_names[i], n) == 0)
            return i;
    }
    return -1;
}

const char *sim_fault_name(sim_fault f)
{
    return (unsigned)f < SIM_FAULT_COUNT_ ? sim_fault_names[f] : "unknown";
}

int sim_fault_parse(const char *s)
{
    int i;

    for (i = 0; i < SIM_FAULT_COUNT_; i++) {
        if (strcmp(s, sim_fault_names[i]) == 0)
            return i;
    }
    return -1;
}

void sim_reply_free(sim_reply *r)
{
    if (!r)
        return;
    bb_free(r->content);
    bb_free(r->tool_name);
    bb_free(r->arguments);
    memset(r, 0, sizeof *r);
}

static uint64_t sim_seed(uint64_t seed, const sim_request *req, uint64_t purpose, uint64_t extra)
{
    uint64_t h = bb_hash_mix(bb_hash_mix(seed, req->sample_seed), bb_hash64_str(req->task ? req->task : ""));

    h = bb_hash_mix(h, purpose);
    return bb_hash_mix(h, extra);
}

static bb_result sim_reply_call(sim_reply *out, const sim_request *req, const char *args, size_t len)
{
    out->tool_name = bb_strdup(req->tool_name ? req->tool_name : "submit");
    out->arguments = bb_strndup(args, len);
    out->finish_reason = "tool_calls";
    return out->tool_name && out->arguments ? BB_OK : BB_ERR_NOMEM;
}

static bb_result sim_reply_text(sim_reply *out, const char *text)
{
    out->content = bb_strdup(text);
    out->finish_reason = "stop";
    return out->content ? BB_OK : BB_ERR_NOMEM;
}

/* ---- sloppy -------------------------------------------------------------- */

static bb_result sim_decide_sloppy(const sim_request *req, const json_t *answer, uint64_t seed, sim_reply *out)
{
    bb_rng rng;
    bb_buf b, body;
    bb_result rc;
    int variant;

    bb_rng_seed(&rng, sim_seed(seed, req, 1, (uint64_t)req->round));
    bb_buf_init(&b, BB_BUF_MAX_DEFAULT);
    bb_buf_init(&body, BB_BUF_MAX_DEFAULT);
    variant = bb_rng_double(&rng) < SIM_SLOPPY_CLEAN_P ? -1 : (int)bb_rng_below(&rng, 7);
    switch (variant) {
    case -1:
        rc = sim_render(answer, 0, &b);
        if (rc == BB_OK)
            rc = sim_reply_call(out, req, b.data, b.len);
        break;
    case 0: /* the call as a fenced block in prose, no tool_calls */
        rc = sim_render(answer, SIM_RENDER_PRETTY, &body);
        if (rc == BB_OK)
            rc = bb_buf_printf(&b, "Here is the complete design.\n\n```json\n%s\n```\n\nLet me know if you want changes.",
                               body.data);
        if (rc == BB_OK)
            rc = sim_reply_text(out, b.data);
        break;
    case 1: /* the call written as a <tool_call> tag in the text */
        rc = sim_render(answer, 0, &body);
        if (rc == BB_OK)
            rc = bb_buf_printf(&b, "<tool_call>\n{\"name\": \"%s\", \"arguments\": %s}\n</tool_call>",
                               req->tool_name ? req->tool_name : "submit", body.data);
        if (rc == BB_OK)
            rc = sim_reply_text(out, b.data);
        break;
    case 2:
        rc = sim_render(answer, SIM_RENDER_PRETTY | SIM_RENDER_TRAILING_COMMA | SIM_RENDER_COMMENTS, &b);
        if (rc == BB_OK)
            rc = sim_reply_call(out, req, b.data, b.len);
        break;
    case 3:
        rc = sim_render(answer, SIM_RENDER_PRETTY | SIM_RENDER_PYTHON | SIM_RENDER_UNQUOTED_KEYS, &b);
        if (rc == BB_OK)
            rc = sim_reply_call(out, req, b.data, b.len);
        break;
    case 4:
        rc = sim_render(answer, SIM_RENDER_DOUBLE_ENCODE, &b);
        if (rc == BB_OK)
            rc = sim_reply_call(out, req, b.data, b.len);
        break;
    case 5:
        rc = sim_render(answer, SIM_RENDER_SCALAR_STRINGS, &b);
        if (rc == BB_OK)
            rc = sim_reply_call(out, req, b.data, b.len);
        break;
    default: /* arguments wrapped in a markdown fence */
        rc = sim_render(answer, SIM_RENDER_PRETTY, &body);
        if (rc == BB_OK)
            rc = bb_buf_printf(&b, "```json\n%s\n```", body.data);
        if (rc == BB_OK)
            rc = sim_reply_call(out, req, b.data, b.len);
        break;
    }
    bb_buf_free(&b);
    bb_buf_free(&body);
    return rc;
}

/* ---- weak ---------------------------------------------------------------- */

typedef enum sim_mut_kind {
    SIM_MUT_REMOVE_KEY = 0, /* a property disappears */
    SIM_MUT_BAD_NAME,       /* a "name" gets an invalid identifier */
    SIM_MUT_BAD_ENUM,       /* a short lower-case word gets a wrong value */
    SIM_MUT_WRONG_TYPE,     /* a boolean becomes a word */
    SIM_MUT_WRONG_DEPTH     /* a property moves up into the parent object */
} sim_mut_kind;

typedef struct sim_mut {
    sim_mut_kind kind;
    const char *container; /* path of the object holding the key */
    const char *key;
    const char *target;    /* container + key */
    const char *alt;       /* WRONG_DEPTH: parent path + key, else NULL */
    json_t *found;         /* in the copy: the container */
    json_t *found_parent;  /* in the copy: the container's parent object */
} sim_mut;

typedef struct sim_walk {
    bb_arena *arena;
    sim_mut *cands;
    size_t n;
    sim_mut *chosen;
    size_t n_chosen;
    int collect; /* 1: collect candidates; 0: find chosen containers */
} sim_walk;

static int sim_is_word(const char *s)
{
    size_t n = strlen(s), i;

    if (n == 0 || n > 16)
        return 0;
    for (i = 0; i < n; i++) {
        if (s[i] < 'a' || s[i] > 'z')
            return 0;
    }
    return 1;
}

static void sim_walk_add(sim_walk *w, sim_mut_kind kind, const char *container, const char *key,
                         const char *parent_path)
{
    bb_buf t;
    sim_mut *m;

    if (w->n >= SIM_MAX_CANDIDATES)
        return;
    m = &w->cands[w->n];
    bb_buf_init(&t, 1 << 20);
    if (bb_buf_puts(&t, container) != BB_OK || schema_path_key(&t, key) != BB_OK)
        goto out;
    m->kind = kind;
    m->container = container;
    m->key = bb_arena_strdup(w->arena, key);
    m->target = bb_arena_strdup(w->arena, t.data);
    m->alt = NULL;
    if (kind == SIM_MUT_WRONG_DEPTH) {
        bb_buf_reset(&t);
        if (bb_buf_puts(&t, parent_path) != BB_OK || schema_path_key(&t, key) != BB_OK)
            goto out;
        m->alt = bb_arena_strdup(w->arena, t.data);
        if (!m->alt)
            goto out;
    }
    if (m->key && m->target)
        w->n++;
out:
    bb_buf_free(&t);
}

static bb_result sim_walk_node(sim_walk *w, json_t *v, const char *path, json_t *parent, const char *parent_path,
                               int depth)
{
    bb_buf cp;
    bb_result rc = BB_OK;

    if (depth > SIM_MAX_WALK_DEPTH)
        return BB_OK;
    bb_buf_init(&cp, 1 << 20);
    if (json_is_object(v)) {
        const char *k;
        json_t *m;
        const char *here = bb_arena_strdup(w->arena, path);

        if (!here) {
            rc = BB_ERR_NOMEM;
            goto out;
        }
        if (!w->collect) {
            size_t i;

            for (i = 0; i < w->n_chosen; i++) {
                if (strcmp(w->chosen[i].container, here) == 0) {
                    w->chosen[i].found = v;
                    w->chosen[i].found_parent = parent;
                }
            }
        }
        json_object_foreach(v, k, m) {
            if (w->collect && depth >= 1) {
                sim_walk_add(w, SIM_MUT_REMOVE_KEY, here, k, NULL);
                if (json_is_string(m) && strcmp(k, "name") == 0)
                    sim_walk_add(w, SIM_MUT_BAD_NAME, here, k, NULL);
                if (json_is_string(m) && sim_is_word(json_string_value(m)))
                    sim_walk_add(w, SIM_MUT_BAD_ENUM, here, k, NULL);
                if (json_is_boolean(m))
                    sim_walk_add(w, SIM_MUT_WRONG_TYPE, here, k, NULL);
                if (parent && json_is_object(parent) && !json_object_get(parent, k))
                    sim_walk_add(w, SIM_MUT_WRONG_DEPTH, here, k, parent_path);
            }
            bb_buf_reset(&cp);
            rc = bb_buf_puts(&cp, path);
            if (rc == BB_OK)
                rc = schema_path_key(&cp, k);
            if (rc == BB_OK)
                rc = sim_walk_node(w, m, cp.data, v, here, depth + 1);
            if (rc != BB_OK)
                goto out;
        }
    } else if (json_is_array(v)) {
        size_t i;

        for (i = 0; i < json_array_size(v); i++) {
            bb_buf_reset(&cp);
            rc = bb_buf_puts(&cp, path);
            if (rc == BB_OK)
                rc = schema_path_index(&cp, i);
            /* array elements have no parent object to move keys into */
            if (rc == BB_OK)
                rc = sim_walk_node(w, json_array_get(v, i), cp.data, NULL, NULL, depth + 1);
            if (rc != BB_OK)
                goto out;
        }
    }
out:
    bb_buf_free(&cp);
    return rc;
}

/* 1 when a is b or an ancestor/descendant path of b. */
static int sim_paths_overlap(const char *a, const char *b)
{
    size_t na = strlen(a), nb = strlen(b);
    const char *s = na < nb ? a : b, *l = na < nb ? b : a;
    size_t ns = na < nb ? na : nb;

    if (strncmp(s, l, ns) != 0)
        return 0;
    return l[ns] == '\0' || l[ns] == '.' || l[ns] == '[';
}

/* 1 when the feedback text names this path (as it appears, JSON-escaped,
 * inside the feedback's error comments). */
static int sim_feedback_names(const char *feedback, const char *path)
{
    bb_buf esc;
    const char *p;
    int found = 0;

    if (!feedback || !path)
        return 0;
    bb_buf_init(&esc, 1 << 20);
    if (bb_buf_put_json_string(&esc, path, strlen(path)) != BB_OK)
        goto out;
    /* search for the escaped path without its quotes, followed by a quote */
    esc.data[esc.len - 1] = '\0';
    for (p = strstr(feedback, esc.data + 1); p; p = strstr(p + 1, esc.data + 1)) {
        char next = p[esc.len - 2];

        if (next == '"' || next == '\\') {
            found = 1;
            break;
        }
    }
out:
    bb_buf_free(&esc);
    return found;
}

static int sim_mut_fixed(const sim_request *req, const sim_mut *m, size_t idx, uint64_t seed)
{
    size_t r;

    for (r = 0; r < req->n_feedback && (int)r + 1 < req->round; r++) {
        if (sim_feedback_names(req->feedback[r], m->target) || sim_feedback_names(req->feedback[r], m->alt)) {
            bb_rng rng;

            bb_rng_seed(&rng, sim_seed(seed, req, 3, bb_hash_mix((uint64_t)r, (uint64_t)idx)));
            if (bb_rng_double(&rng) < SIM_WEAK_FIX_P)
                return 1;
        }
    }
    return 0;
}

static bb_result sim_mut_apply(sim_mut *m)
{
    json_t *c = m->found, *v;

    if (!c || !json_is_object(c))
        return BB_OK;
    v = json_object_get(c, m->key);
    if (!v)
        return BB_OK;
    switch (m->kind) {
    case SIM_MUT_REMOVE_KEY:
        json_object_del(c, m->key);
        break;
    case SIM_MUT_BAD_NAME: {
        bb_buf b;
        bb_result rc;

        bb_buf_init(&b, 1 << 16);
        rc = bb_buf_printf(&b, "Invalid Name-%s", json_string_value(v));
        if (rc == BB_OK && json_object_set_new(c, m->key, json_string(b.data)) != 0)
            rc = BB_ERR_NOMEM;
        bb_buf_free(&b);
        return rc;
    }
    case SIM_MUT_BAD_ENUM: {
        bb_buf b;
        bb_result rc;

        bb_buf_init(&b, 1 << 16);
        rc = bb_buf_printf(&b, "%s_variant", json_string_value(v));
        if (rc == BB_OK && json_object_set_new(c, m->key, json_string(b.data)) != 0)
            rc = BB_ERR_NOMEM;
        bb_buf_free(&b);
        return rc;
    }
    case SIM_MUT_WRONG_TYPE:
        if (json_object_set_new(c, m->key, json_string("maybe")) != 0)
            return BB_ERR_NOMEM;
        break;
    case SIM_MUT_WRONG_DEPTH:
        if (!m->found_parent || json_object_get(m->found_parent, m->key))
            return BB_OK;
        if (json_object_set(m->found_parent, m->key, v) != 0)
            return BB_ERR_NOMEM;
        json_object_del(c, m->key);
        break;
    }
    return BB_OK;
}

static bb_result sim_decide_weak(const sim_request *req, const json_t *answer, uint64_t seed, sim_reply *out)
{
    sim_walk w;
    sim_mut chosen[SIM_MAX_MUTATIONS];
    json_t *copy = NULL;
    bb_rng rng;
    bb_buf b;
    bb_result rc;
    size_t want, tries, i;

    memset(&w, 0, sizeof w);
    bb_buf_init(&b, BB_BUF_MAX_DEFAULT);
    w.arena = bb_arena_new(0);
    w.cands = bb_calloc(SIM_MAX_CANDIDATES, sizeof *w.cands);
    if (!w.arena || !w.cands) {
        rc = BB_ERR_NOMEM;
        goto out;
    }
    w.collect = 1;
    rc = sim_walk_node(&w, (json_t *)answer, "$input", NULL, NULL, 0);
    if (rc != BB_OK)
        goto out;
    /* the mistakes of this task: fixed by (seed, task), the same every round */
    bb_rng_seed(&rng, sim_seed(seed, req, 2, 0));
    want = 1 + (size_t)bb_rng_below(&rng, SIM_MAX_MUTATIONS);
    for (tries = 0; w.n > 0 && w.n_chosen < want && tries < 200; tries++) {
        const sim_mut *c = &w.cands[bb_rng_below(&rng, w.n)];
        int clash = 0;

        for (i = 0; i < w.n_chosen; i++) {
            if (sim_paths_overlap(chosen[i].target, c->target) ||
                sim_paths_overlap(chosen[i].container, c->container))
                clash = 1;
        }
        if (!clash)
            chosen[w.n_chosen++] = *c;
    }
    /* keep only the mistakes not yet fixed by earlier feedback; the fix draw
     * uses each mistake's original index, so a fixed mistake stays fixed */
    {
        size_t kept = 0;

        for (i = 0; i < w.n_chosen; i++) {
            if (!sim_mut_fixed(req, &chosen[i], i, seed))
                chosen[kept++] = chosen[i];
        }
        w.n_chosen = kept;
    }
    copy = json_deep_copy(answer);
    if (!copy) {
        rc = BB_ERR_NOMEM;
        goto out;
    }
    w.collect = 0;
    w.chosen = chosen;
    rc = sim_walk_node(&w, copy, "$input", NULL, NULL, 0);
    for (i = 0; rc == BB_OK && i < w.n_chosen; i++)
        rc = sim_mut_apply(&chosen[i]);
    if (rc == BB_OK)
        rc = sim_render(copy, 0, &b);
    if (rc == BB_OK)
        rc = sim_reply_call(out, req, b.data, b.len);
out:
    json_decref(copy);
    bb_free(w.cands);
    bb_arena_free(w.arena);
    bb_buf_free(&b);
    return rc;
}

/* ---- the decision ---------------------------------------------------------- */

bb_result sim_decide(const sim_request *req, const char *answer, sim_profile_kind profile, uint64_t seed,
                     sim_reply *out)
{
    json_t *ans = NULL;
    json_error_t jerr;
    bb_rng rng;
    bb_result rc = BB_OK;

    memset(out, 0, sizeof *out);
    if (profile == SIM_PROFILE_FAULTY) {
        double p = req->attempt <= 1 ? SIM_FAULTY_FAULT_P : req->attempt == 2 ? SIM_FAULTY_FAULT_P / 2 : 0.0;

        bb_rng_seed(&rng, sim_seed(seed, req, 4, bb_hash_mix((uint64_t)req->round, (uint64_t)req->attempt)));
        if (bb_rng_double(&rng) < p) {
            out->fault = (sim_fault)(1 + bb_rng_below(&rng, SIM_FAULT_COUNT_ - 1));
            return BB_OK;
        }
    }
    if (profile == SIM_PROFILE_BROKEN) {
        if (req->round % 2 == 1)
            return sim_reply_text(out, "I need more details before I can design this. "
                                       "Shall I proceed with a generic design?");
        return sim_reply_call(out, req, "I cannot produce the arguments for this request.", 48);
    }
    if (!answer)
        return sim_reply_text(out, "I cannot help with this task.");
    ans = json_loads(answer, JSON_DECODE_ANY, &jerr);
    if (!ans)
        return BB_ERR_PARSE;
    switch (profile) {
    case SIM_PROFILE_SLOPPY:
        rc = sim_decide_sloppy(req, ans, seed, out);
        break;
    case SIM_PROFILE_WEAK:
        rc = sim_decide_weak(req, ans, seed, out);
        break;
    default:
        rc = sim_reply_call(out, req, answer, strlen(answer));
        break;
    }
    json_decref(ans);
    if (rc != BB_OK)
        sim_reply_free(out);
    return rc;
}
