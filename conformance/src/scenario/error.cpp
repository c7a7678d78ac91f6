#include "aiospec/scenario/error.hpp"

#include <fmt/format.h>

namespace aiospec::scenario {

SyntaxError::SyntaxError(ErrorKind kind, std::string filename, std::uint32_t line,
                         std::uint32_t col, std::string message)
    : std::runtime_error(fmt::format("{}:{}:{}: {}", filename, line, col, message)),
      kind_(kind),
      filename_(std::move(filename)),
      line_(line),
      col_(col),
      message_(std::move(message)) {}

std::string_view SyntaxError::python_type() const noexcept {
  switch (kind_) {
    case ErrorKind::Indentation: return "IndentationError";
    case ErrorKind::Tab: return "TabError";
    default: return "SyntaxError";
  }
}

std::string unsupported_message(std::string_view construct) {
  return fmt::format("unsupported construct '{}' (not in the scenario language; see spec/language.md)",
                     construct);
}

}  // namespace aiospec::scenario
