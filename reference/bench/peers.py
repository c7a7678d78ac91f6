"""The benchmark workloads of asyncio-bench (bench.cpp), written for CPython's asyncio and uvloop.

asyncio-bench runs this script as a subprocess and reads one `key value` line per figure from stdout:
ns of thread CPU time per operation (bytes per task for the mem_* keys), best of --reps. Each workload mirrors the C++
one line by line, so the ratios compare the same asyncio operations.

    python3 peers.py --loop asyncio|uvloop --n-small 10000 --batches 100 --n-large 1000000 --reps 3
"""
import argparse
import asyncio
import gc
import os
import sys
import time


class Countdown:
    """Resolves `done` when the last of `remaining` tasks has called hit()."""

    __slots__ = ("remaining", "done")

    def __init__(self, n, loop):
        self.remaining = n
        self.done = loop.create_future()

    def hit(self):
        self.remaining -= 1
        if not self.remaining:
            self.done.set_result(None)


async def noop_task(cd):
    cd.hit()


async def sleep0_task(cd):
    await asyncio.sleep(0)
    cd.hit()


async def timer_task(cd, delay):
    await asyncio.sleep(delay)
    cd.hit()


async def waiter_task(fut, cd):
    await fut
    cd.hit()


async def child(i):
    return i


def spread(i):
    return (i % 1000) * 1e-6  # timers spread over 0..999 µs


async def spawn_batches(n, batches, make):
    """ns per task: create n tasks at once, wait until all have finished; averaged over batches."""
    loop = asyncio.get_running_loop()
    total = 0
    for _ in range(batches):
        cd = Countdown(n, loop)
        t0 = time.thread_time_ns()
        for i in range(n):
            loop.create_task(make(cd, i))
        await cd.done
        total += time.thread_time_ns() - t0
    return total / (n * batches)


async def await_coro(n):
    t0 = time.thread_time_ns()
    s = 0
    for i in range(n):
        s += await child(i)
    return (time.thread_time_ns() - t0) / n


async def future_wakeup(n):
    """ns from set_result to the waiting task resumed (and finished), per waiter."""
    loop = asyncio.get_running_loop()
    cd = Countdown(n, loop)
    futs = [loop.create_future() for _ in range(n)]
    for f in futs:
        loop.create_task(waiter_task(f, cd))
    await asyncio.sleep(0)  # every waiter is now blocked on its future
    t0 = time.thread_time_ns()
    for f in futs:
        f.set_result(1)
    await cd.done
    return (time.thread_time_ns() - t0) / n


async def gather_ready(n, batches):
    """ns per child of gather() over children that are already done."""
    loop = asyncio.get_running_loop()
    total = 0
    for _ in range(batches):
        cd = Countdown(n, loop)
        tasks = [loop.create_task(noop_task(cd)) for _ in range(n)]
        await cd.done
        t0 = time.thread_time_ns()
        await asyncio.gather(*tasks)
        total += time.thread_time_ns() - t0
    return total / (n * batches)


def rss_bytes():
    with open("/proc/self/statm") as f:
        return int(f.read().split()[1]) * os.sysconf("SC_PAGE_SIZE")


async def mem_pending(n, started):
    """Bytes per pending task (RSS delta): created and not yet started, or blocked in sleep(1)."""
    loop = asyncio.get_running_loop()
    gc.collect()
    before = rss_bytes()
    cd = Countdown(n, loop)
    for _ in range(n):
        loop.create_task(timer_task(cd, 1.0))
    if started:
        await asyncio.sleep(0)
    after = rss_bytes()
    for t in asyncio.all_tasks():
        if t is not asyncio.current_task():
            t.cancel()
    await asyncio.sleep(0)
    return (after - before) / n


def call_soon_chained(loop_factory, n):
    loop = loop_factory()
    left = n

    def cb():
        nonlocal left
        left -= 1
        if left:
            loop.call_soon(cb)
        else:
            loop.stop()

    loop.call_soon(cb)
    t0 = time.thread_time_ns()
    loop.run_forever()
    elapsed = time.thread_time_ns() - t0
    loop.close()
    return elapsed / n


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--loop", choices=["asyncio", "uvloop"], required=True)
    ap.add_argument("--n-small", type=int, default=10000)
    ap.add_argument("--batches", type=int, default=100)
    ap.add_argument("--n-large", type=int, default=1000000)
    ap.add_argument("--reps", type=int, default=3)
    ap.add_argument("--chain", type=int, default=1000000)
    args = ap.parse_args()

    if args.loop == "uvloop":
        try:
            import uvloop
        except ImportError:
            print("unavailable uvloop is not installed")
            return
        factory = uvloop.new_event_loop
    else:
        factory = asyncio.new_event_loop
    print(f"version {sys.version.split()[0]}", flush=True)

    small, batches, large = args.n_small, args.batches, args.n_large
    # CPython is ~100x slower: fewer tasks keep its 10k-live runs near the C++ run's length, and the
    # 1M-live runs (seconds each) are done once.
    py_batches = max(1, batches // 10)

    def best(fn, reps=args.reps):
        out = None
        for _ in range(reps):
            with asyncio.Runner(loop_factory=factory) as r:
                v = r.run(fn())
            out = v if out is None else min(out, v)
        return out

    figures = [
        ("spawn_small", lambda: best(lambda: spawn_batches(small, py_batches, lambda cd, i: noop_task(cd)))),
        ("spawn_large", lambda: best(lambda: spawn_batches(large, 1, lambda cd, i: noop_task(cd)), 1)),
        ("sleep0_small", lambda: best(lambda: spawn_batches(small, py_batches, lambda cd, i: sleep0_task(cd)))),
        ("timer_small", lambda: best(lambda: spawn_batches(small, py_batches, lambda cd, i: timer_task(cd, spread(i))))),
        ("timer_large", lambda: best(lambda: spawn_batches(large, 1, lambda cd, i: timer_task(cd, spread(i))), 1)),
        ("mem_pending", lambda: best(lambda: mem_pending(100000, False), 1)),
        ("mem_sleeping", lambda: best(lambda: mem_pending(100000, True), 1)),
        ("call_soon_chained", lambda: min(call_soon_chained(factory, args.chain) for _ in range(args.reps))),
        ("await_coro", lambda: best(lambda: await_coro(small * 10))),
        ("future_wakeup", lambda: best(lambda: future_wakeup(small))),
        ("gather_ready", lambda: best(lambda: gather_ready(1000, max(1, py_batches)))),
    ]
    for key, fn in figures:
        print(f"{key} {fn():.1f}", flush=True)


if __name__ == "__main__":
    main()
