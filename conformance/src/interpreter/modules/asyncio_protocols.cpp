// asyncio.protocols: BaseProtocol, Protocol, BufferedProtocol, DatagramProtocol and
// SubprocessProtocol as classes a program's class subclasses, and the reference protocols that
// forward the transports' callbacks to the program's protocol objects.
#include <fmt/format.h>

#include "asyncio_io.hpp"

namespace aiospec::interp {

namespace {

// protocols.py: each callback of the base classes does nothing and returns None.
Object do_nothing(Interp&, BuiltinObj&, CallArgs&) { return Object::none(); }

Ref<TypeObj> protocol_class(Interp& ip, const char* name, const Ref<TypeObj>& base, std::initializer_list<const char*> methods) {
  // As defined in protocols.py, with `__slots__ = ()`.
  Ref<TypeObj> t = python_class(ip, name, base, "asyncio.protocols");
  t->has_dict = false;
  auto put = [&](const char* k, Object v) { t->ns->set(ip.str_obj(k), str_hash(k), std::move(v)); };
  put("__slots__", ip.tuple_obj());
  for (const char* m : methods) put(m, ip.builtin(m, do_nothing));
  return t;
}

}  // namespace

Ref<TypeObj> python_class(Interp& ip, const char* name, const Ref<TypeObj>& base, const char* module) {
  auto t = asyncio::make_ref<TypeObj>();
  t->name = t->qualname = name;
  t->module = module;
  t->user = true;
  t->base = base;
  t->bases = {base};
  t->mro = c3_mro(ip, t.get(), t->bases);
  t->ns = asyncio::make_ref<DictObj>();
  auto put = [&](const char* k, Object v) { t->ns->set(ip.str_obj(k), str_hash(k), std::move(v)); };
  put("__module__", ip.str_obj(module));
  put("__qualname__", ip.str_obj(name));
  put("__doc__", Object::none());
  return t;
}

namespace {

Object exc_or_none(Interp& ip, const std::exception_ptr& e) { return e ? ip.exc_object(e) : Object::none(); }

// The callbacks every protocol has (BaseProtocol's).
template <class Base>
class PyProtocol : public Base, public PyProtocolLink {
 public:
  using PyProtocolLink::PyProtocolLink;
  void connection_made(asyncio::BaseTransport& t) override { call("connection_made", {transport_object(t)}); }
  void connection_lost(std::exception_ptr exc) override { call("connection_lost", {exc_or_none(ip, exc)}); }
  void pause_writing() override { call("pause_writing", {}); }
  void resume_writing() override { call("resume_writing", {}); }
  std::string repr() const override { return ip.repr(py); }
  std::string qualname() const override {
    Ref<TypeObj> t = ip.type_of(py);
    return t->qualname.empty() ? t->name : t->qualname;
  }
};

class PyStreamProtocol final : public PyProtocol<asyncio::Protocol> {
 public:
  using PyProtocol::PyProtocol;
  void data_received(std::string_view data) override { call("data_received", {bytes_value(ip, std::string(data))}); }
  bool eof_received() override { return ip.truthy(call("eof_received", {})); }
};

class PyDatagramProtocol final : public PyProtocol<asyncio::DatagramProtocol> {
 public:
  using PyProtocol::PyProtocol;
  void datagram_received(std::string_view data, const asyncio::SockAddr& addr) override {
    call("datagram_received", {bytes_value(ip, std::string(data)), addr_obj(ip, addr)});
  }
  void error_received(std::exception_ptr exc) override { call("error_received", {exc_or_none(ip, exc)}); }
};

class PySubprocessProtocol final : public PyProtocol<asyncio::SubprocessProtocol> {
 public:
  using PyProtocol::PyProtocol;
  void pipe_data_received(int fd, std::string_view data) override {
    call("pipe_data_received", {Object::integer(fd), bytes_value(ip, std::string(data))});
  }
  void pipe_connection_lost(int fd, std::exception_ptr exc) override {
    call("pipe_connection_lost", {Object::integer(fd), exc_or_none(ip, exc)});
  }
  void process_exited() override { call("process_exited", {}); }
};

}  // namespace

Object PyProtocolLink::transport_object(asyncio::BaseTransport& t) {
  if (transport.null()) transport = transport_obj(Ref<asyncio::BaseTransport>(&t));
  return transport;
}

Object PyProtocolLink::call(const char* method, std::vector<Object> args) {
  CallArgs a;
  a.pos = std::move(args);
  return ip.call(ip.getattr(py, method), a);
}

PyProtocolLink* protocol_link(asyncio::BaseProtocol* p) { return dynamic_cast<PyProtocolLink*>(p); }

asyncio::ProtocolFactory protocol_factory(Interp& ip, Object factory, ProtocolKind kind) {
  return [&ip, factory, kind]() -> Ref<asyncio::BaseProtocol> {
    Object p = ip.call0(factory);
    for (const TypeObj* c : ip.type_of(p)->mro)
      if (c->name == "BufferedProtocol" && c->module == "asyncio.protocols")
        ip.refuse("asyncio.BufferedProtocol");
    switch (kind) {
      case ProtocolKind::Stream: return asyncio::make_ref<PyStreamProtocol>(ip, std::move(p));
      case ProtocolKind::Datagram: return asyncio::make_ref<PyDatagramProtocol>(ip, std::move(p));
      case ProtocolKind::Subprocess: break;
    }
    return asyncio::make_ref<PySubprocessProtocol>(ip, std::move(p));
  };
}

Object connection_pair(Interp& ip, asyncio::BaseTransport& t, asyncio::BaseProtocol* p) {
  PyProtocolLink* link = protocol_link(p);
  return ip.tuple_obj({link->transport_object(t), link->py});
}

void install_protocol_classes(Interp& ip, std::map<std::string, Object, std::less<>>& attrs) {
  Ref<TypeObj> base = protocol_class(ip, "BaseProtocol", ip.T.object,
                                     {"connection_made", "connection_lost", "pause_writing", "resume_writing"});
  Ref<TypeObj> classes[] = {
      base,
      protocol_class(ip, "Protocol", base, {"data_received", "eof_received"}),
      protocol_class(ip, "BufferedProtocol", base, {"get_buffer", "buffer_updated", "eof_received"}),
      protocol_class(ip, "DatagramProtocol", base, {"datagram_received", "error_received"}),
      protocol_class(ip, "SubprocessProtocol", base, {"pipe_data_received", "pipe_connection_lost", "process_exited"}),
  };
  for (auto& c : classes) attrs[c->name] = Object(Tag::Type, c);
}

}  // namespace aiospec::interp
