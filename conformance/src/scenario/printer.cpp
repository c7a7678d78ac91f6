#include "aiospec/scenario/printer.hpp"

#include <fmt/format.h>

#include <cmath>

namespace aiospec::scenario {

namespace {

// Binding strength, weakest first (Python's grammar levels). An assignment expression is always
// printed parenthesized: valid everywhere it may appear.
enum Prec : int {
  kNamed, kTuple, kLambda, kIfExp, kOr, kAnd, kNot, kCompare, kBitOr, kBitXor, kBitAnd, kShift, kArith,
  kTerm, kFactor, kPower, kAwait, kPrimary, kAtom,
};

Prec binop_prec(BinOpKind op) {
  switch (op) {
    case BinOpKind::Add: case BinOpKind::Sub: return kArith;
    case BinOpKind::Mult: case BinOpKind::Div: case BinOpKind::FloorDiv: case BinOpKind::Mod: return kTerm;
    case BinOpKind::Pow: return kPower;
    case BinOpKind::LShift: case BinOpKind::RShift: return kShift;
    case BinOpKind::BitOr: return kBitOr;
    case BinOpKind::BitXor: return kBitXor;
    case BinOpKind::BitAnd: return kBitAnd;
  }
  return kAtom;
}

constexpr const char* kBinOps[] = {"+", "-", "*", "/", "//", "%", "**", "<<", ">>", "|", "^", "&"};
constexpr const char* kCmpOps[] = {"==", "!=", "<", "<=", ">", ">=", "is", "is not", "in", "not in"};

Prec prec(const Expr& e) {
  switch (e.kind) {
    case ExprKind::Tuple: return kAtom;  // printed with parentheses unless the context allows bare
    case ExprKind::Lambda: return kLambda;
    case ExprKind::IfExp: return kIfExp;
    case ExprKind::BoolOp: return e.as<BoolOp>().op == BoolOpKind::Or ? kOr : kAnd;
    case ExprKind::UnaryOp: return e.as<UnaryOp>().op == UnaryOpKind::Not ? kNot : kFactor;
    case ExprKind::Compare: return kCompare;
    case ExprKind::BinOp: return binop_prec(e.as<BinOp>().op);
    case ExprKind::Await: return kAwait;
    case ExprKind::Starred: return kBitOr;
    case ExprKind::NamedExpr: return kNamed;
    case ExprKind::Attribute: case ExprKind::Call: case ExprKind::Subscript: return kPrimary;
    default: return kAtom;
  }
}

class Printer {
 public:
  std::string out;
  bool python_repr = false;  // strings quoted as repr() quotes them

  void module(const Module& m) { body(m.body, 0); }

  // ---- expressions ----------------------------------------------------------------------------
  void expr(const Expr* e, int min = kLambda) {
    if (e->kind == ExprKind::Tuple && min <= kTuple && !e->as<Sequence>().elts.empty()) {
      elements(e->as<Sequence>().elts);
      if (e->as<Sequence>().elts.size() == 1) out += ',';
      return;
    }
    bool paren = prec(*e) < min;
    if (paren) out += '(';
    bare(*e);
    if (paren) out += ')';
  }

  void elements(std::span<Expr*> es, int min = kLambda) {
    for (std::size_t i = 0; i < es.size(); ++i) {
      if (i) out += ", ";
      expr(es[i], min);
    }
  }

  void bare(const Expr& e) {
    switch (e.kind) {
      case ExprKind::Name: out += e.as<Name>().id; break;
      case ExprKind::Constant: {
        static constexpr const char* names[] = {"None", "True", "False", "..."};
        out += names[static_cast<int>(e.as<Constant>().value)];
        break;
      }
      case ExprKind::Int:
        if (e.as<Int>().big.empty()) out += fmt::format("{}", e.as<Int>().value);
        else out += e.as<Int>().big;
        break;
      case ExprKind::Float: floating(e.as<Float>().value); break;
      case ExprKind::Str: string(e.as<Str>().value, e.as<Str>().bytes); break;
      case ExprKind::JoinedStr: fstring(e.as<JoinedStr>()); break;
      case ExprKind::FormattedValue: {  // only inside a JoinedStr; alone, as a one-field f-string
        const Expr* parts[] = {&e};
        JoinedStr j;
        j.values = {const_cast<Expr**>(parts), 1};
        fstring(j);
        break;
      }
      case ExprKind::List: out += '['; elements(e.as<Sequence>().elts); out += ']'; break;
      case ExprKind::Tuple: {
        auto& t = e.as<Sequence>();
        out += '(';
        elements(t.elts);
        if (t.elts.size() == 1) out += ',';
        out += ')';
        break;
      }
      case ExprKind::Set:
        // An empty set has no display; set() keeps the meaning if `set` is the builtin.
        if (e.as<Sequence>().elts.empty()) {
          out += "set()";
          break;
        }
        out += '{';
        elements(e.as<Sequence>().elts);
        out += '}';
        break;
      case ExprKind::Dict: {
        auto& d = e.as<Dict>();
        out += '{';
        for (std::size_t i = 0; i < d.keys.size(); ++i) {
          if (i) out += ", ";
          if (d.keys[i]) {
            expr(d.keys[i], kIfExp);
            out += ": ";
            expr(d.values[i]);
          } else {
            out += "**";
            expr(d.values[i], kBitOr);
          }
        }
        out += '}';
        break;
      }
      case ExprKind::ListComp: case ExprKind::SetComp: case ExprKind::DictComp:
      case ExprKind::GeneratorExp: comprehension(e.as<Comp>()); break;
      case ExprKind::Lambda: {
        auto& l = e.as<Lambda>();
        out += "lambda";
        arguments(l.args, true);
        out += ": ";
        expr(l.body);
        break;
      }
      case ExprKind::IfExp: {
        auto& x = e.as<IfExp>();
        expr(x.body, kOr);
        out += " if ";
        expr(x.test, kOr);
        out += " else ";
        expr(x.orelse, kIfExp);
        break;
      }
      case ExprKind::BoolOp: {
        auto& b = e.as<BoolOp>();
        for (std::size_t i = 0; i < b.values.size(); ++i) {
          if (i) out += b.op == BoolOpKind::And ? " and " : " or ";
          expr(b.values[i], prec(e) + 1);
        }
        break;
      }
      case ExprKind::UnaryOp: {
        auto& u = e.as<UnaryOp>();
        switch (u.op) {
          case UnaryOpKind::Not: out += "not "; expr(u.operand, kNot); return;
          case UnaryOpKind::Neg: out += '-'; break;
          case UnaryOpKind::Pos: out += '+'; break;
          case UnaryOpKind::Invert: out += '~'; break;
        }
        expr(u.operand, kFactor);
        break;
      }
      case ExprKind::BinOp: {
        auto& b = e.as<BinOp>();
        int p = prec(e);
        bool right_assoc = b.op == BinOpKind::Pow;
        expr(b.left, right_assoc ? kAwait : p);
        out += ' ';
        out += kBinOps[static_cast<int>(b.op)];
        out += ' ';
        expr(b.right, right_assoc ? kFactor : p + 1);
        break;
      }
      case ExprKind::Compare: {
        auto& c = e.as<Compare>();
        expr(c.left, kBitOr);
        for (std::size_t i = 0; i < c.ops.size(); ++i) {
          out += ' ';
          out += kCmpOps[static_cast<int>(c.ops[i])];
          out += ' ';
          expr(c.comparators[i], kBitOr);
        }
        break;
      }
      case ExprKind::Await: out += "await "; expr(e.as<Await>().value, kPrimary); break;
      case ExprKind::Attribute: {
        auto& a = e.as<Attribute>();
        primary_value(a.value);
        out += '.';
        out += a.attr;
        break;
      }
      case ExprKind::Call: {
        auto& c = e.as<Call>();
        primary_value(c.func);
        out += '(';
        bool first = true;
        for (const Expr* a : c.args) {
          if (!first) out += ", ";
          first = false;
          expr(a);
        }
        for (const Keyword& k : c.keywords) {
          if (!first) out += ", ";
          first = false;
          if (k.arg.empty()) {
            out += "**";
          } else {
            out += k.arg;
            out += '=';
          }
          expr(k.value);
        }
        out += ')';
        break;
      }
      case ExprKind::Subscript: {
        auto& s = e.as<Subscript>();
        primary_value(s.value);
        out += '[';
        if (s.slice->kind == ExprKind::Tuple && !s.slice->as<Sequence>().elts.empty()) {
          auto& elts = s.slice->as<Sequence>().elts;
          for (std::size_t i = 0; i < elts.size(); ++i) {
            if (i) out += ", ";
            slice(elts[i]);
          }
          if (elts.size() == 1) out += ',';
        } else {
          slice(s.slice);
        }
        out += ']';
        break;
      }
      case ExprKind::Slice: slice(&e); break;
      case ExprKind::Starred: out += '*'; expr(e.as<Starred>().value, kBitOr); break;
      // Always parenthesised: valid wherever a yield may stand, and the parentheses make no node.
      case ExprKind::Yield:
        out += e.as<Yield>().value ? "(yield " : "(yield";
        if (e.as<Yield>().value) expr(e.as<Yield>().value, kTuple);
        out += ')';
        break;
      case ExprKind::YieldFrom: out += "(yield from "; expr(e.as<YieldFrom>().value); out += ')'; break;
      case ExprKind::NamedExpr:
        out += e.as<NamedExpr>().target->id;
        out += " := ";
        expr(e.as<NamedExpr>().value);
        break;
    }
  }

  // The object of an attribute, call or subscript; numbers need parentheses (1 .x, 1.0.x).
  void primary_value(const Expr* e) {
    if (e->kind == ExprKind::Int || e->kind == ExprKind::Float) {
      out += '(';
      bare(*e);
      out += ')';
    } else {
      expr(e, kPrimary);
    }
  }

  void slice(const Expr* e) {
    if (e->kind != ExprKind::Slice) {
      expr(e, kIfExp);
      return;
    }
    auto& s = e->as<Slice>();
    if (s.lower) expr(s.lower, kIfExp);
    out += ':';
    if (s.upper) expr(s.upper, kIfExp);
    if (s.step) {
      out += ':';
      expr(s.step, kIfExp);
    }
  }

  void comprehension(const Comp& c) {
    const char* open = c.kind == ExprKind::ListComp ? "[" : c.kind == ExprKind::GeneratorExp ? "(" : "{";
    const char* close = c.kind == ExprKind::ListComp ? "]" : c.kind == ExprKind::GeneratorExp ? ")" : "}";
    out += open;
    expr(c.elt, kIfExp);
    if (c.kind == ExprKind::DictComp) {
      out += ": ";
      expr(c.value, kIfExp);
    }
    for (const Comprehension& g : c.generators) {
      out += g.is_async ? " async for " : " for ";
      expr(g.target, kTuple);
      out += " in ";
      expr(g.iter, kOr);
      for (const Expr* i : g.ifs) {
        out += " if ";
        expr(i, kOr);
      }
    }
    out += close;
  }

  void floating(double v) {
    if (std::isinf(v)) {
      out += "1e999";  // overflows to inf, as Python does
      return;
    }
    std::string s = fmt::format("{}", v);  // shortest round-trip representation
    if (s.find_first_of(".e") == std::string::npos) s += ".0";
    out += s;
  }

  // A str literal in double quotes (single quotes inside f-string fields, alternating with depth,
  // so the result also parses on Pythons before 3.12).
  void string(std::string_view v, bool bytes) {
    char q = quote_depth_ % 2 ? '\'' : '"';
    // repr's choice (unicode_repr): single quotes unless the text has ' and no ".
    if (python_repr) q = v.find('\'') != std::string_view::npos && v.find('"') == std::string_view::npos ? '"' : '\'';
    if (bytes) out += 'b';
    out += q;
    literal(v, q, false, bytes);
    out += q;
  }

  void literal(std::string_view v, char q, bool in_fstring, bool bytes = false) {
    for (std::size_t i = 0; i < v.size(); ++i) {
      auto c = static_cast<unsigned char>(v[i]);
      switch (c) {
        case '\\': out += "\\\\"; continue;
        case '\n': out += "\\n"; continue;
        case '\r': out += "\\r"; continue;
        case '\t': out += "\\t"; continue;
        case '{': case '}':
          out += static_cast<char>(c);
          if (in_fstring) out += static_cast<char>(c);
          continue;
        default: break;
      }
      if (c == static_cast<unsigned char>(q)) {
        out += '\\';
        out += q;
      } else if (c < 0x20 || c == 0x7F || (bytes && c >= 0x80)) {
        out += fmt::format("\\x{:02x}", c);
      } else if (c == 0xED && i + 2 < v.size() && static_cast<unsigned char>(v[i + 1]) >= 0xA0) {
        // A lone surrogate (from a \ud800 escape) cannot appear in UTF-8 source: escape it.
        unsigned cp = (0xDu << 12) | ((static_cast<unsigned char>(v[i + 1]) & 0x3Fu) << 6) |
                      (static_cast<unsigned char>(v[i + 2]) & 0x3Fu);
        out += fmt::format("\\u{:04x}", cp);
        i += 2;
      } else {
        out += static_cast<char>(c);
      }
    }
  }

  void fstring(const JoinedStr& j) {
    char q = quote_depth_ % 2 ? '\'' : '"';
    out += 'f';
    out += q;
    fstring_parts(j.values, q);
    out += q;
  }

  void fstring_parts(std::span<Expr*> parts, char q) {
    for (const Expr* p : parts) {
      if (p->kind == ExprKind::Str) {
        literal(p->as<Str>().value, q, true);
        continue;
      }
      auto& f = p->as<FormattedValue>();
      out += '{';
      std::size_t start = out.size();
      ++quote_depth_;
      expr(f.value, kIfExp);  // a lambda's ':' would start the format spec
      --quote_depth_;
      if (out[start] == '{') out.insert(out.begin() + static_cast<std::ptrdiff_t>(start), ' ');  // "{{" would be an escaped brace
      if (f.conversion) {
        out += '!';
        out += f.conversion;
      }
      if (f.format_spec) {
        out += ':';
        fstring_parts(f.format_spec->values, q);
      }
      out += '}';
    }
  }

  void arguments(const Arguments& a, bool lambda) {
    bool first = true;
    auto sep = [&] {
      out += first ? (lambda ? " " : "") : ", ";
      first = false;
    };
    auto param = [&](const Param& p) {
      sep();
      out += p.name;
      if (p.default_value) {
        out += '=';
        expr(p.default_value, kIfExp);
      }
    };
    for (const Param& p : a.posargs) param(p);
    if (a.vararg) {
      sep();
      out += '*';
      out += a.vararg->name;
    } else if (!a.kwonly.empty()) {
      sep();
      out += '*';
    }
    for (const Param& p : a.kwonly) param(p);
    if (a.kwarg) {
      sep();
      out += "**";
      out += a.kwarg->name;
    }
  }

  // ---- statements -----------------------------------------------------------------------------
  // `@d` lines before a def or class (the first indent is already written).
  void decorators(std::span<Expr*> ds, int level) {
    for (Expr* d : ds) {
      out += '@';
      expr(d);
      out += '\n';
      indent(level);
    }
  }

  void indent(int level) { out.append(static_cast<std::size_t>(level) * 4, ' '); }

  void body(Body b, int level) {
    for (const Stmt* s : b) stmt(*s, level);
  }

  void block(Body b, int level) {
    out += ":\n";
    body(b, level + 1);
  }

  void stmt(const Stmt& s, int level) {
    indent(level);
    switch (s.kind) {
      case StmtKind::FunctionDef: {
        auto& f = s.as<FunctionDef>();
        decorators(f.decorators, level);
        out += f.is_async ? "async def " : "def ";
        out += f.name->id;
        out += '(';
        arguments(f.args, false);
        out += ')';
        block(f.body, level);
        return;
      }
      case StmtKind::ClassDef: {
        auto& c = s.as<ClassDef>();
        decorators(c.decorators, level);
        out += "class ";
        out += c.name->id;
        out += '(';
        elements(c.bases);
        out += ')';
        block(c.body, level);
        return;
      }
      case StmtKind::Return:
        out += "return";
        if (s.as<Return>().value) {
          out += ' ';
          expr(s.as<Return>().value, kTuple);
        }
        break;
      case StmtKind::Delete: out += "del "; elements(s.as<Delete>().targets, kBitOr); break;
      case StmtKind::Assign:
        for (const Expr* t : s.as<Assign>().targets) {
          expr(t, kTuple);
          out += " = ";
        }
        expr(s.as<Assign>().value, kTuple);
        break;
      case StmtKind::AugAssign: {
        auto& a = s.as<AugAssign>();
        expr(a.target, kTuple);
        out += ' ';
        out += kBinOps[static_cast<int>(a.op)];
        out += "= ";
        expr(a.value, kTuple);
        break;
      }
      case StmtKind::AnnAssign: {
        auto& a = s.as<AnnAssign>();
        expr(a.target, kPrimary);
        out += ": ";
        expr(a.annotation);
        if (a.value) {
          out += " = ";
          expr(a.value, kTuple);
        }
        break;
      }
      case StmtKind::For: {
        auto& f = s.as<For>();
        out += f.is_async ? "async for " : "for ";
        expr(f.target, kTuple);
        out += " in ";
        expr(f.iter, kTuple);
        block(f.body, level);
        orelse(f.orelse, level);
        return;
      }
      case StmtKind::While:
        out += "while ";
        expr(s.as<While>().test);
        block(s.as<While>().body, level);
        orelse(s.as<While>().orelse, level);
        return;
      case StmtKind::If: if_chain(s.as<If>(), level); return;
      case StmtKind::With: {
        auto& w = s.as<With>();
        out += w.is_async ? "async with " : "with ";
        for (std::size_t i = 0; i < w.items.size(); ++i) {
          if (i) out += ", ";
          expr(w.items[i].context_expr);
          if (w.items[i].optional_vars) {
            out += " as ";
            expr(w.items[i].optional_vars, kPrimary);
          }
        }
        block(w.body, level);
        return;
      }
      case StmtKind::Raise:
        out += "raise";
        if (s.as<Raise>().exc) {
          out += ' ';
          expr(s.as<Raise>().exc);
          if (s.as<Raise>().cause) {
            out += " from ";
            expr(s.as<Raise>().cause);
          }
        }
        break;
      case StmtKind::Try: {
        auto& t = s.as<Try>();
        out += "try";
        block(t.body, level);
        for (const ExceptHandler& h : t.handlers) {
          indent(level);
          out += "except";
          if (h.type) {
            out += ' ';
            expr(h.type);
            if (h.name) {
              out += " as ";
              out += h.name->id;
            }
          }
          block(h.body, level);
        }
        orelse(t.orelse, level);
        if (!t.finalbody.empty()) {
          indent(level);
          out += "finally";
          block(t.finalbody, level);
        }
        return;
      }
      case StmtKind::Assert:
        out += "assert ";
        expr(s.as<Assert>().test);
        if (s.as<Assert>().msg) {
          out += ", ";
          expr(s.as<Assert>().msg);
        }
        break;
      case StmtKind::Import:
        out += "import ";
        aliases(s.as<Import>().names);
        break;
      case StmtKind::ImportFrom:
        out += "from ";
        out += s.as<ImportFrom>().module;
        out += " import ";
        if (s.as<ImportFrom>().star) out += '*';
        aliases(s.as<ImportFrom>().names);
        break;
      case StmtKind::Global: names("global ", s.as<Global>().names); break;
      case StmtKind::Nonlocal: names("nonlocal ", s.as<Nonlocal>().names); break;
      case StmtKind::ExprStmt: expr(s.as<ExprStmt>().value, kTuple); break;
      case StmtKind::Pass: out += "pass"; break;
      case StmtKind::Break: out += "break"; break;
      case StmtKind::Continue: out += "continue"; break;
      case StmtKind::Match: {
        auto& m = s.as<Match>();
        out += "match ";
        expr(m.subject, kTuple);
        out += ":\n";
        for (const MatchCase& c : m.cases) {
          indent(level + 1);
          out += "case ";
          pattern(c.pattern);
          if (c.guard) {
            out += " if ";
            expr(c.guard);
          }
          block(c.body, level + 1);
        }
        return;
      }
    }
    out += '\n';
  }

  // Sub-patterns are parenthesized where an `as` or `|` would otherwise bind differently.
  void patterns(std::span<Pattern*> ps) {
    for (std::size_t i = 0; i < ps.size(); ++i) {
      if (i) out += ", ";
      pattern(ps[i]);
    }
  }
  void pattern(const Pattern* p, bool closed = false) {
    switch (p->kind) {
      case PatternKind::Value: case PatternKind::Singleton: expr(p->value); return;
      case PatternKind::Star: out += '*'; out += p->name ? p->name->id : "_"; return;
      case PatternKind::As:
        if (p->pattern) {
          if (closed) out += '(';
          pattern(p->pattern, true);
          out += " as ";
        }
        out += p->name ? p->name->id : "_";
        if (p->pattern && closed) out += ')';
        return;
      case PatternKind::Or:
        out += '(';
        for (std::size_t i = 0; i < p->patterns.size(); ++i) {
          if (i) out += " | ";
          pattern(p->patterns[i], true);
        }
        out += ')';
        return;
      case PatternKind::Sequence:
        out += '[';
        patterns(p->patterns);
        out += ']';
        return;
      case PatternKind::Mapping:
        out += '{';
        for (std::size_t i = 0; i < p->keys.size(); ++i) {
          if (i) out += ", ";
          expr(p->keys[i]);
          out += ": ";
          pattern(p->patterns[i]);
        }
        if (p->name) {
          if (!p->keys.empty()) out += ", ";
          out += "**";
          out += p->name->id;
        }
        out += '}';
        return;
      case PatternKind::Class:
        expr(p->cls);
        out += '(';
        patterns(p->patterns);
        for (std::size_t i = 0; i < p->kwd_attrs.size(); ++i) {
          if (i || !p->patterns.empty()) out += ", ";
          out += p->kwd_attrs[i];
          out += '=';
          pattern(p->kwd_patterns[i]);
        }
        out += ')';
        return;
    }
  }

  void if_chain(const If& i, int level) {
    out += "if ";
    expr(i.test);
    block(i.body, level);
    const If* cur = &i;
    while (cur->orelse.size() == 1 && cur->orelse[0]->kind == StmtKind::If) {
      cur = &cur->orelse[0]->as<If>();
      indent(level);
      out += "elif ";
      expr(cur->test);
      block(cur->body, level);
    }
    orelse(cur->orelse, level);
  }

  void orelse(Body b, int level) {
    if (b.empty()) return;
    indent(level);
    out += "else";
    block(b, level);
  }

  void aliases(std::span<Alias> as) {
    for (std::size_t i = 0; i < as.size(); ++i) {
      if (i) out += ", ";
      out += as[i].name;
      if (as[i].has_asname) {
        out += " as ";
        out += as[i].target->id;
      }
    }
  }

  void names(const char* keyword, std::span<std::string_view> ns) {
    out += keyword;
    for (std::size_t i = 0; i < ns.size(); ++i) {
      if (i) out += ", ";
      out += ns[i];
    }
  }

 private:
  int quote_depth_ = 0;
};

}  // namespace

std::string print(const Module& module) {
  Printer p;
  p.module(module);
  return std::move(p.out);
}

std::string print(const Expr& expr) {
  Printer p;
  p.expr(&expr, kTuple);
  return std::move(p.out);
}

std::string literal_repr(const Expr& literal) {
  Printer p;
  p.python_repr = true;
  p.expr(&literal, kTuple);
  return std::move(p.out);
}

}  // namespace aiospec::scenario
