// Properties of the typed API over arbitrary sleep schedules: a tree of tasks, each sleeping through a
// list of delays (zeros and repeated values included) and then gathering its children. The expected
// outcomes come from a model computed without the loop.
#include <gtest/gtest.h>
#include <rapidcheck/gtest.h>

#include <algorithm>
#include <cmath>

#include "loop_support.hpp"

namespace asyncio::test {
namespace {

struct Node {
  int id = 0;
  std::vector<int> delays_ms;  // slept one after another
  std::vector<Node> children;  // then gathered, in this order
};

rc::Gen<Node> gen_node(int depth) {
  return rc::gen::exec([depth] {
    Node n;
    const auto delay = rc::gen::elementOf(std::vector<int>{0, 0, 1, 2, 3, 5, 8});
    n.delays_ms = *rc::gen::container<std::vector<int>>(*rc::gen::inRange(0, 4), delay);
    if (depth > 0) {
      const int count = *rc::gen::inRange(0, 5);
      for (int i = 0; i < count; ++i) n.children.push_back(*gen_node(depth - 1));
    }
    return n;
  });
}

/// Numbers the nodes in preorder; returns the count.
int number(Node& n, int next = 0) {
  n.id = next++;
  for (auto& c : n.children) next = number(c, next);
  return next;
}

/// The model: when each node finishes, in ms, if it starts at `start` (children start when their
/// parent has slept through its delays, and the parent finishes with its last child).
int model_finish(const Node& n, int start, std::vector<int>& finish) {
  int t = start;
  for (int d : n.delays_ms) t += d;
  int end = t;
  for (auto& c : n.children) end = std::max(end, model_finish(c, t, finish));
  finish[n.id] = end;
  return end;
}

int sleeps(const Node& n) {
  int s = static_cast<int>(n.delays_ms.size());
  for (auto& c : n.children) s += sleeps(c);
  return s;
}

struct Observed {
  std::vector<int> body_runs;
  std::vector<int> completion_order;
  std::vector<double> finish_time;
  std::vector<Task<int>> tasks;
  bool gather_in_argument_order = true;
};

Coro<int> node_body(const Node& n, Observed& o) {
  ++o.body_runs[n.id];
  for (int d : n.delays_ms) co_await sleep(d / 1000.0);
  if (!n.children.empty()) {
    std::vector<Task<int>> ts;
    for (auto& c : n.children) ts.push_back(create_task(node_body(c, o)));
    o.tasks.insert(o.tasks.end(), ts.begin(), ts.end());
    const auto results = co_await gather(ts);
    for (std::size_t i = 0; i < results.size(); ++i)
      if (results[i] != n.children[i].id) o.gather_in_argument_order = false;
  }
  o.completion_order.push_back(n.id);
  o.finish_time[n.id] = get_running_loop().time();
  co_return n.id;
}

struct ScheduleRun {
  Node root;
  int nodes;
  std::vector<int> model;  // finish time per node, ms
  Observed seen;
  double start = 0;
  EventLoopPtr loop;
};

ScheduleRun run_schedule(Node root) {
  ScheduleRun out{std::move(root), 0, {}, {}, 0, nullptr};
  out.nodes = number(out.root);
  out.model.assign(out.nodes, 0);
  model_finish(out.root, 0, out.model);
  out.seen.body_runs.assign(out.nodes, 0);
  out.seen.finish_time.assign(out.nodes, -1);
  auto main = [&]() -> Coro<int> {
    out.loop = EventLoopPtr(&get_running_loop());
    out.start = out.loop->time();
    co_return co_await node_body(out.root, out.seen);
  };
  RC_ASSERT(run(main()) == 0);
  return out;
}

RC_GTEST_PROP(SleepSchedules, GatherReturnsArgumentOrder, ()) {
  const auto o = run_schedule(*gen_node(3));
  RC_ASSERT(o.seen.gather_in_argument_order);
}

RC_GTEST_PROP(SleepSchedules, DistinctDeadlinesCompleteInDeadlineOrder, ()) {
  const auto o = run_schedule(*gen_node(3));
  std::vector<int> position(o.nodes, -1);
  for (std::size_t i = 0; i < o.seen.completion_order.size(); ++i) position[o.seen.completion_order[i]] = int(i);
  for (int a = 0; a < o.nodes; ++a)
    for (int b = 0; b < o.nodes; ++b)
      if (o.model[a] < o.model[b]) RC_ASSERT(position[a] < position[b]);
}

// Every clock read advances the virtual clock by 1 ns, so a node finishes later than its model time by
// the reads made along its path: its timer's call_later, and the two reads of each loop iteration
// (poll timeout, due timers) between a wake-up and the next sleep. Each sleep and each task costs at
// most three iterations, so 8 ns per sleep and per task bounds the drift. Any scheduling error is at
// least 1 ms, the delay unit.
RC_GTEST_PROP(SleepSchedules, TotalVirtualTimeIsTheLongestPath, ()) {
  const auto o = run_schedule(*gen_node(3));
  const double elapsed_ns = (o.seen.finish_time[0] - o.start) * 1e9;
  const double model_ns = o.model[0] * 1e6;
  const double tolerance_ns = 8.0 * (sleeps(o.root) + o.nodes);
  RC_ASSERT(elapsed_ns >= model_ns - 0.5);
  RC_ASSERT(elapsed_ns <= model_ns + tolerance_ns);
}

RC_GTEST_PROP(SleepSchedules, NoTaskIsLostAndEveryBodyRunsOnce, ()) {
  const auto o = run_schedule(*gen_node(3));
  RC_ASSERT(static_cast<int>(o.seen.tasks.size()) == o.nodes - 1);
  for (auto& t : o.seen.tasks) RC_ASSERT(t.done() && !t.cancelled());
  for (int runs : o.seen.body_runs) RC_ASSERT(runs == 1);
  RC_ASSERT(static_cast<int>(o.seen.completion_order.size()) == o.nodes);
  RC_ASSERT(o.loop->all_tasks().empty());
}

RC_GTEST_PROP(SleepSchedules, TheLoopIsClosedAfterRun, ()) {
  const auto o = run_schedule(*gen_node(2));
  RC_ASSERT(o.loop->is_closed());
  RC_ASSERT(!o.loop->is_running());
  RC_ASSERT(running_loop() == nullptr);
  RC_ASSERT(raised([] { get_event_loop(); }) == "RuntimeError: There is no current event loop in thread 'MainThread'.");
}

}  // namespace
}  // namespace asyncio::test
