import asyncio
async def f(n):
    if n % 100 == 0:
        await asyncio.sleep(0)
    return await f(n + 1)
async def main():
    await asyncio.gather(f(1), f(1))
asyncio.run(main())
