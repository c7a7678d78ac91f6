// asyncio.streams: open_connection, start_server, open_unix_connection, start_unix_server, and
// StreamReader / StreamWriter objects, bound to the reference loop's streams.
#include <fmt/format.h>

#include "asyncio_io.hpp"

namespace aiospec::interp {

namespace {

using asyncio::StreamReader;
using asyncio::StreamWriter;

struct ReaderObj final : NativeObj {
  explicit ReaderObj(Ref<StreamReader> r) : reader(std::move(r)) {}
  Ref<StreamReader> reader;
  const char* type_name() const override { return "StreamReader"; }
  std::string repr(Interp&) override { return reader->repr(); }
  Object getattr(Interp& ip, const Object& self, std::string_view name) override;
};

struct WriterObj final : NativeObj {
  explicit WriterObj(Ref<StreamWriter> w) : writer(std::move(w)) {}
  Ref<StreamWriter> writer;
  const char* type_name() const override { return "StreamWriter"; }
  std::string repr(Interp&) override { return writer->repr(); }
  Object getattr(Interp& ip, const Object& self, std::string_view name) override;
};

StreamReader& reader_of(BuiltinObj& b) { return *static_cast<ReaderObj*>(b.self.as<NativeObj>())->reader; }
StreamWriter& writer_of(BuiltinObj& b) { return *static_cast<WriterObj*>(b.self.as<NativeObj>())->writer; }

Object pair_obj(Interp& ip, asyncio::StreamPair p) { return ip.tuple_obj({reader_obj(std::move(p.first)), writer_obj(std::move(p.second))}); }

// The coroutine methods: the reader (in `keep`) lives while they run.
asyncio::Coro<Object> bytes_after(Interp& ip, asyncio::Coro<std::string> c, Object keep) {
  std::string s = co_await std::move(c);
  (void)keep;
  co_return bytes_value(ip, std::move(s));
}

// streams.py: StreamReader.__anext__ — a line, StopAsyncIteration at the end.
asyncio::Coro<Object> anext_line(Interp& ip, Object self) {
  std::string line = co_await static_cast<ReaderObj*>(self.as<NativeObj>())->reader->readline();
  if (line.empty()) ip.raise(ip.T.StopAsyncIteration, "");
  co_return bytes_value(ip, std::move(line));
}

// streams.py: StreamReader.readuntil — len(separator), then bytearray.find(separator) once enough is
// buffered, which refuses a separator that is not bytes-like.
asyncio::Coro<Object> readuntil_coro(Interp& ip, Object self, Object sep) {
  StreamReader& r = *static_cast<ReaderObj*>(self.as<NativeObj>())->reader;
  if (!is_buffer(sep)) {
    const auto seplen = static_cast<std::size_t>(ip.len(sep));
    if (seplen == 0) ip.raise(ip.T.ValueError, "Separator should be at least one-byte string");
    if (r.buffer().size() < seplen)
      ip.refuse("StreamReader.readuntil() waiting for data with a separator that is not bytes-like");
    ip.raise(ip.T.TypeError, fmt::format("argument should be integer or bytes-like object, not '{}'", ip.type_of(sep)->name));
  }
  std::string line = co_await r.readuntil(buffer_bytes(ip, sep));
  co_return bytes_value(ip, std::move(line));
}

long limit_param(Interp& ip, const Object& o) { return o.null() ? asyncio::kDefaultStreamLimit : static_cast<long>(ip.index_arg(o, nullptr)); }

Object ReaderObj::getattr(Interp& ip, const Object& self, std::string_view name) {
#define M(NAME, ...) \
  if (name == NAME) return ip.builtin(NAME, [](Interp & ip, BuiltinObj & b, CallArgs & a) -> Object { (void)ip; (void)a; __VA_ARGS__ }, self);
  M("read", {
    Object n = arg_or(a, 0, "n", Object::integer(-1));
    return ip.make_coro(bytes_after(ip, reader_of(b).read(static_cast<long>(ip.index_arg(n, nullptr))), b.self), "StreamReader.read");
  })
  M("readline", { return ip.make_coro(bytes_after(ip, reader_of(b).readline(), b.self), "StreamReader.readline"); })
  M("readexactly", {
    check_args(ip, "readexactly", a, 1, 1);
    return ip.make_coro(bytes_after(ip, reader_of(b).readexactly(static_cast<long>(ip.index_arg(a.pos[0], nullptr))), b.self),
                        "StreamReader.readexactly");
  })
  M("readuntil", {
    Object sep = arg_or(a, 0, "separator", ip.bytes_obj("\n"));
    return ip.make_coro(readuntil_coro(ip, b.self, sep), "StreamReader.readuntil");
  })
  M("at_eof", { return Object::boolean(reader_of(b).at_eof()); })
  M("feed_eof", {
    reader_of(b).feed_eof();
    return Object::none();
  })
  M("feed_data", {
    check_args(ip, "feed_data", a, 1, 1);
    const Object& data = a.pos[0];
    if (is_buffer(data)) {
      reader_of(b).feed_data(buffer_bytes(ip, data));
      return Object::none();
    }
    // streams.py: `assert not self._eof`, `if not data: return`, then self._buffer.extend(data) with its
    // TypeErrors; feeding nothing makes the reference's feed_data check the first.
    reader_of(b).feed_data({});
    if (!ip.truthy(data)) return Object::none();
    Object buffer = ip.bytes_obj({}, Tag::ByteArray);
    ip.call1(ip.getattr(buffer, "extend"), data);
    reader_of(b).feed_data(buffer_bytes(ip, buffer));
    return Object::none();
  })
  M("exception", {
    auto e = reader_of(b).exception();
    return e ? ip.exc_object(e) : Object::none();
  })
  M("set_exception", {
    check_args(ip, "set_exception", a, 1, 1);
    if (!a.pos[0].is(Tag::Exc)) ip.raise(ip.T.TypeError, "exceptions must derive from BaseException");
    reader_of(b).set_exception(ip.to_cpp(Ref<ExcObj>(a.pos[0].as<ExcObj>())));
    return Object::none();
  })
  M("__aiter__", { return b.self; })
  M("__anext__", { return ip.make_coro(anext_line(ip, b.self), "StreamReader.__anext__"); })
#undef M
  return {};
}

Object WriterObj::getattr(Interp& ip, const Object& self, std::string_view name) {
  if (name == "transport") return transport_obj(Ref<asyncio::BaseTransport>(&writer->transport()));
#define M(NAME, ...) \
  if (name == NAME) return ip.builtin(NAME, [](Interp & ip, BuiltinObj & b, CallArgs & a) -> Object { (void)ip; (void)a; __VA_ARGS__ }, self);
  M("write", {
    check_args(ip, "write", a, 1, 1);
    writer_of(b).write(data_arg(ip, a.pos[0], writer_of(b).transport()));
    return Object::none();
  })
  M("writelines", {
    check_args(ip, "writelines", a, 1, 1);
    writer_of(b).writelines({joined_data(ip, a.pos[0])});
    return Object::none();
  })
  M("write_eof", {
    writer_of(b).write_eof();
    return Object::none();
  })
  M("can_write_eof", { return Object::boolean(writer_of(b).can_write_eof()); })
  M("close", {
    writer_of(b).close();
    return Object::none();
  })
  M("is_closing", { return Object::boolean(writer_of(b).is_closing()); })
  M("drain", { return none_coro(ip, writer_of(b).drain(), "StreamWriter.drain", b.self); })
  M("wait_closed", { return none_coro(ip, writer_of(b).wait_closed(), "StreamWriter.wait_closed", b.self); })
  M("get_extra_info", {
    Object n = arg_or(a, 0, "name", Object()), dflt = arg_or(a, 1, "default", Object::none());
    if (n.null()) ip.raise(ip.T.TypeError, "StreamWriter.get_extra_info() missing 1 required positional argument: 'name'");
    return extra_info(ip, Ref<asyncio::BaseTransport>(&writer_of(b).transport()), ip.str(n), dflt);
  })
#undef M
  return {};
}

asyncio::Coro<Object> open_connection_coro(Interp& ip, std::string host, std::string port, long limit,
                                           asyncio::ConnectionOptions opts) {
  co_return pair_obj(ip, co_await asyncio::open_connection(std::move(host), std::move(port), limit, std::move(opts)));
}

asyncio::Coro<Object> open_unix_connection_coro(Interp& ip, std::string path, long limit) {
  co_return pair_obj(ip, co_await asyncio::open_unix_connection(std::move(path), limit));
}

asyncio::Coro<> await_result(Interp& ip, Object coro) { co_await ip.await_object(std::move(coro)); }

// client_connected_cb: called with the connection's reader and writer; a coroutine it returns runs as a task.
asyncio::ClientConnectedCallback client_callback(Interp& ip, Object cb) {
  return [&ip, cb](Ref<StreamReader> r, Ref<StreamWriter> w) -> std::optional<asyncio::Coro<>> {
    CallArgs a;
    a.pos = {reader_obj(std::move(r)), writer_obj(std::move(w))};
    Object res = ip.call(cb, a);
    if (!res.is(Tag::Coro)) return std::nullopt;
    return await_result(ip, std::move(res));
  };
}

asyncio::Coro<Object> start_server_coro(Interp& ip, Object cb, std::string host, std::string port, long limit,
                                        bool unix_socket, asyncio::ServerOptions opts) {
  asyncio::ClientConnectedCallback callback = client_callback(ip, std::move(cb));
  Ref<asyncio::Server> s;
  if (unix_socket)
    s = co_await asyncio::start_unix_server(callback, std::move(host), limit, std::move(opts));
  else
    s = co_await asyncio::start_server(callback, std::move(host), std::move(port), limit, std::move(opts));
  co_return server_obj(std::move(s));
}

}  // namespace

Object reader_obj(Ref<StreamReader> r) { return make<ReaderObj>(Tag::Native, std::move(r)); }
Object writer_obj(Ref<StreamWriter> w) { return make<WriterObj>(Tag::Native, std::move(w)); }

void install_stream_bindings(Interp& ip, std::map<std::string, Object, std::less<>>& attrs) {
  auto fn = [&](const char* name, BuiltinObj::Fn f) { attrs[name] = ip.builtin(name, f); };
  fn("open_connection", [](Interp& ip, BuiltinObj&, CallArgs& a) -> Object {
    // **kwds go to loop.create_connection, whose keywords these are.
    auto p = bind_params(ip, "open_connection", a,
                         {"host", "port", "limit", "ssl", "family", "proto", "flags", "sock", "local_addr", "server_hostname",
                          "ssl_handshake_timeout", "ssl_shutdown_timeout", "happy_eyeballs_delay", "interleave"}, 2, 0);
    asyncio::ConnectionOptions opts = connection_options(ip, "BaseEventLoop.create_connection", p);
    return ip.make_coro(open_connection_coro(ip, host_arg(ip, p[0]), port_arg(ip, p[1]), limit_param(ip, p[2]), std::move(opts)),
                        "open_connection");
  });
  fn("open_unix_connection", [](Interp& ip, BuiltinObj&, CallArgs& a) -> Object {
    auto p = bind_params(ip, "open_unix_connection", a, {"path", "limit"}, 1, 0);
    return ip.make_coro(open_unix_connection_coro(ip, host_arg(ip, p[0]), limit_param(ip, p[1])), "open_unix_connection");
  });
  fn("start_server", [](Interp& ip, BuiltinObj&, CallArgs& a) -> Object {
    auto p = bind_params(ip, "start_server", a, {"client_connected_cb", "host", "port", "limit", "backlog", "reuse_address", "start_serving"}, 3, 1);
    asyncio::ServerOptions opts;
    if (!p[4].null()) opts.backlog = static_cast<int>(ip.index_arg(p[4], nullptr));
    if (!p[5].null() && !p[5].is_none()) opts.reuse_address = ip.truthy(p[5]);
    opts.start_serving = p[6].null() || ip.truthy(p[6]);
    return ip.make_coro(start_server_coro(ip, p[0], host_arg(ip, p[1]), port_arg(ip, p[2]), limit_param(ip, p[3]), false, std::move(opts)),
                        "start_server");
  });
  fn("start_unix_server", [](Interp& ip, BuiltinObj&, CallArgs& a) -> Object {
    auto p = bind_params(ip, "start_unix_server", a, {"client_connected_cb", "path", "limit", "backlog", "start_serving"}, 2, 1);
    asyncio::ServerOptions opts;
    if (!p[3].null()) opts.backlog = static_cast<int>(ip.index_arg(p[3], nullptr));
    opts.start_serving = p[4].null() || ip.truthy(p[4]);
    return ip.make_coro(start_server_coro(ip, p[0], host_arg(ip, p[1]), "", limit_param(ip, p[2]), true, std::move(opts)),
                        "start_unix_server");
  });
  Ref<TypeObj> reader = ip.native_type("StreamReader", ip.T.object, "asyncio.streams");
  reader->construct = [](Interp& ip, BuiltinObj&, CallArgs& a) -> Object {
    auto p = bind_params(ip, "StreamReader", a, {"limit", "loop"}, 2, 0);
    asyncio::EventLoop* loop = p[1].is(Tag::Loop) ? p[1].as<asyncio::EventLoop>() : nullptr;
    return reader_obj(asyncio::make_ref<StreamReader>(limit_param(ip, p[0]), loop));
  };
  attrs["StreamReader"] = Object(Tag::Type, reader);
  attrs["StreamWriter"] = Object(Tag::Type, ip.native_type("StreamWriter", ip.T.object, "asyncio.streams"));
}

}  // namespace aiospec::interp
