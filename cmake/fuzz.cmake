# libFuzzer build (preset `fuzz`, clang only): every library of the project is compiled with
# coverage instrumentation for libFuzzer plus ASan and UBSan, and the fuzz targets in tests/fuzz
# link the libFuzzer driver. UBSan findings abort (no recovery), so the fuzzer reports them.
# -fsanitize=function is left out: clang 14 cannot emit its prologue data for the split parts of
# a coroutine ("Cannot represent a difference across sections"); the check only concerns calls
# through function pointers of the wrong type, which the other checks and the types rule out.
option(APPSIGNALS_FUZZ "Build the libFuzzer targets (clang; see tests/fuzz)" OFF)
if(APPSIGNALS_FUZZ)
  if(NOT CMAKE_CXX_COMPILER_ID STREQUAL "Clang")
    message(FATAL_ERROR "APPSIGNALS_FUZZ needs clang (cmake --preset fuzz)")
  endif()
  target_compile_options(appsignals_options INTERFACE
    -fsanitize=fuzzer-no-link,address,undefined -fno-sanitize=function -fno-sanitize-recover=undefined
    -fno-omit-frame-pointer)
  target_link_options(appsignals_options INTERFACE -fsanitize=address,undefined -fno-sanitize=function)
endif()
