// asyncio.Future (futures.py): states, InvalidStateError texts, cancel(msg), done callbacks, awaiting,
// "Future exception was never retrieved", futures of another loop.
#include "loop_support.hpp"

namespace asyncio::test {
namespace {

// Python:
//   import asyncio, traceback
//   d = lambda e: traceback.format_exception_only(e)[-1].strip()
//   loop = asyncio.new_event_loop()
//   f = loop.create_future()
//   for op in (f.result, f.exception):
//       try:
//           op()
//       except BaseException as e:
//           print(d(e))
//   print(f.done(), f.cancelled())
//   f.set_result(1)
//   for op in (lambda: f.set_result(2), lambda: f.set_exception(ValueError())):
//       try:
//           op()
//       except BaseException as e:
//           print(d(e))
//   print(f.done(), f.result(), f.exception(), f.cancel())
// Output:
//   asyncio.exceptions.InvalidStateError: Result is not set.
//   asyncio.exceptions.InvalidStateError: Exception is not set.
//   False False
//   asyncio.exceptions.InvalidStateError: invalid state
//   asyncio.exceptions.InvalidStateError: invalid state
//   True 1 None False
TEST(Futures, StatesAndInvalidStateErrorTexts) {
  auto loop = new_event_loop();
  auto f = loop->create_future<int>();
  EXPECT_EQ(raised([&] { f.result(); }), "asyncio.exceptions.InvalidStateError: Result is not set.");
  EXPECT_EQ(raised([&] { f.exception(); }), "asyncio.exceptions.InvalidStateError: Exception is not set.");
  EXPECT_FALSE(f.done());
  EXPECT_FALSE(f.cancelled());
  f.set_result(1);
  EXPECT_EQ(raised([&] { f.set_result(2); }), "asyncio.exceptions.InvalidStateError: invalid state");
  EXPECT_EQ(raised([&] { f.set_exception(ValueError()); }), "asyncio.exceptions.InvalidStateError: invalid state");
  EXPECT_TRUE(f.done());
  EXPECT_EQ(f.result(), 1);
  EXPECT_EQ(f.exception(), nullptr);
  EXPECT_FALSE(f.cancel());
  loop->close();
}

// Python:
//   import asyncio, traceback
//   d = lambda e: traceback.format_exception_only(e)[-1].strip()
//   loop = asyncio.new_event_loop()
//   f = loop.create_future()
//   print(f.cancel('stop'), f.cancel('again'), f.cancelled(), f.done())
//   for op in (f.result, f.exception, f.result):
//       try:
//           op()
//       except BaseException as e:
//           print(repr(e), d(e))
//   try:
//       f.set_result(1)
//   except BaseException as e:
//       print(d(e))
// Output:
//   True False True True
//   CancelledError('stop') asyncio.exceptions.CancelledError: stop
//   CancelledError('stop') asyncio.exceptions.CancelledError: stop
//   CancelledError('stop') asyncio.exceptions.CancelledError: stop
//   asyncio.exceptions.InvalidStateError: invalid state
TEST(Futures, CancelWithMessageKeepsTheFirstMessage) {
  auto loop = new_event_loop();
  auto f = loop->create_future<int>();
  EXPECT_TRUE(f.cancel("stop"));
  EXPECT_FALSE(f.cancel("again"));
  EXPECT_TRUE(f.cancelled());
  EXPECT_TRUE(f.done());
  for (int i = 0; i < 3; ++i) {
    std::exception_ptr e;
    try {
      if (i == 1)
        f.exception();
      else
        f.result();
    } catch (...) {
      e = std::current_exception();
    }
    EXPECT_EQ(repr(e) + " " + describe(e), "CancelledError('stop') asyncio.exceptions.CancelledError: stop");
  }
  EXPECT_EQ(raised([&] { f.set_result(1); }), "asyncio.exceptions.InvalidStateError: invalid state");
  loop->close();
}

// Python:
//   import asyncio
//   loop = asyncio.new_event_loop()
//   f = loop.create_future()
//   f.add_done_callback(lambda f: print('cb1'))
//   f.add_done_callback(lambda f: print('cb2'))
//   f.set_result(None)
//   f.add_done_callback(lambda f: print('cb3 (added after done)'))
//   loop.call_soon(print, 'next call_soon')
//   loop.call_soon(loop.stop)
//   loop.run_forever()
// Output:
//   cb1
//   cb2
//   cb3 (added after done)
//   next call_soon
TEST(Futures, DoneCallbacksRunInRegistrationOrderThenLateOnesThenCallSoon) {
  auto loop = new_event_loop();
  Trace t;
  auto f = loop->create_future<void>();
  f.add_done_callback([&](FutureBase&) { t("cb1"); });
  f.add_done_callback([&](FutureBase&) { t("cb2"); });
  f.set_result();
  f.add_done_callback([&](FutureBase&) { t("cb3 (added after done)"); });
  loop->call_soon([&] { t("next call_soon"); });
  loop->call_soon([&] { loop->stop(); });
  loop->run_forever();
  EXPECT_EQ(t.events, (Events{"cb1", "cb2", "cb3 (added after done)", "next call_soon"}));
  loop->close();
}

// Python:
//   import asyncio
//   loop = asyncio.new_event_loop()
//   f = loop.create_future()
//   def cb(f): print('cb')
//   f.add_done_callback(cb)
//   f.add_done_callback(lambda f: print('other'))
//   f.add_done_callback(cb)
//   print(f.remove_done_callback(cb), f.remove_done_callback(cb))
//   f.set_result(None)
//   loop.call_soon(loop.stop)
//   loop.run_forever()
// Output:
//   2 0
//   other
TEST(Futures, RemoveDoneCallbackRemovesEveryInstance) {
  auto loop = new_event_loop();
  Trace t;
  auto f = loop->create_future<void>();
  static const char cb = 0;
  f.state().add_done_callback([&](FutureBase&) { t("cb"); }, &cb);
  f.add_done_callback([&](FutureBase&) { t("other"); });
  f.state().add_done_callback([&](FutureBase&) { t("cb"); }, &cb);
  const auto first = f.remove_done_callback(&cb);
  const auto second = f.remove_done_callback(&cb);
  t(std::to_string(first) + " " + std::to_string(second));
  f.set_result();
  loop->call_soon([&] { loop->stop(); });
  loop->run_forever();
  EXPECT_EQ(t.events, (Events{"2 0", "other"}));
  loop->close();
}

// Python:
//   import asyncio
//   async def main():
//       loop = asyncio.get_running_loop()
//       f = loop.create_future()
//       f.set_result('v')
//       loop.call_soon(print, 'callback')
//       print('got', await f)
//       await asyncio.sleep(0)
//       print('after yield')
//   asyncio.run(main())
// Output:
//   got v
//   callback
//   after yield
TEST(Futures, AwaitingADoneFutureContinuesWithoutYielding) {
  Trace t;
  auto main = [&]() -> Coro<> {
    auto& loop = get_running_loop();
    auto f = loop.create_future<std::string>();
    f.set_result("v");
    loop.call_soon([&] { t("callback"); });
    t("got " + co_await f);
    co_await sleep(0);
    t("after yield");
  };
  run(main());
  EXPECT_EQ(t.events, (Events{"got v", "callback", "after yield"}));
}

// Python:
//   import asyncio
//   async def main():
//       loop = asyncio.get_running_loop()
//       f = loop.create_future()
//       def resolve():
//           print('resolve')
//           f.set_result(1)
//           loop.call_soon(print, 'call_soon after set_result')
//       loop.call_soon(resolve)
//       print('awaited', await f)
//   asyncio.run(main())
// Output:
//   resolve
//   awaited 1
//   call_soon after set_result
TEST(Futures, AwaitingTaskResumesThroughTheDoneCallbackScheduledBySetResult) {
  Trace t;
  auto main = [&]() -> Coro<> {
    auto& loop = get_running_loop();
    auto f = loop.create_future<int>();
    loop.call_soon([&] {
      t("resolve");
      f.set_result(1);
      loop.call_soon([&] { t("call_soon after set_result"); });
    });
    t("awaited " + std::to_string(co_await f));
  };
  run(main());
  EXPECT_EQ(t.events, (Events{"resolve", "awaited 1", "call_soon after set_result"}));
}

// Python:
//   import asyncio, gc
//   def h(loop, c): print(c['message'], '|', ' '.join(f'{k}={v!r}' for k, v in sorted(c.items()) if k != 'message'))
//   loop = asyncio.new_event_loop()
//   loop.set_exception_handler(h)
//   f = loop.create_future()
//   f.set_exception(ValueError('lost'))
//   del f
//   gc.collect()
//   g = loop.create_future()
//   g.set_exception(ValueError('seen'))
//   g.exception()
//   del g
//   c = loop.create_future()
//   c.cancel()
//   del c
//   gc.collect()
//   print('end')
// Output:
//   Future exception was never retrieved | exception=ValueError('lost') future=<Future finished exception=ValueError('lost')>
//   end
TEST(Futures, FutureExceptionNeverRetrievedGoesToTheExceptionHandler) {
  auto loop = new_event_loop();
  HandlerLog log;
  log.install(*loop);
  {
    auto f = loop->create_future<int>();
    f.set_exception(ValueError("lost"));
  }
  {
    auto g = loop->create_future<int>();
    g.set_exception(ValueError("seen"));
    g.exception();
  }
  {
    auto c = loop->create_future<int>();
    c.cancel();
  }
  EXPECT_EQ(log.lines, (Events{"Future exception was never retrieved | exception=ValueError('lost') "
                               "future=<Future finished exception=ValueError('lost')>"}));
  loop->close();
}

Coro<> await_foreign(EventLoop& other, Trace& t) {
  try {
    co_await other.create_future<int>();
  } catch (const RuntimeError& e) {
    t(e.str());
  }
}

// The task's repr differs from CPython's only by the `cb=[...]` part, which the reference loop does
// not print.
// Python:
//   import asyncio
//   async def await_foreign(other):
//       try:
//           await other.create_future()
//       except RuntimeError as e:
//           print(e)
//   other = asyncio.new_event_loop()
//   asyncio.run(await_foreign(other))
// Output:
//   Task <Task pending name='Task-1' coro=<await_foreign() running> cb=[_run_until_complete_cb()]> got Future <Future pending> attached to a different loop
TEST(Futures, AwaitingAFutureOfAnotherLoopRaisesRuntimeError) {
  auto other = new_event_loop();
  Trace t;
  run(await_foreign(*other, t));
  ASSERT_EQ(t.events.size(), 1u);
  EXPECT_EQ(t.events[0],
            "Task <Task pending name='Task-1' coro=<await_foreign() running>> got Future <Future pending> attached to "
            "a different loop");
  other->close();
}

// Python:
//   import asyncio
//   loop = asyncio.new_event_loop()
//   other = asyncio.new_event_loop()
//   try:
//       loop.run_until_complete(other.create_future())
//   except ValueError as e:
//       print(e)
// Output:
//   The future belongs to a different loop than the one specified as the loop argument
TEST(Futures, RunUntilCompleteOfAFutureOfAnotherLoopRaisesValueError) {
  auto loop = new_event_loop();
  auto other = new_event_loop();
  EXPECT_EQ(raised([&] { loop->run_until_complete(other->create_future<int>()); }),
            "ValueError: The future belongs to a different loop than the one specified as the loop argument");
  EXPECT_FALSE(loop->is_running());
  loop->close();
  other->close();
}

// Python:
//   import asyncio, traceback
//   loop = asyncio.new_event_loop()
//   loop.close()
//   f = loop.create_future()
//   f.set_result(1)
//   print(f.result())
//   try:
//       f.add_done_callback(print)
//   except RuntimeError as e:
//       print(e)
// Output:
//   1
//   Event loop is closed
TEST(Futures, CreateFutureWorksOnAClosedLoopButCallbacksDoNot) {
  auto loop = new_event_loop();
  loop->close();
  auto f = loop->create_future<int>();
  f.set_result(1);
  EXPECT_EQ(f.result(), 1);
  EXPECT_EQ(raised([&] { f.add_done_callback([](FutureBase&) {}); }), "RuntimeError: Event loop is closed");
}

// Python:
//   import asyncio
//   async def main():
//       t = asyncio.current_task()
//       try:
//           t.set_exception(ValueError())
//       except RuntimeError as e:
//           print(e)
//   asyncio.run(main())
// Output:
//   Task does not support set_exception operation
TEST(Futures, SetExceptionOnATaskIsARuntimeError) {
  Trace t;
  auto main = [&]() -> Coro<> {
    try {
      current_task()->set_exception(std::make_exception_ptr(ValueError()));
    } catch (const RuntimeError& e) {
      t(e.str());
    }
    co_return;
  };
  run(main());
  EXPECT_EQ(t.events, (Events{"Task does not support set_exception operation"}));
}

}  // namespace
}  // namespace asyncio::test
