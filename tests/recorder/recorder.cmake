# Recorder suite (LABELS recorder): installs recorder/ into a fresh venv of
# every supported interpreter found under pyenv, records the bundled
# programs (recorder/tests/programs) and checks each recording against the
# collector's own counts, its snapshots and the program's gc.callbacks log,
# then imports each recording and replays it (`heapsim import`, `heapsim run`).
# Mostly times interpreters: Release stage only (docs/recording.md).
if(HEAPSIM_SANITIZE OR NOT CMAKE_BUILD_TYPE STREQUAL "Release")
  return()
endif()
find_program(HEAPSIM_PYENV pyenv)
set(HEAPSIM_PYENV_ROOT "" CACHE PATH "pyenv root holding CPython builds for the recorder tests")
if(NOT HEAPSIM_PYENV_ROOT)
  if(HEAPSIM_PYENV)
    execute_process(COMMAND ${HEAPSIM_PYENV} root OUTPUT_VARIABLE HEAPSIM_PYENV_ROOT OUTPUT_STRIP_TRAILING_WHITESPACE)
  elseif(EXISTS "$ENV{HOME}/.pyenv")
    set(HEAPSIM_PYENV_ROOT "$ENV{HOME}/.pyenv")
  endif()
endif()

set(dir ${CMAKE_CURRENT_SOURCE_DIR}/recorder)
set(work ${CMAKE_CURRENT_BINARY_DIR}/recorder)
# Programs and how their snapshots compare with what the collector reported
# (recorder/tests/check_recording.py --snapshot).
# Programs, how their snapshots compare with what the collector reported
# (recorder/tests/check_recording.py --snapshot), and whether the replay of
# the imported trace must reproduce every collection (exact) or report where
# it departs (departures). What __del__ and weakref callbacks do in the
# recorded program is imported as collection hooks (docs/recording.md).
set(programs
    "orders_json exact exact" "closures_generators exact exact" "exceptions_tracebacks exact exact"
    "explicit_collections exact exact" "gc_disabled exact exact" "thresholds exact exact"
    "long_lived_freeze exact exact"
    "finalizers at-least exact" "weakref_callbacks at-most exact" "weakref_mixed at-most exact")
# Resurrection through another object's finalizer, weakrefs no snapshot
# shows, tp_del, threads (docs/recording.md, "Other objects' finalizers,
# young weakrefs, tp_del, threads"): all pass on all four interpreters; for
# CI time each runs on one PLT-hook (3.11/3.12) and one PyRefTracer
# (3.13/3.14) interpreter, unless HEAPSIM_RECORDER_EVERY_INTERPRETER.
option(HEAPSIM_RECORDER_EVERY_INTERPRETER "record every bundled program on every interpreter" OFF)
set(late_programs "finalizer_resurrect at-least exact 3.11.7 sid-3.14" "weakref_young at-most exact 3.11.7 sid-3.13"
                  "legacy_tp_del exact exact 3.12.1 sid-3.14" "threads at-most exact 3.12.1 sid-3.13")
foreach(version 3.11.7 3.12.1 sid-3.13 sid-3.14)
  set(programs_${version})
  foreach(entry ${late_programs})
    separate_arguments(entry)
    list(SUBLIST entry 0 3 head)
    list(JOIN head " " head)
    if(HEAPSIM_RECORDER_EVERY_INTERPRETER OR version IN_LIST entry)
      list(APPEND programs_${version} "${head}")
    endif()
  endforeach()
endforeach()

set(found_any OFF)
foreach(version 3.11.7 3.12.1)
  set(python ${HEAPSIM_PYENV_ROOT}/versions/${version}/bin/python3)
  if(NOT EXISTS ${python})
    message(STATUS "recorder tests: CPython ${version} not found under '${HEAPSIM_PYENV_ROOT}'")
    continue()
  endif()
  set(found_any ON)
  set(venv ${work}/venv-${version})
  add_test(NAME "recorder: install ${version}" COMMAND ${dir}/install_venv.sh ${python} ${venv})
  set_tests_properties("recorder: install ${version}" PROPERTIES FIXTURES_SETUP recorder_${version}
                       LABELS recorder)
  foreach(entry ${programs} ${programs_${version}})
    separate_arguments(entry)
    list(GET entry 0 program)
    list(GET entry 1 mode)
    list(GET entry 2 replay)
    add_test(NAME "recorder: ${version} ${program}"
             COMMAND ${dir}/record_and_check.sh ${venv} ${program} ${work}/${version} $<TARGET_FILE:heapsim>
                     ${replay} --snapshot ${mode})
    set_tests_properties("recorder: ${version} ${program}" PROPERTIES FIXTURES_REQUIRED recorder_${version}
                         LABELS recorder)
  endforeach()
  add_test(NAME "recorder: ${version} launcher, window, signal"
           COMMAND ${dir}/launcher.sh ${venv} ${work}/${version}-launcher)
  set_tests_properties("recorder: ${version} launcher, window, signal" PROPERTIES FIXTURES_REQUIRED
                       recorder_${version} LABELS recorder)
  # What-if: a recording replayed in events mode under other thresholds vs
  # the program run under them (docs/recording.md states the bound).
  add_test(NAME "recorder: ${version} what-if"
           COMMAND python3 ${dir}/whatif_check.py $<TARGET_FILE:heapsim> ${venv}/bin/python closures_generators
                   ${work}/${version}-whatif 2000,10,10 --snapshot-every 50 --max-error 20)
  set_tests_properties("recorder: ${version} what-if" PROPERTIES FIXTURES_REQUIRED recorder_${version}
                       LABELS recorder)
  # WEAKREF records against the type-name rule of version 1 recordings
  # (the same C code everywhere: 3.12 and sid's 3.13 only, CI time).
  if(version STREQUAL "3.12.1")
    add_test(NAME "recorder: ${version} weakref records"
             COMMAND python3 ${dir}/weakref_exact.py $<TARGET_FILE:heapsim> ${venv}/bin/python
                     ${work}/${version}-weakref-exact)
    set_tests_properties("recorder: ${version} weakref records" PROPERTIES FIXTURES_REQUIRED
                         recorder_${version} LABELS recorder)
  endif()
  # A program with no gc.callbacks of its own replays exactly (3.11: the
  # callbacks' info dict is allocated inside the triggering allocation).
  add_test(NAME "recorder: ${version} no gc.callbacks"
           COMMAND ${dir}/no_callbacks.sh ${venv} ${work}/${version}-no-callbacks $<TARGET_FILE:heapsim>)
  set_tests_properties("recorder: ${version} no gc.callbacks" PROPERTIES FIXTURES_REQUIRED recorder_${version}
                       LABELS recorder)
endforeach()

# Debian sid's interpreters from tools/pythons.sh (no pip, no venv): the
# wheel built by the in-tree backend is unpacked and used via PYTHONPATH.
# Their headers come from libpython3.X-dev, which tools/pythons.sh unpacks
# into its sysroot (found here without any setting), or from
# HEAPSIM_RECORD_SID_INCLUDE. The sysroot's include directory also holds
# sid's libc headers: it is searched after the system's (-idirafter).
set(HEAPSIM_PYTHONS "/var/cache/heapsim/pythons" CACHE PATH "tools/pythons.sh's cache of Debian sid interpreters")
set(HEAPSIM_RECORD_SID_INCLUDE "" CACHE PATH "Directory holding python3.X/ headers for the sid interpreters")
foreach(minor 3.13 3.14)
  set(python ${HEAPSIM_PYTHONS}/bin/python${minor})
  set(include ${HEAPSIM_RECORD_SID_INCLUDE})
  if(NOT include)
    set(include ${HEAPSIM_PYTHONS}/sysroot/usr/include)
  endif()
  if(NOT EXISTS ${python} OR NOT EXISTS ${include}/python${minor}/Python.h)
    message(STATUS "recorder tests: no sid python${minor} with headers (${python}, ${include}/python${minor})")
    continue()
  endif()
  set(version sid-${minor})
  set(pkg ${work}/pkg-${version})
  add_test(NAME "recorder: install ${version}" COMMAND ${dir}/install_unpacked.sh ${python} ${pkg})
  set_tests_properties("recorder: install ${version}" PROPERTIES FIXTURES_SETUP recorder_${version} LABELS recorder
                       ENVIRONMENT "HEAPSIM_RECORD_CFLAGS=-I${include}/python${minor} -idirafter ${include}")
  foreach(entry ${programs} ${programs_${version}})
    separate_arguments(entry)
    list(GET entry 0 program)
    list(GET entry 1 mode)
    list(GET entry 2 replay)
    add_test(NAME "recorder: ${version} ${program}"
             COMMAND ${dir}/record_and_check.sh ${python} ${program} ${work}/${version} $<TARGET_FILE:heapsim>
                     ${replay} --snapshot ${mode})
    set_tests_properties("recorder: ${version} ${program}" PROPERTIES FIXTURES_REQUIRED recorder_${version}
                         LABELS recorder ENVIRONMENT "PYTHONPATH=${pkg}")
  endforeach()
  if(minor STREQUAL "3.13")
    add_test(NAME "recorder: ${version} weakref records"
             COMMAND python3 ${dir}/weakref_exact.py $<TARGET_FILE:heapsim> ${python} ${work}/${version}-weakref-exact)
    set_tests_properties("recorder: ${version} weakref records" PROPERTIES FIXTURES_REQUIRED recorder_${version}
                         LABELS recorder ENVIRONMENT "PYTHONPATH=${pkg}")
  endif()
  # The launcher, window and signal paths are the same C code on every
  # PyRefTracer interpreter: checked on the newest sid one only (CI time).
  if(minor STREQUAL "3.14")
    add_test(NAME "recorder: ${version} launcher, window, signal" COMMAND ${dir}/launcher.sh ${python}
                                                                            ${work}/${version}-launcher)
    set_tests_properties("recorder: ${version} launcher, window, signal" PROPERTIES FIXTURES_REQUIRED
                         recorder_${version} LABELS recorder ENVIRONMENT "PYTHONPATH=${pkg}")
  endif()
endforeach()

# Interpreters it must refuse with one line.
foreach(refusal "3.13.0|3.13.0-3.13.2 do not report" "3.10.13|requires a different Python")
  string(REPLACE "|" ";" refusal "${refusal}")
  list(GET refusal 0 version)
  list(GET refusal 1 expected)
  set(python ${HEAPSIM_PYENV_ROOT}/versions/${version}/bin/python3)
  if(EXISTS ${python})
    add_test(NAME "recorder: refuses ${version}" COMMAND ${dir}/refusal.sh ${python} ${work}/venv-${version}
                                                         "${expected}")
    set_tests_properties("recorder: refuses ${version}" PROPERTIES LABELS recorder)
  endif()
endforeach()
if(NOT found_any)
  message(WARNING "recorder tests: no supported CPython (3.11.7, 3.12.1) under pyenv; the recorder suite is empty")
endif()
