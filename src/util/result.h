/*
 * result.h — the project-wide result enum.
 *
 * Every fallible function in backbench returns a bb_result; BB_OK is zero so
 * `if (rc != BB_OK)` reads naturally. Values are only ever appended (never
 * renumbered), because they are stored in the results database and printed in
 * reports. bb_strerror() gives a short, stable English description.
 */
#ifndef BB_RESULT_H
#define BB_RESULT_H

typedef enum bb_result {
    BB_OK = 0,
    BB_ERR_NOMEM,        /* an allocation failed */
    BB_ERR_LIMIT,        /* a named size/depth/count limit was exceeded */
    BB_ERR_IO,           /* reading or writing a file or socket failed */
    BB_ERR_PARSE,        /* input could not be parsed, even leniently */
    BB_ERR_SCHEMA,       /* a schema could not be loaded or compiled */
    BB_ERR_INVALID,      /* a document does not satisfy its schema or checks */
    BB_ERR_USAGE,        /* bad command-line usage or API misuse */
    BB_ERR_UNSUPPORTED,  /* a feature or keyword that is not implemented */
    BB_ERR_NOT_FOUND,    /* a named thing does not exist */
    BB_ERR_HTTP,         /* an HTTP exchange failed (status or protocol) */
    BB_ERR_TIMEOUT,      /* a connect, total or stall timeout fired */
    BB_ERR_DB,           /* SQLite reported an error */
    BB_ERR_INTERNAL,     /* a broken internal invariant, reported not asserted */
    BB_ERR_TRUNCATED,    /* input ended early (stream, document) */
    BB_RESULT_COUNT_     /* keep last: number of codes */
} bb_result;

/* A short description of rc; never NULL, never needs freeing. */
const char *bb_strerror(bb_result rc);

/* A stable lower-case identifier for rc ("nomem", "limit", ...). */
const char *bb_result_name(bb_result rc);

#endif
