// Printer: a syntax tree back to Python source.
#pragma once

#include <string>

#include "aiospec/scenario/ast.hpp"

namespace aiospec::scenario {

// Normalised Python source (4-space indentation, minimal parentheses) such that
// parse(print(m)) is structurally_equal to m.
std::string print(const Module& module);
std::string print(const Expr& expr);
// repr() of a literal's value (a number, string, bytes, None, True or False, possibly negated).
std::string literal_repr(const Expr& literal);

}  // namespace aiospec::scenario
