# random: seeded sequences are CPython's (the Mersenne Twister, seeding from ints and strings, and
# every drawing method), for many seeds.
import asyncio
import random

random.seed(42)
print(random.random(), random.random())
print(random.randint(1, 10), random.randrange(100), random.randrange(5, 50, 5), random.randrange(10, 0, -3))
print(random.choice("abcdef"), random.choice([10, 20, 30]), random.choice(range(1000)))
items = list(range(10))
random.shuffle(items)
print(items)
print(random.sample(range(100), 5), random.sample("abcdefgh", 3), random.sample(range(10**6), 3))
print(random.sample(["red", "blue"], counts=[4, 2], k=5))
print(random.choices("abc", k=5), random.choices(["x", "y"], weights=[1, 9], k=6), random.choices("ab", cum_weights=[1, 2], k=3))
print(random.uniform(1, 2), random.gauss(), random.gauss(10, 2), random.gauss(0, 1))
print(random.triangular(), random.triangular(0, 10, 2), random.expovariate(1.5), random.getrandbits(8), random.getrandbits(40))

for seed in [0, 1, -1, 7, 123456789, 2**32, 2**32 + 1, 9223372036854775807, -9223372036854775807 - 1, True, 3.5, -0.25, "", "hello", "héllo wörld",
             "a much longer seed string that spans several blocks of the hash input " * 3]:
    random.seed(seed)
    print(repr(seed)[:20], random.random(), random.randrange(1000000), random.getrandbits(32))

r1, r2 = random.Random(99), random.Random(99)
print(r1.random() == r2.random(), r1.randint(0, 9), type(r1), isinstance(r1, random.Random))
r1.seed("again")
print(r1.random())

total = 0
for s in range(300):
    rng = random.Random(s)
    total += rng.randrange(1 << 30) + int(rng.random() * 1000) + rng.randint(-5, 5)
print(total)

for bad in [lambda: random.randrange(0), lambda: random.randrange(5, 5), lambda: random.randrange(0, 10, 0),
            lambda: random.sample(range(3), 4), lambda: random.choice([]), lambda: random.sample({1, 2}, 1),
            lambda: random.choices("ab", [1, 2], cum_weights=[1, 2])]:
    try:
        bad()
    except (ValueError, IndexError, TypeError) as e:
        print(type(e).__name__, e)


async def worker(name, rng):
    await asyncio.sleep(rng.random())
    return name, round(rng.uniform(0, 1), 6)


async def main():
    rng = random.Random(2024)
    print(await asyncio.gather(*(worker(f"w{i}", rng) for i in range(3))))

asyncio.run(main())
