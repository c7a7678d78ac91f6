// Evaluation of the syntax tree: the synchronous evaluator and its coroutine twin for code that
// can suspend (the parser marks it `has_await`).
#include <fmt/format.h>

#include "interp.hpp"
#include "objects/generator.hpp"

namespace aiospec::interp {

using namespace scenario;

// `co_await Eval{...}`: evaluates an expression with the evaluator it needs. Code that cannot
// suspend runs synchronously inside await_ready; only `has_await` code gets a coroutine frame.
// (A ternary `e->has_await ? co_await eval_a(e) : eval(e)` is miscompiled by g++ 12.)
struct Eval {
  Eval(Interp* i, const Expr* x, Frame* fr) : ip(i), e(x), f(fr) {}
  Interp* ip;
  const Expr* e;
  Frame* f;
  Object value;
  asyncio::Coro<Object> coro;
  asyncio::Coro<Object>::Awaiter inner{};
  bool await_ready() {
    if (!e->has_await) {
      value = ip->eval(e, *f);
      return true;
    }
    coro = ip->eval_a(e, *f);
    inner = coro.operator co_await();
    return inner.await_ready();
  }
  bool await_suspend(std::coroutine_handle<> h) { return inner.await_suspend(h); }
  Object await_resume() { return e->has_await ? inner.await_resume() : std::move(value); }
};
#define EVAL(x) (co_await Eval{this, (x), &f})

// `co_await Exec{...}`: runs a statement with the evaluator it needs, as Eval evaluates an expression.
// A statement that cannot suspend runs inside await_ready, and `yield value` and `x = yield value`
// suspend the generator right there, so a generator's loops cost no coroutine frame per iteration;
// an `if` whose test cannot suspend runs here too, and the branch it takes is this Exec's statement
// when it is a single one (`if c: yield x`), or gets a small frame (exec_body_a); other statements
// that can suspend run in exec_a, whose frame is larger than the frame pool's blocks.
struct Exec {
  Exec(Interp* i, const Stmt* x, Frame* fr) : ip(i), s(x), f(fr) {}
  Interp* ip;
  const Stmt* s;
  Frame* f;
  Flow flow = Flow::Normal;
  bool ran = false;  // finished in await_ready with `flow`
  YieldAwaiter yield{nullptr, Object()};
  asyncio::Coro<Flow> coro;
  asyncio::Coro<Flow>::Awaiter inner{};
  bool await_ready() {
    for (;;) {
      if (!s->has_await) {
        flow = ip->exec(s, *f);
        return ran = true;
      }
      const Expr* v = s->kind == StmtKind::ExprStmt ? s->as<ExprStmt>().value
                      : s->kind == StmtKind::Assign ? s->as<Assign>().value
                                                    : nullptr;
      const bool plain_yield = v && v->kind == ExprKind::Yield && !(v->as<Yield>().value && v->as<Yield>().value->has_await);
      const bool plain_if = s->kind == StmtKind::If && !s->as<If>().test->has_await;
      if (plain_yield || plain_if) {
        ip->step();
        ip->line = f->line = s->line;
      }
      if (plain_yield) {
        yield.g = f->gen;
        yield.value = v->as<Yield>().value ? ip->eval(v->as<Yield>().value, *f) : Object::none();
        return false;
      }
      if (!plain_if) break;
      auto& i = s->as<If>();
      const Body branch = ip->truthy(ip->eval(i.test, *f)) ? i.body : i.orelse;
      if (branch.empty()) return ran = true;
      if (branch.size() > 1) {
        coro = ip->exec_body_a(branch, *f);
        inner = coro.operator co_await();
        return inner.await_ready();
      }
      s = branch[0];
    }
    coro = ip->exec_a(s, *f);
    inner = coro.operator co_await();
    return inner.await_ready();
  }
  std::coroutine_handle<> await_suspend(std::coroutine_handle<> h) {
    if (yield.g) return yield.await_suspend(h);
    return inner.await_suspend(h) ? std::noop_coroutine() : h;
  }
  Flow await_resume() {
    if (yield.g) {
      Object sent = yield.await_resume();
      if (s->kind == StmtKind::Assign)
        for (Expr* t : s->as<Assign>().targets) ip->assign(t, *f, sent);
      return Flow::Normal;
    }
    return ran ? flow : inner.await_resume();
  }
};


// ---------------------------------------------------------------------------------------------
// Names, functions, closures

Object Interp::load_name(const Name& n, Frame& f) {
  switch (n.scope) {
    case NameScope::ClassBody:
      if (f.class_ns) {
        Object k = str_key(*this, n.id);
        if (Object* v = f.class_ns->find(k, hash(k))) return *v;
      }
      [[fallthrough]];
    case NameScope::Global: {
      const Object& g = globals[n.index];
      if (!g.null()) return g;
      const Object& b = builtin_for_global[n.index];
      if (!b.null()) return b;
      raise(T.NameError, fmt::format("name '{}' is not defined", n.id));
    }
    case NameScope::Local: {
      const Object& v = f.slots[n.index];
      if (v.null())
        raise(T.UnboundLocalError, fmt::format("cannot access local variable '{}' where it is not associated with a value", n.id));
      return v;
    }
    case NameScope::Cell: {
      const Object& v = f.slots[n.index].as<CellObj>()->v;
      if (v.null())
        raise(T.UnboundLocalError, fmt::format("cannot access local variable '{}' where it is not associated with a value", n.id));
      return v;
    }
    case NameScope::Free: {
      const Object& v = (*f.closure)[n.index]->v;
      if (v.null())
        raise(T.NameError, fmt::format("cannot access free variable '{}' where it is not associated with a value in enclosing scope", n.id));
      return v;
    }
  }
  return {};
}

void Interp::store_name(const Name& n, Frame& f, Object v) {
  switch (n.scope) {
    case NameScope::ClassBody:
      if (f.class_ns) {
        Object k = str_key(*this, n.id);
        f.class_ns->set(k, hash(k), std::move(v));
        return;
      }
      [[fallthrough]];
    case NameScope::Global:
      if (globals[n.index].null()) global_order_.push_back(n.index);
      globals[n.index] = std::move(v);
      return;
    case NameScope::Local: f.slots[n.index] = std::move(v); return;
    case NameScope::Cell: f.slots[n.index].as<CellObj>()->v = std::move(v); return;
    case NameScope::Free: (*f.closure)[n.index]->v = std::move(v); return;
  }
}

void Interp::delete_name(const Name& n, Frame& f) {
  load_name(n, f);  // NameError / UnboundLocalError when unbound
  switch (n.scope) {
    case NameScope::ClassBody:
      if (f.class_ns) {
        Object k = str_key(*this, n.id);
        f.class_ns->erase(k, hash(k));
        return;
      }
      [[fallthrough]];
    case NameScope::Global: globals[n.index] = Object(); return;
    case NameScope::Local: f.slots[n.index] = Object(); return;
    case NameScope::Cell: f.slots[n.index].as<CellObj>()->v = Object(); return;
    case NameScope::Free: (*f.closure)[n.index]->v = Object(); return;
  }
}

std::vector<Ref<CellObj>> Interp::capture(const Scope* s, Frame& f) {
  std::vector<Ref<CellObj>> out;
  out.reserve(s->freevars.size());
  for (const Capture& c : s->freevars)
    out.emplace_back(c.from_free ? (*f.closure)[c.index] : Ref<CellObj>(f.slots[c.index].as<CellObj>()));
  return out;
}


// ---------------------------------------------------------------------------------------------
// Expressions (synchronous)

void Interp::push_arg(CallArgs& a, const Expr* e, Object v) {
  if (e->kind == ExprKind::Starred) {
    for (auto& x : to_vector(v)) a.pos.push_back(std::move(x));
  } else {
    a.pos.push_back(std::move(v));
  }
}

namespace {
// A class body's `name: annotation`: __annotations__[name] (SETUP_ANNOTATIONS makes the dict).
void annotate(Interp& ip, Frame& f, std::string_view name, Object annotation) {
  Object* d = f.class_ns->find_str("__annotations__");
  if (!d) {
    f.class_ns->set(ip.str_obj("__annotations__"), str_hash("__annotations__"), ip.dict_obj());
    d = f.class_ns->find_str("__annotations__");
  }
  Object dict = *d;
  ip.setitem(dict, str_key(ip, name), std::move(annotation));
}

void push_kwargs(Interp& ip, CallArgs& a, const Object& mapping) {
  if (!mapping.is(Tag::Dict)) ip.raise(ip.T.TypeError, "argument after ** must be a mapping, not " + ip.type_of(mapping)->name);
  mapping.as<DictObj>()->each([&](const Object& k, const Object& v) {
    if (!k.is(Tag::Str)) ip.raise(ip.T.TypeError, "keywords must be strings");
    // Keyword names must outlive the call: intern them.
    a.kw.emplace_back(ip.intern(k.as<StrObj>()->s), v);
  });
}
}  // namespace

Object Interp::eval_call(const Call& c, Frame& f) {
  if (c.func->kind == ExprKind::Name && c.args.empty() && c.keywords.empty() && c.func->as<Name>().id == "super") {
    Object fn = load_name(c.func->as<Name>(), f);
    if (fn.same(builtins["super"])) {
      if (f.cls.null() || f.slots.empty()) raise(T.RuntimeError, "super(): no arguments");
      Object self = f.slots[0].is(Tag::Cell) ? f.slots[0].as<CellObj>()->v : f.slots[0];
      return make_super(f.cls, self);
    }
  }
  CallArgs a;
  Object fn;
  // obj.method(...) on an instance calls the class's function with obj first, without making a
  // bound method (CPython's LOAD_METHOD); anything else goes through getattr.
  if (c.func->kind == ExprKind::Attribute) {
    const auto& at = c.func->as<Attribute>();
    Object obj = eval(at.value, f);
    if (obj.is(Tag::Instance)) {
      auto* in = obj.as<InstanceObj>();
      Object* m = type_lookup(in->cls.get(), at.attr);
      if (m && m->is(Tag::Func) && !(in->dict && in->dict->find_str(at.attr))) {
        fn = *m;
        a.pos.push_back(std::move(obj));
      }
    }
    // gen.send(v) and gen.__next__() resume the generator without making the bound builtin that
    // getattr would (what call() does around a builtin's body is done here too).
    if (GenObj* g = fn.null() && c.keywords.empty() ? as_generator(obj) : nullptr) {
      const bool send = at.attr == "send" && c.args.size() == 1 && c.args[0]->kind != ExprKind::Starred;
      if (send || (at.attr == "__next__" && c.args.empty())) {
        a.pos.push_back(send ? eval(c.args[0], f) : Object::none());
        RecursiveCall level(*this, kInCall);
        try {
          return resume_or_stop(*this, *g, a.pos[0], nullptr);
        } catch (const Abort&) {
          throw;
        } catch (...) {
          if (!send) a.pos.clear();
          rethrow_keeping(std::current_exception(), std::move(a.pos));
        }
      }
    }
    if (fn.null()) fn = getattr(obj, at.attr);
  } else {
    fn = eval(c.func, f);
  }
  a.pos.reserve(c.args.size() + a.pos.size());
  for (Expr* e : c.args) push_arg(a, e, eval(e->kind == ExprKind::Starred ? e->as<Starred>().value : e, f));
  for (const Keyword& k : c.keywords) {
    if (k.arg.empty())
      push_kwargs(*this, a, eval(k.value, f));
    else
      a.kw.emplace_back(k.arg, eval(k.value, f));
  }
  return call(fn, a);
}

Object Interp::make_slice(const scenario::Slice& s, Frame& f) {
  auto sl = asyncio::make_ref<SliceObj>();
  sl->lower = s.lower ? eval(s.lower, f) : Object::none();
  sl->upper = s.upper ? eval(s.upper, f) : Object::none();
  sl->step = s.step ? eval(s.step, f) : Object::none();
  return Object(Tag::Slice, sl);
}

Object Interp::eval_fstring(const JoinedStr& j, Frame& f) {
  std::string out;
  for (Expr* part : j.values) {
    if (part->kind == ExprKind::Str) {
      out += part->as<Str>().value;
      continue;
    }
    auto& fv = part->as<FormattedValue>();
    Object v = eval(fv.value, f);
    if (fv.conversion == 'r' || fv.conversion == 'a')
      v = str_obj(repr(v));
    else if (fv.conversion == 's')
      v = str_obj(str(v));
    std::string spec = fv.format_spec ? eval_fstring(*fv.format_spec, f).as<StrObj>()->s : std::string();
    out += format(v, spec);
  }
  return str_obj(std::move(out));
}

void Interp::comp_loop(const Comp& c, std::size_t gi, Frame& cf, Object& out) {
  const Comprehension& g = c.generators[gi];
  Object src = gi == 0 ? cf.retval : eval(g.iter, cf);
  Object it = iter(src);
  Object v;
  while (next(*it.as<IterObj>(), v)) {
    step();
    assign(g.target, cf, v);
    bool ok = true;
    for (Expr* cond : g.ifs)
      if (!truthy(eval(cond, cf))) {
        ok = false;
        break;
      }
    if (!ok) continue;
    if (gi + 1 < c.generators.size()) {
      comp_loop(c, gi + 1, cf, out);
      continue;
    }
    switch (c.kind) {
      case ExprKind::ListComp: out.as<ListObj>()->v.push_back(eval(c.elt, cf)); break;
      case ExprKind::SetComp: {
        Object x = eval(c.elt, cf);
        out.as<SetObj>()->add(x, hash(x));
        break;
      }
      default: {
        Object k = eval(c.elt, cf);
        out.as<DictObj>()->set(k, hash(k), eval(c.value, cf));
      }
    }
  }
}


namespace {
// The code name of a comprehension's frame (3.11 compiles each to a function).
std::string_view comp_name(ExprKind k) {
  return k == ExprKind::ListComp ? "<listcomp>" : k == ExprKind::SetComp ? "<setcomp>" : k == ExprKind::DictComp ? "<dictcomp>" : "<genexpr>";
}
}  // namespace

void Interp::traceback_stmt(Frame& f, const Stmt* s) {
  // An assert raises at its test (the compiler gives RAISE_VARARGS the test's position).
  if (s->kind == StmtKind::Assert) traceback_at(f, s->as<Assert>().test);
  traceback_at(f, s);
}

Object Interp::eval_comp(const Comp& c, Frame& f) {
  if (c.kind == ExprKind::GeneratorExp) return make_genexp(c, f, eval(c.generators[0].iter, f));
  RecursiveCall level(*this);  // a comprehension runs in a frame of its own
  Frame cf;
  init_slots(cf, c.scope);
  std::vector<Ref<CellObj>> closure = capture(c.scope, f);
  cf.closure = &closure;
  cf.qualname = f.qualname;
  cf.code_name = comp_name(c.kind);
  cf.line = c.line;
  cf.comp = &c;
  cf.retval = eval(c.generators[0].iter, f);  // the first iterable belongs to the enclosing scope
  Object out = c.kind == ExprKind::SetComp ? set_obj() : c.kind == ExprKind::DictComp ? dict_obj() : list_obj();
  try {
    comp_loop(c, 0, cf, out);
  } catch (const Abort&) {
    throw;
  } catch (...) {
    rethrow_keeping(std::current_exception(), {}, &cf);
  }
  return out;
}

Object Interp::eval(const Expr* e, Frame& f) {
  if (stack_nearly_full()) [[unlikely]] stack_full();
  try {
  switch (e->kind) {
    case ExprKind::Name: return load_name(e->as<Name>(), f);
    case ExprKind::Constant:
      switch (e->as<Constant>().value) {
        case Constant::Value::None: return Object::none();
        case Constant::Value::True: return Object::boolean(true);
        case Constant::Value::False: return Object::boolean(false);
        case Constant::Value::Ellipsis: return Object::ellipsis();
      }
      return {};
    case ExprKind::Int:
      if (!e->as<Int>().big.empty())
        raise(T.OverflowError, fmt::format("int literal {} does not fit in 64 bits (the scenario language has 64-bit ints)", e->as<Int>().big));
      return Object::integer(e->as<Int>().value);
    case ExprKind::Float: return Object::real(e->as<Float>().value);
    case ExprKind::Str:
      if (e->as<Str>().bytes) return bytes_obj(std::string(e->as<Str>().value));
      return str_obj(std::string(e->as<Str>().value));
    case ExprKind::JoinedStr: return eval_fstring(e->as<JoinedStr>(), f);
    case ExprKind::FormattedValue: return {};
    case ExprKind::List:
    case ExprKind::Tuple:
    case ExprKind::Set: {
      auto& s = e->as<Sequence>();
      CallArgs a;
      for (Expr* x : s.elts) push_arg(a, x, eval(x->kind == ExprKind::Starred ? x->as<Starred>().value : x, f));
      if (e->kind == ExprKind::List) return list_obj(std::move(a.pos));
      if (e->kind == ExprKind::Tuple) return tuple_obj(std::move(a.pos));
      Object out = set_obj();
      for (auto& x : a.pos) out.as<SetObj>()->add(x, hash(x));
      return out;
    }
    case ExprKind::Dict: {
      auto& d = e->as<Dict>();
      Object out = dict_obj();
      for (std::size_t i = 0; i < d.keys.size(); ++i) {
        if (!d.keys[i]) {
          Object m = eval(d.values[i], f);
          if (!m.is(Tag::Dict)) raise(T.TypeError, fmt::format("'{}' object is not a mapping", type_of(m)->name));
          m.as<DictObj>()->each([&](const Object& k, const Object& v) { out.as<DictObj>()->set(k, hash(k), v); });
          continue;
        }
        Object k = eval(d.keys[i], f);
        out.as<DictObj>()->set(k, hash(k), eval(d.values[i], f));
      }
      return out;
    }
    case ExprKind::ListComp:
    case ExprKind::SetComp:
    case ExprKind::DictComp:
    case ExprKind::GeneratorExp: return eval_comp(e->as<Comp>(), f);
    case ExprKind::Lambda: return make_lambda(&e->as<Lambda>(), f);
    case ExprKind::IfExp: {
      auto& x = e->as<IfExp>();
      return truthy(eval(x.test, f)) ? eval(x.body, f) : eval(x.orelse, f);
    }
    case ExprKind::BoolOp: {
      auto& b = e->as<BoolOp>();
      Object v;
      for (Expr* x : b.values) {
        v = eval(x, f);
        if (truthy(v) == (b.op == BoolOpKind::Or)) return v;
      }
      return v;
    }
    case ExprKind::UnaryOp: return unary(e->as<UnaryOp>().op, eval(e->as<UnaryOp>().operand, f));
    case ExprKind::BinOp: {
      auto& b = e->as<BinOp>();
      Object l = eval(b.left, f);
      Object r = eval(b.right, f);
      return binop(b.op, l, r);
    }
    case ExprKind::Compare: {
      auto& c = e->as<Compare>();
      Object l = eval(c.left, f);
      for (std::size_t i = 0; i < c.ops.size(); ++i) {
        Object r = eval(c.comparators[i], f);
        if (!compare(c.ops[i], l, r)) return Object::boolean(false);
        l = std::move(r);
      }
      return Object::boolean(true);
    }
    case ExprKind::Await: raise(T.RuntimeError, "internal error: await evaluated synchronously");
    case ExprKind::Attribute: return getattr(eval(e->as<Attribute>().value, f), e->as<Attribute>().attr);
    case ExprKind::Call: return eval_call(e->as<Call>(), f);
    case ExprKind::Subscript: {
      auto& s = e->as<Subscript>();
      Object v = eval(s.value, f);
      return getitem(v, eval(s.slice, f));
    }
    case ExprKind::Slice: return make_slice(e->as<scenario::Slice>(), f);
    case ExprKind::Starred: raise(T.TypeError, "can't use starred expression here");
    case ExprKind::Yield:
    case ExprKind::YieldFrom: raise(T.RuntimeError, "internal error: yield evaluated synchronously");
    case ExprKind::NamedExpr: {
      Object v = eval(e->as<NamedExpr>().value, f);
      store_name(*e->as<NamedExpr>().target, f, v);
      return v;
    }
  }
  } catch (...) {
    traceback_at(f, e);
  }
  return {};
}

Object Interp::unary(UnaryOpKind op, const Object& v) {
  if (v.is(Tag::Instance) && op != UnaryOpKind::Not) {
    const char* name = op == UnaryOpKind::Neg ? "__neg__" : op == UnaryOpKind::Pos ? "__pos__" : "__invert__";
    Object m = special(v, name);
    if (!m.null()) return call0(m);
  }
  switch (op) {
    case UnaryOpKind::Not: return Object::boolean(!truthy(v));
    case UnaryOpKind::Neg:
      if (v.is(Tag::Float)) return Object::real(-v.f());
      if (v.is(Tag::Int) || v.is(Tag::Bool)) {
        if (v.i() == INT64_MIN) raise(T.OverflowError, "integer result too large (the scenario language has 64-bit ints)");
        return Object::integer(-v.i());
      }
      raise(T.TypeError, fmt::format("bad operand type for unary -: '{}'", type_of(v)->name));
    case UnaryOpKind::Pos:
      if (v.is(Tag::Float) || v.is(Tag::Int)) return v;
      if (v.is(Tag::Bool)) return Object::integer(v.i());
      raise(T.TypeError, fmt::format("bad operand type for unary +: '{}'", type_of(v)->name));
    case UnaryOpKind::Invert:
      if (v.is(Tag::Int) || v.is(Tag::Bool)) return Object::integer(~v.i());
      raise(T.TypeError, fmt::format("bad operand type for unary ~: '{}'", type_of(v)->name));
  }
  return {};
}

// ---------------------------------------------------------------------------------------------
// Assignment

void Interp::unpack(const Sequence& t, Frame& f, const Object& v) {
  std::vector<Object> items = to_vector(v);
  std::size_t n = t.elts.size(), star = n;
  for (std::size_t i = 0; i < n; ++i)
    if (t.elts[i]->kind == ExprKind::Starred) star = i;
  if (star == n) {
    if (items.size() > n) raise(T.ValueError, fmt::format("too many values to unpack (expected {})", n));
    if (items.size() < n) raise(T.ValueError, fmt::format("not enough values to unpack (expected {}, got {})", n, items.size()));
    for (std::size_t i = 0; i < n; ++i) assign(t.elts[i], f, items[i]);
    return;
  }
  if (items.size() < n - 1)
    raise(T.ValueError, fmt::format("not enough values to unpack (expected at least {}, got {})", n - 1, items.size()));
  std::size_t after = n - star - 1;
  for (std::size_t i = 0; i < star; ++i) assign(t.elts[i], f, items[i]);
  std::vector<Object> mid(items.begin() + star, items.end() - after);
  assign(t.elts[star]->as<Starred>().value, f, list_obj(std::move(mid)));
  for (std::size_t i = 0; i < after; ++i) assign(t.elts[star + 1 + i], f, items[items.size() - after + i]);
}

void Interp::assign(const Expr* target, Frame& f, Object v) {
  if (target->kind == ExprKind::Name) return store_name(target->as<Name>(), f, std::move(v));
  try {
    assign_to(target, f, std::move(v));
  } catch (...) {
    traceback_at(f, target);  // UNPACK_SEQUENCE and STORE_SUBSCR/STORE_ATTR are at the target
  }
}

void Interp::assign_to(const Expr* target, Frame& f, Object v) {
  switch (target->kind) {
    case ExprKind::Tuple:
    case ExprKind::List: unpack(target->as<Sequence>(), f, v); return;
    case ExprKind::Subscript: {
      auto& s = target->as<Subscript>();
      Object o = eval(s.value, f);
      setitem(o, eval(s.slice, f), std::move(v));
      return;
    }
    case ExprKind::Attribute: {
      auto& a = target->as<Attribute>();
      setattr(eval(a.value, f), a.attr, std::move(v));
      return;
    }
    default: raise(T.TypeError, "cannot assign to this expression");
  }
}

// ---------------------------------------------------------------------------------------------
// Statements (synchronous)

namespace {
// `x op= v` keeps list identity for +=, as list.__iadd__ does.
Object inplace(Interp& ip, BinOpKind op, const Object& cur, const Object& v) {
  if (cur.is(Tag::Instance)) return ip.instance_binop(op, cur, v, true);
  if (cur.is(Tag::ByteArray) && (op == BinOpKind::Add || op == BinOpKind::Mult)) return bytearray_inplace(ip, op, cur, v);
  if (op == BinOpKind::Add && cur.is(Tag::List)) {
    for (auto& x : ip.to_vector(v)) cur.as<ListObj>()->v.push_back(x);
    return cur;
  }
  if (cur.is(Tag::Set) && v.is(Tag::Set) && (op == BinOpKind::BitOr)) {
    v.as<SetObj>()->each([&](const Object& k) { cur.as<SetObj>()->add(k, ip.hash(k)); });
    return cur;
  }
  if (cur.is(Tag::Dict) && op == BinOpKind::BitOr && v.is(Tag::Dict)) {
    v.as<DictObj>()->each([&](const Object& k, const Object& x) { cur.as<DictObj>()->set(k, ip.hash(k), x); });
    return cur;
  }
  return ip.binop(op, cur, v);
}
}  // namespace

Object Interp::decorate(const std::vector<Object>& decorators, Object v) {
  for (auto it = decorators.rbegin(); it != decorators.rend(); ++it) v = call1(*it, std::move(v));
  return v;
}

Flow Interp::exec_body(Body b, Frame& f) {
  for (const Stmt* s : b) {
    Flow fl = exec(s, f);
    if (fl != Flow::Normal) return fl;
  }
  return Flow::Normal;
}

bool Interp::exception_matches(const Object& exc, const Object& spec) {
  if (spec.is(Tag::Tuple)) {
    for (auto& s : spec.as<ListObj>()->v)
      if (exception_matches(exc, s)) return true;
    return false;
  }
  if (!spec.is(Tag::Type) || !spec.as<TypeObj>()->is_exception)
    raise(T.TypeError, "catching classes that do not inherit from BaseException is not allowed");
  return exc.as<ExcObj>()->cls->subclass_of(spec.as<TypeObj>());
}

void Interp::do_raise(const Raise& r, Frame& f, Object exc, Object cause) {
  if (!r.exc) {
    if (f.handling.empty()) raise(T.RuntimeError, "No active exception to reraise");
    // A bare `raise` re-raises with the traceback as it is: no entry for this frame (do_raise in
    // ceval.c goes to exception_unwind).
    exc_object(f.handling.back()).as<ExcObj>()->tb_frame = &f;
    std::rethrow_exception(f.handling.back());
  }
  if (exc.is(Tag::Type) && exc.as<TypeObj>()->is_exception) exc = call0(exc);
  if (!exc.is(Tag::Exc)) raise(T.TypeError, "exceptions must derive from BaseException");
  auto* e = exc.as<ExcObj>();
  e->tb_frame = nullptr;  // raised again: this frame's entry comes first
  if (r.cause) {
    if (cause.is(Tag::Type) && cause.as<TypeObj>()->is_exception) cause = call0(cause);
    if (!cause.is_none() && !cause.is(Tag::Exc)) raise(T.TypeError, "exception causes must derive from BaseException");
    e->cause = cause.is_none() ? Object() : cause;
    e->suppress_context = true;
  }
  if (!f.handling.empty() && e->context.null()) {
    Object ctx = exc_object(f.handling.back());
    if (!ctx.same(exc)) e->context = ctx;
  }
  raise_obj(Ref<ExcObj>(e));
}

Flow Interp::exec_try(const Try& t, Frame& f) {
  Flow fl = Flow::Normal;
  std::exception_ptr pending;
  try {
    std::exception_ptr ep;
    try {
      fl = exec_body(t.body, f);
    } catch (const Abort&) {
      throw;
    } catch (...) {
      ep = std::current_exception();
    }
    if (ep) {
      Object exc = exc_object(ep);
      const ExceptHandler* match = nullptr;
      for (const ExceptHandler& h : t.handlers)
        if (!h.type || exception_matches(exc, eval(h.type, f))) {
          match = &h;
          break;
        }
      if (!match) std::rethrow_exception(ep);
      exc.as<ExcObj>()->tb_frame = nullptr;
      if (match->name) store_name(*match->name, f, exc);
      f.handling.push_back(ep);
      handle(ep);
      struct Pop {
        Interp& ip;
        Frame& f;
        ~Pop() {
          ip.unhandle(f.handling.back());
          f.handling.pop_back();
        }
      } pop{*this, f};
      fl = exec_body(match->body, f);
      if (match->name) store_name(*match->name, f, Object());
    } else if (fl == Flow::Normal) {
      fl = exec_body(t.orelse, f);
    }
  } catch (const Abort&) {
    throw;
  } catch (...) {
    if (t.finalbody.empty()) throw;
    pending = std::current_exception();
  }
  if (!t.finalbody.empty()) {
    Flow ff = exec_body(t.finalbody, f);
    if (ff != Flow::Normal) return ff;
    if (pending) std::rethrow_exception(pending);
  }
  return fl;
}

namespace {
Object exit_args_call(Interp& ip, const Object& exit, const std::exception_ptr& ep) {
  CallArgs a;
  if (ep) {
    Object exc = ip.exc_object(ep);
    a.pos = {Object(Tag::Type, exc.as<ExcObj>()->cls), exc, Object::none()};
  } else {
    a.pos = {Object::none(), Object::none(), Object::none()};
  }
  return ip.call(exit, a);
}
}  // namespace

Flow Interp::exec_with(const With& w, Frame& f) {
  // Several items nest: `with a, b:` is `with a: with b:`.
  std::vector<Object> exits;
  Flow fl = Flow::Normal;
  std::exception_ptr ep;
  std::size_t entered = 0;
  try {
    for (const WithItem& item : w.items) {
      Object mgr = eval(item.context_expr, f);
      Object enter = getattr_opt(mgr, "__enter__");
      Object exit = getattr_opt(mgr, "__exit__");
      if (enter.null() || exit.null())
        raise(T.TypeError, fmt::format("'{}' object does not support the context manager protocol", type_of(mgr)->name));
      Object v = call0(enter);
      exits.push_back(exit);
      ++entered;
      if (item.optional_vars) assign(item.optional_vars, f, v);
    }
    fl = exec_body(w.body, f);
  } catch (const Abort&) {
    throw;
  } catch (...) {
    ep = std::current_exception();
  }
  while (entered > 0) {
    --entered;
    try {
      Object r = exit_args_call(*this, exits[entered], ep);
      if (ep && truthy(r)) {
        ep = nullptr;
        fl = Flow::Normal;
      }
    } catch (const Abort&) {
      throw;
    } catch (...) {
      ep = std::current_exception();
    }
  }
  if (ep) std::rethrow_exception(ep);
  return fl;
}

Flow Interp::exec(const Stmt* s, Frame& f) {
  step();
  if (stack_nearly_full()) [[unlikely]] stack_full();
  line = f.line = s->line;
  col = s->col;
  try {
  switch (s->kind) {
    case StmtKind::FunctionDef: {
      auto& d = s->as<FunctionDef>();
      std::vector<Object> decorators, defaults, kwdefaults;
      for (Expr* x : d.decorators) decorators.push_back(eval(x, f));
      for (auto& p : d.args.posargs) defaults.push_back(p.default_value ? eval(p.default_value, f) : Object());
      for (auto& p : d.args.kwonly) kwdefaults.push_back(p.default_value ? eval(p.default_value, f) : Object());
      store_name(*d.name, f, decorate(decorators, make_function(&d, f, std::move(defaults), std::move(kwdefaults))));
      return Flow::Normal;
    }
    case StmtKind::ClassDef: {
      auto& c = s->as<ClassDef>();
      std::vector<Object> decorators;
      for (Expr* x : c.decorators) decorators.push_back(eval(x, f));
      store_name(*c.name, f, decorate(decorators, build_class(c, f)));
      return Flow::Normal;
    }
    case StmtKind::Return: {
      auto& r = s->as<Return>();
      f.retval = r.value ? eval(r.value, f) : Object::none();
      return Flow::Return;
    }
    case StmtKind::Delete:
      for (Expr* t : s->as<Delete>().targets) {
        if (t->kind == ExprKind::Name) {
          delete_name(t->as<Name>(), f);
        } else if (t->kind == ExprKind::Subscript) {
          Object o = eval(t->as<Subscript>().value, f);
          delitem(o, eval(t->as<Subscript>().slice, f));
        } else if (t->kind == ExprKind::Attribute) {
          setattr(eval(t->as<Attribute>().value, f), t->as<Attribute>().attr, Object());
        } else if (t->kind == ExprKind::Tuple || t->kind == ExprKind::List) {
          for (Expr* x : t->as<Sequence>().elts)
            if (x->kind == ExprKind::Name) delete_name(x->as<Name>(), f);
        } else {
          raise(T.TypeError, "cannot delete this expression (see spec/language.md)");
        }
      }
      return Flow::Normal;
    case StmtKind::Assign: {
      auto& a = s->as<Assign>();
      Object v = eval(a.value, f);
      for (Expr* t : a.targets) assign(t, f, v);
      return Flow::Normal;
    }
    case StmtKind::AugAssign: {
      auto& a = s->as<AugAssign>();
      const Expr* t = a.target;
      if (t->kind == ExprKind::Name) {
        Object cur = load_name(t->as<Name>(), f);
        store_name(t->as<Name>(), f, inplace(*this, a.op, cur, eval(a.value, f)));
      } else if (t->kind == ExprKind::Subscript) {
        Object o = eval(t->as<Subscript>().value, f);
        Object k = eval(t->as<Subscript>().slice, f);
        Object cur = getitem(o, k);
        setitem(o, k, inplace(*this, a.op, cur, eval(a.value, f)));
      } else {
        Object o = eval(t->as<Attribute>().value, f);
        Object cur = getattr(o, t->as<Attribute>().attr);
        setattr(o, t->as<Attribute>().attr, inplace(*this, a.op, cur, eval(a.value, f)));
      }
      return Flow::Normal;
    }
    case StmtKind::AnnAssign: {
      auto& a = s->as<AnnAssign>();
      if (a.value) assign(a.target, f, eval(a.value, f));
      if (f.class_ns && a.target->is<Name>()) annotate(*this, f, a.target->as<Name>().id, eval(a.annotation, f));
      return Flow::Normal;
    }
    case StmtKind::For: {
      auto& fo = s->as<For>();
      if (fo.is_async) raise(T.RuntimeError, "internal error: async for run synchronously");
      Object it = iter(eval(fo.iter, f));
      Object v;
      while (next(*it.as<IterObj>(), v)) {
        assign(fo.target, f, std::move(v));
        Flow fl = exec_body(fo.body, f);
        if (fl == Flow::Break) return Flow::Normal;
        if (fl == Flow::Return) return fl;
      }
      return exec_body(fo.orelse, f);
    }
    case StmtKind::While: {
      auto& w = s->as<While>();
      while (truthy(eval(w.test, f))) {
        step();
        Flow fl = exec_body(w.body, f);
        if (fl == Flow::Break) return Flow::Normal;
        if (fl == Flow::Return) return fl;
      }
      return exec_body(w.orelse, f);
    }
    case StmtKind::If: {
      auto& i = s->as<If>();
      return truthy(eval(i.test, f)) ? exec_body(i.body, f) : exec_body(i.orelse, f);
    }
    case StmtKind::With: return exec_with(s->as<With>(), f);
    case StmtKind::Raise: {
      auto& r = s->as<Raise>();
      Object exc = r.exc ? eval(r.exc, f) : Object();
      Object cause = r.cause ? eval(r.cause, f) : Object();
      do_raise(r, f, std::move(exc), std::move(cause));
    }
    case StmtKind::Try: return exec_try(s->as<Try>(), f);
    case StmtKind::Assert: {
      auto& a = s->as<Assert>();
      if (!truthy(eval(a.test, f))) {
        std::vector<Object> args;
        if (a.msg) args.push_back(eval(a.msg, f));
        raise_obj(new_exc(T.AssertionError, std::move(args)));
      }
      return Flow::Normal;
    }
    case StmtKind::Import:
      for (const Alias& al : s->as<Import>().names) {
        Object m = import_module(al.name);
        // `import a.b` binds the package `a`; `import a.b as c` the submodule.
        if (!al.has_asname && al.name.find('.') != std::string_view::npos) m = modules.find(al.name.substr(0, al.name.find('.')))->second;
        store_name(*al.target, f, m);
      }
      return Flow::Normal;
    case StmtKind::ImportFrom: {
      auto& im = s->as<ImportFrom>();
      Object m = import_module(im.module);
      if (im.star) import_star(m);
      for (const Alias& al : im.names) store_name(*al.target, f, import_from(m, al.name));
      return Flow::Normal;
    }
    case StmtKind::Global:
    case StmtKind::Nonlocal:
    case StmtKind::Pass: return Flow::Normal;
    case StmtKind::ExprStmt: eval(s->as<ExprStmt>().value, f); return Flow::Normal;
    case StmtKind::Break: return Flow::Break;
    case StmtKind::Continue: return Flow::Continue;
    case StmtKind::Match: {
      auto& m = s->as<Match>();
      Object subject = eval(m.subject, f);
      for (const MatchCase& c : m.cases)
        if (match_case(c, subject, f) && (!c.guard || truthy(eval(c.guard, f)))) return exec_body(c.body, f);
      return Flow::Normal;
    }
  }
  } catch (...) {
    traceback_stmt(f, s);
  }
  return Flow::Normal;
}

// ---------------------------------------------------------------------------------------------
// The coroutine twins

asyncio::Coro<Object> Interp::eval_a(const Expr* e, Frame& f) {
  if (stack_nearly_full()) [[unlikely]] stack_full();
  try {
  switch (e->kind) {
    case ExprKind::Await: {
      Object v = EVAL(e->as<Await>().value);
      co_return co_await await_object(std::move(v));
    }
    case ExprKind::Call: {
      auto& c = e->as<Call>();
      Object fn = EVAL(c.func);
      CallArgs a;
      for (Expr* x : c.args) {
        const Expr* inner = x->kind == ExprKind::Starred ? x->as<Starred>().value : x;
        push_arg(a, x, co_await Eval{this, inner, &f});
      }
      for (const Keyword& k : c.keywords) {
        Object v = EVAL(k.value);
        if (k.arg.empty())
          push_kwargs(*this, a, v);
        else
          a.kw.emplace_back(k.arg, std::move(v));
      }
      co_return call(fn, a);
    }
    case ExprKind::BinOp: {
      auto& b = e->as<BinOp>();
      Object l = EVAL(b.left);
      Object r = EVAL(b.right);
      co_return binop(b.op, l, r);
    }
    case ExprKind::Compare: {
      auto& c = e->as<Compare>();
      Object l = EVAL(c.left);
      for (std::size_t i = 0; i < c.ops.size(); ++i) {
        Object r = EVAL(c.comparators[i]);
        if (!compare(c.ops[i], l, r)) co_return Object::boolean(false);
        l = std::move(r);
      }
      co_return Object::boolean(true);
    }
    case ExprKind::BoolOp: {
      auto& b = e->as<BoolOp>();
      Object v;
      for (Expr* x : b.values) {
        v = EVAL(x);
        if (truthy(v) == (b.op == BoolOpKind::Or)) co_return v;
      }
      co_return v;
    }
    case ExprKind::UnaryOp: {
      auto& u = e->as<UnaryOp>();
      Object v = co_await eval_a(u.operand, f);
      co_return unary(u.op, v);
    }
    case ExprKind::IfExp: {
      auto& x = e->as<IfExp>();
      Object t = EVAL(x.test);
      if (truthy(t)) co_return EVAL(x.body);
      co_return EVAL(x.orelse);
    }
    case ExprKind::Attribute: {
      Object v = co_await eval_a(e->as<Attribute>().value, f);
      co_return getattr(v, e->as<Attribute>().attr);
    }
    case ExprKind::Subscript: {
      auto& s = e->as<Subscript>();
      Object v = EVAL(s.value);
      Object k = EVAL(s.slice);
      co_return getitem(v, k);
    }
    case ExprKind::List:
    case ExprKind::Tuple:
    case ExprKind::Set: {
      CallArgs a;
      for (Expr* x : e->as<Sequence>().elts) {
        const Expr* inner = x->kind == ExprKind::Starred ? x->as<Starred>().value : x;
        push_arg(a, x, co_await Eval{this, inner, &f});
      }
      if (e->kind == ExprKind::List) co_return list_obj(std::move(a.pos));
      if (e->kind == ExprKind::Tuple) co_return tuple_obj(std::move(a.pos));
      Object out = set_obj();
      for (auto& x : a.pos) out.as<SetObj>()->add(x, hash(x));
      co_return out;
    }
    case ExprKind::Dict: {
      auto& d = e->as<Dict>();
      Object out = dict_obj();
      for (std::size_t i = 0; i < d.keys.size(); ++i) {
        Object k = d.keys[i] ? EVAL(d.keys[i]) : Object();
        Object v = EVAL(d.values[i]);
        if (k.null()) {
          if (!v.is(Tag::Dict)) raise(T.TypeError, fmt::format("'{}' object is not a mapping", type_of(v)->name));
          v.as<DictObj>()->each([&](const Object& kk, const Object& vv) { out.as<DictObj>()->set(kk, hash(kk), vv); });
        } else {
          out.as<DictObj>()->set(k, hash(k), std::move(v));
        }
      }
      co_return out;
    }
    case ExprKind::JoinedStr: {
      std::string out;
      for (Expr* part : e->as<JoinedStr>().values) {
        if (part->kind == ExprKind::Str) {
          out += part->as<Str>().value;
          continue;
        }
        auto& fv = part->as<FormattedValue>();
        Object v = EVAL(fv.value);
        if (fv.conversion == 'r' || fv.conversion == 'a') v = str_obj(repr(v));
        else if (fv.conversion == 's') v = str_obj(str(v));
        std::string spec;
        if (fv.format_spec) spec = (co_await eval_a(fv.format_spec, f)).as<StrObj>()->s;
        out += format(v, spec);
      }
      co_return str_obj(std::move(out));
    }
    case ExprKind::ListComp:
    case ExprKind::SetComp:
    case ExprKind::DictComp:
    case ExprKind::GeneratorExp: {
      auto& c = e->as<Comp>();
      Object first = EVAL(c.generators[0].iter);
      if (c.kind == ExprKind::GeneratorExp) co_return make_genexp(c, f, std::move(first));
      Frame cf;
      init_slots(cf, c.scope);
      std::vector<Ref<CellObj>> closure = capture(c.scope, f);
      cf.closure = &closure;
      cf.qualname = f.qualname;
      cf.code_name = comp_name(c.kind);
      cf.line = c.line;
      cf.comp = &c;
      Object out = c.kind == ExprKind::SetComp ? set_obj() : c.kind == ExprKind::DictComp ? dict_obj() : list_obj();
      std::exception_ptr ep;
      try {
        out = co_await run_comp_a(c, cf, comp_iter(c.generators[0], first), std::move(out));
      } catch (const Abort&) {
        throw;
      } catch (...) {
        ep = std::current_exception();
      }
      if (ep) rethrow_keeping(ep, {}, &cf);
      co_return out;
    }
    case ExprKind::Starred: co_return co_await eval_a(e->as<Starred>().value, f);
    case ExprKind::Yield: {
      const Expr* v = e->as<Yield>().value;
      YieldAwaiter y{f.gen, Object::none()};  // named: g++ 12 destroys a braced temporary awaiter twice
      if (v) y.value = EVAL(v);
      co_return co_await y;
    }
    case ExprKind::YieldFrom: {
      Object src = EVAL(e->as<YieldFrom>().value);
      co_return co_await yield_from(f.gen, std::move(src));
    }
    case ExprKind::NamedExpr: {
      Object v = EVAL(e->as<NamedExpr>().value);
      store_name(*e->as<NamedExpr>().target, f, v);
      co_return v;
    }
    default: co_return eval(e, f);
  }
  } catch (...) {
    traceback_at(f, e);
  }
}

Object Interp::aiter(const Object& src) {
  Object ait = getattr_opt(src, "__aiter__");
  if (ait.null())
    raise(T.TypeError, fmt::format("'async for' requires an object with __aiter__ method, got {}", type_of(src)->name));
  return call0(ait);
}

Object Interp::comp_iter(const Comprehension& g, const Object& src) { return g.is_async ? aiter(src) : iter(src); }

asyncio::Coro<bool> Interp::anext_a(const Object& ait, Object& out) {
  Object aw = call0(getattr(ait, "__anext__"));
  std::exception_ptr ep;
  try {
    out = co_await await_object(std::move(aw));
    co_return true;
  } catch (const Abort&) {
    throw;
  } catch (...) {
    ep = std::current_exception();
  }
  if (!exc_object(ep).as<ExcObj>()->cls->subclass_of(T.StopAsyncIteration.get())) std::rethrow_exception(ep);
  co_return false;
}

// An asynchronous comprehension, or a generator expression (`out` Null: each element is yielded):
// the same loop as comp_loop, flattened with explicit state. `first` is the first clause's iterator.
asyncio::Coro<Object> Interp::run_comp_a(const Comp& c, Frame& cf, Object first, Object out) {
  std::vector<Object> iters{std::move(first)};  // one per active `for` clause, outermost first
  while (!iters.empty()) {
    const std::size_t gi = iters.size() - 1;
    const Comprehension& g = c.generators[gi];
    Object v;
    bool more = false;
    if (g.is_async)
      more = co_await anext_a(iters.back(), v);
    else
      more = next(*iters.back().as<IterObj>(), v);
    if (!more) {
      iters.pop_back();
      continue;
    }
    step();
    assign(g.target, cf, v);
    bool ok = true;
    for (Expr* cond : g.ifs) {
      Object t = co_await Eval{this, cond, &cf};
      if (!truthy(t)) {
        ok = false;
        break;
      }
    }
    if (!ok) continue;
    if (gi + 1 < c.generators.size()) {
      const Comprehension& inner = c.generators[gi + 1];
      Object src = co_await Eval{this, inner.iter, &cf};
      iters.push_back(comp_iter(inner, src));
      continue;
    }
    Object x = co_await Eval{this, c.elt, &cf};
    if (out.null()) {
      YieldAwaiter y{cf.gen, std::move(x)};  // named: g++ 12 destroys a braced temporary awaiter twice
      co_await y;
    } else if (c.kind == ExprKind::SetComp) {
      out.as<SetObj>()->add(x, hash(x));
    } else if (c.kind == ExprKind::DictComp) {
      Object val = co_await Eval{this, c.value, &cf};
      out.as<DictObj>()->set(x, hash(x), std::move(val));
    } else {
      out.as<ListObj>()->v.push_back(std::move(x));
    }
  }
  co_return out;
}

asyncio::Coro<Flow> Interp::exec_body_a(Body b, Frame& f) {
  for (const Stmt* s : b) {
    Flow fl = co_await Exec{this, s, &f};
    if (fl != Flow::Normal) co_return fl;
  }
  co_return Flow::Normal;
}

asyncio::Coro<Flow> Interp::exec_a(const Stmt* s, Frame& f) {
  step();
  if (stack_nearly_full()) [[unlikely]] stack_full();
  line = f.line = s->line;
  col = s->col;
  try {
  switch (s->kind) {
    case StmtKind::ExprStmt: {
      co_await eval_a(s->as<ExprStmt>().value, f);
      line = s->line;
      co_return Flow::Normal;
    }
    case StmtKind::Assign: {
      auto& a = s->as<Assign>();
      Object v = EVAL(a.value);
      for (Expr* t : a.targets) assign(t, f, v);
      co_return Flow::Normal;
    }
    case StmtKind::AugAssign: {
      auto& a = s->as<AugAssign>();
      const Expr* t = a.target;
      if (t->kind == ExprKind::Name) {
        Object cur = load_name(t->as<Name>(), f);
        Object v = EVAL(a.value);
        store_name(t->as<Name>(), f, inplace(*this, a.op, cur, v));
      } else if (t->kind == ExprKind::Subscript) {
        Object o = eval(t->as<Subscript>().value, f);
        Object k = eval(t->as<Subscript>().slice, f);
        Object cur = getitem(o, k);
        Object v = EVAL(a.value);
        setitem(o, k, inplace(*this, a.op, cur, v));
      } else {
        Object o = eval(t->as<Attribute>().value, f);
        Object cur = getattr(o, t->as<Attribute>().attr);
        Object v = EVAL(a.value);
        setattr(o, t->as<Attribute>().attr, inplace(*this, a.op, cur, v));
      }
      co_return Flow::Normal;
    }
    case StmtKind::AnnAssign: {
      auto& a = s->as<AnnAssign>();
      if (a.value) {
        Object v = EVAL(a.value);
        assign(a.target, f, std::move(v));
      }
      if (f.class_ns && a.target->is<Name>()) {
        Object ann = EVAL(a.annotation);
        annotate(*this, f, a.target->as<Name>().id, std::move(ann));
      }
      co_return Flow::Normal;
    }
    case StmtKind::Return: {
      f.retval = EVAL(s->as<Return>().value);
      co_return Flow::Return;
    }
    case StmtKind::If: {
      auto& i = s->as<If>();
      Object t = EVAL(i.test);
      co_return co_await exec_body_a(truthy(t) ? i.body : i.orelse, f);
    }
    case StmtKind::While: {
      // The body runs statement by statement here (Exec), not in an exec_body_a frame per iteration.
      auto& w = s->as<While>();
      while (true) {
        Object t = EVAL(w.test);
        if (!truthy(t)) break;
        step();
        Flow fl = Flow::Normal;
        for (const Stmt* b : w.body) {
          fl = co_await Exec{this, b, &f};
          if (fl != Flow::Normal) break;
        }
        if (fl == Flow::Break) co_return Flow::Normal;
        if (fl == Flow::Return) co_return fl;
      }
      co_return co_await exec_body_a(w.orelse, f);
    }
    case StmtKind::For: {
      auto& fo = s->as<For>();
      Object src = EVAL(fo.iter);
      if (fo.is_async) {
        Object it = aiter(src);
        while (true) {
          Object v;
          bool more = co_await anext_a(it, v);
          if (!more) break;
          assign(fo.target, f, std::move(v));
          Flow fl = co_await exec_body_a(fo.body, f);
          if (fl == Flow::Break) co_return Flow::Normal;
          if (fl == Flow::Return) co_return fl;
        }
        co_return co_await exec_body_a(fo.orelse, f);
      }
      Object it = iter(src);
      Object v;
      while (next(*it.as<IterObj>(), v)) {
        assign(fo.target, f, std::move(v));
        Flow fl = Flow::Normal;
        for (const Stmt* b : fo.body) {
          fl = co_await Exec{this, b, &f};
          if (fl != Flow::Normal) break;
        }
        if (fl == Flow::Break) co_return Flow::Normal;
        if (fl == Flow::Return) co_return fl;
      }
      co_return co_await exec_body_a(fo.orelse, f);
    }
    case StmtKind::With: {
      auto& w = s->as<With>();
      std::vector<Object> exits;
      std::vector<bool> async_exit;
      Flow fl = Flow::Normal;
      std::exception_ptr ep;
      try {
        for (const WithItem& item : w.items) {
          Object mgr = EVAL(item.context_expr);
          const char* en = w.is_async ? "__aenter__" : "__enter__";
          const char* ex = w.is_async ? "__aexit__" : "__exit__";
          Object enter = getattr_opt(mgr, en);
          Object exit = getattr_opt(mgr, ex);
          if (enter.null() || exit.null())
            raise(T.TypeError, fmt::format("'{}' object does not support the {}context manager protocol",
                                           type_of(mgr)->name, w.is_async ? "asynchronous " : ""));
          Object v = call0(enter);
          if (w.is_async) v = co_await await_object(std::move(v));
          exits.push_back(exit);
          if (item.optional_vars) assign(item.optional_vars, f, v);
        }
        fl = co_await exec_body_a(w.body, f);
      } catch (const Abort&) {
        throw;
      } catch (...) {
        ep = std::current_exception();
      }
      while (!exits.empty()) {
        Object exit = std::move(exits.back());
        exits.pop_back();
        std::exception_ptr err;
        try {
          Object r = exit_args_call(*this, exit, ep);
          if (w.is_async) r = co_await await_object(std::move(r));
          if (ep && truthy(r)) {
            ep = nullptr;
            fl = Flow::Normal;
          }
        } catch (const Abort&) {
          throw;
        } catch (...) {
          err = std::current_exception();
        }
        if (err) ep = err;
      }
      if (ep) std::rethrow_exception(ep);
      co_return fl;
    }
    case StmtKind::Try: {
      auto& t = s->as<Try>();
      Flow fl = Flow::Normal;
      std::exception_ptr pending;
      std::exception_ptr ep;
      try {
        fl = co_await exec_body_a(t.body, f);
      } catch (const Abort&) {
        throw;
      } catch (...) {
        ep = std::current_exception();
      }
      try {
        if (ep) {
          Object exc = exc_object(ep);
          const ExceptHandler* match = nullptr;
          for (const ExceptHandler& h : t.handlers) {
            if (!h.type) {
              match = &h;
              break;
            }
            Object spec = EVAL(h.type);
            if (exception_matches(exc, spec)) {
              match = &h;
              break;
            }
          }
          if (!match) std::rethrow_exception(ep);
          exc.as<ExcObj>()->tb_frame = nullptr;
          if (match->name) store_name(*match->name, f, exc);
          f.handling.push_back(ep);
          handle(ep);
          std::exception_ptr inner;
          try {
            fl = co_await exec_body_a(match->body, f);
          } catch (const Abort&) {
            throw;
          } catch (...) {
            inner = std::current_exception();
          }
          f.handling.pop_back();
          unhandle(ep);
          if (inner) std::rethrow_exception(inner);
          if (match->name) store_name(*match->name, f, Object());
        } else if (fl == Flow::Normal) {
          fl = co_await exec_body_a(t.orelse, f);
        }
      } catch (const Abort&) {
        throw;
      } catch (...) {
        if (t.finalbody.empty()) throw;
        pending = std::current_exception();
      }
      if (!t.finalbody.empty()) {
        Flow ff = co_await exec_body_a(t.finalbody, f);
        if (ff != Flow::Normal) co_return ff;
        if (pending) std::rethrow_exception(pending);
      }
      co_return fl;
    }
    case StmtKind::Raise: {
      auto& r = s->as<Raise>();
      Object exc = r.exc ? EVAL(r.exc) : Object();
      Object cause = r.cause ? EVAL(r.cause) : Object();
      do_raise(r, f, std::move(exc), std::move(cause));
    }
    case StmtKind::Assert: {
      auto& a = s->as<Assert>();
      Object t = EVAL(a.test);
      if (!truthy(t)) {
        std::vector<Object> args;
        if (a.msg) args.push_back(EVAL(a.msg));
        raise_obj(new_exc(T.AssertionError, std::move(args)));
      }
      co_return Flow::Normal;
    }
    case StmtKind::FunctionDef: {
      auto& d = s->as<FunctionDef>();
      std::vector<Object> decorators, defaults, kwdefaults;
      for (Expr* x : d.decorators) decorators.push_back(EVAL(x));
      for (auto& p : d.args.posargs) defaults.push_back(p.default_value ? EVAL(p.default_value) : Object());
      for (auto& p : d.args.kwonly) kwdefaults.push_back(p.default_value ? EVAL(p.default_value) : Object());
      store_name(*d.name, f, decorate(decorators, make_function(&d, f, std::move(defaults), std::move(kwdefaults))));
      co_return Flow::Normal;
    }
    case StmtKind::Match: {
      auto& m = s->as<Match>();
      Object subject = EVAL(m.subject);
      for (const MatchCase& c : m.cases) {
        if (!match_case(c, subject, f)) continue;
        if (c.guard) {
          Object g = EVAL(c.guard);
          if (!truthy(g)) continue;
        }
        co_return co_await exec_body_a(c.body, f);
      }
      co_return Flow::Normal;
    }
    default: co_return exec(s, f);
  }
  } catch (...) {
    traceback_stmt(f, s);
  }
}

}  // namespace aiospec::interp
