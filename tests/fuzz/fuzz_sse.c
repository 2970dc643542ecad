/*
 * fuzz_sse.c — libFuzzer target for the SSE/NDJSON parser and the stream
 * decoder (chunk assembly into a response), then the extractor on what was
 * assembled. The first input byte seeds the split sizes, so the same stream
 * is fed in arbitrary pieces; the rest is the stream. The decoder must
 * never crash, leak or exceed its limits, whatever the bytes.
 */
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "json/json_util.h"
#include "llm/llm_extract.h"
#include "llm/llm_stream.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static int inited;
    llm_response r;
    llm_stream s;
    llm_extraction x;
    unsigned seed;
    size_t i = 1, k;

    if (!inited) {
        bb_json_init();
        inited = 1;
    }
    if (size < 1)
        return 0;
    seed = data[0] | 1u;
    llm_response_init(&r);
    llm_stream_init(&s, &r, 1 << 20);
    while (i < size) {
        seed = seed * 1103515245u + 12345u;
        k = 1 + (seed >> 16) % 64;
        if (k > size - i)
            k = size - i;
        if (llm_stream_feed(&s, (const char *)data + i, k) != BB_OK)
            break;
        i += k;
    }
    llm_stream_finish(&s);
    llm_stream_free(&s);
    llm_extract(&r, &x); /* any result: x is always freeable */
    llm_extraction_free(&x);
    llm_response_free(&r);
    return 0;
}
