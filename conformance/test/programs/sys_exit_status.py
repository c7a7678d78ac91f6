# A command-line tool's ending: sys.exit with a status from inside the event loop, after cleanup.
import asyncio
import sys


async def check(n):
    await asyncio.sleep(n / 10)
    return n % 2 == 0


async def main():
    results = await asyncio.gather(*(check(n) for n in range(4)))
    print(results)
    for code in (None, "message", (1, 2)):
        try:
            sys.exit(code)
        except SystemExit as e:
            print(repr(e), repr(e.code))
    try:
        sys.exit(1, 2)
    except TypeError as e:
        print(e)
    try:
        sys.exit(code=1)
    except TypeError as e:
        print(e)
    try:
        await asyncio.sleep(1)
    finally:
        print("cleanup")
    sys.exit(results.count(False) + 1)


try:
    asyncio.run(main())
finally:
    print("after run")
