/*
 * test_llm_request.c — the typed request rendered as a chat-completions
 * body: a full request against the expected document in
 * tests/data/llm/request-full.json (compared as JSON values), the
 * tool_choice forms, requests that must be refused, and out-of-memory at
 * every allocation.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "json/json_util.h"
#include "llm/llm_request.h"
#include "util/alloc.h"
#include "util/buf.h"
#include "util/file.h"

static const llm_msg_call prior_calls[] = {
    {"call_1", "submit_db", "{\"files\":[]}"},
    {"call_2", "submit_db", NULL},
};

static const llm_message full_msgs[] = {
    {LLM_ROLE_SYSTEM, "You design databases.", NULL, 0, NULL},
    {LLM_ROLE_USER, "Design the shop.\nUse snake_case.", NULL, 0, NULL},
    {LLM_ROLE_ASSISTANT, NULL, prior_calls, 2, NULL},
    {LLM_ROLE_TOOL, "\xe2\x9d\x8c files must not be empty", NULL, 0, "call_1"},
};

static json_t *schema;

static void full_request(llm_request *r, llm_tool tools[2])
{
    json_error_t err;

    if (!schema)
        schema = json_loads("{\"type\":\"object\",\"properties\":{\"files\":{\"type\":\"array\"}},"
                            "\"required\":[\"files\"]}", 0, &err);
    tools[0].name = "submit_db";
    tools[0].description = "Submit the DB AST";
    tools[0].parameters = schema;
    tools[0].parameters_json = NULL;
    tools[1].name = "ask";
    tools[1].description = NULL;
    tools[1].parameters = NULL;
    tools[1].parameters_json = "{\"type\":\"object\"}";
    llm_request_init(r);
    r->model = "qwen3-coder-30b";
    r->messages = full_msgs;
    r->n_messages = 4;
    r->tools = tools;
    r->n_tools = 2;
    r->tool_choice = LLM_TOOL_CHOICE_NAMED;
    r->tool_choice_name = "submit_db";
    r->temperature = 0.7; /* overridden by extra_json below: the extra object wins */
    r->top_p = 0.95;
    r->seed = 42;
    r->has_seed = 1;
    r->max_tokens = 4096;
    r->stream = 1;
    r->extra_json = "{\"provider\":{\"order\":[\"groq\"],\"allow_fallbacks\":false},"
                    "\"chat_template_kwargs\":{\"enable_thinking\":false},\"temperature\":0.2}";
}

static void test_full_request(void **state)
{
    const char *root = getenv("BB_ROOT");
    char path[1024], *want_text;
    size_t len;
    llm_request r;
    llm_tool tools[2];
    bb_buf out;
    json_t *got, *want;
    json_error_t err;
    char why[200];

    (void)state;
    full_request(&r, tools);
    bb_buf_init(&out, LLM_MAX_REQUEST_BYTES);
    assert_int_equal(llm_request_to_json(&r, &out, why, sizeof why), BB_OK);
    got = json_loads(bb_buf_str(&out), 0, &err);
    assert_non_null(got);
    snprintf(path, sizeof path, "%s/tests/data/llm/request-full.json", root ? root : ".");
    assert_int_equal(bb_file_read(path, 1 << 20, &want_text, &len), BB_OK);
    want = json_loads(want_text, 0, &err);
    assert_non_null(want);
    if (!bb_json_equal(got, want))
        fail_msg("request differs:\n%s", bb_buf_str(&out));
    /* the rendering is compact and starts with the model */
    assert_int_equal(strncmp(bb_buf_str(&out), "{\"model\":\"qwen3-coder-30b\",\"messages\":[", 39), 0);
    json_decref(got);
    json_decref(want);
    bb_free(want_text);
    bb_buf_free(&out);
}

static void test_tool_choice_forms(void **state)
{
    static const struct {
        llm_tool_choice tc;
        const char *want; /* substring; NULL: no tool_choice key */
    } cases[] = {
        {LLM_TOOL_CHOICE_UNSET, NULL},
        {LLM_TOOL_CHOICE_AUTO, "\"tool_choice\":\"auto\""},
        {LLM_TOOL_CHOICE_REQUIRED, "\"tool_choice\":\"required\""},
        {LLM_TOOL_CHOICE_NONE, "\"tool_choice\":\"none\""},
    };
    llm_request r;
    llm_tool tools[2];
    bb_buf out;
    size_t i;

    (void)state;
    bb_buf_init(&out, LLM_MAX_REQUEST_BYTES);
    for (i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        full_request(&r, tools);
        r.tool_choice = cases[i].tc;
        r.extra_json = NULL;
        r.stream = 0;
        r.temperature = -1;
        r.has_seed = 0;
        bb_buf_reset(&out);
        assert_int_equal(llm_request_to_json(&r, &out, NULL, 0), BB_OK);
        if (cases[i].want)
            assert_non_null(strstr(bb_buf_str(&out), cases[i].want));
        else
            assert_null(strstr(bb_buf_str(&out), "tool_choice"));
        assert_non_null(strstr(bb_buf_str(&out), "\"stream\":false"));
        assert_null(strstr(bb_buf_str(&out), "stream_options"));
        assert_null(strstr(bb_buf_str(&out), "temperature"));
        assert_null(strstr(bb_buf_str(&out), "seed"));
    }
    bb_buf_free(&out);
}

static void test_refused(void **state)
{
    static const char *const crlf[] = {"X-A: 1\r\nX-B: 2"};
    static const char *const nocolon[] = {"X-A"};
    static const char *const many[LLM_MAX_HEADERS + 1] = {
        "A: 1", "A: 1", "A: 1", "A: 1", "A: 1", "A: 1", "A: 1", "A: 1", "A: 1",
        "A: 1", "A: 1", "A: 1", "A: 1", "A: 1", "A: 1", "A: 1", "A: 1"};
    llm_request r;
    llm_tool tools[2];
    bb_buf out;
    char why[200];

    (void)state;
    bb_buf_init(&out, LLM_MAX_REQUEST_BYTES);
    full_request(&r, tools);
    r.model = NULL;
    assert_int_equal(llm_request_to_json(&r, &out, why, sizeof why), BB_ERR_USAGE);
    assert_non_null(strstr(why, "model"));
    full_request(&r, tools);
    r.n_messages = 0;
    assert_int_equal(llm_request_to_json(&r, &out, why, sizeof why), BB_ERR_USAGE);
    full_request(&r, tools);
    tools[1].parameters_json = "{not json";
    assert_int_equal(llm_request_to_json(&r, &out, why, sizeof why), BB_ERR_USAGE);
    assert_non_null(strstr(why, "ask"));
    full_request(&r, tools);
    r.extra_json = "[1]";
    assert_int_equal(llm_request_to_json(&r, &out, why, sizeof why), BB_ERR_USAGE);
    full_request(&r, tools);
    r.headers = crlf;
    r.n_headers = 1;
    assert_int_equal(llm_request_to_json(&r, &out, why, sizeof why), BB_ERR_USAGE);
    r.headers = nocolon;
    assert_int_equal(llm_request_to_json(&r, &out, why, sizeof why), BB_ERR_USAGE);
    r.headers = many;
    r.n_headers = LLM_MAX_HEADERS + 1;
    assert_int_equal(llm_request_to_json(&r, &out, why, sizeof why), BB_ERR_LIMIT);
    assert_int_equal(out.len, 0);
    bb_buf_free(&out);
}

/* jansson cannot tell an allocation failure from bad text while parsing
 * (both report a syntax error), so this test gives the schema and the extra
 * object as json_t values: every failure must then come back as NOMEM. */
static void test_out_of_memory_everywhere(void **state)
{
    llm_request r;
    llm_tool tools[2];
    bb_buf out;
    bb_result rc;
    json_error_t err;
    json_t *extra = json_loads("{\"provider\":{\"order\":[\"groq\"]}}", 0, &err);
    long k;
    int failures = 0;

    (void)state;
    full_request(&r, tools);
    tools[1].parameters = schema;
    r.extra = extra;
    r.extra_json = NULL;
    for (k = 0; k < 10000; k++) {
        bb_buf_init(&out, LLM_MAX_REQUEST_BYTES);
        bb_alloc_fail_after(k);
        rc = llm_request_to_json(&r, &out, NULL, 0);
        bb_alloc_fail_after(-1);
        bb_buf_free(&out);
        if (rc == BB_OK)
            break;
        assert_int_equal(rc, BB_ERR_NOMEM);
        failures++;
    }
    print_message("# request rendering survived %d injected allocation failures\n", failures);
    assert_true(failures > 10);
    assert_true(k < 10000);
    json_decref(extra);
}

static int teardown(void **state)
{
    (void)state;
    json_decref(schema);
    return 0;
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_full_request),
        cmocka_unit_test(test_tool_choice_forms),
        cmocka_unit_test(test_refused),
        cmocka_unit_test(test_out_of_memory_everywhere),
    };

    bb_json_init();
    return cmocka_run_group_tests(tests, NULL, teardown);
}
