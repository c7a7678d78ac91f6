import asyncio

counter = 0


async def increment(lock, n):
    global counter
    for _ in range(n):
        async with lock:
            current = counter
            await asyncio.sleep(0)
            counter = current + 1


async def unsafe_increment(n):
    global counter
    for _ in range(n):
        current = counter
        await asyncio.sleep(0)
        counter = current + 1


async def main():
    global counter
    lock = asyncio.Lock()
    await asyncio.gather(*(increment(lock, 100) for _ in range(5)))
    print("with lock:", counter)
    counter = 0
    await asyncio.gather(*(unsafe_increment(100) for _ in range(5)))
    print("without lock:", counter)
    print(lock.locked())
    await lock.acquire()
    print(lock.locked())
    lock.release()
    try:
        lock.release()
    except RuntimeError as e:
        print("RuntimeError:", e)


asyncio.run(main())
