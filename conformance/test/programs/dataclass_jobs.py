# Job records as dataclasses flowing through an asyncio.Queue: generated __init__/__repr__/__eq__,
# ordering for a PriorityQueue, frozen results, field() options, __post_init__, asdict and replace.
import asyncio
from dataclasses import dataclass, field, fields, asdict, astuple, replace, is_dataclass, FrozenInstanceError, InitVar, KW_ONLY
from typing import ClassVar, List, Optional


@dataclass
class Job:
    id: int
    name: str = "job"
    tags: List[str] = field(default_factory=list)
    attempts: int = field(default=0, repr=False, compare=False)


@dataclass(order=True)
class Prioritized:
    priority: int
    job: Job = field(compare=False)


@dataclass(frozen=True)
class Result:
    job_id: int
    ok: bool
    detail: Optional[str] = None


@dataclass
class Timed(Job):
    timeout: float = 1.0
    total: ClassVar[int] = 0
    scale: InitVar[float] = 1.0

    def __post_init__(self, scale):
        self.timeout *= scale
        Timed.total += 1


@dataclass
class Config:
    host: str
    _: KW_ONLY
    port: int = 8080
    debug: bool = False


@dataclass
class Node:
    name: str
    children: list = field(default_factory=list)
    parent: Optional["Node"] = None


async def worker(name, queue, results):
    while True:
        item = await queue.get()
        job = item.job
        job.attempts += 1
        await asyncio.sleep(0.01 * item.priority)
        results.append(Result(job.id, job.id % 2 == 0, f"{name} ran {job.name}"))
        queue.task_done()


async def main():
    queue = asyncio.PriorityQueue()
    jobs = [Job(1, "fetch", ["net"]), Job(2, "parse"), Job(3)]
    for prio, job in zip([3, 1, 2], jobs):
        await queue.put(Prioritized(prio, job))
    results = []
    workers = [asyncio.create_task(worker(f"w{i}", queue, results)) for i in range(2)]
    await queue.join()
    for w in workers:
        w.cancel()
    await asyncio.gather(*workers, return_exceptions=True)
    for r in results:
        print(r)
    print(jobs)
    print(Job(1) == Job(1), Job(1) == Job(2), Job(1, attempts=5) == Job(1), Job(1) == (1,), Prioritized(1, Job(9)) < Prioritized(2, Job(0)))
    print(sorted([Prioritized(2, Job(1)), Prioritized(1, Job(2))]))
    r = results[0]
    try:
        r.ok = False
    except FrozenInstanceError as e:
        print("FrozenInstanceError:", e, isinstance(e, AttributeError))
    print(hash(r) == hash(Result(r.job_id, r.ok, r.detail)), {r: 1}[Result(r.job_id, r.ok, r.detail)], Job.__hash__)
    print(asdict(jobs[0]), astuple(jobs[0]), replace(jobs[0], name="again"), jobs[0].name)
    print([f.name for f in fields(Job)], fields(Result)[2].default, is_dataclass(Job), is_dataclass(jobs[0]), is_dataclass(1))
    t = Timed(7, timeout=2.0, scale=3.0)
    print(t, Timed.total, [f.name for f in fields(t)], Timed.__match_args__)
    print(Config("localhost"), Config("h", port=1, debug=True), Job.__doc__, Config.__doc__)
    root = Node("root")
    child = Node("child", parent=root)
    root.children.append(child)
    print(root)
    print(asdict(Prioritized(1, Job(4, "nested"))))
    for make in (lambda: Job(), lambda: Job(1, "a", [], 0, 9), lambda: Job(1, nope=2), lambda: Job(1, id=1), lambda: Config(), lambda: Config("h", 1)):
        try:
            make()
        except TypeError as e:
            print("TypeError:", e)
    try:
        @dataclass
        class Bad:
            a: int = 1
            b: int
    except TypeError as e:
        print("TypeError:", e)
    try:
        @dataclass
        class Mutable:
            items: list = []
    except ValueError as e:
        print("ValueError:", e)
    try:
        fields(3)
    except TypeError as e:
        print("TypeError:", e)
    try:
        replace(jobs[0], zzz=1)
    except TypeError as e:
        print("TypeError:", e)


asyncio.run(main())
