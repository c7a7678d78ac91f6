// Streams (asyncio/streams.py): StreamReader on its own (fed by hand, as a protocol would feed it),
// then readers and writers over connections, on the real-time loop (epoll on loopback) and on the
// virtual-time loop (the simulated network), with the same test bodies.
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <cctype>
#include <cstdio>
#include <cstdlib>
#include <regex>
#include <string>
#include <vector>

#include <asyncio/streams.hpp>

#include "net_support.hpp"
#include "sync_support.hpp"
#include "trace.hpp"

namespace asyncio::test {
namespace {

/// Python's repr() of a bytes object: b'a\n', b"it's", b'\x00'.
std::string py_bytes(std::string_view s) {
  const bool dq = s.find('\'') != s.npos && s.find('"') == s.npos;
  const char quote = dq ? '"' : '\'';
  std::string out = "b";
  out += quote;
  for (unsigned char c : s) {
    if (c == quote || c == '\\') {
      out += '\\';
      out += static_cast<char>(c);
    } else if (c == '\t') {
      out += "\\t";
    } else if (c == '\n') {
      out += "\\n";
    } else if (c == '\r') {
      out += "\\r";
    } else if (c < 0x20 || c >= 0x7f) {
      char buf[5];
      std::snprintf(buf, sizeof buf, "\\x%02x", c);
      out += buf;
    } else {
      out += static_cast<char>(c);
    }
  }
  out += quote;
  return out;
}

/// Runs `body` as the main coroutine of a fresh virtual-time loop.
template <class F>
void run_main(F body) {
  auto loop = new_event_loop();
  loop->run_until_complete(body());
  loop->close();
}

// ------------------------------------------------------------------------ StreamReader, fed by hand

// Python:
//   import asyncio
//   async def main():
//       r = asyncio.StreamReader()
//       r.feed_data(b'line1\nline2\r\npart')
//       print(await r.readline())
//       print(await r.readline())
//       print(await r.read(2))
//       r.feed_data(b'ial')
//       r.feed_eof()
//       print(r.at_eof(), r)
//       print(await r.readline())
//       print(r.at_eof(), r)
//       print(await r.readline(), await r.read(), await r.read(5), await r.readexactly(0))
//   asyncio.run(main())
// Output:
//   b'line1\n'
//   b'line2\r\n'
//   b'pa'
//   False <StreamReader 5 bytes eof>
//   b'rtial'
//   True <StreamReader eof>
//   b'' b'' b'' b''
TEST(StreamReader, ReadlineReadAndEof) {
  Trace t;
  run_main([&]() -> Coro<> {
    auto r = make_ref<StreamReader>();
    r->feed_data("line1\nline2\r\npart");
    t(py_bytes(co_await r->readline()));
    t(py_bytes(co_await r->readline()));
    t(py_bytes(co_await r->read(2)));
    r->feed_data("ial");
    r->feed_eof();
    t(py_bool(r->at_eof()) + " " + r->repr());
    t(py_bytes(co_await r->readline()));
    t(py_bool(r->at_eof()) + " " + r->repr());
    std::string a = co_await r->readline(), b = co_await r->read(), c = co_await r->read(5),
                d = co_await r->readexactly(0);
    t(py_bytes(a) + " " + py_bytes(b) + " " + py_bytes(c) + " " + py_bytes(d));
  });
  EXPECT_EQ(t.events, (Events{"b'line1\\n'", "b'line2\\r\\n'", "b'pa'", "False <StreamReader 5 bytes eof>", "b'rtial'",
                              "True <StreamReader eof>", "b'' b'' b'' b''"}));
}

// A read waiting for data resumes one iteration after the feed_data() that woke it; data fed
// meanwhile is simply appended (the waiter is gone once woken).
// Python:
//   import asyncio
//   async def reader(r):
//       print('reader waits')
//       line = await r.readline()
//       print('reader got', line)
//   async def main():
//       loop = asyncio.get_running_loop()
//       r = asyncio.StreamReader()
//       t = asyncio.create_task(reader(r))
//       await asyncio.sleep(0)
//       loop.call_soon(print, 'before feed')
//       loop.call_soon(r.feed_data, b'abc')
//       loop.call_soon(print, 'after feed')
//       loop.call_soon(r.feed_data, b'\n')
//       loop.call_soon(print, 'after newline')
//       await t
//   asyncio.run(main())
// Output:
//   reader waits
//   before feed
//   after feed
//   after newline
//   reader got b'abc\n'
TEST(StreamReader, WaitingReadResumesOneIterationAfterFeed) {
  Trace t;
  run_main([&]() -> Coro<> {
    auto& loop = get_running_loop();
    auto r = make_ref<StreamReader>();
    auto task = create_task([](Ref<StreamReader> r, Trace& t) -> Coro<> {
      t("reader waits");
      std::string line = co_await r->readline();
      t("reader got " + py_bytes(line));
    }(r, t));
    co_await sleep(0);
    loop.call_soon([&] { t("before feed"); });
    loop.call_soon([r] { r->feed_data("abc"); });
    loop.call_soon([&] { t("after feed"); });
    loop.call_soon([r] { r->feed_data("\n"); });
    loop.call_soon([&] { t("after newline"); });
    co_await task;
  });
  EXPECT_EQ(t.events, (Events{"reader waits", "before feed", "after feed", "after newline", "reader got b'abc\\n'"}));
}

// Python:
//   import asyncio
//   async def main():
//       r = asyncio.StreamReader()
//       r.feed_data(b'abc')
//       r.feed_eof()
//       try:
//           await r.readexactly(5)
//       except asyncio.IncompleteReadError as e:
//           print(repr(e), e.partial, e.expected, r.at_eof())
//       r = asyncio.StreamReader()
//       r.feed_data(b'ab-')
//       r.feed_eof()
//       try:
//           await r.readuntil(b'--')
//       except EOFError as e:
//           print(repr(e), e.partial, e.expected, r.at_eof())
//       r = asyncio.StreamReader()
//       r.feed_data(b'ab--cd-')
//       r.feed_eof()
//       print(await r.readuntil(b'--'))
//       print(await r.readline())
//   asyncio.run(main())
// Output:
//   IncompleteReadError('3 bytes read on a total of 5 expected bytes') b'abc' 5 True
//   IncompleteReadError('3 bytes read on a total of undefined expected bytes') b'ab-' None True
//   b'ab--'
//   b'cd-'
TEST(StreamReader, IncompleteReadErrorAtEof) {
  Trace t;
  auto expected = [](long long e) { return e < 0 ? std::string("None") : std::to_string(e); };
  run_main([&]() -> Coro<> {
    auto r = make_ref<StreamReader>();
    r->feed_data("abc");
    r->feed_eof();
    try {
      co_await r->readexactly(5);
    } catch (const IncompleteReadError& e) {
      t(e.repr() + " " + py_bytes(e.partial) + " " + expected(e.expected) + " " + py_bool(r->at_eof()));
    }
    r = make_ref<StreamReader>();
    r->feed_data("ab-");
    r->feed_eof();
    try {
      co_await r->readuntil("--");
    } catch (const EOFError& eof) {
      auto& e = dynamic_cast<const IncompleteReadError&>(eof);
      t(e.repr() + " " + py_bytes(e.partial) + " " + expected(e.expected) + " " + py_bool(r->at_eof()));
    }
    r = make_ref<StreamReader>();
    r->feed_data("ab--cd-");
    r->feed_eof();
    t(py_bytes(co_await r->readuntil("--")));
    t(py_bytes(co_await r->readline()));
  });
  EXPECT_EQ(t.events,
            (Events{"IncompleteReadError('3 bytes read on a total of 5 expected bytes') b'abc' 5 True",
                    "IncompleteReadError('3 bytes read on a total of undefined expected bytes') b'ab-' None True",
                    "b'ab--'", "b'cd-'"}));
}

// readuntil leaves the data in the buffer on LimitOverrunError; readline drops the line (or, with
// no newline in the buffer, everything) and raises ValueError with the same message.
// Python:
//   import asyncio
//   async def main():
//       r = asyncio.StreamReader(limit=5)
//       r.feed_data(b'abcdefgh')
//       try:
//           await r.readuntil(b'\n')
//       except asyncio.LimitOverrunError as e:
//           print(repr(e), e.consumed, bytes(r._buffer))
//       r.feed_data(b'\nxy\n')
//       try:
//           await r.readuntil(b'\n')
//       except asyncio.LimitOverrunError as e:
//           print(repr(e), e.consumed, bytes(r._buffer))
//       try:
//           await r.readline()
//       except ValueError as e:
//           print(repr(e), bytes(r._buffer))
//       print(await r.readline())
//       r.feed_data(b'0123456789')
//       try:
//           await r.readline()
//       except ValueError as e:
//           print(repr(e), bytes(r._buffer))
//       r.feed_data(b'12345\n')
//       print(await r.readline(), r)
//       r.feed_data(b'abcdef|||')
//       try:
//           await r.readuntil(b'||||')
//       except asyncio.LimitOverrunError as e:
//           print(repr(e), e.consumed)
//   asyncio.run(main())
// Output:
//   LimitOverrunError('Separator is not found, and chunk exceed the limit') 8 b'abcdefgh'
//   LimitOverrunError('Separator is found, but chunk is longer than limit') 8 b'abcdefgh\nxy\n'
//   ValueError('Separator is found, but chunk is longer than limit') b'xy\n'
//   b'xy\n'
//   ValueError('Separator is not found, and chunk exceed the limit') b''
//   b'12345\n' <StreamReader limit=5>
//   LimitOverrunError('Separator is not found, and chunk exceed the limit') 6
TEST(StreamReader, LimitOverrun) {
  Trace t;
  run_main([&]() -> Coro<> {
    auto r = make_ref<StreamReader>(5);
    r->feed_data("abcdefgh");
    try {
      co_await r->readuntil("\n");
    } catch (const LimitOverrunError& e) {
      t(e.repr() + " " + std::to_string(e.consumed) + " " + py_bytes(r->buffer()));
    }
    r->feed_data("\nxy\n");
    try {
      co_await r->readuntil("\n");
    } catch (const LimitOverrunError& e) {
      t(e.repr() + " " + std::to_string(e.consumed) + " " + py_bytes(r->buffer()));
    }
    try {
      co_await r->readline();
    } catch (const ValueError& e) {
      t(e.repr() + " " + py_bytes(r->buffer()));
    }
    t(py_bytes(co_await r->readline()));
    r->feed_data("0123456789");
    try {
      co_await r->readline();
    } catch (const ValueError& e) {
      t(e.repr() + " " + py_bytes(r->buffer()));
    }
    r->feed_data("12345\n");
    std::string line = co_await r->readline();
    t(py_bytes(line) + " " + r->repr());
    r->feed_data("abcdef|||");
    try {
      co_await r->readuntil("||||");
    } catch (const LimitOverrunError& e) {
      t(e.repr() + " " + std::to_string(e.consumed));
    }
  });
  EXPECT_EQ(t.events,
            (Events{"LimitOverrunError('Separator is not found, and chunk exceed the limit') 8 b'abcdefgh'",
                    "LimitOverrunError('Separator is found, but chunk is longer than limit') 8 b'abcdefgh\\nxy\\n'",
                    "ValueError('Separator is found, but chunk is longer than limit') b'xy\\n'", "b'xy\\n'",
                    "ValueError('Separator is not found, and chunk exceed the limit') b''",
                    "b'12345\\n' <StreamReader limit=5>",
                    "LimitOverrunError('Separator is not found, and chunk exceed the limit') 6"}));
}

// Python:
//   import asyncio
//   async def main():
//       try:
//           asyncio.StreamReader(limit=0)
//       except ValueError as e:
//           print(repr(e))
//       r = asyncio.StreamReader()
//       for coro in (r.readexactly(-1), r.readuntil(b'')):
//           try:
//               await coro
//           except ValueError as e:
//               print(repr(e))
//       r.feed_eof()
//       try:
//           r.feed_data(b'x')
//       except AssertionError as e:
//           print(repr(e))
//   asyncio.run(main())
// Output:
//   ValueError('Limit cannot be <= 0')
//   ValueError('readexactly size can not be less than zero')
//   ValueError('Separator should be at least one-byte string')
//   AssertionError('feed_data after feed_eof')
TEST(StreamReader, ArgumentErrors) {
  Trace t;
  run_main([&]() -> Coro<> {
    try {
      StreamReader bad(0);
    } catch (const ValueError& e) {
      t(e.repr());
    }
    auto r = make_ref<StreamReader>();
    try {
      co_await r->readexactly(-1);
    } catch (const ValueError& e) {
      t(e.repr());
    }
    try {
      co_await r->readuntil("");
    } catch (const ValueError& e) {
      t(e.repr());
    }
    r->feed_eof();
    try {
      r->feed_data("x");
    } catch (const AssertionError& e) {
      t(e.repr());
    }
  });
  EXPECT_EQ(t.events,
            (Events{"ValueError('Limit cannot be <= 0')", "ValueError('readexactly size can not be less than zero')",
                    "ValueError('Separator should be at least one-byte string')",
                    "AssertionError('feed_data after feed_eof')"}));
}

// set_exception wakes the waiting read with the error; every later read raises it, whatever is
// buffered.
// Python:
//   import asyncio
//   async def reader(r):
//       try:
//           await r.readline()
//       except Exception as e:
//           print('reader:', repr(e))
//   async def main():
//       r = asyncio.StreamReader()
//       t = asyncio.create_task(reader(r))
//       await asyncio.sleep(0)
//       r.set_exception(ConnectionResetError('boom'))
//       print(r)
//       await t
//       r.feed_data(b'data\n')
//       for coro in (r.read(), r.readline(), r.readexactly(1), r.readuntil(b'a')):
//           try:
//               await coro
//           except Exception as e:
//               print(repr(e))
//       print(repr(r.exception()))
//   asyncio.run(main())
// Output:
//   <StreamReader exception=ConnectionResetError('boom')>
//   reader: ConnectionResetError('boom')
//   ConnectionResetError('boom')
//   ConnectionResetError('boom')
//   ConnectionResetError('boom')
//   ConnectionResetError('boom')
//   ConnectionResetError('boom')
TEST(StreamReader, SetExceptionWakesTheReadAndStays) {
  Trace t;
  run_main([&]() -> Coro<> {
    auto r = make_ref<StreamReader>();
    auto task = create_task([](Ref<StreamReader> r, Trace& t) -> Coro<> {
      try {
        co_await r->readline();
      } catch (const Exception& e) {
        t("reader: " + e.repr());
      }
    }(r, t));
    co_await sleep(0);
    r->set_exception(ConnectionResetError("boom"));
    t(r->repr());
    co_await task;
    r->feed_data("data\n");
    auto reads = [](Ref<StreamReader> r, int i) -> Coro<std::string> {
      switch (i) {
        case 0:
          return r->read();
        case 1:
          return r->readline();
        case 2:
          return r->readexactly(1);
        default:
          return r->readuntil("a");
      }
    };
    for (int i = 0; i < 4; ++i) {
      try {
        co_await reads(r, i);
      } catch (const Exception& e) {
        t(e.repr());
      }
    }
    t(repr(r->exception()));
  });
  EXPECT_EQ(t.events,
            (Events{"<StreamReader exception=ConnectionResetError('boom')>", "reader: ConnectionResetError('boom')",
                    "ConnectionResetError('boom')", "ConnectionResetError('boom')", "ConnectionResetError('boom')",
                    "ConnectionResetError('boom')", "ConnectionResetError('boom')"}));
}

// Python:
//   import asyncio
//   async def main():
//       r = asyncio.StreamReader()
//       t = asyncio.create_task(r.read(1))
//       await asyncio.sleep(0)
//       for coro in (r.readline(), r.read(), r.readexactly(2)):
//           try:
//               await coro
//           except RuntimeError as e:
//               print(repr(e))
//       r.feed_data(b'zz')
//       print(await t, r)
//   asyncio.run(main())
// Output:
//   RuntimeError('readuntil() called while another coroutine is already waiting for incoming data')
//   RuntimeError('read() called while another coroutine is already waiting for incoming data')
//   RuntimeError('readexactly() called while another coroutine is already waiting for incoming data')
//   b'z' <StreamReader 1 bytes>
TEST(StreamReader, OneReadWaitsAtATime) {
  Trace t;
  run_main([&]() -> Coro<> {
    auto r = make_ref<StreamReader>();
    auto task = create_task(r->read(1));
    co_await sleep(0);
    auto reads = [](Ref<StreamReader> r, int i) -> Coro<std::string> {
      switch (i) {
        case 0:
          return r->readline();
        case 1:
          return r->read();
        default:
          return r->readexactly(2);
      }
    };
    for (int i = 0; i < 3; ++i) {
      try {
        co_await reads(r, i);
      } catch (const RuntimeError& e) {
        t(e.repr());
      }
    }
    r->feed_data("zz");
    std::string got = co_await task;
    t(py_bytes(got) + " " + r->repr());
  });
  EXPECT_EQ(t.events,
            (Events{"RuntimeError('readuntil() called while another coroutine is already waiting for incoming data')",
                    "RuntimeError('read() called while another coroutine is already waiting for incoming data')",
                    "RuntimeError('readexactly() called while another coroutine is already waiting for incoming data')",
                    "b'z' <StreamReader 1 bytes>"}));
}

/// A transport that records pause_reading / resume_reading.
class RecordingReadTransport final : public ReadTransport {
 public:
  explicit RecordingReadTransport(Trace& t) : t_(t) {}
  void pause_reading() override { t_("pause_reading"); }
  void resume_reading() override { t_("resume_reading"); }
  std::string repr() const override { return "<T>"; }

 private:
  Trace& t_;
};

// Reading pauses once more than 2 * limit bytes are buffered and resumes when a read brings the
// buffer down to the limit, or when a read has to wait (readexactly(n) with n > limit).
// Python:
//   import asyncio
//   class T(asyncio.ReadTransport):
//       def pause_reading(self): print('pause_reading')
//       def resume_reading(self): print('resume_reading')
//       def __repr__(self): return '<T>'
//   async def main():
//       r = asyncio.StreamReader(limit=4)
//       r.set_transport(T())
//       r.feed_data(b'12345678')
//       print(r)
//       r.feed_data(b'9')
//       print(r)
//       r.feed_data(b'abc')
//       print(await r.read(3), r)
//       print(await r.read(5), r)
//       print(await r.readexactly(4), r)
//       r.feed_data(b'0123456789')
//       t = asyncio.create_task(r.readexactly(12))
//       await asyncio.sleep(0)
//       print(r._paused)
//       r.feed_data(b'ab')
//       print(await t, r)
//       try:
//           r.set_transport(T())
//       except AssertionError as e:
//           print(repr(e))
//   asyncio.run(main())
// Output:
//   <StreamReader 8 bytes limit=4 transport=<T>>
//   pause_reading
//   <StreamReader 9 bytes limit=4 transport=<T> paused>
//   b'123' <StreamReader 9 bytes limit=4 transport=<T> paused>
//   resume_reading
//   b'45678' <StreamReader 4 bytes limit=4 transport=<T>>
//   b'9abc' <StreamReader limit=4 transport=<T>>
//   pause_reading
//   resume_reading
//   False
//   pause_reading
//   resume_reading
//   b'0123456789ab' <StreamReader limit=4 transport=<T>>
//   AssertionError('Transport already set')
TEST(StreamReader, PausesAndResumesTheTransport) {
  Trace t;
  run_main([&]() -> Coro<> {
    auto r = make_ref<StreamReader>(4);
    r->set_transport(make_ref<RecordingReadTransport>(t));
    r->feed_data("12345678");
    t(r->repr());
    r->feed_data("9");
    t(r->repr());
    r->feed_data("abc");
    std::string got = co_await r->read(3);
    t(py_bytes(got) + " " + r->repr());
    got = co_await r->read(5);
    t(py_bytes(got) + " " + r->repr());
    got = co_await r->readexactly(4);
    t(py_bytes(got) + " " + r->repr());
    r->feed_data("0123456789");
    auto task = create_task(r->readexactly(12));
    co_await sleep(0);
    t(py_bool(r->repr().find(" paused") != std::string::npos));
    r->feed_data("ab");
    got = co_await task;
    t(py_bytes(got) + " " + r->repr());
    try {
      r->set_transport(make_ref<RecordingReadTransport>(t));
    } catch (const AssertionError& e) {
      t(e.repr());
    }
  });
  EXPECT_EQ(
      t.events,
      (Events{"<StreamReader 8 bytes limit=4 transport=<T>>", "pause_reading",
              "<StreamReader 9 bytes limit=4 transport=<T> paused>",
              "b'123' <StreamReader 9 bytes limit=4 transport=<T> paused>", "resume_reading",
              "b'45678' <StreamReader 4 bytes limit=4 transport=<T>>", "b'9abc' <StreamReader limit=4 transport=<T>>",
              "pause_reading", "resume_reading", "False", "pause_reading", "resume_reading",
              "b'0123456789ab' <StreamReader limit=4 transport=<T>>", "AssertionError('Transport already set')"}));
}

// read(-1) reads blocks of at most `limit` until EOF, resuming a paused transport on the way.
// Python:
//   import asyncio
//   class T(asyncio.ReadTransport):
//       def pause_reading(self): print('pause_reading')
//       def resume_reading(self): print('resume_reading')
//       def __repr__(self): return '<T>'
//   async def feed(r):
//       for chunk in (b'abcdefgh', b'ijklmnop', b'q'):
//           await asyncio.sleep(0)
//           print('feed', chunk)
//           r.feed_data(chunk)
//       r.feed_eof()
//   async def main():
//       r = asyncio.StreamReader(limit=3)
//       r.set_transport(T())
//       t = asyncio.create_task(feed(r))
//       print(await r.read())
//       await t
//   asyncio.run(main())
// Output:
//   feed b'abcdefgh'
//   pause_reading
//   resume_reading
//   feed b'ijklmnop'
//   pause_reading
//   resume_reading
//   feed b'q'
//   b'abcdefghijklmnopq'
TEST(StreamReader, ReadAllReadsBlocksUntilEof) {
  Trace t;
  run_main([&]() -> Coro<> {
    auto r = make_ref<StreamReader>(3);
    r->set_transport(make_ref<RecordingReadTransport>(t));
    auto task = create_task([](Ref<StreamReader> r, Trace& t) -> Coro<> {
      for (const char* chunk : {"abcdefgh", "ijklmnop", "q"}) {
        co_await sleep(0);
        t("feed " + py_bytes(chunk));
        r->feed_data(chunk);
      }
      r->feed_eof();
    }(r, t));
    t(py_bytes(co_await r->read()));
    co_await task;
  });
  EXPECT_EQ(t.events, (Events{"feed b'abcdefgh'", "pause_reading", "resume_reading", "feed b'ijklmnop'",
                              "pause_reading", "resume_reading", "feed b'q'", "b'abcdefghijklmnopq'"}));
}

// A read cancelled while it waits leaves no waiter behind: the next read waits normally.
// Python:
//   import asyncio
//   async def main():
//       r = asyncio.StreamReader()
//       t = asyncio.create_task(r.readline())
//       await asyncio.sleep(0)
//       t.cancel()
//       try:
//           await t
//       except asyncio.CancelledError:
//           print('cancelled', r)
//       r.feed_data(b'x\n')
//       print(await r.readline())
//   asyncio.run(main())
// Output:
//   cancelled <StreamReader>
//   b'x\n'
TEST(StreamReader, CancelledReadLeavesNoWaiter) {
  Trace t;
  run_main([&]() -> Coro<> {
    auto r = make_ref<StreamReader>();
    auto task = create_task(r->readline());
    co_await sleep(0);
    task.cancel();
    try {
      co_await task;
    } catch (const CancelledError&) {
      t("cancelled " + r->repr());
    }
    r->feed_data("x\n");
    t(py_bytes(co_await r->readline()));
  });
  EXPECT_EQ(t.events, (Events{"cancelled <StreamReader>", "b'x\\n'"}));
}

// ------------------------------------------------------------------------ Streams over connections

class Streams : public NetTest {};

std::string port_of(const Ref<Server>& server) { return std::to_string(server_port(*server)); }

/// Descriptor numbers depend on what else the process has open: `fd=7` becomes `fd=N`.
std::string norm_fd(const std::string& s) {
  static const std::regex fd("fd=-?[0-9]+");
  return std::regex_replace(s, fd, "fd=N");
}

std::string upper(std::string s) {
  for (char& c : s) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  return s;
}

// Python:
//   import asyncio
//   async def handle(reader, writer):
//       print('server: connected')
//       line = await reader.readline()
//       print('server: got', line)
//       writer.write(line.upper())
//       await writer.drain()
//       print('server: rest', await reader.read())
//       writer.close()
//       await writer.wait_closed()
//       print('server: closed')
//   async def main():
//       server = await asyncio.start_server(handle, '127.0.0.1', 0)
//       port = server.sockets[0].getsockname()[1]
//       reader, writer = await asyncio.open_connection('127.0.0.1', port)
//       print('client: connected', writer.get_extra_info('peername')[0])
//       writer.write(b'hello\n')
//       await writer.drain()
//       print('client: got', await reader.readline())
//       writer.write(b'bye')
//       writer.write_eof()
//       print('client: rest', await reader.read(), writer.is_closing())
//       writer.close()
//       print('client: closing', writer.is_closing())
//       await writer.wait_closed()
//       print('client: closed')
//       server.close()
//       await server.wait_closed()
//   asyncio.run(main())
// Output:
//   server: connected
//   client: connected 127.0.0.1
//   server: got b'hello\n'
//   client: got b'HELLO\n'
//   server: rest b'bye'
//   server: closed
//   client: rest b'' False
//   client: closing True
//   client: closed
TEST_P(Streams, EchoClientAndServer) {
  Trace t;
  run([&]() -> Coro<> {
    auto handle = [&](Ref<StreamReader> reader, Ref<StreamWriter> writer) -> Coro<> {
      t("server: connected");
      std::string line = co_await reader->readline();
      t("server: got " + py_bytes(line));
      writer->write(upper(line));
      co_await writer->drain();
      std::string rest = co_await reader->read();
      t("server: rest " + py_bytes(rest));
      writer->close();
      co_await writer->wait_closed();
      t("server: closed");
    };
    Ref<Server> server = co_await start_server(handle, "127.0.0.1", "0");
    auto [reader, writer] = co_await open_connection("127.0.0.1", port_of(server));
    t("client: connected " + std::get<SockAddr>(writer->get_extra_info("peername")).host);
    writer->write("hello\n");
    co_await writer->drain();
    t("client: got " + py_bytes(co_await reader->readline()));
    writer->write("bye");
    writer->write_eof();
    std::string rest = co_await reader->read();
    t("client: rest " + py_bytes(rest) + " " + py_bool(writer->is_closing()));
    writer->close();
    t("client: closing " + py_bool(writer->is_closing()));
    co_await writer->wait_closed();
    t("client: closed");
    server->close();
    co_await server->wait_closed();
  }());
  EXPECT_EQ(t.events, (Events{"server: connected", "client: connected 127.0.0.1", "server: got b'hello\\n'",
                              "client: got b'HELLO\\n'", "server: rest b'bye'", "server: closed",
                              "client: rest b'' False", "client: closing True", "client: closed"}));
}

// Python:
//   import asyncio
//   async def handle(reader, writer):
//       for chunk in (b'abc\nde', b'f--gh', b'ijklmn'):
//           writer.write(chunk)
//           await writer.drain()
//           await asyncio.sleep(0.01)
//       writer.close()
//   async def main():
//       server = await asyncio.start_server(handle, '127.0.0.1', 0)
//       port = server.sockets[0].getsockname()[1]
//       reader, writer = await asyncio.open_connection('127.0.0.1', port)
//       print(await reader.readline())
//       print(await reader.readuntil(b'--'))
//       print(await reader.readexactly(3))
//       print(await reader.read(2))
//       print(await reader.read())
//       print(reader.at_eof(), await reader.read(5), await reader.readline())
//       try:
//           await reader.readexactly(1)
//       except asyncio.IncompleteReadError as e:
//           print(repr(e), e.partial)
//       writer.close()
//       await writer.wait_closed()
//       server.close()
//       await server.wait_closed()
//   asyncio.run(main())
// Output:
//   b'abc\n'
//   b'def--'
//   b'ghi'
//   b'jk'
//   b'lmn'
//   True b'' b''
//   IncompleteReadError('0 bytes read on a total of 1 expected bytes') b''
TEST_P(Streams, ReadsOverAConnection) {
  Trace t;
  run([&]() -> Coro<> {
    auto handle = [](Ref<StreamReader>, Ref<StreamWriter> writer) -> Coro<> {
      for (const char* chunk : {"abc\nde", "f--gh", "ijklmn"}) {
        writer->write(chunk);
        co_await writer->drain();
        co_await sleep(0.01);
      }
      writer->close();
    };
    Ref<Server> server = co_await start_server(handle, "127.0.0.1", "0");
    auto [reader, writer] = co_await open_connection("127.0.0.1", port_of(server));
    t(py_bytes(co_await reader->readline()));
    t(py_bytes(co_await reader->readuntil("--")));
    t(py_bytes(co_await reader->readexactly(3)));
    t(py_bytes(co_await reader->read(2)));
    t(py_bytes(co_await reader->read()));
    const bool at_eof = reader->at_eof();
    std::string a = co_await reader->read(5), b = co_await reader->readline();
    t(py_bool(at_eof) + " " + py_bytes(a) + " " + py_bytes(b));
    try {
      co_await reader->readexactly(1);
    } catch (const IncompleteReadError& e) {
      t(e.repr() + " " + py_bytes(e.partial));
    }
    writer->close();
    co_await writer->wait_closed();
    server->close();
    co_await server->wait_closed();
  }());
  EXPECT_EQ(t.events, (Events{"b'abc\\n'", "b'def--'", "b'ghi'", "b'jk'", "b'lmn'", "True b'' b''",
                              "IncompleteReadError('0 bytes read on a total of 1 expected bytes') b''"}));
}

// Python:
//   import asyncio
//   async def handle(reader, writer):
//       writer.write(b'partial')
//       writer.close()
//   async def main():
//       server = await asyncio.start_server(handle, '127.0.0.1', 0)
//       port = server.sockets[0].getsockname()[1]
//       for read in (lambda r: r.readexactly(10), lambda r: r.readuntil(b'\r\n')):
//           reader, writer = await asyncio.open_connection('127.0.0.1', port)
//           try:
//               await read(reader)
//           except asyncio.IncompleteReadError as e:
//               print(repr(e), e.partial, e.expected)
//           writer.close()
//           await writer.wait_closed()
//       server.close()
//       await server.wait_closed()
//   asyncio.run(main())
// Output:
//   IncompleteReadError('7 bytes read on a total of 10 expected bytes') b'partial' 10
//   IncompleteReadError('7 bytes read on a total of undefined expected bytes') b'partial' None
TEST_P(Streams, IncompleteReadErrorCarriesThePartialData) {
  Trace t;
  run([&]() -> Coro<> {
    auto handle = [](Ref<StreamReader>, Ref<StreamWriter> writer) {
      writer->write("partial");
      writer->close();
    };
    Ref<Server> server = co_await start_server(handle, "127.0.0.1", "0");
    auto read = [](Ref<StreamReader> r, bool exactly) { return exactly ? r->readexactly(10) : r->readuntil("\r\n"); };
    for (bool exactly : {true, false}) {
      auto [reader, writer] = co_await open_connection("127.0.0.1", port_of(server));
      try {
        co_await read(reader, exactly);
      } catch (const IncompleteReadError& e) {
        t(e.repr() + " " + py_bytes(e.partial) + " " + (e.expected < 0 ? "None" : std::to_string(e.expected)));
      }
      writer->close();
      co_await writer->wait_closed();
    }
    server->close();
    co_await server->wait_closed();
  }());
  EXPECT_EQ(t.events,
            (Events{"IncompleteReadError('7 bytes read on a total of 10 expected bytes') b'partial' 10",
                    "IncompleteReadError('7 bytes read on a total of undefined expected bytes') b'partial' None"}));
}

// Python:
//   import asyncio
//   async def handle(reader, writer):
//       writer.write(b'0123456789\nabc\n')
//       await asyncio.sleep(0.01)
//       writer.write(b'toolongline')
//       await asyncio.sleep(0.01)
//       writer.write(b'!ok!')
//       writer.close()
//   async def main():
//       server = await asyncio.start_server(handle, '127.0.0.1', 0)
//       port = server.sockets[0].getsockname()[1]
//       reader, writer = await asyncio.open_connection('127.0.0.1', port, limit=4)
//       try:
//           await reader.readline()
//       except ValueError as e:
//           print(repr(e))
//       print(await reader.readline())
//       try:
//           await reader.readuntil(b'!')
//       except asyncio.LimitOverrunError as e:
//           print(repr(e), e.consumed)
//       print(await reader.readexactly(11))
//       print(await reader.readuntil(b'!'), await reader.readuntil(b'!'), reader.at_eof())
//       writer.close()
//       await writer.wait_closed()
//       server.close()
//       await server.wait_closed()
//   asyncio.run(main())
// Output:
//   ValueError('Separator is found, but chunk is longer than limit')
//   b'abc\n'
//   LimitOverrunError('Separator is not found, and chunk exceed the limit') 11
//   b'toolongline'
//   b'!' b'ok!' False
TEST_P(Streams, LimitOverrunOverAConnection) {
  Trace t;
  run([&]() -> Coro<> {
    auto handle = [](Ref<StreamReader>, Ref<StreamWriter> writer) -> Coro<> {
      writer->write("0123456789\nabc\n");
      co_await sleep(0.01);
      writer->write("toolongline");
      co_await sleep(0.01);
      writer->write("!ok!");
      writer->close();
    };
    Ref<Server> server = co_await start_server(handle, "127.0.0.1", "0");
    auto [reader, writer] = co_await open_connection("127.0.0.1", port_of(server), 4);
    try {
      co_await reader->readline();
    } catch (const ValueError& e) {
      t(e.repr());
    }
    t(py_bytes(co_await reader->readline()));
    try {
      co_await reader->readuntil("!");
    } catch (const LimitOverrunError& e) {
      t(e.repr() + " " + std::to_string(e.consumed));
    }
    t(py_bytes(co_await reader->readexactly(11)));
    std::string a = co_await reader->readuntil("!"), b = co_await reader->readuntil("!");
    t(py_bytes(a) + " " + py_bytes(b) + " " + py_bool(reader->at_eof()));
    writer->close();
    co_await writer->wait_closed();
    server->close();
    co_await server->wait_closed();
  }());
  EXPECT_EQ(t.events, (Events{"ValueError('Separator is found, but chunk is longer than limit')", "b'abc\\n'",
                              "LimitOverrunError('Separator is not found, and chunk exceed the limit') 11",
                              "b'toolongline'", "b'!' b'ok!' False"}));
}

// A server that does not read: its reader pauses the transport past 2 * limit, the kernel's
// buffers fill, the client's transport buffers over the high-water mark and drain() waits until the
// server reads.
// Python:
//   import asyncio
//   async def main():
//       start_reading = asyncio.Event()
//       got = []
//       async def handle(reader, writer):
//           print('server: connected, not reading')
//           await start_reading.wait()
//           print('server: paused', 'paused' in repr(reader))
//           data = await reader.readexactly(total)
//           print('server: read', len(data) == total)
//           writer.close()
//       server = await asyncio.start_server(handle, '127.0.0.1', 0)
//       port = server.sockets[0].getsockname()[1]
//       reader, writer = await asyncio.open_connection('127.0.0.1', port)
//       total = 0
//       while writer.transport.get_write_buffer_size() <= 65536:
//           writer.write(b'x' * 65536)
//           total += 65536
//           await asyncio.sleep(0)
//       print('client: buffered over the high-water mark')
//       drain = asyncio.create_task(writer.drain())
//       await asyncio.sleep(0.1)
//       print('client: drain done?', drain.done())
//       start_reading.set()
//       await drain
//       print('client: drained', writer.transport.get_write_buffer_size() <= 16384)
//       print('client: eof', await reader.read())
//       writer.close()
//       await writer.wait_closed()
//       server.close()
//       await server.wait_closed()
//   asyncio.run(main())
// Output:
//   server: connected, not reading
//   client: buffered over the high-water mark
//   client: drain done? False
//   server: paused True
//   client: drained True
//   server: read True
//   client: eof b''
TEST_P(Streams, DrainWaitsWhileThePeerDoesNotRead) {
  Trace t;
  run([&]() -> Coro<> {
    Event start_reading;
    std::size_t total = 0;
    auto handle = [&](Ref<StreamReader> reader, Ref<StreamWriter> writer) -> Coro<> {
      t("server: connected, not reading");
      co_await start_reading.wait();
      t("server: paused " + py_bool(reader->repr().find(" paused") != std::string::npos));
      std::string data = co_await reader->readexactly(static_cast<long>(total));
      t("server: read " + py_bool(data.size() == total));
      writer->close();
    };
    Ref<Server> server = co_await start_server(handle, "127.0.0.1", "0");
    auto [reader, writer] = co_await open_connection("127.0.0.1", port_of(server));
    const std::string chunk(65536, 'x');
    while (writer->transport().get_write_buffer_size() <= 65536) {
      writer->write(chunk);
      total += chunk.size();
      co_await sleep(0);
    }
    t("client: buffered over the high-water mark");
    Task<> drain = create_task(writer->drain());
    co_await sleep(0.1);
    t("client: drain done? " + py_bool(drain.done()));
    start_reading.set();
    co_await drain;
    t("client: drained " + py_bool(writer->transport().get_write_buffer_size() <= 16384));
    t("client: eof " + py_bytes(co_await reader->read()));
    writer->close();
    co_await writer->wait_closed();
    server->close();
    co_await server->wait_closed();
  }());
  EXPECT_EQ(t.events, (Events{"server: connected, not reading", "client: buffered over the high-water mark",
                              "client: drain done? False", "server: paused True", "client: drained True",
                              "server: read True", "client: eof b''"}));
}

// The connection lost while writing is paused wakes every drain() waiting, with its error; the
// reader keeps the error, so later drain() calls raise it too.
// Python:
//   import asyncio
//   async def main():
//       abort = asyncio.Event()
//       async def handle(reader, writer):
//           await abort.wait()
//           print('server: abort')
//           writer.transport.abort()
//       server = await asyncio.start_server(handle, '127.0.0.1', 0)
//       port = server.sockets[0].getsockname()[1]
//       reader, writer = await asyncio.open_connection('127.0.0.1', port)
//       while writer.transport.get_write_buffer_size() <= 65536:
//           writer.write(b'x' * 65536)
//           await asyncio.sleep(0)
//       drains = [asyncio.create_task(writer.drain()) for _ in range(2)]
//       await asyncio.sleep(0.01)
//       print('client: drains waiting', [d.done() for d in drains])
//       abort.set()
//       for d in drains:
//           try:
//               await d
//           except ConnectionError as e:
//               print('client: drain', repr(e))
//       print('client: reader', repr(reader.exception()))
//       try:
//           await writer.drain()
//       except ConnectionError as e:
//           print('client: drain again', repr(e))
//       server.close()
//       await server.wait_closed()
//   asyncio.run(main())
// Output:
//   client: drains waiting [False, False]
//   server: abort
//   client: drain ConnectionResetError(104, 'Connection reset by peer')
//   client: drain ConnectionResetError(104, 'Connection reset by peer')
//   client: reader ConnectionResetError(104, 'Connection reset by peer')
//   client: drain again ConnectionResetError(104, 'Connection reset by peer')
TEST_P(Streams, ConnectionLostWakesTheWaitingDrains) {
  Trace t;
  run([&]() -> Coro<> {
    Event abort;
    auto handle = [&](Ref<StreamReader>, Ref<StreamWriter> writer) -> Coro<> {
      co_await abort.wait();
      t("server: abort");
      writer->transport().abort();
    };
    Ref<Server> server = co_await start_server(handle, "127.0.0.1", "0");
    auto [reader, writer] = co_await open_connection("127.0.0.1", port_of(server));
    const std::string chunk(65536, 'x');
    while (writer->transport().get_write_buffer_size() <= 65536) {
      writer->write(chunk);
      co_await sleep(0);
    }
    std::vector<Task<>> drains{create_task(writer->drain()), create_task(writer->drain())};
    co_await sleep(0.01);
    t("client: drains waiting [" + py_bool(drains[0].done()) + ", " + py_bool(drains[1].done()) + "]");
    abort.set();
    for (auto& d : drains) {
      try {
        co_await d;
      } catch (const ConnectionError& e) {
        t("client: drain " + e.repr());
      }
    }
    t("client: reader " + repr(reader->exception()));
    try {
      co_await writer->drain();
    } catch (const ConnectionError& e) {
      t("client: drain again " + e.repr());
    }
    server->close();
    co_await server->wait_closed();
  }());
  EXPECT_EQ(t.events, (Events{"client: drains waiting [False, False]", "server: abort",
                              "client: drain ConnectionResetError(104, 'Connection reset by peer')",
                              "client: drain ConnectionResetError(104, 'Connection reset by peer')",
                              "client: reader ConnectionResetError(104, 'Connection reset by peer')",
                              "client: drain again ConnectionResetError(104, 'Connection reset by peer')"}));
}

// close() counts as a lost connection for write(): what is written after it is dropped, and from
// the fifth such write on each one logs a warning. drain() after close() yields, so that
// connection_lost runs, then raises.
// Python:
//   import asyncio
//   async def handle(reader, writer):
//       print('server: read', await reader.read())
//       writer.close()
//   async def main():
//       server = await asyncio.start_server(handle, '127.0.0.1', 0)
//       port = server.sockets[0].getsockname()[1]
//       reader, writer = await asyncio.open_connection('127.0.0.1', port)
//       writer.write(b'before')
//       writer.close()
//       writer.write(b' after')
//       print('client: closing', writer.is_closing())
//       try:
//           await writer.drain()
//       except ConnectionResetError as e:
//           print('client: drain', repr(e))
//       for i in range(7):
//           writer.write(b'lost')
//       await writer.wait_closed()
//       await asyncio.sleep(0.01)
//       server.close()
//       await server.wait_closed()
//   asyncio.run(main())
// Output:
//   client: closing True
//   client: drain ConnectionResetError('Connection lost')
//   server: read b'before'
//   socket.send() raised exception.
//   socket.send() raised exception.
//   socket.send() raised exception.
//   socket.send() raised exception.
TEST_P(Streams, WriteAfterClose) {
  Trace t;
  LogCapture logs;
  run([&]() -> Coro<> {
    auto handle = [&](Ref<StreamReader> reader, Ref<StreamWriter> writer) -> Coro<> {
      t("server: read " + py_bytes(co_await reader->read()));
      writer->close();
    };
    Ref<Server> server = co_await start_server(handle, "127.0.0.1", "0");
    auto [reader, writer] = co_await open_connection("127.0.0.1", port_of(server));
    writer->write("before");
    writer->close();
    writer->write(" after");
    t("client: closing " + py_bool(writer->is_closing()));
    try {
      co_await writer->drain();
    } catch (const ConnectionResetError& e) {
      t("client: drain " + e.repr());
    }
    for (int i = 0; i < 7; ++i) writer->write("lost");
    co_await writer->wait_closed();
    co_await sleep(0.01);
    server->close();
    co_await server->wait_closed();
  }());
  t.events.insert(t.events.end(), logs.texts.begin(), logs.texts.end());  // stderr, after stdout
  EXPECT_EQ(t.events,
            (Events{"client: closing True", "client: drain ConnectionResetError('Connection lost')",
                    "server: read b'before'", "socket.send() raised exception.", "socket.send() raised exception.",
                    "socket.send() raised exception.", "socket.send() raised exception."}));
}

// A write after the peer has gone fails (EPIPE once its reset has arrived): the transport is
// closed with the error, which the reader then holds, so every later drain() and read raises it.
// Python:
//   import asyncio
//   async def handle(reader, writer):
//       writer.close()
//       print('server: closed')
//   async def main():
//       server = await asyncio.start_server(handle, '127.0.0.1', 0)
//       port = server.sockets[0].getsockname()[1]
//       reader, writer = await asyncio.open_connection('127.0.0.1', port)
//       print('client: eof', await reader.read())
//       writer.write(b'a')
//       await writer.drain()
//       print('client: first write drained')
//       await asyncio.sleep(0.01)
//       writer.write(b'b')
//       print('client: closing', writer.is_closing())
//       try:
//           await writer.drain()
//       except ConnectionError as e:
//           print('client: drain', repr(e))
//       print('client: reader', repr(reader.exception()))
//       try:
//           await reader.read()
//       except ConnectionError as e:
//           print('client: read', repr(e))
//       try:
//           await writer.drain()
//       except ConnectionError as e:
//           print('client: drain again', repr(e))
//       try:
//           await writer.wait_closed()
//       except ConnectionError as e:
//           print('client: wait_closed', repr(e))
//       server.close()
//       await server.wait_closed()
//   asyncio.run(main())
// Output:
//   server: closed
//   client: eof b''
//   client: first write drained
//   client: closing True
//   client: drain ConnectionResetError('Connection lost')
//   client: reader BrokenPipeError(32, 'Broken pipe')
//   client: read BrokenPipeError(32, 'Broken pipe')
//   client: drain again BrokenPipeError(32, 'Broken pipe')
//   client: wait_closed BrokenPipeError(32, 'Broken pipe')
TEST_P(Streams, WritesAfterThePeerClosed) {
  Trace t;
  run([&]() -> Coro<> {
    auto handle = [&](Ref<StreamReader>, Ref<StreamWriter> writer) {
      writer->close();
      t("server: closed");
    };
    Ref<Server> server = co_await start_server(handle, "127.0.0.1", "0");
    auto [reader, writer] = co_await open_connection("127.0.0.1", port_of(server));
    t("client: eof " + py_bytes(co_await reader->read()));
    writer->write("a");
    co_await writer->drain();
    t("client: first write drained");
    co_await sleep(0.01);
    writer->write("b");
    t("client: closing " + py_bool(writer->is_closing()));
    try {
      co_await writer->drain();
    } catch (const ConnectionError& e) {
      t("client: drain " + e.repr());
    }
    t("client: reader " + repr(reader->exception()));
    try {
      co_await reader->read();
    } catch (const ConnectionError& e) {
      t("client: read " + e.repr());
    }
    try {
      co_await writer->drain();
    } catch (const ConnectionError& e) {
      t("client: drain again " + e.repr());
    }
    try {
      co_await writer->wait_closed();
    } catch (const ConnectionError& e) {
      t("client: wait_closed " + e.repr());
    }
    server->close();
    co_await server->wait_closed();
  }());
  EXPECT_EQ(t.events, (Events{"server: closed", "client: eof b''", "client: first write drained",
                              "client: closing True", "client: drain ConnectionResetError('Connection lost')",
                              "client: reader BrokenPipeError(32, 'Broken pipe')",
                              "client: read BrokenPipeError(32, 'Broken pipe')",
                              "client: drain again BrokenPipeError(32, 'Broken pipe')",
                              "client: wait_closed BrokenPipeError(32, 'Broken pipe')"}));
}

// Python:
//   import asyncio
//   async def main():
//       connected = []
//       async def handle(reader, writer):
//           connected.append(1)
//           while line := await reader.readline():
//               writer.write(b'echo ' + line)
//               await writer.drain()
//           writer.close()
//           await writer.wait_closed()
//       async def client(i, port):
//           reader, writer = await asyncio.open_connection('127.0.0.1', port)
//           replies = []
//           for j in range(3):
//               writer.write(f'{i}.{j}\n'.encode())
//               await writer.drain()
//               replies.append(await reader.readline())
//           writer.write_eof()
//           rest = await reader.read()
//           writer.close()
//           await writer.wait_closed()
//           return b''.join(replies) + rest
//       server = await asyncio.start_server(handle, '127.0.0.1', 0)
//       port = server.sockets[0].getsockname()[1]
//       results = await asyncio.gather(*(client(i, port) for i in range(50)))
//       print(len(connected), len(results))
//       print(all(r == f'echo {i}.0\necho {i}.1\necho {i}.2\n'.encode() for i, r in enumerate(results)))
//       print(results[7])
//       server.close()
//       await server.wait_closed()
//   asyncio.run(main())
// Output:
//   50 50
//   True
//   b'echo 7.0\necho 7.1\necho 7.2\n'
TEST_P(Streams, ManyConcurrentClients) {
  Trace t;
  run([&]() -> Coro<> {
    int connected = 0;
    auto handle = [&](Ref<StreamReader> reader, Ref<StreamWriter> writer) -> Coro<> {
      ++connected;
      for (std::string line; !(line = co_await reader->readline()).empty();) {
        writer->write("echo " + line);
        co_await writer->drain();
      }
      writer->close();
      co_await writer->wait_closed();
    };
    auto client = [](int i, std::string port) -> Coro<std::string> {
      auto [reader, writer] = co_await open_connection("127.0.0.1", port);
      std::string replies;
      for (int j = 0; j < 3; ++j) {
        writer->write(std::to_string(i) + "." + std::to_string(j) + "\n");
        co_await writer->drain();
        replies += co_await reader->readline();
      }
      writer->write_eof();
      std::string rest = co_await reader->read();
      writer->close();
      co_await writer->wait_closed();
      co_return replies + rest;
    };
    Ref<Server> server = co_await start_server(handle, "127.0.0.1", "0");
    std::vector<Task<std::string>> clients;
    for (int i = 0; i < 50; ++i) clients.push_back(create_task(client(i, port_of(server))));
    std::vector<std::string> results = co_await gather(clients);
    t(std::to_string(connected) + " " + std::to_string(results.size()));
    bool all = true;
    for (int i = 0; i < 50; ++i) {
      const std::string n = std::to_string(i);
      all = all && results[i] == "echo " + n + ".0\necho " + n + ".1\necho " + n + ".2\n";
    }
    t(py_bool(all));
    t(py_bytes(results[7]));
    server->close();
    co_await server->wait_closed();
  }());
  EXPECT_EQ(t.events, (Events{"50 50", "True", "b'echo 7.0\\necho 7.1\\necho 7.2\\n'"}));
}

// The error of client_connected_cb's task goes to the exception handler with the transport, which
// is then closed.
// Python:
//   import asyncio
//   async def handle(reader, writer):
//       print('server: got', await reader.readline())
//       raise ValueError('boom')
//   def handler(loop, context):
//       print('handler:', context['message'], repr(context['exception']), sorted(context))
//   async def main():
//       asyncio.get_running_loop().set_exception_handler(handler)
//       server = await asyncio.start_server(handle, '127.0.0.1', 0)
//       port = server.sockets[0].getsockname()[1]
//       reader, writer = await asyncio.open_connection('127.0.0.1', port)
//       writer.write(b'hi\n')
//       print('client: eof', await reader.read())
//       writer.close()
//       await writer.wait_closed()
//       server.close()
//       await server.wait_closed()
//   asyncio.run(main())
// Output:
//   server: got b'hi\n'
//   handler: Unhandled exception in client_connected_cb ValueError('boom') ['exception', 'message', 'transport']
//   client: eof b''
TEST_P(Streams, ClientConnectedCallbackRaising) {
  Trace t;
  run([&]() -> Coro<> {
    get_running_loop().set_exception_handler([&](EventLoop&, const ExceptionContext& c) {
      std::vector<std::string> keys{"message"};
      if (c.exception) keys.push_back("exception");
      for (auto& [key, value] : c.extra) keys.push_back(key);
      std::sort(keys.begin(), keys.end());
      std::string list;
      for (auto& k : keys) list += (list.empty() ? "'" : ", '") + k + "'";
      t("handler: " + c.message + " " + repr(c.exception) + " [" + list + "]");
    });
    auto handle = [&](Ref<StreamReader> reader, Ref<StreamWriter>) -> Coro<> {
      t("server: got " + py_bytes(co_await reader->readline()));
      throw ValueError("boom");
    };
    Ref<Server> server = co_await start_server(handle, "127.0.0.1", "0");
    auto [reader, writer] = co_await open_connection("127.0.0.1", port_of(server));
    writer->write("hi\n");
    t("client: eof " + py_bytes(co_await reader->read()));
    writer->close();
    co_await writer->wait_closed();
    server->close();
    co_await server->wait_closed();
  }());
  EXPECT_EQ(t.events, (Events{"server: got b'hi\\n'",
                              "handler: Unhandled exception in client_connected_cb ValueError('boom') ['exception', "
                              "'message', 'transport']",
                              "client: eof b''"}));
}

// A plain function is called in connection_made; the StreamReaderProtocol keeps the writer (and
// through it the reader) until the connection is lost.
// 3.11's done callback of client_connected_cb's task calls task.exception() without checking for
// cancellation: a handler task cancelled at shutdown raises CancelledError in that callback, which
// the loop reports.
// Python:
//   import asyncio
//   async def handle(reader, writer):
//       print('server: waiting')
//       try:
//           await reader.read()
//       except asyncio.CancelledError:
//           print('server: cancelled')
//           writer.close()
//           raise
//   def handler(loop, context):
//       print('handler:', context['message'].startswith('Exception in callback '), repr(context['exception']))
//   async def main():
//       asyncio.get_running_loop().set_exception_handler(handler)
//       server = await asyncio.start_server(handle, '127.0.0.1', 0)
//       port = server.sockets[0].getsockname()[1]
//       reader, writer = await asyncio.open_connection('127.0.0.1', port)
//       await asyncio.sleep(0.01)
//       server.close()
//       await server.wait_closed()
//       print('main: returns')
//   asyncio.run(main())
// Output:
//   server: waiting
//   main: returns
//   server: cancelled
//   handler: True CancelledError()
TEST_P(Streams, CancelledClientConnectedTaskIsReported) {
  Trace t;
  WarningLog unclosed;  // the client's writer, dropped open (CPython's default filters hide it)
  run([&]() -> Coro<> {
    get_running_loop().set_exception_handler([&](EventLoop&, const ExceptionContext& c) {
      t("handler: " + py_bool(c.message.starts_with("Exception in callback ")) + " " + repr(c.exception));
    });
    auto handle = [&](Ref<StreamReader> reader, Ref<StreamWriter> writer) -> Coro<> {
      t("server: waiting");
      try {
        co_await reader->read();
      } catch (const CancelledError&) {
        t("server: cancelled");
        writer->close();
        throw;
      }
    };
    Ref<Server> server = co_await start_server(handle, "127.0.0.1", "0");
    auto [reader, writer] = co_await open_connection("127.0.0.1", port_of(server));
    co_await sleep(0.01);
    server->close();
    co_await server->wait_closed();
    t("main: returns");
  }());
  EXPECT_EQ(t.events,
            (Events{"server: waiting", "main: returns", "server: cancelled", "handler: True CancelledError()"}));
}

// Python:
//   import asyncio
//   def handle(reader, writer):
//       print('server: callback', type(reader).__name__, type(writer).__name__)
//       writer.write(b'hi\n')
//       writer.close()
//   async def main():
//       server = await asyncio.start_server(handle, '127.0.0.1', 0)
//       port = server.sockets[0].getsockname()[1]
//       reader, writer = await asyncio.open_connection('127.0.0.1', port)
//       print('client: connected')
//       print('client:', await reader.readline(), await reader.read())
//       writer.close()
//       await writer.wait_closed()
//       server.close()
//       await server.wait_closed()
//   asyncio.run(main())
// Output:
//   server: callback StreamReader StreamWriter
//   client: connected
//   client: b'hi\n' b''
TEST_P(Streams, PlainFunctionCallback) {
  Trace t;
  run([&]() -> Coro<> {
    auto handle = [&](Ref<StreamReader> reader, Ref<StreamWriter> writer) {
      t(std::string("server: callback ") + (reader ? "StreamReader" : "None") + " " +
        (writer ? "StreamWriter" : "None"));
      writer->write("hi\n");
      writer->close();
    };
    Ref<Server> server = co_await start_server(handle, "127.0.0.1", "0");
    auto [reader, writer] = co_await open_connection("127.0.0.1", port_of(server));
    t("client: connected");
    std::string line = co_await reader->readline(), rest = co_await reader->read();
    t("client: " + py_bytes(line) + " " + py_bytes(rest));
    writer->close();
    co_await writer->wait_closed();
    server->close();
    co_await server->wait_closed();
  }());
  EXPECT_EQ(t.events,
            (Events{"server: callback StreamReader StreamWriter", "client: connected", "client: b'hi\\n' b''"}));
}

// Python:
//   import asyncio, os, tempfile
//   async def handle(reader, writer):
//       data = await reader.readexactly(4)
//       writer.write(data[::-1])
//       await writer.drain()
//       writer.close()
//   async def main():
//       path = os.path.join(tempfile.mkdtemp(), 'sock')
//       server = await asyncio.start_unix_server(handle, path)
//       reader, writer = await asyncio.open_unix_connection(path)
//       writer.write(b'abcd')
//       print(await reader.read(), writer.get_extra_info('peername') == path)
//       writer.close()
//       await writer.wait_closed()
//       server.close()
//       await server.wait_closed()
//       os.unlink(path)
//       os.rmdir(os.path.dirname(path))
//   asyncio.run(main())
// Output:
//   b'dcba' True
TEST_P(Streams, UnixSockets) {
  Trace t;
  char dir[] = "/tmp/streams-test-XXXXXX";
  ASSERT_NE(mkdtemp(dir), nullptr);
  const std::string path = std::string(dir) + "/sock";
  run([&]() -> Coro<> {
    auto handle = [](Ref<StreamReader> reader, Ref<StreamWriter> writer) -> Coro<> {
      std::string data = co_await reader->readexactly(4);
      writer->write(std::string(data.rbegin(), data.rend()));
      co_await writer->drain();
      writer->close();
    };
    Ref<Server> server = co_await start_unix_server(handle, path);
    auto [reader, writer] = co_await open_unix_connection(path);
    writer->write("abcd");
    std::string got = co_await reader->read();
    t(py_bytes(got) + " " + py_bool(std::get<SockAddr>(writer->get_extra_info("peername")).path == path));
    writer->close();
    co_await writer->wait_closed();
    server->close();
    co_await server->wait_closed();
  }());
  ::unlink(path.c_str());  // the simulated network has no files
  ::rmdir(dir);
  EXPECT_EQ(t.events, (Events{"b'dcba' True"}));
}

// Python:
//   import asyncio, socket
//   async def main():
//       s = socket.socket()
//       s.bind(('127.0.0.1', 0))
//       port = s.getsockname()[1]
//       s.close()
//       try:
//           await asyncio.open_connection('127.0.0.1', port)
//       except OSError as e:
//           print(type(e).__name__, e.errno)
//   asyncio.run(main())
// Output:
//   ConnectionRefusedError 111
TEST_P(Streams, ConnectionRefused) {
  Trace t;
  run([&]() -> Coro<> {
    Socket s(AF_INET, SOCK_STREAM);
    s.bind(SockAddr::inet("127.0.0.1", 0));
    const int port = s.getsockname().port;
    s.close();
    try {
      co_await open_connection("127.0.0.1", std::to_string(port));
    } catch (const OSError& e) {
      t(std::string(e.type_name()) + " " + std::to_string(e.error_code()));
    }
  }());
  EXPECT_EQ(t.events, (Events{"ConnectionRefusedError 111"}));
}

// Python:
//   import asyncio, re
//   def norm(x):
//       return re.sub(r'fd=\d+', 'fd=N', repr(x))
//   async def handle(reader, writer):
//       await reader.read()
//       writer.close()
//   async def main():
//       server = await asyncio.start_server(handle, '127.0.0.1', 0)
//       port = server.sockets[0].getsockname()[1]
//       reader, writer = await asyncio.open_connection('127.0.0.1', port, limit=1000)
//       print(norm(reader))
//       print(norm(writer))
//       writer.write_eof()
//       print(await reader.read(), norm(reader))
//       writer.close()
//       print(norm(writer))
//       await writer.wait_closed()
//       print(norm(writer))
//       server.close()
//       await server.wait_closed()
//   asyncio.run(main())
// Output:
//   <StreamReader limit=1000 transport=<_SelectorSocketTransport fd=N read=polling write=<idle, bufsize=0>>>
//   <StreamWriter transport=<_SelectorSocketTransport fd=N read=polling write=<idle, bufsize=0>> reader=<StreamReader limit=1000 transport=<_SelectorSocketTransport fd=N read=polling write=<idle, bufsize=0>>>>
//   b'' <StreamReader eof limit=1000 transport=<_SelectorSocketTransport fd=N read=idle write=<idle, bufsize=0>>>
//   <StreamWriter transport=<_SelectorSocketTransport closing fd=N read=idle write=<idle, bufsize=0>> reader=<StreamReader eof limit=1000 transport=<_SelectorSocketTransport closing fd=N read=idle write=<idle, bufsize=0>>>>
//   <StreamWriter transport=<_SelectorSocketTransport closed fd=N> reader=<StreamReader eof limit=1000 transport=<_SelectorSocketTransport closed fd=N>>>
TEST_P(Streams, Reprs) {
  Trace t;
  run([&]() -> Coro<> {
    auto handle = [](Ref<StreamReader> reader, Ref<StreamWriter> writer) -> Coro<> {
      co_await reader->read();
      writer->close();
    };
    Ref<Server> server = co_await start_server(handle, "127.0.0.1", "0");
    auto [reader, writer] = co_await open_connection("127.0.0.1", port_of(server), 1000);
    t(norm_fd(reader->repr()));
    t(norm_fd(writer->repr()));
    writer->write_eof();
    std::string rest = co_await reader->read();
    t(py_bytes(rest) + " " + norm_fd(reader->repr()));
    writer->close();
    t(norm_fd(writer->repr()));
    co_await writer->wait_closed();
    t(norm_fd(writer->repr()));
    server->close();
    co_await server->wait_closed();
  }());
  EXPECT_EQ(
      t.events,
      (Events{
          "<StreamReader limit=1000 transport=<_SelectorSocketTransport fd=N read=polling write=<idle, bufsize=0>>>",
          "<StreamWriter transport=<_SelectorSocketTransport fd=N read=polling write=<idle, bufsize=0>> "
          "reader=<StreamReader limit=1000 transport=<_SelectorSocketTransport fd=N read=polling write=<idle, "
          "bufsize=0>>>>",
          "b'' <StreamReader eof limit=1000 transport=<_SelectorSocketTransport fd=N read=idle write=<idle, "
          "bufsize=0>>>",
          "<StreamWriter transport=<_SelectorSocketTransport closing fd=N read=idle write=<idle, bufsize=0>> "
          "reader=<StreamReader eof limit=1000 transport=<_SelectorSocketTransport closing fd=N read=idle write=<idle, "
          "bufsize=0>>>>",
          "<StreamWriter transport=<_SelectorSocketTransport closed fd=N> reader=<StreamReader eof limit=1000 "
          "transport=<_SelectorSocketTransport closed fd=N>>>"}));
}

// Dropping the last reference to an open StreamWriter closes its transport (StreamWriter.__del__).
// Python:
//   import asyncio, re, warnings
//   warnings.simplefilter('always')
//   def showwarning(message, category, *args):
//       print(category.__name__, re.sub(r'fd=\d+', 'fd=N', str(message)))
//   warnings.showwarning = showwarning
//   async def handle(reader, writer):
//       print('server: eof', await reader.read())
//       writer.close()
//   async def main():
//       server = await asyncio.start_server(handle, '127.0.0.1', 0)
//       port = server.sockets[0].getsockname()[1]
//       reader, writer = await asyncio.open_connection('127.0.0.1', port)
//       del reader, writer
//       print('client: dropped')
//       await asyncio.sleep(0.01)
//       server.close()
//       await server.wait_closed()
//   asyncio.run(main())
// Output:
//   ResourceWarning unclosed <StreamWriter transport=<_SelectorSocketTransport closing fd=N read=idle write=<idle, bufsize=0>> reader=<StreamReader transport=<_SelectorSocketTransport closing fd=N read=idle write=<idle, bufsize=0>>>>
//   client: dropped
//   server: eof b''
TEST_P(Streams, DroppingAnOpenWriterClosesIt) {
  Trace t;
  set_warning_sink([](const char* category, const std::string& message) {
    std::printf("%s %s\n", category, norm_fd(message).c_str());
  });
  testing::internal::CaptureStdout();
  run([&]() -> Coro<> {
    auto handle = [&](Ref<StreamReader> reader, Ref<StreamWriter> writer) -> Coro<> {
      std::string rest = co_await reader->read();
      std::printf("server: eof %s\n", py_bytes(rest).c_str());
      writer->close();
    };
    Ref<Server> server = co_await start_server(handle, "127.0.0.1", "0");
    { auto pair = co_await open_connection("127.0.0.1", port_of(server)); }
    std::printf("client: dropped\n");
    co_await sleep(0.01);
    server->close();
    co_await server->wait_closed();
  }());
  std::fflush(stdout);
  const std::string out = testing::internal::GetCapturedStdout();
  set_warning_sink(nullptr);
  for (std::size_t at = 0, nl; (nl = out.find('\n', at)) != std::string::npos; at = nl + 1) t(out.substr(at, nl - at));
  EXPECT_EQ(t.events, (Events{"ResourceWarning unclosed <StreamWriter transport=<_SelectorSocketTransport closing fd=N "
                              "read=idle write=<idle, bufsize=0>> reader=<StreamReader "
                              "transport=<_SelectorSocketTransport closing fd=N read=idle write=<idle, bufsize=0>>>>",
                              "client: dropped", "server: eof b''"}));
}

INSTANTIATE_TEST_SUITE_P(Networks, Streams, testing::Values(Net::real, Net::simulated), net_name);

}  // namespace
}  // namespace asyncio::test
