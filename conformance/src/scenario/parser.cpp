// Recursive-descent parser following the precedence and statement grammar of Python 3.11.
#include "aiospec/scenario/parser.hpp"

#include <fmt/format.h>

#include <charconv>
#include <limits>
#include <unordered_map>
#include <unordered_set>

#include "aiospec/scenario/error.hpp"
#include "aiospec/scenario/lexer.hpp"
#include "aiospec/scenario/limits.hpp"
#include "resolve.hpp"

namespace aiospec::scenario {

namespace {

bool is_module_supported(std::string_view name) {
  static const std::unordered_set<std::string_view> modules = {
#define MODULE(name, id, builtin) name,
#include "aiospec/scenario/modules.def"
#undef MODULE
  };
  return modules.count(name) != 0;
}

// State shared by the module parser and the parsers of f-string fields.
struct Context {
  std::string filename;
  Arena& arena;
  std::unordered_map<std::string_view, std::string_view> names;  // interned identifiers
};

const char* describe(const Expr& e) {
  switch (e.kind) {
    case ExprKind::Call: return "function call";
    case ExprKind::Constant: return "literal";
    case ExprKind::Int: case ExprKind::Float: case ExprKind::Str: return "literal";
    case ExprKind::JoinedStr: return "f-string expression";
    case ExprKind::Dict: return "dict literal";
    case ExprKind::Set: return "set display";
    case ExprKind::ListComp: return "list comprehension";
    case ExprKind::SetComp: return "set comprehension";
    case ExprKind::DictComp: return "dict comprehension";
    case ExprKind::GeneratorExp: return "generator expression";
    case ExprKind::Lambda: return "lambda";
    case ExprKind::IfExp: return "conditional expression";
    case ExprKind::Compare: return "comparison";
    case ExprKind::Await: return "await expression";
    case ExprKind::Starred: return "starred";
    case ExprKind::Yield: case ExprKind::YieldFrom: return "yield expression";
    case ExprKind::Attribute: return "attribute";
    case ExprKind::Subscript: return "subscript";
    case ExprKind::NamedExpr: return "named expression";
    default: return "expression";
  }
}

class Parser {
 public:
  Parser(const TokenStream& ts, Context& cx) : ts_(ts), toks_(ts.tokens), cx_(cx) {}

  Body module() {
    std::vector<Stmt*> body;
    while (!at(Tok::End)) statement(body);
    return array(body);
  }

  // An f-string field's expression: the whole token stream.
  Expr* field_expression() {
    if (at(Tok::End)) fail(peek(), "f-string: empty expression not allowed");
    Expr* e = star_expressions();
    if (e->kind == ExprKind::Starred) fail(*e, "cannot use starred expression here");
    if (!at(Tok::End)) fail(peek(), "f-string: invalid syntax");
    return e;
  }

 private:
  // ---- tokens ---------------------------------------------------------------------------------
  const Token& peek(std::size_t k = 0) const {
    std::size_t i = pos_ + k;
    return toks_[i < toks_.size() ? i : toks_.size() - 1];
  }
  bool at(Tok k) const { return peek().kind == k; }
  const Token& next() {
    const Token& t = peek();
    if (pos_ < toks_.size() - 1) ++pos_;
    return t;
  }
  bool accept(Tok k) {
    if (!at(k)) return false;
    next();
    return true;
  }
  const Token& expect(Tok k) {
    if (!at(k)) unexpected(fmt::format("expected {}", token_name(k)));
    return next();
  }
  std::string_view text(const Token& t) const { return ts_.text(t); }

  // ---- errors ---------------------------------------------------------------------------------
  template <class At>
  [[noreturn]] void fail(const At& at, std::string message, ErrorKind kind = ErrorKind::Syntax) const {
    throw SyntaxError(kind, cx_.filename, at.line, at.col, std::move(message));
  }
  template <class At>
  [[noreturn]] void unsupported(const At& at, std::string_view construct) const {
    fail(at, unsupported_message(construct), ErrorKind::Unsupported);
  }
  // The current token cannot continue the program: name constructs outside the language, else say
  // what was expected.
  [[noreturn]] void unexpected(std::string expected = {}) const {
    const Token& t = peek();
    switch (t.kind) {
      case Tok::At: unsupported(t, "matrix multiplication (@)");
      case Tok::AtEq: unsupported(t, "@=");
      case Tok::Indent: fail(t, "unexpected indent", ErrorKind::Indentation);
      case Tok::Walrus: fail(t, "invalid syntax");  // `:=` where no assignment expression may be
      default: break;
    }
    if (!expected.empty()) fail(t, expected);
    fail(t, "invalid syntax");
  }

  // ---- nodes ----------------------------------------------------------------------------------
  template <class T, class At>
  T* node(const At& at) {
    T* n = cx_.arena.make<T>();
    n->line = at.line;
    n->col = at.col;
    return n;
  }
  template <class T>
  std::span<T> array(const std::vector<T>& v) { return cx_.arena.array(v); }
  // Records where node `n` ends: just past the last token consumed (CPython's end_lineno and
  // end_col_offset, in characters), the span a traceback marks.
  template <class N>
  N* fin(N* n) {
    const Token& t = toks_[pos_ > 0 ? pos_ - 1 : 0];
    std::string_view s = text(t);
    const std::size_t nl = s.rfind('\n');
    std::uint32_t lines = 0, chars = 0;
    for (char c : s) lines += c == '\n';
    for (char c : nl == std::string_view::npos ? s : s.substr(nl + 1)) chars += (static_cast<unsigned char>(c) & 0xC0) != 0x80;
    n->end_line = t.line + lines;
    n->end_col = (nl == std::string_view::npos ? t.col - 1 : 0) + chars;
    return n;
  }

  std::string_view intern(std::string_view s) {
    auto it = cx_.names.find(s);
    if (it != cx_.names.end()) return it->second;
    std::string_view stored = cx_.arena.string(s);
    cx_.names.emplace(stored, stored);
    return stored;
  }

  Name* name_node(const Token& t, ExprContext ctx = ExprContext::Load) {
    Name* n = node<Name>(t);
    n->id = intern(text(t));
    n->ctx = ctx;
    return n;
  }

  const Token& expect_name() {
    if (!at(Tok::Name)) unexpected("expected a name");
    return next();
  }

  // ---- statements -----------------------------------------------------------------------------
  void statement(std::vector<Stmt*>& out) {
    const Token& t = peek();
    switch (t.kind) {
      case Tok::KwDef: out.push_back(function_def(t, false)); return;
      case Tok::KwClass: out.push_back(class_def()); return;
      case Tok::KwIf: out.push_back(if_stmt()); return;
      case Tok::KwWhile: out.push_back(while_stmt()); return;
      case Tok::KwFor: out.push_back(for_stmt(t, false)); return;
      case Tok::KwTry: out.push_back(try_stmt()); return;
      case Tok::KwWith: out.push_back(with_stmt(t, false)); return;
      case Tok::At: out.push_back(decorated()); return;
      case Tok::KwAsync: {
        next();
        switch (peek().kind) {
          case Tok::KwDef: out.push_back(function_def(t, true)); return;
          case Tok::KwWith: out.push_back(with_stmt(t, true)); return;
          case Tok::KwFor: out.push_back(for_stmt(t, true)); return;
          default: unexpected();
        }
      }
      case Tok::Name:
        if (text(t) == "match")
          if (Stmt* m = match_stmt()) {
            out.push_back(m);
            return;
          }
        break;
      default: break;
    }
    simple_statements(out);
  }

  // match_stmt: `match` is a soft keyword: a statement starting with the name `match` is a match
  // statement when a subject and ':' NEWLINE follow it; otherwise null, nothing consumed.
  Stmt* match_stmt() {
    const std::size_t start = pos_;
    const Token& t = next();
    Expr* subject = nullptr;
    if (starts_expression()) {
      try {
        subject = subject_expr();
      } catch (const SyntaxError&) {
        subject = nullptr;
      }
    }
    if (!subject || !at(Tok::Colon) || peek(1).kind != Tok::Newline) {
      pos_ = start;
      return nullptr;
    }
    next();
    next();
    if (!at(Tok::Indent))
      fail(peek(), fmt::format("expected an indented block after 'match' statement on line {}", t.line),
           ErrorKind::Indentation);
    next();
    auto* m = node<Match>(t);
    m->subject = subject;
    std::vector<MatchCase> cases;
    while (!accept(Tok::Dedent)) {
      if (!at(Tok::Name) || text(peek()) != "case") unexpected();
      const Token& c = next();
      MatchCase mc;
      mc.pattern = patterns();
      if (accept(Tok::KwIf)) mc.guard = named_expression();
      mc.body = block(c, "'case' statement");
      cases.push_back(mc);
    }
    m->cases = array(cases);
    return m;
  }

  // subject_expr: star_named_expression ',' star_named_expressions? | named_expression
  Expr* subject_expr() {
    const Token& t = peek();
    Expr* first = at(Tok::Star) ? starred() : named_expression();
    if (!at(Tok::Comma)) return first;
    std::vector<Expr*> elts{first};
    while (accept(Tok::Comma) && !at(Tok::Colon)) elts.push_back(at(Tok::Star) ? starred() : named_expression());
    auto* tuple = node<Sequence>(t);
    tuple->kind = ExprKind::Tuple;
    tuple->elts = array(elts);
    return fin(tuple);
  }

  // ---- patterns (the grammar's patterns, pattern, closed_pattern...) --------------------------
  Pattern* pattern_node(const Token& t, PatternKind kind) {
    auto* p = cx_.arena.make<Pattern>();
    p->kind = kind;
    p->line = t.line;
    p->col = t.col;
    return p;
  }
  Pattern* sequence_pattern(const Token& t, const std::vector<Pattern*>& elts) {
    Pattern* p = pattern_node(t, PatternKind::Sequence);
    p->patterns = array(elts);
    return fin(p);
  }

  // patterns: open_sequence_pattern | pattern
  Pattern* patterns() {
    const Token& t = peek();
    Pattern* first = maybe_star_pattern();
    if (!at(Tok::Comma)) {
      if (first->kind == PatternKind::Star) unexpected();
      return first;
    }
    std::vector<Pattern*> elts{first};
    while (accept(Tok::Comma) && !at(Tok::Colon) && !at(Tok::KwIf)) elts.push_back(maybe_star_pattern());
    return sequence_pattern(t, elts);
  }

  Pattern* maybe_star_pattern() {
    if (!at(Tok::Star)) return pattern();
    Pattern* p = pattern_node(next(), PatternKind::Star);
    const Token& n = expect_name();
    if (text(n) != "_") p->name = name_node(n, ExprContext::Store);
    return fin(p);
  }

  // pattern: or_pattern ['as' pattern_capture_target]
  Pattern* pattern() {
    const Token& t = peek();
    Pattern* p = or_pattern();
    if (!accept(Tok::KwAs)) return p;
    if (!at(Tok::Name)) fail(peek(), "invalid pattern target");
    if (text(peek()) == "_") fail(peek(), "cannot use '_' as a target");
    Pattern* a = pattern_node(t, PatternKind::As);
    a->pattern = p;
    a->name = name_node(next(), ExprContext::Store);
    return fin(a);
  }

  Pattern* or_pattern() {
    const Token& t = peek();
    Pattern* first = closed_pattern();
    if (!at(Tok::Pipe)) return first;
    std::vector<Pattern*> alts{first};
    while (accept(Tok::Pipe)) alts.push_back(closed_pattern());
    Pattern* p = pattern_node(t, PatternKind::Or);
    p->patterns = array(alts);
    return fin(p);
  }

  // A literal pattern's or mapping key's value: a signed number, strings, None, True, False.
  Expr* literal_expr() {
    const Token& t = peek();
    switch (t.kind) {
      case Tok::KwNone: case Tok::KwTrue: case Tok::KwFalse: return fin(atom());
      case Tok::String: case Tok::Bytes: return fin(strings());
      case Tok::FString: fail(t, "patterns may only match literals and attribute lookups");
      case Tok::Minus:
        if (peek(1).kind != Tok::Int && peek(1).kind != Tok::Float) {
          next();
          unexpected();
        }
        return factor();
      case Tok::Int: case Tok::Float: return fin(atom());
      default: unexpected();
    }
  }

  // A dotted name: NAME ('.' NAME)*, the first token consumed.
  Expr* name_or_attr(const Token& t) {
    Expr* e = fin(name_node(t));
    while (accept(Tok::Dot)) {
      auto* a = node<Attribute>(t);
      a->value = e;
      a->attr = intern(text(expect_name()));
      e = fin(a);
    }
    return e;
  }

  Pattern* closed_pattern() {
    const Token& t = peek();
    switch (t.kind) {
      case Tok::Name: {
        next();
        if (!at(Tok::Dot) && !at(Tok::LParen)) {
          Pattern* p = pattern_node(t, PatternKind::As);  // capture, or the wildcard _
          if (text(t) != "_") p->name = name_node(t, ExprContext::Store);
          return fin(p);
        }
        Expr* e = name_or_attr(t);
        if (at(Tok::LParen)) return class_pattern(t, e);
        Pattern* p = pattern_node(t, PatternKind::Value);
        p->value = e;
        return fin(p);
      }
      case Tok::LParen: case Tok::LBracket: {
        const Tok close = t.kind == Tok::LParen ? Tok::RParen : Tok::RBracket;
        next();
        std::vector<Pattern*> elts;
        bool comma = false;
        while (!at(close)) {
          elts.push_back(maybe_star_pattern());
          if (!accept(Tok::Comma)) break;
          comma = true;
        }
        expect(close);
        // (p) groups; (p,), [p] and () are sequences.
        if (close == Tok::RParen && elts.size() == 1 && !comma) {
          if (elts[0]->kind == PatternKind::Star) fail(*elts[0], "invalid syntax");
          return elts[0];
        }
        return sequence_pattern(t, elts);
      }
      case Tok::LBrace: return mapping_pattern();
      default: {
        Expr* e = literal_expr();
        Pattern* p = pattern_node(t, e->is<Constant>() ? PatternKind::Singleton : PatternKind::Value);
        p->value = e;
        return fin(p);
      }
    }
  }

  Pattern* class_pattern(const Token& t, Expr* cls) {
    next();  // (
    Pattern* p = pattern_node(t, PatternKind::Class);
    p->cls = cls;
    std::vector<Pattern*> positional, keyword;
    std::vector<std::string_view> attrs;
    while (!at(Tok::RParen)) {
      if (at(Tok::Name) && peek(1).kind == Tok::Assign) {
        attrs.push_back(intern(text(next())));
        next();
        keyword.push_back(pattern());
      } else {
        Pattern* q = pattern();
        if (!keyword.empty()) fail(*q, "positional patterns follow keyword patterns");
        positional.push_back(q);
      }
      if (!accept(Tok::Comma)) break;
    }
    expect(Tok::RParen);
    p->patterns = array(positional);
    p->kwd_attrs = array(attrs);
    p->kwd_patterns = array(keyword);
    return fin(p);
  }

  Pattern* mapping_pattern() {
    Pattern* p = pattern_node(next(), PatternKind::Mapping);
    std::vector<Expr*> keys;
    std::vector<Pattern*> values;
    while (!at(Tok::RBrace)) {
      if (accept(Tok::DStar)) {
        const Token& n = expect_name();
        if (text(n) == "_") fail(n, "invalid syntax");
        p->name = name_node(n, ExprContext::Store);
        accept(Tok::Comma);
        break;
      }
      if (at(Tok::Name)) {
        const Token& n = next();
        if (!at(Tok::Dot)) unexpected();
        keys.push_back(name_or_attr(n));
      } else {
        keys.push_back(literal_expr());
      }
      expect(Tok::Colon);
      values.push_back(pattern());
      if (!accept(Tok::Comma)) break;
    }
    expect(Tok::RBrace);
    p->keys = array(keys);
    p->patterns = array(values);
    return fin(p);
  }

  void simple_statements(std::vector<Stmt*>& out) {
    for (;;) {
      out.push_back(fin(simple_statement()));
      if (!accept(Tok::Semi) || at(Tok::Newline)) break;
    }
    if (!at(Tok::Newline)) unexpected();
    next();
  }

  // Block after a compound statement's header: ':' then an indented suite or simple statements.
  Body block(const Token& header, std::string_view what) {
    if (!at(Tok::Colon)) unexpected("expected ':'");
    next();
    std::vector<Stmt*> body;
    if (accept(Tok::Newline)) {
      if (!at(Tok::Indent))
        fail(peek(), fmt::format("expected an indented block after {} on line {}", what, header.line),
             ErrorKind::Indentation);
      next();
      while (!accept(Tok::Dedent)) statement(body);
    } else {
      simple_statements(body);
    }
    return array(body);
  }

  Stmt* simple_statement() {
    const Token& t = peek();
    switch (t.kind) {
      case Tok::KwPass: next(); return node<Pass>(t);
      case Tok::KwBreak: next(); return node<Break>(t);
      case Tok::KwContinue: next(); return node<Continue>(t);
      case Tok::KwReturn: {
        next();
        auto* s = node<Return>(t);
        if (starts_expression()) s->value = star_expressions();
        return s;
      }
      case Tok::KwRaise: {
        next();
        auto* s = node<Raise>(t);
        if (starts_expression()) {
          s->exc = expression();
          if (accept(Tok::KwFrom)) s->cause = expression();
        }
        return s;
      }
      case Tok::KwGlobal: case Tok::KwNonlocal: {
        next();
        std::vector<std::string_view> names;
        do names.push_back(intern(text(expect_name())));
        while (accept(Tok::Comma));
        if (t.kind == Tok::KwGlobal) {
          auto* s = node<Global>(t);
          s->names = array(names);
          return s;
        }
        auto* s = node<Nonlocal>(t);
        s->names = array(names);
        return s;
      }
      case Tok::KwDel: {
        next();
        auto* s = node<Delete>(t);
        std::vector<Expr*> targets;
        do {
          Expr* e = bitwise_or();
          set_context(e, ExprContext::Del);
          targets.push_back(e);
        } while (accept(Tok::Comma) && starts_expression());
        s->targets = array(targets);
        return s;
      }
      case Tok::KwAssert: {
        next();
        auto* s = node<Assert>(t);
        s->test = expression();
        if (accept(Tok::Comma)) s->msg = expression();
        return s;
      }
      case Tok::KwImport: return import_stmt();
      case Tok::KwFrom: return import_from();
      default: return expression_statement();
    }
  }

  Stmt* expression_statement() {
    const Token& t = peek();
    bool bare_first = at(Tok::KwYield);
    Expr* first = yield_or_star_expressions();
    if (at(Tok::Assign)) {
      if (bare_first) fail(*first, "assignment to yield expression not possible");
      std::vector<Expr*> targets{first};
      Expr* value = nullptr;
      while (accept(Tok::Assign)) {
        // `a = yield = b`: CPython names an unparenthesised yield among the targets specially.
        bool bare_yield = at(Tok::KwYield);
        value = yield_or_star_expressions();
        if (bare_yield && at(Tok::Assign)) fail(*value, "assignment to yield expression not possible");
        targets.push_back(value);
      }
      targets.pop_back();
      for (Expr* target : targets) {
        if (!target->is<Name>() && !target->is<Attribute>() && !target->is<Subscript>() &&
            !target->is<Sequence>() && !target->is<Starred>() && !target->is<Constant>())
          fail(*target, fmt::format("cannot assign to {} here. Maybe you meant '==' instead of '='?",
                                    describe(*target)));
        set_context(target, ExprContext::Store);
      }
      auto* s = node<Assign>(t);
      s->targets = array(targets);
      s->value = value;
      return s;
    }
    Tok k = peek().kind;
    if (k >= Tok::PlusEq && k <= Tok::AtEq) {
      if (k == Tok::AtEq) unexpected();
      if (!first->is<Name>() && !first->is<Attribute>() && !first->is<Subscript>())
        fail(*first, fmt::format("'{}' is an illegal expression for augmented assignment",
                                 first->kind == ExprKind::Tuple ? "tuple" : describe(*first)));
      next();
      set_context(first, ExprContext::Store);
      auto* s = node<AugAssign>(t);
      s->target = first;
      s->op = static_cast<BinOpKind>(static_cast<int>(k) - static_cast<int>(Tok::PlusEq));
      s->value = yield_or_star_expressions();
      return s;
    }
    if (k == Tok::Colon) {
      if (!first->is<Name>() && !first->is<Attribute>() && !first->is<Subscript>())
        fail(*first, first->kind == ExprKind::Tuple
                         ? std::string("only single target (not tuple) can be annotated")
                         : fmt::format("illegal target for annotation"));
      next();
      set_context(first, ExprContext::Store);
      auto* s = node<AnnAssign>(t);
      s->target = first;
      s->annotation = expression();
      if (accept(Tok::Assign)) s->value = yield_or_star_expressions();
      return s;
    }
    if (first->is<Name>() && first->as<Name>().id == "print" && starts_expression())
      fail(*first, "Missing parentheses in call to 'print'. Did you mean print(...)?");
    auto* s = node<ExprStmt>(t);
    s->value = first;
    return s;
  }

  // Marks e as an assignment (or del) target, rejecting what cannot be one.
  void set_context(Expr* e, ExprContext ctx, bool in_sequence = false) {
    const char* verb = ctx == ExprContext::Del ? "delete" : "assign to";
    switch (e->kind) {
      case ExprKind::Name: {
        auto& n = e->as<Name>();
        if (n.id == "__debug__") fail(*e, fmt::format("cannot {} __debug__", verb));
        n.ctx = ctx;
        return;
      }
      case ExprKind::Attribute: e->as<Attribute>().ctx = ctx; return;
      case ExprKind::Subscript: e->as<Subscript>().ctx = ctx; return;
      case ExprKind::Tuple: case ExprKind::List: {
        auto& s = e->as<Sequence>();
        s.ctx = ctx;
        bool starred = false;
        for (Expr* elt : s.elts) {
          if (elt->kind == ExprKind::Starred) {
            if (starred) fail(*elt, "multiple starred expressions in assignment");
            starred = true;
          }
          set_context(elt, ctx, true);
        }
        return;
      }
      case ExprKind::Starred:
        if (ctx == ExprContext::Del) fail(*e, "cannot delete starred");
        if (!in_sequence) fail(*e, "starred assignment target must be in a list or tuple");
        e->as<Starred>().ctx = ctx;
        set_context(e->as<Starred>().value, ctx);
        return;
      case ExprKind::Constant: {
        static constexpr const char* names[] = {"None", "True", "False", "ellipsis"};
        fail(*e, fmt::format("cannot {} {}", verb, names[static_cast<int>(e->as<Constant>().value)]));
      }
      default: fail(*e, fmt::format("cannot {} {}", verb, describe(*e)));
    }
  }

  Stmt* import_stmt() {
    const Token& t = next();
    std::vector<Alias> names;
    do {
      const Token& m = expect_name();
      std::string_view dotted = module_name(m);
      Alias a = alias(m);  // `import a.b` binds `a`; `import a.b as c` binds the submodule
      a.name = dotted;
      names.push_back(a);
    } while (accept(Tok::Comma));
    auto* s = node<Import>(t);
    s->names = array(names);
    return s;
  }

  [[noreturn]] void unsupported_module(const Token& at, std::string_view module) const {
    fail(at, fmt::format("unsupported module '{}' (not among the scenario language's modules; see spec/language.md)", module),
         ErrorKind::Unsupported);
  }

  // A dotted module name starting at `first`, refused unless the scenario language has that module.
  std::string_view module_name(const Token& first) {
    std::string dotted(text(first));
    while (accept(Tok::Dot)) dotted += "." + std::string(text(expect_name()));
    if (!is_module_supported(dotted)) unsupported_module(first, dotted);
    return intern(dotted);
  }

  Alias alias(const Token& name) {
    Alias a;
    a.name = intern(text(name));
    const Token* bound = &name;
    if (accept(Tok::KwAs)) {
      bound = &expect_name();
      a.has_asname = true;
    }
    a.target = name_node(*bound, ExprContext::Store);
    return a;
  }

  Stmt* import_from() {
    const Token& t = next();
    if (at(Tok::Dot) || at(Tok::Ellipsis)) unsupported_module(peek(), "relative import");
    std::string_view module = module_name(expect_name());
    expect(Tok::KwImport);
    auto* s = node<ImportFrom>(t);
    s->module = module;
    if (accept(Tok::Star)) {
      s->star = true;
      return s;
    }
    bool paren = accept(Tok::LParen);
    std::vector<Alias> names;
    do {
      if (paren && at(Tok::RParen)) break;
      const Token& n = expect_name();
      names.push_back(alias(n));
    } while (accept(Tok::Comma));
    if (paren) expect(Tok::RParen);
    if (names.empty()) unexpected();
    s->names = array(names);
    return s;
  }

  Stmt* function_def(const Token& start, bool is_async) {
    const Token& def = expect(Tok::KwDef);
    auto* f = node<FunctionDef>(start);
    f->is_async = is_async;
    f->name = name_node(expect_name(), ExprContext::Store);
    expect(Tok::LParen);
    f->args = parameters(Tok::RParen);
    expect(Tok::RParen);
    if (accept(Tok::Arrow)) expression();  // return annotation: accepted, never evaluated
    f->body = block(def, "function definition");
    return f;
  }

  // Parameters up to `close` (')' for def, ':' for lambda). Annotations only in def.
  Arguments parameters(Tok close) {
    std::vector<Param> pos, kwonly;
    Arguments args;
    bool star = false, seen_default = false;
    std::unordered_set<std::string_view> seen;
    auto param = [&]() {
      const Token& n = expect_name();
      Param p;
      p.name = intern(text(n));
      p.line = n.line;
      p.col = n.col;
      if (!seen.insert(p.name).second)
        fail(n, fmt::format("duplicate argument '{}' in function definition", p.name));
      if (close == Tok::RParen && accept(Tok::Colon)) expression();  // annotation, never evaluated
      return p;
    };
    while (!at(close)) {
      if (at(Tok::Slash)) unsupported(peek(), "positional-only parameters ('/')");
      if (accept(Tok::DStar)) {
        Param p = param();
        if (at(Tok::Assign)) fail(peek(), "var-keyword argument cannot have default value");
        args.kwarg = cx_.arena.make<Param>();
        *args.kwarg = p;
        accept(Tok::Comma);
        if (!at(close)) fail(peek(), "arguments cannot follow var-keyword argument");
        break;
      }
      if (at(Tok::Star)) {
        const Token& s = next();
        if (star) fail(s, "* argument may appear only once");
        star = true;
        if (at(Tok::Comma) || at(close)) {
          if (!at(Tok::Comma) || peek(1).kind == close || peek(1).kind == Tok::DStar)
            fail(s, "named arguments must follow bare *");
        } else {
          Param p = param();
          if (at(Tok::Assign)) fail(peek(), "var-positional argument cannot have default value");
          args.vararg = cx_.arena.make<Param>();
          *args.vararg = p;
        }
      } else {
        Param p = param();
        if (accept(Tok::Assign)) {
          p.default_value = expression();
          seen_default = true;
        } else if (seen_default && !star) {
          fail(p, "non-default argument follows default argument");
        }
        (star ? kwonly : pos).push_back(p);
      }
      if (!accept(Tok::Comma)) break;
    }
    args.posargs = array(pos);
    args.kwonly = array(kwonly);
    return args;
  }

  // `@expr NEWLINE`... then the def, async def or class they decorate.
  Stmt* decorated() {
    std::vector<Expr*> decorators;
    while (accept(Tok::At)) {
      decorators.push_back(named_expression());
      expect(Tok::Newline);
    }
    const Token& t = peek();
    if (t.kind == Tok::KwClass) {
      auto* c = static_cast<ClassDef*>(class_def());
      c->decorators = array(decorators);
      return c;
    }
    bool is_async = accept(Tok::KwAsync);
    if (!at(Tok::KwDef)) unexpected();
    auto* f = static_cast<FunctionDef*>(function_def(is_async ? t : peek(), is_async));
    f->decorators = array(decorators);
    return f;
  }

  Stmt* class_def() {
    const Token& t = next();
    auto* c = node<ClassDef>(t);
    c->name = name_node(expect_name(), ExprContext::Store);
    std::vector<Expr*> bases;
    if (accept(Tok::LParen)) {
      while (!at(Tok::RParen)) {
        if (at(Tok::Name) && peek(1).kind == Tok::Assign)
          unsupported(peek(), "class keyword argument (metaclass=...)");
        if (at(Tok::Star) || at(Tok::DStar)) unsupported(peek(), "unpacking in class bases");
        bases.push_back(expression());
        if (!accept(Tok::Comma)) break;
      }
      expect(Tok::RParen);
    }
    c->bases = array(bases);
    c->body = block(t, "class definition");
    return c;
  }

  Stmt* if_stmt() {
    const Token& t = next();
    auto* s = node<If>(t);
    s->test = named_expression();
    s->body = block(t, "'if' statement");
    if (at(Tok::KwElif)) {
      std::vector<Stmt*> orelse{if_stmt()};  // elif parses exactly like if
      s->orelse = array(orelse);
    } else if (at(Tok::KwElse)) {
      s->orelse = block(next(), "'else' statement");
    }
    return s;
  }

  Stmt* while_stmt() {
    const Token& t = next();
    auto* s = node<While>(t);
    s->test = named_expression();
    s->body = block(t, "'while' statement");
    if (at(Tok::KwElse)) s->orelse = block(next(), "'else' statement");
    return s;
  }

  Stmt* for_stmt(const Token& start, bool is_async) {
    const Token& t = expect(Tok::KwFor);
    auto* s = node<For>(start);
    s->is_async = is_async;
    s->target = target_list();
    expect(Tok::KwIn);
    s->iter = star_expressions();
    s->body = block(t, "'for' statement");
    if (at(Tok::KwElse)) s->orelse = block(next(), "'else' statement");
    return s;
  }

  // star_targets of for loops and comprehensions: stops before 'in'.
  Expr* target_list() {
    const Token& t = peek();
    std::vector<Expr*> elts;
    bool comma = false;
    for (;;) {
      elts.push_back(at(Tok::Star) ? starred(ExprContext::Store) : bitwise_or());
      if (!at(Tok::Comma)) break;
      next();
      comma = true;
      if (at(Tok::KwIn)) break;
    }
    Expr* target = elts[0];
    if (comma) {
      auto* tuple = node<Sequence>(t);
      tuple->kind = ExprKind::Tuple;
      tuple->elts = array(elts);
      target = tuple;
    }
    set_context(target, ExprContext::Store);
    return target;
  }

  Stmt* try_stmt() {
    const Token& t = next();
    auto* s = node<Try>(t);
    s->body = block(t, "'try' statement");
    std::vector<ExceptHandler> handlers;
    while (at(Tok::KwExcept)) {
      const Token& e = next();
      if (at(Tok::Star)) unsupported(peek(), "except*");
      if (!handlers.empty() && handlers.back().type == nullptr)
        fail(handlers.back(), "default 'except:' must be last");
      ExceptHandler h;
      h.line = e.line;
      h.col = e.col;
      if (!at(Tok::Colon)) {
        h.type = expression();
        if (at(Tok::Comma)) fail(*h.type, "multiple exception types must be parenthesized");
        if (accept(Tok::KwAs)) h.name = name_node(expect_name(), ExprContext::Store);
      }
      h.body = block(e, "'except' statement");
      handlers.push_back(h);
    }
    s->handlers = array(handlers);
    if (at(Tok::KwElse)) {
      if (handlers.empty()) unexpected("expected 'except' or 'finally' block");
      s->orelse = block(next(), "'else' statement");
    }
    if (at(Tok::KwFinally)) s->finalbody = block(next(), "'finally' statement");
    if (handlers.empty() && s->finalbody.empty()) unexpected("expected 'except' or 'finally' block");
    return s;
  }

  Stmt* with_stmt(const Token& start, bool is_async) {
    const Token& t = expect(Tok::KwWith);
    auto* s = node<With>(start);
    s->is_async = is_async;
    std::vector<WithItem> items;
    bool paren = at(Tok::LParen) && parenthesized_with_items();
    if (paren) next();
    do {
      if (paren && at(Tok::RParen)) break;
      WithItem item;
      item.context_expr = expression();
      if (accept(Tok::KwAs)) {
        item.optional_vars = at(Tok::Star) ? starred(ExprContext::Store) : bitwise_or_target();
        set_context(item.optional_vars, ExprContext::Store);
      }
      items.push_back(item);
    } while (accept(Tok::Comma));
    if (paren) expect(Tok::RParen);
    s->items = array(items);
    s->body = block(t, "'with' statement");
    return s;
  }

  // `with (a as b, c):` versus `with (a, b):` (a tuple): the former has 'as' inside the
  // parentheses at depth 1 and ':' right after them.
  bool parenthesized_with_items() const {
    int depth = 0;
    bool as = false;
    for (std::size_t i = pos_; i < toks_.size(); ++i) {
      Tok k = toks_[i].kind;
      if (k == Tok::LParen || k == Tok::LBracket || k == Tok::LBrace) ++depth;
      if (k == Tok::RParen || k == Tok::RBracket || k == Tok::RBrace) {
        if (--depth == 0) return as && i + 1 < toks_.size() && toks_[i + 1].kind == Tok::Colon;
      }
      if (k == Tok::KwAs && depth == 1) as = true;
      if (k == Tok::Newline || k == Tok::End) return false;
    }
    return false;
  }

  // A with-item target: a name, attribute, subscript, or a parenthesised/bracketed tuple/list.
  Expr* bitwise_or_target() { return bitwise_or(); }

  // ---- expressions ----------------------------------------------------------------------------
  bool starts_expression() const {
    switch (peek().kind) {
      case Tok::Name: case Tok::Int: case Tok::Float: case Tok::String: case Tok::FString: case Tok::Bytes:
      case Tok::KwFalse: case Tok::KwNone: case Tok::KwTrue: case Tok::KwAwait:
      case Tok::KwLambda: case Tok::KwNot: case Tok::LParen: case Tok::LBracket:
      case Tok::LBrace: case Tok::Ellipsis: case Tok::Plus: case Tok::Minus: case Tok::Tilde:
      case Tok::Star: case Tok::KwYield:
        return true;
      default:
        return false;
    }
  }

  Expr* starred(ExprContext ctx = ExprContext::Load) {
    const Token& t = expect(Tok::Star);
    auto* s = node<Starred>(t);
    s->value = bitwise_or();
    s->ctx = ctx;
    return fin(s);
  }

  // yield_expr: `yield from x`, `yield`, `yield a, b`.
  Expr* yield_expression() {
    const Token& t = expect(Tok::KwYield);
    if (accept(Tok::KwFrom)) {
      auto* y = node<YieldFrom>(t);
      y->value = expression();
      return fin(y);
    }
    auto* y = node<Yield>(t);
    if (starts_expression()) y->value = star_expressions();
    return fin(y);
  }
  Expr* yield_or_star_expressions() { return at(Tok::KwYield) ? yield_expression() : star_expressions(); }

  // star_expressions: a bare tuple when there is a comma.
  Expr* star_expressions() {
    const Token& t = peek();
    Expr* first = at(Tok::Star) ? starred() : expression();
    if (!at(Tok::Comma)) return first;
    std::vector<Expr*> elts{first};
    while (accept(Tok::Comma) && starts_expression())
      elts.push_back(at(Tok::Star) ? starred() : expression());
    auto* tuple = node<Sequence>(t);
    tuple->kind = ExprKind::Tuple;
    tuple->elts = array(elts);
    return fin(tuple);
  }

  // assignment_expression: `NAME := expression`, else null.
  Expr* assignment_expression() {
    if (!at(Tok::Name) || peek(1).kind != Tok::Walrus) return nullptr;
    const Token& t = next();
    next();
    auto* n = node<NamedExpr>(t);
    n->target = name_node(t, ExprContext::Store);
    n->value = expression();
    return fin(n);
  }

  // named_expression: `NAME := expression`, else an expression (invalid_named_expression names
  // any other target).
  Expr* named_expression() {
    if (Expr* n = assignment_expression()) return n;
    Expr* e = expression();
    if (at(Tok::Walrus)) fail(*e, fmt::format("cannot use assignment expressions with {}", describe(*e)));
    return e;
  }

  Expr* expression() {
    if (at(Tok::KwLambda)) return lambda();
    const Token& t = peek();
    Expr* body = disjunction();
    if (!at(Tok::KwIf)) return body;
    next();
    auto* e = node<IfExp>(t);
    e->body = body;
    e->test = disjunction();
    if (!at(Tok::KwElse)) unexpected("expected 'else' after 'if' expression");
    next();
    Nested level(*this, 1);
    e->orelse = expression();
    return fin(e);
  }

  Expr* lambda() {
    const Token& t = next();
    auto* l = node<Lambda>(t);
    l->args = parameters(Tok::Colon);
    expect(Tok::Colon);
    Nested level(*this, 2);
    l->body = expression();
    return fin(l);
  }

  Expr* disjunction() { return bool_op(Tok::KwOr, BoolOpKind::Or); }
  Expr* conjunction() { return bool_op(Tok::KwAnd, BoolOpKind::And); }

  Expr* bool_op(Tok tok, BoolOpKind op) {
    const Token& t = peek();
    Expr* first = op == BoolOpKind::Or ? conjunction() : inversion();
    if (!at(tok)) return first;
    std::vector<Expr*> values{first};
    while (accept(tok)) values.push_back(op == BoolOpKind::Or ? conjunction() : inversion());
    auto* e = node<BoolOp>(t);
    e->op = op;
    e->values = array(values);
    return fin(e);
  }

  Expr* inversion() {
    if (!at(Tok::KwNot)) return comparison();
    const Token& t = next();
    auto* e = node<UnaryOp>(t);
    e->op = UnaryOpKind::Not;
    Nested level(*this, 1);
    e->operand = inversion();
    return fin(e);
  }

  bool comparison_operator(CmpOpKind& op) {
    switch (peek().kind) {
      case Tok::EqEq: op = CmpOpKind::Eq; break;
      case Tok::NotEq: op = CmpOpKind::NotEq; break;
      case Tok::Less: op = CmpOpKind::Lt; break;
      case Tok::LessEq: op = CmpOpKind::LtE; break;
      case Tok::Greater: op = CmpOpKind::Gt; break;
      case Tok::GreaterEq: op = CmpOpKind::GtE; break;
      case Tok::KwIn: op = CmpOpKind::In; break;
      case Tok::KwIs:
        next();
        op = accept(Tok::KwNot) ? CmpOpKind::IsNot : CmpOpKind::Is;
        return true;
      case Tok::KwNot:
        if (peek(1).kind != Tok::KwIn) return false;
        next();
        op = CmpOpKind::NotIn;
        break;
      default: return false;
    }
    next();
    return true;
  }

  Expr* comparison() {
    const Token& t = peek();
    Expr* left = bitwise_or();
    CmpOpKind op;
    if (!comparison_operator(op)) return left;
    std::vector<CmpOpKind> ops;
    std::vector<Expr*> comparators;
    do {
      ops.push_back(op);
      comparators.push_back(bitwise_or());
    } while (comparison_operator(op));
    auto* e = node<Compare>(t);
    e->left = left;
    e->ops = array(ops);
    e->comparators = array(comparators);
    return fin(e);
  }

  Expr* binary(const Token& t, BinOpKind op, Expr* left, Expr* right) {
    auto* e = node<BinOp>(t);
    e->op = op;
    e->left = left;
    e->right = right;
    return fin(e);
  }

  Expr* bitwise_or() {
    const Token& t = peek();
    Expr* e = bitwise_xor();
    while (accept(Tok::Pipe)) e = binary(t, BinOpKind::BitOr, e, bitwise_xor());
    return e;
  }
  Expr* bitwise_xor() {
    const Token& t = peek();
    Expr* e = bitwise_and();
    while (accept(Tok::Caret)) e = binary(t, BinOpKind::BitXor, e, bitwise_and());
    return e;
  }
  Expr* bitwise_and() {
    const Token& t = peek();
    Expr* e = shift();
    while (accept(Tok::Amp)) e = binary(t, BinOpKind::BitAnd, e, shift());
    return e;
  }
  Expr* shift() {
    const Token& t = peek();
    Expr* e = sum();
    for (;;) {
      if (accept(Tok::LShift)) e = binary(t, BinOpKind::LShift, e, sum());
      else if (accept(Tok::RShift)) e = binary(t, BinOpKind::RShift, e, sum());
      else return e;
    }
  }
  Expr* sum() {
    const Token& t = peek();
    Expr* e = term();
    for (;;) {
      if (accept(Tok::Plus)) e = binary(t, BinOpKind::Add, e, term());
      else if (accept(Tok::Minus)) e = binary(t, BinOpKind::Sub, e, term());
      else return e;
    }
  }
  Expr* term() {
    const Token& t = peek();
    Expr* e = factor();
    for (;;) {
      BinOpKind op;
      switch (peek().kind) {
        case Tok::Star: op = BinOpKind::Mult; break;
        case Tok::Slash: op = BinOpKind::Div; break;
        case Tok::DSlash: op = BinOpKind::FloorDiv; break;
        case Tok::Percent: op = BinOpKind::Mod; break;
        case Tok::At: unsupported(peek(), "matrix multiplication (@)");
        default: return e;
      }
      next();
      e = binary(t, op, e, factor());
    }
  }
  Expr* factor() {
    UnaryOpKind op;
    switch (peek().kind) {
      case Tok::Plus: op = UnaryOpKind::Pos; break;
      case Tok::Minus: op = UnaryOpKind::Neg; break;
      case Tok::Tilde: op = UnaryOpKind::Invert; break;
      default: return power();
    }
    const Token& t = next();
    auto* e = node<UnaryOp>(t);
    e->op = op;
    Nested level(*this, 1);
    e->operand = factor();
    return fin(e);
  }
  Expr* power() {
    const Token& t = peek();
    Expr* e = await_primary();
    if (accept(Tok::DStar)) {
      Nested level(*this, 2);
      e = binary(t, BinOpKind::Pow, e, factor());
    }
    return e;
  }
  Expr* await_primary() {
    if (!at(Tok::KwAwait)) return primary();
    const Token& t = next();
    auto* e = node<Await>(t);
    e->value = primary();
    return fin(e);
  }

  Expr* primary() {
    const Token& t = peek();
    Expr* e = atom();
    if (!e->end_line) fin(e);  // a leaf, or a display or parenthesized tuple whose bracket just closed
    for (;;) {
      if (accept(Tok::Dot)) {
        auto* a = node<Attribute>(t);
        a->value = e;
        a->attr = intern(text(expect_name()));
        e = fin(a);
      } else if (at(Tok::LParen)) {
        e = call(t, e);
      } else if (accept(Tok::LBracket)) {
        auto* s = node<Subscript>(t);
        s->value = e;
        s->slice = slices();
        expect(Tok::RBracket);
        e = fin(s);
      } else {
        return e;
      }
    }
  }

  Expr* call(const Token& t, Expr* func) {
    const Token& paren = next();  // (
    Expr* genexp = nullptr;  // the sole argument f(x for x in y): its span is the call's parentheses
    auto* c = node<Call>(t);
    c->func = func;
    std::vector<Expr*> args;
    std::vector<Keyword> keywords;
    bool kw_unpack = false;
    while (!at(Tok::RParen)) {
      const Token& a = peek();
      if (accept(Tok::DStar)) {
        keywords.push_back({"", expression(), a.line, a.col});
        kw_unpack = true;
      } else if (at(Tok::Star)) {
        if (kw_unpack) fail(a, "iterable argument unpacking follows keyword argument unpacking");
        args.push_back(starred());
      } else {
        Expr* e = assignment_expression();
        if (!e) e = expression();
        if (at(Tok::Assign)) {
          if (!e->is<Name>())
            fail(*e, "expression cannot contain assignment, perhaps you meant \"==\"?");
          next();
          keywords.push_back({e->as<Name>().id, expression(), a.line, a.col});
        } else {
          if (at(Tok::KwFor) || at(Tok::KwAsync)) {
            e = comprehension(a, ExprKind::GeneratorExp, e, nullptr);
            if (!args.empty() || !keywords.empty() || at(Tok::Comma))
              fail(*e, "Generator expression must be parenthesized");
            genexp = e;
          }
          if (!keywords.empty())
            fail(*e, kw_unpack ? "positional argument follows keyword argument unpacking"
                               : "positional argument follows keyword argument");
          args.push_back(e);
        }
      }
      if (!accept(Tok::Comma)) break;
    }
    expect(Tok::RParen);
    if (genexp) {
      genexp->line = paren.line;
      genexp->col = paren.col;
      fin(genexp);
    }
    c->args = array(args);
    c->keywords = array(keywords);
    return fin(c);
  }

  Expr* slices() {
    const Token& t = peek();
    Expr* first = slice();
    if (!at(Tok::Comma)) return first;
    std::vector<Expr*> elts{first};
    while (accept(Tok::Comma) && !at(Tok::RBracket)) elts.push_back(slice());
    auto* tuple = node<Sequence>(t);
    tuple->kind = ExprKind::Tuple;
    tuple->elts = array(elts);
    return fin(tuple);
  }

  Expr* slice() {
    const Token& t = peek();
    if (at(Tok::Star)) unsupported(t, "starred expression in a subscript");
    Expr* lower = at(Tok::Colon) ? nullptr : named_expression();
    if (!at(Tok::Colon)) return lower;
    next();
    auto* s = node<Slice>(t);
    s->lower = lower;
    if (!at(Tok::Colon) && !at(Tok::Comma) && !at(Tok::RBracket)) s->upper = expression();
    if (accept(Tok::Colon) && !at(Tok::Comma) && !at(Tok::RBracket)) s->step = expression();
    return fin(s);
  }

  // Parser/parser.c counts each rule it enters against MAXSTACK and fails with MemoryError: the
  // right-recursive rules here count as many levels as CPython's grammar spends on them (a unary
  // operator, `not` or an `else` branch 1, `**` or `lambda` 2), from the levels a module-level
  // statement's expression starts at; a nearly full C++ stack fails the same way.
  static constexpr int kStatementLevels = 32;
  int level_ = kStatementLevels;
  struct Nested {
    Parser& p;
    int n;
    Nested(Parser& parser, int levels) : p(parser), n(levels) {
      p.level_ += n;
      if (p.level_ >= kMaxParserLevel || stack_nearly_full()) throw SyntaxError(ErrorKind::Memory, p.cx_.filename, 0, 0, "");
    }
    ~Nested() { p.level_ -= n; }
  };
  Expr* atom() {
    const Token& t = peek();
    switch (t.kind) {
      case Tok::Name: next(); return name_node(t);
      case Tok::KwTrue: case Tok::KwFalse: case Tok::KwNone: case Tok::Ellipsis: {
        next();
        auto* c = node<Constant>(t);
        c->value = t.kind == Tok::KwTrue    ? Constant::Value::True
                   : t.kind == Tok::KwFalse ? Constant::Value::False
                   : t.kind == Tok::KwNone  ? Constant::Value::None
                                            : Constant::Value::Ellipsis;
        return c;
      }
      case Tok::Int: next(); return integer(t);
      case Tok::Float: next(); return floating(t);
      case Tok::String: case Tok::FString: case Tok::Bytes: return strings();
      case Tok::LParen: return parenthesized();
      case Tok::LBracket: return list_display();
      case Tok::LBrace: return brace_display();
      case Tok::KwLambda: return lambda();
      default: unexpected();
    }
  }

  Expr* integer(const Token& t) {
    std::string digits;
    for (char c : text(t))
      if (c != '_') digits += static_cast<char>(c >= 'A' && c <= 'Z' ? c | 0x20 : c);
    int base = 10;
    std::size_t start = 0;
    if (digits.size() > 1 && digits[0] == '0' && (digits[1] == 'x' || digits[1] == 'o' || digits[1] == 'b')) {
      base = digits[1] == 'x' ? 16 : digits[1] == 'o' ? 8 : 2;
      start = 2;
    }
    auto* n = node<Int>(t);
    std::uint64_t v = 0;
    constexpr std::uint64_t max = static_cast<std::uint64_t>(std::numeric_limits<std::int64_t>::max());
    for (std::size_t i = start; i < digits.size(); ++i) {
      char c = digits[i];
      std::uint64_t d = c <= '9' ? static_cast<std::uint64_t>(c - '0') : static_cast<std::uint64_t>(c - 'a' + 10);
      if (v > (max - d) / static_cast<std::uint64_t>(base)) {
        n->big = cx_.arena.string(digits);
        return n;
      }
      v = v * static_cast<std::uint64_t>(base) + d;
    }
    n->value = static_cast<std::int64_t>(v);
    return n;
  }

  Expr* floating(const Token& t) {
    std::string digits;
    for (char c : text(t))
      if (c != '_') digits += c;
    auto* n = node<Float>(t);
    auto [end, ec] = std::from_chars(digits.data(), digits.data() + digits.size(), n->value);
    if (ec == std::errc::result_out_of_range) {
      // Python rounds overflow to inf and underflow to 0.0.
      auto e = digits.find_first_of("eE");
      bool underflow = e != std::string::npos && e + 1 < digits.size() && digits[e + 1] == '-';
      n->value = underflow ? 0.0 : std::numeric_limits<double>::infinity();
    } else if (ec != std::errc() || end != digits.data() + digits.size()) {
      fail(t, "invalid decimal literal");
    }
    return n;
  }

  // Adjacent string literals, concatenated; any f-string among them makes a JoinedStr.
  Expr* strings() {
    const Token& first = peek();
    bool joined = false;
    std::size_t i = pos_, bytes = 0;
    for (; toks_[i].kind == Tok::String || toks_[i].kind == Tok::FString || toks_[i].kind == Tok::Bytes; ++i) {
      joined = joined || toks_[i].kind == Tok::FString;
      bytes += toks_[i].kind == Tok::Bytes;
    }
    // CPython reports both errors at the token after the literals.
    if (bytes && bytes != i - pos_) fail(toks_[i], "cannot mix bytes and nonbytes literals");
    if (bytes) {
      for (const auto& [at, message] : ts_.literal_errors)
        if (at >= pos_ && at < i) fail(toks_[i], message);
      std::string value;
      while (at(Tok::Bytes)) value += ts_.strings[next().payload];
      auto* s = node<Str>(first);
      s->value = cx_.arena.string(value);
      s->bytes = true;
      return s;
    }
    if (!joined) {
      std::string value;
      while (at(Tok::String)) value += ts_.strings[next().payload];
      auto* s = node<Str>(first);
      s->value = cx_.arena.string(value);
      return s;
    }
    std::vector<Expr*> parts;
    std::string pending;
    const Token* pending_at = &first;
    while (at(Tok::String) || at(Tok::FString)) {
      const Token& t = next();
      if (pending.empty()) pending_at = &t;
      if (t.kind == Tok::String) {
        pending += ts_.strings[t.payload];
        continue;
      }
      fstring_parts(ts_.fstrings[t.payload], t, parts, pending, pending_at);
    }
    flush_literal(parts, pending, *pending_at);
    auto* j = node<JoinedStr>(first);
    j->values = array(parts);
    return j;
  }

  void flush_literal(std::vector<Expr*>& parts, std::string& pending, const Token& at) {
    if (pending.empty()) return;
    auto* s = node<Str>(at);
    s->value = cx_.arena.string(pending);
    parts.push_back(s);
    pending.clear();
  }

  void fstring_parts(const std::vector<FStringPart>& in, const Token& t, std::vector<Expr*>& parts,
                     std::string& pending, const Token*& pending_at) {
    for (const FStringPart& p : in) {
      if (!p.is_field) {
        if (pending.empty()) pending_at = &t;
        pending += p.literal;
        continue;
      }
      if (p.debug) pending += p.debug_text;
      flush_literal(parts, pending, *pending_at);
      auto* f = node<FormattedValue>(p);
      TokenStream sub = tokenize_expression(ts_.source, cx_.filename, p.expr_begin, p.expr_end, p.line);
      f->value = Parser(sub, cx_).field_expression();
      f->conversion = p.conversion;
      if (p.debug && !p.conversion && !p.has_spec) f->conversion = 'r';
      if (p.has_spec) {
        std::vector<Expr*> spec;
        std::string spec_text;
        const Token* spec_at = &t;
        fstring_parts(p.spec, t, spec, spec_text, spec_at);
        flush_literal(spec, spec_text, *spec_at);
        f->format_spec = node<JoinedStr>(p);
        f->format_spec->values = array(spec);
      }
      parts.push_back(f);
    }
  }

  Expr* parenthesized() {
    const Token& t = next();
    if (accept(Tok::RParen)) {
      auto* tuple = node<Sequence>(t);
      tuple->kind = ExprKind::Tuple;
      return tuple;
    }
    if (at(Tok::KwYield)) {
      Expr* y = yield_expression();
      expect(Tok::RParen);
      return y;
    }
    Expr* first = at(Tok::Star) ? starred() : named_expression();
    if (at(Tok::KwFor) || at(Tok::KwAsync)) {
      if (first->is<Starred>()) fail(*first, "iterable unpacking cannot be used in comprehension");
      Expr* g = comprehension(t, ExprKind::GeneratorExp, first, nullptr);
      expect(Tok::RParen);
      return g;
    }
    if (accept(Tok::RParen)) {
      if (first->is<Starred>()) fail(*first, "cannot use starred expression here");
      return first;
    }
    if (!at(Tok::Comma)) unexpected("expected ')'");
    std::vector<Expr*> elts{first};
    while (accept(Tok::Comma) && !at(Tok::RParen))
      elts.push_back(at(Tok::Star) ? starred() : named_expression());
    expect(Tok::RParen);
    auto* tuple = node<Sequence>(t);
    tuple->kind = ExprKind::Tuple;
    tuple->elts = array(elts);
    return tuple;
  }

  Expr* list_display() {
    const Token& t = next();
    std::vector<Expr*> elts;
    if (!at(Tok::RBracket)) {
      Expr* first = at(Tok::Star) ? starred() : named_expression();
      if (at(Tok::KwFor) || at(Tok::KwAsync)) {
        if (first->is<Starred>()) fail(*first, "iterable unpacking cannot be used in comprehension");
        Expr* c = comprehension(t, ExprKind::ListComp, first, nullptr);
        expect(Tok::RBracket);
        return c;
      }
      elts.push_back(first);
      while (accept(Tok::Comma) && !at(Tok::RBracket))
        elts.push_back(at(Tok::Star) ? starred() : named_expression());
    }
    expect(Tok::RBracket);
    auto* list = node<Sequence>(t);
    list->kind = ExprKind::List;
    list->elts = array(elts);
    return list;
  }

  Expr* brace_display() {
    const Token& t = next();
    if (accept(Tok::RBrace)) return node<Dict>(t);
    std::vector<Expr*> keys, values;
    auto dict_item = [&] {
      if (accept(Tok::DStar)) {
        keys.push_back(nullptr);
        values.push_back(bitwise_or());
        return;
      }
      keys.push_back(expression());
      expect(Tok::Colon);
      values.push_back(expression());
    };
    if (at(Tok::DStar)) {
      dict_item();
    } else {
      Expr* first = at(Tok::Star) ? starred() : named_expression();
      if (accept(Tok::Colon)) {
        if (first->is<Starred>()) fail(*first, "cannot use a starred expression in a dictionary value");
        Expr* value = expression();
        if (at(Tok::KwFor) || at(Tok::KwAsync)) {
          Expr* c = comprehension(t, ExprKind::DictComp, first, value);
          expect(Tok::RBrace);
          return c;
        }
        keys.push_back(first);
        values.push_back(value);
      } else {
        if (at(Tok::KwFor) || at(Tok::KwAsync)) {
          if (first->is<Starred>()) fail(*first, "iterable unpacking cannot be used in comprehension");
          Expr* c = comprehension(t, ExprKind::SetComp, first, nullptr);
          expect(Tok::RBrace);
          return c;
        }
        std::vector<Expr*> elts{first};
        while (accept(Tok::Comma) && !at(Tok::RBrace))
          elts.push_back(at(Tok::Star) ? starred() : named_expression());
        expect(Tok::RBrace);
        auto* set = node<Sequence>(t);
        set->kind = ExprKind::Set;
        set->elts = array(elts);
        return set;
      }
    }
    while (accept(Tok::Comma) && !at(Tok::RBrace)) dict_item();
    expect(Tok::RBrace);
    auto* d = node<Dict>(t);
    d->keys = array(keys);
    d->values = array(values);
    return d;
  }

  Expr* comprehension(const Token& t, ExprKind kind, Expr* elt, Expr* value) {
    auto* c = node<Comp>(t);
    c->kind = kind;
    c->elt = elt;
    c->value = value;
    std::vector<Comprehension> gens;
    while (at(Tok::KwFor) || at(Tok::KwAsync)) {
      Comprehension g;
      g.is_async = accept(Tok::KwAsync);
      expect(Tok::KwFor);
      g.target = target_list();
      expect(Tok::KwIn);
      g.iter = disjunction();
      std::vector<Expr*> ifs;
      while (accept(Tok::KwIf)) ifs.push_back(disjunction());
      g.ifs = array(ifs);
      gens.push_back(g);
    }
    c->generators = array(gens);
    return c;
  }

  const TokenStream& ts_;
  const std::vector<Token>& toks_;
  Context& cx_;
  std::size_t pos_ = 0;
};

}  // namespace

Module parse(std::string_view source, std::string filename) {
  Module m;
  m.filename = std::move(filename);
  TokenStream ts = tokenize(source, m.filename);
  Context cx{m.filename, m.arena, {}};
  m.body = Parser(ts, cx).module();
  resolve(m);
  return m;
}

}  // namespace aiospec::scenario
