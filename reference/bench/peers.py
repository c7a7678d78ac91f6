"""The benchmark workloads of asyncio-bench (bench.cpp), written for CPython's asyncio and uvloop.

asyncio-bench runs this script as a subprocess and reads one JSON object per line from stdout, as it
does from asio-peer: {"version": ...} (or {"unavailable": why}), then {"<key>": value} per figure: ns of
thread CPU time per operation (bytes per task for the mem_* keys), best of --reps; the echo_* keys are
µs per round trip, thousands of messages per CPU second and system calls per message; to_thread_trip,
spawn_communicate and signal_latency are µs of wall-clock time per operation. Each workload
mirrors the C++ one line by line, so the ratios compare the same asyncio operations.

    python3 peers.py --loop asyncio|uvloop --n-small 10000 --batches 100 --n-large 1000000 --reps 3
"""
import argparse
import asyncio
import ctypes
import gc
import json
import os
import platform
import resource
import signal
import socket
import struct
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


MESSAGE = b"x" * 64


class EchoServer(asyncio.Protocol):
    """The server's side: echoes what it reads."""

    def connection_made(self, transport):
        self.transport = transport

    def data_received(self, data):
        self.transport.write(data)


class EchoLoad:
    """What the clients of one echo workload share: they stop after `limit` round trips in all, or when
    the window closes."""

    def __init__(self, limit, connections, loop):
        self.limit = limit
        self.stopped = Countdown(connections, loop)  # one hit per client
        self.round_trips = 0
        self.accepted = 0
        self.open = True

    def next(self):
        if not self.open:
            return False
        self.round_trips += 1
        return self.round_trips < self.limit


class PingClient(asyncio.Protocol):
    """Sends a 64-byte message, waits for all of it back, and again while the load goes on."""

    def __init__(self, load):
        self.load = load
        self.got = 0

    def connection_made(self, transport):
        self.transport = transport

    def data_received(self, data):
        self.got += len(data)
        if self.got < len(MESSAGE):
            return
        self.got = 0
        if self.load.next():
            self.ping()
        else:
            self.load.stopped.hit()

    def ping(self):
        self.transport.write(MESSAGE)


async def echo_server(load, backlog=100):
    def factory():
        load.accepted += 1
        return EchoServer()

    server = await asyncio.get_running_loop().create_server(factory, "127.0.0.1", 0, backlog=backlog)
    return server, server.sockets[0].getsockname()[1]


async def echo_protocols(connections, limit, window):
    """`connections` protocol clients ping-pong with an echo server: `limit` round trips in all or, with a
    window (seconds > 0), until it closes; the figures are taken then, before the round trips in flight
    finish. Returns (ns, round trips, system calls or None)."""
    loop = asyncio.get_running_loop()
    load = EchoLoad(limit, connections, loop)
    server, port = await echo_server(load)
    clients = []
    for _ in range(connections):
        _, client = await loop.create_connection(lambda: PingClient(load), "127.0.0.1", port)
        clients.append(client)
    while load.accepted < connections:
        await asyncio.sleep(0)
    await asyncio.sleep(0)  # the server's transports are reading

    syscalls = SyscallCounter()
    calls0 = syscalls.read()
    t0 = time.thread_time_ns()
    run = None

    def take():
        nonlocal run
        calls1 = syscalls.read()
        run = (time.thread_time_ns() - t0, load.round_trips, None if calls0 is None else calls1 - calls0)

    def close_window():
        take()
        load.open = False

    if window > 0:
        loop.call_later(window, close_window)
    for c in clients:
        c.ping()
    await load.stopped.done
    if run is None:
        take()
    syscalls.close()
    for c in clients:
        c.transport.close()
    server.close()
    await server.wait_closed()
    return run


async def echo_streams(n):
    """The same on streams, one connection: write, drain, readexactly against a read/write/drain server.
    Returns µs per round trip."""

    async def handle(reader, writer):
        while data := await reader.read(65536):
            writer.write(data)
            await writer.drain()
        writer.close()

    server = await asyncio.start_server(handle, "127.0.0.1", 0)
    reader, writer = await asyncio.open_connection("127.0.0.1", server.sockets[0].getsockname()[1])

    async def round_trip():
        writer.write(MESSAGE)
        await writer.drain()
        await reader.readexactly(len(MESSAGE))

    await round_trip()  # the server's handler is running
    t0 = time.thread_time_ns()
    for _ in range(n):
        await round_trip()
    elapsed = time.thread_time_ns() - t0
    writer.close()
    await writer.wait_closed()
    server.close()
    await server.wait_closed()
    return elapsed / 1e3 / n


async def echo_latency_protocol(n):
    """µs per round trip of one 64-byte message on one connection."""
    ns, round_trips, _ = await echo_protocols(1, n, 0)
    return ns / 1e3 / round_trips


class SyscallCounter:
    """The system calls this thread makes, counted by the kernel (the raw_syscalls:sys_enter tracepoint
    through perf_event_open, as asyncio-bench counts them); read() is None where that is not allowed."""

    TRACEPOINT = "/sys/kernel/tracing/events/raw_syscalls/sys_enter/id"
    SYS_PERF_EVENT_OPEN = {"x86_64": 298, "aarch64": 241}

    def __init__(self):
        self.fd = -1
        nr = self.SYS_PERF_EVENT_OPEN.get(platform.machine())
        try:
            with open(self.TRACEPOINT) as f:
                tracepoint = int(f.read())
        except (OSError, ValueError):
            return
        if nr is None:
            return
        # perf_event_attr, PERF_ATTR_SIZE_VER0: type PERF_TYPE_TRACEPOINT, size, config; counting at once
        attr = ctypes.create_string_buffer(struct.pack("IIQ", 2, 64, tracepoint), 64)
        libc = ctypes.CDLL(None, use_errno=True)
        libc.syscall.restype = ctypes.c_long
        self.fd = libc.syscall(ctypes.c_long(nr), attr, 0, -1, -1, ctypes.c_ulong(8))  # PERF_FLAG_FD_CLOEXEC

    def read(self):
        return struct.unpack("Q", os.read(self.fd, 8))[0] if self.fd >= 0 else None

    def close(self):
        if self.fd >= 0:
            os.close(self.fd)


def idle_connections_allowed(want):
    """Raises the soft descriptor limit to the hard one; how many idle connections fit, at most `want`."""
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    resource.setrlimit(resource.RLIMIT_NOFILE, (hard, hard))
    return max(0, min(want, hard - 64))


async def mem_idle_connection(n):
    """Bytes (RSS delta) per idle accepted connection, its protocol waiting for data. The clients are in a
    child process, as in asyncio-bench; the kernel's socket memory is not in RSS and not counted."""
    load = EchoLoad(0, 1, asyncio.get_running_loop())
    server, port = await echo_server(load, backlog=n)  # no connection waits for a SYN retry
    gc.collect()
    before = rss_bytes()
    release, hold = os.pipe()
    pid = os.fork()
    if pid == 0:
        os.close(hold)
        socks = [socket.create_connection(("127.0.0.1", port)) for _ in range(n)]
        os.read(release, 1)
        os._exit(0 if socks else 1)
    os.close(release)
    while load.accepted < n:
        await asyncio.sleep(0.001)
    await asyncio.sleep(0)  # the last transports are reading
    after = rss_bytes()
    os.close(hold)
    os.waitpid(pid, 0)
    server.close()
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


async def to_thread_trip(n):
    """asyncio.to_thread of an empty function, n in turn (wall-clock µs per round trip)."""
    def empty():
        pass
    await asyncio.to_thread(empty)  # the executor's first worker starts outside the timing
    t0 = time.perf_counter_ns()
    for _ in range(n):
        await asyncio.to_thread(empty)
    return (time.perf_counter_ns() - t0) / 1e3 / n


async def spawn_communicate(n):
    """create_subprocess_exec('/bin/true', stdout=PIPE) then communicate(), n in turn (wall µs each)."""
    t0 = time.perf_counter_ns()
    for _ in range(n):
        proc = await asyncio.create_subprocess_exec("/bin/true", stdout=asyncio.subprocess.PIPE)
        await proc.communicate()
    return (time.perf_counter_ns() - t0) / 1e3 / n


async def signal_latency(n):
    """os.kill(os.getpid(), SIGUSR1) until the loop's signal handler has run, n in turn (wall µs each)."""
    loop = asyncio.get_running_loop()
    handled = [None]
    loop.add_signal_handler(signal.SIGUSR1, lambda: handled[0].set_result(None))
    t0 = time.perf_counter_ns()
    for _ in range(n):
        handled[0] = loop.create_future()
        os.kill(os.getpid(), signal.SIGUSR1)
        await handled[0]
    us = (time.perf_counter_ns() - t0) / 1e3 / n
    loop.remove_signal_handler(signal.SIGUSR1)
    return us


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--loop", choices=["asyncio", "uvloop"], required=True)
    ap.add_argument("--n-small", type=int, default=10000)
    ap.add_argument("--batches", type=int, default=100)
    ap.add_argument("--n-large", type=int, default=1000000)
    ap.add_argument("--reps", type=int, default=3)
    ap.add_argument("--chain", type=int, default=1000000)
    ap.add_argument("--round-trips", type=int, default=10000)
    ap.add_argument("--duration", type=float, default=1.0)
    ap.add_argument("--connections", type=int, default=100)
    ap.add_argument("--idle", type=int, default=10000)
    ap.add_argument("--thread-trips", type=int, default=10000)
    ap.add_argument("--spawns", type=int, default=200)
    ap.add_argument("--signals", type=int, default=10000)
    args = ap.parse_args()

    if args.loop == "uvloop":
        try:
            import uvloop
        except ImportError:
            print(json.dumps({"unavailable": "uvloop is not installed"}))
            return
        factory = uvloop.new_event_loop
    else:
        factory = asyncio.new_event_loop
    print(json.dumps({"version": f"Python {sys.version.split()[0]}"}), flush=True)

    small, batches, large = args.n_small, args.batches, args.n_large
    # CPython is ~100x slower: fewer tasks keep its 10k-live runs near the C++ run's length, and the
    # 1M-live runs (seconds each) are done once.
    py_batches = max(1, batches // 10)

    def run(fn):
        with asyncio.Runner(loop_factory=factory) as r:
            return r.run(fn())

    def best(fn, reps=args.reps):
        return min(run(fn) for _ in range(reps))

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
    def emit(key, value):
        if value is not None:
            print(json.dumps({key: round(value, 4)}), flush=True)

    # First, while the process's heap is fresh: an RSS delta would otherwise reuse what earlier
    # workloads freed.
    emit("mem_idle_connection", run(lambda: mem_idle_connection(idle_connections_allowed(args.idle))))
    for key, fn in figures:
        emit(key, fn())
    emit("echo_latency_protocol", best(lambda: echo_latency_protocol(args.round_trips)))
    emit("echo_latency_streams", best(lambda: echo_streams(args.round_trips)))
    ns, round_trips, calls = max((run(lambda: echo_protocols(args.connections, float("inf"), args.duration))
                                  for _ in range(args.reps)), key=lambda r: r[1] / r[0])
    emit("echo_throughput", round_trips * 1e6 / ns)
    emit("echo_syscalls", None if calls is None else calls / round_trips)
    emit("to_thread_trip", best(lambda: to_thread_trip(args.thread_trips)))
    emit("spawn_communicate", best(lambda: spawn_communicate(args.spawns)))
    emit("signal_latency", best(lambda: signal_latency(args.signals)))


if __name__ == "__main__":
    main()
