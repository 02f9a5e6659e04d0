# Project-wide compile options, applied to our own targets through appsignals_options.
add_library(appsignals_options INTERFACE)
target_compile_options(appsignals_options INTERFACE
  -Wall -Wextra -Wpedantic -Wshadow -Wconversion -Wno-sign-conversion
  # GCC 12 false positives inside Asio and libstdc++ at -O3 (GCC bugs 105329, 109224); clang
  # (presets tsan and fuzz) does not know -Wno-restrict.
  $<$<CXX_COMPILER_ID:GNU>:-Wno-restrict> -Wno-mismatched-new-delete)
if(APPSIGNALS_WERROR)
  target_compile_options(appsignals_options INTERFACE -Werror)
endif()
if(APPSIGNALS_SANITIZE)
  target_compile_options(appsignals_options INTERFACE -fsanitize=address,undefined -fno-omit-frame-pointer)
  target_link_options(appsignals_options INTERFACE -fsanitize=address,undefined)
endif()
# Asio and Beast are compiled once, in src/net/asio_impl.cc.
target_compile_definitions(appsignals_options INTERFACE
  BOOST_ASIO_SEPARATE_COMPILATION BOOST_BEAST_SEPARATE_COMPILATION
  BOOST_ASIO_NO_DEPRECATED BOOST_BEAST_USE_STD_STRING_VIEW
  BOOST_ASIO_DISABLE_BOOST_COROUTINE)
