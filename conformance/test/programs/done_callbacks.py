import asyncio

log = []


def on_done(task):
    if task.cancelled():
        log.append(f"{task.get_name()} cancelled")
    elif task.exception() is not None:
        log.append(f"{task.get_name()} failed: {task.exception()}")
    else:
        log.append(f"{task.get_name()} -> {task.result()}")


async def job(n):
    await asyncio.sleep(0.05 * n)
    if n == 2:
        raise ValueError("two is bad")
    return n * 100


async def main():
    tasks = []
    for n in range(1, 5):
        t = asyncio.create_task(job(n), name=f"job{n}")
        t.add_done_callback(on_done)
        tasks.append(t)
    tasks[3].cancel()
    await asyncio.gather(*tasks, return_exceptions=True)
    await asyncio.sleep(0)
    print("\n".join(log))
    loop = asyncio.get_running_loop()
    fut = loop.create_future()
    fut.add_done_callback(lambda f: print("future resolved with", f.result()))
    loop.call_later(0.01, fut.set_result, 42)
    print("awaiting future...")
    print(await fut)
    await asyncio.sleep(0)


asyncio.run(main())
