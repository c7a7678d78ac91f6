// Properties of the reference loop over random schedules, against the independent model.
#include <gtest/gtest.h>
#include <rapidcheck/gtest.h>

#include <filesystem>
#include <fstream>

#include "aiospec/fuzz/differential.hpp"
#include "aiospec/fuzz/generate.hpp"
#include "aiospec/fuzz/model.hpp"

namespace fz = aiospec::fuzz;

namespace {
// The last failing candidate RapidCheck tries is the minimal one: keep it as a runnable file.
void keep_failure(const fz::Program& p, const char* name) {
  std::ofstream(std::string("fuzz-failure-") + name + ".py") << fz::to_source(p);
}
}  // namespace

// Every line, its virtual time (the sum of sleeps on its path), gather's argument order, wait's sets,
// as_completed's order, cancellation seen exactly once, times nondecreasing, each task's lines in order,
// and asyncio.run returning with the loop closed and no task left.
RC_GTEST_PROP(FuzzReference, AgreesWithTheModel, ()) {
  const auto p = *fz::gen_program();
  const auto e = fz::model(p);
  RC_PRE(!e.ambiguous);
  const auto t = fz::run_on_reference(fz::to_source(p));
  const std::string why = fz::check_trace(e, t.lines);
  if (!why.empty()) keep_failure(p, "model");
  RC_ASSERT(why == "");
  RC_ASSERT(t.exit_status == 0);
}

// With equal deadlines and order-dependent decisions allowed: the same program gives the same trace,
// time never goes backwards, and the run ends cleanly.
RC_GTEST_PROP(FuzzReference, DeterministicAndCleanWithTies, ()) {
  const auto p = *fz::gen_program();
  const std::string src = fz::to_source(p);
  const auto a = fz::run_on_reference(src), b = fz::run_on_reference(src);
  bool same = a.output == b.output && a.lines.size() == b.lines.size();
  for (std::size_t i = 0; same && i < a.lines.size(); ++i) same = a.lines[i].seconds == b.lines[i].seconds;
  std::optional<double> last;
  bool monotone = true;
  for (auto& l : a.lines) {
    if (l.seconds && last && *l.seconds < *last) monotone = false;
    if (l.seconds) last = l.seconds;
  }
  const bool clean = a.exit_status == 0 && !a.lines.empty() && a.lines.back().text == "closed True 0";
  if (!(same && monotone && clean)) keep_failure(p, "ties");
  RC_ASSERT(same);
  RC_ASSERT(monotone);
  RC_ASSERT(clean);
}

// Minimal programs found by fuzzing, replayed on the reference loop against the output CPython 3.11 gave
// (NAME.cpython.out); the orders CPython leaves to object addresses are compared as groups. Another
// loop's output (NAME.uvloop.out) documents a divergence of that loop and is not replayed.
TEST(FuzzRegressions, ReplayOnTheReferenceLoop) {
  const std::filesystem::path dir = std::filesystem::path(AIOSPEC_SOURCE_DIR) / "conformance/test/regressions";
  auto read = [](const std::filesystem::path& path) {
    std::ifstream in(path);
    return std::string((std::istreambuf_iterator<char>(in)), {});
  };
  int n = 0;
  for (const auto& entry : std::filesystem::directory_iterator(dir)) {
    if (entry.path().extension() != ".py") continue;
    const auto out = std::filesystem::path(entry.path()).replace_extension(".cpython.out");
    ASSERT_TRUE(std::filesystem::exists(out)) << entry.path() << " has no .cpython.out";
    const auto t = fz::run_on_reference(read(entry.path()));
    EXPECT_EQ(t.exit_status, 0) << entry.path();
    EXPECT_EQ(fz::set_order_form(t.output), fz::set_order_form(read(out))) << entry.path();
    ++n;
  }
  EXPECT_GT(n, 0);
  std::printf("%d regression cases\n", n);
}
