# Install components, relocatable pkg-config files and the Debian packages.
#
# Components: `runtime` (the shared libraries: package libauthz0), `dev` (headers, static
# libraries, .so links, .pc files, the CMake package: libauthz-dev) and `cli` (the authz command:
# package authz). An install rule that names no component belongs to `dev`.
#
# The .pc files hold no absolute path: prefix is computed from ${pcfiledir}, so an install under
# any prefix (`cmake --install build --prefix DIR`, an extracted .deb) points at its own headers.
set(CMAKE_INSTALL_DEFAULT_COMPONENT_NAME dev)
file(RELATIVE_PATH AUTHZ_PC_UP "/root/${CMAKE_INSTALL_LIBDIR}/pkgconfig" "/root")
string(REGEX REPLACE "/$" "" AUTHZ_PC_UP "${AUTHZ_PC_UP}")
set(AUTHZ_PC_PREFIX "\${pcfiledir}/${AUTHZ_PC_UP}")

# authz_install_pc(<name>): configures cmake/<name>.pc.in and installs it with the dev files.
function(authz_install_pc name)
  configure_file(${PROJECT_SOURCE_DIR}/cmake/${name}.pc.in ${PROJECT_BINARY_DIR}/${name}.pc @ONLY)
  install(FILES ${PROJECT_BINARY_DIR}/${name}.pc DESTINATION ${CMAKE_INSTALL_LIBDIR}/pkgconfig
    COMPONENT dev)
endfunction()

set(CPACK_GENERATOR DEB)
set(CPACK_PACKAGE_NAME authz)
set(CPACK_PACKAGE_VENDOR "authz")
set(CPACK_PACKAGE_CONTACT "authz maintainers <maintainers@authz.invalid>")
set(CPACK_PACKAGE_DESCRIPTION_SUMMARY
  "Embeddable in-memory authorization engine (GenAuth V3 permission model)")
set(CPACK_PACKAGING_INSTALL_PREFIX /usr)
set(CPACK_DEB_COMPONENT_INSTALL ON)
set(CPACK_COMPONENTS_ALL runtime dev cli)
set(CPACK_DEBIAN_FILE_NAME DEB-DEFAULT)
set(CPACK_DEBIAN_PACKAGE_SHLIBDEPS ON) # Depends on the Debian libraries, from dpkg-shlibdeps
set(CPACK_DEBIAN_RUNTIME_PACKAGE_NAME libauthz0)
set(CPACK_DEBIAN_RUNTIME_PACKAGE_SECTION libs)
set(CPACK_DEBIAN_DEV_PACKAGE_NAME libauthz-dev)
set(CPACK_DEBIAN_DEV_PACKAGE_SECTION libdevel)
# The .pc files and the CMake package find libxxhash, jansson and (the static replica library)
# hiredis through pkg-config.
set(CPACK_DEBIAN_DEV_PACKAGE_DEPENDS
  "libauthz0 (= ${PROJECT_VERSION}), libxxhash-dev, libjansson-dev, libhiredis-dev, pkg-config")
set(CPACK_DEBIAN_CLI_PACKAGE_NAME authz)
set(CPACK_DEBIAN_CLI_PACKAGE_SECTION net)
set(CPACK_COMPONENT_RUNTIME_DESCRIPTION "authz shared libraries (engine and JSON front door)")
set(CPACK_COMPONENT_DEV_DESCRIPTION "authz headers, static libraries, pkg-config and CMake files")
set(CPACK_COMPONENT_CLI_DESCRIPTION "the authz command: exec, check, save, serve")
include(CPack)
