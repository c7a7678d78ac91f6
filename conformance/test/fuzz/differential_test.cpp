// The differential judge's canonical form: only as_completed's already-done group is reordered.
#include <gtest/gtest.h>

#include "aiospec/fuzz/differential.hpp"

namespace fz = aiospec::fuzz;

TEST(FuzzSetOrderForm, SortsTheFuturesAlreadyDoneWhenAsCompletedStarts) {
  const std::string cpython = "t0.3 done ['t1', 't2']\nt4.0\nt0.3 r2\nt0.3 r1\nt0.3 r5\nmain r0\n";
  const std::string reference = "t0.3 done ['t1', 't2']\nt4.0\nt0.3 r1\nt0.3 r2\nt0.3 r5\nmain r0\n";
  EXPECT_EQ(fz::set_order_form(cpython), reference);
  EXPECT_EQ(fz::set_order_form(reference), reference);
}

TEST(FuzzSetOrderForm, LeavesEveryOtherOrderAlone) {
  // One future already done: its order is specified, and so is the order of those completing later.
  const std::string one = "t0.3 done ['t1']\nt0.3 r5\nt0.3 r1\n";
  EXPECT_EQ(fz::set_order_form(one), one);
  const std::string none = "t0.3 done []\nt0.3 r2\nt0.3 r1\n";
  EXPECT_EQ(fz::set_order_form(none), none);
  // Two already done, then a later one that sorts first: only the first two lines are a group.
  EXPECT_EQ(fz::set_order_form("t0.3 done ['t1', 't2']\nt0.3 r2\nt0.3 r1\nt0.3 'a'\n"),
            "t0.3 done ['t1', 't2']\nt0.3 r1\nt0.3 r2\nt0.3 'a'\n");
  // Other lines keep their order, and a missing final newline stays missing.
  EXPECT_EQ(fz::set_order_form("t2.0\nt1.0"), "t2.0\nt1.0");
}
