// Reports: JUnit XML is well-formed (checked by Python's XML parser), the JSON-lines header and cases, the
// Markdown summary, and the rewrite of an expectations file.
#include <gtest/gtest.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>

#include <nlohmann/json.hpp>

#include "aiospec/report.hpp"

namespace aiospec {
namespace {

struct Fixture {
  std::vector<Case> cases;
  RunSummary summary;
};

Fixture make() {
  Fixture f;
  for (auto [id, level] : {std::pair{"a.one.1", Level::must}, {"a.two.1", Level::cpython}, {"a.three.1", Level::cpython},
                           {"a.four.1", Level::must}, {"a.five.1", Level::cpython}}) {
    Case c;
    c.id = id;
    c.clause = std::string(id).substr(0, std::string(id).size() - 2);
    c.level = level;
    c.file = "spec/a.md";
    c.line = 10;
    c.expected = "expected <&> \"text\"\n";
    f.cases.push_back(c);
  }
  f.summary.implementation = "fake";
  f.summary.version = "1.0";
  f.summary.python = "3.11.2";
  f.summary.time_mode = "real";
  f.summary.tolerance = 0.05;
  auto add = [&](std::size_t k, Status st, bool unexpected, std::string reason) {
    CaseResult r;
    r.c = &f.cases[k];
    r.id = r.c->id;
    r.file = r.c->file;
    r.line = r.c->line;
    r.status = st;
    r.outcome = st == Status::XFAIL ? Status::FAIL : st == Status::XPASS ? Status::PASS : st;
    r.unexpected = unexpected;
    r.reason = std::move(reason);
    if (r.outcome == Status::FAIL) {
      r.observed = "observed \x01 control\n";
      r.diff = "- expected <&> \"text\"\n+ observed \x01 control\n";
    }
    f.summary.results.push_back(r);
  };
  add(0, Status::PASS, false, "");
  add(1, Status::FAIL, true, "");
  add(2, Status::XFAIL, false, "known <divergence> & \"quoted\"");
  add(3, Status::CRASH, true, "killed by signal 11 (SIGSEGV)");
  add(4, Status::XPASS, true, "expected FAIL: known");
  return f;
}

const RunContext kCtx{"0.1.0", "abc1234", "2024-01-01T00:00:00Z", "Linux x86_64, 2 CPUs"};

TEST(Reports, JUnitIsWellFormedXml) {
  auto f = make();
  const auto path = std::filesystem::temp_directory_path() / ("aiospec-junit-" + std::to_string(::getpid()) + ".xml");
  {
    std::ofstream out(path);
    write_junit(out, f.summary);
  }
  const std::string check = "python3 -c \"import sys, xml.dom.minidom as m; d = m.parse(sys.argv[1]); "
                            "t = d.getElementsByTagName('testcase'); "
                            "assert len(t) == 5 and d.documentElement.getAttribute('failures') == '2' "
                            "and d.documentElement.getAttribute('errors') == '1' "
                            "and d.documentElement.getAttribute('skipped') == '1', d.toxml()\" " +
                            path.string();
  const int rc = std::system(check.c_str());
  std::filesystem::remove(path);
  EXPECT_EQ(rc, 0);
}

TEST(Reports, JsonLinesHeaderAndCases) {
  auto f = make();
  std::stringstream out;
  write_jsonl(out, f.summary, kCtx);
  std::string line;
  std::getline(out, line);
  const auto h = nlohmann::json::parse(line);
  EXPECT_EQ(h["type"], "header");
  EXPECT_EQ(h["suite"], "aiospec");
  EXPECT_EQ(h["suite_version"], "0.1.0");
  EXPECT_EQ(h["git_revision"], "abc1234");
  EXPECT_EQ(h["implementation"], "fake");
  EXPECT_EQ(h["implementation_version"], "1.0");
  EXPECT_EQ(h["python"], "3.11.2");
  EXPECT_EQ(h["time"], "real");
  EXPECT_EQ(h["tolerance_ms"], 50.0);
  EXPECT_EQ(h["started"], "2024-01-01T00:00:00Z");
  EXPECT_EQ(h["environment"], "Linux x86_64, 2 CPUs");
  std::vector<nlohmann::json> cases;
  while (std::getline(out, line)) cases.push_back(nlohmann::json::parse(line));
  ASSERT_EQ(cases.size(), 5u);
  EXPECT_EQ(cases[1]["status"], "FAIL");
  EXPECT_EQ(cases[1]["clause"], "a.two");
  EXPECT_EQ(cases[1]["level"], "cpython");
  EXPECT_EQ(cases[1]["observed"], "observed \x01 control\n");
  EXPECT_EQ(cases[2]["status"], "XFAIL");
  EXPECT_EQ(cases[2]["outcome"], "FAIL");
  EXPECT_FALSE(cases[0].contains("outcome"));
  EXPECT_EQ(cases[3]["reason"], "killed by signal 11 (SIGSEGV)");
  EXPECT_TRUE(cases[4]["unexpected"]);
}

TEST(Reports, MarkdownSummary) {
  auto f = make();
  std::stringstream out;
  write_markdown(out, f.summary, kCtx);
  const std::string md = out.str();
  EXPECT_NE(md.find("## aiospec: fake 1.0 (Python 3.11.2, real time)"), std::string::npos) << md;
  EXPECT_NE(md.find("**must: 1/2 conformant; cpython: 0/3 compatible; unspecified: 0/0 as allowed**"), std::string::npos) << md;
  EXPECT_NE(md.find("tolerance of 50 ms"), std::string::npos);
  EXPECT_NE(md.find("| XFAIL | 1 |"), std::string::npos);
  EXPECT_NE(md.find("### Unexpected results"), std::string::npos);
  EXPECT_NE(md.find("- `a.four.1` (spec/a.md:10) **CRASH**: killed by signal 11 (SIGSEGV)"), std::string::npos) << md;
  EXPECT_NE(md.find("```diff\n- expected"), std::string::npos);
  EXPECT_EQ(md.find("a.three.1"), std::string::npos) << "expected failures are not listed as unexpected";
}

TEST(Reports, ExpectationsRewrite) {
  auto f = make();
  const std::string file = "conformance/expectations/fake.json";
  Expectation known{{Status::FAIL}, "known divergence", "https://example.org/3", "", file};
  Expectation gone{{Status::FAIL}, "went away", "", "", file};
  Expectation other_python{{Status::CRASH}, "only on 3.8", "", "<3.9", file};
  Expectation elsewhere{{Status::CRASH}, "python.json's", "", "", "conformance/expectations/python.json"};
  std::map<std::string, Expectation> old{{"a.three.1", known}, {"a.five.1", gone}, {"z.unrun.1", other_python},
                                         {"a.four.1", elsewhere}};
  std::stringstream out;
  write_expectations(out, f.summary, old, file);
  const auto j = nlohmann::json::parse(out.str());
  const auto& cases = j["cases"];
  EXPECT_EQ(j["implementation"], "fake");
  EXPECT_FALSE(cases.contains("a.one.1"));
  EXPECT_FALSE(cases.contains("a.five.1")) << "a divergence that passes is dropped";
  EXPECT_FALSE(cases.contains("a.four.1")) << "covered by another file";
  EXPECT_EQ(cases["a.three.1"]["reason"], "known divergence");
  EXPECT_EQ(cases["a.three.1"]["link"], "https://example.org/3");
  EXPECT_EQ(cases["a.two.1"]["status"], "FAIL");
  EXPECT_EQ(cases["a.two.1"]["reason"], "TODO: explain the divergence (a.two)");
  EXPECT_EQ(cases["a.two.1"]["level"], "cpython");
  EXPECT_EQ(cases["z.unrun.1"]["python"], "<3.9") << "entries that did not apply are kept";
  // What was written loads back.
  const auto path = std::filesystem::temp_directory_path() / ("aiospec-rewrite-" + std::to_string(::getpid()) + ".json");
  std::ofstream(path) << out.str();
  EXPECT_EQ(load_expectations(path.string()).size(), 3u);
  std::filesystem::remove(path);
}

}  // namespace
}  // namespace aiospec
