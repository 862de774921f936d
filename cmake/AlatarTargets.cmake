# One place for warning and sanitizer flags, applied per target (never globally).
function(alatar_target_defaults target)
  target_compile_options(${target} PRIVATE -Wall -Wextra -Wpedantic -Wshadow -Wnon-virtual-dtor
                                           -Wno-missing-field-initializers)
  if(ALATAR_WERROR)
    target_compile_options(${target} PRIVATE -Werror)
  endif()
  if(ALATAR_SANITIZE)
    string(REPLACE ";" "," _san "${ALATAR_SANITIZE}")
    target_compile_options(${target} PRIVATE -fsanitize=${_san} -fno-omit-frame-pointer -fno-sanitize-recover=all)
    target_link_options(${target} PRIVATE -fsanitize=${_san})
  endif()
endfunction()

# A static library for one area: alatar_<area>, alias alatar::<area>.
function(alatar_add_library area)
  cmake_parse_arguments(ARG "" "" "SOURCES;DEPS" ${ARGN})
  add_library(alatar_${area} STATIC ${ARG_SOURCES})
  add_library(alatar::${area} ALIAS alatar_${area})
  target_include_directories(alatar_${area} PUBLIC ${PROJECT_SOURCE_DIR}/src)
  target_link_libraries(alatar_${area} PUBLIC ${ARG_DEPS})
  alatar_target_defaults(alatar_${area})
  if(ALATAR_SANITIZE)
    string(REPLACE ";" "," _san "${ALATAR_SANITIZE}")
    target_link_options(alatar_${area} INTERFACE -fsanitize=${_san})
  endif()
endfunction()

# A GoogleTest executable registered with CTest. LABEL is unit or integration.
# Integration tests get the private services' URLs from the environment (see Makefile).
function(alatar_add_gtest name)
  cmake_parse_arguments(ARG "" "LABEL" "SOURCES;DEPS" ${ARGN})
  add_executable(${name} ${ARG_SOURCES})
  target_include_directories(${name} PRIVATE ${PROJECT_SOURCE_DIR}/src ${PROJECT_SOURCE_DIR}/tests)
  target_link_libraries(${name} PRIVATE ${ARG_DEPS} GTest::gtest GTest::gmock GTest::gtest_main)
  alatar_target_defaults(${name})
  if(NOT ARG_LABEL)
    set(ARG_LABEL unit)
  endif()
  gtest_discover_tests(${name} PROPERTIES LABELS ${ARG_LABEL} DISCOVERY_TIMEOUT 60
                       WORKING_DIRECTORY ${PROJECT_SOURCE_DIR})
endfunction()
