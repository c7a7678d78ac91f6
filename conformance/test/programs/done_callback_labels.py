# The "Exception in callback" log of a failing done callback names its handle as call_soon(callback, future) does: the callback, the future's repr once done (shortened by reprlib) and where the callback was defined; call_soon's arguments are shortened the same way.
import asyncio
import functools


class Tracker:
    def __init__(self):
        self.seen = []

    def on_done(self, fut, extra):
        self.seen.append(extra)

    def record(self, fut):
        self.seen.append(fut.result())


def needs_two(fut, other):
    print("never printed", fut, other)


def broken(fut):
    raise ValueError(f"cannot handle {fut.result()!r}")


async def work(n):
    await asyncio.sleep(0.01)
    return n


async def main():
    loop = asyncio.get_running_loop()
    tracker = Tracker()

    fut = loop.create_future()
    fut.add_done_callback(needs_two)
    fut.add_done_callback(tracker.record)
    fut.add_done_callback(broken)
    fut.set_result("a rather long result string that reprlib shortens")
    await asyncio.sleep(0)
    print(tracker.seen)

    task = asyncio.create_task(work(7), name="worker")
    task.add_done_callback(tracker.on_done)
    task.add_done_callback(functools.partial(tracker.on_done, extra="partial"))
    task.add_done_callback(lambda t: 1 / 0)
    await task
    await asyncio.sleep(0)
    print(tracker.seen)

    loop.call_soon(needs_two, "x" * 40, 1234567890123456789)
    loop.call_soon(needs_two, task)
    await asyncio.sleep(0)

    cancelled = asyncio.create_task(work(1))
    cancelled.add_done_callback(broken)
    await asyncio.sleep(0)
    cancelled.cancel()
    try:
        await cancelled
    except asyncio.CancelledError:
        print("cancelled")
    await asyncio.sleep(0)


asyncio.run(main())
