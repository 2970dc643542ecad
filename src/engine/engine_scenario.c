/*
 * engine_scenario.c — scripted request sequences with expectations and
 * captures, run in process against an engine (see engine_scenario.h).
 */
#include "engine/engine_scenario.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "json/json_util.h"

#define SC_TEXT_MAX ((size_t)1024 * 1024) /* bytes of a substituted path or body */

void eng_scenario_result_init(eng_scenario_result *r)
{
    r->steps = 0;
    r->passed = 0;
    r->engine_errors = 0;
    bb_buf_init(&r->log, (size_t)1024 * 1024);
}

void eng_scenario_result_free(eng_scenario_result *r)
{
    if (r)
        bb_buf_free(&r->log);
}

/* Captured values: an object name -> JSON value. */

/* The captured value of "${name}" when s is exactly that, else NULL. */
static json_t *sc_whole_var(json_t *vars, const char *s)
{
    size_t n = strlen(s);
    char name[128];

    if (n < 4 || n - 3 >= sizeof name || s[0] != '$' || s[1] != '{' || s[n - 1] != '}' || strchr(s + 2, '}') != s + n - 1)
        return NULL;
    memcpy(name, s + 2, n - 3);
    name[n - 3] = '\0';
    return json_object_get(vars, name);
}

/* Replaces every ${name} in s; 0 when a name has no capture (*missing set). */
static int sc_subst(json_t *vars, const char *s, bb_buf *out, const char **missing)
{
    const char *p = s;

    while (*p) {
        const char *start = strstr(p, "${"), *end;
        char name[128];
        json_t *v;

        if (!start)
            return bb_buf_puts(out, p) == BB_OK;
        end = strchr(start, '}');
        if (!end)
            return bb_buf_puts(out, p) == BB_OK;
        if (bb_buf_append(out, p, (size_t)(start - p)) != BB_OK || (size_t)(end - start - 2) >= sizeof name)
            return 0;
        memcpy(name, start + 2, (size_t)(end - start - 2));
        name[end - start - 2] = '\0';
        v = json_object_get(vars, name);
        if (!v) {
            *missing = start;
            return 0;
        }
        if (json_is_string(v)) {
            if (bb_buf_append(out, json_string_value(v), json_string_length(v)) != BB_OK)
                return 0;
        } else if (bb_json_append_compact(out, v, 0) != BB_OK) {
            return 0;
        }
        p = end + 1;
    }
    return 1;
}

/* A deep copy of body with ${name} substituted; NULL when a capture is missing. */
static json_t *sc_subst_json(json_t *vars, const json_t *v, int depth)
{
    json_t *out = NULL;

    if (depth > 64)
        return NULL;
    if (json_is_string(v)) {
        json_t *whole = sc_whole_var(vars, json_string_value(v));
        bb_buf b;
        const char *missing = NULL;

        if (whole)
            return json_deep_copy(whole);
        bb_buf_init(&b, SC_TEXT_MAX);
        if (sc_subst(vars, json_string_value(v), &b, &missing))
            out = json_stringn(bb_buf_str(&b), b.len);
        bb_buf_free(&b);
        return out;
    }
    if (json_is_array(v)) {
        size_t i;

        out = json_array();
        for (i = 0; out && i < json_array_size(v); i++) {
            json_t *c = sc_subst_json(vars, json_array_get(v, i), depth + 1);

            if (!c || json_array_append_new(out, c) != 0) {
                json_decref(out);
                return NULL;
            }
        }
        return out;
    }
    if (json_is_object(v)) {
        const char *k;
        json_t *m;

        out = json_object();
        json_object_foreach((json_t *)v, k, m) {
            json_t *c = sc_subst_json(vars, m, depth + 1);

            if (!out || !c || json_object_set_new(out, k, c) != 0) {
                json_decref(out);
                return NULL;
            }
        }
        return out;
    }
    return json_deep_copy(v);
}

/* 1 when got contains want (subset rule); path receives where it differs. */
static int sc_subset(const json_t *want, const json_t *got, bb_buf *path, int depth)
{
    if (depth > 64 || !got)
        return 0;
    if (json_is_object(want)) {
        const char *k;
        json_t *m;

        if (!json_is_object(got))
            return 0;
        json_object_foreach((json_t *)want, k, m) {
            size_t mark = path->len;

            (void)bb_buf_printf(path, ".%s", k);
            if (!sc_subset(m, json_object_get(got, k), path, depth + 1))
                return 0;
            bb_buf_truncate(path, mark);
        }
        return 1;
    }
    if (json_is_array(want)) {
        size_t i;

        if (!json_is_array(got) || json_array_size(got) != json_array_size(want))
            return 0;
        for (i = 0; i < json_array_size(want); i++) {
            size_t mark = path->len;

            (void)bb_buf_printf(path, "[%zu]", i);
            if (!sc_subset(json_array_get(want, i), json_array_get(got, i), path, depth + 1))
                return 0;
            bb_buf_truncate(path, mark);
        }
        return 1;
    }
    return bb_json_equal(want, got);
}

/* The value at a dot path ("data.0.id") in v, or NULL. */
static json_t *sc_at(json_t *v, const char *path)
{
    char part[128];
    const char *p = path;

    while (v && *p) {
        const char *dot = strchr(p, '.');
        size_t n = dot ? (size_t)(dot - p) : strlen(p);

        if (n == 0 || n >= sizeof part)
            return NULL;
        memcpy(part, p, n);
        part[n] = '\0';
        if (json_is_array(v)) {
            char *end;
            long i = strtol(part, &end, 10);

            v = *end == '\0' && i >= 0 ? json_array_get(v, (size_t)i) : NULL;
        } else {
            v = json_object_get(v, part);
        }
        p += n + (dot ? 1 : 0);
    }
    return v;
}

static void sc_fail(eng_scenario_result *out, size_t i, const char *name, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

static void sc_fail(eng_scenario_result *out, size_t i, const char *name, const char *fmt, ...)
{
    va_list ap;

    (void)bb_buf_printf(&out->log, "step %zu (%s): ", i + 1, name ? name : "?");
    va_start(ap, fmt);
    (void)bb_buf_vprintf(&out->log, fmt, ap);
    va_end(ap);
    (void)bb_buf_putc(&out->log, '\n');
}

/* Runs one step; returns 1 when it passed. */
static int sc_step(eng_engine *e, json_t *vars, const json_t *st, size_t i, eng_scenario_result *out)
{
    const char *name = json_string_value(json_object_get(st, "name"));
    const json_t *rq = json_object_get(st, "request"), *ex = json_object_get(st, "expect");
    const json_t *jpath = json_object_get(rq, "path"), *jauth = json_object_get(rq, "auth");
    const json_t *jbody = json_object_get(rq, "body");
    bb_buf path, auth, body, where;
    json_t *sbody = NULL, *got = NULL, *swant = NULL;
    eng_request req;
    eng_response resp;
    const char *missing = NULL;
    int ok = 0;

    bb_buf_init(&path, SC_TEXT_MAX);
    bb_buf_init(&auth, SC_TEXT_MAX);
    bb_buf_init(&body, SC_TEXT_MAX);
    bb_buf_init(&where, 4096);
    eng_response_init(&resp);
    if (!sc_subst(vars, json_string_value(jpath), &path, &missing) ||
        (jauth && (bb_buf_puts(&auth, "Bearer ") != BB_OK || !sc_subst(vars, json_string_value(jauth), &auth, &missing)))) {
        sc_fail(out, i, name, "a capture it needs is missing (%.40s)", missing ? missing : "?");
        goto out;
    }
    if (jbody) {
        sbody = sc_subst_json(vars, jbody, 0);
        if (!sbody || bb_json_append_compact(&body, sbody, 0) != BB_OK) {
            sc_fail(out, i, name, "a capture its body needs is missing");
            goto out;
        }
    }
    memset(&req, 0, sizeof req);
    req.method = json_string_value(json_object_get(rq, "method"));
    req.path = bb_buf_str(&path);
    req.authorization = jauth ? bb_buf_str(&auth) : NULL;
    req.body = jbody ? bb_buf_str(&body) : NULL;
    req.body_len = jbody ? body.len : 0;
    if (eng_handle(e, &req, &resp) != BB_OK) {
        sc_fail(out, i, name, "the engine failed (out of memory)");
        goto out;
    }
    if (resp.engine_error)
        out->engine_errors++;
    got = resp.body.len ? json_loads(bb_buf_str(&resp.body), JSON_DECODE_ANY, NULL) : NULL;
    if (resp.status != (int)json_integer_value(json_object_get(ex, "status"))) {
        sc_fail(out, i, name, "status %d, expected %d: %.200s", resp.status,
                (int)json_integer_value(json_object_get(ex, "status")), bb_buf_str(&resp.body));
        goto out;
    }
    if (json_object_get(ex, "body")) {
        swant = sc_subst_json(vars, json_object_get(ex, "body"), 0);
        if (!swant) {
            sc_fail(out, i, name, "a capture its expected body needs is missing");
            goto out;
        }
        if (!sc_subset(swant, got, &where, 0)) {
            sc_fail(out, i, name, "body differs at $%s: %.200s", bb_buf_str(&where), bb_buf_str(&resp.body));
            goto out;
        }
    }
    {
        const json_t *absent = json_object_get(ex, "absent");
        size_t k;

        for (k = 0; k < json_array_size(absent); k++) {
            if (sc_at(got, json_string_value(json_array_get(absent, k)))) {
                sc_fail(out, i, name, "%s must be absent", json_string_value(json_array_get(absent, k)));
                goto out;
            }
        }
    }
    {
        const char *k;
        json_t *m;

        json_object_foreach(json_object_get(st, "capture"), k, m) {
            json_t *v = json_is_string(m) ? sc_at(got, json_string_value(m)) : NULL;

            if (!v) {
                sc_fail(out, i, name, "nothing to capture at %s", json_is_string(m) ? json_string_value(m) : "?");
                goto out;
            }
            if (json_object_size(vars) >= ENG_SCENARIO_MAX_VARS || json_object_set(vars, k, v) != 0) {
                sc_fail(out, i, name, "too many captures");
                goto out;
            }
        }
    }
    ok = 1;
out:
    json_decref(got);
    json_decref(sbody);
    json_decref(swant);
    eng_response_free(&resp);
    bb_buf_free(&path);
    bb_buf_free(&auth);
    bb_buf_free(&body);
    bb_buf_free(&where);
    return ok;
}

/* Shape check of one step. */
static int sc_valid_step(const json_t *st)
{
    const json_t *rq = json_object_get(st, "request"), *ex = json_object_get(st, "expect");

    return json_is_object(st) && json_is_object(rq) && json_is_string(json_object_get(rq, "method")) &&
           json_is_string(json_object_get(rq, "path")) && json_string_value(json_object_get(rq, "path"))[0] == '/' &&
           (!json_object_get(rq, "auth") || json_is_string(json_object_get(rq, "auth"))) && json_is_object(ex) &&
           json_is_integer(json_object_get(ex, "status")) &&
           (!json_object_get(ex, "absent") || json_is_array(json_object_get(ex, "absent"))) &&
           (!json_object_get(st, "capture") || json_is_object(json_object_get(st, "capture")));
}

bb_result eng_scenario_run(eng_engine *e, const json_t *scenario, eng_scenario_result *out)
{
    const json_t *steps = json_object_get(scenario, "steps");
    json_t *vars;
    size_t i;

    if (!json_is_array(steps) || json_array_size(steps) > ENG_SCENARIO_MAX_STEPS) {
        (void)bb_buf_puts(&out->log, "a scenario is {\"steps\": [...]} with at most 1000 steps\n");
        return BB_ERR_INVALID;
    }
    for (i = 0; i < json_array_size(steps); i++) {
        if (!sc_valid_step(json_array_get(steps, i))) {
            (void)bb_buf_printf(&out->log, "step %zu is malformed: needs request {method, path}, expect {status}\n",
                                i + 1);
            return BB_ERR_INVALID;
        }
    }
    vars = json_object();
    if (!vars)
        return BB_ERR_NOMEM;
    for (i = 0; i < json_array_size(steps); i++) {
        out->steps++;
        if (sc_step(e, vars, json_array_get(steps, i), i, out))
            out->passed++;
    }
    json_decref(vars);
    return BB_OK;
}
