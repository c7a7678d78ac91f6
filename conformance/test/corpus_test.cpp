// The program corpora, run on the reference loop and compared with what CPython 3.11 printed (NAME.out,
// recorded and re-verified by tools/corpus-outputs); one test per program:
// - conformance/test/programs: asyncio programs written here as tutorials and answers write them;
// - conformance/test/tracebacks: programs whose raw stderr (their tracebacks) is compared byte for byte;
// - conformance/test/corpus: programs written by others, listed in corpus/manifest.json with their
//   source and licence. A program the interpreter does not yet run as CPython does carries a
//   "known_failure" reason there (explained in spec/language.md); its test checks that it still
//   fails, so that a fix has to update the manifest and the pass rate stays true.
#include <gtest/gtest.h>

#include <algorithm>
#include <cctype>
#include <iostream>
#include <set>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

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

std::vector<std::string> programs(const fs::path& dir = kCorpus) {
  std::vector<std::string> names;
  for (const auto& e : fs::directory_iterator(dir))
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

// Tracebacks byte for byte: each program of conformance/test/tracebacks runs on the reference loop
// and its raw stderr (what `aiospec exec` prints) is compared with what `python3 NAME.py` printed
// there (NAME.err, recorded by tools/corpus-outputs --update with <dir> for the program's directory
// and <stdlib> for CPython's Lib/: the program runs here under those names).
const fs::path kTracebacks = fs::path(AIOSPEC_SOURCE_DIR) / "conformance" / "test" / "tracebacks";

TEST(Tracebacks, HasPrograms) { EXPECT_GE(programs(kTracebacks).size(), 10u); }

class TracebackTest : public testing::TestWithParam<std::string> {};

TEST_P(TracebackTest, StderrMatchesCPython) {
  const auto& name = GetParam();
  const auto expected = kTracebacks / (name + ".err");
  ASSERT_TRUE(fs::exists(expected)) << expected << " is missing: run tools/corpus-outputs --update";
  aiospec::ExecOptions opts;
  opts.stdlib_dir = "<stdlib>";
  auto r = aiospec::run_program(slurp(kTracebacks / (name + ".py")), "<dir>/" + name + ".py", opts);
  EXPECT_EQ(r.stderr_text, slurp(expected)) << name << ".py";
}

INSTANTIATE_TEST_SUITE_P(Programs, TracebackTest, testing::ValuesIn(programs(kTracebacks)),
                         [](const testing::TestParamInfo<std::string>& info) { return info.param; });

// The normalised form keeps only the last line of an uncaught exception.
TEST(Tracebacks, NormalisedFormIsTheLastLine) {
  auto r = aiospec::run_program("def f():\n    return 1 / 0\nf()\n", "/p/x.py");
  EXPECT_EQ(r.normalized(), "[uncaught] ZeroDivisionError: division by zero\n");
  EXPECT_EQ(r.stderr_text,
            "Traceback (most recent call last):\n"
            "  File \"/p/x.py\", line 3, in <module>\n    f()\n"
            "  File \"/p/x.py\", line 2, in f\n    return 1 / 0\n           ~~^~~\n"
            "ZeroDivisionError: division by zero\n");
  EXPECT_EQ(r.exit_status, 1);
}


const fs::path kOthers = fs::path(AIOSPEC_SOURCE_DIR) / "conformance" / "test" / "corpus";

nlohmann::json manifest() { return nlohmann::json::parse(slurp(kOthers / "manifest.json")); }

// The files of the manifest's programs compared with CPython (those not marked "not_compared").
std::vector<std::string> compared() {
  std::vector<std::string> out;
  const auto m = manifest();
  for (const auto& p : m["programs"])
    if (!p.contains("not_compared")) out.push_back(p["file"]);
  return out;
}

TEST(OthersCorpus, ManifestListsEveryProgramWithItsSource) {
  const auto m = manifest();
  std::set<std::string> listed;
  std::size_t failing = 0, total = 0;
  for (const auto& p : m["programs"]) {
    const auto file = p["file"].get<std::string>();
    EXPECT_TRUE(listed.insert(file).second) << file << " is listed twice";
    EXPECT_TRUE(m["sources"].contains(p["source"].get<std::string>())) << file << ": unknown source";
    EXPECT_TRUE(p.contains("where")) << file << ": where in its source it comes from";
    const bool has_out = fs::exists((kOthers / file).replace_extension(".out"));
    if (p.contains("not_compared")) {
      EXPECT_FALSE(has_out) << file << " is not compared but has an expected output";
      EXPECT_FALSE(p.contains("known_failure")) << file;
    } else {
      EXPECT_TRUE(has_out) << file << ": run tools/corpus-outputs --update";
      ++total;
      failing += p.contains("known_failure");
    }
  }
  for (const auto& e : fs::recursive_directory_iterator(kOthers)) {
    if (e.path().extension() != ".py") continue;
    EXPECT_TRUE(listed.count(fs::relative(e.path(), kOthers).string())) << e.path() << " is not in manifest.json";
  }
  std::cout << "programs by others: " << total - failing << " of " << total << " print what CPython 3.11 prints ("
            << (total ? 100 * (total - failing) / total : 0) << "%); " << m["programs"].size() - total
            << " more are listed with no deterministic output\n";
}

class OthersCorpusTest : public testing::TestWithParam<std::string> {};

TEST_P(OthersCorpusTest, MatchesCPython) {
  nlohmann::json p;
  const auto m = manifest();
  for (const auto& e : m["programs"])
    if (e["file"] == GetParam()) p = e;
  const fs::path file = kOthers / GetParam();
  auto r = aiospec::run_program(slurp(file), file.filename().string());
  const auto expected = slurp(fs::path(file).replace_extension(".out"));
  if (p.contains("known_failure"))
    EXPECT_NE(r.normalized(), expected) << file << " now prints what CPython prints: remove its known_failure "
                                        << "from manifest.json (and from spec/language.md)";
  else
    EXPECT_EQ(r.normalized(), expected) << file;
}

std::string test_name(const testing::TestParamInfo<std::string>& info) {
  auto s = fs::path(info.param).replace_extension().string();
  for (char& c : s)
    if (!std::isalnum(static_cast<unsigned char>(c))) c = '_';
  return s;
}

INSTANTIATE_TEST_SUITE_P(ByOthers, OthersCorpusTest, testing::ValuesIn(compared()), test_name);

}  // namespace
