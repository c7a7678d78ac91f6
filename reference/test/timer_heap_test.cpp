// The loop's timer heap is Python's heapq: equal deadlines come out in heapq's order, not FIFO.
#include <gtest/gtest.h>
#include <rapidcheck/gtest.h>

#include <algorithm>
#include <asyncio/timer_heap.hpp>
#include <cstdint>
#include <string>
#include <vector>

namespace asyncio::detail {
namespace {

// Python:
//   import heapq
//   class E:
//       def __init__(self, when, i): self.when, self.i = when, i
//       def __lt__(self, other): return self.when < other.when
//   x, h, out = 1, [], []
//   def rand(n):
//       global x
//       x = (x * 1103515245 + 12345) % 2**31
//       return (x >> 8) % n
//   for step in range(3000):
//       r = rand(100)
//       if r < 40 and h:
//           out.append(heapq.heappop(h).i)
//       elif r < 41:
//           h = [e for e in h if e.i % 3]
//           heapq.heapify(h)
//       else:
//           heapq.heappush(h, E(rand(50), step))
//   while h:
//       out.append(heapq.heappop(h).i)
//   print(len(out), out[:12], sum((k + 1) * i for k, i in enumerate(out)))
// Output:
//   1508 [0, 2, 4, 3, 8, 1, 5, 15, 17, 20, 22, 24] 2063055826
TEST(TimerHeap, PushPopAndPurgeWithManyTiesFollowHeapq) {
  std::uint64_t x = 1;
  auto rand = [&](std::uint64_t n) {
    x = (x * 1103515245 + 12345) % (1ULL << 31);
    return (x >> 8) % n;
  };
  TimerHeap h;
  std::vector<std::uintptr_t> out;
  for (std::uintptr_t step = 0; step < 3000; ++step) {
    const auto r = rand(100);
    if (r < 40 && !h.empty())
      out.push_back(h.pop().entry);
    else if (r < 41)
      h.filter_and_heapify([](const TimerEntry& e) { return e.entry % 3 == 0; });
    else
      h.push({static_cast<Nanos>(rand(50)), step});
  }
  while (!h.empty()) out.push_back(h.pop().entry);
  std::string head = "[";
  for (std::size_t i = 0; i < 12; ++i) head += (i ? ", " : "") + std::to_string(out[i]);
  std::uint64_t sum = 0;
  for (std::size_t k = 0; k < out.size(); ++k) sum += (k + 1) * out[k];
  EXPECT_EQ(std::to_string(out.size()) + " " + head + "] " + std::to_string(sum),
            "1508 [0, 2, 4, 3, 8, 1, 5, 15, 17, 20, 22, 24] 2063055826");
}

// libstdc++'s push_heap/pop_heap/make_heap sift as heapq does (an independent implementation of the
// same algorithm), so over any sequence of operations both must pop the same entries in the same order.
struct Later {
  bool operator()(const TimerEntry& a, const TimerEntry& b) const { return a.when > b.when; }
};

RC_GTEST_PROP(TimerHeap, PopsWhatTheStandardLibrarysHeapPops, ()) {
  const auto ops = *rc::gen::container<std::vector<int>>(rc::gen::inRange(0, 100));
  const auto spread = *rc::gen::inRange<Nanos>(1, 40);  // small: many ties
  TimerHeap h;
  std::vector<TimerEntry> model;
  std::uintptr_t next = 0;
  for (int op : ops) {
    if (op < 35 && !model.empty()) {
      std::pop_heap(model.begin(), model.end(), Later{});
      RC_ASSERT(h.pop().entry == model.back().entry);
      model.pop_back();
    } else if (op < 38) {
      auto drop = [](const TimerEntry& e) { return e.entry % 2 == 0; };
      h.filter_and_heapify(drop);
      model.erase(std::remove_if(model.begin(), model.end(), drop), model.end());
      std::make_heap(model.begin(), model.end(), Later{});
    } else {
      const TimerEntry e{static_cast<Nanos>(op * 7919) % spread, next++};
      h.push(e);
      model.push_back(e);
      std::push_heap(model.begin(), model.end(), Later{});
    }
    RC_ASSERT(h.size() == model.size());
    if (!model.empty()) RC_ASSERT(h.front().entry == model.front().entry);
  }
}

// A deep heap (18 levels), where heappop takes the two-level step many times in a row and its
// prefetches reach the last levels.
TEST(TimerHeap, ADeepHeapPopsWhatTheStandardLibrarysHeapPops) {
  TimerHeap h;
  std::vector<TimerEntry> model;
  for (std::uintptr_t i = 0; i < 200'000; ++i) {
    const TimerEntry e{static_cast<Nanos>(i * 2654435761u % 5000), i};
    h.push(e);
    model.push_back(e);
    std::push_heap(model.begin(), model.end(), Later{});
  }
  std::size_t mismatches = 0;
  while (!model.empty()) {
    std::pop_heap(model.begin(), model.end(), Later{});
    mismatches += h.pop().entry != model.back().entry;
    model.pop_back();
  }
  EXPECT_EQ(mismatches, 0u);
  EXPECT_TRUE(h.empty());
}

}  // namespace
}  // namespace asyncio::detail
