// Python's symbol-table rules (CPython's symtable.c), applied to the scenario language.
#include "resolve.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <memory>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

#include "aiospec/scenario/error.hpp"
#include "aiospec/scenario/limits.hpp"
#include "aiospec/scenario/printer.hpp"

namespace aiospec::scenario {

namespace {

enum : std::uint8_t { kBound = 1, kUsed = 2, kGlobal = 4, kNonlocal = 8, kParam = 16, kCompIter = 32 };

struct Sym {
  std::string_view name;  // interned: compared by data pointer
  std::uint8_t flags = 0;
  NameScope scope = NameScope::Global;
  std::int32_t slot = -1;        // frame slot (Local/Cell)
  std::int32_t free_index = -1;  // closure entry (Free, or a class passing a cell through)
  bool passthrough = false;      // in the closure only to hand the cell to an inner scope
  std::uint32_t line = 0, col = 0;  // of a nonlocal declaration
};

struct ScopeData {
  ScopeKind kind = ScopeKind::Module;
  ScopeData* parent = nullptr;
  Scope* out = nullptr;
  bool is_async = false;
  FunctionDef* func = nullptr;
  ExprKind comp = ExprKind::ListComp;  // a Comprehension scope's kind
  const Stmt* value_return = nullptr;  // the first `return value` of a function
  int loops = 0;
  int comp_iter = 0;  // inside a comprehension's iterable expression (symtable.c: ste_comp_iter_expr)
  int blocks = 0;  // compile.c's frame blocks open in this code object (CO_MAXBLOCKS)
  std::vector<Sym> syms;
  std::vector<Name*> names;
  std::vector<std::string_view> params;
  std::vector<std::unique_ptr<ScopeData>> children;

  Sym* find(std::string_view n) {
    for (Sym& s : syms)
      if (s.name.data() == n.data()) return &s;
    return nullptr;
  }
  Sym& get(std::string_view n) {
    if (Sym* s = find(n)) return *s;
    syms.push_back(Sym{n});
    return syms.back();
  }
  bool function_like() const {
    return kind == ScopeKind::Function || kind == ScopeKind::Lambda ||
           kind == ScopeKind::Comprehension;
  }
};

class Resolver {
 public:
  explicit Resolver(Module& m) : m_(m) {}

  void run() {
    root_.kind = ScopeKind::Module;
    root_.out = m_.arena.make<Scope>();
    cur_ = &root_;
    body(m_.body);
    // compile.c reports nesting past CO_MAXBLOCKS after the symbol table is complete.
    if (blocks_error_) throw *blocks_error_;
    classify(root_);
    layout(root_);
    m_.scope = root_.out;
    m_.globals = m_.arena.array(globals_);
  }

 private:
  template <class At>
  [[noreturn]] void fail(const At& at, std::string message,
                         ErrorKind kind = ErrorKind::Syntax) const {
    throw SyntaxError(kind, m_.filename, at.line, at.col, std::move(message));
  }

  // symtable.c: each statement and expression visited is a level of the compiler's recursion.
  struct Visit {
    Resolver& r;
    explicit Visit(Resolver& resolver) : r(resolver) {
      if (++r.depth_ > kMaxCompileDepth || stack_nearly_full())
        throw SyntaxError(ErrorKind::Recursion, r.m_.filename, 0, 0, "maximum recursion depth exceeded during compilation");
    }
    ~Visit() { --r.depth_; }
  };
  int depth_ = 0;
  bool comp_target_ = false;
  const Pattern* last_ = nullptr;  // the pattern check_pattern visited last  // visiting a comprehension's `for` target
  std::optional<SyntaxError> blocks_error_;

  // A body inside `n` more of compile.c's frame blocks (loops, with, try, handlers).
  bool block_body(const Stmt& s, Body b, int n) {
    cur_->blocks += n;
    if (cur_->blocks > kMaxStaticBlocks && !blocks_error_)
      blocks_error_.emplace(ErrorKind::Syntax, m_.filename, s.line, s.col, "too many statically nested blocks");
    bool aw = body(b);
    cur_->blocks -= n;
    return aw;
  }

  ScopeData* push(ScopeKind kind) {
    auto child = std::make_unique<ScopeData>();
    child->kind = kind;
    child->parent = cur_;
    child->out = m_.arena.make<Scope>();
    child->out->kind = kind;
    cur_->children.push_back(std::move(child));
    cur_ = cur_->children.back().get();
    return cur_;
  }
  void pop() { cur_ = cur_->parent; }

  void bind_param(const Param& p) {
    Sym& s = cur_->get(p.name);
    s.flags |= kBound | kParam;
    cur_->params.push_back(p.name);
  }
  void params(const Arguments& a) {
    for (const Param& p : a.posargs) bind_param(p);
    if (a.vararg) bind_param(*a.vararg);
    for (const Param& p : a.kwonly) bind_param(p);
    if (a.kwarg) bind_param(*a.kwarg);
  }
  bool defaults(const Arguments& a) {
    bool aw = false;
    for (const Param& p : a.posargs) aw |= expr(p.default_value);
    for (const Param& p : a.kwonly) aw |= expr(p.default_value);
    return aw;
  }

  // The innermost enclosing function scope, looking through comprehensions.
  const ScopeData* code_scope() const {
    const ScopeData* s = cur_;
    while (s->kind == ScopeKind::Comprehension) s = s->parent;
    return s;
  }

  void check_async(const Stmt& s, const char* what) {
    const ScopeData* f = code_scope();
    if (f->kind != ScopeKind::Function || !f->is_async)
      fail(s, fmt::format("'{}' outside async function", what));
  }

  // ---- expressions: returns whether e contains an await --------------------------------------
  bool exprs(std::span<Expr*> es) {
    bool aw = false;
    for (Expr* e : es) aw |= expr(e);
    return aw;
  }

  bool expr(Expr* e) {
    if (!e) return false;
    Visit visit(*this);
    bool aw = false;
    switch (e->kind) {
      case ExprKind::Name: {
        auto& n = e->as<Name>();
        Sym& s = cur_->get(n.id);
        if (comp_target_ && (s.flags & (kGlobal | kNonlocal)))
          fail(n, fmt::format("comprehension inner loop cannot rebind assignment expression target '{}'", n.id));
        s.flags |= n.ctx == ExprContext::Load ? kUsed : comp_target_ ? kBound | kCompIter : kBound;
        cur_->names.push_back(&n);
        if (n.id == "super" && cur_->kind == ScopeKind::Function && cur_->parent->kind == ScopeKind::Class)
          cur_->func->uses_super = true;
        break;
      }
      case ExprKind::Constant: case ExprKind::Int: case ExprKind::Float: case ExprKind::Str: break;
      case ExprKind::JoinedStr: aw = exprs(e->as<JoinedStr>().values); break;
      case ExprKind::FormattedValue:
        aw = expr(e->as<FormattedValue>().value);
        aw = expr(e->as<FormattedValue>().format_spec) || aw;
        break;
      case ExprKind::List: case ExprKind::Tuple: case ExprKind::Set:
        aw = exprs(e->as<Sequence>().elts);
        break;
      case ExprKind::Dict: {
        aw = exprs(e->as<Dict>().keys);
        aw = exprs(e->as<Dict>().values) || aw;
        break;
      }
      case ExprKind::ListComp: case ExprKind::SetComp: case ExprKind::DictComp:
      case ExprKind::GeneratorExp: {
        auto& c = e->as<Comp>();
        aw = comp_iter_expr(c.generators[0].iter);
        ScopeData* s = push(ScopeKind::Comprehension);
        s->comp = e->kind;
        c.scope = s->out;
        // An `async for`, or an await anywhere else, makes it an asynchronous comprehension: a list,
        // set or dict comprehension then suspends as a whole (in an async function, or inside another
        // comprehension, which becomes asynchronous too); a generator expression becomes an
        // asynchronous generator, allowed anywhere (compile.c: compiler_comprehension).
        bool inner = false;
        for (std::size_t i = 0; i < c.generators.size(); ++i) {
          Comprehension& g = c.generators[i];
          if (i > 0) inner |= comp_iter_expr(g.iter);
          inner |= g.is_async;
          comp_target_ = true;
          expr(g.target);
          comp_target_ = false;
          inner |= exprs(g.ifs);
        }
        inner |= expr(c.elt);
        inner |= expr(c.value);
        pop();
        c.is_async = inner;
        if (e->kind == ExprKind::GeneratorExp) break;
        const ScopeData* f = code_scope();
        if (inner && cur_->kind != ScopeKind::Comprehension && !(f->kind == ScopeKind::Function && f->is_async))
          fail(*e, "asynchronous comprehension outside of an asynchronous function");
        aw |= inner;
        break;
      }
      case ExprKind::Lambda: {
        auto& l = e->as<Lambda>();
        aw = defaults(l.args);
        ScopeData* s = push(ScopeKind::Lambda);
        l.scope = s->out;
        params(l.args);
        expr(l.body);
        pop();
        break;
      }
      case ExprKind::IfExp: {
        auto& x = e->as<IfExp>();
        aw = expr(x.test);
        aw = expr(x.body) || aw;
        aw = expr(x.orelse) || aw;
        break;
      }
      case ExprKind::BoolOp: aw = exprs(e->as<BoolOp>().values); break;
      case ExprKind::UnaryOp: aw = expr(e->as<UnaryOp>().operand); break;
      case ExprKind::BinOp: {
        aw = expr(e->as<BinOp>().left);
        aw = expr(e->as<BinOp>().right) || aw;
        break;
      }
      case ExprKind::Compare:
        aw = expr(e->as<Compare>().left);
        aw = exprs(e->as<Compare>().comparators) || aw;
        break;
      case ExprKind::Await: {
        // Inside a comprehension the Comp case checks where the asynchronous comprehension is.
        const ScopeData* f = code_scope();
        if (cur_->kind != ScopeKind::Comprehension) {
          if (f->kind == ScopeKind::Module || f->kind == ScopeKind::Class) fail(*e, "'await' outside function");
          if (f->kind != ScopeKind::Function || !f->is_async) fail(*e, "'await' outside async function");
        }
        expr(e->as<Await>().value);
        aw = true;
        break;
      }
      case ExprKind::Yield: case ExprKind::YieldFrom: {
        // symtable.c first (comprehensions), then compile.c.
        if (cur_->kind == ScopeKind::Comprehension)
          fail(*e, cur_->comp == ExprKind::ListComp  ? "'yield' inside list comprehension"
                   : cur_->comp == ExprKind::SetComp ? "'yield' inside set comprehension"
                   : cur_->comp == ExprKind::DictComp ? "'yield' inside dict comprehension"
                                                      : "'yield' inside generator expression");
        if (cur_->kind == ScopeKind::Lambda)
          fail(*e, unsupported_message("yield inside lambda"), ErrorKind::Unsupported);
        if (cur_->kind != ScopeKind::Function) fail(*e, "'yield' outside function");
        if (e->kind == ExprKind::YieldFrom && cur_->is_async) fail(*e, "'yield from' inside async function");
        cur_->func->is_generator = true;
        expr(e->kind == ExprKind::Yield ? e->as<Yield>().value : e->as<YieldFrom>().value);
        aw = true;
        break;
      }
      case ExprKind::Attribute: aw = expr(e->as<Attribute>().value); break;
      case ExprKind::Call: {
        auto& c = e->as<Call>();
        aw = expr(c.func);
        aw = exprs(c.args) || aw;
        for (Keyword& k : c.keywords) aw |= expr(k.value);
        break;
      }
      case ExprKind::Subscript:
        aw = expr(e->as<Subscript>().value);
        aw = expr(e->as<Subscript>().slice) || aw;
        break;
      case ExprKind::Slice: {
        auto& s = e->as<Slice>();
        aw = expr(s.lower);
        aw = expr(s.upper) || aw;
        aw = expr(s.step) || aw;
        break;
      }
      case ExprKind::Starred: aw = expr(e->as<Starred>().value); break;
      case ExprKind::NamedExpr: {
        auto& n = e->as<NamedExpr>();
        if (cur_->comp_iter > 0) fail(*e, "assignment expression cannot be used in a comprehension iterable expression");
        if (cur_->kind == ScopeKind::Comprehension) extend_namedexpr_scope(*n.target);
        aw = expr(n.value);
        expr(n.target);
        break;
      }
    }
    e->has_await = aw;
    return aw;
  }

  bool comp_iter_expr(Expr* e) {
    ++cur_->comp_iter;
    bool aw = expr(e);
    --cur_->comp_iter;
    return aw;
  }

  // symtable.c's symtable_extend_namedexpr_scope: a `:=` target in a comprehension binds in the
  // nearest enclosing function (the comprehension sees it as nonlocal) or in the module (global).
  void extend_namedexpr_scope(const Name& target) {
    for (ScopeData* s = cur_; s; s = s->parent) {
      if (s->kind == ScopeKind::Comprehension) {
        if (Sym* y = s->find(target.id); y && (y->flags & kCompIter))
          fail(target, fmt::format("assignment expression cannot rebind comprehension iteration variable '{}'", target.id));
        continue;
      }
      if (s->kind == ScopeKind::Class)
        fail(target, "assignment expression within a comprehension cannot be used in a class body");
      cur_->get(target.id).flags |= s->kind == ScopeKind::Module ? kGlobal : kNonlocal;
      s->get(target.id).flags |= kBound;
      return;
    }
  }

  // ---- statements -----------------------------------------------------------------------------
  bool body(Body b) {
    bool aw = false;
    for (Stmt* s : b) aw |= stmt(s);
    return aw;
  }

  bool loop_body(const Stmt& s, Body b) {
    ++cur_->loops;
    bool aw = block_body(s, b, 1);
    --cur_->loops;
    return aw;
  }

  bool stmt(Stmt* s) {
    Visit visit(*this);
    bool aw = false;
    switch (s->kind) {
      case StmtKind::FunctionDef: {
        auto& f = s->as<FunctionDef>();
        aw = exprs(f.decorators);
        aw = defaults(f.args) || aw;
        expr(f.name);
        ScopeData* scope = push(ScopeKind::Function);
        scope->is_async = f.is_async;
        scope->func = &f;
        f.scope = scope->out;
        params(f.args);
        f.body_awaits = body(f.body);
        if (f.is_async && f.is_generator && scope->value_return)
          fail(*scope->value_return, "'return' with value in async generator");
        pop();
        break;
      }
      case StmtKind::ClassDef: {
        auto& c = s->as<ClassDef>();
        aw = exprs(c.decorators);
        aw = exprs(c.bases) || aw;
        expr(c.name);
        ScopeData* scope = push(ScopeKind::Class);
        c.scope = scope->out;
        body(c.body);
        pop();
        break;
      }
      case StmtKind::Return:
        if (code_scope()->kind != ScopeKind::Function) fail(*s, "'return' outside function");
        if (s->as<Return>().value && !cur_->value_return) cur_->value_return = s;
        aw = expr(s->as<Return>().value);
        break;
      case StmtKind::Delete: aw = exprs(s->as<Delete>().targets); break;
      case StmtKind::Assign: {
        auto& a = s->as<Assign>();
        aw = expr(a.value);
        aw = exprs(a.targets) || aw;
        break;
      }
      case StmtKind::AugAssign: {
        auto& a = s->as<AugAssign>();
        aw = expr(a.value);
        aw = expr(a.target) || aw;
        if (a.target->is<Name>()) cur_->get(a.target->as<Name>().id).flags |= kUsed;
        break;
      }
      case StmtKind::AnnAssign: {
        auto& a = s->as<AnnAssign>();
        aw = expr(a.value);
        aw = expr(a.target) || aw;
        // A class body evaluates its annotations into __annotations__ (dataclasses read them); a
        // function's are never evaluated.
        if (cur_->kind == ScopeKind::Class) aw = expr(a.annotation) || aw;
        break;
      }
      case StmtKind::For: {
        auto& f = s->as<For>();
        if (f.is_async) check_async(*s, "async for");
        aw = f.is_async;
        aw = expr(f.iter) || aw;
        aw = expr(f.target) || aw;
        aw = loop_body(*s, f.body) || aw;
        aw = body(f.orelse) || aw;
        break;
      }
      case StmtKind::While: {
        auto& w = s->as<While>();
        aw = expr(w.test);
        aw = loop_body(*s, w.body) || aw;
        aw = body(w.orelse) || aw;
        break;
      }
      case StmtKind::If: {
        auto& i = s->as<If>();
        aw = expr(i.test);
        aw = body(i.body) || aw;
        aw = body(i.orelse) || aw;
        break;
      }
      case StmtKind::With: {
        auto& w = s->as<With>();
        if (w.is_async) check_async(*s, "async with");
        aw = w.is_async;
        for (WithItem& item : w.items) {
          aw = expr(item.context_expr) || aw;
          aw = expr(item.optional_vars) || aw;
        }
        aw |= block_body(*s, w.body, static_cast<int>(w.items.size()));
        break;
      }
      case StmtKind::Raise: {
        aw = expr(s->as<Raise>().exc);
        aw = expr(s->as<Raise>().cause) || aw;
        break;
      }
      case StmtKind::Try: {
        auto& t = s->as<Try>();
        // compile.c: FINALLY_TRY around all but the finally body, TRY_EXCEPT around the body,
        // EXCEPTION_HANDLER and HANDLER_CLEANUP around a handler's; the finally body is compiled
        // again inside FINALLY_END for the exceptional path.
        const int finally = t.finalbody.empty() ? 0 : 1, excepts = t.handlers.empty() ? 0 : 1;
        aw = block_body(*s, t.body, finally + excepts);
        for (ExceptHandler& h : t.handlers) {
          aw = expr(h.type) || aw;
          aw = expr(h.name) || aw;
          aw = block_body(*s, h.body, finally + 2) || aw;
        }
        aw = block_body(*s, t.orelse, finally) || aw;
        aw = block_body(*s, t.finalbody, finally) || aw;
        break;
      }
      case StmtKind::Assert: {
        aw = expr(s->as<Assert>().test);
        aw = expr(s->as<Assert>().msg) || aw;
        break;
      }
      case StmtKind::Import:
        for (Alias& a : s->as<Import>().names) expr(a.target);
        break;
      case StmtKind::ImportFrom:
        if (s->as<ImportFrom>().star && cur_->kind != ScopeKind::Module)
          fail(*s, "import * only allowed at module level");
        for (Alias& a : s->as<ImportFrom>().names) expr(a.target);
        break;
      case StmtKind::Global:
        for (std::string_view n : s->as<Global>().names) declare(*s, n, kGlobal);
        break;
      case StmtKind::Nonlocal:
        if (cur_->kind == ScopeKind::Module) fail(*s, "nonlocal declaration not allowed at module level");
        for (std::string_view n : s->as<Nonlocal>().names) declare(*s, n, kNonlocal);
        break;
      case StmtKind::ExprStmt: aw = expr(s->as<ExprStmt>().value); break;
      case StmtKind::Match: {
        auto& m = s->as<Match>();
        aw = expr(m.subject);
        for (std::size_t i = 0; i < m.cases.size(); ++i) {
          MatchCase& c = m.cases[i];
          pattern(c.pattern);
          std::vector<std::string_view> stores;
          check_pattern(c.pattern, c.guard || i + 1 == m.cases.size(), stores);
          aw = expr(c.guard) || aw;
          aw = body(c.body) || aw;
        }
        break;
      }
      case StmtKind::Pass: break;
      case StmtKind::Break:
        if (cur_->loops == 0) fail(*s, "'break' outside loop");
        break;
      case StmtKind::Continue:
        if (cur_->loops == 0) fail(*s, "'continue' not properly in loop");
        break;
    }
    s->has_await = aw;
    return aw;
  }

  // A pattern's names (its captures are Store targets) and value expressions (which cannot suspend).
  void pattern(Pattern* p) {
    Visit visit(*this);
    expr(p->value);
    expr(p->cls);
    exprs(p->keys);
    for (Pattern* q : p->patterns) pattern(q);
    for (Pattern* q : p->kwd_patterns) pattern(q);
    if (p->pattern) pattern(p->pattern);
    expr(p->name);
  }

  // compile.c's compiler_pattern checks, reported after the symbol table as compile.c does:
  // irrefutable patterns before the last case (pattern_context's allow_irrefutable), names bound
  // twice (pattern_helper_store_name), alternatives binding different names (compiler_pattern_or).
  void compile_error(const Pattern& p, std::string message) {
    if (!blocks_error_) blocks_error_.emplace(ErrorKind::Syntax, m_.filename, p.line, p.col, std::move(message));
  }
  // compile.c reports these at the position it compiled last: the last (sub-)pattern visited.
  void store(const Name* n, std::vector<std::string_view>& stores) {
    if (!n) return;
    for (std::string_view s : stores)
      if (s.data() == n->id.data()) compile_error(*last_, fmt::format("multiple assignments to name '{}' in pattern", n->id));
    stores.push_back(n->id);
  }
  void check_pattern(const Pattern* p, bool allow_irrefutable, std::vector<std::string_view>& stores) {
    last_ = p;
    switch (p->kind) {
      case PatternKind::Value: case PatternKind::Singleton: return;
      case PatternKind::As:
        if (p->pattern) {
          check_pattern(p->pattern, allow_irrefutable, stores);
        } else if (!allow_irrefutable) {
          compile_error(*p, p->name ? fmt::format("name capture '{}' makes remaining patterns unreachable", p->name->id)
                                    : std::string("wildcard makes remaining patterns unreachable"));
        }
        store(p->name, stores);
        return;
      case PatternKind::Star: store(p->name, stores); return;
      case PatternKind::Sequence: {
        int stars = 0;
        for (const Pattern* q : p->patterns) stars += q->kind == PatternKind::Star;
        if (stars > 1) compile_error(*p, "multiple starred names in sequence pattern");
        for (const Pattern* q : p->patterns) check_pattern(q, true, stores);
        return;
      }
      case PatternKind::Mapping:
        duplicate_keys(*p);
        for (const Pattern* q : p->patterns) check_pattern(q, true, stores);
        store(p->name, stores);
        return;
      case PatternKind::Class:
        for (std::size_t i = 0; i < p->kwd_attrs.size(); ++i)
          for (std::size_t j = 0; j < i; ++j)
            if (p->kwd_attrs[i] == p->kwd_attrs[j])
              compile_error(*p->kwd_patterns[i], fmt::format("attribute name repeated in class pattern: {}", p->kwd_attrs[i]));
        for (const Pattern* q : p->patterns) check_pattern(q, true, stores);
        for (const Pattern* q : p->kwd_patterns) check_pattern(q, true, stores);
        return;
      case PatternKind::Or: {
        std::vector<std::string_view> first;
        for (std::size_t i = 0; i < p->patterns.size(); ++i) {
          std::vector<std::string_view> alt;
          check_pattern(p->patterns[i], allow_irrefutable && i + 1 == p->patterns.size(), alt);
          std::sort(alt.begin(), alt.end());
          if (i == 0) first = alt;
          else if (alt != first) compile_error(*last_, "alternative patterns bind different names");
        }
        for (std::string_view n : first)
          for (std::string_view s : stores)
            if (s == n) compile_error(*last_, fmt::format("multiple assignments to name '{}' in pattern", n));
        stores.insert(stores.end(), first.begin(), first.end());
        return;
      }
    }
  }

  // compiler_pattern_mapping: two literal keys that are equal (as Python compares them: 1, 1.0 and
  // True are one key), named by the later one's repr.
  void duplicate_keys(const Pattern& p) {
    struct Key {
      int kind;  // 0 number, 1 str, 2 bytes, 3 None, 4 a big int (by its digits)
      double number = 0;
      std::string_view text;
      bool operator==(const Key&) const = default;
    };
    std::vector<Key> seen;
    for (const Expr* k : p.keys) {
      const Expr* e = k;
      double sign = 1;
      if (e->is<UnaryOp>()) {
        sign = -1;
        e = e->as<UnaryOp>().operand;
      }
      Key key{0, 0, {}};
      switch (e->kind) {
        case ExprKind::Int:
          if (e->as<Int>().big.empty()) key.number = sign * static_cast<double>(e->as<Int>().value);
          else key = Key{4, sign, e->as<Int>().big};
          break;
        case ExprKind::Float: key.number = sign * e->as<Float>().value; break;
        case ExprKind::Str: key = Key{e->as<Str>().bytes ? 2 : 1, 0, e->as<Str>().value}; break;
        case ExprKind::Constant:
          if (e->as<Constant>().value == Constant::Value::None) key.kind = 3;
          else key.number = e->as<Constant>().value == Constant::Value::True ? 1 : 0;
          break;
        default: continue;  // a value pattern: checked when the statement runs
      }
      for (const Key& s : seen)
        if (s == key) compile_error(p, fmt::format("mapping pattern checks duplicate key ({})", literal_repr(*k)));
      seen.push_back(key);
    }
  }

  void declare(const Stmt& at, std::string_view n, std::uint8_t flag) {
    const char* what = flag == kGlobal ? "global" : "nonlocal";
    Sym& s = cur_->get(n);
    if (s.flags & kParam) fail(at, fmt::format("name '{}' is parameter and {}", n, what));
    if (s.flags & (flag == kGlobal ? kNonlocal : kGlobal))
      fail(at, fmt::format("name '{}' is nonlocal and global", n));
    if (s.flags & kBound) fail(at, fmt::format("name '{}' is assigned to before {} declaration", n, what));
    if (s.flags & kUsed) fail(at, fmt::format("name '{}' is used prior to {} declaration", n, what));
    s.flags |= flag;
    s.line = at.line;
    s.col = at.col;
  }

  // ---- classification -------------------------------------------------------------------------

  // Finds `name`, free in scope s, in the enclosing function scopes. Returns Free (and turns the
  // binding into a cell, threading it through the scopes in between) or Global.
  NameScope lookup_free(ScopeData& s, std::string_view name) {
    for (ScopeData* a = s.parent; a; a = a->parent) {
      if (a->kind == ScopeKind::Module) return NameScope::Global;
      if (a->kind == ScopeKind::Class) continue;
      Sym* y = a->find(name);
      if (!y) continue;
      if (y->scope == NameScope::Global) return NameScope::Global;
      if (y->scope == NameScope::Local) y->scope = NameScope::Cell;
      for (ScopeData* b = s.parent; b != a; b = b->parent) {
        Sym& z = b->get(name);
        if (z.scope == NameScope::ClassBody && (z.flags & kBound)) {
          z.passthrough = true;
        } else {
          z.scope = NameScope::Free;
        }
      }
      return NameScope::Free;
    }
    return NameScope::Global;
  }

  void classify(ScopeData& s) {
    for (std::size_t i = 0; i < s.syms.size(); ++i) {
      std::string_view name = s.syms[i].name;
      std::uint8_t flags = s.syms[i].flags;
      NameScope scope;
      if (s.kind == ScopeKind::Module || (flags & kGlobal)) {
        scope = NameScope::Global;
      } else if (flags & kNonlocal) {
        scope = lookup_free(s, name);
        if (scope != NameScope::Free)
          fail(s.syms[i], fmt::format("no binding for nonlocal '{}' found", name));
      } else if (flags & kBound) {
        scope = s.kind == ScopeKind::Class ? NameScope::ClassBody : NameScope::Local;
      } else {
        scope = lookup_free(s, name);
      }
      s.syms[i].scope = scope;  // lookup_free may have grown other scopes' tables, never this one
    }
    for (auto& c : s.children) classify(*c);
  }

  std::uint32_t global_index(std::string_view name) {
    auto [it, added] = global_ids_.emplace(name.data(), static_cast<std::uint32_t>(globals_.size()));
    if (added) globals_.push_back(name);
    return it->second;
  }

  void layout(ScopeData& s) {
    std::vector<Slot> slots;
    std::vector<Capture> freevars;
    if (s.function_like()) {
      for (std::string_view p : s.params) {
        Sym* y = s.find(p);
        y->slot = static_cast<std::int32_t>(slots.size());
        slots.push_back({p, y->scope == NameScope::Cell, true});
      }
      for (Sym& y : s.syms) {
        if ((y.scope == NameScope::Local || y.scope == NameScope::Cell) && y.slot < 0) {
          y.slot = static_cast<std::int32_t>(slots.size());
          slots.push_back({y.name, y.scope == NameScope::Cell, false});
        }
      }
    }
    for (Sym& y : s.syms) {
      if (y.scope != NameScope::Free && !y.passthrough) continue;
      y.free_index = static_cast<std::int32_t>(freevars.size());
      Sym* p = s.parent->find(y.name);
      Capture c{y.name, true, 0};
      if (p->scope == NameScope::Cell) {
        c.from_free = false;
        c.index = static_cast<std::uint32_t>(p->slot);
      } else {
        c.index = static_cast<std::uint32_t>(p->free_index);
      }
      freevars.push_back(c);
    }
    s.out->nparams = static_cast<std::uint32_t>(s.params.size());
    s.out->slots = m_.arena.array(slots);
    s.out->freevars = m_.arena.array(freevars);
    for (Name* n : s.names) {
      Sym* y = s.find(n->id);
      n->scope = y->scope;
      switch (y->scope) {
        case NameScope::Global: case NameScope::ClassBody: n->index = global_index(n->id); break;
        case NameScope::Local: case NameScope::Cell: n->index = static_cast<std::uint32_t>(y->slot); break;
        case NameScope::Free: n->index = static_cast<std::uint32_t>(y->free_index); break;
      }
    }
    for (auto& c : s.children) layout(*c);
  }

  Module& m_;
  ScopeData root_;
  ScopeData* cur_ = nullptr;
  std::vector<std::string_view> globals_;
  std::unordered_map<const char*, std::uint32_t> global_ids_;
};

}  // namespace

void resolve(Module& module) { Resolver(module).run(); }

}  // namespace aiospec::scenario
