# Writes OUTPUT, a C++ source holding the bytes of INPUT as a char array (the built-in model).
file(READ ${INPUT} _hex HEX)
string(LENGTH "${_hex}" _len)
math(EXPR _bytes "${_len} / 2")
string(REGEX REPLACE "([0-9a-f][0-9a-f])" "0x\\1," _array "${_hex}")
string(REGEX REPLACE "((0x[0-9a-f][0-9a-f],){24})" "\\1\n" _array "${_array}")
file(WRITE ${OUTPUT}
  "// Generated from data/model/gait2392_walk.json by src/model/embed.cmake. Do not edit.\n"
  "#include <cstddef>\n"
  "namespace hipcoach::model::detail {\n"
  "extern const unsigned char kBuiltinModelData[];\n"
  "extern const std::size_t kBuiltinModelSize;\n"
  "const unsigned char kBuiltinModelData[] = {\n${_array}\n0x00};\n"
  "const std::size_t kBuiltinModelSize = ${_bytes};\n"
  "}  // namespace hipcoach::model::detail\n")
