# One step of the consumer tests, run by ctest as `cmake -D... -P run_consumer.cmake`:
#   STEP=install  install the build tree (BUILD_DIR) into WORK_DIR/prefix, from scratch
#   STEP=cxx      configure and build tests/consumers/cxx with find_package(devpick), run both
#   STEP=c        compile tests/consumers/c/consumer.c with `pkg-config devpick` flags, run it
# Every command's failure stops the step with its output.

function(run)
  execute_process(COMMAND ${ARGN} RESULT_VARIABLE result OUTPUT_VARIABLE output
                  ERROR_VARIABLE output)
  message("${output}")
  if(NOT result EQUAL 0)
    string(REPLACE ";" " " shown "${ARGN}")
    message(FATAL_ERROR "failed (${result}): ${shown}")
  endif()
endfunction()

set(prefix ${WORK_DIR}/prefix)
# A sanitized devpick needs its consumers built with the same sanitizer runtimes.
set(sanitize_flags "")
if(SANITIZE)
  set(sanitize_flags -fsanitize=address,undefined)
endif()
if(STEP STREQUAL "install")
  file(REMOVE_RECURSE ${WORK_DIR})
  run(${CMAKE_COMMAND} --install ${BUILD_DIR} --prefix ${prefix})
  foreach(expected include/devpick/devpick.h)
    if(NOT EXISTS ${prefix}/${expected})
      message(FATAL_ERROR "not installed: ${expected}")
    endif()
  endforeach()
elseif(STEP STREQUAL "cxx")
  file(REMOVE_RECURSE ${WORK_DIR}/cxx)
  run(${CMAKE_COMMAND} -S ${SOURCE_DIR}/tests/consumers/cxx -B ${WORK_DIR}/cxx -G ${GENERATOR}
      -DCMAKE_PREFIX_PATH=${prefix} -DCMAKE_BUILD_TYPE=Debug "-DCMAKE_CXX_FLAGS=${sanitize_flags}"
      "-DCMAKE_EXE_LINKER_FLAGS=${sanitize_flags}")
  run(${CMAKE_COMMAND} --build ${WORK_DIR}/cxx)
  # The shared consumer finds libdevpick.so.0 through the RPATH CMake gives build trees.
  run(${WORK_DIR}/cxx/consumer_cxx ${SCENARIO_DIR} ${VERSION})
  run(${WORK_DIR}/cxx/consumer_cxx_static ${SCENARIO_DIR} ${VERSION})
elseif(STEP STREQUAL "c")
  file(GLOB pc_files ${prefix}/lib*/pkgconfig/devpick.pc ${prefix}/lib*/*/pkgconfig/devpick.pc)
  list(LENGTH pc_files count)
  if(NOT count EQUAL 1)
    message(FATAL_ERROR "expected one installed devpick.pc, found: ${pc_files}")
  endif()
  get_filename_component(pc_dir ${pc_files} DIRECTORY)
  execute_process(COMMAND ${CMAKE_COMMAND} -E env PKG_CONFIG_PATH=${pc_dir}
                  ${PKG_CONFIG} --cflags --libs devpick
                  RESULT_VARIABLE result OUTPUT_VARIABLE flags ERROR_VARIABLE flags)
  if(NOT result EQUAL 0)
    message(FATAL_ERROR "pkg-config --cflags --libs devpick failed: ${flags}")
  endif()
  string(STRIP "${flags}" flags)
  separate_arguments(flags UNIX_COMMAND "${flags}")
  # The library directory pkg-config names is the one the program must load from.
  set(libdir "")
  foreach(flag ${flags})
    if(flag MATCHES "^-L(.+)$")
      set(libdir ${CMAKE_MATCH_1})
    endif()
  endforeach()
  file(MAKE_DIRECTORY ${WORK_DIR}/c)
  run(${C_COMPILER} -std=c99 -Wall -Wextra -Wpedantic -Werror ${sanitize_flags}
      ${SOURCE_DIR}/tests/consumers/c/consumer.c ${flags} -Wl,-rpath,${libdir}
      -o ${WORK_DIR}/c/consumer_c)
  run(${CMAKE_COMMAND} -E env --unset=DEVPICK_PROBE_HELPER
      ${WORK_DIR}/c/consumer_c ${SCENARIO_DIR} ${VERSION})
else()
  message(FATAL_ERROR "unknown STEP '${STEP}'")
endif()
