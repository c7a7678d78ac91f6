// set and frozenset: CPython's open-addressing table (Objects/setobject.c) and their methods.
#include <fmt/format.h>

#include "../interp.hpp"
#include "method.hpp"

namespace aiospec::interp {

// --- set (Objects/setobject.c) ---

namespace {
constexpr std::size_t kLinearProbes = 9;
constexpr int kPerturbShift = 5;
constexpr std::uint64_t kDummyHash = ~std::uint64_t(0);  // CPython's -1
}  // namespace

long SetObj::lookup(const Object& key, std::uint64_t h) const {
  const std::size_t mask = table.size() - 1;
  std::size_t i = h & mask;
  std::uint64_t perturb = h;
  Interp* ip = current_interp();
  while (true) {
    std::size_t probes = (i + kLinearProbes <= mask) ? kLinearProbes : 0;
    for (std::size_t j = i;; ++j) {
      const Slot& s = table[j];
      if (s.key.null() && !s.dummy) return -1;
      if (!s.dummy && s.hash == h && (s.key.same(key) || ip->eq(s.key, key))) return static_cast<long>(j);
      if (probes-- == 0) break;
    }
    perturb >>= kPerturbShift;
    i = (i * 5 + 1 + perturb) & mask;
  }
}

bool SetObj::contains(const Object& key, std::uint64_t h) const { return lookup(key, h) >= 0; }

void SetObj::add(const Object& key, std::uint64_t h) {
  const std::size_t mask = table.size() - 1;
  std::size_t i = h & mask;
  std::uint64_t perturb = h;
  Slot* freeslot = nullptr;
  Interp* ip = current_interp();
  while (true) {
    std::size_t probes = (i + kLinearProbes <= mask) ? kLinearProbes : 0;
    for (std::size_t j = i;; ++j) {
      Slot& s = table[j];
      if (s.key.null() && !s.dummy) {
        if (freeslot) {
          freeslot->key = key;
          freeslot->hash = h;
          freeslot->dummy = false;
          ++used;
          return;
        }
        s.key = key;
        s.hash = h;
        ++fill;
        ++used;
        if (fill * 5 >= mask * 3) resize(used > 50000 ? used * 2 : used * 4);
        return;
      }
      if (s.dummy) {
        if (!freeslot) freeslot = &s;
      } else if (s.hash == h && (s.key.same(key) || ip->eq(s.key, key))) {
        return;
      }
      if (probes-- == 0) break;
    }
    perturb >>= kPerturbShift;
    i = (i * 5 + 1 + perturb) & mask;
  }
}

void SetObj::insert_clean(Object key, std::uint64_t h) {
  const std::size_t mask = table.size() - 1;
  std::size_t i = h & mask;
  std::uint64_t perturb = h;
  while (true) {
    if (table[i].key.null()) break;
    bool found = false;
    if (i + kLinearProbes <= mask) {
      for (std::size_t j = 1; j <= kLinearProbes; ++j)
        if (table[i + j].key.null()) {
          i += j;
          found = true;
          break;
        }
    }
    if (found) break;
    perturb >>= kPerturbShift;
    i = (i * 5 + 1 + perturb) & mask;
  }
  table[i].key = std::move(key);
  table[i].hash = h;
}

void SetObj::resize(std::size_t minused) {
  std::size_t newsize = 8;
  while (newsize <= minused) newsize <<= 1;
  std::vector<Slot> old = std::move(table);
  table = std::vector<Slot>(newsize);
  fill = used;
  for (auto& s : old)
    if (!s.key.null()) insert_clean(std::move(s.key), s.hash);
}

bool SetObj::discard(const Object& key, std::uint64_t h) {
  long i = lookup(key, h);
  if (i < 0) return false;
  table[i].key = Object();
  table[i].hash = kDummyHash;
  table[i].dummy = true;
  --used;
  return true;
}

void SetObj::clear() {
  table = std::vector<Slot>(8);
  fill = used = 0;
}

Object build_set(Interp& ip, CallArgs& a, const char* name, bool frozen) {
  check_args(ip, name, a, 0, 1);
  Object s = ip.set_obj();
  s.as<SetObj>()->frozen = frozen;
  if (!a.pos.empty())
    for (auto& x : ip.to_vector(a.pos[0])) s.as<SetObj>()->add(x, ip.hash(x));
  return s;
}

Object set_method(Interp& ip, const Object& self, std::string_view name) {
  METHOD(add)
    check_args(ip, "set.add", a, 1, 1);
    b.self.as<SetObj>()->add(a.pos[0], ip.hash(a.pos[0]));
    return Object::none();
  END_METHOD
  METHOD(remove)
    check_args(ip, "set.remove", a, 1, 1);
    if (!b.self.as<SetObj>()->discard(a.pos[0], ip.hash(a.pos[0]))) ip.raise_obj(ip.new_exc(ip.T.KeyError, {a.pos[0]}));
    return Object::none();
  END_METHOD
  METHOD(discard)
    check_args(ip, "set.discard", a, 1, 1);
    b.self.as<SetObj>()->discard(a.pos[0], ip.hash(a.pos[0]));
    return Object::none();
  END_METHOD
  METHOD(pop)
    (void)a;
    auto* s = b.self.as<SetObj>();
    if (s->used == 0) ip.raise(ip.T.KeyError, "pop from an empty set");
    // setobject.c: set_pop scans from the finger.
    std::size_t mask = s->table.size() - 1, i = s->finger & mask;
    while (s->table[i].key.null()) i = (i + 1) & mask;
    Object k = s->table[i].key;
    s->discard(k, s->table[i].hash);
    s->finger = i + 1;
    return k;
  END_METHOD
  METHOD(clear)
    (void)ip; (void)a;
    b.self.as<SetObj>()->clear();
    return Object::none();
  END_METHOD
  METHOD(copy)
    (void)a;
    Object out = ip.set_obj();
    b.self.as<SetObj>()->each([&](const Object& k) { out.as<SetObj>()->add(k, ip.hash(k)); });
    return out;
  END_METHOD
  METHOD(update)
    for (auto& src : a.pos)
      for (auto& x : ip.to_vector(src)) b.self.as<SetObj>()->add(x, ip.hash(x));
    return Object::none();
  END_METHOD
  if (name == "union" || name == "intersection" || name == "difference" || name == "symmetric_difference") {
    Fn fn = [](Interp& ip, BuiltinObj& b, CallArgs& a) {
      using scenario::BinOpKind;
      std::string_view n = b.name;
      BinOpKind op = n == "union" ? BinOpKind::BitOr : n == "intersection" ? BinOpKind::BitAnd : n == "difference" ? BinOpKind::Sub : BinOpKind::BitXor;
      Object acc = b.self;
      if (a.pos.empty()) acc = ip.binop(BinOpKind::BitOr, acc, ip.set_obj());
      for (auto& other : a.pos) {
        CallArgs ca;
        ca.pos.push_back(other);
        BuiltinObj dummy("set", nullptr);
        acc = ip.binop(op, acc, build_set(ip, ca, "set", false));
      }
      return acc;
    };
    static const char* names[] = {"union", "intersection", "difference", "symmetric_difference"};
    const char* nm = nullptr;
    for (auto* n : names)
      if (name == n) nm = n;
    return ip.builtin(nm, fn, self);
  }
  if (name == "issubset" || name == "issuperset" || name == "isdisjoint") {
    Fn fn = [](Interp& ip, BuiltinObj& b, CallArgs& a) {
      check_args(ip, b.name, a, 1, 1);
      CallArgs ca;
      ca.pos.push_back(a.pos[0]);
      Object other = build_set(ip, ca, "set", false);
      std::string_view n = b.name;
      auto* x = b.self.as<SetObj>();
      auto* y = other.as<SetObj>();
      bool r = true;
      if (n == "issubset") x->each([&](const Object& k) { r = r && y->contains(k, ip.hash(k)); });
      else if (n == "issuperset") y->each([&](const Object& k) { r = r && x->contains(k, ip.hash(k)); });
      else x->each([&](const Object& k) { r = r && !y->contains(k, ip.hash(k)); });
      return Object::boolean(r);
    };
    return ip.builtin(name == "issubset" ? "issubset" : name == "issuperset" ? "issuperset" : "isdisjoint", fn, self);
  }
  return {};
}

}  // namespace aiospec::interp
