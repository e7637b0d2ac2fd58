# Pause models (docs/pauses.md). `run --pause-model` in every build;
# `heapsim calibrate` against pyenv's CPython 3.11.7 (LABELS calibrate) in
# the Release stage only, alone (RUN_SERIAL): it times the interpreter, and
# a busy machine would blur the timings the fit is checked on.
add_test(NAME "pause model: run --pause-model"
         COMMAND bash ${CMAKE_CURRENT_LIST_DIR}/pause_model_option.sh $<TARGET_FILE:heapsim>
         WORKING_DIRECTORY ${PROJECT_SOURCE_DIR})

if(HEAPSIM_SANITIZE OR NOT CMAKE_BUILD_TYPE STREQUAL "Release")
  return()
endif()
find_program(HEAPSIM_PYENV pyenv)
set(root "$ENV{HOME}/.pyenv")
if(HEAPSIM_PYENV)
  execute_process(COMMAND ${HEAPSIM_PYENV} root OUTPUT_VARIABLE root OUTPUT_STRIP_TRAILING_WHITESPACE)
endif()
set(python ${root}/versions/3.11.7/bin/python3)
if(NOT EXISTS ${python})
  message(WARNING "calibrate test: no CPython 3.11.7 at ${python}; it will fail")
endif()
add_test(NAME "calibrate: cpython 3.11.7"
         COMMAND bash ${CMAKE_CURRENT_LIST_DIR}/calibrate_python.sh $<TARGET_FILE:heapsim> ${python}
                 ${CMAKE_CURRENT_BINARY_DIR}/calibrate
         WORKING_DIRECTORY ${PROJECT_SOURCE_DIR})
set_tests_properties("calibrate: cpython 3.11.7" PROPERTIES LABELS calibrate TIMEOUT 180 RUN_SERIAL TRUE)
