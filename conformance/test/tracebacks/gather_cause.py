# gather() passes on the first error; `raise ... from` inside a coroutine.
import asyncio


async def leaf(n):
    await asyncio.sleep(0)
    if n == 2:
        raise ValueError(f"bad {n}")
    return n


async def middle():
    try:
        return await leaf(2)
    except ValueError as e:
        raise RuntimeError("wrapped") from e


async def main():
    results = await asyncio.gather(leaf(1), middle())
    print(results)


asyncio.run(main())
