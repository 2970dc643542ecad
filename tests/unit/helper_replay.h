/*
 * helper_replay.h — a loopback HTTP/1.1 server for tests of the LLM client.
 *
 * replay_start listens on 127.0.0.1 (a free port) and serves every
 * connection in its own thread: it reads one request (headers and a
 * Content-Length body), asks the test's handler for a reply, and writes it
 * the way a real server would: fixed length or chunked, split into writes at
 * chosen or seeded-random byte boundaries, optionally after a delay, with a
 * stall, cut short (the connection closed mid-body), or followed by N bytes
 * of garbage. Then it closes the connection. Handlers are called one at a
 * time (under the server's lock), so they may update test state freely.
 * The server counts requests and the most requests it had in flight at once.
 *
 * It uses plain malloc, not bb_malloc, so allocation-failure injection in the
 * code under test never hits the server's threads.
 */
#ifndef BB_HELPER_REPLAY_H
#define BB_HELPER_REPLAY_H

#include <stddef.h>

typedef struct replay_request {
    int seq;                 /* 0-based arrival number */
    char method[16];
    char path[512];
    const char *headers;     /* raw header block, "Name: value\r\n" lines */
    const char *body;
    size_t body_len;
    double t_ms;             /* arrival time, monotonic ms */
} replay_request;

typedef struct replay_reply {
    int status;              /* HTTP status; 0: close the connection without a reply */
    const char *content_type;     /* NULL: application/json */
    const char *extra_headers;    /* e.g. "Retry-After: 2\r\n", or NULL */
    const char *body;        /* borrowed: must outlive the server */
    size_t body_len;
    int chunked;             /* Transfer-Encoding: chunked */
    size_t split;            /* max bytes per write; 0: whole body at once */
    unsigned seed;           /* non-zero: random write sizes in 1..split from this seed */
    int delay_ms;            /* wait before the status line */
    long stall_at;           /* >= 0: after this many body bytes, stall stall_ms then close */
    int stall_ms;
    long cut_at;             /* >= 0: after this many body bytes, close (no terminator) */
    size_t garbage;          /* after the headers, send this many bytes of junk (no length) */
} replay_reply;

/* Fills `reply` (pre-initialised by the server: 200, whole body, no faults). */
typedef void (*replay_handler_fn)(void *user, const replay_request *req, replay_reply *reply);

typedef struct replay_server replay_server;

/* Counts requests in flight across several servers (set with replay_set_group). */
typedef struct replay_group {
    int in_flight;
    int max_in_flight;
    void *mu;  /* internal */
} replay_group;

void replay_group_init(replay_group *g);
void replay_group_free(replay_group *g);
int replay_group_max(replay_group *g);
/* Call before any request reaches s. */
void replay_set_group(replay_server *s, replay_group *g);

replay_server *replay_start(replay_handler_fn fn, void *user);
/* Stops listening, wakes stalled connections, waits for every thread, frees. */
void replay_stop(replay_server *s);
/* "http://127.0.0.1:PORT" */
const char *replay_base_url(const replay_server *s);
int replay_port(const replay_server *s);
int replay_request_count(replay_server *s);
int replay_max_in_flight(replay_server *s);
/* A port on 127.0.0.1 with nothing listening (bound, then closed). */
int replay_free_port(void);
double replay_now_ms(void);

#endif
