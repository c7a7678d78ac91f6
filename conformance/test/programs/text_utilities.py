# The string, textwrap and os helpers asyncio programs use to format reports and read their settings.
import asyncio
import os
import os.path
import string
import textwrap
from string import Template

REPORT = """\
    Task report
      The workers ran concurrently, each one sleeping for a while before it returned its result; the
      slowest one decided how long the whole gather took.

    Done.
"""


async def worker(name, delay):
    await asyncio.sleep(delay)
    return Template("$name finished after ${delay}s ($$)").substitute(name=name, delay=delay)


async def main():
    lines = await asyncio.gather(worker("alpha", 0.2), worker("beta", 0.1))
    for line in lines:
        print(textwrap.indent(line, "> "))
    print(textwrap.dedent(REPORT))
    body = " ".join(lines) * 3
    for width in (20, 33, 70):
        print(f"--- width {width}")
        print(textwrap.fill(body, width=width, initial_indent="* ", subsequent_indent="  "))
    print(textwrap.wrap("well-known long-running co-routines -- and supercalifragilisticexpialidocious words", 12))
    print(textwrap.wrap("abc  def\tghi\njkl", 7, break_long_words=False, drop_whitespace=False))
    print(textwrap.wrap("x" * 25, 10), textwrap.wrap("", 10), textwrap.wrap("a-b-c-d-e-f-g-h", 4))
    print(textwrap.wrap("Hello.  World!  End.", 9, fix_sentence_endings=True), textwrap.wrap("tab\there", 12, tabsize=4))
    print(textwrap.shorten("The loop runs every ready callback in order.", 30))
    print(textwrap.shorten("Hello  world!", width=12), textwrap.shorten("Hello  world!", width=11, placeholder="~"))
    print(textwrap.fill("one two three four five six seven", 15, max_lines=2))
    w = textwrap.TextWrapper(width=16, break_on_hyphens=False)
    print(w.wrap("event-loop-driven tasks and futures"), w.width)
    print(repr(textwrap.dedent("  a\n\t b\n")), repr(textwrap.dedent("   x\n  \n   y")), repr(textwrap.indent("a\n\nb\n", "+ ", lambda l: True)))


print(string.ascii_letters, string.digits, string.hexdigits, string.octdigits)
print(repr(string.punctuation), repr(string.whitespace), len(string.printable))
print(string.capwords(" hello   asyncio world "), string.capwords("a-b c-d", "-"))
t = Template("$who likes ${what}; $missing stays; $$5")
print(t.safe_substitute(who="tim", what="tasks"), t.template)
print(Template("$a and $b").substitute({"a": 1, "b": 2}, b=3))
for bad in ("$who $", "line\n  ${x"):
    try:
        Template(bad).substitute(who="x")
    except ValueError as e:
        print("ValueError:", e)
try:
    Template("$nope").substitute()
except KeyError as e:
    print("KeyError:", e)

os.environ["WORKERS"] = "3"
print(os.getenv("WORKERS"), os.environ["WORKERS"], os.getenv("AIOSPEC_UNSET_VARIABLE"), os.getenv("AIOSPEC_UNSET_VARIABLE", "dflt"))
print(os.sep, repr(os.linesep), os.name, os.curdir, os.pardir, isinstance(os.getpid(), int), os.cpu_count() > 0)
print(os.path.join("a", "b", "c.txt"), os.path.join("/a", "/b"), os.path.join("a/", "b"), os.path.join("", "x"))
for p in ["/usr/lib/python3.11/os.py", "archive.tar.gz", ".bashrc", "dir/", "/", "a/b/..", "..hidden.x", ""]:
    print(repr(p), os.path.basename(p), os.path.dirname(p), os.path.split(p), os.path.splitext(p), os.path.normpath(p))
print(os.path.isabs("/x"), os.path.isabs("x"), os.path.abspath("/a/./b/../c"), os.path.exists("/"), os.path.isdir("/"),
      os.path.isfile("/"), os.path.exists("/aiospec/does/not/exist"))
print(os.path.abspath("x") == os.path.join(os.getcwd(), "x"), os.path.realpath("/") == "/")
asyncio.run(main())
