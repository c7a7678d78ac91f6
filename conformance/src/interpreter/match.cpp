// The `match` statement's patterns, as CPython 3.11 compiles them (compile.c: compiler_pattern) and
// runs them (ceval.c: MATCH_SEQUENCE, MATCH_MAPPING, MATCH_KEYS, MATCH_CLASS). Patterns cannot
// suspend; the twins in eval.cpp evaluate the subject, the guards and the bodies.
#include <fmt/format.h>

#include "interp.hpp"

namespace aiospec::interp {

using namespace scenario;

namespace {

// Whether t or a base is one of the builtin types `names` (Py_TPFLAGS_SEQUENCE, _MAPPING and
// _Py_TPFLAGS_MATCH_SELF, which subclasses inherit).
bool has_type_flag(const TypeObj& t, std::initializer_list<std::string_view> names) {
  auto flagged = [&](const TypeObj* c) {
    if (c->module != "" && c->module != "collections") return false;
    for (std::string_view n : names)
      if (c->name == n) return true;
    return false;
  };
  if (!t.mro.empty()) {
    for (const TypeObj* c : t.mro)
      if (flagged(c)) return true;
    return false;
  }
  for (const TypeObj* c = &t; c; c = c->base.get())
    if (flagged(c)) return true;
  return false;
}

}  // namespace

// ceval.c's match_class_attr: a sub-pattern's attribute; Null (no match) when the subject lacks it.
Object Interp::match_class_attr(const Object& subject, const TypeObj& cls, std::string_view name,
                                std::vector<std::string_view>& seen) {
  for (std::string_view s : seen)
    if (s == name) raise(T.TypeError, fmt::format("{}() got multiple sub-patterns for attribute '{}'", cls.tp_name(), name));
  seen.push_back(name);
  return getattr_opt(subject, name);
}

bool Interp::match_pattern(const Pattern* p, const Object& subject, Frame& f, std::vector<Binding>& binds) {
  try {
  switch (p->kind) {
    case PatternKind::Value: return compare(CmpOpKind::Eq, subject, eval(p->value, f));
    case PatternKind::Singleton: return compare(CmpOpKind::Is, subject, eval(p->value, f));
    case PatternKind::As:
      if (p->pattern && !match_pattern(p->pattern, subject, f, binds)) return false;
      if (p->name) binds.push_back({p->name, subject});
      return true;
    case PatternKind::Star: return true;  // matched by its sequence
    case PatternKind::Or:
      for (const Pattern* q : p->patterns) {
        const std::size_t n = binds.size();
        if (match_pattern(q, subject, f, binds)) return true;
        binds.resize(n);
      }
      return false;
    case PatternKind::Sequence: {
      if (!has_type_flag(*type_of(subject), {"list", "tuple", "range", "memoryview", "deque"})) return false;
      std::size_t star = p->patterns.size();
      for (std::size_t i = 0; i < p->patterns.size(); ++i)
        if (p->patterns[i]->kind == PatternKind::Star) star = i;
      const auto size = static_cast<std::int64_t>(p->patterns.size());
      const std::int64_t n = len(subject);
      if (star == p->patterns.size() ? n != size : n < size - 1) return false;
      std::vector<Object> items = to_vector(subject);
      const std::size_t rest = items.size() - (p->patterns.size() - 1);
      for (std::size_t i = 0, j = 0; i < p->patterns.size(); ++i) {
        if (i == star) {
          if (p->patterns[i]->name)
            binds.push_back({p->patterns[i]->name, list_obj({items.begin() + static_cast<std::ptrdiff_t>(j),
                                                             items.begin() + static_cast<std::ptrdiff_t>(j + rest)})});
          j += rest;
          continue;
        }
        if (!match_pattern(p->patterns[i], items[j++], f, binds)) return false;
      }
      return true;
    }
    case PatternKind::Mapping: {
      if (!has_type_flag(*type_of(subject), {"dict", "defaultdict", "OrderedDict", "Counter", "ChainMap"}))
        return false;
      if (!p->keys.empty() && len(subject) < static_cast<std::int64_t>(p->keys.size())) return false;
      std::vector<Object> keys, values;
      Object get = p->keys.empty() ? Object() : getattr(subject, "get");
      Object dummy = list_obj();
      for (const Expr* k : p->keys) {
        Object key = eval(k, f);
        for (const Object& seen : keys)
          if (eq(seen, key)) raise(T.ValueError, fmt::format("mapping pattern checks duplicate key ({})", repr(key)));
        CallArgs a;
        a.pos = {key, dummy};
        Object v = call(get, a);
        if (compare(CmpOpKind::Is, v, dummy)) return false;
        keys.push_back(std::move(key));
        values.push_back(std::move(v));
      }
      for (std::size_t i = 0; i < values.size(); ++i)
        if (!match_pattern(p->patterns[i], values[i], f, binds)) return false;
      if (p->name) {
        // COPY_DICT_WITHOUT_KEYS: PyDict_Update, through keys() and [] for a mapping other than a dict.
        const bool is_dict = subject.is(Tag::Dict);
        Object rest = is_dict ? call1(Object(Tag::Type, T.dict), subject) : dict_obj();
        if (!is_dict)
          for (const Object& k : to_vector(call_method(subject, "keys", {}))) setitem(rest, k, getitem(subject, k));
        for (const Object& k : keys) delitem(rest, k);
        binds.push_back({p->name, std::move(rest)});
      }
      return true;
    }
    case PatternKind::Class: {
      Object cls = eval(p->cls, f);
      if (!cls.is(Tag::Type)) raise(T.TypeError, "called match pattern must be a type");
      const TypeObj* type = cls.as<TypeObj>();
      if (!isinstance(subject, type)) return false;
      std::vector<Object> attrs;
      std::vector<std::string_view> seen;
      if (!p->patterns.empty()) {
        Object match_args = getattr_opt(cls, "__match_args__");
        bool match_self = false;
        if (match_args.null()) {
          match_args = tuple_obj();
          match_self = has_type_flag(*type, {"bool", "bytearray", "bytes", "dict", "float", "frozenset", "int", "list", "set", "str", "tuple"});
        } else if (!match_args.is(Tag::Tuple) || match_args.as<TupleObj>()->cls) {
          raise(T.TypeError, fmt::format("{}.__match_args__ must be a tuple (got {})", type->tp_name(), type_of(match_args)->tp_name()));
        }
        const std::vector<Object>& names = match_args.as<TupleObj>()->v;
        const std::size_t allowed = match_self ? 1 : names.size();
        if (allowed < p->patterns.size())
          raise(T.TypeError, fmt::format("{}() accepts {} positional sub-pattern{} ({} given)", type->tp_name(), allowed,
                                         allowed == 1 ? "" : "s", p->patterns.size()));
        if (match_self) {
          attrs.push_back(subject);
        } else {
          for (std::size_t i = 0; i < p->patterns.size(); ++i) {
            if (!names[i].is(Tag::Str))
              raise(T.TypeError, fmt::format("__match_args__ elements must be strings (got {})", type_of(names[i])->tp_name()));
            Object a = match_class_attr(subject, *type, names[i].as<StrObj>()->s, seen);
            if (a.null()) return false;
            attrs.push_back(std::move(a));
          }
        }
      }
      for (std::string_view name : p->kwd_attrs) {
        Object a = match_class_attr(subject, *type, name, seen);
        if (a.null()) return false;
        attrs.push_back(std::move(a));
      }
      std::size_t i = 0;
      for (const Pattern* q : p->patterns)
        if (!match_pattern(q, attrs[i++], f, binds)) return false;
      for (const Pattern* q : p->kwd_patterns)
        if (!match_pattern(q, attrs[i++], f, binds)) return false;
      return true;
    }
  }
  } catch (...) {
    // The innermost pattern that fails is the traceback's position (compile.c sets each pattern's).
    traceback_here(f, TbEntry{f.code_name, p->line, p->col - 1, p->end_line, p->end_col, nullptr, nullptr});
  }
  return false;
}

bool Interp::match_case(const MatchCase& c, const Object& subject, Frame& f) {
  std::vector<Binding> binds;
  if (!match_pattern(c.pattern, subject, f, binds)) return false;
  // compile.c stores a pattern's captures once the whole pattern has matched, before the guard.
  for (auto& [name, value] : binds) store_name(*name, f, std::move(value));
  return true;
}

}  // namespace aiospec::interp
