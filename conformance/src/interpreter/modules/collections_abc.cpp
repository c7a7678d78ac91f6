// The `collections.abc` module (Lib/_collections_abc.py): the abstract base classes, for isinstance
// and issubclass. A program's class is a virtual subclass by the ABC's __subclasshook__ (it defines
// the methods, and none of them is None); the interpreter's types by CPython's registrations.
#include <fmt/format.h>

#include <unordered_map>

#include "../interp.hpp"

namespace aiospec::interp {

namespace {

enum Abc : unsigned {
  Hashable, Awaitable, Coroutine, AsyncIterable, AsyncIterator, AsyncGenerator, Iterable, Iterator, Reversible, Generator,
  Sized, Container, Callable, Collection, Set, MutableSet, Mapping, MutableMapping, Sequence, MutableSequence, kAbcs
};

constexpr unsigned bit(Abc a) { return 1u << a; }

struct AbcInfo {
  const char* name;
  unsigned bases;                      // the ABCs it derives from (itself included)
  std::vector<const char*> methods;  // what its __subclasshook__ requires; empty: no hook
};

const AbcInfo& info(Abc a) {
  static const AbcInfo table[kAbcs] = {
      {"Hashable", bit(Hashable), {"__hash__"}},
      {"Awaitable", bit(Awaitable), {"__await__"}},
      {"Coroutine", bit(Coroutine) | bit(Awaitable), {"__await__", "send", "throw", "close"}},
      {"AsyncIterable", bit(AsyncIterable), {"__aiter__"}},
      {"AsyncIterator", bit(AsyncIterator) | bit(AsyncIterable), {"__aiter__", "__anext__"}},
      {"AsyncGenerator", bit(AsyncGenerator) | bit(AsyncIterator) | bit(AsyncIterable), {"__aiter__", "__anext__", "asend", "athrow", "aclose"}},
      {"Iterable", bit(Iterable), {"__iter__"}},
      {"Iterator", bit(Iterator) | bit(Iterable), {"__iter__", "__next__"}},
      {"Reversible", bit(Reversible) | bit(Iterable), {"__reversed__", "__iter__"}},
      {"Generator", bit(Generator) | bit(Iterator) | bit(Iterable), {"__iter__", "__next__", "send", "throw", "close"}},
      {"Sized", bit(Sized), {"__len__"}},
      {"Container", bit(Container), {"__contains__"}},
      {"Callable", bit(Callable), {"__call__"}},
      {"Collection", bit(Collection) | bit(Sized) | bit(Iterable) | bit(Container), {"__len__", "__iter__", "__contains__"}},
      {"Set", bit(Set) | bit(Collection) | bit(Sized) | bit(Iterable) | bit(Container), {}},
      {"MutableSet", bit(MutableSet) | bit(Set) | bit(Collection) | bit(Sized) | bit(Iterable) | bit(Container), {}},
      {"Mapping", bit(Mapping) | bit(Collection) | bit(Sized) | bit(Iterable) | bit(Container), {}},
      {"MutableMapping", bit(MutableMapping) | bit(Mapping) | bit(Collection) | bit(Sized) | bit(Iterable) | bit(Container), {}},
      {"Sequence", bit(Sequence) | bit(Reversible) | bit(Collection) | bit(Sized) | bit(Iterable) | bit(Container), {}},
      {"MutableSequence",
       bit(MutableSequence) | bit(Sequence) | bit(Reversible) | bit(Collection) | bit(Sized) | bit(Iterable) | bit(Container), {}},
  };
  return table[a];
}

// The ABCs each of the interpreter's types is an instance of (recorded from CPython 3.11).
unsigned builtin_abcs(const TypeObj& t) {
  constexpr unsigned seq = bit(Iterable) | bit(Reversible) | bit(Sized) | bit(Container) | bit(Collection) | bit(Sequence);
  constexpr unsigned map = bit(Iterable) | bit(Reversible) | bit(Sized) | bit(Container) | bit(Collection) | bit(Mapping) |
                           bit(MutableMapping);
  constexpr unsigned set = bit(Iterable) | bit(Sized) | bit(Container) | bit(Collection) | bit(Set);
  static const std::unordered_map<std::string_view, unsigned> table = {
      {"str", bit(Hashable) | seq}, {"tuple", bit(Hashable) | seq}, {"range", bit(Hashable) | seq},
      {"list", seq | bit(MutableSequence)}, {"deque", seq | bit(MutableSequence)},
      {"dict", map}, {"defaultdict", map}, {"Counter", map}, {"OrderedDict", map}, {"ChainMap", map & ~bit(Reversible)},
      {"set", set | bit(MutableSet)}, {"frozenset", bit(Hashable) | set}, {"slice", 0},
      {"function", bit(Hashable) | bit(Callable)}, {"builtin_function_or_method", bit(Hashable) | bit(Callable)},
      {"type", bit(Hashable) | bit(Callable)}, {"partial", bit(Hashable) | bit(Callable)},
      {"_lru_cache_wrapper", bit(Hashable) | bit(Callable)},
      {"coroutine", bit(Hashable) | bit(Awaitable) | bit(Coroutine)},
      {"Future", bit(Hashable) | bit(Awaitable) | bit(Iterable)},
      {"iterator", bit(Hashable) | bit(Iterable) | bit(Iterator)},
  };
  for (const TypeObj* c = &t; c; c = c->base.get()) {
    if (auto it = table.find(c->name); it != table.end()) return it->second;
    if (c->module == "itertools") return bit(Hashable) | bit(Iterable) | bit(Iterator);
  }
  return bit(Hashable);
}

Abc abc_of(const TypeObj& t) {
  for (unsigned a = 0; a < kAbcs; ++a)
    if (t.name == info(static_cast<Abc>(a)).name) return static_cast<Abc>(a);
  return kAbcs;
}

bool check(Interp& ip, const TypeObj& abc, const TypeObj& cls) {
  Abc a = abc_of(abc);
  if (Abc sub = abc_of(cls); cls.subclass_check && sub != kAbcs) return (info(sub).bases & bit(a)) != 0;
  if (!cls.user) return (builtin_abcs(cls) & bit(a)) != 0;
  // _check_methods: each method is defined somewhere along the MRO, and not as None. A program's
  // class inherits object's __hash__ (unless a class sets it to None).
  const auto& methods = info(a).methods;
  if (methods.empty()) return false;
  for (const char* m : methods) {
    const Object* v = ip.type_lookup(&cls, m);
    if (v ? v->is_none() : std::string_view(m) != "__hash__") return false;
  }
  return true;
}

}  // namespace

Object module_collections_abc(Interp& ip) {
  auto m = asyncio::make_ref<ModuleObj>("collections.abc");
  for (unsigned a = 0; a < kAbcs; ++a) {
    const char* name = info(static_cast<Abc>(a)).name;
    Ref<TypeObj> t = new_type(name, ip.T.object, "collections.abc");
    t->subclass_check = check;
    t->construct = [](Interp& ip, BuiltinObj& b, CallArgs&) -> Object {
      const auto& methods = info(abc_of(*b.self.as<TypeObj>())).methods;
      std::string names;
      for (const char* n : methods) names += (names.empty() ? "" : ", ") + std::string(n);
      ip.raise(ip.T.TypeError, fmt::format("Can't instantiate abstract class {} with abstract method{} {}", b.self.as<TypeObj>()->name,
                                           methods.size() == 1 ? "" : "s", names));
    };
    m->attrs[name] = Object(Tag::Type, t);
  }
  return Object(Tag::Native, m);
}

}  // namespace aiospec::interp
