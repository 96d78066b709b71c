# The values view: any tensor's values as a table of 2-D slices, read lazily in pages through
# the Session. Included from widgets/plots/CMakeLists.txt.
target_sources(shapescope_widgets PRIVATE
    ${CMAKE_CURRENT_LIST_DIR}/tensorvaluesmodel.h ${CMAKE_CURRENT_LIST_DIR}/tensorvaluesmodel.cpp
    ${CMAKE_CURRENT_LIST_DIR}/tensorvaluesview.h ${CMAKE_CURRENT_LIST_DIR}/tensorvaluesview.cpp
    ${CMAKE_CURRENT_LIST_DIR}/valueformat.h ${CMAKE_CURRENT_LIST_DIR}/valueformat.cpp)
