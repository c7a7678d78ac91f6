# Driving coroutines by hand, as the "conceptual overview" HOWTO does: send(), throw(), close(), and
# what a class's __await__ yields -- to send()'s caller, or to the task running the coroutine.
import asyncio


class Rock:
    def __await__(self):
        v = yield 7
        print("got", v)
        try:
            w = yield 8
        except KeyError as e:
            print("caught", repr(e))
            w = 99
        return v, w


async def sub():
    r = await Rock()
    print("sub has", r)
    return "done"


c = sub()
print(c.send(None))
print(c.send(1))
try:
    c.send(2)
except StopIteration as e:
    print("stop", e.value)
try:
    c.send(None)
except RuntimeError as e:
    print("RuntimeError:", e)

c = sub()
try:
    c.send(5)
except TypeError as e:
    print("TypeError:", e)
print(c.send(None), c.send(3))
try:
    c.throw(KeyError("x"))
except StopIteration as e:
    print("stop", e.value)

c = sub()
c.send(None)
print("running:", c.cr_running)
c.close()
try:
    c.send(None)
except RuntimeError as e:
    print("RuntimeError:", e)


class Stubborn:
    def __await__(self):
        try:
            yield "once"
        except GeneratorExit:
            print("ignoring GeneratorExit")
        yield "again"


async def stubborn():
    await Stubborn()

c = stubborn()
c.send(None)
try:
    c.close()
except RuntimeError as e:
    print("RuntimeError:", e)


class NotAnIterator:
    def __await__(self):
        return 5


class Yielder:
    def __await__(self):
        yield          # a task waits one loop iteration
        yield 42       # not a future: thrown back in
        return "unreachable"


async def main():
    try:
        await NotAnIterator()
    except TypeError as e:
        print("TypeError:", e)
    try:
        await Yielder()
    except RuntimeError as e:
        print("RuntimeError:", e)
    loop = asyncio.get_running_loop()
    f = loop.create_future()
    loop.call_later(0.1, f.set_result, "fut-result")

    class Wrapper:
        def __await__(self):
            return f.__await__()

    print(await Wrapper())

    class Delegating:
        def __await__(self):
            r = yield from f
            return ("again", r)

    print(await Delegating())
    inner = sub()
    print("driven by hand inside a task:", inner.send(None))
    pending = loop.create_future()

    async def waits():
        return await pending

    c = waits()
    print("yields its future:", c.send(None) is pending)
    try:
        c.send(None)
    except RuntimeError as e:
        print("RuntimeError:", e)

asyncio.run(main())
