# SPDX-License-Identifier: GPL-3.0-or-later
# `cmake --install` puts what a desktop needs where it looks: the binary, the .desktop entry and
# the icon. Run by ctest as: cmake -DBUILD_DIR=... -DPREFIX=... -P installcheck.cmake
file(REMOVE_RECURSE "${PREFIX}")
execute_process(COMMAND "${CMAKE_COMMAND}" --install "${BUILD_DIR}" --prefix "${PREFIX}"
    RESULT_VARIABLE rc OUTPUT_QUIET)
if(NOT rc EQUAL 0)
    message(FATAL_ERROR "cmake --install failed (${rc})")
endif()
foreach(path bin/shapescope share/applications/shapescope.desktop
        share/icons/hicolor/scalable/apps/shapescope.svg)
    if(NOT EXISTS "${PREFIX}/${path}")
        message(FATAL_ERROR "not installed: ${path}")
    endif()
endforeach()
file(STRINGS "${PREFIX}/share/applications/shapescope.desktop" icon REGEX "^Icon=")
if(NOT icon STREQUAL "Icon=shapescope")
    message(FATAL_ERROR "the .desktop entry names '${icon}', not the installed icon 'shapescope'")
endif()
execute_process(COMMAND "${PREFIX}/bin/shapescope" --help RESULT_VARIABLE rc OUTPUT_QUIET)
if(NOT rc EQUAL 0)
    message(FATAL_ERROR "the installed shapescope --help exited ${rc}")
endif()
