import asyncio


async def divide(a, b):
    await asyncio.sleep(0)
    return a / b


async def main():
    print(await divide(10, 4))
    print(await divide(10, 5))
    print(await divide(1, 0))


asyncio.run(main())
