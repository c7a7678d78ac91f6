// The spec reader: clauses and examples, Python ranges, unordered blocks, and every format error at file:line.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

#include "aiospec/spec.hpp"

namespace aiospec {
namespace {

const std::string kFence = "```";

std::string example(const std::string& id, const std::string& out, const std::string& attrs = "",
                    const std::string& out_info = "output") {
  return kFence + "python example=" + id + attrs + "\nprint('x')\n" + kFence + "\n\n" + kFence + out_info + "\n" + out +
         kFence + "\n";
}

Spec read(const std::string& text) {
  Spec s;
  read_chapter(text, "spec/t.md", s);
  return s;
}

std::vector<std::string> errors(const Spec& s) {
  std::vector<std::string> out;
  for (auto& e : s.errors) out.push_back(e.str());
  return out;
}

TEST(SpecReader, ReadsClausesAndExamples) {
  const Spec s = read("# T\n\n## a.first — the first\n\nLevel: must\n\nProse.\n\n" + example("a.first.1", "x\n") +
                      "\n" + example("a.first.2", "y\nz\n") + "\n## a.second — the second\n\nLevel: cpython · Python: >=3.11\n\n" +
                      example("a.second.1", "w\n", " python=<3.13"));
  ASSERT_TRUE(s.errors.empty()) << errors(s)[0];
  EXPECT_EQ(s.clauses, 2u);
  ASSERT_EQ(s.cases.size(), 3u);
  EXPECT_EQ(s.cases[0].id, "a.first.1");
  EXPECT_EQ(s.cases[0].clause, "a.first");
  EXPECT_EQ(s.cases[0].title, "the first");
  EXPECT_EQ(s.cases[0].level, Level::must);
  EXPECT_EQ(s.cases[0].file, "spec/t.md");
  EXPECT_EQ(s.cases[0].line, 9);
  EXPECT_EQ(s.cases[0].program, "print('x')\n");
  EXPECT_EQ(s.cases[1].expected, "y\nz\n");
  EXPECT_EQ(s.cases[2].level, Level::cpython);
  // The clause's terms and the example's own both hold.
  EXPECT_EQ(s.cases[2].python.str(), ">=3.11,<3.13");
  EXPECT_TRUE(s.cases[2].python.contains("3.12.1"));
  EXPECT_FALSE(s.cases[2].python.contains("3.13.0"));
  EXPECT_FALSE(s.cases[2].python.contains("3.10.13"));
}

TEST(SpecReader, UnorderedOutputOnlyForUnspecifiedClauses) {
  const Spec ok = read("## a.free — free\n\nLevel: unspecified\n\n" + example("a.free.1", "b\na\n", "", "output unordered"));
  ASSERT_TRUE(ok.errors.empty());
  EXPECT_TRUE(ok.cases[0].unordered);
  const Spec bad = read("## a.strict — strict\n\nLevel: must\n\n" + example("a.strict.1", "b\na\n", "", "output unordered"));
  EXPECT_EQ(errors(bad), std::vector<std::string>{"spec/t.md:9: 'output unordered' is only for unspecified clauses"});
}

TEST(SpecReader, VersionRanges) {
  auto r = VersionRange::parse(">=3.9, <3.12");
  ASSERT_TRUE(r);
  EXPECT_TRUE(r->contains(3, 9));
  EXPECT_TRUE(r->contains("3.11.7"));
  EXPECT_FALSE(r->contains(3, 12));
  EXPECT_FALSE(r->contains(3, 8));
  EXPECT_TRUE(VersionRange::parse("==3.11")->contains("3.11.2"));
  EXPECT_FALSE(VersionRange::parse("!=3.11")->contains("3.11.2"));
  EXPECT_TRUE(VersionRange::parse(">3.10")->contains("3.11"));
  EXPECT_FALSE(VersionRange::parse("<=3.10")->contains("3.11"));
  EXPECT_FALSE(VersionRange::parse("3.11"));
  EXPECT_FALSE(VersionRange::parse(">=3"));
  EXPECT_FALSE(VersionRange::parse(">=3.11,"));
  EXPECT_EQ(VersionRange{}.str(), "any");
  EXPECT_FALSE(VersionRange{}.contains("garbage"));
}

struct BadSpec {
  std::string text;
  std::string error;
};

class SpecFormatError : public testing::TestWithParam<BadSpec> {};

// The first error is the one at fault; some cascade (an example rejected leaves its output block orphaned).
TEST_P(SpecFormatError, IsReportedAtItsLine) {
  const auto e = errors(read(GetParam().text));
  ASSERT_FALSE(e.empty());
  EXPECT_EQ(e[0], GetParam().error);
}

const std::string kHead = "## a.b — title\n\nLevel: must\n\n";  // the example's fence is line 5

INSTANTIATE_TEST_SUITE_P(
    EveryError, SpecFormatError,
    testing::Values(
        BadSpec{"## a.b — title\n\nProse.\n\n" + example("a.b.1", "x\n"),
                "spec/t.md:1: clause a.b: missing 'Level: …' line after the heading"},
        BadSpec{"## a.b — title\n\nLevel: sometimes\n\n" + example("a.b.1", "x\n"),
                "spec/t.md:3: clause a.b: unknown level 'sometimes' (must, cpython, unspecified)"},
        BadSpec{"## a.b — title\n\nLevel: must · Python: 3.11+\n\n" + example("a.b.1", "x\n"),
                "spec/t.md:3: clause a.b: malformed Python specifier '3.11+'"},
        BadSpec{"## A.B — title\n\nLevel: must\n", "spec/t.md:1: malformed clause id 'A.B' (lowercase area.name, [a-z0-9_])"},
        BadSpec{"Intro.\n\n" + example("a.b.1", "x\n"), "spec/t.md:3: example a.b.1 is outside any clause"},
        BadSpec{kHead + example("a.c.1", "x\n"), "spec/t.md:5: example id 'a.c.1' must be 'a.b.<n>'"},
        BadSpec{kHead + example("a.b.x", "x\n"), "spec/t.md:5: example id 'a.b.x' must be 'a.b.<n>'"},
        BadSpec{kHead + example("a.b.1", "x\n", " python=3.11"), "spec/t.md:5: malformed Python specifier '3.11'"},
        BadSpec{kHead + example("a.b.1", "x\n", " flaky"), "spec/t.md:5: unknown attribute 'flaky' on an example"},
        BadSpec{kHead + example("a.b.1", "x\n", "", "output sorted"), "spec/t.md:9: unknown output block info string 'output sorted'"},
        BadSpec{kHead + kFence + "python example=a.b.1\npass\n" + kFence + "\n\nProse instead of output.\n",
                "spec/t.md:5: example a.b.1 has no output block"},
        BadSpec{kHead + kFence + "python example=a.b.1\npass\n" + kFence + "\n",
                "spec/t.md:5: example a.b.1 has no output block"},
        BadSpec{kHead + kFence + "output\nx\n" + kFence + "\n", "spec/t.md:5: output block without an example before it"},
        BadSpec{kHead + "Only prose.\n", "spec/t.md:1: clause a.b has no example"}));

TEST(SpecReader, DuplicateIdsAcrossChaptersAreReportedWithTheFirst) {
  const auto root = std::filesystem::temp_directory_path() / ("aiospec-spec-" + std::to_string(::getpid()));
  std::filesystem::create_directories(root / "spec");
  std::ofstream(root / "spec/a.md") << kHead << example("a.b.1", "x\n");
  std::ofstream(root / "spec/b.md") << "# B\n\n" << kHead << example("a.b.1", "y\n");
  std::ofstream(root / "spec/notes.txt") << "not a chapter";
  const Spec s = read_spec(root);
  std::filesystem::remove_all(root);
  ASSERT_EQ(s.cases.size(), 2u);
  EXPECT_EQ(errors(s), std::vector<std::string>{"spec/b.md:7: duplicate example id a.b.1 (first at spec/a.md:5)"});
}

TEST(SpecReader, TheRepositorySpecIsWellFormed) {
  const Spec s = read_spec(AIOSPEC_SOURCE_DIR);
  EXPECT_TRUE(s.errors.empty()) << errors(s)[0];
  EXPECT_GT(s.cases.size(), 100u);
}

}  // namespace
}  // namespace aiospec
