import asyncio


async def handle(reader, writer):
    print("server: connection from", writer.get_extra_info("peername")[0], type(reader).__name__, type(writer).__name__)
    writer.close()
    await writer.wait_closed()
    print("server: closed", writer.is_closing())


def plain_callback(reader, writer):
    print("plain callback:", isinstance(reader, asyncio.StreamReader), writer.can_write_eof())
    writer.close()


async def main():
    server = await asyncio.start_server(handle, "127.0.0.1", 0)
    port = server.sockets[0].getsockname()[1]
    reader, writer = await asyncio.open_connection("127.0.0.1", port)
    print("client:", type(writer.transport).__name__, writer.is_closing(), writer.get_extra_info("nothing", 42))
    try:
        writer.write("text")
    except TypeError as e:
        print("TypeError:", e)
    await asyncio.sleep(0.1)
    writer.close()
    await writer.wait_closed()
    server.close()
    await server.wait_closed()

    async with await asyncio.start_server(plain_callback, "127.0.0.1", 0) as s2:
        port = s2.sockets[0].getsockname()[1]
        reader, writer = await asyncio.open_connection("127.0.0.1", port)
        await asyncio.sleep(0.1)
        writer.close()
        await writer.wait_closed()

    try:
        await asyncio.open_connection("127.0.0.1", port)
    except ConnectionRefusedError as e:
        print("refused:", e.errno)


asyncio.run(main())
