// The `typing` module (Lib/typing.py), for annotations and aliases: the special forms and generic
// aliases subscript and print as in CPython; the unsubscripted aliases work with isinstance.
#include <fmt/format.h>

#include "../interp.hpp"

namespace aiospec::interp {

namespace {

enum class Form { Alias, Union, Callable, Literal, Special, TypeVar };

struct TypingObj final : NativeObj {
  TypingObj(std::string n, Form k, Object o = {}) : name(std::move(n)), kind(k), origin(std::move(o)) {}
  std::string name;
  Form kind;
  Object origin;              // the class isinstance checks against (Null: none)
  std::vector<Object> args;   // when subscripted
  bool subscripted = false;
  const char* type_name() const override {
    return kind == Form::TypeVar ? "TypeVar" : kind == Form::Special ? "_SpecialForm" : "_GenericAlias";
  }
  std::string repr(Interp& ip) override;
  Object getattr(Interp& ip, const Object& self, std::string_view n) override;
};

TypingObj* as_typing(const Object& o) {
  if (!o.is(Tag::Native)) return nullptr;
  std::string_view t = o.as<NativeObj>()->type_name();
  return t == "TypeVar" || t == "_SpecialForm" || t == "_GenericAlias" ? static_cast<TypingObj*>(o.as<NativeObj>()) : nullptr;
}

// typing._type_repr: classes by qualified name (builtins bare), None as NoneType, ... as is.
std::string type_repr(Interp& ip, const Object& o) {
  if (o.is(Tag::Type)) {
    auto* t = o.as<TypeObj>();
    std::string q = t->qualname.empty() ? t->name : t->qualname;
    return t->module.empty() || t->module == "builtins" ? q : t->module + "." + q;
  }
  if (o.is_none()) return "NoneType";
  if (o.is(Tag::Ellipsis)) return "...";
  if (o.is(Tag::List)) {
    std::string out = "[";
    for (const Object& x : o.as<ListObj>()->v) out += (out.size() > 1 ? ", " : "") + type_repr(ip, x);
    return out + "]";
  }
  return ip.repr(o);
}

std::string TypingObj::repr(Interp& ip) {
  if (kind == Form::TypeVar) return name;
  if (!subscripted) return "typing." + name;
  if (kind == Form::Union && args.size() == 2 && (args[0].is_none() || args[1].is_none()))
    return "typing.Optional[" + type_repr(ip, args[0].is_none() ? args[1] : args[0]) + "]";
  std::string out = "typing." + name + "[";
  for (std::size_t i = 0; i < args.size(); ++i) out += (i ? ", " : "") + (kind == Form::Literal ? ip.repr(args[i]) : type_repr(ip, args[i]));
  return out + "]";
}

bool same_form(Interp& ip, const Object& a, const Object& b) {
  TypingObj *x = as_typing(a), *y = as_typing(b);
  if (!x || !y) return a.same(b) || (!x && !y && ip.eq(a, b));
  if (x->name != y->name || x->args.size() != y->args.size() || x->subscripted != y->subscripted) return false;
  for (std::size_t i = 0; i < x->args.size(); ++i)
    if (!same_form(ip, x->args[i], y->args[i])) return false;
  return true;
}

Object subscript(Interp& ip, TypingObj& f, const Object& key) {
  std::vector<Object> params = key.is(Tag::Tuple) ? key.as<ListObj>()->v : std::vector<Object>{key};
  if (f.subscripted || f.kind == Form::TypeVar) ip.raise(ip.T.TypeError, fmt::format("{} is not a generic class", f.repr(ip)));
  if (f.name == "Optional") {
    if (params.size() != 1) ip.raise(ip.T.TypeError, "typing.Optional requires a single type.");
    params.push_back(Object::none());
  }
  auto out = asyncio::make_ref<TypingObj>(f.name == "Optional" ? "Union" : f.name, f.name == "Optional" ? Form::Union : f.kind, f.origin);
  out->subscripted = true;
  if (out->kind == Form::Union) {  // flattened, without repeats; a single member is itself
    for (const Object& p : params) {
      TypingObj* inner = as_typing(p);
      for (const Object& q : inner && inner->kind == Form::Union && inner->subscripted ? inner->args : std::vector<Object>{p})
        if (std::none_of(out->args.begin(), out->args.end(), [&](const Object& x) { return same_form(ip, x, q); })) out->args.push_back(q);
    }
    if (out->args.size() == 1) return out->args[0];
  } else {
    out->args = std::move(params);
  }
  return Object(Tag::Native, out);
}

Object TypingObj::getattr(Interp& ip, const Object& self, std::string_view n) {
  if (n == "__name__" && kind == Form::TypeVar) return ip.str_obj(name.substr(1));
  if (n == "__origin__" && subscripted) return origin.null() ? Object::none() : origin;
  if (n == "__args__" && subscripted) return ip.tuple_obj(args);
  if (n == "__getitem__")
    return ip.builtin("__getitem__", [](Interp& ip, BuiltinObj& b, CallArgs& a) {
      check_args(ip, "__getitem__", a, 1, 1);
      return subscript(ip, *as_typing(b.self), a.pos[0]);
    }, self);
  if (n == "__eq__")
    return ip.builtin("__eq__", [](Interp& ip, BuiltinObj& b, CallArgs& a) {
      check_args(ip, "__eq__", a, 1, 1);
      return as_typing(a.pos[0]) ? Object::boolean(same_form(ip, b.self, a.pos[0])) : Object();
    }, self);
  if (n == "__instancecheck__")
    return ip.builtin("__instancecheck__", [](Interp& ip, BuiltinObj& b, CallArgs& a) {
      check_args(ip, "__instancecheck__", a, 1, 1);
      TypingObj& f = *as_typing(b.self);
      if (f.subscripted) ip.raise(ip.T.TypeError, "Subscripted generics cannot be used with class and instance checks");
      if (f.origin.null()) ip.raise(ip.T.TypeError, fmt::format("{} cannot be used with isinstance()", f.repr(ip)));
      return Object::boolean(ip.isinstance(a.pos[0], f.origin.as<TypeObj>()));
    }, self);
  return {};
}

Object identity(Interp& ip, BuiltinObj& b, CallArgs& a) {
  check_args(ip, b.name, a, 1, 1);
  return a.pos[0];
}

}  // namespace

Object module_typing(Interp& ip) {
  auto m = asyncio::make_ref<ModuleObj>("typing");
  auto& A = m->attrs;
  auto form = [&](const char* name, Form kind, Object origin = {}) { A[name] = make<TypingObj>(Tag::Native, name, kind, std::move(origin)); };
  Object abc = ip.import_module("collections.abc"), collections = ip.import_module("collections");
  for (const char* n : {"Any", "NoReturn", "Never", "Self", "ClassVar", "Final", "Generic", "Protocol", "Annotated", "TypeAlias"})
    form(n, Form::Special);
  form("Optional", Form::Union);
  form("Union", Form::Union);
  form("Literal", Form::Literal);
  form("Callable", Form::Callable, ip.getattr(abc, "Callable"));
  for (auto [n, t] : {std::pair{"List", ip.T.list}, {"Dict", ip.T.dict}, {"Set", ip.T.set}, {"FrozenSet", ip.T.frozenset},
                      {"Tuple", ip.T.tuple}, {"Type", ip.T.type}})
    form(n, Form::Alias, Object(Tag::Type, t));
  for (auto [n, attr] : {std::pair{"Deque", "deque"}, {"DefaultDict", "defaultdict"}, {"Counter", "Counter"},
                         {"OrderedDict", "OrderedDict"}, {"ChainMap", "ChainMap"}})
    form(n, Form::Alias, ip.getattr(collections, attr));
  for (const char* n : {"Iterable", "Iterator", "AsyncIterable", "AsyncIterator", "Awaitable", "Coroutine", "Generator",
                        "AsyncGenerator", "Sequence", "MutableSequence", "Mapping", "MutableMapping", "Hashable", "Sized",
                        "Collection", "Container", "Reversible"})
    form(n, Form::Alias, ip.getattr(abc, n));
  A["Text"] = Object(Tag::Type, ip.T.str);
  A["TYPE_CHECKING"] = Object::boolean(false);
  A["TypeVar"] = ip.builtin("TypeVar", [](Interp& ip, BuiltinObj&, CallArgs& a) -> Object {
    Object co = a.take_kw("covariant"), contra = a.take_kw("contravariant");
    a.take_kw("bound");
    if (a.pos.empty() || !a.pos[0].is(Tag::Str)) ip.raise(ip.T.TypeError, "TypeVar() missing required argument 'name'");
    std::string sign = !co.null() && ip.truthy(co) ? "+" : !contra.null() && ip.truthy(contra) ? "-" : "~";
    return make<TypingObj>(Tag::Native, sign + a.pos[0].as<StrObj>()->s, Form::TypeVar);
  });
  A["AnyStr"] = make<TypingObj>(Tag::Native, "~AnyStr", Form::TypeVar);
  A["cast"] = ip.builtin("cast", [](Interp& ip, BuiltinObj&, CallArgs& a) {
    check_args(ip, "cast", a, 2, 2);
    return a.pos[1];
  });
  for (const char* n : {"overload", "final", "no_type_check", "runtime_checkable"}) A[n] = ip.builtin(n, identity);
  A["NamedTuple"] = ip.builtin("NamedTuple", [](Interp& ip, BuiltinObj&, CallArgs& a) {
    check_args(ip, "NamedTuple", a, 2, 2);
    std::vector<std::string> fields;
    for (const Object& f : ip.to_vector(a.pos[1])) fields.push_back(ip.str(ip.to_vector(f).at(0)));
    return make_namedtuple(ip, ip.str(a.pos[0]), fields, "__main__");
  });
  return Object(Tag::Native, m);
}

}  // namespace aiospec::interp
