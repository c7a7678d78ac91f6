// The program corpus (conformance/test/programs): asyncio programs written as tutorials and answers
// write them, run on the reference loop and compared with what CPython 3.11 printed (NAME.out, recorded
// and re-verified by tools/corpus-outputs). One test per program.
#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "aiospec/interpreter.hpp"

namespace {

namespace fs = std::filesystem;

const fs::path kCorpus = fs::path(AIOSPEC_SOURCE_DIR) / "conformance" / "test" / "programs";

std::string slurp(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

std::vector<std::string> programs() {
  std::vector<std::string> names;
  for (const auto& e : fs::directory_iterator(kCorpus))
    if (e.path().extension() == ".py") names.push_back(e.path().stem().string());
  std::sort(names.begin(), names.end());
  return names;
}

TEST(Corpus, HasPrograms) { EXPECT_GE(programs().size(), 25u); }

class CorpusTest : public testing::TestWithParam<std::string> {};

TEST_P(CorpusTest, MatchesCPython) {
  const auto& name = GetParam();
  const auto expected = kCorpus / (name + ".out");
  ASSERT_TRUE(fs::exists(expected)) << expected << " is missing: run tools/corpus-outputs --update";
  auto r = aiospec::run_program(slurp(kCorpus / (name + ".py")), name + ".py");
  EXPECT_EQ(r.normalized(), slurp(expected)) << name << ".py";
}

INSTANTIATE_TEST_SUITE_P(Programs, CorpusTest, testing::ValuesIn(programs()),
                         [](const testing::TestParamInfo<std::string>& info) { return info.param; });

}  // namespace
