#include "aiospec/scenario/error.hpp"

#include <fmt/format.h>

namespace aiospec::scenario {

namespace {
std::string located(ErrorKind kind, const std::string& filename, std::uint32_t line, std::uint32_t col, const std::string& message) {
  if (kind == ErrorKind::Memory) return "MemoryError";
  if (kind == ErrorKind::Recursion) return "RecursionError: " + message;
  return fmt::format("{}:{}:{}: {}", filename, line, col, message);
}
}  // namespace

SyntaxError::SyntaxError(ErrorKind kind, std::string filename, std::uint32_t line,
                         std::uint32_t col, std::string message)
    : std::runtime_error(located(kind, filename, line, col, message)),
      kind_(kind),
      filename_(std::move(filename)),
      line_(line),
      col_(col),
      message_(std::move(message)) {}

std::string_view SyntaxError::python_type() const noexcept {
  switch (kind_) {
    case ErrorKind::Indentation: return "IndentationError";
    case ErrorKind::Tab: return "TabError";
    case ErrorKind::Memory: return "MemoryError";
    case ErrorKind::Recursion: return "RecursionError";
    default: return "SyntaxError";
  }
}

std::string unsupported_message(std::string_view construct) {
  return fmt::format("unsupported construct '{}' (not in the scenario language; see spec/language.md)",
                     construct);
}

}  // namespace aiospec::scenario
