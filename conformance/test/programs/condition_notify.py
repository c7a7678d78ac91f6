import asyncio


async def consumer(cond, name, box):
    async with cond:
        await cond.wait_for(lambda: len(box) > 0)
        item = box.pop(0)
        print(f"{name} got {item}")


async def producer(cond, box):
    for i in range(3):
        await asyncio.sleep(0.01)
        async with cond:
            box.append(f"msg{i}")
            cond.notify()
            print(f"produced msg{i}")


async def main():
    cond = asyncio.Condition()
    box = []
    consumers = [asyncio.create_task(consumer(cond, f"c{i}", box)) for i in range(3)]
    await producer(cond, box)
    await asyncio.gather(*consumers)
    print("box:", box)


asyncio.run(main())
