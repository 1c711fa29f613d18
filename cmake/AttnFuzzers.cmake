# libFuzzer targets (test/fuzz), see docs/robustness.md.
#
#   ATTN_ENABLE_FUZZERS = OFF (default) | ON
#
# The fuzzers are built only when the compiler links -fsanitize=fuzzer (clang
# with the libFuzzer runtime: Debian package libclang-rt-22-dev). They are
# useful in a sanitizer build with coverage instrumentation of the code under
# test, which is what scripts/test-sanitizers.sh configures:
#   -DLLVM_USE_SANITIZER="Address;Undefined" -DLLVM_USE_SANITIZE_COVERAGE=ON
#   -DATTN_ENABLE_FUZZERS=ON
# Sets ATTN_HAS_FUZZERS and defines add_attn_fuzzer().
option(ATTN_ENABLE_FUZZERS
  "Build the libFuzzer targets in test/fuzz (needs clang's fuzzer runtime)" OFF)

set(ATTN_HAS_FUZZERS OFF)
if(ATTN_ENABLE_FUZZERS)
  include(CheckCXXSourceCompiles)
  set(CMAKE_REQUIRED_FLAGS "-fsanitize=fuzzer")
  set(CMAKE_REQUIRED_LINK_OPTIONS "-fsanitize=fuzzer")
  check_cxx_source_compiles([[
    #include <cstddef>
    #include <cstdint>
    extern "C" int LLVMFuzzerTestOneInput(const uint8_t *, size_t) { return 0; }
  ]] ATTN_FUZZER_RUNTIME_WORKS)
  unset(CMAKE_REQUIRED_FLAGS)
  unset(CMAKE_REQUIRED_LINK_OPTIONS)
  if(ATTN_FUZZER_RUNTIME_WORKS)
    set(ATTN_HAS_FUZZERS ON)
    if(NOT LLVM_USE_SANITIZE_COVERAGE)
      message(WARNING "ATTN_ENABLE_FUZZERS without LLVM_USE_SANITIZE_COVERAGE: "
        "the libraries under test carry no coverage instrumentation, so the "
        "fuzzers run blind (use scripts/test-sanitizers.sh)")
    endif()
    message(STATUS "libFuzzer targets: enabled (test/fuzz)")
  else()
    message(WARNING "ATTN_ENABLE_FUZZERS=ON but ${CMAKE_CXX_COMPILER} cannot "
      "link -fsanitize=fuzzer (install libclang-rt-22-dev); fuzzers skipped")
  endif()
endif()

# add_attn_fuzzer(name src... [LIBS lib...] [MLIR_LIBS lib...])
function(add_attn_fuzzer name)
  cmake_parse_arguments(ARG "" "" "LIBS;MLIR_LIBS" ${ARGN})
  add_executable(${name} ${ARG_UNPARSED_ARGUMENTS})
  llvm_update_compile_flags(${name})
  target_compile_options(${name} PRIVATE -fsanitize=fuzzer)
  target_link_options(${name} PRIVATE -fsanitize=fuzzer)
  target_link_libraries(${name} PRIVATE ${ARG_LIBS})
  if(ARG_MLIR_LIBS)
    mlir_target_link_libraries(${name} PRIVATE ${ARG_MLIR_LIBS})
  endif()
  set_target_properties(${name} PROPERTIES
    RUNTIME_OUTPUT_DIRECTORY ${CMAKE_BINARY_DIR}/bin)
  add_dependencies(attn-fuzzers ${name})
endfunction()
