/*
 * fuzz_extract.c — libFuzzer target for tool-call extraction. The input is
 * used twice: as assistant text (tags, fences, bare JSON, think blocks,
 * function-tag form) and as a whole non-streamed response body (tool_calls
 * with string/object/missing arguments, Ollama's native shape). Neither may
 * crash, hang or leak.
 */
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "json/json_util.h"
#include "llm/llm_extract.h"
#include "llm/llm_response.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static int inited;
    llm_extraction x;
    llm_response r;

    if (!inited) {
        bb_json_init();
        inited = 1;
    }
    llm_extract_text((const char *)data, size, &x);
    llm_extraction_free(&x);
    llm_response_init(&r);
    if (llm_response_parse_body(&r, (const char *)data, size) == BB_OK) {
        llm_extract(&r, &x);
        llm_extraction_free(&x);
    }
    llm_response_free(&r);
    return 0;
}
