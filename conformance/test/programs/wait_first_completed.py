import asyncio


async def task_a():
    await asyncio.sleep(0.3)
    return "A"


async def task_b():
    await asyncio.sleep(0.05)
    return "B"


async def task_c():
    await asyncio.sleep(0.15)
    raise ValueError("C failed")


async def main():
    tasks = [asyncio.create_task(task_a()), asyncio.create_task(task_b()), asyncio.create_task(task_c())]
    done, pending = await asyncio.wait(tasks, return_when=asyncio.FIRST_COMPLETED)
    print("done:", [t.result() for t in done], "pending:", len(pending))
    done, pending = await asyncio.wait(pending, return_when=asyncio.FIRST_EXCEPTION)
    for t in done:
        print("exception:", t.exception())
    print("still pending:", len(pending))
    done, pending = await asyncio.wait(pending, timeout=0.001)
    print(len(done), len(pending))
    done, pending = await asyncio.wait(pending)
    print([t.result() for t in done], pending)


asyncio.run(main())
