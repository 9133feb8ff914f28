# authz_sanitizer_preload(<var>): the sanitizer runtime an interpreter (python3, nginx) must
# preload to load a sanitized libauthz_json.so, or "" for an unsanitized build.
function(authz_sanitizer_preload var)
  set(lib "")
  if(AUTHZ_SANITIZE MATCHES "address")
    if(CMAKE_C_COMPILER_ID STREQUAL "GNU")
      set(name libasan.so)
    else()
      set(name libclang_rt.asan-${CMAKE_SYSTEM_PROCESSOR}.so)
    endif()
    execute_process(COMMAND ${CMAKE_C_COMPILER} -print-file-name=${name}
      OUTPUT_VARIABLE lib OUTPUT_STRIP_TRAILING_WHITESPACE)
  elseif(AUTHZ_SANITIZE MATCHES "thread")
    execute_process(COMMAND ${CMAKE_C_COMPILER} -print-file-name=libtsan.so
      OUTPUT_VARIABLE lib OUTPUT_STRIP_TRAILING_WHITESPACE)
  endif()
  set(${var} "${lib}" PARENT_SCOPE)
endfunction()
