/*
 * fwd_load.c - forward-auth load and latency, and the in-process cost of a decision.
 *
 *   authz_fwd_load http ADDR SECONDS CONNS PATH_PREFIX   keep-alive GETs over CONNS connections
 *        ADDR is unix:/path or HOST:PORT. Each request is
 *        GET PATH_PREFIX HTTP/1.1 + X-Original-Method/-URI (/svc<i>/items/<n>) + X-User-Id u<i>,
 *        which authz answers itself (PATH_PREFIX /authz/forward) or nginx passes to it through
 *        auth_request (PATH_PREFIX / with the URI as the request path, see run_forward.sh).
 *        Prints: requests/s, p50, p99 (one event loop, one core).
 *   authz_fwd_load inproc ROUTES                          authz_route_match + authz_check
 *        on ROUTES routes (the model run_forward.sh gives the server), in the calling thread.
 * The model: resources r<i> with apiIdentifier /svc<i>/items/{id}, one role per route holding
 * GET on r<i>:*, user u<i> in role i. Every request is allowed.
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <time.h>
#include <unistd.h>

#include "authz.h"

static double now_s(void) {
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

/* ---- in process ---- */

static int inproc(int routes) {
    authz_engine *e;
    if (authz_engine_new(NULL, &e)) return 1;
    for (int i = 0; i < routes; i++) {
        char code[32], tmpl[64], role[32], user[32], res[40];
        snprintf(code, sizeof code, "r%d", i);
        snprintf(tmpl, sizeof tmpl, "/svc%d/items/{id}", i);
        snprintf(role, sizeof role, "role%d", i);
        snprintf(user, sizeof user, "u%d", i);
        snprintf(res, sizeof res, "r%d:*", i);
        authz_resource_spec s = {code, AUTHZ_RESOURCE_API, NULL, NULL, tmpl, NULL, 0};
        authz_role_spec rs = {NULL, role, NULL, NULL, 0};
        authz_target t = {AUTHZ_TARGET_USER, user};
        const char *get[] = {"GET"};
        authz_grant_resource g = {res, get, 1, AUTHZ_RESOURCE_API};
        const char *ids[] = {role};
        authz_grant_item item = {AUTHZ_TARGET_ROLE, ids, 1, &g, 1};
        if (authz_resource_create(e, NULL, &s, NULL, NULL) ||
            authz_role_create(e, &rs, NULL, NULL) ||
            authz_role_assign(e, NULL, role, &t, 1, NULL, NULL) ||
            authz_authorize(e, NULL, &item, 1, NULL))
            return 1;
    }
    enum { N = 1 << 20 };
    char(*paths)[64] = malloc(1024 * sizeof *paths), (*users)[16] = malloc(1024 * sizeof *users);
    for (int k = 0; k < 1024; k++) {
        int i = (k * 7919) % routes;
        snprintf(paths[k], sizeof paths[k], "/svc%d/items/%d", i, k);
        snprintf(users[k], sizeof users[k], "u%d", i);
    }
    long allowed = 0;
    double t0 = now_s();
    for (int n = 0; n < N; n++) {
        authz_route_answer a;
        bool ok = false;
        authz_route_match(e, NULL, "GET", paths[n & 1023], &a, NULL);
        authz_check(e, NULL, users[n & 1023], a.resource, a.action, &ok, NULL);
        allowed += ok;
    }
    double dt = now_s() - t0;
    printf("in process: %d routes, route match + check %.0f ns per decision (%ld/%d allowed)\n",
           routes, dt / N * 1e9, allowed, N);
    free(paths);
    free(users);
    authz_engine_free(e);
    return allowed == N ? 0 : 1;
}

/* ---- over HTTP ---- */

typedef struct conn {
    int fd;
    size_t got;
    double sent;
    char buf[16384];
} conn;

#define HIST 200000 /* 1 µs buckets up to 200 ms */
static uint64_t hist[HIST + 1];

static int dial(const char *addr) {
    if (!strncmp(addr, "unix:", 5)) {
        struct sockaddr_un a = {.sun_family = AF_UNIX};
        snprintf(a.sun_path, sizeof a.sun_path, "%s", addr + 5);
        int fd = socket(AF_UNIX, SOCK_STREAM, 0);
        return connect(fd, (struct sockaddr *)&a, sizeof a) == 0 ? fd : -1;
    }
    char host[64];
    snprintf(host, sizeof host, "%s", addr);
    char *colon = strrchr(host, ':');
    if (!colon) return -1;
    *colon = '\0';
    struct sockaddr_in a = {.sin_family = AF_INET, .sin_port = htons((uint16_t)atoi(colon + 1))};
    inet_pton(AF_INET, host, &a.sin_addr);
    int fd = socket(AF_INET, SOCK_STREAM, 0), one = 1;
    setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
    return connect(fd, (struct sockaddr *)&a, sizeof a) == 0 ? fd : -1;
}

static char reqs[256][512];
static size_t reqlen[256];

static void send_one(conn *c, unsigned k) {
    c->got = 0;
    c->sent = now_s();
    if (write(c->fd, reqs[k & 255], reqlen[k & 255]) < 0) {
        perror("write");
        exit(1);
    }
}

/* A whole response in the buffer? (headers, then Content-Length bytes.) */
static int complete(conn *c, int *status) {
    c->buf[c->got < sizeof c->buf ? c->got : sizeof c->buf - 1] = '\0';
    char *end = strstr(c->buf, "\r\n\r\n");
    if (!end) return 0;
    char *cl = strcasestr(c->buf, "content-length:");
    size_t body = cl && cl < end ? strtoul(cl + 15, NULL, 10) : 0;
    *status = atoi(c->buf + 9);
    return (size_t)(end + 4 - c->buf) + body <= c->got;
}

static int http(const char *addr, double seconds, int conns, const char *prefix) {
    for (int k = 0; k < 256; k++) {
        int i = (k * 7919) % 1000;
        char uri[64];
        snprintf(uri, sizeof uri, "/svc%d/items/%d", i, k);
        bool through = strcmp(prefix, "/authz/forward") != 0; /* nginx: the URI is the path */
        reqlen[k] = (size_t)snprintf(
            reqs[k], sizeof reqs[k],
            "GET %s HTTP/1.1\r\nHost: bench\r\n%s%s%s%s"
            "X-User-Id: u%d\r\n\r\n",
            through ? uri : prefix, through ? "" : "X-Original-Method: GET\r\n",
            through ? "" : "X-Original-URI: ", through ? "" : uri, through ? "" : "\r\n", i);
    }
    int ep = epoll_create1(0);
    conn *cs = calloc((size_t)conns, sizeof *cs);
    for (int i = 0; i < conns; i++) {
        cs[i].fd = dial(addr);
        if (cs[i].fd < 0) {
            fprintf(stderr, "cannot connect to %s: %s\n", addr, strerror(errno));
            return 1;
        }
        struct epoll_event ev = {.events = EPOLLIN, .data.ptr = &cs[i]};
        epoll_ctl(ep, EPOLL_CTL_ADD, cs[i].fd, &ev);
        send_one(&cs[i], (unsigned)i);
    }
    uint64_t done = 0, bad = 0;
    double t0 = now_s(), stop = t0 + seconds;
    struct epoll_event evs[64];
    while (now_s() < stop) {
        int n = epoll_wait(ep, evs, 64, 100);
        for (int k = 0; k < n; k++) {
            conn *c = evs[k].data.ptr;
            ssize_t r = read(c->fd, c->buf + c->got, sizeof c->buf - 1 - c->got);
            if (r <= 0) { /* closed (nginx ends a connection after 1,000 requests): reconnect */
                epoll_ctl(ep, EPOLL_CTL_DEL, c->fd, NULL);
                close(c->fd);
                c->fd = dial(addr);
                if (c->fd < 0) {
                    fprintf(stderr, "cannot reconnect to %s\n", addr);
                    return 1;
                }
                struct epoll_event ev = {.events = EPOLLIN, .data.ptr = c};
                epoll_ctl(ep, EPOLL_CTL_ADD, c->fd, &ev);
                send_one(c, (unsigned)done);
                continue;
            }
            c->got += (size_t)r;
            int status = 0;
            if (!complete(c, &status)) continue;
            double us = (now_s() - c->sent) * 1e6;
            hist[us < HIST ? (size_t)us : HIST]++;
            done++;
            bad += status != 200;
            send_one(c, (unsigned)done);
        }
    }
    double dt = now_s() - t0;
    uint64_t seen = 0, p50 = 0, p99 = 0;
    for (size_t i = 0; i <= HIST; i++) {
        seen += hist[i];
        if (!p50 && seen * 2 >= done) p50 = i + 1;
        if (!p99 && seen * 100 >= done * 99) p99 = i + 1;
    }
    printf("%s %s: %d connections, %.0f req/s, p50 %llu us, p99 %llu us%s\n", addr, prefix, conns,
           (double)done / dt, (unsigned long long)p50, (unsigned long long)p99,
           bad ? " (SOME ANSWERS NOT 200)" : "");
    return bad ? 1 : 0;
}

int main(int argc, char **argv) {
    if (argc == 3 && !strcmp(argv[1], "inproc")) return inproc(atoi(argv[2]));
    if (argc == 6 && !strcmp(argv[1], "http"))
        return http(argv[2], atof(argv[3]), atoi(argv[4]), argv[5]);
    fprintf(stderr, "usage: authz_fwd_load http ADDR SECONDS CONNS PATH_PREFIX | inproc ROUTES\n");
    return 2;
}
