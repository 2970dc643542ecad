/*
 * test_llm_sse.c — the incremental SSE/NDJSON parser and stream decoder
 * without sockets: event framing cases as data (input → the events it must
 * yield), and every streamed fixture fed whole, byte by byte and at every
 * two-way split, which must all decode to the same response.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "json/json_util.h"
#include "llm/llm_sse.h"
#include "llm/llm_stream.h"
#include "util/alloc.h"
#include "util/buf.h"
#include "util/file.h"

/* Events rendered as "[event]data|" for comparison. */
static bb_result collect(void *user, const llm_sse_event *ev)
{
    bb_buf *b = user;
    bb_result rc = bb_buf_printf(b, "[%s%s]", ev->ndjson ? "nd:" : "", ev->event);

    if (rc == BB_OK)
        rc = bb_buf_append(b, ev->data, ev->data_len);
    if (rc == BB_OK)
        rc = bb_buf_putc(b, '|');
    return rc;
}

static const struct {
    const char *in;
    const char *want;
} framing[] = {
    {"data: a\n\n", "[]a|"},
    {"data:a\n\n", "[]a|"},
    {"data:  two spaces\n\n", "[] two spaces|"},
    {"data: a\ndata: b\n\n", "[]a\nb|"},
    {"data: a\r\n\r\ndata: b\r\rdata: c\n\n", "[]a|[]b|[]c|"},
    {": comment\n\ndata: x\n\n", "[]x|"},
    {": OPENROUTER PROCESSING\n\n: OPENROUTER PROCESSING\n\ndata: x\n\n", "[]x|"},
    {"event: error\ndata: {\"e\":1}\n\ndata: y\n\n", "[error]{\"e\":1}|[]y|"},
    {"id: 1\nretry: 10\ndata: z\n\n", "[]z|"},
    {"event: ping\n\ndata: q\n\n", "[]q|"},        /* an event without data is not dispatched */
    {"data: tail-without-blank-line", "[]tail-without-blank-line|"},
    {"{\"a\":1}\n{\"b\":2}\n", "[nd:]{\"a\":1}|[nd:]{\"b\":2}|"},
    {"{\"a\":1}\r\n{\"b\":2}", "[nd:]{\"a\":1}|[nd:]{\"b\":2}|"},
    {"data: {\"a\":1}\n\n{\"b\":2}\n\n", "[]{\"a\":1}|"},  /* after SSE, a '{' line is an unknown field */
    {"", ""},
    {"\n\n\n", ""},
};

static void run_framing(const char *in, size_t n, size_t step, bb_buf *out)
{
    llm_sse p;
    size_t i, k;

    llm_sse_init(&p, 1 << 20);
    for (i = 0; i < n; i += k) {
        k = step && n - i > step ? step : n - i;
        assert_int_equal(llm_sse_feed(&p, in + i, k, collect, out), BB_OK);
    }
    assert_int_equal(llm_sse_finish(&p, collect, out), BB_OK);
    llm_sse_free(&p);
}

static void test_framing_cases(void **state)
{
    bb_buf out;
    size_t i, step;

    (void)state;
    bb_buf_init(&out, 1 << 20);
    for (i = 0; i < sizeof framing / sizeof framing[0]; i++) {
        for (step = 0; step <= 3; step++) {
            bb_buf_reset(&out);
            run_framing(framing[i].in, strlen(framing[i].in), step, &out);
            if (strcmp(bb_buf_str(&out), framing[i].want) != 0)
                fail_msg("case %zu step %zu: got '%s' want '%s'", i, step, bb_buf_str(&out),
                         framing[i].want);
        }
    }
    bb_buf_free(&out);
}

static void test_event_limit(void **state)
{
    llm_sse p;
    bb_buf out;
    char line[300];

    (void)state;
    memset(line, 'a', sizeof line);
    memcpy(line, "data: ", 6);
    bb_buf_init(&out, 1 << 20);
    llm_sse_init(&p, 100);
    assert_int_equal(llm_sse_feed(&p, line, sizeof line, collect, &out), BB_ERR_LIMIT);
    llm_sse_free(&p);
    bb_buf_free(&out);
}

/* ---- whole streams: any split decodes the same ---------------------------------- */

/* A stable text rendering of what a decoded response holds. */
static void render(const llm_response *r, bb_buf *b)
{
    size_t i;

    bb_buf_reset(b);
    bb_buf_printf(b, "outcome=%s finish=%s done=%d err=%d content=[%s] reasoning=[%s] usage=%lld/%lld/%lld\n",
                  llm_outcome_name(r->outcome), r->finish_reason ? r->finish_reason : "-",
                  r->saw_done, r->saw_error, r->content ? r->content : "(null)",
                  r->reasoning ? r->reasoning : "(null)", r->usage.prompt_tokens,
                  r->usage.cached_prompt_tokens, r->usage.completion_tokens);
    for (i = 0; i < r->n_calls; i++)
        bb_buf_printf(b, "call %d id=%s name=%s args=%s obj=%d missing=%d\n", r->calls[i].index,
                      r->calls[i].id, r->calls[i].name, r->calls[i].arguments, r->calls[i].args_object,
                      r->calls[i].args_missing);
}

static void decode(const char *body, size_t n, size_t cut, size_t step, bb_buf *out)
{
    llm_response r;
    llm_stream s;
    size_t i, k;

    llm_response_init(&r);
    llm_stream_init(&s, &r, 1 << 20);
    if (cut > 0) {
        assert_int_equal(llm_stream_feed(&s, body, cut), BB_OK);
        assert_int_equal(llm_stream_feed(&s, body + cut, n - cut), BB_OK);
    } else {
        for (i = 0; i < n; i += k) {
            k = step && n - i > step ? step : n - i;
            assert_int_equal(llm_stream_feed(&s, body + i, k), BB_OK);
        }
    }
    assert_int_equal(llm_stream_finish(&s), BB_OK);
    render(&r, out);
    llm_stream_free(&s);
    llm_response_free(&r);
}

static void test_fixture_splits(void **state)
{
    const char *shared = getenv("BB_SHARED");
    char dir[512], path[1024];
    DIR *d;
    struct dirent *e;
    char *meta, *body;
    size_t mlen, blen, cut, n;
    bb_buf whole, other;
    int streams = 0;

    (void)state;
    snprintf(dir, sizeof dir, "%s/data/server-responses", shared ? shared : "../shared");
    d = opendir(dir);
    assert_non_null(d);
    bb_buf_init(&whole, 1 << 24);
    bb_buf_init(&other, 1 << 24);
    for (e = readdir(d); e != NULL; e = readdir(d)) {
        n = strlen(e->d_name);
        if (n < 12 || strcmp(e->d_name + n - 12, ".expect.json") != 0)
            continue;
        snprintf(path, sizeof path, "%s/%s", dir, e->d_name);
        assert_int_equal(bb_file_read(path, 1 << 20, &meta, &mlen), BB_OK);
        if (!strstr(meta, "\"streamed\": true")) {
            bb_free(meta);
            continue;
        }
        bb_free(meta);
        snprintf(path, sizeof path, "%s/%.*s.body", dir, (int)(n - 12), e->d_name);
        assert_int_equal(bb_file_read(path, 1 << 24, &body, &blen), BB_OK);
        streams++;
        decode(body, blen, 0, 0, &whole);
        decode(body, blen, 0, 1, &other);
        if (strcmp(bb_buf_str(&whole), bb_buf_str(&other)) != 0)
            fail_msg("%s: byte-by-byte differs:\n%s\n---\n%s", e->d_name, bb_buf_str(&whole),
                     bb_buf_str(&other));
        for (cut = 1; cut < blen; cut += blen / 300 + 1) {
            decode(body, blen, cut, 0, &other);
            if (strcmp(bb_buf_str(&whole), bb_buf_str(&other)) != 0)
                fail_msg("%s: split at %zu differs", e->d_name, cut);
        }
        bb_free(body);
    }
    closedir(d);
    bb_buf_free(&whole);
    bb_buf_free(&other);
    assert_true(streams >= 18);
}

/* Specific decoder rules, each a stream and the rendering it must give. */
static void test_decoder_rules(void **state)
{
    static const struct {
        const char *in;
        const char *want_prefix;
    } cases[] = {
        /* error object after 200 */
        {"data: {\"choices\":[{\"index\":0,\"delta\":{\"content\":\"a\"},\"finish_reason\":\"length\"}]}\n\n"
         "data: {\"error\":{\"code\":400,\"message\":\"Token limit\"}}\n\n",
         "outcome=api_error finish=length done=0 err=1"},
        /* event: error with a bare string */
        {"event: error\ndata: boom\n\n", "outcome=api_error"},
        /* no finish reason → truncated, even with [DONE] */
        {"data: {\"choices\":[{\"index\":0,\"delta\":{\"content\":\"a\"}}]}\n\ndata: [DONE]\n\n",
         "outcome=truncated_stream finish=- done=1"},
        /* garbage payload → protocol error */
        {"data: not json\n\ndata: {\"choices\":[{\"index\":0,\"delta\":{},\"finish_reason\":\"stop\"}]}\n\n",
         "outcome=protocol_error"},
        /* ends inside an event → truncated */
        {"data: {\"choices\":[{\"index\":0,\"delta\":{},\"finish_reason\":\"stop\"}]}\n\ndata: {\"cho",
         "outcome=truncated_stream"},
        /* empty stream */
        {"", "outcome=truncated_stream"},
        /* n > 1: chunks of choice 1 are ignored */
        {"data: {\"choices\":[{\"index\":1,\"delta\":{\"content\":\"B\"}}]}\n\n"
         "data: {\"choices\":[{\"index\":0,\"delta\":{\"content\":\"A\"},\"finish_reason\":\"stop\"}]}\n\n",
         "outcome=ok finish=stop done=0 err=0 content=[A]"},
        /* continuation with empty id/name keeps the first */
        {"data: {\"choices\":[{\"index\":0,\"delta\":{\"tool_calls\":[{\"index\":0,\"id\":\"c1\",\"function\":{\"name\":\"f\",\"arguments\":\"{\\\"a\\\"\"}}]}}]}\n\n"
         "data: {\"choices\":[{\"index\":0,\"delta\":{\"tool_calls\":[{\"index\":0,\"id\":\"\",\"function\":{\"name\":\"\",\"arguments\":\":1}\"}}]},\"finish_reason\":\"tool_calls\"}]}\n\n",
         "outcome=ok finish=tool_calls done=0 err=0 content=[(null)] reasoning=[(null)] usage=-1/-1/-1\n"
         "call 0 id=c1 name=f args={\"a\":1} obj=0 missing=0\n"},
    };
    bb_buf out;
    size_t i;

    (void)state;
    bb_buf_init(&out, 1 << 20);
    for (i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        decode(cases[i].in, strlen(cases[i].in), 0, 0, &out);
        if (strncmp(bb_buf_str(&out), cases[i].want_prefix, strlen(cases[i].want_prefix)) != 0)
            fail_msg("case %zu: got '%s' want prefix '%s'", i, bb_buf_str(&out), cases[i].want_prefix);
    }
    bb_buf_free(&out);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_framing_cases),
        cmocka_unit_test(test_event_limit),
        cmocka_unit_test(test_decoder_rules),
        cmocka_unit_test(test_fixture_splits),
    };

    bb_json_init();
    return cmocka_run_group_tests(tests, NULL, NULL);
}
