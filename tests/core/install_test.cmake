# cmake -DBUILD_DIR=... -DWORK_DIR=... -DSOURCE_DIR=... -DCC=... \
#       -DFLAGS="..." -P install_test.cmake
# Installs libmmb into a temporary prefix, then builds and runs a consumer
# with find_package(mmb) and with pkg-config.
foreach(v BUILD_DIR WORK_DIR SOURCE_DIR CC)
  if(NOT DEFINED ${v})
    message(FATAL_ERROR "install_test: ${v} not set")
  endif()
endforeach()
separate_arguments(flags UNIX_COMMAND "${FLAGS}")

function(run what)
  execute_process(COMMAND ${ARGN} RESULT_VARIABLE rc OUTPUT_VARIABLE out
                  ERROR_VARIABLE err)
  if(NOT rc EQUAL 0)
    message(FATAL_ERROR "${what} failed (${rc}):\n${out}\n${err}")
  endif()
  set(last_out "${out}" PARENT_SCOPE)
endfunction()

file(REMOVE_RECURSE ${WORK_DIR})
set(prefix ${WORK_DIR}/prefix)
run("cmake --install" ${CMAKE_COMMAND} --install ${BUILD_DIR}
    --prefix ${prefix} --component mmb)
foreach(f include/mmb/map.h include/mmb/error.h lib/pkgconfig/mmb.pc
          lib/cmake/mmb/mmbConfig.cmake lib/cmake/mmb/mmbConfigVersion.cmake
          lib/cmake/mmb/mmbTargets.cmake)
  if(NOT EXISTS ${prefix}/${f})
    message(FATAL_ERROR "not installed: ${f}")
  endif()
endforeach()

# 1. find_package(mmb)
run("configure consumer" ${CMAKE_COMMAND} -S ${SOURCE_DIR}/install
    -B ${WORK_DIR}/build -DCMAKE_PREFIX_PATH=${prefix}
    -DCMAKE_C_COMPILER=${CC} "-DCMAKE_C_FLAGS=${FLAGS}"
    "-DCMAKE_EXE_LINKER_FLAGS=${FLAGS}")
run("build consumer" ${CMAKE_COMMAND} --build ${WORK_DIR}/build)
run("run consumer (find_package)" ${WORK_DIR}/build/consumer
    ${WORK_DIR}/cmake.dat)
message(STATUS "find_package: ${last_out}")

# 2. pkg-config (static: the library is static by default)
find_program(PKG_CONFIG NAMES pkg-config pkgconf REQUIRED)
set(ENV{PKG_CONFIG_PATH} ${prefix}/lib/pkgconfig)
run("pkg-config" ${PKG_CONFIG} --static --cflags --libs mmb)
string(STRIP "${last_out}" pc)
separate_arguments(pc UNIX_COMMAND "${pc}")
run("cc with pkg-config" ${CC} ${flags} ${SOURCE_DIR}/install/main.c ${pc}
    -o ${WORK_DIR}/pc_consumer)
run("run consumer (pkg-config)" ${WORK_DIR}/pc_consumer ${WORK_DIR}/pc.dat)
message(STATUS "pkg-config: ${last_out}")
file(REMOVE_RECURSE ${WORK_DIR})
