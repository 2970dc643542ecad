/*
 * llm_stream.c — SSE/NDJSON events to response chunks (see llm_stream.h).
 */
#include "llm_stream.h"

#include <stdio.h>
#include <string.h>

void llm_stream_init(llm_stream *s, llm_response *resp, size_t max_event)
{
    memset(s, 0, sizeof *s);
    llm_sse_init(&s->sse, max_event);
    s->resp = resp;
    resp->streamed = 1;
}

void llm_stream_free(llm_stream *s)
{
    if (!s)
        return;
    llm_sse_free(&s->sse);
}

static void fail(llm_stream *s, llm_outcome o, bb_result rc, const char *msg)
{
    if (s->resp->outcome == LLM_OUTCOME_OK) {
        s->resp->outcome = o;
        s->resp->rc = rc;
        snprintf(s->resp->error, sizeof s->resp->error, "%s", msg);
    }
    s->stopped = 1;
}

static json_t *load_chunk(const char *data, size_t len)
{
    json_error_t err;
    json_t *v = json_loadb(data, len, 0, &err);

    if (!v && strstr(err.text, "too big"))
        v = json_loadb(data, len, JSON_DECODE_INT_AS_REAL, &err);
    return v;
}

static bb_result on_event(void *user, const llm_sse_event *ev)
{
    llm_stream *s = user;
    json_t *chunk, *err;
    bb_result rc;

    if (s->stopped)
        return BB_OK;
    if (!ev->ndjson && strcmp(ev->data, "[DONE]") == 0) {
        s->resp->saw_done = 1;
        return BB_OK;
    }
    chunk = load_chunk(ev->data, ev->data_len);
    if (strcmp(ev->event, "error") == 0) {
        err = json_is_object(chunk) ? json_object_get(chunk, "error") : NULL;
        if (!err)
            err = chunk;
        if (err)
            rc = llm_response_set_api_error(s->resp, err, "server error event");
        else {
            json_t *text = json_stringn(ev->data, ev->data_len);
            rc = text ? llm_response_set_api_error(s->resp, text, "server error event") : BB_ERR_NOMEM;
            json_decref(text);
        }
        json_decref(chunk);
        return rc == BB_ERR_NOMEM ? rc : BB_OK;
    }
    if (!chunk && s->finishing) {
        fail(s, LLM_OUTCOME_TRUNCATED_STREAM, BB_ERR_TRUNCATED, "stream ended inside an event");
        return BB_OK;
    }
    if (!chunk) {
        fail(s, LLM_OUTCOME_PROTOCOL_ERROR, BB_ERR_PARSE, "stream chunk is not JSON");
        return BB_OK;
    }
    rc = llm_response_apply_chunk(s->resp, chunk);
    json_decref(chunk);
    if (rc == BB_ERR_NOMEM)
        return rc;
    if (rc == BB_ERR_LIMIT)
        fail(s, LLM_OUTCOME_TOO_LARGE, rc, "stream exceeds a named limit");
    else if (rc != BB_OK)
        fail(s, LLM_OUTCOME_PROTOCOL_ERROR, rc, "stream chunk is not a JSON object");
    return BB_OK;
}

static bb_result classify_sse_rc(llm_stream *s, bb_result rc)
{
    if (rc == BB_ERR_LIMIT) {
        fail(s, LLM_OUTCOME_TOO_LARGE, rc, "one stream event exceeds the size limit");
        return BB_OK;
    }
    return rc;
}

bb_result llm_stream_feed(llm_stream *s, const char *bytes, size_t n)
{
    if (s->stopped)
        return BB_OK;
    return classify_sse_rc(s, llm_sse_feed(&s->sse, bytes, n, on_event, s));
}

bb_result llm_stream_finish(llm_stream *s)
{
    bb_result rc = BB_OK;

    s->finishing = 1;
    if (!s->stopped)
        rc = classify_sse_rc(s, llm_sse_finish(&s->sse, on_event, s));
    if (rc != BB_OK)
        return rc;
    if (s->resp->outcome == LLM_OUTCOME_OK && !s->resp->finish_reason) {
        s->resp->outcome = LLM_OUTCOME_TRUNCATED_STREAM;
        s->resp->rc = BB_ERR_TRUNCATED;
        snprintf(s->resp->error, sizeof s->resp->error, "stream ended without a finish reason%s",
                 s->sse.events == 0 ? " (no events at all)" : "");
    }
    return BB_OK;
}
