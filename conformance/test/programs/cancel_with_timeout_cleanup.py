import asyncio

resources = []


async def acquire(name):
    await asyncio.sleep(0.01)
    resources.append(name)
    print(f"acquired {name}")


async def release(name):
    await asyncio.sleep(0)
    resources.remove(name)
    print(f"released {name}")


async def use_resource(name, duration):
    await acquire(name)
    try:
        await asyncio.sleep(duration)
        return f"{name} finished"
    finally:
        await release(name)


async def main():
    try:
        await asyncio.wait_for(use_resource("db", 10), timeout=0.05)
    except asyncio.TimeoutError:
        print("timed out; resources now:", resources)
    task = asyncio.create_task(use_resource("cache", 10))
    await asyncio.sleep(0.03)
    task.cancel("no longer needed")
    try:
        await task
    except asyncio.CancelledError as e:
        print(f"cancelled: {e}")
    print(await use_resource("file", 0.01))
    print("left:", resources, task.cancelling(), task.cancelled())


asyncio.run(main())
