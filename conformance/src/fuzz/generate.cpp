#include "aiospec/fuzz/generate.hpp"

#include <algorithm>

namespace aiospec::fuzz {

namespace {

using Kind = Step::Kind;

// A pick in [lo, hi) that shrinks towards lo. RapidCheck's size limits the task budget only, not
// each pick (inRange alone would make small-size programs degenerate).
int pick(int lo, int hi) { return *rc::gen::resize(100, rc::gen::inRange(lo, hi)); }

struct Builder {
  const GenOptions& o;
  int budget;
  Program p;

  std::int64_t duration(bool zero_allowed) {
    std::vector<std::int64_t> table;
    for (std::int64_t t : {0, 1, 2, 4, 6, 8, 12})
      if ((zero_allowed || t > 0) && t <= o.max_sleep_ticks) table.push_back(t);
    const std::int64_t ticks = *rc::gen::elementOf(table);
    std::int64_t us = ticks * o.tick_us;
    if (o.jitter) us += *rc::gen::element<std::int64_t>(0, 0, 100, 200, 300);
    return us;
  }

  // A nonempty subset of `pool` in random argument order.
  std::vector<int> subset(std::vector<int> pool) {
    std::vector<int> out;
    const int n = pick(1, static_cast<int>(pool.size()) + 1);
    for (int j = 0; j < n; ++j) {
      const auto idx = static_cast<std::size_t>(pick(0, static_cast<int>(pool.size())));
      out.push_back(pool[idx]);
      pool.erase(pool.begin() + static_cast<std::ptrdiff_t>(idx));
    }
    return out;
  }

  int task(int parent, int depth) {
    const int id = static_cast<int>(p.tasks.size());
    p.tasks.emplace_back();
    const bool leaf = depth > 0 && (depth >= o.max_depth || pick(0, 3) == 0);
    const bool raises = id != 0 && pick(0, 4) == 0;
    const bool swallow = leaf && pick(0, 2) == 0;
    const int nsteps = pick(id == 0 ? 1 : 0, o.max_steps + 1);
    std::vector<Step> steps;
    std::vector<int> kids, leaf_kids;
    for (int i = 0; i < nsteps; ++i) {
      Step s;
      s.kind = leaf ? *rc::gen::weightedElement<Kind>({{3, Kind::Sleep}, {2, Kind::Event}})
                    : *rc::gen::weightedElement<Kind>({{3, Kind::Sleep}, {2, Kind::Event}, {4, Kind::Spawn},
                                                       {2, Kind::Await}, {2, Kind::Gather}, {2, Kind::Wait},
                                                       {1, Kind::AsCompleted}, {2, Kind::Cancel}});
      const bool can_spawn = static_cast<int>(p.tasks.size()) < budget;
      if ((s.kind == Kind::Cancel && leaf_kids.empty()) || (s.kind > Kind::Spawn && kids.empty()))
        s.kind = Kind::Spawn;
      if (s.kind == Kind::Spawn && !can_spawn) s.kind = Kind::Sleep;
      switch (s.kind) {
        case Kind::Sleep: s.us = duration(true); break;
        case Kind::Event: break;
        case Kind::Spawn:
          s.task = task(id, depth + 1);
          kids.push_back(s.task);
          if (p.tasks[s.task].leaf) leaf_kids.push_back(s.task);
          break;
        case Kind::Await: s.task = *rc::gen::elementOf(kids); break;
        case Kind::Gather:
          s.tasks = subset(kids);
          s.return_exceptions = *rc::gen::arbitrary<bool>();
          break;
        case Kind::Wait:
          s.tasks = subset(kids);
          s.mode = *rc::gen::element(WaitMode::AllCompleted, WaitMode::FirstCompleted, WaitMode::FirstException);
          if (*rc::gen::arbitrary<bool>()) s.timeout_us = duration(false);
          break;
        case Kind::AsCompleted: s.tasks = subset(kids); break;
        case Kind::Cancel: s.task = *rc::gen::elementOf(leaf_kids); break;
      }
      steps.push_back(std::move(s));
    }
    Task& t = p.tasks[id];
    t.parent = parent;
    t.leaf = leaf;
    t.raises = raises;
    t.swallow = swallow;
    t.steps = std::move(steps);
    return id;
  }
};

}  // namespace

rc::Gen<Program> gen_program(GenOptions o) {
  const auto random_program = rc::gen::withSize([o](int size) {
    return rc::gen::exec([o, size] {
      // RapidCheck's size (0-100) grows the task budget from a handful to o.max_tasks.
      const int cap = std::max(1, std::min(o.max_tasks, 3 + size * o.max_tasks / 100));
      Builder b{o, pick(1, cap + 1), {}};
      b.task(-1, 0);
      return std::move(b.p);
    });
  });
  // Shrinking the random picks would rebuild a different tree after each change; shrink the tree.
  return rc::Gen<Program>([random_program](const rc::Random& random, int size) {
    return rc::shrinkable::shrinkRecur(random_program(random, size).value(),
                                       [](const Program& p) { return rc::seq::fromContainer(shrinks(p)); });
  });
}

}  // namespace aiospec::fuzz
