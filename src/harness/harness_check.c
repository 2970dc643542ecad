/*
 * harness_check.c — parse, repair, coerce, validate, semantic checks for one
 * tool call's arguments (see harness_check.h).
 */
#include "harness_check.h"

#include <string.h>

#include "util/buf.h"

const char *harness_mode_name(harness_mode m)
{
    switch (m) {
    case HARNESS_MODE_RAW: return "raw";
    case HARNESS_MODE_REPAIR: return "repair";
    case HARNESS_MODE_FULL: return "full";
    }
    return "unknown";
}

int harness_mode_parse(const char *s)
{
    if (strcmp(s, "raw") == 0)
        return HARNESS_MODE_RAW;
    if (strcmp(s, "repair") == 0)
        return HARNESS_MODE_REPAIR;
    if (strcmp(s, "full") == 0)
        return HARNESS_MODE_FULL;
    return -1;
}

const char *harness_verdict_name(harness_verdict v)
{
    switch (v) {
    case HARNESS_VALID: return "valid";
    case HARNESS_VALID_REPAIRED: return "valid_repaired";
    case HARNESS_INVALID: return "invalid";
    case HARNESS_UNPARSEABLE: return "unparseable";
    }
    return "unknown";
}

/* Reports a failed parse as one located error, with the text around it. */
static bb_result harness_check_parse_error(const char *text, size_t len, const json_parse_result *p,
                                           schema_errors *errs)
{
    size_t from = p->err_pos > 40 ? p->err_pos - 40 : 0, to = p->err_pos + 40;
    bb_buf near, msg;
    bb_result rc;

    if (to > len)
        to = len;
    if (from > to)
        from = to;
    bb_buf_init(&near, 1024);
    bb_buf_init(&msg, 1024);
    rc = bb_buf_put_json_string(&near, text + from, to - from);
    if (rc == BB_OK)
        rc = bb_buf_printf(&msg, "your arguments are not JSON: %s at line %u, column %u (byte %zu)",
                           p->err_msg[0] ? p->err_msg : "parse error", p->err_line, p->err_col, p->err_pos);
    if (rc == BB_OK)
        rc = schema_errors_add(errs, SCHEMA_ERR_PARSE, "$input", "JSON value", bb_buf_str(&near),
                               bb_buf_str(&msg));
    bb_buf_free(&near);
    bb_buf_free(&msg);
    return rc;
}

bb_result harness_check(const char *text, size_t len, const schema *s, harness_mode mode,
                        const harness_hook *hook, harness_check_result *out)
{
    json_parse_params pp = json_parse_default_params();
    bb_result rc;

    memset(out, 0, sizeof *out);
    schema_errors_init(&out->errors, SCHEMA_ERRORS_MAX_DEFAULT);
    pp.strict = mode == HARNESS_MODE_RAW;
    rc = json_parse(text, len, &pp, &out->parse);
    if (rc == BB_ERR_NOMEM)
        return rc;
    if (rc != BB_OK || !out->parse.value) {
        out->verdict = HARNESS_UNPARSEABLE;
        return harness_check_parse_error(text, len, &out->parse, &out->errors);
    }
    if (mode != HARNESS_MODE_RAW) {
        rc = schema_coerce(s, &out->parse.value, &out->parse.repairs);
        if (rc != BB_OK)
            return rc;
    }
    rc = schema_validate(s, out->parse.value, &out->errors);
    if (rc != BB_OK && rc != BB_ERR_INVALID)
        return rc;
    out->n_schema_errors = schema_errors_total(&out->errors);
    if (out->n_schema_errors == 0 && hook && hook->check) {
        rc = hook->check(hook->ctx, out->parse.value, &out->errors);
        if (rc != BB_OK)
            return rc;
        out->n_semantic_errors = schema_errors_total(&out->errors);
    }
    if (schema_errors_total(&out->errors) > 0)
        out->verdict = HARNESS_INVALID;
    else if (out->parse.repairs.n + out->parse.repairs.dropped > 0)
        out->verdict = HARNESS_VALID_REPAIRED;
    else
        out->verdict = HARNESS_VALID;
    return BB_OK;
}

void harness_check_result_free(harness_check_result *r)
{
    if (!r)
        return;
    json_parse_result_free(&r->parse);
    schema_errors_free(&r->errors);
}
