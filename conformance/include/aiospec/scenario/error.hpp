// Errors of the scenario-language front end.
#pragma once

#include <cstdint>
#include <stdexcept>
#include <string>
#include <string_view>

namespace aiospec::scenario {

enum class ErrorKind : std::uint8_t {
  Syntax,       // invalid Python
  Indentation,  // Python's IndentationError
  Tab,          // Python's TabError
  Unsupported,  // valid Python outside the scenario language
  // The front end's limits (spec/language.md, "Limits"), which CPython reports without a location:
  Memory,     // the parser's stack (MemoryError)
  Recursion,  // the compiler's depth (RecursionError: maximum recursion depth exceeded during compilation)
};

// A program that cannot be parsed. what() is "file:line:col: message" (line and column 1-based,
// the column counted in characters, as in Python's own SyntaxError.offset); for Memory and
// Recursion, the line CPython prints ("MemoryError", "RecursionError: ...").
class SyntaxError : public std::runtime_error {
 public:
  SyntaxError(ErrorKind kind, std::string filename, std::uint32_t line, std::uint32_t col,
              std::string message);

  ErrorKind kind() const noexcept { return kind_; }
  const std::string& filename() const noexcept { return filename_; }
  std::uint32_t line() const noexcept { return line_; }
  std::uint32_t col() const noexcept { return col_; }
  const std::string& message() const noexcept { return message_; }
  // The Python exception type CPython would raise: SyntaxError, IndentationError, TabError,
  // MemoryError or RecursionError.
  std::string_view python_type() const noexcept;

 private:
  ErrorKind kind_;
  std::string filename_;
  std::uint32_t line_;
  std::uint32_t col_;
  std::string message_;
};

// "unsupported construct 'X' (not in the scenario language; see spec/language.md)"
std::string unsupported_message(std::string_view construct);

}  // namespace aiospec::scenario
