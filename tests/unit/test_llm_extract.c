/*
 * test_llm_extract.c — getting calls back out of assistant text and typed
 * responses. Text cases are data (tests/data/llm/extract-text.json: text,
 * the kind, and each call's name, arguments compared as JSON values and
 * source flag); response-level rules (structured calls win over text,
 * object/missing/double-encoded arguments flagged, truncation and errors
 * classified) are checked on small typed responses; out-of-memory at every
 * allocation must give BB_ERR_NOMEM and leak nothing.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "json/json_repair.h"
#include "json/json_util.h"
#include "llm/llm_extract.h"
#include "util/alloc.h"
#include "util/file.h"

static void expect_args(const char *what, const char *got, const json_t *want)
{
    json_parse_result pr;

    memset(&pr, 0, sizeof pr);
    if (json_parse(got, strlen(got), NULL, &pr) != BB_OK || !bb_json_equal(pr.value, want)) {
        char *w = json_dumps(want, JSON_COMPACT | JSON_ENCODE_ANY);
        print_message("# %s: arguments %s want %s\n", what, got, w ? w : "?");
        llm_json_text_free(w);
        json_parse_result_free(&pr);
        fail_msg("%s: arguments differ", what);
    }
    json_parse_result_free(&pr);
}

static void test_text_cases(void **state)
{
    const char *root = getenv("BB_ROOT");
    char path[1024], *text;
    size_t len, i, k;
    json_t *cases, *c, *calls, *want;
    json_error_t err;
    llm_extraction x;
    const char *name, *rc_sub;

    (void)state;
    snprintf(path, sizeof path, "%s/tests/data/llm/extract-text.json", root ? root : ".");
    assert_int_equal(bb_file_read(path, 1 << 20, &text, &len), BB_OK);
    cases = json_loadb(text, len, 0, &err);
    bb_free(text);
    assert_non_null(cases);
    json_array_foreach(cases, i, c) {
        name = json_string_value(json_object_get(c, "name"));
        text = (char *)json_string_value(json_object_get(c, "text"));
        assert_int_equal(llm_extract_text(text, strlen(text), &x), BB_OK);
        if (strcmp(llm_extract_kind_name(x.kind), json_string_value(json_object_get(c, "kind"))) != 0)
            fail_msg("%s: kind %s", name, llm_extract_kind_name(x.kind));
        calls = json_object_get(c, "calls");
        if (x.n_calls != json_array_size(calls))
            fail_msg("%s: %zu calls, want %zu", name, x.n_calls, json_array_size(calls));
        json_array_foreach(calls, k, want) {
            assert_string_equal(x.calls[k].name, json_string_value(json_object_get(want, "name")));
            assert_string_equal(llm_call_source_name(x.calls[k].source),
                                json_string_value(json_object_get(want, "source")));
            expect_args(name, x.calls[k].arguments, json_object_get(want, "arguments"));
            if (json_object_get(want, "text_truncated"))
                assert_int_equal(x.calls[k].text_truncated,
                                 json_is_true(json_object_get(want, "text_truncated")));
            if (json_object_get(want, "text_repaired"))
                assert_int_equal(x.calls[k].text_repairs > 0,
                                 json_is_true(json_object_get(want, "text_repaired")));
        }
        rc_sub = json_string_value(json_object_get(c, "reasoning_contains"));
        if (rc_sub) {
            assert_non_null(x.reasoning);
            if (!strstr(x.reasoning, rc_sub))
                fail_msg("%s: reasoning '%s' lacks '%s'", name, x.reasoning, rc_sub);
            assert_null(strstr(x.text, rc_sub)); /* removed from the text */
        }
        llm_extraction_free(&x);
    }
    print_message("# %zu text cases\n", json_array_size(cases));
    json_decref(cases);
}

/* A response built from a JSON body (as the server would send it). */
static void parse(llm_response *r, const char *body)
{
    llm_response_init(r);
    assert_int_equal(llm_response_parse_body(r, body, strlen(body)), BB_OK);
}

static void test_response_rules(void **state)
{
    llm_response r;
    llm_extraction x;

    (void)state;
    /* structured calls win over a call written in the text */
    parse(&r, "{\"choices\":[{\"index\":0,\"message\":{\"content\":\"<tool_call>{\\\"name\\\":\\\"g\\\","
              "\\\"arguments\\\":{}}</tool_call>\",\"tool_calls\":[{\"id\":\"1\",\"function\":{\"name\":\"f\","
              "\"arguments\":\"{\\\"a\\\":1}\"}}]},\"finish_reason\":\"tool_calls\"}]}");
    assert_int_equal(llm_extract(&r, &x), BB_OK);
    assert_int_equal(x.kind, LLM_EXTRACT_CALL);
    assert_int_equal(x.n_calls, 1);
    assert_string_equal(x.calls[0].name, "f");
    assert_string_equal(x.calls[0].id, "1");
    assert_int_equal(x.calls[0].id_synthesized, 0);
    assert_string_equal(x.calls[0].arguments, "{\"a\":1}");
    assert_int_equal(x.calls[0].source, LLM_SRC_TOOL_CALLS);
    llm_extraction_free(&x);
    llm_response_free(&r);

    /* arguments as an object: re-serialised compactly and flagged */
    parse(&r, "{\"message\":{\"content\":\"\",\"tool_calls\":[{\"function\":{\"name\":\"f\","
              "\"arguments\":{\"b\": [1, 2], \"a\": \"x\"}}}]},\"done_reason\":\"stop\",\"done\":true}");
    assert_int_equal(llm_extract(&r, &x), BB_OK);
    assert_int_equal(x.kind, LLM_EXTRACT_CALL);
    assert_string_equal(x.calls[0].arguments, "{\"b\":[1,2],\"a\":\"x\"}");
    assert_int_equal(x.calls[0].source, LLM_SRC_TOOL_CALLS_OBJECT);
    assert_string_equal(x.calls[0].id, "call_bb_0"); /* Ollama native sends no id */
    assert_int_equal(x.calls[0].id_synthesized, 1);
    llm_extraction_free(&x);
    llm_response_free(&r);

    /* arguments missing, and empty: "{}" flagged */
    parse(&r, "{\"choices\":[{\"message\":{\"tool_calls\":[{\"function\":{\"name\":\"f\"}},"
              "{\"function\":{\"name\":\"g\",\"arguments\":\"  \"}}]},\"finish_reason\":\"tool_calls\"}]}");
    assert_int_equal(llm_extract(&r, &x), BB_OK);
    assert_int_equal(x.n_calls, 2);
    assert_string_equal(x.calls[0].arguments, "{}");
    assert_int_equal(x.calls[0].args_missing, 1);
    assert_string_equal(x.calls[1].arguments, "{}");
    assert_int_equal(x.calls[1].args_missing, 1);
    llm_extraction_free(&x);
    llm_response_free(&r);

    /* a JSON string that is not an object is left alone (the harness reports it) */
    parse(&r, "{\"choices\":[{\"message\":{\"tool_calls\":[{\"function\":{\"name\":\"f\","
              "\"arguments\":\"\\\"just text\\\"\"}}]},\"finish_reason\":\"tool_calls\"}]}");
    assert_int_equal(llm_extract(&r, &x), BB_OK);
    assert_string_equal(x.calls[0].arguments, "\"just text\"");
    assert_int_equal(x.calls[0].args_double_encoded, 0);
    llm_extraction_free(&x);
    llm_response_free(&r);

    /* finish_reason length with a call: truncated, the call still listed */
    parse(&r, "{\"choices\":[{\"message\":{\"tool_calls\":[{\"function\":{\"name\":\"f\","
              "\"arguments\":\"{\\\"a\\\":\"}}]},\"finish_reason\":\"length\"}]}");
    assert_int_equal(llm_extract(&r, &x), BB_OK);
    assert_int_equal(x.kind, LLM_EXTRACT_TRUNCATED);
    assert_int_equal(x.n_calls, 1);
    llm_extraction_free(&x);
    llm_response_free(&r);

    /* not a chat completion at all */
    parse(&r, "<html>502 Bad Gateway</html>");
    assert_int_equal(r.outcome, LLM_OUTCOME_PROTOCOL_ERROR);
    assert_int_equal(llm_extract(&r, &x), BB_OK);
    assert_int_equal(x.kind, LLM_EXTRACT_ERROR);
    llm_extraction_free(&x);
    llm_response_free(&r);

    /* content as an array of parts */
    parse(&r, "{\"choices\":[{\"message\":{\"content\":[{\"type\":\"thinking\",\"thinking\":\"T\"},"
              "{\"type\":\"text\",\"text\":\"<tool_call>{\\\"name\\\":\\\"f\\\",\\\"arguments\\\":{}}\"},"
              "{\"type\":\"image_url\"},{\"type\":\"text\",\"text\":\"</tool_call>\"}]},"
              "\"finish_reason\":\"stop\"}]}");
    assert_int_equal(r.outcome, LLM_OUTCOME_OK);
    assert_int_equal(llm_extract(&r, &x), BB_OK);
    assert_int_equal(x.kind, LLM_EXTRACT_CALL);
    assert_string_equal(x.calls[0].name, "f");
    assert_string_equal(x.reasoning, "T");
    llm_extraction_free(&x);
    llm_response_free(&r);

    /* reasoning field and think block both kept apart */
    parse(&r, "{\"choices\":[{\"message\":{\"reasoning_content\":\"R1 \",\"content\":\"<think>R2</think>"
              "answer\"},\"finish_reason\":\"stop\"}]}");
    assert_int_equal(llm_extract(&r, &x), BB_OK);
    assert_int_equal(x.kind, LLM_EXTRACT_NO_CALL);
    assert_string_equal(x.reasoning, "R1 R2");
    assert_string_equal(x.text, "answer");
    llm_extraction_free(&x);
    llm_response_free(&r);
}

static void test_out_of_memory(void **state)
{
    static const char *const texts[] = {
        "<think>a</think><tool_call>{\"name\":\"f\",\"arguments\":{\"a\":[1,{\"b\":2}]}}</tool_call>",
        "<function=f><parameter=a>1</parameter><parameter=b>{\"c\":3}</parameter></function>",
        "```json\n[{\"name\":\"f\",\"arguments\":{}},{\"name\":\"g\",\"arguments\":{}}]\n```",
    };
    llm_extraction x;
    bb_result rc;
    size_t i;
    long k;
    int failures = 0;

    (void)state;
    for (i = 0; i < sizeof texts / sizeof texts[0]; i++) {
        for (k = 0; k < 5000; k++) {
            bb_alloc_fail_after(k);
            rc = llm_extract_text(texts[i], strlen(texts[i]), &x);
            bb_alloc_fail_after(-1);
            llm_extraction_free(&x);
            if (rc == BB_OK)
                break;
            assert_int_equal(rc, BB_ERR_NOMEM);
            failures++;
        }
        assert_true(k < 5000);
    }
    print_message("# extraction survived %d injected allocation failures\n", failures);
    assert_true(failures > 10);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_text_cases),
        cmocka_unit_test(test_response_rules),
        cmocka_unit_test(test_out_of_memory),
    };

    bb_json_init();
    return cmocka_run_group_tests(tests, NULL, NULL);
}
