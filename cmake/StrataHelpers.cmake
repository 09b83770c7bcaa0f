# Helper functions shared by the strata build: target defaults, backends, the
# umbrella target and the install/export rules.

# Warnings and the language level are PRIVATE: consumers keep their own flags.
function(strata_target_defaults target)
  target_compile_features(${target} PUBLIC cxx_std_20)
  if(CMAKE_CXX_COMPILER_ID MATCHES "GNU|Clang")
    target_compile_options(${target} PRIVATE -Wall -Wextra -Wpedantic -Wshadow
                           -Wnon-virtual-dtor -Wno-missing-field-initializers)
  endif()
  if(STRATA_SANITIZE)
    # No vptr check: SOCI's libraries do not export the typeinfo of their backend classes.
    target_compile_options(${target} PRIVATE -fsanitize=address,undefined -fno-sanitize=vptr
                           -fno-omit-frame-pointer -fno-sanitize-recover=undefined)
    target_link_options(${target} PUBLIC -fsanitize=address,undefined)
  endif()
  if(STRATA_FUZZ)
    # Coverage for libFuzzer in every strata target; the fuzz targets link the fuzzer.
    target_compile_options(${target} PRIVATE -fsanitize=fuzzer-no-link,address,undefined -fno-sanitize=vptr
                           -fno-omit-frame-pointer)
    target_link_options(${target} PUBLIC -fsanitize=address,undefined)
  endif()
endfunction()

# add_strata_backend(NAME sqlite SOURCES ... [LIBRARIES ...]
#                    [PKG_CONFIG_LIBS -l...] [PKG_CONFIG_REQUIRES module...])
# Builds strata_<NAME> (exported as strata::<NAME>) implementing the Dialect
# contract, and lists it for the umbrella target's URL dispatch. The list is
# generated code, not static self-registration, because linkers drop
# unreferenced objects from static libraries. The PKG_CONFIG_ words are what
# the backend adds to strata.pc.
function(add_strata_backend)
  cmake_parse_arguments(arg "" "NAME" "SOURCES;LIBRARIES;PKG_CONFIG_LIBS;PKG_CONFIG_REQUIRES" ${ARGN})
  set_property(GLOBAL APPEND PROPERTY STRATA_PC_LIBS ${arg_PKG_CONFIG_LIBS})
  set_property(GLOBAL APPEND PROPERTY STRATA_PC_REQUIRES ${arg_PKG_CONFIG_REQUIRES})
  set(target strata_${arg_NAME})
  add_library(${target} ${arg_SOURCES})
  add_library(strata::${arg_NAME} ALIAS ${target})
  set_target_properties(${target} PROPERTIES EXPORT_NAME ${arg_NAME}
                        POSITION_INDEPENDENT_CODE ON)
  strata_target_defaults(${target})
  target_link_libraries(${target} PUBLIC strata_core PRIVATE strata_internal ${arg_LIBRARIES})
  set_property(GLOBAL APPEND PROPERTY STRATA_BACKENDS ${arg_NAME})
endfunction()

# The umbrella strata::strata: URL dispatch over the generated backend list and
# the command-line entry point; the `strata` executable is a thin main().
function(strata_finish_umbrella)
  get_property(backends GLOBAL PROPERTY STRATA_BACKENDS)
  set(declarations "")
  set(entries "")
  foreach(name IN LISTS backends)
    string(APPEND declarations "namespace strata::${name} { const Dialect& dialect(); }\n")
    string(APPEND entries "        &strata::${name}::dialect(),\n")
  endforeach()
  set(generated ${PROJECT_BINARY_DIR}/generated/strata_backends.cpp)
  configure_file(${PROJECT_SOURCE_DIR}/cmake/backends.cpp.in ${generated} @ONLY)

  add_library(strata ${STRATA_UMBRELLA_SOURCES} ${generated})
  add_library(strata::strata ALIAS strata)
  set_target_properties(strata PROPERTIES EXPORT_NAME strata POSITION_INDEPENDENT_CODE ON)
  strata_target_defaults(strata)
  target_link_libraries(strata PUBLIC strata_core PRIVATE strata_internal nlohmann_json::nlohmann_json)
  target_compile_definitions(strata PRIVATE STRATA_VERSION_STRING="${PROJECT_VERSION}")
  foreach(name IN LISTS backends)
    target_link_libraries(strata PUBLIC strata_${name})
  endforeach()
  # strata/soci.hpp (opt-in) hands out the raw soci::session.
  target_link_libraries(strata INTERFACE SOCI::core)

  add_executable(strata_cli ${PROJECT_SOURCE_DIR}/src/main.cpp)
  set_target_properties(strata_cli PROPERTIES OUTPUT_NAME strata)
  strata_target_defaults(strata_cli)
  target_link_libraries(strata_cli PRIVATE strata)
endfunction()

function(strata_install_package)
  include(CMakePackageConfigHelpers)
  get_property(backends GLOBAL PROPERTY STRATA_BACKENDS)
  set(targets strata_core strata)
  foreach(name IN LISTS backends)
    list(APPEND targets strata_${name})
  endforeach()
  set(config_dir ${CMAKE_INSTALL_LIBDIR}/cmake/strata)
  install(TARGETS ${targets} strata_internal EXPORT strataTargets
          ARCHIVE DESTINATION ${CMAKE_INSTALL_LIBDIR}
          LIBRARY DESTINATION ${CMAKE_INSTALL_LIBDIR}
          RUNTIME DESTINATION ${CMAKE_INSTALL_BINDIR}
          INCLUDES DESTINATION ${CMAKE_INSTALL_INCLUDEDIR})
  install(TARGETS strata_cli RUNTIME DESTINATION ${CMAKE_INSTALL_BINDIR})
  install(DIRECTORY ${PROJECT_SOURCE_DIR}/include/strata
          DESTINATION ${CMAKE_INSTALL_INCLUDEDIR})
  install(EXPORT strataTargets NAMESPACE strata:: DESTINATION ${config_dir})
  export(EXPORT strataTargets NAMESPACE strata::
         FILE ${PROJECT_BINARY_DIR}/strataTargets.cmake)
  set(STRATA_BACKENDS ${backends})
  configure_package_config_file(${PROJECT_SOURCE_DIR}/cmake/strataConfig.cmake.in
    ${PROJECT_BINARY_DIR}/strataConfig.cmake INSTALL_DESTINATION ${config_dir})
  write_basic_package_version_file(${PROJECT_BINARY_DIR}/strataConfigVersion.cmake
    COMPATIBILITY SameMinorVersion)
  install(FILES ${PROJECT_BINARY_DIR}/strataConfig.cmake
                ${PROJECT_BINARY_DIR}/strataConfigVersion.cmake
                ${PROJECT_SOURCE_DIR}/cmake/FindSOCI.cmake
          DESTINATION ${config_dir})
  foreach(name IN LISTS backends)
    install(FILES ${PROJECT_SOURCE_DIR}/backends/${name}/dependencies.cmake
            DESTINATION ${config_dir}/backends RENAME ${name}.cmake)
    # find_package(strata) against the build tree finds the same files there.
    configure_file(${PROJECT_SOURCE_DIR}/backends/${name}/dependencies.cmake
                   ${PROJECT_BINARY_DIR}/backends/${name}.cmake COPYONLY)
  endforeach()
  configure_file(${PROJECT_SOURCE_DIR}/cmake/FindSOCI.cmake ${PROJECT_BINARY_DIR}/FindSOCI.cmake COPYONLY)
  strata_install_pkg_config()
  strata_deb_package()
endfunction()

# strata.pc for pkg-config, relocatable (its prefix is found from its own place).
# The libraries are static: every library they need is in Libs.
function(strata_install_pkg_config)
  get_property(backends GLOBAL PROPERTY STRATA_BACKENDS)
  get_property(pc_libs GLOBAL PROPERTY STRATA_PC_LIBS)
  get_property(pc_requires GLOBAL PROPERTY STRATA_PC_REQUIRES)
  set(libs "-L\${libdir} -lstrata")
  foreach(name IN LISTS backends)
    string(APPEND libs " -lstrata_${name}")
  endforeach()
  string(APPEND libs " -lstrata_core")
  foreach(lib IN LISTS pc_libs)
    string(APPEND libs " ${lib}")
  endforeach()
  string(APPEND libs " -lsoci_core -ldl -pthread")
  list(JOIN pc_requires " " requires)
  set(pc_dir ${CMAKE_INSTALL_LIBDIR}/pkgconfig)
  # ${pcfiledir}/../.. for lib/pkgconfig, one more ../ per extra component.
  file(RELATIVE_PATH to_prefix /prefix/${pc_dir} /prefix)
  string(REGEX REPLACE "/$" "" to_prefix "${to_prefix}")
  set(pc ${PROJECT_BINARY_DIR}/strata.pc)
  file(WRITE ${pc} "prefix=\${pcfiledir}/${to_prefix}
libdir=\${prefix}/${CMAKE_INSTALL_LIBDIR}
includedir=\${prefix}/${CMAKE_INSTALL_INCLUDEDIR}

Name: strata
Description: C++20 schema versioning for SQLite and PostgreSQL
Version: ${PROJECT_VERSION}
Requires: ${requires} spdlog
Cflags: -I\${includedir}
Libs: ${libs}
")
  install(FILES ${pc} DESTINATION ${pc_dir})
endfunction()

# `cpack -G DEB` in the build directory: the library, headers, CMake config,
# strata.pc and the `strata` binary, as a -dev package of Debian's archive.
function(strata_deb_package)
  set(CPACK_GENERATOR DEB)
  set(CPACK_PACKAGE_NAME libstrata-dev)
  set(CPACK_PACKAGE_VERSION ${PROJECT_VERSION})
  set(CPACK_PACKAGE_DESCRIPTION_SUMMARY "C++20 schema versioning for SQLite and PostgreSQL (library, headers, strata tool)")
  set(CPACK_DEBIAN_PACKAGE_MAINTAINER "strata developers")
  set(CPACK_DEBIAN_PACKAGE_SECTION libdevel)
  set(CPACK_DEBIAN_FILE_NAME DEB-DEFAULT)
  set(CPACK_PACKAGING_INSTALL_PREFIX /usr)
  # Static libraries and headers: a consumer builds with these.
  set(CPACK_DEBIAN_PACKAGE_DEPENDS
      "libsoci-dev, libboost-dev, libsqlite3-dev, libpq-dev, libspdlog-dev, nlohmann-json3-dev")
  include(CPack)
endfunction()
