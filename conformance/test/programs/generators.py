# Generator functions: yield, send/throw/close, yield from, return values and PEP 479.
import asyncio


def countdown(n):
    while n > 0:
        yield n
        n -= 1


def fib():
    a, b = 0, 1
    while True:
        yield a
        a, b = b, a + b


def take(n, it):
    out = []
    for x in it:
        if len(out) == n:
            break
        out.append(x)
    return out


def averager():
    total = count = 0
    average = None
    while True:
        value = yield average
        if value is None:
            break
        total += value
        count += 1
        average = total / count
    return (count, average)


def tracked(name):
    print(name, "start")
    try:
        yield 1
        yield 2
    except KeyError as e:
        print(name, "caught", repr(e))
        yield "recovered"
    finally:
        print(name, "finally")
    return name.upper()


def outer():
    result = yield from tracked("inner")
    print("inner returned", result)
    yield from [10, 20]
    yield from range(2)
    return "outer done"


def leaks_stop():
    yield 1
    raise StopIteration("oops")


def ignores_exit():
    while True:
        try:
            yield
        except GeneratorExit:
            print("ignoring GeneratorExit")
            break
    yield "again"


def reentrant():
    print("running:", me.gi_running)
    next(me)
    yield


print(list(countdown(3)), sum(countdown(4)), max(countdown(5)), sorted(countdown(3)))
print(take(8, fib()), dict(zip("abc", countdown(3))), [x * 2 for x in countdown(2)])
print(type(countdown(1)).__name__, countdown.__name__, repr(countdown(1)).startswith("<generator object countdown at 0x"))
print(asyncio.iscoroutine(countdown(1)), asyncio.iscoroutinefunction(countdown))
g = countdown(2)
print(iter(g) is g, next(g), next(g), next(g, "exhausted"))

avg = averager()
print(next(avg), avg.send(10), avg.send(20), avg.send(60))
try:
    avg.send(None)
except StopIteration as e:
    print("returned", e.value, e.args)

g = averager()
try:
    g.send(1)
except TypeError as e:
    print("TypeError:", e)

g = tracked("t")
print(g.gi_running, g.gi_suspended, next(g), g.gi_suspended)
print(g.throw(KeyError("k")))
try:
    next(g)
except StopIteration as e:
    print("stop", repr(e), e.value)
print(next(g, "after end"))

g = tracked("closing")
next(g)
print("close:", g.close(), g.close())
g = tracked("never started")
g.close()
print("closed before start")

o = outer()
print(next(o), o.gi_yieldfrom is not None, o.send(None))
print(list(o))
o = outer()
next(o)
print(o.throw(KeyError("via outer")))
o.close()
print("outer closed")

try:
    list(leaks_stop())
except RuntimeError as e:
    print("RuntimeError:", e, "| cause:", repr(e.__cause__))

g = ignores_exit()
next(g)
try:
    g.close()
except RuntimeError as e:
    print("RuntimeError:", e)

me = reentrant()
try:
    next(me)
except ValueError as e:
    print("ValueError:", e)

g = countdown(3)
try:
    g.throw(ValueError, "before start")
except ValueError as e:
    print("thrown in:", repr(e), list(g))
try:
    countdown(1).throw(1)
except TypeError as e:
    print("TypeError:", e)

squares = (x * x for x in range(5) if x % 2 == 0)
print(type(squares).__name__, repr(squares).startswith("<generator object <genexpr> at 0x"))
print(next(squares), list(squares), list(squares))
print(any(x > 2 for x in countdown(10)), all(x > 2 for x in countdown(3)))
print([(i, j) for i, j in ((a, b) for a in range(3) for b in range(a))])


def pipeline(source):
    for line in source:
        yield line.strip().upper()


def grep(pattern, lines):
    return (line for line in lines if pattern in line)


print(list(grep("A", pipeline(["  alpha", "beta ", "gamma"]))))


def closure_gen():
    base = 100

    def gen():
        for i in range(3):
            yield base + i
    return gen()


print(list(closure_gen()))


class Tree:
    def __init__(self, value, *children):
        self.value = value
        self.children = children

    def __iter__(self):
        yield self.value
        for child in self.children:
            yield from child


print(list(Tree(1, Tree(2, Tree(3)), Tree(4))))


async def consume():
    total = 0
    for x in countdown(4):
        await asyncio.sleep(0)
        total += x
    print("consumed in a task:", total)

asyncio.run(consume())
