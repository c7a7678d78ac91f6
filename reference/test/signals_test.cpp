// Signal handlers (unix_events.py: add_signal_handler, remove_signal_handler, _handle_signal) and
// Ctrl-C in asyncio.run (runners.py: Runner._on_sigint), on a real-time loop and a virtual-time one.
#include <unistd.h>

#include <csignal>
#include <string>
#include <thread>

#include "net_support.hpp"
#include "trace.hpp"

namespace asyncio::test {
namespace {

bool is_default(int sig) {
  struct sigaction sa{};
  sigaction(sig, nullptr, &sa);
  return sa.sa_handler == SIG_DFL;
}

class Signals : public NetTest {
 protected:
  Trace t;
};

// The handler runs as a loop callback, two iterations after the poll that saw the signal.
// Python:
//   import asyncio, os, signal
//   async def main():
//       loop = asyncio.get_running_loop()
//       got = loop.create_future()
//       loop.add_signal_handler(signal.SIGUSR1, lambda: (print('handler'), got.set_result(None)))
//       loop.call_soon(lambda: print('callback 1'))
//       os.kill(os.getpid(), signal.SIGUSR1)
//       loop.call_soon(lambda: print('callback 2'))
//       await got
//       print(loop.remove_signal_handler(signal.SIGUSR1), loop.remove_signal_handler(signal.SIGUSR1))
//       print(signal.getsignal(signal.SIGUSR1) == signal.SIG_DFL)
//   asyncio.run(main())
// Output:
//   callback 1
//   callback 2
//   handler
//   True False
//   True
TEST_P(Signals, HandlerRunsAsACallback) {
  auto main = [&]() -> Coro<> {
    EventLoop& loop = get_running_loop();
    Future<> got = loop.create_future();
    loop.add_signal_handler(SIGUSR1, [&] {
      t("handler");
      got.set_result();
    });
    loop.call_soon([&] { t("callback 1"); });
    ::kill(getpid(), SIGUSR1);
    loop.call_soon([&] { t("callback 2"); });
    co_await got;
    const bool first = loop.remove_signal_handler(SIGUSR1);
    const bool second = loop.remove_signal_handler(SIGUSR1);
    t(std::string(first ? "True" : "False") + " " + (second ? "True" : "False"));
    t(is_default(SIGUSR1) ? "True" : "False");
  };
  run(main());
  EXPECT_EQ(t.events, (Events{"callback 1", "callback 2", "handler", "True False", "True"}));
}

// Python:
//   import asyncio, signal, threading
//   async def main():
//       loop = asyncio.get_running_loop()
//       for sig in (signal.SIGKILL, signal.SIGSTOP, 0, signal.NSIG):
//           try:
//               loop.add_signal_handler(sig, print)
//           except (RuntimeError, ValueError) as e:
//               print(repr(e))
//   asyncio.run(main())
//   def in_thread():
//       loop = asyncio.new_event_loop()
//       try:
//           loop.add_signal_handler(signal.SIGUSR1, print)
//       except RuntimeError as e:
//           print(repr(e))
//       loop.close()
//   t = threading.Thread(target=in_thread)
//   t.start()
//   t.join()
// Output:
//   RuntimeError('sig 9 cannot be caught')
//   RuntimeError('sig 19 cannot be caught')
//   ValueError('invalid signal number 0')
//   ValueError('invalid signal number 65')
//   RuntimeError('set_wakeup_fd only works in main thread of the main interpreter')
TEST_P(Signals, Errors) {
  auto main = [&]() -> Coro<> {
    EventLoop& loop = get_running_loop();
    for (int sig : {SIGKILL, SIGSTOP, 0, NSIG}) {
      try {
        loop.add_signal_handler(sig, [] {});
      } catch (const RuntimeError& e) {
        t(e.repr());
      } catch (const ValueError& e) {
        t(e.repr());
      }
    }
    co_return;
  };
  run(main());
  std::thread([&] {
    auto loop = new_event_loop();
    try {
      loop->add_signal_handler(SIGUSR1, [] {});
    } catch (const RuntimeError& e) {
      t(e.repr());
    }
    loop->close();
  }).join();
  EXPECT_EQ(t.events, (Events{"RuntimeError('sig 9 cannot be caught')", "RuntimeError('sig 19 cannot be caught')",
                              "ValueError('invalid signal number 0')", "ValueError('invalid signal number 65')",
                              "RuntimeError('set_wakeup_fd only works in main thread of the main interpreter')"}));
}

// A signal arriving while a callback runs is handled after it, as a callback of its own.
TEST_P(Signals, SignalDuringACallback) {
  auto main = [&]() -> Coro<> {
    EventLoop& loop = get_running_loop();
    Future<> got = loop.create_future();
    loop.add_signal_handler(SIGUSR2, [&] {
      t("handler");
      got.set_result();
    });
    loop.call_soon([&] {
      t("callback starts");
      ::kill(getpid(), SIGUSR2);
      t("callback ends");
    });
    co_await got;
    loop.remove_signal_handler(SIGUSR2);
  };
  run(main());
  EXPECT_EQ(t.events, (Events{"callback starts", "callback ends", "handler"}));
}

// The first SIGINT cancels the main task; asyncio.run then raises KeyboardInterrupt and puts
// default_int_handler back.
// Python:
//   import asyncio, os, signal
//   async def main():
//       try:
//           os.kill(os.getpid(), signal.SIGINT)
//           await asyncio.sleep(10)
//       except asyncio.CancelledError:
//           print('main cancelled')
//           raise
//   try:
//       asyncio.run(main())
//   except KeyboardInterrupt:
//       print('KeyboardInterrupt')
//   print(signal.getsignal(signal.SIGINT) is signal.default_int_handler)
// Output:
//   main cancelled
//   KeyboardInterrupt
//   True
TEST_P(Signals, SigintCancelsTheMainTask) {
  auto main = [&]() -> Coro<> {
    try {
      ::kill(getpid(), SIGINT);
      co_await sleep(10);
    } catch (const CancelledError&) {
      t("main cancelled");
      throw;
    }
  };
  try {
    run(main());
  } catch (const KeyboardInterrupt&) {
    t("KeyboardInterrupt");
  }
  t(is_default(SIGINT) ? "True" : "False");
  EXPECT_EQ(t.events, (Events{"main cancelled", "KeyboardInterrupt", "True"}));
}

// Python:
//   import asyncio, os, signal
//   async def main():
//       try:
//           os.kill(os.getpid(), signal.SIGINT)
//           await asyncio.sleep(10)
//       except asyncio.CancelledError:
//           print('main cancelled')
//           os.kill(os.getpid(), signal.SIGINT)
//           await asyncio.sleep(1)
//           print('not reached')
//   try:
//       asyncio.run(main())
//   except KeyboardInterrupt:
//       print('KeyboardInterrupt')
// Output:
//   main cancelled
//   KeyboardInterrupt
TEST_P(Signals, SecondSigintIsKeyboardInterrupt) {
  auto main = [&]() -> Coro<> {
    try {
      ::kill(getpid(), SIGINT);
      co_await sleep(10);
    } catch (const CancelledError&) {
      t("main cancelled");
    }
    ::kill(getpid(), SIGINT);
    co_await sleep(1);
    t("not reached");
  };
  try {
    run(main());
  } catch (const KeyboardInterrupt&) {
    t("KeyboardInterrupt");
  }
  EXPECT_TRUE(is_default(SIGINT));
  EXPECT_EQ(t.events, (Events{"main cancelled", "KeyboardInterrupt"}));
}

// A main task that swallows the cancellation returns normally.
// Python:
//   import asyncio, os, signal
//   async def main():
//       try:
//           os.kill(os.getpid(), signal.SIGINT)
//           await asyncio.sleep(10)
//       except asyncio.CancelledError:
//           print('main cancelled, carries on')
//       return 'done'
//   print(asyncio.run(main()))
// Output:
//   main cancelled, carries on
//   done
TEST_P(Signals, MainTaskMaySwallowTheCancellation) {
  auto main = [&]() -> Coro<std::string> {
    try {
      ::kill(getpid(), SIGINT);
      co_await sleep(10);
    } catch (const CancelledError&) {
      t("main cancelled, carries on");
    }
    co_return "done";
  };
  t(run(main()));
  EXPECT_EQ(t.events, (Events{"main cancelled, carries on", "done"}));
}

INSTANTIATE_TEST_SUITE_P(Loops, Signals, testing::Values(Net::real, Net::simulated), net_name);

}  // namespace
}  // namespace asyncio::test
