import asyncio


async def fetch_data(i):
    await asyncio.sleep(0.01 * (5 - i))
    if i % 2 == 0:
        raise ValueError(f"Invalid id {i}")
    return {"id": i, "value": i * 10}


async def main():
    results = await asyncio.gather(*[fetch_data(i) for i in range(5)], return_exceptions=True)
    for i, result in enumerate(results):
        if isinstance(result, Exception):
            print(f"Task {i} failed: {result!r}")
        else:
            print(f"Task {i} succeeded: {result}")
    successes = [r for r in results if not isinstance(r, BaseException)]
    failures = [str(r) for r in results if isinstance(r, BaseException)]
    print(len(successes), "succeeded,", len(failures), "failed")
    print("total value:", sum(r["value"] for r in successes))
    print(failures)

    try:
        await asyncio.gather(fetch_data(1), fetch_data(2), fetch_data(3))
    except ValueError as e:
        print("gather raised:", e)


asyncio.run(main())
