import asyncio


async def ok(n):
    await asyncio.sleep(n * 0.01)
    print(f"ok({n}) finished")
    return n


async def bad(n, exc_type):
    await asyncio.sleep(n * 0.01)
    raise exc_type(f"bad({n})")


async def slow():
    try:
        await asyncio.sleep(1)
    finally:
        print("slow() cleaning up")


async def main():
    try:
        async with asyncio.TaskGroup() as tg:
            t1 = tg.create_task(ok(1))
            tg.create_task(bad(2, ValueError))
            tg.create_task(bad(2, TypeError))
            t4 = tg.create_task(slow())
    except ExceptionGroup as eg:
        print(f"TaskGroup failed: {eg}")
        for exc in eg.exceptions:
            print(f"  {type(exc).__name__}: {exc}")
        print(repr(eg))
    print(t1.result(), t4.cancelled())


asyncio.run(main())
