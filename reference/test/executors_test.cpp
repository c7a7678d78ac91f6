// Threads and executors (base_events.py: run_in_executor, shutdown_default_executor; threads.py:
// to_thread; futures.py: wrap_future; tasks.py: run_coroutine_threadsafe; concurrent/futures/
// thread.py: ThreadPoolExecutor) on a real-time loop and on a virtual-time one, where the jobs are
// external work the clock waits for.
#include <dirent.h>

#include <atomic>
#include <barrier>
#include <chrono>
#include <ctime>
#include <string>
#include <thread>
#include <tuple>
#include <vector>

#include "net_support.hpp"
#include "trace.hpp"

namespace asyncio::test {
namespace {

/// The threads of this process (/proc/self/task), for leak checks.
int thread_count() {
  // ThreadSanitizer starts a background thread of its own with the process's first other thread:
  // have that happen before the first count.
  static const bool started_one = (std::thread([] {}).join(), true);
  (void)started_one;
  int n = 0;
  if (DIR* d = opendir("/proc/self/task")) {
    while (dirent* e = readdir(d)) n += e->d_name[0] != '.';
    closedir(d);
  }
  return n;
}

class Executors : public NetTest {
 protected:
  void SetUp() override {
    NetTest::SetUp();
    threads_before_ = thread_count();
  }
  void TearDown() override {
    NetTest::TearDown();
    // A joined thread's /proc entry can outlive the join by a moment (the kernel wakes the joiner
    // before it reaps the thread): a thread still listed after a second was left running.
    int now = thread_count();
    for (int i = 0; i < 200 && now > threads_before_; ++i) {
      std::this_thread::sleep_for(std::chrono::milliseconds(5));
      now = thread_count();
    }
    EXPECT_EQ(now, threads_before_) << "threads left running";
  }
  Trace t;

 private:
  int threads_before_ = 0;
};

// run_in_executor returns an asyncio Future, pending at first, done with the job's result; the
// default pool's first thread is asyncio_0.
// Python:
//   import asyncio, threading
//   def work(x):
//       return threading.current_thread().name, x * 2
//   async def main():
//       loop = asyncio.get_running_loop()
//       fut = loop.run_in_executor(None, work, 21)
//       print(type(fut).__name__, fut.done())
//       print(await fut)
//   asyncio.run(main())
// Output:
//   Future False
//   ('asyncio_0', 42)
TEST_P(Executors, RunInExecutorReturnsAFuture) {
  auto main = [&]() -> Coro<> {
    Future<std::pair<std::string, int>> fut = get_running_loop().run_in_executor(
        nullptr, [] { return std::pair(concurrent::current_thread_name(), 21 * 2); });
    t(std::string("Future ") + (fut.done() ? "True" : "False"));
    auto [name, value] = co_await fut;
    t("('" + name + "', " + std::to_string(value) + ")");
  };
  run(main());
  EXPECT_EQ(t.events, (Events{"Future False", "('asyncio_0', 42)"}));
}

// A job finding no idle worker starts a new one, named asyncio_N, up to min(32, cpu count + 4).
// Python:
//   import asyncio, os, threading
//   barrier = threading.Barrier(3)
//   def work():
//       barrier.wait()
//       return threading.current_thread().name
//   async def main():
//       loop = asyncio.get_running_loop()
//       names = await asyncio.gather(*(loop.run_in_executor(None, work) for _ in range(3)))
//       print(sorted(names))
//       print(loop._default_executor._max_workers == min(32, os.cpu_count() + 4))
//   asyncio.run(main())
// Output:
//   ['asyncio_0', 'asyncio_1', 'asyncio_2']
//   True
TEST_P(Executors, DefaultPoolStartsNamedWorkers) {
  std::barrier barrier(3);
  auto main = [&]() -> Coro<> {
    EventLoop& loop = get_running_loop();
    auto work = [&] {
      barrier.arrive_and_wait();
      return concurrent::current_thread_name();
    };
    auto [a, b, c] = co_await gather(loop.run_in_executor(nullptr, work), loop.run_in_executor(nullptr, work),
                                     loop.run_in_executor(nullptr, work));
    std::vector<std::string> names{a, b, c};
    std::sort(names.begin(), names.end());
    t("['" + names[0] + "', '" + names[1] + "', '" + names[2] + "']");
    auto pool = std::dynamic_pointer_cast<concurrent::ThreadPoolExecutor>(loop.default_executor());
    const unsigned cpus = std::thread::hardware_concurrency();
    t(pool->max_workers() == std::min<int>(32, static_cast<int>(cpus) + 4) ? "True" : "False");
  };
  run(main());
  EXPECT_EQ(t.events, (Events{"['asyncio_0', 'asyncio_1', 'asyncio_2']", "True"}));
}

// Python:
//   import asyncio
//   def boom():
//       raise ValueError('boom')
//   async def main():
//       try:
//           await asyncio.to_thread(boom)
//       except ValueError as e:
//           print('caught', repr(e))
//   asyncio.run(main())
// Output:
//   caught ValueError('boom')
TEST_P(Executors, ToThreadRaisesTheJobsException) {
  auto main = [&]() -> Coro<> {
    try {
      co_await to_thread([]() -> int { throw ValueError("boom"); });
    } catch (const ValueError& e) {
      t("caught " + e.repr());
    }
  };
  run(main());
  EXPECT_EQ(t.events, (Events{"caught ValueError('boom')"}));
}

// Python:
//   import asyncio
//   async def main():
//       loop = asyncio.get_running_loop()
//       await loop.run_in_executor(None, int)
//       await loop.shutdown_default_executor()
//       try:
//           loop.run_in_executor(None, int)
//       except RuntimeError as e:
//           print(repr(e))
//   asyncio.run(main())
// Output:
//   RuntimeError('Executor shutdown has been called')
TEST_P(Executors, NoDefaultExecutorAfterShutdown) {
  auto main = [&]() -> Coro<> {
    EventLoop& loop = get_running_loop();
    co_await loop.run_in_executor(nullptr, [] { return 0; });
    co_await loop.shutdown_default_executor();
    try {
      loop.run_in_executor(nullptr, [] { return 0; });
    } catch (const RuntimeError& e) {
      t(e.repr());
    }
  };
  run(main());
  EXPECT_EQ(t.events, (Events{"RuntimeError('Executor shutdown has been called')"}));
}

// asyncio.run ends with shutdown_default_executor: a job nobody awaited still finishes first.
// Python:
//   import asyncio, time
//   done = []
//   def job():
//       time.sleep(0.05)
//       done.append('job')
//   async def main():
//       asyncio.get_running_loop().run_in_executor(None, job)
//       print('main returns')
//   asyncio.run(main())
//   print(done)
// Output:
//   main returns
//   ['job']
TEST_P(Executors, RunWaitsForTheDefaultExecutor) {
  std::atomic<bool> done{false};
  auto main = [&]() -> Coro<> {
    get_running_loop().run_in_executor(nullptr, [&] {
      std::this_thread::sleep_for(std::chrono::milliseconds(50));
      done = true;
    });
    t("main returns");
    co_return;
  };
  run(main());
  t(done ? "['job']" : "[]");
  EXPECT_EQ(t.events, (Events{"main returns", "['job']"}));
}

// A virtual clock does not jump to the timer while the thread runs: it waits for the job for real.
// Python:
//   import asyncio, time
//   async def main():
//       loop = asyncio.get_running_loop()
//       loop.call_later(0.3, lambda: print('timer'))
//       await asyncio.to_thread(time.sleep, 0.05)
//       print('thread done')
//       await asyncio.sleep(0.4)
//   asyncio.run(main())
// Output:
//   thread done
//   timer
TEST_P(Executors, ClockWaitsForTheThread) {
  auto main = [&]() -> Coro<> {
    EventLoop& loop = get_running_loop();
    loop.call_later(0.3, [&] { t("timer"); });
    co_await to_thread([] { std::this_thread::sleep_for(std::chrono::milliseconds(50)); });
    t("thread done");
    co_await sleep(0.4);
  };
  run(main());
  EXPECT_EQ(t.events, (Events{"thread done", "timer"}));
}

// Waiting for a thread does not spin: the loop blocks until the job's callback arrives.
TEST_P(Executors, WaitingForAThreadDoesNotSpin) {
  timespec before{}, after{};
  clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &before);
  run([]() -> Coro<> { co_await to_thread([] { std::this_thread::sleep_for(std::chrono::milliseconds(200)); }); }());
  clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &after);
  const double cpu = static_cast<double>(after.tv_sec - before.tv_sec) + (after.tv_nsec - before.tv_nsec) / 1e9;
  EXPECT_LT(cpu, 0.1);
}

// Nothing ready, nothing scheduled and no external work: still the Deadlock error, not a wait.
TEST(ExecutorsVirtual, NoExternalWorkIsStillADeadlock) {
  auto loop = new_event_loop();
  auto fut = loop->create_future<int>();
  EXPECT_THROW(loop->run_until_complete(fut), Deadlock);
  loop->close();
}

// A job waiting in result() of a run_coroutine_threadsafe future lets the virtual clock move: the
// coroutine it waits for sleeps.
// Python:
//   import asyncio
//   async def add(a, b):
//       await asyncio.sleep(1)
//       return a + b
//   async def main():
//       loop = asyncio.get_running_loop()
//       def in_thread():
//           return asyncio.run_coroutine_threadsafe(add(1, 2), loop).result()
//       print(await asyncio.to_thread(in_thread))
//   asyncio.run(main())
// Output:
//   3
TEST_P(Executors, RunCoroutineThreadsafeFromAJob) {
  auto add = [](int a, int b) -> Coro<int> {
    co_await sleep(1);
    co_return a + b;
  };
  auto main = [&]() -> Coro<> {
    EventLoop& loop = get_running_loop();
    int r = co_await to_thread([&] { return run_coroutine_threadsafe(add(1, 2), loop).result(); });
    t(std::to_string(r));
  };
  run(main());
  EXPECT_EQ(t.events, (Events{"3"}));
}

// Cancelling the concurrent future from the thread cancels the task through the loop.
// Python:
//   import asyncio, concurrent.futures
//   async def main():
//       loop = asyncio.get_running_loop()
//       def in_thread():
//           fut = asyncio.run_coroutine_threadsafe(asyncio.sleep(10), loop)
//           fut.cancel()
//           try:
//               fut.result()
//           except concurrent.futures.CancelledError:
//               return 'cancelled'
//       print(await asyncio.to_thread(in_thread))
//       await asyncio.sleep(0.01)
//       print(len(asyncio.all_tasks()))
//   asyncio.run(main())
// Output:
//   cancelled
//   1
TEST_P(Executors, RunCoroutineThreadsafeCancelled) {
  auto main = [&]() -> Coro<> {
    EventLoop& loop = get_running_loop();
    std::string r = co_await to_thread([&]() -> std::string {
      auto fut = run_coroutine_threadsafe([]() -> Coro<> { co_await sleep(10); }(), loop);
      fut.cancel();
      try {
        fut.result();
      } catch (const CancelledError&) {
        return "cancelled";
      }
      return "not cancelled";
    });
    t(r);
    co_await sleep(0.01);
    t(std::to_string(all_tasks().size()));
  };
  run(main());
  EXPECT_EQ(t.events, (Events{"cancelled", "1"}));
}

// The copy goes through call_soon_threadsafe even from the loop's thread; cancelling the wrapper
// cancels the concurrent future.
// Python:
//   import asyncio, concurrent.futures
//   async def main():
//       cf = concurrent.futures.Future()
//       fut = asyncio.wrap_future(cf)
//       loop = asyncio.get_running_loop()
//       loop.call_soon(lambda: print('callback 1'))
//       cf.set_result(7)
//       loop.call_soon(lambda: print('callback 2'))
//       print('result', await fut)
//       cf2 = concurrent.futures.Future()
//       fut2 = asyncio.wrap_future(cf2)
//       fut2.cancel()
//       await asyncio.sleep(0)
//       print('source cancelled', cf2.cancelled())
//   asyncio.run(main())
// Output:
//   callback 1
//   callback 2
//   result 7
//   source cancelled True
TEST_P(Executors, WrapFuture) {
  auto main = [&]() -> Coro<> {
    concurrent::Future<int> cf;
    Future<int> fut = wrap_future(cf);
    EventLoop& loop = get_running_loop();
    loop.call_soon([&] { t("callback 1"); });
    cf.set_result(7);
    loop.call_soon([&] { t("callback 2"); });
    t("result " + std::to_string(co_await fut));
    concurrent::Future<int> cf2;
    Future<int> fut2 = wrap_future(cf2);
    fut2.cancel();
    co_await sleep(0);
    t(std::string("source cancelled ") + (cf2.cancelled() ? "True" : "False"));
  };
  run(main());
  EXPECT_EQ(t.events, (Events{"callback 1", "callback 2", "result 7", "source cancelled True"}));
}

// to_thread runs the function in the context the hook copies (the interpreter's contextvars).
// Python:
//   import asyncio, contextvars
//   var = contextvars.ContextVar('var')
//   async def main():
//       var.set('main')
//       print(await asyncio.to_thread(var.get))
//   asyncio.run(main())
// Output:
//   main
TEST_P(Executors, ToThreadCopiesTheContext) {
  static thread_local std::string var;
  set_to_thread_context([] {
    return ContextRunner([copied = var](const std::function<void()>& fn) {
      std::string saved = std::exchange(var, copied);
      fn();
      var = saved;
    });
  });
  auto main = [&]() -> Coro<> {
    var = "main";
    t(co_await to_thread([] { return var; }));
  };
  run(main());
  set_to_thread_context(nullptr);
  var.clear();
  EXPECT_EQ(t.events, (Events{"main"}));
}

// shutdown(cancel_futures=True) cancels what has not started; the running job finishes.
// Python:
//   import concurrent.futures, threading
//   ev = threading.Event()
//   ex = concurrent.futures.ThreadPoolExecutor(max_workers=1)
//   f1 = ex.submit(ev.wait)
//   f2 = ex.submit(int)
//   while not f1.running():
//       pass
//   ex.shutdown(wait=False, cancel_futures=True)
//   print(f1.running(), f2.cancelled())
//   try:
//       ex.submit(int)
//   except RuntimeError as e:
//       print(repr(e))
//   ev.set()
//   ex.shutdown(wait=True)
//   print(f1.result(), f1.done())
// Output:
//   True True
//   RuntimeError('cannot schedule new futures after shutdown')
//   True True
TEST(ThreadPoolExecutor, ShutdownWhileAJobRuns) {
  const int threads_before = thread_count();
  Trace t;
  std::atomic<bool> ev{false};
  {
    concurrent::ThreadPoolExecutor ex(1);
    auto f1 = ex.submit([&] {
      while (!ev) std::this_thread::sleep_for(std::chrono::milliseconds(1));
      return true;
    });
    auto f2 = ex.submit([] { return 0; });
    while (!f1.running()) std::this_thread::yield();
    ex.shutdown(false, true);
    t(std::string(f1.running() ? "True" : "False") + " " + (f2.cancelled() ? "True" : "False"));
    try {
      ex.submit([] { return 0; });
    } catch (const RuntimeError& e) {
      t(e.repr());
    }
    ev = true;
    ex.shutdown(true);
    t(std::string(f1.result() ? "True" : "False") + " " + (f1.done() ? "True" : "False"));
  }
  EXPECT_EQ(t.events, (Events{"True True", "RuntimeError('cannot schedule new futures after shutdown')", "True True"}));
  EXPECT_EQ(thread_count(), threads_before);
}

// Python:
//   import concurrent.futures
//   try:
//       concurrent.futures.ThreadPoolExecutor(max_workers=0)
//   except ValueError as e:
//       print(repr(e))
//   f = concurrent.futures.Future()
//   f.set_result(1)
//   try:
//       f.set_result(2)
//   except concurrent.futures.InvalidStateError as e:
//       print(str(e).split(':')[0])
//   try:
//       concurrent.futures.Future().result(timeout=0.01)
//   except TimeoutError as e:
//       print(repr(e))
// Output:
//   ValueError('max_workers must be greater than 0')
//   FINISHED
//   TimeoutError()
TEST(ThreadPoolExecutor, Errors) {
  EXPECT_EQ(raised([] { concurrent::ThreadPoolExecutor ex(0); }), "ValueError: max_workers must be greater than 0");
  concurrent::Future<int> f;
  f.set_result(1);
  try {
    f.set_result(2);
    ADD_FAILURE();
  } catch (const InvalidStateError& e) {
    EXPECT_EQ(e.str().substr(0, e.str().find(':')), "FINISHED");
  }
  EXPECT_EQ(raised([] { concurrent::Future<int>().result(0.01); }), "TimeoutError");
}

INSTANTIATE_TEST_SUITE_P(Loops, Executors, testing::Values(Net::real, Net::simulated), net_name);

}  // namespace
}  // namespace asyncio::test
