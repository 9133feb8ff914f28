/*
 * envelope.c - GenAuth's response envelope: {statusCode, message, apiCode?, requestId, data?}.
 * Messages are English (the engine's own, naming the field and item) unless the caller asked
 * for zh-CN, in which case the Chinese text GenAuth itself answers is used where the wire
 * spec records one.
 */
#include "envelope.h"

#include <stdatomic.h>
#include <stdio.h>
#include <string.h>
#include <sys/random.h>

authz_lang authz_lang_parse(const char *s) {
    if (s &&
        (!strcmp(s, "zh-CN") || !strcmp(s, "zh") || !strcmp(s, "zh_CN") || !strcmp(s, "zh-cn")))
        return AUTHZ_LANG_ZH_CN;
    return AUTHZ_LANG_EN;
}

/* Unique per process: a random 64-bit start, then a counter, each value scrambled. */
static uint64_t mix(uint64_t z) {
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    return z ^ (z >> 31);
}

static void request_id(char out[37]) {
    static _Atomic uint64_t counter;
    static _Atomic uint64_t base;
    uint64_t b = atomic_load(&base);
    if (b == 0) {
        uint64_t r = 0;
        if (getrandom(&r, sizeof r, 0) != sizeof r) r = (uint64_t)(uintptr_t)&counter;
        r |= 1;
        uint64_t zero = 0;
        atomic_compare_exchange_strong(&base, &zero, r);
        b = atomic_load(&base);
    }
    uint64_t n = atomic_fetch_add(&counter, 1);
    uint64_t hi = mix(b + n), lo = mix(hi ^ n) ^ b;
    snprintf(out, 37, "%08x-%04x-4%03x-%04x-%012llx", (unsigned)(hi >> 32),
             (unsigned)(hi >> 16) & 0xffff, (unsigned)hi & 0xfff,
             (unsigned)((lo >> 48) & 0x3fff) | 0x8000,
             (unsigned long long)(lo & 0xffffffffffffULL));
}

static const char *zh_not_found(authz_object o) {
    switch (o) {
        case AUTHZ_OBJ_NAMESPACE:
            return "权限组不存在";
        case AUTHZ_OBJ_RESOURCE:
            return "资源不存在";
        case AUTHZ_OBJ_ROLE:
            return "角色不存在";
        case AUTHZ_OBJ_GROUP:
            return "分组不存在";
        case AUTHZ_OBJ_USER:
            return "用户不存在";
        case AUTHZ_OBJ_DEPARTMENT:
            return "部门不存在";
        case AUTHZ_OBJ_GRANT:
        case AUTHZ_OBJ_NONE:
            break;
    }
    return NULL;
}

/* GenAuth's generic 400 names the top-level field: "参数 list 格式错误". */
static void zh_bad_field(const char *field, char *buf, size_t cap) {
    size_t n = strcspn(field, "[.");
    snprintf(buf, cap, "参数 %.*s 格式错误", (int)n, field);
}

/* The engine names a batch item by index; say so unless the message already does. */
static const char *english(const authz_error *err, char *buf, size_t cap) {
    char tag[24];
    snprintf(tag, sizeof tag, "[%d]", (int)err->item);
    if (err->item < 0 || strstr(err->message, tag)) return err->message;
    snprintf(buf, cap, "%s (item %d)", err->message, (int)err->item);
    return buf;
}

const char *authz__json_message(const authz_error *err, authz_lang lang, char *buf, size_t cap) {
    if (lang != AUTHZ_LANG_ZH_CN) return english(err, buf, cap);
    switch (err->status) {
        case AUTHZ_ENOTFOUND: {
            /* get-namespace and get-authorized-resources answer English in every language */
            if (!strcmp(err->message, "namespace not exists") ||
                !strncmp(err->message, "group not exists with code: ", 28) ||
                !strncmp(err->message, "organization not found for code: ", 33))
                return err->message;
            const char *m = zh_not_found(err->object);
            return m ? m : err->message;
        }
        case AUTHZ_EEXIST:
            if (err->object == AUTHZ_OBJ_USER && !strcmp(err->field, "username"))
                return "用户名已存在";
            return err->object == AUTHZ_OBJ_GROUP ? "分组标识符已存在" : err->message;
        case AUTHZ_EINVAL:
        case AUTHZ_ELIMIT:
            /* "invalid role code: x" is GenAuth's own wording in every language, and so are the
             * batch create messages conform.c words as the cloud does. */
            if (!strncmp(err->message, "invalid ", 8) || !err->field[0] ||
                !strcmp(err->message, "namespace name must not be empty") ||
                !strcmp(err->message, "role code must not empty"))
                return err->message;
            zh_bad_field(err->field, buf, cap);
            return buf;
        case AUTHZ_OK:
        case AUTHZ_ERULE:
        case AUTHZ_ENOMEM:
        case AUTHZ_ECORRUPT:
        case AUTHZ_EIO:
        case AUTHZ_EINTERNAL:
        case AUTHZ_ETIMEDOUT:
        case AUTHZ_EUNAVAILABLE:
            break;
    }
    return err->message;
}

json_t *authz__json_envelope(authz_status st, const authz_error *err, json_t *data,
                             authz_lang lang) {
    char id[37], buf[320];
    request_id(id);
    if (st == AUTHZ_OK)
        return json_pack("{s:i,s:s,s:s,s:o}", "statusCode", 200, "message", "", "requestId", id,
                         "data", data ? data : json_null());
    json_decref(data);
    return json_pack("{s:i,s:s,s:i,s:s}", "statusCode", authz_status_code(st), "message",
                     authz__json_message(err, lang, buf, sizeof buf), "apiCode",
                     authz_api_code(err), "requestId", id);
}

json_t *authz__json_raw_error(int status_code, int api_code, const char *message) {
    char id[37];
    request_id(id);
    return json_pack("{s:i,s:s,s:i,s:s}", "statusCode", status_code, "message",
                     message ? message : "", "apiCode", api_code, "requestId", id);
}
