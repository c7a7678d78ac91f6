import asyncio


def check(x):
    print("checking", x)
    return x > 2


async def main():
    tasks = [asyncio.create_task(asyncio.sleep(0.01 * i, result=i)) for i in range(4)]
    await asyncio.sleep(0.015)
    print("any done:", any(t.done() for t in tasks))
    print("all done:", all(t.done() for t in tasks))
    found = any(check(x) for x in [1, 3, 5])
    print("found:", found)
    first = next(t.result() for t in tasks if t.done() and t.result() > 0)
    print("first finished with result > 0:", first)
    await asyncio.gather(*tasks)
    results = (t.result() for t in tasks)
    print(results, type(results).__name__, sum(results), sum(results))
    squares = map(lambda t: t.result() ** 2, tasks)
    print(list(squares), list(squares))
    evens = filter(lambda n: n % 2 == 0, range(10))
    print(next(evens), next(evens), list(evens))
    for i, (t, label) in enumerate(zip(tasks, "abc"), 1):
        print(i, label, t.result())


asyncio.run(main())
