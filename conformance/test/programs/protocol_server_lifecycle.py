import asyncio


class ServerProtocol(asyncio.Protocol):
    def connection_made(self, transport):
        self.transport = transport
        print("server: connection made", type(transport).__name__, isinstance(transport, asyncio.Transport))
        print("server: peer", transport.get_extra_info("peername")[0], transport.get_extra_info("nothing", "default"))

    def eof_received(self):
        print("server: eof received")

    def connection_lost(self, exc):
        print("server: connection lost", exc)


class ClientProtocol(asyncio.Protocol):
    def __init__(self, done):
        self.done = done

    def connection_made(self, transport):
        self.transport = transport
        print("client: connection made", transport.is_closing(), transport.can_write_eof())
        transport.write_eof()

    def data_received(self, data):
        print("client: data", data)

    def eof_received(self):
        print("client: eof received")

    def connection_lost(self, exc):
        print("client: connection lost", exc, self.transport.is_closing())
        self.done.set_result("lost")


async def main():
    loop = asyncio.get_running_loop()
    server = await loop.create_server(ServerProtocol, "127.0.0.1", 0)
    print(type(server).__name__, server.is_serving(), server.get_loop() is loop, len(server.sockets))
    port = server.sockets[0].getsockname()[1]
    done = loop.create_future()
    transport, protocol = await loop.create_connection(lambda: ClientProtocol(done), "127.0.0.1", port)
    print("created", type(protocol).__name__, protocol.transport is transport, isinstance(protocol, asyncio.BaseProtocol))
    try:
        transport.write("text")
    except TypeError as e:
        print("TypeError:", e)
    print("done:", await done)
    print("closing after lost:", transport.is_closing())
    try:
        await loop.create_server(asyncio.Protocol, "127.0.0.1", port)
    except OSError as e:
        print(type(e).__name__, e.errno, str(e).replace(str(port), "PORT"))
    server.close()
    print("serving:", server.is_serving())
    await server.wait_closed()
    try:
        await loop.create_connection(asyncio.Protocol, "127.0.0.1", port)
    except ConnectionRefusedError as e:
        print(type(e).__name__, e.errno, e.strerror.replace(str(port), "PORT"), isinstance(e, ConnectionError))


asyncio.run(main())
