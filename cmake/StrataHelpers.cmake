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

# add_strata_backend(NAME sqlite SOURCES ... [LIBRARIES ...])
# Builds strata_<NAME> (exported as strata::<NAME>) implementing the Dialect
# contract, and lists it for the umbrella target's URL dispatch. The list is
# generated code, not static self-registration, because linkers drop
# unreferenced objects from static libraries.
function(add_strata_backend)
  cmake_parse_arguments(arg "" "NAME" "SOURCES;LIBRARIES" ${ARGN})
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
  endforeach()
endfunction()
