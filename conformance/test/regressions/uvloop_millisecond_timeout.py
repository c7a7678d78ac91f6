import asyncio
async def f1():
    try:
        await asyncio.sleep(0.05)
        print("t1.1")
        await asyncio.sleep(0.006)
        return "r1"
    except asyncio.CancelledError:
        print("t1.c")
        raise
async def f0():
    global loop
    loop = asyncio.get_running_loop()
    t1 = asyncio.create_task(f1(), name="t1")
    done, pending = await asyncio.wait([t1], timeout=0.0502)
    print("t0.1", sorted((t.get_name() for t in done)), sorted((t.get_name() for t in pending)))
    print("t0.j", await asyncio.gather(t1, return_exceptions=True))
    return "r0"
print("main", asyncio.run(f0()))
print("closed", loop.is_closed(), len(asyncio.all_tasks(loop)))
