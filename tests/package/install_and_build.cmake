# Installs this build of strata into a fresh prefix, then configures, builds and
# runs the find_package consumer against that prefix (not the build tree).
include("${CMAKE_CURRENT_LIST_DIR}/consumer_steps.cmake")
file(REMOVE_RECURSE "${WORK}")
must("install" COMMAND "${CMAKE_COMMAND}" --install "${STRATA_BINARY_DIR}" --prefix "${WORK}/prefix")
build_and_run_consumer("${WORK}/prefix" "${WORK}/build")
