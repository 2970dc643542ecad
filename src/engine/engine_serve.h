/*
 * engine_serve.h — exposes an engine over HTTP on loopback (libmicrohttpd),
 * for `backbench serve` and the end-to-end tests.
 *
 * One listening socket on 127.0.0.1; every request is turned into an
 * eng_request (method, path, query arguments, Authorization header, body up
 * to the engine's body cap) and answered with the engine's status and JSON
 * body. Requests are serialised by a mutex (the engine is single-threaded);
 * GET /health answers {"status":"ok"} without touching the engine.
 */
#ifndef BB_ENGINE_SERVE_H
#define BB_ENGINE_SERVE_H

#include "engine/engine.h"
#include "util/result.h"

typedef struct eng_server eng_server;

/* port 0: any free port (eng_server_port tells which). e must outlive the server. */
bb_result eng_server_start(eng_engine *e, int port, eng_server **out /* OUT */);
int eng_server_port(const eng_server *s);
unsigned long eng_server_requests(eng_server *s);
void eng_server_stop(eng_server *s);

#endif
