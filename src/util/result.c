/*
 * result.c — descriptions and stable names of bb_result codes.
 */
#include "result.h"

static const struct {
    const char *name;
    const char *text;
} bb_result_info[BB_RESULT_COUNT_] = {
    [BB_OK] = {"ok", "success"},
    [BB_ERR_NOMEM] = {"nomem", "out of memory"},
    [BB_ERR_LIMIT] = {"limit", "a size, depth or count limit was exceeded"},
    [BB_ERR_IO] = {"io", "input/output error"},
    [BB_ERR_PARSE] = {"parse", "could not parse input"},
    [BB_ERR_SCHEMA] = {"schema", "invalid or unsupported schema"},
    [BB_ERR_INVALID] = {"invalid", "document is invalid"},
    [BB_ERR_USAGE] = {"usage", "invalid usage"},
    [BB_ERR_UNSUPPORTED] = {"unsupported", "not supported"},
    [BB_ERR_NOT_FOUND] = {"not_found", "not found"},
    [BB_ERR_HTTP] = {"http", "HTTP error"},
    [BB_ERR_TIMEOUT] = {"timeout", "timed out"},
    [BB_ERR_DB] = {"db", "database error"},
    [BB_ERR_INTERNAL] = {"internal", "internal error"},
    [BB_ERR_TRUNCATED] = {"truncated", "input ended early"},
};

const char *bb_strerror(bb_result rc)
{
    if ((unsigned)rc >= BB_RESULT_COUNT_)
        return "unknown error";
    return bb_result_info[rc].text;
}

const char *bb_result_name(bb_result rc)
{
    if ((unsigned)rc >= BB_RESULT_COUNT_)
        return "unknown";
    return bb_result_info[rc].name;
}
