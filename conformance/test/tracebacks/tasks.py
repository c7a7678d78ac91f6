# A task's exception re-raised by `await task` carries the task's frames, then the awaiting frames,
# then asyncio.run's (CPython's Lib/asyncio).
import asyncio


async def fetch(n):
    await asyncio.sleep(0.1)
    if n == 3:
        raise ConnectionError(f"server {n} went away")
    return n


async def fetch_all():
    tasks = [asyncio.create_task(fetch(n)) for n in range(5)]
    results = []
    for t in tasks:
        results.append(await t)
    return results


async def main():
    print(await fetch_all())


asyncio.run(main())
