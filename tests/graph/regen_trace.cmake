# Regenerates a committed reference trace and checks it is byte-identical:
# the builder is deterministic and the trace is in sync with it. The command
# runs from a scratch copy of the repository layout (the model config at the
# same relative path) so that the command line recorded in the trace, and
# quoted in traces/README.md, is exactly the one that made it.
#   -DCMD=dsasim -DSOURCE_DIR=repo -DWORK=scratch -DTRACE=traces/x.pb
#   -DARGS=graph;build;...;-o;traces/x.pb
file(REMOVE_RECURSE "${WORK}")
file(MAKE_DIRECTORY "${WORK}/traces/tiny")
file(COPY "${SOURCE_DIR}/traces/tiny/config.json" DESTINATION "${WORK}/traces/tiny")
get_filename_component(trace_dir "${WORK}/${TRACE}" DIRECTORY)
file(MAKE_DIRECTORY "${trace_dir}")
execute_process(COMMAND ${CMD} ${ARGS} WORKING_DIRECTORY "${WORK}"
  RESULT_VARIABLE rc OUTPUT_VARIABLE out ERROR_VARIABLE err)
if(NOT rc EQUAL 0)
  message(FATAL_ERROR "regenerating ${TRACE} failed (${rc}):\n${out}\n${err}")
endif()
execute_process(COMMAND ${CMAKE_COMMAND} -E compare_files
  "${WORK}/${TRACE}" "${SOURCE_DIR}/${TRACE}" RESULT_VARIABLE same)
if(NOT same EQUAL 0)
  message(FATAL_ERROR "${TRACE} is stale or the builder is not deterministic: "
    "regenerated ${WORK}/${TRACE} differs. Rerun the command in traces/README.md "
    "if the builder changed on purpose.")
endif()
list(JOIN ARGS " " command)
file(READ "${SOURCE_DIR}/traces/README.md" readme)
string(FIND "${readme}" "dsasim ${command}" at)
if(at EQUAL -1)
  message(FATAL_ERROR "traces/README.md does not quote the command: dsasim ${command}")
endif()
