import asyncio

MAX_CONCURRENT = 2
running = 0
peak = 0


async def fetch(sem, url):
    global running, peak
    async with sem:
        running += 1
        peak = max(peak, running)
        print(f"start {url} (running={running})")
        await asyncio.sleep(0.05 * len(url))
        running -= 1
        print(f"done  {url}")
        return len(url)


async def main():
    sem = asyncio.Semaphore(MAX_CONCURRENT)
    urls = ["a.com", "bb.org", "ccc.net", "d.io", "eeeee.dev"]
    sizes = await asyncio.gather(*(fetch(sem, u) for u in urls))
    print(dict(zip(urls, sizes)))
    print("peak concurrency:", peak)
    print(sem.locked(), sem)


if __name__ == "__main__":
    asyncio.run(main())
