import asyncio


async def background(name):
    try:
        while True:
            await asyncio.sleep(0.01)
    except asyncio.CancelledError:
        print(f"{name}: cancelled during shutdown")
        raise
    finally:
        print(f"{name}: cleanup")


async def main():
    asyncio.create_task(background("poller"))
    await asyncio.sleep(0.025)
    print("main exits with", len(asyncio.all_tasks()) - 1, "task still running")


asyncio.run(main())
print("after run")
