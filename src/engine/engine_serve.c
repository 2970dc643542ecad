/*
 * engine_serve.c — the HTTP front of the engine (see engine_serve.h).
 */
#include "engine/engine_serve.h"

#include <arpa/inet.h>
#include <microhttpd.h>
#include <netinet/in.h>
#include <pthread.h>
#include <string.h>

#include "util/alloc.h"
#include "util/buf.h"

#define ES_MAX_BODY ((size_t)1024 * 1024) /* bytes of a request body accepted over HTTP */
#define ES_MAX_QUERY 64                   /* query arguments passed on */

struct eng_server {
    struct MHD_Daemon *daemon;
    eng_engine *engine;
    pthread_mutex_t lock;
    unsigned long requests;
    int port;
};

typedef struct es_conn {
    bb_buf body;
    int too_large;
} es_conn;

typedef struct es_query {
    const char *kv[2 * ES_MAX_QUERY + 2];
    size_t n;
} es_query;

static enum MHD_Result es_collect(void *cls, enum MHD_ValueKind kind, const char *key, const char *value)
{
    es_query *q = cls;

    (void)kind;
    if (q->n < ES_MAX_QUERY && key && value) {
        q->kv[2 * q->n] = key;
        q->kv[2 * q->n + 1] = value;
        q->n++;
    }
    return MHD_YES;
}

static enum MHD_Result es_send(struct MHD_Connection *c, int status, const char *body, size_t len)
{
    struct MHD_Response *resp = MHD_create_response_from_buffer(len, (void *)body, MHD_RESPMEM_MUST_COPY);
    enum MHD_Result r;

    if (!resp)
        return MHD_NO;
    if (len > 0)
        MHD_add_response_header(resp, "Content-Type", "application/json");
    r = MHD_queue_response(c, (unsigned)status, resp);
    MHD_destroy_response(resp);
    return r;
}

static enum MHD_Result es_handle(void *cls, struct MHD_Connection *c, const char *url, const char *method,
                                 const char *version, const char *upload_data, size_t *upload_size, void **con_cls)
{
    eng_server *s = cls;
    es_conn *cc = *con_cls;
    eng_request req;
    eng_response resp;
    es_query q;
    enum MHD_Result r;
    bb_result rc;

    (void)version;
    if (!cc) {
        cc = bb_calloc(1, sizeof *cc);
        if (!cc)
            return MHD_NO;
        bb_buf_init(&cc->body, ES_MAX_BODY);
        *con_cls = cc;
        return MHD_YES;
    }
    if (*upload_size > 0) {
        if (!cc->too_large && bb_buf_append(&cc->body, upload_data, *upload_size) != BB_OK)
            cc->too_large = 1;
        *upload_size = 0;
        return MHD_YES;
    }
    if (strcmp(url, "/health") == 0 && strcmp(method, "GET") == 0)
        return es_send(c, 200, "{\"status\":\"ok\"}", 15);
    if (cc->too_large)
        return es_send(c, 413, "{\"status\":413,\"message\":\"request body too large\"}", 49);
    memset(&q, 0, sizeof q);
    MHD_get_connection_values(c, MHD_GET_ARGUMENT_KIND, es_collect, &q);
    memset(&req, 0, sizeof req);
    req.method = method;
    req.path = url;
    req.authorization = MHD_lookup_connection_value(c, MHD_HEADER_KIND, "Authorization");
    req.body = cc->body.len ? cc->body.data : NULL;
    req.body_len = cc->body.len;
    req.query = q.kv;
    eng_response_init(&resp);
    pthread_mutex_lock(&s->lock);
    s->requests++;
    rc = eng_handle(s->engine, &req, &resp);
    pthread_mutex_unlock(&s->lock);
    if (rc != BB_OK)
        r = es_send(c, 500, "{\"status\":500,\"message\":\"engine failure\",\"engine\":true}", 56);
    else
        r = es_send(c, resp.status, bb_buf_str(&resp.body), resp.body.len);
    eng_response_free(&resp);
    return r;
}

static void es_completed(void *cls, struct MHD_Connection *c, void **con_cls, enum MHD_RequestTerminationCode t)
{
    es_conn *cc = *con_cls;

    (void)cls;
    (void)c;
    (void)t;
    if (cc) {
        bb_buf_free(&cc->body);
        bb_free(cc);
        *con_cls = NULL;
    }
}

bb_result eng_server_start(eng_engine *e, int port, eng_server **out)
{
    eng_server *s;
    struct sockaddr_in addr;
    const union MHD_DaemonInfo *info;

    *out = NULL;
    if (port < 0 || port > 65535)
        return BB_ERR_USAGE;
    s = bb_calloc(1, sizeof *s);
    if (!s)
        return BB_ERR_NOMEM;
    s->engine = e;
    if (pthread_mutex_init(&s->lock, NULL) != 0) {
        bb_free(s);
        return BB_ERR_NOMEM;
    }
    memset(&addr, 0, sizeof addr);
    addr.sin_family = AF_INET;
    addr.sin_port = htons((uint16_t)port);
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    s->daemon = MHD_start_daemon(MHD_USE_THREAD_PER_CONNECTION | MHD_USE_INTERNAL_POLLING_THREAD | MHD_USE_POLL, 0,
                                 NULL, NULL, es_handle, s, MHD_OPTION_SOCK_ADDR, &addr, MHD_OPTION_NOTIFY_COMPLETED,
                                 es_completed, s, MHD_OPTION_CONNECTION_LIMIT, (unsigned)256,
                                 MHD_OPTION_CONNECTION_TIMEOUT, (unsigned)60, MHD_OPTION_END);
    if (!s->daemon) {
        pthread_mutex_destroy(&s->lock);
        bb_free(s);
        return BB_ERR_IO;
    }
    info = MHD_get_daemon_info(s->daemon, MHD_DAEMON_INFO_BIND_PORT);
    s->port = info ? info->port : port;
    *out = s;
    return BB_OK;
}

int eng_server_port(const eng_server *s)
{
    return s->port;
}

unsigned long eng_server_requests(eng_server *s)
{
    unsigned long n;

    pthread_mutex_lock(&s->lock);
    n = s->requests;
    pthread_mutex_unlock(&s->lock);
    return n;
}

void eng_server_stop(eng_server *s)
{
    if (!s)
        return;
    MHD_stop_daemon(s->daemon);
    pthread_mutex_destroy(&s->lock);
    bb_free(s);
}
