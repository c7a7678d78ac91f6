import asyncio


async def work():
    await asyncio.sleep(0)
    return "ok"


async def main():
    lock = asyncio.Lock()
    event = asyncio.Event()
    sem = asyncio.BoundedSemaphore(2)
    queue = asyncio.Queue()
    task = asyncio.create_task(work())
    fut = asyncio.get_running_loop().create_future()
    objs = [lock, event, sem, queue, task, fut]
    for obj in objs:
        print(type(obj).__name__, isinstance(obj, asyncio.Future))
    print(isinstance(lock, asyncio.Lock), isinstance(event, asyncio.Event))
    print(isinstance(sem, asyncio.Semaphore), isinstance(sem, asyncio.BoundedSemaphore))
    print(isinstance(queue, asyncio.Queue), isinstance(queue, asyncio.PriorityQueue))
    print(isinstance(task, asyncio.Task), isinstance(fut, asyncio.Task))
    print(isinstance(asyncio.PriorityQueue(), asyncio.Queue))
    print(await task)
    fut.cancel()
    async with sem:
        pass
    try:
        sem.release()
    except ValueError as e:
        print("ValueError:", e)


asyncio.run(main())
