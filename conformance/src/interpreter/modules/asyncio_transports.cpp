// asyncio.transports: the abstract transport classes, the loop's transports as Python objects
// (_SelectorSocketTransport, _SelectorDatagramTransport, the pipe and subprocess transports), and
// the sockets they own as asyncio.trsock.TransportSocket.
#include <fmt/format.h>

#include "asyncio_io.hpp"

namespace aiospec::interp {

namespace {

using asyncio::BaseTransport;

// The class CPython would have made the transport of.
const char* transport_class(const BaseTransport* t) {
  if (dynamic_cast<const asyncio::SelectorSocketTransport*>(t)) return "_SelectorSocketTransport";
  if (dynamic_cast<const asyncio::SelectorDatagramTransport*>(t)) return "_SelectorDatagramTransport";
  if (dynamic_cast<const asyncio::UnixReadPipeTransport*>(t)) return "_UnixReadPipeTransport";
  if (dynamic_cast<const asyncio::UnixWritePipeTransport*>(t)) return "_UnixWritePipeTransport";
  return "_UnixSubprocessTransport";
}

struct TransportObj final : NativeObj {
  explicit TransportObj(Ref<BaseTransport> tr) : t(std::move(tr)) {}
  Ref<BaseTransport> t;
  const char* type_name() const override { return transport_class(t.get()); }
  std::string repr(Interp&) override { return t->repr(); }
  Object getattr(Interp& ip, const Object& self, std::string_view name) override;
};

BaseTransport& transport_of(BuiltinObj& b) { return *static_cast<TransportObj*>(b.self.as<NativeObj>())->t; }
template <class T>
T& side(BuiltinObj& b) {
  return dynamic_cast<T&>(transport_of(b));
}

std::optional<std::size_t> limit_arg(Interp& ip, const Object& o, const char* what) {
  if (o.null() || o.is_none()) return std::nullopt;
  std::int64_t v = ip.index_arg(o, nullptr);
  if (v < 0) ip.raise(ip.T.ValueError, fmt::format("{} ({}) must be >= 0", what, v));
  return static_cast<std::size_t>(v);
}

}  // namespace

Object extra_info(Interp& ip, const Ref<BaseTransport>& t, std::string_view name, const Object& dflt) {
  return std::visit(
      [&](const auto& x) -> Object {
        using X = std::decay_t<decltype(x)>;
        if constexpr (std::is_same_v<X, std::monostate>) return dflt;
        else if constexpr (std::is_same_v<X, asyncio::SockAddr>) return addr_obj(ip, x);
        else if constexpr (std::is_same_v<X, int>) return Object::integer(x);
        else if constexpr (std::is_same_v<X, std::string>) return ip.str_obj(x);
        else
          return transport_socket_obj([t]() -> const asyncio::Socket* {
            auto s = t->get_extra_info("socket");
            return std::holds_alternative<asyncio::Socket*>(s) ? std::get<asyncio::Socket*>(s) : nullptr;
          });
      },
      t->get_extra_info(name));
}

namespace {

Object TransportObj::getattr(Interp& ip, const Object& self, std::string_view name) {
  BaseTransport* tr = t.get();
  const bool read = dynamic_cast<asyncio::ReadTransport*>(tr), write = dynamic_cast<asyncio::WriteTransport*>(tr);
  const bool datagram = dynamic_cast<asyncio::DatagramTransport*>(tr), subprocess = dynamic_cast<asyncio::SubprocessTransport*>(tr);
#define M(NAME, WHEN, ...)                                                                       \
  if (name == NAME && (WHEN))                                                                      \
    return ip.builtin(NAME, [](Interp & ip, BuiltinObj & b, CallArgs & a) -> Object { (void)ip; (void)a; __VA_ARGS__ }, self);
  M("get_extra_info", true, {
    Object n = arg_or(a, 0, "name", Object()), dflt = arg_or(a, 1, "default", Object::none());
    if (n.null()) ip.raise(ip.T.TypeError, "BaseTransport.get_extra_info() missing 1 required positional argument: 'name'");
    return extra_info(ip, Ref<BaseTransport>(&transport_of(b)), ip.str(n), dflt);
  })
  M("is_closing", true, { return Object::boolean(transport_of(b).is_closing()); })
  M("close", true, {
    transport_of(b).close();
    return Object::none();
  })
  M("get_protocol", true, {
    PyProtocolLink* link = protocol_link(transport_of(b).get_protocol().get());
    return link ? link->py : Object::none();
  })
  M("is_reading", read, { return Object::boolean(side<asyncio::ReadTransport>(b).is_reading()); })
  M("pause_reading", read, {
    side<asyncio::ReadTransport>(b).pause_reading();
    return Object::none();
  })
  M("resume_reading", read, {
    side<asyncio::ReadTransport>(b).resume_reading();
    return Object::none();
  })
  M("write", write, {
    check_args(ip, "write", a, 1, 1);
    side<asyncio::WriteTransport>(b).write(data_arg(ip, a.pos[0], transport_of(b)));
    return Object::none();
  })
  M("writelines", write, {
    check_args(ip, "writelines", a, 1, 1);
    side<asyncio::WriteTransport>(b).writelines({joined_data(ip, a.pos[0])});
    return Object::none();
  })
  M("write_eof", write, {
    side<asyncio::WriteTransport>(b).write_eof();
    return Object::none();
  })
  M("can_write_eof", write, { return Object::boolean(side<asyncio::WriteTransport>(b).can_write_eof()); })
  M("abort", write || datagram, {
    if (auto* w = dynamic_cast<asyncio::WriteTransport*>(&transport_of(b))) w->abort();
    else side<asyncio::DatagramTransport>(b).abort();
    return Object::none();
  })
  M("set_write_buffer_limits", write, {
    Object high = arg_or(a, 0, "high", Object()), low = arg_or(a, 1, "low", Object());
    side<asyncio::WriteTransport>(b).set_write_buffer_limits(limit_arg(ip, high, "high"), limit_arg(ip, low, "low"));
    return Object::none();
  })
  M("get_write_buffer_limits", write, {
    auto [low, high] = side<asyncio::WriteTransport>(b).get_write_buffer_limits();
    return ip.tuple_obj({Object::integer(static_cast<std::int64_t>(low)), Object::integer(static_cast<std::int64_t>(high))});
  })
  M("get_write_buffer_size", write || datagram, {
    auto* w = dynamic_cast<asyncio::WriteTransport*>(&transport_of(b));
    return Object::integer(static_cast<std::int64_t>(w ? w->get_write_buffer_size() : side<asyncio::DatagramTransport>(b).get_write_buffer_size()));
  })
  M("sendto", datagram, {
    Object data = arg_or(a, 0, "data", Object()), addr = arg_or(a, 1, "addr", Object::none());
    if (data.null()) ip.raise(ip.T.TypeError, "_SelectorDatagramTransport.sendto() missing 1 required positional argument: 'data'");
    side<asyncio::DatagramTransport>(b).sendto(data_arg(ip, data, transport_of(b)), addr.is_none() ? asyncio::SockAddr{} : addr_arg(ip, addr));
    return Object::none();
  })
  M("get_pid", subprocess, { return Object::integer(side<asyncio::SubprocessTransport>(b).get_pid()); })
  M("get_returncode", subprocess, {
    auto rc = side<asyncio::SubprocessTransport>(b).get_returncode();
    return rc ? Object::integer(*rc) : Object::none();
  })
  M("get_pipe_transport", subprocess, {
    check_args(ip, "get_pipe_transport", a, 1, 1);
    auto* p = side<asyncio::SubprocessTransport>(b).get_pipe_transport(static_cast<int>(ip.index_arg(a.pos[0], nullptr)));
    return p ? transport_obj(Ref<BaseTransport>(p)) : Object::none();
  })
  M("send_signal", subprocess, {
    check_args(ip, "send_signal", a, 1, 1);
    side<asyncio::SubprocessTransport>(b).send_signal(static_cast<int>(ip.index_arg(a.pos[0], nullptr)));
    return Object::none();
  })
  M("terminate", subprocess, {
    side<asyncio::SubprocessTransport>(b).terminate();
    return Object::none();
  })
  M("kill", subprocess, {
    side<asyncio::SubprocessTransport>(b).kill();
    return Object::none();
  })
#undef M
  return {};
}

// asyncio.trsock.TransportSocket: the loop's socket, readable but not usable for I/O.
struct TransportSocketObj final : NativeObj {
  explicit TransportSocketObj(std::function<const asyncio::Socket*()> g) : get(std::move(g)) {}
  std::function<const asyncio::Socket*()> get;
  const char* type_name() const override { return "TransportSocket"; }
  std::string repr(Interp&) override {
    const asyncio::Socket* s = get();
    return s ? asyncio::transport_socket_repr(*s) : "<asyncio.TransportSocket fd=-1>";
  }
  const asyncio::Socket& sock() {
    const asyncio::Socket* s = get();
    if (!s) asyncio::raise_os_error(EBADF);
    return *s;
  }
  Object getattr(Interp& ip, const Object& self, std::string_view name) override {
    if (name == "fileno")
      return ip.builtin("fileno", [](Interp&, BuiltinObj& b, CallArgs&) {
        const asyncio::Socket* s = static_cast<TransportSocketObj*>(b.self.as<NativeObj>())->get();
        return Object::integer(s ? s->fileno() : -1);
      }, self);
    if (name == "family" || name == "type" || name == "proto") {
      const asyncio::Socket& s = sock();
      return Object::integer(name == "family" ? s.family() : name == "type" ? s.type() : s.proto());
    }
    if (name == "getsockname" || name == "getpeername")
      return ip.builtin(name == "getsockname" ? "getsockname" : "getpeername", [](Interp& ip, BuiltinObj& b, CallArgs&) {
        const asyncio::Socket& s = static_cast<TransportSocketObj*>(b.self.as<NativeObj>())->sock();
        return addr_obj(ip, b.name[3] == 's' ? s.getsockname() : s.getpeername());
      }, self);
    if (name == "getsockopt")
      return ip.builtin("getsockopt", [](Interp& ip, BuiltinObj& b, CallArgs& a) {
        check_args(ip, "getsockopt", a, 2, 2);
        const asyncio::Socket& s = static_cast<TransportSocketObj*>(b.self.as<NativeObj>())->sock();
        return Object::integer(s.getsockopt(static_cast<int>(ip.index_arg(a.pos[0], nullptr)), static_cast<int>(ip.index_arg(a.pos[1], nullptr))));
      }, self);
    return {};
  }
};

}  // namespace

Object transport_obj(const Ref<BaseTransport>& t) { return make<TransportObj>(Tag::Native, t); }

Object transport_socket_obj(std::function<const asyncio::Socket*()> get) {
  return make<TransportSocketObj>(Tag::Native, std::move(get));
}

void install_transport_classes(Interp& ip, std::map<std::string, Object, std::less<>>& attrs) {
  // transports.py's hierarchy; the concrete classes below it, as isinstance sees them.
  const std::string m = "asyncio.transports";
  Ref<TypeObj> base = ip.native_type("BaseTransport", ip.T.object, m);
  Ref<TypeObj> read = ip.native_type("ReadTransport", base, m), write = ip.native_type("WriteTransport", base, m);
  Ref<TypeObj> transport = ip.native_type("Transport", read, m);
  transport->base2 = write;
  Ref<TypeObj> datagram = ip.native_type("DatagramTransport", base, m), subprocess = ip.native_type("SubprocessTransport", base, m);
  for (auto& t : {base, read, write, transport, datagram, subprocess}) attrs[t->name] = Object(Tag::Type, t);
  ip.native_type("_SelectorSocketTransport", transport, "asyncio.selector_events");
  ip.native_type("_SelectorDatagramTransport", datagram, "asyncio.selector_events");
  ip.native_type("_UnixReadPipeTransport", read, "asyncio.unix_events");
  ip.native_type("_UnixWritePipeTransport", write, "asyncio.unix_events");
  ip.native_type("_UnixSubprocessTransport", subprocess, "asyncio.unix_events");
  ip.native_type("TransportSocket", ip.T.object, "asyncio.trsock");
}

}  // namespace aiospec::interp
