import asyncio
async def f5():
    return "r5"
async def f4():
    return "r4"
async def f3():
    t4 = asyncio.create_task(f4(), name="t4")
    t5 = asyncio.create_task(f5(), name="t5")
    try:
        print("t3.2", await asyncio.gather(t5))
    except asyncio.CancelledError:
        print("t3.2", "cancelled")
    except Exception as e:
        print("t3.2", repr(e))
    print("t3.3", "done", sorted((t.get_name() for t in [t5, t4] if t.done())))
    for f in asyncio.as_completed([t5, t4]):
        try:
            print("t3.3", await f)
        except asyncio.CancelledError:
            print("t3.3", "cancelled")
        except Exception as e:
            print("t3.3", repr(e))
    print("t3.j", await asyncio.gather(t4, t5, return_exceptions=True))
    return "r3"
async def f2():
    try:
        return "r2"
    except asyncio.CancelledError:
        print("t2.c")
        raise
async def f1():
    return "r1"
async def f0():
    global loop
    loop = asyncio.get_running_loop()
    t1 = asyncio.create_task(f1(), name="t1")
    try:
        print("t0.1", await t1)
    except asyncio.CancelledError:
        print("t0.1", "cancelled")
    except Exception as e:
        print("t0.1", repr(e))
    t2 = asyncio.create_task(f2(), name="t2")
    t3 = asyncio.create_task(f3(), name="t3")
    print("t0.j", await asyncio.gather(t1, t2, t3, return_exceptions=True))
    return "r0"
print("main", asyncio.run(f0()))
print("closed", loop.is_closed(), len(asyncio.all_tasks(loop)))
