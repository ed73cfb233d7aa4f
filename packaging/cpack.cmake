# `cpack -G DEB` in the build directory: infra_<version>_amd64.deb with the
# binary (/usr/bin/infra), LICENSE and README (/usr/share/doc/infra).
# Depends comes from dpkg-shlibdeps over the binary (the Debian runtime
# libraries it links: libcurl4, libssl3, libyaml-cpp, ...).
include(GNUInstallDirs)
set(CMAKE_SKIP_INSTALL_ALL_DEPENDENCY TRUE)  # cpack packages what is built; it never starts a build
install(TARGETS infra RUNTIME DESTINATION ${CMAKE_INSTALL_BINDIR})
install(FILES ${CMAKE_SOURCE_DIR}/LICENSE ${CMAKE_SOURCE_DIR}/README.md
  DESTINATION ${CMAKE_INSTALL_DOCDIR})

set(CPACK_GENERATOR DEB)
set(CPACK_PACKAGE_NAME infra)
set(CPACK_PACKAGE_VERSION ${PROJECT_VERSION})
set(CPACK_PACKAGE_VENDOR "The infra authors")
set(CPACK_PACKAGE_CONTACT "infra maintainers <infra@example.invalid>")
set(CPACK_PACKAGE_DESCRIPTION_SUMMARY "Infrastructure as code for AWS (plan, apply, destroy of YAML stacks)")
set(CPACK_RESOURCE_FILE_LICENSE ${CMAKE_SOURCE_DIR}/LICENSE)
set(CPACK_PACKAGING_INSTALL_PREFIX /usr)
set(CPACK_DEBIAN_FILE_NAME DEB-DEFAULT)  # infra_<version>_<arch>.deb
set(CPACK_DEBIAN_PACKAGE_SECTION admin)
set(CPACK_DEBIAN_PACKAGE_SHLIBDEPS ON)
set(CPACK_DEBIAN_PACKAGE_HOMEPAGE "https://github.com/infra/infra")
set(CPACK_STRIP_FILES ON)
include(CPack)
