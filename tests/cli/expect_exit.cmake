# Runs CMD with ARGS (a ;-list) and checks its exit code and, optionally, that
# stdout / stderr contain (EXPECT_STDOUT / EXPECT_STDERR) or lack
# (REJECT_STDOUT / REJECT_STDERR) a regular expression. Used by the CLI tests.
execute_process(COMMAND ${CMD} ${ARGS}
  RESULT_VARIABLE rc OUTPUT_VARIABLE out ERROR_VARIABLE err)
if(NOT rc EQUAL EXPECT_RC)
  message(FATAL_ERROR "exit code ${rc}, expected ${EXPECT_RC}\nstdout:\n${out}\nstderr:\n${err}")
endif()
if(DEFINED EXPECT_STDOUT AND NOT out MATCHES "${EXPECT_STDOUT}")
  message(FATAL_ERROR "stdout lacks '${EXPECT_STDOUT}':\n${out}")
endif()
if(DEFINED EXPECT_STDERR AND NOT err MATCHES "${EXPECT_STDERR}")
  message(FATAL_ERROR "stderr lacks '${EXPECT_STDERR}':\n${err}")
endif()
if(DEFINED REJECT_STDOUT AND out MATCHES "${REJECT_STDOUT}")
  message(FATAL_ERROR "stdout has '${REJECT_STDOUT}':\n${out}")
endif()
if(DEFINED REJECT_STDERR AND err MATCHES "${REJECT_STDERR}")
  message(FATAL_ERROR "stderr has '${REJECT_STDERR}':\n${err}")
endif()
