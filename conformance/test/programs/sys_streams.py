# sys.stdout and sys.stderr as an asyncio program uses them: progress to a log object (print(file=...)
# calls its write()), results to stdout. (Free text on stderr is not part of the normalised output.)
import asyncio
import sys


class Collector:
    def __init__(self):
        self.parts = []

    def write(self, text):
        self.parts.append(text)


async def worker(name, delay, log):
    print(f"{name}: start", file=log)
    await asyncio.sleep(delay)
    print(f"{name}: done", file=log)
    return name.upper()


async def main():
    log = Collector()
    results = await asyncio.gather(worker("a", 0.2, log), worker("b", 0.1, log))
    print(results)
    print(log.parts)
    print("x", "y", sep="-", end="!\n", file=None)
    n = sys.stdout.write("héllo\n")
    print("wrote", n, "characters")
    print(sys.stderr, sys.stderr.name, sys.stderr.encoding, sys.stdout.flush())
    for bad in (lambda: sys.stderr.write(b"raw"), lambda: sys.stderr.write(),
                lambda: print("x", file=3), lambda: print("x", sep=1)):
        try:
            bad()
        except (TypeError, AttributeError) as e:
            print(type(e).__name__, e)
    print(sys.platform, sys.byteorder, sys.maxsize, len(sys.argv), sys.argv[0].endswith("sys_streams.py"))
    print(sys)


asyncio.run(main())
