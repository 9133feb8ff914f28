# The warning set of STYLE.md, applied to the project's own C targets only.
set(AUTHZ_C_WARNINGS
  -Wall -Wextra -Werror -Wshadow -Wconversion -Wsign-conversion -Wstrict-prototypes
  -Wmissing-prototypes -Wcast-qual -Wvla -Wformat=2 -Wundef -Wwrite-strings -Wpointer-arith
  -Wimplicit-fallthrough -Wswitch-enum)

function(authz_warnings target)
  target_compile_options(${target} PRIVATE $<$<COMPILE_LANGUAGE:C>:${AUTHZ_C_WARNINGS}>)
endfunction()
