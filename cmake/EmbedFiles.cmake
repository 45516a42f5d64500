# dsasim_embed_files(OUTPUT <file.cc> FUNCTION <name> FILES <key>=<path> ...)
#
# Generates a C++ source that defines
#   std::span<const dsasim::EmbeddedFile> <name>();
# holding each file's text, so presets ship inside the binary and
# `--system h100` works from any directory. The build regenerates the source
# when a file changes; nothing generated is committed.
function(dsasim_embed_files)
  cmake_parse_arguments(ARG "" "OUTPUT;FUNCTION" "FILES" ${ARGN})
  set(deps "")
  set(script "${CMAKE_CURRENT_BINARY_DIR}/${ARG_FUNCTION}_embed.cmake")
  set(body "set(out \"#include <span>\\n#include \\\"sim/embedded_file.h\\\"\\nnamespace {\\n\")\n")
  set(index 0)
  set(table "")
  foreach(entry IN LISTS ARG_FILES)
    string(REPLACE "=" ";" parts "${entry}")
    list(GET parts 0 key)
    list(GET parts 1 path)
    get_filename_component(path "${path}" ABSOLUTE)
    list(APPEND deps "${path}")
    string(APPEND body "file(READ \"${path}\" content)\n")
    string(APPEND body "string(APPEND out \"constexpr char kFile${index}[] = R\\\"dsasim_embed(\${content})dsasim_embed\\\";\\n\")\n")
    string(APPEND table "{\\\"${key}\\\", kFile${index}},")
    math(EXPR index "${index} + 1")
  endforeach()
  string(APPEND body "string(APPEND out \"constexpr dsasim::EmbeddedFile kFiles[] = {${table}};\\n}  // namespace\\n\")\n")
  string(APPEND body "string(APPEND out \"std::span<const dsasim::EmbeddedFile> ${ARG_FUNCTION}() { return kFiles; }\\n\")\n")
  string(APPEND body "file(WRITE \"${ARG_OUTPUT}\" \"\${out}\")\n")
  file(WRITE "${script}" "${body}")
  add_custom_command(
    OUTPUT "${ARG_OUTPUT}"
    COMMAND ${CMAKE_COMMAND} -P "${script}"
    DEPENDS ${deps} "${script}"
    COMMENT "Embedding ${ARG_FUNCTION}"
    VERBATIM)
endfunction()
