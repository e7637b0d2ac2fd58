# End-to-end tests of compare, sweep, merge and the budgets (issue 14,
# docs/ci.md): the built binary on the bundled web_service trace, one CTest
# test per case of tests/sweep/sweep_e2e.py, labelled `sweep`
# (ctest -L sweep). The CI manifests of docs/examples/ are parsed too.

set(HEAPSIM_SWEEP_CASES compare_formats sweep_formats junit_md bad_input progress)
# The cases that repeat Release's numbers many times over (each budget
# twice per command, every run against `heapsim run`, the same sweep on
# 1, 2 and default threads, every shard then merged) run in Release only:
# under the sanitizers they exercise no code the cases above do not, and
# cost CI about 100 s there.
if(NOT HEAPSIM_SANITIZE)
  list(APPEND HEAPSIM_SWEEP_CASES threads shard_merge runs_equal_run budgets_run budgets_compare budgets_sweep)
endif()
foreach(case IN LISTS HEAPSIM_SWEEP_CASES)
  add_test(NAME "sweep: ${case}"
           COMMAND ${Python3_EXECUTABLE} ${CMAKE_CURRENT_LIST_DIR}/sweep_e2e.py ${case}
           WORKING_DIRECTORY ${PROJECT_SOURCE_DIR})
  set_tests_properties("sweep: ${case}" PROPERTIES ENVIRONMENT "HEAPSIM=$<TARGET_FILE:heapsim>"
                       LABELS sweep TIMEOUT 300)
endforeach()

# docs/examples/: the GitHub Actions, GitLab, GNU parallel and Kubernetes
# manifests parsed (PyYAML: python3-yaml) and their shards run and merged.
# The interpreter with PyYAML: CMake's, else Debian's (python3-yaml, .ci/run).
set(HEAPSIM_YAML_PYTHON ${Python3_EXECUTABLE})
execute_process(COMMAND ${Python3_EXECUTABLE} -c "import yaml" RESULT_VARIABLE no_yaml OUTPUT_QUIET ERROR_QUIET)
if(no_yaml AND EXISTS /usr/bin/python3)
  set(HEAPSIM_YAML_PYTHON /usr/bin/python3)
endif()
# Release only, like the cases above: it checks the manifests, not the code.
if(NOT HEAPSIM_SANITIZE)
  add_test(NAME "sweep: CI examples" COMMAND ${HEAPSIM_YAML_PYTHON} ${CMAKE_CURRENT_LIST_DIR}/ci_examples.py
           WORKING_DIRECTORY ${PROJECT_SOURCE_DIR})
  set_tests_properties("sweep: CI examples" PROPERTIES ENVIRONMENT "HEAPSIM=$<TARGET_FILE:heapsim>"
                       LABELS sweep TIMEOUT 300)
endif()
