def gen(n):
    for x in gen(n + 1):
        yield x
list(gen(0))
