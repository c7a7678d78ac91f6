# Classes in asyncio programs: async context managers, async iterators, awaitables, a service
# class with methods that are coroutines, and context managers.
import asyncio


class Connection:
    def __init__(self, name):
        self.name = name
        self.open = False

    async def __aenter__(self):
        await asyncio.sleep(0.01)
        self.open = True
        print(f"{self.name}: opened")
        return self

    async def __aexit__(self, exc_type, exc, tb):
        await asyncio.sleep(0.01)
        self.open = False
        print(f"{self.name}: closed ({exc_type.__name__ if exc_type else 'no error'})")
        return exc_type is KeyError

    async def query(self, q):
        await asyncio.sleep(0.02)
        return f"{self.name}:{q}"


class Ticker:
    def __init__(self, n, delay):
        self.n = n
        self.delay = delay
        self.i = 0

    def __aiter__(self):
        return self

    async def __anext__(self):
        if self.i >= self.n:
            raise StopAsyncIteration
        await asyncio.sleep(self.delay)
        self.i += 1
        return self.i


class Deferred:
    def __init__(self, value):
        self.value = value

    async def _resolve(self):
        await asyncio.sleep(0.05)
        return self.value * 2

    def __await__(self):
        return self._resolve().__await__()


class Timer:
    def __enter__(self):
        self.start = asyncio.get_event_loop().time()
        return self

    def __exit__(self, *exc):
        self.elapsed = asyncio.get_event_loop().time() - self.start
        return False


class Service:
    def __init__(self):
        self.results = {}
        self.lock = asyncio.Lock()

    async def fetch(self, key, delay):
        await asyncio.sleep(delay)
        async with self.lock:
            self.results[key] = delay
        return key

    async def run(self):
        keys = await asyncio.gather(*(self.fetch(k, d) for k, d in [("a", 0.3), ("b", 0.1), ("c", 0.2)]))
        return keys, self.results


async def main():
    async with Connection("db") as conn:
        print(await conn.query("select 1"), conn.open)
    print(conn.open)
    async with Connection("cache"):
        raise KeyError("swallowed")
    try:
        async with Connection("broken"):
            raise ValueError("propagates")
    except ValueError as e:
        print("caught", repr(e))
    async for i in Ticker(3, 0.1):
        print("tick", i)
    print(await Deferred(21))
    with Timer() as t:
        await asyncio.sleep(0.25)
    print("elapsed at least 0.25:", t.elapsed >= 0.25)
    svc = Service()
    print(await svc.run())
    task = asyncio.create_task(svc.fetch("d", 0.1))
    print(await task, sorted(svc.results))


asyncio.run(main())
