// The interpreter: values, control flow, exceptions, the asyncio bindings, and every spec example.
#include <gtest/gtest.h>
#include <rapidcheck/gtest.h>

#include <algorithm>
#include <chrono>
#include <cstdint>
#include <cstdlib>
#include <filesystem>
#include <string>
#include <vector>

#include "aiospec/interpreter.hpp"
#include "aiospec/judge.hpp"
#include "aiospec/spec.hpp"

namespace {

void expect_program(const char* filename, const std::string& src, const std::string& expected, int exit_status) {
  auto r = aiospec::run_program(src, filename);
  EXPECT_EQ(r.normalized(), expected);
  EXPECT_EQ(r.exit_status, exit_status);
}

// Expected output: CPython 3.11.7 through the capture harness.
TEST(Interpreter, ValuesPrintAndOperateAsCPython) {
  expect_program("values.py", R"py(print(None, True, False, 0, -7, 3.0, 0.1 + 0.2, 1e-05, 1e16, 1.5e300, float("inf"), -float("inf"), float("nan"))
print(2**62, -2**62 * 2, 7 // 2, -7 // 2, 7 % -3, -7 % 3, 7 / 2, 2 ** -1, 1 / 3, round(2.5), round(3.5), round(2.675, 2), round(-0.5), round(1234, -2))
print("str", 'it\'s', "q\"uote", repr("it's"), repr('a"b'), repr("tab\tnl\n"), "한국어", len("한국어"), "한국어"[1], "한국어"[::-1])
print([1, [2, 3]], (1,), (), (1, 2), {"a": 1, 2: [3]}, set(), {1}, {5, 3, 1, 9, 7}, frozenset({2, 1}), range(3), range(1, 10, 2))
print(list(range(5))[1:4], "abcdef"[::2], [1, 2, 3][-1], (4, 5, 6)[::-1], "hello"[1:-1])
print(f"{3.14159:.2f}|{42:>6}|{42:<6}|{42:^6}|{'x'!r}|{7:05d}|{1234567:,}|{0.25:.1%}|{255:x}|{255:#b}|{3.0}|{1e20}|{12.5:g}|{-3:+d}")
print("%s and %r and %5.2f and %-4d| and %x %%" % ("s", "r", 3.14159, 42, 255), "%(a)s" % {"a": 1})
print("{} {} {}".format(1, "two", 3.0), "{1} {0}".format("a", "b"), "{x:>4}".format(x=5), "{:.3}".format(2.0 / 3))
print(sorted([3, 1, 2]), sorted(["b", "A", "c"], key=str.lower), sorted([1, 2, 3], reverse=True), list(reversed([1, 2])), min(3, 1, 2), max([4, 9, 2]), sum([1, 2, 3]), sum([0.5, 0.25]), abs(-3), abs(-2.5))
print(list(enumerate("ab", 1)), list(zip([1, 2], "ab")), any([0, 1]), all([]), int("42"), int(" -7 "), int(3.9), float("1.5"), str(12), bool(""), bool([0]))
print(isinstance(True, int), isinstance(1, (str, float)), type(1).__name__, type("").__name__, type([]).__name__, type(None).__name__, type(1.0) is float)
d = {"b": 2, "a": 1}
d["c"] = 3
print(d, list(d), list(d.keys()), list(d.values()), list(d.items()), d.get("x", 0), d.pop("a"), d, "b" in d, len(d))
print(d.keys(), d.values(), d.items())
s = [5, 1, 4]
s.append(2); s.extend([9]); s.insert(0, 7); s.sort(); s.remove(4)
print(s, s.pop(), s.index(5), s.count(1), s)
print(" x ".strip(), "a,b,,c".split(","), "a b  c".split(), "-".join(["a", "b"]), "Hello".upper(), "Hello".lower(), "abc".startswith("ab"), "abc".endswith(("x", "c")), "aXbX".replace("X", "-"), "abcabc".find("c"), "abc".count("b"), "ab".zfill(5), "ab".center(6, "*"), "title case".title())
st = {3, 1}
st.add(2); st.discard(5)
print(st, st | {9}, st & {1, 2}, st - {1}, 2 in st, sorted(st))
x = iter([1, 2])
print(next(x), next(x), next(x, "done"))
print([i * i for i in range(5) if i % 2 == 0], {k: v for k, v in [("a", 1)]}, {c for c in "aab"} == {"a", "b"}, list(x + 1 for x in range(3)))
a, *b, c = [1, 2, 3, 4]
print(a, b, c, divmod(7, 2), hex(255), bin(5), chr(65), ord("A"), pow(2, 10), 10 ** 18)
)py",
                 R"out(None True False 0 -7 3.0 0.30000000000000004 1e-05 1e+16 1.5e+300 inf -inf nan
4611686018427387904 -9223372036854775808 3 -4 -2 2 3.5 0.5 0.3333333333333333 2 4 2.67 0 1200
str it's q"uote "it's" 'a"b' 'tab\tnl\n' 한국어 3 국 어국한
[1, [2, 3]] (1,) () (1, 2) {'a': 1, 2: [3]} set() {1} {1, 3, 5, 7, 9} frozenset({1, 2}) range(0, 3) range(1, 10, 2)
[1, 2, 3] ace 3 (6, 5, 4) ell
3.14|    42|42    |  42  |'x'|00007|1,234,567|25.0%|ff|0b11111111|3.0|1e+20|12.5|-3
s and 'r' and  3.14 and 42  | and ff % 1
1 two 3.0 b a    5 0.667
[1, 2, 3] ['A', 'b', 'c'] [3, 2, 1] [2, 1] 1 9 6 0.75 3 2.5
[(1, 'a'), (2, 'b')] [(1, 'a'), (2, 'b')] True True 42 -7 3 1.5 12 False True
True False int str list NoneType True
{'b': 2, 'c': 3} ['b', 'a', 'c'] ['b', 'a', 'c'] [2, 1, 3] [('b', 2), ('a', 1), ('c', 3)] 0 1 {'b': 2, 'c': 3} True 2
dict_keys(['b', 'c']) dict_values([2, 3]) dict_items([('b', 2), ('c', 3)])
[1, 2, 5, 7] 9 2 1 [1, 2, 5, 7]
x ['a', 'b', '', 'c'] ['a', 'b', 'c'] a-b HELLO hello True True a-b- 2 1 000ab **ab** Title Case
{1, 2, 3} {1, 2, 3, 9} {1, 2} {2, 3} True [1, 2, 3]
1 2 done
[0, 4, 16] {'a': 1} True [1, 2, 3]
1 [2, 3] 4 (3, 1) 0x... 0b101 A 65 1024 1000000000000000000
)out", 0);
}

// Expected output: CPython 3.11.7 through the capture harness.
TEST(Interpreter, ControlFlowClosuresAndExceptions) {
  expect_program("flow.py", R"py(counter = 0
def make_counter():
    n = 0
    def inc(step=1):
        nonlocal n
        n += step
        return n
    return inc
def bump():
    global counter
    counter += 1
c = make_counter()
c(); c(5)
bump(); bump()
print(c(), counter, (lambda x, y=2: x * y)(3), [f() for f in [lambda i=i: i for i in range(3)]])
def varargs(a, *rest, key="k", **kw):
    return a, rest, key, kw
print(varargs(1, 2, 3, key="x", z=1), varargs(*[1, 2], **{"key": "y"}))
for i in range(10):
    if i == 2:
        continue
    if i == 5:
        break
    print("i", i, end=" ")
else:
    print("no")
print()
n = 0
while n < 3:
    n += 1
else:
    print("while else", n)
x = 5 if n > 2 else 6
print(x, 1 < n <= 3, not n, n and "yes", 0 or "fallback", n is not None)
class AppError(Exception):
    pass
class CodeError(AppError):
    def __init__(self, code):
        super().__init__(f"code {code}")
        self.code = code
try:
    raise CodeError(7)
except AppError as e:
    print("caught", type(e).__name__, e, e.code, e.args, repr(e), isinstance(e, Exception))
try:
    try:
        {}["missing"]
    except KeyError as e:
        raise ValueError("wrapped") from e
except ValueError as e:
    print(repr(e), repr(e.__cause__), str(e.__cause__))
def f():
    try:
        return "try"
    finally:
        print("finally runs")
print(f())
try:
    1 / 0
except (TypeError, ZeroDivisionError) as e:
    print("multi", e)
else:
    print("no")
finally:
    print("fin")
eg = ExceptionGroup("many", [ValueError(1), TypeError(2)])
print(repr(eg), str(eg), eg.exceptions, isinstance(eg, Exception))
try:
    [1][3]
except IndexError as e:
    print(e)
try:
    undefined_name
except NameError as e:
    print(e)
try:
    int("x")
except ValueError as e:
    print(e)
try:
    "a" + 1
except TypeError as e:
    print(e)
print(str(KeyError("k")), repr(KeyError("k")), str(Exception()), str(Exception(1, 2)), repr(Exception(1, 2)))
raise RuntimeError("the end")
)py",
                 R"out(7 2 6 [0, 1, 2]
(1, (2, 3), 'x', {'z': 1}) (1, (2,), 'y', {})
i 0 i 1 i 3 i 4 
while else 3
5 True False yes fallback True
caught CodeError code 7 7 ('code 7',) CodeError('code 7') True
ValueError('wrapped') KeyError('missing') 'missing'
finally runs
try
multi division by zero
fin
ExceptionGroup('many', [ValueError(1), TypeError(2)]) many (2 sub-exceptions) (ValueError(1), TypeError(2)) True
list index out of range
name 'undefined_name' is not defined
invalid literal for int() with base 10: 'x'
can only concatenate str (not "int") to str
'k' KeyError('k')  (1, 2) Exception(1, 2)
[uncaught] RuntimeError: the end
)out", 1);
}

// Expected output: CPython 3.11.7 through the capture harness.
TEST(Interpreter, AsyncioBindings) {
  expect_program("aio.py", R"py(import asyncio
import time
from asyncio import sleep

async def work(name, delay, fail=False):
    await sleep(delay)
    if fail:
        raise ValueError(name)
    return name

async def main():
    loop = asyncio.get_running_loop()
    t0 = loop.time()
    start = time.monotonic()
    print(await asyncio.gather(work("a", 0.2), work("b", 0.1)))
    print(await asyncio.gather(work("x", 0.1, True), work("y", 0), return_exceptions=True))
    t = asyncio.create_task(work("t", 0.3), name="custom")
    print(t.get_name(), t.done(), asyncio.current_task().get_name(), len(asyncio.all_tasks()))
    done, pending = await asyncio.wait({t}, timeout=0.1)
    print(len(done), len(pending), t.done())
    print(await asyncio.wait_for(t, 1))
    try:
        await asyncio.wait_for(work("slow", 5), 0.1)
    except asyncio.TimeoutError as e:
        print("timeout", type(e).__name__)
    for coro in asyncio.as_completed([work("p", 0.2), work("q", 0.1)]):
        print("as_completed", await coro)
    s = asyncio.shield(work("s", 0.1))
    print(await s)
    fut = loop.create_future()
    loop.call_later(0.1, fut.set_result, 42)
    loop.call_soon(print, "soon", 1)
    h = loop.call_at(loop.time() + 10, print, "never")
    h.cancel()
    print(await fut, fut.result(), h.cancelled())
    fut2 = loop.create_future()
    fut2.cancel("why")
    try:
        await fut2
    except asyncio.CancelledError as e:
        print("cancelled", repr(e))
    victim = asyncio.create_task(work("v", 10))
    await asyncio.sleep(0)
    victim.cancel()
    try:
        await victim
    except asyncio.CancelledError:
        print("victim cancelled", victim.cancelled())
    lock = asyncio.Lock()
    async with lock:
        print("locked", lock.locked())
    ev = asyncio.Event()
    loop.call_later(0.1, ev.set)
    print("event", await ev.wait())
    q = asyncio.Queue()
    for i in range(3):
        q.put_nowait(i)
    print("queue", q.qsize(), await q.get(), q.get_nowait())
    sem = asyncio.Semaphore(2)
    async def limited(i):
        async with sem:
            await asyncio.sleep(0.1)
            return i
    print(await asyncio.gather(*[limited(i) for i in range(4)]))
    async with asyncio.TaskGroup() as tg:
        a = tg.create_task(work("tg1", 0.1))
        b = tg.create_task(work("tg2", 0.05))
    print(a.result(), b.result())
    try:
        async with asyncio.timeout(0.1):
            await asyncio.sleep(1)
    except TimeoutError:
        print("timeout block")
    print(f"elapsed {loop.time() - t0:.1f} {time.monotonic() - start:.1f}")
    print(asyncio.iscoroutinefunction(work), asyncio.iscoroutine(work), repr(fut)[:30])
    work("never", 0)
    print("after")

asyncio.run(main())
loop = asyncio.new_event_loop()
print(loop.run_until_complete(work("ruc", 0.5)), loop.is_closed())
loop.close()
with asyncio.Runner() as runner:
    print(runner.run(work("runner", 0)))
time.sleep(1)
print("done")
)py",
                 R"out(['a', 'b']
[ValueError('x'), 'y']
custom False Task-1 2
0 1 False
t
timeout TimeoutError
as_completed q
as_completed p
s
soon 1
42 42 True
cancelled CancelledError('why')
victim cancelled True
locked True
event True
queue 3 0 1
[0, 1, 2, 3]
tg1 tg2
timeout block
elapsed 1.6 1.6
True False <Future finished result=42>
[warning] RuntimeWarning: coroutine 'work' was never awaited
after
ruc False
runner
done
)out", 0);
}

// Expected output: CPython 3.11.7 through the capture harness.
TEST(Interpreter, WarningsAndLoopDiagnostics) {
  expect_program("diag.py", R"py(import asyncio

async def fail(msg):
    raise ValueError(msg)

async def forever():
    await asyncio.sleep(3600)

def boom():
    raise KeyError("cb")

async def main():
    loop = asyncio.get_running_loop()
    t = asyncio.create_task(fail("lost"))
    await asyncio.sleep(0)
    del t
    print("after lost")
    loop.call_soon(boom)
    await asyncio.sleep(0)
    fail("unawaited")
    print("after unawaited")
    c = fail("kept")
    print(type(c).__name__, c.__qualname__)
    await asyncio.sleep(0)
    del c
    asyncio.create_task(forever())
    print(repr(asyncio.sleep(0))[:25])

asyncio.run(main())
print("end of program")
)py",
                 R"out([asyncio] Task exception was never retrieved (ValueError('lost'))
after lost
[asyncio] Exception in callback boom() at diag.py:9 (KeyError('cb'))
[warning] RuntimeWarning: coroutine 'fail' was never awaited
after unawaited
coroutine fail
[warning] RuntimeWarning: coroutine 'fail' was never awaited
[warning] RuntimeWarning: coroutine 'sleep' was never awaited
<coroutine object sleep a
end of program
)out", 0);
}

// Free text on stderr is not in the normalised output, so the corpus cannot check it: the raw streams
// and the status, as `python3 prog.py` leaves them.
TEST(Interpreter, SysStderrAndExitStatus) {
  auto r = aiospec::run_program(
      "import sys\nprint('out')\nprint('err', 1, file=sys.stderr)\nsys.stderr.write('e2\\n')\nsys.exit(2)\n", "prog.py");
  EXPECT_EQ(r.stdout_text, "out\n");
  EXPECT_EQ(r.stderr_text, "err 1\ne2\n");
  EXPECT_EQ(r.exit_status, 2);
}

// The rest is aiospec's own behaviour (no CPython counterpart): budgets, deadlock, parse errors.

TEST(Interpreter, ParseErrorsNameTheLocation) {
  auto r = aiospec::run_program("x = (1,\n", "bad.py");
  EXPECT_TRUE(r.parse_error);
  EXPECT_EQ(r.exit_status, 1);  // python3 exits 1 on a SyntaxError
  EXPECT_EQ(r.stderr_text.rfind("bad.py:", 0), 0u) << r.stderr_text;
}

TEST(Interpreter, StepBudgetStopsRunawayLoops) {
  aiospec::ExecOptions opts;
  opts.max_steps = 10'000;
  auto r = aiospec::run_program("while True:\n    pass\n", "loop.py", opts);
  EXPECT_EQ(r.exit_status, 3);
  EXPECT_NE(r.error.find("step budget"), std::string::npos) << r.error;
}

TEST(Interpreter, VirtualTimeBudgetStopsEndlessSleepers) {
  aiospec::ExecOptions opts;
  opts.max_virtual_seconds = 100;
  auto r = aiospec::run_program(
      "import asyncio\nasync def main():\n    while True:\n        await asyncio.sleep(1)\nasyncio.run(main())\n",
      "sleeper.py", opts);
  EXPECT_EQ(r.exit_status, 3);
  EXPECT_NE(r.error.find("virtual-time budget"), std::string::npos) << r.error;
}

TEST(Interpreter, DeadlockIsReported) {
  auto r = aiospec::run_program(
      "import asyncio\nasync def main():\n    await asyncio.get_running_loop().create_future()\nasyncio.run(main())\n",
      "stuck.py");
  EXPECT_EQ(r.exit_status, 3);
  EXPECT_NE(r.error.find("deadlock"), std::string::npos) << r.error;
}

TEST(Interpreter, OutputCap) {
  aiospec::ExecOptions opts;
  opts.max_output_bytes = 1000;
  auto r = aiospec::run_program("for i in range(10000):\n    print(i)\n", "chatty.py", opts);
  EXPECT_EQ(r.exit_status, 3);
  EXPECT_NE(r.error.find("output limit"), std::string::npos) << r.error;
}

TEST(Interpreter, VirtualTimeStampsLines) {
  auto r = aiospec::run_program(
      "import asyncio\nasync def main():\n    await asyncio.sleep(1.5)\n    print('late')\nprint('before')\nasyncio.run(main())\n",
      "t.py");
  ASSERT_EQ(r.lines.size(), 2u);
  EXPECT_FALSE(r.lines[0].time.has_value());
  ASSERT_TRUE(r.lines[1].time.has_value());
  EXPECT_NEAR(*r.lines[1].time, 1.5, 1e-6);
}

TEST(Interpreter, IntOverflowIsAClearError) {
  auto r = aiospec::run_program("print(2 ** 64)\n", "big.py");
  EXPECT_EQ(r.normalized(), "[uncaught] OverflowError: integer result too large (the scenario language has 64-bit ints)\n");
}

// A generator yields what it iterates, whatever the list and however `yield from` splits it between
// a generator function and a generator expression; sending values in returns them as a generator
// returns (StopIteration.value).
RC_GTEST_PROP(Interpreter, GeneratorsYieldWhatTheyIterate, (const std::vector<std::int8_t>& raw, std::uint8_t split)) {
  std::string xs = "[";
  for (std::int8_t x : raw) xs += std::to_string(x) + ", ";
  xs += "]";
  const std::string program = R"py(def gen(xs):
    for x in xs:
        yield x
def chain(xs, k):
    got = yield from gen(xs[:k])
    assert got is None
    yield from (x for x in xs[k:])
def collect():
    out = []
    while True:
        v = yield len(out)
        if v is None:
            return out
        out.append(v)
xs = )py" + xs + R"py(
c = collect()
next(c)
for x in xs:
    c.send(x)
try:
    c.send(None)
except StopIteration as e:
    sent = e.value
print(list(chain(xs, )py" + std::to_string(split % (raw.size() + 1)) + R"py()) == xs, sum(gen(xs)) == sum(xs), sent == xs)
)py";
  auto r = aiospec::run_program(program, "prop.py");
  RC_ASSERT(r.normalized() == "True True True\n");
}

// Every example of every spec chapter that applies to Python 3.11, one test per example id.
// AIOSPEC_SPEC_DIR names another repository root whose spec/ to read.
std::vector<aiospec::Case> spec_examples() {
  const char* env = std::getenv("AIOSPEC_SPEC_DIR");
  const auto spec = aiospec::read_spec(env ? env : AIOSPEC_SOURCE_DIR);
  std::vector<aiospec::Case> out;
  for (auto& c : spec.cases)
    if (c.python.contains(3, 11)) out.push_back(c);
  return out;
}

TEST(SpecExamples, TheSpecIsReadAndWellFormed) {
  const char* env = std::getenv("AIOSPEC_SPEC_DIR");
  const auto spec = aiospec::read_spec(env ? env : AIOSPEC_SOURCE_DIR);
  EXPECT_GE(spec.clauses, 120u);
  EXPECT_GE(spec_examples().size(), 120u);
  for (auto& e : spec.errors) ADD_FAILURE() << e.str();
}

class SpecExampleTest : public testing::TestWithParam<aiospec::Case> {};

TEST_P(SpecExampleTest, MatchesCPython) {
  const auto& c = GetParam();
  auto j = aiospec::judge(c, aiospec::run_program(c.program, "example.py").normalized());
  EXPECT_TRUE(j.pass) << c.file << ":" << c.line << ": " << c.id << "\n" << j.diff;
}

INSTANTIATE_TEST_SUITE_P(Spec, SpecExampleTest, testing::ValuesIn(spec_examples()),
                         [](const testing::TestParamInfo<aiospec::Case>& info) {
                           std::string n = info.param.id;
                           std::replace(n.begin(), n.end(), '.', '_');
                           return n;
                         });

}  // namespace

// A blocking socket call nothing could complete: CPython hangs; the interpreter stops with the verdict.
TEST(Interpreter, BlockingSocketCallThatWaitsForEverIsReported) {
  auto r = aiospec::run_program("import socket\na, b = socket.socketpair()\nprint(a.recv(1))\n", "hang.py");
  EXPECT_EQ(r.exit_status, 3);
  EXPECT_NE(r.error.find("socket.recv() on a blocking socket waits for ever"), std::string::npos) << r.error;
}

// loop.sock_recv on a blocking socket would block the whole loop in CPython (selector_events tries
// sock.recv first): refused, naming the call.
TEST(Interpreter, LoopSockMethodsRefuseBlockingSockets) {
  auto r = aiospec::run_program(
      "import asyncio, socket\nasync def main():\n    a, b = socket.socketpair()\n    await asyncio.get_running_loop().sock_recv(a, 1)\n"
      "asyncio.run(main())\n",
      "blocking.py");
  EXPECT_EQ(r.exit_status, 3);
  EXPECT_NE(r.stderr_text.find("blocking.py:4:5: loop.sock_recv() with a blocking socket is outside the scenario language"),
            std::string::npos)
      << r.stderr_text;
}

// A socket made before any loop exists lives on the network every loop of the program runs on.
TEST(Interpreter, SocketsOutliveAndPrecedeLoops) {
  auto r = aiospec::run_program(
      "import asyncio, socket\na, b = socket.socketpair()\na.setblocking(False)\n"
      "async def main():\n    b.send(b'x')\n    return await asyncio.get_running_loop().sock_recv(a, 1)\n"
      "print(asyncio.run(main()))\nb.send(b'y')\nprint(asyncio.run(main()), a.recv(5))\n",
      "shared.py");
  EXPECT_EQ(r.exit_status, 0) << r.stderr_text;
  EXPECT_EQ(r.stdout_text, "b'x'\nb'y' b'x'\n");  // as CPython 3.11 prints it
}
