import asyncio


async def monitor(stop, interval):
    beats = 0
    while not stop.is_set():
        beats += 1
        print(f"beat {beats}")
        try:
            await asyncio.wait_for(stop.wait(), timeout=interval)
        except asyncio.TimeoutError:
            pass
    print("monitor stopping after", beats, "beats")
    return beats


async def main():
    stop = asyncio.Event()
    mon = asyncio.create_task(monitor(stop, 0.1))
    await asyncio.sleep(0.25)
    stop.set()
    beats = await mon
    print(f"{beats=}")


asyncio.run(main())
