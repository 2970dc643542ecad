/*
 * llm_response.c — turns a chat-completion body or stream chunks into the
 * typed llm_response (see llm_response.h). Understands OpenAI-style
 * `choices[0]`, the legacy llama-server tool call shape (name/arguments
 * without a `function` wrapper) and Ollama's native /api/chat objects.
 */
#include "llm_response.h"

#include <stdio.h>
#include <string.h>

#include "json/json_repair.h"
#include "util/alloc.h"

static const char *const outcome_names[LLM_OUTCOME_COUNT_] = {
    "ok", "http_error_client", "infra_retry_exhausted", "timeout", "truncated_stream",
    "protocol_error", "too_large", "api_error", "internal",
};

const char *llm_outcome_name(llm_outcome o)
{
    if ((int)o < 0 || o >= LLM_OUTCOME_COUNT_)
        return "unknown";
    return outcome_names[o];
}

int llm_outcome_is_infra(llm_outcome o)
{
    return o == LLM_OUTCOME_INFRA_RETRY_EXHAUSTED || o == LLM_OUTCOME_TIMEOUT ||
           o == LLM_OUTCOME_TRUNCATED_STREAM || o == LLM_OUTCOME_TOO_LARGE ||
           o == LLM_OUTCOME_PROTOCOL_ERROR;
}

void llm_response_init(llm_response *r)
{
    memset(r, 0, sizeof *r);
    r->outcome = LLM_OUTCOME_OK;
    llm_usage_init(&r->usage);
}

void llm_response_free(llm_response *r)
{
    size_t i;

    if (!r)
        return;
    for (i = 0; i < r->n_calls; i++) {
        bb_free(r->calls[i].id);
        bb_free(r->calls[i].name);
        bb_free(r->calls[i].arguments);
    }
    bb_free(r->calls);
    bb_free(r->error_body);
    bb_free(r->content);
    bb_free(r->reasoning);
    bb_free(r->finish_reason);
    bb_free(r->model);
    bb_free(r->request_body);
    bb_free(r->response_body);
    memset(r, 0, sizeof *r);
}

void llm_json_text_free(char *s)
{
    json_malloc_t m;
    json_free_t f;

    if (!s)
        return;
    json_get_alloc_funcs(&m, &f);
    f(s);
}

void llm_response_destroy(llm_response *r)
{
    llm_response_free(r);
    bb_free(r);
}

/* ---- small string helpers ------------------------------------------------ */

/* Appends p[0..n) to a growable NUL-terminated string, capped at max. */
static bb_result str_append(char **s, size_t *len, size_t *cap, const char *p, size_t n, size_t max)
{
    size_t want;
    char *grown;

    if (n > max || *len > max - n)
        return BB_ERR_LIMIT;
    want = *len + n + 1;
    if (!*s || want > *cap) {
        size_t nc = *cap ? *cap : 64;
        while (nc < want)
            nc *= 2;
        grown = bb_realloc(*s, nc);
        if (!grown)
            return BB_ERR_NOMEM;
        *s = grown;
        *cap = nc;
    }
    if (n)
        memcpy(*s + *len, p, n);
    *len += n;
    (*s)[*len] = '\0';
    return BB_OK;
}

/* Replaces *dst with a copy of s (capped). */
static bb_result str_set(char **dst, const char *s, size_t max)
{
    size_t n = strlen(s);
    char *c;

    if (n > max)
        n = max;
    c = bb_strndup(s, n);
    if (!c)
        return BB_ERR_NOMEM;
    bb_free(*dst);
    *dst = c;
    return BB_OK;
}

static const char *str_or_null(const json_t *obj, const char *key)
{
    const json_t *v = json_object_get(obj, key);

    return json_is_string(v) ? json_string_value(v) : NULL;
}

/* ---- errors ---------------------------------------------------------------- */

bb_result llm_response_set_api_error(llm_response *r, const json_t *err, const char *what)
{
    char *text;
    const char *msg = NULL;
    size_t n;

    r->saw_error = 1;
    r->outcome = LLM_OUTCOME_API_ERROR;
    r->rc = BB_ERR_HTTP;
    if (json_is_object(err))
        msg = str_or_null(err, "message");
    else if (json_is_string(err))
        msg = json_string_value(err);
    snprintf(r->error, sizeof r->error, "%s: %.180s", what, msg ? msg : "(no message)");
    if (r->error_body)
        return BB_OK; /* keep the first */
    text = json_dumps(err, JSON_COMPACT | JSON_ENCODE_ANY);
    if (!text)
        return BB_ERR_NOMEM;
    n = strlen(text);
    if (n > LLM_MAX_ERROR_BODY)
        n = LLM_MAX_ERROR_BODY;
    r->error_body = bb_strndup(text, n);
    llm_json_text_free(text);
    return r->error_body ? BB_OK : BB_ERR_NOMEM;
}

/* ---- tool calls ------------------------------------------------------------ */

static llm_tool_call *call_new(llm_response *r, int index)
{
    llm_tool_call *grown, *c;

    if (r->n_calls >= LLM_MAX_TOOL_CALLS)
        return NULL;
    grown = bb_realloc(r->calls, (r->n_calls + 1) * sizeof *grown);
    if (!grown)
        return NULL;
    r->calls = grown;
    c = &r->calls[r->n_calls];
    memset(c, 0, sizeof *c);
    c->index = index;
    c->id = bb_strdup("");
    c->name = bb_strdup("");
    c->arguments = bb_strdup("");
    if (!c->id || !c->name || !c->arguments) {
        bb_free(c->id);
        bb_free(c->name);
        bb_free(c->arguments);
        return NULL;
    }
    c->args_cap = 1;
    r->n_calls++;
    return c;
}

/* Stores an arguments value (string appended, object/array re-serialised). */
static bb_result call_add_arguments(llm_tool_call *c, const json_t *args)
{
    bb_result rc;
    char *text;

    if (json_is_string(args))
        return str_append(&c->arguments, &c->args_len, &c->args_cap, json_string_value(args),
                          json_string_length(args), LLM_MAX_FIELD_BYTES);
    if (json_is_object(args) || json_is_array(args)) {
        text = json_dumps(args, JSON_COMPACT | JSON_ENCODE_ANY | JSON_PRESERVE_ORDER);
        if (!text)
            return BB_ERR_NOMEM;
        c->args_len = 0;
        rc = str_append(&c->arguments, &c->args_len, &c->args_cap, text, strlen(text),
                        LLM_MAX_FIELD_BYTES);
        llm_json_text_free(text);
        c->args_object = 1;
        return rc;
    }
    return BB_OK; /* null, numbers: nothing usable */
}

/* The function object of a tool call: `function` or the call itself (legacy). */
static const json_t *call_function(const json_t *tc)
{
    const json_t *f = json_object_get(tc, "function");

    return json_is_object(f) ? f : tc;
}

/* Fills a fresh call from a whole (non-streamed) tool call object. */
static bb_result call_from_whole(llm_response *r, const json_t *tc, int index)
{
    const json_t *f = call_function(tc), *args;
    const char *s;
    llm_tool_call *c;
    bb_result rc;

    if (!json_is_object(tc))
        return BB_OK;
    c = call_new(r, index);
    if (!c)
        return r->n_calls >= LLM_MAX_TOOL_CALLS ? BB_ERR_LIMIT : BB_ERR_NOMEM;
    s = str_or_null(tc, "id");
    if (s) {
        rc = str_set(&c->id, s, LLM_MAX_NAME_BYTES);
        if (rc != BB_OK)
            return rc;
    }
    s = str_or_null(f, "name");
    if (s) {
        rc = str_set(&c->name, s, LLM_MAX_NAME_BYTES);
        if (rc != BB_OK)
            return rc;
    }
    args = json_object_get(f, "arguments");
    if (!args || json_is_null(args)) {
        c->args_missing = 1;
        return BB_OK;
    }
    return call_add_arguments(c, args);
}

static llm_tool_call *call_find_index(llm_response *r, int index)
{
    size_t i;

    for (i = 0; i < r->n_calls; i++)
        if (r->calls[i].index == index)
            return &r->calls[i];
    return NULL;
}

/* Merges one streamed tool-call fragment. */
static bb_result call_merge_fragment(llm_response *r, const json_t *tc)
{
    const json_t *f = call_function(tc), *jindex, *args;
    const char *id = str_or_null(tc, "id"), *name = str_or_null(f, "name");
    llm_tool_call *c = NULL;
    int index;
    bb_result rc;

    if (!json_is_object(tc))
        return BB_OK;
    jindex = json_object_get(tc, "index");
    if (json_is_integer(jindex)) {
        if (json_integer_value(jindex) < 0 || json_integer_value(jindex) > LLM_MAX_TOOL_INDEX)
            return BB_ERR_LIMIT;
        index = (int)json_integer_value(jindex);
        c = call_find_index(r, index);
    } else {
        /* no index: a new non-empty id different from the last call's starts
         * a new call; anything else continues the last call */
        index = (int)r->n_calls;
        if (r->n_calls > 0 && (!id || !*id || strcmp(id, r->calls[r->n_calls - 1].id) == 0))
            c = &r->calls[r->n_calls - 1];
    }
    if (!c) {
        c = call_new(r, index);
        if (!c)
            return r->n_calls >= LLM_MAX_TOOL_CALLS ? BB_ERR_LIMIT : BB_ERR_NOMEM;
        c->args_missing = 1;
    }
    if (id && *id && !*c->id) {
        rc = str_set(&c->id, id, LLM_MAX_NAME_BYTES);
        if (rc != BB_OK)
            return rc;
    }
    if (name && *name && !*c->name) {
        rc = str_set(&c->name, name, LLM_MAX_NAME_BYTES);
        if (rc != BB_OK)
            return rc;
    }
    args = json_object_get(f, "arguments");
    if (args && !json_is_null(args)) {
        c->args_missing = 0;
        return call_add_arguments(c, args);
    }
    return BB_OK;
}

/* ---- messages ---------------------------------------------------------------- */

static bb_result append_text(llm_response *r, int reasoning, const char *s, size_t n)
{
    if (reasoning)
        return str_append(&r->reasoning, &r->reasoning_len, &r->reasoning_cap, s, n,
                          LLM_MAX_FIELD_BYTES);
    return str_append(&r->content, &r->content_len, &r->content_cap, s, n, LLM_MAX_FIELD_BYTES);
}

/* Content given as an array of parts (Mistral, some gateways):
 * {"type":"text","text":…} parts are content, "thinking"/"reasoning" parts
 * reasoning (their text in "text" or "thinking"). Other parts are ignored. */
static bb_result take_content_parts(llm_response *r, const json_t *parts)
{
    const json_t *p, *t;
    const char *type;
    size_t i;
    int reasoning;
    bb_result rc;

    json_array_foreach(parts, i, p) {
        type = str_or_null(p, "type");
        if (!type)
            continue;
        reasoning = strcmp(type, "thinking") == 0 || strcmp(type, "reasoning") == 0;
        if (!reasoning && strcmp(type, "text") != 0)
            continue;
        t = json_object_get(p, "text");
        if (!json_is_string(t))
            t = json_object_get(p, "thinking");
        if (!json_is_string(t))
            continue;
        rc = append_text(r, reasoning, json_string_value(t), json_string_length(t));
        if (rc != BB_OK)
            return rc;
    }
    return BB_OK;
}

/* Content and reasoning of a message or delta (appended). */
static bb_result take_texts(llm_response *r, const json_t *msg)
{
    static const char *const reasoning_keys[] = {"reasoning_content", "reasoning", "thinking"};
    const json_t *v = json_object_get(msg, "content");
    bb_result rc;
    size_t i;

    if (json_is_string(v)) {
        rc = append_text(r, 0, json_string_value(v), json_string_length(v));
        if (rc != BB_OK)
            return rc;
    } else if (json_is_array(v)) {
        rc = take_content_parts(r, v);
        if (rc != BB_OK)
            return rc;
    }
    for (i = 0; i < sizeof reasoning_keys / sizeof reasoning_keys[0]; i++) {
        v = json_object_get(msg, reasoning_keys[i]);
        if (json_is_string(v) && json_string_length(v) > 0) {
            rc = append_text(r, 1, json_string_value(v), json_string_length(v));
            if (rc != BB_OK)
                return rc;
            break;
        }
    }
    return BB_OK;
}

static bb_result set_finish(llm_response *r, const json_t *v)
{
    if (!json_is_string(v) || json_string_length(v) == 0)
        return BB_OK;
    return str_set(&r->finish_reason, json_string_value(v), LLM_MAX_NAME_BYTES);
}

/* A whole message (non-streamed, or Ollama native chunks whose calls are whole). */
static bb_result take_message(llm_response *r, const json_t *msg)
{
    const json_t *tcs = json_object_get(msg, "tool_calls");
    size_t i;
    bb_result rc = take_texts(r, msg);

    if (rc != BB_OK)
        return rc;
    if (json_is_array(tcs)) {
        for (i = 0; i < json_array_size(tcs); i++) {
            rc = call_from_whole(r, json_array_get(tcs, i), (int)r->n_calls);
            if (rc != BB_OK)
                return rc;
        }
    }
    return BB_OK;
}

static bb_result take_model(llm_response *r, const json_t *root)
{
    const char *m = str_or_null(root, "model");

    if (!m || r->model)
        return BB_OK;
    return str_set(&r->model, m, LLM_MAX_NAME_BYTES);
}

/* The choice with index 0 (or without an index); NULL when there is none
 * (a stream chunk of another choice when n > 1). */
static const json_t *first_choice(const json_t *choices)
{
    size_t i;

    for (i = 0; i < json_array_size(choices); i++) {
        const json_t *ch = json_array_get(choices, i), *ix = json_object_get(ch, "index");
        if (json_is_object(ch) && (!ix || (json_is_integer(ix) && json_integer_value(ix) == 0)))
            return ch;
    }
    return NULL;
}

/* ---- non-streamed body ------------------------------------------------------- */

static bb_result parse_root(llm_response *r, const json_t *root)
{
    const json_t *err = json_object_get(root, "error"), *choices, *ch, *msg;
    bb_result rc;

    llm_usage_merge_json(&r->usage, root);
    rc = take_model(r, root);
    if (rc != BB_OK)
        return rc;
    if (err && !json_is_null(err))
        return llm_response_set_api_error(r, err, "server error in response body");
    choices = json_object_get(root, "choices");
    if (json_is_array(choices)) {
        ch = first_choice(choices);
        if (!ch)
            ch = json_array_get(choices, 0);
        msg = json_object_get(ch, "message");
        if (!json_is_object(msg))
            msg = json_object_get(ch, "delta");
        if (!json_is_object(msg))
            goto protocol;
        rc = take_message(r, msg);
        if (rc != BB_OK)
            return rc;
        return set_finish(r, json_object_get(ch, "finish_reason"));
    }
    msg = json_object_get(root, "message");
    if (json_is_object(msg)) { /* Ollama native /api/chat */
        rc = take_message(r, msg);
        if (rc != BB_OK)
            return rc;
        return set_finish(r, json_object_get(root, "done_reason"));
    }
protocol:
    r->outcome = LLM_OUTCOME_PROTOCOL_ERROR;
    r->rc = BB_ERR_PARSE;
    snprintf(r->error, sizeof r->error, "response has no choices[0].message");
    return BB_OK;
}

/* The body is parsed with the project's strict parser (about twice as fast
 * as jansson's on large bodies, and integers past int64 become reals); on
 * failure jansson parses it again for its error text. jansson rejects
 * integers past int64 (seen: a "seed" field); retry as reals. */
static json_t *load_json(const char *text, size_t len, json_error_t *err)
{
    json_parse_params pp = json_parse_default_params();
    json_parse_result pr;
    json_t *v = NULL;

    pp.strict = 1;
    pp.max_input = LLM_MAX_FIELD_BYTES * 2;
    if (json_parse(text, len, &pp, &pr) == BB_OK)
        v = json_incref(pr.value);
    json_parse_result_free(&pr);
    if (v)
        return v;
    v = json_loadb(text, len, 0, err);

    if (!v && strstr(err->text, "too big"))
        v = json_loadb(text, len, JSON_DECODE_INT_AS_REAL, err);
    return v;
}

bb_result llm_response_parse_body(llm_response *r, const char *body, size_t len)
{
    json_error_t jerr;
    json_t *root = load_json(body, len, &jerr);
    bb_result rc;

    if (!root || !json_is_object(root)) {
        r->outcome = LLM_OUTCOME_PROTOCOL_ERROR;
        r->rc = BB_ERR_PARSE;
        if (root)
            snprintf(r->error, sizeof r->error, "response body is not a JSON object");
        else
            snprintf(r->error, sizeof r->error, "response body is not JSON (line %d, column %d)",
                     jerr.line, jerr.column);
        json_decref(root);
        return BB_OK;
    }
    rc = parse_root(r, root);
    json_decref(root);
    if (rc == BB_ERR_LIMIT) {
        r->outcome = LLM_OUTCOME_TOO_LARGE;
        r->rc = rc;
        snprintf(r->error, sizeof r->error, "response exceeds a named limit");
        return BB_OK;
    }
    return rc;
}

/* ---- stream chunks --------------------------------------------------------------- */

bb_result llm_response_apply_chunk(llm_response *r, const json_t *chunk)
{
    const json_t *err, *choices, *ch, *delta, *tcs, *msg, *done;
    bb_result rc;
    size_t i;

    if (!json_is_object(chunk))
        return BB_ERR_PARSE;
    llm_usage_merge_json(&r->usage, chunk);
    rc = take_model(r, chunk);
    if (rc != BB_OK)
        return rc;
    err = json_object_get(chunk, "error");
    if (err && !json_is_null(err))
        return llm_response_set_api_error(r, err, "server error in stream");
    choices = json_object_get(chunk, "choices");
    if (json_is_array(choices)) {
        if (json_array_size(choices) == 0)
            return BB_OK; /* usage-only chunk */
        ch = first_choice(choices);
        if (!ch)
            return BB_OK; /* another choice's chunk: only choice 0 is kept */
        delta = json_object_get(ch, "delta");
        if (!json_is_object(delta))
            delta = json_object_get(ch, "message");
        if (json_is_object(delta)) {
            rc = take_texts(r, delta);
            if (rc != BB_OK)
                return rc;
            tcs = json_object_get(delta, "tool_calls");
            for (i = 0; json_is_array(tcs) && i < json_array_size(tcs); i++) {
                rc = call_merge_fragment(r, json_array_get(tcs, i));
                if (rc != BB_OK)
                    return rc;
            }
        }
        return set_finish(r, json_object_get(ch, "finish_reason"));
    }
    msg = json_object_get(chunk, "message");
    if (json_is_object(msg)) { /* Ollama native NDJSON */
        rc = take_message(r, msg);
        if (rc != BB_OK)
            return rc;
        done = json_object_get(chunk, "done");
        if (json_is_true(done)) {
            r->saw_done = 1;
            rc = set_finish(r, json_object_get(chunk, "done_reason"));
            if (rc == BB_OK && !r->finish_reason)
                rc = str_set(&r->finish_reason, "stop", LLM_MAX_NAME_BYTES);
        }
        return rc;
    }
    return BB_OK; /* unknown chunk kinds are ignored */
}
