# collections.namedtuple: construction, fields, defaults, _replace/_asdict/_make, tuple behaviour.
from collections import namedtuple

Point = namedtuple("Point", "x y")
p = Point(1, y=2)
print(p, p.x, p.y, p[0], p[-1], len(p), tuple(p), list(p))
print(p == (1, 2), hash(p) == hash((1, 2)), isinstance(p, tuple), type(p), Point)
print(Point._fields, p._asdict(), p._replace(y=5), Point._make([3, 4]))
x, y = p
print(x + y, sum(p), p + (3,), p * 2, 1 in p, sorted([Point(2, 1), Point(1, 5)]))
Job = namedtuple("Job", ["name", "priority", "retries"], defaults=[0, 3])
print(Job("a"), Job("b", 1), Job._field_defaults, Job("c", retries=1))
R = namedtuple("R", "a, def, a, _b", rename=True)
print(R._fields, R(1, 2, 3, 4))
print({Point(1, 2): "p"}[(1, 2)], f"{p}", str(p), repr(p))
for args in [(), (1, 2, 3)]:
    try:
        Point(*args)
    except TypeError as e:
        print(e)
try:
    Point(1, 2, z=3)
except TypeError as e:
    print(e)
try:
    Point(1, x=2)
except TypeError as e:
    print(e)
try:
    p._replace(z=1)
except ValueError as e:
    print(e)
try:
    Point._make([1])
except TypeError as e:
    print(e)
for bad in ["1x y", "x class", "x _y", "x x"]:
    try:
        namedtuple("T", bad)
    except ValueError as e:
        print(e)
try:
    p.x = 3
except AttributeError as e:
    print(e)
