import asyncio


async def producer(queue, n):
    for i in range(n):
        item = f"item-{i}"
        await queue.put(item)
        print(f"Produced {item} (queue size: {queue.qsize()})")
        await asyncio.sleep(0.1)
    await queue.put(None)


async def consumer(queue):
    processed = []
    while True:
        item = await queue.get()
        if item is None:
            queue.task_done()
            break
        print(f"Consumed {item}")
        processed.append(item)
        await asyncio.sleep(0.27)
        queue.task_done()
    return processed


async def main():
    queue = asyncio.Queue(maxsize=3)
    prod = asyncio.create_task(producer(queue, 6))
    cons = asyncio.create_task(consumer(queue))
    await prod
    result = await cons
    print("All done:", result)
    print(f"Queue empty? {queue.empty()}")


asyncio.run(main())
