# SPDX-License-Identifier: MIT
# cmake -DSOURCE_DIR=... -DWORK_DIR=... -DCC=... -P library_only.cmake
# Configures and builds libmmb alone (-DMMB_BUILD_TOOL=OFF) and checks that
# the configuration looked for none of the tool's third-party libraries
# (liburing, libpfm4, jsmn, Google Benchmark): libmmb needs only a C
# compiler and CMake.
foreach(v SOURCE_DIR WORK_DIR CC)
  if(NOT DEFINED ${v})
    message(FATAL_ERROR "library_only: ${v} not set")
  endif()
endforeach()
file(REMOVE_RECURSE ${WORK_DIR})
execute_process(COMMAND ${CMAKE_COMMAND} -S ${SOURCE_DIR} -B ${WORK_DIR}
                -DMMB_BUILD_TOOL=OFF -DMMB_BUILD_TESTS=OFF -DMMB_WERROR=ON
                -DCMAKE_C_COMPILER=${CC}
                RESULT_VARIABLE rc OUTPUT_VARIABLE out ERROR_VARIABLE err)
if(NOT rc EQUAL 0)
  message(FATAL_ERROR "configure failed:\n${out}\n${err}")
endif()
execute_process(COMMAND ${CMAKE_COMMAND} --build ${WORK_DIR} -j2
                RESULT_VARIABLE rc OUTPUT_VARIABLE out ERROR_VARIABLE err)
if(NOT rc EQUAL 0)
  message(FATAL_ERROR "build failed:\n${out}\n${err}")
endif()
foreach(f core/libmmb.a core/libmmb.so)
  if(NOT EXISTS ${WORK_DIR}/${f})
    message(FATAL_ERROR "not built: ${f}")
  endif()
endforeach()
file(STRINGS ${WORK_DIR}/CMakeCache.txt cache)
foreach(l ${cache})
  if(l MATCHES "^(MMB_LIBURING|MMB_LIBPFM|MMB_JSMN|PKG_CONFIG_EXECUTABLE|benchmark_DIR|CMAKE_CXX_COMPILER:)")
    message(FATAL_ERROR "library-only build looked for a tool dependency: ${l}")
  endif()
  if(l MATCHES "^MMB_BUILD_TOOL:BOOL=ON")
    message(FATAL_ERROR "library-only build configured the tool: ${l}")
  endif()
endforeach()
if(EXISTS ${WORK_DIR}/cli)
  message(FATAL_ERROR "library-only build has a cli/ directory")
endif()
message(STATUS "libmmb alone: built with a C compiler and CMake only")
file(REMOVE_RECURSE ${WORK_DIR})
