# Differential tests: heapsim's cpython-3.11 model against the real
# interpreter (docs/verify.md). They need a CPython 3.11 interpreter.
find_package(Python3 COMPONENTS Interpreter)
if(NOT Python3_Interpreter_FOUND)
  message(WARNING "python3 not found: the heapsim verify tests are not registered")
  return()
endif()
if(Python3_VERSION VERSION_LESS 3.8 OR Python3_VERSION VERSION_GREATER_EQUAL 3.12)
  message(WARNING "python3 is ${Python3_VERSION}; heapsim's model is CPython 3.8-3.11: "
                  "the heapsim verify tests are not registered")
  return()
endif()

set(HEAPSIM_VERIFY_DIR ${CMAKE_CURRENT_LIST_DIR})

# Every scenario trace must agree exactly.
file(GLOB scenarios CONFIGURE_DEPENDS ${PROJECT_SOURCE_DIR}/traces/scenarios/*.trace)
foreach(trace ${scenarios})
  get_filename_component(name ${trace} NAME_WE)
  add_test(NAME "verify: scenario ${name}"
           COMMAND $<TARGET_FILE:heapsim> verify ${trace} --brief --python ${Python3_EXECUTABLE})
endforeach()

# Seeded random traces (heapsim gen), each with hundreds of collections.
# A seed mostly times the interpreter (seed 12: 8.2 s of CPU for `heapsim
# verify`, 0.04 s for heapsim to replay the trace; ~1.5x longer under the
# sanitizers), so the sanitizer stage verifies seeds 1-5 and one seed per
# profile, the Release stage all of them (README, "CI time").
set(_verify_seeds 50)
set(_verify_profile_seeds 1 2 3)
if(HEAPSIM_SANITIZE)
  set(_verify_seeds 5)
  set(_verify_profile_seeds 1)
endif()
set(HEAPSIM_VERIFY_SEEDS ${_verify_seeds} CACHE STRING "How many generated traces CTest verifies")
set(HEAPSIM_VERIFY_EVENTS 30000 CACHE STRING "Events per generated trace")
foreach(seed RANGE 1 ${HEAPSIM_VERIFY_SEEDS})
  add_test(NAME "verify: generated seed ${seed}"
           COMMAND bash ${HEAPSIM_VERIFY_DIR}/verify_generated.sh $<TARGET_FILE:heapsim>
                   ${Python3_EXECUTABLE} ${seed} ${HEAPSIM_VERIFY_EVENTS})
endforeach()

# The workload profiles (heapsim gen --profile web|cache|cycles).
set(HEAPSIM_VERIFY_PROFILE_EVENTS 20000 CACHE STRING "Events per generated workload-profile trace")
foreach(profile web cache cycles)
  foreach(seed ${_verify_profile_seeds})
    add_test(NAME "verify: profile ${profile} seed ${seed}"
             COMMAND bash ${HEAPSIM_VERIFY_DIR}/verify_generated.sh $<TARGET_FILE:heapsim>
                     ${Python3_EXECUTABLE} ${seed} ${HEAPSIM_VERIFY_PROFILE_EVENTS} ${profile})
  endforeach()
endforeach()

include(${HEAPSIM_VERIFY_DIR}/interpreters.cmake)

# The observer does not disturb the collector. It times the interpreter
# (the check runs the verify program with and without its observer):
# Release builds only, label verify-observer.
if(NOT HEAPSIM_SANITIZE)
  foreach(trace t31_weakref_callbacks keep_10000_lists t29_trashcan)
    add_test(NAME "verify: observer ${trace}"
             COMMAND bash ${HEAPSIM_VERIFY_DIR}/observer_check.sh $<TARGET_FILE:heapsim>
                     ${Python3_EXECUTABLE} ${PROJECT_SOURCE_DIR}/traces/scenarios/${trace}.trace)
    set_tests_properties("verify: observer ${trace}" PROPERTIES LABELS "verify-observer")
  endforeach()
  add_test(NAME "verify: observer generated"
           COMMAND bash ${HEAPSIM_VERIFY_DIR}/observer_check.sh $<TARGET_FILE:heapsim>
                   ${Python3_EXECUTABLE} --generated 7)
  set_tests_properties("verify: observer generated" PROPERTIES LABELS "verify-observer")
endif()

# verify's handles are invisible to the collector: the same trace named
# through handles and through walks collects identically (docs/verify.md).
# It times the interpreter, not heapsim: Release builds only.
if(NOT HEAPSIM_SANITIZE)
  add_test(NAME "verify: naming generated"
           COMMAND bash ${HEAPSIM_VERIFY_DIR}/naming_check.sh $<TARGET_FILE:heapsim>
                   ${Python3_EXECUTABLE} --generated 7)
  add_test(NAME "verify: naming hidden_through_others"
           COMMAND bash ${HEAPSIM_VERIFY_DIR}/naming_check.sh $<TARGET_FILE:heapsim>
                   ${Python3_EXECUTABLE} ${PROJECT_SOURCE_DIR}/traces/scenarios/hidden_through_others.trace)
  set_tests_properties("verify: naming generated" "verify: naming hidden_through_others"
                       PROPERTIES LABELS "verify-naming")
endif()
