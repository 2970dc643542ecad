/*
 * log.c — leveled logging (see log.h). The level is process configuration
 * written once at start-up, the only such setting outside a context struct.
 */
#include "log.h"

#include <stdarg.h>
#include <stdio.h>

static bb_log_level bb_log_level_now = BB_LOG_WARN;

void bb_log_set_level(bb_log_level level)
{
    bb_log_level_now = level;
}

bb_log_level bb_log_get_level(void)
{
    return bb_log_level_now;
}

void bb_log(bb_log_level level, const char *fmt, ...)
{
    static const char *const names[] = {"debug", "info", "warning", "error", ""};
    va_list ap;

    if (level < bb_log_level_now || level >= BB_LOG_SILENT)
        return;
    fprintf(stderr, "backbench: %s: ", names[level]);
    va_start(ap, fmt);
    vfprintf(stderr, fmt, ap);
    va_end(ap);
    fputc('\n', stderr);
}
