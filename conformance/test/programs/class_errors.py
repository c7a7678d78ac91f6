# What classes refuse, with CPython's messages.
class C:
    pass


class D:
    def __init__(self):
        super().__init__(1)


class E:
    def __iter__(self):
        return 5


c = C()
attempts = [
    lambda: c.z,
    lambda: D(),
    lambda: next(c),
    lambda: iter(E()),
    lambda: 1 + c,
    lambda: "a" + c,
    lambda: len(c),
    lambda: c(),
    lambda: c[0],
    lambda: 1 in c,
    lambda: -c,
    lambda: f"{c:>10}",
]
for attempt in attempts:
    try:
        attempt()
    except (TypeError, AttributeError) as e:
        print(type(e).__name__ + ":", e)
try:
    del c.z
except AttributeError as e:
    print("AttributeError:", e)
try:
    c += 1
except TypeError as e:
    print("TypeError:", e)
print(c.__class__, C.__name__, type(C), isinstance(C, type), callable(C), callable(c))
