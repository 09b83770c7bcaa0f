# must(WHAT <execute_process arguments>): runs the command; a failure stops the
# test, saying WHAT failed and what the command printed.
function(must what)
  execute_process(${ARGN} RESULT_VARIABLE rc OUTPUT_VARIABLE out ERROR_VARIABLE out)
  if(rc)
    message(FATAL_ERROR "${what} failed: ${rc}\n${out}")
  endif()
endfunction()

# Configures, builds and runs the find_package consumer (CONSUMER) against the
# strata installed under `prefix`, in `build`.
function(build_and_run_consumer prefix build)
  must("configuring the find_package consumer"
       COMMAND "${CMAKE_COMMAND}" -S "${CONSUMER}" -B "${build}" -G "${GENERATOR}"
               "-DCMAKE_PREFIX_PATH=${prefix}" -DCMAKE_BUILD_TYPE=Release)
  must("building the find_package consumer" COMMAND "${CMAKE_COMMAND}" --build "${build}")
  must("the find_package consumer" COMMAND "${build}/consumer")
endfunction()
