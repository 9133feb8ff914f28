/*
 * listen.h - /authz/forward over libmicrohttpd: the handler the main server calls for its own
 * port, and the listener of its own (--forward-listen HOST:PORT or --forward-unix PATH).
 */
#ifndef AUTHZ_FORWARD_LISTEN_H
#define AUTHZ_FORWARD_LISTEN_H

#include <microhttpd.h>
#include <stdbool.h>
#include <stdint.h>

#include "forward/forward.h"

/* Whether `raw_uri` (undecoded, as it came) is for the forward endpoint: /authz/forward,
 * followed by nothing, '/' or '?'. */
bool authz_forward_is_path(const char *raw_uri);

/* Answers one forward-auth request on connection `c` (the raw URI as it came). */
enum MHD_Result authz_forward_respond(authz_forward *f, struct MHD_Connection *c,
                                      const char *method, const char *raw_uri, bool needs_secret);

typedef struct authz_forward_listener authz_forward_listener;

/* A TCP address "HOST:PORT" ("[v6]:PORT") or a unix socket path (an existing socket file there
 * is replaced). A non-loopback TCP address needs a secret. NULL with `why` on failure. */
authz_forward_listener *authz_forward_listener_start(authz_forward *f, const char *listen,
                                                     const char *unix_path, unsigned threads,
                                                     const char *secret, char *why,
                                                     size_t why_size);
uint16_t authz_forward_listener_port(const authz_forward_listener *l);
void authz_forward_listener_stop(authz_forward_listener *l);

#endif
