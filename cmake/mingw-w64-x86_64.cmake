# Cross-building devpick for 64-bit Windows on Debian with MinGW-w64 (issue 14; `make windows`).
#
# The -posix compilers: GCC 12's win32 thread model has no std::thread or std::mutex. Everything is
# linked statically, so devpick.exe and devpick-probe.exe need no MinGW runtime DLLs beside them.
# Tests run under Wine (CMAKE_CROSSCOMPILING_EMULATOR); `make test-windows` starts Wine first.
set(CMAKE_SYSTEM_NAME Windows)
set(CMAKE_SYSTEM_PROCESSOR x86_64)

set(DEVPICK_MINGW_PREFIX x86_64-w64-mingw32)
set(CMAKE_C_COMPILER ${DEVPICK_MINGW_PREFIX}-gcc-posix)
set(CMAKE_CXX_COMPILER ${DEVPICK_MINGW_PREFIX}-g++-posix)
set(CMAKE_RC_COMPILER ${DEVPICK_MINGW_PREFIX}-windres)

# Libraries and headers for the target come from the MinGW sysroot only; programs from the host.
set(CMAKE_FIND_ROOT_PATH /usr/${DEVPICK_MINGW_PREFIX})
set(CMAKE_FIND_ROOT_PATH_MODE_PROGRAM NEVER)
set(CMAKE_FIND_ROOT_PATH_MODE_LIBRARY ONLY)
set(CMAKE_FIND_ROOT_PATH_MODE_INCLUDE ONLY)
set(CMAKE_FIND_ROOT_PATH_MODE_PACKAGE ONLY)

set(CMAKE_EXE_LINKER_FLAGS_INIT "-static")
set(CMAKE_SHARED_LINKER_FLAGS_INIT "-static")

# Debian's wine64 package installs the loader here, not on PATH.
find_program(DEVPICK_WINE NAMES wine64 wine PATHS /usr/lib/wine NO_CMAKE_FIND_ROOT_PATH)
if(DEVPICK_WINE)
  set(CMAKE_CROSSCOMPILING_EMULATOR ${DEVPICK_WINE})
endif()
