import asyncio

# Length-prefixed frames over a queue: the producer encodes, the consumer reassembles
# from chunks of arbitrary size, as a protocol's data_received would.


def frame(text):
    payload = text.encode("utf-8")
    return len(payload).to_bytes(2, "big") + payload


async def producer(queue, messages):
    wire = b"".join(frame(m) for m in messages)
    print("wire:", len(wire), "bytes", wire[:12])
    for i in range(0, len(wire), 5):
        await queue.put(wire[i:i + 5])
        await asyncio.sleep(0.01)
    await queue.put(None)


async def consumer(queue):
    buf = bytearray()
    received = []
    while True:
        chunk = await queue.get()
        if chunk is None:
            break
        buf += chunk
        while len(buf) >= 2:
            size = int.from_bytes(buf[:2], "big")
            if len(buf) < 2 + size:
                break
            body = bytes(buf[2:2 + size])
            del buf[:2 + size]
            text = body.decode("utf-8")
            received.append(text)
            print(f"frame {len(received)}: {body!r} -> {text!r} ({len(text)} chars)")
    print("left over:", buf, "checksum:", sum(b"".join(m.encode() for m in received)) % 256)
    return received


async def main():
    queue = asyncio.Queue()
    messages = ["hello", "naïve café", "€100", "", "end"]
    _, got = await asyncio.gather(producer(queue, messages), consumer(queue))
    print(got == messages, [m.encode("ascii", "replace") for m in got])
    try:
        b"\xc3(".decode()
    except UnicodeDecodeError as e:
        print("bad frame:", e)


asyncio.run(main())
