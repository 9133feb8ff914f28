/*
 * fields.c - reading request fields (see jctx.h).
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "jctx.h"

struct jblock {
    jblock *next;
    max_align_t data[];
};

void *jctx_alloc(jctx *c, size_t size) {
    jblock *b = malloc(sizeof *b + size);
    if (!b) {
        jctx_fail(c, AUTHZ_ENOMEM, "", -1, "out of memory");
        return NULL;
    }
    b->next = c->arena;
    c->arena = b;
    return b->data;
}

void jctx_release(jctx *c) {
    while (c->arena) {
        jblock *next = c->arena->next;
        free(c->arena);
        c->arena = next;
    }
}

authz_status jctx_fail(jctx *c, authz_status st, const char *field, int32_t item, const char *fmt,
                       ...) {
    c->err.status = st;
    c->err.object = AUTHZ_OBJ_NONE;
    c->err.item = item;
    snprintf(c->err.field, sizeof c->err.field, "%s", field);
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(c->err.message, sizeof c->err.message, fmt, ap);
    va_end(ap);
    return st;
}

void jctx_in_item(jctx *c, const char *list, size_t i) {
    char field[sizeof c->err.field], message[sizeof c->err.message];
    /* Truncation is fine: these are messages for people. */
    snprintf(field, sizeof field, "%.16s[%zu].%.40s", list, i, c->err.field);
    snprintf(message, sizeof message, "%.16s[%zu]: %.220s", list, i, c->err.message);
    memcpy(c->err.field, field, sizeof field);
    memcpy(c->err.message, message, sizeof message);
    c->err.item = (int32_t)i;
}

json_t *jfield(json_t *obj, const char *key) {
    json_t *v = obj ? json_object_get(obj, key) : NULL;
    return json_is_null(v) ? NULL : v;
}

static authz_status missing(jctx *c, const char *path) {
    return jctx_fail(c, AUTHZ_EINVAL, path, -1, "missing required field: %s", path);
}

static authz_status wrong(jctx *c, const char *path, const char *want) {
    return jctx_fail(c, AUTHZ_EINVAL, path, -1, "field %s must be %s", path, want);
}

authz_status jstr(jctx *c, json_t *obj, const char *key, const char *path, bool required,
                  const char **out) {
    json_t *v = jfield(obj, key);
    *out = NULL;
    if (!v) return required ? missing(c, path) : AUTHZ_OK;
    if (!json_is_string(v)) return wrong(c, path, "a string");
    if (strlen(json_string_value(v)) != json_string_length(v))
        return jctx_fail(c, AUTHZ_EINVAL, path, -1, "field %s contains a NUL character", path);
    *out = json_string_value(v);
    return AUTHZ_OK;
}

static bool parse_int(const char *s, int64_t *out) {
    if (!*s) return false;
    char *end;
    errno = 0;
    long long v = strtoll(s, &end, 10);
    if (errno || *end) return false;
    *out = v;
    return true;
}

authz_status jint(jctx *c, json_t *obj, const char *key, const char *path, bool required,
                  int64_t *out, bool *present) {
    json_t *v = jfield(obj, key);
    if (present) *present = v != NULL;
    if (!v) return required ? missing(c, path) : AUTHZ_OK;
    if (json_is_integer(v)) return *out = json_integer_value(v), AUTHZ_OK;
    /* GenAuth types some millisecond times as strings (createRole.disableTime), and GET
     * queries carry every number as text. */
    if (json_is_string(v) && parse_int(json_string_value(v), out)) return AUTHZ_OK;
    return wrong(c, path, "an integer");
}

authz_status jbool(jctx *c, json_t *obj, const char *key, const char *path, bool *out,
                   bool *present) {
    json_t *v = jfield(obj, key);
    if (present) *present = v != NULL;
    if (!v) return AUTHZ_OK;
    if (json_is_boolean(v)) return *out = json_is_true(v), AUTHZ_OK;
    if (c->query && json_is_string(v)) {
        const char *s = json_string_value(v);
        if (!strcmp(s, "true") || !strcmp(s, "True")) return *out = true, AUTHZ_OK;
        if (!strcmp(s, "false") || !strcmp(s, "False")) return *out = false, AUTHZ_OK;
    }
    return wrong(c, path, "a boolean");
}

/* Query mode: "a,b" is the list ["a", "b"]. The pieces live in the request arena. */
static authz_status split_commas(jctx *c, const char *s, const char ***out, size_t *n) {
    size_t count = 1;
    for (const char *p = s; *p; p++) count += *p == ',';
    if (count > AUTHZ__JSON_MAX_LIST) return jctx_fail(c, AUTHZ_ELIMIT, "", -1, "list too long");
    size_t len = strlen(s);
    const char **items = jctx_alloc(c, count * sizeof *items);
    char *copy = jctx_alloc(c, len + 1);
    if (!items || !copy) return AUTHZ_ENOMEM;
    memcpy(copy, s, len + 1);
    *n = 0;
    for (char *p = copy, *comma; p; p = comma ? comma + 1 : NULL) {
        comma = strchr(p, ',');
        if (comma) *comma = '\0';
        items[(*n)++] = p;
    }
    *out = items;
    return AUTHZ_OK;
}

authz_status jstrs(jctx *c, json_t *obj, const char *key, const char *path, bool required,
                   const char ***out, size_t *n) {
    json_t *v = jfield(obj, key);
    *out = NULL;
    *n = 0;
    if (!v) return required ? missing(c, path) : AUTHZ_OK;
    if (c->query && json_is_string(v)) {
        authz_status st = split_commas(c, json_string_value(v), out, n);
        if (st == AUTHZ_ELIMIT) snprintf(c->err.field, sizeof c->err.field, "%s", path);
        return st;
    }
    if (!json_is_array(v)) return wrong(c, path, "a list of strings");
    size_t count = json_array_size(v);
    if (count > AUTHZ__JSON_MAX_LIST)
        return jctx_fail(c, AUTHZ_ELIMIT, path, -1, "field %s has too many items", path);
    const char **items = jctx_alloc(c, (count ? count : 1) * sizeof *items);
    if (!items) return AUTHZ_ENOMEM;
    for (size_t i = 0; i < count; i++) {
        json_t *s = json_array_get(v, i);
        if (!json_is_string(s))
            return jctx_fail(c, AUTHZ_EINVAL, path, (int32_t)i, "%s[%zu] must be a string", path,
                             i);
        items[i] = json_string_value(s);
    }
    *out = items;
    *n = count;
    return AUTHZ_OK;
}

authz_status jobjs(jctx *c, json_t *obj, const char *key, const char *path, bool required,
                   json_t **out, size_t *n) {
    json_t *v = jfield(obj, key);
    *out = NULL;
    *n = 0;
    if (!v) return required ? missing(c, path) : AUTHZ_OK;
    if (!json_is_array(v)) return wrong(c, path, "a list of objects");
    size_t count = json_array_size(v);
    if (count > AUTHZ__JSON_MAX_LIST)
        return jctx_fail(c, AUTHZ_ELIMIT, path, -1, "field %s has too many items", path);
    for (size_t i = 0; i < count; i++)
        if (!json_is_object(json_array_get(v, i)))
            return jctx_fail(c, AUTHZ_EINVAL, path, (int32_t)i, "%s[%zu] must be an object", path,
                             i);
    *out = v;
    *n = count;
    return AUTHZ_OK;
}

authz_status jtarget_type(jctx *c, json_t *obj, const char *key, const char *path, bool required,
                          authz_target_type *out, bool *present) {
    const char *s;
    authz_status st = jstr(c, obj, key, path, required, &s);
    if (present) *present = s != NULL;
    if (st || !s) return st;
    if (authz_target_type_parse(s, out) != AUTHZ_OK)
        return jctx_fail(c, AUTHZ_EINVAL, path, -1,
                         "field %s must be USER, ROLE, GROUP or DEPARTMENT, not \"%.40s\"", path,
                         s);
    return AUTHZ_OK;
}

authz_status jresource_type(jctx *c, json_t *obj, const char *key, const char *path, bool required,
                            authz_resource_type *out, bool *present) {
    const char *s;
    authz_status st = jstr(c, obj, key, path, required, &s);
    if (present) *present = s != NULL;
    if (st || !s) return st;
    if (authz_resource_type_parse(s, out) != AUTHZ_OK)
        return jctx_fail(c, AUTHZ_EINVAL, path, -1,
                         "field %s must be DATA, API, MENU, BUTTON or UI, not \"%.40s\"", path, s);
    return AUTHZ_OK;
}

authz_status jpage(jctx *c, authz_page *out) {
    int64_t page = 1, limit = 10;
    authz_status st = jint(c, c->req, "page", "page", false, &page, NULL);
    if (!st) st = jint(c, c->req, "limit", "limit", false, &limit, NULL);
    if (st) return st;
    if (page < 1 || page > UINT32_MAX)
        return jctx_fail(c, AUTHZ_EINVAL, "page", -1, "page must be at least 1");
    if (limit < 1 || limit > 50)
        return jctx_fail(c, AUTHZ_EINVAL, "limit", -1, "limit must be between 1 and 50");
    *out = (authz_page){(uint32_t)page, (uint32_t)limit};
    return AUTHZ_OK;
}

json_t *jstring(const char *s) { return json_string(s ? s : ""); }

json_t *jsuccess(void) { return json_pack("{s:b}", "success", 1); }

json_t *jpaged(size_t total, json_t *list) {
    if (!list) return NULL;
    return json_pack("{s:I,s:o}", "totalCount", (json_int_t)total, "list", list);
}
