// generator: generator expressions, evaluated lazily.
#include <fmt/format.h>

#include "../interp.hpp"

namespace aiospec::interp {

using namespace scenario;

// A generator expression runs lazily, one element per __next__, so any(), all() and next() stop as
// early as in Python. Its first iterable was evaluated when the expression was (in the enclosing scope).
struct GenExpObj final : NativeObj {
  const Comp* comp = nullptr;
  Frame frame;
  std::vector<Ref<CellObj>> closure;
  std::vector<Object> iters;  // one per active `for` clause, outermost first
  const char* qualname = "";
  const char* type_name() const override { return "generator"; }
  std::string repr(Interp&) override {
    return fmt::format("<generator object {} at {:#x}>", qualname, reinterpret_cast<std::uintptr_t>(this));
  }
  Object getattr(Interp& ip, const Object& self, std::string_view name) override {
    if (name != "__next__") return {};
    return ip.builtin("__next__", [](Interp& ip, BuiltinObj& b, CallArgs&) -> Object {
      return ip.genexp_next(*static_cast<GenExpObj*>(b.self.as<NativeObj>()));
    }, self);
  }
};

Object Interp::make_genexp(const Comp& c, Frame& f, Object first) {
  auto g = asyncio::make_ref<GenExpObj>();
  g->comp = &c;
  init_slots(g->frame, c.scope);
  g->closure = capture(c.scope, f);
  g->frame.closure = &g->closure;
  g->frame.qualname = f.qualname;
  g->qualname = child_qualname(*this, f, "<genexpr>");
  g->iters.push_back(iter(first));
  auto it = asyncio::make_ref<IterObj>();
  it->src = Object(Tag::Native, g);
  return Object(Tag::Iter, it);
}

Object Interp::genexp_next(GenExpObj& g) {
  const Comp& c = *g.comp;
  Frame& cf = g.frame;
  while (!g.iters.empty()) {
    const std::size_t gi = g.iters.size() - 1;
    Object v;
    if (!next(*g.iters.back().as<IterObj>(), v)) {
      g.iters.pop_back();
      continue;
    }
    step();
    const Comprehension& gen = c.generators[gi];
    assign(gen.target, cf, v);
    bool ok = true;
    for (Expr* cond : gen.ifs)
      if (!truthy(eval(cond, cf))) {
        ok = false;
        break;
      }
    if (!ok) continue;
    if (gi + 1 < c.generators.size()) {
      g.iters.push_back(iter(eval(c.generators[gi + 1].iter, cf)));
      continue;
    }
    return eval(c.elt, cf);
  }
  return Object();
}

}  // namespace aiospec::interp
