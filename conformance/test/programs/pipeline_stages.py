import asyncio


async def produce(out_q, items):
    for item in items:
        await out_q.put(item)
    await out_q.put(None)


async def transform(in_q, out_q, fn, label):
    count = 0
    while True:
        item = await in_q.get()
        if item is None:
            break
        await out_q.put(fn(item))
        count += 1
    await out_q.put(None)
    print(f"{label}: processed {count} items")


async def collect(in_q):
    out = []
    while True:
        item = await in_q.get()
        if item is None:
            return out
        out.append(item)


async def main():
    q1, q2, q3 = asyncio.Queue(), asyncio.Queue(maxsize=2), asyncio.Queue()
    words = "the quick brown fox jumps over the lazy dog".split()
    _, _, _, result = await asyncio.gather(
        produce(q1, words),
        transform(q1, q2, str.upper, "upper"),
        transform(q2, q3, lambda w: w[::-1], "reverse"),
        collect(q3),
    )
    print(result)
    print(" ".join(result).title())
    counts = {}
    for w in words:
        counts[w] = counts.get(w, 0) + 1
    print(sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))[:3])


asyncio.run(main())
