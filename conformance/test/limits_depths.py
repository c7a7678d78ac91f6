import asyncio
import sys


def g(n):
    try:
        return g(n + 1)
    except RecursionError:
        return n


async def f(n):
    try:
        return await f(n + 1)
    except RecursionError:
        return n


async def main():
    return await f(1)


async def calls_g():
    return g(1)


def deep(k):
    return deep(k - 1) if k else asyncio.run(f(1))


print(sys.getrecursionlimit(), g(1))
print(asyncio.run(f(1)), asyncio.run(main()), asyncio.run(calls_g()), deep(100))
loop = asyncio.new_event_loop()
print(loop.run_until_complete(f(1)))
loop.call_soon(lambda: print(g(1)))
loop.call_soon(loop.stop)
loop.run_forever()
loop.close()
with asyncio.Runner() as runner:
    print(runner.run(f(1)))
x = []
for i in range(5000):
    x = [x]
for op in (repr, str, lambda v: v == [x], lambda v: repr({1: v})):
    try:
        op(x)
    except RecursionError as e:
        print(e)
sys.setrecursionlimit(100)
print(g(1), asyncio.run(f(1)))
sys.setrecursionlimit(30000)
print(g(1))
sys.setrecursionlimit(1000)
for bad in ("x", 1.5, 0, -1, 2**31):
    try:
        sys.setrecursionlimit(bad)
    except Exception as e:
        print(type(e).__name__, e)
def at_depth(n):
    if n:
        return at_depth(n - 1)
    try:
        sys.setrecursionlimit(40)
    except RecursionError as e:
        return str(e)
print(at_depth(50))


def h(n):
    try:
        return h(n + 1)
    except RecursionError as e:
        return n, str(e)


print(h(1))
