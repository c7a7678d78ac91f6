# selectors on sockets, and an event loop policy of the program's own.
import asyncio
import selectors
import socket

s = selectors.DefaultSelector()
print(s, selectors.DefaultSelector is selectors.EpollSelector, selectors.EVENT_READ, selectors.EVENT_WRITE)
a, b = socket.socketpair()
k = s.register(a, selectors.EVENT_READ, "data")
print(k)
for bad in (lambda: s.register(a, selectors.EVENT_READ), lambda: s.register(b, 0), lambda: s.get_key(b)):
    try:
        bad()
    except (KeyError, ValueError) as e:
        print(type(e).__name__, e)
print(s.select(0))
b.send(b"x")
print(s.select(0), s.get_key(a).data, len(s.get_map()))
print(s.modify(a, selectors.EVENT_READ | selectors.EVENT_WRITE))
print(s.select(1))
print(s.unregister(a))
s.register(b, selectors.EVENT_READ)
print(s.select(timeout=0.5))
a.send(b"y")
print([(key.fd == b.fileno(), ev) for key, ev in s.select()])
s.close()
print(s.get_map())


class MyPolicy(asyncio.DefaultEventLoopPolicy):
    def new_event_loop(self):
        print("policy: new loop")
        return asyncio.SelectorEventLoop(selectors.SelectSelector())


async def main():
    return type(asyncio.get_running_loop()).__name__


print(isinstance(asyncio.get_event_loop_policy(), asyncio.AbstractEventLoopPolicy))
asyncio.set_event_loop_policy(MyPolicy())
print(type(asyncio.get_event_loop_policy()).__name__)
print(asyncio.run(main()))
loop = asyncio.new_event_loop()
print(loop.is_closed(), isinstance(loop, asyncio.SelectorEventLoop))
loop.close()
asyncio.set_event_loop_policy(None)
print(asyncio.run(main()))
try:
    asyncio.set_event_loop_policy(1)
except TypeError as e:
    print(e)
