# contextlib.contextmanager: the generator runs to its yield on entry and resumes on exit; an
# exception in the block is raised at the yield, and suppressed when the generator catches it.
import asyncio
from contextlib import contextmanager


@contextmanager
def tag(name):
    print(f"<{name}>")
    try:
        yield name.upper()
    finally:
        print(f"</{name}>")


@contextmanager
def swallow(*kinds):
    try:
        yield
    except kinds as e:
        print("swallowed", repr(e))


@contextmanager
def no_yield():
    if False:
        yield


@contextmanager
def twice():
    yield 1
    yield 2


@contextmanager
def replace_error():
    try:
        yield
    except KeyError as e:
        raise ValueError("replaced") from e


with tag("b") as t:
    print("inside", t)
with tag("outer"), tag("inner"):
    print("nested")
with swallow(ZeroDivisionError):
    1 / 0
print("after swallow")
for cm, exc in [(swallow(KeyError), IndexError("kept")), (tag("t"), RuntimeError("through"))]:
    try:
        with cm:
            raise exc
    except Exception as e:
        print("propagated", repr(e), e is exc)
for cm in (no_yield, twice):
    try:
        with cm():
            pass
    except RuntimeError as e:
        print("RuntimeError", e, e.__suppress_context__)
try:
    with replace_error():
        {}["k"]
except ValueError as e:
    print("ValueError", e, repr(e.__cause__))
try:
    with swallow(StopIteration):
        raise StopIteration("stop")
except RuntimeError as e:
    print("RuntimeError", e)
print(type(tag("x")).__name__)


async def main():
    with tag("async"):
        await asyncio.sleep(0)
        print("awaited inside")

asyncio.run(main())
