import asyncio


async def cancel_me():
    print('cancel_me(): before sleep')
    try:
        await asyncio.sleep(3600)
    except asyncio.CancelledError:
        print('cancel_me(): cancel sleep')
        raise
    finally:
        print('cancel_me(): after sleep')


async def main():
    task = asyncio.create_task(cancel_me())
    await asyncio.sleep(0.01)
    task.cancel()
    try:
        await task
    except asyncio.CancelledError:
        print("main(): cancel_me is cancelled now")
    print(task.cancelled(), task.done())
    print(task)

    t2 = asyncio.create_task(cancel_me(), name="second")
    await asyncio.sleep(0)
    print(t2.cancel("shutting down"))
    print(t2.cancel())
    try:
        await t2
    except asyncio.CancelledError as e:
        print("cancel message:", e.args)


asyncio.run(main())
