import asyncio
import time


async def long_running():
    await asyncio.sleep(10)


async def main():
    start = time.monotonic()
    try:
        async with asyncio.timeout(0.06):
            await long_running()
    except TimeoutError:
        print(f"The long operation timed out after {time.monotonic() - start:.1f}s, but we've handled it.")

    print("This statement will run regardless.")

    async with asyncio.timeout(None) as cm:
        print("deadline:", cm.when())
        loop = asyncio.get_running_loop()
        cm.reschedule(loop.time() + 0.02)
        try:
            await asyncio.sleep(1)
        except asyncio.CancelledError:
            print("cancelled inside timeout block")
            raise
    print("unreachable")


try:
    asyncio.run(main())
except TimeoutError as exc:
    print("outer:", type(exc).__name__, exc.args)
