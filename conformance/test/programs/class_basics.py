# Classes: instances, attributes, methods, class attributes, reprs and the data model.
class Point:
    """A 2-D point."""
    dims = 2

    def __init__(self, x, y):
        self.x = x
        self.y = y

    def __repr__(self):
        return f"Point({self.x!r}, {self.y!r})"

    def __eq__(self, other):
        if not isinstance(other, Point):
            return NotImplemented
        return (self.x, self.y) == (other.x, other.y)

    def __hash__(self):
        return hash((self.x, self.y))

    def __add__(self, other):
        return Point(self.x + other.x, self.y + other.y)

    def __mul__(self, k):
        return Point(self.x * k, self.y * k)

    __rmul__ = __mul__

    def __neg__(self):
        return Point(-self.x, -self.y)

    def __lt__(self, other):
        return (self.x, self.y) < (other.x, other.y)

    def norm2(self):
        return self.x * self.x + self.y * self.y


p = Point(1, 2)
q = Point(3, 4)
print(p, q, p + q, p * 3, 2 * q, -p)
print(p == Point(1, 2), p != q, p == 5, Point.dims, p.dims, Point.__doc__)
print(sorted([q, p, Point(0, 9)]), max(p, q), p < q, q > p)
print({p: "a", Point(1, 2): "b"}, len({p, Point(1, 2), q}))
print(p.norm2(), Point.norm2(q), type(p).__name__, type(p), isinstance(p, Point))
print(p.__dict__, Point.__name__, Point.__qualname__, Point.__module__)
p.z = 10
print(p.__dict__, getattr(p, "z"), hasattr(p, "w"), getattr(p, "w", None))
del p.z
try:
    p.z
except AttributeError as e:
    print("AttributeError:", e)
try:
    Point.nothing
except AttributeError as e:
    print("AttributeError:", e)


class Plain:
    pass


o = Plain()
print(str(o).startswith("<__main__.Plain object at 0x"), repr(Plain), bool(o))
try:
    Plain(1)
except TypeError as e:
    print("TypeError:", e)
try:
    o + 1
except TypeError as e:
    print("TypeError:", e)
try:
    o < o
except TypeError as e:
    print("TypeError:", e)
try:
    hash(Point)
    {Point(0, 0)}
    print("hashable")
except TypeError as e:
    print("TypeError:", e)


class NoHash:
    def __eq__(self, other):
        return True


try:
    hash(NoHash())
except TypeError as e:
    print("TypeError:", e)


class Bag:
    def __init__(self, *items):
        self.items = list(items)

    def __len__(self):
        return len(self.items)

    def __iter__(self):
        return iter(self.items)

    def __contains__(self, x):
        return x in self.items

    def __getitem__(self, i):
        return self.items[i]

    def __setitem__(self, i, v):
        self.items[i] = v

    def __delitem__(self, i):
        del self.items[i]

    def __bool__(self):
        return bool(self.items)

    def __call__(self, x):
        return x * len(self)

    def __str__(self):
        return "Bag of " + ", ".join(str(i) for i in self.items)

    def __iadd__(self, x):
        self.items.append(x)
        return self


b = Bag(1, 2, 3)
print(len(b), list(b), 2 in b, 7 in b, b[0], b[1:], b(10), str(b), repr(b)[:14])
b[0] = 100
del b[1]
b += 4
print(b.items, bool(b), bool(Bag()), [x * 2 for x in b], sum(b), f"{b}", "%s" % b)
if Bag():
    print("never")
else:
    print("empty bag is false")


class Countdown:
    def __init__(self, n):
        self.n = n

    def __iter__(self):
        return self

    def __next__(self):
        if self.n <= 0:
            raise StopIteration
        self.n -= 1
        return self.n


print(list(Countdown(3)), next(Countdown(5)), sorted(Countdown(4)))
for i in Countdown(2):
    print("tick", i)
