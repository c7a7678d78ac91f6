# A class pattern's TypeError is reported at the pattern that raised it, inside the match statement.
import asyncio


class Reply:
    __match_args__ = ["status"]

    def __init__(self, status):
        self.status = status


async def handle(reply):
    match reply:
        case {"status": status}:
            return status
        case Reply(200):
            return "ok"


asyncio.run(handle(Reply(200)))
