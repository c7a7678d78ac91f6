// dict: the insertion-ordered table, dict.update and the methods of dict and its views.
#include <fmt/format.h>

#include "../interp.hpp"
#include "method.hpp"

namespace aiospec::interp {

namespace {

// Small tables (instance and class dicts) are scanned and have no hash index: cheaper than building
// and probing one.
constexpr std::size_t kScanEntries = 8;

void reindex(DictObj& d) {
  d.index.clear();
  for (std::size_t i = 0; i < d.entries.size(); ++i)
    if (!d.entries[i].key.null()) d.index.emplace(d.entries[i].hash, static_cast<std::uint32_t>(i));
}

}  // namespace

Object* DictObj::find_str(std::string_view key) {
  const std::uint64_t h = str_hash(key);
  if (entries.size() <= kScanEntries) {
    for (Entry& e : entries)
      if (e.hash == h && e.key.is(Tag::Str) && e.key.as<StrObj>()->s == key) return &e.value;
    return nullptr;
  }
  auto [a, b] = index.equal_range(h);
  for (; a != b; ++a) {
    Entry& e = entries[a->second];
    if (e.key.is(Tag::Str) && e.key.as<StrObj>()->s == key) return &e.value;
  }
  return nullptr;
}

Object* DictObj::find(const Object& key, std::uint64_t h) {
  Interp* ip = current_interp();
  if (entries.size() <= kScanEntries) {
    for (Entry& e : entries)
      if (e.hash == h && !e.key.null() && (e.key.same(key) || ip->eq(e.key, key))) return &e.value;
    return nullptr;
  }
  auto [a, b] = index.equal_range(h);
  for (; a != b; ++a) {
    Entry& e = entries[a->second];
    if (e.key.same(key) || ip->eq(e.key, key)) return &e.value;
  }
  return nullptr;
}

void DictObj::set(const Object& key, std::uint64_t h, Object value) {
  if (Object* v = find(key, h)) {
    *v = std::move(value);
    return;
  }
  entries.push_back(Entry{key, std::move(value), h});
  ++used;
  if (entries.size() == kScanEntries + 1)
    reindex(*this);
  else if (entries.size() > kScanEntries)
    index.emplace(h, static_cast<std::uint32_t>(entries.size() - 1));
}



bool DictObj::erase(const Object& key, std::uint64_t h) {
  Interp* ip = current_interp();
  if (entries.size() <= kScanEntries) {
    for (Entry& e : entries)
      if (e.hash == h && !e.key.null() && (e.key.same(key) || ip->eq(e.key, key))) {
        e.key = Object();
        e.value = Object();
        --used;
        return true;
      }
    return false;
  }
  auto [a, b] = index.equal_range(h);
  for (; a != b; ++a) {
    Entry& e = entries[a->second];
    if (e.key.same(key) || ip->eq(e.key, key)) {
      e.key = Object();
      e.value = Object();
      index.erase(a);
      --used;
      if (entries.size() > 16 && used * 2 < entries.size()) compact();
      return true;
    }
  }
  return false;
}

void DictObj::compact() {
  std::vector<Entry> live;
  live.reserve(used);
  for (auto& e : entries)
    if (!e.key.null()) live.push_back(std::move(e));
  entries = std::move(live);
  index.clear();
  if (entries.size() > kScanEntries) reindex(*this);
}

void DictObj::clear() {
  entries.clear();
  index.clear();
  used = 0;
}

void dict_update(Interp& ip, DictObj& d, CallArgs& a) {
  if (!a.pos.empty()) {
    const Object& src = a.pos[0];
    if (src.is(Tag::Dict)) {
      src.as<DictObj>()->each([&](const Object& k, const Object& v) { d.set(k, ip.hash(k), v); });
    } else {
      for (auto& item : ip.to_vector(src)) {
        std::vector<Object> kv = ip.to_vector(item);
        if (kv.size() != 2)
          ip.raise(ip.T.ValueError, fmt::format("dictionary update sequence element #0 has length {}; 2 is required", kv.size()));
        d.set(kv[0], ip.hash(kv[0]), kv[1]);
      }
    }
  }
  for (auto& [k, v] : a.kw) {
    Object key = ip.str_obj(std::string(k));
    d.set(key, ip.hash(key), v);
  }
}

namespace {
// dict_keys / dict_values / dict_items: live views.
struct DictView final : NativeObj {
  DictView(Object d, int k) : dict(std::move(d)), kind(k) {}
  Object dict;
  int kind;  // 0 keys, 1 values, 2 items
  const char* type_name() const override { return kind == 0 ? "dict_keys" : kind == 1 ? "dict_values" : "dict_items"; }
  std::vector<Object> items(Interp& ip) {
    std::vector<Object> out;
    dict.as<DictObj>()->each([&](const Object& k, const Object& v) {
      out.push_back(kind == 0 ? k : kind == 1 ? v : ip.tuple_obj({k, v}));
    });
    return out;
  }
  std::string repr(Interp& ip) override { return std::string(type_name()) + "(" + ip.repr(ip.list_obj(items(ip))) + ")"; }
  Object getattr(Interp& ip, const Object& self, std::string_view name) override {
    if (name == "__iter__")
      return ip.builtin("__iter__", [](Interp& ip, BuiltinObj& b, CallArgs&) {
        return snapshot_iter(static_cast<DictView*>(b.self.as<NativeObj>())->items(ip));
      }, self);
    if (name == "__len__")
      return ip.builtin("__len__", [](Interp&, BuiltinObj& b, CallArgs&) {
        return Object::integer(static_cast<std::int64_t>(static_cast<DictView*>(b.self.as<NativeObj>())->dict.as<DictObj>()->used));
      }, self);
    return {};
  }
};
}  // namespace

Object dict_method(Interp& ip, const Object& self, std::string_view name) {
  METHOD(get)
    check_args(ip, "get", a, 1, 2);
    Object* v = b.self.as<DictObj>()->find(a.pos[0], ip.hash(a.pos[0]));
    return v ? *v : a.pos.size() == 2 ? a.pos[1] : Object::none();
  END_METHOD
  METHOD(keys)
    (void)ip; (void)a;
    return make<DictView>(Tag::Native, b.self, 0);
  END_METHOD
  METHOD(values)
    (void)ip; (void)a;
    return make<DictView>(Tag::Native, b.self, 1);
  END_METHOD
  METHOD(items)
    (void)ip; (void)a;
    return make<DictView>(Tag::Native, b.self, 2);
  END_METHOD
  METHOD(pop)
    check_args(ip, "pop", a, 1, 2);
    auto* d = b.self.as<DictObj>();
    std::uint64_t h = ip.hash(a.pos[0]);
    if (Object* v = d->find(a.pos[0], h)) {
      Object r = *v;
      d->erase(a.pos[0], h);
      return r;
    }
    if (a.pos.size() == 2) return a.pos[1];
    ip.raise_obj(ip.new_exc(ip.T.KeyError, {a.pos[0]}));
  END_METHOD
  METHOD(popitem)
    auto* d = b.self.as<DictObj>();
    (void)a;
    for (auto it = d->entries.rbegin(); it != d->entries.rend(); ++it)
      if (!it->key.null()) {
        Object k = it->key, v = it->value;
        d->erase(k, it->hash);
        return ip.tuple_obj({k, v});
      }
    ip.raise(ip.T.KeyError, "popitem(): dictionary is empty");
  END_METHOD
  METHOD(setdefault)
    check_args(ip, "setdefault", a, 1, 2);
    auto* d = b.self.as<DictObj>();
    std::uint64_t h = ip.hash(a.pos[0]);
    if (Object* v = d->find(a.pos[0], h)) return *v;
    Object v = a.pos.size() == 2 ? a.pos[1] : Object::none();
    d->set(a.pos[0], h, v);
    return v;
  END_METHOD
  METHOD(update)
    dict_update(ip, *b.self.as<DictObj>(), a);
    return Object::none();
  END_METHOD
  METHOD(clear)
    (void)ip; (void)a;
    b.self.as<DictObj>()->clear();
    return Object::none();
  END_METHOD
  METHOD(copy)
    (void)a;
    Object d = ip.dict_obj();
    b.self.as<DictObj>()->each([&](const Object& k, const Object& v) { d.as<DictObj>()->set(k, ip.hash(k), v); });
    return d;
  END_METHOD
  return {};
}

}  // namespace aiospec::interp
