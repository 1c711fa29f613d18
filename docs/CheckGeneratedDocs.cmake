# Fails when a committed generated doc differs from what TableGen produces.
foreach(file ${FILES})
  execute_process(
    COMMAND ${CMAKE_COMMAND} -E compare_files
      ${GENERATED_DIR}/${file} ${COMMITTED_DIR}/${file}
    RESULT_VARIABLE different)
  if(different)
    message(FATAL_ERROR
      "docs/generated/${file} is stale or missing: run scripts/update-docs.sh "
      "and commit the result")
  endif()
endforeach()
message(STATUS "generated docs are up to date")
