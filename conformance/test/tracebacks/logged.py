# Tracebacks CPython's logging prints after a message: logger.exception, exc_info=, and the asyncio
# logger's "Task exception was never retrieved" and "Exception in callback".
import asyncio
import logging

logging.basicConfig(format="%(levelname)s:%(name)s:%(message)s")
log = logging.getLogger("app")


def parse(text):
    return int(text)


try:
    parse("seven")
except ValueError:
    log.exception("cannot parse")
    log.warning("again", exc_info=True)

log.error("no exception here", exc_info=True)


async def bad():
    raise ValueError("never seen")


async def main():
    t = asyncio.create_task(bad())
    await asyncio.sleep(0.1)
    del t
    loop = asyncio.get_running_loop()
    loop.call_soon(lambda: 1 / 0)
    await asyncio.sleep(0.1)


asyncio.run(main())
