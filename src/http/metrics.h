/*
 * metrics.h - what GET /metrics reports (Prometheus text): requests by method and statusCode,
 * the server-side latency of is_action_allowed, and what the engine holds.
 */
#ifndef AUTHZ_HTTP_METRICS_H
#define AUTHZ_HTTP_METRICS_H

#include <stddef.h>

#include "authz.h"

typedef struct authz_metrics authz_metrics;

authz_metrics *authz_metrics_new(void);
void authz_metrics_free(authz_metrics *m);
/* One request: its method (NULL: not an API method) and envelope statusCode. */
void authz_metrics_count(authz_metrics *m, const char *method, int status_code);
void authz_metrics_check_latency(authz_metrics *m, double seconds);
/* The exposition text (malloc'ed). */
char *authz_metrics_render(authz_metrics *m, const authz_engine *e);

#endif
