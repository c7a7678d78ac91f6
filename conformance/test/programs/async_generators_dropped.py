# Asynchronous generators whose bodies ended (exhausted, raised, thrown into before starting) have
# nothing left to close: dropping them schedules no aclose(), and the loop goes on to its timers.
import asyncio


async def counts(n):
    for i in range(n):
        yield i


async def fails():
    yield 1
    raise ValueError("inside")


async def main():
    exhausted = counts(2)
    print([x async for x in exhausted])
    raised = fails()
    try:
        async for x in raised:
            print("got", x)
    except ValueError as e:
        print("raised", e)
    early = counts(1)
    try:
        await early.athrow(KeyError("early"))
    except KeyError as e:
        print("athrow before start", repr(e))
    del exhausted, raised, early
    loop = asyncio.get_running_loop()
    start = loop.time()
    await asyncio.sleep(0.5)
    print("slept", round(loop.time() - start, 1))


asyncio.run(main())
