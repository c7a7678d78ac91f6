#pragma once
// Judging one observed output against a case's expected output (conformance/README.md, "Judging").
#include <optional>
#include <string>
#include <vector>

#include "aiospec/spec.hpp"

namespace aiospec {

struct Judgement {
  bool pass = false;
  std::string diff;       // a line diff (-expected +observed) when it does not pass
  std::string tolerated;  // what a real-time pass needed the tolerance for; empty for an exact match
};

/// How a real-time run is judged. With a zero tolerance (virtual time) the output must match exactly.
struct Tolerance {
  double seconds = 0;
  /// The loop time at which each expected line is printed, from a virtual-time run of the case on CPython
  /// (null outside a running loop). Empty when unknown: then no line may move.
  std::vector<std::optional<double>> expected_times;
};

/// Two expected lines printed at loop times closer than this were printed at the same instant of the
/// virtual clock (which advances 1 ns per read): their order is a scheduling guarantee, never tolerated.
inline constexpr double kSameInstant = 50e-6;

/// Exact comparison, or multiset-of-lines comparison for `output unordered` blocks (unspecified clauses,
/// where any order CPython allows is correct). With a tolerance, an ordered output also passes when it
/// differs from the expected one only by
///   - decimal numbers (timing values a program printed, such as `0.05`) within the tolerance plus half a
///     unit of their last printed digit each, and
///   - the order of lines whose expected times are distinct instants at most the tolerance apart.
Judgement judge(const Case& c, const std::string& observed, const Tolerance& tolerance = {});

/// A unified-style line diff of two texts (LCS), `-` for lines only in `a`, `+` for lines only in `b`.
std::string line_diff(const std::string& a, const std::string& b);

}  // namespace aiospec
