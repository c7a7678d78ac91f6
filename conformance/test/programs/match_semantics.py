# The finer points of `match` as CPython 3.11 runs it: value patterns on dotted names, literal
# comparison (== for numbers and strings, `is` for None/True/False), what counts as a sequence or a
# mapping, captures kept after a failing guard, and the TypeErrors of class patterns.
import asyncio
import collections
import enum


class Color(enum.Enum):
    RED = 1
    GREEN = 2


class Config:
    LIMIT = 10


def kind(value):
    match value:
        case Color.RED:
            return "red"
        case Config.LIMIT:
            return "at limit"
        case True:
            return "True itself"
        case 1:
            return "one (== 1)"
        case "abc":
            return "the string abc"
        case [] | ():
            return "empty sequence"
        case [_, _]:
            return "pair"
        case {}:
            return "a mapping"
        case str() | bytes():
            return "text, not a sequence"
        case _:
            return f"other {type(value).__name__}"


class NoArgs:
    pass


class Wrong:
    __match_args__ = ("a", 1)
    a = 1


class Short:
    __match_args__ = ("a",)

    def __init__(self):
        self.a = 1


async def fetch(n):
    await asyncio.sleep(0.001 * n)
    return n, n * n


async def main():
    for v in [Color.RED, Color.GREEN, 10, 10.0, True, 1, 1.0, "abc", [], (), [1, 2], (3, 4),
              collections.deque([5, 6]), range(2), {}, {"k": 1}, collections.OrderedDict(a=1),
              collections.defaultdict(list), "ab", b"ab", None, 2.5]:
        print(repr(v), "->", kind(v))

    # A tuple subject, awaited; captures stay bound when the guard fails.
    match await fetch(3):
        case (n, square) if square > 100:
            print("big", n)
        case (n, square):
            print("small", n, square)
    match 5, "five":
        case (int() as number, str() as name):
            print(number, name)
    x = "before"
    match [7, 8]:
        case [x, y] if y > 100:
            print("unreachable")
        case _:
            print("guard failed; x is", x)

    # Mappings other than dicts: **rest is a dict of what the pattern left.
    match collections.ChainMap({"a": 1}, {"b": 2, "c": 3}):
        case {"b": b, **rest}:
            print("chainmap", b, rest)
    match collections.Counter("banana"):
        case {"a": count, "z": _}:
            print("unreachable")
        case {"a": count}:
            print("counter", count)

    # Nested class patterns and the self-matching builtins.
    match {"point": [1, 2.0], "tags": ("a", "b")}:
        case {"point": [int(px), float(py)], "tags": (*tags,)}:
            print(px, py, tags)
    match 3.5:
        case int():
            print("int")
        case float(v):
            print("float", v)

    for subject, pattern in [(NoArgs(), "NoArgs(1)"), (Wrong(), "Wrong(1, 2)"), (Short(), "Short(1, 2)"),
                             (1, "int(1, 2)"), (Short(), "Short(1, a=1)"), (1, "len()")]:
        try:
            if pattern == "NoArgs(1)":
                match subject:
                    case NoArgs(1):
                        pass
            elif pattern == "Wrong(1, 2)":
                match subject:
                    case Wrong(1, 2):
                        pass
            elif pattern == "Short(1, 2)":
                match subject:
                    case Short(1, 2):
                        pass
            elif pattern == "int(1, 2)":
                match subject:
                    case int(1, 2):
                        pass
            elif pattern == "Short(1, a=1)":
                match subject:
                    case Short(1, a=1):
                        pass
            else:
                match subject:
                    case len():
                        pass
        except TypeError as e:
            print(pattern, "TypeError:", e)

    # Duplicate keys that are names are caught when the pattern runs.
    try:
        match {"a": 1}:
            case {Color.RED.name: 1, Color.RED.name: 2}:
                pass
    except ValueError as e:
        print("ValueError:", e)


asyncio.run(main())
