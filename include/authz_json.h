/*
 * authz_json.h - the GenAuth JSON front door (library part `authz_json`, links jansson).
 *
 * Every operation is reachable by its GenAuth method name (the Python SDK's snake_case names,
 * e.g. "create_namespace", "is_action_allowed") with GenAuth's request fields (camelCase) and
 * answers GenAuth's response envelope:
 *
 *   {"statusCode": 200, "message": "", "requestId": "...", "data": ...}            success
 *   {"statusCode": 404, "message": "...", "apiCode": 40402, "requestId": "..."}    failure
 *
 * One dispatch table (authz_json_methods()) maps each method to its parser, engine call and
 * writer; the CLI, the HTTP server and the fuzzers all go through it.
 */
#ifndef AUTHZ_JSON_H
#define AUTHZ_JSON_H

#include "authz.h"

#ifdef __cplusplus
extern "C" {
#endif

/** Message language of error envelopes. */
typedef enum authz_lang { AUTHZ_LANG_EN = 0, AUTHZ_LANG_ZH_CN = 1 } authz_lang;

/** Parses "zh-CN" (and "zh", "zh_CN") as AUTHZ_LANG_ZH_CN, anything else as English. */
AUTHZ_API authz_lang authz_lang_parse(const char *s);

/** How a method is reached over HTTP. */
typedef enum authz_http_method { AUTHZ_HTTP_GET = 0, AUTHZ_HTTP_POST = 1 } authz_http_method;

/** One row of the dispatch table, as the transports see it. */
typedef struct authz_json_method {
    const char *name;       /* "get_resources_batch" */
    const char *path;       /* "/api/v3/get-resources-batch" */
    authz_http_method http; /* GenAuth's HTTP method for it */
    bool is_write;          /* true if it may change the engine (for journals, metrics) */
} authz_json_method;

/** The dispatch table's public rows; `*count` receives their number. Static. */
AUTHZ_API const authz_json_method *authz_json_methods(size_t *count);
/** Finds a method by snake_case name, or NULL. */
AUTHZ_API const authz_json_method *authz_json_find_method(const char *name);
/** Finds a method by HTTP path ("/api/v3/create-role"), or NULL. */
AUTHZ_API const authz_json_method *authz_json_find_path(const char *path);

/**
 * Runs one request. `request` is the JSON text of the request object (`len` bytes; need not be
 * NUL-terminated). `*response` receives the envelope as a NUL-terminated JSON string which the
 * caller frees with authz_free(). Every failure of the request (unknown method, malformed JSON,
 * missing field, engine error) is an envelope with AUTHZ_OK returned; only a failure to build
 * any envelope at all (out of memory) returns an error status with `*response` NULL.
 */
AUTHZ_API authz_status authz_call_json(authz_engine *e, const char *method, const char *request,
                                       size_t len, authz_lang lang, char **response);

/** Flags of authz_call_json_ex(). */
enum {
    /*
     * The request object was built from a URL query string (GET): every value is a string, or an
     * array of strings for a repeated or `k[]` key. Each field is coerced to the type its method
     * declares: numbers from decimal strings, booleans from true/false/True/False, and an array
     * field given one string is split on commas ("a,b" -> ["a","b"]).
     */
    AUTHZ_JSON_QUERY = 1u
};

/**
 * authz_call_json with flags; `status_code` (optional) receives the envelope's statusCode so a
 * transport can count outcomes without parsing the response again.
 */
AUTHZ_API authz_status authz_call_json_ex(authz_engine *e, const char *method, const char *request,
                                          size_t len, authz_lang lang, unsigned flags,
                                          char **response, int *status_code);

/**
 * An error envelope built by a transport rather than a method: `status_code` and `api_code` as
 * given (e.g. 401 and 1300 for a bad signature, 400 for a malformed line), a fresh requestId.
 * `*response` is freed with authz_free().
 */
AUTHZ_API authz_status authz_json_error_envelope(const authz_engine *e, int status_code,
                                                 int api_code, const char *message,
                                                 char **response);

/**
 * Routes jansson's allocations through `a` (process-wide: jansson has one allocator). NULL
 * restores malloc/free. Call before any JSON work, not concurrently with it.
 */
AUTHZ_API void authz_json_set_allocator(const authz_allocator *a);

#ifdef __cplusplus
}
#endif

#endif /* AUTHZ_JSON_H */
