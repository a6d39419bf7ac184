# SPDX-License-Identifier: MIT
# cmake -DEXE=PROGRAM "-DARGS=a;b" -DOUT=FILE -P mmb_output_to_file.cmake
# Runs PROGRAM ARGS with its stdout into FILE, replaced only when the run
# succeeds (a failed run leaves no half-written file).
separate_arguments(ARGS UNIX_COMMAND "${ARGS}")
get_filename_component(dir ${OUT} DIRECTORY)
file(MAKE_DIRECTORY ${dir})
execute_process(COMMAND ${EXE} ${ARGS} OUTPUT_FILE ${OUT}.tmp
                RESULT_VARIABLE rc ERROR_VARIABLE err)
if(NOT rc EQUAL 0)
  file(REMOVE ${OUT}.tmp)
  message(FATAL_ERROR "${EXE} ${ARGS} failed (${rc}): ${err}")
endif()
file(RENAME ${OUT}.tmp ${OUT})
