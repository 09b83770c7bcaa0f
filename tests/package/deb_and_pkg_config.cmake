# Builds the Debian package of this build (cpack -G DEB), unpacks it with
# dpkg-deb -x into a fresh directory, then builds and runs the consumer against
# it twice: with find_package(strata) and with pkg-config.
file(REMOVE_RECURSE "${WORK}")
file(MAKE_DIRECTORY "${WORK}")
execute_process(COMMAND cpack -G DEB -B "${WORK}/deb" --config "${STRATA_BINARY_DIR}/CPackConfig.cmake"
                RESULT_VARIABLE rc OUTPUT_VARIABLE out ERROR_VARIABLE out)
if(rc)
  message(FATAL_ERROR "cpack -G DEB failed: ${rc}\n${out}")
endif()
file(GLOB debs "${WORK}/deb/*.deb")
list(LENGTH debs count)
if(NOT count EQUAL 1)
  message(FATAL_ERROR "expected one .deb, found: ${debs}")
endif()
execute_process(COMMAND dpkg-deb -x "${debs}" "${WORK}/root" RESULT_VARIABLE rc)
if(rc)
  message(FATAL_ERROR "dpkg-deb -x failed: ${rc}")
endif()
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
execute_process(COMMAND "${CMAKE_COMMAND}" -S "${CONSUMER}" -B "${WORK}/cmake-build" -G "${GENERATOR}"
                        "-DCMAKE_PREFIX_PATH=${WORK}/root/usr" -DCMAKE_BUILD_TYPE=Release
                RESULT_VARIABLE rc)
if(rc)
  message(FATAL_ERROR "configuring the find_package consumer failed: ${rc}")
endif()
execute_process(COMMAND "${CMAKE_COMMAND}" --build "${WORK}/cmake-build" RESULT_VARIABLE rc)
if(rc)
  message(FATAL_ERROR "building the find_package consumer failed: ${rc}")
endif()
execute_process(COMMAND "${WORK}/cmake-build/consumer" RESULT_VARIABLE rc)
if(rc)
  message(FATAL_ERROR "the find_package consumer failed: ${rc}")
endif()

# pkg-config: the .pc finds its prefix from its own place.
set(ENV{PKG_CONFIG_PATH} "${WORK}/root/usr/lib/pkgconfig")
execute_process(COMMAND pkg-config --cflags --libs strata RESULT_VARIABLE rc OUTPUT_VARIABLE flags
                ERROR_VARIABLE why OUTPUT_STRIP_TRAILING_WHITESPACE)
if(rc)
  message(FATAL_ERROR "pkg-config --cflags --libs strata failed: ${why}")
endif()
separate_arguments(flags UNIX_COMMAND "${flags}")
execute_process(COMMAND "${CXX}" -std=c++20 -o "${WORK}/pkg-config-consumer" "${CONSUMER}/../consumer.cpp" ${flags}
                RESULT_VARIABLE rc ERROR_VARIABLE why)
if(rc)
  message(FATAL_ERROR "building the consumer with pkg-config failed (${flags}):\n${why}")
endif()
execute_process(COMMAND "${WORK}/pkg-config-consumer" RESULT_VARIABLE rc)
if(rc)
  message(FATAL_ERROR "the pkg-config consumer failed: ${rc}")
endif()
