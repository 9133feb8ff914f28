/*
 * methods.c - `authz methods`: every method of the JSON front door and the HTTP API, read from
 * the dispatch table (authz_json_methods()), with what a caller sends and gets back. With
 * --markdown it writes docs/api.md; a test compares the checked-in file with this output, so the
 * reference cannot drift from the table. A method added to the table without a row here is
 * listed with its name, path and HTTP method and marked undocumented.
 */
#include <stdio.h>
#include <string.h>

#include "cli.h"

/* Parameters are lines of "field|type|required or optional|notes". */
typedef struct method_doc {
    const char *name;
    const char *summary;
    const char *params;
    const char *response;
} method_doc;

#define NS "namespace|string|optional|namespace code; omitted or \"\" means `default`\n"
#define PAGE                                    \
    "page|number|optional|1-based, default 1\n" \
    "limit|number|optional|1..50, default 10\n"
#define SUCCESS "`{\"success\": true}`"
#define PAGED(x) "`{\"totalCount\": n, \"list\": [" x "]}`"
#define NS_DTO "`{code, name, description}`"
#define RES_DTO                                                                                   \
    "`{namespace, code, type, name, description, apiIdentifier, actions: [{name, description}], " \
    "linkedToTenant}`"
#define ROLE_DTO "`{code, name, description, namespace, status, disableTime?}`"
#define GROUP_DTO "`{code, name, description, type}`"
#define GRANT_DTO "{resourceCode, resourceType, apiIdentifier, actions}"
#define TARGETS                                                                              \
    "targets|object[]|required|1..50 `{targetType: USER or DEPARTMENT, targetIdentifier}`; " \
    "users and departments need not exist beforehand\n"

static const method_doc docs[] = {
    /* namespaces */
    {"create_namespace", "Creates a permission namespace.",
     "code|string|required|`[A-Za-z0-9_-]{1,64}`, unique\n"
     "name|string|optional|UTF-8, at most 256 bytes\n"
     "description|string|optional|at most 1024 bytes\n",
     NS_DTO},
    {"create_namespaces_batch", "Creates several namespaces, all or none.",
     "list|object[]|required|1..50 `{code, name?, description?}`; a code twice or already "
     "present fails naming the item\n",
     SUCCESS},
    {"get_namespace", "Reads one namespace.", "code|string|required|namespace code\n", NS_DTO},
    {"get_namespaces_batch", "Reads several namespaces; unknown codes are skipped.",
     "codeList|string[]|required|1..50 codes (a comma-separated string in a query)\n",
     "`[" NS_DTO "]` in the order asked"},
    {"update_namespace", "Renames or re-describes a namespace; a new code moves everything in it.",
     "code|string|required|the namespace to change\n"
     "newCode|string|optional|its new code\n"
     "name|string|optional|\n"
     "description|string|optional|\n",
     NS_DTO},
    {"delete_namespace",
     "Deletes a namespace with its resources, roles, grants and role assignments. `default` "
     "cannot be deleted (422).",
     "code|string|required|\n", SUCCESS},
    {"delete_namespaces_batch", "Deletes several namespaces; unknown codes are skipped.",
     "codeList|string[]|required|1..10 codes; `default` among them is 422\n", SUCCESS},
    {"list_namespaces", "Lists namespaces in creation order.",
     PAGE "keywords|string|optional|keeps namespaces whose code contains it\n",
     PAGED(NS_DTO " + status")},
    {"list_namespace_roles", "Lists the roles of a namespace.",
     "code|string|required|namespace code\n" PAGE
     "keywords|string|optional|keeps roles whose code or name contains it\n",
     PAGED(ROLE_DTO)},
    /* resources */
    {"create_resource", "Declares a resource and its actions in a namespace.",
     "code|string|required|`[A-Za-z0-9_.-]{1,64}`\n"
     "type|string|required|DATA, API, MENU, BUTTON or UI\n"
     "name|string|optional|\n"
     "description|string|optional|\n"
     "apiIdentifier|string|optional|\n"
     "actions|object[]|optional|0..100 `{name, description?}`; a name is 1..128 bytes of "
     "printable UTF-8 without spaces\n" NS,
     RES_DTO},
    {"create_resources_batch", "Declares several resources in one namespace, all or none.",
     "list|object[]|required|1..50 resources as in create_resource\n" NS, SUCCESS},
    {"get_resource", "Reads one resource.", "code|string|required|\n" NS, RES_DTO},
    {"get_resources_batch", "Reads several resources; unknown codes are skipped.",
     "codeList|string[]|required|1..50 codes\n" NS, "`[" RES_DTO "]`"},
    {"list_resources", "Lists the resources of a namespace in creation order.",
     NS "type|string|optional|only resources of this type\n" PAGE, PAGED(RES_DTO)},
    {"update_resource",
     "Changes a resource's fields. Given `actions` replace the declared list; in a strict "
     "engine, granted actions no longer declared are dropped from grants.",
     "code|string|required|\n" NS "name|string|optional|\n"
     "description|string|optional|\n"
     "apiIdentifier|string|optional|\n"
     "type|string|optional|\n"
     "actions|object[]|optional|0..100 `{name, description?}`\n",
     RES_DTO},
    {"delete_resource",
     "Deletes a resource and every grant on its code, `code:*` and `code:<id>`. Deleting an "
     "unknown resource succeeds.",
     "code|string|required|\n" NS, SUCCESS},
    {"delete_resources_batch", "Deletes several resources, each like delete_resource.",
     "codeList|string[]|required|1..50 codes\n" NS, SUCCESS},
    {"associate_tenant_resource", "Marks a resource as linked (or not) to a tenant.",
     "code|string|required|resource code\n"
     "association|boolean|required|true links, false unlinks\n"
     "appId|string|required|\n"
     "tenantId|string|optional|\n",
     SUCCESS},
    /* grants and checks */
    {"authorize_resources",
     "Adds actions on resource strings to targets. Additive: actions already held stay. The "
     "resource code need not be declared unless the engine is strict.",
     "namespace|string|required|namespace code; unlike every other method, an omitted "
     "namespace is 404 (as GenAuth answers), not `default`\n"
     "list|object[]|required|1..10 `{targetType, targetIdentifiers, resources}`: targetType USER, "
     "ROLE, GROUP or DEPARTMENT; targetIdentifiers 1..100 user IDs, role codes, group codes or "
     "department IDs (roles and groups must exist); resources 1..N `{code, actions, "
     "resourceType?}` where code is a resource string (`code`, `code:id`, `code:*` or `*`) "
     "and actions 1..50 names or `*`\n",
     SUCCESS},
    {"revoke_resources",
     "authz's own (GenAuth V3 has no revoke): removes actions from targets' grants; a grant left "
     "without actions disappears.",
     NS "list|object[]|required|as in authorize_resources, but `actions` may be omitted or "
        "empty to remove the whole grant\n",
     SUCCESS},
    {"is_action_allowed",
     "The permission check: may the user do the action on the resource string, through its own "
     "grants, its roles (direct or through departments, inside their windows, while enabled), "
     "groups or departments? An unknown user is not allowed.",
     "userId|string|required|1..128 bytes\n"
     "resource|string|required|`code`, `code:id`, `code:*` or `*`\n"
     "action|string|required|an action name\n" NS,
     "`{\"allowed\": true or false}`"},
    {"explain_action",
     "authz's own: the check, and which principal and grant allowed it (the first found in the "
     "order user, roles, groups, departments).",
     "userId|string|required|\nresource|string|required|\naction|string|required|\n" NS,
     "`{allowed, principal: {targetType, targetIdentifier} or null, grant: {resource, actions} "
     "or null}`"},
    {"get_authorized_resources", "The grants held directly by one target (not inherited).",
     "targetType|string|required|USER, ROLE, GROUP or DEPARTMENT\n"
     "targetIdentifier|string|required|\n" NS
     "resourceType|string|optional|only grants of this type\n"
     "resourceList|string[]|optional|1..50 prefixes; a grant is kept if its resource string "
     "starts with one\n"
     "withDenied|boolean|optional|accepted; authz holds only ALLOW grants\n",
     PAGED(GRANT_DTO " + description, effect: ALLOW")},
    {"get_user_authorized_resources",
     "Everything a user may do in a namespace: the union of its own, its roles', groups' and "
     "departments' grants, actions merged per resource string.",
     "userId|string|required|\n"
     "userIdType|string|optional|only `user_id` is supported\n" NS
     "resourceType|string|optional|\n",
     PAGED(GRANT_DTO " + description, effect: ALLOW")},
    {"get_resource_authorized_targets", "Who holds grants on a resource string.",
     "resource|string|required|a resource string; the exact grant string is matched\n" NS
     "targetType|string|optional|only targets of this type\n" PAGE,
     PAGED("{targetType, targetIdentifier, actions}")},
    {"get_role_authorized_resources", "The grants held by a role.",
     "code|string|required|role code\n" NS "resourceType|string|optional|\n", PAGED(GRANT_DTO)},
    {"get_group_authorized_resources", "The grants held by a group (a plain array, as GenAuth).",
     "code|string|required|group code\n" NS "resourceType|string|optional|\n",
     "`[" GRANT_DTO " + description, effect: ALLOW]`"},
    /* roles */
    {"create_role", "Creates a role in a namespace.",
     "code|string|required|`[A-Za-z0-9_-]{1,64}`, unique in its namespace\n"
     "name|string|optional|\n"
     "description|string|optional|\n" NS
     "disableTime|number|optional|ms since the epoch; the role grants nothing from then on\n",
     ROLE_DTO},
    {"create_roles_batch", "Creates several roles (each in its own namespace), all or none.",
     "list|object[]|required|1..50 roles as in create_role\n", SUCCESS},
    {"get_role", "Reads one role.", "code|string|required|\n" NS, ROLE_DTO},
    {"list_roles", "Lists the roles of a namespace in creation order.",
     PAGE NS "keywords|string|optional|keeps roles whose code or name contains it\n",
     PAGED(ROLE_DTO)},
    {"update_role",
     "Changes a role; a new code is applied to its grants and assignments. `status` DISABLE "
     "makes the role grant nothing until it is enabled again.",
     "code|string|required|\n" NS "newCode|string|optional|\n"
     "name|string|optional|\n"
     "description|string|optional|\n"
     "status|string|optional|ENABLE or DISABLE\n"
     "disableTime|number|optional|ms since the epoch\n",
     SUCCESS},
    {"delete_roles_batch",
     "Deletes roles with their grants and assignments; any unknown code fails the whole batch.",
     "codeList|string[]|required|1..50 codes\n" NS, SUCCESS},
    {"assign_role", "Assigns a role to users and departments, optionally inside a time window.",
     "code|string|required|role code\n" NS TARGETS
     "enableTime|number|optional|ms since the epoch; the assignment counts from then\n"
     "endTime|number|optional|ms since the epoch; the assignment counts until then\n",
     SUCCESS},
    {"assign_role_batch", "Assigns several roles to several targets.",
     "roles|object[]|required|1..10 `{code, namespace?}`\n"
     "targets|object[]|required|1..10 `{targetType: USER or DEPARTMENT, targetIdentifier}`\n",
     SUCCESS},
    {"revoke_role", "Removes a role from users and departments; what is not assigned is ignored.",
     "code|string|required|\n" NS TARGETS, SUCCESS},
    {"revoke_role_batch", "Removes several roles from several targets.",
     "roles|object[]|required|1..10 `{code, namespace?}`\n"
     "targets|object[]|required|1..50 targets\n",
     SUCCESS},
    {"list_role_members", "The users a role is assigned to directly.",
     "code|string|required|\n" NS PAGE, PAGED("{userId, enableTime?, endTime?}")},
    {"list_role_departments", "The departments a role is assigned to.",
     "code|string|required|\n" NS PAGE, PAGED("{id, departmentId, enableTime?, endTime?}")},
    {"get_user_roles",
     "The roles a user holds in a namespace, directly or through its departments.",
     "userId|string|required|\n" NS, PAGED(ROLE_DTO)},
    /* groups */
    {"create_group", "Creates a user group (groups are not namespaced).",
     "code|string|required|`[A-Za-z0-9_-]{1,64}`, unique\n"
     "name|string|optional|\n"
     "description|string|optional|\n"
     "type|string|optional|free text (GenAuth: static or dynamic)\n",
     GROUP_DTO},
    {"create_groups_batch", "Creates several groups, all or none.",
     "list|object[]|required|1..50 groups as in create_group\n", "`[" GROUP_DTO "]`"},
    {"get_group", "Reads one group.", "code|string|required|\n", GROUP_DTO},
    {"list_groups", "Lists groups in creation order.",
     PAGE "keywords|string|optional|keeps groups whose code or name contains it\n",
     PAGED(GROUP_DTO)},
    {"update_group", "Changes a group; a new code is applied to its grants and members.",
     "code|string|required|\n"
     "newCode|string|optional|\n"
     "name|string|optional|\n"
     "description|string|optional|\n",
     GROUP_DTO},
    {"delete_groups_batch", "Deletes groups with their grants and memberships.",
     "codeList|string[]|required|1..50 codes; unknown ones are skipped\n", SUCCESS},
    {"add_group_members", "Adds users to a group.",
     "code|string|required|\nuserIds|string[]|required|1..50 user IDs\n", SUCCESS},
    {"remove_group_members", "Removes users from a group; non-members are ignored.",
     "code|string|required|\nuserIds|string[]|required|1..50 user IDs\n", SUCCESS},
    {"list_group_members", "The members of a group in join order.", "code|string|required|\n" PAGE,
     PAGED("{userId}")},
    {"get_user_groups", "The groups a user belongs to.", "userId|string|required|\n",
     PAGED(GROUP_DTO)},
    /* departments */
    {"add_department_members",
     "Adds users to a department (created on first use: authz keeps only membership).",
     "departmentId|string|required|1..128 bytes\n"
     "organizationCode|string|optional|accepted and ignored\n"
     "userIds|string[]|required|1..50 user IDs\n",
     SUCCESS},
    {"remove_department_members",
     "Removes users from a department; non-members are ignored (unknown department: 404).",
     "departmentId|string|required|\n"
     "organizationCode|string|optional|\n"
     "userIds|string[]|required|1..50 user IDs\n",
     SUCCESS},
    {"set_user_departments", "Replaces the departments a user belongs to.",
     "userId|string|required|\n"
     "departments|object[]|required|0..50 `{departmentId}`\n",
     SUCCESS},
    {"get_user_departments", "The departments a user belongs to.", "userId|string|required|\n",
     PAGED("{departmentId}")},
    {"list_department_members", "The members of a department.",
     "departmentId|string|required|\n" PAGE, PAGED("{userId}")},
    /* the user directory */
    {"create_user",
     "Lists a user in the directory (ID given or generated); with --user-directory only listed "
     "users can be granted, assigned or made members.",
     "userId|string|optional|1..128 bytes; generated (24 hex digits) when absent\n"
     "username|string|optional|\nemail|string|optional|\nphone|string|optional|\n"
     "name|string|optional|\n",
     "`UserDto` (`userId`, `username`, `email`, `phone`, `name`, `createdAt`, ...)"},
    {"create_users_batch", "Lists 1..50 users, all or none.",
     "list|object[]|required|1..50 `create_user` fields\n", "`UserDto[]` in request order"},
    {"get_user", "One listed user (not listed: 404).", "userId|string|required|\n", "`UserDto`"},
    {"list_users", "The listed users, oldest first.",
     "options.pagination.page|number|optional|default 1\n"
     "options.pagination.limit|number|optional|1..50, default 10\n",
     PAGED("UserDto")},
    {"delete_users_batch",
     "Deletes listed users and everything that names them: memberships, role assignments, "
     "grants. Unknown IDs are skipped.",
     "userIds|string[]|required|1..50\n", SUCCESS},
    /* organizations and department records */
    {"create_organization",
     "Creates an organization with a new root department (ID generated). The default "
     "organization `root` (\"root 用户池\", root department `d00000000000000000000000`) "
     "always exists.",
     "organizationCode|string|optional|1..64 bytes of `[A-Za-z0-9_-]`; generated when empty\n"
     "organizationName|string|required|\ndescription|string|optional|\n",
     "`OrganizationDto` (`organizationCode`, `organizationName`, `departmentId` of the root, "
     "`membersCount`, `hasChildren`, ...)"},
    {"list_organizations", "The organizations, the default first, then by creation.", PAGE,
     PAGED("OrganizationDto")},
    {"search_organizations", "The organizations whose code or name contains `keywords`.",
     "keywords|string|required|not empty\n" PAGE, PAGED("OrganizationDto")},
    {"create_department",
     "Creates a department (ID generated) under its organization's root or one of its "
     "departments; with --user-directory only root and created departments can be granted, "
     "assigned or given members.",
     "organizationCode|string|required|an existing organization\n"
     "parentDepartmentId|string|required|the root (or `root`) or a department of it\n"
     "name|string|required|\ncode|string|optional|unique in the organization\n"
     "description|string|optional|\n",
     "`DepartmentDto` (`departmentId`, `organizationCode`, `parentDepartmentId`, `name`, `code`, "
     "`membersCount`, `hasChildren`, ...)"},
    {"get_department", "One department: a root (`root` names it) or a created one.",
     "organizationCode|string|required|\ndepartmentId|string|required|\n", "`DepartmentDto`"},
    {"delete_department",
     "Deletes a created department and its sub-departments, with their memberships, role "
     "assignments and grants. A root department cannot be deleted (422).",
     "organizationCode|string|required|\ndepartmentId|string|required|\n", SUCCESS},
    {"list_children_departments", "The departments directly under a department, by creation.",
     "organizationCode|string|required|\ndepartmentId|string|required|\n", PAGED("DepartmentDto")},
};

#define NDOCS (sizeof docs / sizeof docs[0])

static const method_doc *find_doc(const char *name) {
    for (size_t i = 0; i < NDOCS; i++)
        if (!strcmp(docs[i].name, name)) return &docs[i];
    return NULL;
}

static const char help[] =
    "usage: authz methods [--markdown] [--output FILE]\n"
    "\n"
    "Lists every method of the JSON front door and the HTTP API from the dispatch table: name,\n"
    "HTTP method and path. --markdown writes the full reference (parameters, limits, response)\n"
    "that is docs/api.md; --output writes to FILE instead of standard output.\n";

static void print_params(FILE *out, const char *p) {
    fputs("| field | type | | notes |\n| --- | --- | --- | --- |\n", out);
    while (*p) {
        const char *end = strchr(p, '\n');
        size_t n = end ? (size_t)(end - p) : strlen(p);
        fputs("| ", out);
        for (size_t i = 0; i < n; i++) {
            if (p[i] == '|')
                fputs(i + 1 < n && p[i + 1] == '|' ? " |" : " | ", out);
            else
                fputc(p[i], out);
        }
        fputs(" |\n", out);
        p += n + (end != NULL);
    }
}

static void markdown(FILE *out, const authz_json_method *m, size_t n) {
    fputs(
        "# The JSON and HTTP API\n\n"
        "<!-- Generated by `authz methods --markdown` from the dispatch table "
        "(src/json/dispatch.c)\n"
        "     and src/cli/methods.c; do not edit. Regenerate with\n"
        "     `cmake --build <build dir> --target api-docs`. -->\n\n",
        out);
    fputs(
        "Every method is reached three ways: `authz_call_json(engine, \"name\", json, ...)` "
        "in C,\n"
        "`{\"method\": \"name\", \"params\": {...}}` lines to `authz exec`, and over HTTP from "
        "`authz serve`\n"
        "at its path (POST with a JSON body, or GET with a query string whose values are "
        "coerced to\n"
        "the field's type; a list may be given as `a,b` or repeated keys).\n\n"
        "Every answer is GenAuth's envelope. Success: `{\"statusCode\": 200, \"message\": "
        "\"\", \"requestId\": \"…\",\n"
        "\"data\": …}`. Failure: `{\"statusCode\": 400 | 404 | 409 | 422 | 500, \"message\": "
        "\"…\", \"apiCode\": …,\n"
        "\"requestId\": \"…\"}`, where apiCode is statusCode × 100 + the kind of object "
        "concerned (1 namespace,\n"
        "2 resource, 3 role, 4 group, 5 user, 6 department, 7 grant). Writes are "
        "all-or-nothing: a failed\n"
        "batch changes nothing and its message names the item. Over HTTP every business "
        "outcome is\n"
        "HTTP 200 with the envelope; a body over 1 MiB is HTTP 413. "
        "Identifier syntax, limits and the\n"
        "rules behind each answer are in [model.md](model.md).\n\n",
        out);
    fprintf(out, "%zu methods:\n\n| method | HTTP | path | writes |\n| --- | --- | --- | --- |\n",
            n);
    for (size_t i = 0; i < n; i++)
        fprintf(out, "| [`%s`](#%s) | %s | `%s` | %s |\n", m[i].name, m[i].name,
                m[i].http == AUTHZ_HTTP_GET ? "GET" : "POST", m[i].path,
                m[i].is_write ? "yes" : "");
    for (size_t i = 0; i < n; i++) {
        const method_doc *d = find_doc(m[i].name);
        fprintf(out, "\n## %s\n\n`%s %s`%s\n\n", m[i].name,
                m[i].http == AUTHZ_HTTP_GET ? "GET" : "POST", m[i].path,
                m[i].is_write ? " · write (journaled by `authz serve --data`)" : " · read");
        if (!d) {
            fputs("Undocumented: add a row for it to src/cli/methods.c.\n", out);
            continue;
        }
        fprintf(out, "%s\n\n", d->summary);
        if (d->params[0])
            print_params(out, d->params);
        else
            fputs("No parameters.\n", out);
        fprintf(out, "\n`data`: %s\n", d->response);
    }
}

int cli_methods(int argc, char **argv) {
    if (cli_wants_help(argc, argv)) return fputs(help, stdout), CLI_OK;
    int md = 0;
    const char *path = NULL;
    for (int i = 1; i < argc; i++) {
        if (!strcmp(argv[i], "--markdown")) {
            md = 1;
        } else if (!strcmp(argv[i], "--output") && i + 1 < argc) {
            path = argv[++i];
        } else {
            fprintf(stderr, "authz methods: unknown argument \"%s\"\n\n%s", argv[i], help);
            return CLI_USAGE;
        }
    }
    size_t n;
    const authz_json_method *m = authz_json_methods(&n);
    /* A documentation row for a method the table no longer has is an error: it would rot. */
    int stale = 0;
    for (size_t i = 0; i < NDOCS; i++)
        if (!authz_json_find_method(docs[i].name)) {
            fprintf(stderr, "authz methods: src/cli/methods.c documents \"%s\", not in the table\n",
                    docs[i].name);
            stale = 1;
        }
    if (stale) return CLI_INPUT;
    FILE *out = path ? fopen(path, "w") : stdout;
    if (!out) {
        perror(path);
        return CLI_INPUT;
    }
    if (md) {
        markdown(out, m, n);
    } else {
        for (size_t i = 0; i < n; i++)
            fprintf(out, "%-34s %-4s %s%s\n", m[i].name,
                    m[i].http == AUTHZ_HTTP_GET ? "GET" : "POST", m[i].path,
                    find_doc(m[i].name) ? "" : "  (undocumented)");
    }
    int bad = ferror(out);
    if (path && fclose(out)) bad = 1;
    if (bad) {
        fprintf(stderr, "authz methods: cannot write %s\n", path ? path : "standard output");
        return CLI_INPUT;
    }
    return CLI_OK;
}
