// The asynchronous generators the loop closes (base_events.py: _asyncgen_firstiter_hook,
// _asyncgen_finalizer_hook, shutdown_asyncgens), registered as the interpreter registers its own.
#include "asyncio/asyncgens.hpp"

#include <string>
#include <utility>

#include "loop_support.hpp"

namespace asyncio::test {
namespace {

// As the loop sees `async def agen(name): try: yield 1 finally: await asyncio.sleep(0); ...` once
// suspended at its yield: aclose() runs the `finally` (or fails at once, as `bad` does).
class Agen final : public AsyncGen {
 public:
  Agen(Trace& t, std::string name, bool fails = false) : t_(t), name_(std::move(name)), fails_(fails) {}
  Coro<void> aclose() override { return close(t_, name_, fails_); }
  std::string repr() const override { return "<async_generator object " + name_ + " at 0x...>"; }

 private:
  static Coro<void> close(Trace& t, std::string name, bool fails) {
    if (fails) throw ValueError("in aclose");
    co_await sleep(0);
    t(name + " closed");
  }
  Trace& t_;
  std::string name_;
  bool fails_;
};

// Python:
//   import asyncio
//   order = []
//   async def agen(name):
//       try:
//           yield 1
//       finally:
//           await asyncio.sleep(0)
//           order.append(name + ' closed')
//   async def bad():
//       try:
//           yield 1
//       finally:
//           raise ValueError('in aclose')
//   async def pending_task():
//       try:
//           await asyncio.sleep(10)
//       finally:
//           order.append('task cancelled')
//   def handler(loop, ctx):
//       order.append(ctx['message'].split(' <')[0] + ': ' + repr(ctx['exception']) + ' ' + ctx['asyncgen'].__name__)
//   async def main():
//       asyncio.get_running_loop().set_exception_handler(handler)
//       asyncio.create_task(pending_task())
//       global a, b, c
//       a, b, c = agen('first'), bad(), agen('second')
//       for g in (a, b, c):
//           await g.__anext__()
//       await asyncio.sleep(0)
//   asyncio.run(main())
//   print(*order, sep='\n')
// Output:
//   task cancelled
//   first closed
//   second closed
//   an error occurred during closing of asynchronous generator: ValueError('in aclose') bad
TEST(ShutdownAsyncgens, RunnerCloseCancelsTasksThenClosesTheGeneratorsTogetherAndReportsTheirErrors) {
  Trace t;
  Agen first(t, "first"), bad(t, "bad", true), second(t, "second");
  auto pending = [&]() -> Coro<> {
    try {
      co_await sleep(10);
    } catch (const CancelledError&) {
      t("task cancelled");
      throw;
    }
  };
  auto main = [&]() -> Coro<> {
    EventLoop& loop = get_running_loop();
    loop.set_exception_handler([&](EventLoop&, const ExceptionContext& c) {
      std::string agen = c.extra.empty() ? "" : c.extra[0].second;
      t(c.message.substr(0, c.message.find(" <")) + ": " + repr(c.exception) + " " +
        agen.substr(agen.find("object ") + 7, agen.find(" at") - agen.find("object ") - 7));
    });
    create_task(pending());
    for (Agen* g : {&first, &bad, &second}) asyncgen_firstiter(loop, *g);
    co_await sleep(0);
  };
  run(main());
  EXPECT_EQ(t.events, (Events{"task cancelled", "first closed", "second closed",
                              "an error occurred during closing of asynchronous generator: ValueError('in aclose') bad"}));
}

// Python:
//   import asyncio
//   async def agen(name):
//       try:
//           yield 1
//       finally:
//           await asyncio.sleep(0)
//           print(name, 'closed')
//   async def main():
//       g, kept = agen('dropped'), agen('forgotten')
//       await g.__anext__()
//       await kept.__anext__()
//       await kept.aclose()
//       del g, kept
//       print('dropped')
//       await asyncio.sleep(0.1)
//       print('main returns')
//   asyncio.run(main())
// Output:
//   forgotten closed
//   dropped
//   dropped closed
//   main returns
TEST(ShutdownAsyncgens, TheFinalizerClosesADroppedGeneratorInATaskAndAForgottenOneIsNotClosedAgain) {
  Trace t;
  Agen dropped(t, "dropped"), forgotten(t, "forgotten");
  auto main = [&]() -> Coro<> {
    EventLoop& loop = get_running_loop();
    asyncgen_firstiter(loop, dropped);
    asyncgen_firstiter(loop, forgotten);
    co_await forgotten.aclose();
    asyncgen_forget(loop, forgotten);
    asyncgen_finalizer(loop, dropped);
    t("dropped");
    co_await sleep(0.1);
    t("main returns");
  };
  run(main());
  EXPECT_EQ(t.events, (Events{"forgotten closed", "dropped", "dropped closed", "main returns"}));
}

}  // namespace
}  // namespace asyncio::test
