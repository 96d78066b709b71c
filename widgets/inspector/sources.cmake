# The sample inspector: one sample's logits, probabilities and loss maps, and the highest-loss
# list. Included from widgets/plots/CMakeLists.txt.
target_sources(shapescope_widgets PRIVATE
    ${CMAKE_CURRENT_LIST_DIR}/highestlossmodel.h ${CMAKE_CURRENT_LIST_DIR}/highestlossmodel.cpp
    ${CMAKE_CURRENT_LIST_DIR}/sampledetailloader.h ${CMAKE_CURRENT_LIST_DIR}/sampledetailloader.cpp
    ${CMAKE_CURRENT_LIST_DIR}/sampleinspector.h ${CMAKE_CURRENT_LIST_DIR}/sampleinspector.cpp)
