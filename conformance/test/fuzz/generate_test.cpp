// Generated schedules are valid scenario-language programs: they print, parse back to the same tree,
// and CPython compiles them.
#include <gtest/gtest.h>
#include <rapidcheck/gtest.h>

#include <cstdio>
#include <fstream>

#include "aiospec/fuzz/generate.hpp"
#include "aiospec/fuzz/model.hpp"
#include "aiospec/scenario/parser.hpp"
#include "aiospec/scenario/printer.hpp"

namespace fz = aiospec::fuzz;
namespace sc = aiospec::scenario;

RC_GTEST_PROP(FuzzGenerate, PrintsAndParsesBackToTheSameTree, ()) {
  const auto p = *fz::gen_program();
  const sc::Module m = fz::to_module(p);
  const std::string src = sc::print(m);
  const sc::Module back = sc::parse(src, "fuzz.py");
  RC_ASSERT(sc::structurally_equal(m, back));
  RC_ASSERT(sc::print(back) == src);
  RC_CLASSIFY(p.tasks.size() == 1, "one task");
  RC_CLASSIFY(p.tasks.size() > 10, "more than 10 tasks");
}

RC_GTEST_PROP(FuzzGenerate, ShapeIsWithinTheIssuesBounds, ()) {
  fz::GenOptions o;
  const auto p = *fz::gen_program(o);
  RC_ASSERT(!p.tasks.empty());
  RC_ASSERT(static_cast<int>(p.tasks.size()) <= o.max_tasks);
  for (std::size_t k = 1; k < p.tasks.size(); ++k) RC_ASSERT(p.tasks[k].parent < static_cast<int>(k));
}

TEST(FuzzGenerate, CPythonCompilesASample) {
  // One file with many generated programs as functions' bodies would not test module-level code, so
  // each program is compiled separately in one interpreter run.
  const std::string path = ::testing::TempDir() + "fuzz_sample.txt";
  {
    std::ofstream out(path);
    auto gen = fz::gen_program();
    for (int seed = 0; seed < 200; ++seed) {
      const auto p = gen(rc::Random(static_cast<std::uint64_t>(seed)), seed % 100).value();
      out << fz::to_source(p) << '\x1e';
    }
  }
  const std::string cmd = std::string(AIOSPEC_PYTHON) +
                          " -c \"import sys; srcs = open(sys.argv[1]).read().split('\\x1e')[:-1];"
                          " [compile(s, 'fuzz.py', 'exec') for s in srcs]; print(len(srcs))\" " + path;
  FILE* f = ::popen(cmd.c_str(), "r");
  ASSERT_NE(f, nullptr);
  char buf[64] = {};
  const bool read = std::fgets(buf, sizeof buf, f) != nullptr;
  const int rc = ::pclose(f);
  EXPECT_TRUE(read);
  EXPECT_EQ(rc, 0);
  EXPECT_STREQ(buf, "200\n");
}
