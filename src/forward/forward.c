/*
 * forward.c - the forward-auth decision (see forward.h): header conventions, identity, route,
 * check, answer, decision log line and counters. Nothing here knows the HTTP server; listen.c
 * feeds it from libmicrohttpd.
 */
#include "forward/forward.h"

#include <arpa/inet.h>
#include <jansson.h>
#include <openssl/crypto.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include "forward/listen.h"

enum { ST_200, ST_400, ST_401, ST_403, ST_500, ST_N };

struct authz_forward {
    authz_forward_config cfg;
    authz_engine *engine;
    authz_jwks *jwks;
    authz_declog *log;
    authz_forward_revision_fn rev;
    void *rev_ctx;
    atomic_uint_fast64_t answers[ST_N];
    authz_forward_listener *listener;
};

bool authz_forward_host_is_loopback(const char *host) {
    struct in_addr a4;
    struct in6_addr a6;
    if (inet_pton(AF_INET, host, &a4) == 1) return (ntohl(a4.s_addr) >> 24) == 127;
    return inet_pton(AF_INET6, host, &a6) == 1 && IN6_IS_ADDR_LOOPBACK(&a6);
}

authz_forward *authz_forward_new(const authz_forward_config *cfg, authz_engine *e,
                                 authz_forward_revision_fn rev, void *rev_ctx, char *why,
                                 size_t why_size) {
    authz_forward *f = calloc(1, sizeof *f);
    if (!f) {
        snprintf(why, why_size, "out of memory");
        return NULL;
    }
    f->cfg = *cfg;
    if (!f->cfg.user_header || !*f->cfg.user_header) f->cfg.user_header = "X-User-Id";
    if (!f->cfg.ns || !*f->cfg.ns) f->cfg.ns = "default";
    f->engine = e;
    f->rev = rev;
    f->rev_ctx = rev_ctx;
    if (cfg->jwks_path) {
        char w[200];
        f->jwks = authz_jwks_load(cfg->jwks_path, w, sizeof w);
        if (!f->jwks) {
            snprintf(why, why_size, "--jwks %s: %s", cfg->jwks_path, w);
            authz_forward_free(f);
            return NULL;
        }
    }
    if (cfg->decision_log) {
        f->log = authz_declog_open(cfg->decision_log,
                                   cfg->decision_log_queue ? cfg->decision_log_queue : 65536,
                                   cfg->decision_log_sample);
        if (!f->log) {
            snprintf(why, why_size, "--decision-log %s: cannot open it", cfg->decision_log);
            authz_forward_free(f);
            return NULL;
        }
    }
    return f;
}

void authz_forward_free(authz_forward *f) {
    if (!f) return;
    authz_forward_listener_stop(f->listener);
    authz_declog_free(f->log);
    authz_jwks_free(f->jwks);
    free(f);
}

/* ---- the request ---- */

enum { H_FM, H_FU, H_OM, H_OU, H_USER, H_AUTHZ, H_NS, H_SECRET, H_N };
static const char *const hname[H_N] = {
    "X-Forwarded-Method", "X-Forwarded-Uri",   "X-Original-Method",     "X-Original-URI", NULL,
    "Authorization",      "X-Authz-Namespace", "X-Authz-Forward-Secret"};

int authz_fwd_parse(const authz_forward *f, const authz_fwd_request *rq, authz_fwd_parsed *out,
                    const char **why) {
    const char *v[H_N] = {0};
    memset(out, 0, sizeof *out);
    for (size_t i = 0; i < rq->nheaders; i++) {
        const char *name = rq->headers[i].name;
        for (int k = 0; k < H_N; k++) {
            const char *want = k == H_USER ? f->cfg.user_header : hname[k];
            if (!name || strcasecmp(name, want) != 0) continue;
            if (v[k]) return *why = "a header the decision depends on came twice", 400;
            v[k] = rq->headers[i].value ? rq->headers[i].value : "";
        }
    }
    bool fwd = v[H_FM] || v[H_FU], orig = v[H_OM] || v[H_OU];
    bool path = rq->suffix && rq->suffix[0] == '/';
    if (fwd + orig + path > 1)
        return *why = "headers of more than one forward-auth convention", 400;
    if (fwd && (!v[H_FM] || !v[H_FU]))
        return *why = "X-Forwarded-Method and X-Forwarded-Uri come together", 400;
    if (orig && (!v[H_OM] || !v[H_OU]))
        return *why = "X-Original-Method and X-Original-URI come together", 400;
    if (!fwd && !orig && !path)
        return *why =
                   "no original request (X-Forwarded-*, X-Original-* or a path after "
                   "/authz/forward)",
               400;
    out->method = fwd ? v[H_FM] : orig ? v[H_OM] : rq->own_method;
    out->uri = fwd ? v[H_FU] : orig ? v[H_OU] : rq->suffix;
    out->convention = fwd ? "x-forwarded" : orig ? "x-original" : "path";
    out->user = v[H_USER];
    out->bearer = NULL;
    if (v[H_AUTHZ] && strncasecmp(v[H_AUTHZ], "Bearer ", 7) == 0) {
        out->bearer = v[H_AUTHZ] + 7;
        while (*out->bearer == ' ') out->bearer++;
    }
    out->ns = f->cfg.allow_ns_header && v[H_NS] ? v[H_NS] : f->cfg.ns;
    out->secret = v[H_SECRET];
    return 0;
}

/* ---- the answer ---- */

static void put_body(authz_fwd_answer *a, bool allowed, const char *reason) {
    char clean[160];
    size_t n = 0;
    for (const char *p = reason; *p && n + 1 < sizeof clean; p++)
        clean[n++] = (*p == '"' || *p == '\\' || (unsigned char)*p < 0x20) ? '\'' : *p;
    clean[n] = '\0';
    snprintf(a->reason, sizeof a->reason, "%s", clean);
    snprintf(a->body, sizeof a->body, "{\"allowed\":%s,\"reason\":\"%s\"}",
             allowed ? "true" : "false", clean);
}

static void answer(authz_fwd_answer *a, int status, const char *reason) {
    a->status = status;
    put_body(a, status == 200, reason);
}

static int status_index(int s) {
    return s == 200 ? ST_200 : s == 400 ? ST_400 : s == 401 ? ST_401 : s == 403 ? ST_403 : ST_500;
}

static void log_decision(authz_forward *f, const authz_fwd_parsed *p, const char *user,
                         const authz_route_answer *route, const authz_fwd_answer *a) {
    bool allowed = a->status == 200;
    if (!f->log || !authz_declog_wants(f->log, allowed)) return;
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    struct tm tm;
    gmtime_r(&ts.tv_sec, &tm);
    char day[32], when[48];
    strftime(day, sizeof day, "%Y-%m-%dT%H:%M:%S", &tm);
    snprintf(when, sizeof when, "%s.%03dZ", day, (int)(ts.tv_nsec / 1000000));
    json_t *o = json_object();
    json_object_set_new(o, "time", json_string(when));
    json_object_set_new(o, "user", user && *user ? json_string(user) : json_null());
    json_object_set_new(o, "method", p && p->method ? json_string(p->method) : json_null());
    json_object_set_new(o, "path", p && p->uri ? json_string(p->uri) : json_null());
    json_object_set_new(o, "namespace", p && p->ns ? json_string(p->ns) : json_null());
    json_object_set_new(o, "resource",
                        route && route->matched ? json_string(route->resource) : json_null());
    json_object_set_new(o, "action",
                        route && route->action[0] ? json_string(route->action) : json_null());
    json_object_set_new(o, "allowed", json_boolean(allowed));
    json_object_set_new(o, "status", json_integer(a->status));
    json_object_set_new(o, "reason", json_string(a->reason));
    json_t *principal = json_null(), *grant = json_null();
    authz_explanation *x = NULL;
    if (allowed && route && route->matched &&
        authz_explain(f->engine, p->ns, user, route->resource, route->action, &x, NULL) ==
            AUTHZ_OK &&
        x->allowed) {
        principal = json_pack("{s:s,s:s}", "type", authz_target_type_name(x->principal_type), "id",
                              x->principal_id);
        json_t *acts = json_array();
        for (size_t i = 0; i < x->action_count; i++)
            json_array_append_new(acts, json_string(x->actions[i]));
        grant = json_pack("{s:s,s:o}", "resource", x->resource, "actions", acts);
    }
    authz_free(x);
    json_object_set_new(o, "principal", principal ? principal : json_null());
    json_object_set_new(o, "grant", grant ? grant : json_null());
    json_object_set_new(o, "revision", json_integer((json_int_t)(f->rev ? f->rev(f->rev_ctx) : 0)));
    char *text = json_dumps(o, JSON_COMPACT);
    json_decref(o);
    if (text) authz_declog_push(f->log, text, strlen(text));
    free(text);
}

static const char *const BEARER = "Bearer realm=\"authz\"";
static const char *const BEARER_BAD =
    "Bearer realm=\"authz\", error=\"invalid_token\", error_description=\"the token failed "
    "verification\"";

/* The user: a verified token's sub with a JWKS, else the trusted header. 0 or a 401. */
static int identify(authz_forward *f, const authz_fwd_parsed *p, char *user, size_t cap,
                    authz_fwd_answer *a) {
    const char *why;
    if (f->jwks) {
        if (!p->bearer || !*p->bearer) {
            a->www_authenticate = BEARER;
            answer(a, 401, "no bearer token");
            return 401;
        }
        if (authz_jwt_verify(f->jwks, p->bearer, (int64_t)time(NULL), f->cfg.issuer,
                             f->cfg.audience, user, cap, &why) != 0) {
            a->www_authenticate = BEARER_BAD;
            answer(a, 401, why);
            return 401;
        }
        return 0;
    }
    if (!p->user || !*p->user) {
        a->www_authenticate = BEARER;
        answer(a, 401, "no user");
        return 401;
    }
    snprintf(user, cap, "%s", p->user);
    if (strlen(p->user) >= cap) {
        answer(a, 400, "user id too long");
        return 400;
    }
    return 0;
}

static void decide(authz_forward *f, const authz_fwd_request *rq, authz_fwd_answer *a,
                   authz_fwd_parsed *p, authz_route_answer *route, char *user, size_t ucap) {
    const char *why;
    if (authz_fwd_parse(f, rq, p, &why)) return answer(a, 400, why);
    if (rq->needs_secret) {
        const char *want = f->cfg.secret ? f->cfg.secret : "";
        size_t n = strlen(want);
        bool ok =
            n && p->secret && strlen(p->secret) == n && CRYPTO_memcmp(p->secret, want, n) == 0;
        if (!ok) return answer(a, 401, "the forward secret is missing or wrong");
    }
    authz_error err = {0};
    authz_status st = authz_route_match(f->engine, p->ns, p->method, p->uri, route, &err);
    if (st == AUTHZ_EINVAL) return answer(a, 400, err.message);
    if (st == AUTHZ_ENOTFOUND) return answer(a, 403, "unknown namespace");
    if (st) return answer(a, 500, authz_status_name(st));
    if (!route->matched)
        return answer(a, f->cfg.unmatched_allow ? 200 : 403, "no route matches the path");
    snprintf(a->resource, sizeof a->resource, "%s", route->resource);
    if (identify(f, p, user, ucap, a)) return;
    bool allowed = false;
    st = authz_check(f->engine, p->ns, user, route->resource, route->action, &allowed, &err);
    if (st == AUTHZ_EINVAL) return answer(a, 400, err.message);
    if (st) return answer(a, st == AUTHZ_ENOTFOUND ? 403 : 500, err.message);
    if (allowed) snprintf(a->user, sizeof a->user, "%s", user);
    answer(a, allowed ? 200 : 403, allowed ? "allowed" : "no grant allows it");
}

void authz_forward_decide(authz_forward *f, const authz_fwd_request *rq, authz_fwd_answer *a) {
    memset(a, 0, sizeof *a);
    authz_fwd_parsed p;
    memset(&p, 0, sizeof p);
    authz_route_answer route;
    memset(&route, 0, sizeof route);
    char user[132] = "";
    decide(f, rq, a, &p, &route, user, sizeof user);
    atomic_fetch_add(&f->answers[status_index(a->status)], 1);
    log_decision(f, &p, user, &route, a);
}

size_t authz_forward_metrics(const authz_forward *f, char *buf, size_t cap) {
    if (!f) return 0;
    authz_forward *m = (authz_forward *)(uintptr_t)f;
    static const int codes[ST_N] = {200, 400, 401, 403, 500};
    size_t n = 0;
    int w = snprintf(buf, cap,
                     "# HELP authz_forward_answers_total forward-auth answers by HTTP status.\n"
                     "# TYPE authz_forward_answers_total counter\n");
    n += w > 0 ? (size_t)w : 0;
    for (int i = 0; i < ST_N && n < cap; i++) {
        w = snprintf(buf + n, cap - n, "authz_forward_answers_total{status=\"%d\"} %llu\n",
                     codes[i], (unsigned long long)atomic_load(&m->answers[i]));
        n += w > 0 ? (size_t)w : 0;
    }
    if (n < cap)
        w = snprintf(buf + n, cap - n,
                     "# HELP authz_decision_log_lines_total decision log lines written.\n"
                     "# TYPE authz_decision_log_lines_total counter\n"
                     "authz_decision_log_lines_total %llu\n"
                     "# HELP authz_decision_log_dropped_total decision log lines dropped because "
                     "the queue was full.\n"
                     "# TYPE authz_decision_log_dropped_total counter\n"
                     "authz_decision_log_dropped_total %llu\n",
                     (unsigned long long)authz_declog_written(f->log),
                     (unsigned long long)authz_declog_dropped(f->log));
    n += w > 0 ? (size_t)w : 0;
    return n < cap ? n : cap - 1;
}

/* ---- the listener of its own ---- */

int authz_forward_listen(authz_forward *f, unsigned threads, char *why, size_t why_size) {
    if (!f->cfg.listen && !f->cfg.unix_path) return 0;
    f->listener = authz_forward_listener_start(f, f->cfg.listen, f->cfg.unix_path, threads,
                                               f->cfg.secret, why, why_size);
    return f->listener ? 0 : -1;
}

uint16_t authz_forward_port(const authz_forward *f) {
    return authz_forward_listener_port(f->listener);
}
