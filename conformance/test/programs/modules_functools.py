# functools: partial, reduce, wraps, lru_cache/cache, cached_property, total_ordering, cmp_to_key.
import asyncio
import functools
from functools import partial, reduce, wraps, lru_cache, cache, cached_property, total_ordering


def power(base, exp, *, mod=None):
    return base ** exp if mod is None else base ** exp % mod


square = partial(power, exp=2)
print(square(7), square(3, exp=3), square.func is power, square.args, square.keywords)
p = partial(power, 2)
print(repr(p).replace(hex(id(power)), "ADDR"))
pp = partial(p, 10, mod=1000)
print(pp(), pp.func is power, pp.args, pp.keywords)
print(type(p), isinstance(p, partial), callable(p))
try:
    partial(3)
except TypeError as e:
    print(e)

print(reduce(lambda a, b: a * b, range(1, 6)), reduce(lambda a, b: a + b, [], 10))
try:
    reduce(lambda a, b: a, [])
except TypeError as e:
    print(e)


def logged(fn):
    @wraps(fn)
    async def wrapper(*args, **kwargs):
        print("calling", fn.__name__, args)
        return await fn(*args, **kwargs)
    return wrapper


@logged
async def fetch(n):
    """Fetch n things."""
    await asyncio.sleep(0.01)
    return n * 2


print(fetch.__name__, fetch.__doc__, fetch.__wrapped__.__name__, fetch.__qualname__)


@lru_cache(maxsize=2)
def slow(n):
    print("computing", n)
    return n * n


for n in [1, 2, 1, 3, 2, 1]:
    slow(n)
print(slow.cache_info())
slow.cache_clear()
print(slow.cache_info(), slow.__name__, slow.cache_parameters())


@cache
def fib(n):
    return n if n < 2 else fib(n - 1) + fib(n - 2)


print(fib(60), fib.cache_info())


@lru_cache
def kw(a, b=1):
    return a + b


print(kw(1), kw(1, b=1), kw(a=1, b=1), kw(1), kw.cache_info())
info = kw.cache_info()
print(info.hits, info.misses, info[2], info._fields)


class Circle:
    def __init__(self, r):
        self.r = r

    @cached_property
    def area(self):
        print("computing area")
        return 3 * self.r * self.r

    @lru_cache(maxsize=None)
    def scaled(self, k):
        print("scaling", k)
        return self.r * k


c = Circle(2)
print(c.area, c.area, c.__dict__)
print(c.scaled(3), c.scaled(3), Circle.scaled.cache_info())


@total_ordering
class Version:
    def __init__(self, n):
        self.n = n

    def __eq__(self, other):
        return self.n == other.n

    def __lt__(self, other):
        return self.n < other.n

    def __repr__(self):
        return f"V{self.n}"


a, b = Version(1), Version(2)
print(a < b, a > b, a <= b, a >= b, b >= a, a <= Version(1), sorted([b, a, Version(0)]))
print(sorted([3, 1, 2], key=functools.cmp_to_key(lambda x, y: y - x)))
try:
    @total_ordering
    class Bad:
        pass
except ValueError as e:
    print(e)


async def main():
    print(await fetch(21))

asyncio.run(main())
