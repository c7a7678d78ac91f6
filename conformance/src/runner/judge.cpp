#include "aiospec/judge.hpp"

#include <algorithm>
#include <cctype>
#include <cmath>
#include <vector>

#include <fmt/format.h>

namespace aiospec {

namespace {

std::vector<std::string> lines_of(const std::string& s) {
  std::vector<std::string> out;
  std::size_t start = 0;
  while (start < s.size()) {
    auto nl = s.find('\n', start);
    if (nl == std::string::npos) nl = s.size();
    out.push_back(s.substr(start, nl - start));
    start = nl + 1;
  }
  return out;
}

struct Decimal {
  double value;
  double half_unit;  // half of the last printed digit's unit: the rounding a printed value may hide
};

bool word_char(char ch) { return std::isalnum(static_cast<unsigned char>(ch)) || ch == '_' || ch == '.'; }

/// `line` with every stand-alone decimal number (`-0.05`, `1.0`; not `3.11.2`, `x1.5`, `0x1f`) replaced
/// by `#`, and the numbers.
std::string mask_decimals(const std::string& line, std::vector<Decimal>& numbers) {
  std::string out;
  std::size_t i = 0;
  while (i < line.size()) {
    std::size_t j = i;
    if (line[j] == '-') ++j;
    const std::size_t digits = j;
    while (j < line.size() && std::isdigit(static_cast<unsigned char>(line[j]))) ++j;
    const bool starts_clean = i == 0 || !word_char(line[i - 1]);
    if (starts_clean && j > digits && j + 1 < line.size() && line[j] == '.' &&
        std::isdigit(static_cast<unsigned char>(line[j + 1]))) {
      std::size_t k = j + 1;
      while (k < line.size() && std::isdigit(static_cast<unsigned char>(line[k]))) ++k;
      if (k == line.size() || !word_char(line[k])) {
        const std::string text = line.substr(i, k - i);
        numbers.push_back({std::stod(text), 0.5 * std::pow(10.0, -static_cast<double>(k - j - 1))});
        out += '#';
        i = k;
        continue;
      }
    }
    out += line[i++];
  }
  return out;
}

/// Whether an observed line is the expected one up to timing values within the tolerance.
bool same_up_to_numbers(const std::string& expected, const std::string& observed, double tolerance, bool& used) {
  if (expected == observed) return true;
  if (tolerance <= 0) return false;
  std::vector<Decimal> a, b;
  if (mask_decimals(expected, a) != mask_decimals(observed, b) || a.size() != b.size()) return false;
  for (std::size_t k = 0; k < a.size(); ++k)
    if (std::abs(a[k].value - b[k].value) > tolerance + a[k].half_unit + b[k].half_unit) return false;
  used = true;
  return true;
}

/// Matches each observed line, in order, to the earliest unmatched expected line it equals (up to numbers)
/// that may move ahead of every unmatched expected line before it.
Judgement tolerant(const std::vector<std::string>& exp, const std::vector<std::string>& obs, const Tolerance& tol) {
  Judgement j;
  if (exp.size() != obs.size()) return j;
  const auto& t = tol.expected_times;
  auto may_pass = [&](std::size_t later, std::size_t earlier) {
    if (later >= t.size() || earlier >= t.size() || !t[later] || !t[earlier]) return false;
    const double gap = std::abs(*t[later] - *t[earlier]);
    return gap >= kSameInstant && gap <= tol.seconds;
  };
  std::vector<bool> matched(exp.size(), false);
  std::size_t moved = 0;
  bool numbers = false;
  for (const auto& line : obs) {
    std::optional<std::size_t> pick;
    for (std::size_t i = 0; i < exp.size() && !pick; ++i) {
      if (matched[i]) continue;
      bool used = false;
      if (!same_up_to_numbers(exp[i], line, tol.seconds, used)) continue;
      bool free = true;
      for (std::size_t h = 0; h < i && free; ++h) free = matched[h] || may_pass(i, h);
      if (!free) continue;
      pick = i;
      numbers = numbers || used;
    }
    if (!pick) return j;
    for (std::size_t h = 0; h < *pick; ++h) moved += !matched[h];
    matched[*pick] = true;
  }
  j.pass = true;
  const long ms = std::lround(tol.seconds * 1000);
  if (moved) j.tolerated = fmt::format("lines printed less than {} ms apart came in another order", ms);
  if (numbers)
    j.tolerated += fmt::format("{}timing values differ by at most {} ms", j.tolerated.empty() ? "" : "; ", ms);
  return j;
}

}  // namespace

std::string line_diff(const std::string& a, const std::string& b) {
  auto x = lines_of(a), y = lines_of(b);
  const std::size_t n = x.size(), m = y.size();
  std::vector<std::vector<int>> lcs(n + 1, std::vector<int>(m + 1, 0));
  for (std::size_t i = n; i-- > 0;)
    for (std::size_t j = m; j-- > 0;)
      lcs[i][j] = x[i] == y[j] ? lcs[i + 1][j + 1] + 1 : std::max(lcs[i + 1][j], lcs[i][j + 1]);
  std::string out;
  std::size_t i = 0, j = 0;
  while (i < n || j < m) {
    if (i < n && j < m && x[i] == y[j]) {
      out += "  " + x[i++] + "\n";
      ++j;
    } else if (j < m && (i == n || lcs[i][j + 1] >= lcs[i + 1][j])) {
      out += "+ " + y[j++] + "\n";
    } else {
      out += "- " + x[i++] + "\n";
    }
  }
  return out;
}

Judgement judge(const Case& c, const std::string& observed, const Tolerance& tolerance) {
  Judgement j;
  if (c.unordered) {
    auto a = lines_of(c.expected), b = lines_of(observed);
    std::sort(a.begin(), a.end());
    std::sort(b.begin(), b.end());
    j.pass = a == b;
  } else {
    j.pass = c.expected == observed;
    if (!j.pass && tolerance.seconds > 0) j = tolerant(lines_of(c.expected), lines_of(observed), tolerance);
  }
  if (!j.pass) j.diff = line_diff(c.expected, observed);
  return j;
}

}  // namespace aiospec
