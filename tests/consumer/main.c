/* consumer/main.c - the smallest real use of an installed authz: grant through a role, check. */
#include <authz.h>
#include <stdio.h>

int main(void) {
    authz_engine *e;
    if (authz_engine_new(NULL, &e) != AUTHZ_OK) return 1;
    authz_role_spec reader = {.code = "reader"};
    authz_target alice = {AUTHZ_TARGET_USER, "alice"};
    const char *read[] = {"books:read"}, *roles[] = {"reader"};
    authz_grant_resource books = {"books", read, 1, AUTHZ_RESOURCE_DATA};
    authz_grant_item grant = {AUTHZ_TARGET_ROLE, roles, 1, &books, 1};
    bool yes = false, no = true;
    if (authz_role_create(e, &reader, NULL, NULL) ||
        authz_role_assign(e, NULL, "reader", &alice, 1, NULL, NULL) ||
        authz_authorize(e, NULL, &grant, 1, NULL) ||
        authz_check(e, NULL, "alice", "books:42", "books:read", &yes, NULL) ||
        authz_check(e, NULL, "alice", "books:42", "books:write", &no, NULL))
        return 1;
    authz_engine_free(e);
    printf("consumer: authz %s, allowed=%d denied=%d\n", authz_version(), yes, !no);
    return yes && !no ? 0 : 1;
}
