import asyncio


async def step(i):
    await asyncio.sleep(0.1)
    return i


async def main():
    loop = asyncio.get_running_loop()
    deadline = loop.time() + 0.25
    done = []
    try:
        async with asyncio.timeout_at(deadline):
            for i in range(10):
                done.append(await step(i))
    except TimeoutError:
        print(f"deadline reached after {len(done)} steps: {done}")
    results = []
    async with asyncio.timeout(1) as t:
        results = [await step(i) for i in range(2)]
    print(results, t.expired())
    pending = {asyncio.create_task(step(i)) for i in range(3)}
    done_set, pending = await asyncio.wait(pending, timeout=0.02)
    print(len(done_set), len(pending))
    for task in pending:
        task.cancel()
    outcome = await asyncio.gather(*pending, return_exceptions=True)
    print([type(o).__name__ for o in outcome])


asyncio.run(main())
