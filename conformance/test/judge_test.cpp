// Judging: exact, unordered, and real-time judging with a tolerance (what it accepts and what it never does).
#include <gtest/gtest.h>

#include "aiospec/judge.hpp"

namespace aiospec {
namespace {

Case ordered(std::string expected) {
  Case c;
  c.id = "t.x.1";
  c.expected = std::move(expected);
  return c;
}

std::vector<std::optional<double>> times(std::initializer_list<std::optional<double>> t) { return t; }

TEST(Judge, ExactAndDiff) {
  const Case c = ordered("a\nb\n");
  EXPECT_TRUE(judge(c, "a\nb\n").pass);
  const auto j = judge(c, "b\na\n");
  EXPECT_FALSE(j.pass);
  EXPECT_EQ(j.diff, "+ b\n  a\n- b\n");
  EXPECT_FALSE(judge(c, "a\nb").pass) << "a missing final newline is a difference";
  EXPECT_FALSE(judge(c, "a\nb\nc\n").pass);
}

TEST(Judge, UnorderedIsAMultiset) {
  Case c = ordered("a\nb\nb\n");
  c.unordered = true;
  EXPECT_TRUE(judge(c, "b\na\nb\n").pass);
  EXPECT_FALSE(judge(c, "a\nb\n").pass);
  EXPECT_FALSE(judge(c, "a\na\nb\n").pass);
}

TEST(Judge, VirtualTimeToleratesNothing) {
  const Case c = ordered("elapsed 0.1\n");
  EXPECT_FALSE(judge(c, "elapsed 0.2\n").pass);
  EXPECT_FALSE(judge(c, "elapsed 0.2\n", Tolerance{0, {}}).pass);
}

TEST(Judge, TimingValuesWithinTheTolerance) {
  const Tolerance tol{0.05, {}};
  // 0.05 printed with 2 decimals may be 0.045..0.055; the tolerance adds 50 ms.
  const auto j = judge(ordered("marker 0.05\n"), "marker 0.09\n", tol);
  EXPECT_TRUE(j.pass);
  EXPECT_EQ(j.tolerated, "timing values differ by at most 50 ms");
  EXPECT_FALSE(judge(ordered("marker 0.05\n"), "marker 0.12\n", tol).pass);
  // One decimal: rounding alone can move a value by a whole unit at a boundary (0.149 vs 0.151).
  EXPECT_TRUE(judge(ordered("took 0.1 s\n"), "took 0.2 s\n", tol).pass);
  EXPECT_FALSE(judge(ordered("took 0.1 s\n"), "took 0.3 s\n", tol).pass);
  EXPECT_TRUE(judge(ordered("-0.25\n"), "-0.26\n", tol).pass);
}

TEST(Judge, OnlyStandAloneDecimalsAreTimingValues) {
  const Tolerance tol{0.05, {}};
  EXPECT_FALSE(judge(ordered("call_later(-1)\n"), "call_later(-2)\n", tol).pass) << "integers are not timing values";
  EXPECT_FALSE(judge(ordered("Python 3.11.2\n"), "Python 3.11.3\n", tol).pass) << "nor dotted versions";
  EXPECT_FALSE(judge(ordered("at 0x1.5\n"), "at 0x1.6\n", tol).pass);
  EXPECT_FALSE(judge(ordered("v1.50\n"), "v1.51\n", tol).pass);
  EXPECT_FALSE(judge(ordered("a 0.1 b\n"), "a 0.1 c\n", tol).pass) << "the text around the numbers must match";
}

TEST(Judge, ReordersLinesAtCloseButDistinctInstants) {
  const Case c = ordered("timer A\nafter B\n");
  // Expected: A at 100 ms, B at 120 ms. A real-time run printed them the other way round.
  const auto j = judge(c, "after B\ntimer A\n", Tolerance{0.05, times({0.100, 0.120})});
  EXPECT_TRUE(j.pass);
  EXPECT_EQ(j.tolerated, "lines printed less than 50 ms apart came in another order");
}

TEST(Judge, NeverReordersLinesOfTheSameInstant) {
  // call_soon callbacks of one iteration: the order is a scheduling guarantee, not a timing accident.
  const Case c = ordered("call_soon\ncall_later(0)\n");
  EXPECT_FALSE(judge(c, "call_later(0)\ncall_soon\n", Tolerance{0.05, times({0.0, 0.000002})}).pass);
}

TEST(Judge, NeverReordersLinesFarApart) {
  const Case c = ordered("first\nsecond\n");
  EXPECT_FALSE(judge(c, "second\nfirst\n", Tolerance{0.05, times({0.1, 0.3})}).pass);
}

TEST(Judge, NeverReordersWithoutTimes) {
  const Case c = ordered("first\nsecond\n");
  EXPECT_FALSE(judge(c, "second\nfirst\n", Tolerance{0.05, {}}).pass);
  EXPECT_FALSE(judge(c, "second\nfirst\n", Tolerance{0.05, times({std::nullopt, 0.01})}).pass)
      << "a line printed outside a running loop never moves";
}

TEST(Judge, AMovedLineMustPassEveryLineItOvertakes) {
  // C (at 0.14) may pass B (0.12) but not A (0.05): 90 ms apart.
  const Case c = ordered("A\nB\nC\n");
  const Tolerance tol{0.05, times({0.05, 0.12, 0.14})};
  EXPECT_TRUE(judge(c, "A\nC\nB\n", tol).pass);
  EXPECT_FALSE(judge(c, "C\nA\nB\n", tol).pass);
}

TEST(Judge, NumbersAndOrderTogether) {
  const Case c = ordered("x done 0.1\ny done 0.1\n");
  const auto j = judge(c, "y done 0.1\nx done 0.2\n", Tolerance{0.05, times({0.100, 0.110})});
  EXPECT_TRUE(j.pass);
  EXPECT_EQ(j.tolerated, "lines printed less than 50 ms apart came in another order; timing values differ by at most 50 ms");
}

TEST(Judge, ToleranceNeverChangesTheNumberOfLines) {
  EXPECT_FALSE(judge(ordered("a 0.1\n"), "a 0.1\na 0.1\n", Tolerance{0.05, times({0.1})}).pass);
}

}  // namespace
}  // namespace aiospec
