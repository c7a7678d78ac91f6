// The `collections` module (Lib/collections/__init__.py, Modules/_collectionsmodule.c): namedtuple,
// deque, defaultdict, Counter, OrderedDict, ChainMap.
#include <fmt/format.h>

#include <algorithm>
#include <deque>

#include "../interp.hpp"
#include "../objects/method.hpp"

namespace aiospec::interp {

namespace {

// ---- namedtuple ----

const std::vector<Object>& fields_of(const TypeObj& t) { return t.ns->find_str("_fields")->as<ListObj>()->v; }

Object namedtuple_new(Interp& ip, BuiltinObj& b, CallArgs& a) {
  auto* t = b.self.as<TypeObj>();
  const auto& fields = fields_of(*t);
  const DictObj& defaults = *t->ns->find_str("_field_defaults")->as<DictObj>();
  std::size_t n = fields.size();
  if (a.pos.size() > n)
    ip.raise(ip.T.TypeError, fmt::format("{}.__new__() takes {} positional argument{} but {} were given", t->name, n + 1, n ? "s" : "",
                                         a.pos.size() + 1));
  std::vector<Object> v = a.pos;
  v.resize(n);
  for (auto& [k, val] : a.kw) {
    auto it = std::find_if(fields.begin(), fields.end(), [&](const Object& f) { return f.as<StrObj>()->s == k; });
    if (it == fields.end()) ip.raise(ip.T.TypeError, fmt::format("{}.__new__() got an unexpected keyword argument '{}'", t->name, k));
    Object& slot = v[it - fields.begin()];
    if (!slot.null()) ip.raise(ip.T.TypeError, fmt::format("{}.__new__() got multiple values for argument '{}'", t->name, k));
    slot = val;
  }
  std::vector<std::string> missing;
  for (std::size_t i = 0; i < n; ++i)
    if (v[i].null()) {
      if (const Object* d = const_cast<DictObj&>(defaults).find(fields[i], ip.hash(fields[i]))) v[i] = *d;
      else missing.push_back("'" + fields[i].as<StrObj>()->s + "'");
    }
  if (!missing.empty()) {
    // Python's wording for missing arguments: 'a', 'b' and 'c'.
    std::string names = missing.back();
    if (missing.size() > 1) {
      names = missing[0];
      for (std::size_t i = 1; i + 1 < missing.size(); ++i) names += ", " + missing[i];
      names += (missing.size() > 2 ? ", and " : " and ") + missing.back();
    }
    ip.raise(ip.T.TypeError, fmt::format("{}.__new__() missing {} required positional argument{}: {}", t->name, missing.size(),
                                         missing.size() == 1 ? "" : "s", names));
  }
  Object out = ip.tuple_obj(std::move(v));
  out.as<ListObj>()->cls = Ref<TypeObj>(t);
  return out;
}

bool is_identifier(std::string_view s) {
  if (s.empty() || std::isdigit(static_cast<unsigned char>(s[0]))) return false;
  return std::all_of(s.begin(), s.end(), [](char c) { return std::isalnum(static_cast<unsigned char>(c)) || c == '_' || (c & 0x80); });
}

bool is_keyword(std::string_view s) {
  static constexpr std::string_view kw[] = {"False", "None", "True", "and", "as", "assert", "async", "await", "break", "class",
                                            "continue", "def", "del", "elif", "else", "except", "finally", "for", "from", "global",
                                            "if", "import", "in", "is", "lambda", "nonlocal", "not", "or", "pass", "raise", "return",
                                            "try", "while", "with", "yield"};
  return std::find(std::begin(kw), std::end(kw), s) != std::end(kw);
}

Object b_namedtuple(Interp& ip, BuiltinObj&, CallArgs& a) {
  Object rename = a.take_kw("rename"), defaults = a.take_kw("defaults"), module = a.take_kw("module");
  Object typename_ = arg_or(a, 0, "typename", {}), names = arg_or(a, 1, "field_names", {});
  if (typename_.null() || names.null()) ip.raise(ip.T.TypeError, "namedtuple() missing required argument 'typename' or 'field_names'");
  std::vector<std::string> fields;
  if (names.is(Tag::Str)) {
    std::string s = names.as<StrObj>()->s;
    std::replace(s.begin(), s.end(), ',', ' ');
    for (std::size_t i = 0; i < s.size();) {
      while (i < s.size() && std::isspace(static_cast<unsigned char>(s[i]))) ++i;
      std::size_t j = i;
      while (j < s.size() && !std::isspace(static_cast<unsigned char>(s[j]))) ++j;
      if (j > i) fields.push_back(s.substr(i, j - i));
      i = j;
    }
  } else {
    for (const Object& f : ip.to_vector(names)) fields.push_back(ip.str(f));
  }
  std::string name = ip.str(typename_);
  if (!rename.null() && ip.truthy(rename)) {
    std::vector<std::string> seen;
    for (std::size_t i = 0; i < fields.size(); ++i) {
      auto& f = fields[i];
      if (!is_identifier(f) || is_keyword(f) || f[0] == '_' || std::find(seen.begin(), seen.end(), f) != seen.end())
        f = "_" + std::to_string(i);
      seen.push_back(f);
    }
  }
  std::vector<std::string> all = fields;
  all.insert(all.begin(), name);
  for (const auto& f : all) {
    if (!is_identifier(f)) ip.raise(ip.T.ValueError, fmt::format("Type names and field names must be valid identifiers: {}", str_repr(f)));
    if (is_keyword(f)) ip.raise(ip.T.ValueError, fmt::format("Type names and field names cannot be a keyword: {}", str_repr(f)));
  }
  std::vector<std::string> seen;
  for (const auto& f : fields) {
    if (f[0] == '_' && (rename.null() || !ip.truthy(rename)))
      ip.raise(ip.T.ValueError, fmt::format("Field names cannot start with an underscore: {}", str_repr(f)));
    if (std::find(seen.begin(), seen.end(), f) != seen.end())
      ip.raise(ip.T.ValueError, fmt::format("Encountered duplicate field name: {}", str_repr(f)));
    seen.push_back(f);
  }
  Object cls = make_namedtuple(ip, name, fields, module.null() || module.is_none() ? "__main__" : ip.str(module));
  if (!defaults.null() && !defaults.is_none()) {
    std::vector<Object> d = ip.to_vector(defaults);
    if (d.size() > fields.size()) ip.raise(ip.T.TypeError, "Got more default values than field names");
    auto* fd = cls.as<TypeObj>()->ns->find_str("_field_defaults")->as<DictObj>();
    for (std::size_t i = 0; i < d.size(); ++i) {
      Object k = ip.str_obj(fields[fields.size() - d.size() + i]);
      fd->set(k, ip.hash(k), d[i]);
    }
  }
  return cls;
}

}  // namespace

Object make_namedtuple(Interp& ip, std::string name, const std::vector<std::string>& fields, std::string module) {
  Ref<TypeObj> t = new_type(name, ip.T.tuple, std::move(module));
  t->construct = namedtuple_new;
  t->ns = asyncio::make_ref<DictObj>();
  std::vector<Object> names;
  for (const auto& f : fields) names.push_back(ip.str_obj(f));
  Object cls(Tag::Type, t);
  auto set = [&](const char* k, Object v) { t->ns->set(str_key(ip, k), ip.hash(str_key(ip, k)), std::move(v)); };
  set("_fields", ip.tuple_obj(std::move(names)));
  set("_field_defaults", ip.dict_obj());
  set("_make", ip.builtin("_make", [](Interp& ip, BuiltinObj& b, CallArgs& a) {
    check_args(ip, "_make", a, 1, 1);
    CallArgs c;
    c.pos = ip.to_vector(a.pos[0]);
    auto* t = b.data.as<TypeObj>();
    std::size_t n = fields_of(*t).size();
    if (c.pos.size() != n) ip.raise(ip.T.TypeError, fmt::format("Expected {} arguments, got {}", n, c.pos.size()));
    return ip.call(b.data, c);
  }, {}, cls));
  return cls;
}

std::string namedtuple_repr(Interp& ip, const Object& tuple) {
  auto* l = tuple.as<ListObj>();
  const auto& fields = fields_of(*l->cls);
  std::string out = l->cls->name + "(";
  for (std::size_t i = 0; i < l->v.size(); ++i) out += (i ? ", " : "") + fields[i].as<StrObj>()->s + "=" + ip.repr(l->v[i]);
  return out + ")";
}

Object namedtuple_attr(Interp& ip, const Object& tuple, std::string_view name) {
  auto* l = tuple.as<ListObj>();
  const auto& fields = fields_of(*l->cls);
  for (std::size_t i = 0; i < fields.size(); ++i)
    if (fields[i].as<StrObj>()->s == name) return l->v[i];
  if (Object* v = ip.type_lookup(l->cls.get(), name)) return ip.bind(*v, tuple, l->cls);
  if (name == "_asdict")
    return ip.builtin("_asdict", [](Interp& ip, BuiltinObj& b, CallArgs& a) {
      check_args(ip, "_asdict", a, 0, 0);
      auto* l = b.self.as<ListObj>();
      Object d = ip.dict_obj();
      const auto& fields = fields_of(*l->cls);
      for (std::size_t i = 0; i < fields.size(); ++i) ip.setitem(d, fields[i], l->v[i]);
      return d;
    }, tuple);
  if (name == "_replace")
    return ip.builtin("_replace", [](Interp& ip, BuiltinObj& b, CallArgs& a) {
      if (!a.pos.empty()) ip.raise(ip.T.TypeError, fmt::format("{}._replace() takes 1 positional argument but {} were given",
                                                               b.self.as<ListObj>()->cls->name, a.pos.size() + 1));
      auto* l = b.self.as<ListObj>();
      std::vector<Object> v = l->v;
      const auto& fields = fields_of(*l->cls);
      std::vector<std::string> unknown;
      for (auto& [k, val] : a.kw) {
        auto it = std::find_if(fields.begin(), fields.end(), [&](const Object& f) { return f.as<StrObj>()->s == k; });
        if (it == fields.end()) unknown.push_back(str_repr(k));
        else v[it - fields.begin()] = val;
      }
      if (!unknown.empty()) {
        std::string list;
        for (auto& u : unknown) list += (list.empty() ? "" : ", ") + u;
        ip.raise(ip.T.ValueError, fmt::format("Got unexpected field names: [{}]", list));
      }
      Object out = ip.tuple_obj(std::move(v));
      out.as<ListObj>()->cls = l->cls;
      return out;
    }, tuple);
  return {};
}

namespace {

// ---- deque ----

struct DequeObj final : NativeObj {
  std::deque<Object> d;
  std::int64_t maxlen = -1;  // -1: unbounded
  const char* type_name() const override { return "deque"; }
  std::string repr(Interp& ip) override {
    std::string out = "deque([";
    for (std::size_t i = 0; i < d.size(); ++i) out += (i ? ", " : "") + ip.repr(d[i]);
    return out + "]" + (maxlen >= 0 ? ", maxlen=" + std::to_string(maxlen) : "") + ")";
  }
  void push(Object v, bool left) {
    if (maxlen == 0) return;
    if (maxlen > 0 && static_cast<std::int64_t>(d.size()) == maxlen) left ? d.pop_back() : d.pop_front();
    left ? d.push_front(std::move(v)) : d.push_back(std::move(v));
  }
  std::size_t index(Interp& ip, const Object& key) {
    if (!key.is(Tag::Int) && !key.is(Tag::Bool))
      ip.raise(ip.T.TypeError, fmt::format("sequence index must be integer, not '{}'", ip.type_of(key)->name));
    std::int64_t i = key.i() < 0 ? key.i() + static_cast<std::int64_t>(d.size()) : key.i();
    if (i < 0 || i >= static_cast<std::int64_t>(d.size())) ip.raise(ip.T.IndexError, "deque index out of range");
    return static_cast<std::size_t>(i);
  }
  Object getattr(Interp& ip, const Object& self, std::string_view name) override;
};

DequeObj& DQ(BuiltinObj& b) { return *static_cast<DequeObj*>(b.self.as<NativeObj>()); }

Object DequeObj::getattr(Interp& ip, const Object& self, std::string_view name) {
#define M(NAME, MIN, MAX, ...) BOUND_METHOD(NAME, DequeObj& q = DQ(b), check_args(ip, NAME, a, MIN, MAX); __VA_ARGS__)
  if (name == "maxlen") return maxlen < 0 ? Object::none() : Object::integer(maxlen);
  M("append", 1, 1, q.push(a.pos[0], false); return Object::none();)
  M("appendleft", 1, 1, q.push(a.pos[0], true); return Object::none();)
  M("pop", 0, 0, {
    if (q.d.empty()) ip.raise(ip.T.IndexError, "pop from an empty deque");
    Object v = q.d.back();
    q.d.pop_back();
    return v;
  })
  M("popleft", 0, 0, {
    if (q.d.empty()) ip.raise(ip.T.IndexError, "pop from an empty deque");
    Object v = q.d.front();
    q.d.pop_front();
    return v;
  })
  M("extend", 1, 1, for (auto& v : ip.to_vector(a.pos[0])) q.push(v, false); return Object::none();)
  M("extendleft", 1, 1, for (auto& v : ip.to_vector(a.pos[0])) q.push(v, true); return Object::none();)
  M("clear", 0, 0, q.d.clear(); return Object::none();)
  M("reverse", 0, 0, std::reverse(q.d.begin(), q.d.end()); return Object::none();)
  M("copy", 0, 0, {
    auto c = asyncio::make_ref<DequeObj>();
    c->d = q.d;
    c->maxlen = q.maxlen;
    return Object(Tag::Native, c);
  })
  M("count", 1, 1, {
    std::int64_t n = 0;
    for (auto& v : std::deque<Object>(q.d)) n += v.same(a.pos[0]) || ip.eq(v, a.pos[0]);
    return Object::integer(n);
  })
  M("index", 1, 3, {
    for (std::size_t i = 0; i < q.d.size(); ++i)
      if (q.d[i].same(a.pos[0]) || ip.eq(q.d[i], a.pos[0])) return Object::integer(static_cast<std::int64_t>(i));
    ip.raise(ip.T.ValueError, ip.repr(a.pos[0]) + " is not in deque");
  })
  M("remove", 1, 1, {
    for (std::size_t i = 0; i < q.d.size(); ++i)
      if (q.d[i].same(a.pos[0]) || ip.eq(q.d[i], a.pos[0])) {
        q.d.erase(q.d.begin() + static_cast<std::ptrdiff_t>(i));
        return Object::none();
      }
    ip.raise(ip.T.ValueError, ip.repr(a.pos[0]) + " is not in deque");
  })
  M("insert", 2, 2, {
    if (q.maxlen >= 0 && static_cast<std::int64_t>(q.d.size()) >= q.maxlen) ip.raise(ip.T.IndexError, "deque already at its maximum size");
    std::int64_t n = static_cast<std::int64_t>(q.d.size()), i = ip.index_arg(a.pos[0], "deque");
    if (i < 0) i = std::max<std::int64_t>(i + n, 0);
    q.d.insert(q.d.begin() + std::min(i, n), a.pos[1]);
    return Object::none();
  })
  M("rotate", 0, 1, {
    std::int64_t n = static_cast<std::int64_t>(q.d.size()), k = a.pos.empty() ? 1 : ip.index_arg(a.pos[0], "rotate");
    if (n > 1) {
      k %= n;
      if (k < 0) k += n;
      std::rotate(q.d.begin(), q.d.begin() + (n - k), q.d.end());
    }
    return Object::none();
  })
  M("__len__", 0, 0, return Object::integer(static_cast<std::int64_t>(q.d.size()));)
  M("__iter__", 0, 0, return snapshot_iter(std::vector<Object>(q.d.begin(), q.d.end()));)
  M("__contains__", 1, 1, {
    for (auto& v : std::deque<Object>(q.d))
      if (v.same(a.pos[0]) || ip.eq(v, a.pos[0])) return Object::boolean(true);
    return Object::boolean(false);
  })
  M("__getitem__", 1, 1, return q.d[q.index(ip, a.pos[0])];)
  M("__setitem__", 2, 2, q.d[q.index(ip, a.pos[0])] = a.pos[1]; return Object::none();)
  M("__delitem__", 1, 1, q.d.erase(q.d.begin() + static_cast<std::ptrdiff_t>(q.index(ip, a.pos[0]))); return Object::none();)
  M("__eq__", 1, 1, {
    const Object& o = a.pos[0];
    if (!o.is(Tag::Native) || o.as<NativeObj>()->type_name() != q.type_name()) return Object();
    auto& other = static_cast<DequeObj*>(o.as<NativeObj>())->d;
    if (other.size() != q.d.size()) return Object::boolean(false);
    for (std::size_t i = 0; i < other.size(); ++i)
      if (!q.d[i].same(other[i]) && !ip.eq(q.d[i], other[i])) return Object::boolean(false);
    return Object::boolean(true);
  })
#undef M
  return {};
}

Object make_deque(Interp& ip, BuiltinObj&, CallArgs& a) {
  Object src = arg_or(a, 0, "iterable", {}), maxlen = arg_or(a, 1, "maxlen", Object::none());
  auto q = asyncio::make_ref<DequeObj>();
  if (!maxlen.is_none()) {
    if (!maxlen.is(Tag::Int) && !maxlen.is(Tag::Bool)) ip.raise(ip.T.TypeError, "an integer is required");
    if (maxlen.i() < 0) ip.raise(ip.T.ValueError, "maxlen must be non-negative");
    q->maxlen = maxlen.i();
  }
  if (!src.null())
    for (auto& v : ip.to_vector(src)) q->push(v, false);
  return Object(Tag::Native, q);
}

// ---- defaultdict, Counter, OrderedDict ----

enum class DictKind { DefaultDict, Counter, OrderedDict };

DictKind kind_of(const DictObj& d) {
  const std::string& n = d.cls->name;
  return n == "defaultdict" ? DictKind::DefaultDict : n == "Counter" ? DictKind::Counter : DictKind::OrderedDict;
}

Object new_dict(const Ref<TypeObj>& cls, Object factory = {}) {
  auto d = asyncio::make_ref<DictObj>();
  d->cls = cls;
  d->factory = std::move(factory);
  return Object(Tag::Dict, d);
}

Object count_of(Interp& ip, DictObj& d, const Object& k) {
  Object* v = d.find(k, ip.hash(k));
  return v ? *v : Object::integer(0);
}

// Counter.update / subtract: counts from an iterable, or from a mapping's values.
void count_into(Interp& ip, DictObj& d, CallArgs& a, bool add) {
  auto bump = [&](const Object& k, const Object& n) {
    std::uint64_t h = ip.hash(k);
    Object* v = d.find(k, h);
    d.set(k, h, ip.binop(add ? scenario::BinOpKind::Add : scenario::BinOpKind::Sub, v ? *v : Object::integer(0), n));
  };
  if (!a.pos.empty() && !a.pos[0].is_none()) {
    const Object& src = a.pos[0];
    if (src.is(Tag::Dict)) {
      std::vector<std::pair<Object, Object>> items;
      src.as<DictObj>()->each([&](const Object& k, const Object& v) { items.emplace_back(k, v); });
      for (auto& [k, v] : items) bump(k, v);
    } else {
      for (const Object& k : ip.to_vector(src)) bump(k, Object::integer(1));
    }
  }
  for (auto& [k, v] : a.kw) bump(str_key(ip, k), v);
}

std::vector<std::pair<Object, Object>> items_of(const DictObj& d) {
  std::vector<std::pair<Object, Object>> out;
  d.each([&](const Object& k, const Object& v) { out.emplace_back(k, v); });
  return out;
}

// Counter.most_common: by count, largest first, ties in insertion order (a stable sort).
std::vector<std::pair<Object, Object>> most_common(Interp& ip, const DictObj& d) {
  auto items = items_of(d);
  std::stable_sort(items.begin(), items.end(), [&](const auto& x, const auto& y) { return ip.lt(y.second, x.second); });
  return items;
}

Object copy_dict(Interp& ip, const Object& self) {
  auto* d = self.as<DictObj>();
  Object out = new_dict(d->cls, d->factory);
  d->each([&](const Object& k, const Object& v) { out.as<DictObj>()->set(k, ip.hash(k), v); });
  return out;
}

Object make_defaultdict(Interp& ip, BuiltinObj& b, CallArgs& a) {
  Object factory = a.pos.empty() ? Object::none() : a.pos[0];
  if (!factory.is_none() && !ip.truthy(ip.call1(ip.builtins["callable"], factory)))
    ip.raise(ip.T.TypeError, "first argument must be callable or None");
  if (!a.pos.empty()) a.pos.erase(a.pos.begin());
  Object d = new_dict(Ref<TypeObj>(b.self.as<TypeObj>()), factory);
  dict_update(ip, *d.as<DictObj>(), a);
  return d;
}

Object make_counter(Interp& ip, BuiltinObj& b, CallArgs& a) {
  if (a.pos.size() > 1) ip.raise(ip.T.TypeError, fmt::format("expected at most 1 arguments, got {}", a.pos.size()));
  Object d = new_dict(Ref<TypeObj>(b.self.as<TypeObj>()));
  count_into(ip, *d.as<DictObj>(), a, true);
  return d;
}

Object make_ordereddict(Interp& ip, BuiltinObj& b, CallArgs& a) {
  if (a.pos.size() > 1) ip.raise(ip.T.TypeError, fmt::format("expected at most 1 arguments, got {}", a.pos.size()));
  Object d = new_dict(Ref<TypeObj>(b.self.as<TypeObj>()));
  dict_update(ip, *d.as<DictObj>(), a);
  return d;
}

// ---- ChainMap ----

struct ChainMapObj final : NativeObj {
  std::vector<Object> maps;
  const char* type_name() const override { return "ChainMap"; }
  std::string repr(Interp& ip) override {
    std::string out = "ChainMap(";
    for (std::size_t i = 0; i < maps.size(); ++i) out += (i ? ", " : "") + ip.repr(maps[i]);
    return out + ")";
  }
  // The keys in ChainMap.__iter__'s order: the last map's first, each key once.
  std::vector<Object> keys(Interp& ip) {
    Object seen = ip.dict_obj();
    for (auto it = maps.rbegin(); it != maps.rend(); ++it)
      for (const Object& k : ip.to_vector(*it)) ip.setitem(seen, k, Object::none());
    return ip.to_vector(seen);
  }
  Object lookup(Interp& ip, const Object& key) {
    for (const Object& m : maps)
      if (ip.contains(m, key)) return ip.getitem(m, key);
    return {};
  }
  Object getattr(Interp& ip, const Object& self, std::string_view name) override;
};

ChainMapObj& CM(BuiltinObj& b) { return *static_cast<ChainMapObj*>(b.self.as<NativeObj>()); }

Object chainmap_of(std::vector<Object> maps) {
  auto c = asyncio::make_ref<ChainMapObj>();
  c->maps = std::move(maps);
  return Object(Tag::Native, c);
}

Object ChainMapObj::getattr(Interp& ip, const Object& self, std::string_view name) {
#define M(NAME, MIN, MAX, ...) BOUND_METHOD(NAME, ChainMapObj& c = CM(b), check_args(ip, NAME, a, MIN, MAX); __VA_ARGS__)
  if (name == "maps") return ip.list_obj(maps);
  if (name == "parents") return chainmap_of(maps.size() > 1 ? std::vector<Object>(maps.begin() + 1, maps.end()) : std::vector<Object>{ip.dict_obj()});
  M("__getitem__", 1, 1, {
    Object v = c.lookup(ip, a.pos[0]);
    if (v.null()) ip.raise_obj(ip.new_exc(ip.T.KeyError, {a.pos[0]}));
    return v;
  })
  M("get", 1, 2, {
    Object v = c.lookup(ip, a.pos[0]);
    return v.null() ? (a.pos.size() == 2 ? a.pos[1] : Object::none()) : v;
  })
  M("__setitem__", 2, 2, ip.setitem(c.maps[0], a.pos[0], a.pos[1]); return Object::none();)
  M("__delitem__", 1, 1, {
    if (!ip.contains(c.maps[0], a.pos[0]))
      ip.raise_obj(ip.new_exc(ip.T.KeyError, {ip.str_obj("Key not found in the first mapping: " + ip.repr(a.pos[0]))}));
    ip.delitem(c.maps[0], a.pos[0]);
    return Object::none();
  })
  M("__contains__", 1, 1, {
    for (const Object& m : c.maps)
      if (ip.contains(m, a.pos[0])) return Object::boolean(true);
    return Object::boolean(false);
  })
  M("__len__", 0, 0, return Object::integer(static_cast<std::int64_t>(c.keys(ip).size()));)
  M("__iter__", 0, 0, return snapshot_iter(c.keys(ip));)
  M("keys", 0, 0, return ip.list_obj(c.keys(ip));)
  M("values", 0, 0, {
    std::vector<Object> out;
    for (const Object& k : c.keys(ip)) out.push_back(c.lookup(ip, k));
    return ip.list_obj(std::move(out));
  })
  M("items", 0, 0, {
    std::vector<Object> out;
    for (const Object& k : c.keys(ip)) out.push_back(ip.tuple_obj({k, c.lookup(ip, k)}));
    return ip.list_obj(std::move(out));
  })
  M("new_child", 0, 1, {
    std::vector<Object> maps = c.maps;
    maps.insert(maps.begin(), a.pos.empty() || a.pos[0].is_none() ? ip.dict_obj() : a.pos[0]);
    return chainmap_of(std::move(maps));
  })
#undef M
  return {};
}

}  // namespace

std::string dict_subclass_repr(Interp& ip, const Object& dict) {
  auto* d = dict.as<DictObj>();
  Object plain = ip.dict_obj();
  d->each([&](const Object& k, const Object& v) { plain.as<DictObj>()->set(k, ip.hash(k), v); });
  switch (kind_of(*d)) {
    case DictKind::DefaultDict: return "defaultdict(" + ip.repr(d->factory) + ", " + ip.repr(plain) + ")";
    case DictKind::Counter: {
      if (!d->used) return "Counter()";
      Object sorted = ip.dict_obj();
      for (auto& [k, v] : most_common(ip, *d)) sorted.as<DictObj>()->set(k, ip.hash(k), v);
      return "Counter(" + ip.repr(sorted) + ")";
    }
    case DictKind::OrderedDict: {
      if (!d->used) return "OrderedDict()";
      std::vector<Object> items;
      for (auto& [k, v] : items_of(*d)) items.push_back(ip.tuple_obj({k, v}));
      return "OrderedDict(" + ip.repr(ip.list_obj(std::move(items))) + ")";
    }
  }
  return "";
}

Object dict_subclass_attr(Interp& ip, const Object& self, std::string_view name) {
#define M(NAME, ...) BOUND_METHOD(NAME, DictObj& d = *b.self.as<DictObj>(), (void)d; __VA_ARGS__)
  auto* obj = self.as<DictObj>();
  M("copy", check_args(ip, "copy", a, 0, 0); return copy_dict(ip, b.self);)
  switch (kind_of(*obj)) {
    case DictKind::DefaultDict:
      if (name == "default_factory") return obj->factory;
      M("__missing__", check_args(ip, "__missing__", a, 1, 1); return dict_missing(ip, b.self, a.pos[0]);)
      break;
    case DictKind::Counter:
      M("most_common", {
        check_args(ip, "most_common", a, 0, 1);
        auto items = most_common(ip, d);
        if (!a.pos.empty() && !a.pos[0].is_none())
          items.resize(std::min<std::size_t>(items.size(), std::max<std::int64_t>(ip.index_arg(a.pos[0], "most_common"), 0)));
        std::vector<Object> out;
        for (auto& [k, v] : items) out.push_back(ip.tuple_obj({k, v}));
        return ip.list_obj(std::move(out));
      })
      M("elements", {
        check_args(ip, "elements", a, 0, 0);
        std::vector<Object> out;
        for (auto& [k, v] : items_of(d))
          for (std::int64_t i = 0; i < ip.index_arg(v, "elements"); ++i) out.push_back(k);
        return snapshot_iter(std::move(out));
      })
      M("total", {
        check_args(ip, "total", a, 0, 0);
        Object sum = Object::integer(0);
        for (auto& [k, v] : items_of(d)) sum = ip.binop(scenario::BinOpKind::Add, sum, v);
        return sum;
      })
      M("update", count_into(ip, d, a, true); return Object::none();)
      M("subtract", count_into(ip, d, a, false); return Object::none();)
      break;
    case DictKind::OrderedDict:
      M("move_to_end", {
        Object key = arg_or(a, 0, "key", {}), last = arg_or(a, 1, "last", Object::boolean(true));
        std::uint64_t h = ip.hash(key);
        Object* v = d.find(key, h);
        if (!v) ip.raise_obj(ip.new_exc(ip.T.KeyError, {key}));
        Object value = *v;
        d.erase(key, h);
        if (ip.truthy(last)) {
          d.set(key, h, value);
        } else {
          auto items = items_of(d);
          d.clear();
          d.set(key, h, value);
          for (auto& [k, x] : items) d.set(k, ip.hash(k), x);
        }
        return Object::none();
      })
      M("popitem", {
        bool last = ip.truthy(arg_or(a, 0, "last", Object::boolean(true)));
        if (!d.used) ip.raise_obj(ip.new_exc(ip.T.KeyError, {ip.str_obj("dictionary is empty")}));
        auto items = items_of(d);
        auto [k, v] = last ? items.back() : items.front();
        d.erase(k, ip.hash(k));
        return ip.tuple_obj({k, v});
      })
      break;
  }
#undef M
  return {};
}

Object dict_missing(Interp& ip, const Object& dict, const Object& key) {
  auto* d = dict.as<DictObj>();
  switch (kind_of(*d)) {
    case DictKind::DefaultDict: {
      if (d->factory.is_none()) break;
      Object v = ip.call0(d->factory);
      d->set(key, ip.hash(key), v);
      return v;
    }
    case DictKind::Counter: return Object::integer(0);
    case DictKind::OrderedDict: break;
  }
  ip.raise_obj(ip.new_exc(ip.T.KeyError, {key}));
}

int dict_subclass_eq(Interp& ip, const Object& a, const Object& b) {
  auto *x = a.as<DictObj>(), *y = b.as<DictObj>();
  if (!x->cls || !y->cls || kind_of(*x) != kind_of(*y)) return -1;
  switch (kind_of(*x)) {
    case DictKind::Counter:  // missing elements count as zero (3.10+)
      for (auto* c : {x, y})
        for (auto& [k, v] : items_of(*c))
          if (!ip.eq(count_of(ip, *x, k), count_of(ip, *y, k))) return 0;
      return 1;
    case DictKind::OrderedDict: {  // order matters between two OrderedDicts
      auto p = items_of(*x), q = items_of(*y);
      if (p.size() != q.size()) return 0;
      for (std::size_t i = 0; i < p.size(); ++i)
        if (!ip.eq(p[i].first, q[i].first) || !ip.eq(p[i].second, q[i].second)) return 0;
      return 1;
    }
    case DictKind::DefaultDict: return -1;
  }
  return -1;
}

Object counter_binop(Interp& ip, scenario::BinOpKind op, const Object& a, const Object& b) {
  using scenario::BinOpKind;
  auto *x = a.as<DictObj>(), *y = b.as<DictObj>();
  if (!x->cls || !y->cls || kind_of(*x) != DictKind::Counter || kind_of(*y) != DictKind::Counter) return {};
  if (op != BinOpKind::Add && op != BinOpKind::Sub && op != BinOpKind::BitOr && op != BinOpKind::BitAnd) return {};
  Object out = new_dict(x->cls);
  auto* r = out.as<DictObj>();
  auto positive = [&](const Object& n) { return ip.lt(Object::integer(0), n); };
  // Counter.__add__, __sub__, __or__, __and__: the left operand's elements first, then the right's.
  for (auto& [k, n] : items_of(*x)) {
    Object m = count_of(ip, *y, k), v;
    switch (op) {
      case BinOpKind::Add: v = ip.binop(BinOpKind::Add, n, m); break;
      case BinOpKind::Sub: v = ip.binop(BinOpKind::Sub, n, m); break;
      case BinOpKind::BitOr: v = ip.lt(n, m) ? m : n; break;
      default: v = ip.lt(n, m) ? n : m; break;
    }
    if (positive(v)) r->set(k, ip.hash(k), v);
  }
  if (op != BinOpKind::BitAnd)
    for (auto& [k, n] : items_of(*y)) {
      if (x->find(k, ip.hash(k))) continue;
      if (op == BinOpKind::Sub) {
        if (ip.lt(n, Object::integer(0))) r->set(k, ip.hash(k), ip.binop(BinOpKind::Sub, Object::integer(0), n));
      } else if (positive(n)) {
        r->set(k, ip.hash(k), n);
      }
    }
  return out;
}

Object module_collections(Interp& ip) {
  auto m = asyncio::make_ref<ModuleObj>("collections");
  auto& A = m->attrs;
  A["namedtuple"] = ip.builtin("namedtuple", b_namedtuple);
  m->add_class(ip, "deque", make_deque);
  m->add_class(ip, "defaultdict", make_defaultdict, ip.T.dict);
  m->add_class(ip, "Counter", make_counter, ip.T.dict);
  m->add_class(ip, "OrderedDict", make_ordereddict, ip.T.dict);
  m->add_class(ip, "ChainMap", [](Interp& ip, BuiltinObj&, CallArgs& a) {
    check_args(ip, "ChainMap", a, 0, 1000000);
    return chainmap_of(a.pos.empty() ? std::vector<Object>{ip.dict_obj()} : a.pos);
  });
  return Object(Tag::Native, m);
}

}  // namespace aiospec::interp
