/*
 * fuzz_validate.c — libFuzzer target for validation, coercion and feedback:
 * the path every tool call takes after it was extracted.
 *
 * The input is parsed leniently (json_parse, as a model's arguments are;
 * inputs with nothing recoverable are dropped) and then (1) validated, with errors and as a probe, against
 * the compiled expression schema (tests/data/schema/expr.schema.json, found
 * from $BB_ROOT or the current directory), the two verdicts must agree;
 * (2) coerced against it and validated again; (3) compiled itself as a
 * schema (lenient: unknown keywords ignored), and when that succeeds the
 * input is validated and coerced against its own schema. For every invalid
 * verdict the feedback is rendered under a small byte cap. Invariants: no
 * crash, no leak, no sanitizer report, an invalid verdict always has errors,
 * the feedback never exceeds its cap.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "json/json_repair.h"
#include "json/json_util.h"
#include "schema/feedback.h"
#include "schema/schema.h"
#include "util/buf.h"

#define FUZZ_MAX_INPUT (256 * 1024)

static schema *fuzz_expr;

static void fuzz_init(void)
{
    const char *root = getenv("BB_ROOT");
    char path[4096];
    json_error_t jerr;
    json_t *doc;

    bb_json_init();
    snprintf(path, sizeof path, "%s/tests/data/schema/expr.schema.json", root ? root : ".");
    doc = json_load_file(path, 0, &jerr);
    if (!doc || schema_compile(doc, NULL, &fuzz_expr, NULL) != BB_OK) {
        fprintf(stderr, "fuzz_validate: cannot load %s (run from the repository root or set BB_ROOT)\n", path);
        abort();
    }
    json_decref(doc);
}

static void fuzz_check(const schema *s, json_t *doc)
{
    schema_errors errs;
    json_repair_list rl;
    json_t *copy;
    bb_result rc;

    schema_errors_init(&errs, 50);
    rc = schema_validate(s, doc, &errs);
    if (rc != BB_OK && rc != BB_ERR_INVALID)
        abort();
    if ((rc == BB_OK) != schema_is_valid(s, doc) || (rc == BB_ERR_INVALID && schema_errors_total(&errs) == 0))
        abort();
    if (rc == BB_ERR_INVALID) {
        feedback_params fp = feedback_default_params();
        bb_buf fb;
        bb_result frc;

        fp.max_bytes = 4096;
        bb_buf_init(&fb, 1 << 20);
        frc = feedback_render(doc, &errs, &fp, &fb);
        if ((frc == BB_OK && fb.len > fp.max_bytes) || (frc != BB_OK && frc != BB_ERR_NOMEM && frc != BB_ERR_LIMIT))
            abort();
        bb_buf_free(&fb);
    }
    schema_errors_free(&errs);
    copy = json_deep_copy(doc);
    if (!copy)
        return;
    json_repair_list_init(&rl, 100);
    if (schema_coerce(s, &copy, &rl) == BB_OK)
        (void)schema_is_valid(s, copy);
    json_repair_list_free(&rl);
    json_decref(copy);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    json_parse_result pr;
    json_t *doc;
    schema *self = NULL;
    schema_params lenient = schema_default_params();

    if (!fuzz_expr)
        fuzz_init();
    if (size > FUZZ_MAX_INPUT)
        return 0;
    if (json_parse((const char *)data, size, NULL, &pr) != BB_OK) {
        json_parse_result_free(&pr);
        return 0;
    }
    doc = json_incref(pr.value);
    json_parse_result_free(&pr);
    fuzz_check(fuzz_expr, doc);
    lenient.strict_keywords = 0;
    lenient.max_depth = 64;
    if (schema_compile(doc, &lenient, &self, NULL) == BB_OK) {
        fuzz_check(self, doc);
        schema_free(self);
    }
    json_decref(doc);
    return 0;
}
