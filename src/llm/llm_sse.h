/*
 * llm_sse.h — an incremental parser for server-sent events (and NDJSON).
 *
 * Bytes arrive from the network in arbitrary pieces; llm_sse_feed consumes
 * each piece and calls the event callback once per complete event: for SSE,
 * the joined `data:` lines of one event (dispatched at the blank line that
 * ends it) with the latest `event:` name; `:` comment lines (keep-alives) and
 * `id:`/`retry:` fields are ignored. Lines end in LF, CRLF or CR. A stream
 * whose lines start with `{` before any SSE field was seen is newline-
 * delimited JSON (Ollama's native /api/chat): each such line is one event.
 * llm_sse_finish flushes an event the stream did not terminate with a blank
 * line. One event (or line) larger than max_event bytes is an error
 * (BB_ERR_LIMIT), never a silent cut. The callback's data is valid only
 * during the call. Free with llm_sse_free (accepts a zeroed struct).
 */
#ifndef BB_LLM_SSE_H
#define BB_LLM_SSE_H

#include <stddef.h>

#include "util/buf.h"
#include "util/result.h"

typedef struct llm_sse_event {
    const char *event;  /* the `event:` name, "" when none */
    const char *data;   /* the data, NUL-terminated (data lines joined by LF) */
    size_t data_len;
    int ndjson;         /* 1 when the event is one NDJSON line */
} llm_sse_event;

/* Returns BB_OK to go on; anything else stops the feed and is returned. */
typedef bb_result (*llm_sse_event_fn)(void *user, const llm_sse_event *ev);

typedef struct llm_sse {
    bb_buf line;       /* the current, incomplete line */
    bb_buf data;       /* data lines of the current event */
    bb_buf event;      /* event name of the current event */
    int have_data;     /* at least one data: line in the current event */
    int sse_seen;      /* an SSE field was seen: no NDJSON from here on */
    int cr_pending;    /* the last byte was CR: skip one following LF */
    size_t events;     /* events dispatched so far */
} llm_sse;

void llm_sse_init(llm_sse *p /* OUT */, size_t max_event);
void llm_sse_free(llm_sse *p);
bb_result llm_sse_feed(llm_sse *p, const char *bytes, size_t n, llm_sse_event_fn fn, void *user);
/* End of input: processes a last unterminated line and dispatches a pending event. */
bb_result llm_sse_finish(llm_sse *p, llm_sse_event_fn fn, void *user);

#endif
