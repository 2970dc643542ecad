/*
 * feedback.h — what the model reads when its call was wrong.
 *
 * Renders the model's own (repaired) JSON, pretty-printed, with each error as
 * an inline comment on the offending line:
 *     "name": "Bad Name", // ❌ [{"path":"$input.models[0].name","expected":"string & SnakeCase"}]
 * a missing required property printed where it belongs as
 *     "name": undefined // ❌ [...]
 * errors whose path matches no line listed after the document, and, when the
 * errors are many, a short summary grouped by path pattern (indices replaced
 * by [*]) and expected type before the document. Output is deterministic.
 */
#ifndef BB_FEEDBACK_H
#define BB_FEEDBACK_H

#include <jansson.h>
#include <stddef.h>

#include "schema/schema_error.h"
#include "util/buf.h"
#include "util/result.h"

typedef struct feedback_params {
    int indent;               /* spaces per level (default 2) */
    size_t summary_threshold; /* print the grouped summary when errors >= this (default 6) */
    size_t max_bytes;         /* cap on the rendered text (default 256 KiB); past it, elide */
    size_t elide_lines;       /* when the pretty document has more lines than this (default
                               * 400), members without errors are elided (see docs/feedback.md) */
} feedback_params;

feedback_params feedback_default_params(void);

/* Appends the feedback for doc (may be NULL when nothing parsed: then only the
 * error list is printed) and errs to out. params may be NULL. The text added
 * never exceeds params->max_bytes nor the room left in out: past it, the text
 * ends with a "… (feedback cut at N bytes)" line. Returns BB_ERR_NOMEM on
 * allocation failure, BB_ERR_LIMIT only when not even that line fits; on an
 * error out is left as it was. Nothing is retained: doc and errs stay the
 * caller's. */
bb_result feedback_render(const json_t *doc, const schema_errors *errs, const feedback_params *params,
                          bb_buf *out);

#endif
