# ExceptionGroup.split(), subgroup() and derive(): by a type, a tuple of types or a predicate, on nested groups from TaskGroups; the parts keep the message, the nesting, __cause__/__context__ and __notes__; add_note and notes on an uncaught exception.
import asyncio


class RetryableError(Exception):
    pass


class TaggedGroup(ExceptionGroup):
    def derive(self, excs):
        return TaggedGroup(self.message + " [part]", excs)


async def fetch(name, delay, exc=None):
    await asyncio.sleep(delay)
    if exc is not None:
        raise exc
    return name


async def batch(label, jobs):
    async with asyncio.TaskGroup() as tg:
        for name, delay, exc in jobs:
            tg.create_task(fetch(name, delay, exc))


async def main():
    try:
        async with asyncio.TaskGroup() as tg:
            tg.create_task(batch("a", [("a1", 0.01, ValueError("bad a1")), ("a2", 0.01, KeyError("a2"))]))
            tg.create_task(batch("b", [("b1", 0.01, RetryableError("b1 timed out")), ("b2", 0.01, None)]))
            tg.create_task(fetch("c", 0.5))
    except ExceptionGroup as eg:
        group = eg
    print(repr(group))

    retry, rest = group.split(RetryableError)
    print("retry:", repr(retry))
    print("rest:", repr(rest))
    print(group.split(Exception)[0] is group, group.split(Exception)[1])
    print(repr(group.split((KeyError, ValueError))))
    print(repr(group.split(lambda e: "a1" in str(e))))
    print(repr(group.split(lambda e: isinstance(e, ExceptionGroup) and len(e.exceptions) == 2)))
    print(repr(group.subgroup(KeyError)), group.subgroup(OSError))
    print(str(group.subgroup(ValueError)))

    leaves = []

    def collect(e):
        if not isinstance(e, ExceptionGroup):
            leaves.append(e)
        return False

    print(group.subgroup(collect), sorted(type(e).__name__ for e in leaves))

    first = group.exceptions[0]
    part = group.subgroup(ValueError).exceptions[0]
    print(part is first, part.exceptions[0] is first.exceptions[0])

    cause = RuntimeError("upstream")
    eg = ExceptionGroup("wrapped", [ValueError(1), TypeError(2)])
    eg.__cause__ = cause
    eg.add_note("while syncing")
    eg.add_note("attempt 3")
    m, r = eg.split(TypeError)
    print(repr(m), m.__cause__ is cause, m.__suppress_context__, m.__notes__, m.__notes__ is eg.__notes__)
    ctx = ExceptionGroup("ctx", [ValueError(1), TypeError(2)])
    ctx.__context__ = KeyError("k")
    m, r = ctx.split(ValueError)
    print(repr(m.__context__), m.__suppress_context__, m.__cause__)
    print(repr(eg.derive([KeyError(3)])), hasattr(eg.derive([KeyError(3)]), "__notes__"))
    print(repr(BaseExceptionGroup("mixed", [KeyboardInterrupt(), ValueError(1)]).split(ValueError)))

    tagged = TaggedGroup("tagged", [ValueError(1), TypeError(2)])
    print(repr(tagged.split(ValueError)), type(tagged.subgroup(TypeError)).__name__)

    for bad in (1, (ValueError, 1), int, "ValueError"):
        try:
            group.split(bad)
        except TypeError as e:
            print(repr(bad), "->", e)
    try:
        group.split(ValueError, KeyError)
    except TypeError as e:
        print(e)
    try:
        eg.add_note(42)
    except TypeError as e:
        print(e)

    err = ValueError("final")
    err.add_note("see the log\nfor details")
    raise err


asyncio.run(main())
