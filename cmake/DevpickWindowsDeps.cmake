# Third-party dependencies of a Windows cross-build (cmake/mingw-w64-x86_64.cmake), which cannot
# use Debian's CMake packages: those describe Linux libraries. Included from the top-level
# CMakeLists.txt instead of its find_package() calls, it defines the same imported target names.
#
# - nlohmann-json, CLI11, fmt and toml++ are used header-only (FMT_HEADER_ONLY, TOML_HEADER_ONLY)
#   from Debian's packages. /usr/include itself must never be on a MinGW include path (glibc's
#   headers would shadow the Windows C library's), so the few header folders needed are linked
#   into one staging directory of the build. The same goes for the OpenCL, Vulkan and Level Zero
#   API headers the runtime probes compile against.
# - zlib comes from libz-mingw-w64-dev (inside the MinGW sysroot, found by find_package).
# - GoogleTest is built from Debian's sources (/usr/src/googletest) with the cross compiler.
set(devpick_host_headers ${PROJECT_BINARY_DIR}/host-headers)
file(MAKE_DIRECTORY ${devpick_host_headers})
foreach(folder nlohmann CLI fmt toml++ CL vulkan vk_video level_zero)
  if(NOT EXISTS /usr/include/${folder})
    message(FATAL_ERROR "/usr/include/${folder} is missing: run `make deps-windows`")
  endif()
  file(CREATE_LINK /usr/include/${folder} ${devpick_host_headers}/${folder} SYMBOLIC)
endforeach()

add_library(devpick_host_headers INTERFACE)
target_include_directories(devpick_host_headers SYSTEM INTERFACE ${devpick_host_headers})

add_library(nlohmann_json::nlohmann_json INTERFACE IMPORTED)
target_link_libraries(nlohmann_json::nlohmann_json INTERFACE devpick_host_headers)
add_library(CLI11::CLI11 INTERFACE IMPORTED)
target_link_libraries(CLI11::CLI11 INTERFACE devpick_host_headers)
add_library(fmt::fmt INTERFACE IMPORTED)
target_link_libraries(fmt::fmt INTERFACE devpick_host_headers)
target_compile_definitions(fmt::fmt INTERFACE FMT_HEADER_ONLY)
add_library(tomlplusplus::tomlplusplus INTERFACE IMPORTED)
target_link_libraries(tomlplusplus::tomlplusplus INTERFACE devpick_host_headers)
target_compile_definitions(tomlplusplus::tomlplusplus INTERFACE TOML_HEADER_ONLY=1)

find_package(Threads REQUIRED)
find_package(ZLIB REQUIRED)

if(DEVPICK_BUILD_TESTS)
  set(INSTALL_GTEST OFF CACHE BOOL "" FORCE)
  set(gtest_disable_pthreads OFF CACHE BOOL "" FORCE)
  add_subdirectory(/usr/src/googletest ${PROJECT_BINARY_DIR}/googletest EXCLUDE_FROM_ALL)
  # Warnings of GoogleTest's own sources are not ours to fix.
  foreach(target gtest gtest_main gmock gmock_main)
    target_compile_options(${target} PRIVATE -w)
    set_target_properties(${target} PROPERTIES POSITION_INDEPENDENT_CODE OFF)
  endforeach()
  # GoogleTest's own CMake defines the GTest:: aliases the Linux build gets from find_package.
endif()
