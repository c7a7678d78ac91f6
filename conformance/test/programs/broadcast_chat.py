import asyncio

subscribers = {}


def subscribe(name):
    q = asyncio.Queue()
    subscribers[name] = q
    return q


async def publish(message):
    for name, q in subscribers.items():
        await q.put(message)


async def listener(name, q):
    received = []
    while True:
        msg = await q.get()
        if msg is None:
            break
        received.append(msg)
        print(f"[{name}] got {msg!r}")
    return name, received


async def main():
    listeners = [asyncio.create_task(listener(n, subscribe(n))) for n in ("alice", "bob")]
    for text in ["hi", "how are you?", "bye"]:
        await publish(text)
        await asyncio.sleep(0.01)
    await publish(None)
    summary = dict(await asyncio.gather(*listeners))
    print(summary)
    print({k: len(v) for k, v in summary.items()})


asyncio.run(main())
