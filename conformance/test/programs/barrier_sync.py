import asyncio


async def worker(barrier, i):
    await asyncio.sleep(0.01 * i)
    print(f"worker {i} arrived")
    pos = await barrier.wait()
    print(f"worker {i} passed (position {pos})")


async def main():
    barrier = asyncio.Barrier(3)
    await asyncio.gather(*(worker(barrier, i) for i in range(3)))
    print(barrier.n_waiting, barrier.broken)


asyncio.run(main())
