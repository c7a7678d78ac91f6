// The `selectors` module (Lib/selectors.py) on the program's network: SelectSelector, PollSelector and
// EpollSelector (DefaultSelector) register descriptors there and select() as EpollSelector does
// (events in the order the network reports them, masked by the registered ones). A select() that
// waits lets the virtual clock run to the network's next delivery or the timeout, as a thread blocked
// in epoll_wait would; one that could only wait for ever stops the program with that verdict.
#include <fmt/format.h>
#include <sys/socket.h>

#include <utility>

#include "asyncio/network.hpp"
#include "asyncio_io.hpp"

namespace aiospec::interp {

namespace {

constexpr int kRead = 1, kWrite = 2;

struct SelectorObj final : NativeObj {
  SelectorObj(const char* k, Object key_type) : kind(k), key_cls(std::move(key_type)) {}
  ~SelectorObj() override {
    if (epoll_fd >= 0 && network) network->close(epoll_fd);
  }
  const char* kind;
  // EpollSelector's own descriptor (epoll_create1), as numbered on the program's network.
  int epoll_fd = -1;
  std::shared_ptr<asyncio::Network> network;
  Object key_cls;                       // selectors.SelectorKey
  std::vector<std::pair<int, Object>> keys;  // fd → SelectorKey, in registration order
  bool closed = false;
  const char* type_name() const override { return kind; }
  std::string repr(Interp&) override { return fmt::format("<selectors.{} object at 0x...>", kind); }
  Object getattr(Interp& ip, const Object& self, std::string_view name) override;
  Object* find(int fd) {
    for (auto& [k, v] : keys)
      if (k == fd) return &v;
    return nullptr;
  }
};

unsigned interest(int events) { return (events & kRead ? asyncio::kEventRead : 0u) | (events & kWrite ? asyncio::kEventWrite : 0u); }

Object make_key(Interp& ip, SelectorObj& s, const Object& fileobj, int fd, int events, const Object& data) {
  CallArgs a;
  a.pos = {fileobj, Object::integer(fd), Object::integer(events), data};
  return ip.call(s.key_cls, a);
}

int events_arg(Interp& ip, const Object& e) {
  const std::int64_t events = ip.index_arg(e, nullptr);
  if (!events || (events & ~(kRead | kWrite))) ip.raise(ip.T.ValueError, fmt::format("Invalid events: {}", ip.repr(e)));
  return static_cast<int>(events);
}

void set_interest(Interp& ip, int fd, unsigned events) {
  if (const int rc = ip.network()->modify(fd, events); rc < 0) asyncio::raise_os_error(-rc);
}

SelectorObj& sel_of(BuiltinObj& b) { return *static_cast<SelectorObj*>(b.self.as<NativeObj>()); }

Object select(Interp& ip, SelectorObj& s, std::optional<double> timeout) {
  auto& net = *ip.network();
  std::optional<asyncio::Nanos> deadline;
  if (timeout) deadline = ip.program_clock->peek() + asyncio::seconds_to_nanos(std::max(0.0, *timeout));
  std::vector<asyncio::IoEvent> events;
  for (;;) {
    events.clear();
    net.select(0, events);
    std::vector<Object> out;
    for (const asyncio::IoEvent& e : events) {
      Object* key = s.find(e.fd);
      if (!key) continue;
      const int registered = static_cast<int>(ip.getitem(*key, Object::integer(2)).i());
      const int ready = ((e.readable ? kRead : 0) | (e.writable ? kWrite : 0)) & registered;
      if (ready) out.push_back(ip.tuple_obj({*key, Object::integer(ready)}));
    }
    if (!out.empty() || (timeout && *timeout <= 0)) return ip.list_obj(std::move(out));
    if (!wait_on_network(ip, deadline, fmt::format("{}.select()", s.kind))) return ip.list_obj();
  }
}

void close(Interp& ip, SelectorObj& s) {
  for (auto& [fd, key] : s.keys) ip.network()->modify(fd, 0);
  s.keys.clear();
  s.closed = true;
  if (s.epoll_fd >= 0) ip.network()->close(std::exchange(s.epoll_fd, -1));
}

Object SelectorObj::getattr(Interp& ip, const Object& self, std::string_view name) {
#define M(NAME, MIN, MAX, ...)                                                           \
  if (name == NAME)                                                                     \
    return ip.builtin(NAME, [](Interp & ip, BuiltinObj & b, CallArgs & a) -> Object {    \
      check_args(ip, NAME, a, MIN, MAX);                                                \
      SelectorObj& s = sel_of(b);                                                       \
      (void)s;                                                                          \
      __VA_ARGS__                                                                       \
    }, self);
  M("register", 2, 3, {
    const int events = events_arg(ip, a.pos[1]);
    const int fd = fileobj_to_fd(ip, a.pos[0]);
    if (s.find(fd)) ip.raise(ip.T.KeyError, fmt::format("{} (FD {}) is already registered", ip.repr(a.pos[0]), fd));
    Object key = make_key(ip, s, a.pos[0], fd, events, a.pos.size() > 2 ? a.pos[2] : Object::none());
    set_interest(ip, fd, interest(events));
    s.keys.emplace_back(fd, key);
    return key;
  })
  M("unregister", 1, 1, {
    const int fd = fileobj_to_fd(ip, a.pos[0]);
    Object* key = s.find(fd);
    if (!key) ip.raise(ip.T.KeyError, fmt::format("{} is not registered", ip.repr(a.pos[0])));
    Object k = *key;
    std::erase_if(s.keys, [&](const auto& e) { return e.first == fd; });
    ip.network()->modify(fd, 0);
    return k;
  })
  M("modify", 2, 3, {
    const int fd = fileobj_to_fd(ip, a.pos[0]);
    Object* key = s.find(fd);
    if (!key) ip.raise(ip.T.KeyError, fmt::format("{} is not registered", ip.repr(a.pos[0])));
    const int events = events_arg(ip, a.pos[1]);
    *key = make_key(ip, s, a.pos[0], fd, events, a.pos.size() > 2 ? a.pos[2] : Object::none());
    set_interest(ip, fd, interest(events));
    return *key;
  })
  M("get_key", 1, 1, {
    Object* key = s.closed ? nullptr : s.find(fileobj_to_fd(ip, a.pos[0]));
    if (!key) ip.raise(ip.T.KeyError, fmt::format("{} is not registered", ip.repr(a.pos[0])));
    return *key;
  })
  M("get_map", 0, 0, {
    if (s.closed) return Object::none();
    Object d = ip.dict_obj();
    for (auto& [fd, key] : s.keys) d.as<DictObj>()->set(Object::integer(fd), ip.hash(Object::integer(fd)), key);
    return d;
  })
  if (name == "select")
    return ip.builtin("select", [](Interp& ip, BuiltinObj& b, CallArgs& a) -> Object {
      Object t = arg_or(a, 0, "timeout", Object::none());
      std::optional<double> timeout;
      if (!t.is_none()) timeout = t.is(Tag::Float) ? t.f() : static_cast<double>(ip.index_arg(t, nullptr));
      return select(ip, sel_of(b), timeout);
    }, self);
  M("close", 0, 0, {
    close(ip, s);
    return Object::none();
  })
  M("__enter__", 0, 0, { return b.self; })
  M("__exit__", 0, 3, {
    close(ip, s);
    return Object::none();
  })
#undef M
  return {};
}

Object make_selector(Interp& ip, const char* kind, CallArgs& a) {
  check_args(ip, kind, a, 0, 0);
  Object o = make<SelectorObj>(Tag::Native, kind, ip.getattr(ip.import_module("selectors"), "SelectorKey"));
  if (std::string_view(kind) == "EpollSelector") {
    auto& s = *static_cast<SelectorObj*>(o.as<NativeObj>());
    s.network = ip.network();
    s.epoll_fd = s.network->socket(AF_UNIX, SOCK_STREAM);
  }
  return o;
}

}  // namespace

Object module_selectors(Interp& ip) {
  auto m = asyncio::make_ref<ModuleObj>("selectors");
  auto& A = m->attrs;
  A["EVENT_READ"] = Object::integer(kRead);
  A["EVENT_WRITE"] = Object::integer(kWrite);
  A["SelectorKey"] = make_namedtuple(ip, "SelectorKey", {"fileobj", "fd", "events", "data"}, "selectors");
  Ref<TypeObj> base = ip.native_type("BaseSelector", nullptr, "selectors");
  A["BaseSelector"] = Object(Tag::Type, base);
  m->add_class(ip, "SelectSelector", [](Interp& ip, BuiltinObj&, CallArgs& a) { return make_selector(ip, "SelectSelector", a); }, base);
  m->add_class(ip, "PollSelector", [](Interp& ip, BuiltinObj&, CallArgs& a) { return make_selector(ip, "PollSelector", a); }, base);
  m->add_class(ip, "EpollSelector", [](Interp& ip, BuiltinObj&, CallArgs& a) { return make_selector(ip, "EpollSelector", a); }, base);
  A["DefaultSelector"] = A["EpollSelector"];
  return Object(Tag::Native, m);
}

}  // namespace aiospec::interp
