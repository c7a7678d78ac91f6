// Ordering rules of the loop itself (base_events.py: _run_once, call_soon, call_later, call_at).
#include <gtest/gtest.h>

#include "trace.hpp"

namespace asyncio::test {
namespace {

TEST(Events, CallSoonIsFifo) {
  auto loop = new_event_loop();
  Trace t;
  for (int i = 0; i < 5; ++i) loop->call_soon([&t, i] { t(std::to_string(i)); });
  loop->call_soon([&] { loop->stop(); });
  loop->run_forever();
  EXPECT_EQ(t.events, (Events{"0", "1", "2", "3", "4"}));
  loop->close();
}

TEST(Events, IterationRunsOnlyTheSnapshot) {
  // Callbacks scheduled by a callback run in the next iteration, after those already queued.
  auto loop = new_event_loop();
  Trace t;
  loop->call_soon([&] {
    t("a");
    loop->call_soon([&] { t("c"); });
  });
  loop->call_soon([&] { t("b"); });
  loop->run_once();
  EXPECT_EQ(t.events, (Events{"a", "b"}));
  loop->run_once();
  EXPECT_EQ(t.events, (Events{"a", "b", "c"}));
  loop->close();
}

TEST(Events, CallLaterZeroRunsAfterCallSoon) {
  // Inside one callback: call_later(0, A), call_later(-5, B), call_soon(S) run as S, B, A.
  auto loop = new_event_loop();
  Trace t;
  loop->call_soon([&] {
    loop->call_later(0, [&] { t("A"); });
    loop->call_later(-5, [&] { t("B"); });
    loop->call_soon([&] { t("S"); });
  });
  loop->call_later(1, [&] { loop->stop(); });
  loop->run_forever();
  EXPECT_EQ(t.events, (Events{"S", "B", "A"}));
  loop->close();
}

TEST(Events, EqualDeadlinesFollowHeapqOrder) {
  // CPython 3.10-3.13: ten call_at(t) with one t run as [0, 2, 6, 5, 9, 8, 7, 1, 3, 4].
  auto loop = new_event_loop();
  Trace t;
  for (int i = 0; i < 10; ++i) loop->call_at(5.0, [&t, i] { t(std::to_string(i)); });
  loop->call_at(6.0, [&] { loop->stop(); });
  loop->run_forever();
  EXPECT_EQ(t.events, (Events{"0", "2", "6", "5", "9", "8", "7", "1", "3", "4"}));
  loop->close();
}

TEST(Events, VirtualClockJumpsToTheDeadline) {
  auto loop = new_event_loop();
  double fired = -1;
  loop->call_later(3.5, [&] {
    fired = loop->time();
    loop->stop();
  });
  loop->run_forever();
  EXPECT_NEAR(fired, 3.5, 1e-6);
  loop->close();
}

TEST(Events, ClosedLoopRefusesWork) {
  auto loop = new_event_loop();
  loop->close();
  EXPECT_TRUE(loop->is_closed());
  try {
    loop->call_soon([] {});
    FAIL();
  } catch (const RuntimeError& e) {
    EXPECT_EQ(e.str(), "Event loop is closed");
  }
  loop->close();  // idempotent
}

}  // namespace
}  // namespace asyncio::test
