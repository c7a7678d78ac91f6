import asyncio


async def waiter(event, name):
    print(f'{name} waiting for it ...')
    await event.wait()
    print(f'{name} triggered')
    return name


async def main():
    event = asyncio.Event()
    waiters = [asyncio.create_task(waiter(event, f"waiter-{i}")) for i in range(3)]
    await asyncio.sleep(0.02)
    print("is_set:", event.is_set())
    event.set()
    names = await asyncio.gather(*waiters)
    print(names)
    event.clear()
    print("is_set after clear:", event.is_set())
    try:
        await asyncio.wait_for(event.wait(), 0.01)
    except asyncio.TimeoutError:
        print("event never set the second time")


asyncio.run(main())
