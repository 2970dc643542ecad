/*
 * helper_replay.c — the loopback replay server for LLM client tests (see
 * helper_replay.h). One accept thread; one thread per connection.
 */
#include "helper_replay.h"

#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#define REPLAY_MAX_HEADER 65536
#define REPLAY_MAX_BODY (64 * 1024 * 1024)

struct replay_server {
    int fd;
    int port;
    char base[64];
    replay_handler_fn fn;
    void *user;
    pthread_t accept_thread;
    pthread_mutex_t mu;
    pthread_cond_t cv;
    int stopping;
    int threads;      /* live connection threads */
    int requests;
    int in_flight;
    int max_in_flight;
    replay_group *group;
};

typedef struct conn {
    replay_server *s;
    int fd;
} conn;

double replay_now_ms(void)
{
    struct timespec ts;

    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec * 1000.0 + (double)ts.tv_nsec / 1e6;
}

static int stopping(replay_server *s)
{
    int v;

    pthread_mutex_lock(&s->mu);
    v = s->stopping;
    pthread_mutex_unlock(&s->mu);
    return v;
}

/* Sleeps ms in small steps, returning early when the server stops. */
static void nap(replay_server *s, int ms)
{
    struct timespec ts = {0, 10 * 1000 * 1000};

    while (ms > 0 && !stopping(s)) {
        nanosleep(&ts, NULL);
        ms -= 10;
    }
}

static int send_all(int fd, const char *p, size_t n)
{
    ssize_t w;

    while (n > 0) {
        w = send(fd, p, n, MSG_NOSIGNAL);
        if (w < 0 && errno == EINTR)
            continue;
        if (w <= 0)
            return -1;
        p += w;
        n -= (size_t)w;
    }
    return 0;
}

/* The value of header `name` (case-insensitive) in a raw header block, or NULL. */
static const char *find_header(const char *hdr, const char *name)
{
    size_t n = strlen(name);
    const char *p = hdr;

    while (p && *p) {
        if (strncasecmp(p, name, n) == 0 && p[n] == ':')
            return p + n + 1;
        p = strstr(p, "\r\n");
        if (p)
            p += 2;
    }
    return NULL;
}

/* Reads one request: headers into hdr, body (malloc'd) into *body. */
static int read_request(int fd, char *hdr, size_t hdr_cap, char **body, size_t *body_len)
{
    size_t have = 0, clen = 0, blen;
    char *end = NULL, *cl, *b;
    ssize_t r;

    *body = NULL;
    *body_len = 0;
    while (!end) {
        if (have + 1 >= hdr_cap)
            return -1;
        r = recv(fd, hdr + have, hdr_cap - 1 - have, 0);
        if (r < 0 && errno == EINTR)
            continue;
        if (r <= 0)
            return -1;
        have += (size_t)r;
        hdr[have] = '\0';
        end = strstr(hdr, "\r\n\r\n");
    }
    cl = (char *)find_header(hdr, "content-length");
    if (cl && cl < end)
        clen = strtoul(cl, NULL, 10);
    if (clen > REPLAY_MAX_BODY)
        return -1;
    b = malloc(clen + 1);
    if (!b)
        return -1;
    blen = have - (size_t)(end + 4 - hdr);
    if (blen > clen)
        blen = clen;
    memcpy(b, end + 4, blen);
    end[2] = '\0'; /* keep the last header's CRLF */
    while (blen < clen) {
        r = recv(fd, b + blen, clen - blen, 0);
        if (r < 0 && errno == EINTR)
            continue;
        if (r <= 0) {
            free(b);
            return -1;
        }
        blen += (size_t)r;
    }
    b[blen] = '\0';
    *body = b;
    *body_len = blen;
    return 0;
}

static unsigned next_rand(unsigned *s)
{
    *s = *s * 1103515245u + 12345u;
    return (*s >> 8) & 0xFFFFFFu;
}

/* Sends body bytes [from, to) as the reply asks (chunking, splits). */
static int send_body_part(int fd, const replay_reply *rp, size_t from, size_t to, unsigned *rng)
{
    char line[32];
    size_t n;

    while (from < to) {
        n = to - from;
        if (rp->split > 0) {
            size_t lim = rp->seed ? 1 + next_rand(rng) % rp->split : rp->split;
            if (n > lim)
                n = lim;
        }
        if (rp->chunked) {
            snprintf(line, sizeof line, "%zx\r\n", n);
            if (send_all(fd, line, strlen(line)) || send_all(fd, rp->body + from, n) ||
                send_all(fd, "\r\n", 2))
                return -1;
        } else if (send_all(fd, rp->body + from, n)) {
            return -1;
        }
        from += n;
    }
    return 0;
}

static void send_reply(replay_server *s, int fd, const replay_reply *rp)
{
    char head[1024];
    unsigned rng = rp->seed;
    size_t len = rp->body_len, stop = len;
    char junk[4096];
    size_t sent;

    if (rp->delay_ms > 0)
        nap(s, rp->delay_ms);
    if (rp->status == 0)
        return;
    if (rp->garbage > 0) {
        snprintf(head, sizeof head, "HTTP/1.1 %d X\r\nContent-Type: %s\r\nConnection: close\r\n\r\n",
                 rp->status, rp->content_type ? rp->content_type : "application/json");
        if (send_all(fd, head, strlen(head)))
            return;
        memset(junk, 'x', sizeof junk);
        for (sent = 0; sent < rp->garbage && !stopping(s); sent += sizeof junk)
            if (send_all(fd, junk, sizeof junk))
                return;
        return;
    }
    snprintf(head, sizeof head, "HTTP/1.1 %d X\r\nContent-Type: %s\r\n%s%s%zu\r\nConnection: close\r\n\r\n",
             rp->status, rp->content_type ? rp->content_type : "application/json",
             rp->extra_headers ? rp->extra_headers : "",
             rp->chunked ? "Transfer-Encoding: chunked\r\nX-Len: " : "Content-Length: ", len);
    if (send_all(fd, head, strlen(head)))
        return;
    if (rp->stall_at >= 0 && (size_t)rp->stall_at < stop)
        stop = (size_t)rp->stall_at;
    if (rp->cut_at >= 0 && (size_t)rp->cut_at < stop)
        stop = (size_t)rp->cut_at;
    if (send_body_part(fd, rp, 0, stop, &rng))
        return;
    if (rp->stall_at >= 0 && stop == (size_t)rp->stall_at) {
        nap(s, rp->stall_ms);
        return;
    }
    if (stop < len)
        return; /* cut */
    if (rp->chunked)
        send_all(fd, "0\r\n\r\n", 5);
}

void replay_group_init(replay_group *g)
{
    pthread_mutex_t *mu = malloc(sizeof *mu);

    memset(g, 0, sizeof *g);
    if (mu)
        pthread_mutex_init(mu, NULL);
    g->mu = mu;
}

void replay_group_free(replay_group *g)
{
    if (g->mu) {
        pthread_mutex_destroy(g->mu);
        free(g->mu);
    }
    g->mu = NULL;
}

static void group_add(replay_group *g, int d)
{
    if (!g || !g->mu)
        return;
    pthread_mutex_lock(g->mu);
    g->in_flight += d;
    if (g->in_flight > g->max_in_flight)
        g->max_in_flight = g->in_flight;
    pthread_mutex_unlock(g->mu);
}

int replay_group_max(replay_group *g)
{
    int n;

    pthread_mutex_lock(g->mu);
    n = g->max_in_flight;
    pthread_mutex_unlock(g->mu);
    return n;
}

void replay_set_group(replay_server *s, replay_group *g)
{
    pthread_mutex_lock(&s->mu);
    s->group = g;
    pthread_mutex_unlock(&s->mu);
}

static void *conn_main(void *arg)
{
    conn *c = arg;
    replay_server *s = c->s;
    char *hdr = malloc(REPLAY_MAX_HEADER), *body = NULL;
    replay_request rq;
    replay_reply rp;
    size_t body_len = 0;

    if (hdr && read_request(c->fd, hdr, REPLAY_MAX_HEADER, &body, &body_len) == 0) {
        memset(&rq, 0, sizeof rq);
        memset(&rp, 0, sizeof rp);
        rp.status = 200;
        rp.stall_at = -1;
        rp.cut_at = -1;
        sscanf(hdr, "%15s %511s", rq.method, rq.path);
        rq.headers = strstr(hdr, "\r\n") ? strstr(hdr, "\r\n") + 2 : "";
        rq.body = body;
        rq.body_len = body_len;
        rq.t_ms = replay_now_ms();
        pthread_mutex_lock(&s->mu);
        rq.seq = s->requests++;
        s->in_flight++;
        if (s->in_flight > s->max_in_flight)
            s->max_in_flight = s->in_flight;
        s->fn(s->user, &rq, &rp);
        pthread_mutex_unlock(&s->mu);
        group_add(s->group, 1);
        /* The request counts as in flight until its reply starts: once the
         * last byte is written the client may (rightly) send its next request
         * before this thread gets to count the reply as done, which would
         * make a correct client look one over its limit. */
        if (rp.delay_ms > 0) {
            nap(s, rp.delay_ms);
            rp.delay_ms = 0;
        }
        group_add(s->group, -1);
        pthread_mutex_lock(&s->mu);
        s->in_flight--;
        pthread_mutex_unlock(&s->mu);
        send_reply(s, c->fd, &rp);
    }
    shutdown(c->fd, SHUT_WR);
    close(c->fd);
    free(body);
    free(hdr);
    pthread_mutex_lock(&s->mu);
    s->threads--;
    pthread_cond_broadcast(&s->cv);
    pthread_mutex_unlock(&s->mu);
    free(c);
    return NULL;
}

static void *accept_main(void *arg)
{
    replay_server *s = arg;
    struct pollfd pfd;
    pthread_t t;
    conn *c;
    int fd, one = 1;

    for (;;) {
        if (stopping(s))
            break;
        pfd.fd = s->fd;
        pfd.events = POLLIN;
        if (poll(&pfd, 1, 20) <= 0)
            continue;
        fd = accept(s->fd, NULL, NULL);
        if (fd < 0)
            continue;
        setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
        c = malloc(sizeof *c);
        if (!c) {
            close(fd);
            continue;
        }
        c->s = s;
        c->fd = fd;
        pthread_mutex_lock(&s->mu);
        s->threads++;
        pthread_mutex_unlock(&s->mu);
        if (pthread_create(&t, NULL, conn_main, c) != 0) {
            close(fd);
            free(c);
            pthread_mutex_lock(&s->mu);
            s->threads--;
            pthread_mutex_unlock(&s->mu);
            continue;
        }
        pthread_detach(t);
    }
    return NULL;
}

static int listen_loopback(int *port)
{
    struct sockaddr_in a;
    socklen_t alen = sizeof a;
    int fd = socket(AF_INET, SOCK_STREAM, 0), one = 1;

    if (fd < 0)
        return -1;
    setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
    memset(&a, 0, sizeof a);
    a.sin_family = AF_INET;
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    a.sin_port = 0;
    if (bind(fd, (struct sockaddr *)&a, sizeof a) || listen(fd, 512) ||
        getsockname(fd, (struct sockaddr *)&a, &alen)) {
        close(fd);
        return -1;
    }
    *port = ntohs(a.sin_port);
    return fd;
}

replay_server *replay_start(replay_handler_fn fn, void *user)
{
    replay_server *s = calloc(1, sizeof *s);

    if (!s)
        return NULL;
    s->fd = listen_loopback(&s->port);
    if (s->fd < 0) {
        free(s);
        return NULL;
    }
    s->fn = fn;
    s->user = user;
    snprintf(s->base, sizeof s->base, "http://127.0.0.1:%d", s->port);
    pthread_mutex_init(&s->mu, NULL);
    pthread_cond_init(&s->cv, NULL);
    if (pthread_create(&s->accept_thread, NULL, accept_main, s) != 0) {
        close(s->fd);
        free(s);
        return NULL;
    }
    return s;
}

void replay_stop(replay_server *s)
{
    if (!s)
        return;
    pthread_mutex_lock(&s->mu);
    s->stopping = 1;
    pthread_mutex_unlock(&s->mu);
    pthread_join(s->accept_thread, NULL);
    close(s->fd);
    pthread_mutex_lock(&s->mu);
    while (s->threads > 0)
        pthread_cond_wait(&s->cv, &s->mu);
    pthread_mutex_unlock(&s->mu);
    pthread_mutex_destroy(&s->mu);
    pthread_cond_destroy(&s->cv);
    free(s);
}

const char *replay_base_url(const replay_server *s)
{
    return s->base;
}

int replay_port(const replay_server *s)
{
    return s->port;
}

int replay_request_count(replay_server *s)
{
    int n;

    pthread_mutex_lock(&s->mu);
    n = s->requests;
    pthread_mutex_unlock(&s->mu);
    return n;
}

int replay_max_in_flight(replay_server *s)
{
    int n;

    pthread_mutex_lock(&s->mu);
    n = s->max_in_flight;
    pthread_mutex_unlock(&s->mu);
    return n;
}

int replay_free_port(void)
{
    int port = 0, fd = listen_loopback(&port);

    if (fd < 0)
        return 0;
    close(fd);
    return port;
}
