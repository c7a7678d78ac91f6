# contextlib: suppress, closing, aclosing, nullcontext, ExitStack, AsyncExitStack.
import asyncio
import contextlib
from contextlib import AsyncExitStack, ExitStack, aclosing, closing, nullcontext, suppress


class Resource:
    def __init__(self, name):
        self.name = name

    def __enter__(self):
        print("enter", self.name)
        return self

    def __exit__(self, exc_type, exc, tb):
        print("exit", self.name, exc_type.__name__ if exc_type else None)
        return False

    def close(self):
        print("close", self.name)


class AsyncResource:
    def __init__(self, name):
        self.name = name

    async def __aenter__(self):
        await asyncio.sleep(0)
        print("aenter", self.name)
        return self.name

    async def __aexit__(self, *exc):
        await asyncio.sleep(0)
        print("aexit", self.name, exc[0].__name__ if exc[0] else None)

    async def aclose(self):
        print("aclose", self.name)


with suppress(KeyError, ValueError):
    {}["missing"]
print("after suppress")
try:
    with suppress(KeyError):
        raise TypeError("not suppressed")
except TypeError as e:
    print("TypeError", e)
with closing(Resource("file")) as r:
    print("using", r.name)
with nullcontext(42) as v:
    print("nullcontext", v)
with nullcontext() as v:
    print("nullcontext", v)

with ExitStack() as stack:
    rs = [stack.enter_context(Resource(f"r{i}")) for i in range(3)]
    stack.callback(print, "callback", 1, sep="-")
    print("inside", [r.name for r in rs])

try:
    with ExitStack() as stack:
        stack.enter_context(Resource("a"))
        stack.push(lambda *exc: print("push saw", exc[0].__name__) or True)
        raise RuntimeError("boom")
    print("suppressed by the pushed exit")
except RuntimeError:
    print("not reached")


def failing_cb():
    raise ValueError("from callback")


try:
    with ExitStack() as stack:
        stack.callback(failing_cb)
        stack.callback(print, "runs first")
        raise KeyError("original")
except ValueError as e:
    print("ValueError", e, "context:", repr(e.__context__))

stack = ExitStack()
stack.enter_context(Resource("kept"))
moved = stack.pop_all()
stack.close()
print("closing moved")
moved.close()
try:
    ExitStack().enter_context(42)
except TypeError as e:
    print(e)


async def main():
    async with AsyncExitStack() as stack:
        names = [await stack.enter_async_context(AsyncResource(f"ar{i}")) for i in range(2)]
        stack.enter_context(Resource("sync"))

        async def later(tag):
            print("async callback", tag)

        stack.push_async_callback(later, "x")
        print("inside", names)
    async with aclosing(AsyncResource("gen")) as g:
        print("aclosing", g.name)
    async with nullcontext("n") as n:
        print("async nullcontext", n)
    try:
        async with AsyncExitStack() as stack:
            await stack.enter_async_context(AsyncResource("err"))
            raise OSError("io")
    except OSError as e:
        print("OSError", e)
    print(isinstance(Resource("x"), contextlib.AbstractContextManager), isinstance(1, contextlib.AbstractContextManager))

asyncio.run(main())
