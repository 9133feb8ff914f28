/*
 * envelope.h - the GenAuth response envelope and its messages.
 */
#ifndef AUTHZ_JSON_ENVELOPE_H
#define AUTHZ_JSON_ENVELOPE_H

#include <jansson.h>

#include "authz.h"
#include "authz_json.h"

/* The envelope for an outcome; takes ownership of `data`. NULL when out of memory. */
json_t *authz__json_envelope(authz_status st, const authz_error *err, json_t *data,
                             authz_lang lang);
/* An error envelope with explicit codes (for transports). */
json_t *authz__json_raw_error(int status_code, int api_code, const char *message);
/* The message for an error in a language (may return `buf`). */
const char *authz__json_message(const authz_error *err, authz_lang lang, char *buf, size_t cap);

#endif
