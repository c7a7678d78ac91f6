# Generator-heavy (aiospec bench): a pipeline of generator functions, generator expressions,
# yield from and send.
def numbers(n):
    i = 0
    while i < n:
        yield i
        i += 1


def evens(xs):
    for x in xs:
        if x % 2 == 0:
            yield x


def chained(n):
    yield from numbers(n)
    yield from numbers(n)


def accumulator():
    total = 0
    while True:
        x = yield total
        total += x


acc = accumulator()
next(acc)
for x in evens(chained(20000)):
    acc.send(x)
print(acc.send(0), sum(x * x for x in numbers(20000)), max(y for y in evens(numbers(20000))))
