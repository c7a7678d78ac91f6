// asyncio/locks.py: every ordering rule and error text, checked against CPython 3.11.7's output.
#include <gtest/gtest.h>

#include "sync_support.hpp"

namespace asyncio::test {
namespace {

// async def main():
//     lock, log = asyncio.Lock(), []
//     async def ticker():
//         for i in range(4):
//             log.append(f'tick{i}')
//             await asyncio.sleep(0)
//     async def user(name):
//         log.append(f'{name} acquires')
//         await lock.acquire()
//         log.append(name)
//         lock.release()
//     await lock.acquire()
//     tk = asyncio.create_task(ticker())
//     w = asyncio.create_task(user('waiter'))
//     await asyncio.sleep(0)
//     b = asyncio.create_task(user('barger'))
//     log.append('release')
//     lock.release()
//     await asyncio.gather(tk, w, b)
//     print(log)
// asyncio.run(main())
TEST(Locks, LockNoBargingWokenWaiterRunsFirst) {
  // The barger's first step runs before the woken waiter's, finds the lock free, and still queues.
  Lock lock;
  Trace log;
  auto ticker = [&]() -> Coro<> {
    for (int i = 0; i < 4; ++i) {
      log("tick" + std::to_string(i));
      co_await sleep(0);
    }
  };
  auto user = [&](std::string name) -> Coro<> {
    log(name + " acquires");
    co_await lock.acquire();
    log(name);
    lock.release();
  };
  auto main = [&]() -> Coro<> {
    co_await lock.acquire();
    auto tk = create_task(ticker());
    auto w = create_task(user("waiter"));
    co_await sleep(0);
    auto b = create_task(user("barger"));
    log("release");
    lock.release();
    co_await gather(tk, w, b);
  };
  run(main());
  EXPECT_EQ(log.events, (Events{"tick0", "waiter acquires", "release", "tick1", "barger acquires", "waiter", "tick2",
                                "barger", "tick3"}));
}

// async def main():
//     lock, log = asyncio.Lock(), []
//     async def user(name):
//         async with lock:
//             log.append(name)
//             await asyncio.sleep(0)
//     await lock.acquire()
//     ts = [asyncio.create_task(user(f'w{i}')) for i in range(3)]
//     await asyncio.sleep(0)
//     lock.release()
//     await asyncio.gather(*ts)
//     print(log)
// asyncio.run(main())
TEST(Locks, LockWaitersAreFifo) {
  Lock lock;
  Trace log;
  auto user = [&](std::string name) -> Coro<> {
    co_await lock.aenter();
    log(name);
    co_await sleep(0);
    co_await lock.aexit(nullptr);
  };
  auto main = [&]() -> Coro<> {
    co_await lock.acquire();
    std::vector<Task<>> ts;
    for (int i = 0; i < 3; ++i) ts.push_back(create_task(user("w" + std::to_string(i))));
    co_await sleep(0);
    lock.release();
    co_await gather(ts);
  };
  run(main());
  EXPECT_EQ(log.events, (Events{"w0", "w1", "w2"}));
}

// async def main():
//     lock, log = asyncio.Lock(), []
//     async def user(name):
//         try:
//             await lock.acquire()
//         except asyncio.CancelledError:
//             log.append(f'{name} cancelled locked={lock.locked()}')
//             raise
//         log.append(name)
//         lock.release()
//     await lock.acquire()
//     a = asyncio.create_task(user('a'))
//     b = asyncio.create_task(user('b'))
//     await asyncio.sleep(0)
//     lock.release()
//     a.cancel()
//     await asyncio.gather(a, b, return_exceptions=True)
//     print(log)
// asyncio.run(main())
TEST(Locks, LockCancelledWokenWaiterPassesTheWakeUpOn) {
  Lock lock;
  Trace log;
  auto user = [&](std::string name) -> Coro<> {
    try {
      co_await lock.acquire();
    } catch (const CancelledError&) {
      log(name + " cancelled locked=" + py_bool(lock.locked()));
      throw;
    }
    log(name);
    lock.release();
  };
  auto main = [&]() -> Coro<> {
    co_await lock.acquire();
    auto a = create_task(user("a"));
    auto b = create_task(user("b"));
    co_await sleep(0);
    lock.release();
    a.cancel();
    co_await gather(return_exceptions, a, b);
  };
  run(main());
  EXPECT_EQ(log.events, (Events{"a cancelled locked=False", "b"}));
}

// async def main():
//     lock, log = asyncio.Lock(), []
//     async def user():
//         try:
//             await lock.acquire()
//         except asyncio.CancelledError:
//             log.append('waiter cancelled')
//             raise
//     await lock.acquire()
//     a = asyncio.create_task(user())
//     await asyncio.sleep(0)
//     a.cancel()
//     lock.release()
//     await lock.acquire()
//     log.append(f'main acquired before the waiter ran: {not a.done()}')
//     await asyncio.gather(a, return_exceptions=True)
//     print(log)
// asyncio.run(main())
TEST(Locks, LockFastPathWhenEveryWaiterIsCancelled) {
  Lock lock;
  Trace log;
  auto user = [&]() -> Coro<> {
    try {
      co_await lock.acquire();
    } catch (const CancelledError&) {
      log("waiter cancelled");
      throw;
    }
  };
  auto main = [&]() -> Coro<> {
    co_await lock.acquire();
    auto a = create_task(user());
    co_await sleep(0);
    a.cancel();
    lock.release();
    co_await lock.acquire();
    log("main acquired before the waiter ran: " + py_bool(!a.done()));
    co_await gather(return_exceptions, a);
  };
  run(main());
  EXPECT_EQ(log.events, (Events{"main acquired before the waiter ran: True", "waiter cancelled"}));
}

// lock = asyncio.Lock()
// async def hold():
//     await lock.acquire()
//     t = asyncio.create_task(lock.acquire())
//     await asyncio.sleep(0)
//     print(norm(repr(lock)))
//     t.cancel()
//     await asyncio.gather(t, return_exceptions=True)
//     lock.release()
// asyncio.run(hold())
// async def other():
//     try:
//         lock.release()
//     except RuntimeError as e:
//         print(e)
//     await lock.acquire()
//     try:
//         await lock.acquire()
//     except RuntimeError as e:
//         print(norm(str(e)))
//     print(norm(repr(lock)))
// asyncio.run(other())
TEST(Locks, LockErrorsAndLoopBinding) {
  Lock lock;
  Trace log;
  auto hold = [&]() -> Coro<> {
    co_await lock.acquire();
    auto t = create_task(lock.acquire());
    co_await sleep(0);
    log(norm(lock.repr()));
    t.cancel();
    co_await gather(return_exceptions, t);
    lock.release();
  };
  run(hold());
  auto other = [&]() -> Coro<> {
    try {
      lock.release();
    } catch (const RuntimeError& e) {
      log(e.str());
    }
    co_await lock.acquire();
    try {
      co_await lock.acquire();
    } catch (const RuntimeError& e) {
      log(norm(e.str()));
    }
    log(norm(lock.repr()));
  };
  run(other());
  EXPECT_EQ(log.events, (Events{"<asyncio.locks.Lock object at 0x... [locked, waiters:1]>", "Lock is not acquired.",
                                "<asyncio.locks.Lock object at 0x... [locked]> is bound to a different event loop",
                                "<asyncio.locks.Lock object at 0x... [locked]>"}));
}

// async def main():
//     lock, log = asyncio.Lock(), []
//     async def user(name):
//         async with lock:
//             log.append(f'{name} in')
//             await asyncio.sleep(0)
//             log.append(f'{name} out')
//     await asyncio.gather(user('a'), user('b'))
//     log.append(f'locked={lock.locked()}')
//     print(log)
// asyncio.run(main())
TEST(Locks, HoldGuardReleasesAtScopeExit) {
  auto lock = make_ref<Lock>();  // Ref-owned: suspended acquirers keep it alive
  Trace log;
  auto user = [&](std::string name) -> Coro<> {
    auto held = co_await hold(*lock);
    log(name + " in");
    co_await sleep(0);
    log(name + " out");
  };
  auto main = [&]() -> Coro<> {
    co_await gather(user("a"), user("b"));
    log("locked=" + py_bool(lock->locked()));
  };
  run(main());
  EXPECT_EQ(log.events, (Events{"a in", "a out", "b in", "b out", "locked=False"}));
}

// async def main():
//     ev, log = asyncio.Event(), []
//     async def w(name):
//         r = await ev.wait()
//         log.append(f'{name} {r} is_set={ev.is_set()}')
//     ts = [asyncio.create_task(w(f'w{i}')) for i in range(3)]
//     await asyncio.sleep(0)
//     ev.set()
//     ev.clear()
//     log.append('set+clear')
//     await asyncio.gather(*ts)
//     ev.set()
//     log.append(f'wait on a set event: {await ev.wait()}')
//     print(log)
// asyncio.run(main())
TEST(Locks, EventSetWakesAllFifoAndClearDoesNotTakeItBack) {
  Event ev;
  Trace log;
  auto w = [&](std::string name) -> Coro<> {
    bool r = co_await ev.wait();
    log(name + " " + py_bool(r) + " is_set=" + py_bool(ev.is_set()));
  };
  auto main = [&]() -> Coro<> {
    std::vector<Task<>> ts;
    for (int i = 0; i < 3; ++i) ts.push_back(create_task(w("w" + std::to_string(i))));
    co_await sleep(0);
    ev.set();
    ev.clear();
    log("set+clear");
    co_await gather(ts);
    ev.set();
    log("wait on a set event: " + py_bool(co_await ev.wait()));
  };
  run(main());
  EXPECT_EQ(log.events, (Events{"set+clear", "w0 True is_set=False", "w1 True is_set=False", "w2 True is_set=False",
                                "wait on a set event: True"}));
}

// async def main():
//     ev = asyncio.Event()
//     print(norm(repr(ev)))
//     t = asyncio.create_task(ev.wait())
//     await asyncio.sleep(0)
//     print(norm(repr(ev)))
//     ev.set()
//     print(norm(repr(ev)))
//     await t
//     print(norm(repr(ev)))
// asyncio.run(main())
TEST(Locks, EventRepr) {
  Event ev;
  Trace log;
  auto main = [&]() -> Coro<> {
    log(norm(ev.repr()));
    auto t = create_task(ev.wait());
    co_await sleep(0);
    log(norm(ev.repr()));
    ev.set();
    log(norm(ev.repr()));
    co_await t;
    log(norm(ev.repr()));
  };
  run(main());
  EXPECT_EQ(log.events, (Events{"<asyncio.locks.Event object at 0x... [unset]>",
                                "<asyncio.locks.Event object at 0x... [unset, waiters:1]>",
                                "<asyncio.locks.Event object at 0x... [set, waiters:1]>",
                                "<asyncio.locks.Event object at 0x... [set]>"}));
}

// async def main():
//     cond, log = asyncio.Condition(), []
//     async def w(name):
//         async with cond:
//             r = await cond.wait()
//             log.append(f'{name} {r}')
//     ts = [asyncio.create_task(w(f'w{i}')) for i in range(4)]
//     await asyncio.sleep(0)
//     async with cond:
//         cond.notify(2)
//         log.append('notify(2)')
//     await asyncio.sleep(0)
//     await asyncio.sleep(0)
//     log.append('between')
//     async with cond:
//         cond.notify_all()
//         log.append('notify_all')
//     await asyncio.gather(*ts)
//     print(log)
// asyncio.run(main())
TEST(Locks, ConditionNotifyWakesTheFirstNFifo) {
  Condition cond;
  Trace log;
  auto w = [&](std::string name) -> Coro<> {
    co_await cond.aenter();
    bool r = co_await cond.wait();
    log(name + " " + py_bool(r));
    co_await cond.aexit(nullptr);
  };
  auto main = [&]() -> Coro<> {
    std::vector<Task<>> ts;
    for (int i = 0; i < 4; ++i) ts.push_back(create_task(w("w" + std::to_string(i))));
    co_await sleep(0);
    co_await cond.acquire();
    cond.notify(2);
    log("notify(2)");
    cond.release();
    co_await sleep(0);
    co_await sleep(0);
    log("between");
    co_await cond.acquire();
    cond.notify_all();
    log("notify_all");
    cond.release();
    co_await gather(ts);
  };
  run(main());
  EXPECT_EQ(log.events, (Events{"notify(2)", "w0 True", "w1 True", "between", "notify_all", "w2 True", "w3 True"}));
}

// async def main():
//     cond, log = asyncio.Condition(), []
//     async def w():
//         async with cond:
//             try:
//                 await cond.wait()
//             except asyncio.CancelledError:
//                 log.append(f'waiter cancelled, locked={cond.locked()}')
//                 raise
//     t = asyncio.create_task(w())
//     await asyncio.sleep(0)
//     await cond.acquire()
//     t.cancel()
//     await asyncio.sleep(0)
//     await asyncio.sleep(0)
//     log.append('main releases')
//     cond.release()
//     await asyncio.gather(t, return_exceptions=True)
//     log.append(f'done, locked={cond.locked()}')
//     print(log)
// asyncio.run(main())
TEST(Locks, ConditionCancelledWaiterReacquiresTheLockFirst) {
  Condition cond;
  Trace log;
  auto w = [&]() -> Coro<> {
    auto held = co_await hold(cond);
    try {
      co_await cond.wait();
    } catch (const CancelledError&) {
      log("waiter cancelled, locked=" + py_bool(cond.locked()));
      throw;
    }
  };
  auto main = [&]() -> Coro<> {
    auto t = create_task(w());
    co_await sleep(0);
    co_await cond.acquire();
    t.cancel();
    co_await sleep(0);
    co_await sleep(0);
    log("main releases");
    cond.release();
    co_await gather(return_exceptions, t);
    log("done, locked=" + py_bool(cond.locked()));
  };
  run(main());
  EXPECT_EQ(log.events, (Events{"main releases", "waiter cancelled, locked=True", "done, locked=False"}));
}

// async def main():
//     cond, log, box = asyncio.Condition(), [], []
//     async def consumer():
//         async with cond:
//             r = await cond.wait_for(lambda: len(box) >= 2 and len(box))
//             log.append(f'predicate {r}')
//     t = asyncio.create_task(consumer())
//     for i in range(3):
//         await asyncio.sleep(0)
//         async with cond:
//             box.append(i)
//             log.append(f'put {i}')
//             cond.notify()
//     await t
//     print(log)
// asyncio.run(main())
TEST(Locks, ConditionWaitForReturnsThePredicateValue) {
  Condition cond;
  Trace log;
  std::vector<int> box;
  auto consumer = [&]() -> Coro<> {
    auto held = co_await hold(cond);
    std::size_t r = co_await cond.wait_for([&] { return box.size() >= 2 ? box.size() : 0; });
    log("predicate " + std::to_string(r));
  };
  auto main = [&]() -> Coro<> {
    auto t = create_task(consumer());
    for (int i = 0; i < 3; ++i) {
      co_await sleep(0);
      auto held = co_await hold(cond);
      box.push_back(i);
      log("put " + std::to_string(i));
      cond.notify();
    }
    co_await t;
  };
  run(main());
  EXPECT_EQ(log.events, (Events{"put 0", "put 1", "predicate 2", "put 2"}));
}

// async def main():
//     lock = asyncio.Lock()
//     cond = asyncio.Condition(lock)
//     for f in (cond.wait, cond.notify):
//         try:
//             r = f()
//             if asyncio.iscoroutine(r): await r
//         except RuntimeError as e:
//             print(e)
//     await lock.acquire()
//     print(cond.locked(), norm(repr(cond)))
//     t = asyncio.create_task(cond.wait_for(lambda: False))
//     await asyncio.sleep(0)
//     print(norm(repr(cond)))
//     t.cancel()
//     await asyncio.gather(t, return_exceptions=True)
//     lock.release()
// asyncio.run(main())
TEST(Locks, ConditionErrorsAndSharedLock) {
  Lock lock;
  Condition cond(lock);
  Trace log;
  auto main = [&]() -> Coro<> {
    try {
      co_await cond.wait();
    } catch (const RuntimeError& e) {
      log(e.str());
    }
    try {
      cond.notify();
    } catch (const RuntimeError& e) {
      log(e.str());
    }
    co_await lock.acquire();
    log(py_bool(cond.locked()) + " " + norm(cond.repr()));
    auto t = create_task(cond.wait_for([] { return false; }));
    co_await sleep(0);
    log(norm(cond.repr()));
    t.cancel();
    co_await gather(return_exceptions, t);
    lock.release();
  };
  run(main());
  EXPECT_EQ(log.events, (Events{"cannot wait on un-acquired lock", "cannot notify on un-acquired lock",
                                "True <asyncio.locks.Condition object at 0x... [locked]>",
                                "<asyncio.locks.Condition object at 0x... [unlocked, waiters:1]>"}));
}

// async def main():
//     sem, log = asyncio.Semaphore(0), []
//     async def w(name):
//         await sem.acquire()
//         log.append(name)
//     ts = [asyncio.create_task(w(f'w{i}')) for i in range(2)]
//     await asyncio.sleep(0)
//     sem.release()
//     sem.release()
//     log.append(f'released twice, locked={sem.locked()}')
//     ts.append(asyncio.create_task(w('wlate')))
//     await asyncio.sleep(0)
//     await asyncio.sleep(0)
//     sem.release()
//     await asyncio.gather(*ts)
//     print(log)
// asyncio.run(main())
TEST(Locks, SemaphoreNewAcquirersQueueBehindWaiters) {
  Semaphore sem(0);
  Trace log;
  auto w = [&](std::string name) -> Coro<> {
    co_await sem.acquire();
    log(name);
  };
  auto main = [&]() -> Coro<> {
    std::vector<Task<>> ts;
    for (int i = 0; i < 2; ++i) ts.push_back(create_task(w("w" + std::to_string(i))));
    co_await sleep(0);
    sem.release();
    sem.release();
    log("released twice, locked=" + py_bool(sem.locked()));
    ts.push_back(create_task(w("wlate")));
    co_await sleep(0);
    co_await sleep(0);
    sem.release();
    co_await gather(ts);
  };
  run(main());
  EXPECT_EQ(log.events, (Events{"released twice, locked=True", "w0", "w1", "wlate"}));
}

// async def main():
//     sem, log = asyncio.Semaphore(0), []
//     async def w(name):
//         try:
//             await sem.acquire()
//         except asyncio.CancelledError:
//             log.append(f'{name} cancelled')
//             raise
//         log.append(f'{name} acquired')
//     a = asyncio.create_task(w('a'))
//     b = asyncio.create_task(w('b'))
//     await asyncio.sleep(0)
//     sem.release()
//     a.cancel()
//     await asyncio.gather(a, b, return_exceptions=True)
//     log.append(f'value={sem._value} locked={sem.locked()}')
//     print(log)
// asyncio.run(main())
TEST(Locks, SemaphoreCancelledWokenWaiterPassesTheWakeUpOn) {
  Semaphore sem(0);
  Trace log;
  auto w = [&](std::string name) -> Coro<> {
    try {
      co_await sem.acquire();
    } catch (const CancelledError&) {
      log(name + " cancelled");
      throw;
    }
    log(name + " acquired");
  };
  auto main = [&]() -> Coro<> {
    auto a = create_task(w("a"));
    auto b = create_task(w("b"));
    co_await sleep(0);
    sem.release();
    a.cancel();
    co_await gather(return_exceptions, a, b);
    log("value=" + std::to_string(sem.value()) + " locked=" + py_bool(sem.locked()));
  };
  run(main());
  EXPECT_EQ(log.events, (Events{"a cancelled", "b acquired", "value=0 locked=True"}));
}

// async def main():
//     try:
//         asyncio.Semaphore(-1)
//     except ValueError as e:
//         print(e)
//     b = asyncio.BoundedSemaphore(2)
//     print(norm(repr(b)))
//     await b.acquire()
//     await b.acquire()
//     print(norm(repr(b)))
//     t = asyncio.create_task(b.acquire())
//     await asyncio.sleep(0)
//     print(norm(repr(b)))
//     b.release()
//     b.release()
//     await t
//     b.release()
//     try:
//         b.release()
//     except ValueError as e:
//         print(e)
//     s = asyncio.Semaphore(0)
//     s.release(); s.release()
//     print(norm(repr(s)))
// asyncio.run(main())
TEST(Locks, SemaphoreErrorsAndRepr) {
  Trace log;
  auto main = [&]() -> Coro<> {
    try {
      Semaphore bad(-1);
    } catch (const ValueError& e) {
      log(e.str());
    }
    BoundedSemaphore b(2);
    log(norm(b.repr()));
    co_await b.acquire();
    co_await b.acquire();
    log(norm(b.repr()));
    auto t = create_task(b.acquire());
    co_await sleep(0);
    log(norm(b.repr()));
    b.release();
    b.release();
    co_await t;
    b.release();
    try {
      b.release();
    } catch (const ValueError& e) {
      log(e.str());
    }
    Semaphore s(0);
    s.release();
    s.release();
    log(norm(s.repr()));
  };
  run(main());
  EXPECT_EQ(log.events, (Events{"Semaphore initial value must be >= 0",
                                "<asyncio.locks.BoundedSemaphore object at 0x... [unlocked, value:2]>",
                                "<asyncio.locks.BoundedSemaphore object at 0x... [locked]>",
                                "<asyncio.locks.BoundedSemaphore object at 0x... [locked, waiters:1]>",
                                "BoundedSemaphore released too many times",
                                "<asyncio.locks.Semaphore object at 0x... [unlocked, value:2]>"}));
}

// async def main():
//     barrier, log = asyncio.Barrier(3), []
//     async def w(name):
//         log.append(f'{name} arrives n_waiting={barrier.n_waiting}')
//         i = await barrier.wait()
//         log.append(f'{name} index={i}')
//     ts = []
//     for n in 'abc':
//         ts.append(asyncio.create_task(w(n)))
//         await asyncio.sleep(0)
//     await asyncio.gather(*ts)
//     log.append(f'after n_waiting={barrier.n_waiting} broken={barrier.broken}')
//     print(log)
// asyncio.run(main())
TEST(Locks, BarrierLastArrivalPassesFirstThenTheOthersFifo) {
  Barrier barrier(3);
  Trace log;
  auto w = [&](std::string name) -> Coro<> {
    log(name + " arrives n_waiting=" + std::to_string(barrier.n_waiting()));
    long i = co_await barrier.wait();
    log(name + " index=" + std::to_string(i));
  };
  auto main = [&]() -> Coro<> {
    std::vector<Task<>> ts;
    for (auto n : {"a", "b", "c"}) {
      ts.push_back(create_task(w(n)));
      co_await sleep(0);
    }
    co_await gather(ts);
    log("after n_waiting=" + std::to_string(barrier.n_waiting()) + " broken=" + py_bool(barrier.broken()));
  };
  run(main());
  EXPECT_EQ(log.events, (Events{"a arrives n_waiting=0", "b arrives n_waiting=1", "c arrives n_waiting=2", "c index=2",
                                "a index=0", "b index=1", "after n_waiting=0 broken=False"}));
  EXPECT_EQ(barrier.parties(), 3);
}

// async def main():
//     barrier, log = asyncio.Barrier(2), []
//     async def w(name):
//         try:
//             await barrier.wait()
//         except asyncio.BrokenBarrierError as e:
//             log.append(f'{name} {type(e).__name__}: {e}')
//     t = asyncio.create_task(w('a'))
//     await asyncio.sleep(0)
//     log.append(norm(repr(barrier)))
//     await barrier.abort()
//     log.append(f'aborted broken={barrier.broken}')
//     await t
//     await w('late')
//     log.append(norm(repr(barrier)))
//     print(log)
// asyncio.run(main())
TEST(Locks, BarrierAbortBreaksWaitersAndLateArrivals) {
  Barrier barrier(2);
  Trace log;
  auto w = [&](std::string name) -> Coro<> {
    try {
      co_await barrier.wait();
    } catch (const BrokenBarrierError& e) {
      log(name + " " + e.type_name() + ": " + e.str());
    }
  };
  auto main = [&]() -> Coro<> {
    auto t = create_task(w("a"));
    co_await sleep(0);
    log(norm(barrier.repr()));
    co_await barrier.abort();
    log("aborted broken=" + py_bool(barrier.broken()));
    co_await t;
    co_await w("late");
    log(norm(barrier.repr()));
  };
  run(main());
  EXPECT_EQ(log.events, (Events{"<asyncio.locks.Barrier object at 0x... [filling, waiters:1/2]>", "aborted broken=True",
                                "a BrokenBarrierError: Abort or reset of barrier",
                                "late BrokenBarrierError: Barrier aborted",
                                "<asyncio.locks.Barrier object at 0x... [broken]>"}));
}

// async def main():
//     barrier, log = asyncio.Barrier(2), []
//     async def w(name):
//         try:
//             async with barrier as i:
//                 log.append(f'{name} index={i}')
//         except asyncio.BrokenBarrierError as e:
//             log.append(f'{name} {e}')
//     t = asyncio.create_task(w('a'))
//     await asyncio.sleep(0)
//     await barrier.reset()
//     log.append(norm(repr(barrier)))
//     await t
//     log.append(norm(repr(barrier)))
//     await asyncio.gather(w('b'), w('c'))
//     await barrier.reset()
//     log.append(norm(repr(barrier)))
//     print(log)
// asyncio.run(main())
TEST(Locks, BarrierResetBreaksWaitersThenRefills) {
  Barrier barrier(2);
  Trace log;
  auto w = [&](std::string name) -> Coro<> {
    try {
      long i = co_await barrier.aenter();
      log(name + " index=" + std::to_string(i));
      co_await barrier.aexit(nullptr);
    } catch (const BrokenBarrierError& e) {
      log(name + " " + e.str());
    }
  };
  auto main = [&]() -> Coro<> {
    auto t = create_task(w("a"));
    co_await sleep(0);
    co_await barrier.reset();
    log(norm(barrier.repr()));
    co_await t;
    log(norm(barrier.repr()));
    co_await gather(w("b"), w("c"));
    co_await barrier.reset();
    log(norm(barrier.repr()));
  };
  run(main());
  EXPECT_EQ(log.events, (Events{"<asyncio.locks.Barrier object at 0x... [resetting, waiters:0/2]>",
                                "a Abort or reset of barrier",
                                "<asyncio.locks.Barrier object at 0x... [filling, waiters:0/2]>", "c index=1",
                                "b index=0", "<asyncio.locks.Barrier object at 0x... [filling, waiters:0/2]>"}));
}

// for n in (0, -1):
//     try:
//         asyncio.Barrier(n)
//     except ValueError as e:
//         print(e)
TEST(Locks, BarrierPartiesMustBePositive) {
  for (long n : {0L, -1L}) {
    try {
      Barrier b(n);
      FAIL() << n;
    } catch (const ValueError& e) {
      EXPECT_EQ(e.str(), "parties must be > 0");
    }
  }
}

}  // namespace
}  // namespace asyncio::test
