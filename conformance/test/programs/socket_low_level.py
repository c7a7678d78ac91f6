# The socket module with the loop's low-level methods: a listening socket served with sock_accept,
# a client using sock_connect / sock_sendall / sock_recv, add_reader / add_writer on socket objects,
# and the blocking calls of a plain socket (socketpair, send, recv, settimeout).
import asyncio
import socket


async def serve(listener):
    loop = asyncio.get_running_loop()
    conn, addr = await loop.sock_accept(listener)
    print("accepted from", addr[0], "blocking:", conn.getblocking())
    # Without it, Nagle's algorithm holds the second small reply back until the first is acknowledged.
    conn.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
    while True:
        data = await loop.sock_recv(conn, 4)
        if not data:
            break
        await loop.sock_sendall(conn, data.upper())
    conn.close()
    print("server closed")


async def main():
    loop = asyncio.get_running_loop()
    listener = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    listener.bind(("127.0.0.1", 0))
    listener.listen()
    listener.setblocking(False)
    print(listener.family, listener.type, listener.gettimeout())
    server = asyncio.create_task(serve(listener))

    client = socket.socket()
    client.setblocking(False)
    await loop.sock_connect(client, listener.getsockname())
    print("peer is the listener:", client.getpeername() == listener.getsockname())
    await loop.sock_sendall(client, b"hello world")
    got = b""
    while len(got) < 11:
        got += await loop.sock_recv(client, 100)
    print(got)

    readable = loop.create_future()
    loop.add_reader(client, lambda: readable.set_result(client.recv(100)))
    await loop.sock_sendall(client, b"again")
    print(await readable, loop.remove_reader(client), loop.remove_reader(client))

    written = loop.create_future()
    loop.add_writer(client.fileno(), written.set_result, "writable")
    print(await written, loop.remove_writer(client.fileno()))

    client.shutdown(socket.SHUT_WR)
    await server
    print(await loop.sock_recv(client, 10))
    client.close()
    listener.close()
    print(repr(client))

    try:
        await loop.sock_recv(client, 1)
    except OSError as e:
        print(type(e).__name__, e.errno)
    try:
        loop.add_reader(-1, print)
    except ValueError as e:
        print("ValueError:", e)


a, b = socket.socketpair()
print(a.family == socket.AF_UNIX, a.type == socket.SOCK_STREAM, a.gettimeout(), a.getblocking())
print(a.send(b"ping"), b.recv(10))
b.sendall(b"x" * 10)
print(len(a.recv(4)), len(a.recv(100)))
try:
    a.send("text")
except TypeError as e:
    print("TypeError:", e)
try:
    a.recv(-1)
except ValueError as e:
    print("ValueError:", e)
a.settimeout(0.5)
print(a.gettimeout())
try:
    a.recv(1)
except TimeoutError as e:
    print("TimeoutError:", e, isinstance(e, socket.timeout))
a.setblocking(False)
try:
    a.recv(1)
except BlockingIOError as e:
    print("BlockingIOError", e.errno)
b.close()
print(a.recv(1))
with a:
    pass
print(repr(a))
print(socket.getaddrinfo("127.0.0.1", 80, type=socket.SOCK_STREAM)[0][4])

asyncio.run(main())
