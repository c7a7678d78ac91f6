// The scenario language's syntax tree.
//
// Nodes are plain structs tagged by a kind enum (ExprKind / StmtKind) and allocated in the
// module's Arena; children are raw pointers and std::spans into the same arena. Dispatch with a
// switch on `kind` and `as<T>()` (a checked static cast); there are no virtual functions. Every node
// is trivially destructible: destroying the Module frees all of them at once.
//
// Each node carries its 1-based source line and column and `has_await`: whether evaluating it can
// suspend (it contains `await`, `async with` or `async for` outside nested function bodies).
// Names are resolved at parse time (see NameScope); identifiers are interned per module, so equal
// names share one string_view data pointer.
#pragma once

#include <cassert>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <new>
#include <span>
#include <string>
#include <string_view>
#include <type_traits>
#include <vector>

namespace aiospec::scenario {

// Bump allocator owning every node of a module.
class Arena {
 public:
  Arena() = default;
  Arena(Arena&&) = default;
  Arena& operator=(Arena&&) = default;

  template <class T>
  T* make() {
    static_assert(std::is_trivially_destructible_v<T>, "arena nodes are never destroyed");
    return new (allocate(sizeof(T), alignof(T))) T();
  }
  template <class T>
  std::span<T> array(const std::vector<T>& items) {
    static_assert(std::is_trivially_destructible_v<T>);
    if (items.empty()) return {};
    T* p = static_cast<T*>(allocate(sizeof(T) * items.size(), alignof(T)));
    for (std::size_t i = 0; i < items.size(); ++i) new (p + i) T(items[i]);
    return {p, items.size()};
  }
  std::string_view string(std::string_view s);
  std::size_t bytes_used() const noexcept { return used_; }

 private:
  void* allocate(std::size_t size, std::size_t align);
  std::vector<std::unique_ptr<std::byte[]>> blocks_;
  std::byte* cur_ = nullptr;
  std::size_t left_ = 0;
  std::size_t used_ = 0;
};

// ---------------------------------------------------------------------------------------------
// Scopes

enum class ScopeKind : std::uint8_t { Module, Function, Lambda, Comprehension, Class };

// Where a name lives, decided at parse time by Python's rules.
enum class NameScope : std::uint8_t {
  Global,     // module namespace; Name::index is the index in Module::globals. Not found there:
              // the builtins (the interpreter's business).
  Local,      // Name::index is a slot of the current frame holding the value
  Cell,       // Name::index is a slot of the current frame holding a cell (captured by an inner scope)
  Free,       // Name::index is an entry of the current function's closure (Scope::freevars)
  ClassBody,  // class namespace dict by name; Name::index is the global index to fall back on
};

// A frame slot. Parameters come first, in declaration order (positional, *args, keyword-only,
// **kwargs). A cell parameter receives its argument wrapped in a fresh cell at call time.
struct Slot {
  std::string_view name;
  bool is_cell = false;
  bool is_param = false;
};

// One closure entry of a scope: the cell it needs, and where the code creating the function
// (running in the lexically enclosing scope) finds that cell.
struct Capture {
  std::string_view name;
  bool from_free = false;   // true: the parent's closure entry `index`; false: the parent's slot `index`
  std::uint32_t index = 0;
};

struct Scope {
  ScopeKind kind = ScopeKind::Module;
  std::uint32_t nparams = 0;
  std::span<Slot> slots;         // Module and Class scopes have none
  std::span<Capture> freevars;
};

// ---------------------------------------------------------------------------------------------
// Expressions

enum class ExprKind : std::uint8_t {
  Name, Constant, Int, Float, Str, JoinedStr, FormattedValue,
  List, Tuple, Set, Dict,
  ListComp, SetComp, DictComp, GeneratorExp,
  Lambda, IfExp, BoolOp, UnaryOp, BinOp, Compare, Await,
  Attribute, Call, Subscript, Slice, Starred, Yield, YieldFrom, NamedExpr,
};

enum class ExprContext : std::uint8_t { Load, Store, Del };

struct Expr {
  ExprKind kind;
  bool has_await = false;
  std::uint32_t line = 0, col = 0;
  // Where the node's source ends: the line, and the 0-based column (in characters) just past it, as
  // CPython's end_lineno/end_col_offset (tracebacks mark the span); end_line 0 when not recorded.
  std::uint32_t end_line = 0, end_col = 0;

  template <class T>
  bool is() const noexcept { return T::classof(kind); }
  template <class T>
  T& as() noexcept { assert(is<T>()); return static_cast<T&>(*this); }
  template <class T>
  const T& as() const noexcept { assert(is<T>()); return static_cast<const T&>(*this); }
};

template <ExprKind K>
struct ExprOf : Expr {
  static constexpr bool classof(ExprKind k) noexcept { return k == K; }
  ExprOf() { kind = K; }
};

struct Name : ExprOf<ExprKind::Name> {
  std::string_view id;
  ExprContext ctx = ExprContext::Load;
  NameScope scope = NameScope::Global;
  std::uint32_t index = 0;  // meaning depends on scope
};

struct Constant : ExprOf<ExprKind::Constant> {
  enum class Value : std::uint8_t { None, True, False, Ellipsis } value = Value::None;
};

struct Int : ExprOf<ExprKind::Int> {
  std::int64_t value = 0;   // when the literal fits
  std::string_view big;     // otherwise: its digits as written, underscores removed ("0x..." kept)
};

struct Float : ExprOf<ExprKind::Float> {
  double value = 0;
};

struct Str : ExprOf<ExprKind::Str> {
  std::string_view value;  // UTF-8 (lone surrogates from \ud800 escapes encoded as 3 bytes); bytes: raw
  bool bytes = false;      // a bytes literal
};

struct FormattedValue;

// An f-string (also after concatenation with plain strings). `values` alternates Str and
// FormattedValue parts; adjacent literal parts are merged and empty ones dropped. {x=} appears as
// the literal "x=" followed by the field with conversion 'r' (as in CPython's own AST).
struct JoinedStr : ExprOf<ExprKind::JoinedStr> {
  std::span<Expr*> values;
};

struct FormattedValue : ExprOf<ExprKind::FormattedValue> {
  Expr* value = nullptr;
  char conversion = 0;               // 0, 'r', 's', 'a'
  JoinedStr* format_spec = nullptr;  // null: none
};

// List, Tuple and Set displays (and List/Tuple targets).
struct Sequence : Expr {
  static constexpr bool classof(ExprKind k) noexcept {
    return k == ExprKind::List || k == ExprKind::Tuple || k == ExprKind::Set;
  }
  std::span<Expr*> elts;  // may contain Starred
  ExprContext ctx = ExprContext::Load;
};

struct Dict : ExprOf<ExprKind::Dict> {
  std::span<Expr*> keys;    // nullptr key: {**values[i]}
  std::span<Expr*> values;
};

struct Comprehension {
  Expr* target = nullptr;
  Expr* iter = nullptr;
  std::span<Expr*> ifs;
  bool is_async = false;  // `async for`
};

// [elt for ...], {elt for ...}, {key: value for ...}, (elt for ...). A scope of its own: the
// first iterable is evaluated in the enclosing scope (its names resolve there); everything else,
// including the targets, in the comprehension's scope.
struct Comp : Expr {
  static constexpr bool classof(ExprKind k) noexcept {
    return k == ExprKind::ListComp || k == ExprKind::SetComp || k == ExprKind::DictComp ||
           k == ExprKind::GeneratorExp;
  }
  Expr* elt = nullptr;    // DictComp: the key
  Expr* value = nullptr;  // DictComp only
  std::span<Comprehension> generators;
  Scope* scope = nullptr;
  bool is_async = false;  // an `async for` or an `await` past the first iterable (a GeneratorExp: an async generator)
};

struct Param {
  std::string_view name;
  Expr* default_value = nullptr;  // null: required
  std::uint32_t line = 0, col = 0;
};

// Parameters; their slots are 0..n-1 of the function's frame in the order posargs, vararg, kwonly,
// kwarg.
struct Arguments {
  std::span<Param> posargs;
  Param* vararg = nullptr;
  std::span<Param> kwonly;
  Param* kwarg = nullptr;
};

struct Lambda : ExprOf<ExprKind::Lambda> {
  Arguments args;
  Expr* body = nullptr;
  Scope* scope = nullptr;
};

struct IfExp : ExprOf<ExprKind::IfExp> {
  Expr* test = nullptr;
  Expr* body = nullptr;
  Expr* orelse = nullptr;
};

enum class BoolOpKind : std::uint8_t { And, Or };
struct BoolOp : ExprOf<ExprKind::BoolOp> {
  BoolOpKind op = BoolOpKind::And;
  std::span<Expr*> values;  // at least two
};

enum class UnaryOpKind : std::uint8_t { Not, Neg, Pos, Invert };
struct UnaryOp : ExprOf<ExprKind::UnaryOp> {
  UnaryOpKind op = UnaryOpKind::Not;
  Expr* operand = nullptr;
};

// Same order as the augmented-assignment tokens (Tok::PlusEq...).
enum class BinOpKind : std::uint8_t {
  Add, Sub, Mult, Div, FloorDiv, Mod, Pow, LShift, RShift, BitOr, BitXor, BitAnd,
};
struct BinOp : ExprOf<ExprKind::BinOp> {
  BinOpKind op = BinOpKind::Add;
  Expr* left = nullptr;
  Expr* right = nullptr;
};

enum class CmpOpKind : std::uint8_t { Eq, NotEq, Lt, LtE, Gt, GtE, Is, IsNot, In, NotIn };
struct Compare : ExprOf<ExprKind::Compare> {
  Expr* left = nullptr;
  std::span<CmpOpKind> ops;
  std::span<Expr*> comparators;  // same length as ops
};

struct Await : ExprOf<ExprKind::Await> {
  Expr* value = nullptr;
};

// `yield` / `yield value` (value may be a bare tuple), and `yield from value`. Both suspend, so they
// are `has_await`; they make the enclosing function a generator (FunctionDef::is_generator).
struct Yield : ExprOf<ExprKind::Yield> {
  Expr* value = nullptr;  // null: yields None
};
struct YieldFrom : ExprOf<ExprKind::YieldFrom> {
  Expr* value = nullptr;
};

// `target := value`. In a comprehension the target binds in the enclosing function (or module)
// scope, as symtable.c's symtable_extend_namedexpr_scope decides.
struct NamedExpr : ExprOf<ExprKind::NamedExpr> {
  Name* target = nullptr;
  Expr* value = nullptr;
};

struct Attribute : ExprOf<ExprKind::Attribute> {
  Expr* value = nullptr;
  std::string_view attr;
  ExprContext ctx = ExprContext::Load;
};

struct Keyword {
  std::string_view arg;  // empty: **value
  Expr* value = nullptr;
  std::uint32_t line = 0, col = 0;
};

struct Call : ExprOf<ExprKind::Call> {
  Expr* func = nullptr;
  std::span<Expr*> args;  // may contain Starred (*args)
  std::span<Keyword> keywords;
};

struct Subscript : ExprOf<ExprKind::Subscript> {
  Expr* value = nullptr;
  Expr* slice = nullptr;  // an expression, a Slice, or a Tuple containing Slices
  ExprContext ctx = ExprContext::Load;
};

struct Slice : ExprOf<ExprKind::Slice> {
  Expr* lower = nullptr;
  Expr* upper = nullptr;
  Expr* step = nullptr;
};

struct Starred : ExprOf<ExprKind::Starred> {
  Expr* value = nullptr;
  ExprContext ctx = ExprContext::Load;
};

// ---------------------------------------------------------------------------------------------
// Statements

enum class StmtKind : std::uint8_t {
  FunctionDef, ClassDef, Return, Delete, Assign, AugAssign, AnnAssign, For, While, If, With,
  Raise, Try, Assert, Import, ImportFrom, Global, Nonlocal, ExprStmt, Pass, Break, Continue, Match,
};

struct Stmt {
  StmtKind kind;
  bool has_await = false;
  std::uint32_t line = 0, col = 0;
  std::uint32_t end_line = 0, end_col = 0;  // as Expr's; simple statements only

  template <class T>
  bool is() const noexcept { return T::classof(kind); }
  template <class T>
  T& as() noexcept { assert(is<T>()); return static_cast<T&>(*this); }
  template <class T>
  const T& as() const noexcept { assert(is<T>()); return static_cast<const T&>(*this); }
};

template <StmtKind K>
struct StmtOf : Stmt {
  static constexpr bool classof(StmtKind k) noexcept { return k == K; }
  StmtOf() { kind = K; }
};

using Body = std::span<Stmt*>;

// def / async def. `has_await` (the statement's) covers the defaults only; `body_awaits` tells
// whether the body itself can suspend. `name` is the Store target the function is bound to.
struct FunctionDef : StmtOf<StmtKind::FunctionDef> {
  std::span<Expr*> decorators;  // outermost first
  Name* name = nullptr;
  bool is_async = false;
  bool body_awaits = false;
  bool uses_super = false;  // a method that mentions `super` (zero-argument super() needs its class)
  bool is_generator = false;  // the body yields: calling it makes a generator (async def: an async generator)
  Arguments args;
  Body body;
  Scope* scope = nullptr;
};

// Names bound in a class body have NameScope::ClassBody.
struct ClassDef : StmtOf<StmtKind::ClassDef> {
  std::span<Expr*> decorators;  // outermost first
  Name* name = nullptr;
  std::span<Expr*> bases;
  Body body;
  Scope* scope = nullptr;
};

struct Return : StmtOf<StmtKind::Return> {
  Expr* value = nullptr;
};

struct Delete : StmtOf<StmtKind::Delete> {
  std::span<Expr*> targets;
};

// a = b = value: targets in source order.
struct Assign : StmtOf<StmtKind::Assign> {
  std::span<Expr*> targets;
  Expr* value = nullptr;
};

struct AugAssign : StmtOf<StmtKind::AugAssign> {
  Expr* target = nullptr;
  BinOpKind op = BinOpKind::Add;
  Expr* value = nullptr;
};

// x: T = value. The annotation is kept for printing and never evaluated or resolved.
struct AnnAssign : StmtOf<StmtKind::AnnAssign> {
  Expr* target = nullptr;
  Expr* annotation = nullptr;
  Expr* value = nullptr;  // null: annotation only (still makes a plain name local)
};

struct For : StmtOf<StmtKind::For> {
  bool is_async = false;
  Expr* target = nullptr;
  Expr* iter = nullptr;
  Body body;
  Body orelse;
};

struct While : StmtOf<StmtKind::While> {
  Expr* test = nullptr;
  Body body;
  Body orelse;
};

// elif is an If as the only statement of orelse.
struct If : StmtOf<StmtKind::If> {
  Expr* test = nullptr;
  Body body;
  Body orelse;
};

struct WithItem {
  Expr* context_expr = nullptr;
  Expr* optional_vars = nullptr;
};

struct With : StmtOf<StmtKind::With> {
  bool is_async = false;
  std::span<WithItem> items;
  Body body;
};

struct Raise : StmtOf<StmtKind::Raise> {
  Expr* exc = nullptr;    // null: bare raise
  Expr* cause = nullptr;  // raise exc from cause
};

struct ExceptHandler {
  Expr* type = nullptr;  // null: bare except
  Name* name = nullptr;  // except E as name (Store target; deleted after the handler, as in Python)
  Body body;
  std::uint32_t line = 0, col = 0;
};

struct Try : StmtOf<StmtKind::Try> {
  Body body;
  std::span<ExceptHandler> handlers;
  Body orelse;
  Body finalbody;
};

struct Assert : StmtOf<StmtKind::Assert> {
  Expr* test = nullptr;
  Expr* msg = nullptr;
};

// `import asyncio [as aio]`, `from time import sleep [as s]`: `target` is the name bound.
struct Alias {
  std::string_view name;
  Name* target = nullptr;
  bool has_asname = false;
};

struct Import : StmtOf<StmtKind::Import> {
  std::span<Alias> names;
};

struct ImportFrom : StmtOf<StmtKind::ImportFrom> {
  std::string_view module;
  std::span<Alias> names;  // empty for `import *`
  bool star = false;
};

struct Global : StmtOf<StmtKind::Global> {
  std::span<std::string_view> names;
};

struct Nonlocal : StmtOf<StmtKind::Nonlocal> {
  std::span<std::string_view> names;
};

struct ExprStmt : StmtOf<StmtKind::ExprStmt> {
  Expr* value = nullptr;
};

// A pattern of a `case` (CPython's pattern_ty, one struct for all kinds).
enum class PatternKind : std::uint8_t {
  Value,      // a literal or dotted name, compared with ==: `value`
  Singleton,  // None, True, False, compared with `is`: `value` (a Constant)
  Sequence,   // [p, *rest, q] / (p, q) / p, q: `patterns` (at most one Star)
  Mapping,    // {key: p, **rest}: `keys`, `patterns`, `name` (the rest, may be null)
  Class,      // cls(p, attr=q): `cls`, `patterns` (positional), `kwd_attrs`, `kwd_patterns`
  Star,       // *name in a sequence: `name` (null: *_)
  As,         // p as name, a capture (no `pattern`), or the wildcard _ (neither)
  Or,         // p | q: `patterns`
};

struct Pattern {
  PatternKind kind = PatternKind::As;
  std::uint32_t line = 0, col = 0;
  std::uint32_t end_line = 0, end_col = 0;  // as Expr's (a run-time error's traceback marks the span)
  Expr* value = nullptr;
  Expr* cls = nullptr;
  std::span<Pattern*> patterns;
  std::span<Expr*> keys;
  std::span<std::string_view> kwd_attrs;
  std::span<Pattern*> kwd_patterns;
  Name* name = nullptr;       // Store target
  Pattern* pattern = nullptr;
};

struct MatchCase {
  Pattern* pattern = nullptr;
  Expr* guard = nullptr;
  Body body;
};

struct Match : StmtOf<StmtKind::Match> {
  Expr* subject = nullptr;
  std::span<MatchCase> cases;
};

struct Pass : StmtOf<StmtKind::Pass> {};
struct Break : StmtOf<StmtKind::Break> {};
struct Continue : StmtOf<StmtKind::Continue> {};

// ---------------------------------------------------------------------------------------------

struct Module {
  std::string filename;
  Arena arena;
  Body body;
  Scope* scope = nullptr;
  // Every name with NameScope::Global or ClassBody, indexed by Name::index.
  std::span<std::string_view> globals;
};

// Structural equality: same node kinds, operators, names, literal values and shapes. Positions,
// has_await and name resolution are ignored (they are derived from the rest).
bool structurally_equal(const Module& a, const Module& b);
bool structurally_equal(const Expr* a, const Expr* b);
bool structurally_equal(const Stmt* a, const Stmt* b);

}  // namespace aiospec::scenario
