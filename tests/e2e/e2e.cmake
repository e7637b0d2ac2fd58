# End-to-end tests: the real `heapsim` executable on the bundled traces, the
# error traces and the output options. Each case is one CTest test named
# "e2e: <name>", run from the source directory by tests/e2e/run_case.sh.
# Goldens live in tests/golden/ and are regenerated only by hand with
# tests/e2e/update_goldens.sh (review the diff before committing).

set(HEAPSIM_E2E_RUNNER ${CMAKE_CURRENT_LIST_DIR}/run_case.sh)

function(heapsim_e2e name)
  add_test(NAME "e2e: ${name}" COMMAND bash ${HEAPSIM_E2E_RUNNER} ${ARGN}
           WORKING_DIRECTORY ${PROJECT_SOURCE_DIR})
  set_tests_properties("e2e: ${name}" PROPERTIES ENVIRONMENT "HEAPSIM=$<TARGET_FILE:heapsim>"
                       SKIP_RETURN_CODE 77 TIMEOUT 300)
endfunction()

# (a) Every bundled trace against its goldens.
file(GLOB HEAPSIM_E2E_TRACES CONFIGURE_DEPENDS RELATIVE ${PROJECT_SOURCE_DIR}
     ${PROJECT_SOURCE_DIR}/traces/*.trace ${PROJECT_SOURCE_DIR}/traces/*.jsonl
     ${PROJECT_SOURCE_DIR}/traces/*.json ${PROJECT_SOURCE_DIR}/traces/*.gz
     ${PROJECT_SOURCE_DIR}/traces/*.zst)
list(SORT HEAPSIM_E2E_TRACES)
foreach(trace IN LISTS HEAPSIM_E2E_TRACES)
  get_filename_component(name ${trace} NAME)
  heapsim_e2e("golden ${name}" golden ${trace})
endforeach()

# (b) One bad trace per error kind: exit status and the exact stderr line.
file(GLOB HEAPSIM_E2E_ERRORS CONFIGURE_DEPENDS RELATIVE ${PROJECT_SOURCE_DIR}
     ${PROJECT_SOURCE_DIR}/tests/errors/*)
list(FILTER HEAPSIM_E2E_ERRORS EXCLUDE REGEX "\\.expect$")
list(SORT HEAPSIM_E2E_ERRORS)
foreach(trace IN LISTS HEAPSIM_E2E_ERRORS)
  get_filename_component(name ${trace} NAME)
  heapsim_e2e("error ${name}" error ${trace})
  file(STRINGS ${PROJECT_SOURCE_DIR}/${trace} lenient REGEX "^# expect-lenient-exit:" LIMIT_COUNT 1)
  if(lenient)
    heapsim_e2e("lenient ${name}" lenient ${trace})
  endif()
endforeach()
# A missing trace file (the message is the reader's, so only the status is checked here).
heapsim_e2e("error missing file" error tests/errors/missing.trace)

# A failing run leaves no report file behind.
heapsim_e2e("no partial report" no-partial tests/errors/unknown-id.trace)

# Inputs and outputs, on the realistic trace.
heapsim_e2e("compressed and stdin input" compressed traces/web_service.trace)
heapsim_e2e("report files" files traces/web_service.trace)
heapsim_e2e("web_service.trace is reproducible" reproducible traces/make_web_service.py
            traces/web_service.trace)
heapsim_e2e("JSON Lines and JSON document input" encodings traces/make_web_service.py
            traces/web_service.trace)

# Binary traces and `heapsim convert`: the .htb forms give the text form's
# report, and a convert that fails on a bad input leaves no output file.
heapsim_e2e("binary trace input" binary traces/web_service.trace)
heapsim_e2e("the trace's interpreter picks the policy" interpreter traces/web_service.trace)
foreach(version 3.11.7 3.12.1)
  heapsim_e2e("import names cpython ${version}" import-interpreter
              fuzz/regressions/recording/seed-cpython-${version}.hsr)
endforeach()
heapsim_e2e("convert fails cleanly" convert-fails tests/errors/syntax.trace)
