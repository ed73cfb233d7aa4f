# The version and commit `infra version` prints, baked in at configure time:
# PROJECT_VERSION from project(), the commit from `git rev-parse` (a tree
# without git says "unknown"; a tree with uncommitted changes adds "-dirty").
find_package(Git QUIET)
set(INFRA_GIT_COMMIT "unknown")
if(GIT_FOUND AND EXISTS ${CMAKE_SOURCE_DIR}/.git)
  execute_process(COMMAND ${GIT_EXECUTABLE} rev-parse --short=12 HEAD
    WORKING_DIRECTORY ${CMAKE_SOURCE_DIR} OUTPUT_VARIABLE commit OUTPUT_STRIP_TRAILING_WHITESPACE
    RESULT_VARIABLE rc ERROR_QUIET)
  if(rc EQUAL 0 AND commit)
    set(INFRA_GIT_COMMIT ${commit})
    execute_process(COMMAND ${GIT_EXECUTABLE} status --porcelain --untracked-files=no
      WORKING_DIRECTORY ${CMAKE_SOURCE_DIR} OUTPUT_VARIABLE dirty OUTPUT_STRIP_TRAILING_WHITESPACE ERROR_QUIET)
    if(dirty)
      string(APPEND INFRA_GIT_COMMIT "-dirty")
    endif()
  endif()
endif()
set(INFRA_GENERATED_DIR ${CMAKE_BINARY_DIR}/generated)
configure_file(${CMAKE_SOURCE_DIR}/packaging/infra_version.h.in ${INFRA_GENERATED_DIR}/infra_version.h @ONLY)
