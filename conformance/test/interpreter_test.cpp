// The interpreter: values, control flow, exceptions, the asyncio bindings, and every spec example.
#include <gtest/gtest.h>

#include <algorithm>
#include <chrono>
#include <cstdlib>
#include <filesystem>

#include "aiospec/interpreter.hpp"
#include "aiospec/judge.hpp"
#include "aiospec/spec.hpp"

namespace {

std::string run(const std::string& src) { return aiospec::run_program(src, "example.py").normalized(); }

// Every example of every spec chapter that applies to Python 3.11, one test per example id.
// AIOSPEC_SPEC_DIR names another repository root whose spec/ to read.
std::vector<aiospec::Case> spec_examples() {
  const char* env = std::getenv("AIOSPEC_SPEC_DIR");
  const auto spec = aiospec::read_spec(env ? env : AIOSPEC_SOURCE_DIR);
  std::vector<aiospec::Case> out;
  for (auto& c : spec.cases)
    if (c.python.contains(3, 11)) out.push_back(c);
  return out;
}

TEST(SpecExamples, TheSpecIsReadAndWellFormed) {
  const char* env = std::getenv("AIOSPEC_SPEC_DIR");
  const auto spec = aiospec::read_spec(env ? env : AIOSPEC_SOURCE_DIR);
  EXPECT_GE(spec.clauses, 120u);
  EXPECT_GE(spec_examples().size(), 120u);
  for (auto& e : spec.errors) ADD_FAILURE() << e.str();
}

class SpecExampleTest : public testing::TestWithParam<aiospec::Case> {};

TEST_P(SpecExampleTest, MatchesCPython) {
  const auto& c = GetParam();
  auto j = aiospec::judge(c, aiospec::run_program(c.program, "example.py").normalized());
  EXPECT_TRUE(j.pass) << c.file << ":" << c.line << ": " << c.id << "\n" << j.diff;
}

INSTANTIATE_TEST_SUITE_P(Spec, SpecExampleTest, testing::ValuesIn(spec_examples()),
                         [](const testing::TestParamInfo<aiospec::Case>& info) {
                           std::string n = info.param.id;
                           std::replace(n.begin(), n.end(), '.', '_');
                           return n;
                         });

}  // namespace
