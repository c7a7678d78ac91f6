import asyncio


async def square(x):
    await asyncio.sleep(0.01 * (x % 3))
    return x * x


async def stage_one(numbers):
    tasks = [asyncio.create_task(square(n)) for n in numbers]
    return await asyncio.gather(*tasks)


async def summarize(values):
    await asyncio.sleep(0)
    return {"count": len(values), "sum": sum(values), "max": max(values), "min": min(values)}


async def main():
    chunks = [list(range(i, i + 4)) for i in range(0, 12, 4)]
    print("chunks:", chunks)
    partials = await asyncio.gather(*(stage_one(c) for c in chunks))
    flat = [v for part in partials for v in part]
    print("squares:", flat)
    summary = await summarize(flat)
    for key, value in summary.items():
        print(f"{key:>5}: {value}")
    evens = sorted({v for v in flat if v % 2 == 0}, reverse=True)
    print("even squares:", evens)


asyncio.run(main())
