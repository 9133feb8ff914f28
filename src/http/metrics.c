/*
 * metrics.c - counters for GET /metrics (see metrics.h). Counting takes one short mutex; the
 * scrape copies everything under it and formats outside.
 */
#include "metrics.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "authz_json.h"

static const int STATUSES[] = {200, 400, 401, 403, 404, 409, 413, 422, 503, 500};
#define NSTATUS (sizeof STATUSES / sizeof STATUSES[0])
#define NMETHODS 64
static const double BUCKETS[] = {1e-6, 2e-6, 5e-6, 1e-5, 2e-5, 5e-5, 1e-4, 2e-4, 5e-4, 1e-3, 1e-2};
#define NBUCKETS (sizeof BUCKETS / sizeof BUCKETS[0])

struct authz_metrics {
    pthread_mutex_t lock;
    unsigned long long requests[NMETHODS + 1][NSTATUS];
    unsigned long long buckets[NBUCKETS + 1];
    double latency_sum;
};

authz_metrics *authz_metrics_new(void) {
    authz_metrics *m = calloc(1, sizeof *m);
    if (m) pthread_mutex_init(&m->lock, NULL);
    return m;
}

void authz_metrics_free(authz_metrics *m) {
    if (!m) return;
    pthread_mutex_destroy(&m->lock);
    free(m);
}

static size_t method_index(const char *method) {
    size_t n;
    const authz_json_method *t = authz_json_methods(&n);
    for (size_t i = 0; method && i < n && i < NMETHODS; i++)
        if (!strcmp(t[i].name, method)) return i;
    return NMETHODS;
}

void authz_metrics_count(authz_metrics *m, const char *method, int status_code) {
    size_t s = 0;
    while (s + 1 < NSTATUS && STATUSES[s] != status_code) s++;
    if (STATUSES[s] != status_code) s = NSTATUS - 1;
    size_t i = method_index(method);
    pthread_mutex_lock(&m->lock);
    m->requests[i][s]++;
    pthread_mutex_unlock(&m->lock);
}

void authz_metrics_check_latency(authz_metrics *m, double seconds) {
    size_t b = 0;
    while (b < NBUCKETS && seconds > BUCKETS[b]) b++;
    pthread_mutex_lock(&m->lock);
    m->buckets[b]++;
    m->latency_sum += seconds;
    pthread_mutex_unlock(&m->lock);
}

char *authz_metrics_render(authz_metrics *m, const authz_engine *e) {
    authz_metrics copy;
    pthread_mutex_lock(&m->lock);
    memcpy(&copy, m, sizeof copy);
    pthread_mutex_unlock(&m->lock);
    char *out = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&out, &len);
    if (!f) return NULL;
    size_t n;
    const authz_json_method *t = authz_json_methods(&n);
    fputs(
        "# HELP authz_requests_total Requests by method and envelope statusCode.\n"
        "# TYPE authz_requests_total counter\n",
        f);
    for (size_t i = 0; i <= NMETHODS; i++)
        for (size_t s = 0; s < NSTATUS; s++)
            if (copy.requests[i][s])
                fprintf(f, "authz_requests_total{method=\"%s\",status=\"%d\"} %llu\n",
                        i < n && i < NMETHODS ? t[i].name : "other", STATUSES[s],
                        copy.requests[i][s]);
    fputs(
        "# HELP authz_check_seconds Server-side time of is_action_allowed.\n"
        "# TYPE authz_check_seconds histogram\n",
        f);
    unsigned long long cum = 0;
    for (size_t b = 0; b <= NBUCKETS; b++) {
        cum += copy.buckets[b];
        if (b < NBUCKETS)
            fprintf(f, "authz_check_seconds_bucket{le=\"%g\"} %llu\n", BUCKETS[b], cum);
        else
            fprintf(f, "authz_check_seconds_bucket{le=\"+Inf\"} %llu\n", cum);
    }
    fprintf(f, "authz_check_seconds_sum %.9f\nauthz_check_seconds_count %llu\n", copy.latency_sum,
            cum);
    authz_stats st;
    if (authz_get_stats(e, &st) == AUTHZ_OK) {
        fputs("# HELP authz_objects What the engine holds.\n# TYPE authz_objects gauge\n", f);
        fprintf(f,
                "authz_objects{kind=\"grants\"} %zu\nauthz_objects{kind=\"namespaces\"} %zu\n"
                "authz_objects{kind=\"resources\"} %zu\nauthz_objects{kind=\"roles\"} %zu\n"
                "authz_objects{kind=\"groups\"} %zu\nauthz_objects{kind=\"users\"} %zu\n"
                "authz_objects{kind=\"departments\"} %zu\nauthz_memory_bytes %zu\n",
                st.grants, st.namespaces, st.resources, st.roles, st.groups, st.users,
                st.departments, st.bytes);
    }
    fclose(f);
    return out;
}
