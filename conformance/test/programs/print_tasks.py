import asyncio


async def job(n):
    await asyncio.sleep(n)
    return n * 2


async def main():
    t1 = asyncio.create_task(job(0.01), name="fast")
    t2 = asyncio.create_task(job(0.02))
    print(t1)
    print(t2.get_name())
    current = asyncio.current_task()
    print(current.get_name(), current.done())
    print(len(asyncio.all_tasks()))
    await asyncio.sleep(0)
    print(t1.done(), t1.get_name())
    await t1
    print(t1)
    print(repr(t1.result()), t1.exception())
    loop = asyncio.get_running_loop()
    fut = loop.create_future()
    print(fut)
    fut.set_result([1, 2, 3])
    print(fut)
    print(await fut)
    await t2
    t2.set_name("renamed")
    print(t2)
    coro = job(0)
    print(asyncio.iscoroutine(coro), asyncio.iscoroutinefunction(job))
    print(type(coro).__name__)
    await coro


asyncio.run(main())
