# The import statement's forms on the modules the scenario language provides.
import asyncio
import asyncio as aio
import time, functools
from time import monotonic as mono, sleep
from functools import (
    partial,
    reduce,
)
from collections import *

print(aio is asyncio, mono is time.monotonic, sleep is time.sleep)
print(time)
print(type(time).__name__, time.__name__, asyncio.__name__)
print(namedtuple("P", "x y")(1, 2))

try:
    from time import nope
except ImportError as e:
    print(type(e).__name__, e)

try:
    time.nope
except AttributeError as e:
    print(e)


def inner():
    import functools as ft
    from functools import reduce as r
    return ft is functools, r is reduce


print(inner())
print(isinstance(ModuleNotFoundError("x"), ImportError), ModuleNotFoundError.__mro__)


async def main():
    await asyncio.sleep(0.1)
    print("done")

asyncio.run(main())
