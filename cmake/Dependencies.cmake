# Every dependency is a Debian package (scripts/install-deps.sh installs them); nothing is vendored.
find_package(PkgConfig REQUIRED)
find_package(spdlog REQUIRED)
find_package(fmt REQUIRED)
find_package(CLI11 REQUIRED)
find_package(GTest REQUIRED)
find_package(nlohmann_json REQUIRED)
find_package(ZLIB REQUIRED)
pkg_check_modules(CAPSTONE REQUIRED IMPORTED_TARGET capstone)
if(PC386_BUILD_UI)
  find_package(SDL2 REQUIRED)
  pkg_check_modules(LIBPNG REQUIRED IMPORTED_TARGET libpng)  # the window's screenshots
endif()

# pc386_add_library(NAME DIR DEPS...): a static library from every .cpp in DIR.
function(pc386_add_library name dir)
  file(GLOB _srcs CONFIGURE_DEPENDS ${dir}/*.cpp)
  if(NOT _srcs)  # an area that has only headers so far
    add_library(${name} INTERFACE)
    target_include_directories(${name} INTERFACE ${PROJECT_SOURCE_DIR}/src)
    target_link_libraries(${name} INTERFACE ${ARGN})
    return()
  endif()
  add_library(${name} STATIC ${_srcs})
  target_include_directories(${name} PUBLIC ${PROJECT_SOURCE_DIR}/src)
  target_link_libraries(${name} PRIVATE pc386_warnings PUBLIC ${ARGN})
endfunction()

# pc386_add_unit_tests(NAME DIR DEPS...): one GoogleTest executable from every .cpp in DIR, each
# test registered with ctest under the label "unit".
function(pc386_add_unit_tests name dir)
  file(GLOB _srcs CONFIGURE_DEPENDS ${dir}/*.cpp)
  if(NOT _srcs)
    return()
  endif()
  add_executable(${name} ${_srcs})
  target_link_libraries(${name} PRIVATE pc386_warnings GTest::gtest_main GTest::gmock ${ARGN})
  target_include_directories(${name} PRIVATE ${PROJECT_SOURCE_DIR}/tests)  # tests/support/
  target_compile_definitions(${name} PRIVATE PC386_SOURCE_DIR="${PROJECT_SOURCE_DIR}"
                                             PC386_BINARY_DIR="${PROJECT_BINARY_DIR}")
  include(GoogleTest)
  gtest_discover_tests(${name} PROPERTIES LABELS unit DISCOVERY_TIMEOUT 60)
endfunction()
