import asyncio


class Quiet(asyncio.Protocol):
    pass


class Duck:
    # No base class: protocols are duck-typed.
    def connection_made(self, transport):
        print("duck: connection made", transport.get_protocol() is self)
        transport.close()

    def connection_lost(self, exc):
        print("duck: connection lost", exc)


async def main():
    loop = asyncio.get_running_loop()
    server = await loop.create_server(Quiet, "127.0.0.1", 0, start_serving=False)
    print("serving before start:", server.is_serving())
    await server.start_serving()
    print("serving after start:", server.is_serving())
    sock = server.sockets[0]
    print(type(sock).__name__, sock.family, sock.type)
    port = sock.getsockname()[1]

    transport, protocol = await loop.create_connection(Duck, "127.0.0.1", port)
    print("client:", type(protocol).__name__, transport.is_closing())
    await asyncio.sleep(0.1)

    task = asyncio.create_task(server.serve_forever())
    await asyncio.sleep(0)
    task.cancel()
    try:
        await task
    except asyncio.CancelledError:
        print("serve_forever cancelled; serving:", server.is_serving())

    async with await loop.create_server(Quiet, "127.0.0.1", 0) as s2:
        print("in async with:", s2.is_serving())
    print("after async with:", s2.is_serving(), s2.sockets)

    print(isinstance(Quiet(), asyncio.BaseProtocol), issubclass(asyncio.DatagramProtocol, asyncio.BaseProtocol))
    print(asyncio.Protocol.__mro__)
    print(repr(Quiet())[:28])
    q = Quiet()
    print(q.data_received(None), q.eof_received(), asyncio.Protocol.connection_made(q, None))
    try:
        q.x = 1
        print("q.x", q.x)
    except AttributeError as e:
        print("AttributeError", e)
    try:
        asyncio.Protocol().x = 1
    except AttributeError as e:
        print("AttributeError:", e)

    try:
        await loop.create_connection(Quiet, "127.0.0.1", port, bogus=1)
    except TypeError as e:
        print("TypeError:", e)


asyncio.run(main())
