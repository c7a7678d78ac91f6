import asyncio


async def step(n):
    await asyncio.sleep(0.01)
    return n + 1


with asyncio.Runner() as runner:
    value = 0
    for _ in range(3):
        value = runner.run(step(value))
        print("value now", value)
    loop = runner.get_loop()
    print(loop.is_running(), loop.is_closed())
print(loop.is_closed())

try:
    asyncio.run(step("x"))
except TypeError as e:
    print("TypeError:", e)
