/*
 * naive_model.c - the reference model (see naive_model.h). Fixed arrays, linear scans, string
 * compares; objects refer to each other by code or ID, so a rename rewrites every record that
 * names the old code. Each operation validates in the same order the engine documents, then
 * either changes nothing (on any failure) or applies the whole operation.
 */
#include "naive_model.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define STR 160
#define MAXL 64 /* entries of a small list (actions, members, tenants) */

typedef struct m_ns {
    char code[STR], name[STR], desc[STR];
} m_ns;
typedef struct m_res {
    char ns[STR], code[STR], name[STR], desc[STR], api[STR];
    int type, nact, nten;
    char act[MAXL][STR], actdesc[MAXL][STR], ten[MAXL][STR];
} m_res;
typedef struct m_role {
    char ns[STR], code[STR], name[STR], desc[STR];
    int status;
    int64_t disable;
} m_role;
typedef struct mr_assign {
    char ns[STR], role[STR], id[STR];
    int kind;
    int64_t enable, end;
} mr_assign;
typedef struct m_group {
    char code[STR], name[STR], desc[STR], type[STR];
    int n;
    char members[MAXL][STR];
} m_group;
#define TEXT 260 /* a profile field: at most 256 bytes */
typedef struct m_user {
    char id[STR];
    int ng, nd;
    char groups[MAXL][STR], depts[MAXL][STR];
    /* The directory: a listed user has a profile; `seq` orders the listed, oldest first. */
    bool listed;
    long seq;
    int64_t created;
    char username[TEXT], email[TEXT], phone[TEXT], name[TEXT];
} m_user;
typedef struct m_dept {
    char id[STR];
    int n;
    char members[MAXL][STR];
} m_dept;
/* An organization (org[0] is the default one) and a created department record. */
typedef struct m_org {
    char code[STR], name[TEXT], desc[1030], root[STR];
    int64_t created;
} m_org;
typedef struct m_drec {
    char id[STR], org[STR], parent[STR], name[TEXT], code[STR], desc[1030];
    int64_t created;
} m_drec;
typedef struct mr_grant {
    char ns[STR], tid[STR], res[STR], code[STR];
    int ttype, type, nact;
    char act[MAXL][STR];
} mr_grant;
typedef struct m_actab {
    char ns[STR], code[STR];
    int n;
    char names[MAXL][STR];
} m_actab;

#define MAXNS 128
#define MAXRES 128
#define MAXROLE 256
#define MAXASSIGN 512
#define MAXGROUP 128
#define MAXUSER 512
#define MAXDEPT 256
#define MAXGRANT 1024
#define MAXACTAB 256
#define MAXORG 32
#define MAXDREC 128

struct model {
    int64_t now;
    bool directory;     /* authz_options.user_directory */
    uint64_t next_id;   /* the last generated user ID's number */
    long seq;           /* the last listing's sequence number */
    uint64_t next_dept; /* the last generated department ID's number */
    int norg, ndrec;
    m_org org[MAXORG];
    m_drec drec[MAXDREC]; /* by creation: a parent before its children */
    int nns, nres, nrole, nassign, ngroup, nuser, ndept, ngrant, nactab;
    m_ns ns[MAXNS];
    m_res res[MAXRES];
    m_role role[MAXROLE];
    mr_assign assign[MAXASSIGN];
    m_group group[MAXGROUP];
    m_user user[MAXUSER];
    m_dept dept[MAXDEPT];
    mr_grant grant[MAXGRANT];
    m_actab actab[MAXACTAB];
};

/* ---- small helpers ---- */

static const char *nz(const char *s) { return s ? s : ""; }
static bool eq(const char *a, const char *b) { return strcmp(a, b) == 0; }
static const char *ns_of(const char *code) { return code && *code ? code : "default"; }
static void cpy(char *dst, const char *src) { snprintf(dst, STR, "%s", nz(src)); }

#define REMOVE_AT(arr, n, i) \
    (memmove(&(arr)[i], &(arr)[(i) + 1], (size_t)((n) - (i)-1) * sizeof(arr)[0]), (n)--)

static void out_add(char *out, size_t cap, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
static void out_add(char *out, size_t cap, const char *fmt, ...) {
    size_t len = strlen(out);
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(out + len, cap - len, fmt, ap);
    va_end(ap);
}

/* ---- syntax (the rules of authz.h, written out) ---- */

static bool code_chars(const char *s, bool dot) {
    if (!s || !*s || strlen(s) > 64) return false;
    for (const char *p = s; *p; p++) {
        char c = *p;
        bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                  c == '_' || c == '-' || (dot && c == '.');
        if (!ok) return false;
    }
    return true;
}
static bool v_code(const char *s) { return code_chars(s, false); }
static bool v_rcode(const char *s) { return code_chars(s, true); }
static bool printable(const char *s, bool space) {
    for (const unsigned char *p = (const unsigned char *)s; *p; p++)
        if (*p < 0x20 || *p == 0x7f || (!space && *p == ' ')) return false;
    return true;
}
static bool v_ident(const char *s) { return s && *s && strlen(s) <= 128 && printable(s, true); }
static bool v_action(const char *s) { return s && *s && strlen(s) <= 128 && printable(s, false); }
static bool v_text(const char *s, size_t max) { return !s || strlen(s) <= max; }
static bool v_resstr(const char *s, size_t *code_len) {
    if (!s || !*s) return false;
    if (eq(s, "*")) return *code_len = 1, true;
    const char *colon = strchr(s, ':');
    size_t n = colon ? (size_t)(colon - s) : strlen(s);
    char code[STR];
    if (n == 0 || n > 64) return false;
    snprintf(code, sizeof code, "%.*s", (int)n, s);
    if (!v_rcode(code)) return false;
    if (colon) {
        const char *id = colon + 1;
        if (!*id || strlen(id) > 128) return false;
        for (const char *p = id; *p; p++)
            if (*p <= 0x20 || *p >= 0x7f) return false;
    }
    *code_len = n;
    return true;
}
static authz_status count_ok(size_t n, size_t min, size_t max) {
    if (n < min) return AUTHZ_EINVAL;
    if (n > max) return AUTHZ_ELIMIT;
    return AUTHZ_OK;
}
static authz_status page_ok(const authz_page *p, size_t *page, size_t *limit) {
    *page = p ? p->page : 1;
    *limit = p ? p->limit : 10;
    return (*page >= 1 && *limit >= 1 && *limit <= 50) ? AUTHZ_OK : AUTHZ_EINVAL;
}

/* ---- lookups ---- */

static int find_ns(const model *m, const char *code) {
    for (int i = 0; i < m->nns; i++)
        if (eq(m->ns[i].code, code)) return i;
    return -1;
}
static int find_res(const model *m, const char *ns, const char *code) {
    for (int i = 0; code && i < m->nres; i++)
        if (eq(m->res[i].ns, ns) && eq(m->res[i].code, code)) return i;
    return -1;
}
static int find_role(const model *m, const char *ns, const char *code) {
    for (int i = 0; code && i < m->nrole; i++)
        if (eq(m->role[i].ns, ns) && eq(m->role[i].code, code)) return i;
    return -1;
}
static int find_group(const model *m, const char *code) {
    for (int i = 0; code && i < m->ngroup; i++)
        if (eq(m->group[i].code, code)) return i;
    return -1;
}
static int find_user(const model *m, const char *id) {
    for (int i = 0; id && i < m->nuser; i++)
        if (eq(m->user[i].id, id)) return i;
    return -1;
}
static int find_dept(const model *m, const char *id) {
    for (int i = 0; id && i < m->ndept; i++)
        if (eq(m->dept[i].id, id)) return i;
    return -1;
}
static int find_in(char (*list)[STR], int n, const char *s) {
    for (int i = 0; i < n; i++)
        if (eq(list[i], s)) return i;
    return -1;
}
static int ensure_user(model *m, const char *id) {
    int i = find_user(m, id);
    if (i >= 0) return i;
    if (m->nuser == MAXUSER) abort(); /* the driver keeps far below this */
    memset(&m->user[m->nuser], 0, sizeof m->user[0]);
    cpy(m->user[m->nuser].id, id);
    return m->nuser++;
}
static int ensure_dept(model *m, const char *id) {
    int i = find_dept(m, id);
    if (i >= 0) return i;
    if (m->ndept == MAXDEPT) abort(); /* the driver keeps far below this */
    memset(&m->dept[m->ndept], 0, sizeof m->dept[0]);
    cpy(m->dept[m->ndept].id, id);
    return m->ndept++;
}
static authz_status resolve_ns(const model *m, const char *code) {
    return find_ns(m, ns_of(code)) >= 0 ? AUTHZ_OK : AUTHZ_ENOTFOUND;
}
static authz_status resolve_role(const model *m, const char *ns, const char *code, int *out) {
    if (!v_code(code)) return AUTHZ_EINVAL;
    if (resolve_ns(m, ns)) return AUTHZ_ENOTFOUND;
    *out = find_role(m, ns_of(ns), code);
    return *out >= 0 ? AUTHZ_OK : AUTHZ_ENOTFOUND;
}
static authz_status resolve_group(const model *m, const char *code, int *out) {
    if (!v_code(code)) return AUTHZ_EINVAL;
    *out = find_group(m, code);
    return *out >= 0 ? AUTHZ_OK : AUTHZ_ENOTFOUND;
}

/* ---- directory mode ---- */

static long refusals;
static int refused_item;
static authz_object refused_object;

long model_directory_refusals(void) { return refusals; }
int model_refused_item(void) { return refused_item; }
authz_object model_refused_object(void) { return refused_object; }

static int find_drec(const model *m, const char *id) {
    for (int i = 0; i < m->ndrec; i++)
        if (eq(m->drec[i].id, id)) return i;
    return -1;
}
static int root_of(const model *m, const char *id) {
    for (int i = 0; i < m->norg; i++)
        if (eq(m->org[i].root, id)) return i;
    return -1;
}

/* With the mode on, a user that a write names must be listed, and a department must be a root
 * or a created department; `item` is the batch item the refusal names (-1 for none). */
static authz_status listed_ok(const model *m, authz_target_type kind, const char *id, int item) {
    if (!m->directory) return AUTHZ_OK;
    if (kind == AUTHZ_TARGET_USER) {
        int u = find_user(m, id);
        if (u >= 0 && m->user[u].listed) return AUTHZ_OK;
        refused_object = AUTHZ_OBJ_USER;
    } else if (kind == AUTHZ_TARGET_DEPARTMENT) {
        if (find_drec(m, id) >= 0 || root_of(m, id) >= 0) return AUTHZ_OK;
        refused_object = AUTHZ_OBJ_DEPARTMENT;
    } else {
        return AUTHZ_OK;
    }
    refusals++;
    refused_item = item;
    return AUTHZ_ENOTFOUND;
}

/* ---- grants: action tables, removal ---- */

static int find_actab(const model *m, const char *ns, const char *code) {
    for (int i = 0; i < m->nactab; i++)
        if (eq(m->actab[i].ns, ns) && eq(m->actab[i].code, code)) return i;
    return -1;
}
static int ensure_actab(model *m, const char *ns, const char *code) {
    int i = find_actab(m, ns, code);
    if (i >= 0) return i;
    m_actab *t = &m->actab[m->nactab];
    memset(t, 0, sizeof *t);
    cpy(t->ns, ns), cpy(t->code, code), cpy(t->names[0], "*");
    t->n = 1;
    return m->nactab++;
}
static void actab_add(model *m, int t, const char *action) {
    if (find_in(m->actab[t].names, m->actab[t].n, action) < 0)
        cpy(m->actab[t].names[m->actab[t].n++], action);
}
static void drop_actab_if_unused(model *m, const char *ns, const char *code) {
    for (int i = 0; i < m->ngrant; i++)
        if (eq(m->grant[i].ns, ns) && eq(m->grant[i].code, code)) return;
    int t = find_actab(m, ns, code);
    if (t >= 0) REMOVE_AT(m->actab, m->nactab, t);
}
static void remove_grant(model *m, int i) {
    char ns[STR], code[STR];
    cpy(ns, m->grant[i].ns), cpy(code, m->grant[i].code);
    REMOVE_AT(m->grant, m->ngrant, i);
    drop_actab_if_unused(m, ns, code);
}
static void remove_grants_where(model *m, const char *ns, int ttype, const char *tid,
                                const char *code) {
    for (int i = m->ngrant - 1; i >= 0; i--) {
        mr_grant *g = &m->grant[i];
        if (ns && !eq(g->ns, ns)) continue;
        if (tid && (g->ttype != ttype || !eq(g->tid, tid))) continue;
        if (code && !eq(g->code, code)) continue;
        remove_grant(m, i);
    }
}

/* ---- lifecycle ---- */

model *model_new(void) {
    model *m = calloc(1, sizeof *m);
    cpy(m->ns[0].code, "default");
    m->nns = 1;
    cpy(m->org[0].code, AUTHZ_DEFAULT_ORG_CODE);
    snprintf(m->org[0].name, TEXT, "%s", AUTHZ_DEFAULT_ORG_NAME);
    cpy(m->org[0].root, AUTHZ_DEFAULT_ORG_ROOT);
    m->norg = 1;
    return m;
}
void model_free(model *m) { free(m); }
void model_set_now(model *m, int64_t now) { m->now = now; }

/* ---- namespaces ---- */

static authz_status ns_spec_ok(const authz_namespace_spec *s) {
    if (!v_code(s->code) || !v_text(s->name, 256) || !v_text(s->description, 1024))
        return AUTHZ_EINVAL;
    return AUTHZ_OK;
}

authz_status m_ns_create(model *m, const authz_namespace_spec *s, size_t n, bool batch) {
    authz_status st = batch ? count_ok(n, 1, 50) : AUTHZ_OK;
    for (size_t i = 0; !st && i < n; i++) st = ns_spec_ok(&s[i]);
    for (size_t i = 0; !st && i < n; i++) {
        if (find_ns(m, s[i].code) >= 0) st = AUTHZ_EEXIST;
        for (size_t k = 0; k < i && !st; k++)
            if (eq(s[k].code, s[i].code)) st = AUTHZ_EEXIST;
    }
    for (size_t i = 0; !st && i < n; i++) {
        m_ns *x = &m->ns[m->nns++];
        cpy(x->code, s[i].code), cpy(x->name, s[i].name), cpy(x->desc, s[i].description);
    }
    return st;
}

static void render_ns(const m_ns *x, char *out, size_t cap) {
    out_add(out, cap, "{%s|%s|%s}", x->code, x->name, x->desc);
}

authz_status m_ns_update(model *m, const authz_namespace_patch *p, char *out, size_t cap) {
    if (!v_code(p->code)) return AUTHZ_EINVAL;
    if (p->new_code && *p->new_code && !v_code(p->new_code)) return AUTHZ_EINVAL;
    if (!v_text(p->name, 256) || !v_text(p->description, 1024)) return AUTHZ_EINVAL;
    int i = find_ns(m, p->code);
    if (i < 0) return AUTHZ_ENOTFOUND;
    bool rename = p->new_code && *p->new_code && !eq(p->new_code, p->code);
    if (rename && eq(p->code, "default")) return AUTHZ_ERULE;
    if (rename && find_ns(m, p->new_code) >= 0) return AUTHZ_EEXIST;
    if (p->name) cpy(m->ns[i].name, p->name);
    if (p->description) cpy(m->ns[i].desc, p->description);
    if (rename) {
        char old[STR];
        cpy(old, p->code);
        cpy(m->ns[i].code, p->new_code);
        for (int k = 0; k < m->nres; k++)
            if (eq(m->res[k].ns, old)) cpy(m->res[k].ns, p->new_code);
        for (int k = 0; k < m->nrole; k++)
            if (eq(m->role[k].ns, old)) cpy(m->role[k].ns, p->new_code);
        for (int k = 0; k < m->nassign; k++)
            if (eq(m->assign[k].ns, old)) cpy(m->assign[k].ns, p->new_code);
        for (int k = 0; k < m->ngrant; k++)
            if (eq(m->grant[k].ns, old)) cpy(m->grant[k].ns, p->new_code);
        for (int k = 0; k < m->nactab; k++)
            if (eq(m->actab[k].ns, old)) cpy(m->actab[k].ns, p->new_code);
    }
    if (out) {
        out[0] = '\0';
        render_ns(&m->ns[i], out, cap);
    }
    return AUTHZ_OK;
}

static void destroy_role(model *m, int r);

static void destroy_ns(model *m, int i) {
    char ns[STR];
    cpy(ns, m->ns[i].code);
    for (int r = m->nrole - 1; r >= 0; r--)
        if (eq(m->role[r].ns, ns)) destroy_role(m, r);
    remove_grants_where(m, ns, 0, NULL, NULL);
    for (int r = m->nres - 1; r >= 0; r--)
        if (eq(m->res[r].ns, ns)) REMOVE_AT(m->res, m->nres, r);
    REMOVE_AT(m->ns, m->nns, i);
}

authz_status m_ns_delete(model *m, const char *const *codes, size_t n, bool batch) {
    if (!batch) {
        if (!v_code(codes[0])) return AUTHZ_EINVAL;
        int i = find_ns(m, codes[0]);
        if (i < 0) return AUTHZ_ENOTFOUND;
        if (i == 0) return AUTHZ_ERULE;
        destroy_ns(m, i);
        return AUTHZ_OK;
    }
    authz_status st = count_ok(n, 1, 10);
    for (size_t k = 0; !st && k < n; k++)
        if (codes[k] && eq(codes[k], "default")) st = AUTHZ_ERULE;
    for (size_t k = 0; !st && k < n; k++) {
        int i = codes[k] && *codes[k] ? find_ns(m, codes[k]) : -1;
        if (i > 0) destroy_ns(m, i);
    }
    return st;
}

authz_status m_ns_get(const model *m, const char *code, char *out, size_t cap) {
    if (!v_code(code)) return AUTHZ_EINVAL;
    int i = find_ns(m, code);
    if (i < 0) return AUTHZ_ENOTFOUND;
    out[0] = '\0';
    render_ns(&m->ns[i], out, cap);
    return AUTHZ_OK;
}

authz_status m_ns_get_batch(const model *m, const char *const *codes, size_t n, char *out,
                            size_t cap) {
    authz_status st = count_ok(n, 1, 50);
    if (st) return st;
    int idx[64], total = 0;
    for (size_t k = 0; k < n; k++) {
        int i = codes[k] && *codes[k] ? find_ns(m, codes[k]) : -1;
        if (i >= 0) idx[total++] = i;
    }
    snprintf(out, cap, "T=%d:", total);
    for (int k = 0; k < total; k++) render_ns(&m->ns[idx[k]], out, cap);
    return AUTHZ_OK;
}

authz_status m_ns_list(const model *m, const authz_page *pg, const char *kw, char *out,
                       size_t cap) {
    size_t page, limit;
    if (page_ok(pg, &page, &limit)) return AUTHZ_EINVAL;
    int idx[MAXNS], total = 0;
    for (int i = 0; i < m->nns; i++)
        if (!kw || !*kw || strstr(m->ns[i].code, kw)) idx[total++] = i;
    snprintf(out, cap, "T=%d:", total);
    for (size_t k = (page - 1) * limit; k < (size_t)total && k < page * limit; k++)
        render_ns(&m->ns[idx[k]], out, cap);
    return AUTHZ_OK;
}

/* ---- resources ---- */

static authz_status actions_ok(const authz_action_spec *a, size_t n) {
    if (n > 100) return AUTHZ_ELIMIT;
    for (size_t i = 0; i < n; i++) {
        if (!v_action(a[i].name) || !v_text(a[i].description, 1024)) return AUTHZ_EINVAL;
        for (size_t k = 0; k < i; k++)
            if (eq(a[k].name, a[i].name)) return AUTHZ_EINVAL;
    }
    return AUTHZ_OK;
}

static authz_status res_spec_ok(const authz_resource_spec *s) {
    if (!v_rcode(s->code) || s->type > AUTHZ_RESOURCE_UI || !v_text(s->name, 256) ||
        !v_text(s->description, 1024) || !v_text(s->api_identifier, 1024))
        return AUTHZ_EINVAL;
    return actions_ok(s->actions, s->action_count);
}

static void set_actions(m_res *r, const authz_action_spec *a, size_t n) {
    r->nact = (int)n;
    for (size_t i = 0; i < n; i++) cpy(r->act[i], a[i].name), cpy(r->actdesc[i], a[i].description);
}

authz_status m_res_create(model *m, const char *ns, const authz_resource_spec *s, size_t n,
                          bool batch) {
    authz_status st = batch ? count_ok(n, 1, 50) : AUTHZ_OK;
    for (size_t i = 0; !st && i < n; i++) st = res_spec_ok(&s[i]);
    if (!st) st = resolve_ns(m, ns);
    for (size_t i = 0; !st && i < n; i++) {
        if (find_res(m, ns_of(ns), s[i].code) >= 0) st = AUTHZ_EEXIST;
        for (size_t k = 0; k < i && !st; k++)
            if (eq(s[k].code, s[i].code)) st = AUTHZ_EEXIST;
    }
    for (size_t i = 0; !st && i < n; i++) {
        m_res *r = &m->res[m->nres++];
        memset(r, 0, sizeof *r);
        cpy(r->ns, ns_of(ns)), cpy(r->code, s[i].code), cpy(r->name, s[i].name);
        cpy(r->desc, s[i].description), cpy(r->api, s[i].api_identifier);
        r->type = (int)s[i].type;
        set_actions(r, s[i].actions, s[i].action_count);
    }
    return st;
}

static const char *const types[] = {"DATA", "API", "MENU", "BUTTON", "UI"};
static const char *const ttypes[] = {"USER", "ROLE", "GROUP", "DEPARTMENT"};

static void render_res(const m_res *r, char *out, size_t cap) {
    out_add(out, cap, "{%s|%s|%s|%s|%s|%s|[", r->ns, r->code, types[r->type], r->name, r->desc,
            r->api);
    for (int i = 0; i < r->nact; i++) out_add(out, cap, "%s:%s,", r->act[i], r->actdesc[i]);
    out_add(out, cap, "]|L%d}", r->nten > 0);
}

static bool strict_mode;

void model_set_strict(bool strict) { strict_mode = strict; }

authz_status m_res_update(model *m, const char *ns, const authz_resource_patch *p, char *out,
                          size_t cap) {
    if (!v_rcode(p->code) || (p->type && *p->type > AUTHZ_RESOURCE_UI) || !v_text(p->name, 256) ||
        !v_text(p->description, 1024) || !v_text(p->api_identifier, 1024))
        return AUTHZ_EINVAL;
    if (p->set_actions) {
        authz_status st = actions_ok(p->actions, p->action_count);
        if (st) return st;
    }
    if (resolve_ns(m, ns)) return AUTHZ_ENOTFOUND;
    int i = find_res(m, ns_of(ns), p->code);
    if (i < 0) return AUTHZ_ENOTFOUND;
    m_res *r = &m->res[i];
    if (p->name) cpy(r->name, p->name);
    if (p->description) cpy(r->desc, p->description);
    if (p->api_identifier) cpy(r->api, p->api_identifier);
    if (p->type) r->type = (int)*p->type;
    if (p->set_actions) set_actions(r, p->actions, p->action_count);
    if (p->set_actions && strict_mode) {
        for (int g = m->ngrant - 1; g >= 0; g--) {
            mr_grant *x = &m->grant[g];
            if (!eq(x->ns, r->ns) || !eq(x->code, r->code)) continue;
            for (int a = x->nact - 1; a >= 0; a--)
                if (!eq(x->act[a], "*") && find_in(r->act, r->nact, x->act[a]) < 0)
                    REMOVE_AT(x->act, x->nact, a);
            if (x->nact == 0) remove_grant(m, g);
        }
    }
    out[0] = '\0';
    render_res(r, out, cap);
    return AUTHZ_OK;
}

authz_status m_res_delete(model *m, const char *ns, const char *const *codes, size_t n,
                          bool batch) {
    authz_status st = batch ? count_ok(n, 1, 50) : AUTHZ_OK;
    if (!st) st = resolve_ns(m, ns);
    for (size_t k = 0; !st && k < n; k++) {
        if (!codes[k]) continue;
        remove_grants_where(m, ns_of(ns), 0, NULL, codes[k]);
        int i = find_res(m, ns_of(ns), codes[k]);
        if (i >= 0) REMOVE_AT(m->res, m->nres, i);
    }
    return st;
}

authz_status m_tenant(model *m, const char *app, const char *code, bool assoc, const char *tenant) {
    if (!v_code(app) || !v_rcode(code) || !v_text(tenant, 128)) return AUTHZ_EINVAL;
    if (find_ns(m, app) < 0) return AUTHZ_ENOTFOUND;
    int i = find_res(m, app, code);
    if (i < 0) return AUTHZ_ENOTFOUND;
    m_res *r = &m->res[i];
    int t = find_in(r->ten, r->nten, nz(tenant));
    if (assoc && t < 0) cpy(r->ten[r->nten++], nz(tenant));
    if (!assoc && t >= 0) REMOVE_AT(r->ten, r->nten, t);
    return AUTHZ_OK;
}

authz_status m_res_get(const model *m, const char *ns, const char *code, char *out, size_t cap) {
    if (!v_rcode(code)) return AUTHZ_EINVAL;
    if (resolve_ns(m, ns)) return AUTHZ_ENOTFOUND;
    int i = find_res(m, ns_of(ns), code);
    if (i < 0) return AUTHZ_ENOTFOUND;
    out[0] = '\0';
    render_res(&m->res[i], out, cap);
    return AUTHZ_OK;
}

authz_status m_res_get_batch(const model *m, const char *ns, const char *const *codes, size_t n,
                             char *out, size_t cap) {
    authz_status st = count_ok(n, 1, 50);
    if (!st) st = resolve_ns(m, ns);
    if (st) return st;
    int idx[64], total = 0;
    for (size_t k = 0; k < n; k++) {
        int i = find_res(m, ns_of(ns), codes[k]);
        if (i >= 0) idx[total++] = i;
    }
    snprintf(out, cap, "T=%d:", total);
    for (int k = 0; k < total; k++) render_res(&m->res[idx[k]], out, cap);
    return AUTHZ_OK;
}

authz_status m_res_list(const model *m, const char *ns, const authz_resource_type *type,
                        const authz_page *pg, char *out, size_t cap) {
    size_t page, limit;
    if (page_ok(pg, &page, &limit) || (type && *type > AUTHZ_RESOURCE_UI)) return AUTHZ_EINVAL;
    if (resolve_ns(m, ns)) return AUTHZ_ENOTFOUND;
    int idx[MAXRES], total = 0;
    for (int i = 0; i < m->nres; i++)
        if (eq(m->res[i].ns, ns_of(ns)) && (!type || m->res[i].type == (int)*type))
            idx[total++] = i;
    snprintf(out, cap, "T=%d:", total);
    for (size_t k = (page - 1) * limit; k < (size_t)total && k < page * limit; k++)
        render_res(&m->res[idx[k]], out, cap);
    return AUTHZ_OK;
}

/* ---- roles ---- */

static void render_role(const m_role *r, char *out, size_t cap) {
    out_add(out, cap, "{%s|%s|%s|%s|%s|%lld}", r->ns, r->code, r->name, r->desc,
            r->status ? "DISABLE" : "ENABLE", (long long)r->disable);
}

authz_status m_role_create(model *m, const authz_role_spec *s, size_t n, bool batch) {
    authz_status st = batch ? count_ok(n, 1, 50) : AUTHZ_OK;
    for (size_t i = 0; !st && i < n; i++)
        if (!v_code(s[i].code) || !v_text(s[i].name, 256) || !v_text(s[i].description, 1024) ||
            s[i].disable_time < 0)
            st = AUTHZ_EINVAL;
    for (size_t i = 0; !st && i < n; i++) {
        st = resolve_ns(m, s[i].namespace_code);
        if (!st && find_role(m, ns_of(s[i].namespace_code), s[i].code) >= 0) st = AUTHZ_EEXIST;
        for (size_t k = 0; k < i && !st; k++)
            if (eq(s[k].code, s[i].code) &&
                eq(ns_of(s[k].namespace_code), ns_of(s[i].namespace_code)))
                st = AUTHZ_EEXIST;
    }
    for (size_t i = 0; !st && i < n; i++) {
        m_role *r = &m->role[m->nrole++];
        memset(r, 0, sizeof *r);
        cpy(r->ns, ns_of(s[i].namespace_code)), cpy(r->code, s[i].code);
        cpy(r->name, s[i].name), cpy(r->desc, s[i].description);
        r->disable = s[i].disable_time;
    }
    return st;
}

authz_status m_role_update(model *m, const authz_role_patch *p) {
    if (!v_code(p->code) || (p->new_code && *p->new_code && !v_code(p->new_code)) ||
        !v_text(p->name, 256) || !v_text(p->description, 1024) ||
        (p->status && *p->status > AUTHZ_ROLE_DISABLE) || (p->disable_time && *p->disable_time < 0))
        return AUTHZ_EINVAL;
    int r;
    authz_status st = resolve_role(m, p->namespace_code, p->code, &r);
    if (st) return st;
    const char *ns = ns_of(p->namespace_code);
    bool rename = p->new_code && *p->new_code && !eq(p->new_code, p->code);
    if (rename && find_role(m, ns, p->new_code) >= 0) return AUTHZ_EEXIST;
    if (p->name) cpy(m->role[r].name, p->name);
    if (p->description) cpy(m->role[r].desc, p->description);
    if (p->status) m->role[r].status = (int)*p->status;
    if (p->disable_time) m->role[r].disable = *p->disable_time;
    if (rename) {
        for (int k = 0; k < m->nassign; k++)
            if (eq(m->assign[k].ns, ns) && eq(m->assign[k].role, p->code))
                cpy(m->assign[k].role, p->new_code);
        for (int k = 0; k < m->ngrant; k++)
            if (eq(m->grant[k].ns, ns) && m->grant[k].ttype == AUTHZ_TARGET_ROLE &&
                eq(m->grant[k].tid, p->code))
                cpy(m->grant[k].tid, p->new_code);
        cpy(m->role[r].code, p->new_code);
    }
    return AUTHZ_OK;
}

static void destroy_role(model *m, int r) {
    char ns[STR], code[STR];
    cpy(ns, m->role[r].ns), cpy(code, m->role[r].code);
    remove_grants_where(m, ns, AUTHZ_TARGET_ROLE, code, NULL);
    for (int k = m->nassign - 1; k >= 0; k--)
        if (eq(m->assign[k].ns, ns) && eq(m->assign[k].role, code))
            REMOVE_AT(m->assign, m->nassign, k);
    REMOVE_AT(m->role, m->nrole, r);
}

authz_status m_role_delete(model *m, const char *ns, const char *const *codes, size_t n) {
    authz_status st = count_ok(n, 1, 50);
    int r;
    for (size_t k = 0; !st && k < n; k++) st = resolve_role(m, ns, codes[k], &r);
    for (size_t k = 0; !st && k < n; k++) {
        r = find_role(m, ns_of(ns), codes[k]);
        if (r >= 0) destroy_role(m, r);
    }
    return st;
}

authz_status m_role_get(const model *m, const char *ns, const char *code, char *out, size_t cap) {
    int r;
    authz_status st = resolve_role(m, ns, code, &r);
    if (st) return st;
    out[0] = '\0';
    render_role(&m->role[r], out, cap);
    return AUTHZ_OK;
}

authz_status m_role_list(const model *m, const char *ns, const char *kw, const authz_page *pg,
                         char *out, size_t cap) {
    size_t page, limit;
    if (page_ok(pg, &page, &limit)) return AUTHZ_EINVAL;
    if (resolve_ns(m, ns)) return AUTHZ_ENOTFOUND;
    int idx[MAXROLE], total = 0;
    for (int i = 0; i < m->nrole; i++) {
        const m_role *r = &m->role[i];
        if (!eq(r->ns, ns_of(ns))) continue;
        if (kw && *kw && !strstr(r->code, kw) && !strstr(r->name, kw)) continue;
        idx[total++] = i;
    }
    snprintf(out, cap, "T=%d:", total);
    for (size_t k = (page - 1) * limit; k < (size_t)total && k < page * limit; k++)
        render_role(&m->role[idx[k]], out, cap);
    return AUTHZ_OK;
}

/* ---- assignments ---- */

static int find_assign(const model *m, const char *ns, const char *role, int kind, const char *id) {
    for (int k = 0; k < m->nassign; k++) {
        const mr_assign *a = &m->assign[k];
        if (eq(a->ns, ns) && eq(a->role, role) && a->kind == kind && eq(a->id, id)) return k;
    }
    return -1;
}

static authz_status targets_ok(const authz_target *t, size_t n, size_t max) {
    authz_status st = count_ok(n, 1, max);
    for (size_t i = 0; !st && i < n; i++)
        if ((t[i].type != AUTHZ_TARGET_USER && t[i].type != AUTHZ_TARGET_DEPARTMENT) ||
            !v_ident(t[i].identifier))
            st = AUTHZ_EINVAL;
    return st;
}

authz_status m_assign(model *m, const authz_role_ref *roles, size_t nroles, bool batch,
                      const authz_target *t, size_t nt, const authz_role_window *w, bool revoke) {
    authz_status st = targets_ok(t, nt, batch && !revoke ? 10 : 50);
    if (!st && w && (w->enable_time < 0 || w->end_time < 0)) st = AUTHZ_EINVAL;
    if (!st && batch) st = count_ok(nroles, 1, 10);
    int r;
    for (size_t i = 0; !st && i < nroles; i++)
        st = resolve_role(m, roles[i].namespace_code, roles[i].code, &r);
    for (size_t k = 0; !st && k < nt; k++) st = listed_ok(m, t[k].type, t[k].identifier, (int)k);
    if (st) return st;
    for (size_t i = 0; i < nroles; i++) {
        const char *ns = ns_of(roles[i].namespace_code);
        for (size_t k = 0; k < nt; k++) {
            int a = find_assign(m, ns, roles[i].code, (int)t[k].type, t[k].identifier);
            if (revoke) {
                if (a >= 0) REMOVE_AT(m->assign, m->nassign, a);
                continue;
            }
            if (t[k].type == AUTHZ_TARGET_USER)
                ensure_user(m, t[k].identifier);
            else
                ensure_dept(m, t[k].identifier);
            if (a < 0) {
                a = m->nassign++;
                mr_assign *x = &m->assign[a];
                cpy(x->ns, ns), cpy(x->role, roles[i].code), cpy(x->id, t[k].identifier);
                x->kind = (int)t[k].type;
            }
            m->assign[a].enable = w ? w->enable_time : 0;
            m->assign[a].end = w ? w->end_time : 0;
        }
    }
    return AUTHZ_OK;
}

authz_status m_role_assignees(const model *m, const char *ns, const char *code, bool depts,
                              const authz_page *pg, char *out, size_t cap) {
    size_t page, limit;
    if (page_ok(pg, &page, &limit)) return AUTHZ_EINVAL;
    int r;
    authz_status st = resolve_role(m, ns, code, &r);
    if (st) return st;
    int kind = depts ? AUTHZ_TARGET_DEPARTMENT : AUTHZ_TARGET_USER, idx[MAXASSIGN], total = 0;
    for (int k = 0; k < m->nassign; k++) {
        const mr_assign *a = &m->assign[k];
        if (eq(a->ns, ns_of(ns)) && eq(a->role, code) && a->kind == kind) idx[total++] = k;
    }
    snprintf(out, cap, "T=%d:", total);
    for (size_t k = (page - 1) * limit; k < (size_t)total && k < page * limit; k++) {
        const mr_assign *a = &m->assign[idx[k]];
        out_add(out, cap, "%s@%lld-%lld,", a->id, (long long)a->enable, (long long)a->end);
    }
    return AUTHZ_OK;
}

authz_status m_user_roles(const model *m, const char *user, const char *ns, char *out, size_t cap) {
    if (!v_ident(user)) return AUTHZ_EINVAL;
    if (resolve_ns(m, ns)) return AUTHZ_ENOTFOUND;
    int u = find_user(m, user);
    if (u < 0) return AUTHZ_ENOTFOUND;
    char seen[MAXROLE][STR];
    int n = 0;
    for (int d = -1; d < m->user[u].nd; d++) {
        int kind = d < 0 ? AUTHZ_TARGET_USER : AUTHZ_TARGET_DEPARTMENT;
        const char *who = d < 0 ? user : m->user[u].depts[d];
        for (int k = 0; k < m->nassign; k++) {
            const mr_assign *a = &m->assign[k];
            if (a->kind != kind || !eq(a->id, who) || !eq(a->ns, ns_of(ns))) continue;
            if (find_in(seen, n, a->role) >= 0) continue;
            cpy(seen[n++], a->role);
        }
    }
    snprintf(out, cap, "T=%d:", n);
    for (int i = 0; i < n; i++) render_role(&m->role[find_role(m, ns_of(ns), seen[i])], out, cap);
    return AUTHZ_OK;
}

/* ---- groups and departments ---- */

static void render_group(const m_group *g, char *out, size_t cap) {
    out_add(out, cap, "{%s|%s|%s|%s}", g->code, g->name, g->desc, g->type);
}

authz_status m_group_create(model *m, const authz_group_spec *s, size_t n, bool batch, char *out,
                            size_t cap) {
    authz_status st = batch ? count_ok(n, 1, 50) : AUTHZ_OK;
    for (size_t i = 0; !st && i < n; i++)
        if (!v_code(s[i].code) || !v_text(s[i].name, 256) || !v_text(s[i].description, 1024) ||
            !v_text(s[i].type, 64))
            st = AUTHZ_EINVAL;
    for (size_t i = 0; !st && i < n; i++) {
        if (find_group(m, s[i].code) >= 0) st = AUTHZ_EEXIST;
        for (size_t k = 0; k < i && !st; k++)
            if (eq(s[k].code, s[i].code)) st = AUTHZ_EEXIST;
    }
    if (st) return st;
    if (out) {
        out[0] = '\0';
        if (batch) snprintf(out, cap, "T=%zu:", n);
    }
    for (size_t i = 0; i < n; i++) {
        m_group *g = &m->group[m->ngroup++];
        memset(g, 0, sizeof *g);
        cpy(g->code, s[i].code), cpy(g->name, s[i].name), cpy(g->desc, s[i].description);
        cpy(g->type, s[i].type);
        if (out) render_group(g, out, cap);
    }
    return AUTHZ_OK;
}

authz_status m_group_update(model *m, const authz_group_patch *p, char *out, size_t cap) {
    if (!v_code(p->code) || (p->new_code && *p->new_code && !v_code(p->new_code)) ||
        !v_text(p->name, 256) || !v_text(p->description, 1024))
        return AUTHZ_EINVAL;
    int g;
    authz_status st = resolve_group(m, p->code, &g);
    if (st) return st;
    bool rename = p->new_code && *p->new_code && !eq(p->new_code, p->code);
    if (rename && find_group(m, p->new_code) >= 0) return AUTHZ_EEXIST;
    if (p->name) cpy(m->group[g].name, p->name);
    if (p->description) cpy(m->group[g].desc, p->description);
    if (rename) {
        for (int u = 0; u < m->nuser; u++) {
            int k = find_in(m->user[u].groups, m->user[u].ng, p->code);
            if (k >= 0) cpy(m->user[u].groups[k], p->new_code);
        }
        for (int k = 0; k < m->ngrant; k++)
            if (m->grant[k].ttype == AUTHZ_TARGET_GROUP && eq(m->grant[k].tid, p->code))
                cpy(m->grant[k].tid, p->new_code);
        cpy(m->group[g].code, p->new_code);
    }
    out[0] = '\0';
    render_group(&m->group[g], out, cap);
    return AUTHZ_OK;
}

authz_status m_group_delete(model *m, const char *const *codes, size_t n) {
    authz_status st = count_ok(n, 1, 50);
    for (size_t k = 0; !st && k < n; k++) {
        int g = find_group(m, codes[k]);
        if (g < 0) continue;
        remove_grants_where(m, NULL, AUTHZ_TARGET_GROUP, codes[k], NULL);
        for (int u = 0; u < m->nuser; u++) {
            int i = find_in(m->user[u].groups, m->user[u].ng, codes[k]);
            if (i >= 0) REMOVE_AT(m->user[u].groups, m->user[u].ng, i);
        }
        REMOVE_AT(m->group, m->ngroup, g);
    }
    return st;
}

static authz_status ids_ok(const char *const *ids, size_t n) {
    authz_status st = count_ok(n, 1, 50);
    for (size_t i = 0; !st && i < n; i++)
        if (!v_ident(ids[i])) st = AUTHZ_EINVAL;
    return st;
}

/* Joins or leaves: `members` of the owner and the user's own list (groups or depts). */
static void join(model *m, char (*members)[STR], int *nm, const char *owner, const char *user,
                 bool dept) {
    int u = ensure_user(m, user);
    if (find_in(members, *nm, user) >= 0) return;
    cpy(members[(*nm)++], user);
    if (dept)
        cpy(m->user[u].depts[m->user[u].nd++], owner);
    else
        cpy(m->user[u].groups[m->user[u].ng++], owner);
}

static void leave(model *m, char (*members)[STR], int *nm, const char *owner, const char *user,
                  bool dept) {
    int u = find_user(m, user), i = find_in(members, *nm, user);
    if (u < 0 || i < 0) return;
    REMOVE_AT(members, *nm, i);
    if (dept) {
        int k = find_in(m->user[u].depts, m->user[u].nd, owner);
        REMOVE_AT(m->user[u].depts, m->user[u].nd, k);
    } else {
        int k = find_in(m->user[u].groups, m->user[u].ng, owner);
        REMOVE_AT(m->user[u].groups, m->user[u].ng, k);
    }
}

authz_status m_group_members(model *m, const char *code, const char *const *users, size_t n,
                             bool add) {
    authz_status st = ids_ok(users, n);
    int g;
    if (!st) st = resolve_group(m, code, &g);
    for (size_t i = 0; add && !st && i < n; i++)
        st = listed_ok(m, AUTHZ_TARGET_USER, users[i], (int)i);
    for (size_t i = 0; !st && i < n; i++) {
        if (add)
            join(m, m->group[g].members, &m->group[g].n, code, users[i], false);
        else
            leave(m, m->group[g].members, &m->group[g].n, code, users[i], false);
    }
    return st;
}

authz_status m_dept_members(model *m, const char *dept, const char *const *users, size_t n,
                            bool add) {
    if (!v_ident(dept)) return AUTHZ_EINVAL;
    authz_status st = ids_ok(users, n);
    if (add && !st) st = listed_ok(m, AUTHZ_TARGET_DEPARTMENT, dept, -1);
    for (size_t i = 0; add && !st && i < n; i++)
        st = listed_ok(m, AUTHZ_TARGET_USER, users[i], (int)i);
    if (st) return st;
    int d = add ? ensure_dept(m, dept) : find_dept(m, dept);
    if (d < 0) return AUTHZ_ENOTFOUND;
    for (size_t i = 0; i < n; i++) {
        if (add)
            join(m, m->dept[d].members, &m->dept[d].n, dept, users[i], true);
        else
            leave(m, m->dept[d].members, &m->dept[d].n, dept, users[i], true);
    }
    return AUTHZ_OK;
}

authz_status m_set_depts(model *m, const char *user, const char *const *depts, size_t n) {
    if (!v_ident(user)) return AUTHZ_EINVAL;
    authz_status st = count_ok(n, 0, 50);
    for (size_t i = 0; !st && i < n; i++)
        if (!v_ident(depts[i])) st = AUTHZ_EINVAL;
    if (!st) st = listed_ok(m, AUTHZ_TARGET_USER, user, -1);
    for (size_t i = 0; !st && i < n; i++)
        st = listed_ok(m, AUTHZ_TARGET_DEPARTMENT, depts[i], (int)i);
    if (st) return st;
    int u = ensure_user(m, user);
    for (size_t i = 0; i < n; i++) ensure_dept(m, depts[i]);
    for (int k = 0; k < m->user[u].nd; k++) {
        bool kept = false;
        for (size_t i = 0; i < n; i++) kept = kept || eq(depts[i], m->user[u].depts[k]);
        int d = find_dept(m, m->user[u].depts[k]);
        int i = find_in(m->dept[d].members, m->dept[d].n, user);
        if (!kept && i >= 0) REMOVE_AT(m->dept[d].members, m->dept[d].n, i);
    }
    m->user[u].nd = 0;
    for (size_t i = 0; i < n; i++) {
        if (find_in(m->user[u].depts, m->user[u].nd, depts[i]) >= 0) continue;
        cpy(m->user[u].depts[m->user[u].nd++], depts[i]);
        int d = find_dept(m, depts[i]);
        if (find_in(m->dept[d].members, m->dept[d].n, user) < 0)
            cpy(m->dept[d].members[m->dept[d].n++], user);
    }
    return AUTHZ_OK;
}

static void render_ids(char (*ids)[STR], int n, size_t page, size_t limit, char *out, size_t cap) {
    snprintf(out, cap, "T=%d:", n);
    for (size_t k = (page - 1) * limit; k < (size_t)n && k < page * limit; k++)
        out_add(out, cap, "%s,", ids[k]);
}

authz_status m_group_get(const model *m, const char *code, char *out, size_t cap) {
    int g;
    authz_status st = resolve_group(m, code, &g);
    if (st) return st;
    out[0] = '\0';
    render_group(&m->group[g], out, cap);
    return AUTHZ_OK;
}

authz_status m_group_list(const model *m, const char *kw, const authz_page *pg, char *out,
                          size_t cap) {
    size_t page, limit;
    if (page_ok(pg, &page, &limit)) return AUTHZ_EINVAL;
    int idx[MAXGROUP], total = 0;
    for (int i = m->ngroup - 1; i >= 0; i--) /* newest first */
        if (!kw || !*kw || strstr(m->group[i].code, kw) || strstr(m->group[i].name, kw))
            idx[total++] = i;
    snprintf(out, cap, "T=%d:", total);
    for (size_t k = (page - 1) * limit; k < (size_t)total && k < page * limit; k++)
        render_group(&m->group[idx[k]], out, cap);
    return AUTHZ_OK;
}

authz_status m_group_list_members(const model *m, const char *code, const authz_page *pg, char *out,
                                  size_t cap) {
    size_t page, limit;
    if (page_ok(pg, &page, &limit)) return AUTHZ_EINVAL;
    int g;
    authz_status st = resolve_group(m, code, &g);
    if (st) return st;
    model *mm = (model *)(uintptr_t)m;
    render_ids(mm->group[g].members, m->group[g].n, page, limit, out, cap);
    return AUTHZ_OK;
}

authz_status m_user_groups(const model *m, const char *user, char *out, size_t cap) {
    if (!v_ident(user)) return AUTHZ_EINVAL;
    int u = find_user(m, user);
    if (u < 0) return AUTHZ_ENOTFOUND;
    snprintf(out, cap, "T=%d:", m->user[u].ng);
    for (int i = 0; i < m->user[u].ng; i++)
        render_group(&m->group[find_group(m, m->user[u].groups[i])], out, cap);
    return AUTHZ_OK;
}

authz_status m_user_depts(const model *m, const char *user, char *out, size_t cap) {
    if (!v_ident(user)) return AUTHZ_EINVAL;
    int u = find_user(m, user);
    if (u < 0) return AUTHZ_ENOTFOUND;
    model *mm = (model *)(uintptr_t)m;
    render_ids(mm->user[u].depts, m->user[u].nd, 1, 1000, out, cap);
    return AUTHZ_OK;
}

authz_status m_dept_list_members(const model *m, const char *dept, const authz_page *pg, char *out,
                                 size_t cap) {
    if (!v_ident(dept)) return AUTHZ_EINVAL;
    size_t page, limit;
    if (page_ok(pg, &page, &limit)) return AUTHZ_EINVAL;
    int d = find_dept(m, dept);
    if (d < 0) return AUTHZ_ENOTFOUND;
    model *mm = (model *)(uintptr_t)m;
    render_ids(mm->dept[d].members, m->dept[d].n, page, limit, out, cap);
    return AUTHZ_OK;
}

/* ---- grants ---- */

static authz_status target_id_ok(authz_target_type t, const char *id) {
    bool ok = (t == AUTHZ_TARGET_ROLE || t == AUTHZ_TARGET_GROUP) ? v_code(id) : v_ident(id);
    return ok ? AUTHZ_OK : AUTHZ_EINVAL;
}

static authz_status items_ok(const authz_grant_item *items, size_t n, bool revoke) {
    authz_status st = count_ok(n, 1, 10);
    for (size_t i = 0; !st && i < n; i++) {
        const authz_grant_item *it = &items[i];
        if (it->target_type > AUTHZ_TARGET_DEPARTMENT) return AUTHZ_EINVAL;
        if (it->identifier_count < 1 || it->identifier_count > 100)
            return it->identifier_count > 100 ? AUTHZ_ELIMIT : AUTHZ_EINVAL;
        if (it->resource_count < 1) return AUTHZ_EINVAL;
        for (size_t k = 0; !st && k < it->identifier_count; k++)
            st = target_id_ok(it->target_type, it->identifiers[k]);
        for (size_t r = 0; !st && r < it->resource_count; r++) {
            const authz_grant_resource *gr = &it->resources[r];
            size_t cl;
            if (!v_resstr(gr->resource, &cl) || gr->type > AUTHZ_RESOURCE_UI) return AUTHZ_EINVAL;
            if (gr->action_count > 50) return AUTHZ_ELIMIT;
            if (!revoke && gr->action_count == 0) return AUTHZ_EINVAL;
            for (size_t a = 0; a < gr->action_count; a++)
                if (!v_action(gr->actions[a])) return AUTHZ_EINVAL;
        }
    }
    return st;
}

static void code_of(const char *res, char *code) {
    size_t cl = 1;
    v_resstr(res, &cl);
    snprintf(code, STR, "%.*s", (int)cl, res);
}

static authz_status strict_ok(const model *m, const char *ns, const authz_grant_resource *gr) {
    if (eq(gr->resource, "*")) return AUTHZ_OK;
    char code[STR];
    code_of(gr->resource, code);
    int r = find_res(m, ns, code);
    if (r < 0) return AUTHZ_ERULE;
    for (size_t a = 0; a < gr->action_count; a++)
        if (!eq(gr->actions[a], "*") &&
            find_in(((model *)(uintptr_t)m)->res[r].act, m->res[r].nact, gr->actions[a]) < 0)
            return AUTHZ_ERULE;
    return AUTHZ_OK;
}

static int find_grant(const model *m, const char *ns, int ttype, const char *tid, const char *res) {
    for (int i = 0; i < m->ngrant; i++) {
        const mr_grant *g = &m->grant[i];
        if (g->ttype == ttype && eq(g->ns, ns) && eq(g->tid, tid) && eq(g->res, res)) return i;
    }
    return -1;
}

/* The pass that can fail, in the engine's order: targets, then (strict) resources, on revoke as
 * on authorize. */
static authz_status grant_check_targets(const model *m, const char *ns,
                                        const authz_grant_item *items, size_t n, bool revoke) {
    for (size_t i = 0; i < n; i++) {
        const authz_grant_item *it = &items[i];
        for (size_t k = 0; k < it->identifier_count; k++) {
            int x;
            if (it->target_type == AUTHZ_TARGET_ROLE && resolve_role(m, ns, it->identifiers[k], &x))
                return AUTHZ_ENOTFOUND;
            if (it->target_type == AUTHZ_TARGET_GROUP && resolve_group(m, it->identifiers[k], &x))
                return AUTHZ_ENOTFOUND;
            if (!revoke && listed_ok(m, it->target_type, it->identifiers[k], (int)i))
                return AUTHZ_ENOTFOUND;
            for (size_t r = 0; !revoke && strict_mode && r < it->resource_count; r++)
                if (strict_ok(m, ns, &it->resources[r])) return AUTHZ_ERULE;
        }
    }
    /* Revoke resolves every target before it looks at any resource. */
    for (size_t i = 0; revoke && strict_mode && i < n; i++)
        for (size_t r = 0; r < items[i].resource_count; r++)
            if (strict_ok(m, ns, &items[i].resources[r])) return AUTHZ_ERULE;
    return AUTHZ_OK;
}

static void authorize_one(model *m, const char *ns, int ttype, const char *tid,
                          const authz_grant_resource *gr) {
    char code[STR];
    code_of(gr->resource, code);
    int t = ensure_actab(m, ns, code);
    for (size_t a = 0; a < gr->action_count; a++) actab_add(m, t, gr->actions[a]);
    int g = find_grant(m, ns, ttype, tid, gr->resource);
    if (g < 0) {
        g = m->ngrant++;
        mr_grant *x = &m->grant[g];
        memset(x, 0, sizeof *x);
        cpy(x->ns, ns), cpy(x->tid, tid), cpy(x->res, gr->resource), cpy(x->code, code);
        x->ttype = ttype;
    }
    m->grant[g].type = (int)gr->type;
    for (size_t a = 0; a < gr->action_count; a++)
        if (find_in(m->grant[g].act, m->grant[g].nact, gr->actions[a]) < 0)
            cpy(m->grant[g].act[m->grant[g].nact++], gr->actions[a]);
}

static void revoke_one(model *m, const char *ns, int ttype, const char *tid,
                       const authz_grant_resource *gr) {
    int g = find_grant(m, ns, ttype, tid, gr->resource);
    if (g < 0) return;
    bool all = gr->action_count == 0;
    for (size_t a = 0; a < gr->action_count; a++) all = all || eq(gr->actions[a], "*");
    if (!all) {
        for (size_t a = 0; a < gr->action_count; a++) {
            int k = find_in(m->grant[g].act, m->grant[g].nact, gr->actions[a]);
            if (k >= 0) REMOVE_AT(m->grant[g].act, m->grant[g].nact, k);
        }
        if (m->grant[g].nact > 0) return;
    }
    remove_grant(m, g);
}

authz_status m_grant(model *m, const char *nsc, const authz_grant_item *items, size_t n,
                     bool revoke) {
    authz_status st = items_ok(items, n, revoke);
    if (!st) st = resolve_ns(m, nsc);
    const char *ns = ns_of(nsc);
    if (!st) st = grant_check_targets(m, ns, items, n, revoke);
    if (st) return st;
    for (size_t i = 0; i < n; i++) {
        const authz_grant_item *it = &items[i];
        for (size_t k = 0; k < it->identifier_count; k++) {
            const char *id = it->identifiers[k];
            int tt = (int)it->target_type;
            if (revoke) {
                if (tt == AUTHZ_TARGET_USER && find_user(m, id) < 0) continue;
                if (tt == AUTHZ_TARGET_DEPARTMENT && find_dept(m, id) < 0) continue;
            } else if (tt == AUTHZ_TARGET_USER) {
                ensure_user(m, id);
            } else if (tt == AUTHZ_TARGET_DEPARTMENT) {
                ensure_dept(m, id);
            }
            for (size_t r = 0; r < it->resource_count; r++) {
                if (revoke)
                    revoke_one(m, ns, tt, id, &it->resources[r]);
                else
                    authorize_one(m, ns, tt, id, &it->resources[r]);
            }
        }
    }
    return AUTHZ_OK;
}

/* ---- the check ---- */

static bool assign_live(const model *m, const mr_assign *a) {
    const m_role *r = &m->role[find_role(m, a->ns, a->role)];
    if (r->status) return false;
    if (r->disable && m->now >= r->disable) return false;
    if (a->enable && m->now < a->enable) return false;
    if (a->end && m->now >= a->end) return false;
    return true;
}

typedef struct principal {
    int type;
    char id[STR];
} principal;

/* The user's principals in the order the engine probes them. */
static int principals_of(const model *m, const char *ns, int u, principal *p) {
    int n = 0;
    p[n].type = AUTHZ_TARGET_USER, cpy(p[n++].id, m->user[u].id);
    for (int d = -1; d < m->user[u].nd; d++) {
        int kind = d < 0 ? AUTHZ_TARGET_USER : AUTHZ_TARGET_DEPARTMENT;
        const char *who = d < 0 ? m->user[u].id : m->user[u].depts[d];
        for (int k = 0; k < m->nassign; k++) {
            const mr_assign *a = &m->assign[k];
            if (a->kind == kind && eq(a->id, who) && eq(a->ns, ns) && assign_live(m, a))
                p[n].type = AUTHZ_TARGET_ROLE, cpy(p[n++].id, a->role);
        }
    }
    for (int g = 0; g < m->user[u].ng; g++)
        p[n].type = AUTHZ_TARGET_GROUP, cpy(p[n++].id, m->user[u].groups[g]);
    for (int d = 0; d < m->user[u].nd; d++)
        p[n].type = AUTHZ_TARGET_DEPARTMENT, cpy(p[n++].id, m->user[u].depts[d]);
    return n;
}

static authz_status check_args(const model *m, const char *ns, const char *user, const char *res,
                               const char *action) {
    size_t cl;
    if (!v_ident(user) || !v_resstr(res, &cl) || !v_action(action)) return AUTHZ_EINVAL;
    return resolve_ns(m, ns);
}

/* The grant that allows, or -1; `who` gets the principal. */
static int first_allowing(const model *m, const char *ns, const char *user, const char *res,
                          const char *action, principal *who) {
    int u = find_user(m, user);
    if (u < 0) return -1;
    principal p[256];
    int np = principals_of(m, ns, u, p);
    char code[STR], cand[4][STR];
    code_of(res, code);
    int nc = 0;
    const char *colon = strchr(res, ':');
    if (colon && !eq(colon + 1, "*")) cpy(cand[nc++], res);
    snprintf(cand[nc++], STR, "%.80s:*", code);
    cpy(cand[nc++], code);
    cpy(cand[nc++], "*");
    for (int i = 0; i < np; i++)
        for (int c = 0; c < nc; c++) {
            int g = find_grant(m, ns, p[i].type, p[i].id, cand[c]);
            if (g < 0) continue;
            const mr_grant *x = &m->grant[g];
            if (find_in(((model *)(uintptr_t)m)->grant[g].act, x->nact, "*") >= 0 ||
                find_in(((model *)(uintptr_t)m)->grant[g].act, x->nact, action) >= 0) {
                *who = p[i];
                return g;
            }
        }
    return -1;
}

authz_status m_check(const model *m, const char *ns, const char *user, const char *res,
                     const char *action, bool *allowed) {
    authz_status st = check_args(m, ns, user, res, action);
    if (st) return st;
    principal who;
    *allowed = first_allowing(m, ns_of(ns), user, res, action, &who) >= 0;
    return AUTHZ_OK;
}

/* A grant's actions in the order of its code's action table. */
static void render_actions(const model *m, const mr_grant *g, char *out, size_t cap) {
    const m_actab *t = &m->actab[find_actab(m, g->ns, g->code)];
    out_add(out, cap, "[");
    for (int i = 0; i < t->n; i++)
        if (find_in(((mr_grant *)(uintptr_t)g)->act, g->nact, t->names[i]) >= 0)
            out_add(out, cap, "%s,", t->names[i]);
    out_add(out, cap, "]");
}

authz_status m_explain(const model *m, const char *ns, const char *user, const char *res,
                       const char *action, char *out, size_t cap) {
    authz_status st = check_args(m, ns, user, res, action);
    if (st) return st;
    principal who;
    int g = first_allowing(m, ns_of(ns), user, res, action, &who);
    if (g < 0) return snprintf(out, cap, "denied"), AUTHZ_OK;
    snprintf(out, cap, "allowed %s:%s %s ", ttypes[who.type], who.id, m->grant[g].res);
    render_actions(m, &m->grant[g], out, cap);
    return AUTHZ_OK;
}

/* ---- grant reads ---- */

static authz_status filter_ok(const authz_grant_filter *f) {
    if (!f) return AUTHZ_OK;
    if (f->type && *f->type > AUTHZ_RESOURCE_UI) return AUTHZ_EINVAL;
    if (f->resource_count > 50) return AUTHZ_ELIMIT;
    return AUTHZ_OK;
}

static bool filter_keeps(const authz_grant_filter *f, const mr_grant *g) {
    if (!f) return true;
    if (f->type && g->type != (int)*f->type) return false;
    if (!f->resource_count) return true;
    for (size_t i = 0; i < f->resource_count; i++) {
        size_t n = strlen(f->resources[i]);
        if (n && f->resources[i][n - 1] == '*') n--;
        if (strncmp(g->res, f->resources[i], n) == 0) return true;
    }
    return false;
}

static void render_grant_head(const model *m, const mr_grant *g, char *out, size_t cap) {
    int r = find_res(m, g->ns, g->code);
    out_add(out, cap, "{%s|%s|%s|%s|", g->res, types[g->type], r >= 0 ? m->res[r].desc : "",
            r >= 0 ? m->res[r].api : "");
}

authz_status m_target_grants(const model *m, const char *ns, authz_target_type t, const char *id,
                             const authz_grant_filter *f, char *out, size_t cap) {
    authz_status st = filter_ok(f);
    if (!st && t > AUTHZ_TARGET_DEPARTMENT) st = AUTHZ_EINVAL;
    if (!st) st = resolve_ns(m, ns);
    int x;
    if (!st && t == AUTHZ_TARGET_ROLE) st = resolve_role(m, ns, id, &x);
    if (!st && t == AUTHZ_TARGET_GROUP) st = resolve_group(m, id, &x);
    if (!st && (t == AUTHZ_TARGET_USER || t == AUTHZ_TARGET_DEPARTMENT) && !v_ident(id))
        st = AUTHZ_EINVAL;
    if (st) return st;
    int idx[MAXGRANT], total = 0;
    for (int i = 0; i < m->ngrant; i++) {
        const mr_grant *g = &m->grant[i];
        if (g->ttype == (int)t && eq(g->tid, id) && eq(g->ns, ns_of(ns)) && filter_keeps(f, g))
            idx[total++] = i;
    }
    snprintf(out, cap, "T=%d:", total);
    for (int k = 0; k < total; k++) {
        render_grant_head(m, &m->grant[idx[k]], out, cap);
        render_actions(m, &m->grant[idx[k]], out, cap);
        out_add(out, cap, "}");
    }
    return AUTHZ_OK;
}

authz_status m_user_grants(const model *m, const char *ns, const char *user,
                           const authz_grant_filter *f, char *out, size_t cap) {
    authz_status st = filter_ok(f);
    if (!st && !v_ident(user)) st = AUTHZ_EINVAL;
    if (!st) st = resolve_ns(m, ns);
    int u = st ? -1 : find_user(m, user);
    if (!st && u < 0) st = AUTHZ_ENOTFOUND;
    if (st) return st;
    principal p[256];
    int np = principals_of(m, ns_of(ns), u, p);
    int first[MAXGRANT], nf = 0;
    for (int i = 0; i < np; i++)
        for (int g = 0; g < m->ngrant; g++) {
            const mr_grant *x = &m->grant[g];
            if (x->ttype != p[i].type || !eq(x->tid, p[i].id) || !eq(x->ns, ns_of(ns)) ||
                !filter_keeps(f, x))
                continue;
            bool seen = false;
            for (int k = 0; k < nf; k++) seen = seen || eq(m->grant[first[k]].res, x->res);
            if (!seen) first[nf++] = g;
        }
    snprintf(out, cap, "T=%d:", nf);
    for (int k = 0; k < nf; k++) {
        const mr_grant *g0 = &m->grant[first[k]];
        render_grant_head(m, g0, out, cap);
        const m_actab *t = &m->actab[find_actab(m, g0->ns, g0->code)];
        out_add(out, cap, "[");
        for (int o = 0; o < t->n; o++) {
            bool held = false;
            for (int i = 0; i < np && !held; i++)
                for (int g = 0; g < m->ngrant && !held; g++) {
                    const mr_grant *x = &m->grant[g];
                    held = x->ttype == p[i].type && eq(x->tid, p[i].id) && eq(x->ns, g0->ns) &&
                           eq(x->res, g0->res) && filter_keeps(f, x) &&
                           find_in(((mr_grant *)(uintptr_t)x)->act, x->nact, t->names[o]) >= 0;
                }
            if (held) out_add(out, cap, "%s,", t->names[o]);
        }
        out_add(out, cap, "]}");
    }
    return AUTHZ_OK;
}

authz_status m_resource_targets(const model *m, const char *ns, const char *res,
                                const authz_target_type *type, const authz_page *pg, char *out,
                                size_t cap) {
    size_t cl, page, limit;
    if (!v_resstr(res, &cl) || page_ok(pg, &page, &limit) ||
        (type && *type > AUTHZ_TARGET_DEPARTMENT))
        return AUTHZ_EINVAL;
    if (resolve_ns(m, ns)) return AUTHZ_ENOTFOUND;
    int idx[MAXGRANT], total = 0;
    for (int i = 0; i < m->ngrant; i++) {
        const mr_grant *g = &m->grant[i];
        if (eq(g->ns, ns_of(ns)) && eq(g->res, res) && (!type || g->ttype == (int)*type))
            idx[total++] = i;
    }
    snprintf(out, cap, "T=%d:", total);
    for (size_t k = (page - 1) * limit; k < (size_t)total && k < page * limit; k++) {
        const mr_grant *g = &m->grant[idx[k]];
        out_add(out, cap, "{%s:%s|", ttypes[g->ttype], g->tid);
        render_actions(m, g, out, cap);
        out_add(out, cap, "}");
    }
    return AUTHZ_OK;
}

/* ---- records nothing links ---- */

static bool named(const model *m, int kind, const char *id) {
    for (int k = 0; k < m->nassign; k++)
        if (m->assign[k].kind == kind && eq(m->assign[k].id, id)) return true;
    for (int k = 0; k < m->ngrant; k++)
        if (m->grant[k].ttype == kind && eq(m->grant[k].tid, id)) return true;
    return false;
}

void m_settle(model *m) {
    for (int u = m->nuser - 1; u >= 0; u--) {
        const m_user *x = &m->user[u];
        if (!x->listed && !x->ng && !x->nd && !named(m, AUTHZ_TARGET_USER, x->id))
            REMOVE_AT(m->user, m->nuser, u);
    }
    for (int d = m->ndept - 1; d >= 0; d--) {
        const m_dept *x = &m->dept[d];
        if (!x->n && find_drec(m, x->id) < 0 && !named(m, AUTHZ_TARGET_DEPARTMENT, x->id))
            REMOVE_AT(m->dept, m->ndept, d);
    }
}

/* ---- the user directory ---- */

void model_set_directory(model *m, bool on) { m->directory = on; }

int model_listed_count(const model *m) {
    int n = 0;
    for (int u = 0; u < m->nuser; u++) n += m->user[u].listed;
    return n;
}

static void render_user(const m_user *u, char *out, size_t cap) {
    out_add(out, cap, "{%s|%s|%s|%s|%s|%lld}", u->id, u->username, u->email, u->phone, u->name,
            (long long)u->created);
}

static bool v_profile(const char *s) { return v_text(s, 256); }

authz_status m_user_create(model *m, const authz_user_spec *s, size_t n, char *out, size_t cap) {
    authz_status st = count_ok(n, 1, 50);
    for (size_t i = 0; !st && i < n; i++) {
        const char *id = s[i].user_id;
        if ((id && *id && !v_ident(id)) || !v_profile(s[i].username) || !v_profile(s[i].email) ||
            !v_profile(s[i].phone) || !v_profile(s[i].name))
            st = AUTHZ_EINVAL;
    }
    if (st) return st;
    /* Every item's ID first, in order: a generated one is the counter's next number that no
     * user (listed or not, or an earlier item) has; a given one must not be listed already. */
    char ids[50][STR];
    uint64_t next = m->next_id;
    for (size_t i = 0; i < n; i++) {
        const char *id = s[i].user_id;
        const char *un = s[i].username;
        for (int u = 0; un && *un && u < m->nuser; u++)
            if (m->user[u].listed && eq(m->user[u].username, un)) return AUTHZ_EEXIST;
        for (size_t k = 0; un && *un && k < i; k++) /* usernames are unique, as in GenAuth */
            if (s[k].username && eq(s[k].username, un)) return AUTHZ_EEXIST;
        if (id && *id) {
            int u = find_user(m, id);
            if ((u >= 0 && m->user[u].listed) || find_in(ids, (int)i, id) >= 0) return AUTHZ_EEXIST;
            cpy(ids[i], id);
            continue;
        }
        do snprintf(ids[i], STR, "%024llx", (unsigned long long)++next);
        while (find_user(m, ids[i]) >= 0 || find_in(ids, (int)i, ids[i]) >= 0);
    }
    m->next_id = next;
    if (out) snprintf(out, cap, "T=%zu:", n);
    for (size_t i = 0; i < n; i++) {
        m_user *u = &m->user[ensure_user(m, ids[i])];
        u->listed = true;
        u->seq = ++m->seq;
        u->created = m->now;
        snprintf(u->username, TEXT, "%s", nz(s[i].username));
        snprintf(u->email, TEXT, "%s", nz(s[i].email));
        snprintf(u->phone, TEXT, "%s", nz(s[i].phone));
        snprintf(u->name, TEXT, "%s", nz(s[i].name));
        if (out) render_user(u, out, cap);
    }
    return AUTHZ_OK;
}

authz_status m_user_get(const model *m, const char *id, char *out, size_t cap) {
    if (!v_ident(id)) return AUTHZ_EINVAL;
    int u = find_user(m, id);
    if (u < 0 || !m->user[u].listed) return AUTHZ_ENOTFOUND;
    out[0] = '\0';
    render_user(&m->user[u], out, cap);
    return AUTHZ_OK;
}

authz_status m_user_list(const model *m, const authz_page *pg, char *out, size_t cap) {
    size_t page, limit;
    if (page_ok(pg, &page, &limit)) return AUTHZ_EINVAL;
    int idx[MAXUSER], total = 0;
    for (int u = 0; u < m->nuser; u++)
        if (m->user[u].listed) idx[total++] = u;
    for (int i = 1; i < total; i++) /* oldest listing first */
        for (int k = i; k > 0 && m->user[idx[k - 1]].seq > m->user[idx[k]].seq; k--) {
            int t = idx[k];
            idx[k] = idx[k - 1], idx[k - 1] = t;
        }
    snprintf(out, cap, "T=%d:", total);
    for (size_t k = (page - 1) * limit; k < (size_t)total && k < page * limit; k++)
        render_user(&m->user[idx[k]], out, cap);
    return AUTHZ_OK;
}

/* Deleting a listed user: out of every group and department, every assignment and grant gone,
 * and the record with it (departments left with nothing go at the next m_settle). */
static void destroy_user(model *m, int u) {
    char id[STR];
    cpy(id, m->user[u].id);
    remove_grants_where(m, NULL, AUTHZ_TARGET_USER, id, NULL);
    for (int k = m->nassign - 1; k >= 0; k--)
        if (m->assign[k].kind == AUTHZ_TARGET_USER && eq(m->assign[k].id, id))
            REMOVE_AT(m->assign, m->nassign, k);
    for (int g = 0; g < m->ngroup; g++) {
        int i = find_in(m->group[g].members, m->group[g].n, id);
        if (i >= 0) REMOVE_AT(m->group[g].members, m->group[g].n, i);
    }
    for (int d = 0; d < m->ndept; d++) {
        int i = find_in(m->dept[d].members, m->dept[d].n, id);
        if (i >= 0) REMOVE_AT(m->dept[d].members, m->dept[d].n, i);
    }
    REMOVE_AT(m->user, m->nuser, u);
}

authz_status m_user_delete(model *m, const char *const *ids, size_t n) {
    authz_status st = count_ok(n, 1, 50);
    for (size_t i = 0; !st && i < n; i++)
        if (!v_ident(ids[i])) st = AUTHZ_EINVAL;
    if (st) return st;
    for (size_t i = 0; i < n; i++) {
        int u = find_user(m, ids[i]);
        if (u >= 0 && m->user[u].listed) destroy_user(m, u);
    }
    return AUTHZ_OK;
}

/* ---- organizations and department records ---- */

int model_org_count(const model *m) { return m->norg; }
int model_dept_records(const model *m) { return m->ndrec; }

static int find_org(const model *m, const char *code) {
    for (int i = 0; code && i < m->norg; i++)
        if (eq(m->org[i].code, code)) return i;
    return -1;
}
static bool has_children(const model *m, const char *id) {
    for (int i = 0; i < m->ndrec; i++)
        if (eq(m->drec[i].parent, id)) return true;
    return false;
}
static int members_of(const model *m, const char *id) {
    int d = find_dept(m, id);
    return d >= 0 ? m->dept[d].n : 0;
}

static void render_org(const model *m, const m_org *o, char *out, size_t cap) {
    out_add(out, cap, "{%s|%s|%s|%s|%d|%d|%lld}", o->code, o->name, o->desc, o->root,
            members_of(m, o->root), has_children(m, o->root), (long long)o->created);
}
/* A department: a root has no parent and no code, and its organization's name. */
static void render_root(const model *m, const m_org *o, char *out, size_t cap) {
    out_add(out, cap, "{%s|%s||%s||%s|%d|%d|%lld}", o->root, o->code, o->name, o->desc,
            members_of(m, o->root), has_children(m, o->root), (long long)o->created);
}
static void render_drec(const model *m, const m_drec *d, char *out, size_t cap) {
    out_add(out, cap, "{%s|%s|%s|%s|%s|%s|%d|%d|%lld}", d->id, d->org, d->parent, d->name, d->code,
            d->desc, members_of(m, d->id), has_children(m, d->id), (long long)d->created);
}

/* The next generated department ID: "d" and 23 hex digits that no department has. */
static void next_dept_id(model *m, char *id) {
    do snprintf(id, STR, "d%023llx", (unsigned long long)++m->next_dept);
    while (find_dept(m, id) >= 0 || root_of(m, id) >= 0);
}

authz_status m_org_create(model *m, const authz_organization_spec *s, char *out, size_t cap) {
    if (s->code && *s->code && !v_code(s->code)) return AUTHZ_EINVAL;
    if (!s->name || !*s->name || !v_text(s->name, 256) || !v_text(s->description, 1024))
        return AUTHZ_EINVAL;
    uint64_t before = m->next_dept;
    char root[STR], code[STR];
    next_dept_id(m, root);
    if (s->code && *s->code)
        cpy(code, s->code);
    else
        snprintf(code, STR, "org-%.100s", root);
    if (find_org(m, code) >= 0) return m->next_dept = before, AUTHZ_EEXIST;
    if (m->norg == MAXORG) abort(); /* the driver keeps below this */
    m_org *o = &m->org[m->norg++];
    memset(o, 0, sizeof *o);
    cpy(o->code, code), cpy(o->root, root);
    snprintf(o->name, sizeof o->name, "%s", s->name);
    snprintf(o->desc, sizeof o->desc, "%s", nz(s->description));
    o->created = m->now;
    if (out) {
        out[0] = '\0';
        render_org(m, o, out, cap);
    }
    return AUTHZ_OK;
}

authz_status m_org_list(const model *m, const authz_page *pg, const char *kw, char *out,
                        size_t cap) {
    size_t page, limit;
    if (page_ok(pg, &page, &limit) || !v_text(kw, 256)) return AUTHZ_EINVAL;
    int idx[MAXORG], total = 0;
    for (int i = 0; i < m->norg; i++) /* the default first, then by creation */
        if (!kw || !*kw || strstr(m->org[i].code, kw) || strstr(m->org[i].name, kw))
            idx[total++] = i;
    snprintf(out, cap, "T=%d:", total);
    for (size_t k = (page - 1) * limit; k < (size_t)total && k < page * limit; k++)
        render_org(m, &m->org[idx[k]], out, cap);
    return AUTHZ_OK;
}

/* `id` in organization `o`: 0 for its root ("root" or the root's ID), 1 for one of its records
 * (*rec), -1 for neither. */
static int dept_in(const model *m, int o, const char *id, int *rec) {
    if (eq(id, "root") || eq(id, m->org[o].root)) return 0;
    *rec = find_drec(m, id);
    return *rec >= 0 && eq(m->drec[*rec].org, m->org[o].code) ? 1 : -1;
}

authz_status m_dept_create(model *m, const authz_department_spec *s, char *out, size_t cap) {
    const char *oc = s->organization_code;
    if ((oc && *oc && !v_code(oc)) || !v_ident(s->parent_department_id) || !s->name || !*s->name ||
        !v_text(s->name, 256) || (s->code && *s->code && !v_code(s->code)) ||
        !v_text(s->description, 1024))
        return AUTHZ_EINVAL;
    int o = find_org(m, oc), rec = -1;
    if (o < 0) return AUTHZ_ENOTFOUND;
    int k = dept_in(m, o, s->parent_department_id, &rec);
    if (k < 0) return AUTHZ_ENOTFOUND;
    for (int i = 0; s->code && *s->code && i < m->ndrec; i++)
        if (eq(m->drec[i].org, oc) && eq(m->drec[i].code, s->code)) return AUTHZ_EEXIST;
    if (m->ndrec == MAXDREC) abort(); /* the driver keeps below this */
    char id[STR];
    next_dept_id(m, id);
    ensure_dept(m, id);
    m_drec *d = &m->drec[m->ndrec++];
    memset(d, 0, sizeof *d);
    cpy(d->id, id), cpy(d->org, oc), cpy(d->code, s->code);
    cpy(d->parent, k == 0 ? m->org[o].root : s->parent_department_id);
    snprintf(d->name, sizeof d->name, "%s", s->name);
    snprintf(d->desc, sizeof d->desc, "%s", nz(s->description));
    d->created = m->now;
    if (out) {
        out[0] = '\0';
        render_drec(m, d, out, cap);
    }
    return AUTHZ_OK;
}

static authz_status lookup(const model *m, const char *org, const char *id, int *o, int *k,
                           int *rec) {
    if (!org || !v_text(org, 64) || !v_ident(id)) return AUTHZ_EINVAL; /* longer: malformed */
    *o = find_org(m, org);
    if (*o < 0) return AUTHZ_ENOTFOUND;
    *k = dept_in(m, *o, id, rec);
    return *k < 0 ? AUTHZ_ENOTFOUND : AUTHZ_OK;
}

authz_status m_dept_get(const model *m, const char *org, const char *id, char *out, size_t cap) {
    int o, k, rec;
    authz_status st = lookup(m, org, id, &o, &k, &rec);
    if (st) return st;
    out[0] = '\0';
    if (k == 0)
        render_root(m, &m->org[o], out, cap);
    else
        render_drec(m, &m->drec[rec], out, cap);
    return AUTHZ_OK;
}

authz_status m_dept_children(const model *m, const char *org, const char *id, char *out,
                             size_t cap) {
    int o, k, rec;
    authz_status st = lookup(m, org, id, &o, &k, &rec);
    if (st) return st;
    const char *parent = k == 0 ? m->org[o].root : m->drec[rec].id;
    int total = 0;
    for (int i = 0; i < m->ndrec; i++) total += eq(m->drec[i].parent, parent);
    snprintf(out, cap, "T=%d:", total);
    for (int i = 0; i < m->ndrec; i++)
        if (eq(m->drec[i].parent, parent)) render_drec(m, &m->drec[i], out, cap);
    return AUTHZ_OK;
}

/* A department's end: its grants, assignments and memberships go with its record. */
static void destroy_drec(model *m, int r) {
    char id[STR];
    cpy(id, m->drec[r].id);
    remove_grants_where(m, NULL, AUTHZ_TARGET_DEPARTMENT, id, NULL);
    for (int k = m->nassign - 1; k >= 0; k--)
        if (m->assign[k].kind == AUTHZ_TARGET_DEPARTMENT && eq(m->assign[k].id, id))
            REMOVE_AT(m->assign, m->nassign, k);
    for (int u = 0; u < m->nuser; u++) {
        int i = find_in(m->user[u].depts, m->user[u].nd, id);
        if (i >= 0) REMOVE_AT(m->user[u].depts, m->user[u].nd, i);
    }
    int d = find_dept(m, id);
    if (d >= 0) m->dept[d].n = 0;
    REMOVE_AT(m->drec, m->ndrec, r);
}

authz_status m_dept_delete(model *m, const char *org, const char *id) {
    int o, k, rec;
    authz_status st = lookup(m, org, id, &o, &k, &rec);
    if (st) return st;
    if (k == 0) return AUTHZ_ERULE;
    bool doomed[MAXDREC] = {false};
    doomed[rec] = true;
    for (int i = rec + 1; i < m->ndrec; i++) { /* parents come before their children */
        int p = find_drec(m, m->drec[i].parent);
        doomed[i] = p >= 0 && doomed[p];
    }
    for (int i = m->ndrec - 1; i >= rec; i--)
        if (doomed[i]) destroy_drec(m, i);
    return AUTHZ_OK;
}
