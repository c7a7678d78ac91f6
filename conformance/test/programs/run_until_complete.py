import asyncio


async def compute(x, y):
    print(f"Compute {x} + {y} ...")
    await asyncio.sleep(0.01)
    return x + y


async def print_sum(x, y):
    result = await compute(x, y)
    print(f"{x} + {y} = {result}")


loop = asyncio.new_event_loop()
asyncio.set_event_loop(loop)
try:
    loop.run_until_complete(print_sum(1, 2))
    value = loop.run_until_complete(compute(3, 4))
    print("value:", value)
    task = loop.create_task(compute(10, 20))
    print(loop.run_until_complete(task))
    print(task.done(), task.result())
finally:
    loop.close()
print("closed:", loop.is_closed())
