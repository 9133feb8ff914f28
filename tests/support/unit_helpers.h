/*
 * unit_helpers.h - shared scaffolding of the per-family unit tests (tests/test_<family>.c): an
 * engine on a fake clock, one-line builders for roles, groups, grants and checks, and the FAILS
 * family of macros, which run a call that must fail and then prove three things: the status is
 * the one expected, the authz_error names the expected field / item / object, and the engine is
 * unchanged (same authz__digest, invariants hold, same live allocation count).
 * The error of the last FAILS call is kept in `uh_err`; pass ERR as the call's `err` argument.
 */
#ifndef UNIT_HELPERS_H
#define UNIT_HELPERS_H

#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "authz.h"
#include "access/authz_debug.h"

#define OK(x) assert_int_equal(AUTHZ_OK, (x))

/* The fake clock every uh_engine() reads; tests move it. Starts at UH_T0. */
#define UH_T0 INT64_C(1000000)
extern int64_t uh_now;

/* The error filled by the FAILS macros' calls. */
extern authz_error uh_err;
#define ERR (&uh_err)

/* Don't-care values for uh_expect_failure(). */
#define UH_ANY_ITEM INT32_MIN
#define UH_ANY_OBJECT (-1)

/* The state a failing write must leave untouched. */
typedef struct uh_snapshot {
    uint64_t digest;
    size_t live_blocks;
} uh_snapshot;

authz_engine *uh_engine(bool strict);
void uh_engine_teardown(authz_engine *e); /* asserts invariants, then frees */
uh_snapshot uh_take(const authz_engine *e);
void uh_reset_err(void);
void uh_assert_invariants(const authz_engine *e);
void uh_expect_failure(const authz_engine *e, uh_snapshot before, authz_status got,
                       authz_status want, const char *field, int32_t item, int object);

/* FAILS*: evaluate `call` (which should pass ERR), expecting status `st`. */
#define UH_FAILS_(e, st, field, item, object, call)                                   \
    do {                                                                              \
        uh_snapshot uh_before_ = uh_take(e);                                          \
        uh_reset_err();                                                               \
        authz_status uh_got_ = (call);                                                \
        uh_expect_failure((e), uh_before_, uh_got_, (st), (field), (item), (object)); \
    } while (0)
#define FAILS(e, st, call) UH_FAILS_(e, st, NULL, UH_ANY_ITEM, UH_ANY_OBJECT, call)
#define FAILS_F(e, st, field, call) UH_FAILS_(e, st, field, UH_ANY_ITEM, UH_ANY_OBJECT, call)
#define FAILS_I(e, st, item, call) UH_FAILS_(e, st, NULL, item, UH_ANY_OBJECT, call)
#define FAILS_O(e, st, obj, call) UH_FAILS_(e, st, NULL, UH_ANY_ITEM, (int)(obj), call)

/* Builders; each asserts AUTHZ_OK. ns NULL means `default`. */
void uh_namespace(authz_engine *e, const char *code);
void uh_resource(authz_engine *e, const char *ns, const char *code, const char *const *actions,
                 size_t n);
void uh_role(authz_engine *e, const char *ns, const char *code);
void uh_group(authz_engine *e, const char *code);
void uh_grant(authz_engine *e, const char *ns, authz_target_type t, const char *who,
              const char *res, const char *act);
void uh_grant_actions(authz_engine *e, const char *ns, authz_target_type t, const char *who,
                      const char *res, const char *const *acts, size_t n);
void uh_revoke(authz_engine *e, const char *ns, authz_target_type t, const char *who,
               const char *res, const char *act); /* act NULL: the whole grant */
void uh_assign(authz_engine *e, const char *ns, const char *role, authz_target_type t,
               const char *who, const authz_role_window *w);
void uh_join_group(authz_engine *e, const char *group, const char *user);
void uh_join_department(authz_engine *e, const char *dept, const char *user);
bool uh_allowed(const authz_engine *e, const char *ns, const char *user, const char *res,
                const char *act);

/* A string of `n` copies of `c` in a static ring of buffers (n < 2048; 8 live at a time). */
const char *uh_repeat(char c, size_t n);
/* "<prefix><i>" in a static ring of buffers (64 live at a time). */
const char *uh_fmt(const char *prefix, size_t i);

/* Grant list lookups. */
const authz_grant *uh_find_grant(const authz_grant_list *l, const char *resource);
bool uh_has_action(const char *const *actions, size_t n, const char *action);

#endif
