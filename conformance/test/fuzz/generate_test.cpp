// Generated schedules are valid scenario-language programs: they print, parse back to the same tree,
// and CPython compiles them.
#include <gtest/gtest.h>
#include <rapidcheck/gtest.h>

#include <algorithm>
#include <cstdio>
#include <fstream>
#include <string>

#include <unistd.h>

#include "aiospec/fuzz/differential.hpp"
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
  // One file per process: the fixed-seed and fresh-seed runs of this binary run at once.
  const std::string path = ::testing::TempDir() + "fuzz_sample." + std::to_string(::getpid()) + ".txt";
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

// Every shrink is itself a program of the generator's shape: it prints and parses back, the parents
// still come first, and only a task's own earlier children are referred to.
RC_GTEST_PROP(FuzzShrink, EveryShrinkIsAValidProgram, ()) {
  const auto p = *fz::gen_program();
  for (const fz::Program& q : fz::shrinks(p)) {
    RC_ASSERT(fz::size(q) <= fz::size(p));
    RC_ASSERT(q.tasks.size() <= p.tasks.size());
    for (std::size_t k = 0; k < q.tasks.size(); ++k) {
      RC_ASSERT(q.tasks[k].parent < static_cast<int>(k));
      std::vector<int> spawned;
      for (const fz::Step& s : q.tasks[k].steps) {
        auto known = [&](int id) { return std::find(spawned.begin(), spawned.end(), id) != spawned.end(); };
        if (s.kind == fz::Step::Kind::Spawn) {
          RC_ASSERT(q.tasks[s.task].parent == static_cast<int>(k));
          spawned.push_back(s.task);
        } else if (s.task >= 0) {
          RC_ASSERT(known(s.task));
        }
        for (int id : s.tasks) RC_ASSERT(known(id));
      }
    }
    RC_ASSERT(sc::structurally_equal(fz::to_module(q), sc::parse(fz::to_source(q), "fuzz.py")));
  }
}

// Shrinking removes whole tasks: a failure that needs only one cancel shrinks to the chain of spawns down
// to one leaf and that cancel (the leaf's parent cannot move up: tasks are only removed).
TEST(FuzzShrink, RemovesWholeTasksAndSteps) {
  auto gen = fz::gen_program();
  auto cancels = [](const fz::Program& p) {
    for (const auto& t : p.tasks)
      for (const auto& s : t.steps)
        if (s.kind == fz::Step::Kind::Cancel) return true;
    return false;
  };
  int found = 0;
  for (int seed = 0; found < 20; ++seed) {
    auto s = gen(rc::Random(static_cast<std::uint64_t>(seed)), 100);
    if (!cancels(s.value()) || s.value().tasks.size() < 6) continue;
    ++found;
    int tried = 0;
    const fz::Program p = fz::shrink(s, cancels, tried).value();
    EXPECT_EQ(fz::size(p), p.tasks.size()) << fz::describe(p);  // one spawn per task but main, and the cancel
    EXPECT_LE(p.tasks.size(), 4u) << fz::describe(p);
    EXPECT_GT(s.value().tasks.size(), p.tasks.size());
  }
}
