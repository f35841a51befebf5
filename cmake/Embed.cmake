# hipcoach_embed(<output.cpp> <function name> <base dir> <files...>)
# Generates, at build time, a C++ file defining
#   const std::vector<hipcoach::EmbeddedFile>& <function name>();
# that returns every file's path (relative to <base dir>) and contents. The build re-runs when any
# of the files changes, so the binary always carries the knowledge it was built from.
set(HIPCOACH_EMBED_SCRIPT ${CMAKE_CURRENT_LIST_DIR}/EmbedScript.cmake)

function(hipcoach_embed output function base)
  set(files ${ARGN})
  string(REPLACE ";" "|" joined "${files}")
  add_custom_command(
    OUTPUT ${output}
    COMMAND ${CMAKE_COMMAND} -DOUTPUT=${output} -DFUNCTION=${function} -DBASE=${base}
            "-DFILES=${joined}" -P ${HIPCOACH_EMBED_SCRIPT}
    DEPENDS ${files} ${HIPCOACH_EMBED_SCRIPT}
    COMMENT "Embedding ${function}"
    VERBATIM)
endfunction()
