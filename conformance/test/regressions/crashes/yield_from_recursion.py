def gen():
    yield from gen()
next(gen())
