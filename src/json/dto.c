/*
 * dto.c - engine results as GenAuth's DTOs (field names and shapes of the wire spec §4).
 * Users, organizations and departments come from the directory (authz/directory.h,
 * authz/organization.h).
 */
#include <stdio.h>
#include <time.h>

#include "methods.h"

json_t *authz__dto_time(int64_t ms) {
    time_t s = (time_t)(ms / 1000);
    struct tm tm;
    char buf[40];
    if (!gmtime_r(&s, &tm)) return json_string("");
    size_t n = strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%S", &tm);
    snprintf(buf + n, sizeof buf - n, ".%03dZ", (int)(ms % 1000));
    return json_string(buf);
}

json_t *authz__dto_namespace(const authz_namespace *n) {
    return json_pack("{s:s,s:s,s:s}", "code", n->code, "name", n->name, "description",
                     n->description);
}

json_t *authz__dto_resource(const authz_resource *r) {
    json_t *acts = json_array();
    for (size_t i = 0; acts && i < r->action_count; i++)
        json_array_append_new(acts, json_pack("{s:s,s:s}", "name", r->actions[i].name,
                                              "description", r->actions[i].description));
    return json_pack("{s:s,s:s,s:s,s:s,s:s,s:s,s:o*,s:b}", "namespace", r->namespace_code, "code",
                     r->code, "type", authz_resource_type_name(r->type), "name", r->name,
                     "description", r->description, "apiIdentifier", r->api_identifier, "actions",
                     acts, "linkedToTenant", r->linked_to_tenant);
}

json_t *authz__dto_role(const authz_role *r) {
    json_t *o = json_pack("{s:s,s:s,s:s,s:s,s:s}", "code", r->code, "name", r->name, "description",
                          r->description, "namespace", r->namespace_code, "status",
                          authz_role_status_name(r->status));
    if (o && r->disable_time) json_object_set_new(o, "disableTime", json_integer(r->disable_time));
    return o;
}

json_t *authz__dto_group(const authz_group *g) {
    return json_pack("{s:s,s:s,s:s,s:s}", "code", g->code, "name", g->name, "description",
                     g->description, "type", g->type);
}

json_t *authz__dto_strings(const char *const *s, size_t n) {
    json_t *a = json_array();
    for (size_t i = 0; a && i < n; i++) json_array_append_new(a, json_string(s[i]));
    return a;
}

json_t *authz__dto_user_ids(const authz_id_list *l) {
    json_t *a = json_array();
    for (size_t i = 0; a && i < l->count; i++)
        json_array_append_new(a, json_pack("{s:s}", "userId", l->items[i]));
    return jpaged(l->total_count, a);
}
