# Read by ctest before it runs the tests of a DSASIM_SANITIZE or DSASIM_FUZZ
# build (tests/CMakeLists.txt adds it to TEST_INCLUDE_FILES), so the options
# hold however ctest is started; a caller's own ASAN_OPTIONS or UBSAN_OPTIONS
# win. Leaks are errors; UB reports carry a stack; initialization-order and
# stack-use-after-return bugs are looked for too.
if(NOT DEFINED ENV{ASAN_OPTIONS})
  set(ENV{ASAN_OPTIONS}
      "detect_leaks=1:check_initialization_order=1:strict_init_order=1:detect_stack_use_after_return=1")
endif()
if(NOT DEFINED ENV{UBSAN_OPTIONS})
  set(ENV{UBSAN_OPTIONS} "print_stacktrace=1:halt_on_error=1")
endif()
