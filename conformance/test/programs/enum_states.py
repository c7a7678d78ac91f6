# A connection's states as an Enum, message priorities as an IntEnum, permissions as a Flag: the
# enum module the way asyncio programs use it.
import asyncio
from enum import Enum, IntEnum, StrEnum, Flag, IntFlag, auto, unique


class State(Enum):
    IDLE = auto()
    CONNECTING = auto()
    OPEN = auto()
    CLOSED = auto()

    @property
    def active(self):
        return self in (State.CONNECTING, State.OPEN)

    def describe(self):
        return f"{self.name.lower()} ({self.value})"


class Priority(IntEnum):
    LOW = 1
    NORMAL = 5
    HIGH = 10


class Kind(StrEnum):
    PING = auto()
    DATA = "data"


class Color(str, Enum):
    RED = "red"
    GREEN = "green"
    CRIMSON = "red"


class Perm(Flag):
    R = 4
    W = 2
    X = 1


class Mode(IntFlag):
    READ = 1
    WRITE = 2


class Code(Enum):
    OK = 200
    NOT_FOUND = 404

    @classmethod
    def _missing_(cls, value):
        if isinstance(value, str) and value.isdigit():
            return cls(int(value))
        return None


class Connection:
    def __init__(self, name):
        self.name = name
        self.state = State.IDLE
        self.history = [self.state]

    def move(self, state):
        self.state = state
        self.history.append(state)

    async def run(self):
        self.move(State.CONNECTING)
        await asyncio.sleep(0.1)
        self.move(State.OPEN)
        await asyncio.sleep(0.1)
        self.move(State.CLOSED)


async def main():
    conns = [Connection("a"), Connection("b")]
    await asyncio.gather(*(c.run() for c in conns))
    for c in conns:
        print(c.name, [s.name for s in c.history], c.state is State.CLOSED)
    print(State.OPEN, repr(State.OPEN), State.OPEN.active, State.IDLE.active, State.OPEN.describe())
    print(list(State), len(State), State(2), State["OPEN"], State.OPEN in State)
    print(list(State.__members__), type(State), repr(State))
    print(isinstance(State.OPEN, State), State.OPEN == State.OPEN, State.OPEN != State.IDLE, State.OPEN == 3)
    counts = {State.OPEN: 2, State.IDLE: 1}
    print(counts, {State.OPEN, State.OPEN, State.IDLE} == {State.IDLE, State.OPEN}, f"{State.OPEN}", f"{State.OPEN:>16}|")

    queue = asyncio.PriorityQueue()
    for prio, msg in [(Priority.LOW, "log"), (Priority.HIGH, "alarm"), (Priority.NORMAL, "data")]:
        await queue.put((prio, msg))
    while not queue.empty():
        prio, msg = await queue.get()
        print(prio, repr(prio), prio.name, msg, prio > Priority.LOW, prio + 1, int(prio), f"{prio:03d}")
    print(Priority(5), Priority.HIGH == 10, sorted([Priority.HIGH, Priority.LOW]), isinstance(Priority.LOW, int), ["a", "b"][Priority.LOW])
    print(hash(Priority.NORMAL) == hash(5), {5: "five"}[Priority.NORMAL], max(Priority), Priority.HIGH * 2)

    print(Kind.PING, repr(Kind.PING), Kind.DATA.upper(), Kind.PING == "ping", f"<{Kind.DATA}>", len(Kind.DATA))
    print(Color.RED, repr(Color.CRIMSON), Color.RED == "red", Color("green"), list(Color), Color.RED.value.upper())

    rw = Perm.R | Perm.W
    print(repr(rw), rw, Perm.R in rw, Perm.X in rw, list(rw), len(rw), bool(Perm(0)), repr(Perm(0)), repr(~Perm.R))
    print(repr(Perm(6)), Perm(6) is rw, repr(rw & Perm.W), repr(rw ^ Perm.R))
    both = Mode.READ | Mode.WRITE
    print(repr(both), both, both == 3, repr(Mode.READ | 8), Mode.WRITE & 2)

    print(Code(404), Code("200"), repr(Code(200)))
    for bad in (3, "x"):
        try:
            State(bad)
        except ValueError as e:
            print("ValueError:", e)
    try:
        Code("999")
    except ValueError as e:
        print("ValueError:", e)
    try:
        State["NOPE"]
    except KeyError as e:
        print("KeyError:", e)
    try:
        State.OPEN = 5
    except AttributeError as e:
        print("AttributeError:", e)
    try:
        class More(State):
            EXTRA = 9
    except TypeError as e:
        print("TypeError:", e)
    try:
        @unique
        class Dup(Enum):
            A = 1
            B = 1
    except ValueError as e:
        print("ValueError:", e)
    try:
        Perm(8)
    except ValueError as e:
        print("ValueError:", repr(e))


asyncio.run(main())
