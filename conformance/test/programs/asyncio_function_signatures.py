# asyncio's functions are Python functions in CPython: a wrong call raises TypeError with the
# function's signature in the message (keyword-only timeout of wait and as_completed, removed loop=).
import asyncio


async def main():
    fut = asyncio.get_running_loop().create_future()
    fut.set_result(1)
    calls = [
        ("sleep(loop=)", lambda: asyncio.sleep(0, loop=None)),
        ("sleep()", lambda: asyncio.sleep()),
        ("wait(loop=)", lambda: asyncio.wait([fut], loop=None)),
        ("wait(fs, 1)", lambda: asyncio.wait([fut], 1)),
        ("wait()", lambda: asyncio.wait()),
        ("wait_for(fut)", lambda: asyncio.wait_for(fut)),
        ("wait_for(loop=)", lambda: asyncio.wait_for(fut, 1, loop=None)),
        ("gather(loop=)", lambda: asyncio.gather(loop=None)),
        ("shield(loop=)", lambda: asyncio.shield(fut, loop=None)),
        ("shield(a, b)", lambda: asyncio.shield(fut, fut)),
        ("as_completed(fs, 1)", lambda: asyncio.as_completed([fut], 1)),
        ("ensure_future(x=)", lambda: asyncio.ensure_future(fut, x=1)),
        ("create_task(loop=)", lambda: asyncio.create_task(None, loop=None)),
    ]
    for name, call in calls:
        try:
            c = call()
            if asyncio.iscoroutine(c):
                await c
            print(name, "ok")
        except TypeError as e:
            print(name, "|", e)
    print(await asyncio.wait_for(fut, timeout=1), await asyncio.sleep(0, result="r"))
    done, pending = await asyncio.wait(fs=[fut], timeout=1)
    print(len(done), len(pending))


asyncio.run(main())
