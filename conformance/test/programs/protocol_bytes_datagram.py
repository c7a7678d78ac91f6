# Protocols receive bytes: a TCP protocol echo, a UDP exchange, and a subprocess fed bytes on stdin;
# transports refuse data that is not bytes-like as CPython's do (a write pipe asserts instead).
import asyncio


class Echo(asyncio.Protocol):
    def connection_made(self, transport):
        self.transport = transport

    def data_received(self, data):
        print("server received", type(data).__name__, data)
        self.transport.writelines([data[::-1], b"!"])
        try:
            self.transport.write("str")
        except TypeError as e:
            print("transport.write:", e)


class Client(asyncio.Protocol):
    def __init__(self, done):
        self.done = done

    def connection_made(self, transport):
        transport.write(bytearray(b"abc"))

    def data_received(self, data):
        print("client received", data)
        if data.endswith(b"!"):
            self.done.set_result(data)

    def connection_lost(self, exc):
        print("client lost", exc)


class Udp(asyncio.DatagramProtocol):
    def connection_made(self, transport):
        self.transport = transport

    def datagram_received(self, data, addr):
        print("udp received", data, addr[0])
        if data == b"ping":
            self.transport.sendto(b"pong", addr)


async def main():
    loop = asyncio.get_running_loop()
    server = await loop.create_server(Echo, "127.0.0.1", 0)
    port = server.sockets[0].getsockname()[1]
    done = loop.create_future()
    transport, _ = await loop.create_connection(lambda: Client(done), "127.0.0.1", port)
    await done
    transport.close()
    server.close()
    await server.wait_closed()
    await asyncio.sleep(0.01)

    a, _ = await loop.create_datagram_endpoint(Udp, local_addr=("127.0.0.1", 0))
    b, _ = await loop.create_datagram_endpoint(Udp, local_addr=("127.0.0.1", 0))
    try:
        b.sendto("ping", a.get_extra_info("sockname"))
    except TypeError as e:
        print("sendto:", e)
    b.sendto(memoryview(b"ping"), a.get_extra_info("sockname"))
    await asyncio.sleep(0.01)
    a.close()
    b.close()

    proc = await asyncio.create_subprocess_exec(
        "tr", "a-z", "A-Z", stdin=asyncio.subprocess.PIPE, stdout=asyncio.subprocess.PIPE)
    try:
        proc.stdin.write("text")
    except AssertionError as e:
        print("pipe write: AssertionError", e)
    out, err = await proc.communicate(b"bytes in, bytes out\n")
    print(out, err, proc.returncode)


asyncio.run(main())
