import asyncio


async def main():
    pq = asyncio.PriorityQueue()
    jobs = [(3, "low"), (1, "urgent"), (2, "normal"), (1, "also urgent")]
    for job in jobs:
        await pq.put(job)
    while not pq.empty():
        priority, name = await pq.get()
        print(f"priority {priority}: {name}")

    lifo = asyncio.LifoQueue()
    for i in range(3):
        lifo.put_nowait(i)
    print([lifo.get_nowait() for _ in range(3)])

    q = asyncio.Queue(maxsize=1)
    q.put_nowait("x")
    try:
        q.put_nowait("y")
    except asyncio.QueueFull:
        print("queue is full", q.full())
    q.get_nowait()
    try:
        q.get_nowait()
    except asyncio.QueueEmpty:
        print("queue is empty")
    print(q)


asyncio.run(main())
