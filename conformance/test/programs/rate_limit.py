import asyncio
import time


async def rate_limited_worker(i, sem, interval, log):
    async with sem:
        log.append(i)
        print(f"request {i} sent")
        await asyncio.sleep(interval)


async def main():
    sem = asyncio.Semaphore(3)
    log = []
    start = time.monotonic()
    await asyncio.gather(*[rate_limited_worker(i, sem, 0.1, log) for i in range(7)])
    elapsed = time.monotonic() - start
    print(f"7 requests, 3 at a time: {round(elapsed, 1)} seconds")
    print("order:", log)


asyncio.run(main())
