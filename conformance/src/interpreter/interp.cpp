// The interpreter itself: its construction, interned names, and stopping a program.
#include <fmt/format.h>

#include "interp.hpp"

namespace aiospec::interp {

namespace {

thread_local Interp* g_current = nullptr;

}  // namespace

Interp* current_interp() { return g_current; }

// Objects/object.c's trashcan (Py_TRASHCAN_BEGIN): freeing the last reference to a deeply nested
// structure (a list of lists a million deep) would recurse once per level on the C++ stack. Past
// kDepth levels the object is kept for the outermost release to free, one after another.
void Object::trashcan_release(RefCounted* p) noexcept {
  constexpr int kDepth = 50;
  thread_local int depth = 0;
  thread_local std::vector<RefCounted*> later;
  if (depth >= kDepth) {
    later.push_back(p);
    return;
  }
  ++depth;
  p->release();
  if (depth == 1)
    while (!later.empty()) {
      RefCounted* q = later.back();
      later.pop_back();
      q->release();
    }
  --depth;
}

Interp::Interp(const scenario::Module& m, const ExecOptions& o) : mod(m), opts(o), recursion_limit(o.recursion_limit) {
  g_current = this;
  setup_types();
  globals.resize(mod.globals.size());
  install_builtins(*this);
  builtin_for_global.resize(mod.globals.size());
  for (std::size_t i = 0; i < mod.globals.size(); ++i) {
    auto it = builtins.find(mod.globals[i]);
    if (it != builtins.end()) builtin_for_global[i] = it->second;
  }
}

Interp::~Interp() {
  if (g_current == this) g_current = nullptr;
}

int& Interp::coro_depth(Ref<FutureExtras>& owner) {
  asyncio::TaskBase* task = asyncio::current_task();
  if (!task) return call_depth;
  owner = Ref<FutureExtras>(&extras_for(*task));
  return owner->coro_depth;
}

int Interp::depth() {
  // A task's step is one frame more than a plain callback's: Handle._run calls context.run(),
  // which calls the task's __step (Modules/_asynciomodule.c), which sends into the coroutine.
  asyncio::TaskBase* task = asyncio::current_task();
  const FutureExtras* x = task ? extras_of(*task) : nullptr;
  return call_depth + (task ? 1 : 0) + (x ? x->coro_depth : 0);
}

void Interp::enter_recursive_call(const char* where) {
  ++call_depth;
  if (depth() > recursion_limit) [[unlikely]] {
    --call_depth;
    raise(T.RecursionError, std::string("maximum recursion depth exceeded") + where);
  }
  if (stack_nearly_full()) [[unlikely]] {
    --call_depth;
    stack_full();
  }
}

void Interp::stack_full() {
  // Only a limit raised past what the stack holds gets here (CPython itself would crash).
  raise(T.RecursionError, fmt::format("maximum recursion depth exceeded (the interpreter's stack of {} MiB is full at depth {}, "
                                      "below sys.getrecursionlimit() {})", kProgramStackBytes >> 20, depth(), recursion_limit));
}

const char* Interp::intern(std::string s) { return interned.insert(std::move(s)).first->c_str(); }

Object Interp::closure_builtin(const char* name, std::function<Object(Interp&, CallArgs&)> fn) {
  auto b = asyncio::make_ref<BuiltinObj>(name, nullptr);
  b->closure = std::move(fn);
  return Object(Tag::Builtin, b);
}

void Interp::refuse(std::string_view what) {
  abort(fmt::format("{}:{}:{}: {} is outside the scenario language (see spec/language.md)", mod.filename, line, col, what));
}

void Interp::deadlock(const asyncio::Deadlock& d) {
  std::string msg = d.str();
  if (clock_loop_) {
    // Name what waits forever: the loop's unfinished tasks, the main task first.
    std::string tasks;
    for (auto& t : clock_loop_->all_tasks()) tasks += (tasks.empty() ? "" : ", ") + future_repr(*this, *t);
    if (!tasks.empty()) msg += "; waiting forever: " + tasks;
  }
  abort(msg);
}

void Interp::abort(std::string message) {
  aborting = true;
  throw Abort(std::move(message));
}

}  // namespace aiospec::interp
