/*
 * serve.c - `authz serve`: GenAuth's V3 HTTP API on loopback until SIGINT or SIGTERM.
 */
#include <errno.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "authz/replica.h"
#include "cli.h"
#include "durable.h"
#include "forward/forward.h"
#include "replica/publish.h"
#include "server.h"

static const char help[] =
    "usage: authz serve [--host 127.0.0.1] [--port 3000] [--threads N] [--load MODEL]\n"
    "                   [--data DIR [--compact-bytes N]]\n"
    "                   [--publish URL | --follow URL] [--stream NAME] [--max-wait-ms N]\n"
    "                   [--access-key-id ID --access-key-secret SECRET] [--keys FILE] | --no-auth\n"
    "                   [--user-directory]\n"
    "\n"
    "Serves GenAuth's V3 management API for permissions at http://HOST:PORT/api/v3/<method>,\n"
    "so GenAuth's official SDKs work against a local, in-memory authz. Requests must be signed\n"
    "(Node/Java SDKs: authorization: authing ID:signature) or carry a token from\n"
    "POST /api/v3/get-management-token (Python SDK). Keys come from the options or from\n"
    "AUTHZ_ACCESS_KEY_ID and AUTHZ_ACCESS_KEY_SECRET (scope admin); --keys FILE adds a JSON\n"
    "list of {accessKeyId, accessKeySecret, scope: \"admin\"|\"read\"} (a read key may call\n"
    "checks and reads; its writes are refused). --port 0 picks a free port.\n"
    "GET /healthz answers ok; GET /metrics is Prometheus text.\n"
    "\n"
    "--data DIR keeps DIR/snapshot and DIR/journal: every accepted write is on disk (fsync,\n"
    "shared by concurrent writers) before its response is sent, and a restart replays them.\n"
    "The journal is compacted into a new snapshot past --compact-bytes (default 64 MiB) and\n"
    "on POST /api/v3/admin/compact. --load MODEL seeds an empty DIR.\n"
    "\n"
    "A fleet (README \"Running a fleet\"): --publish URL makes this server (with --data) the\n"
    "leader, publishing every durable write and each snapshot to a Redis Stream; --follow URL\n"
    "makes it a read-only follower of that stream (with --data DIR it keeps its last state in\n"
    "DIR). URL is redis://[user:password@]host:port[/db] or unix:///path/to/redis.sock;\n"
    "--stream NAME (default authz) names the keys; --trim-margin N (default 1000) revisions stay\n"
    "in the stream behind the newest snapshot. Every response carries x-authz-revision; a\n"
    "request with x-authz-min-revision: N waits up to --max-wait-ms (default 1000) for revision\n"
    "N. GET /api/v3/admin/status gives the role, revision, digest and replication state.\n"
    "\n"
    "--user-directory: a user (create-user, create-users-batch) or a department\n"
    "(create-department, or an organization's root) must exist before a grant, a role\n"
    "assignment or a membership names it, as in GenAuth (用户不存在, 部门不存在); without it\n"
    "user and department IDs are free strings.\n";

typedef struct serve_opts {
    authz_server_config cfg;
    authz_forward_config forward;
    const char *load, *data, *publish, *follow, *stream;
    unsigned long long compact_bytes, trim_margin;
    bool user_directory;
} serve_opts;

/* A whole decimal number up to `max`: "--port 80x" or "--port 70000" is a usage error, not a
 * silently different port. */
static bool number(const char *v, unsigned long max, unsigned long *n) {
    char *end;
    *n = strtoul(v, &end, 10);
    return *v >= '0' && *v <= '9' && !*end && *n <= max;
}

/* SIGINT and SIGTERM write their number into a pipe the main thread reads: whichever thread
 * the kernel picks (the server's own block them; a sanitizer's helper thread may not), the
 * stop reaches the main thread, which shuts the server down outside any signal handler. */
static int stop_pipe[2] = {-1, -1};

static void on_stop(int sig) {
    unsigned char b = (unsigned char)sig;
    ssize_t n = write(stop_pipe[1], &b, 1);
    (void)n;
}

static bool catch_stop_signals(sigset_t *stop) {
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_stop;
    sigemptyset(&sa.sa_mask);
    sigemptyset(stop);
    sigaddset(stop, SIGINT);
    sigaddset(stop, SIGTERM);
    return pipe(stop_pipe) == 0 && sigaction(SIGINT, &sa, NULL) == 0 &&
           sigaction(SIGTERM, &sa, NULL) == 0;
}

static int wait_for_stop(void) {
    unsigned char b = 0;
    while (read(stop_pipe[0], &b, 1) < 0 && errno == EINTR) continue;
    return b;
}

static int parse(int argc, char **argv, serve_opts *o) {
    unsigned long n;
    o->cfg = (authz_server_config){.host = "127.0.0.1",
                                   .port = 3000,
                                   .threads = 2,
                                   .access_key_id = getenv("AUTHZ_ACCESS_KEY_ID"),
                                   .access_key_secret = getenv("AUTHZ_ACCESS_KEY_SECRET")};
    o->load = o->data = o->publish = o->follow = o->stream = NULL;
    o->trim_margin = 0;
    o->user_directory = false;
    o->compact_bytes = 64ull << 20;
    o->forward = (authz_forward_config){0};
    o->cfg.forward = &o->forward;
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i], *v = i + 1 < argc ? argv[i + 1] : NULL;
        int took = authz_forward_option(&o->forward, a, v);
        if (took < 0) goto bad;
        if (took) {
            i += took - 1;
            continue;
        }
        if (!strcmp(a, "--no-auth")) {
            o->cfg.no_auth = true;
            continue;
        }
        if (!strcmp(a, "--user-directory")) {
            o->user_directory = true;
            continue;
        }
        if (!v) goto bad;
        i++;
        if (!strcmp(a, "--host"))
            o->cfg.host = v;
        else if (!strcmp(a, "--port") && number(v, 65535, &n))
            o->cfg.port = (uint16_t)n;
        else if (!strcmp(a, "--threads") && number(v, 256, &n) && n > 0)
            o->cfg.threads = (unsigned)n;
        else if (!strcmp(a, "--load"))
            o->load = v;
        else if (!strcmp(a, "--data"))
            o->data = v;
        else if (!strcmp(a, "--compact-bytes"))
            o->compact_bytes = strtoull(v, NULL, 10);
        else if (!strcmp(a, "--publish"))
            o->publish = v;
        else if (!strcmp(a, "--follow"))
            o->follow = v;
        else if (!strcmp(a, "--stream"))
            o->stream = v;
        else if (!strcmp(a, "--max-wait-ms") && number(v, 3600000, &n))
            o->cfg.max_wait_ms = (int)n;
        else if (!strcmp(a, "--trim-margin") && number(v, 1000000000, &n) && n > 0)
            o->trim_margin = n;
        else if (!strcmp(a, "--access-key-id"))
            o->cfg.access_key_id = v;
        else if (!strcmp(a, "--access-key-secret"))
            o->cfg.access_key_secret = v;
        else if (!strcmp(a, "--keys"))
            o->cfg.keys_file = v;
        else
            goto bad;
    }
    if (o->publish && o->follow) {
        fputs("authz serve: --publish (a leader) and --follow (a follower) exclude each other\n",
              stderr);
        return CLI_USAGE;
    }
    if (o->publish && !o->data) {
        fputs("authz serve: --publish needs --data DIR (the journal is what is published)\n",
              stderr);
        return CLI_USAGE;
    }
    if (o->follow && o->load) {
        fputs("authz serve: a follower's model comes from the leader; --load is for a leader\n",
              stderr);
        return CLI_USAGE;
    }
    return CLI_OK;
bad:
    fprintf(stderr,
            "authz serve: unknown option, missing value or bad number"
            " (--port 0-65535, --threads 1-256)\n\n%s",
            help);
    return CLI_USAGE;
}

int cli_serve(int argc, char **argv) {
    if (cli_wants_help(argc, argv))
        return fputs(help, stdout), fputs(authz_forward_help, stdout), CLI_OK;
    serve_opts o;
    if (parse(argc, argv, &o)) return CLI_USAGE;
    bool keys = o.cfg.access_key_id && *o.cfg.access_key_id && o.cfg.access_key_secret &&
                *o.cfg.access_key_secret;
    if (!keys && !o.cfg.keys_file && !o.cfg.no_auth) {
        fputs(
            "authz serve: no access keys. Give --access-key-id and --access-key-secret (or set\n"
            "AUTHZ_ACCESS_KEY_ID and AUTHZ_ACCESS_KEY_SECRET), or --no-auth for a local "
            "experiment.\n",
            stderr);
        return CLI_USAGE;
    }
    if (strcmp(o.cfg.host, "127.0.0.1") != 0 && strcmp(o.cfg.host, "::1") != 0)
        fprintf(stderr, "authz serve: WARNING: --host %s is not loopback: others may reach it\n",
                o.cfg.host);
    if (o.cfg.no_auth)
        fputs("authz serve: WARNING: --no-auth: every request is accepted without credentials\n",
              stderr);
    authz_engine *e = cli_load_model(o.load);
    if (!e) return CLI_INPUT;
    authz_durable *durable = NULL;
    authz_replica *replica = NULL;
    authz__publisher *publisher = NULL;
    if (o.follow) {
        authz_replica_options ro;
        authz_replica_options_init(&ro);
        ro.url = o.follow;
        ro.stream = o.stream;
        ro.data_dir = o.data;
        ro.block_ms = 250; /* bounds how long a stop waits for the thread */
        authz_error rerr = {0};
        if (authz_replica_start(e, &ro, &replica, &rerr) != AUTHZ_OK) {
            fprintf(stderr, "authz serve: --follow: %s\n", rerr.message);
            authz_engine_free(e);
            return CLI_INPUT;
        }
        o.cfg.replica = replica;
    } else if (o.data) {
        char warning[512] = "";
        authz_error derr = {0};
        if (authz_durable_open(o.data, e, o.compact_bytes, &e, &durable, warning, sizeof warning,
                               &derr)) {
            fprintf(stderr, "authz serve: %s\n", derr.message);
            return CLI_INPUT;
        }
        if (warning[0]) fprintf(stderr, "authz serve: warning: %s\n", warning);
        o.cfg.durable = durable;
        /* A leader first compacts, so that the snapshot it publishes covers every write. */
        if (o.publish &&
            (authz_durable_compact(durable, &derr) != AUTHZ_OK ||
             authz__publisher_start(o.publish, o.stream, o.data, authz_durable_revision(durable),
                                    o.trim_margin, &publisher, &derr) != AUTHZ_OK)) {
            fprintf(stderr, "authz serve: --publish: %s\n", derr.message);
            authz_durable_close(durable);
            authz_engine_free(e);
            return CLI_INPUT;
        }
        authz_durable_set_publisher(durable, publisher);
        o.cfg.publisher = publisher;
    }
    if (o.user_directory) authz_set_user_directory(e, true);
    /* Block the stop signals while the server's threads are made (they inherit the mask), then
     * take them on this thread only. */
    sigset_t stop;
    if (!catch_stop_signals(&stop)) {
        perror("authz serve: signals");
        authz_replica_stop(replica);
        authz__publisher_stop(publisher);
        authz_durable_close(durable);
        authz_engine_free(e);
        return CLI_INPUT;
    }
    pthread_sigmask(SIG_BLOCK, &stop, NULL);
    authz_server *s;
    authz_error err = {0};
    if (authz_server_start(&o.cfg, e, &s, &err) != AUTHZ_OK) {
        fprintf(stderr, "authz serve: %s\n", err.message);
        authz_replica_stop(replica);
        authz__publisher_stop(publisher);
        authz_durable_close(durable);
        authz_engine_free(e);
        return CLI_INPUT;
    }
    bool v6 = strchr(o.cfg.host, ':') != NULL; /* an IPv6 literal goes in brackets in a URL */
    printf("listening on http://%s%s%s:%u\n", v6 ? "[" : "", o.cfg.host, v6 ? "]" : "",
           authz_server_port(s));
    if (o.forward.unix_path) printf("forward-auth on unix:%s\n", o.forward.unix_path);
    if (o.forward.listen) printf("forward-auth on http://%s\n", o.forward.listen);
    fflush(stdout);
    pthread_sigmask(SIG_UNBLOCK, &stop, NULL);
    int sig = wait_for_stop();
    fprintf(stderr, "authz serve: %s, stopping\n", sig == SIGINT ? "SIGINT" : "SIGTERM");
    authz_server_stop(s);
    authz_replica_stop(replica);
    authz__publisher_stop(publisher);
    authz_durable_close(durable);
    authz_engine_free(e);
    return CLI_OK;
}
