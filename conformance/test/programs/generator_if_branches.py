# `if` statements in a generator's loops whose taken branch is one statement (run without a frame of
# its own): yield, `x = yield`, break, continue, return and raise in branches, elif chains, nesting.
def pick(xs):
    for x in xs:
        if x < 0:
            continue
        elif x == 99:
            break
        elif x % 2:
            got = yield x
            if got is not None:
                yield ("got", got)
        else:
            if x > 10:
                return ("big", x)
            if x == 4:
                raise ValueError(x)
    return "end"


def run(xs, sends=()):
    g = pick(xs)
    out = []
    sends = list(sends)
    try:
        v = next(g)
        while True:
            out.append(v)
            v = g.send(sends.pop(0) if sends else None)
    except StopIteration as e:
        out.append(("returned", e.value))
    except ValueError as e:
        out.append(("raised", e.args))
    print(out)


run([1, -3, 3, 5, 99, 7])
run([1, 3, 12, 5])
run([1, 2, 4, 5])
run([1, 3, 5], sends=["a", None, "b"])
run([])
