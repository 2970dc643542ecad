/*
 * progress.h — showing a run's progress (bench_run events, run.h).
 *
 * Four styles: on a terminal a one-line bar redrawn in place (units
 * done/total, rounds, tokens in/out, cost, ETA); elsewhere one plain line per
 * finished unit and a summary; --json one JSON object per event (plan, unit,
 * stop, end; ticks are not written) for machines: {"event", "model", the
 * unit's fields for "unit" events, "totals": {running totals}}; --quiet only
 * the summary.
 * bench_progress_event is a bench_event_fn.
 */
#ifndef BB_BENCH_PROGRESS_H
#define BB_BENCH_PROGRESS_H

#include <stdio.h>

#include "bench/run.h"

typedef enum bench_progress_style {
    BENCH_PROGRESS_BAR = 0,
    BENCH_PROGRESS_LINES,
    BENCH_PROGRESS_JSON,
    BENCH_PROGRESS_QUIET
} bench_progress_style;

typedef struct bench_progress {
    FILE *out;
    bench_progress_style style;
    int bar_shown; /* a bar line is on screen (to be cleared before a plain line) */
} bench_progress;

/* BAR when out is a terminal, else LINES; json and quiet override. */
void bench_progress_init(bench_progress *p, FILE *out, int json, int quiet);

/* ctx: a bench_progress. */
void bench_progress_event(void *ctx, const bench_run_event *ev);

/* "1h02m", "3m07s", "12s" into buf; "?" for negative. */
void bench_progress_duration(double seconds, char *buf, size_t size);

#endif
