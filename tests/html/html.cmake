# The HTML report (docs/report.md, "HTML").
#
# Its deterministic parts in every build: the page is the template around
# the run's JSON report, equal to the JSON golden, for every bundled trace
# that has one.
file(GLOB HEAPSIM_HTML_TRACES CONFIGURE_DEPENDS RELATIVE ${PROJECT_SOURCE_DIR}
     ${PROJECT_SOURCE_DIR}/traces/*.trace)
list(SORT HEAPSIM_HTML_TRACES)
add_test(NAME "html: template and embedded JSON"
         COMMAND ${Python3_EXECUTABLE} ${CMAKE_CURRENT_LIST_DIR}/html_golden.py $<TARGET_FILE:heapsim>
                 ${HEAPSIM_HTML_TRACES}
         WORKING_DIRECTORY ${PROJECT_SOURCE_DIR})

# In a real browser (LABELS browser): Release stage only, as the suites that
# time an interpreter. Debian's chromium, installed by .ci/run; a Release
# build without it fails here rather than skipping the check.
if(HEAPSIM_SANITIZE OR NOT CMAKE_BUILD_TYPE STREQUAL "Release")
  return()
endif()
find_program(HEAPSIM_CHROMIUM NAMES chromium chromium-browser)
if(NOT HEAPSIM_CHROMIUM)
  message(WARNING "browser tests: no chromium found (apt-get install chromium); they will fail")
  set(HEAPSIM_CHROMIUM chromium)
endif()
set(work ${CMAKE_CURRENT_BINARY_DIR}/browser)
# web_service has collections of every generation, a timeline and leaks;
# cycle_leak_gc_off has no collection at all (the empty charts' notes).
add_test(NAME "browser: web_service report renders"
         COMMAND ${CMAKE_CURRENT_LIST_DIR}/html_report_in_browser.sh $<TARGET_FILE:heapsim> ${HEAPSIM_CHROMIUM}
                 traces/web_service.trace ${work} chart-memory chart-pause-histogram
                 chart-pause-timeline chart-promoted chart-survivor-age -- series-cyclic-garbage
                 table-promotions-by-site table-at-peak table-temporaries table-leaks
         WORKING_DIRECTORY ${PROJECT_SOURCE_DIR})
add_test(NAME "browser: a report without collections renders"
         COMMAND ${CMAKE_CURRENT_LIST_DIR}/html_report_in_browser.sh $<TARGET_FILE:heapsim> ${HEAPSIM_CHROMIUM}
                 traces/cycle_leak_gc_off.trace ${work} chart-memory
         WORKING_DIRECTORY ${PROJECT_SOURCE_DIR})
# Every field the page can draw, before any run writes them all.
add_test(NAME "browser: every optional field renders"
         COMMAND ${CMAKE_CURRENT_LIST_DIR}/html_report_in_browser.sh $<TARGET_FILE:heapsim> ${HEAPSIM_CHROMIUM}
                 ${CMAKE_CURRENT_LIST_DIR}/future_report.py ${work} chart-memory chart-pause-histogram
                 chart-pause-timeline chart-promoted chart-survivor-age -- series-cyclic-garbage
                 table-promotions-by-site table-at-peak table-temporaries table-leaks
         WORKING_DIRECTORY ${PROJECT_SOURCE_DIR})
set_tests_properties("browser: web_service report renders" "browser: a report without collections renders"
                     "browser: every optional field renders"
                     PROPERTIES LABELS browser TIMEOUT 120 RESOURCE_LOCK chromium)
# One screenshot is enough (web_service's, docs/img/report.png).
set_tests_properties("browser: a report without collections renders" "browser: every optional field renders"
                     PROPERTIES ENVIRONMENT HEAPSIM_SCREENSHOT=0)

