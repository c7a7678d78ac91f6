import asyncio
import time


def blocking_io(n):
    time.sleep(0.05)
    return n * 2


async def non_blocking(n):
    await asyncio.sleep(0.1)
    return n * 3


async def ticker(stop_after):
    for i in range(stop_after):
        print(f"tick {i}")
        await asyncio.sleep(0.02)


async def main():
    t = asyncio.create_task(ticker(3))
    print("blocking result:", blocking_io(1))
    print("async result:", await non_blocking(1))
    await t
    values = await asyncio.gather(non_blocking(2), non_blocking(3))
    print(values, sum(values), f"{sum(values) / len(values):.2f}")
    print(asyncio.iscoroutinefunction(blocking_io), asyncio.iscoroutinefunction(non_blocking))
    coro = non_blocking(4)
    print(asyncio.iscoroutine(coro), await coro)


asyncio.run(main())
