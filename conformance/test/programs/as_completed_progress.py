import asyncio
import time


async def download(name, size):
    await asyncio.sleep(size / 1000)
    return name, size


async def main():
    files = {"report.pdf": 80, "photo.jpg": 30, "video.mp4": 170, "notes.txt": 5}
    start = time.perf_counter()
    coros = [download(n, s) for n, s in files.items()]
    total = len(coros)
    done = 0
    downloaded = 0
    for fut in asyncio.as_completed(coros):
        name, size = await fut
        done += 1
        downloaded += size
        pct = done / total
        print(f"[{done}/{total}] {name:<12} {size:>4} KB  {pct:6.1%}")
    elapsed = time.perf_counter() - start
    print(f"Downloaded {downloaded} KB in {elapsed:.1f}s")

    try:
        for fut in asyncio.as_completed([download("slow", 500)], timeout=0.05):
            await fut
    except asyncio.TimeoutError:
        print("as_completed timed out")


asyncio.run(main())
