import asyncio
import time

PRICES = {"apple": 1.25, "banana": 0.5, "cherry": 12.0, "durian": 7.333}


async def get_price(item):
    await asyncio.sleep(0.001 * len(item))
    return item, PRICES[item]


async def main():
    pairs = await asyncio.gather(*(get_price(i) for i in PRICES))
    total = 0.0
    print(f"{'Item':<10}|{'Price':>8}|{'Share':>7}")
    print("-" * 27)
    grand = sum(p for _, p in pairs)
    for name, price in sorted(pairs, key=lambda p: p[1], reverse=True):
        total += price
        print(f"{name:<10}|{price:>8.2f}|{price / grand:>7.1%}")
    print("=" * 27)
    print(f"{'Total':<10}|{total:>8.2f}|")
    print(f"{total=:.3f}")
    print("%s items, average %.2f" % (len(pairs), total / len(pairs)))
    print("{:,}".format(1234567), "{:08.3f}".format(3.14159), "{0}-{0}".format("x"))
    print(f"{255:#X} {42:#o} {42:b} {-7:+d} {1e-5} {1/3} {2**40}")
    print(f"{'centered':^20}|", f"{'*':*^9}")
    print(repr(1.0), 1e16, 0.1 + 0.2, round(2.675, 2), round(7.5), int("42") + 1)


asyncio.run(main())
