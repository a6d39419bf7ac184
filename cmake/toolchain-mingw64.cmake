# SPDX-License-Identifier: MIT
# Cross-build mmbench for 64-bit Windows with mingw-w64 and run its tests
# under wine:
#   cmake -S . -B build/win -DCMAKE_TOOLCHAIN_FILE=cmake/toolchain-mingw64.cmake
#   cmake --build build/win && ctest --test-dir build/win
# scripts/test-windows.sh does all of this and prepares a clean WINEPREFIX.
set(CMAKE_SYSTEM_NAME Windows)
set(CMAKE_SYSTEM_PROCESSOR x86_64)

set(MMB_MINGW_TRIPLE x86_64-w64-mingw32)
set(CMAKE_C_COMPILER ${MMB_MINGW_TRIPLE}-gcc)
set(CMAKE_CXX_COMPILER ${MMB_MINGW_TRIPLE}-g++)
set(CMAKE_RC_COMPILER ${MMB_MINGW_TRIPLE}-windres)

# Only the mingw sysroot: never pick up the build machine's libraries
# (liburing, libpfm, jsmn) or its pkg-config files.
set(CMAKE_FIND_ROOT_PATH /usr/${MMB_MINGW_TRIPLE})
set(CMAKE_FIND_ROOT_PATH_MODE_PROGRAM NEVER)
set(CMAKE_FIND_ROOT_PATH_MODE_LIBRARY ONLY)
set(CMAKE_FIND_ROOT_PATH_MODE_INCLUDE ONLY)
set(CMAKE_FIND_ROOT_PATH_MODE_PACKAGE ONLY)
set(ENV{PKG_CONFIG_LIBDIR} "")
set(ENV{PKG_CONFIG_PATH} "")

# mingw's own C99 printf family instead of msvcrt's: %zu and %lld work,
# and numbers print as on Linux (msvcrt writes 1e-005 for 1e-05), so
# compare, baseline and report write the same bytes on both platforms.
set(CMAKE_C_FLAGS_INIT "-D__USE_MINGW_ANSI_STDIO=1")

# Static libgcc and winpthread so the .exe files need no DLL next to them.
set(CMAKE_EXE_LINKER_FLAGS_INIT "-static -static-libgcc")

# CTest runs every test executable through cmake/wine-run.sh, which starts
# wine with a private WINEPREFIX under the build dir (unless WINEPREFIX is
# set) and WINEDEBUG=-all, and exits 77 (skip) with the reason when wine is
# missing or cannot start.
set(CMAKE_CROSSCOMPILING_EMULATOR
    /bin/sh ${CMAKE_CURRENT_LIST_DIR}/wine-run.sh ${CMAKE_BINARY_DIR}/wineprefix)
