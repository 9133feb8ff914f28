/*
 * apply.c - one journal record applied to an engine: the step journal replay (http/durable.c)
 * and replication (follower.c) share, so a follower's model is built exactly as a restarted
 * leader's is.
 */
#include <jansson.h>
#include <stdlib.h>
#include <string.h>

#include "authz_json.h"
#include "base/error.h"
#include "model/engine.h"
#include "replica/replica_internal.h"

authz_status authz__replica_apply(authz_engine *e, uint64_t seq, const char *payload, size_t len,
                                  authz_error *err) {
    json_t *rec = json_loadb(payload, len, 0, NULL);
    const char *method = json_string_value(json_object_get(rec, "method"));
    char *params = method ? json_dumps(json_object_get(rec, "params"), JSON_COMPACT) : NULL;
    char *resp = NULL;
    int code = 0;
    /* The leader's time of the write, when the record has one (records before it have none). */
    json_t *at = json_object_get(rec, "at");
    if (params && json_is_integer(at)) authz__pin_write_time(e, json_integer_value(at));
    authz_status st = params ? authz_call_json_ex(e, method, params, strlen(params), AUTHZ_LANG_EN,
                                                  0, &resp, &code)
                             : AUTHZ_ECORRUPT;
    authz__pin_write_time(e, 0);
    /* An engine out of memory answers 500: that is not the record's fault. */
    if (!st && code == 500) st = AUTHZ_ENOMEM;
    if (!st && code != 200) st = AUTHZ_ECORRUPT;
    if (st)
        authz__fail(err, st, AUTHZ_OBJ_NONE, "journal", -1,
                    "journal record %llu does not replay (%s): %.*s", (unsigned long long)seq,
                    resp ? resp : "not a request", (int)(len < 120 ? len : 120), payload);
    authz_free(resp);
    free(params);
    json_decref(rec);
    return st;
}
