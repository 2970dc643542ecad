/*
 * llm_stream.h — decodes a streamed chat completion into an llm_response.
 *
 * Glue between the SSE/NDJSON parser (llm_sse) and the chunk assembler
 * (llm_response_apply_chunk): `data: [DONE]` ends the stream, an
 * `event: error` or an `{"error":...}` chunk (even after HTTP 200) makes the
 * outcome API_ERROR, a data payload that is not JSON is a PROTOCOL_ERROR, and
 * a stream that ends without a finish reason (or inside an event that is not
 * complete JSON) is TRUNCATED_STREAM. The HTTP
 * layer feeds bytes as they arrive; tests and the fuzz target feed arbitrary
 * splits. The decoder does not own the response.
 */
#ifndef BB_LLM_STREAM_H
#define BB_LLM_STREAM_H

#include <stddef.h>

#include "llm/llm_response.h"
#include "llm/llm_sse.h"

typedef struct llm_stream {
    llm_sse sse;
    llm_response *resp;  /* not owned */
    int stopped;         /* a fatal decode error happened; further bytes are ignored */
    int finishing;       /* in llm_stream_finish: a broken last event means truncation */
} llm_stream;

void llm_stream_init(llm_stream *s /* OUT */, llm_response *resp, size_t max_event);
void llm_stream_free(llm_stream *s);
/* Feeds bytes. Returns BB_ERR_NOMEM only; decode problems land in resp->outcome. */
bb_result llm_stream_feed(llm_stream *s, const char *bytes, size_t n);
/* End of input: flushes and classifies (truncated when no finish reason). */
bb_result llm_stream_finish(llm_stream *s);

#endif
