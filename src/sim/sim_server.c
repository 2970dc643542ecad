/*
 * sim_server.c — HTTP front of the simulator (see sim_server.h).
 *
 * Sections: request bodies and routing; reading a chat request; writing a
 * reply (JSON or SSE); faults. Request JSON is read with jansson here, at the
 * edge, into a sim_request; the decision itself is sim_decide's.
 */
#include "sim_server.h"

#include <arpa/inet.h>
#include <jansson.h>
#include <microhttpd.h>
#include <netinet/in.h>
#include <pthread.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "util/alloc.h"
#include "util/buf.h"
#include "util/file.h"
#include "util/log.h"
#include "util/rng.h"

#define SIM_ATTEMPT_SLOTS 4096
#define SIM_STREAM_FRAGMENT 48
#define SIM_CREATED 1767225600 /* a fixed timestamp keeps replies reproducible */

struct sim_server {
    struct MHD_Daemon *daemon;
    sim_params params;
    int port;
    pthread_mutex_t lock;     /* guards answers, attempts, requests */
    json_t *answers;          /* task -> arguments JSON text */
    uint64_t attempt_key[SIM_ATTEMPT_SLOTS];
    int attempt_count[SIM_ATTEMPT_SLOTS];
    unsigned long requests;
};

sim_params sim_default_params(void)
{
    sim_params p;

    memset(&p, 0, sizeof p);
    p.profile = SIM_PROFILE_PERFECT;
    p.seed = 1;
    p.stall_ms = 3000;
    p.max_body = (size_t)32 * 1024 * 1024;
    p.garbage_bytes = (size_t)10 * 1000 * 1000;
    return p;
}

static void sim_sleep_ms(int ms)
{
    struct timespec ts;

    if (ms <= 0)
        return;
    ts.tv_sec = ms / 1000;
    ts.tv_nsec = (long)(ms % 1000) * 1000000L;
    nanosleep(&ts, NULL);
}

/* ---- answers and attempts ---------------------------------------------------- */

bb_result sim_server_answer(sim_server *s, const char *task, const char *arguments_json)
{
    json_t *v = json_string(arguments_json);
    int r;

    if (!v)
        return BB_ERR_NOMEM;
    pthread_mutex_lock(&s->lock);
    r = json_object_set_new(s->answers, task, v);
    pthread_mutex_unlock(&s->lock);
    return r == 0 ? BB_OK : BB_ERR_NOMEM;
}

bb_result sim_server_answers_load(sim_server *s, const char *path)
{
    json_error_t jerr;
    json_t *doc = json_load_file(path, 0, &jerr), *v;
    const char *k;
    bb_result rc = BB_OK;

    if (!doc) {
        BB_ERROR("sim: %s:%d: %s", path, jerr.line, jerr.text);
        return BB_ERR_PARSE;
    }
    if (!json_is_object(doc)) {
        json_decref(doc);
        return BB_ERR_PARSE;
    }
    json_object_foreach(doc, k, v) {
        char *text = json_dumps(v, JSON_COMPACT | JSON_ENCODE_ANY);

        if (!text) {
            rc = BB_ERR_NOMEM;
            break;
        }
        rc = sim_server_answer(s, k, text);
        bb_free(text);
        if (rc != BB_OK)
            break;
    }
    json_decref(doc);
    return rc;
}

/* A copy of the answer for task, or NULL. */
static char *sim_answer_copy(sim_server *s, const char *task)
{
    char *out = NULL;
    json_t *v;

    if (!task)
        return NULL;
    pthread_mutex_lock(&s->lock);
    v = json_object_get(s->answers, task);
    if (v)
        out = bb_strdup(json_string_value(v));
    pthread_mutex_unlock(&s->lock);
    return out;
}

/* Counts requests per (profile, task, round): the n-th try of a round. */
static int sim_attempt(sim_server *s, uint64_t key)
{
    size_t i, slot = key % SIM_ATTEMPT_SLOTS;
    int n = 1;

    pthread_mutex_lock(&s->lock);
    for (i = 0; i < SIM_ATTEMPT_SLOTS; i++) {
        size_t j = (slot + i) % SIM_ATTEMPT_SLOTS;

        if (s->attempt_count[j] == 0) {
            s->attempt_key[j] = key;
            s->attempt_count[j] = 1;
            break;
        }
        if (s->attempt_key[j] == key) {
            n = ++s->attempt_count[j];
            break;
        }
    }
    if (i == SIM_ATTEMPT_SLOTS) {
        /* full: forget everything (attempt counts only shape fault rates) */
        memset(s->attempt_count, 0, sizeof s->attempt_count);
        s->attempt_key[slot] = key;
        s->attempt_count[slot] = 1;
    }
    pthread_mutex_unlock(&s->lock);
    return n;
}

/* ---- replies ----------------------------------------------------------------- */

typedef struct sim_stream {
    bb_buf text;        /* all events, concatenated */
    size_t *ends;       /* end offset of each event */
    size_t n_events;
    size_t event;       /* next event to send */
    size_t pos;         /* bytes of text sent */
    size_t stall_before;/* event index before which to stall ((size_t)-1: never) */
    int stall_ms;
    size_t cut_after;   /* stop (abruptly) after this many events ((size_t)-1: never) */
    uint64_t garbage_left;
    bb_rng rng;
} sim_stream;

static void sim_stream_free(void *p)
{
    sim_stream *st = p;

    if (!st)
        return;
    bb_buf_free(&st->text);
    bb_free(st->ends);
    bb_free(st);
}

/* Appends one "data:" event; takes over the reference to chunk. */
static bb_result sim_stream_event(sim_stream *st, json_t *chunk)
{
    char *s = chunk ? json_dumps(chunk, JSON_COMPACT) : NULL;
    size_t *ne;
    bb_result rc;

    json_decref(chunk);
    if (!s)
        return BB_ERR_NOMEM;
    rc = bb_buf_printf(&st->text, "data: %s\n\n", s);
    bb_free(s);
    if (rc != BB_OK)
        return rc;
    ne = bb_realloc(st->ends, (st->n_events + 1) * sizeof *ne);
    if (!ne)
        return BB_ERR_NOMEM;
    st->ends = ne;
    st->ends[st->n_events++] = st->text.len;
    return BB_OK;
}

static ssize_t sim_stream_read(void *cls, uint64_t pos, char *buf, size_t max)
{
    sim_stream *st = cls;
    size_t end, n;

    (void)pos;
    if (st->garbage_left > 0) {
        size_t i;

        n = max < st->garbage_left ? max : (size_t)st->garbage_left;
        for (i = 0; i < n; i++)
            buf[i] = (char)(bb_rng_next(&st->rng) & 0xff);
        st->garbage_left -= n;
        return (ssize_t)n;
    }
    if (st->event >= st->n_events)
        return MHD_CONTENT_READER_END_OF_STREAM;
    if (st->event >= st->cut_after)
        return MHD_CONTENT_READER_END_WITH_ERROR;
    if (st->event == st->stall_before && st->stall_ms > 0) {
        sim_sleep_ms(st->stall_ms);
        st->stall_ms = 0;
    }
    end = st->ends[st->event];
    n = end - st->pos;
    if (n > max)
        n = max;
    memcpy(buf, st->text.data + st->pos, n);
    st->pos += n;
    if (st->pos >= end)
        st->event++;
    return (ssize_t)n;
}

static json_t *sim_usage(size_t request_bytes, const sim_reply *r)
{
    size_t out = (r->content ? strlen(r->content) : 0) + (r->arguments ? strlen(r->arguments) : 0) +
                 (r->tool_name ? strlen(r->tool_name) : 0);
    json_int_t p = (json_int_t)(request_bytes / 4 + 1), c = (json_int_t)(out / 4 + 1);

    return json_pack("{sI,sI,sI}", "prompt_tokens", p, "completion_tokens", c, "total_tokens", p + c);
}

static json_t *sim_tool_call(const sim_reply *r, const char *id, int with_args)
{
    json_t *args;

    if (r->arguments_object) {
        json_error_t jerr;

        args = json_loads(r->arguments, JSON_DECODE_ANY, &jerr);
        if (!args)
            args = json_string(r->arguments);
    } else {
        args = json_string(with_args ? r->arguments : "");
    }
    return json_pack("{ss,ss,s{ss,so}}", "id", id, "type", "function", "function", "name", r->tool_name,
                     "arguments", args);
}

static json_t *sim_body_full(const char *model, const sim_reply *r, const char *id, size_t request_bytes)
{
    json_t *msg = json_pack("{ss}", "role", "assistant"), *body;

    if (!msg)
        return NULL;
    json_object_set_new(msg, "content", r->content ? json_string(r->content) : json_null());
    if (r->tool_name)
        json_object_set_new(msg, "tool_calls", json_pack("[o]", sim_tool_call(r, id, 1)));
    body = json_pack("{ss,ss,si,ss,s[{si,so,ss}],so}", "id", id, "object", "chat.completion", "created",
                     SIM_CREATED, "model", model, "choices", "index", 0, "message", msg, "finish_reason",
                     r->finish_reason ? r->finish_reason : "stop", "usage", sim_usage(request_bytes, r));
    return body;
}

static json_t *sim_chunk(const char *model, const char *id, json_t *delta, const char *finish)
{
    return json_pack("{ss,ss,si,ss,s[{si,so,so}]}", "id", id, "object", "chat.completion.chunk", "created",
                     SIM_CREATED, "model", model, "choices", "index", 0, "delta", delta, "finish_reason",
                     finish ? json_string(finish) : json_null());
}

/* Renders the whole SSE stream of a reply as events. */
static bb_result sim_stream_build(sim_stream *st, const char *model, const sim_reply *r, const char *id,
                                  size_t request_bytes, int include_usage)
{
    bb_result rc = sim_stream_event(st, sim_chunk(model, id, json_pack("{ss,sn}", "role", "assistant",
                                                                       "content"),
                                                  NULL));
    size_t i, n;

    if (rc == BB_OK && r->content) {
        n = strlen(r->content);
        for (i = 0; rc == BB_OK && i < n; i += SIM_STREAM_FRAGMENT) {
            size_t len = n - i < SIM_STREAM_FRAGMENT ? n - i : SIM_STREAM_FRAGMENT;
            json_t *piece = json_stringn(r->content + i, len);

            /* a fragment may split a UTF-8 sequence: jansson refuses it; send bytes as they are */
            if (!piece)
                piece = json_stringn_nocheck(r->content + i, len);
            rc = sim_stream_event(st, sim_chunk(model, id, json_pack("{so}", "content", piece), NULL));
        }
    }
    if (rc == BB_OK && r->tool_name) {
        json_t *first = sim_tool_call(r, id, 0);

        json_object_set_new(first, "index", json_integer(0));
        rc = sim_stream_event(st, sim_chunk(model, id, json_pack("{s[o]}", "tool_calls", first), NULL));
        n = strlen(r->arguments);
        for (i = 0; rc == BB_OK && i < n; i += SIM_STREAM_FRAGMENT) {
            size_t len = n - i < SIM_STREAM_FRAGMENT ? n - i : SIM_STREAM_FRAGMENT;
            json_t *piece = json_stringn(r->arguments + i, len);

            if (!piece)
                piece = json_stringn_nocheck(r->arguments + i, len);
            rc = sim_stream_event(
                st, sim_chunk(model, id,
                              json_pack("{s[{si,s{so}}]}", "tool_calls", "index", 0, "function", "arguments",
                                        piece),
                              NULL));
        }
    }
    if (rc == BB_OK)
        rc = sim_stream_event(st, sim_chunk(model, id, json_object(), r->finish_reason));
    if (rc == BB_OK && include_usage) {
        json_t *u = json_pack("{ss,ss,si,ss,s[],so}", "id", id, "object", "chat.completion.chunk", "created",
                              SIM_CREATED, "model", model, "choices", "usage", sim_usage(request_bytes, r));

        rc = sim_stream_event(st, u);
    }
    if (rc == BB_OK) {
        size_t *ne = bb_realloc(st->ends, (st->n_events + 1) * sizeof *ne);

        if (!ne)
            return BB_ERR_NOMEM;
        st->ends = ne;
        rc = bb_buf_puts(&st->text, "data: [DONE]\n\n");
        st->ends[st->n_events++] = st->text.len;
    }
    return rc;
}

/* ---- a chat request ------------------------------------------------------------ */

typedef struct sim_conn {
    bb_buf body;
    int too_large;
} sim_conn;

static enum MHD_Result sim_send_json(struct MHD_Connection *c, unsigned status, json_t *body)
{
    char *text = body ? json_dumps(body, JSON_COMPACT) : NULL;
    struct MHD_Response *resp;
    enum MHD_Result r;

    json_decref(body);
    if (!text)
        return MHD_NO;
    resp = MHD_create_response_from_buffer(strlen(text), text, MHD_RESPMEM_MUST_COPY);
    bb_free(text);
    if (!resp)
        return MHD_NO;
    MHD_add_response_header(resp, "Content-Type", "application/json");
    r = MHD_queue_response(c, status, resp);
    MHD_destroy_response(resp);
    return r;
}

static enum MHD_Result sim_send_error(struct MHD_Connection *c, unsigned status, const char *type,
                                      const char *message)
{
    return sim_send_json(c, status, json_pack("{s{ss,ss,si}}", "error", "message", message, "type", type, "code",
                                              (int)status));
}

static enum MHD_Result sim_send_stream(struct MHD_Connection *c, unsigned status, sim_stream *st,
                                       const char *content_type)
{
    struct MHD_Response *resp = MHD_create_response_from_callback(MHD_SIZE_UNKNOWN, 4096, sim_stream_read, st,
                                                                  sim_stream_free);
    enum MHD_Result r;

    if (!resp) {
        sim_stream_free(st);
        return MHD_NO;
    }
    MHD_add_response_header(resp, "Content-Type", content_type);
    MHD_add_response_header(resp, "Cache-Control", "no-cache");
    r = MHD_queue_response(c, status, resp);
    MHD_destroy_response(resp);
    return r;
}

/* Reads the parts of the chat request the simulator needs. Strings point into doc. */
static void sim_request_read(json_t *doc, const char *task_header, sim_request *req, const char **model,
                             int *stream, int *include_usage)
{
    json_t *msgs = json_object_get(doc, "messages"), *m, *tools, *t0;
    size_t i, assistants = 0;

    memset(req, 0, sizeof *req);
    *model = json_string_value(json_object_get(doc, "model"));
    *stream = json_is_true(json_object_get(doc, "stream"));
    *include_usage = json_is_true(json_object_get(json_object_get(doc, "stream_options"), "include_usage"));
    req->task = task_header ? task_header : json_string_value(json_object_get(doc, "user"));
    if (json_is_integer(json_object_get(doc, "seed")))
        req->sample_seed = (uint64_t)json_integer_value(json_object_get(doc, "seed"));
    tools = json_object_get(doc, "tools");
    t0 = json_array_get(tools, 0);
    req->tool_name = json_string_value(json_object_get(json_object_get(t0, "function"), "name"));
    json_array_foreach(msgs, i, m) {
        const char *role = json_string_value(json_object_get(m, "role"));

        if (!role)
            continue;
        if (strcmp(role, "assistant") == 0) {
            assistants++;
        } else if (assistants > 0 && (strcmp(role, "tool") == 0 || strcmp(role, "user") == 0) &&
                   assistants - 1 < SIM_FEEDBACK_MAX) {
            const char *text = json_string_value(json_object_get(m, "content"));

            /* the feedback after round k is the first tool/user text after the k-th assistant message */
            if (text && !req->feedback[assistants - 1]) {
                req->feedback[assistants - 1] = text;
                if (req->n_feedback < assistants)
                    req->n_feedback = assistants;
            }
        }
    }
    req->round = (int)assistants + 1;
}

static int sim_has_tool_role(json_t *msgs)
{
    json_t *m;
    size_t i;

    json_array_foreach(msgs, i, m) {
        const char *role = json_string_value(json_object_get(m, "role"));

        if (role && strcmp(role, "tool") == 0)
            return 1;
    }
    return 0;
}

static enum MHD_Result sim_chat(sim_server *s, struct MHD_Connection *c, sim_conn *cc)
{
    json_error_t jerr;
    json_t *doc = json_loadb(cc->body.data ? cc->body.data : "", cc->body.len, 0, &jerr), *body;
    const char *task_header = MHD_lookup_connection_value(c, MHD_HEADER_KIND, "X-Backbench-Task");
    const char *fault_header = MHD_lookup_connection_value(c, MHD_HEADER_KIND, "X-Backbench-Fault");
    const char *model = NULL;
    sim_request req;
    sim_reply reply;
    sim_stream *st = NULL;
    char *answer = NULL;
    char id[64];
    int stream = 0, include_usage = 0, prof;
    enum MHD_Result r = MHD_NO;
    bb_result rc;

    memset(&reply, 0, sizeof reply);
    if (!doc || !json_is_object(doc)) {
        json_decref(doc);
        return sim_send_error(c, 400, "invalid_request_error", "request body is not a JSON object");
    }
    sim_request_read(doc, task_header, &req, &model, &stream, &include_usage);
    if (!json_is_array(json_object_get(doc, "messages"))) {
        r = sim_send_error(c, 400, "invalid_request_error", "'messages' must be an array");
        goto out;
    }
    /* server quirks named in the model: "sim-weak+no-required+no-tool-role" */
    if (model && strstr(model, "+no-required") &&
        strcmp(json_string_value(json_object_get(doc, "tool_choice")) ? json_string_value(json_object_get(doc, "tool_choice")) : "", "required") == 0) {
        r = sim_send_error(c, 400, "invalid_request_error", "tool_choice \"required\" is not supported");
        goto out;
    }
    if (model && strstr(model, "+no-tool-role") && sim_has_tool_role(json_object_get(doc, "messages"))) {
        r = sim_send_error(c, 400, "invalid_request_error", "messages with role \"tool\" are not supported");
        goto out;
    }
    prof = model ? sim_profile_parse(model) : -1;
    if (prof < 0)
        prof = (int)s->params.profile;
    if (!model)
        model = "sim";
    req.attempt = sim_attempt(s, bb_hash_mix(bb_hash_mix(bb_hash64_str(model), req.sample_seed),
                                             bb_hash_mix(bb_hash64_str(req.task ? req.task : ""),
                                                         (uint64_t)req.round)));
    answer = sim_answer_copy(s, req.task);
    rc = sim_decide(&req, answer, (sim_profile_kind)prof, s->params.seed, &reply);
    if (rc != BB_OK) {
        r = sim_send_error(c, 500, "server_error", bb_strerror(rc));
        goto out;
    }
    if (fault_header && sim_fault_parse(fault_header) > 0)
        reply.fault = (sim_fault)sim_fault_parse(fault_header);
    sim_sleep_ms(s->params.latency_ms);
    snprintf(id, sizeof id, "call_%016llx",
             (unsigned long long)bb_hash_mix(bb_hash64_str(req.task ? req.task : ""), (uint64_t)req.round));
    switch (reply.fault) {
    case SIM_FAULT_429: {
        struct MHD_Response *resp;
        const char *msg = "{\"error\":{\"message\":\"rate limited\",\"type\":\"rate_limit_error\",\"code\":429}}";

        resp = MHD_create_response_from_buffer(strlen(msg), (void *)msg, MHD_RESPMEM_PERSISTENT);
        if (!resp)
            goto out;
        MHD_add_response_header(resp, "Content-Type", "application/json");
        MHD_add_response_header(resp, "Retry-After", "1");
        r = MHD_queue_response(c, 429, resp);
        MHD_destroy_response(resp);
        goto out;
    }
    case SIM_FAULT_500:
        r = sim_send_error(c, 500, "server_error", "simulated internal error");
        goto out;
    case SIM_FAULT_RESET:
        r = MHD_NO; /* libmicrohttpd closes the connection without a response */
        goto out;
    default:
        break;
    }
    st = bb_calloc(1, sizeof *st);
    if (!st)
        goto out;
    bb_buf_init(&st->text, BB_BUF_MAX_DEFAULT);
    st->stall_before = (size_t)-1;
    st->cut_after = (size_t)-1;
    if (reply.fault == SIM_FAULT_GARBAGE) {
        st->garbage_left = s->params.garbage_bytes;
        bb_rng_seed(&st->rng, s->params.seed);
        r = sim_send_stream(c, 200, st, stream ? "text/event-stream" : "application/json");
        st = NULL;
        goto out;
    }
    if (stream) {
        rc = sim_stream_build(st, model, &reply, id, cc->body.len, include_usage);
        if (rc != BB_OK) {
            r = sim_send_error(c, 500, "server_error", bb_strerror(rc));
            goto out;
        }
        if (reply.fault == SIM_FAULT_STALL) {
            st->stall_before = 1;
            st->stall_ms = s->params.stall_ms;
        } else if (reply.fault == SIM_FAULT_TRUNCATE) {
            st->cut_after = st->n_events / 2;
        }
        r = sim_send_stream(c, 200, st, "text/event-stream");
        st = NULL;
        goto out;
    }
    body = sim_body_full(model, &reply, id, cc->body.len);
    if (!body)
        goto out;
    {
        char *text = json_dumps(body, JSON_COMPACT);

        json_decref(body);
        if (!text)
            goto out;
        rc = bb_buf_puts(&st->text, text);
        bb_free(text);
        if (rc != BB_OK)
            goto out;
    }
    if (reply.fault == SIM_FAULT_STALL || reply.fault == SIM_FAULT_TRUNCATE) {
        /* two events: the first half, then the rest (after a stall, or never) */
        size_t *ends = bb_calloc(2, sizeof *ends);

        if (!ends)
            goto out;
        st->ends = ends;
        st->ends[0] = st->text.len / 2;
        st->ends[1] = st->text.len;
        st->n_events = 2;
        if (reply.fault == SIM_FAULT_STALL) {
            st->stall_before = 1;
            st->stall_ms = s->params.stall_ms;
        } else {
            st->cut_after = 1;
        }
        r = sim_send_stream(c, 200, st, "application/json");
        st = NULL;
        goto out;
    }
    r = sim_send_json(c, 200, json_loadb(st->text.data, st->text.len, 0, &jerr));
out:
    sim_stream_free(st);
    sim_reply_free(&reply);
    bb_free(answer);
    json_decref(doc);
    return r;
}

/* ---- routing ------------------------------------------------------------------ */

static enum MHD_Result sim_models(struct MHD_Connection *c)
{
    json_t *data = json_array();
    int i;

    for (i = 0; i < SIM_PROFILE_COUNT_; i++) {
        char name[32];

        snprintf(name, sizeof name, "sim-%s", sim_profile_name((sim_profile_kind)i));
        json_array_append_new(data, json_pack("{ss,ss,si,ss}", "id", name, "object", "model", "created",
                                              SIM_CREATED, "owned_by", "backbench"));
    }
    return sim_send_json(c, 200, json_pack("{ss,so}", "object", "list", "data", data));
}

static enum MHD_Result sim_handle(void *cls, struct MHD_Connection *c, const char *url, const char *method,
                                  const char *version, const char *upload_data, size_t *upload_size,
                                  void **con_cls)
{
    sim_server *s = cls;
    sim_conn *cc = *con_cls;

    (void)version;
    if (!cc) {
        cc = bb_calloc(1, sizeof *cc);
        if (!cc)
            return MHD_NO;
        bb_buf_init(&cc->body, s->params.max_body);
        *con_cls = cc;
        pthread_mutex_lock(&s->lock);
        s->requests++;
        pthread_mutex_unlock(&s->lock);
        return MHD_YES;
    }
    if (*upload_size > 0) {
        if (!cc->too_large && bb_buf_append(&cc->body, upload_data, *upload_size) != BB_OK)
            cc->too_large = 1;
        *upload_size = 0;
        return MHD_YES;
    }
    if (strcmp(url, "/health") == 0 && strcmp(method, "GET") == 0)
        return sim_send_json(c, 200, json_pack("{ss}", "status", "ok"));
    if ((strcmp(url, "/v1/models") == 0 || strcmp(url, "/models") == 0) && strcmp(method, "GET") == 0)
        return sim_models(c);
    if (strcmp(url, "/v1/chat/completions") == 0 || strcmp(url, "/chat/completions") == 0) {
        if (strcmp(method, "POST") != 0)
            return sim_send_error(c, 405, "invalid_request_error", "use POST");
        if (cc->too_large)
            return sim_send_error(c, 413, "invalid_request_error", "request body too large");
        return sim_chat(s, c, cc);
    }
    return sim_send_error(c, 404, "not_found", "no such route");
}

static void sim_completed(void *cls, struct MHD_Connection *c, void **con_cls, enum MHD_RequestTerminationCode t)
{
    sim_conn *cc = *con_cls;

    (void)cls;
    (void)c;
    (void)t;
    if (cc) {
        bb_buf_free(&cc->body);
        bb_free(cc);
        *con_cls = NULL;
    }
}

bb_result sim_server_start(const sim_params *params, sim_server **out)
{
    sim_server *s;
    struct sockaddr_in addr;
    const union MHD_DaemonInfo *info;

    *out = NULL;
    s = bb_calloc(1, sizeof *s);
    if (!s)
        return BB_ERR_NOMEM;
    s->params = params ? *params : sim_default_params();
    s->answers = json_object();
    if (!s->answers || pthread_mutex_init(&s->lock, NULL) != 0) {
        json_decref(s->answers);
        bb_free(s);
        return BB_ERR_NOMEM;
    }
    memset(&addr, 0, sizeof addr);
    addr.sin_family = AF_INET;
    addr.sin_port = htons((uint16_t)s->params.port);
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    s->daemon = MHD_start_daemon(MHD_USE_THREAD_PER_CONNECTION | MHD_USE_INTERNAL_POLLING_THREAD |
                                     MHD_USE_POLL,
                                 0, NULL, NULL, sim_handle, s, MHD_OPTION_SOCK_ADDR, &addr,
                                 MHD_OPTION_NOTIFY_COMPLETED, sim_completed, s, MHD_OPTION_CONNECTION_LIMIT,
                                 (unsigned)512, MHD_OPTION_CONNECTION_TIMEOUT, (unsigned)120, MHD_OPTION_END);
    if (!s->daemon) {
        pthread_mutex_destroy(&s->lock);
        json_decref(s->answers);
        bb_free(s);
        return BB_ERR_IO;
    }
    info = MHD_get_daemon_info(s->daemon, MHD_DAEMON_INFO_BIND_PORT);
    s->port = info ? info->port : s->params.port;
    *out = s;
    return BB_OK;
}

void sim_server_stop(sim_server *s)
{
    if (!s)
        return;
    MHD_stop_daemon(s->daemon);
    pthread_mutex_destroy(&s->lock);
    json_decref(s->answers);
    bb_free(s);
}

int sim_server_port(const sim_server *s)
{
    return s->port;
}

unsigned long sim_server_requests(const sim_server *s)
{
    unsigned long n;

    pthread_mutex_lock((pthread_mutex_t *)&s->lock);
    n = s->requests;
    pthread_mutex_unlock((pthread_mutex_t *)&s->lock);
    return n;
}
