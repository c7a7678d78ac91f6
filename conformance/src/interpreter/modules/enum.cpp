// The `enum` module (Lib/enum.py): Enum, IntEnum, StrEnum, ReprEnum, Flag, IntFlag, EnumType, auto,
// unique. EnumType is a metaclass the program cannot name in a class statement: enum.py's
// EnumType.__new__ runs as the classes' __init_subclass__, turning the body's values into members.
// An enum deriving from int, str or float (IntEnum, `class C(str, Enum)`) has that type in its MRO;
// the builtin type's operations apply to the member's value.
#include <fmt/format.h>

#include "../interp.hpp"
#include "../objects/method.hpp"

namespace aiospec::interp {

namespace {

using scenario::BinOpKind;
using scenario::CmpOpKind;

struct AutoObj final : NativeObj {
  const char* type_name() const override { return "auto"; }
  std::string repr(Interp&) override { return "auto(_auto_null)"; }
  Object getattr(Interp&, const Object&, std::string_view) override { return {}; }
};

bool is_auto(const Object& o) { return o.is(Tag::Native) && o.as<NativeObj>()->type_name() == std::string_view("auto"); }

Object* ns_get(const TypeObj* t, std::string_view k) { return t->ns ? t->ns->find_str(k) : nullptr; }
void ns_set(Interp& ip, TypeObj* t, std::string_view k, Object v) { t->ns->set(str_key(ip, k), str_hash(k), std::move(v)); }

// The builtin type an enum mixes in (int, str, float), or null.
TypeObj* mixin_of(Interp& ip, const TypeObj* cls) {
  for (TypeObj* t : cls->mro)
    if (t == ip.T.int_.get() || t == ip.T.str.get() || t == ip.T.float_.get()) return t;
  return nullptr;
}

// Whether `cls` derives from enum's class `name` (Flag, StrEnum).
bool derives(const TypeObj* cls, std::string_view name) {
  for (TypeObj* t : cls->mro)
    if (t->name == name && t->module == "enum") return true;
  return false;
}

bool is_flag(const TypeObj* cls) { return derives(cls, "Flag"); }

Object attr(Interp&, const Object& member, const char* k) {
  auto* in = member.as<InstanceObj>();
  Object* v = in->dict ? in->dict->find_str(k) : nullptr;
  return v ? *v : Object::none();
}

DictObj& member_map(const TypeObj* cls) { return *ns_get(cls, "_member_map_")->as<DictObj>(); }
ListObj& member_names(const TypeObj* cls) { return *ns_get(cls, "_member_names_")->as<ListObj>(); }
bool has_members(const TypeObj* cls) {
  Object* m = ns_get(cls, "_member_names_");
  return m && !m->as<ListObj>()->v.empty();
}

std::vector<Object> members(Interp& ip, const TypeObj* cls) {
  std::vector<Object> out;
  if (!ns_get(cls, "_member_names_")) return out;
  for (const Object& n : member_names(cls).v) out.push_back(*member_map(cls).find(n, ip.hash(n)));
  return out;
}

Object new_member(Interp& ip, TypeObj* cls, Object name, Object value) {
  Object m(Tag::Instance, asyncio::make_ref<InstanceObj>(Ref<TypeObj>(cls)));
  auto& d = m.as<InstanceObj>()->dict;
  d = asyncio::make_ref<DictObj>();
  d->set(ip.str_obj("_value_"), str_hash("_value_"), std::move(value));
  d->set(ip.str_obj("_name_"), str_hash("_name_"), std::move(name));
  return m;
}

// ---- Flag values ----

std::int64_t flag_mask(const TypeObj* cls) { return ns_get(cls, "_flag_mask_")->i(); }

// Flag._missing_: a combination of the members' bits as a pseudo-member named "A|B" (the members in
// definition order; an IntFlag's unknown bits as a number), kept for next time. A Flag (boundary
// STRICT) refuses unknown bits; an IntFlag (KEEP) keeps them.
Object flag_pseudo(Interp& ip, TypeObj* cls, std::int64_t v) {
  Object* cache = ns_get(cls, "_value2member_map_");
  Object key = Object::integer(v);
  if (Object* hit = cache->as<DictObj>()->find(key, ip.hash(key))) return *hit;
  bool keep = mixin_of(ip, cls) != nullptr;  // IntFlag: boundary KEEP; Flag: STRICT
  std::int64_t mask = flag_mask(cls);
  if ((v & ~mask) != 0 && !keep) {
    auto bits = [](std::int64_t x, int width) {
      std::string s;
      for (int i = width - 1; i >= 0; --i) s += ((x >> i) & 1) ? '1' : '0';
      return s;
    };
    int width = 1;
    while ((std::int64_t{1} << width) <= std::max(v, mask)) ++width;
    ip.raise(ip.T.ValueError, fmt::format("{} invalid value {}\n    given 0b0 {}\n  allowed 0b0 {}", ip.repr(Object(Tag::Type, Ref<TypeObj>(cls))), v,
                                          bits(v, width), bits(mask, width)));
  }
  std::string name;
  if (v & mask)
  for (const Object& m : members(ip, cls)) {
    std::int64_t mv = attr(ip, m, "_value_").i();
    if (mv && (v & mv) == mv) name += (name.empty() ? "" : "|") + ip.str(attr(ip, m, "_name_"));
  }
  if (std::int64_t extra = v & ~mask; extra && (v & mask)) name += "|" + int_to_str(extra);
  Object m = new_member(ip, cls, name.empty() ? Object::none() : ip.str_obj(name), key);
  ip.setitem(*cache, key, m);
  return m;
}

// ---- EnumType: the classes' operations ----

TypeObj* cls_of(BuiltinObj& b) { return b.self.as<TypeObj>(); }

Object lookup_value(Interp& ip, TypeObj* cls, const Object& value) {
  Object self(Tag::Type, Ref<TypeObj>(cls));
  if (ip.type_of(value).get() == cls) return value;
  if (Object* v2m = ns_get(cls, "_value2member_map_")) {
    bool hashable = true;
    std::uint64_t h = 0;
    try {
      h = ip.hash(value);
    } catch (const Abort&) {
      throw;
    } catch (...) {
      hashable = false;
    }
    if (hashable)
      if (Object* m = v2m->as<DictObj>()->find(value, h)) return *m;
  }
  for (const Object& m : members(ip, cls))
    if (ip.eq(attr(ip, m, "_value_"), value)) return m;
  if (is_flag(cls) && value.is(Tag::Int)) return flag_pseudo(ip, cls, value.i());
  if (Object missing = ip.getattr_opt(self, "_missing_"); !missing.null()) {
    Object r = ip.call1(missing, value);
    if (ip.isinstance(r, cls)) return r;
    if (!r.is_none())
      ip.raise(ip.T.TypeError, fmt::format("error in {}._missing_: returned {} instead of None or a valid member", cls->name, ip.repr(r)));
  }
  ip.raise(ip.T.ValueError, fmt::format("{} is not a valid {}", ip.repr(value), cls->qualname.empty() ? cls->name : cls->qualname));
}

Object meta_call(Interp& ip, BuiltinObj& b, CallArgs& a) {
  TypeObj* cls = cls_of(b);
  if (a.pos.size() != 1 || !a.kw.empty()) ip.refuse("enum's functional API (calling an Enum class with other than one value)");
  return lookup_value(ip, cls, a.pos[0]);
}

Object meta_getitem(Interp& ip, BuiltinObj& b, CallArgs& a) {
  check_args(ip, "__getitem__", a, 1, 1);
  TypeObj* cls = cls_of(b);
  if (!ns_get(cls, "_member_map_")) ip.raise(ip.T.KeyError, ip.repr(a.pos[0]));
  Object map(Tag::Dict, &member_map(cls));
  return ip.getitem(map, a.pos[0]);
}

Object meta_iter(Interp& ip, BuiltinObj& b, CallArgs& a) {
  check_args(ip, "__iter__", a, 0, 0);
  return snapshot_iter(members(ip, cls_of(b)));
}

Object meta_reversed(Interp& ip, BuiltinObj& b, CallArgs& a) {
  check_args(ip, "__reversed__", a, 0, 0);
  std::vector<Object> m = members(ip, cls_of(b));
  std::reverse(m.begin(), m.end());
  return snapshot_iter(std::move(m));
}

Object meta_len(Interp& ip, BuiltinObj& b, CallArgs& a) {
  check_args(ip, "__len__", a, 0, 0);
  return Object::integer(static_cast<std::int64_t>(members(ip, cls_of(b)).size()));
}

Object meta_contains(Interp& ip, BuiltinObj& b, CallArgs& a) {
  check_args(ip, "__contains__", a, 1, 1);
  TypeObj* cls = cls_of(b);
  const Object& x = a.pos[0];
  Ref<TypeObj> xt = ip.type_of(x);
  if (!xt->meta || xt->meta.get() != cls->meta.get()) {
    ip.warn("DeprecationWarning",
            "in 3.12 __contains__ will no longer raise TypeError, but will return True or\nFalse depending on whether the value is a member or the value of a member");
    ip.raise(ip.T.TypeError, fmt::format("unsupported operand type(s) for 'in': '{}' and 'EnumType'", xt->qualname.empty() ? xt->name : xt->qualname));
  }
  Object name = attr(ip, x, "_name_");
  return Object::boolean(ip.isinstance(x, cls) && !name.is_none() && member_map(cls).find(name, ip.hash(name)));
}

Object meta_repr(Interp& ip, BuiltinObj& b, CallArgs& a) {
  check_args(ip, "__repr__", a, 0, 0);
  TypeObj* cls = cls_of(b);
  return ip.str_obj(fmt::format("<{} '{}'>", is_flag(cls) ? "flag" : "enum", cls->name));
}

Object meta_setattr(Interp& ip, BuiltinObj& b, CallArgs& a) {
  TypeObj* cls = cls_of(b);
  bool del = std::string_view(b.name) == "__delattr__";
  check_args(ip, b.name, a, del ? 1 : 2, del ? 1 : 2);
  const Object& name = a.pos[0];
  if (Object* mm = ns_get(cls, "_member_map_"); mm && mm->as<DictObj>()->find(name, ip.hash(name)))
    ip.raise(ip.T.AttributeError, del ? fmt::format("'{}' cannot delete member {}.", cls->name, ip.repr(name))
                                      : fmt::format("cannot reassign member {}", ip.repr(name)));
  if (del) {
    if (!cls->ns->erase(name, ip.hash(name)))
      ip.raise(ip.T.AttributeError, fmt::format("type object '{}' has no attribute '{}'", cls->name, ip.str(name)));
  } else {
    cls->ns->set(name, ip.hash(name), a.pos[1]);
  }
  return Object::none();
}

Object meta_members(Interp& ip, BuiltinObj& b, CallArgs&) {
  Object out = ip.dict_obj();
  if (Object* mm = ns_get(cls_of(b), "_member_map_"))
    mm->as<DictObj>()->each([&](const Object& k, const Object& v) { ip.setitem(out, k, v); });
  return out;
}

// ---- creating an enum class (EnumType.__new__) ----

bool sunder_or_dunder(std::string_view n) {
  if (n.size() > 4 && n.starts_with("__") && n.ends_with("__")) return true;
  return n.size() > 2 && n.front() == '_' && n.back() == '_' && n[1] != '_' && n[n.size() - 2] != '_';
}

bool descriptor(const Object& v) {
  if (v.is(Tag::Func) || v.is(Tag::Builtin)) return true;
  return v.is(Tag::Native) && (classmethod_func(v) || staticmethod_func(v) || as_property(v) ||
                               std::string_view(v.as<NativeObj>()->type_name()) == "function" ||
                               std::string_view(v.as<NativeObj>()->type_name()) == "property" ||
                               std::string_view(v.as<NativeObj>()->type_name()) == "cached_property");
}

// _generate_next_value_ for auto(): the class's own, else Enum's, StrEnum's or Flag's.
Object next_value(Interp& ip, TypeObj* cls, const std::string& name, std::int64_t count, const std::vector<Object>& last) {
  for (TypeObj* t : cls->mro) {
    Object* g = ns_get(t, "_generate_next_value_");
    if (!g) continue;
    if (g->is(Tag::Func) || staticmethod_func(*g)) {
      CallArgs a;
      a.pos = {ip.str_obj(name), Object::integer(1), Object::integer(count), ip.list_obj(last)};
      return ip.call(staticmethod_func(*g) ? *staticmethod_func(*g) : *g, a);
    }
    break;
  }
  if (mixin_of(ip, cls) == ip.T.str.get()) {
    std::string low;
    for (char c : name) low += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    return ip.str_obj(low);
  }
  if (last.empty()) return Object::integer(1);
  if (is_flag(cls)) {
    std::int64_t high = 0;
    for (const Object& v : last) high = std::max(high, ip.index_arg(v, nullptr));
    int bit = 0;
    while ((std::int64_t{1} << (bit + 1)) <= high) ++bit;
    return Object::integer(std::int64_t{1} << (bit + 1));
  }
  std::vector<Object> sorted = last;
  py_sort(ip, sorted, Object(), false);
  return ip.binop(BinOpKind::Add, sorted.back(), Object::integer(1));
}

Object create_enum(Interp& ip, BuiltinObj& b, CallArgs&) {
  TypeObj* cls = cls_of(b);
  for (std::size_t i = 1; i < cls->mro.size(); ++i)
    if (has_members(cls->mro[i]))
      ip.raise(ip.T.TypeError, fmt::format("<enum '{}'> cannot extend <enum '{}'>", cls->name, cls->mro[i]->name));
  TypeObj* mixin = mixin_of(ip, cls);
  bool flag = is_flag(cls);
  Object names = ip.list_obj(), map = ip.dict_obj(), v2m = ip.dict_obj();
  std::vector<std::pair<Object, Object>> body;
  cls->ns->each([&](const Object& k, const Object& v) {
    std::string_view n = k.as<StrObj>()->s;
    if (!sunder_or_dunder(n) && !descriptor(v)) body.emplace_back(k, v);
  });
  ns_set(ip, cls, "_member_names_", names);
  ns_set(ip, cls, "_member_map_", map);
  ns_set(ip, cls, "_value2member_map_", v2m);
  if (flag) ns_set(ip, cls, "_flag_mask_", Object::integer(0));
  std::vector<Object> last;
  std::int64_t mask = 0;
  for (auto& [name, raw] : body) {
    Object value = is_auto(raw) ? next_value(ip, cls, ip.str(name), static_cast<std::int64_t>(last.size()), last) : raw;
    last.push_back(value);
    std::vector<Object> args = value.is(Tag::Tuple) ? value.as<ListObj>()->v : std::vector<Object>{value};
    Object member_value = value;
    if (mixin) {  // the data type's constructor with the value's arguments (int(*args), str(*args))
      if (derives(cls, "StrEnum") && args.size() == 1 && !args[0].is(Tag::Str))
        ip.raise(ip.T.TypeError, fmt::format("{} is not a string", ip.repr(args[0])));
      CallArgs ca;
      ca.pos = args;
      Object t(Tag::Type, Ref<TypeObj>(mixin));
      member_value = ip.call(t, ca);
    }
    // An alias: a later name for a value a member already has.
    Object canonical;
    for (const Object& m : members(ip, cls))
      if (ip.eq(attr(ip, m, "_value_"), member_value)) canonical = m;
    bool single_bit = !flag || (member_value.is(Tag::Int) && member_value.i() > 0 && (member_value.i() & (member_value.i() - 1)) == 0);
    if (canonical.null() && flag && !single_bit && member_value.is(Tag::Int)) {
      // A multi-bit value is an alias of the combination it names (3.11).
      canonical = new_member(ip, cls, name, member_value);
      ip.setitem(v2m, member_value, canonical);
    }
    if (canonical.null()) {
      canonical = new_member(ip, cls, name, member_value);
      if (Object* init = ip.type_lookup(cls, "__init__"); init && init->is(Tag::Func)) {  // the enum's own __init__(*args)
        CallArgs ia;
        ia.pos = args;
        ia.pos.insert(ia.pos.begin(), canonical);
        ip.call(*init, ia);
      }
      names.as<ListObj>()->v.push_back(name);
      try {
        ip.setitem(v2m, member_value, canonical);
      } catch (const Abort&) {
        throw;
      } catch (...) {  // an unhashable value is found by the linear search
      }
      if (flag && member_value.is(Tag::Int)) mask |= member_value.i();
    }
    ip.setitem(map, name, canonical);
    cls->ns->set(name, ip.hash(name), canonical);
  }
  if (flag) ns_set(ip, cls, "_flag_mask_", Object::integer(mask));
  return Object::none();
}

// ---- the members' methods ----

Object m_name(Interp& ip, BuiltinObj& b, CallArgs&) { return attr(ip, b.self, "_name_"); }
Object m_value(Interp& ip, BuiltinObj& b, CallArgs&) { return attr(ip, b.self, "_value_"); }

Object m_repr(Interp& ip, BuiltinObj& b, CallArgs& a) {
  check_args(ip, "__repr__", a, 0, 0);
  Ref<TypeObj> cls = ip.type_of(b.self);
  Object name = attr(ip, b.self, "_name_");
  std::string v = ip.repr(attr(ip, b.self, "_value_"));
  if (name.is_none()) return ip.str_obj(fmt::format("<{}: {}>", cls->name, v));
  return ip.str_obj(fmt::format("<{}.{}: {}>", cls->name, ip.str(name), v));
}

Object m_str(Interp& ip, BuiltinObj& b, CallArgs& a) {
  check_args(ip, "__str__", a, 0, 0);
  Ref<TypeObj> cls = ip.type_of(b.self);
  Object name = attr(ip, b.self, "_name_");
  if (name.is_none()) return ip.str_obj(fmt::format("{}({})", cls->name, ip.repr(attr(ip, b.self, "_value_"))));
  return ip.str_obj(fmt::format("{}.{}", cls->name, ip.str(name)));
}

Object m_format(Interp& ip, BuiltinObj& b, CallArgs& a) {
  check_args(ip, "__format__", a, 1, 1);
  return ip.str_obj(ip.format(ip.str_obj(ip.str(b.self)), ip.str(a.pos[0])));
}

Object m_hash(Interp& ip, BuiltinObj& b, CallArgs& a) {
  check_args(ip, "__hash__", a, 0, 0);
  return Object::integer(static_cast<std::int64_t>(ip.hash(attr(ip, b.self, "_name_"))));
}

// ReprEnum's __str__ and __format__: the data type's, on the value.
Object m_value_str(Interp& ip, BuiltinObj& b, CallArgs& a) {
  check_args(ip, "__str__", a, 0, 0);
  return ip.str_obj(ip.str(attr(ip, b.self, "_value_")));
}
Object m_value_format(Interp& ip, BuiltinObj& b, CallArgs& a) {
  check_args(ip, "__format__", a, 1, 1);
  return ip.str_obj(ip.format(attr(ip, b.self, "_value_"), ip.str(a.pos[0])));
}

// Flag's operators: members and ints combine into the class's (pseudo-)members.
Object f_binop(Interp& ip, BuiltinObj& b, CallArgs& a) {
  check_args(ip, b.name, a, 1, 1);
  Ref<TypeObj> cls = ip.type_of(b.self);
  const Object& other = a.pos[0];
  bool int_ok = mixin_of(ip, cls.get()) != nullptr && other.is(Tag::Int);
  if (!ip.isinstance(other, cls.get()) && !int_ok) return ip.not_implemented;
  std::int64_t x = attr(ip, b.self, "_value_").i(), y = int_ok ? other.i() : attr(ip, other, "_value_").i();
  std::string_view op = b.name;
  std::int64_t r = op == "__or__" || op == "__ror__" ? (x | y) : op == "__and__" || op == "__rand__" ? (x & y) : (x ^ y);
  return lookup_value(ip, cls.get(), Object::integer(r));
}

Object f_invert(Interp& ip, BuiltinObj& b, CallArgs& a) {
  check_args(ip, "__invert__", a, 0, 0);
  Ref<TypeObj> cls = ip.type_of(b.self);
  std::int64_t v = attr(ip, b.self, "_value_").i(), mask = flag_mask(cls.get());
  if (!mixin_of(ip, cls.get())) return lookup_value(ip, cls.get(), Object::integer(mask & ~v));
  // IntFlag (boundary KEEP): ~v, negative, taken modulo the next power of two above the members' bits.
  std::int64_t all_bits = 1;
  while (all_bits <= mask) all_bits <<= 1;
  return lookup_value(ip, cls.get(), Object::integer(all_bits + ~v));
}

std::vector<Object> flag_members(Interp& ip, const Object& self) {
  std::int64_t v = attr(ip, self, "_value_").i();
  std::vector<Object> out;
  for (const Object& m : members(ip, ip.type_of(self).get())) {
    std::int64_t mv = attr(ip, m, "_value_").i();
    if (mv && (v & mv) == mv) out.push_back(m);
  }
  return out;
}

Object f_contains(Interp& ip, BuiltinObj& b, CallArgs& a) {
  check_args(ip, "__contains__", a, 1, 1);
  Ref<TypeObj> cls = ip.type_of(b.self);
  if (!ip.isinstance(a.pos[0], cls.get()))
    ip.raise(ip.T.TypeError, fmt::format("unsupported operand type(s) for 'in': '{}' and '{}'", ip.type_of(a.pos[0])->name, cls->name));
  std::int64_t o = attr(ip, a.pos[0], "_value_").i();
  return Object::boolean((attr(ip, b.self, "_value_").i() & o) == o);
}
Object f_iter(Interp& ip, BuiltinObj& b, CallArgs&) { return snapshot_iter(flag_members(ip, b.self)); }
Object f_len(Interp& ip, BuiltinObj& b, CallArgs&) { return Object::integer(static_cast<std::int64_t>(flag_members(ip, b.self).size())); }
Object f_bool(Interp& ip, BuiltinObj& b, CallArgs&) { return Object::boolean(attr(ip, b.self, "_value_").i() != 0); }

// The operations of int, str and float on a member's value (the data type in an enum's MRO).
Object mixin_op(Interp& ip, BuiltinObj& b, CallArgs& a) {
  std::string_view n = b.name;
  Object self = builtin_value(ip, b.self);
  static constexpr std::pair<const char*, CmpOpKind> cmps[] = {{"__eq__", CmpOpKind::Eq}, {"__ne__", CmpOpKind::NotEq},
                                                               {"__lt__", CmpOpKind::Lt}, {"__le__", CmpOpKind::LtE},
                                                               {"__gt__", CmpOpKind::Gt}, {"__ge__", CmpOpKind::GtE}};
  for (auto& [k, op] : cmps)
    if (n == k) {
      check_args(ip, b.name, a, 1, 1);
      return Object::boolean(ip.compare(op, self, builtin_value(ip, a.pos[0])));
    }
  static constexpr std::pair<const char*, BinOpKind> ops[] = {
      {"add", BinOpKind::Add},   {"sub", BinOpKind::Sub},       {"mul", BinOpKind::Mult},   {"truediv", BinOpKind::Div},
      {"floordiv", BinOpKind::FloorDiv}, {"mod", BinOpKind::Mod}, {"pow", BinOpKind::Pow},   {"and", BinOpKind::BitAnd},
      {"or", BinOpKind::BitOr},  {"xor", BinOpKind::BitXor},    {"lshift", BinOpKind::LShift}, {"rshift", BinOpKind::RShift}};
  for (auto& [k, op] : ops) {
    bool reflected = n.size() > 3 && n[2] == 'r' && n.substr(3, n.size() - 5) == k;
    if (n.substr(2, n.size() - 4) == k || reflected) {
      check_args(ip, b.name, a, 1, 1);
      Object other = builtin_value(ip, a.pos[0]);
      return reflected ? ip.binop(op, other, self) : ip.binop(op, self, other);
    }
  }
  if (n == "__hash__") return Object::integer(static_cast<std::int64_t>(ip.hash(self)));
  if (n == "__neg__") return ip.unary(scenario::UnaryOpKind::Neg, self);
  if (n == "__pos__") return ip.unary(scenario::UnaryOpKind::Pos, self);
  if (n == "__invert__") return ip.unary(scenario::UnaryOpKind::Invert, self);
  if (n == "__abs__") return ip.call1(ip.builtins.find("abs")->second, self);
  if (n == "__bool__") return Object::boolean(ip.truthy(self));
  if (n == "__len__") return Object::integer(ip.len(self));
  if (n == "__iter__") return ip.iter(self);
  if (n == "__contains__") return Object::boolean(ip.contains(self, builtin_value(ip, a.pos.at(0))));
  if (n == "__getitem__") return ip.getitem(self, a.pos.at(0));
  // __getattr__: the data type's other methods (str.upper...), on the value.
  return ip.getattr(self, ip.str(a.pos.at(0)));
}

constexpr const char* kMixinOps[] = {
    "__eq__", "__ne__", "__lt__", "__le__", "__gt__", "__ge__", "__hash__", "__add__", "__radd__", "__sub__", "__rsub__",
    "__mul__", "__rmul__", "__truediv__", "__rtruediv__", "__floordiv__", "__rfloordiv__", "__mod__", "__rmod__", "__pow__",
    "__rpow__", "__and__", "__rand__", "__or__", "__ror__", "__xor__", "__rxor__", "__lshift__", "__rlshift__", "__rshift__",
    "__rrshift__", "__neg__", "__pos__", "__invert__", "__abs__", "__bool__", "__len__", "__iter__", "__contains__",
    "__getitem__", "__getattr__"};

struct Def {
  const char* name;
  Fn fn;
  bool property = false;
};

Ref<TypeObj> enum_class(Interp& ip, const char* name, std::vector<Ref<TypeObj>> bases, const Ref<TypeObj>& meta, std::initializer_list<Def> defs) {
  auto t = asyncio::make_ref<TypeObj>();
  t->name = t->qualname = name;
  t->module = "enum";
  t->user = true;
  t->base = bases[0];
  t->meta = meta;
  t->mro = c3_mro(ip, t.get(), bases);
  t->bases = std::move(bases);
  t->ns = asyncio::make_ref<DictObj>();
  for (const Def& d : defs) ns_set(ip, t.get(), d.name, native_function(ip, std::string(name) + "." + d.name, d.fn, {}, d.property));
  ns_set(ip, t.get(), "__module__", ip.str_obj("enum"));
  ns_set(ip, t.get(), "__qualname__", ip.str_obj(name));
  return t;
}

}  // namespace

Object builtin_value(Interp& ip, const Object& o) {
  if (!o.is(Tag::Instance) || !mixin_of(ip, o.as<InstanceObj>()->cls.get())) return o;
  Object v = attr(ip, o, "_value_");
  return v.is(Tag::Instance) ? o : v;
}

Object module_enum(Interp& ip) {
  auto m = asyncio::make_ref<ModuleObj>("enum");
  auto& A = m->attrs;
  // int, str and float in an enum's MRO carry their operations for its members.
  for (const Ref<TypeObj>& t : {ip.T.int_, ip.T.str, ip.T.float_}) {
    if (!t->ns) t->ns = asyncio::make_ref<DictObj>();
    for (const char* op : kMixinOps)
      if (!t->ns->find_str(op)) ns_set(ip, t.get(), op, native_function(ip, t->name + "." + op, mixin_op));
  }
  Ref<TypeObj> meta = enum_class(ip, "EnumType", {ip.T.type}, nullptr,
                                 {{"__call__", meta_call}, {"__getitem__", meta_getitem}, {"__iter__", meta_iter},
                                  {"__reversed__", meta_reversed}, {"__len__", meta_len}, {"__contains__", meta_contains},
                                  {"__repr__", meta_repr}, {"__setattr__", meta_setattr}, {"__delattr__", meta_setattr},
                                  {"__members__", meta_members, true}});
  Ref<TypeObj> e = enum_class(ip, "Enum", {ip.T.object}, meta,
                              {{"__repr__", m_repr}, {"__str__", m_str}, {"__format__", m_format}, {"__hash__", m_hash},
                               {"name", m_name, true}, {"value", m_value, true}, {"__init_subclass__", create_enum}});
  auto repr_enum_defs = {Def{"__str__", m_value_str}, Def{"__format__", m_value_format}};
  Ref<TypeObj> repr_enum = enum_class(ip, "ReprEnum", {e}, meta, repr_enum_defs);
  Ref<TypeObj> int_enum = enum_class(ip, "IntEnum", {ip.T.int_, repr_enum}, meta, {});
  Ref<TypeObj> str_enum = enum_class(ip, "StrEnum", {ip.T.str, repr_enum}, meta, {});
  auto flag_defs = {Def{"__or__", f_binop},   Def{"__ror__", f_binop},     Def{"__and__", f_binop}, Def{"__rand__", f_binop},
                    Def{"__xor__", f_binop},  Def{"__rxor__", f_binop},    Def{"__invert__", f_invert},
                    Def{"__contains__", f_contains}, Def{"__iter__", f_iter}, Def{"__len__", f_len}, Def{"__bool__", f_bool}};
  Ref<TypeObj> flag = enum_class(ip, "Flag", {e}, meta, flag_defs);
  Ref<TypeObj> int_flag = enum_class(ip, "IntFlag", {ip.T.int_, repr_enum, flag}, meta, flag_defs);
  for (auto& [n, t] : {std::pair{"EnumType", meta}, std::pair{"EnumMeta", meta}, std::pair{"Enum", e}, std::pair{"ReprEnum", repr_enum},
                       std::pair{"IntEnum", int_enum}, std::pair{"StrEnum", str_enum}, std::pair{"Flag", flag}, std::pair{"IntFlag", int_flag}})
    A[n] = Object(Tag::Type, t);
  ip.native_type("auto", nullptr, "enum");
  A["auto"] = ip.builtin("auto", [](Interp& ip, BuiltinObj&, CallArgs& a) {
    check_args(ip, "auto", a, 0, 0);
    return make<AutoObj>(Tag::Native);
  });
  A["unique"] = ip.builtin("unique", [](Interp& ip, BuiltinObj&, CallArgs& a) {
    check_args(ip, "unique", a, 1, 1);
    const Object& cls = a.pos[0];
    if (!cls.is(Tag::Type) || !ns_get(cls.as<TypeObj>(), "_member_map_")) ip.raise(ip.T.TypeError, "unique() needs an enum class");
    std::vector<std::string> dups;
    member_map(cls.as<TypeObj>()).each([&](const Object& k, const Object& v) {
      Object canonical = attr(ip, v, "_name_");
      if (!ip.eq(canonical, k)) dups.push_back(ip.str(k) + " -> " + ip.str(canonical));
    });
    if (!dups.empty()) {
      std::string list = dups[0];
      for (std::size_t i = 1; i < dups.size(); ++i) list += ", " + dups[i];
      ip.raise(ip.T.ValueError, fmt::format("duplicate values found in {}: {}", ip.repr(cls), list));
    }
    return cls;
  });
  return Object(Tag::Native, m);
}

}  // namespace aiospec::interp
