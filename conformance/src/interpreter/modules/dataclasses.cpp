// The `dataclasses` module (Lib/dataclasses.py): dataclass, field, Field, fields, asdict, astuple,
// replace, is_dataclass, InitVar, KW_ONLY, MISSING, FrozenInstanceError. _process_class's checks,
// messages and generated methods, written in C++ rather than exec()'d source.
#include <fmt/format.h>

#include "../interp.hpp"
#include "../objects/method.hpp"

namespace aiospec::interp {

namespace {

enum class FieldType { Field, ClassVar, InitVar };

// A sentinel of the module (MISSING, KW_ONLY): <dataclasses._MISSING_TYPE object at 0x...>.
struct SentinelObj final : NativeObj {
  explicit SentinelObj(const char* t) : type(t) {}
  const char* type;
  const char* type_name() const override { return type; }
  std::string repr(Interp& ip) override { return ip.default_repr(Object(Tag::Native, this)); }
  Object getattr(Interp&, const Object&, std::string_view) override { return {}; }
};

// The module's objects every call needs.
struct State final : NativeObj {
  Object missing, kw_only, frozen_error;
  const char* type_name() const override { return "dataclasses._State"; }
  Object getattr(Interp&, const Object&, std::string_view) override { return {}; }
};

struct FieldObj final : NativeObj {
  Object name, type, default_, default_factory, init, repr_, hash, compare, metadata, kw_only;
  FieldType field_type = FieldType::Field;
  bool typed = false;  // _field_type set (None in the repr until the class is processed)
  const char* type_name() const override { return "Field"; }
  bool has_default(const Object& missing) const { return !default_.same(missing) || !default_factory.same(missing); }
  std::string repr(Interp& ip) override {
    static const char* const kTypes[] = {"_FIELD", "_FIELD_CLASSVAR", "_FIELD_INITVAR"};
    std::string meta = metadata.is_none() ? "{}" : ip.repr(metadata);
    return fmt::format("Field(name={},type={},default={},default_factory={},init={},repr={},hash={},compare={},metadata=mappingproxy({}),kw_only={},_field_type={})",
                       ip.repr(name), ip.repr(type), ip.repr(default_), ip.repr(default_factory), ip.repr(init), ip.repr(repr_),
                       ip.repr(hash), ip.repr(compare), meta, ip.repr(kw_only), typed ? kTypes[static_cast<int>(field_type)] : "None");
  }
  Object getattr(Interp& ip, const Object&, std::string_view n) override {
    if (n == "name") return name;
    if (n == "type") return type;
    if (n == "default") return default_;
    if (n == "default_factory") return default_factory;
    if (n == "init") return init;
    if (n == "repr") return repr_;
    if (n == "hash") return hash;
    if (n == "compare") return compare;
    if (n == "metadata") return metadata.is_none() ? ip.dict_obj() : metadata;
    if (n == "kw_only") return kw_only;
    return {};
  }
};

FieldObj* as_field(const Object& o) {
  return o.is(Tag::Native) && o.as<NativeObj>()->type_name() == std::string_view("Field") ? static_cast<FieldObj*>(o.as<NativeObj>()) : nullptr;
}

// InitVar[T]: dataclasses.InitVar[int].
struct InitVarObj final : NativeObj {
  Object type;  // Null: the class InitVar itself
  const char* type_name() const override { return type.null() ? "type" : "InitVar"; }
  std::string repr(Interp& ip) override {
    if (type.null()) return "<class 'dataclasses.InitVar'>";
    return "dataclasses.InitVar[" + (type.is(Tag::Type) ? type.as<TypeObj>()->name : ip.repr(type)) + "]";
  }
  Object getattr(Interp& ip, const Object& self, std::string_view n) override {
    if (n == "type" && !type.null()) return type;
    if (n == "__getitem__" && type.null())
      return ip.builtin("__class_getitem__", [](Interp&, BuiltinObj&, CallArgs& a) {
        auto v = asyncio::make_ref<InitVarObj>();
        v->type = a.pos.at(0);
        return Object(Tag::Native, v);
      }, self);
    return {};
  }
};

bool is_initvar(const Object& t) {
  return t.is(Tag::Native) && (t.as<NativeObj>()->type_name() == std::string_view("InitVar") ||
                               (t.as<NativeObj>()->type_name() == std::string_view("type") && dynamic_cast<InitVarObj*>(t.as<NativeObj>())));
}

// dataclasses._is_classvar: typing.ClassVar, bare or subscripted.
bool is_classvar(Interp& ip, const Object& t) {
  if (!t.is(Tag::Native)) return false;
  std::string_view tn = t.as<NativeObj>()->type_name();
  if (tn != "_SpecialForm" && tn != "_GenericAlias") return false;
  std::string r = ip.repr(t);
  return r == "typing.ClassVar" || r.starts_with("typing.ClassVar[");
}

// What the generated methods of one class work from.
struct ClassInfo final : NativeObj {
  Object state;
  Ref<TypeObj> cls;
  std::vector<Ref<FieldObj>> fields;  // all of them, in order (ClassVar pseudo-fields included)
  bool frozen = false;
  const char* type_name() const override { return "dataclasses._ClassInfo"; }
  Object getattr(Interp&, const Object&, std::string_view) override { return {}; }
  State& st() const { return *static_cast<State*>(state.as<NativeObj>()); }
  std::vector<FieldObj*> select(bool (*pred)(Interp&, const FieldObj&), Interp& ip) const {
    std::vector<FieldObj*> out;
    for (auto& f : fields)
      if (pred(ip, *f)) out.push_back(f.get());
    return out;
  }
};

ClassInfo& info_of(BuiltinObj& b) { return *static_cast<ClassInfo*>(b.data.as<NativeObj>()); }

bool in_repr(Interp& ip, const FieldObj& f) { return f.field_type == FieldType::Field && ip.truthy(f.repr_); }
bool in_compare(Interp& ip, const FieldObj& f) { return f.field_type == FieldType::Field && ip.truthy(f.compare); }
bool in_hash(Interp& ip, const FieldObj& f) {
  return f.field_type == FieldType::Field && ip.truthy(f.hash.is_none() ? f.compare : f.hash);
}

std::string fname(const FieldObj& f) { return f.name.as<StrObj>()->s; }

// ---- the generated methods ----

// __init__(self, <fields without kw_only>, *, <kw_only fields>): binds its arguments as a Python
// function with that signature does, with CPython's messages.
Object init_fn(Interp& ip, BuiltinObj& b, CallArgs& a) {
  ClassInfo& ci = info_of(b);
  const Object& missing = ci.st().missing;
  std::string qual = (ci.cls->qualname.empty() ? ci.cls->name : ci.cls->qualname) + ".__init__";
  std::vector<FieldObj*> params, pos, kw;
  for (auto& f : ci.fields)
    if (f->field_type != FieldType::ClassVar && ip.truthy(f->init)) (ip.truthy(f->kw_only) ? kw : pos).push_back(f.get());
  params = pos;
  params.insert(params.end(), kw.begin(), kw.end());
  std::vector<Object> values(params.size());
  if (a.pos.size() > pos.size()) {
    std::size_t required = 0;
    for (FieldObj* f : pos) required += !f->has_default(missing);
    std::string takes = required == pos.size() ? fmt::format("{}", pos.size() + 1) : fmt::format("from {} to {}", required + 1, pos.size() + 1);
    ip.raise(ip.T.TypeError, fmt::format("{}() takes {} positional argument{} but {} were given", qual, takes, pos.size() ? "s" : "",
                                         a.pos.size() + 1));
  }
  for (std::size_t i = 0; i < a.pos.size(); ++i) values[i] = a.pos[i];
  for (auto& [k, v] : a.kw) {
    std::size_t i = 0;
    while (i < params.size() && fname(*params[i]) != k) ++i;
    if (i == params.size()) ip.raise(ip.T.TypeError, fmt::format("{}() got an unexpected keyword argument '{}'", qual, k));
    if (!values[i].null()) ip.raise(ip.T.TypeError, fmt::format("{}() got multiple values for argument '{}'", qual, k));
    values[i] = v;
  }
  for (bool kwonly : {false, true}) {
    std::vector<std::string> absent;
    for (std::size_t i = kwonly ? pos.size() : 0; i < (kwonly ? params.size() : pos.size()); ++i)
      if (values[i].null() && !params[i]->has_default(missing)) absent.push_back("'" + fname(*params[i]) + "'");
    if (absent.empty()) continue;
    std::string list = absent.back();
    if (absent.size() > 1) {
      list = absent[0];
      for (std::size_t i = 1; i + 1 < absent.size(); ++i) list += ", " + absent[i];
      list += (absent.size() > 2 ? ", and " : " and ") + absent.back();
    }
    ip.raise(ip.T.TypeError, fmt::format("{}() missing {} required {} argument{}: {}", qual, absent.size(), kwonly ? "keyword-only" : "positional",
                                         absent.size() == 1 ? "" : "s", list));
  }
  const Object& self = b.self;
  auto assign = [&](const FieldObj& f, Object v) {
    if (!ci.frozen || !self.is(Tag::Instance)) return ip.setattr(self, fname(f), std::move(v));
    auto* in = self.as<InstanceObj>();
    ip.generic_setattr(self, in->cls, in->dict, fname(f), std::move(v));
  };
  std::vector<Object> initvars;
  for (auto& f : ci.fields) {
    if (f->field_type == FieldType::ClassVar) continue;
    Object v;
    std::size_t i = 0;
    while (i < params.size() && params[i] != f.get()) ++i;
    if (i < params.size()) {  // _field_init: an argument, or its default
      v = values[i];
      if (v.null()) v = f->default_factory.same(missing) ? f->default_ : ip.call0(f->default_factory);
    } else if (!f->default_factory.same(missing)) {
      v = ip.call0(f->default_factory);
    }
    if (f->field_type == FieldType::InitVar) {
      initvars.push_back(v.null() ? f->default_ : v);
      continue;
    }
    if (!v.null()) assign(*f, v);
  }
  if (Object post = ip.getattr_opt(self, "__post_init__"); !post.null()) {
    CallArgs pa;
    pa.pos = std::move(initvars);
    ip.call(post, pa);
  }
  return Object::none();
}

Object field_values(Interp& ip, const Object& self, const std::vector<FieldObj*>& fields) {
  std::vector<Object> v;
  for (FieldObj* f : fields) v.push_back(ip.getattr(self, fname(*f)));
  return ip.tuple_obj(std::move(v));
}

// reprlib.recursive_repr's guard: an instance already being repr'd shows as "...".
std::vector<const void*>& repr_running() {
  static thread_local std::vector<const void*> running;
  return running;
}

Object repr_fn(Interp& ip, BuiltinObj& b, CallArgs& a) {
  check_args(ip, "__repr__", a, 0, 0);
  const Object& self = b.self;
  auto& running = repr_running();
  for (const void* p : running)
    if (p == self.ptr()) return ip.str_obj("...");
  running.push_back(self.ptr());
  struct Pop {
    std::vector<const void*>& r;
    ~Pop() { r.pop_back(); }
  } pop{running};
  Ref<TypeObj> cls = ip.type_of(self);
  std::string out = (cls->qualname.empty() ? cls->name : cls->qualname) + "(";
  bool first = true;
  for (FieldObj* f : info_of(b).select(in_repr, ip)) {
    out += (first ? "" : ", ") + fname(*f) + "=" + ip.repr(ip.getattr(self, fname(*f)));
    first = false;
  }
  return ip.str_obj(out + ")");
}

// __eq__ and the orderings: the compared fields as tuples, for instances of the very same class.
Object compare_fn(Interp& ip, BuiltinObj& b, CallArgs& a) {
  check_args(ip, b.name, a, 1, 1);
  const Object &self = b.self, &other = a.pos[0];
  if (ip.type_of(other).get() != ip.type_of(self).get()) return ip.not_implemented;
  auto fields = info_of(b).select(in_compare, ip);
  static constexpr std::pair<const char*, scenario::CmpOpKind> ops[] = {
      {"__eq__", scenario::CmpOpKind::Eq}, {"__lt__", scenario::CmpOpKind::Lt}, {"__le__", scenario::CmpOpKind::LtE},
      {"__gt__", scenario::CmpOpKind::Gt}, {"__ge__", scenario::CmpOpKind::GtE}};
  for (auto& [n, op] : ops)
    if (std::string_view(b.name) == n) return Object::boolean(ip.compare(op, field_values(ip, self, fields), field_values(ip, other, fields)));
  return ip.not_implemented;
}

Object hash_fn(Interp& ip, BuiltinObj& b, CallArgs& a) {
  check_args(ip, "__hash__", a, 0, 0);
  return Object::integer(static_cast<std::int64_t>(ip.hash(field_values(ip, b.self, info_of(b).select(in_hash, ip)))));
}

// A frozen class's __setattr__ and __delattr__ (_frozen_get_del_attr).
Object frozen_fn(Interp& ip, BuiltinObj& b, CallArgs& a) {
  ClassInfo& ci = info_of(b);
  bool del = std::string_view(b.name) == "__delattr__";
  check_args(ip, b.name, a, del ? 1 : 2, del ? 1 : 2);
  std::string name = ip.str(a.pos[0]);
  bool is_field_name = false;
  for (auto& f : ci.fields) is_field_name = is_field_name || fname(*f) == name;
  if (ip.type_of(b.self).get() == ci.cls.get() || is_field_name) {
    auto e = ip.new_exc(Ref<TypeObj>(ci.st().frozen_error.as<TypeObj>()),
                        {ip.str_obj(fmt::format("cannot {} field {}", del ? "delete" : "assign to", str_repr(name)))});
    ip.raise_obj(e);
  }
  auto* in = b.self.as<InstanceObj>();
  ip.generic_setattr(b.self, in->cls, in->dict, name, del ? Object() : a.pos[1]);
  return Object::none();
}

// ---- _process_class ----

struct Params {
  bool init = true, repr = true, eq = true, order = false, unsafe_hash = false, frozen = false, match_args = true, kw_only = false;
};

// __dataclass_params__.
struct ParamsObj final : NativeObj {
  explicit ParamsObj(Params v) : p(v) {}
  Params p;
  const char* type_name() const override { return "_DataclassParams"; }
  std::string repr(Interp&) override {
    auto b = [](bool v) { return v ? "True" : "False"; };
    return fmt::format("_DataclassParams(init={},repr={},eq={},order={},unsafe_hash={},frozen={})", b(p.init), b(p.repr), b(p.eq), b(p.order),
                       b(p.unsafe_hash), b(p.frozen));
  }
  Object getattr(Interp&, const Object&, std::string_view n) override {
    for (auto [k, v] : {std::pair{"init", p.init}, std::pair{"repr", p.repr}, std::pair{"eq", p.eq}, std::pair{"order", p.order},
                        std::pair{"unsafe_hash", p.unsafe_hash}, std::pair{"frozen", p.frozen}})
      if (n == k) return Object::boolean(v);
    return {};
  }
};

bool in_ns(const TypeObj& t, std::string_view name) { return t.ns->find_str(name) != nullptr; }

// _set_new_attribute: true when the class defines it already (and it is kept).
bool set_new(Interp& ip, const Object& cls, const char* name, Fn fn, const Object& info) {
  auto* t = cls.as<TypeObj>();
  if (in_ns(*t, name)) return true;
  ip.setattr(cls, name, native_function(ip, (t->qualname.empty() ? t->name : t->qualname) + "." + name, fn, info));
  return false;
}

// inspect.formatannotation, for the generated __doc__.
std::string annotation_text(Interp& ip, const Object& a) {
  if (a.is(Tag::Type)) {
    auto* t = a.as<TypeObj>();
    std::string q = t->qualname.empty() ? t->name : t->qualname;
    return t->module.empty() || t->module == "builtins" ? q : t->module + "." + q;
  }
  std::string r = ip.repr(a);
  std::string out;
  for (std::size_t i = 0; i < r.size();)
    if (r.compare(i, 7, "typing.") == 0) i += 7;
    else out += r[i++];
  return out;
}

Ref<FieldObj> new_field(Interp& ip, const State& st) {
  auto f = asyncio::make_ref<FieldObj>();
  f->name = f->type = f->hash = f->metadata = Object::none();
  f->default_ = f->default_factory = f->kw_only = st.missing;
  f->init = f->repr_ = f->compare = Object::boolean(true);
  (void)ip;
  return f;
}

Object process_class(Interp& ip, const Object& state, const Object& cls, const Params& p) {
  State& st = *static_cast<State*>(state.as<NativeObj>());
  if (!cls.is(Tag::Type) || !cls.as<TypeObj>()->user) ip.raise(ip.T.TypeError, "dataclass() needs a class of the program");
  auto* t = cls.as<TypeObj>();
  auto info = asyncio::make_ref<ClassInfo>();
  info->state = state;
  info->cls = Ref<TypeObj>(t);
  info->frozen = p.frozen;
  Object info_obj(Tag::Native, info);
  // Base classes' fields, the furthest base first; a later one replaces an earlier one's.
  std::vector<Ref<FieldObj>>& fields = info->fields;
  auto put = [&](Ref<FieldObj> f) {
    for (auto& g : fields)
      if (fname(*g) == fname(*f)) {
        g = std::move(f);
        return;
      }
    fields.push_back(std::move(f));
  };
  bool has_bases = false, any_frozen = false, all_frozen = true;
  for (std::size_t i = t->mro.size(); i-- > 1;) {
    TypeObj* b = t->mro[i];
    Object* bf = b->ns ? b->ns->find_str("__dataclass_fields__") : nullptr;
    if (!bf || !bf->is(Tag::Dict)) continue;
    has_bases = true;
    bf->as<DictObj>()->each([&](const Object&, const Object& v) {
      if (FieldObj* f = as_field(v)) put(Ref<FieldObj>(f));
    });
    Object* params = b->ns->find_str("__dataclass_params__");
    bool frozen = params && ip.truthy(ip.getattr(*params, "frozen"));
    any_frozen = any_frozen || frozen;
    all_frozen = all_frozen && frozen;
  }
  Object* ann = t->ns->find_str("__annotations__");
  std::vector<std::pair<Object, Object>> annotations;
  if (ann && ann->is(Tag::Dict)) ann->as<DictObj>()->each([&](const Object& k, const Object& v) { annotations.emplace_back(k, v); });
  bool kw_only = p.kw_only, kw_only_seen = false;
  std::vector<Ref<FieldObj>> own;
  for (auto& [name_o, type] : annotations) {
    std::string name = ip.str(name_o);
    if (type.same(st.kw_only)) {
      if (kw_only_seen) ip.raise(ip.T.TypeError, fmt::format("{} is KW_ONLY, but KW_ONLY has already been specified", str_repr(name)));
      kw_only_seen = kw_only = true;
      continue;
    }
    // _get_field.
    Object dflt = ip.getattr_opt(cls, name);
    Ref<FieldObj> f;
    if (FieldObj* given = as_field(dflt)) {
      f = Ref<FieldObj>(given);
    } else {
      f = new_field(ip, st);
      if (!dflt.null()) f->default_ = dflt;
    }
    f->name = name_o;
    f->type = type;
    f->typed = true;
    f->field_type = is_classvar(ip, type) ? FieldType::ClassVar : is_initvar(type) ? FieldType::InitVar : FieldType::Field;
    if (f->field_type != FieldType::Field && !f->default_factory.same(st.missing))
      ip.raise(ip.T.TypeError, fmt::format("field {} cannot have a default factory", name));
    if (f->field_type != FieldType::ClassVar) {
      if (f->kw_only.same(st.missing)) f->kw_only = Object::boolean(kw_only);
    } else if (!f->kw_only.same(st.missing)) {
      ip.raise(ip.T.TypeError, fmt::format("field {} is a ClassVar but specifies kw_only", name));
    }
    if (f->field_type == FieldType::Field && !f->default_.same(st.missing)) {
      Ref<TypeObj> dt = ip.type_of(f->default_);
      Object* h = dt->user ? ip.type_lookup(dt.get(), "__hash__") : nullptr;
      bool unhashable = (h && h->is_none()) || f->default_.is(Tag::List) || f->default_.is(Tag::Dict) || f->default_.is(Tag::ByteArray) ||
                        (f->default_.is(Tag::Set) && !f->default_.as<SetObj>()->frozen);
      if (unhashable)
        ip.raise(ip.T.ValueError, fmt::format("mutable default {} for field {} is not allowed: use default_factory", ip.repr(Object(Tag::Type, dt)), name));
    }
    own.push_back(f);
  }
  for (auto& f : own) {
    put(f);
    std::string name = fname(*f);
    if (as_field(ip.getattr_opt(cls, name))) {
      if (f->default_.same(st.missing)) ip.setattr(cls, name, Object());
      else ip.setattr(cls, name, f->default_);
    }
  }
  t->ns->each([&](const Object& k, const Object& v) {
    bool annotated = false;
    for (auto& a : annotations) annotated = annotated || ip.eq(a.first, k);
    if (as_field(v) && !annotated) ip.raise(ip.T.TypeError, fmt::format("{} is a field but has no type annotation", ip.repr(k)));
  });
  if (has_bases) {
    if (any_frozen && !p.frozen) ip.raise(ip.T.TypeError, "cannot inherit non-frozen dataclass from a frozen one");
    if (!all_frozen && p.frozen) ip.raise(ip.T.TypeError, "cannot inherit frozen dataclass from a non-frozen one");
  }
  Object fields_dict = ip.dict_obj();
  for (auto& f : fields) ip.setitem(fields_dict, f->name, Object(Tag::Native, f));
  ip.setattr(cls, "__dataclass_fields__", fields_dict);
  ip.setattr(cls, "__dataclass_params__", make<ParamsObj>(Tag::Native, p));
  Object* class_hash = t->ns->find_str("__hash__");
  bool explicit_hash = class_hash && !(class_hash->is_none() && in_ns(*t, "__eq__"));
  if (p.order && !p.eq) ip.raise(ip.T.ValueError, "eq must be true if order is true");
  if (p.init) {
    // _init_fn: a parameter without a default may not follow one with a default.
    bool seen_default = false;
    for (auto& f : fields) {
      if (f->field_type == FieldType::ClassVar || ip.truthy(f->kw_only) || !ip.truthy(f->init)) continue;
      if (f->has_default(st.missing)) seen_default = true;
      else if (seen_default) ip.raise(ip.T.TypeError, fmt::format("non-default argument {} follows default argument", str_repr(fname(*f))));
    }
    set_new(ip, cls, "__init__", init_fn, info_obj);
  }
  if (p.repr) set_new(ip, cls, "__repr__", repr_fn, info_obj);
  if (p.eq) set_new(ip, cls, "__eq__", compare_fn, info_obj);
  if (p.order)
    for (const char* op : {"__lt__", "__le__", "__gt__", "__ge__"})
      if (set_new(ip, cls, op, compare_fn, info_obj))
        ip.raise(ip.T.TypeError, fmt::format("Cannot overwrite attribute {} in class {}. Consider using functools.total_ordering", op, t->name));
  if (p.frozen)
    for (const char* op : {"__setattr__", "__delattr__"})
      if (set_new(ip, cls, op, frozen_fn, info_obj)) ip.raise(ip.T.TypeError, fmt::format("Cannot overwrite attribute {} in class {}", op, t->name));
  // _hash_action, by (unsafe_hash, eq, frozen, has_explicit_hash).
  if (explicit_hash && p.unsafe_hash) ip.raise(ip.T.TypeError, fmt::format("Cannot overwrite attribute __hash__ in class {}", t->name));
  if (!explicit_hash) {
    if (p.unsafe_hash || (p.eq && p.frozen)) {
      ip.setattr(cls, "__hash__", native_function(ip, (t->qualname.empty() ? t->name : t->qualname) + ".__hash__", hash_fn, info_obj));
    } else if (p.eq) {
      ip.setattr(cls, "__hash__", Object::none());
    }
  }
  Object* doc = t->ns->find_str("__doc__");
  if (!doc || !ip.truthy(*doc)) {
    // cls.__name__ + str(inspect.signature(cls)), without " -> None".
    std::string sig;
    bool star = false;
    for (auto& f : fields) {
      if (f->field_type == FieldType::ClassVar || !ip.truthy(f->init)) continue;
      if (ip.truthy(f->kw_only) && !star) {
        star = true;
        sig += (sig.empty() ? "" : ", ") + std::string("*");
      }
      sig += (sig.empty() ? "" : ", ") + fname(*f) + ": " + annotation_text(ip, f->type);
      if (!f->default_factory.same(st.missing)) sig += " = <factory>";
      else if (!f->default_.same(st.missing)) sig += " = " + ip.repr(f->default_);
    }
    ip.setattr(cls, "__doc__", ip.str_obj(t->name + "(" + sig + ")"));
  }
  if (p.match_args && !in_ns(*t, "__match_args__")) {
    std::vector<Object> names;
    for (auto& f : fields)
      if (f->field_type != FieldType::ClassVar && ip.truthy(f->init) && !ip.truthy(f->kw_only)) names.push_back(f->name);
    ip.setattr(cls, "__match_args__", ip.tuple_obj(std::move(names)));
  }
  return cls;
}

Object b_dataclass(Interp& ip, BuiltinObj& b, CallArgs& a) {
  if (a.pos.size() > 1) ip.raise(ip.T.TypeError, fmt::format("dataclass() takes from 0 to 1 positional arguments but {} were given", a.pos.size()));
  Params p;
  for (auto& [k, v] : a.kw) {
    bool on = ip.truthy(v);
    if (k == "init") p.init = on;
    else if (k == "repr") p.repr = on;
    else if (k == "eq") p.eq = on;
    else if (k == "order") p.order = on;
    else if (k == "unsafe_hash") p.unsafe_hash = on;
    else if (k == "frozen") p.frozen = on;
    else if (k == "match_args") p.match_args = on;
    else if (k == "kw_only") p.kw_only = on;
    else if (k == "slots" || k == "weakref_slot") {
      if (on) ip.refuse(fmt::format("dataclass({}=True)", k));
    } else {
      ip.raise(ip.T.TypeError, fmt::format("dataclass() got an unexpected keyword argument '{}'", k));
    }
  }
  if (!a.pos.empty() && !a.pos[0].is_none()) return process_class(ip, b.data, a.pos[0], p);
  // @dataclass(...): the decorator with these parameters.
  Object state = b.data;
  return ip.closure_builtin("wrap", [state, p](Interp& ip, CallArgs& a) {
    check_args(ip, "wrap", a, 1, 1);
    return process_class(ip, state, a.pos[0], p);
  });
}

Object b_field(Interp& ip, BuiltinObj& b, CallArgs& a) {
  if (!a.pos.empty()) ip.raise(ip.T.TypeError, fmt::format("field() takes 0 positional arguments but {} were given", a.pos.size()));
  Ref<FieldObj> f = new_field(ip, *static_cast<State*>(b.data.as<NativeObj>()));
  for (auto& [k, v] : a.kw) {
    Object* slot = k == "default" ? &f->default_ : k == "default_factory" ? &f->default_factory : k == "init" ? &f->init
                 : k == "repr" ? &f->repr_ : k == "hash" ? &f->hash : k == "compare" ? &f->compare
                 : k == "metadata" ? &f->metadata : k == "kw_only" ? &f->kw_only : nullptr;
    if (!slot) ip.raise(ip.T.TypeError, fmt::format("field() got an unexpected keyword argument '{}'", k));
    *slot = v;
  }
  const Object& missing = static_cast<State*>(b.data.as<NativeObj>())->missing;
  if (!f->default_.same(missing) && !f->default_factory.same(missing))
    ip.raise(ip.T.ValueError, "cannot specify both default and default_factory");
  return Object(Tag::Native, f);
}

// The class's fields (fields()): TypeError unless it is a dataclass or an instance of one.
std::vector<FieldObj*> fields_of(Interp& ip, const Object& o, bool classes_too, const char* error) {
  Object cls = o.is(Tag::Type) ? o : Object(Tag::Type, ip.type_of(o));
  Object d = (classes_too || !o.is(Tag::Type)) ? ip.getattr_opt(cls, "__dataclass_fields__") : Object();
  if (!d.is(Tag::Dict)) ip.raise(ip.T.TypeError, error);
  std::vector<FieldObj*> out;
  d.as<DictObj>()->each([&](const Object&, const Object& v) {
    if (FieldObj* f = as_field(v); f && f->field_type == FieldType::Field) out.push_back(f);
  });
  return out;
}

bool is_dataclass_instance(Interp& ip, const Object& o) {
  return !o.is(Tag::Type) && !ip.getattr_opt(Object(Tag::Type, ip.type_of(o)), "__dataclass_fields__").null();
}

// _asdict_inner / _astuple_inner: dataclasses, namedtuples, lists, tuples and dicts are rebuilt
// with their items converted.
Object convert(Interp& ip, const Object& o, const Object& factory, bool as_dict) {
  if (is_dataclass_instance(ip, o)) {
    std::vector<Object> items;
    for (FieldObj* f : fields_of(ip, o, false, "")) {
      Object v = convert(ip, ip.getattr(o, fname(*f)), factory, as_dict);
      items.push_back(as_dict ? ip.tuple_obj({f->name, v}) : v);
    }
    return ip.call1(factory, ip.list_obj(std::move(items)));
  }
  if (o.is(Tag::List) || o.is(Tag::Tuple)) {
    std::vector<Object> items;
    for (const Object& x : o.as<ListObj>()->v) items.push_back(convert(ip, x, factory, as_dict));
    if (o.is(Tag::Tuple) && o.as<ListObj>()->cls) {  // a namedtuple: type(obj)(*values)
      CallArgs ca;
      ca.pos = std::move(items);
      return ip.call(Object(Tag::Type, o.as<ListObj>()->cls), ca);
    }
    return o.is(Tag::List) ? ip.list_obj(std::move(items)) : ip.tuple_obj(std::move(items));
  }
  if (o.is(Tag::Dict)) {
    std::vector<Object> pairs;
    o.as<DictObj>()->each([&](const Object& k, const Object& v) {
      pairs.push_back(ip.tuple_obj({convert(ip, k, factory, as_dict), convert(ip, v, factory, as_dict)}));
    });
    Ref<TypeObj> dt = ip.type_of(o);
    return ip.call1(Object(Tag::Type, dt), ip.list_obj(std::move(pairs)));
  }
  return o;  // copy.deepcopy in CPython: the same object here (see spec/language.md)
}

Object b_asdict(Interp& ip, BuiltinObj& b, CallArgs& a) {
  Object factory = a.take_kw(std::string_view(b.name) == "asdict" ? "dict_factory" : "tuple_factory");
  check_args(ip, b.name, a, 1, 1);
  bool as_dict = std::string_view(b.name) == "asdict";
  if (!is_dataclass_instance(ip, a.pos[0])) ip.raise(ip.T.TypeError, fmt::format("{}() should be called on dataclass instances", b.name));
  if (factory.null()) factory = ip.builtins.find(as_dict ? "dict" : "tuple")->second;
  return convert(ip, a.pos[0], factory, as_dict);
}

Object b_replace(Interp& ip, BuiltinObj&, CallArgs& a) {
  if (a.pos.size() != 1)
    ip.raise(ip.T.TypeError, a.pos.empty() ? std::string("replace() missing 1 required positional argument: 'obj'")
                                           : fmt::format("replace() takes 1 positional argument but {} were given", a.pos.size()));
  const Object obj = a.pos[0];
  if (!is_dataclass_instance(ip, obj)) ip.raise(ip.T.TypeError, "replace() should be called on dataclass instances");
  Object d = ip.getattr(Object(Tag::Type, ip.type_of(obj)), "__dataclass_fields__");
  CallArgs ca;
  ca.kw = a.kw;
  d.as<DictObj>()->each([&](const Object&, const Object& v) {
    FieldObj* f = as_field(v);
    if (!f || f->field_type == FieldType::ClassVar) return;
    std::string name = fname(*f);
    bool given = false;
    for (auto& [k, x] : a.kw) given = given || k == name;
    if (!ip.truthy(f->init)) {
      if (given) ip.raise(ip.T.ValueError, fmt::format("field {} is declared with init=False, it cannot be specified with replace()", name));
      return;
    }
    if (given) return;
    if (f->field_type == FieldType::InitVar) {
      if (f->default_.is(Tag::Native) && std::string_view(f->default_.as<NativeObj>()->type_name()) == "_MISSING_TYPE")
        ip.raise(ip.T.ValueError, fmt::format("InitVar {} must be specified with replace()", str_repr(name)));
      return;
    }
    ca.kw.emplace_back(ip.intern(name), ip.getattr(obj, name));
  });
  return ip.call(Object(Tag::Type, ip.type_of(obj)), ca);
}

}  // namespace

Object module_dataclasses(Interp& ip) {
  auto m = asyncio::make_ref<ModuleObj>("dataclasses");
  auto& A = m->attrs;
  ip.native_type("_MISSING_TYPE", nullptr, "dataclasses");
  ip.native_type("_KW_ONLY_TYPE", nullptr, "dataclasses");
  ip.native_type("Field", nullptr, "dataclasses");
  auto st = asyncio::make_ref<State>();
  st->missing = make<SentinelObj>(Tag::Native, "_MISSING_TYPE");
  st->kw_only = make<SentinelObj>(Tag::Native, "_KW_ONLY_TYPE");
  Ref<TypeObj> frozen = new_type("FrozenInstanceError", ip.T.AttributeError, "dataclasses");
  frozen->is_exception = true;
  frozen->core = ip.T.AttributeError->core;
  st->frozen_error = Object(Tag::Type, frozen);
  Object state(Tag::Native, st);
  A["MISSING"] = st->missing;
  A["KW_ONLY"] = st->kw_only;
  A["FrozenInstanceError"] = st->frozen_error;
  A["InitVar"] = make<InitVarObj>(Tag::Native);
  A["dataclass"] = ip.builtin("dataclass", b_dataclass, {}, state);
  A["field"] = ip.builtin("field", b_field, {}, state);
  A["Field"] = Object(Tag::Type, ip.native_type("Field"));
  A["fields"] = ip.builtin("fields", [](Interp& ip, BuiltinObj&, CallArgs& a) {
    check_args(ip, "fields", a, 1, 1);
    std::vector<Object> out;
    for (FieldObj* f : fields_of(ip, a.pos[0], true, "must be called with a dataclass type or instance")) out.emplace_back(Tag::Native, f);
    return ip.tuple_obj(std::move(out));
  });
  A["asdict"] = ip.builtin("asdict", b_asdict);
  A["astuple"] = ip.builtin("astuple", b_asdict);
  A["replace"] = ip.builtin("replace", b_replace);
  A["is_dataclass"] = ip.builtin("is_dataclass", [](Interp& ip, BuiltinObj&, CallArgs& a) {
    check_args(ip, "is_dataclass", a, 1, 1);
    Object cls = a.pos[0].is(Tag::Type) ? a.pos[0] : Object(Tag::Type, ip.type_of(a.pos[0]));
    return Object::boolean(!ip.getattr_opt(cls, "__dataclass_fields__").null());
  });
  A["__all__"] = ip.list_obj();
  for (const char* n : {"dataclass", "field", "Field", "FrozenInstanceError", "InitVar", "KW_ONLY", "MISSING", "fields", "asdict",
                        "astuple", "replace", "is_dataclass"})
    A["__all__"].as<ListObj>()->v.push_back(ip.str_obj(n));
  return Object(Tag::Native, m);
}

}  // namespace aiospec::interp
