# anext() and aiter(): the awaitable of __anext__, a default for StopAsyncIteration, and their TypeErrors.
import asyncio
async def g():
    yield 1
async def main():
    a = g()
    print(await anext(a), await anext(a, 'dflt'))
    try: await anext(a)
    except StopAsyncIteration as e: print('stop', repr(e))
    try: anext(5)
    except TypeError as e: print(e)
    try: aiter(5)
    except TypeError as e: print(e)
    print(aiter(a) is a)
asyncio.run(main())
