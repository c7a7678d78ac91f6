import asyncio


async def leaf(name, delay):
    try:
        await asyncio.sleep(delay)
        print(f"{name} done")
        return name
    except asyncio.CancelledError:
        print(f"{name} cancelled")
        raise


async def main():
    group = asyncio.gather(leaf("a", 0.01), leaf("b", 0.5), leaf("c", 0.6))
    await asyncio.sleep(0.05)
    group.cancel()
    try:
        await group
    except asyncio.CancelledError:
        print("group cancelled:", group.cancelled())

    outer = asyncio.gather(leaf("x", 0.01), asyncio.sleep(0.02, result="slept"))
    print(await outer)


asyncio.run(main())
