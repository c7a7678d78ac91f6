# What a server's and a connection's sockets say about themselves: family, type and protocol numbers.
import asyncio
async def main():
    srv = await asyncio.start_server(lambda r, w: None, "127.0.0.1", 0)
    s = srv.sockets[0]
    print(s.family, s.type, s.proto)
    _, w = await asyncio.open_connection("127.0.0.1", s.getsockname()[1])
    t = w.get_extra_info("socket")
    print(t.family, t.type, t.proto)
    w.close()
    srv.close()
asyncio.run(main())
