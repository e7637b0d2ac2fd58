# The differential suite once per newer interpreter, each under its own
# policy (heapsim verify picks it from the interpreter's version;
# docs/policies.md). Release builds only: the suites mostly time the
# interpreter. Labels: verify-X.Y and verify-X.Y.Z, so one can run alone
# (ctest -L verify-3.13.0).
#
#   HEAPSIM_VERIFY_PYTHONS   interpreters to verify (default: pyenv's 3.12.x
#                            and 3.13.x, and the launchers tools/pythons.sh
#                            writes under $HEAPSIM_PYTHONS or
#                            /var/cache/heapsim/pythons)
#   HEAPSIM_VERIFY_REQUIRE   versions (X.Y) that must be among them, else the
#                            configuration fails (CI: no silent skip)
if(HEAPSIM_SANITIZE)
  return()
endif()

set(_pyenv_root "$ENV{PYENV_ROOT}")
if(NOT _pyenv_root)
  set(_pyenv_root "$ENV{HOME}/.pyenv")
endif()
set(_pythons_dir "$ENV{HEAPSIM_PYTHONS}")
if(NOT _pythons_dir)
  set(_pythons_dir /var/cache/heapsim/pythons)
endif()
file(GLOB _default_pythons ${_pyenv_root}/versions/3.12.*/bin/python3 ${_pyenv_root}/versions/3.13.*/bin/python3
     ${_pythons_dir}/bin/python3.1[3-9])
set(HEAPSIM_VERIFY_PYTHONS "${_default_pythons}" CACHE STRING "Interpreters the per-version verify suites run")
set(HEAPSIM_VERIFY_REQUIRE "" CACHE STRING "Python versions (X.Y) whose verify suite must be registered")
# 10 since the handles' invisibility check per interpreter (issue 11) was added.
set(HEAPSIM_VERIFY_VERSION_SEEDS 10 CACHE STRING "Generated traces per interpreter")

set(_found_versions "")
foreach(python ${HEAPSIM_VERIFY_PYTHONS})
  execute_process(COMMAND ${python} -c "import sys; print(sys.version.split()[0])"
                  OUTPUT_VARIABLE version OUTPUT_STRIP_TRAILING_WHITESPACE RESULT_VARIABLE rc
                  ERROR_QUIET INPUT_FILE /dev/null)
  if(NOT rc EQUAL 0 OR NOT version MATCHES "^3\\.[0-9]+\\.")
    message(WARNING "${python} does not run: its verify suite is not registered")
    continue()
  endif()
  string(REGEX MATCH "^3\\.[0-9]+" minor ${version})
  list(APPEND _found_versions ${minor})
  set(labels "verify-${minor};verify-${version}")
  foreach(trace ${scenarios})
    get_filename_component(name ${trace} NAME_WE)
    add_test(NAME "verify ${version}: scenario ${name}"
             COMMAND $<TARGET_FILE:heapsim> verify ${trace} --brief --python ${python})
    set_tests_properties("verify ${version}: scenario ${name}" PROPERTIES LABELS "${labels}")
  endforeach()
  foreach(seed RANGE 1 ${HEAPSIM_VERIFY_VERSION_SEEDS})
    add_test(NAME "verify ${version}: generated seed ${seed}"
             COMMAND bash ${HEAPSIM_VERIFY_DIR}/verify_generated.sh $<TARGET_FILE:heapsim> ${python} ${seed}
                     ${HEAPSIM_VERIFY_EVENTS})
    set_tests_properties("verify ${version}: generated seed ${seed}" PROPERTIES LABELS "${labels}")
  endforeach()
  # Handles are invisible on this interpreter too (docs/verify.md).
  add_test(NAME "verify ${version}: naming generated"
           COMMAND bash ${HEAPSIM_VERIFY_DIR}/naming_check.sh $<TARGET_FILE:heapsim> ${python} --generated 7 10000)
  set_tests_properties("verify ${version}: naming generated" PROPERTIES LABELS "${labels}")
  foreach(profile web cache cycles)
    add_test(NAME "verify ${version}: profile ${profile}"
             COMMAND bash ${HEAPSIM_VERIFY_DIR}/verify_generated.sh $<TARGET_FILE:heapsim> ${python} 1
                     ${HEAPSIM_VERIFY_PROFILE_EVENTS} ${profile})
    set_tests_properties("verify ${version}: profile ${profile}" PROPERTIES LABELS "${labels}")
  endforeach()
endforeach()

foreach(required ${HEAPSIM_VERIFY_REQUIRE})
  if(NOT required IN_LIST _found_versions)
    message(FATAL_ERROR "HEAPSIM_VERIFY_REQUIRE: no Python ${required} among HEAPSIM_VERIFY_PYTHONS "
                        "(${HEAPSIM_VERIFY_PYTHONS}); run tools/pythons.sh or install it")
  endif()
endforeach()
