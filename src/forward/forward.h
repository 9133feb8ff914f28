/*
 * forward.h - the forward-auth endpoint (/authz/forward): what nginx auth_request, Caddy
 * forward_auth, Traefik ForwardAuth and Envoy ext_authz (HTTP) ask, and what authz answers.
 *
 * The original request comes from exactly one convention: X-Forwarded-Method + X-Forwarded-Uri
 * (Caddy, Traefik), X-Original-Method + X-Original-URI (nginx), or the path after
 * /authz/forward with the request's own method (Envoy). Headers of two conventions, or one
 * header twice, are a 400, never a guess. The user is the --user-header value, or with a JWKS
 * the `sub` of a verified bearer token (then the header is ignored). The path becomes a
 * (resource, action) through the engine's route index (authz_route_match) and the answer is
 * authz_check's: 200 (with X-Authz-User and X-Authz-Resource), 403, 401 (+ WWW-Authenticate),
 * or 400 for a request that cannot be read safely.
 */
#ifndef AUTHZ_FORWARD_H
#define AUTHZ_FORWARD_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "authz.h"
#include "forward/declog.h"
#include "forward/jwt.h"

#define AUTHZ_FORWARD_PATH "/authz/forward"

typedef struct authz_forward_config {
    const char *user_header; /* default "X-User-Id" */
    const char *ns;          /* default "default" */
    bool allow_ns_header;    /* X-Authz-Namespace may pick the namespace */
    bool unmatched_allow;    /* a path no route matches: 200 instead of 403 */
    const char *jwks_path;   /* --jwks FILE */
    const char *issuer, *audience;
    const char *secret;       /* --forward-secret: required where the listener is not local */
    const char *decision_log; /* PATH or "-" */
    unsigned decision_log_sample;
    size_t decision_log_queue; /* default 65536 lines */
    const char *listen;        /* --forward-listen HOST:PORT */
    const char *unix_path;     /* --forward-unix PATH */
} authz_forward_config;

typedef struct authz_forward authz_forward;

/* What the server knows of the model's revision, for the decision log. */
typedef uint64_t (*authz_forward_revision_fn)(void *ctx);

/* Builds the endpoint (loads the JWKS, opens the decision log). NULL with `why` filled. */
authz_forward *authz_forward_new(const authz_forward_config *cfg, authz_engine *e,
                                 authz_forward_revision_fn rev, void *rev_ctx, char *why,
                                 size_t why_size);
void authz_forward_free(authz_forward *f);

/* One header of the auth request, as the HTTP server saw it (every occurrence). */
typedef struct authz_fwd_header {
    const char *name, *value;
} authz_fwd_header;

/* The request: its headers, its own method, the raw (undecoded) URI after /authz/forward (""
 * when nothing follows), and whether the listener that took it needs the forward secret. */
typedef struct authz_fwd_request {
    const authz_fwd_header *headers;
    size_t nheaders;
    const char *own_method;
    const char *suffix;
    bool needs_secret;
} authz_fwd_request;

/* Which convention the original request came in, and what it said. */
typedef struct authz_fwd_parsed {
    const char *method, *uri; /* point into the headers or the suffix */
    const char *user, *bearer, *ns, *secret;
    const char *convention; /* "x-forwarded", "x-original", "path" */
} authz_fwd_parsed;

/* Reads the headers (exposed for the fuzzer and tests): 0, or 400 with `why`. */
int authz_fwd_parse(const authz_forward *f, const authz_fwd_request *rq, authz_fwd_parsed *out,
                    const char **why);

typedef struct authz_fwd_answer {
    int status;         /* 200, 400, 401, 403 or 500 */
    char user[132];     /* X-Authz-User ("" when none) */
    char resource[200]; /* X-Authz-Resource ("" when none) */
    char reason[160];
    char body[420];               /* {"allowed":...,"reason":"..."} */
    const char *www_authenticate; /* for a 401 */
} authz_fwd_answer;

void authz_forward_decide(authz_forward *f, const authz_fwd_request *rq, authz_fwd_answer *out);

/* Counters for /metrics (Prometheus text appended to `buf`; returns the length written). */
size_t authz_forward_metrics(const authz_forward *f, char *buf, size_t cap);

/* The listener of its own (--forward-listen / --forward-unix), if configured: started by
 * authz_forward_listen, stopped by authz_forward_free. */
int authz_forward_listen(authz_forward *f, unsigned threads, char *why, size_t why_size);
/* The TCP port the own listener bound (0 for none or a unix socket). */
uint16_t authz_forward_port(const authz_forward *f);

/* `authz serve`'s options for this endpoint: 0 when `name` is not one of them, 1 when it took no
 * value (a flag), 2 when it took `value`, -1 for a missing or bad value. */
int authz_forward_option(authz_forward_config *c, const char *name, const char *value);
extern const char authz_forward_help[];

/* Whether a host literal is loopback (127.0.0.0/8 or ::1). */
bool authz_forward_host_is_loopback(const char *host);

#endif
