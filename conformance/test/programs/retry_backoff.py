import asyncio

attempts = {"count": 0}


class TransientError(Exception):
    pass


async def flaky_operation():
    attempts["count"] += 1
    if attempts["count"] < 4:
        raise TransientError(f"failure #{attempts['count']}")
    return "success"


async def retry(coro_func, retries=5, base_delay=0.01):
    for attempt in range(1, retries + 1):
        try:
            return await coro_func()
        except TransientError as e:
            delay = base_delay * 2 ** (attempt - 1)
            print(f"Attempt {attempt} failed: {e!r}; retrying in {delay:.3f}s")
            await asyncio.sleep(delay)
    raise RuntimeError("giving up")


async def always_fails():
    raise TransientError("nope")


async def main():
    result = await retry(flaky_operation)
    print("Result:", result, "after", attempts["count"], "attempts")
    try:
        await retry(always_fails, retries=2)
    except RuntimeError as e:
        print("Error:", e)


asyncio.run(main())
