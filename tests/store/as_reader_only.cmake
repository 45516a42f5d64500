# Runs CMD with ARGS against a copy of the result database DB that the
# command's user may read but not write: the copy is mode 0444 and, with
# -DREAD_ONLY_DIR=ON, so is its directory (0555), where SQLite cannot create
# the -wal and -shm files a WAL database is read with. Without it the
# directory is writable by anyone.
#
# Root ignores file modes, and tests often run as root (containers, CI), so
# as root the command runs as the unprivileged user nobody through setpriv;
# without setpriv the test prints SKIPPED (the test's SKIP_REGULAR_EXPRESSION).
#
# In ARGS and EXPECT_FILE, @DB@ stands for the copy and @OUT@ for a
# directory the command may write. The expectations are those of
# expect_exit_and_file.cmake (EXPECT_RC, EXPECT_STDOUT, EXPECT_STDERR,
# EXPECT_FILE, EXPECT_FILE_CONTAINS). WORK: a scratch directory, recreated.
cmake_minimum_required(VERSION 3.21)  # file(COPY_FILE); @VAR@ is not expanded
set(db_dir "${WORK}/db")
set(out_dir "${WORK}/out")
set(copy "${db_dir}/results.db")

# A failed earlier run may have left db_dir without write permission.
if(EXISTS "${WORK}")
  execute_process(COMMAND chmod -R u+w "${WORK}")
  file(REMOVE_RECURSE "${WORK}")
endif()
file(MAKE_DIRECTORY "${db_dir}" "${out_dir}")
# The main file only: a database closed cleanly has no -wal, which is the
# case where SQLite would have to create the WAL files to read it.
file(COPY_FILE "${DB}" "${copy}")
file(CHMOD "${copy}" PERMISSIONS OWNER_READ GROUP_READ WORLD_READ)
set(all_rwx OWNER_READ OWNER_WRITE OWNER_EXECUTE GROUP_READ GROUP_WRITE GROUP_EXECUTE
            WORLD_READ WORLD_WRITE WORLD_EXECUTE)
file(CHMOD "${out_dir}" PERMISSIONS ${all_rwx})
if(READ_ONLY_DIR)
  file(CHMOD "${db_dir}" PERMISSIONS OWNER_READ OWNER_EXECUTE GROUP_READ GROUP_EXECUTE
                                     WORLD_READ WORLD_EXECUTE)
else()
  file(CHMOD "${db_dir}" PERMISSIONS ${all_rwx})
endif()

set(cmd ${CMD})
execute_process(COMMAND id -u OUTPUT_VARIABLE uid OUTPUT_STRIP_TRAILING_WHITESPACE)
if(uid STREQUAL "0")
  find_program(SETPRIV setpriv)
  if(NOT SETPRIV)
    message("SKIPPED: running as root without setpriv, and file modes do not stop root")
    return()
  endif()
  set(cmd ${SETPRIV} --reuid=65534 --regid=65534 --clear-groups ${CMD})
endif()

foreach(var ARGS EXPECT_FILE)
  if(DEFINED ${var})
    string(REPLACE "@DB@" "${copy}" ${var} "${${var}}")
    string(REPLACE "@OUT@" "${out_dir}" ${var} "${${var}}")
  endif()
endforeach()
set(expectations)
foreach(var EXPECT_RC EXPECT_STDOUT EXPECT_STDERR EXPECT_FILE EXPECT_FILE_CONTAINS)
  if(DEFINED ${var})
    list(APPEND expectations "-D${var}=${${var}}")
  endif()
endforeach()
# The checks run in a child so that the modes are restored whatever they
# find (a 0555 directory would stop a non-root user cleaning the build).
execute_process(
  COMMAND ${CMAKE_COMMAND} "-DCMD=${cmd}" "-DARGS=${ARGS}" ${expectations}
          -P ${CMAKE_CURRENT_LIST_DIR}/expect_exit_and_file.cmake
  RESULT_VARIABLE rc OUTPUT_VARIABLE out ERROR_VARIABLE err)
execute_process(COMMAND chmod -R u+w "${WORK}")
if(NOT rc EQUAL 0)
  message(FATAL_ERROR "${out}${err}")
endif()
