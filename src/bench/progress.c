/*
 * progress.c — the progress bar, plain lines and JSON event lines of a run
 * (see progress.h). Output only: nothing here changes what is measured.
 */
#include "bench/progress.h"

#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include "util/buf.h"

#define PROGRESS_BAR_WIDTH 24
#define PROGRESS_LINE_MAX 4096

void bench_progress_init(bench_progress *p, FILE *out, int json, int quiet)
{
    memset(p, 0, sizeof *p);
    p->out = out;
    if (json)
        p->style = BENCH_PROGRESS_JSON;
    else if (quiet)
        p->style = BENCH_PROGRESS_QUIET;
    else
        p->style = isatty(fileno(out)) ? BENCH_PROGRESS_BAR : BENCH_PROGRESS_LINES;
}

void bench_progress_duration(double s, char *buf, size_t size)
{
    long t = (long)(s + 0.5);

    if (s < 0 || s > 1e9)
        snprintf(buf, size, "?");
    else if (t >= 3600)
        snprintf(buf, size, "%ldh%02ldm", t / 3600, (t / 60) % 60);
    else if (t >= 60)
        snprintf(buf, size, "%ldm%02lds", t / 60, t % 60);
    else
        snprintf(buf, size, "%lds", t);
}

/* 1234 -> "1.2k", 5600000 -> "5.6M". */
static void progress_count(long long v, char *buf, size_t size)
{
    if (v >= 1000000000LL)
        snprintf(buf, size, "%.1fG", (double)v / 1e9);
    else if (v >= 1000000LL)
        snprintf(buf, size, "%.1fM", (double)v / 1e6);
    else if (v >= 1000LL)
        snprintf(buf, size, "%.1fk", (double)v / 1e3);
    else
        snprintf(buf, size, "%lld", v);
}

static void progress_cost(const bench_run_totals *t, char *buf, size_t size)
{
    if (t->units_done == 0 || t->cost_known)
        snprintf(buf, size, "$%.4f", t->cost_usd);
    else if (t->cost_usd > 0)
        snprintf(buf, size, ">=$%.4f", t->cost_usd);
    else
        snprintf(buf, size, "$n/a");
}

static void progress_bar(bench_progress *p, const bench_run_event *ev)
{
    const bench_run_totals *t = ev->totals;
    long todo = t->units_total - t->units_skipped;
    char bar[PROGRESS_BAR_WIDTH + 1], in[32], out[32], cost[48], eta[32], line[512];
    struct winsize ws;
    double frac = todo > 0 ? (double)t->units_done / (double)todo : 1.0;
    int i, fill = (int)(frac * PROGRESS_BAR_WIDTH);

    for (i = 0; i < PROGRESS_BAR_WIDTH; i++)
        bar[i] = i < fill ? '#' : '.';
    bar[PROGRESS_BAR_WIDTH] = '\0';
    progress_count(t->tokens_in, in, sizeof in);
    progress_count(t->tokens_out, out, sizeof out);
    progress_cost(t, cost, sizeof cost);
    if (t->units_done > 0 && todo > t->units_done)
        bench_progress_duration(t->elapsed_s / (double)t->units_done * (double)(todo - t->units_done), eta,
                                sizeof eta);
    else
        snprintf(eta, sizeof eta, t->units_done > 0 ? "0s" : "?");
    snprintf(line, sizeof line, "%s [%s] %ld/%ld units  %ld rounds  %s in / %s out  %s  ETA %s", ev->model, bar,
             t->units_done, todo, t->rounds, in, out, cost, eta);
    /* a line wider than the terminal would wrap, and \r would redraw only its
     * last row: cut it to the width */
    if (ioctl(fileno(p->out), TIOCGWINSZ, &ws) == 0 && ws.ws_col > 1 && strlen(line) >= ws.ws_col)
        line[ws.ws_col - 1] = '\0';
    fprintf(p->out, "\r\033[K%s", line);
    fflush(p->out);
    p->bar_shown = 1;
}

static void progress_clear_bar(bench_progress *p)
{
    if (p->bar_shown) {
        fputs("\r\033[K", p->out);
        p->bar_shown = 0;
    }
}

static void progress_summary(bench_progress *p, const bench_run_event *ev)
{
    const bench_run_totals *t = ev->totals;
    char cost[48], el[32];

    progress_clear_bar(p);
    progress_cost(t, cost, sizeof cost);
    bench_progress_duration(t->elapsed_s, el, sizeof el);
    fprintf(p->out,
            "%s: %ld units done (%ld valid, %ld infrastructure failures), %ld already in the store, %ld of %ld left; "
            "%ld rounds, %lld tokens in / %lld out, %s, %s%s%s\n",
            ev->model, t->units_done, t->units_valid, t->units_infra, t->units_skipped,
            t->units_total - t->units_skipped - t->units_done, t->units_total, t->rounds, t->tokens_in,
            t->tokens_out, cost, el, t->stopped ? "; stopped: " : "", t->stopped ? t->stopped : "");
    fflush(p->out);
}

static void progress_json_totals(bb_buf *b, const bench_run_totals *t)
{
    (void)bb_buf_printf(b,
                        "\"units_total\":%ld,\"units_skipped\":%ld,\"units_done\":%ld,\"units_valid\":%ld,"
                        "\"units_infra\":%ld,\"units_running\":%ld,\"rounds\":%ld,\"tokens_in\":%lld,"
                        "\"tokens_out\":%lld,\"cost_usd\":%.6f,\"cost_known\":%s,\"elapsed_s\":%.3f,\"stopped\":",
                        t->units_total, t->units_skipped, t->units_done, t->units_valid, t->units_infra,
                        t->units_running, t->rounds, t->tokens_in, t->tokens_out, t->cost_usd,
                        t->cost_known ? "true" : "false", t->elapsed_s);
    if (t->stopped)
        (void)bb_buf_put_json_string(b, t->stopped, strlen(t->stopped));
    else
        (void)bb_buf_puts(b, "null");
}

static void progress_json(bench_progress *p, const bench_run_event *ev)
{
    bb_buf b;

    if (ev->kind == BENCH_EV_TICK)
        return;
    bb_buf_init(&b, PROGRESS_LINE_MAX);
    (void)bb_buf_printf(&b, "{\"event\":\"%s\",\"model\":", bench_event_kind_name(ev->kind));
    (void)bb_buf_put_json_string(&b, ev->model, strlen(ev->model));
    if (ev->kind == BENCH_EV_UNIT) {
        (void)bb_buf_puts(&b, ",\"task\":");
        (void)bb_buf_put_json_string(&b, ev->task, strlen(ev->task));
        (void)bb_buf_printf(&b, ",\"trial\":%d,\"outcome\":\"%s\",\"rounds\":%d,\"score\":", ev->trial, ev->outcome,
                            ev->rounds);
        (void)(ev->score < 0 ? bb_buf_puts(&b, "null") : bb_buf_printf(&b, "%.2f", ev->score));
        (void)bb_buf_printf(&b, ",\"tokens_in\":%lld,\"tokens_out\":%lld,\"cost_usd\":", ev->tokens_in,
                            ev->tokens_out);
        (void)(ev->cost_usd < 0 ? bb_buf_puts(&b, "null") : bb_buf_printf(&b, "%.6f", ev->cost_usd));
    }
    (void)bb_buf_puts(&b, ",\"totals\":{");
    progress_json_totals(&b, ev->totals);
    (void)bb_buf_puts(&b, "}}\n");
    fputs(bb_buf_str(&b), p->out);
    fflush(p->out);
    bb_buf_free(&b);
}

void bench_progress_event(void *ctx, const bench_run_event *ev)
{
    bench_progress *p = ctx;
    const bench_run_totals *t = ev->totals;

    switch (p->style) {
    case BENCH_PROGRESS_JSON:
        progress_json(p, ev);
        return;
    case BENCH_PROGRESS_QUIET:
        if (ev->kind == BENCH_EV_END)
            progress_summary(p, ev);
        return;
    case BENCH_PROGRESS_BAR:
        if (ev->kind == BENCH_EV_END) {
            progress_summary(p, ev);
        } else if (ev->kind == BENCH_EV_STOP) {
            progress_clear_bar(p);
            fprintf(p->out, "%s: stopped: %s; waiting for %ld unit(s) in flight\n", ev->model, t->stopped,
                    t->units_running);
        } else {
            progress_bar(p, ev);
        }
        return;
    case BENCH_PROGRESS_LINES:
        if (ev->kind == BENCH_EV_PLAN) {
            fprintf(p->out, "%s: %ld units, %ld already in the store, %ld to run\n", ev->model, t->units_total,
                    t->units_skipped, t->units_total - t->units_skipped);
        } else if (ev->kind == BENCH_EV_UNIT) {
            char score[16];

            if (ev->score < 0)
                snprintf(score, sizeof score, "unscored");
            else
                snprintf(score, sizeof score, "%.1f", ev->score);
            fprintf(p->out, "%s: [%ld/%ld] %s trial %d: %s, %d round%s, score %s, %lld in / %lld out%s%s\n",
                    ev->model, t->units_done, t->units_total - t->units_skipped, ev->task, ev->trial, ev->outcome,
                    ev->rounds, ev->rounds == 1 ? "" : "s", score, ev->tokens_in, ev->tokens_out,
                    ev->error ? " — " : "", ev->error ? ev->error : "");
        } else if (ev->kind == BENCH_EV_STOP) {
            fprintf(p->out, "%s: stopped: %s; waiting for %ld unit(s) in flight\n", ev->model, t->stopped,
                    t->units_running);
        } else if (ev->kind == BENCH_EV_END) {
            progress_summary(p, ev);
        }
        fflush(p->out);
        return;
    }
}
