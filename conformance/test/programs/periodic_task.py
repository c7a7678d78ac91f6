import asyncio
import time

ticks = []


async def periodic(interval, label):
    count = 0
    while True:
        count += 1
        ticks.append((label, count))
        print(f"{label}: tick {count}")
        await asyncio.sleep(interval)


async def main():
    task = asyncio.create_task(periodic(0.1, "heartbeat"))
    await asyncio.sleep(0.35)
    task.cancel()
    try:
        await task
    except asyncio.CancelledError:
        pass
    print(f"stopped after {len(ticks)} ticks")
    print(ticks[-1])


asyncio.run(main())
