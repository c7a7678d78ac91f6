# Warnings raised by coroutines and by the loop, shown, filtered, recorded and turned into errors.
import asyncio
import warnings


class SlowWarning(UserWarning):
    pass


async def legacy(n):
    warnings.warn("legacy() is deprecated; use modern()", DeprecationWarning)
    await asyncio.sleep(0.1)
    return n


async def worker(i):
    await asyncio.sleep(0.01 * i)
    if i % 2:
        warnings.warn(f"worker {i} was slow", SlowWarning)
    return i


async def never():
    pass


async def main():
    print(await asyncio.gather(*(worker(i) for i in range(4))))
    print(await legacy(1), await legacy(2))  # one location: shown once
    for _ in range(3):
        warnings.warn("same place")  # the "default" action: once per location
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        for _ in range(2):
            warnings.warn("recorded")
        await worker(3)
        never()  # the loop's own warning is recorded too
    for w in caught:
        print(w.category.__name__, w.message, type(w.message).__name__, w.lineno > 0, w.filename.endswith(".py"))
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        never()  # silenced
        warnings.warn("silenced")
    with warnings.catch_warnings():
        warnings.simplefilter("error", SlowWarning)
        try:
            await worker(5)
        except SlowWarning as e:
            print("error:", repr(e))
    with warnings.catch_warnings():
        warnings.filterwarnings("ignore", message="worker [0-9] was")
        warnings.filterwarnings("error", category=RuntimeWarning)
        await worker(7)  # ignored by the message pattern
        try:
            warnings.warn("boom", RuntimeWarning)
        except RuntimeWarning as e:
            print("error:", e)
    print(len(warnings.filters), warnings.filters[0])
    warnings.resetwarnings()
    print(warnings.filters)
    warnings.simplefilter("once")
    for i in range(3):
        warnings.warn("once only")
    warnings.simplefilter("module", UserWarning)
    warnings.warn(UserWarning("an instance"))
    print(warnings.formatwarning("text", UserWarning, "prog.py", 7, "x = 1"), end="")
    never()


asyncio.run(main())
print("done")
