/*
 * test_llm_usage.c — usage normalisation across servers, as data: every
 * entry of tests/data/llm/usage-expect.json names a shared fixture (decoded
 * as its server sent it: stream or whole body) or carries an inline body,
 * and lists the normalised fields it must give.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "json/json_util.h"
#include "llm/llm_response.h"
#include "llm/llm_stream.h"
#include "util/alloc.h"
#include "util/file.h"

static void decode_fixture(const char *name, llm_response *r)
{
    const char *shared = getenv("BB_SHARED");
    char path[1024], *body;
    size_t len;
    llm_stream s;

    snprintf(path, sizeof path, "%s/data/server-responses/%s.body", shared ? shared : "../shared", name);
    assert_int_equal(bb_file_read(path, 1 << 24, &body, &len), BB_OK);
    if (body[0] == '{' && (body[len - 1] == '}' || body[len - 2] == '}') && !strstr(body, "\n{")) {
        assert_int_equal(llm_response_parse_body(r, body, len), BB_OK);
    } else {
        llm_stream_init(&s, r, 1 << 22);
        assert_int_equal(llm_stream_feed(&s, body, len), BB_OK);
        assert_int_equal(llm_stream_finish(&s), BB_OK);
        llm_stream_free(&s);
    }
    bb_free(body);
}

static void check_field(const char *name, const char *key, const json_t *want, double got)
{
    double w;

    if (!want)
        return;
    w = json_number_value(want);
    if (fabs(w - got) > 1e-9 * (fabs(w) + 1))
        fail_msg("%s: %s = %.9g, want %.9g", name, key, got, w);
}

static void test_usage_table(void **state)
{
    const char *root = getenv("BB_ROOT");
    char path[1024], *text;
    size_t len;
    json_t *table, *e;
    json_error_t err;
    const char *name;
    llm_response r;
    int n = 0;

    (void)state;
    snprintf(path, sizeof path, "%s/tests/data/llm/usage-expect.json", root ? root : ".");
    assert_int_equal(bb_file_read(path, 1 << 20, &text, &len), BB_OK);
    table = json_loadb(text, len, 0, &err);
    bb_free(text);
    assert_non_null(table);
    json_object_foreach(table, name, e) {
        const llm_usage *u = &r.usage;
        if (name[0] == '_')
            continue;
        llm_response_init(&r);
        if (json_object_get(e, "body")) {
            char *b = json_dumps(json_object_get(e, "body"), JSON_COMPACT);
            assert_non_null(b);
            assert_int_equal(llm_response_parse_body(&r, b, strlen(b)), BB_OK);
            llm_json_text_free(b);
        } else {
            decode_fixture(name, &r);
        }
        check_field(name, "prompt", json_object_get(e, "prompt"), (double)u->prompt_tokens);
        check_field(name, "cached", json_object_get(e, "cached"), (double)u->cached_prompt_tokens);
        check_field(name, "completion", json_object_get(e, "completion"), (double)u->completion_tokens);
        check_field(name, "reasoning", json_object_get(e, "reasoning"), (double)u->reasoning_tokens);
        check_field(name, "total", json_object_get(e, "total"), (double)u->total_tokens);
        check_field(name, "cost", json_object_get(e, "cost"), u->cost);
        check_field(name, "server_prompt_n", json_object_get(e, "server_prompt_n"), (double)u->server_prompt_n);
        check_field(name, "server_prompt_ms", json_object_get(e, "server_prompt_ms"), u->server_prompt_ms);
        check_field(name, "server_predicted_n", json_object_get(e, "server_predicted_n"),
                    (double)u->server_predicted_n);
        check_field(name, "server_predicted_ms", json_object_get(e, "server_predicted_ms"),
                    u->server_predicted_ms);
        llm_response_free(&r);
        n++;
    }
    json_decref(table);
    print_message("# %d usage cases checked\n", n);
    assert_true(n >= 14);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_usage_table),
    };

    bb_json_init();
    return cmocka_run_group_tests(tests, NULL, NULL);
}
