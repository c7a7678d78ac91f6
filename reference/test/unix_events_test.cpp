// Pipe transports (unix_events.py: _UnixReadPipeTransport, _UnixWritePipeTransport) and
// loop.connect_read_pipe / connect_write_pipe (base_events.py), on the kernel's pipes (a real-time
// loop on epoll) and on the simulated network's: the same trace on both. The programs print
// descriptors by name (fd=r, fd=w), since their numbers differ between CPython and the two networks.
#include <fcntl.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>

#include <csignal>
#include <string>
#include <string_view>
#include <tuple>

#include <asyncio/unix_events.hpp>

#include "net_support.hpp"
#include "trace.hpp"

namespace asyncio::test {
namespace {

/// print(data) of a bytes object (the tests' data is printable ASCII).
std::string bytes_repr(std::string_view data) { return "b'" + std::string(data) + "'"; }

/// repr(transport) with its descriptor `fd` named `name`.
std::string show(const BaseTransport& t, int fd, const char* name) {
  std::string s = t.repr();
  const std::string number = "fd=" + std::to_string(fd) + " ";
  if (auto at = s.find(number); at != std::string::npos) s.replace(at, number.size(), std::string("fd=") + name + " ");
  return s;
}

/// The callbacks, as the programs' protocol prints them (prefixed with its name, if any).
struct Recorder : Protocol {
  Recorder(Trace& t, std::string name) : t(t), prefix(name.empty() ? name : name + " ") {}
  void connection_made(BaseTransport& tr) override {
    transport = &tr;
    t(prefix + "connection_made");
  }
  void data_received(std::string_view data) override { t(prefix + "data_received " + bytes_repr(data)); }
  bool eof_received() override {
    t(prefix + "eof_received");
    return true;  // ignored: a pipe cannot stay half-open
  }
  void pause_writing() override { t(prefix + "pause_writing " + buffer_size()); }
  void resume_writing() override { t(prefix + "resume_writing " + buffer_size()); }
  void connection_lost(std::exception_ptr e) override { t(prefix + "connection_lost " + test::repr(e)); }
  std::string buffer_size() { return std::to_string(transport_cast<WriteTransport>(*transport)->get_write_buffer_size()); }

  Trace& t;
  std::string prefix;
  BaseTransport* transport = nullptr;
};

/// Pipes of the running loop's network, and the protocol factory of the programs' P.
class Pipes : public NetTest {
 protected:
  static Network& net() { return get_running_loop().network(); }
  static std::pair<int, int> pipe() {
    int fds[2];
    EXPECT_EQ(net().pipe(fds), 0);
    return {fds[0], fds[1]};
  }
  static void write(int fd, std::string_view data) {
    EXPECT_EQ(net().send(fd, data.data(), data.size()), static_cast<long>(data.size()));
  }
  /// os.read(fd, 1 << 20) of a pipe that has data or is at EOF.
  static std::string read(int fd) {
    std::string buf(1 << 20, '\0');
    const long n = net().recv(fd, buf.data(), buf.size());
    EXPECT_GE(n, 0);
    buf.resize(n > 0 ? static_cast<std::size_t>(n) : 0);
    return buf;
  }
  EventLoop::ProtocolFactoryFn recorder(std::string name = {}) {
    return [this, name] { return Ref<BaseProtocol>(make_ref<Recorder>(t, name)); };
  }
  static Ref<BaseProtocol> plain() { return make_ref<Protocol>(); }

  Trace t;
};

INSTANTIATE_TEST_SUITE_P(Networks, Pipes, testing::Values(Net::real, Net::simulated), net_name);

// The constructor's call_soon order: connection_made (the reader is not registered yet: idle), the
// reader, the waiter; data, then EOF: eof_received and connection_lost(None) each from its own
// call_soon, whatever eof_received answers.
// Python:
//   import asyncio, os
//   r, w = os.pipe()
//   def show(t): return repr(t).replace(f'fd={r} ', 'fd=r ')
//   class P(asyncio.Protocol):
//       def connection_made(self, t): print('connection_made', show(t))
//       def data_received(self, d): print('data_received', d)
//       def eof_received(self):
//           print('eof_received')
//           return True  # ignored: a pipe cannot stay half-open
//       def connection_lost(self, e): print('connection_lost', repr(e))
//   async def main():
//       loop = asyncio.get_running_loop()
//       os.write(w, b'hello')
//       os.close(w)
//       t, p = await loop.connect_read_pipe(P, open(r, 'rb', 0))
//       print('connected', show(t), t.get_extra_info('pipe').fileno() == r)
//       for i in range(3):
//           await asyncio.sleep(0)
//           print('tick', i, show(t))
//   asyncio.run(main())
// Output:
//   connection_made <_UnixReadPipeTransport fd=r idle>
//   connected <_UnixReadPipeTransport fd=r polling> True
//   data_received b'hello'
//   tick 0 <_UnixReadPipeTransport fd=r polling>
//   tick 1 <_UnixReadPipeTransport closing fd=r idle>
//   eof_received
//   connection_lost None
//   tick 2 <_UnixReadPipeTransport closed fd=r closed>
TEST_P(Pipes, DataThenEofThenConnectionLost) {
  struct Shows : Recorder {
    Shows(Trace& t, int fd) : Recorder(t, ""), fd(fd) {}
    void connection_made(BaseTransport& tr) override { t("connection_made " + show(tr, fd, "r")); }
    int fd;
  };
  auto main = [&]() -> Coro<> {
    auto [r, w] = pipe();
    write(w, "hello");
    net().close(w);
    auto [tr, p] =
        co_await get_running_loop().connect_read_pipe([&, r = r] { return Ref<BaseProtocol>(make_ref<Shows>(t, r)); }, r);
    t("connected " + show(*tr, r, "r") + (std::get<int>(tr->get_extra_info("pipe")) == r ? " True" : " False"));
    for (int i = 0; i < 3; ++i) {
      co_await sleep(0);
      t("tick " + std::to_string(i) + " " + show(*tr, r, "r"));
    }
  };
  run(main());
  EXPECT_EQ(t.events, (Events{"connection_made <_UnixReadPipeTransport fd=r idle>",
                              "connected <_UnixReadPipeTransport fd=r polling> True", "data_received b'hello'",
                              "tick 0 <_UnixReadPipeTransport fd=r polling>",
                              "tick 1 <_UnixReadPipeTransport closing fd=r idle>", "eof_received",
                              "connection_lost None", "tick 2 <_UnixReadPipeTransport closed fd=r closed>"}));
}

// pause_reading removes the reader, resume_reading adds it back; both are idempotent, and
// resume_reading does nothing once the transport is closing.
// Python:
//   import asyncio, os
//   r, w = os.pipe()
//   def show(t): return repr(t).replace(f'fd={r} ', 'fd=r ')
//   class P(asyncio.Protocol):
//       def connection_made(self, t): print('connection_made')
//       def data_received(self, d): print('data_received', d)
//       def connection_lost(self, e): print('connection_lost', repr(e))
//   async def main():
//       loop = asyncio.get_running_loop()
//       t, p = await loop.connect_read_pipe(P, open(r, 'rb', 0))
//       t.pause_reading()
//       t.pause_reading()
//       print(t.is_reading(), show(t))
//       os.write(w, b'ab')
//       for _ in range(3):
//           await asyncio.sleep(0)
//       print('resume')
//       t.resume_reading()
//       t.resume_reading()
//       print(t.is_reading(), show(t))
//       for _ in range(2):
//           await asyncio.sleep(0)
//       os.write(w, b'cd')
//       for _ in range(2):
//           await asyncio.sleep(0)
//       t.close()
//       t.resume_reading()
//       print(t.is_reading(), show(t))
//       await asyncio.sleep(0)
//       os.close(w)
//   asyncio.run(main())
// Output:
//   connection_made
//   False <_UnixReadPipeTransport fd=r idle>
//   resume
//   True <_UnixReadPipeTransport fd=r polling>
//   data_received b'ab'
//   data_received b'cd'
//   False <_UnixReadPipeTransport closing fd=r idle>
//   connection_lost None
TEST_P(Pipes, PauseAndResumeReading) {
  auto main = [&]() -> Coro<> {
    auto [r, w] = pipe();
    auto [tr, p] = co_await get_running_loop().connect_read_pipe(recorder(), r);
    auto reading = [&, r = r, tr = tr] { t(std::string(tr->is_reading() ? "True " : "False ") + show(*tr, r, "r")); };
    tr->pause_reading();
    tr->pause_reading();
    reading();
    write(w, "ab");
    for (int i = 0; i < 3; ++i) co_await sleep(0);
    t("resume");
    tr->resume_reading();
    tr->resume_reading();
    reading();
    for (int i = 0; i < 2; ++i) co_await sleep(0);
    write(w, "cd");
    for (int i = 0; i < 2; ++i) co_await sleep(0);
    tr->close();
    tr->resume_reading();
    reading();
    co_await sleep(0);
    net().close(w);
  };
  run(main());
  EXPECT_EQ(t.events, (Events{"connection_made", "False <_UnixReadPipeTransport fd=r idle>", "resume",
                              "True <_UnixReadPipeTransport fd=r polling>", "data_received b'ab'",
                              "data_received b'cd'", "False <_UnixReadPipeTransport closing fd=r idle>",
                              "connection_lost None"}));
}

// write() writes what the pipe takes (64 KiB on Linux) and buffers the rest: pause_writing once the
// buffer is over the high-water mark, resume_writing when _write_ready has drained it to the low one.
// close() with data buffered waits for the flush; then connection_lost(None) runs from _write_ready.
// Python:
//   import asyncio, os
//   r, w = os.pipe()
//   def show(t): return repr(t).replace(f'fd={w} ', 'fd=w ')
//   class P(asyncio.Protocol):
//       def connection_made(self, t):
//           self.t = t
//           print('connection_made')
//       def pause_writing(self): print('pause_writing', self.t.get_write_buffer_size())
//       def resume_writing(self): print('resume_writing', self.t.get_write_buffer_size())
//       def connection_lost(self, e): print('connection_lost', repr(e))
//   async def main():
//       loop = asyncio.get_running_loop()
//       t, p = await loop.connect_write_pipe(P, open(w, 'wb', 0))
//       print(t.get_write_buffer_limits(), t.can_write_eof(), show(t))
//       t.set_write_buffer_limits(high=4096, low=1024)
//       t.write(b'x' * 70000)
//       print(show(t))
//       t.write(b'y' * 1000)
//       print(t.get_write_buffer_size())
//       for _ in range(2):
//           await asyncio.sleep(0)
//       print('read', len(os.read(r, 1 << 20)))
//       await asyncio.sleep(0)
//       print(show(t))
//       t.close()
//       await asyncio.sleep(0)
//       print('read', len(os.read(r, 1 << 20)), os.read(r, 1 << 20))
//   asyncio.run(main())
// Output:
//   connection_made
//   (16384, 65536) True <_UnixWritePipeTransport fd=w idle bufsize=0>
//   pause_writing 4464
//   <_UnixWritePipeTransport fd=w polling bufsize=4464>
//   5464
//   read 65536
//   <_UnixWritePipeTransport fd=w polling bufsize=5464>
//   resume_writing 0
//   connection_lost None
//   read 5464 b''
TEST_P(Pipes, WriteBuffersAndFlowControl) {
  auto main = [&]() -> Coro<> {
    auto [r, w] = pipe();
    auto [tr, p] = co_await get_running_loop().connect_write_pipe(recorder(), w);
    auto [low, high] = tr->get_write_buffer_limits();
    t("(" + std::to_string(low) + ", " + std::to_string(high) + ") " + (tr->can_write_eof() ? "True " : "False ") +
      show(*tr, w, "w"));
    tr->set_write_buffer_limits(4096, 1024);
    tr->write(std::string(70000, 'x'));
    t(show(*tr, w, "w"));
    tr->write(std::string(1000, 'y'));
    t(std::to_string(tr->get_write_buffer_size()));
    for (int i = 0; i < 2; ++i) co_await sleep(0);
    t("read " + std::to_string(read(r).size()));
    co_await sleep(0);
    t(show(*tr, w, "w"));
    tr->close();
    co_await sleep(0);
    const std::string rest = read(r);
    t("read " + std::to_string(rest.size()) + " " + bytes_repr(read(r)));
    net().close(r);
  };
  run(main());
  EXPECT_EQ(t.events, (Events{"connection_made", "(16384, 65536) True <_UnixWritePipeTransport fd=w idle bufsize=0>",
                              "pause_writing 4464", "<_UnixWritePipeTransport fd=w polling bufsize=4464>", "5464",
                              "read 65536", "<_UnixWritePipeTransport fd=w polling bufsize=5464>", "resume_writing 0",
                              "connection_lost None", "read 5464 b''"}));
}

// Writes to a closing or lost pipe are dropped and counted; from the sixth on each is logged (the
// asyncio logger's warning, printed by logging's last-resort handler); an empty write is not
// counted. The output lists stderr after stdout.
// Python:
//   import asyncio, os
//   r, w = os.pipe()
//   class P(asyncio.Protocol):
//       def connection_made(self, t): print('connection_made')
//       def connection_lost(self, e): print('connection_lost', repr(e))
//   async def main():
//       loop = asyncio.get_running_loop()
//       t, p = await loop.connect_write_pipe(P, open(w, 'wb', 0))
//       t.write(b'a')
//       t.close()
//       print(t.is_closing())
//       for i in range(7):
//           t.write(b'b')
//       t.write(b'')
//       await asyncio.sleep(0)
//       t.write(b'c')
//       print(os.read(r, 100), os.read(r, 100))
//   asyncio.run(main())
// Output:
//   connection_made
//   True
//   connection_lost None
//   b'a' b''
//   pipe closed by peer or os.write(pipe, data) raised exception.
//   pipe closed by peer or os.write(pipe, data) raised exception.
//   pipe closed by peer or os.write(pipe, data) raised exception.
TEST_P(Pipes, WriteAfterCloseIsDroppedAndLogged) {
  LogCapture logged;
  auto main = [&]() -> Coro<> {
    auto [r, w] = pipe();
    auto [tr, p] = co_await get_running_loop().connect_write_pipe(recorder(), w);
    tr->write("a");
    tr->close();
    t(tr->is_closing() ? "True" : "False");
    for (int i = 0; i < 7; ++i) tr->write("b");
    tr->write("");
    co_await sleep(0);
    tr->write("c");
    const std::string data = read(r);
    t(bytes_repr(data) + " " + bytes_repr(read(r)));
    net().close(r);
  };
  run(main());
  t.events.insert(t.events.end(), logged.texts.begin(), logged.texts.end());
  EXPECT_EQ(t.events, (Events{"connection_made", "True", "connection_lost None", "b'a' b''",
                              "pipe closed by peer or os.write(pipe, data) raised exception.",
                              "pipe closed by peer or os.write(pipe, data) raised exception.",
                              "pipe closed by peer or os.write(pipe, data) raised exception."}));
}

// abort() drops the buffer and closes at once: connection_lost(None) one iteration later.
// Python:
//   import asyncio, os
//   r, w = os.pipe()
//   def show(t): return repr(t).replace(f'fd={w} ', 'fd=w ')
//   class P(asyncio.Protocol):
//       def connection_made(self, t): print('connection_made')
//       def connection_lost(self, e): print('connection_lost', repr(e))
//   async def main():
//       loop = asyncio.get_running_loop()
//       t, p = await loop.connect_write_pipe(P, open(w, 'wb', 0))
//       t.write(b'x' * 70000)
//       print(t.get_write_buffer_size())
//       t.abort()
//       print(t.get_write_buffer_size(), t.is_closing(), show(t))
//       await asyncio.sleep(0)
//       print(show(t))
//       print('read', len(os.read(r, 1 << 20)), os.read(r, 1 << 20))
//   asyncio.run(main())
// Output:
//   connection_made
//   4464
//   0 True <_UnixWritePipeTransport closing fd=w idle bufsize=0>
//   connection_lost None
//   <_UnixWritePipeTransport closed fd=w closed>
//   read 65536 b''
TEST_P(Pipes, AbortDropsTheBuffer) {
  auto main = [&]() -> Coro<> {
    auto [r, w] = pipe();
    auto [tr, p] = co_await get_running_loop().connect_write_pipe(recorder(), w);
    tr->write(std::string(70000, 'x'));
    t(std::to_string(tr->get_write_buffer_size()));
    tr->abort();
    t(std::to_string(tr->get_write_buffer_size()) + (tr->is_closing() ? " True " : " False ") + show(*tr, w, "w"));
    co_await sleep(0);
    t(show(*tr, w, "w"));
    const std::string data = read(r);
    t("read " + std::to_string(data.size()) + " " + bytes_repr(read(r)));
    net().close(r);
  };
  run(main());
  EXPECT_EQ(t.events, (Events{"connection_made", "4464", "0 True <_UnixWritePipeTransport closing fd=w idle bufsize=0>",
                              "connection_lost None", "<_UnixWritePipeTransport closed fd=w closed>",
                              "read 65536 b''"}));
}

// The write end learns that the read end was closed from its reader (the descriptor turns readable):
// connection_lost(None) with nothing buffered, BrokenPipeError() with data buffered. A write that
// finds the read end gone first fails with EPIPE: connection_lost(BrokenPipeError(32, 'Broken pipe')),
// and the OSError is not reported to the exception handler.
// Python:
//   import asyncio, os
//   class P(asyncio.Protocol):
//       def __init__(self, name): self.name = name
//       def connection_made(self, t): print(self.name, 'connection_made')
//       def connection_lost(self, e): print(self.name, 'connection_lost', repr(e))
//   async def main():
//       loop = asyncio.get_running_loop()
//       loop.set_exception_handler(lambda loop, c: print('handler', c['message']))
//       ends = [os.pipe() for _ in range(3)]
//       a, b, c = [(await loop.connect_write_pipe(lambda: P(name), open(w, 'wb', 0)))[0]
//                  for name, (r, w) in zip('abc', ends)]
//       os.close(ends[0][0])  # a: nothing buffered when the read end goes
//       b.write(b'x' * 70000)
//       os.close(ends[1][0])  # b: data buffered
//       os.close(ends[2][0])
//       c.write(b'y')  # c: a write finds the read end gone before the loop noticed
//       print('closed')
//       for _ in range(2):
//           await asyncio.sleep(0)
//   asyncio.run(main())
// Output:
//   a connection_made
//   b connection_made
//   c connection_made
//   closed
//   c connection_lost BrokenPipeError(32, 'Broken pipe')
//   a connection_lost None
//   b connection_lost BrokenPipeError()
TEST_P(Pipes, ClosingTheReadEndEndsTheWriteEnd) {
  // write() to a pipe without a reader raises SIGPIPE, which CPython ignores from startup.
  auto old = std::signal(SIGPIPE, SIG_IGN);
  HandlerLog handler;
  auto main = [&]() -> Coro<> {
    handler.install(get_running_loop());
    std::pair<int, int> ends[3] = {pipe(), pipe(), pipe()};
    Ref<Transport> ts[3];
    for (int i = 0; i < 3; ++i)
      ts[i] = (co_await get_running_loop().connect_write_pipe(recorder(std::string(1, "abc"[i])), ends[i].second)).first;
    net().close(ends[0].first);
    ts[1]->write(std::string(70000, 'x'));
    net().close(ends[1].first);
    net().close(ends[2].first);
    ts[2]->write("y");
    t("closed");
    for (int i = 0; i < 2; ++i) co_await sleep(0);
  };
  run(main());
  std::signal(SIGPIPE, old);
  EXPECT_EQ(t.events, (Events{"a connection_made", "b connection_made", "c connection_made", "closed",
                              "c connection_lost BrokenPipeError(32, 'Broken pipe')", "a connection_lost None",
                              "b connection_lost BrokenPipeError()"}));
  EXPECT_EQ(handler.lines, std::vector<std::string>{});
}

// close() twice (and write_eof() after close()) ends the connection once; repr shows closing, then
// closed.
// Python:
//   import asyncio, os
//   r, w = os.pipe()
//   def show(t): return repr(t).replace(f'fd={r} ', 'fd=r ').replace(f'fd={w} ', 'fd=w ')
//   class P(asyncio.Protocol):
//       def __init__(self, name): self.name = name
//       def connection_made(self, t): print(self.name, 'connection_made')
//       def connection_lost(self, e): print(self.name, 'connection_lost', repr(e))
//   async def main():
//       loop = asyncio.get_running_loop()
//       rt, _ = await loop.connect_read_pipe(lambda: P('read'), open(r, 'rb', 0))
//       wt, _ = await loop.connect_write_pipe(lambda: P('write'), open(w, 'wb', 0))
//       print(show(rt), show(wt))
//       for t in (rt, wt):
//           t.close()
//           t.close()
//           print(t.is_closing(), show(t))
//       await asyncio.sleep(0)
//       print(show(rt), show(wt))
//       rt.close()
//       wt.close()
//       wt.write_eof()
//       await asyncio.sleep(0)
//   asyncio.run(main())
// Output:
//   read connection_made
//   write connection_made
//   <_UnixReadPipeTransport fd=r polling> <_UnixWritePipeTransport fd=w idle bufsize=0>
//   True <_UnixReadPipeTransport closing fd=r idle>
//   True <_UnixWritePipeTransport closing fd=w idle bufsize=0>
//   read connection_lost None
//   write connection_lost None
//   <_UnixReadPipeTransport closed fd=r closed> <_UnixWritePipeTransport closed fd=w closed>
TEST_P(Pipes, ClosingTwiceEndsOnce) {
  auto main = [&]() -> Coro<> {
    auto [r, w] = pipe();
    auto [rt, rp] = co_await get_running_loop().connect_read_pipe(recorder("read"), r);
    auto [wt, wp] = co_await get_running_loop().connect_write_pipe(recorder("write"), w);
    auto both = [&, r = r, w = w, rt = rt, wt = wt] { t(show(*rt, r, "r") + " " + show(*wt, w, "w")); };
    both();
    for (auto& [tr, fd, name] : {std::tuple{rt, r, "r"}, std::tuple{wt, w, "w"}}) {
      tr->close();
      tr->close();
      t(std::string(tr->is_closing() ? "True " : "False ") + show(*tr, fd, name));
    }
    co_await sleep(0);
    both();
    rt->close();
    wt->close();
    wt->write_eof();
    co_await sleep(0);
  };
  run(main());
  EXPECT_EQ(t.events, (Events{"read connection_made", "write connection_made",
                              "<_UnixReadPipeTransport fd=r polling> <_UnixWritePipeTransport fd=w idle bufsize=0>",
                              "True <_UnixReadPipeTransport closing fd=r idle>",
                              "True <_UnixWritePipeTransport closing fd=w idle bufsize=0>", "read connection_lost None",
                              "write connection_lost None",
                              "<_UnixReadPipeTransport closed fd=r closed> <_UnixWritePipeTransport closed fd=w closed>"}));
}

// abort() after close() or abort(): CPython schedules connection_lost again, and that call fails
// (AttributeError: 'NoneType' object has no attribute 'close', to the exception handler); abort()
// once connection_lost has run raises AttributeError. Here both do nothing: connection_lost runs once.
TEST_P(Pipes, AbortAfterCloseEndsOnce) {
  HandlerLog handler;
  auto main = [&]() -> Coro<> {
    handler.install(get_running_loop());
    auto [r, w] = pipe();
    auto [wt, wp] = co_await get_running_loop().connect_write_pipe(recorder(), w);
    wt->close();
    wt->abort();
    co_await sleep(0);
    wt->abort();
    co_await sleep(0);
    net().close(r);
  };
  run(main());
  EXPECT_EQ(t.events, (Events{"connection_made", "connection_lost None"}));
  EXPECT_EQ(handler.lines, std::vector<std::string>{});
}

// An error in data_received is not caught by the transport: it is the reader callback's, reported
// with its handle, and reading goes on.
// Python:
//   import asyncio, os
//   r, w = os.pipe()
//   class P(asyncio.Protocol):
//       def connection_made(self, t): print('connection_made')
//       def data_received(self, d):
//           print('data_received', d)
//           raise ValueError('boom')
//       def eof_received(self): print('eof_received'); return True
//       def connection_lost(self, e): print('connection_lost', repr(e))
//   def handler(loop, c):
//       print(c['message'], '|', ' '.join(f'{k}={v!r}' for k, v in sorted(c.items()) if k != 'message'))
//   async def main():
//       loop = asyncio.get_running_loop()
//       loop.set_exception_handler(handler)
//       t, p = await loop.connect_read_pipe(P, open(r, 'rb', 0))
//       os.write(w, b'1')
//       for _ in range(2):
//           await asyncio.sleep(0)
//       os.write(w, b'2')
//       for _ in range(2):
//           await asyncio.sleep(0)
//       os.close(w)
//       for _ in range(2):
//           await asyncio.sleep(0)
//   asyncio.run(main())
// Output:
//   connection_made
//   data_received b'1'
//   Exception in callback _UnixReadPipeTransport._read_ready() | exception=ValueError('boom') handle=<Handle _UnixReadPipeTransport._read_ready()>
//   data_received b'2'
//   Exception in callback _UnixReadPipeTransport._read_ready() | exception=ValueError('boom') handle=<Handle _UnixReadPipeTransport._read_ready()>
//   eof_received
//   connection_lost None
TEST_P(Pipes, DataReceivedErrorGoesToTheHandler) {
  struct Raises : Recorder {
    using Recorder::Recorder;
    void data_received(std::string_view data) override {
      Recorder::data_received(data);
      throw ValueError("boom");
    }
  };
  auto main = [&]() -> Coro<> {
    // The handler's lines join the trace where the program prints them.
    get_running_loop().set_exception_handler([&](EventLoop&, const ExceptionContext& c) { t(HandlerLog::format(c)); });
    auto [r, w] = pipe();
    auto [tr, p] =
        co_await get_running_loop().connect_read_pipe([&] { return Ref<BaseProtocol>(make_ref<Raises>(t, "")); }, r);
    write(w, "1");
    for (int i = 0; i < 2; ++i) co_await sleep(0);
    write(w, "2");
    for (int i = 0; i < 2; ++i) co_await sleep(0);
    net().close(w);
    for (int i = 0; i < 2; ++i) co_await sleep(0);
  };
  run(main());
  EXPECT_EQ(t.events, (Events{"connection_made", "data_received b'1'",
                              "Exception in callback _UnixReadPipeTransport._read_ready() | exception=ValueError('boom') handle=<Handle _UnixReadPipeTransport._read_ready()>",
                              "data_received b'2'",
                              "Exception in callback _UnixReadPipeTransport._read_ready() | exception=ValueError('boom') handle=<Handle _UnixReadPipeTransport._read_ready()>",
                              "eof_received", "connection_lost None"}));
}

// connect_read_pipe cancelled while it waits for its waiter: connection_made was scheduled and runs;
// the transport is closed (connection_lost(None)) and the cancellation propagates.
// Python:
//   import asyncio, os
//   r, w = os.pipe()
//   class P(asyncio.Protocol):
//       def connection_made(self, t): print('connection_made')
//       def connection_lost(self, e): print('connection_lost', repr(e))
//   async def main():
//       loop = asyncio.get_running_loop()
//       task = asyncio.create_task(loop.connect_read_pipe(P, open(r, 'rb', 0)))
//       await asyncio.sleep(0)
//       task.cancel()
//       try:
//           await task
//       except asyncio.CancelledError:
//           print('cancelled')
//       await asyncio.sleep(0)
//       os.close(w)
//   asyncio.run(main())
// Output:
//   connection_made
//   connection_lost None
//   cancelled
TEST_P(Pipes, CancelledConnectClosesTheTransport) {
  auto main = [&]() -> Coro<> {
    auto [r, w] = pipe();
    auto task = get_running_loop().create_task(get_running_loop().connect_read_pipe(recorder(), r));
    co_await sleep(0);
    task.cancel();
    try {
      co_await task;
    } catch (const CancelledError&) {
      t("cancelled");
    }
    co_await sleep(0);
    net().close(w);
  };
  run(main());
  EXPECT_EQ(t.events, (Events{"connection_made", "connection_lost None", "cancelled"}));
}

// A descriptor that is not one (os.fstat's OSError) is refused.
// Python:
//   import asyncio, os
//   class Fd:
//       def __init__(self, fd): self.fd = fd
//       def fileno(self): return self.fd
//       def close(self): pass
//   async def main():
//       loop = asyncio.get_running_loop()
//       r, w = os.pipe()
//       os.close(r)
//       os.close(w)
//       for connect in (loop.connect_read_pipe, loop.connect_write_pipe):
//           try:
//               await connect(asyncio.Protocol, Fd(r))
//           except OSError as e:
//               print(type(e).__name__, e)
//   asyncio.run(main())
// Output:
//   OSError [Errno 9] Bad file descriptor
//   OSError [Errno 9] Bad file descriptor
TEST_P(Pipes, ClosedDescriptorIsRefused) {
  auto main = [&]() -> Coro<> {
    auto [r, w] = pipe();
    net().close(r);
    net().close(w);
    for (auto connect : {&EventLoop::connect_read_pipe, &EventLoop::connect_write_pipe}) {
      try {
        co_await (get_running_loop().*connect)(plain, r);
      } catch (const OSError& e) {
        t(std::string(e.type_name()) + " " + e.str());
      }
    }
  };
  run(main());
  EXPECT_EQ(t.events, (Events{"OSError [Errno 9] Bad file descriptor", "OSError [Errno 9] Bad file descriptor"}));
}

// Pipes, sockets and character devices only (each end has its own message); the refused descriptor
// stays the caller's. A character device's write end has no reader.
// Python:
//   import asyncio, os, tempfile
//   async def main():
//       loop = asyncio.get_running_loop()
//       f = tempfile.TemporaryFile()
//       for connect in (loop.connect_read_pipe, loop.connect_write_pipe):
//           try:
//               await connect(asyncio.Protocol, f)
//           except ValueError as e:
//               print('ValueError:', e)
//       print(f.closed)
//       null = open('/dev/null', 'wb')
//       t, p = await loop.connect_write_pipe(asyncio.Protocol, null)
//       print(null.fileno() in loop._selector.get_map())
//       t.write(b'x')
//       t.close()
//       await asyncio.sleep(0)
//   asyncio.run(main())
// Output:
//   ValueError: Pipe transport is for pipes/sockets only.
//   ValueError: Pipe transport is only for pipes, sockets and character devices
//   False
//   False
TEST_P(Pipes, OnlyPipesSocketsAndCharacterDevices) {
  if (GetParam() == Net::simulated) GTEST_SKIP() << "the simulated network has no files or devices";
  auto main = [&]() -> Coro<> {
    const int file = memfd_create("regular", MFD_CLOEXEC);
    for (auto connect : {&EventLoop::connect_read_pipe, &EventLoop::connect_write_pipe}) {
      try {
        co_await (get_running_loop().*connect)(plain, file);
      } catch (const ValueError& e) {
        t("ValueError: " + e.str());
      }
    }
    t(net().fd_kind(file) < 0 ? "True" : "False");  // f.closed
    ::close(file);
    const int null = ::open("/dev/null", O_WRONLY | O_NONBLOCK | O_CLOEXEC);
    auto [tr, p] = co_await get_running_loop().connect_write_pipe(plain, null);
    t(get_running_loop().has_reader(null) ? "True" : "False");
    tr->write("x");
    tr->close();
    co_await sleep(0);
  };
  run(main());
  EXPECT_EQ(t.events, (Events{"ValueError: Pipe transport is for pipes/sockets only.",
                              "ValueError: Pipe transport is only for pipes, sockets and character devices", "False",
                              "False"}));
}

// A socket is a pipe too; its write end has a reader, which sees the peer close (EOF) and ends the
// transport: connection_lost(None) with nothing buffered.
// Python:
//   import asyncio, socket
//   class P(asyncio.Protocol):
//       def connection_made(self, t): print('connection_made')
//       def connection_lost(self, e): print('connection_lost', repr(e))
//   async def main():
//       loop = asyncio.get_running_loop()
//       s1, s2 = socket.socketpair()
//       t, p = await loop.connect_write_pipe(P, s1)
//       print(s1.fileno() in loop._selector.get_map())
//       t.write(b'x')
//       print(s2.recv(10))
//       s2.close()
//       for _ in range(2):
//           await asyncio.sleep(0)
//   asyncio.run(main())
// Output:
//   connection_made
//   True
//   b'x'
//   connection_lost None
TEST_P(Pipes, SocketWriteEndSeesThePeerClose) {
  auto main = [&]() -> Coro<> {
    int pair[2];
    EXPECT_EQ(net().socketpair(AF_UNIX, SOCK_STREAM, pair), 0);
    auto [tr, p] = co_await get_running_loop().connect_write_pipe(recorder(), pair[0]);
    t(get_running_loop().has_reader(pair[0]) ? "True" : "False");
    tr->write("x");
    t(bytes_repr(read(pair[1])));
    net().close(pair[1]);
    for (int i = 0; i < 2; ++i) co_await sleep(0);
  };
  run(main());
  EXPECT_EQ(t.events, (Events{"connection_made", "True", "b'x'", "connection_lost None"}));
}

// Every way a pipe transport ends closes its descriptor: EOF on the read end, abort() with data
// buffered, close() after the read end went away. (The fixture checks every test on the kernel's
// pipes for leaks; this one counts in the program too.)
// Python:
//   import asyncio, os
//   def fds(): return len(os.listdir('/proc/self/fd'))
//   async def main():
//       loop = asyncio.get_running_loop()
//       before = fds()
//       ends = [os.pipe() for _ in range(3)]
//       os.close(ends[0][1])
//       await loop.connect_read_pipe(asyncio.Protocol, open(ends[0][0], 'rb', 0))
//       t, _ = await loop.connect_write_pipe(asyncio.Protocol, open(ends[1][1], 'wb', 0))
//       t.write(b'x' * 70000)
//       t.abort()
//       os.close(ends[1][0])
//       t, _ = await loop.connect_write_pipe(asyncio.Protocol, open(ends[2][1], 'wb', 0))
//       os.close(ends[2][0])
//       await asyncio.sleep(0)
//       t.close()
//       for _ in range(2):
//           await asyncio.sleep(0)
//       print(fds() - before)
//   asyncio.run(main())
// Output:
//   0
TEST_P(Pipes, NoDescriptorLeaks) {
  if (GetParam() == Net::simulated) GTEST_SKIP() << "counts the process's descriptors";
  auto main = [&]() -> Coro<> {
    const int before = open_fds();
    std::pair<int, int> ends[3] = {pipe(), pipe(), pipe()};
    net().close(ends[0].second);
    co_await get_running_loop().connect_read_pipe(plain, ends[0].first);
    auto [t1, p1] = co_await get_running_loop().connect_write_pipe(plain, ends[1].second);
    t1->write(std::string(70000, 'x'));
    t1->abort();
    net().close(ends[1].first);
    auto [t2, p2] = co_await get_running_loop().connect_write_pipe(plain, ends[2].second);
    net().close(ends[2].first);
    co_await sleep(0);
    t2->close();
    for (int i = 0; i < 2; ++i) co_await sleep(0);
    t(std::to_string(open_fds() - before));
  };
  run(main());
  EXPECT_EQ(t.events, (Events{"0"}));
}

}  // namespace
}  // namespace asyncio::test
