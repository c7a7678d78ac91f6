import asyncio


async def slow_operation(delay):
    try:
        await asyncio.sleep(delay)
        return f"finished after {delay}"
    except asyncio.CancelledError:
        print(f"slow_operation({delay}) was cancelled")
        raise


async def main():
    try:
        result = await asyncio.wait_for(slow_operation(0.01), timeout=0.1)
        print(result)
    except asyncio.TimeoutError:
        print("timeout!")

    try:
        result = await asyncio.wait_for(slow_operation(1), timeout=0.05)
        print(result)
    except asyncio.TimeoutError as e:
        print("timeout!", repr(e), type(e).__name__)

    task = asyncio.create_task(slow_operation(1))
    try:
        await asyncio.wait_for(asyncio.shield(task), timeout=0.02)
    except TimeoutError:
        print("shielded task still running:", not task.done())
    task.cancel()
    try:
        await task
    except asyncio.CancelledError:
        print("task cancelled:", task.cancelled())


asyncio.run(main())
