// The model against real CPython (virtual time, through the Python adapter): the model is only worth
// checking the reference loop against if CPython itself agrees with it.
#include <gtest/gtest.h>

#include <fmt/format.h>

#include "aiospec/adapter_client.hpp"
#include "aiospec/fuzz/generate.hpp"
#include "aiospec/fuzz/model.hpp"
#include "fuzz_test_util.hpp"

namespace fz = aiospec::fuzz;

TEST(FuzzModel, AgreesWithCPythonOnUnambiguousSchedules) {
  aiospec::AdapterProcess cpython({AIOSPEC_PYTHON, fz_test::adapter_path(), "--loop", "cpython"});
  auto gen = fz::gen_program();
  const int want = fz_test::env_int("AIOSPEC_FUZZ_CPYTHON_CASES", 150);
  int checked = 0, ambiguous = 0;
  for (int i = 0; checked < want; ++i) {
    const auto p = gen(rc::Random(static_cast<std::uint64_t>(1000 + i)), 100).value();
    const auto e = fz::model(p);
    if (e.ambiguous) {
      ++ambiguous;
      continue;
    }
    const auto obs = cpython.run(fmt::format("model.{}", i), fz::to_source(p), "virtual", 30);
    ASSERT_EQ(obs.kind, aiospec::Observation::Kind::result) << obs.message;
    const std::string why = fz::check_trace(e, fz_test::timed_lines(obs));
    ASSERT_EQ(why, "") << "program:\n" << fz::to_source(p) << "\nCPython printed:\n" << obs.output;
    ++checked;
  }
  std::printf("%d schedules agree with CPython, %d ambiguous ones skipped\n", checked, ambiguous);
}
