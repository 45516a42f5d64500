# text -> binary -> text -> binary through `dsasim graph convert`; the two
# binaries must be byte-identical.
file(REMOVE_RECURSE "${WORK}")
file(MAKE_DIRECTORY "${WORK}")
foreach(step "${IN};${WORK}/a.pb" "${WORK}/a.pb;${WORK}/b.textproto"
             "${WORK}/b.textproto;${WORK}/c.pb")
  execute_process(COMMAND ${CMD} graph convert ${step}
    RESULT_VARIABLE rc ERROR_VARIABLE err)
  if(NOT rc EQUAL 0)
    message(FATAL_ERROR "graph convert ${step} failed (${rc}):\n${err}")
  endif()
endforeach()
execute_process(COMMAND ${CMAKE_COMMAND} -E compare_files "${WORK}/a.pb" "${WORK}/c.pb"
  RESULT_VARIABLE same)
if(NOT same EQUAL 0)
  message(FATAL_ERROR "round trip changed the graph: ${WORK}/a.pb != ${WORK}/c.pb")
endif()
