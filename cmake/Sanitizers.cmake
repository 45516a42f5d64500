# Checked builds (docs/testing.md), for every target of the project:
#
# DSASIM_SANITIZE: AddressSanitizer (with leak checking) and
#   UndefinedBehaviorSanitizer, UB fatal. Its build type defaults to Debug,
#   compiled at -O1 -g1: asserts and REQUIRES checks on, the suite about
#   twice as fast as at -O0, and line tables enough for the sanitizers'
#   stacks (function, file, line) for 27 % less compile time than full
#   -g, which matters on CI's cold cache (docs/testing.md). `tools/build
#   asan` configures it in build-asan/, and `tools/test` runs the unit tests
#   there.
# DSASIM_FUZZ (clang only): the same sanitizers plus libFuzzer's coverage
#   instrumentation (-fsanitize=fuzzer-no-link) in every library, so the
#   fuzzer sees the code under test and not just the harness; the
#   dsasim_add_fuzzer targets are linked with libFuzzer's main. `tools/fuzz`
#   configures it in build-fuzz/.
#
# System libraries (protobuf, gtest, sqlite, spdlog) stay uninstrumented:
# ASan still sees their heap through its allocator, and neither sanitizer
# needs them rebuilt.
option(DSASIM_SANITIZE "Build with ASan + UBSan, asserts on" OFF)
option(DSASIM_FUZZ "Build the libFuzzer targets, every library instrumented (clang)" OFF)

if(DSASIM_FUZZ AND NOT CMAKE_CXX_COMPILER_ID MATCHES Clang)
  message(FATAL_ERROR "DSASIM_FUZZ needs clang (libFuzzer); configure with "
                      "CMAKE_CXX_COMPILER=clang++-14, as tools/fuzz does")
endif()

if(DSASIM_SANITIZE OR DSASIM_FUZZ)
  set(dsasim_sanitizers address,undefined)
  # After CMAKE_CXX_FLAGS_DEBUG's -g on the command line, so -g1 wins.
  set(dsasim_debug_opt -O1 -g1)
  if(DSASIM_FUZZ)
    set(dsasim_sanitizers fuzzer-no-link,${dsasim_sanitizers})
    # Without comparison tracing: in the simulator's hot loops (the HBM
    # model's gather efficiency, the timelines) it took 45 % of the time;
    # the inputs are decoded into choices (tests/fuzz/fuzz_reader.h), so
    # edge coverage guides the search, not the operands of comparisons.
    # -O2 for the same reason: executions per second are the fuzzer's
    # budget. Together they made simulate_fuzz 3.3 times faster.
    add_compile_options(-fno-sanitize-coverage=trace-cmp)
    # Full -g: tools/fuzz is run by hand and its findings debugged.
    set(dsasim_debug_opt -O2)
  endif()
  add_compile_options(-fsanitize=${dsasim_sanitizers} -fno-sanitize-recover=undefined
                      -fno-omit-frame-pointer "$<$<CONFIG:Debug>:${dsasim_debug_opt}>")
  add_link_options(-fsanitize=address,undefined)
endif()

# A libFuzzer executable: `name` from `source`, linked with `library` (its
# body). Only DSASIM_FUZZ builds define it; the custom target `fuzzers`
# builds them all.
function(dsasim_add_fuzzer name source library)
  if(NOT DSASIM_FUZZ)
    return()
  endif()
  add_executable(${name} ${source})
  target_link_options(${name} PRIVATE -fsanitize=fuzzer)
  target_link_libraries(${name} PRIVATE ${library})
  add_dependencies(fuzzers ${name})
endfunction()
if(DSASIM_FUZZ)
  add_custom_target(fuzzers)
endif()
