/*
 * server.c - `authz serve` (see server.h): libmicrohttpd's internal thread pool with epoll,
 * every API path routed through the JSON front door's one dispatch table. A GET query becomes
 * a JSON object of strings (arrays for `k[]` and repeated keys) that the front door coerces;
 * a POST body is passed as it came. Authentication happens before dispatch.
 */
#define _DEFAULT_SOURCE
#include "server.h"

#include <arpa/inet.h>
#include <jansson.h>
#include <microhttpd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include "auth.h"
#include "authz_json.h"
#include "durable.h"
#include "forward/listen.h"
#include "metrics.h"
#include "replication.h"

#define MAX_BODY (1u << 20)
#define MAX_HEADERS 32

struct authz_server {
    struct MHD_Daemon *daemon;
    authz_engine *engine;
    authz_durable *durable;
    authz_auth *auth;
    authz_metrics *metrics;
    authz_http_repl *repl; /* role, revision, min-revision wait, status (replication.c) */
    authz_forward *forward;
    bool forward_secret; /* the main port is not loopback: /authz/forward wants the secret */
    uint16_t port;
};

/* The server a worker thread is answering for, and the revision of the write it answers (0:
 * none), so that every response gets its x-authz-revision header where it is sent. */
static _Thread_local const authz_server *answering;
static _Thread_local uint64_t answer_rev;

typedef struct request {
    char *body;
    size_t len;
    bool started; /* MHD's first call for a request only announces it */
    bool too_big;
    bool bad_query;
    char *forward_uri; /* the raw URI of an /authz/forward request */
} request;

/* Malformed escapes are found on the raw URI (see first_sight); here they only decode. */
static size_t unescape(void *cls, struct MHD_Connection *c, char *s) {
    (void)cls, (void)c;
    bool bad = false;
    return authz__http_unescape(s, &bad);
}

/* MHD shows the raw URI to this callback before it decodes anything, and what it returns
 * becomes the request's state: the one place a malformed escape can be tied to its request. */
static void *first_sight(void *cls, const char *uri, struct MHD_Connection *c) {
    (void)cls, (void)c;
    request *rq = calloc(1, sizeof *rq);
    if (rq) rq->bad_query = authz__http_malformed(uri);
    if (rq && authz_forward_is_path(uri)) rq->forward_uri = strdup(uri);
    return rq;
}

static int64_t now_ms(void) {
    struct timespec t;
    clock_gettime(CLOCK_REALTIME, &t);
    return (int64_t)t.tv_sec * 1000 + t.tv_nsec / 1000000;
}

static enum MHD_Result send_text(struct MHD_Connection *c, unsigned code, const char *type,
                                 const char *text) {
    struct MHD_Response *r = MHD_create_response_from_buffer(strlen(text), (void *)(uintptr_t)text,
                                                             MHD_RESPMEM_MUST_COPY);
    if (!r) return MHD_NO;
    MHD_add_response_header(r, "Content-Type", type);
    if (answering) {
        char rev[24];
        snprintf(rev, sizeof rev, "%llu",
                 (unsigned long long)(answer_rev ? answer_rev : authz_server_revision(answering)));
        MHD_add_response_header(r, "x-authz-revision", rev);
    }
    enum MHD_Result ok = MHD_queue_response(c, code, r);
    MHD_destroy_response(r);
    return ok;
}

static enum MHD_Result send_envelope(authz_server *s, struct MHD_Connection *c, unsigned http,
                                     const char *method, int status, int api, const char *msg) {
    char *env = NULL;
    authz_metrics_count(s->metrics, method, status);
    if (authz_json_error_envelope(s->engine, status, api, msg, &env) != AUTHZ_OK) return MHD_NO;
    enum MHD_Result ok = send_text(c, http, "application/json; charset=utf-8", env);
    authz_free(env);
    return ok;
}

/* ---- the query object (query.c) ---- */

static enum MHD_Result add_arg(void *cls, enum MHD_ValueKind kind, const char *key,
                               const char *value) {
    (void)kind;
    return authz__http_query_add(cls, key, value) == 0 ? MHD_YES : MHD_NO;
}

/* ---- authentication ---- */

typedef struct headers {
    const char *names[MAX_HEADERS], *values[MAX_HEADERS];
    char lower[MAX_HEADERS][64];
    size_t n;
} headers;

static enum MHD_Result collect_header(void *cls, enum MHD_ValueKind kind, const char *key,
                                      const char *value) {
    (void)kind;
    headers *h = cls;
    if (strncasecmp(key, "x-authing-", 10) != 0 || h->n == MAX_HEADERS || strlen(key) >= 64)
        return MHD_YES;
    for (size_t i = 0; key[i]; i++)
        h->lower[h->n][i] = (char)(key[i] >= 'A' && key[i] <= 'Z' ? key[i] + 32 : key[i]);
    h->names[h->n] = h->lower[h->n];
    h->values[h->n++] = value ? value : "";
    return MHD_YES;
}

static bool authenticate(authz_server *s, struct MHD_Connection *c, const char *method,
                         const char *url, json_t *fields, auth_result *r) {
    headers h;
    memset(&h, 0, sizeof h);
    MHD_get_connection_values(c, MHD_HEADER_KIND, collect_header, &h);
    auth_request q = {
        .method = method,
        .path = url,
        .authorization = MHD_lookup_connection_value(c, MHD_HEADER_KIND, "authorization"),
        .date = MHD_lookup_connection_value(c, MHD_HEADER_KIND, "date"),
        .nonce = MHD_lookup_connection_value(c, MHD_HEADER_KIND, "x-authing-signature-nonce"),
        .sig_method = MHD_lookup_connection_value(c, MHD_HEADER_KIND, "x-authing-signature-method"),
        .sig_version =
            MHD_lookup_connection_value(c, MHD_HEADER_KIND, "x-authing-signature-version"),
        .x_names = h.names,
        .x_values = h.values,
        .x_count = h.n,
        .fields = fields};
    return authz_auth_check(s->auth, &q, now_ms(), r);
}

/* ---- the API ---- */

static enum MHD_Result token(authz_server *s, struct MHD_Connection *c, const request *rq) {
    json_t *body = json_loadb(rq->body ? rq->body : "", rq->len, 0, NULL);
    auth_result r = {0};
    json_t *data =
        s->auth ? authz_auth_token(s->auth, json_string_value(json_object_get(body, "accessKeyId")),
                                   json_string_value(json_object_get(body, "accessKeySecret")),
                                   now_ms(), &r)
                : NULL;
    json_decref(body);
    if (!data)
        return send_envelope(s, c, MHD_HTTP_OK, NULL, 401, r.api_code ? r.api_code : 1300,
                             s->auth ? r.message : "the server runs without authentication");
    json_t *env = json_pack("{s:i,s:s,s:o}", "statusCode", 200, "message", "", "data", data);
    char *text = env ? json_dumps(env, JSON_COMPACT) : NULL;
    json_decref(env);
    authz_metrics_count(s->metrics, NULL, 200);
    enum MHD_Result ok = text ? send_text(c, MHD_HTTP_OK, "application/json", text) : MHD_NO;
    free(text);
    return ok;
}

/* POST /api/v3/admin/compact (ours): a new snapshot and an empty journal, now. */
static enum MHD_Result compact(authz_server *s, struct MHD_Connection *c, const request *rq) {
    json_t *fields = json_loadb(rq->len ? rq->body : "{}", rq->len ? rq->len : 2, 0, NULL);
    auth_result ar;
    bool ok = !s->auth || authenticate(s, c, "POST", "/api/v3/admin/compact",
                                       json_is_object(fields) ? fields : NULL, &ar);
    json_decref(fields);
    if (!ok) return send_envelope(s, c, MHD_HTTP_OK, NULL, 401, ar.api_code, ar.message);
    if (!s->durable)
        return send_envelope(s, c, MHD_HTTP_OK, NULL, 400, 40000,
                             "the server has no --data directory");
    authz_error err = {0};
    if (authz_durable_compact(s->durable, &err) != AUTHZ_OK)
        return send_envelope(s, c, MHD_HTTP_OK, NULL, 500, 50000, err.message);
    authz_metrics_count(s->metrics, NULL, 200);
    return send_text(c, MHD_HTTP_OK, "application/json",
                     "{\"statusCode\":200,\"message\":\"\",\"data\":{\"success\":true}}");
}

/* GET /api/v3/admin/status (ours): role, revision, digest and, in a fleet, replication state. */
static enum MHD_Result status(authz_server *s, struct MHD_Connection *c, const char *http_method) {
    json_t *fields = json_object();
    if (fields) MHD_get_connection_values(c, MHD_GET_ARGUMENT_KIND, add_arg, fields);
    auth_result ar;
    bool ok = !s->auth || authenticate(s, c, http_method, "/api/v3/admin/status", fields, &ar);
    json_decref(fields);
    if (!ok) return send_envelope(s, c, MHD_HTTP_OK, NULL, 401, ar.api_code, ar.message);
    json_t *data = authz_http_repl_status(s->repl);
    json_t *env =
        data ? json_pack("{s:i,s:s,s:o}", "statusCode", 200, "message", "", "data", data) : NULL;
    char *text = env ? json_dumps(env, JSON_COMPACT) : NULL;
    json_decref(env);
    authz_metrics_count(s->metrics, NULL, 200);
    enum MHD_Result r = text ? send_text(c, MHD_HTTP_OK, "application/json", text) : MHD_NO;
    free(text);
    return r;
}

static enum MHD_Result call(authz_server *s, struct MHD_Connection *c, const char *http_method,
                            const char *url, const request *rq) {
    const authz_json_method *m = authz_json_find_path(url);
    if (!m) return send_envelope(s, c, MHD_HTTP_OK, NULL, 404, 40400, "no such API path");
    if (rq->bad_query)
        return send_envelope(s, c, MHD_HTTP_OK, m->name, 400, 40000,
                             "malformed query string: bad percent escape");
    bool get = !strcmp(http_method, "GET");
    json_t *fields = get ? json_object()
                         : json_loadb(rq->body ? rq->body : "{}", rq->len ? rq->len : 2, 0, NULL);
    if (get && fields) MHD_get_connection_values(c, MHD_GET_ARGUMENT_KIND, add_arg, fields);
    auth_result ar;
    if (s->auth &&
        !authenticate(s, c, http_method, url, json_is_object(fields) ? fields : NULL, &ar)) {
        json_decref(fields);
        return send_envelope(s, c, MHD_HTTP_OK, m->name, 401, ar.api_code, ar.message);
    }
    char *query = get && fields ? json_dumps(fields, JSON_COMPACT) : NULL;
    json_decref(fields);
    if (m->is_write && authz_http_repl_read_only(s->repl)) {
        free(query);
        return send_envelope(s, c, MHD_HTTP_OK, m->name, 403, 40300,
                             "read-only replica: send writes to the leader");
    }
    char why[256];
    int wait = authz_http_repl_wait(
        s->repl, MHD_lookup_connection_value(c, MHD_HEADER_KIND, "x-authz-min-revision"), why,
        sizeof why);
    if (wait) {
        free(query);
        return send_envelope(s, c, MHD_HTTP_OK, m->name, wait, wait * 100, why);
    }
    const char *lang = MHD_lookup_connection_value(c, MHD_HEADER_KIND, "x-authing-lang");
    char *env = NULL;
    int code = 0;
    struct timespec t0, t1;
    clock_gettime(CLOCK_MONOTONIC, &t0);
    authz_status st;
    if (m->is_write && !get && s->durable)
        st = authz_durable_write_rev(s->durable, m->name, rq->body, rq->len, authz_lang_parse(lang),
                                     &env, &code, &answer_rev);
    else
        st = authz_call_json_ex(s->engine, m->name, get ? query : rq->body,
                                get ? (query ? strlen(query) : 0) : rq->len, authz_lang_parse(lang),
                                get ? AUTHZ_JSON_QUERY : 0, &env, &code);
    clock_gettime(CLOCK_MONOTONIC, &t1);
    free(query);
    if (st) return send_envelope(s, c, MHD_HTTP_OK, m->name, 500, 50000, "out of memory");
    if (!strcmp(m->name, "is_action_allowed"))
        authz_metrics_check_latency(
            s->metrics, (double)(t1.tv_sec - t0.tv_sec) + (double)(t1.tv_nsec - t0.tv_nsec) / 1e9);
    authz_metrics_count(s->metrics, m->name, code);
    enum MHD_Result ok = send_text(c, MHD_HTTP_OK, "application/json; charset=utf-8", env);
    authz_free(env);
    return ok;
}

/* The forward endpoint's counters after the server's. */
static char *forward_metrics(const authz_server *s, char *text) {
    size_t n = text ? strlen(text) : 0, cap = n + 2048;
    char *more = text && s->forward ? realloc(text, cap) : NULL;
    if (!more) return text;
    authz_forward_metrics(s->forward, more + n, cap - n);
    return more;
}

static enum MHD_Result route(authz_server *s, struct MHD_Connection *c, const char *method,
                             const char *url, const request *rq) {
    if (rq->forward_uri && s->forward)
        return authz_forward_respond(s->forward, c, method, rq->forward_uri, s->forward_secret);
    if (!strcmp(url, "/healthz")) return send_text(c, MHD_HTTP_OK, "text/plain", "ok\n");
    if (!strcmp(url, "/metrics")) {
        char *text = forward_metrics(s, authz_metrics_render(s->metrics, s->engine));
        char *more = NULL;
        size_t more_len = 0;
        FILE *f = text ? open_memstream(&more, &more_len) : NULL;
        if (f) {
            fputs(text, f);
            authz_http_repl_metrics(s->repl, f);
            if (fclose(f) == 0)
                free(text), text = more;
            else
                free(more);
        }
        enum MHD_Result ok =
            text ? send_text(c, MHD_HTTP_OK, "text/plain; version=0.0.4", text) : MHD_NO;
        free(text);
        return ok;
    }
    if (rq->too_big)
        return send_envelope(s, c, MHD_HTTP_CONTENT_TOO_LARGE, NULL, 413, 41300,
                             "request body over 1 MiB");
    if (!strcmp(url, "/api/v3/get-management-token")) return token(s, c, rq);
    if (!strcmp(url, "/api/v3/admin/compact")) return compact(s, c, rq);
    if (!strcmp(url, "/api/v3/admin/status")) return status(s, c, method);
    return call(s, c, method, url, rq);
}

/* Whether to answer 413 before reading the body. A client still writing when the answer comes
 * sees a broken pipe instead of the 413 (Python's urllib does), so a body up to 64 MiB is read
 * and discarded; only a client that waits for "100 Continue" (curl does) or a body beyond that
 * is answered at once (MHD then closes the connection). */
static bool refuse_early(struct MHD_Connection *c) {
    const char *cl =
        MHD_lookup_connection_value(c, MHD_HEADER_KIND, MHD_HTTP_HEADER_CONTENT_LENGTH);
    const char *expect = MHD_lookup_connection_value(c, MHD_HEADER_KIND, MHD_HTTP_HEADER_EXPECT);
    unsigned long long n = cl ? strtoull(cl, NULL, 10) : 0;
    return n > MAX_BODY && ((expect && !strcasecmp(expect, "100-continue")) || n > 64u * MAX_BODY);
}

static enum MHD_Result handle(void *cls, struct MHD_Connection *c, const char *url,
                              const char *method, const char *version, const char *upload,
                              size_t *upload_size, void **state) {
    (void)version;
    request *rq = *state;
    if (!rq) return MHD_NO; /* first_sight ran out of memory */
    answering = cls;
    answer_rev = 0;
    if (!rq->started) {
        rq->started = true;
        rq->too_big = refuse_early(c);
        return rq->too_big ? route(cls, c, method, url, rq) : MHD_YES;
    }
    if (*upload_size) {
        if (rq->len + *upload_size > MAX_BODY) {
            rq->too_big = true;
        } else if (!rq->too_big) {
            char *b = realloc(rq->body, rq->len + *upload_size + 1);
            if (!b) return MHD_NO;
            memcpy(b + rq->len, upload, *upload_size);
            rq->body = b;
            rq->len += *upload_size;
            b[rq->len] = '\0';
        }
        *upload_size = 0;
        return MHD_YES;
    }
    return route(cls, c, method, url, rq);
}

static void done(void *cls, struct MHD_Connection *c, void **state,
                 enum MHD_RequestTerminationCode t) {
    (void)cls, (void)c, (void)t;
    request *rq = *state;
    if (rq) free(rq->body);
    if (rq) free(rq->forward_uri);
    free(rq);
    *state = NULL;
}

/* An IPv4 or IPv6 literal (no name lookup: a server should bind what it was told, exactly). */
static bool parse_host(const char *host, uint16_t port, struct sockaddr_storage *ss, bool *v6) {
    memset(ss, 0, sizeof *ss);
    struct sockaddr_in *in4 = (struct sockaddr_in *)ss;
    struct sockaddr_in6 *in6 = (struct sockaddr_in6 *)ss;
    *v6 = false;
    if (inet_pton(AF_INET, host, &in4->sin_addr) == 1) {
        in4->sin_family = AF_INET;
        in4->sin_port = htons(port);
        return true;
    }
    if (inet_pton(AF_INET6, host, &in6->sin6_addr) != 1) return false;
    in6->sin6_family = AF_INET6;
    in6->sin6_port = htons(port);
    *v6 = true;
    return true;
}

/* The model's revision for the decision log: what x-authz-revision says (a leader's journal
 * sequence, a follower's applied revision, 0 standalone without a journal). */
static uint64_t server_revision(void *ctx) { return authz_server_revision(ctx); }

static authz_status start_forward(authz_server *s, const authz_server_config *cfg, const char *host,
                                  unsigned threads, authz_error *err) {
    char why[256] = "";
    s->forward_secret = !authz_forward_host_is_loopback(host);
    if (s->forward_secret && !(cfg->forward->secret && *cfg->forward->secret))
        snprintf(why, sizeof why,
                 "--host %s is not loopback: /authz/forward there needs --forward-secret", host);
    if (!why[0])
        s->forward =
            authz_forward_new(cfg->forward, s->engine, server_revision, s, why, sizeof why);
    if (s->forward && authz_forward_listen(s->forward, threads, why, sizeof why) == 0)
        return AUTHZ_OK;
    if (err) snprintf(err->message, sizeof err->message, "%s", why);
    return AUTHZ_EINVAL;
}

authz_status authz_server_start(const authz_server_config *cfg, authz_engine *e, authz_server **out,
                                authz_error *err) {
    *out = NULL;
    struct sockaddr_storage addr;
    bool v6;
    const char *host = cfg->host ? cfg->host : "127.0.0.1";
    if (!parse_host(host, cfg->port, &addr, &v6)) {
        if (err)
            snprintf(
                err->message, sizeof err->message,
                "cannot listen on %s (an IPv4 or IPv6 address is needed, e.g. 127.0.0.1 or ::1)",
                host);
        return AUTHZ_EINVAL;
    }
    authz_server *s = calloc(1, sizeof *s);
    if (!s) return AUTHZ_ENOMEM;
    s->engine = e;
    s->durable = cfg->durable;
    s->metrics = authz_metrics_new();
    s->repl = authz_http_repl_new(e, cfg->durable, cfg->replica, cfg->publisher, cfg->max_wait_ms);
    if (!cfg->no_auth)
        s->auth = authz_auth_new(cfg->access_key_id, cfg->access_key_secret, cfg->max_skew_ms);
    unsigned threads = cfg->threads ? cfg->threads : 2;
    if (cfg->forward && start_forward(s, cfg, host, threads, err) != AUTHZ_OK) {
        authz_server_stop(s);
        return AUTHZ_EINVAL;
    }
    if (s->metrics && s->repl && (cfg->no_auth || s->auth))
        s->daemon = MHD_start_daemon(
            MHD_USE_INTERNAL_POLLING_THREAD | MHD_USE_EPOLL | MHD_USE_ERROR_LOG |
                (v6 ? MHD_USE_IPv6 : 0),
            0, NULL, NULL, handle, s, MHD_OPTION_SOCK_ADDR, &addr, MHD_OPTION_THREAD_POOL_SIZE,
            threads, MHD_OPTION_NOTIFY_COMPLETED, done, s, MHD_OPTION_UNESCAPE_CALLBACK, unescape,
            s, MHD_OPTION_URI_LOG_CALLBACK, first_sight, s, MHD_OPTION_CONNECTION_TIMEOUT, 30u,
            MHD_OPTION_END);
    if (!s->daemon) {
        if (err)
            snprintf(err->message, sizeof err->message, "cannot listen on %s:%u", host, cfg->port);
        authz_server_stop(s);
        return AUTHZ_EIO;
    }
    const union MHD_DaemonInfo *info = MHD_get_daemon_info(s->daemon, MHD_DAEMON_INFO_BIND_PORT);
    s->port = info ? info->port : cfg->port;
    *out = s;
    return AUTHZ_OK;
}

uint16_t authz_server_port(const authz_server *s) { return s->port; }

uint64_t authz_server_revision(const authz_server *s) { return authz_http_repl_revision(s->repl); }

void authz_server_stop(authz_server *s) {
    if (!s) return;
    if (s->daemon) MHD_stop_daemon(s->daemon);
    authz_forward_free(s->forward);
    authz_auth_free(s->auth);
    authz_metrics_free(s->metrics);
    authz_http_repl_free(s->repl);
    free(s);
}
