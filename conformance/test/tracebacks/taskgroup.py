# A TaskGroup's ExceptionGroup: the group's frames, then each member's under its number.
import asyncio


async def worker(i):
    await asyncio.sleep(i / 10)
    if i % 2:
        raise ValueError(f"worker {i} failed")
    return i


async def main():
    async with asyncio.TaskGroup() as tg:
        for i in range(4):
            tg.create_task(worker(i))


asyncio.run(main())
