import asyncio
async def f4():
    try:
        await asyncio.sleep(0.0002)
        print("t4.1")
        return "r4"
    except asyncio.CancelledError:
        print("t4.c")
        raise
async def f3():
    try:
        return "r3"
    except asyncio.CancelledError:
        print("t3.c")
        raise
async def f2():
    t3 = asyncio.create_task(f3(), name="t3")
    print("t2.j", await asyncio.gather(t3, return_exceptions=True))
    return "r2"
async def f1():
    t2 = asyncio.create_task(f2(), name="t2")
    t4 = asyncio.create_task(f4(), name="t4")
    print("t1.j", await asyncio.gather(t2, t4, return_exceptions=True))
    return "r1"
async def f0():
    global loop
    loop = asyncio.get_running_loop()
    t1 = asyncio.create_task(f1(), name="t1")
    print("t0.j", await asyncio.gather(t1, return_exceptions=True))
    return "r0"
print("main", asyncio.run(f0()))
print("closed", loop.is_closed(), len(asyncio.all_tasks(loop)))
