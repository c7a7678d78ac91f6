#pragma once
// Judging one observed output against a case's expected output.
#include <string>

#include "aiospec/spec.hpp"

namespace aiospec {

struct Judgement {
  bool pass = false;
  std::string diff;  // a line diff (-expected +observed) when it does not pass
};

/// Exact comparison, or multiset-of-lines comparison for `output unordered` blocks (unspecified
/// clauses, where any order CPython allows is correct).
Judgement judge(const Case& c, const std::string& observed);

/// A unified-style line diff of two texts (LCS), `-` for lines only in `a`, `+` for lines only in `b`.
std::string line_diff(const std::string& a, const std::string& b);

}  // namespace aiospec
