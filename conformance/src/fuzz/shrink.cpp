#include <algorithm>

#include "aiospec/fuzz/generate.hpp"

namespace aiospec::fuzz {

namespace {

using Kind = Step::Kind;

bool has_list(Kind k) { return k == Kind::Gather || k == Kind::Wait || k == Kind::AsCompleted; }

// The program without task `root` and its descendants: the steps that create, await, cancel or wait for
// them go (a gather or wait keeps its other children), and the remaining tasks are renumbered in order.
Program without_task(const Program& p, int root) {
  const int n = static_cast<int>(p.tasks.size());
  std::vector<bool> gone(static_cast<std::size_t>(n));
  std::vector<int> index(static_cast<std::size_t>(n), -1);
  int next = 0;
  for (int k = 0; k < n; ++k) {  // a child's index is greater than its parent's
    gone[k] = k == root || (p.tasks[k].parent >= 0 && gone[p.tasks[k].parent]);
    if (!gone[k]) index[k] = next++;
  }
  Program out;
  for (int k = 0; k < n; ++k) {
    if (gone[k]) continue;
    Task t = p.tasks[k];
    if (t.parent >= 0) t.parent = index[t.parent];
    std::vector<Step> steps;
    for (Step s : t.steps) {
      if (has_list(s.kind)) {
        std::erase_if(s.tasks, [&](int id) { return gone[id]; });
        if (s.tasks.empty()) continue;
        for (int& id : s.tasks) id = index[id];
      } else if (s.task >= 0) {
        if (gone[s.task]) continue;
        s.task = index[s.task];
      }
      steps.push_back(std::move(s));
    }
    t.steps = std::move(steps);
    out.tasks.push_back(std::move(t));
  }
  return out;
}

}  // namespace

std::vector<Program> shrinks(const Program& p) {
  std::vector<Program> out;
  auto with = [&](auto change) {
    Program q = p;
    change(q);
    out.push_back(std::move(q));
  };
  // Whole tasks first (a subtree at a time, in creation order: a subtree before its parts), then whole
  // steps, then simpler steps.
  for (int k = 1; k < static_cast<int>(p.tasks.size()); ++k) out.push_back(without_task(p, k));
  for (std::size_t k = 0; k < p.tasks.size(); ++k)
    for (std::size_t i = 0; i < p.tasks[k].steps.size(); ++i)
      if (p.tasks[k].steps[i].kind != Kind::Spawn)
        with([&](Program& q) { q.tasks[k].steps.erase(q.tasks[k].steps.begin() + static_cast<std::ptrdiff_t>(i)); });
  for (std::size_t k = 0; k < p.tasks.size(); ++k) {
    const Task& t = p.tasks[k];
    if (t.raises) with([&](Program& q) { q.tasks[k].raises = false; });
    if (t.swallow) with([&](Program& q) { q.tasks[k].swallow = false; });
    for (std::size_t i = 0; i < t.steps.size(); ++i) {
      const Step& s = t.steps[i];
      auto step = [&](auto change) { with([&](Program& q) { change(q.tasks[k].steps[i]); }); };
      // Shorter sleeps stay on whole milliseconds: a shrunk sleep shorter than a real-time loop can keep
      // would make a difference of its own.
      if (s.kind == Kind::Sleep && s.us > 0) {
        step([](Step& q) { q.us = 0; });
        if (s.us % 1000 != 0 && s.us > 1000) step([](Step& q) { q.us -= q.us % 1000; });
        if (s.us / 2 >= 1000) step([](Step& q) { q.us = q.us / 2 - q.us / 2 % 1000; });
      }
      if (s.timeout_us) step([](Step& q) { q.timeout_us.reset(); });
      if (s.kind == Kind::Wait && s.mode != WaitMode::AllCompleted) step([](Step& q) { q.mode = WaitMode::AllCompleted; });
      if (s.return_exceptions) step([](Step& q) { q.return_exceptions = false; });
      if (has_list(s.kind) && s.tasks.size() > 1)
        for (std::size_t j = 0; j < s.tasks.size(); ++j)
          step([j](Step& q) { q.tasks.erase(q.tasks.begin() + static_cast<std::ptrdiff_t>(j)); });
    }
  }
  return out;
}

std::size_t size(const Program& p) {
  std::size_t n = 0;
  for (const Task& t : p.tasks) n += t.steps.size();
  return n;
}

}  // namespace aiospec::fuzz
