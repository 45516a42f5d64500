# Runs CMD with ARGS (a ;-list), checks the exit code, that stderr contains
# EXPECT_STDERR, and that OUT was not created: a failing command writes
# nothing.
file(REMOVE "${OUT}")
execute_process(COMMAND ${CMD} ${ARGS}
  RESULT_VARIABLE rc OUTPUT_VARIABLE out ERROR_VARIABLE err)
if(NOT rc EQUAL EXPECT_RC)
  message(FATAL_ERROR "exit code ${rc}, expected ${EXPECT_RC}\nstdout:\n${out}\nstderr:\n${err}")
endif()
if(DEFINED EXPECT_STDERR AND NOT err MATCHES "${EXPECT_STDERR}")
  message(FATAL_ERROR "stderr lacks '${EXPECT_STDERR}':\n${err}")
endif()
if(EXISTS "${OUT}" OR EXISTS "${OUT}.tmp")
  message(FATAL_ERROR "${OUT} was written by a failing command")
endif()
