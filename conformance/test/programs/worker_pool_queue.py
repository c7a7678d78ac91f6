import asyncio


async def worker(name, queue, results):
    while True:
        sleep_for = await queue.get()
        await asyncio.sleep(sleep_for)
        results.append((name, sleep_for))
        queue.task_done()
        print(f'{name} has slept for {sleep_for:.2f} seconds')


async def main():
    queue = asyncio.Queue()
    delays = [0.3, 0.05, 0.2, 0.08, 0.25, 0.4]
    total_sleep_time = 0
    for d in delays:
        total_sleep_time += d
        queue.put_nowait(d)

    results = []
    tasks = []
    for i in range(3):
        task = asyncio.create_task(worker(f'worker-{i}', queue, results))
        tasks.append(task)

    await queue.join()

    for task in tasks:
        task.cancel()
    outcome = await asyncio.gather(*tasks, return_exceptions=True)
    print(outcome)

    print('====')
    print(f'3 workers slept in parallel')
    print(f'total expected sleep time: {total_sleep_time:.2f} seconds')
    by_worker = {}
    for name, d in results:
        by_worker.setdefault(name, []).append(d)
    for name in sorted(by_worker):
        print(name, by_worker[name])


asyncio.run(main())
