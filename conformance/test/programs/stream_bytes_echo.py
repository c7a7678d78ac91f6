# Streams carry bytes: a line-oriented echo server, every StreamReader read method on a connection,
# IncompleteReadError and LimitOverrunError with their attributes, and the TypeErrors CPython raises
# for data that is not bytes-like.
import asyncio


async def handle(reader, writer):
    async for line in reader:
        if line == b"quit\n":
            break
        writer.write(line.upper())
        await writer.drain()
    writer.write(b"bye\x00tail")
    writer.write_eof()
    await writer.drain()
    writer.close()
    await writer.wait_closed()


async def client(port):
    reader, writer = await asyncio.open_connection("127.0.0.1", port)
    writer.write(b"hello\n")
    writer.writelines([b"wor", bytearray(b"ld\n"), memoryview(b"caf\xc3\xa9\n")])
    print(await reader.readline())
    print(await reader.readexactly(6))
    line = await reader.readuntil(b"\n")
    print(line, line.decode())
    for bad in ["text", 5, None]:
        try:
            writer.write(bad)
        except TypeError as e:
            print("write:", e)
    for bad in [["ok", b"x"], [b"ok", "x"], 7]:
        try:
            writer.writelines(bad)
        except TypeError as e:
            print("writelines:", e)
    writer.write(b"quit\n")
    print(await reader.readuntil(b"\x00"))
    try:
        await reader.readexactly(10)
    except asyncio.IncompleteReadError as e:
        print(type(e).__name__, isinstance(e, EOFError), e, e.partial, e.expected)
    print(await reader.read(), reader.at_eof())
    writer.close()
    await writer.wait_closed()


async def buffered():
    r = asyncio.StreamReader(limit=4)
    r.feed_data(b"")
    r.feed_data("")
    r.feed_data(bytearray(b"ab|cdefgh|"))
    for bad in ["x", 3, [104, 105]]:
        try:
            r.feed_data(bad)
            print("fed", bad)
        except TypeError as e:
            print("feed_data:", e)
    print(await r.readuntil(b"|"))
    try:
        await r.readuntil(b"|")
    except asyncio.LimitOverrunError as e:
        print(type(e).__name__, e, e.consumed)
    for bad in ["|", 3, b""]:
        try:
            await r.readuntil(bad)
        except (TypeError, ValueError) as e:
            print("readuntil:", type(e).__name__, e)
    print(await r.read(3), await r.read(100))
    r.feed_eof()
    try:
        await r.readuntil(b"?")
    except asyncio.IncompleteReadError as e:
        print(e, e.partial, e.expected)
    try:
        r.feed_data(b"late")
    except AssertionError as e:
        print("AssertionError:", e)


async def main():
    server = await asyncio.start_server(handle, "127.0.0.1", 0)
    port = server.sockets[0].getsockname()[1]
    async with server:
        await client(port)
    await buffered()


asyncio.run(main())
