/*
 * listen.c - /authz/forward over libmicrohttpd (see listen.h). A body, if any, is read and
 * dropped; the answer is queued once the request is complete (queued earlier, MHD would close
 * the connection instead of keeping it alive).
 */
#include "forward/listen.h"

#include <arpa/inet.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#define MAX_HEADERS 64

bool authz_forward_is_path(const char *raw) {
    size_t n = strlen(AUTHZ_FORWARD_PATH);
    if (!raw || strncmp(raw, AUTHZ_FORWARD_PATH, n) != 0) return false;
    return raw[n] == '\0' || raw[n] == '/' || raw[n] == '?';
}

typedef struct collected {
    authz_fwd_header h[MAX_HEADERS];
    size_t n;
    bool overflow;
} collected;

static enum MHD_Result collect(void *cls, enum MHD_ValueKind kind, const char *key,
                               const char *value) {
    (void)kind;
    collected *c = cls;
    if (c->n == MAX_HEADERS) {
        c->overflow = true;
        return MHD_NO;
    }
    c->h[c->n++] = (authz_fwd_header){key, value};
    return MHD_YES;
}

enum MHD_Result authz_forward_respond(authz_forward *f, struct MHD_Connection *c,
                                      const char *method, const char *raw_uri, bool needs_secret) {
    collected h;
    h.n = 0;
    h.overflow = false;
    MHD_get_connection_values(c, MHD_HEADER_KIND, collect, &h);
    const char *suffix = raw_uri ? raw_uri + strlen(AUTHZ_FORWARD_PATH) : "";
    if (*suffix == '?') suffix = "";
    authz_fwd_request rq = {h.h, h.n, method, suffix, needs_secret};
    authz_fwd_answer a;
    if (h.overflow) {
        memset(&a, 0, sizeof a);
        a.status = 400;
        snprintf(a.body, sizeof a.body, "{\"allowed\":false,\"reason\":\"too many headers\"}");
    } else {
        authz_forward_decide(f, &rq, &a);
    }
    struct MHD_Response *r =
        MHD_create_response_from_buffer(strlen(a.body), a.body, MHD_RESPMEM_MUST_COPY);
    if (!r) return MHD_NO;
    MHD_add_response_header(r, "Content-Type", "application/json");
    if (a.user[0]) MHD_add_response_header(r, "X-Authz-User", a.user);
    if (a.resource[0]) MHD_add_response_header(r, "X-Authz-Resource", a.resource);
    if (a.www_authenticate) MHD_add_response_header(r, "WWW-Authenticate", a.www_authenticate);
    enum MHD_Result ok = MHD_queue_response(c, (unsigned)a.status, r);
    MHD_destroy_response(r);
    return ok;
}

/* ---- the listener of its own ---- */

struct authz_forward_listener {
    struct MHD_Daemon *daemon;
    authz_forward *f;
    bool needs_secret;
    uint16_t port;
    char unix_path[sizeof(((struct sockaddr_un *)0)->sun_path)];
};

typedef struct pending {
    bool started;
    char raw[]; /* the URI as it came */
} pending;

static void *raw_uri(void *cls, const char *uri, struct MHD_Connection *c) {
    (void)cls, (void)c;
    size_t n = uri ? strlen(uri) : 0;
    pending *p = malloc(sizeof *p + n + 1);
    if (!p) return NULL;
    p->started = false;
    memcpy(p->raw, uri ? uri : "", n + 1);
    return p;
}

static void done(void *cls, struct MHD_Connection *c, void **state,
                 enum MHD_RequestTerminationCode t) {
    (void)cls, (void)c, (void)t;
    free(*state);
    *state = NULL;
}

static enum MHD_Result text(struct MHD_Connection *c, unsigned code, const char *s) {
    struct MHD_Response *r =
        MHD_create_response_from_buffer(strlen(s), (void *)(uintptr_t)s, MHD_RESPMEM_PERSISTENT);
    if (!r) return MHD_NO;
    MHD_add_response_header(r, "Content-Type", "text/plain");
    enum MHD_Result ok = MHD_queue_response(c, code, r);
    MHD_destroy_response(r);
    return ok;
}

static enum MHD_Result handle(void *cls, struct MHD_Connection *c, const char *url,
                              const char *method, const char *version, const char *upload,
                              size_t *upload_size, void **state) {
    (void)version, (void)upload;
    authz_forward_listener *l = cls;
    pending *p = *state;
    if (!p) return MHD_NO;
    if (!p->started || *upload_size) {
        p->started = true;
        *upload_size = 0; /* a body, if any, is dropped */
        return MHD_YES;
    }
    const char *raw = p->raw;
    if (authz_forward_is_path(raw))
        return authz_forward_respond(l->f, c, method, raw, l->needs_secret);
    if (!strcmp(url, "/healthz")) return text(c, 200, "ok\n");
    return text(c, 404, "not found: this listener answers /authz/forward only\n");
}

static int unix_socket(const char *path, char *why, size_t why_size) {
    struct sockaddr_un a;
    memset(&a, 0, sizeof a);
    a.sun_family = AF_UNIX;
    if (strlen(path) >= sizeof a.sun_path) {
        snprintf(why, why_size, "--forward-unix %s: path too long", path);
        return -1;
    }
    strcpy(a.sun_path, path);
    struct stat st;
    if (lstat(path, &st) == 0) {
        if (!S_ISSOCK(st.st_mode)) {
            snprintf(why, why_size, "--forward-unix %s: exists and is not a socket", path);
            return -1;
        }
        unlink(path);
    }
    int fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (fd < 0 || bind(fd, (struct sockaddr *)&a, sizeof a) != 0 || listen(fd, 1024) != 0) {
        snprintf(why, why_size, "--forward-unix %s: %s", path, strerror(errno));
        if (fd >= 0) close(fd);
        return -1;
    }
    return fd;
}

/* "HOST:PORT" or "[V6]:PORT" into a socket address. */
static bool tcp_addr(const char *s, struct sockaddr_storage *ss, bool *v6, char *host,
                     size_t host_size) {
    const char *colon = strrchr(s, ':');
    if (!colon || colon == s) return false;
    const char *h = s, *he = colon;
    if (*h == '[') {
        if (he[-1] != ']') return false;
        h++, he--;
    }
    if ((size_t)(he - h) >= host_size) return false;
    memcpy(host, h, (size_t)(he - h));
    host[he - h] = '\0';
    char *end;
    unsigned long port = strtoul(colon + 1, &end, 10);
    if (!colon[1] || *end || port > 65535) return false;
    memset(ss, 0, sizeof *ss);
    struct sockaddr_in *in4 = (struct sockaddr_in *)ss;
    struct sockaddr_in6 *in6 = (struct sockaddr_in6 *)ss;
    *v6 = false;
    if (inet_pton(AF_INET, host, &in4->sin_addr) == 1) {
        in4->sin_family = AF_INET;
        in4->sin_port = htons((uint16_t)port);
        return true;
    }
    if (inet_pton(AF_INET6, host, &in6->sin6_addr) != 1) return false;
    in6->sin6_family = AF_INET6;
    in6->sin6_port = htons((uint16_t)port);
    *v6 = true;
    return true;
}

authz_forward_listener *authz_forward_listener_start(authz_forward *f, const char *listen,
                                                     const char *unix_path, unsigned threads,
                                                     const char *secret, char *why,
                                                     size_t why_size) {
    if (listen && unix_path) {
        snprintf(why, why_size, "give --forward-listen or --forward-unix, not both");
        return NULL;
    }
    authz_forward_listener *l = calloc(1, sizeof *l);
    if (!l) {
        snprintf(why, why_size, "out of memory");
        return NULL;
    }
    l->f = f;
    unsigned flags = MHD_USE_INTERNAL_POLLING_THREAD | MHD_USE_EPOLL | MHD_USE_ERROR_LOG;
    threads = threads ? threads : 2;
    if (unix_path) {
        int fd = unix_socket(unix_path, why, why_size);
        if (fd < 0) {
            free(l);
            return NULL;
        }
        snprintf(l->unix_path, sizeof l->unix_path, "%s", unix_path);
        l->daemon =
            MHD_start_daemon(flags, 0, NULL, NULL, handle, l, MHD_OPTION_LISTEN_SOCKET, fd,
                             MHD_OPTION_THREAD_POOL_SIZE, threads, MHD_OPTION_NOTIFY_COMPLETED,
                             done, l, MHD_OPTION_URI_LOG_CALLBACK, raw_uri, l,
                             MHD_OPTION_CONNECTION_TIMEOUT, 30u, MHD_OPTION_END);
        if (!l->daemon) close(fd);
    } else {
        struct sockaddr_storage ss;
        bool v6;
        char host[64];
        if (!tcp_addr(listen, &ss, &v6, host, sizeof host)) {
            snprintf(why, why_size,
                     "--forward-listen %s: HOST:PORT with an IPv4 or [IPv6] address is needed",
                     listen);
            free(l);
            return NULL;
        }
        l->needs_secret = !authz_forward_host_is_loopback(host);
        if (l->needs_secret && (!secret || !*secret)) {
            snprintf(why, why_size,
                     "--forward-listen %s is not loopback: --forward-secret is required", listen);
            free(l);
            return NULL;
        }
        l->daemon =
            MHD_start_daemon(flags | (v6 ? MHD_USE_IPv6 : 0), 0, NULL, NULL, handle, l,
                             MHD_OPTION_SOCK_ADDR, &ss, MHD_OPTION_THREAD_POOL_SIZE, threads,
                             MHD_OPTION_NOTIFY_COMPLETED, done, l, MHD_OPTION_URI_LOG_CALLBACK,
                             raw_uri, l, MHD_OPTION_CONNECTION_TIMEOUT, 30u, MHD_OPTION_END);
        if (l->daemon) {
            const union MHD_DaemonInfo *info =
                MHD_get_daemon_info(l->daemon, MHD_DAEMON_INFO_BIND_PORT);
            l->port = info ? info->port : 0;
        }
    }
    if (!l->daemon) {
        snprintf(why, why_size, "cannot start the forward-auth listener on %s",
                 unix_path ? unix_path : listen);
        if (l->unix_path[0]) unlink(l->unix_path);
        free(l);
        return NULL;
    }
    return l;
}

uint16_t authz_forward_listener_port(const authz_forward_listener *l) { return l ? l->port : 0; }

void authz_forward_listener_stop(authz_forward_listener *l) {
    if (!l) return;
    MHD_stop_daemon(l->daemon);
    if (l->unix_path[0]) unlink(l->unix_path);
    free(l);
}
