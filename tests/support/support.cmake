# alatar_test_support_llm: the scripted OpenAI-compatible server (Beast over alatar::asio). Included by the
# suites that use it (so a build restricted with ALATAR_ONLY_AREAS still has it) and by this directory.
if(TARGET alatar_test_support_llm)
  return()
endif()
add_library(alatar_test_support_llm STATIC ${CMAKE_CURRENT_LIST_DIR}/scripted_llm_server.cpp)
target_include_directories(alatar_test_support_llm PUBLIC ${PROJECT_SOURCE_DIR}/tests ${PROJECT_SOURCE_DIR}/src)
target_link_libraries(alatar_test_support_llm PUBLIC alatar::asio Boost::json Threads::Threads)
alatar_target_defaults(alatar_test_support_llm)
if(ALATAR_SANITIZE)
  string(REPLACE ";" "," _san "${ALATAR_SANITIZE}")
  target_link_options(alatar_test_support_llm INTERFACE -fsanitize=${_san})
endif()
