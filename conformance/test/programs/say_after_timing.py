import asyncio
import time


async def say_after(delay, what):
    await asyncio.sleep(delay)
    print(what)


async def main():
    start = time.perf_counter()
    await say_after(0.1, 'hello')
    await say_after(0.2, 'world')
    print(f"sequential: {time.perf_counter() - start:.1f} s")

    start = time.perf_counter()
    task1 = asyncio.create_task(say_after(0.1, 'hello'))
    task2 = asyncio.create_task(say_after(0.2, 'world'))
    await task1
    await task2
    print(f"concurrent: {time.perf_counter() - start:.1f} s")

    start = time.perf_counter()
    async with asyncio.TaskGroup() as tg:
        tg.create_task(say_after(0.1, 'hello'))
        tg.create_task(say_after(0.2, 'world'))
    print(f"task group: {time.perf_counter() - start:.1f} s")


asyncio.run(main())
