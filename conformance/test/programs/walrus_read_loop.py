# Read loops written with assignment expressions: `while (line := await reader.readline()):` on a
# stream, and := in conditions, comprehensions (binding in the enclosing function) and call arguments.
import asyncio


async def handle(reader, writer):
    count = 0
    while (line := await reader.readline()):
        count += 1
        if (text := line.decode().strip()) == "quit":
            break
        writer.write(f"{count}:{text.upper()}\n".encode())
        await writer.drain()
    writer.write(b"done\n")
    await writer.drain()
    writer.close()
    await writer.wait_closed()


async def main():
    server = await asyncio.start_server(handle, "127.0.0.1", 0)
    port = server.sockets[0].getsockname()[1]
    reader, writer = await asyncio.open_connection("127.0.0.1", port)
    for word in ["alpha", "beta", "gamma", "quit", "never"]:
        writer.write(word.encode() + b"\n")
    await writer.drain()
    replies = []
    while (reply := await reader.readline()) and reply != b"done\n":
        replies.append(reply.decode().strip())
    print(replies, reply)
    writer.close()
    await writer.wait_closed()
    server.close()
    await server.wait_closed()

    queue = asyncio.Queue()
    for n in [3, 0, 8, 5]:
        queue.put_nowait(n)
    while not queue.empty() and (item := await queue.get()) != 5:
        print("item", item)
    print("stopped at", item)

    # In a comprehension the target binds in the function: the last value seen.
    values = [y for x in range(6) if (y := x * x) % 2]
    print(values, y)
    lengths = {w: n for w in ["a", "bbb", "cc"] if (n := len(w)) > 1}
    print(lengths, n)
    print(any((hit := v) > 10 for v in [4, 12, 30]), hit)
    results = await asyncio.gather(*(asyncio.sleep(0, r) for r in [1, 2]))
    if (total := sum(results)) > 2:
        print("total", total)
    print(max(k := 4, 2), k)

    def counter():
        seen = []
        [seen.append(last) for i in range(3) if (last := i)]
        return seen, last
    print(counter())


asyncio.run(main())
