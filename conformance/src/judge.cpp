#include "aiospec/judge.hpp"

#include <algorithm>
#include <vector>

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

Judgement judge(const Case& c, const std::string& observed) {
  Judgement j;
  if (c.unordered) {
    auto a = lines_of(c.expected), b = lines_of(observed);
    std::sort(a.begin(), a.end());
    std::sort(b.begin(), b.end());
    j.pass = a == b;
  } else {
    j.pass = c.expected == observed;
  }
  if (!j.pass) j.diff = line_diff(c.expected, observed);
  return j;
}

}  // namespace aiospec
