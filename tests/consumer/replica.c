/* A gateway's use of the installed authz_replica: an engine kept by a replica (here pointed at a
 * Redis that is not there, so it stays at revision 0 and says why), then stopped cleanly. */
#include <authz.h>
#include <authz/replica.h>
#include <stdio.h>

int main(void) {
    authz_engine *e;
    if (authz_engine_new(NULL, &e) != AUTHZ_OK) return 1;
    authz_replica_options o;
    authz_replica_options_init(&o);
    o.url = "unix:///nonexistent/authz-consumer/redis.sock";
    o.block_ms = 50;
    authz_replica *r;
    authz_error err = {0};
    if (authz_replica_start(e, &o, &r, &err) != AUTHZ_OK) return fprintf(stderr, "%s\n", err.message), 1;
    authz_replica_status st;
    int ok = authz_replica_revision(r) == 0 && authz_replica_wait(r, 0, 0) == AUTHZ_OK &&
             authz_replica_wait(r, 1, 0) == AUTHZ_ETIMEDOUT && authz_replica_info(r, &st) == AUTHZ_OK &&
             st.revision == 0;
    authz_replica_stop(r);
    authz_engine_free(e);
    printf("consumer replica: %s\n", ok ? "ok" : "FAILED");
    return ok ? 0 : 1;
}
