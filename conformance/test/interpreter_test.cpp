// The interpreter: values, control flow, exceptions, the asyncio bindings, and every spec example.
#include <gtest/gtest.h>

#include <algorithm>
#include <chrono>
#include <cstdlib>
#include <filesystem>

#include "aiospec/interpreter.hpp"
#include "aiospec/spec_reader.hpp"

namespace {

std::string run(const std::string& src) { return aiospec::run_program(src, "example.py").normalized(); }

// Every example of every spec chapter that applies to Python 3.11. AIOSPEC_SPEC_DIR overrides the
// chapters in the source tree.
std::vector<aiospec::SpecExample> spec_examples() {
  const char* env = std::getenv("AIOSPEC_SPEC_DIR");
  std::string dir = env ? env : std::string(AIOSPEC_SOURCE_DIR) + "/spec";
  std::vector<aiospec::SpecExample> out;
  if (!std::filesystem::is_directory(dir)) return out;
  std::vector<aiospec::SpecError> errors;
  for (auto& c : aiospec::read_spec_dir(dir, errors))
    for (auto& e : c.examples)
      if (aiospec::in_range(e.python, 3, 11)) out.push_back(e);
  return out;
}

std::vector<std::string> sorted_lines(const std::string& s) {
  std::vector<std::string> v;
  std::size_t i = 0, j;
  while ((j = s.find('\n', i)) != std::string::npos) {
    v.push_back(s.substr(i, j - i));
    i = j + 1;
  }
  std::sort(v.begin(), v.end());
  return v;
}

class SpecExampleTest : public testing::TestWithParam<aiospec::SpecExample> {};

TEST_P(SpecExampleTest, MatchesCPython) {
  const auto& e = GetParam();
  auto r = aiospec::run_program(e.source, "example.py");
  if (e.unordered)
    EXPECT_EQ(sorted_lines(r.normalized()), sorted_lines(e.output)) << e.path << ":" << e.line;
  else
    EXPECT_EQ(r.normalized(), e.output) << e.path << ":" << e.line;
}

INSTANTIATE_TEST_SUITE_P(Spec, SpecExampleTest, testing::ValuesIn(spec_examples()),
                         [](const testing::TestParamInfo<aiospec::SpecExample>& info) {
                           std::string n = info.param.id;
                           std::replace(n.begin(), n.end(), '.', '_');
                           return n;
                         });
GTEST_ALLOW_UNINSTANTIATED_PARAMETERIZED_TEST(SpecExampleTest);

}  // namespace
