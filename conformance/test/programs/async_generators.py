# Asynchronous generators: async for, asend/athrow/aclose, async comprehensions and generator
# expressions, and the loop closing generators left suspended (finalizer hook, shutdown_asyncgens).
import asyncio


async def ticker(n, delay=0.01):
    try:
        for i in range(n):
            await asyncio.sleep(delay)
            received = yield i
            if received is not None:
                print("ticker received", received)
    finally:
        print("ticker finally")


async def echo():
    value = None
    while True:
        try:
            value = yield value
        except KeyError as e:
            value = "handled " + repr(e)


async def ignores_exit():
    try:
        yield 1
    except GeneratorExit:
        yield 2


async def leaks_stop():
    yield 1
    raise StopAsyncIteration


async def stays_suspended(name):
    try:
        yield 1
        yield 2
    finally:
        await asyncio.sleep(0)
        print(name, "closed")


async def main():
    async for x in ticker(3):
        print("tick", x)

    g = ticker(5)
    print(type(g).__name__, repr(g).startswith("<async_generator object ticker at 0x"), g.__aiter__() is g)
    first = g.__anext__()
    print(type(first).__name__, repr(first).startswith("<async_generator_asend object at 0x"))
    print(await first)
    try:
        await first
    except RuntimeError as e:
        print("RuntimeError:", e)
    print(await g.asend("hello"), g.ag_running, g.__name__)
    pending = asyncio.ensure_future(g.__anext__())
    await asyncio.sleep(0)
    try:
        await g.__anext__()
    except RuntimeError as e:
        print("RuntimeError:", e)
    print("pending gave", await pending)
    thrower = g.athrow(ValueError("boom"))
    print(type(thrower).__name__)
    try:
        await thrower
    except ValueError as e:
        print("athrow raised", repr(e))
    try:
        await g.__anext__()
    except StopAsyncIteration as e:
        print("exhausted", repr(e))
    print("aclose of a finished generator:", await g.aclose(), await g.athrow(ValueError("late")))

    e = echo()
    print(await e.asend(None), await e.asend(1), await e.athrow(KeyError("k")), await e.asend(2))
    print("aclose:", await e.aclose())
    e = echo()
    await e.asend(None)
    checked_late = e.athrow(1)  # athrow() checks its arguments when awaited
    try:
        await checked_late
    except TypeError as err:
        print("TypeError:", err, await e.asend(3))
    print(asyncio.iscoroutine(e.asend(None)), asyncio.iscoroutine(e))
    await e.aclose()
    try:
        await echo().asend(5)
    except TypeError as err:
        print("TypeError:", err)
    fresh = ticker(1)
    try:
        await fresh.athrow(KeyError("early"))
    except KeyError as err:
        print("athrow before start:", repr(err))
    print("aclose before start:", await ticker(1).aclose())

    global ig
    ig = ignores_exit()
    await ig.__anext__()
    try:
        await ig.aclose()
    except RuntimeError as err:
        print("RuntimeError:", err)
    try:
        await ig.aclose()  # aclose() marked it closed: it stays suspended, and is reported at shutdown
    except StopAsyncIteration as err:
        print("closed already:", repr(err))
    try:
        async for _ in leaks_stop():
            pass
    except RuntimeError as err:
        print("RuntimeError:", err)

    print([x async for x in ticker(3)])
    print({x: x * x async for x in ticker(3) if x != 1})
    print([y async for x in ticker(2) for y in range(x + 2)])
    doubled = (x * 2 async for x in ticker(3))
    print(type(doubled).__name__, [x async for x in doubled])
    slept = (await asyncio.sleep(0.01, x) for x in range(3))
    print([x async for x in slept])
    print([await asyncio.sleep(0, x) for x in range(2)])

    dropped = stays_suspended("dropped")
    await dropped.__anext__()
    del dropped
    print("dropped the suspended generator")
    await asyncio.sleep(0.01)

    global left
    left = stays_suspended("left for shutdown")
    await left.__anext__()
    print("main returns")


asyncio.run(main())
print("after run")
