# libdevpick.so (the C ABI of include/devpick/devpick.h), a combined static libdevpick.a, and the
# install rules: the CLI, the headers, both libraries, a CMake package (find_package(devpick) ->
# devpick::devpick, devpick::devpick_static) and a pkg-config file. Included once from the
# top-level CMakeLists.txt, after every target it installs is defined.
include(GNUInstallDirs)
include(CMakePackageConfigHelpers)

# The C ABI's objects are built hidden by default; devpick.h marks the devpick_* functions
# visible, and the version script hides whatever the static archives below would otherwise export.
set_target_properties(devpick_capi PROPERTIES CXX_VISIBILITY_PRESET hidden
                                              VISIBILITY_INLINES_HIDDEN ON)

set(devpick_abi_areas capi doctor emit verify select inventory probes core)
set(devpick_version_script ${PROJECT_SOURCE_DIR}/src/capi/libdevpick.map)

# The shared library takes the C ABI objects whole and pulls from the other area archives only
# what they need.
add_library(devpick_shared SHARED $<TARGET_OBJECTS:devpick_capi>)
target_link_libraries(devpick_shared PRIVATE devpick_doctor devpick_emit devpick_verify
                                             devpick_select devpick_inventory devpick_probes
                                             devpick_core)
target_link_options(devpick_shared PRIVATE "LINKER:--version-script=${devpick_version_script}"
                    "LINKER:--no-undefined" "LINKER:--exclude-libs,ALL")
target_include_directories(devpick_shared INTERFACE
  $<BUILD_INTERFACE:${PROJECT_SOURCE_DIR}/include> $<INSTALL_INTERFACE:${CMAKE_INSTALL_INCLUDEDIR}>)
set_target_properties(devpick_shared PROPERTIES
  OUTPUT_NAME devpick
  EXPORT_NAME devpick
  VERSION ${PROJECT_VERSION}
  SOVERSION ${PROJECT_VERSION_MAJOR}
  LINK_DEPENDS ${devpick_version_script}
  # Beside devpick-probe, where the C ABI looks for the helper first.
  LIBRARY_OUTPUT_DIRECTORY ${PROJECT_BINARY_DIR})

# One static archive with every object the C ABI and the public C++ headers need, so a static
# consumer links one library plus the system dependencies named below.
set(devpick_static_objects)
foreach(area ${devpick_abi_areas})
  list(APPEND devpick_static_objects $<TARGET_OBJECTS:devpick_${area}>)
endforeach()
add_library(devpick_static STATIC ${devpick_static_objects})
target_link_libraries(devpick_static INTERFACE nlohmann_json::nlohmann_json fmt::fmt
                      tomlplusplus::tomlplusplus ZLIB::ZLIB Threads::Threads ${CMAKE_DL_LIBS})
target_include_directories(devpick_static INTERFACE
  $<BUILD_INTERFACE:${PROJECT_SOURCE_DIR}/include> $<INSTALL_INTERFACE:${CMAKE_INSTALL_INCLUDEDIR}>)
set_target_properties(devpick_static PROPERTIES
  OUTPUT_NAME devpick
  EXPORT_NAME devpick_static
  ARCHIVE_OUTPUT_DIRECTORY ${PROJECT_BINARY_DIR})

# Install.
set(devpick_cmake_dir ${CMAKE_INSTALL_LIBDIR}/cmake/devpick)
if(TARGET devpick)
  install(TARGETS devpick RUNTIME DESTINATION ${CMAKE_INSTALL_BINDIR})
endif()
install(TARGETS devpick_shared devpick_static EXPORT devpickTargets
  LIBRARY DESTINATION ${CMAKE_INSTALL_LIBDIR}
  ARCHIVE DESTINATION ${CMAKE_INSTALL_LIBDIR})
install(DIRECTORY ${PROJECT_SOURCE_DIR}/include/devpick
        DESTINATION ${CMAKE_INSTALL_INCLUDEDIR} FILES_MATCHING PATTERN "*.h")
install(EXPORT devpickTargets NAMESPACE devpick:: DESTINATION ${devpick_cmake_dir})
configure_package_config_file(${PROJECT_SOURCE_DIR}/cmake/devpickConfig.cmake.in
  ${PROJECT_BINARY_DIR}/devpickConfig.cmake INSTALL_DESTINATION ${devpick_cmake_dir})
# 0.x: a minor release may change the C++ API, so only the same minor version is compatible.
write_basic_package_version_file(${PROJECT_BINARY_DIR}/devpickConfigVersion.cmake
  COMPATIBILITY SameMinorVersion)
install(FILES ${PROJECT_BINARY_DIR}/devpickConfig.cmake ${PROJECT_BINARY_DIR}/devpickConfigVersion.cmake
        DESTINATION ${devpick_cmake_dir})

# pkg-config: "Requires.private"/"Libs.private" carry what `pkg-config --static` needs for
# libdevpick.a; the shared library needs nothing beyond -ldevpick.
# The prefix is found relative to the .pc file, so `cmake --install --prefix DIR` and a moved tree
# both work.
file(RELATIVE_PATH devpick_pc_to_prefix /prefix/${CMAKE_INSTALL_LIBDIR}/pkgconfig /prefix)
string(REGEX REPLACE "/$" "" devpick_pc_to_prefix "${devpick_pc_to_prefix}")
configure_file(${PROJECT_SOURCE_DIR}/cmake/devpick.pc.in ${PROJECT_BINARY_DIR}/devpick.pc @ONLY)
install(FILES ${PROJECT_BINARY_DIR}/devpick.pc DESTINATION ${CMAKE_INSTALL_LIBDIR}/pkgconfig)
