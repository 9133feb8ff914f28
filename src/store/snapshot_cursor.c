/*
 * snapshot_cursor.c - the bounds-checked cursor over untrusted snapshot bytes (see the header).
 */
#include "store/snapshot_cursor.h"
#include "store/snapshot.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "base/validate.h"
#include "store/snapshot_format.h"

authz_status authz__snap_corrupt(authz__cursor *c, const char *fmt, ...) {
    if (c->bad) return c->status;
    c->bad = 1;
    c->status = AUTHZ_ECORRUPT;
    char why[160];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(why, sizeof why, fmt, ap);
    va_end(ap);
    return authz__fail(c->err, AUTHZ_ECORRUPT, AUTHZ_OBJ_NONE, "snapshot", -1,
                       "corrupt snapshot: section %s at byte %zu: %s", c->section,
                       (size_t)(c->p - c->base), why);
}

authz_status authz__snap_nomem(authz__loader *l) {
    if (l->c.bad) return l->c.status;
    l->c.bad = 1;
    l->c.status = AUTHZ_ENOMEM;
    return authz__nomem(l->c.err);
}

static int need(authz__cursor *c, size_t n) {
    if (c->bad) return 0;
    if ((size_t)(c->end - c->p) < n) {
        authz__snap_corrupt(c, "truncated (%zu bytes needed, %zu left)", n,
                            (size_t)(c->end - c->p));
        return 0;
    }
    return 1;
}

uint32_t authz__snap_u8(authz__cursor *c) {
    if (!need(c, 1)) return 0;
    return *c->p++;
}

uint32_t authz__snap_u32(authz__cursor *c) {
    if (!need(c, 4)) return 0;
    uint32_t v = (uint32_t)c->p[0] | (uint32_t)c->p[1] << 8 | (uint32_t)c->p[2] << 16 |
                 (uint32_t)c->p[3] << 24;
    c->p += 4;
    return v;
}

uint64_t authz__snap_u64(authz__cursor *c) {
    uint64_t lo = authz__snap_u32(c);
    uint64_t hi = authz__snap_u32(c);
    return lo | hi << 32;
}

uint32_t authz__snap_count(authz__cursor *c, size_t item_size) {
    uint32_t n = authz__snap_u32(c);
    if (!c->bad && item_size && n > (size_t)(c->end - c->p) / item_size) {
        authz__snap_corrupt(c, "count %u exceeds the section", n);
        return 0;
    }
    return n;
}

uint32_t authz__snap_index(authz__cursor *c, uint32_t limit, const char *what) {
    uint32_t v = authz__snap_u32(c);
    if (!c->bad && v >= limit) {
        authz__snap_corrupt(c, "%s index %u out of range (%u)", what, v, limit);
        return 0;
    }
    return v;
}

uint32_t authz__snap_sid(authz__loader *l) {
    uint32_t i = authz__snap_u32(&l->c);
    if (l->c.bad) return 0;
    if (i == 0 || i > l->nstrings) {
        authz__snap_corrupt(&l->c, "string index %u out of range", i);
        return 0;
    }
    return l->sid[i];
}

uint32_t authz__snap_code(authz__loader *l, int resource, authz_object obj) {
    uint32_t id = authz__snap_sid(l);
    if (l->c.bad) return 0;
    const char *s = authz__str(l->e, id);
    authz_status st = resource ? authz__check_resource_code(NULL, "", -1, s)
                               : authz__check_code(NULL, obj, "", -1, s);
    if (st) authz__snap_corrupt(&l->c, "invalid code \"%.64s\"", s);
    return l->c.bad ? 0 : id;
}

char *authz__snap_text(authz__loader *l, size_t max, int *ok) {
    *ok = 0;
    uint32_t n = authz__snap_u32(&l->c);
    if (l->c.bad) return NULL;
    if (n == 0xffffffffu) return *ok = 1, NULL;
    if (n > max) return authz__snap_corrupt(&l->c, "text of %u bytes over %zu", n, max), NULL;
    if (!need(&l->c, n)) return NULL;
    if (memchr(l->c.p, 0, n) || !authz__utf8_valid((const char *)l->c.p, n))
        return authz__snap_corrupt(&l->c, "text is not valid UTF-8"), NULL;
    char *s = authz__alloc(&l->e->mem, (size_t)n + 1);
    if (!s) return authz__snap_nomem(l), NULL;
    memcpy(s, l->c.p, n);
    s[n] = '\0';
    l->c.p += n;
    *ok = 1;
    return s;
}

void *authz__snap_array(authz__loader *l, size_t n, size_t size) {
    void *p = authz__calloc(&l->e->mem, n ? n : 1, size);
    if (!p) authz__snap_nomem(l);
    return p;
}

authz_status authz__snap_load_meta(authz__loader *l) {
    l->seq = authz__snap_u64(&l->c);
    return l->c.bad ? l->c.status : AUTHZ_OK;
}

/* The next string, checked and interned one at a time: what a run of strings that
 * load_strings_run did not take starts with, so that its error is reported as it always was. */
static void load_string(authz__loader *l, uint32_t i) {
    authz__cursor *c = &l->c;
    uint32_t len = authz__snap_u32(c);
    if (c->bad) return;
    if (len == 0 || len > 4096) {
        authz__snap_corrupt(c, "string of %u bytes", len);
        return;
    }
    if (!need(c, len)) return;
    if (memchr(c->p, 0, len)) {
        authz__snap_corrupt(c, "string holds a NUL byte");
        return;
    }
    l->sid[i] = authz__intern_add(&l->e->strings, &l->e->mem, (const char *)c->p, len);
    if (!l->sid[i]) {
        authz__snap_nomem(l);
        return;
    }
    c->p += len;
}

/* Up to AUTHZ__INTERN_MANY strings from index i on, interned together (their slots prefetched
 * as a batch); stops before a string load_string would refuse. Returns how many it took. */
static uint32_t load_strings_run(authz__loader *l, uint32_t i, uint32_t left) {
    authz__cursor *c = &l->c;
    const char *s[AUTHZ__INTERN_MANY];
    size_t len[AUTHZ__INTERN_MANY];
    const unsigned char *p = c->p;
    uint32_t k = 0;
    while (!authz__snap_one_by_one && k < AUTHZ__INTERN_MANY && k < left && c->end - p >= 4) {
        uint32_t n = authz__get_u32(p);
        if (n == 0 || n > 4096 || (size_t)(c->end - p - 4) < n || memchr(p + 4, 0, n)) break;
        s[k] = (const char *)p + 4;
        len[k++] = n;
        p += 4 + (size_t)n;
    }
    size_t done = authz__intern_add_many(&l->e->strings, &l->e->mem, k, s, len, &l->sid[i]);
    if (done < k) {
        authz__snap_nomem(l);
        return (uint32_t)done;
    }
    c->p = p;
    return k;
}

authz_status authz__snap_load_strings(authz__loader *l) {
    authz__cursor *c = &l->c;
    uint32_t n = authz__snap_count(c, 4);
    l->sid = authz__snap_array(l, (size_t)n + 1, sizeof *l->sid);
    if (!l->sid) return AUTHZ_ENOMEM;
    l->nstrings = n;
    /* The table is sized for all of them once: growing it as they come rehashed it ~15 times. */
    if (!c->bad && !authz__intern_reserve(&l->e->strings, &l->e->mem, n))
        return authz__snap_nomem(l);
    for (uint32_t i = 1; i <= n && !c->bad;) {
        uint32_t k = load_strings_run(l, i, n - i + 1);
        i += k;
        if (k < AUTHZ__INTERN_MANY && i <= n && !c->bad) load_string(l, i++);
    }
    return c->bad ? c->status : AUTHZ_OK;
}
