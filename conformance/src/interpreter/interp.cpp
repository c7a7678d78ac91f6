// The interpreter itself: its construction, interned names, and stopping a program.
#include <fmt/format.h>

#include "interp.hpp"

namespace aiospec::interp {

namespace {

thread_local Interp* g_current = nullptr;

}  // namespace

Interp* current_interp() { return g_current; }

Interp::Interp(const scenario::Module& m, const ExecOptions& o) : mod(m), opts(o) {
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
