# FindSOCI: SOCI ships no CMake package on Debian (libsoci-dev 4.0.3), so strata
# finds it here and is installed with this file for strataConfig.cmake.
#
# Components: sqlite3, postgresql. Imported targets: SOCI::core, SOCI::sqlite3,
# SOCI::postgresql. Debian's soci-config.h defines SOCI_HAVE_BOOST, so soci.h
# includes Boost headers: SOCI::core carries Boost's include directory.
include(FindPackageHandleStandardArgs)
include(CMakeFindDependencyMacro)

find_path(SOCI_INCLUDE_DIR soci/soci.h)
find_library(SOCI_core_LIBRARY NAMES soci_core)

if(SOCI_INCLUDE_DIR AND EXISTS "${SOCI_INCLUDE_DIR}/soci/version.h")
  file(STRINGS "${SOCI_INCLUDE_DIR}/soci/version.h" _soci_version_line
       REGEX "^#define SOCI_LIB_VERSION \"[0-9_]+\"")
  if(_soci_version_line MATCHES "\"([0-9]+)_([0-9]+)_([0-9]+)\"")
    set(SOCI_VERSION "${CMAKE_MATCH_1}.${CMAKE_MATCH_2}.${CMAKE_MATCH_3}")
  endif()
endif()

set(_soci_boost_ok TRUE)
if(SOCI_INCLUDE_DIR AND EXISTS "${SOCI_INCLUDE_DIR}/soci/soci-config.h")
  file(STRINGS "${SOCI_INCLUDE_DIR}/soci/soci-config.h" _soci_have_boost
       REGEX "^#define SOCI_HAVE_BOOST$")
  if(_soci_have_boost)
    find_package(Boost QUIET)
    if(NOT Boost_FOUND)
      set(_soci_boost_ok FALSE)
      message(STATUS "SOCI was configured with Boost; install the Boost headers (libboost-dev)")
    endif()
  endif()
endif()

foreach(_component IN LISTS SOCI_FIND_COMPONENTS)
  find_library(SOCI_${_component}_LIBRARY NAMES soci_${_component})
  if(SOCI_${_component}_LIBRARY)
    set(SOCI_${_component}_FOUND TRUE)
  endif()
endforeach()
if(postgresql IN_LIST SOCI_FIND_COMPONENTS)
  find_path(SOCI_libpq_INCLUDE_DIR libpq-fe.h PATH_SUFFIXES postgresql)
  if(NOT SOCI_libpq_INCLUDE_DIR)
    set(SOCI_postgresql_FOUND FALSE)
  endif()
endif()

find_package_handle_standard_args(SOCI
  REQUIRED_VARS SOCI_core_LIBRARY SOCI_INCLUDE_DIR _soci_boost_ok
  VERSION_VAR SOCI_VERSION
  HANDLE_COMPONENTS)

if(SOCI_FOUND AND NOT TARGET SOCI::core)
  add_library(SOCI::core UNKNOWN IMPORTED)
  set_target_properties(SOCI::core PROPERTIES
    IMPORTED_LOCATION "${SOCI_core_LIBRARY}"
    INTERFACE_INCLUDE_DIRECTORIES "${SOCI_INCLUDE_DIR}")
  if(_soci_have_boost AND TARGET Boost::headers)
    set_property(TARGET SOCI::core APPEND PROPERTY INTERFACE_LINK_LIBRARIES Boost::headers)
  endif()
endif()
if(SOCI_FOUND AND SOCI_sqlite3_FOUND AND NOT TARGET SOCI::sqlite3)
  add_library(SOCI::sqlite3 UNKNOWN IMPORTED)
  set_target_properties(SOCI::sqlite3 PROPERTIES
    IMPORTED_LOCATION "${SOCI_sqlite3_LIBRARY}"
    INTERFACE_LINK_LIBRARIES SOCI::core)
endif()
if(SOCI_FOUND AND SOCI_postgresql_FOUND AND NOT TARGET SOCI::postgresql)
  add_library(SOCI::postgresql UNKNOWN IMPORTED)
  # soci-postgresql.h includes <libpq-fe.h>, which Debian keeps in include/postgresql.
  set_target_properties(SOCI::postgresql PROPERTIES
    IMPORTED_LOCATION "${SOCI_postgresql_LIBRARY}"
    INTERFACE_INCLUDE_DIRECTORIES "${SOCI_libpq_INCLUDE_DIR}"
    INTERFACE_LINK_LIBRARIES SOCI::core)
endif()
mark_as_advanced(SOCI_INCLUDE_DIR SOCI_core_LIBRARY SOCI_sqlite3_LIBRARY
                 SOCI_postgresql_LIBRARY SOCI_libpq_INCLUDE_DIR)
