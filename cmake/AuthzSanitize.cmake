# AUTHZ_SANITIZE="address;undefined" or "thread": applied to every target of the build.
if(AUTHZ_SANITIZE)
  string(REPLACE ";" "," _authz_san "${AUTHZ_SANITIZE}")
  add_compile_options(-fsanitize=${_authz_san} -fno-omit-frame-pointer -fno-sanitize-recover=all)
  add_link_options(-fsanitize=${_authz_san})
endif()
