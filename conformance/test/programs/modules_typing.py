# typing and collections.abc: names for annotations and aliases, isinstance/issubclass with the ABCs.
import asyncio
import collections.abc
from collections import Counter, OrderedDict, deque
from collections.abc import AsyncIterator, Awaitable, Callable, Coroutine, Hashable, Iterable, Iterator, Mapping, Sequence
from typing import Any, Dict, List, Optional, Tuple, TypeVar, Union, cast
import typing

T = TypeVar("T")
Json = Dict[str, Any]
Handler = typing.Callable[[int, str], typing.Awaitable[None]]
print(Json, Handler, Optional[int], Union[int, str], Union[int, None], Union[int, str, int], Union[int], List, List[T], T)
print(Tuple[int, ...], typing.Literal["a", 1], typing.Deque[int], Optional[List[int]], typing.Iterable[str], typing.Type[int])
print(Optional[int] == Union[int, None], List[int] == List[int], List[int] == List[str], cast(int, "x"), typing.TYPE_CHECKING)
print(isinstance([], List), isinstance({}, typing.Dict), isinstance((), typing.Iterable), isinstance(1, typing.Hashable))
try:
    isinstance([], List[int])
except TypeError as e:
    print(e)


def first(xs: List[T]) -> Optional[T]:
    return xs[0] if xs else None


async def fetch(n: int) -> Dict[str, Any]:
    await asyncio.sleep(0)
    return {"n": n}


class Box:
    def __init__(self, items):
        self.items = items

    def __iter__(self):
        return iter(self.items)

    def __len__(self):
        return len(self.items)


class Countdown:
    """An iterator by the protocol alone: __iter__ and __next__."""

    def __init__(self, n):
        self.left = list(range(n))

    def __iter__(self):
        return self

    def __next__(self):
        return self.left.pop()


class Ticker:
    def __aiter__(self):
        return self

    async def __anext__(self):
        raise StopAsyncIteration


class Key:
    def __eq__(self, other):
        return True


async def main():
    coro = fetch(1)
    values = [1, "s", [1], (1,), {1: 2}, {1}, range(3), deque(), Counter(), OrderedDict(), len, first, Box([1]),
              Countdown(2), Ticker(), Key(), coro, asyncio.get_running_loop().create_future(), None, 1.5]
    for abc in [Iterable, Iterator, Sequence, Mapping, Callable, Awaitable, Coroutine, AsyncIterator, Hashable,
                collections.abc.Sized, collections.abc.Container, collections.abc.Collection, collections.abc.MutableSequence,
                collections.abc.Set, collections.abc.Reversible]:
        print(abc.__name__, [type(v).__name__ for v in values if isinstance(v, abc)])
    print(await coro, first([3, 4]), first([]))
    print(issubclass(list, Sequence), issubclass(dict, Mapping), issubclass(Iterator, Iterable), issubclass(Box, Iterable),
          issubclass(Iterable, Iterator), issubclass(Countdown, Iterator), issubclass(int, Hashable), issubclass(Key, Hashable))
    print(collections.abc.Iterable, typing.Any, isinstance(iter([]), Iterator), isinstance(iter({}), Iterable))
    P = typing.NamedTuple("P", [("x", int), ("y", float)])
    print(P(1, 2.0), P._fields)

asyncio.run(main())
