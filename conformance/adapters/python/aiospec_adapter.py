#!/usr/bin/env python3
"""aiospec's Python adapter: runs scenario programs natively on a Python event loop, for the runner.

Standard library only (Python 3.8+). Speaks the adapter protocol (conformance/PROTOCOL.md): JSON lines on
stdin/stdout. It says hello first, then answers each `run` request with one `result` (or `error`).

Each program runs in a forked child, so a program that crashes the interpreter (os._exit, a segfault, an
exhausted recursion) or hangs costs one case, not the adapter: the child's outcome comes back through a pipe
and the adapter kills it when the request's timeout passes.

    aiospec_adapter.py --loop cpython            CPython's default loop and its C Task/Future
    aiospec_adapter.py --loop cpython-pytasks    the same loop with the pure-Python Task and Future
    aiospec_adapter.py --loop uvloop             uvloop (real time only: its clock cannot be virtualised)
    aiospec_adapter.py --loop MODULE:CALLABLE    any loop factory

With "time": "virtual", CPython's own loop runs on a virtual clock (a loop subclass whose selector jumps
the clock to the next deadline instead of sleeping), so sleeps cost nothing and times are exact. As on the
reference loop, every read of the virtual clock advances it by 1 ns, as successive reads of a real clock do.
"""

import argparse
import json
import math
import os
import platform
import select
import signal
import sys
import time

PROTOCOL_VERSION = 1
HERE = os.path.dirname(os.path.abspath(__file__))


def parse_args(argv):
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("--loop", default="cpython", help="cpython | cpython-pytasks | uvloop | MODULE:CALLABLE")
    return p.parse_args(argv)


def send(obj):
    sys.__stdout__.write(json.dumps(obj, ensure_ascii=False) + "\n")
    sys.__stdout__.flush()


def prepare(loop_name):
    """Import asyncio configured for `loop_name`; return (implementation name, version, virtual-capable,
    loop factory or None)."""
    if loop_name == "cpython-pytasks":
        sys.modules["_asyncio"] = None  # asyncio falls back to the pure-Python Task and Future
    import asyncio  # noqa: F401
    if loop_name in ("cpython", "cpython-pytasks"):
        return loop_name, platform.python_version(), True, None
    if loop_name == "uvloop":
        import uvloop
        return "uvloop", uvloop.__version__, False, uvloop.new_event_loop
    module, _, attr = loop_name.partition(":")
    if not attr:
        raise ValueError("--loop must be cpython, cpython-pytasks, uvloop or MODULE:CALLABLE, not %r" % loop_name)
    import importlib
    factory = importlib.import_module(module)
    for part in attr.split("."):
        factory = getattr(factory, part)
    return loop_name, getattr(sys.modules[module], "__version__", "unknown"), False, factory


def install_virtual_time():
    """Make new_event_loop() return a selector loop on a virtual clock, and time.* read that clock."""
    import asyncio
    import selectors

    clock = {"now": 0}

    def read():
        t = clock["now"]
        clock["now"] += 1
        return t / 1e9

    class VirtualSelector(selectors.DefaultSelector):
        def select(self, timeout=None):
            ready = super().select(0)
            if ready or timeout is None or timeout <= 0:
                if not ready and timeout is None:
                    return super().select(None)  # nothing can ever happen: the runner's timeout ends it
                return ready
            # What epoll_wait would wait: EpollSelector.select rounds up to whole milliseconds.
            clock["now"] += int(round(math.ceil(timeout * 1e3) * 1e6))
            return ready

    # Named as the loop it extends, since programs can print the loop's class (AttributeError texts, reprs).
    class _UnixSelectorEventLoop(asyncio.SelectorEventLoop):
        def __init__(self):
            super().__init__(VirtualSelector())

        def time(self):
            return read()

    class Policy(asyncio.DefaultEventLoopPolicy):
        _loop_factory = _UnixSelectorEventLoop

    asyncio.set_event_loop_policy(Policy())

    def sleep(seconds):
        clock["now"] += int(round(seconds * 1e9))

    time.time = time.monotonic = time.perf_counter = read
    time.sleep = sleep


def install_factory(factory):
    import asyncio

    class Policy(asyncio.DefaultEventLoopPolicy):
        def new_event_loop(self):
            return factory()

    asyncio.set_event_loop_policy(Policy())


def run_child(request, virtual, factory, write_fd):
    """In the forked child: run the program, write the result as JSON to write_fd, exit."""
    try:
        if virtual:
            install_virtual_time()
        elif factory is not None:
            install_factory(factory)
        import aiospec_capture
        started = time.perf_counter() if not virtual else None
        result = aiospec_capture.run_program(request["program"], request.get("filename", "case.py"))
        payload = {
            "type": "result",
            "id": request.get("id"),
            "output": result.output,
            "lines": [[text, t] for text, t in result.lines],
            "exit_status": result.exit_status,
            "uncaught": result.uncaught,
        }
        if started is not None:
            payload["seconds"] = time.perf_counter() - started
    except BaseException as exc:  # the harness itself failed: an adapter error, not the program's outcome
        payload = {"type": "error", "id": request.get("id"), "message": "adapter failure: %r" % (exc,)}
    data = json.dumps(payload, ensure_ascii=False).encode("utf-8")
    view = memoryview(data)
    while view:
        n = os.write(write_fd, view)
        view = view[n:]
    os._exit(0)


def run_case(request, virtual, factory):
    timeout = float(request.get("timeout", 10))
    read_fd, write_fd = os.pipe()
    pid = os.fork()
    if pid == 0:
        os.close(read_fd)
        run_child(request, virtual, factory, write_fd)
    os.close(write_fd)
    chunks, deadline = [], time.monotonic() + timeout
    timed_out = False
    while True:
        remaining = deadline - time.monotonic()
        if remaining <= 0:
            timed_out = True
            break
        ready, _, _ = select.select([read_fd], [], [], remaining)
        if not ready:
            continue
        chunk = os.read(read_fd, 1 << 16)
        if not chunk:
            break
        chunks.append(chunk)
    os.close(read_fd)
    if timed_out:
        os.kill(pid, signal.SIGKILL)
    _, status = os.waitpid(pid, 0)
    case_id = request.get("id")
    if timed_out:
        return {"type": "timeout", "id": case_id, "seconds": timeout}
    data = b"".join(chunks)
    if not data:
        if os.WIFSIGNALED(status):
            how = "killed by signal %d (%s)" % (os.WTERMSIG(status), signal.Signals(os.WTERMSIG(status)).name)
        else:
            how = "exited with status %d" % os.WEXITSTATUS(status)
        return {"type": "crash", "id": case_id, "message": "the program's process " + how + " before reporting"}
    return json.loads(data.decode("utf-8"))


def main(argv=None):
    args = parse_args(sys.argv[1:] if argv is None else argv)
    sys.path.insert(0, HERE)
    try:
        name, version, virtual_ok, factory = prepare(args.loop)
    except Exception as exc:
        send({"type": "hello", "protocol": PROTOCOL_VERSION, "error": "cannot load loop %r: %r" % (args.loop, exc)})
        return 3
    send({
        "type": "hello",
        "protocol": PROTOCOL_VERSION,
        "implementation": {"name": name, "version": version},
        "python": platform.python_version(),
        "features": ["fork-isolation"] + (["virtual-time"] if virtual_ok else []),
        "time": ["real", "virtual"] if virtual_ok else ["real"],
    })
    for line in sys.stdin:
        line = line.strip()
        if not line:
            continue
        try:
            request = json.loads(line)
        except ValueError as exc:
            send({"type": "error", "id": None, "message": "bad request: %s" % exc})
            continue
        kind = request.get("type")
        if kind == "shutdown":
            break
        if kind != "run":
            send({"type": "error", "id": request.get("id"), "message": "unknown request type %r" % kind})
            continue
        virtual = request.get("time", "real") == "virtual"
        if virtual and not virtual_ok:
            send({"type": "error", "id": request.get("id"), "message": "%s cannot run in virtual time" % name})
            continue
        send(run_case(request, virtual, factory))
    return 0


if __name__ == "__main__":
    sys.exit(main())
