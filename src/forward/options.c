/*
 * options.c - `authz serve`'s forward-auth options (see forward.h), parsed here so that the
 * command's own file only hands them over.
 */
#include <stdlib.h>
#include <string.h>

#include "forward/forward.h"

const char authz_forward_help[] =
    "\n"
    "Forward auth (nginx auth_request, Caddy forward_auth, Traefik ForwardAuth, Envoy ext_authz):\n"
    "any method on /authz/forward answers 200/401/403 for the request the gateway describes in\n"
    "X-Forwarded-Method+X-Forwarded-Uri, X-Original-Method+X-Original-URI, or the path after\n"
    "/authz/forward; API resources' apiIdentifier templates are the routes, the method the "
    "action.\n"
    "  --forward-listen HOST:PORT | --forward-unix PATH   a listener of its own\n"
    "  --forward-secret S          required in X-Authz-Forward-Secret where not loopback\n"
    "  --user-header NAME          the trusted user header (default X-User-Id)\n"
    "  --jwks FILE [--jwt-issuer ISS] [--jwt-audience AUD]   verify a bearer JWT; sub = user\n"
    "  --forward-namespace CODE [--forward-allow-namespace-header]   (default: default)\n"
    "  --forward-unmatched deny|allow   a path no route matches (default deny: 403)\n"
    "  --decision-log PATH|- [--decision-log-sample N]   one JSON line per decision\n";

int authz_forward_option(authz_forward_config *c, const char *name, const char *value) {
    if (!strcmp(name, "--forward-allow-namespace-header")) return c->allow_ns_header = true, 1;
    if (strncmp(name, "--forward-", 10) != 0 && strcmp(name, "--user-header") != 0 &&
        strncmp(name, "--jw", 4) != 0 && strncmp(name, "--decision-log", 14) != 0)
        return 0;
    if (!value) return -1;
    if (!strcmp(name, "--forward-listen"))
        c->listen = value;
    else if (!strcmp(name, "--forward-unix"))
        c->unix_path = value;
    else if (!strcmp(name, "--forward-secret"))
        c->secret = value;
    else if (!strcmp(name, "--user-header") && *value)
        c->user_header = value;
    else if (!strcmp(name, "--jwks"))
        c->jwks_path = value;
    else if (!strcmp(name, "--jwt-issuer"))
        c->issuer = value;
    else if (!strcmp(name, "--jwt-audience"))
        c->audience = value;
    else if (!strcmp(name, "--forward-namespace") && *value)
        c->ns = value;
    else if (!strcmp(name, "--forward-unmatched") &&
             (!strcmp(value, "allow") || !strcmp(value, "deny")))
        c->unmatched_allow = !strcmp(value, "allow");
    else if (!strcmp(name, "--decision-log"))
        c->decision_log = value;
    else if (!strcmp(name, "--decision-log-sample")) {
        char *end;
        unsigned long n = strtoul(value, &end, 10);
        if (*value < '1' || *value > '9' || *end || n > 1000000) return -1;
        c->decision_log_sample = (unsigned)n;
    } else
        return -1;
    return 2;
}
