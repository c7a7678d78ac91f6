// Iterators implemented in C++ (zip, map, filter, enumerate, itertools'): lazy, one item per step.
#include <fmt/format.h>

#include "../interp.hpp"

namespace aiospec::interp {

namespace {

// `step` produces the next item (false at the end); once ended the iterator stays ended, as
// CPython's C iterators do.
struct LazyIter final : NativeObj {
  LazyIter(const char* n, IterStep s, IterRepr r) : name(n), step(std::move(s)), show(std::move(r)) {}
  const char* name;
  IterStep step;
  IterRepr show;
  bool done = false;
  const char* type_name() const override { return name; }
  std::string repr(Interp& ip) override {
    if (show) return show(ip);
    Ref<TypeObj> t = ip.native_type(name);
    return fmt::format("<{}{} object at {:#x}>", t->module.empty() ? "" : t->module + ".", name, reinterpret_cast<std::uintptr_t>(this));
  }
  Object getattr(Interp&, const Object&, std::string_view) override { return {}; }
  bool iternext(Interp& ip, const Object&, Object& out) override {
    if (done) return false;
    Ref<LazyIter> keep(this);  // a step may drop the last other reference
    done = !step(ip, out);
    return !done;
  }
};

}  // namespace

Object lazy_iter(const char* type_name, IterStep step, IterRepr repr) {
  auto it = asyncio::make_ref<IterObj>();
  it->src = make<LazyIter>(Tag::Native, type_name, std::move(step), std::move(repr));
  return Object(Tag::Iter, it);
}

}  // namespace aiospec::interp
