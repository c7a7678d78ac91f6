// The `time` module on the program's clock.
#include <fmt/format.h>

#include "../interp.hpp"

namespace aiospec::interp {

Object module_time(Interp& ip) {
  auto m = asyncio::make_ref<ModuleObj>("time");
  auto& A = m->attrs;
  // Epoch-like offset for time.time(); monotonic clocks start near 0 like a fresh process.
  A["time"] = ip.builtin("time", [](Interp& ip, BuiltinObj&, CallArgs& a) {
    check_args(ip, "time", a, 0, 0);
    return Object::real(1.7e9 + ip.now());
  });
  for (const char* n : {"monotonic", "perf_counter", "process_time"})
    A[n] = ip.builtin(n, [](Interp& ip, BuiltinObj& b, CallArgs& a) {
      check_args(ip, b.name, a, 0, 0);
      return Object::real(ip.now());
    });
  A["time_ns"] = ip.builtin("time_ns", [](Interp& ip, BuiltinObj&, CallArgs& a) {
    check_args(ip, "time_ns", a, 0, 0);
    return Object::integer(1'700'000'000'000'000'000LL + ip.now_ns());
  });
  for (const char* n : {"monotonic_ns", "perf_counter_ns"})
    A[n] = ip.builtin(n, [](Interp& ip, BuiltinObj& b, CallArgs& a) {
      check_args(ip, b.name, a, 0, 0);
      return Object::integer(ip.now_ns());
    });
  A["sleep"] = ip.builtin("sleep", [](Interp& ip, BuiltinObj&, CallArgs& a) {
    check_args(ip, "sleep", a, 1, 1);
    double d;
    if (a.pos[0].is(Tag::Float)) d = a.pos[0].f();
    else if (a.pos[0].is(Tag::Int) || a.pos[0].is(Tag::Bool)) d = static_cast<double>(a.pos[0].i());
    else ip.raise(ip.T.TypeError, fmt::format("'{}' object cannot be interpreted as an integer", ip.type_of(a.pos[0])->name));
    if (d < 0) ip.raise(ip.T.ValueError, "sleep length must be non-negative");
    ip.sleep_blocking(asyncio::seconds_to_nanos(d));
    return Object::none();
  });
  return Object(Tag::Native, m);
}

void Interp::sleep_blocking(asyncio::Nanos d) {
  // time.sleep blocks the thread: a running loop's clock moves (its callbacks are late, as in
  // CPython); outside a loop only the process clock moves.
  if (auto* l = asyncio::running_loop()) {
    use_loop(*l);
    if (auto* vc = l->virtual_clock()) vc->advance(d);
    return;
  }
  process_clock += d;
}

}  // namespace aiospec::interp
