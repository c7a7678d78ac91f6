# Tracebacks CPython's logging prints after a message: logger.exception, exc_info=, and the asyncio
# logger's "Exception in callback".
import asyncio
import logging

log = logging.getLogger("app")
log.addHandler(logging.StreamHandler())


def parse(text):
    return int(text)


try:
    parse("seven")
except ValueError:
    log.exception("cannot parse")
    log.warning("again", exc_info=True)

log.error("no exception here", exc_info=True)


async def main():
    loop = asyncio.get_running_loop()
    loop.call_soon(lambda: 1 / 0)
    await asyncio.sleep(0.1)


asyncio.run(main())
