/*
 * llm_extract.h — getting the tool call back from whatever the server wrote.
 *
 * Order (docs/client.md): reasoning is set apart first (`reasoning_content`
 * / `reasoning` fields, `<think>…</think>` blocks in the text, an unclosed
 * `<think>` up to the end, text before a lone `</think>`). Then:
 *   1. structured `tool_calls` (arguments as a string: TOOL_CALLS; as an
 *      object: re-serialised compactly, TOOL_CALLS_OBJECT; absent or empty:
 *      "{}" with args_missing set; a JSON string holding an object: unwrapped,
 *      args_double_encoded set);
 *   2. else calls written in the text: `<tool_call>…</tool_call>` blocks
 *      (JSON inside, or the function-tag form), then
 *      `<function=NAME><parameter=KEY>value</parameter></function>` (Qwen3
 *      coder XML; unclosed parameter/function tags are closed by the next tag
 *      or the end), then a fenced JSON block, then a bare JSON object. A
 *      JSON call is `{name, arguments|parameters}` or `{function:{name,
 *      arguments|parameters}}` (an array of them gives several calls);
 *      JSON found in text is read with the lenient json_parse and the
 *      arguments value re-serialised compactly (text_repairs counts the
 *      repairs needed).
 * The kind: ERROR when the exchange failed (or the server sent an error),
 * TRUNCATED when the stream was cut or finish_reason is "length" (calls
 * found are still listed), CALL when at least one call was found, else
 * NO_CALL. The harness repairs and validates `arguments`.
 *
 * Ownership: an llm_extraction owns its strings; free with
 * llm_extraction_free (accepts a zeroed struct).
 */
#ifndef BB_LLM_EXTRACT_H
#define BB_LLM_EXTRACT_H

#include <stddef.h>

#include "llm/llm_response.h"
#include "util/result.h"

/* Where a call came from. Names are stable (stored). Append only. */
typedef enum llm_call_source {
    LLM_SRC_TOOL_CALLS = 0,        /* "tool_calls" */
    LLM_SRC_TOOL_CALLS_OBJECT,     /* "tool_calls_object": arguments arrived as an object */
    LLM_SRC_TEXT_TOOL_CALL_TAG,    /* "text_tool_call_tag": <tool_call>{json}</tool_call> */
    LLM_SRC_TEXT_FENCED,           /* "text_fenced": ```json {...} ``` */
    LLM_SRC_TEXT_BARE,             /* "text_bare": a bare JSON object in the text */
    LLM_SRC_TEXT_FUNCTION_TAG,     /* "text_function_tag": <function=NAME><parameter=K>v</parameter> */
    LLM_SRC_COUNT_
} llm_call_source;

typedef enum llm_extract_kind {
    LLM_EXTRACT_CALL = 0,   /* "call" */
    LLM_EXTRACT_NO_CALL,    /* "no_call" */
    LLM_EXTRACT_TRUNCATED,  /* "truncated" */
    LLM_EXTRACT_ERROR       /* "error" */
} llm_extract_kind;

/* Named limits. */
#define LLM_EXTRACT_MAX_CALLS 64
#define LLM_EXTRACT_MAX_TEXT ((size_t)16 * 1024 * 1024)
#define LLM_EXTRACT_MAX_BARE_TRIES 16   /* '{' positions tried for a bare object */
#define LLM_EXTRACT_MAX_PARAMS 256      /* <parameter=...> tags in one function tag */

typedef struct llm_extracted_call {
    char *id;                 /* the server's id, or "call_bb_<n>" when it sent none or "" */
    int id_synthesized;       /* the id was made up here */
    char *name;               /* "" when none */
    char *arguments;          /* the arguments text (never NULL) */
    llm_call_source source;
    int args_missing;         /* no (or empty) arguments: "{}" given */
    int args_double_encoded;  /* a JSON string holding the object was unwrapped */
    int text_repairs;         /* lenient repairs needed to read a call from text */
    int text_truncated;       /* that JSON ended early (brackets/strings had to be closed) */
} llm_extracted_call;

typedef struct llm_extraction {
    llm_extract_kind kind;
    llm_extracted_call *calls;
    size_t n_calls;
    char *reasoning;          /* reasoning set apart (fields + think blocks), or NULL */
    char *text;               /* content without reasoning, or NULL */
} llm_extraction;

/* From a whole response. BB_ERR_NOMEM only; everything else is a kind. */
bb_result llm_extract(const llm_response *resp, llm_extraction *out /* OUT */);

/* From assistant text alone (content of a message; no tool_calls). */
bb_result llm_extract_text(const char *text, size_t len, llm_extraction *out /* OUT */);

void llm_extraction_free(llm_extraction *x);

const char *llm_call_source_name(llm_call_source s);
const char *llm_extract_kind_name(llm_extract_kind k);

#endif
