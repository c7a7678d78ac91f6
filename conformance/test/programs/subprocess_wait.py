import asyncio

DEVNULL = asyncio.subprocess.DEVNULL


class Exited(asyncio.SubprocessProtocol):
    def __init__(self, done):
        self.done = done

    def connection_made(self, transport):
        print("protocol: connection made", type(transport).__name__, transport.get_returncode())

    def process_exited(self):
        print("protocol: process exited")

    def connection_lost(self, exc):
        print("protocol: connection lost", exc)
        self.done.set_result(None)


async def main():
    p = await asyncio.create_subprocess_exec("true")
    print(type(p).__name__, p.returncode, await p.wait(), p.returncode)
    p = await asyncio.create_subprocess_shell("exit 3")
    print("shell:", await p.wait())
    p = await asyncio.create_subprocess_exec("sleep", "5")
    p.kill()
    print("killed:", await p.wait())
    p = await asyncio.create_subprocess_exec("sleep", "5")
    p.terminate()
    print("terminated:", await p.wait())
    try:
        await asyncio.create_subprocess_exec("/nonexistent/prog")
    except FileNotFoundError as e:
        print(type(e).__name__, e)
    p = await asyncio.create_subprocess_exec("true", stdin=DEVNULL, stdout=DEVNULL, stderr=DEVNULL)
    print(p.stdin, p.stdout, p.stderr, await p.communicate())
    print(asyncio.subprocess.PIPE, asyncio.subprocess.STDOUT, DEVNULL)

    loop = asyncio.get_running_loop()
    done = loop.create_future()
    transport, protocol = await loop.subprocess_exec(lambda: Exited(done), "true", stdin=None, stdout=None, stderr=None)
    print("subprocess_exec:", type(protocol).__name__, transport.get_pid() > 0)
    await done
    print("returncode:", transport.get_returncode())
    transport.close()


asyncio.run(main())
