/*
 * log.h — leveled logging to standard error.
 *
 * Messages below the current level are dropped. The level is set once at
 * start-up from the command line (--verbose/--quiet); logging never receives
 * secrets (API keys are read only by the HTTP layer and never formatted).
 */
#ifndef BB_LOG_H
#define BB_LOG_H

typedef enum bb_log_level {
    BB_LOG_DEBUG = 0,
    BB_LOG_INFO,
    BB_LOG_WARN,
    BB_LOG_ERROR,
    BB_LOG_SILENT
} bb_log_level;

void bb_log_set_level(bb_log_level level);
bb_log_level bb_log_get_level(void);
void bb_log(bb_log_level level, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

#define BB_DEBUG(...) bb_log(BB_LOG_DEBUG, __VA_ARGS__)
#define BB_INFO(...) bb_log(BB_LOG_INFO, __VA_ARGS__)
#define BB_WARN(...) bb_log(BB_LOG_WARN, __VA_ARGS__)
#define BB_ERROR(...) bb_log(BB_LOG_ERROR, __VA_ARGS__)

#endif
