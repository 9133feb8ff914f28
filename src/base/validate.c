/*
 * validate.c - identifier syntax (see validate.h). Messages follow GenAuth's own wording where
 * it has one ("invalid role code: x").
 */
#include "base/validate.h"

#include <string.h>

#include "base/error.h"

static const char *obj_word(authz_object obj) {
    switch (obj) {
        case AUTHZ_OBJ_NAMESPACE:
            return "namespace";
        case AUTHZ_OBJ_RESOURCE:
            return "resource";
        case AUTHZ_OBJ_ROLE:
            return "role";
        case AUTHZ_OBJ_GROUP:
            return "group";
        case AUTHZ_OBJ_USER:
            return "user";
        case AUTHZ_OBJ_DEPARTMENT:
            return "department";
        case AUTHZ_OBJ_GRANT:
            return "grant";
        case AUTHZ_OBJ_NONE:
            break;
    }
    return "object";
}

bool authz__utf8_valid(const char *str, size_t n) {
    const unsigned char *s = (const unsigned char *)str;
    size_t i = 0;
    while (i < n) {
        unsigned c = s[i];
        size_t len;
        unsigned min;
        if (c < 0x80) {
            i++;
            continue;
        } else if ((c & 0xe0) == 0xc0) {
            len = 2, min = 0x80, c &= 0x1f;
        } else if ((c & 0xf0) == 0xe0) {
            len = 3, min = 0x800, c &= 0x0f;
        } else if ((c & 0xf8) == 0xf0) {
            len = 4, min = 0x10000, c &= 0x07;
        } else {
            return false;
        }
        if (i + len > n) return false;
        for (size_t k = 1; k < len; k++) {
            if ((s[i + k] & 0xc0) != 0x80) return false;
            c = (c << 6) | (s[i + k] & 0x3fu);
        }
        if (c < min || c > 0x10ffff || (c >= 0xd800 && c <= 0xdfff)) return false;
        i += len;
    }
    return true;
}

static bool code_char(char c, bool dot) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' ||
           c == '-' || (dot && c == '.');
}

static authz_status check_code_chars(authz_error *err, authz_object obj, const char *field,
                                     int32_t item, const char *code, bool dot) {
    if (!code || !*code)
        return authz__fail(err, AUTHZ_EINVAL, obj, field, item, "%s is required", field);
    size_t n = strlen(code);
    if (n > AUTHZ__CODE_MAX)
        return authz__fail(err, AUTHZ_EINVAL, obj, field, item, "%s must be at most %d bytes",
                           field, AUTHZ__CODE_MAX);
    for (size_t i = 0; i < n; i++)
        if (!code_char(code[i], dot))
            return authz__fail(err, AUTHZ_EINVAL, obj, field, item, "invalid %s code: %s",
                               obj_word(obj), code);
    return AUTHZ_OK;
}

authz_status authz__check_code(authz_error *err, authz_object obj, const char *field, int32_t item,
                               const char *code) {
    return check_code_chars(err, obj, field, item, code, false);
}

authz_status authz__check_resource_code(authz_error *err, const char *field, int32_t item,
                                        const char *code) {
    return check_code_chars(err, AUTHZ_OBJ_RESOURCE, field, item, code, true);
}

static bool printable_utf8(const char *s, size_t n, bool allow_space) {
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)s[i];
        if (c < 0x20 || c == 0x7f || (!allow_space && c == ' ')) return false;
    }
    return authz__utf8_valid(s, n);
}

authz_status authz__check_ident(authz_error *err, authz_object obj, const char *field, int32_t item,
                                const char *id) {
    if (!id || !*id)
        return authz__fail(err, AUTHZ_EINVAL, obj, field, item, "%s is required", field);
    size_t n = strlen(id);
    if (n > AUTHZ__ID_MAX)
        return authz__fail(err, AUTHZ_EINVAL, obj, field, item, "%s must be at most %d bytes",
                           field, AUTHZ__ID_MAX);
    if (!printable_utf8(id, n, true))
        return authz__fail(err, AUTHZ_EINVAL, obj, field, item, "invalid %s id", obj_word(obj));
    return AUTHZ_OK;
}

authz_status authz__check_text(authz_error *err, const char *field, int32_t item, const char *s,
                               size_t max) {
    if (!s) return AUTHZ_OK;
    size_t n = strlen(s);
    if (n > max)
        return authz__fail(err, AUTHZ_EINVAL, AUTHZ_OBJ_NONE, field, item,
                           "%s must be at most %zu bytes", field, max);
    if (!authz__utf8_valid(s, n))
        return authz__fail(err, AUTHZ_EINVAL, AUTHZ_OBJ_NONE, field, item, "%s is not valid UTF-8",
                           field);
    return AUTHZ_OK;
}

authz_status authz__check_action(authz_error *err, const char *field, int32_t item,
                                 const char *action) {
    if (!action || !*action)
        return authz__fail(err, AUTHZ_EINVAL, AUTHZ_OBJ_NONE, field, item, "%s is required", field);
    size_t n = strlen(action);
    if (n > AUTHZ__ID_MAX || !printable_utf8(action, n, false))
        return authz__fail(err, AUTHZ_EINVAL, AUTHZ_OBJ_NONE, field, item, "invalid action: %.128s",
                           action);
    return AUTHZ_OK;
}

static bool instance_valid(const char *id, size_t n) {
    if (n == 0 || n > AUTHZ__ID_MAX) return false;
    for (size_t i = 0; i < n; i++)
        if (id[i] <= 0x20 || id[i] >= 0x7f) return false;
    return true;
}

authz_status authz__check_resource_string(authz_error *err, const char *field, int32_t item,
                                          const char *s, size_t *code_len) {
    if (!s || !*s)
        return authz__fail(err, AUTHZ_EINVAL, AUTHZ_OBJ_RESOURCE, field, item, "%s is required",
                           field);
    if (strcmp(s, "*") == 0) {
        *code_len = 1;
        return AUTHZ_OK;
    }
    const char *colon = strchr(s, ':');
    size_t n = colon ? (size_t)(colon - s) : strlen(s);
    bool ok = n >= 1 && n <= AUTHZ__CODE_MAX;
    for (size_t i = 0; ok && i < n; i++) ok = code_char(s[i], true);
    if (ok && colon) ok = instance_valid(colon + 1, strlen(colon + 1));
    if (!ok)
        return authz__fail(err, AUTHZ_EINVAL, AUTHZ_OBJ_RESOURCE, field, item,
                           "invalid resource: %.200s", s);
    *code_len = n;
    return AUTHZ_OK;
}

authz_status authz__check_resource_rest(authz_error *err, const char *field, int32_t item,
                                        const char *s, size_t code_len) {
    if (!s[code_len] ||
        (s[code_len] == ':' && instance_valid(s + code_len + 1, strlen(s + code_len + 1))))
        return AUTHZ_OK;
    return authz__fail(err, AUTHZ_EINVAL, AUTHZ_OBJ_RESOURCE, field, item,
                       "invalid resource: %.200s", s);
}

authz_status authz__check_count(authz_error *err, const char *field, const void *items, size_t n,
                                size_t min, size_t max) {
    if (n > 0 && !items)
        return authz__fail(err, AUTHZ_EINVAL, AUTHZ_OBJ_NONE, field, -1, "%s is NULL", field);
    if (n < min)
        return authz__fail(err, AUTHZ_EINVAL, AUTHZ_OBJ_NONE, field, -1,
                           "%s must have at least %zu item(s)", field, min);
    if (n > max)
        return authz__fail(err, AUTHZ_ELIMIT, AUTHZ_OBJ_NONE, field, -1,
                           "%s must have at most %zu items", field, max);
    return AUTHZ_OK;
}

authz_status authz__check_page(authz_error *err, const authz_page *p, size_t *page_out,
                               size_t *limit_out) {
    *page_out = p ? p->page : 1;
    *limit_out = p ? p->limit : 10;
    if (*page_out < 1)
        return authz__fail(err, AUTHZ_EINVAL, AUTHZ_OBJ_NONE, "page", -1,
                           "page must be at least 1");
    if (*limit_out < 1 || *limit_out > 50)
        return authz__fail(err, AUTHZ_EINVAL, AUTHZ_OBJ_NONE, "limit", -1,
                           "limit must be between 1 and 50");
    return AUTHZ_OK;
}
