# Generators, `yield from` and generator expressions: each frame the exception leaves.
def numbers():
    yield 1
    yield 2
    raise StopIteration_is_not_this("never")


def relay():
    yield from numbers()


def total():
    return sum(n * 10 for n in relay())


print(total())
