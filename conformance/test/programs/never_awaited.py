import asyncio


async def say(msg):
    await asyncio.sleep(0.01)
    print(msg)


async def main():
    say("forgotten")
    await say("awaited")
    task = asyncio.create_task(say("task"))
    await asyncio.sleep(0.02)
    print(task.done())


asyncio.run(main())
