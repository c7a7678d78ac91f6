# The synchronisation primitives' constructors refuse loop= (removed in 3.10) and extra arguments with CPython's messages.
import asyncio
for cls in (asyncio.Lock, asyncio.Event, asyncio.Condition, asyncio.Semaphore, asyncio.BoundedSemaphore, asyncio.Queue, asyncio.Barrier):
    try:
        cls(loop=None) if cls is not asyncio.Barrier else cls(1, loop=None)
    except TypeError as e:
        print(e)
try:
    asyncio.Lock(1)
except TypeError as e:
    print(e)
try:
    asyncio.Event(1)
except TypeError as e:
    print(e)
try:
    asyncio.Semaphore(1, 2)
except TypeError as e:
    print(e)
