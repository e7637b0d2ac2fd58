# What a new user trips over (issue 12): one CTest test "first use: <case>"
# per case of tests/e2e/first_use.sh.

set(HEAPSIM_FIRST_USE_RUNNER ${CMAKE_CURRENT_LIST_DIR}/first_use.sh)
set_property(DIRECTORY APPEND PROPERTY CMAKE_CONFIGURE_DEPENDS ${HEAPSIM_FIRST_USE_RUNNER})
execute_process(COMMAND bash ${HEAPSIM_FIRST_USE_RUNNER} --list
                OUTPUT_VARIABLE first_use_cases OUTPUT_STRIP_TRAILING_WHITESPACE
                RESULT_VARIABLE first_use_status)
if(NOT first_use_status EQUAL 0)
  message(FATAL_ERROR "tests/e2e/first_use.sh --list failed")
endif()
string(REPLACE "\n" ";" first_use_cases "${first_use_cases}")
foreach(case IN LISTS first_use_cases)
  add_test(NAME "first use: ${case}" COMMAND bash ${HEAPSIM_FIRST_USE_RUNNER} ${case}
           WORKING_DIRECTORY ${PROJECT_SOURCE_DIR})
  set_tests_properties("first use: ${case}" PROPERTIES ENVIRONMENT "HEAPSIM=$<TARGET_FILE:heapsim>"
                       SKIP_RETURN_CODE 77 TIMEOUT 300)
endforeach()
