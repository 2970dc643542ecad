/*
 * llm_sse.c — incremental SSE / NDJSON line parser (see llm_sse.h). Follows
 * the WHATWG event-stream rules for fields, comments and line endings, except
 * that a pending event at end of input is dispatched rather than dropped
 * (servers that cut the final blank line still deliver their last chunk).
 */
#include "llm_sse.h"

#include <string.h>

void llm_sse_init(llm_sse *p, size_t max_event)
{
    memset(p, 0, sizeof *p);
    bb_buf_init(&p->line, max_event);
    bb_buf_init(&p->data, max_event);
    bb_buf_init(&p->event, 256);
}

void llm_sse_free(llm_sse *p)
{
    if (!p)
        return;
    bb_buf_free(&p->line);
    bb_buf_free(&p->data);
    bb_buf_free(&p->event);
}

static bb_result dispatch(llm_sse *p, llm_sse_event_fn fn, void *user)
{
    llm_sse_event ev;
    bb_result rc;

    if (!p->have_data) {
        bb_buf_reset(&p->event);
        return BB_OK;
    }
    /* the data buffer ends with the LF appended after each data line */
    if (p->data.len > 0 && p->data.data[p->data.len - 1] == '\n')
        bb_buf_truncate(&p->data, p->data.len - 1);
    ev.event = bb_buf_str(&p->event);
    ev.data = bb_buf_str(&p->data);
    ev.data_len = p->data.len;
    ev.ndjson = 0;
    p->events++;
    rc = fn(user, &ev);
    bb_buf_reset(&p->data);
    bb_buf_reset(&p->event);
    p->have_data = 0;
    return rc;
}

static bb_result process_line(llm_sse *p, const char *s, size_t n, llm_sse_event_fn fn, void *user)
{
    const char *colon, *value;
    size_t name_len, value_len;
    llm_sse_event ev;
    bb_result rc;

    if (n == 0)
        return dispatch(p, fn, user);
    if (s[0] == ':')
        return BB_OK; /* comment / keep-alive */
    if (s[0] == '{' && !p->sse_seen) {
        ev.event = "";
        ev.data = s;
        ev.data_len = n;
        ev.ndjson = 1;
        p->events++;
        return fn(user, &ev);
    }
    colon = memchr(s, ':', n);
    name_len = colon ? (size_t)(colon - s) : n;
    value = colon ? colon + 1 : s + n;
    value_len = (size_t)(s + n - value);
    if (value_len > 0 && value[0] == ' ') {
        value++;
        value_len--;
    }
    if (name_len == 4 && memcmp(s, "data", 4) == 0) {
        p->sse_seen = 1;
        p->have_data = 1;
        rc = bb_buf_append(&p->data, value, value_len);
        if (rc == BB_OK)
            rc = bb_buf_putc(&p->data, '\n');
        return rc;
    }
    if (name_len == 5 && memcmp(s, "event", 5) == 0) {
        p->sse_seen = 1;
        bb_buf_reset(&p->event);
        return bb_buf_append(&p->event, value, value_len);
    }
    if ((name_len == 2 && memcmp(s, "id", 2) == 0) || (name_len == 5 && memcmp(s, "retry", 5) == 0))
        p->sse_seen = 1;
    return BB_OK; /* unknown fields are ignored */
}

/* Processes the buffered line (plus s[0..n)) and empties the line buffer. */
static bb_result end_line(llm_sse *p, const char *s, size_t n, llm_sse_event_fn fn, void *user)
{
    bb_result rc;

    /* always through the line buffer so that the line is NUL-terminated */
    rc = bb_buf_append(&p->line, s, n);
    if (rc != BB_OK)
        return rc;
    rc = process_line(p, bb_buf_str(&p->line), p->line.len, fn, user);
    bb_buf_reset(&p->line);
    return rc;
}

bb_result llm_sse_feed(llm_sse *p, const char *bytes, size_t n, llm_sse_event_fn fn, void *user)
{
    size_t i = 0, start;
    bb_result rc;

    if (n > 0 && p->cr_pending) {
        p->cr_pending = 0;
        if (bytes[0] == '\n')
            i = 1;
    }
    start = i;
    for (; i < n; i++) {
        char c = bytes[i];
        if (c != '\n' && c != '\r')
            continue;
        rc = end_line(p, bytes + start, i - start, fn, user);
        if (rc != BB_OK)
            return rc;
        if (c == '\r') {
            if (i + 1 < n) {
                if (bytes[i + 1] == '\n')
                    i++;
            } else {
                p->cr_pending = 1;
            }
        }
        start = i + 1;
    }
    if (start < n)
        return bb_buf_append(&p->line, bytes + start, n - start);
    return BB_OK;
}

bb_result llm_sse_finish(llm_sse *p, llm_sse_event_fn fn, void *user)
{
    bb_result rc;

    p->cr_pending = 0;
    if (p->line.len > 0) {
        rc = process_line(p, p->line.data, p->line.len, fn, user);
        bb_buf_reset(&p->line);
        if (rc != BB_OK)
            return rc;
    }
    return dispatch(p, fn, user);
}
