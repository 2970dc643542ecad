/*
 * llm_request.c — renders an llm_request as an OpenAI-compatible
 * chat-completions body (see llm_request.h).
 */
#include "llm_request.h"

#include <stdio.h>
#include <string.h>

#include "json/json_repair.h"
#include "llm/llm_response.h"

void llm_request_init(llm_request *req)
{
    memset(req, 0, sizeof *req);
    req->temperature = -1.0;
    req->top_p = -1.0;
}

const char *llm_role_name(llm_role role)
{
    switch (role) {
    case LLM_ROLE_SYSTEM: return "system";
    case LLM_ROLE_USER: return "user";
    case LLM_ROLE_ASSISTANT: return "assistant";
    case LLM_ROLE_TOOL: return "tool";
    }
    return "user";
}

static void say(char *why, size_t why_size, const char *msg, const char *detail)
{
    if (why && why_size)
        snprintf(why, why_size, "%s%s%s", msg, detail ? ": " : "", detail ? detail : "");
}

bb_result llm_request_check_headers(const llm_request *req, char *why, size_t why_size)
{
    size_t i, n;
    const char *h, *colon;

    if (req->n_headers > LLM_MAX_HEADERS) {
        say(why, why_size, "too many request headers", NULL);
        return BB_ERR_LIMIT;
    }
    for (i = 0; i < req->n_headers; i++) {
        h = req->headers[i];
        if (!h) {
            say(why, why_size, "NULL request header", NULL);
            return BB_ERR_USAGE;
        }
        n = strlen(h);
        colon = strchr(h, ':');
        if (n > LLM_MAX_HEADER_BYTES || strpbrk(h, "\r\n") || !colon || colon == h) {
            say(why, why_size, "bad request header (want \"Name: value\", no CR/LF)", NULL);
            return BB_ERR_USAGE;
        }
    }
    return BB_OK;
}

/* json_object_set_new that reports failure; takes ownership of v always. */
static int put(json_t *obj, const char *key, json_t *v)
{
    if (!v)
        return -1;
    return json_object_set_new(obj, key, v);
}

/* Parses caller-given JSON text; *nomem tells an allocation failure apart
 * from bad text. */
static json_t *load_text(const char *text, int *nomem)
{
    json_parse_params pp = json_parse_default_params();
    json_parse_result pr;
    json_error_t err;
    json_t *v = NULL;

    /* the project's strict parser first (faster on large tool schemas) */
    pp.strict = 1;
    if (json_parse(text, strlen(text), &pp, &pr) == BB_OK && json_is_object(pr.value))
        v = json_incref(pr.value);
    json_parse_result_free(&pr);
    if (v)
        return v;
    v = json_loads(text, 0, &err);

    if (!v && json_error_code(&err) == json_error_out_of_memory)
        *nomem = 1;
    return v;
}

static json_t *message_json(const llm_message *m)
{
    json_t *o = json_object(), *calls, *c, *f;
    size_t i;
    int bad = 0;

    if (!o)
        return NULL;
    bad |= put(o, "role", json_string(llm_role_name(m->role)));
    bad |= put(o, "content", m->content ? json_string(m->content) : json_null());
    if (m->role == LLM_ROLE_ASSISTANT && m->n_calls > 0) {
        calls = json_array();
        bad |= put(o, "tool_calls", calls);
        for (i = 0; !bad && i < m->n_calls; i++) {
            c = json_object();
            if (json_array_append_new(calls, c)) { /* owns c (also on failure) */
                bad = 1;
                break;
            }
            f = json_object();
            /* each put owns its value, so stop at the first failure */
            bad = put(c, "function", f) ||
                  put(c, "id", json_string(m->calls[i].id ? m->calls[i].id : "")) ||
                  put(c, "type", json_string("function")) ||
                  put(f, "name", json_string(m->calls[i].name ? m->calls[i].name : "")) ||
                  put(f, "arguments",
                      json_string(m->calls[i].arguments ? m->calls[i].arguments : "{}"));
        }
    }
    if (m->role == LLM_ROLE_TOOL && m->tool_call_id)
        bad |= put(o, "tool_call_id", json_string(m->tool_call_id));
    if (bad) {
        json_decref(o);
        return NULL;
    }
    return o;
}

static bb_result tool_json(const llm_tool *t, json_t **out /* OUT */, char *why, size_t why_size)
{
    json_t *o, *f, *params;
    int bad = 0, nomem = 0;

    *out = NULL;
    if (!t->name || !*t->name) {
        say(why, why_size, "tool without a name", NULL);
        return BB_ERR_USAGE;
    }
    o = json_object();
    if (!o)
        return BB_ERR_NOMEM;
    f = json_object();
    /* put owns its value even on failure: stop at the first one */
    bad = put(o, "function", f) || put(o, "type", json_string("function")) ||
          put(f, "name", json_string(t->name)) ||
          (t->description && put(f, "description", json_string(t->description)));
    if (bad) {
        json_decref(o);
        return BB_ERR_NOMEM;
    }
    if (t->parameters) {
        params = json_deep_copy(t->parameters);
        nomem = params == NULL;
    } else if (t->parameters_json) {
        params = load_text(t->parameters_json, &nomem);
    } else {
        params = NULL;
    }
    if (nomem) {
        json_decref(o);
        return BB_ERR_NOMEM;
    }
    if (!params || !json_is_object(params)) {
        json_decref(params);
        json_decref(o);
        say(why, why_size, "tool parameters missing or not a JSON object", t->name);
        return BB_ERR_USAGE;
    }
    bad |= put(f, "parameters", params);
    if (bad) {
        json_decref(o);
        return BB_ERR_NOMEM;
    }
    *out = o;
    return BB_OK;
}

static json_t *tool_choice_json(const llm_request *req)
{
    json_t *o, *f;

    switch (req->tool_choice) {
    case LLM_TOOL_CHOICE_AUTO: return json_string("auto");
    case LLM_TOOL_CHOICE_REQUIRED: return json_string("required");
    case LLM_TOOL_CHOICE_NONE: return json_string("none");
    case LLM_TOOL_CHOICE_NAMED:
        o = json_object();
        if (!o || put(o, "type", json_string("function")))
            goto fail;
        f = json_object();
        if (put(o, "function", f)) /* put owns f from here on */
            goto fail;
        if (put(f, "name", json_string(req->tool_choice_name ? req->tool_choice_name : "")))
            goto fail;
        return o;
    fail:
        json_decref(o);
        return NULL;
    case LLM_TOOL_CHOICE_UNSET: break;
    }
    return NULL;
}

bb_result llm_request_to_json(const llm_request *req, bb_buf *out, char *why, size_t why_size)
{
    json_t *body = NULL, *msgs, *tools, *tool, *extra = NULL, *so;
    char *text = NULL;
    bb_result rc = BB_ERR_NOMEM;
    size_t i;
    int bad = 0, nomem = 0;

    if (!req->model || !*req->model || req->n_messages == 0 || !req->messages) {
        say(why, why_size, "request needs a model and at least one message", NULL);
        return BB_ERR_USAGE;
    }
    if (req->n_messages > LLM_MAX_MESSAGES || req->n_tools > LLM_MAX_TOOLS) {
        say(why, why_size, "too many messages or tools", NULL);
        return BB_ERR_LIMIT;
    }
    rc = llm_request_check_headers(req, why, why_size);
    if (rc != BB_OK)
        return rc;
    rc = BB_ERR_NOMEM;
    body = json_object();
    if (!body)
        goto out;
    bad |= put(body, "model", json_string(req->model));
    msgs = json_array();
    bad |= put(body, "messages", msgs);
    for (i = 0; !bad && i < req->n_messages; i++)
        bad |= json_array_append_new(msgs, message_json(&req->messages[i]));
    if (req->n_tools > 0 && !bad) {
        tools = json_array();
        bad |= put(body, "tools", tools);
        for (i = 0; !bad && i < req->n_tools; i++) {
            rc = tool_json(&req->tools[i], &tool, why, why_size);
            if (rc != BB_OK)
                goto out;
            bad |= json_array_append_new(tools, tool);
        }
        rc = BB_ERR_NOMEM;
    }
    if (req->tool_choice != LLM_TOOL_CHOICE_UNSET)
        bad |= put(body, "tool_choice", tool_choice_json(req));
    if (req->temperature >= 0)
        bad |= put(body, "temperature", json_real(req->temperature));
    if (req->top_p >= 0)
        bad |= put(body, "top_p", json_real(req->top_p));
    if (req->has_seed)
        bad |= put(body, "seed", json_integer((json_int_t)req->seed));
    if (req->max_tokens > 0)
        bad |= put(body, "max_tokens", json_integer(req->max_tokens));
    /* "stream": false is sent too: Ollama's native /api/chat streams unless told not to */
    bad |= put(body, "stream", req->stream ? json_true() : json_false());
    if (req->stream) {
        so = json_object();
        bad |= put(body, "stream_options", so);
        if (!bad)
            bad |= put(so, "include_usage", json_true());
    }
    if (bad)
        goto out;
    if (req->extra) {
        extra = json_deep_copy(req->extra);
        nomem = extra == NULL;
    } else if (req->extra_json) {
        extra = load_text(req->extra_json, &nomem);
    }
    if (nomem)
        goto out;
    if ((req->extra || req->extra_json) && !json_is_object(extra)) {
        say(why, why_size, "extra body is not a JSON object", NULL);
        rc = BB_ERR_USAGE;
        goto out;
    }
    if (extra && json_object_update_recursive(body, extra))
        goto out;
    text = json_dumps(body, JSON_COMPACT | JSON_PRESERVE_ORDER);
    if (!text)
        goto out;
    if (strlen(text) > LLM_MAX_REQUEST_BYTES) {
        say(why, why_size, "request body exceeds LLM_MAX_REQUEST_BYTES", NULL);
        rc = BB_ERR_LIMIT;
        goto out;
    }
    rc = bb_buf_puts(out, text);
out:
    if (rc == BB_ERR_NOMEM)
        say(why, why_size, "out of memory building the request", NULL);
    llm_json_text_free(text);
    json_decref(extra);
    json_decref(body);
    return rc;
}
