import asyncio


async def fetch(i):
    await asyncio.sleep(0.01)
    return i * i


async def is_valid(x):
    await asyncio.sleep(0)
    return x % 3 != 0


async def main():
    results = [await fetch(i) for i in range(5)]
    print(results)
    tasks = [asyncio.create_task(fetch(i)) for i in range(3)]
    print([await t for t in tasks])
    table = {i: await fetch(i) for i in range(1, 4)}
    print(table)
    kept = [x for x in range(10) if await is_valid(x)]
    print(kept)
    unique = {await fetch(i % 2) for i in range(6)}
    print(sorted(unique))
    pairs = [(a, await fetch(b)) for a in "xy" for b in range(2)]
    print(pairs)
    nested = [[await fetch(j) for j in range(i)] for i in range(3)]
    print(nested)


asyncio.run(main())
