import asyncio


def handle_exception(loop, context):
    msg = context.get("exception", context["message"])
    print(f"Caught exception: {msg!r}")
    print("message:", context["message"])


async def buggy():
    await asyncio.sleep(0.01)
    raise RuntimeError("something broke")


def bad_callback():
    raise ValueError("callback failed")


async def main():
    loop = asyncio.get_running_loop()
    loop.set_exception_handler(handle_exception)
    loop.call_soon(bad_callback)
    fut = loop.create_future()
    fut.set_exception(KeyError("lost"))
    del fut
    await asyncio.sleep(0.05)
    print("main continues")


asyncio.run(main())
