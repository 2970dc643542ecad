/*
 * llm_extract.c — finds the tool call(s) in a response (see llm_extract.h
 * for the order and flags). Structured tool_calls first; then the text
 * forms, with reasoning removed beforehand and kept separately.
 */
#include "llm_extract.h"

#include <ctype.h>
#include <stdio.h>
#include <string.h>

#include "json/json_repair.h"
#include "util/alloc.h"
#include "util/buf.h"

static const char *const source_names[LLM_SRC_COUNT_] = {
    "tool_calls", "tool_calls_object", "text_tool_call_tag", "text_fenced", "text_bare",
    "text_function_tag",
};

const char *llm_call_source_name(llm_call_source s)
{
    if ((int)s < 0 || s >= LLM_SRC_COUNT_)
        return "unknown";
    return source_names[s];
}

const char *llm_extract_kind_name(llm_extract_kind k)
{
    switch (k) {
    case LLM_EXTRACT_CALL: return "call";
    case LLM_EXTRACT_NO_CALL: return "no_call";
    case LLM_EXTRACT_TRUNCATED: return "truncated";
    case LLM_EXTRACT_ERROR: return "error";
    }
    return "unknown";
}

void llm_extraction_free(llm_extraction *x)
{
    size_t i;

    if (!x)
        return;
    for (i = 0; i < x->n_calls; i++) {
        bb_free(x->calls[i].id);
        bb_free(x->calls[i].name);
        bb_free(x->calls[i].arguments);
    }
    bb_free(x->calls);
    bb_free(x->reasoning);
    bb_free(x->text);
    memset(x, 0, sizeof *x);
}

/* ---- helpers ------------------------------------------------------------------------- */

/* First occurrence of needle in hay[0..n), or NULL. */
static const char *find(const char *hay, size_t n, const char *needle)
{
    size_t m = strlen(needle), i;

    if (m == 0 || n < m)
        return NULL;
    for (i = 0; i + m <= n; i++)
        if (hay[i] == needle[0] && memcmp(hay + i, needle, m) == 0)
            return hay + i;
    return NULL;
}

static void trim(const char **s, size_t *n)
{
    while (*n > 0 && isspace((unsigned char)**s)) {
        (*s)++;
        (*n)--;
    }
    while (*n > 0 && isspace((unsigned char)(*s)[*n - 1]))
        (*n)--;
}

/* Adds a call; takes ownership of `arguments` (freed on failure). */
static bb_result add_call(llm_extraction *x, const char *id, const char *name, char *arguments,
                          llm_call_source src)
{
    llm_extracted_call *grown, *c;
    char idbuf[32];

    if (x->n_calls >= LLM_EXTRACT_MAX_CALLS) {
        bb_free(arguments);
        return BB_OK; /* further calls are dropped */
    }
    grown = bb_realloc(x->calls, (x->n_calls + 1) * sizeof *grown);
    if (!grown) {
        bb_free(arguments);
        return BB_ERR_NOMEM;
    }
    x->calls = grown;
    c = &x->calls[x->n_calls];
    memset(c, 0, sizeof *c);
    if (id && *id) {
        c->id = bb_strdup(id);
    } else {
        /* servers that send no (or an empty) id still need one in the reply */
        snprintf(idbuf, sizeof idbuf, "call_bb_%zu", x->n_calls);
        c->id = bb_strdup(idbuf);
        c->id_synthesized = 1;
    }
    c->name = bb_strdup(name ? name : "");
    c->arguments = arguments;
    c->source = src;
    if (!c->id || !c->name || !c->arguments) {
        bb_free(c->id);
        bb_free(c->name);
        bb_free(c->arguments);
        return BB_ERR_NOMEM;
    }
    x->n_calls++;
    return BB_OK;
}

/* Compact JSON text of v as a bb_malloc'd string. */
static char *dump_compact(const json_t *v)
{
    char *t = json_dumps(v, JSON_COMPACT | JSON_ENCODE_ANY), *c;

    if (!t)
        return NULL;
    c = bb_strdup(t);
    llm_json_text_free(t);
    return c;
}

/* ---- structured tool_calls ---------------------------------------------------------- */

/* A string argument that is itself a JSON string holding an object/array. */
static char *unwrap_double_encoded(const char *args)
{
    json_error_t err;
    json_t *outer, *inner = NULL;
    char *res = NULL;
    const char *p = args;

    /* only a JSON string can be double-encoded: do not parse (possibly
     * hundreds of KB of) ordinary arguments just to find that out */
    while (*p == ' ' || *p == '\t' || *p == '\n' || *p == '\r')
        p++;
    if (*p != '"')
        return NULL;
    outer = json_loads(args, JSON_DECODE_ANY, &err);

    if (json_is_string(outer)) {
        inner = json_loads(json_string_value(outer), 0, &err);
        if (json_is_object(inner) || json_is_array(inner))
            res = bb_strdup(json_string_value(outer));
    }
    json_decref(inner);
    json_decref(outer);
    return res;
}

static bb_result from_tool_calls(const llm_response *r, llm_extraction *x)
{
    size_t i, n, before;
    const llm_tool_call *tc;
    const char *a;
    char *args, *inner;
    bb_result rc;
    int missing;

    for (i = 0; i < r->n_calls; i++) {
        tc = &r->calls[i];
        a = tc->arguments;
        n = strlen(a);
        trim(&a, &n);
        missing = tc->args_missing || n == 0;
        inner = missing || a[0] != '"' ? NULL : unwrap_double_encoded(tc->arguments);
        args = missing ? bb_strdup("{}") : inner ? inner : bb_strdup(tc->arguments);
        before = x->n_calls;
        rc = add_call(x, tc->id, tc->name, args,
                      tc->args_object ? LLM_SRC_TOOL_CALLS_OBJECT : LLM_SRC_TOOL_CALLS);
        if (rc != BB_OK)
            return rc;
        if (x->n_calls > before) {
            x->calls[before].args_missing = missing;
            x->calls[before].args_double_encoded = inner != NULL;
        }
    }
    return BB_OK;
}

/* ---- reasoning ------------------------------------------------------------------------- */

static bb_result split_reasoning(const char *s, size_t n, bb_buf *reasoning, bb_buf *rest)
{
    const char *open = find(s, n, "<think>"), *close = find(s, n, "</think>"), *end = s + n;
    bb_result rc = BB_OK;

    /* a lone </think> (the template opened the block): all before it is reasoning */
    if (close && (!open || close < open)) {
        rc = bb_buf_append(reasoning, s, (size_t)(close - s));
        if (rc != BB_OK)
            return rc;
        n -= (size_t)(close + 8 - s);
        s = close + 8;
    }
    while (n > 0) {
        open = find(s, n, "<think>");
        if (!open)
            return bb_buf_append(rest, s, n);
        rc = bb_buf_append(rest, s, (size_t)(open - s));
        if (rc != BB_OK)
            return rc;
        s = open + 7;
        n = (size_t)(end - s);
        close = find(s, n, "</think>");
        if (!close)
            return bb_buf_append(reasoning, s, n); /* unclosed: the rest is reasoning */
        rc = bb_buf_append(reasoning, s, (size_t)(close - s));
        if (rc != BB_OK)
            return rc;
        s = close + 8;
        n = (size_t)(end - s);
    }
    return BB_OK;
}

/* ---- calls written as JSON -------------------------------------------------------------- */

static const json_t *args_of(const json_t *o)
{
    static const char *const keys[] = {"arguments", "parameters", "args", "input"};
    size_t i;
    const json_t *v;

    for (i = 0; i < sizeof keys / sizeof keys[0]; i++) {
        v = json_object_get(o, keys[i]);
        if (v)
            return v;
    }
    return NULL;
}

/* One call object: {name, arguments|parameters} or {function:{...}}. */
static bb_result call_from_object(llm_extraction *x, const json_t *o, llm_call_source src,
                                  const json_parse_result *pr, int *found)
{
    const json_t *f = json_object_get(o, "function"), *name, *args;
    char *text;
    bb_result rc;

    if (json_is_object(f) && json_is_string(json_object_get(f, "name")))
        o = f;
    name = json_object_get(o, "name");
    if (!json_is_string(name) || json_string_length(name) == 0)
        return BB_OK;
    args = args_of(o);
    if (!args || json_is_null(args))
        text = bb_strdup("{}");
    else if (json_is_string(args))
        text = bb_strdup(json_string_value(args));
    else
        text = dump_compact(args);
    rc = add_call(x, "", json_string_value(name), text, src);
    if (rc != BB_OK)
        return rc;
    x->calls[x->n_calls - 1].args_missing = !args || json_is_null(args);
    x->calls[x->n_calls - 1].text_repairs = (int)(pr->repairs.n + pr->repairs.dropped);
    x->calls[x->n_calls - 1].text_truncated = pr->truncated;
    (*found)++;
    return BB_OK;
}

static bb_result calls_from_value(llm_extraction *x, const json_t *v, llm_call_source src,
                                  const json_parse_result *pr, int *found)
{
    size_t i;
    bb_result rc;

    if (json_is_object(v))
        return call_from_object(x, v, src, pr, found);
    for (i = 0; json_is_array(v) && i < json_array_size(v); i++) {
        rc = call_from_object(x, json_array_get(v, i), src, pr, found);
        if (rc != BB_OK)
            return rc;
    }
    return BB_OK;
}

/* Parses s[0..n) leniently and takes the call(s) it holds. */
static bb_result calls_from_json_text(llm_extraction *x, const char *s, size_t n,
                                      llm_call_source src, int *found)
{
    json_parse_result pr;
    bb_result rc;

    memset(&pr, 0, sizeof pr);
    rc = json_parse(s, n, NULL, &pr);
    if (rc == BB_OK)
        rc = calls_from_value(x, pr.value, src, &pr, found);
    else if (rc != BB_ERR_NOMEM)
        rc = BB_OK; /* not JSON: not a call */
    json_parse_result_free(&pr);
    return rc;
}

/* ---- the function-tag form ------------------------------------------------------------ */

static json_t *param_value(const char *s, size_t n)
{
    json_error_t err;
    json_t *v;

    trim(&s, &n);
    v = json_loadb(s, n, JSON_DECODE_ANY, &err);
    if (v)
        return v;
    return json_stringn(s, n);
}

/* Earliest of the given tags in s[0..n), or s + n. */
static const char *first_of(const char *s, size_t n, const char *const *tags, size_t k)
{
    const char *best = s + n, *p;
    size_t i;

    for (i = 0; i < k; i++) {
        p = find(s, (size_t)(best - s), tags[i]);
        if (p && p < best)
            best = p;
    }
    return best;
}

/* s starts at "<function="; parses one call up to </function>, the next
 * <function= or the end. *used gets the bytes consumed. */
static bb_result function_tag_call(llm_extraction *x, const char *s, size_t n, size_t *used,
                                   int *found)
{
    static const char *const stops[] = {"</parameter>", "<parameter=", "</function>", "<function="};
    const char *end = s + n, *name = s + 10, *gt, *fend, *p, *key, *vend;
    json_t *args = NULL, *v;
    char *keyz = NULL, *namez = NULL, *text = NULL;
    bb_result rc = BB_OK;
    int params = 0;

    fend = find(name, (size_t)(end - name), "</function>");
    p = find(name, (size_t)(end - name), "<function=");
    if (!fend || (p && p < fend))
        fend = p ? p : end;
    *used = (size_t)((fend < end && *fend == '<' && fend[1] == '/') ? fend + 11 - s : fend - s);
    gt = memchr(name, '>', (size_t)(fend - name));
    if (!gt || gt == name || memchr(name, '\n', (size_t)(gt - name)) ||
        memchr(name, '<', (size_t)(gt - name)))
        return BB_OK; /* no complete name: not a call */
    namez = bb_strndup(name, (size_t)(gt - name));
    args = json_object();
    rc = BB_ERR_NOMEM;
    if (!namez || !args)
        goto out;
    p = gt + 1;
    while (p < fend && params < LLM_EXTRACT_MAX_PARAMS) {
        p = find(p, (size_t)(fend - p), "<parameter=");
        if (!p)
            break;
        key = p + 11;
        gt = memchr(key, '>', (size_t)(fend - key));
        if (!gt)
            break;
        vend = first_of(gt + 1, (size_t)(fend - gt - 1), stops, 4);
        keyz = bb_strndup(key, (size_t)(gt - key));
        v = param_value(gt + 1, (size_t)(vend - gt - 1));
        if (!keyz || !v || json_object_set_new(args, keyz, v)) {
            if (!keyz)
                json_decref(v);
            goto out;
        }
        bb_free(keyz);
        keyz = NULL;
        params++;
        p = vend;
        if (p + 12 <= fend && memcmp(p, "</parameter>", 12) == 0)
            p += 12;
    }
    text = dump_compact(args);
    if (!text)
        goto out;
    rc = add_call(x, "", namez, text, LLM_SRC_TEXT_FUNCTION_TAG);
    if (rc == BB_OK)
        (*found)++;
out:
    bb_free(keyz);
    bb_free(namez);
    json_decref(args);
    return rc;
}

/* All <function=...> calls in s[0..n). */
static bb_result function_tag_calls(llm_extraction *x, const char *s, size_t n, int *found)
{
    const char *end = s + n, *p = s;
    size_t used;
    bb_result rc;

    while (p < end) {
        p = find(p, (size_t)(end - p), "<function=");
        if (!p)
            break;
        rc = function_tag_call(x, p, (size_t)(end - p), &used, found);
        if (rc != BB_OK)
            return rc;
        p += used > 10 ? used : 10;
    }
    return BB_OK;
}

/* ---- text forms in order ------------------------------------------------------------------ */

static bb_result from_tool_call_tags(llm_extraction *x, const char *s, size_t n, int *found)
{
    const char *end = s + n, *p = s, *body, *close;
    size_t bn;
    bb_result rc;

    while (p < end) {
        p = find(p, (size_t)(end - p), "<tool_call>");
        if (!p)
            break;
        body = p + 11;
        close = find(body, (size_t)(end - body), "</tool_call>");
        bn = (size_t)((close ? close : end) - body);
        trim(&body, &bn);
        if (bn >= 10 && memcmp(body, "<function=", 10) == 0)
            rc = function_tag_calls(x, body, bn, found);
        else
            rc = calls_from_json_text(x, body, bn, LLM_SRC_TEXT_TOOL_CALL_TAG, found);
        if (rc != BB_OK)
            return rc;
        p = close ? close + 12 : end;
    }
    return BB_OK;
}

static bb_result from_fences(llm_extraction *x, const char *s, size_t n, int *found)
{
    const char *end = s + n, *p = s, *nl, *body, *close;
    size_t bn;
    bb_result rc;

    while (p < end && !*found) {
        p = find(p, (size_t)(end - p), "```");
        if (!p)
            break;
        nl = memchr(p + 3, '\n', (size_t)(end - p - 3));
        if (!nl)
            break;
        body = nl + 1;
        close = find(body, (size_t)(end - body), "```");
        bn = (size_t)((close ? close : end) - body);
        trim(&body, &bn);
        if (bn > 0 && (body[0] == '{' || body[0] == '[')) {
            rc = calls_from_json_text(x, body, bn, LLM_SRC_TEXT_FENCED, found);
            if (rc != BB_OK)
                return rc;
        }
        p = close ? close + 3 : end;
    }
    return BB_OK;
}

static bb_result from_bare(llm_extraction *x, const char *s, size_t n, int *found)
{
    const char *end = s + n, *p = s;
    int tries = 0;
    bb_result rc;

    while (p < end && !*found && tries < LLM_EXTRACT_MAX_BARE_TRIES) {
        p = memchr(p, '{', (size_t)(end - p));
        if (!p)
            break;
        tries++;
        rc = calls_from_json_text(x, p, (size_t)(end - p), LLM_SRC_TEXT_BARE, found);
        if (rc != BB_OK)
            return rc;
        p++;
    }
    return BB_OK;
}

static bb_result from_text(llm_extraction *x, const char *s, size_t n)
{
    int found = 0;
    bb_result rc;

    rc = from_tool_call_tags(x, s, n, &found);
    if (rc == BB_OK && !found)
        rc = function_tag_calls(x, s, n, &found);
    if (rc == BB_OK && !found)
        rc = from_fences(x, s, n, &found);
    if (rc == BB_OK && !found)
        rc = from_bare(x, s, n, &found);
    return rc;
}

/* ---- entry points ------------------------------------------------------------------------- */

/* Splits reasoning out of text and, when want_calls, looks for text calls. */
static bb_result text_part(llm_extraction *x, const char *field_reasoning, const char *text,
                           size_t len, int want_calls)
{
    bb_buf reasoning, rest;
    bb_result rc = BB_OK;

    bb_buf_init(&reasoning, LLM_EXTRACT_MAX_TEXT * 2);
    bb_buf_init(&rest, LLM_EXTRACT_MAX_TEXT);
    if (len > LLM_EXTRACT_MAX_TEXT)
        len = LLM_EXTRACT_MAX_TEXT;
    if (field_reasoning)
        rc = bb_buf_puts(&reasoning, field_reasoning);
    if (rc == BB_OK && text)
        rc = split_reasoning(text, len, &reasoning, &rest);
    if (rc == BB_OK && want_calls)
        rc = from_text(x, bb_buf_str(&rest), rest.len);
    if (rc == BB_OK && reasoning.len > 0) {
        x->reasoning = bb_buf_take(&reasoning);
        if (!x->reasoning)
            rc = BB_ERR_NOMEM;
    }
    if (rc == BB_OK && text) {
        x->text = bb_buf_take(&rest);
        if (!x->text)
            rc = BB_ERR_NOMEM;
    }
    bb_buf_free(&reasoning);
    bb_buf_free(&rest);
    return rc == BB_ERR_LIMIT ? BB_OK : rc;
}

bb_result llm_extract_text(const char *text, size_t len, llm_extraction *out)
{
    bb_result rc;

    memset(out, 0, sizeof *out);
    rc = text_part(out, NULL, text, len, 1);
    out->kind = out->n_calls > 0 ? LLM_EXTRACT_CALL : LLM_EXTRACT_NO_CALL;
    return rc;
}

bb_result llm_extract(const llm_response *resp, llm_extraction *out)
{
    bb_result rc = BB_OK;
    int structured = resp->n_calls > 0;

    memset(out, 0, sizeof *out);
    if (structured)
        rc = from_tool_calls(resp, out);
    if (rc == BB_OK)
        rc = text_part(out, resp->reasoning, resp->content,
                       resp->content ? resp->content_len : 0, !structured);
    if (resp->outcome == LLM_OUTCOME_TRUNCATED_STREAM)
        out->kind = LLM_EXTRACT_TRUNCATED;
    else if (resp->outcome != LLM_OUTCOME_OK)
        out->kind = LLM_EXTRACT_ERROR;
    else if (resp->finish_reason && strcmp(resp->finish_reason, "length") == 0)
        out->kind = LLM_EXTRACT_TRUNCATED;
    else
        out->kind = out->n_calls > 0 ? LLM_EXTRACT_CALL : LLM_EXTRACT_NO_CALL;
    return rc;
}
