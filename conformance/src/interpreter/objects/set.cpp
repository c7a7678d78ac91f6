// Containers, hashing helpers and float/str reprs.
#include <charconv>
#include <cmath>
#include <cstdio>
#include <cstring>

#include "interp.hpp"

namespace aiospec::interp {

std::int64_t StrObj::length() {
  if (len_ < 0) {
    std::int64_t n = 0;
    for (unsigned char c : s) n += (c & 0xC0) != 0x80;
    len_ = n;
  }
  return len_;
}

bool StrObj::ascii() { return length() == static_cast<std::int64_t>(s.size()); }

Object CallArgs::take_kw(std::string_view name) {
  for (auto it = kw.begin(); it != kw.end(); ++it)
    if (it->first == name) {
      Object v = std::move(it->second);
      kw.erase(it);
      return v;
    }
  return {};
}

// --- dict ---

Object* DictObj::find(const Object& key, std::uint64_t h) {
  auto [a, b] = index.equal_range(h);
  Interp* ip = current_interp();
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
  index.emplace(h, static_cast<std::uint32_t>(entries.size()));
  entries.push_back(Entry{key, std::move(value), h});
  ++used;
}

bool DictObj::erase(const Object& key, std::uint64_t h) {
  auto [a, b] = index.equal_range(h);
  Interp* ip = current_interp();
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
  index.clear();
  for (auto& e : entries)
    if (!e.key.null()) {
      index.emplace(e.hash, static_cast<std::uint32_t>(live.size()));
      live.push_back(std::move(e));
    }
  entries = std::move(live);
}

void DictObj::clear() {
  entries.clear();
  index.clear();
  used = 0;
}

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

std::int64_t RangeObj::length() const {
  if (step > 0) return start < stop ? (stop - start - 1) / step + 1 : 0;
  return start > stop ? (start - stop - 1) / (-step) + 1 : 0;
}

// --- reprs ---

std::string int_to_str(std::int64_t v) {
  char buf[24];
  auto r = std::to_chars(buf, buf + sizeof buf, v);
  return std::string(buf, r.ptr);
}

// float_repr_style 'short' (Python/pystrtod.c: format_float_short with 'r'): the shortest digits
// that round-trip; exponent form when the decimal point lies before -4 or after 16 digits.
std::string float_repr(double d) {
  if (std::isnan(d)) return "nan";
  if (std::isinf(d)) return d > 0 ? "inf" : "-inf";
  if (d == 0) return std::signbit(d) ? "-0.0" : "0.0";
  char buf[64];
  auto r = std::to_chars(buf, buf + sizeof buf, d, std::chars_format::scientific);
  std::string s(buf, r.ptr);
  std::string sign;
  if (s[0] == '-') {
    sign = "-";
    s.erase(0, 1);
  }
  auto epos = s.find('e');
  int exp = std::atoi(s.c_str() + epos + 1);
  std::string digits;
  for (std::size_t k = 0; k < epos; ++k)
    if (s[k] != '.') digits += s[k];
  int decpt = exp + 1;  // digits d1d2... represent 0.d1d2... * 10^decpt
  std::string out;
  if (decpt <= -4 || decpt > 16) {
    out = digits.substr(0, 1);
    if (digits.size() > 1) out += "." + digits.substr(1);
    char eb[16];
    std::snprintf(eb, sizeof eb, "e%c%02d", exp < 0 ? '-' : '+', std::abs(exp));
    out += eb;
  } else if (decpt <= 0) {
    out = "0." + std::string(-decpt, '0') + digits;
  } else if (static_cast<std::size_t>(decpt) >= digits.size()) {
    out = digits + std::string(decpt - digits.size(), '0') + ".0";
  } else {
    out = digits.substr(0, decpt) + "." + digits.substr(decpt);
  }
  return sign + out;
}

std::string str_repr(std::string_view s) {
  bool sq = s.find('\'') != std::string_view::npos, dq = s.find('"') != std::string_view::npos;
  char q = (sq && !dq) ? '"' : '\'';
  std::string out(1, q);
  for (std::size_t i = 0; i < s.size(); ++i) {
    unsigned char c = s[i];
    if (c == q || c == '\\') {
      out += '\\';
      out += static_cast<char>(c);
    } else if (c == '\n') {
      out += "\\n";
    } else if (c == '\r') {
      out += "\\r";
    } else if (c == '\t') {
      out += "\\t";
    } else if (c < 0x20 || c == 0x7f) {
      char b[8];
      std::snprintf(b, sizeof b, "\\x%02x", c);
      out += b;
    } else {
      out += static_cast<char>(c);
    }
  }
  out += q;
  return out;
}

template <class Base>
const char* PyException<Base>::module_name() const noexcept {
  const std::string& m = obj->cls->module;
  return m == "__main__" ? "" : m.c_str();
}
template <class Base>
std::string PyException<Base>::str() const {
  return current_interp()->exc_str(*obj);
}
template <class Base>
std::string PyException<Base>::repr() const {
  return current_interp()->exc_repr(*obj);
}

template class PyException<asyncio::BaseException>;
template class PyException<asyncio::Exception>;
template class PyException<asyncio::CancelledError>;
template class PyException<asyncio::RuntimeError>;
template class PyException<asyncio::ValueError>;
template class PyException<asyncio::TypeError>;
template class PyException<asyncio::OSError>;
template class PyException<asyncio::TimeoutError>;
template class PyException<asyncio::InvalidStateError>;
template class PyException<asyncio::QueueEmpty>;
template class PyException<asyncio::QueueFull>;
template class PyException<asyncio::BrokenBarrierError>;
template class PyException<asyncio::KeyboardInterrupt>;
template class PyException<asyncio::SystemExit>;
template class PyException<asyncio::GeneratorExit>;
template class PyException<asyncio::BaseExceptionGroup>;
template class PyException<asyncio::ExceptionGroup>;

}  // namespace aiospec::interp
