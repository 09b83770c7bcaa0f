# Builds the Debian package of this build (cpack -G DEB), unpacks it with
# dpkg-deb -x into a fresh directory, then builds and runs the consumer against
# it twice: with find_package(strata) and with pkg-config.
include("${CMAKE_CURRENT_LIST_DIR}/consumer_steps.cmake")
file(REMOVE_RECURSE "${WORK}")
file(MAKE_DIRECTORY "${WORK}")
must("cpack -G DEB" COMMAND cpack -G DEB -B "${WORK}/deb" --config "${STRATA_BINARY_DIR}/CPackConfig.cmake")
file(GLOB debs "${WORK}/deb/*.deb")
list(LENGTH debs count)
if(NOT count EQUAL 1)
  message(FATAL_ERROR "expected one .deb, found: ${debs}")
endif()
must("dpkg-deb -x" COMMAND dpkg-deb -x "${debs}" "${WORK}/root")
foreach(expected usr/bin/strata usr/include/strata/strata.hpp usr/lib/cmake/strata/strataConfig.cmake
                 usr/lib/pkgconfig/strata.pc usr/lib/libstrata.a)
  if(NOT EXISTS "${WORK}/root/${expected}")
    message(FATAL_ERROR "the package lacks ${expected}")
  endif()
endforeach()
execute_process(COMMAND "${WORK}/root/usr/bin/strata" --version RESULT_VARIABLE rc OUTPUT_VARIABLE version)
if(rc OR NOT version MATCHES "^strata ")
  message(FATAL_ERROR "the packaged strata does not run: ${rc} ${version}")
endif()

# find_package(strata) against the unpacked package.
build_and_run_consumer("${WORK}/root/usr" "${WORK}/cmake-build")

# pkg-config: the .pc finds its prefix from its own place.
set(ENV{PKG_CONFIG_PATH} "${WORK}/root/usr/lib/pkgconfig")
execute_process(COMMAND pkg-config --cflags --libs strata RESULT_VARIABLE rc OUTPUT_VARIABLE flags
                ERROR_VARIABLE why OUTPUT_STRIP_TRAILING_WHITESPACE)
if(rc)
  message(FATAL_ERROR "pkg-config --cflags --libs strata failed: ${why}")
endif()
separate_arguments(flags UNIX_COMMAND "${flags}")
must("building the consumer with pkg-config (${flags})"
     COMMAND "${CXX}" -std=c++20 -o "${WORK}/pkg-config-consumer" "${CONSUMER}/../consumer.cpp" ${flags})
must("the pkg-config consumer" COMMAND "${WORK}/pkg-config-consumer")
