# Runs every `dsasim ...` command of README.md's ```sh blocks, in order, in a
# scratch directory, and fails on the first that exits non-zero: a README
# example must run as written. The scratch directory links traces/ to the
# repository's, so that relative paths in the examples resolve.
#   -DCMD=dsasim -DSOURCE_DIR=repo -DWORK=scratch
#
# How an example line is read: a trailing "\" continues it; "  # ..." is a
# comment; "a && b" are two commands, of which those starting with `dsasim`
# or `./build/tools/dsasim` run; a "[--flag]" token is optional and left out;
# in "x | y | z" the first alternative runs; "> FILE" sends stdout to FILE.
# `dsasim validate` is left out: it takes minutes, and
# validate.every_table_runs_and_the_a100_tables_meet_their_goals runs it.
file(REMOVE_RECURSE "${WORK}")
file(MAKE_DIRECTORY "${WORK}")
file(CREATE_LINK "${SOURCE_DIR}/traces" "${WORK}/traces" SYMBOLIC)

file(READ "${SOURCE_DIR}/README.md" readme)
# CMake lists split on ";", treat brackets specially and "\;" as an escaped
# separator: hide all three.
string(REPLACE "\\" "<backslash>" readme "${readme}")
string(REPLACE ";" "<semicolon>" readme "${readme}")
string(REPLACE "[" "<lbracket>" readme "${readme}")
string(REPLACE "]" "<rbracket>" readme "${readme}")
string(REPLACE "\n" ";" lines "${readme}")

set(in_block FALSE)
set(pending "")
set(commands "")
foreach(line IN LISTS lines)
  if(NOT in_block)
    if(line STREQUAL "```sh")
      set(in_block TRUE)
    endif()
    continue()
  endif()
  if(line STREQUAL "```")
    set(in_block FALSE)
    continue()
  endif()
  string(REGEX REPLACE "  +#.*$" "" line "${line}")
  string(APPEND pending " ${line}")
  if(pending MATCHES "<backslash> *$")
    string(REGEX REPLACE "<backslash> *$" "" pending "${pending}")
    continue()
  endif()
  string(REPLACE " && " ";" segments "${pending}")
  set(pending "")
  foreach(segment IN LISTS segments)
    string(STRIP "${segment}" segment)
    if(segment MATCHES "^(\\./build/tools/)?dsasim( |$)")
      string(REGEX REPLACE "^(\\./build/tools/)?dsasim *" "" segment "${segment}")
      list(APPEND commands "${segment}")
    endif()
  endforeach()
endforeach()

list(LENGTH commands count)
if(count LESS 10)
  message(FATAL_ERROR "found only ${count} dsasim commands in README.md: "
    "has its layout changed? (this test reads its ```sh blocks)")
endif()

set(ran 0)
foreach(command IN LISTS commands)
  if(command MATCHES "<semicolon>|<backslash>")
    message(FATAL_ERROR "README.md example with a ';' or a '\\' inside "
      "(this test cannot split it): ${command}")
  endif()
  separate_arguments(tokens UNIX_COMMAND "${command}")
  set(args "")
  set(output_file "")
  set(skip_next FALSE)
  set(redirect_next FALSE)
  foreach(token IN LISTS tokens)
    if(skip_next)
      set(skip_next FALSE)
    elseif(redirect_next)
      set(output_file "${WORK}/${token}")
      set(redirect_next FALSE)
    elseif(token STREQUAL "|")
      set(skip_next TRUE)
    elseif(token STREQUAL ">")
      set(redirect_next TRUE)
    elseif(token MATCHES "^<lbracket>.*<rbracket>$")
      # optional: left out
    else()
      string(REPLACE "<lbracket>" "[" token "${token}")
      string(REPLACE "<rbracket>" "]" token "${token}")
      list(APPEND args "${token}")
    endif()
  endforeach()
  list(GET args 0 verb)
  if(verb STREQUAL "validate")
    continue()
  endif()
  list(JOIN args " " shown)
  message(STATUS "dsasim ${shown}")
  if(output_file)
    execute_process(COMMAND ${CMD} ${args} WORKING_DIRECTORY "${WORK}"
      RESULT_VARIABLE rc OUTPUT_FILE "${output_file}" ERROR_VARIABLE err)
    set(out "(stdout in ${output_file})")
  else()
    execute_process(COMMAND ${CMD} ${args} WORKING_DIRECTORY "${WORK}"
      RESULT_VARIABLE rc OUTPUT_VARIABLE out ERROR_VARIABLE err)
  endif()
  if(NOT rc EQUAL 0)
    message(FATAL_ERROR "README.md example failed (exit ${rc}): dsasim ${shown}\n"
      "stdout:\n${out}\nstderr:\n${err}")
  endif()
  math(EXPR ran "${ran} + 1")
endforeach()
message(STATUS "${ran} README examples ran")
