# expect_exit.cmake plus a check on a file the command writes or must not
# create. EXPECT_FILE: must exist afterwards and match EXPECT_FILE_CONTAINS.
# EXPECT_ABSENT: must not exist afterwards. Both are removed first so a
# leftover from an earlier run cannot make the test pass. EXPECT_UNCHANGED:
# written first and must hold exactly the same afterwards; it is empty with
# -DUNCHANGED_CONTENT=empty (an empty file is what VACUUM INTO overwrites),
# else a known text over 512 bytes (which SQLite reads as "not a database").
foreach(f IN ITEMS ${EXPECT_FILE} ${EXPECT_ABSENT})
  file(REMOVE "${f}")
endforeach()
if(DEFINED EXPECT_UNCHANGED)
  set(known "")
  if(NOT UNCHANGED_CONTENT STREQUAL "empty")
    string(REPEAT "not a result database, and it must stay as it is.\n" 12 known)
  endif()
  file(WRITE "${EXPECT_UNCHANGED}" "${known}")
endif()
include(${CMAKE_CURRENT_LIST_DIR}/../cli/expect_exit.cmake)
if(DEFINED EXPECT_ABSENT AND EXISTS "${EXPECT_ABSENT}")
  message(FATAL_ERROR "${EXPECT_ABSENT} was created")
endif()
if(DEFINED EXPECT_FILE)
  if(NOT EXISTS "${EXPECT_FILE}")
    message(FATAL_ERROR "${EXPECT_FILE} was not written")
  endif()
  file(READ "${EXPECT_FILE}" contents)
  if(NOT contents MATCHES "${EXPECT_FILE_CONTAINS}")
    message(FATAL_ERROR "${EXPECT_FILE} lacks '${EXPECT_FILE_CONTAINS}'")
  endif()
endif()
if(DEFINED EXPECT_UNCHANGED)
  file(READ "${EXPECT_UNCHANGED}" after)
  if(NOT after STREQUAL known)
    message(FATAL_ERROR "${EXPECT_UNCHANGED} was changed")
  endif()
endif()
