# What CPython's garbage collector finds at exit: a pending task that waited on a sleep when its loop
# closed, and a failed task whose done callback failed -- both logged after the program's last line,
# while a task dropped before it ever ran is reported at once.
import asyncio


async def sleeper():
    print("sleeper sleeps")
    await asyncio.sleep(10)


async def fails():
    raise ValueError("lost")


def bad_callback(fut, extra):
    pass


async def main():
    asyncio.create_task(sleeper())
    t = asyncio.create_task(fails())
    t.add_done_callback(bad_callback)
    await asyncio.sleep(0)
    await asyncio.sleep(0)
    print("main returns")


loop = asyncio.new_event_loop()
loop.run_until_complete(main())
loop.create_task(sleeper())  # never runs
print("closing")
loop.close()
print("closed")
