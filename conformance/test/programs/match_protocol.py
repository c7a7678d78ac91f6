# A line protocol whose server dispatches on the shape of each decoded message with `match`:
# mapping patterns with **rest, class patterns (positional through __match_args__, keywords,
# builtins matching themselves), sequences with a star, OR and AS patterns, guards that await.
import asyncio
import json
from dataclasses import dataclass


@dataclass
class Move:
    x: int
    y: int


class Command:
    __match_args__ = ("verb", "args")

    def __init__(self, verb, *args):
        self.verb = verb
        self.args = list(args)

    def __repr__(self):
        return f"Command({self.verb!r}, {self.args!r})"


class Server:
    def __init__(self):
        self.users = {"alice"}
        self.log = []

    async def allowed(self, user):
        await asyncio.sleep(0)
        return user in self.users

    async def handle(self, msg):
        match msg:
            case {"op": "login", "user": str(user)} if await self.allowed(user):
                return f"welcome {user}"
            case {"op": "login", "user": user}:
                return f"denied {user!r}"
            case {"op": "say", "text": str() as text, **extra}:
                await asyncio.sleep(0.01)
                return f"said {text!r} with {extra}"
            case {"op": "batch", "items": [first, *rest]}:
                replies = [await self.handle(first)]
                for item in rest:
                    replies.append(await self.handle(item))
                return replies
            case {"op": "batch", "items": []}:
                return "empty batch"
            case Move(0, 0):
                return "stay"
            case Move(x=0) | Move(y=0) as m:
                return f"axis move {m}"
            case Move(x, y) if x == y:
                return f"diagonal {x}"
            case Command("quit"):
                return "bye"
            case Command(verb, [int(n), *_]) if n > 0:
                return f"{verb} x{n}"
            case Command(verb, args):
                return f"{verb} with {args}"
            case [("ping" | "PING") as word, int(seq)]:
                return f"pong {seq} ({word})"
            case (1 | 2 | 3) as small:
                return f"small {small}"
            case int(n) | float(n) if n < 0:
                return f"negative {n}"
            case None:
                return "nothing"
            case _:
                return f"unknown {msg!r}"


async def client(server, messages):
    for raw in messages:
        msg = json.loads(raw) if isinstance(raw, str) else raw
        reply = await server.handle(msg)
        print(f"{msg!r:55} -> {reply}")


async def main():
    server = Server()
    await client(server, [
        '{"op": "login", "user": "alice"}',
        '{"op": "login", "user": "mallory"}',
        '{"op": "login", "user": 7}',
        '{"op": "say", "text": "hi", "to": "bob", "ttl": 3}',
        '{"op": "batch", "items": [{"op": "login", "user": "alice"}, ["ping", 4], 2]}',
        '{"op": "batch", "items": []}',
        '["PING", 9]',
        '["ping", "x"]',
        Move(0, 0), Move(0, 5), Move(3, 0), Move(4, 4), Move(1, 2),
        Command("quit"), Command("jump", 3, 4), Command("jump", -1), Command("look"),
        2, 5, -3, -2.5, None, '"text"',
    ])
    # `match` and `case` stay ordinary names.
    match = {"case": 1}
    case = match["case"]
    print(match, case)


asyncio.run(main())
