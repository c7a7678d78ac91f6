# gen.send(v) and gen.__next__() called directly (the evaluator's shortcut past the bound method):
# the values they return, what they raise, and the generator finalised on close().


def echo():
    received = []
    try:
        while True:
            x = yield len(received)
            received.append(x)
    finally:
        print("echo closed with", received)


def returns(v):
    yield 1
    return v


g = echo()
r = returns("done")
for step in (lambda: g.send(1), lambda: print(g.__next__(), g.send("a"), g.send("b"), g.__next__()),
             g.close, lambda: g.__next__(), lambda: r.__next__(), lambda: r.send(None)):
    try:
        step()
    except (TypeError, StopIteration) as e:
        print(type(e).__name__, repr(e), getattr(e, "value", "-"))
