# Writes a text file into a C++ header as a NUL-terminated char array, at build time:
#
#   cmake -DINPUT=<text file> -DOUTPUT=<header> -DNAME=<kArrayName> -P EmbedText.cmake
#
# The array is devpick::embedded::<NAME>. Bytes are written in hex, so no character of the text
# (quotes, backslashes, a ")PTX" in a raw string) needs escaping.
foreach(variable INPUT OUTPUT NAME)
  if(NOT DEFINED ${variable})
    message(FATAL_ERROR "EmbedText.cmake: -D${variable}=... is required")
  endif()
endforeach()

file(READ "${INPUT}" hex HEX)
# Twelve bytes (24 hex digits) per line.
string(LENGTH "${hex}" hex_length)
set(bytes "")
set(offset 0)
while(offset LESS hex_length)
  string(SUBSTRING "${hex}" ${offset} 24 chunk)
  string(REGEX REPLACE "([0-9a-f][0-9a-f])" "0x\\1, " chunk "${chunk}")
  string(STRIP "${chunk}" chunk)
  string(APPEND bytes "    ${chunk}\n")
  math(EXPR offset "${offset} + 24")
endwhile()
get_filename_component(input_name "${INPUT}" NAME)
file(WRITE "${OUTPUT}"
  "// Generated from ${input_name} by cmake/EmbedText.cmake at build time; do not edit.\n"
  "#pragma once\n"
  "\n"
  "namespace devpick::embedded {\n"
  "\n"
  "// The text of ${input_name}, NUL-terminated.\n"
  "inline constexpr char ${NAME}[] = {\n"
  "${bytes}"
  "    0x00};\n"
  "\n"
  "}  // namespace devpick::embedded\n")
