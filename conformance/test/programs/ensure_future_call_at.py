import asyncio


async def tick(label):
    await asyncio.sleep(0)
    return label.upper()


async def main():
    loop = asyncio.get_running_loop()
    start = loop.time()
    order = []
    loop.call_at(start + 0.03, order.append, "at+0.03")
    loop.call_at(start + 0.01, order.append, "at+0.01")
    loop.call_later(0.02, order.append, "later+0.02")
    loop.call_soon(order.append, "soon")
    f = asyncio.ensure_future(tick("ensured"))
    print(type(f).__name__, isinstance(f, asyncio.Task))
    print(await f)
    value = await asyncio.sleep(0.05, result="slept")
    print(value, order)


asyncio.run(main())
