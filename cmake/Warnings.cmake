# Warnings and sanitizers for host code. Applied through pc386_warnings so third-party code is untouched.
add_library(pc386_warnings INTERFACE)
target_compile_options(pc386_warnings INTERFACE -Wall -Wextra -Wno-unused-parameter)
if(PC386_SANITIZE)
  add_compile_options(-fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=undefined)
  add_link_options(-fsanitize=address,undefined)
endif()
