#include "aiospec/scenario/ast.hpp"

#include <algorithm>
#include <cstring>

namespace aiospec::scenario {

void* Arena::allocate(std::size_t size, std::size_t align) {
  auto misalign = reinterpret_cast<std::uintptr_t>(cur_) & (align - 1);
  std::size_t pad = misalign ? align - misalign : 0;
  if (!cur_ || left_ < size + pad) {
    constexpr std::size_t kBlock = 16 * 1024;
    std::size_t n = std::max(kBlock, size + align);
    blocks_.emplace_back(new std::byte[n]);  // uninitialised: make_unique would zero it
    cur_ = blocks_.back().get();
    left_ = n;
    misalign = reinterpret_cast<std::uintptr_t>(cur_) & (align - 1);
    pad = misalign ? align - misalign : 0;
  }
  std::byte* p = cur_ + pad;
  cur_ = p + size;
  left_ -= size + pad;
  used_ += size + pad;
  return p;
}

std::string_view Arena::string(std::string_view s) {
  if (s.empty()) return {};
  char* p = static_cast<char*>(allocate(s.size(), 1));
  std::memcpy(p, s.data(), s.size());
  return {p, s.size()};
}

namespace {

bool eq(const Expr* a, const Expr* b);
bool eq(const Stmt* a, const Stmt* b);

template <class T, class F>
bool all(std::span<T> a, std::span<T> b, F f) {
  if (a.size() != b.size()) return false;
  for (std::size_t i = 0; i < a.size(); ++i)
    if (!f(a[i], b[i])) return false;
  return true;
}
bool eq(std::span<Expr*> a, std::span<Expr*> b) {
  return all(a, b, [](const Expr* x, const Expr* y) { return eq(x, y); });
}
bool eq(Body a, Body b) {
  return all(a, b, [](const Stmt* x, const Stmt* y) { return eq(x, y); });
}
bool eq(const Param& a, const Param& b) { return a.name == b.name && eq(a.default_value, b.default_value); }
bool eq(const Param* a, const Param* b) { return (!a && !b) || (a && b && eq(*a, *b)); }
bool eq(const Arguments& a, const Arguments& b) {
  auto p = [](const Param& x, const Param& y) { return eq(x, y); };
  return all(a.posargs, b.posargs, p) && eq(a.vararg, b.vararg) && all(a.kwonly, b.kwonly, p) &&
         eq(a.kwarg, b.kwarg);
}
bool eq(const Alias& a, const Alias& b) {
  return a.name == b.name && a.has_asname == b.has_asname && a.target->id == b.target->id;
}

bool eq(const Expr* a, const Expr* b) {
  if (!a || !b) return a == b;
  if (a->kind != b->kind) return false;
  switch (a->kind) {
    case ExprKind::Name: {
      auto &x = a->as<Name>(), &y = b->as<Name>();
      return x.id == y.id && x.ctx == y.ctx;
    }
    case ExprKind::Constant: return a->as<Constant>().value == b->as<Constant>().value;
    case ExprKind::Int: {
      auto &x = a->as<Int>(), &y = b->as<Int>();
      return x.value == y.value && x.big == y.big;
    }
    case ExprKind::Float: {
      double x = a->as<Float>().value, y = b->as<Float>().value;
      return x == y || (x != x && y != y);
    }
    case ExprKind::Str: return a->as<Str>().value == b->as<Str>().value && a->as<Str>().bytes == b->as<Str>().bytes;
    case ExprKind::JoinedStr: return eq(a->as<JoinedStr>().values, b->as<JoinedStr>().values);
    case ExprKind::FormattedValue: {
      auto &x = a->as<FormattedValue>(), &y = b->as<FormattedValue>();
      return x.conversion == y.conversion && eq(x.value, y.value) && eq(x.format_spec, y.format_spec);
    }
    case ExprKind::List: case ExprKind::Tuple: case ExprKind::Set: {
      auto &x = a->as<Sequence>(), &y = b->as<Sequence>();
      return x.ctx == y.ctx && eq(x.elts, y.elts);
    }
    case ExprKind::Dict:
      return eq(a->as<Dict>().keys, b->as<Dict>().keys) && eq(a->as<Dict>().values, b->as<Dict>().values);
    case ExprKind::ListComp: case ExprKind::SetComp: case ExprKind::DictComp:
    case ExprKind::GeneratorExp: {
      auto &x = a->as<Comp>(), &y = b->as<Comp>();
      return eq(x.elt, y.elt) && eq(x.value, y.value) &&
             all(x.generators, y.generators, [](const Comprehension& g, const Comprehension& h) {
               return g.is_async == h.is_async && eq(g.target, h.target) && eq(g.iter, h.iter) && eq(g.ifs, h.ifs);
             });
    }
    case ExprKind::Lambda:
      return eq(a->as<Lambda>().args, b->as<Lambda>().args) && eq(a->as<Lambda>().body, b->as<Lambda>().body);
    case ExprKind::IfExp: {
      auto &x = a->as<IfExp>(), &y = b->as<IfExp>();
      return eq(x.test, y.test) && eq(x.body, y.body) && eq(x.orelse, y.orelse);
    }
    case ExprKind::BoolOp:
      return a->as<BoolOp>().op == b->as<BoolOp>().op && eq(a->as<BoolOp>().values, b->as<BoolOp>().values);
    case ExprKind::UnaryOp:
      return a->as<UnaryOp>().op == b->as<UnaryOp>().op && eq(a->as<UnaryOp>().operand, b->as<UnaryOp>().operand);
    case ExprKind::BinOp: {
      auto &x = a->as<BinOp>(), &y = b->as<BinOp>();
      return x.op == y.op && eq(x.left, y.left) && eq(x.right, y.right);
    }
    case ExprKind::Compare: {
      auto &x = a->as<Compare>(), &y = b->as<Compare>();
      return eq(x.left, y.left) && std::ranges::equal(x.ops, y.ops) && eq(x.comparators, y.comparators);
    }
    case ExprKind::Await: return eq(a->as<Await>().value, b->as<Await>().value);
    case ExprKind::Attribute: {
      auto &x = a->as<Attribute>(), &y = b->as<Attribute>();
      return x.attr == y.attr && x.ctx == y.ctx && eq(x.value, y.value);
    }
    case ExprKind::Call: {
      auto &x = a->as<Call>(), &y = b->as<Call>();
      return eq(x.func, y.func) && eq(x.args, y.args) &&
             all(x.keywords, y.keywords, [](const Keyword& k, const Keyword& l) {
               return k.arg == l.arg && eq(k.value, l.value);
             });
    }
    case ExprKind::Subscript: {
      auto &x = a->as<Subscript>(), &y = b->as<Subscript>();
      return x.ctx == y.ctx && eq(x.value, y.value) && eq(x.slice, y.slice);
    }
    case ExprKind::Slice: {
      auto &x = a->as<Slice>(), &y = b->as<Slice>();
      return eq(x.lower, y.lower) && eq(x.upper, y.upper) && eq(x.step, y.step);
    }
    case ExprKind::Starred:
      return a->as<Starred>().ctx == b->as<Starred>().ctx && eq(a->as<Starred>().value, b->as<Starred>().value);
    case ExprKind::Yield: return eq(a->as<Yield>().value, b->as<Yield>().value);
    case ExprKind::YieldFrom: return eq(a->as<YieldFrom>().value, b->as<YieldFrom>().value);
    case ExprKind::NamedExpr:
      return a->as<NamedExpr>().target->id == b->as<NamedExpr>().target->id &&
             eq(a->as<NamedExpr>().value, b->as<NamedExpr>().value);
  }
  return false;
}

bool eq(const Pattern* a, const Pattern* b) {
  if (!a || !b) return a == b;
  auto name = [](const Name* m, const Name* n) { return m ? n && m->id == n->id : !n; };
  auto pats = [](std::span<Pattern*> x, std::span<Pattern*> y) {
    return all(x, y, [](const Pattern* p, const Pattern* q) { return eq(p, q); });
  };
  return a->kind == b->kind && eq(a->value, b->value) && eq(a->cls, b->cls) && eq(a->keys, b->keys) &&
         std::ranges::equal(a->kwd_attrs, b->kwd_attrs) && pats(a->patterns, b->patterns) &&
         pats(a->kwd_patterns, b->kwd_patterns) && name(a->name, b->name) && eq(a->pattern, b->pattern);
}

bool eq(const Stmt* a, const Stmt* b) {
  if (!a || !b) return a == b;
  if (a->kind != b->kind) return false;
  switch (a->kind) {
    case StmtKind::FunctionDef: {
      auto &x = a->as<FunctionDef>(), &y = b->as<FunctionDef>();
      return x.name->id == y.name->id && x.is_async == y.is_async && eq(x.decorators, y.decorators) && eq(x.args, y.args) &&
             eq(x.body, y.body);
    }
    case StmtKind::ClassDef: {
      auto &x = a->as<ClassDef>(), &y = b->as<ClassDef>();
      return x.name->id == y.name->id && eq(x.decorators, y.decorators) && eq(x.bases, y.bases) && eq(x.body, y.body);
    }
    case StmtKind::Return: return eq(a->as<Return>().value, b->as<Return>().value);
    case StmtKind::Delete: return eq(a->as<Delete>().targets, b->as<Delete>().targets);
    case StmtKind::Assign:
      return eq(a->as<Assign>().targets, b->as<Assign>().targets) && eq(a->as<Assign>().value, b->as<Assign>().value);
    case StmtKind::AugAssign: {
      auto &x = a->as<AugAssign>(), &y = b->as<AugAssign>();
      return x.op == y.op && eq(x.target, y.target) && eq(x.value, y.value);
    }
    case StmtKind::AnnAssign: {
      auto &x = a->as<AnnAssign>(), &y = b->as<AnnAssign>();
      return eq(x.target, y.target) && eq(x.annotation, y.annotation) && eq(x.value, y.value);
    }
    case StmtKind::For: {
      auto &x = a->as<For>(), &y = b->as<For>();
      return x.is_async == y.is_async && eq(x.target, y.target) && eq(x.iter, y.iter) &&
             eq(x.body, y.body) && eq(x.orelse, y.orelse);
    }
    case StmtKind::While: {
      auto &x = a->as<While>(), &y = b->as<While>();
      return eq(x.test, y.test) && eq(x.body, y.body) && eq(x.orelse, y.orelse);
    }
    case StmtKind::If: {
      auto &x = a->as<If>(), &y = b->as<If>();
      return eq(x.test, y.test) && eq(x.body, y.body) && eq(x.orelse, y.orelse);
    }
    case StmtKind::With: {
      auto &x = a->as<With>(), &y = b->as<With>();
      return x.is_async == y.is_async && eq(x.body, y.body) &&
             all(x.items, y.items, [](const WithItem& i, const WithItem& j) {
               return eq(i.context_expr, j.context_expr) && eq(i.optional_vars, j.optional_vars);
             });
    }
    case StmtKind::Raise:
      return eq(a->as<Raise>().exc, b->as<Raise>().exc) && eq(a->as<Raise>().cause, b->as<Raise>().cause);
    case StmtKind::Try: {
      auto &x = a->as<Try>(), &y = b->as<Try>();
      return eq(x.body, y.body) && eq(x.orelse, y.orelse) && eq(x.finalbody, y.finalbody) &&
             all(x.handlers, y.handlers, [](const ExceptHandler& h, const ExceptHandler& k) {
               return eq(h.type, k.type) && (h.name ? k.name && h.name->id == k.name->id : !k.name) &&
                      eq(h.body, k.body);
             });
    }
    case StmtKind::Assert:
      return eq(a->as<Assert>().test, b->as<Assert>().test) && eq(a->as<Assert>().msg, b->as<Assert>().msg);
    case StmtKind::Import:
      return all(a->as<Import>().names, b->as<Import>().names, [](const Alias& x, const Alias& y) { return eq(x, y); });
    case StmtKind::ImportFrom: {
      auto &x = a->as<ImportFrom>(), &y = b->as<ImportFrom>();
      return x.module == y.module && x.star == y.star &&
             all(x.names, y.names, [](const Alias& p, const Alias& q) { return eq(p, q); });
    }
    case StmtKind::Global: return std::ranges::equal(a->as<Global>().names, b->as<Global>().names);
    case StmtKind::Nonlocal: return std::ranges::equal(a->as<Nonlocal>().names, b->as<Nonlocal>().names);
    case StmtKind::ExprStmt: return eq(a->as<ExprStmt>().value, b->as<ExprStmt>().value);
    case StmtKind::Pass: case StmtKind::Break: case StmtKind::Continue: return true;
    case StmtKind::Match: {
      auto &x = a->as<Match>(), &y = b->as<Match>();
      return eq(x.subject, y.subject) && all(x.cases, y.cases, [](const MatchCase& c, const MatchCase& d) {
               return eq(c.pattern, d.pattern) && eq(c.guard, d.guard) && eq(c.body, d.body);
             });
    }
  }
  return false;
}

}  // namespace

bool structurally_equal(const Module& a, const Module& b) { return eq(a.body, b.body); }
bool structurally_equal(const Expr* a, const Expr* b) { return eq(a, b); }
bool structurally_equal(const Stmt* a, const Stmt* b) { return eq(a, b); }

}  // namespace aiospec::scenario
