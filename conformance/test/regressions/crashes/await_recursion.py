import asyncio
async def f(): return await f()
asyncio.run(f())
