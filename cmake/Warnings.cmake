# Warnings and sanitizers for host code. Applied through pc386_warnings so third-party code is untouched.
add_library(pc386_warnings INTERFACE)
target_compile_options(pc386_warnings INTERFACE -Wall -Wextra -Wno-unused-parameter)
if(PC386_SANITIZE)
  add_compile_options(-fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=undefined)
  add_link_options(-fsanitize=address,undefined)
endif()
# Fuzzing: every host library gets libFuzzer's coverage instrumentation and the sanitizers; only
# the fuzz targets link libFuzzer's main (-fsanitize=fuzzer in tests/fuzz).
if(PC386_FUZZ)
  if(NOT CMAKE_CXX_COMPILER_ID STREQUAL "Clang")
    message(FATAL_ERROR "PC386_FUZZ needs clang (CXX=clang++)")
  endif()
  add_compile_options(-fsanitize=fuzzer-no-link,address,undefined -fno-omit-frame-pointer
                      -fno-sanitize-recover=undefined)
  add_link_options(-fsanitize=address,undefined)
endif()
