// The runner's statuses, expectations and real-time tolerance, on a scripted fake implementation.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

#include "aiospec/runner.hpp"

namespace aiospec {
namespace {

Observation result(std::string output, std::vector<std::optional<double>> times = {}) {
  Observation o;
  o.kind = Observation::Kind::result;
  o.output = std::move(output);
  o.line_times = std::move(times);
  return o;
}

Observation failure(Observation::Kind kind, std::string message) {
  Observation o;
  o.kind = kind;
  o.message = std::move(message);
  return o;
}

/// Answers each case from a script by id, or with the expected output.
class Fake final : public Implementation {
 public:
  Fake(std::map<std::string, Observation> script, std::string python, std::string mode)
      : script_(std::move(script)), python_(std::move(python)), mode_(std::move(mode)) {}
  std::string name() const override { return "fake"; }
  std::string version() const override { return "1.0"; }
  std::string python() const override { return python_; }
  std::string time_mode() const override { return mode_; }
  Observation run(const Case& c, double) override {
    auto it = script_.find(c.id);
    return it != script_.end() ? it->second : result(c.expected);
  }

 private:
  std::map<std::string, Observation> script_;
  std::string python_, mode_;
};

ImplementationFactory fake(std::map<std::string, Observation> script, std::string python = "3.11.7",
                           std::string mode = "virtual") {
  return [=] { return std::make_unique<Fake>(script, python, mode); };
}

const std::string kFence = "```";

// Clauses t.a (must) .. with one example each: t.<name>.1 printing "<name>\n"; t.new needs 3.12.
Spec spec() {
  std::string text;
  for (std::string name : {"pass", "fail", "xfail", "xpass", "timeout", "crash", "error", "flaky", "wrong"})
    text += "## t." + name + " — " + name + "\n\nLevel: must\n\n" + kFence + "python example=t." + name + ".1\npass\n" +
            kFence + "\n\n" + kFence + "output\n" + name + "\n" + kFence + "\n\n";
  text += "## t.new — new\n\nLevel: cpython · Python: >=3.12\n\n" + kFence + "python example=t.new.1\npass\n" + kFence +
          "\n\n" + kFence + "output\nnew\n" + kFence + "\n\n";
  text += "## t.late — timing\n\nLevel: cpython\n\n" + kFence + "python example=t.late.1\npass\n" + kFence + "\n\n" +
          kFence + "output\nA\nB\n" + kFence + "\n";
  Spec s;
  read_chapter(text, "spec/t.md", s);
  return s;
}

Expectation expect(std::vector<Status> statuses, std::string python = "") {
  Expectation e;
  e.statuses = std::move(statuses);
  e.reason = "known";
  e.link = "https://example.org/1";
  e.python = std::move(python);
  return e;
}

const CaseResult& find(const RunSummary& s, const std::string& id) {
  for (auto& r : s.results)
    if (r.id == id) return r;
  throw std::runtime_error("no result " + id);
}

TEST(Runner, EveryStatus) {
  const Spec sp = spec();
  ASSERT_TRUE(sp.errors.empty()) << sp.errors[0].str();
  SuiteOptions opts;
  opts.jobs = 3;
  opts.expectations = {{"t.xfail.1", expect({Status::FAIL})},
                       {"t.xpass.1", expect({Status::FAIL})},
                       {"t.wrong.1", expect({Status::TIMEOUT})},
                       {"t.flaky.1", expect({Status::FAIL, Status::PASS})}};
  const auto s = run_cases(sp, fake({{"t.fail.1", result("other\n")},
                                     {"t.xfail.1", result("other\n")},
                                     {"t.timeout.1", failure(Observation::Kind::timeout, "")},
                                     {"t.crash.1", failure(Observation::Kind::crash, "killed by signal 11")},
                                     {"t.error.1", failure(Observation::Kind::error, "adapter failure")},
                                     {"t.wrong.1", result("other\n")}}),
                           opts);
  EXPECT_EQ(s.implementation, "fake");
  auto is = [&](const std::string& id, Status st, bool unexpected) {
    const auto& r = find(s, id);
    EXPECT_EQ(r.status, st) << id << ": " << to_string(r.status);
    EXPECT_EQ(r.unexpected, unexpected) << id;
  };
  is("t.pass.1", Status::PASS, false);
  is("t.fail.1", Status::FAIL, true);
  is("t.xfail.1", Status::XFAIL, false);
  is("t.xpass.1", Status::XPASS, true);
  is("t.timeout.1", Status::TIMEOUT, true);
  is("t.crash.1", Status::CRASH, true);
  is("t.error.1", Status::ERROR, true);
  is("t.flaky.1", Status::PASS, false);
  is("t.wrong.1", Status::FAIL, true);
  is("t.new.1", Status::SKIP, false);
  EXPECT_EQ(find(s, "t.fail.1").diff, "+ other\n- fail\n");
  EXPECT_EQ(find(s, "t.crash.1").reason, "killed by signal 11");
  EXPECT_EQ(find(s, "t.xfail.1").reason, "known (https://example.org/1)");
  EXPECT_EQ(find(s, "t.xfail.1").outcome, Status::FAIL);
  EXPECT_EQ(find(s, "t.wrong.1").reason, "expected TIMEOUT, got FAIL: ");
  EXPECT_EQ(find(s, "t.new.1").reason, "needs Python >=3.12; fake runs Python 3.11.7");
  EXPECT_EQ(s.unexpected(), 6u);
  EXPECT_EQ(s.count(Status::PASS), 3u);
  EXPECT_EQ(s.levels_line(), "must: 2/9 conformant; cpython: 1/1 compatible; unspecified: 0/0 as allowed");
}

TEST(Runner, ExpectationsHoldOnlyOnTheirPython) {
  const Spec sp = spec();
  SuiteOptions opts;
  opts.filter = "t.fail.*";
  opts.expectations = {{"t.fail.1", expect({Status::FAIL}, "<3.11.3")}};
  auto script = fake({{"t.fail.1", result("other\n")}}, "3.11.2");
  EXPECT_EQ(run_cases(sp, script, opts).results[0].status, Status::XFAIL);
  script = fake({{"t.fail.1", result("other\n")}}, "3.11.7");
  EXPECT_EQ(run_cases(sp, script, opts).results[0].status, Status::FAIL);
}

TEST(Runner, FilterAndLevel) {
  const Spec sp = spec();
  SuiteOptions opts;
  opts.max_level = Level::must;
  const auto s = run_cases(sp, fake({}), opts);
  EXPECT_EQ(s.results.size(), 9u) << "the cpython-level clauses are left out";
  opts.max_level.reset();
  opts.filter = "t.*s.1";
  EXPECT_EQ(run_cases(sp, fake({}), opts).results.size(), 2u);  // t.pass.1, t.xpass.1
}

TEST(Runner, SpecErrorsAreUnexpectedErrors) {
  Spec sp = spec();
  sp.errors.push_back({"spec/t.md", 7, "example t.x.1 has no output block"});
  const auto s = run_cases(sp, fake({}), {});
  const auto& r = s.results.back();
  EXPECT_EQ(r.id, "spec-error:spec/t.md:7");
  EXPECT_EQ(r.status, Status::ERROR);
  EXPECT_TRUE(r.unexpected);
}

TEST(Runner, AnImplementationThatCannotStartThrows) {
  ImplementationFactory broken = []() -> std::unique_ptr<Implementation> { throw ConfigurationError("no such Python"); };
  EXPECT_THROW(run_cases(spec(), broken, {}), ConfigurationError);
  EXPECT_THROW(implementation_factory("nonsense", "", false), std::invalid_argument);
  EXPECT_THROW(implementation_factory("cpython", "/nonexistent/python3", false)(), ConfigurationError);
}

TEST(Runner, RealTimeToleranceUsesTheOraclesTimes) {
  const Spec sp = spec();
  SuiteOptions opts;
  opts.filter = "t.late.1";
  opts.tolerance = 0.05;
  auto swapped = fake({{"t.late.1", result("B\nA\n")}}, "3.11.2", "real");
  // Without an oracle no line may move.
  EXPECT_EQ(run_cases(sp, swapped, opts).results[0].status, Status::FAIL);
  // The oracle prints A at 100 ms and B at 120 ms: close, distinct instants.
  opts.timing_oracle = fake({{"t.late.1", result("A\nB\n", {0.100, 0.120})}});
  const auto r = run_cases(sp, swapped, opts).results[0];
  EXPECT_EQ(r.status, Status::PASS);
  EXPECT_EQ(r.reason, "passed within the tolerance: lines printed less than 50 ms apart came in another order");
  // Same instant: never.
  opts.timing_oracle = fake({{"t.late.1", result("A\nB\n", {0.100, 0.100})}});
  EXPECT_EQ(run_cases(sp, swapped, opts).results[0].status, Status::FAIL);
  // Virtual time is judged exactly whatever the tolerance.
  opts.timing_oracle = fake({{"t.late.1", result("A\nB\n", {0.100, 0.120})}});
  EXPECT_EQ(run_cases(sp, fake({{"t.late.1", result("B\nA\n")}}), opts).results[0].status, Status::FAIL);
}

TEST(Expectations, PythonConditions) {
  EXPECT_TRUE(python_version_matches("<3.11.3", "3.11.2"));
  EXPECT_FALSE(python_version_matches("<3.11.3", "3.11.7"));
  EXPECT_TRUE(python_version_matches("==3.11", "3.11.2"));
  EXPECT_TRUE(python_version_matches(">=3.11, <3.11.7", "3.11.2"));
  EXPECT_FALSE(python_version_matches(">=3.11,<3.11.7", "3.12.1"));
  EXPECT_TRUE(python_version_matches("!=3.12", "3.13.0"));
  EXPECT_THROW(python_version_matches("3.11", "3.11.2"), std::invalid_argument);
  EXPECT_THROW(python_version_matches("~=3.11", "3.11.2"), std::invalid_argument);
}

class ExpectationFile : public testing::Test {
 protected:
  std::string path = (std::filesystem::temp_directory_path() / ("aiospec-exp-" + std::to_string(::getpid()) + ".json")).string();
  void TearDown() override { std::filesystem::remove(path); }
  std::map<std::string, Expectation> load(const std::string& text) {
    std::ofstream(path) << text;
    return load_expectations(path);
  }
  std::string error(const std::string& text) {
    try {
      load(text);
    } catch (const std::runtime_error& e) {
      return e.what();
    }
    return "no error";
  }
};

TEST_F(ExpectationFile, Loads) {
  auto m = load(R"({"cases": {"a.b.1": {"status": "FAIL", "reason": "r", "link": "l"},
                              "a.c.1": {"status": ["FAIL", "PASS"], "reason": "r", "python": "<3.12"}}})");
  ASSERT_EQ(m.size(), 2u);
  EXPECT_EQ(m["a.b.1"].statuses, std::vector<Status>{Status::FAIL});
  EXPECT_EQ(m["a.b.1"].link, "l");
  EXPECT_EQ(m["a.b.1"].source, path);
  EXPECT_TRUE(m["a.c.1"].allows(Status::PASS));
  EXPECT_TRUE(m["a.c.1"].applies_to("3.11.2"));
  EXPECT_FALSE(m["a.c.1"].applies_to("3.12.0"));
}

TEST_F(ExpectationFile, RejectsWhatCannotBeAKnownDivergence) {
  EXPECT_EQ(error("[]"), path + ": not an expectations file (an object with a \"cases\" object)");
  EXPECT_EQ(error("{"), path + ": not an expectations file (an object with a \"cases\" object)");
  EXPECT_EQ(error(R"({"cases": {"a.1": {"status": "FAIL"}}})"), path + ": case a.1: a known divergence needs a reason");
  EXPECT_EQ(error(R"({"cases": {"a.1": {"status": "PASS", "reason": "r"}}})"),
            path + ": case a.1: a known divergence expects a failing status");
  EXPECT_NE(error(R"({"cases": {"a.1": {"status": "XFAIL", "reason": "r"}}})").find("a status is one of"), std::string::npos);
  EXPECT_EQ(error(R"({"cases": {"a.1": {"reason": "r", "python": "3.11"}}})"),
            path + ": case a.1: malformed Python condition '3.11'");
  EXPECT_EQ(error("{\"cases\": {}}"), "no error");
  EXPECT_THROW(load_expectations(path + ".missing"), std::runtime_error);
}

TEST_F(ExpectationFile, LaterFilesReplaceEarlierEntries) {
  const std::string other = path + ".2";
  std::ofstream(path) << R"({"cases": {"a.1": {"reason": "first"}, "a.2": {"reason": "kept"}}})";
  std::ofstream(other) << R"({"cases": {"a.1": {"status": "CRASH", "reason": "second"}}})";
  auto m = load_expectation_files({path, other});
  std::filesystem::remove(other);
  EXPECT_EQ(m["a.1"].reason, "second");
  EXPECT_EQ(m["a.1"].statuses, std::vector<Status>{Status::CRASH});
  EXPECT_EQ(m["a.2"].reason, "kept");
}

TEST(Expectations, TheRepositoryFilesLoad) {
  for (auto& impl : {"uvloop", "cpython-pytasks", "cpython"}) {
    const auto files = default_expectation_files(impl);
    ASSERT_FALSE(files.empty());
    EXPECT_EQ(files.front(), std::string(AIOSPEC_SOURCE_DIR) + "/conformance/expectations/python.json");
    EXPECT_NO_THROW(load_expectation_files(files)) << impl;
  }
  EXPECT_EQ(default_expectation_files("uvloop").back(), implementation_expectation_file("uvloop"));
  EXPECT_EQ(implementation_expectation_file("cmd:./my-adapter"), std::string(AIOSPEC_SOURCE_DIR) + "/conformance/expectations/cmd.json");
}

}  // namespace
}  // namespace aiospec
