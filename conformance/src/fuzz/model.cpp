#include "aiospec/fuzz/model.hpp"

#include <algorithm>
#include <cmath>
#include <map>

#include <fmt/format.h>

namespace aiospec::fuzz {

namespace {

struct Ambiguous {
  std::string why;
};

struct Outcome {
  enum class Kind { Value, Error, Cancelled } kind = Kind::Value;
  std::string value;  // Value: the returned string
  int task = -1;
};

// As `print(label, await t)` shows it (the generated handlers print "cancelled" and repr(e)).
std::string await_text(const Outcome& o) {
  switch (o.kind) {
    case Outcome::Kind::Value: return o.value;
    case Outcome::Kind::Error: return fmt::format("ValueError('t{}')", o.task);
    case Outcome::Kind::Cancelled: return "cancelled";
  }
  return "";
}

// As an element of gather(..., return_exceptions=True)'s list (tasks.py: _done_callback makes
// CancelledError('') for a cancelled child).
std::string result_repr(const Outcome& o) {
  switch (o.kind) {
    case Outcome::Kind::Value: return "'" + o.value + "'";
    case Outcome::Kind::Error: return fmt::format("ValueError('t{}')", o.task);
    case Outcome::Kind::Cancelled: return "CancelledError('')";
  }
  return "";
}

std::string py_list(const std::vector<std::string>& reprs) {
  std::string out = "[";
  for (std::size_t i = 0; i < reprs.size(); ++i) out += (i ? ", " : "") + reprs[i];
  return out + "]";
}

class Model {
 public:
  Model(const Program& p, std::int64_t margin) : p_(p), margin_(margin) {}

  Expected run() {
    Expected e;
    try {
      const Outcome main = run_task(0, 0).out;
      emit("main " + await_text(main), std::nullopt, -1);
      emit("closed True 0", std::nullopt, -1);
    } catch (const Ambiguous& a) {
      e.ambiguous = true;
      e.why = a.why;
    }
    e.lines = std::move(lines_);
    return e;
  }

 private:
  struct Child {
    int id = -1;
    std::int64_t start = 0;
    std::int64_t segment = 0;  // the parent's segment when it was created
    std::int64_t finish = 0;
    Outcome out;
    // Leaves: when they run code (start and the end of every sleep), their events, and a cancel.
    std::vector<std::int64_t> boundaries;
    std::vector<std::pair<std::int64_t, std::size_t>> events;
    std::optional<std::int64_t> cancelled_at;
    std::int64_t cancel_segment = -1;
    bool never_started = false;
  };
  struct Finished {
    std::int64_t finish;
    Outcome out;
  };

  bool near(std::int64_t a, std::int64_t b) const { return std::llabs(a - b) < margin_; }

  void emit(std::string text, std::optional<std::int64_t> us, int task) {
    lines_.push_back({std::move(text), us, task});
  }

  Outcome ending(int k) const {
    Outcome o;
    o.task = k;
    if (p_.tasks[k].raises) {
      o.kind = Outcome::Kind::Error;
    } else {
      o.value = fmt::format("r{}", k);
    }
    return o;
  }

  Child leaf(int id, std::int64_t start, std::int64_t segment) const {
    Child c;
    c.id = id;
    c.start = start;
    c.segment = segment;
    std::int64_t t = start;
    c.boundaries.push_back(t);
    const auto& steps = p_.tasks[id].steps;
    for (std::size_t i = 0; i < steps.size(); ++i) {
      if (steps[i].kind == Step::Kind::Event) {
        c.events.emplace_back(t, i);
      } else {
        t += steps[i].us;
        c.boundaries.push_back(t);
      }
    }
    c.finish = t;
    c.out = ending(id);
    return c;
  }

  void emit_leaf(const Child& c) {
    if (c.never_started) return;
    for (auto& [t, i] : c.events)
      if (!c.cancelled_at || t < *c.cancelled_at) emit(fmt::format("t{}.{}", c.id, i), t, c.id);
    if (c.cancelled_at) emit(fmt::format("t{}.c", c.id), *c.cancelled_at, c.id);
  }

  // Whether `c` is done when its parent looks at time `t`. At the call of a combinator, a child
  // created since the parent last suspended has not run at all (create_task only schedules it).
  bool done_at(const Child& c, std::int64_t t, bool at_call, std::int64_t segment, const char* what) const {
    if (at_call && c.segment == segment) return false;
    if (c.finish + margin_ <= t) return true;
    if (c.finish >= t + margin_) return false;
    throw Ambiguous{fmt::format("{}: t{} finishes at the instant t{} is looked at ({} us)", what, c.id, c.id, t)};
  }

  // Task.cancel() on a leaf child at `now`; returns what cancel() returns.
  bool cancel(Child& c, std::int64_t now, std::int64_t segment) {
    if (c.cancelled_at) {
      if (*c.cancelled_at + margin_ <= now) return false;  // already finished by the first cancel
      if (c.cancel_segment == segment) return true;       // not yet delivered: still pending
      throw Ambiguous{fmt::format("second cancel of t{} at the instant it handles the first", c.id)};
    }
    if (c.segment == segment) {  // never started: its coroutine is closed before the try
      c.never_started = true;
    } else {
      for (std::int64_t b : c.boundaries)
        if (near(b, now)) throw Ambiguous{fmt::format("cancel of t{} at an instant it runs ({} us)", c.id, now)};
      if (c.finish < now) return false;
      if (p_.tasks[c.id].swallow) {
        c.out.kind = Outcome::Kind::Value;
        c.out.value = fmt::format("s{}", c.id);
      }
    }
    if (c.never_started || !p_.tasks[c.id].swallow) c.out.kind = Outcome::Kind::Cancelled;
    c.cancelled_at = now;
    c.cancel_segment = segment;
    c.finish = now;
    return true;
  }

  Finished run_task(int k, std::int64_t start) {
    const Task& task = p_.tasks[k];
    std::int64_t now = start;
    std::int64_t segment = 0;  // advances whenever this task may suspend
    std::map<int, Child> kids;
    std::vector<int> order;    // children in creation order
    auto kid = [&](int id) -> Child& { return kids.at(id); };

    for (std::size_t i = 0; i < task.steps.size(); ++i) {
      const Step& s = task.steps[i];
      const std::string label = fmt::format("t{}.{}", k, i);
      switch (s.kind) {
        case Step::Kind::Sleep:
          now += s.us;
          ++segment;
          break;
        case Step::Kind::Event: emit(label, now, k); break;
        case Step::Kind::Spawn: {
          Child c;
          if (p_.tasks[s.task].leaf) {
            c = leaf(s.task, now, segment);
          } else {
            Finished f = run_task(s.task, now);
            c.id = s.task;
            c.start = now;
            c.segment = segment;
            c.finish = f.finish;
            c.out = f.out;
          }
          kids.emplace(s.task, std::move(c));
          order.push_back(s.task);
          break;
        }
        case Step::Kind::Await: {
          const Child& c = kid(s.task);
          now = std::max(now, c.finish);
          emit(label + " " + await_text(c.out), now, k);
          ++segment;
          break;
        }
        case Step::Kind::Gather: now = gather(k, label, s, kids, now, segment); ++segment; break;
        case Step::Kind::Wait: now = wait(k, label, s, kids, now, segment); ++segment; break;
        case Step::Kind::AsCompleted: now = as_completed(k, label, s, kids, now, segment); ++segment; break;
        case Step::Kind::Cancel:
          emit(label + (cancel(kid(s.task), now, segment) ? " True" : " False"), now, k);
          break;
      }
    }
    if (!order.empty()) {
      std::vector<std::string> reprs;
      for (int id : order) {
        now = std::max(now, kid(id).finish);
        reprs.push_back(result_repr(kid(id).out));
      }
      emit(fmt::format("t{}.j {}", k, py_list(reprs)), now, k);
    }
    for (int id : order)
      if (p_.tasks[id].leaf) emit_leaf(kid(id));
    return {now, ending(k)};
  }

  std::int64_t gather(int k, const std::string& label, const Step& s, std::map<int, Child>& kids, std::int64_t now,
                      std::int64_t segment) {
    std::vector<const Child*> cs;
    for (int id : s.tasks) cs.push_back(&kids.at(id));
    std::vector<const Child*> failed;
    for (const Child* c : cs)
      if (c->out.kind != Outcome::Kind::Value) failed.push_back(c);
    if (s.return_exceptions || failed.empty()) {
      std::vector<std::string> reprs;
      for (const Child* c : cs) {
        now = std::max(now, c->finish);
        reprs.push_back(s.return_exceptions ? result_repr(c->out) : "'" + c->out.value + "'");
      }
      emit(label + " " + py_list(reprs), now, k);
      return now;
    }
    // The first failure: among children already done, the first in argument order (their done
    // callbacks are scheduled in that order); otherwise the first to finish.
    const Child* first = nullptr;
    for (const Child* c : failed)
      if (done_at(*c, now, true, segment, "gather")) {
        first = c;
        break;
      }
    if (!first) {
      std::sort(failed.begin(), failed.end(), [](const Child* a, const Child* b) { return a->finish < b->finish; });
      if (failed.size() > 1 && near(failed[0]->finish, failed[1]->finish))
        throw Ambiguous{fmt::format("gather: t{} and t{} fail at the same instant", failed[0]->id, failed[1]->id)};
      first = failed[0];
      now = std::max(now, first->finish);
    }
    emit(label + " " + await_text(first->out), now, k);
    return now;
  }

  std::int64_t wait(int k, const std::string& label, const Step& s, std::map<int, Child>& kids, std::int64_t now,
                    std::int64_t segment) {
    std::vector<const Child*> cs, pend;
    std::vector<bool> done0;
    bool any_done = false, any_error = false;
    for (int id : s.tasks) {
      const Child* c = &kids.at(id);
      cs.push_back(c);
      const bool d = done_at(*c, now, true, segment, "wait");
      done0.push_back(d);
      any_done |= d;
      any_error |= d && c->out.kind == Outcome::Kind::Error;
      if (!d) pend.push_back(c);
    }
    std::sort(pend.begin(), pend.end(), [](const Child* a, const Child* b) { return a->finish < b->finish; });
    std::int64_t w = now;
    const Child* trigger = nullptr;
    bool all_complete = pend.empty();
    if (!(pend.empty() || (s.mode == WaitMode::FirstCompleted && any_done) ||
          (s.mode == WaitMode::FirstException && any_error))) {
      if (s.mode == WaitMode::FirstCompleted) {
        trigger = pend[0];
      } else if (s.mode == WaitMode::FirstException) {
        for (const Child* c : pend)
          if (c->out.kind == Outcome::Kind::Error) {
            trigger = c;
            break;
          }
      }
      if (!trigger) {
        trigger = pend.back();
        all_complete = true;
      }
      w = trigger->finish;
      if (s.timeout_us) {
        const std::int64_t wt = now + *s.timeout_us;
        if (near(wt, w)) throw Ambiguous{fmt::format("wait: timeout at the instant t{} finishes", trigger->id)};
        if (wt < w) {
          w = wt;
          trigger = nullptr;
          all_complete = false;
        }
      }
    }
    std::vector<std::string> done, pending;
    for (std::size_t i = 0; i < cs.size(); ++i) {
      const Child* c = cs[i];
      bool d;
      if (done0[i] || c == trigger || all_complete) {
        d = true;
      } else if (near(c->finish, w)) {
        throw Ambiguous{fmt::format("wait: t{} finishes at the instant wait returns", c->id)};
      } else {
        d = c->finish < w;
      }
      (d ? done : pending).push_back(fmt::format("'t{}'", c->id));
    }
    std::sort(done.begin(), done.end());
    std::sort(pending.begin(), pending.end());
    emit(label + " " + py_list(done) + " " + py_list(pending), w, k);
    return w;
  }

  std::int64_t as_completed(int k, const std::string& label, const Step& s, std::map<int, Child>& kids,
                            std::int64_t now, std::int64_t segment) {
    std::vector<const Child*> already, rest;
    for (int id : s.tasks) {
      const Child* c = &kids.at(id);
      (done_at(*c, now, true, segment, "as_completed") ? already : rest).push_back(c);
    }
    std::vector<std::string> names;
    for (const Child* c : already) names.push_back(fmt::format("'t{}'", c->id));
    std::sort(names.begin(), names.end());
    emit(label + " done " + py_list(names), now, k);
    // as_completed iterates a set to add its callbacks: the order of futures already done is unspecified.
    if (already.size() > 1) throw Ambiguous{"as_completed: several futures already done"};
    std::sort(rest.begin(), rest.end(), [](const Child* a, const Child* b) { return a->finish < b->finish; });
    for (std::size_t i = 0; i + 1 < rest.size(); ++i)
      if (near(rest[i]->finish, rest[i + 1]->finish))
        throw Ambiguous{fmt::format("as_completed: t{} and t{} finish at the same instant", rest[i]->id, rest[i + 1]->id)};
    if (!already.empty() && !rest.empty() && near(rest[0]->finish, now))
      throw Ambiguous{fmt::format("as_completed: t{} finishes as it starts", rest[0]->id)};
    already.insert(already.end(), rest.begin(), rest.end());
    for (const Child* c : already) {
      now = std::max(now, c->finish);
      emit(label + " " + await_text(c->out), now, k);
    }
    return now;
  }

  const Program& p_;
  std::int64_t margin_;
  std::vector<ExpectedLine> lines_;
};

}  // namespace

Expected model(const Program& p, std::int64_t margin_us) { return Model(p, margin_us).run(); }

int line_task(const std::string& text) {
  if (text.size() < 3 || text[0] != 't') return -1;
  int k = 0;
  std::size_t i = 1;
  for (; i < text.size() && text[i] >= '0' && text[i] <= '9'; ++i) k = k * 10 + (text[i] - '0');
  return i > 1 && i < text.size() && text[i] == '.' ? k : -1;
}

std::string check_trace(const Expected& e, const std::vector<TimedLine>& observed, std::int64_t quantum_us) {
  using Key = std::pair<std::string, std::optional<std::int64_t>>;
  auto quantum = [&](std::optional<double> s) -> std::optional<std::int64_t> {
    if (!s) return std::nullopt;
    return std::llround(*s * 1e6 / static_cast<double>(quantum_us));
  };
  std::vector<Key> want, got;
  for (auto& l : e.lines)
    want.emplace_back(l.text, l.us ? std::optional<std::int64_t>(*l.us / quantum_us) : std::nullopt);
  for (auto& l : observed) got.emplace_back(l.text, quantum(l.seconds));
  std::sort(want.begin(), want.end());
  std::sort(got.begin(), got.end());
  auto show = [&](const Key& k) {
    return k.second ? fmt::format("'{}' at {} s", k.first, static_cast<double>(*k.second * quantum_us) / 1e6)
                    : fmt::format("'{}' outside the loop", k.first);
  };
  if (want != got) {
    std::vector<Key> missing, extra;
    std::set_difference(want.begin(), want.end(), got.begin(), got.end(), std::back_inserter(missing));
    std::set_difference(got.begin(), got.end(), want.begin(), want.end(), std::back_inserter(extra));
    std::string out = "the lines or their times differ from the model:";
    for (auto& k : missing) out += "\n  expected " + show(k);
    for (auto& k : extra) out += "\n  observed " + show(k);
    return out;
  }
  std::optional<double> last;
  for (auto& l : observed) {
    if (!l.seconds) continue;
    if (last && *l.seconds < *last) return fmt::format("time goes backwards at '{}'", l.text);
    last = l.seconds;
  }
  std::map<int, std::vector<std::string>> want_order, got_order;
  for (auto& l : e.lines) want_order[l.task].push_back(l.text);
  for (auto& l : observed) got_order[line_task(l.text)].push_back(l.text);
  for (auto& [task, texts] : want_order)
    if (got_order[task] != texts)
      return fmt::format("task t{}'s lines are out of program order: expected\n  {}\nobserved\n  {}", task,
                         fmt::join(texts, "\n  "), fmt::join(got_order[task], "\n  "));
  return "";
}

}  // namespace aiospec::fuzz
