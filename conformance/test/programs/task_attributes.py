# Tasks and futures take attributes of their own (_asyncio.Future and Task have an instance dict): set, read, shadow a method, delete; their read-only attributes; vars(); Task.get_coro() is the coroutine given to create_task; AttributeErrors name '_asyncio.Task'.
import asyncio


class Job:
    def __init__(self, name):
        self.name = name


async def work(n):
    await asyncio.sleep(0.01 * n)
    return n * 10


def report(task):
    print("done:", task.label, task.result(), task.attempts)


async def main():
    loop = asyncio.get_running_loop()
    coros = [work(n) for n in range(3)]
    tasks = []
    for n, c in enumerate(coros):
        t = asyncio.create_task(c)
        t.label = f"job-{n}"
        t.attempts = 0
        t.add_done_callback(report)
        tasks.append(t)
        print(t.get_coro() is c, t.get_coro() is t.get_coro())
    for t in tasks:
        t.attempts += 1
    await asyncio.gather(*tasks)
    print("after completion:", [t.get_coro() is c for t, c in zip(tasks, coros)])
    print(tasks[0].get_coro())

    t = tasks[0]
    print(getattr(t, "label"), getattr(t, "missing", "default"), hasattr(t, "missing"))
    setattr(t, "owner", Job("alice"))
    print(t.owner.name)
    del t.owner
    for attempt in ("t.owner", "del t.owner", "t.coro", "f.nope", "t.__dict__", "vars(t)"):
        try:
            if attempt == "t.owner":
                t.owner
            elif attempt == "del t.owner":
                del t.owner
            elif attempt == "t.coro":
                t.coro
            elif attempt == "f.nope":
                loop.create_future().nope
            elif attempt == "t.__dict__":
                t.__dict__
            else:
                vars(t)
        except (AttributeError, TypeError) as e:
            print(attempt, "->", type(e).__name__, e)

    # An attribute set on the instance shadows a method, as with any instance dict.
    t.done = "shadowed"
    print(t.done)
    del t.done
    print(t.done())

    for obj, attr in ((t, "_state"), (t, "_loop"), (loop.create_future(), "_state"), (t, "_coro")):
        try:
            setattr(obj, attr, None)
        except AttributeError as e:
            print(e)
    print(t._state, loop.create_future()._state, t._loop is loop)

    f = loop.create_future()
    f.stage = "waiting"
    loop.call_soon(f.set_result, "ready")
    print(await f, f.stage)

    j = Job("bob")
    print(vars(j), vars(Job("x")) == {"name": "x"})
    try:
        vars(1)
    except TypeError as e:
        print(e)
    for bad in (lambda: t[0], lambda: t + 1, lambda: len(t), lambda: t()):
        try:
            bad()
        except TypeError as e:
            print(e)


asyncio.run(main())
