# Hostile-input end-to-end suite: one CTest test "hostile: <case>" per case
# of tests/hostile/hostile.sh (docs/robustness.md). The giant chain and cycle
# have 10M objects, 1M in a sanitizer build (the case names say which).

set(HEAPSIM_HOSTILE_RUNNER ${CMAKE_CURRENT_LIST_DIR}/hostile.sh)
if(HEAPSIM_SANITIZE)
  set(HEAPSIM_HOSTILE_SCALE 1M)
else()
  set(HEAPSIM_HOSTILE_SCALE 10M)
endif()
set_property(DIRECTORY APPEND PROPERTY CMAKE_CONFIGURE_DEPENDS ${HEAPSIM_HOSTILE_RUNNER})
execute_process(COMMAND ${CMAKE_COMMAND} -E env HEAPSIM=heapsim HEAPSIM_HOSTILE_SCALE=${HEAPSIM_HOSTILE_SCALE}
                        bash ${HEAPSIM_HOSTILE_RUNNER} --list
                OUTPUT_VARIABLE hostile_cases OUTPUT_STRIP_TRAILING_WHITESPACE
                RESULT_VARIABLE hostile_status)
if(NOT hostile_status EQUAL 0)
  message(FATAL_ERROR "tests/hostile/hostile.sh --list failed")
endif()
string(REPLACE "\n" ";" hostile_cases "${hostile_cases}")
foreach(case IN LISTS hostile_cases)
  add_test(NAME "hostile: ${case}" COMMAND bash ${HEAPSIM_HOSTILE_RUNNER} ${case})
  set_tests_properties("hostile: ${case}" PROPERTIES
                       ENVIRONMENT "HEAPSIM=$<TARGET_FILE:heapsim>;HEAPSIM_HOSTILE_SCALE=${HEAPSIM_HOSTILE_SCALE}"
                       SKIP_RETURN_CODE 77 TIMEOUT 600)
endforeach()
