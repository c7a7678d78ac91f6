// Socket transports, servers and the sock_* methods (selector_events.py, base_events.py), on
// loopback and on the simulated network.
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <cstdlib>
#include <numeric>

#include "net_support.hpp"

namespace asyncio::test {
namespace {

using Log = std::vector<std::string>;

std::string bytes_repr(std::string_view s) { return "b'" + std::string(s) + "'"; }

// A protocol that records its callbacks in `log`, prefixed by `who`.
struct Recorder : Protocol {
  Recorder(Log& log, std::string who) : log(log), who(std::move(who)) {}
  Log& log;
  std::string who;
  Ref<Transport> transport;
  std::function<void(std::string_view)> on_data;
  std::function<void()> on_made, on_lost;
  bool keep_open = false;
  void connection_made(BaseTransport& t) override {
    transport = transport_cast<Transport>(t);
    log.push_back(who + " made");
    if (on_made) on_made();
  }
  void data_received(std::string_view data) override {
    log.push_back(who + " data " + bytes_repr(data));
    if (on_data) on_data(data);
  }
  bool eof_received() override {
    log.push_back(who + " eof");
    return keep_open;
  }
  void connection_lost(std::exception_ptr exc) override {
    log.push_back(who + " lost " + test::repr(exc));
    if (on_lost) on_lost();
    transport = nullptr;
  }
};

// Python:
//   import asyncio
//   log = []
//   class Server(asyncio.Protocol):
//       def connection_made(self, t):
//           self.t = t
//           log.append('server made')
//       def data_received(self, data):
//           log.append(f'server data {data!r}')
//           self.t.write(data.upper())
//       def eof_received(self):
//           log.append('server eof')
//       def connection_lost(self, exc):
//           log.append(f'server lost {exc!r}')
//   class Client(asyncio.Protocol):
//       def __init__(self, done):
//           self.done = done
//       def connection_made(self, t):
//           log.append('client made')
//           t.write(b'hello')
//           t.write_eof()
//       def data_received(self, data):
//           log.append(f'client data {data!r}')
//       def eof_received(self):
//           log.append('client eof')
//       def connection_lost(self, exc):
//           log.append(f'client lost {exc!r}')
//           self.done.set_result(None)
//   async def main():
//       loop = asyncio.get_running_loop()
//       server = await loop.create_server(Server, '127.0.0.1', 0)
//       port = server.sockets[0].getsockname()[1]
//       done = loop.create_future()
//       t, p = await loop.create_connection(lambda: Client(done), '127.0.0.1', port)
//       log.append('create_connection returned')
//       await done
//       server.close()
//       await server.wait_closed()
//       print('\n'.join(log))
//   asyncio.run(main())
// Output:
//   server made
//   client made
//   create_connection returned
//   server data b'hello'
//   server eof
//   client data b'HELLO'
//   server lost None
//   client eof
//   client lost None
TEST_P(NetTest, ProtocolCallbacksInCPythonsOrder) {
  Log log;
  run([&]() -> Coro<> {
    EventLoop& loop = get_running_loop();
    Ref<Server> server = co_await loop.create_server(
        [&] {
          auto p = make_ref<Recorder>(log, "server");
          p->on_data = [p = p.get()](std::string_view d) {
            std::string up(d);
            for (char& c : up) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
            p->transport->write(up);
          };
          return p;
        },
        "127.0.0.1", "0");
    const int port = server_port(*server);
    Future<> done = loop.create_future();
    co_await loop.create_connection(
        [&] {
          auto p = make_ref<Recorder>(log, "client");
          p->on_made = [p = p.get()] {
            p->transport->write("hello");
            p->transport->write_eof();
          };
          p->on_lost = [done] { done.set_result(); };
          return p;
        },
        "127.0.0.1", std::to_string(port));
    log.push_back("create_connection returned");
    co_await done;
    server->close();
    co_await server->wait_closed();
  }());
  EXPECT_EQ(log, (Log{"server made", "client made", "create_connection returned", "server data b'hello'",
                      "server eof", "client data b'HELLO'", "server lost None", "client eof", "client lost None"}));
}


// What an exception prints, with the port replaced: `type errno str`.
std::string os_error_line(const std::exception_ptr& e, int port) {
  const auto* os = dynamic_cast<const OSError*>(inspect(e).exc);
  std::string text = os->str();
  const std::string p = std::to_string(port);
  if (auto at = text.find(p); port && at != std::string::npos) text.replace(at, p.size(), "PORT");
  return std::string(os->type_name()) + " " + std::to_string(os->error_code()) + " " + text;
}

// Python:
//   import asyncio, socket
//   async def main():
//       loop = asyncio.get_running_loop()
//       s = socket.socket()
//       s.bind(('127.0.0.1', 0))
//       port = s.getsockname()[1]
//       s.close()
//       try:
//           await loop.create_connection(asyncio.Protocol, '127.0.0.1', port)
//       except OSError as e:
//           print(type(e).__name__, e.errno, str(e).replace(str(port), 'PORT'))
//       server = await loop.create_server(asyncio.Protocol, '127.0.0.1', 0)
//       port = server.sockets[0].getsockname()[1]
//       try:
//           await loop.create_server(asyncio.Protocol, '127.0.0.1', port, reuse_address=False)
//       except OSError as e:
//           print(type(e).__name__, e.errno, str(e).replace(str(port), 'PORT'))
//       try:
//           await loop.create_connection(asyncio.Protocol, 'no.such.host.invalid', 80)
//       except OSError as e:
//           print(type(e).__name__, e.errno, e)
//       server.close()
//       await server.wait_closed()
//   asyncio.run(main())
// Output:
//   ConnectionRefusedError 111 [Errno 111] Connect call failed ('127.0.0.1', PORT)
//   OSError 98 [Errno 98] error while attempting to bind on address ('127.0.0.1', PORT): address already in use
//   gaierror -2 [Errno -2] Name or service not known
TEST_P(NetTest, ConnectionErrorsAreCPythons) {
  Log out;
  run([&]() -> Coro<> {
    EventLoop& loop = get_running_loop();
    auto factory = [] { return Ref<BaseProtocol>(make_ref<Protocol>()); };
    int port;
    {
      Socket s(loop.network_ptr(), AF_INET, SOCK_STREAM);
      s.bind(SockAddr::inet("127.0.0.1", 0));
      port = s.getsockname().port;
    }
    try {
      co_await loop.create_connection(factory, "127.0.0.1", std::to_string(port));
    } catch (const OSError&) {
      out.push_back(os_error_line(std::current_exception(), port));
    }
    Ref<Server> server = co_await loop.create_server(factory, "127.0.0.1", "0");
    port = server_port(*server);
    ServerOptions no_reuse;
    no_reuse.reuse_address = false;
    try {
      co_await loop.create_server(factory, "127.0.0.1", std::to_string(port), std::move(no_reuse));
    } catch (const OSError&) {
      out.push_back(os_error_line(std::current_exception(), port));
    }
    try {
      co_await loop.create_connection(factory, "no.such.host.invalid", "80");
    } catch (const OSError&) {
      out.push_back(os_error_line(std::current_exception(), 0));
    }
    server->close();
    co_await server->wait_closed();
  }());
  EXPECT_EQ(out, (Log{"ConnectionRefusedError 111 [Errno 111] Connect call failed ('127.0.0.1', PORT)",
                      "OSError 98 [Errno 98] error while attempting to bind on address ('127.0.0.1', PORT): address "
                      "already in use",
                      "gaierror -2 [Errno -2] Name or service not known"}));
}

// Python:
//   import asyncio, socket
//   async def main():
//       loop = asyncio.get_running_loop()
//       lsock = socket.socket()
//       lsock.bind(('127.0.0.1', 0))
//       lsock.listen()
//       lsock.setblocking(False)
//       csock = socket.socket()
//       csock.setblocking(False)
//       accept = asyncio.create_task(loop.sock_accept(lsock))
//       await loop.sock_connect(csock, lsock.getsockname())
//       conn, addr = await accept
//       print(addr == csock.getsockname(), conn.getpeername() == csock.getsockname())
//       await loop.sock_sendall(csock, b'x' * 100000)
//       got = b''
//       while len(got) < 100000:
//           got += await loop.sock_recv(conn, 65536)
//       print(len(got))
//       csock.close()
//       print(await loop.sock_recv(conn, 10))
//       conn.close()
//       lsock.close()
//   asyncio.run(main())
// Output:
//   True True
//   100000
//   b''
TEST_P(NetTest, SockMethodsRoundTrip) {
  Log out;
  run([&]() -> Coro<> {
    EventLoop& loop = get_running_loop();
    Socket lsock(loop.network_ptr(), AF_INET, SOCK_STREAM);
    lsock.bind(SockAddr::inet("127.0.0.1", 0));
    lsock.listen();
    Socket csock(loop.network_ptr(), AF_INET, SOCK_STREAM);
    auto accept = create_task(loop.sock_accept(lsock));
    co_await loop.sock_connect(csock, lsock.getsockname());
    auto [conn, addr] = co_await accept;
    out.push_back(std::string(addr == csock.getsockname() ? "True" : "False") + " " +
                  (conn.getpeername() == csock.getsockname() ? "True" : "False"));
    co_await loop.sock_sendall(csock, std::string(100000, 'x'));
    std::string got;
    while (got.size() < 100000) got += co_await loop.sock_recv(conn, 65536);
    out.push_back(std::to_string(got.size()));
    csock.close();
    out.push_back(bytes_repr(co_await loop.sock_recv(conn, 10)));
  }());
  EXPECT_EQ(out, (Log{"True True", "100000", "b''"}));
}

struct Sink : Protocol {
  Ref<Transport> t;
  Log& out;
  explicit Sink(Log& out) : out(out) {}
  void connection_made(BaseTransport& bt) override {
    t = transport_cast<Transport>(bt);
    t->pause_reading();
    out.push_back(std::string("server reading ") + (t->is_reading() ? "True" : "False"));
  }
};

struct FlowWriter : Protocol {
  Log& out;
  Future<> paused;
  explicit FlowWriter(Log& out) : out(out), paused(get_running_loop().create_future()) {}
  void pause_writing() override {
    out.push_back("pause_writing");
    paused.set_result();
  }
  void resume_writing() override { out.push_back("resume_writing"); }
};

// Python:
//   import asyncio
//   class Sink(asyncio.Protocol):
//       def connection_made(self, t):
//           self.t = t
//           t.pause_reading()
//           print('server reading', t.is_reading())
//   class Writer(asyncio.Protocol):
//       def __init__(self):
//           self.paused = asyncio.get_running_loop().create_future()
//       def pause_writing(self):
//           print('pause_writing')
//           self.paused.set_result(None)
//       def resume_writing(self):
//           print('resume_writing')
//   async def main():
//       loop = asyncio.get_running_loop()
//       sinks = []
//       server = await loop.create_server(lambda: sinks.append(Sink()) or sinks[-1], '127.0.0.1', 0)
//       port = server.sockets[0].getsockname()[1]
//       t, p = await loop.create_connection(Writer, '127.0.0.1', port)
//       print(t.get_write_buffer_limits())
//       chunk = b'x' * 4096
//       while not p.paused.done():
//           t.write(chunk)
//       print('buffered more than high', t.get_write_buffer_size() > 65536)
//       await asyncio.sleep(0)
//       sinks[0].t.resume_reading()
//       while t.get_write_buffer_size():
//           await asyncio.sleep(0)
//       print('drained')
//       t.close()
//       sinks[0].t.close()
//       server.close()
//       await server.wait_closed()
//   asyncio.run(main())
// Output:
//   server reading False
//   (16384, 65536)
//   pause_writing
//   buffered more than high True
//   resume_writing
//   drained
TEST_P(NetTest, FlowControlPausesAboveTheHighWaterMark) {
  Log out;
  run([&]() -> Coro<> {
    EventLoop& loop = get_running_loop();
    std::vector<Ref<Sink>> sinks;
    Ref<Server> server = co_await loop.create_server(
        [&] {
          sinks.push_back(make_ref<Sink>(out));
          return sinks.back();
        },
        "127.0.0.1", "0");
    Ref<FlowWriter> p;
    auto [t, base] = co_await loop.create_connection(
        [&] {
          p = make_ref<FlowWriter>(out);
          return p;
        },
        "127.0.0.1", std::to_string(server_port(*server)));
    auto [low, high] = t->get_write_buffer_limits();
    out.push_back("(" + std::to_string(low) + ", " + std::to_string(high) + ")");
    const std::string chunk(4096, 'x');
    while (!p->paused.done()) t->write(chunk);
    out.push_back(std::string("buffered more than high ") + (t->get_write_buffer_size() > 65536 ? "True" : "False"));
    co_await sleep(0);
    sinks.at(0)->t->resume_reading();
    while (t->get_write_buffer_size()) co_await sleep(0);
    out.push_back("drained");
    t->close();
    sinks[0]->t->close();
    server->close();
    co_await server->wait_closed();
  }());
  EXPECT_EQ(out, (Log{"server reading False", "(16384, 65536)", "pause_writing", "buffered more than high True",
                      "resume_writing", "drained"}));
}

struct LostPrinter : Protocol {
  Log& out;
  explicit LostPrinter(Log& out) : out(out) {}
  void connection_lost(std::exception_ptr exc) override { out.push_back("lost " + test::repr(exc)); }
};

// Python:
//   import asyncio, logging
//   class P(asyncio.Protocol):
//       def connection_made(self, t):
//           self.t = t
//       def connection_lost(self, exc):
//           print('lost', exc)
//   async def main():
//       loop = asyncio.get_running_loop()
//       server = await loop.create_server(asyncio.Protocol, '127.0.0.1', 0)
//       port = server.sockets[0].getsockname()[1]
//       t, p = await loop.create_connection(P, '127.0.0.1', port)
//       print(t.is_closing(), type(t.get_extra_info('peername')), t.get_extra_info('nope'))
//       t.close()
//       print(t.is_closing())
//       t.close()
//       for i in range(7):
//           t.write(b'x')
//       print('wrote')
//       await asyncio.sleep(0)
//       try:
//           t.write_eof()
//           t.write(b'y')
//       except RuntimeError as e:
//           print(e)
//       server.close()
//       await server.wait_closed()
//       print(logging.getLogger('asyncio').handlers)
//   asyncio.run(main())
// Output:
//   False <class 'tuple'> None
//   True
//   wrote
//   lost None
//   []
//   socket.send() raised exception.
//   socket.send() raised exception.
//   socket.send() raised exception.
//   socket.send() raised exception.
TEST_P(NetTest, WritesToAClosedTransportAreCountedThenWarned) {
  Log out, warnings;
  set_log_sink([&](const std::string& text, const ExceptionContext&) { warnings.push_back(text); });
  run([&]() -> Coro<> {
    EventLoop& loop = get_running_loop();
    Ref<Server> server = co_await loop.create_server([] { return make_ref<Protocol>(); }, "127.0.0.1", "0");
    auto [t, p] = co_await loop.create_connection([&] { return make_ref<LostPrinter>(out); }, "127.0.0.1",
                                                  std::to_string(server_port(*server)));
    out.push_back(std::string(t->is_closing() ? "True" : "False") + " " +
                  (std::holds_alternative<SockAddr>(t->get_extra_info("peername")) ? "<class 'tuple'>" : "?") + " " +
                  (std::holds_alternative<std::monostate>(t->get_extra_info("nope")) ? "None" : "?"));
    t->close();
    out.push_back(t->is_closing() ? "True" : "False");
    t->close();
    for (int i = 0; i < 7; ++i) t->write("x");
    out.push_back("wrote");
    co_await sleep(0);
    t->write_eof();
    t->write("y");
    server->close();
    co_await server->wait_closed();
    out.push_back("[]");
  }());
  set_log_sink(nullptr);
  // The warnings go to stderr (logging's last-resort handler), which the recording appends.
  out.insert(out.end(), warnings.begin(), warnings.end());
  EXPECT_EQ(out, (Log{"False <class 'tuple'> None", "True", "wrote", "lost None", "[]", "socket.send() raised exception.",
                      "socket.send() raised exception.", "socket.send() raised exception.",
                      "socket.send() raised exception."}));
}


struct UdpEcho : DatagramProtocol {
  Log& out;
  Ref<DatagramTransport> t;
  explicit UdpEcho(Log& out) : out(out) {}
  void connection_made(BaseTransport& bt) override {
    t = transport_cast<DatagramTransport>(bt);
    out.push_back("server made");
  }
  void datagram_received(std::string_view data, const SockAddr& addr) override {
    out.push_back("server got " + bytes_repr(data));
    std::string up(data);
    for (char& c : up) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
    t->sendto(up, addr);
  }
  void connection_lost(std::exception_ptr) override { t = nullptr; }
};

struct UdpClient : DatagramProtocol {
  Log& out;
  Future<std::string> got;
  explicit UdpClient(Log& out) : out(out), got(get_running_loop().create_future<std::string>()) {}
  void connection_made(BaseTransport& bt) override {
    out.push_back("client made");
    transport_cast<DatagramTransport>(bt)->sendto("ping");
  }
  void datagram_received(std::string_view data, const SockAddr&) override {
    out.push_back("client got " + bytes_repr(data));
    got.set_result(std::string(data));
  }
  void error_received(std::exception_ptr exc) override { out.push_back("error " + inspect(exc).exc->str()); }
  void connection_lost(std::exception_ptr exc) override { out.push_back("client lost " + test::repr(exc)); }
};

// Python:
//   import asyncio
//   class Echo(asyncio.DatagramProtocol):
//       def connection_made(self, t):
//           self.t = t
//           print('server made')
//       def datagram_received(self, data, addr):
//           print('server got', data)
//           self.t.sendto(data.upper(), addr)
//   class Client(asyncio.DatagramProtocol):
//       def __init__(self):
//           self.got = asyncio.get_running_loop().create_future()
//       def connection_made(self, t):
//           print('client made')
//           t.sendto(b'ping')
//       def datagram_received(self, data, addr):
//           print('client got', data)
//           self.got.set_result(data)
//       def error_received(self, exc):
//           print('error', exc)
//       def connection_lost(self, exc):
//           print('client lost', exc)
//   async def main():
//       loop = asyncio.get_running_loop()
//       st, sp = await loop.create_datagram_endpoint(Echo, local_addr=('127.0.0.1', 0))
//       addr = st.get_extra_info('sockname')
//       ct, cp = await loop.create_datagram_endpoint(Client, remote_addr=addr)
//       print(await cp.got)
//       try:
//           ct.sendto(b'x', ('127.0.0.1', 1))
//       except ValueError as e:
//           print(str(e).replace(str(addr[1]), 'PORT'))
//       st.close()
//       await asyncio.sleep(0)
//       ct.sendto(b'nobody')
//       await asyncio.sleep(0.01)
//       ct.close()
//       await asyncio.sleep(0)
//   asyncio.run(main())
// Output:
//   server made
//   client made
//   server got b'ping'
//   client got b'PING'
//   b'PING'
//   Invalid address: must be None or ('127.0.0.1', PORT)
//   error [Errno 111] Connection refused
//   client lost None
TEST_P(NetTest, DatagramEchoAndRefusedPeer) {
  Log out;
  run([&]() -> Coro<> {
    EventLoop& loop = get_running_loop();
    DatagramOptions server_opts;
    server_opts.local_addr = {"127.0.0.1", "0"};
    auto [st, sp] = co_await loop.create_datagram_endpoint([&] { return make_ref<UdpEcho>(out); }, std::move(server_opts));
    const SockAddr addr = std::get<SockAddr>(st->get_extra_info("sockname"));
    DatagramOptions client_opts;
    client_opts.remote_addr = {addr.host, std::to_string(addr.port)};
    Ref<UdpClient> cp;
    auto [ct, base] = co_await loop.create_datagram_endpoint(
        [&] {
          cp = make_ref<UdpClient>(out);
          return cp;
        },
        std::move(client_opts));
    out.push_back(bytes_repr(co_await cp->got));
    try {
      ct->sendto("x", SockAddr::inet("127.0.0.1", 1));
    } catch (const ValueError& e) {
      std::string text = e.str();
      text.replace(text.find(std::to_string(addr.port)), std::to_string(addr.port).size(), "PORT");
      out.push_back(text);
    }
    st->close();
    co_await sleep(0);
    ct->sendto("nobody");
    co_await sleep(0.01);
    ct->close();
    co_await sleep(0);
  }());
  EXPECT_EQ(out, (Log{"server made", "client made", "server got b'ping'", "client got b'PING'", "b'PING'",
                      "Invalid address: must be None or ('127.0.0.1', PORT)", "error [Errno 111] Connection refused",
                      "client lost None"}));
}

// Python:
//   import asyncio, os, tempfile
//   class Echo(asyncio.Protocol):
//       def connection_made(self, t):
//           self.t = t
//           print('server peer', repr(t.get_extra_info('peername')))
//       def data_received(self, data):
//           self.t.write(data)
//       def eof_received(self):
//           print('server eof')
//           return True
//       def connection_lost(self, exc):
//           print('server lost', exc)
//   class Client(asyncio.Protocol):
//       def __init__(self, done):
//           self.done = done
//       def connection_made(self, t):
//           self.t = t
//           t.write(b'abc')
//           t.write_eof()
//       def data_received(self, data):
//           print('client got', data)
//       def eof_received(self):
//           print('client eof')
//       def connection_lost(self, exc):
//           print('client lost', exc)
//           self.done.set_result(None)
//   async def main():
//       loop = asyncio.get_running_loop()
//       path = os.path.join(tempfile.mkdtemp(), 'sock')
//       servers = []
//       def factory():
//           p = Echo()
//           servers.append(p)
//           return p
//       server = await loop.create_unix_server(factory, path)
//       print(server.sockets[0].getsockname() == path)
//       done = loop.create_future()
//       t, p = await loop.create_unix_connection(lambda: Client(done), path)
//       await asyncio.sleep(0.01)
//       print('server closing:', servers[0].t.is_closing())
//       servers[0].t.write(b'late')
//       servers[0].t.close()
//       await done
//       server.close()
//       await server.wait_closed()
//       try:
//           await loop.create_unix_server(asyncio.Protocol, path)
//           print('rebound after close')
//       except OSError as e:
//           print(e)
//   asyncio.run(main())
// Output:
//   True
//   server peer ''
//   server eof
//   client got b'abc'
//   server closing: False
//   server lost None
//   client got b'late'
//   client eof
//   client lost None
//   rebound after close
TEST_P(NetTest, UnixSocketsHalfCloseWhenEofReceivedReturnsTrue) {
  Log out;
  char dir_template[] = "/tmp/aiospec-test-XXXXXX";
  const std::string path = std::string(mkdtemp(dir_template)) + "/sock";
  run([&]() -> Coro<> {
    EventLoop& loop = get_running_loop();
    std::vector<Ref<Recorder>> servers;
    Ref<Server> server = co_await loop.create_unix_server(
        [&] {
          auto p = make_ref<Recorder>(out, "server");
          p->keep_open = true;
          p->on_made = [&out, p = p.get()] {
            const SockAddr peer = std::get<SockAddr>(p->transport->get_extra_info("peername"));
            out.back() = "server peer " + peer.repr();
          };
          p->on_data = [p = p.get()](std::string_view d) {
            p->log.pop_back();
            p->transport->write(d);
          };
          servers.push_back(p);
          return p;
        },
        path);
    out.push_back(server->sockets().at(0).getsockname().path == path ? "True" : "False");
    Future<> done = loop.create_future();
    co_await loop.create_unix_connection(
        [&] {
          auto p = make_ref<Recorder>(out, "client");
          p->on_made = [p = p.get()] {
            p->log.pop_back();
            p->transport->write("abc");
            p->transport->write_eof();
          };
          p->on_data = [p = p.get()](std::string_view d) { p->log.back() = "client got " + bytes_repr(d); };
          p->on_lost = [done] { done.set_result(); };
          return p;
        },
        path);
    co_await sleep(0.01);
    out.push_back(std::string("server closing: ") + (servers.at(0)->transport->is_closing() ? "True" : "False"));
    servers[0]->transport->write("late");
    servers[0]->transport->close();
    co_await done;
    server->close();
    co_await server->wait_closed();
    Ref<Server> again = co_await loop.create_unix_server([] { return make_ref<Protocol>(); }, path);
    out.push_back("rebound after close");
    again->close();
  }());
  unlink(path.c_str());
  rmdir(path.substr(0, path.size() - 5).c_str());
  EXPECT_EQ(out, (Log{"True", "server peer ''", "server eof", "client got b'abc'", "server closing: False",
                      "server lost None", "client got b'late'", "client eof", "client lost None",
                      "rebound after close"}));
}


std::string replace_all(std::string s, const std::string& from, const std::string& to) {
  for (auto at = s.find(from); at != std::string::npos; at = s.find(from, at + to.size())) s.replace(at, from.size(), to);
  return s;
}

// Python:
//   import asyncio, socket
//   class P(asyncio.Protocol):
//       def connection_made(self, t):
//           self.t = t
//   async def main():
//       loop = asyncio.get_running_loop()
//       server = await loop.create_server(P, '127.0.0.1', 0)
//       print(server.is_serving(), len(server.sockets))
//       port = server.sockets[0].getsockname()[1]
//       t, p = await loop.create_connection(P, '127.0.0.1', port)
//       fd = t.get_extra_info('socket').fileno()
//       try:
//           loop.add_reader(fd, print)
//       except RuntimeError as e:
//           print(str(e).split(' is used by transport ')[0].replace(str(fd), 'FD'), '<' + repr(t).split(' fd=')[0][1:])
//       print(repr(t).replace(str(fd), 'FD'))
//       task = asyncio.create_task(server.serve_forever())
//       await asyncio.sleep(0)
//       try:
//           await server.serve_forever()
//       except RuntimeError as e:
//           print(type(e).__name__, str(e).split(' is already')[1])
//       task.cancel()
//       try:
//           await task
//       except asyncio.CancelledError:
//           print('serve_forever cancelled; serving:', server.is_serving(), server.sockets)
//       t.close()
//       print(repr(t).replace(str(fd), 'FD'))
//       await asyncio.sleep(0)
//       print(repr(t).replace(str(fd), 'FD'))
//       async with await loop.create_server(P, '127.0.0.1', 0) as s2:
//           print('in async with', s2.is_serving())
//       print('after async with', s2.is_serving(), s2.sockets)
//   asyncio.run(main())
// Output:
//   True 1
//   File descriptor FD <_SelectorSocketTransport
//   <_SelectorSocketTransport fd=FD read=polling write=<idle, bufsize=0>>
//   RuntimeError  being awaited on serve_forever()
//   serve_forever cancelled; serving: False ()
//   <_SelectorSocketTransport closing fd=FD read=idle write=<idle, bufsize=0>>
//   <_SelectorSocketTransport closed fd=FD>
//   in async with True
//   after async with False ()
TEST_P(NetTest, ServerLifecycleAndTransportRepr) {
  Log out;
  run([&]() -> Coro<> {
    EventLoop& loop = get_running_loop();
    auto factory = [] { return make_ref<Protocol>(); };
    Ref<Server> server = co_await loop.create_server(factory, "127.0.0.1", "0");
    out.push_back(std::string(server->is_serving() ? "True" : "False") + " " + std::to_string(server->sockets().size()));
    auto [t, p] = co_await loop.create_connection(factory, "127.0.0.1", std::to_string(server_port(*server)));
    const int fd = std::get<Socket*>(t->get_extra_info("socket"))->fileno();
    const std::string fds = std::to_string(fd);
    try {
      loop.add_reader(fd, [] {});
    } catch (const RuntimeError& e) {
      const std::string text = e.str();
      out.push_back(replace_all(text.substr(0, text.find(" is used by transport ")), fds, "FD") + " <" +
                    t->repr().substr(1, t->repr().find(" fd=") - 1));
    }
    out.push_back(replace_all(t->repr(), fds, "FD"));
    auto task = create_task(server->serve_forever());
    co_await sleep(0);
    try {
      co_await server->serve_forever();
    } catch (const RuntimeError& e) {
      const std::string text = e.str();
      out.push_back(std::string(e.type_name()) + " " + text.substr(text.find(" is already") + 11));
    }
    task.cancel();
    try {
      co_await task;
    } catch (const CancelledError&) {
      out.push_back(std::string("serve_forever cancelled; serving: ") + (server->is_serving() ? "True" : "False") +
                    (server->sockets().empty() ? " ()" : " (...)"));
    }
    t->close();
    out.push_back(replace_all(t->repr(), fds, "FD"));
    co_await sleep(0);
    out.push_back(replace_all(t->repr(), fds, "FD"));
    Ref<Server> s2 = co_await loop.create_server(factory, "127.0.0.1", "0");
    co_await async_with(*s2, [&](Server* s) -> Coro<> {
      out.push_back(std::string("in async with ") + (s->is_serving() ? "True" : "False"));
      co_return;
    });
    out.push_back(std::string("after async with ") + (s2->is_serving() ? "True" : "False") +
                  (s2->sockets().empty() ? " ()" : " (...)"));
  }());
  EXPECT_EQ(out, (Log{"True 1", "File descriptor FD <_SelectorSocketTransport",
                      "<_SelectorSocketTransport fd=FD read=polling write=<idle, bufsize=0>>",
                      "RuntimeError  being awaited on serve_forever()", "serve_forever cancelled; serving: False ()",
                      "<_SelectorSocketTransport closing fd=FD read=idle write=<idle, bufsize=0>>",
                      "<_SelectorSocketTransport closed fd=FD>", "in async with True", "after async with False ()"}));
}

struct CountingClient : Protocol {
  int i;
  std::vector<int>& results;
  std::string expected, buf;
  Ref<Transport> t;
  CountingClient(int i, std::vector<int>& results) : i(i), results(results) {
    for (int k = 0; k < 1000; ++k) expected += std::to_string(i) + ";";
  }
  void connection_made(BaseTransport& bt) override {
    t = transport_cast<Transport>(bt);
    t->write(expected);
  }
  void data_received(std::string_view data) override {
    buf += data;
    if (buf.size() == expected.size()) {
      results.push_back(buf == expected ? i : -1);
      t->close();
    }
  }
  void connection_lost(std::exception_ptr) override { t = nullptr; }
};

struct Echo : Protocol {
  Ref<Transport> t;
  void connection_made(BaseTransport& bt) override { t = transport_cast<Transport>(bt); }
  void data_received(std::string_view data) override { t->write(data); }
  void connection_lost(std::exception_ptr) override { t = nullptr; }
};

// Python:
//   import asyncio
//   N = 20
//   class Echo(asyncio.Protocol):
//       def connection_made(self, t):
//           self.t = t
//       def data_received(self, data):
//           self.t.write(data)
//   class Client(asyncio.Protocol):
//       def __init__(self, i, results):
//           self.i, self.results, self.buf = i, results, b''
//       def connection_made(self, t):
//           self.t = t
//           t.write(b'%d;' % self.i * 1000)
//       def data_received(self, data):
//           self.buf += data
//           if len(self.buf) == len(b'%d;' % self.i) * 1000:
//               self.results.append(self.i)
//               self.t.close()
//   async def main():
//       loop = asyncio.get_running_loop()
//       server = await loop.create_server(Echo, '127.0.0.1', 0)
//       port = server.sockets[0].getsockname()[1]
//       results = []
//       conns = await asyncio.gather(*[loop.create_connection(lambda i=i: Client(i, results), '127.0.0.1', port) for i in range(N)])
//       while len(results) < N:
//           await asyncio.sleep(0.001)
//       print(sorted(results) == list(range(N)))
//       server.close()
//       await server.wait_closed()
//       print('closed')
//   asyncio.run(main())
// Output:
//   True
//   closed
TEST_P(NetTest, ManyConcurrentClientsEachGetTheirOwnBytes) {
  constexpr int kClients = 20;
  std::vector<int> results;
  run([&]() -> Coro<> {
    EventLoop& loop = get_running_loop();
    Ref<Server> server = co_await loop.create_server([] { return make_ref<Echo>(); }, "127.0.0.1", "0");
    const std::string port = std::to_string(server_port(*server));
    std::vector<Task<std::pair<Ref<Transport>, Ref<BaseProtocol>>>> conns;
    for (int i = 0; i < kClients; ++i)
      conns.push_back(create_task(
          loop.create_connection([i, &results] { return make_ref<CountingClient>(i, results); }, "127.0.0.1", port)));
    co_await gather(std::move(conns));
    while (results.size() < kClients) co_await sleep(0.001);
    server->close();
    co_await server->wait_closed();
  }());
  std::sort(results.begin(), results.end());
  std::vector<int> expected(kClients);
  std::iota(expected.begin(), expected.end(), 0);
  EXPECT_EQ(results, expected);
}

// A transport's reader that another callback removes in the same iteration does not run: its queued
// entry is cancelled (selector_events.py: _remove_reader cancels the handle _process_events queued).
// Python:
//   import asyncio, socket
//   log = []
//   protos = {}
//   class P(asyncio.Protocol):
//       def __init__(self, name):
//           self.name = name
//           protos[name] = self
//       def connection_made(self, t):
//           self.t = t
//       def data_received(self, data):
//           log.append(f'{self.name} data {data!r}')
//           if self.name == 'a':
//               protos['b'].t.pause_reading()
//               log.append('b paused')
//   async def main():
//       loop = asyncio.get_running_loop()
//       a1, a2 = socket.socketpair()
//       b1, b2 = socket.socketpair()
//       await loop.connect_accepted_socket(lambda: P('a'), a1)
//       await loop.connect_accepted_socket(lambda: P('b'), b1)
//       a2.send(b'x')
//       b2.send(b'y')
//       await asyncio.sleep(0.01)
//       log.append('resuming b')
//       protos['b'].t.resume_reading()
//       await asyncio.sleep(0.01)
//       for p in protos.values():
//           p.t.close()
//       a2.close()
//       b2.close()
//       await asyncio.sleep(0)
//       print('\n'.join(log))
//   asyncio.run(main())
// Output:
//   a data b'x'
//   b paused
//   resuming b
//   b data b'y'
TEST_P(NetTest, ReaderRemovedInTheSameIterationDoesNotRun) {
  Log log;
  run([&]() -> Coro<> {
    EventLoop& loop = get_running_loop();
    auto [a1, a2] = socketpair();
    auto [b1, b2] = socketpair();
    auto a = make_ref<Recorder>(log, "a");
    auto b = make_ref<Recorder>(log, "b");
    a->on_data = [&log, b = b.get()](std::string_view) {
      b->transport->pause_reading();
      log.push_back("b paused");
    };
    // Named: g++ 12 destroys a by-value closure written inside a co_await expression twice.
    auto make_a = [a] { return a; };
    auto make_b = [b] { return b; };
    co_await loop.connect_accepted_socket(make_a, std::move(a1));
    co_await loop.connect_accepted_socket(make_b, std::move(b1));
    a2.send("x");
    b2.send("y");
    co_await sleep(0.01);
    log.push_back("resuming b");
    b->transport->resume_reading();
    co_await sleep(0.01);
    for (auto* p : {a.get(), b.get()}) p->transport->close();
    a2.close();
    b2.close();
    co_await sleep(0);
  }());
  std::erase_if(log, [](const std::string& e) { return e.ends_with(" made") || e.ends_with(" lost None"); });
  EXPECT_EQ(log, (Log{"a data b'x'", "b paused", "resuming b", "b data b'y'"}));
}

INSTANTIATE_TEST_SUITE_P(Networks, NetTest, testing::Values(Net::real, Net::simulated), net_name);

}  // namespace
}  // namespace asyncio::test
