# Files compiled into heapsim (the HTML report's template, the shipped pause
# models): each becomes a C string literal a source file #includes, so the
# file stays an ordinary file in the repository and a change to it rebuilds
# what embeds it.
#
#   heapsim_embed_file(TARGET report/report.html)
#     -> ${PROJECT_BINARY_DIR}/embedded/report/report.html.inc, on TARGET's
#        include path as "embedded/report/report.html.inc"
#
# Run as a script (cmake -DINPUT=... -DOUTPUT=... -P embed_file.cmake) it
# writes one .inc: every byte as a \xNN escape, 32 to a line.

if(CMAKE_SCRIPT_MODE_FILE)
  file(READ "${INPUT}" hex HEX)
  string(LENGTH "${hex}" length)
  set(out "")
  set(offset 0)
  while(offset LESS length)
    string(SUBSTRING "${hex}" ${offset} 64 chunk)
    string(REGEX REPLACE "(..)" "\\\\x\\1" chunk "${chunk}")
    string(APPEND out "\"${chunk}\"\n")
    math(EXPR offset "${offset} + 64")
  endwhile()
  if(out STREQUAL "")
    set(out "\"\"\n")
  endif()
  file(WRITE "${OUTPUT}.tmp" "${out}")
  file(RENAME "${OUTPUT}.tmp" "${OUTPUT}")
  return()
endif()

set(HEAPSIM_EMBED_SCRIPT ${CMAKE_CURRENT_LIST_FILE})

function(heapsim_embed_file target relative_path)
  set(input ${PROJECT_SOURCE_DIR}/${relative_path})
  set(output ${PROJECT_BINARY_DIR}/embedded/${relative_path}.inc)
  get_filename_component(dir ${output} DIRECTORY)
  file(MAKE_DIRECTORY ${dir})
  add_custom_command(
    OUTPUT ${output}
    COMMAND ${CMAKE_COMMAND} -DINPUT=${input} -DOUTPUT=${output} -P ${HEAPSIM_EMBED_SCRIPT}
    DEPENDS ${input} ${HEAPSIM_EMBED_SCRIPT}
    COMMENT "Embedding ${relative_path}"
    VERBATIM)
  target_sources(${target} PRIVATE ${output})
  target_include_directories(${target} PRIVATE ${PROJECT_BINARY_DIR})
endfunction()
