# A command-line tool as asyncio programs write one: options parsed with argparse, then asyncio.run.
import argparse
import asyncio
import os
import sys

os.environ["COLUMNS"] = "80"  # argparse wraps its help to the terminal's width


async def fetch(name, delay, retries):
    for attempt in range(1, retries + 1):
        await asyncio.sleep(delay)
        print(f"{name}: attempt {attempt} after {delay}s")
    return name.upper()


async def main(args):
    results = await asyncio.gather(*(fetch(n, args.delay, args.retries) for n in args.names))
    print("results:", results)
    if args.verbose:
        print("verbosity", args.verbose, "tags", args.tag, "mode", args.mode)


def build_parser():
    parser = argparse.ArgumentParser(
        prog="fetcher",
        description="Fetch every NAME concurrently, retrying each one as often as asked, and print what comes back.",
        epilog="Exit status is 0 when every fetch succeeds.",
    )
    parser.add_argument("names", nargs="+", metavar="NAME", help="what to fetch")
    parser.add_argument("-d", "--delay", type=float, default=0.5, help="seconds between attempts (default: %(default)s)")
    parser.add_argument("-r", "--retries", type=int, default=1, choices=range(1, 4), help="attempts per name")
    parser.add_argument("-v", "--verbose", action="count", default=0, help="say more")
    parser.add_argument("-t", "--tag", action="append", help="a tag to attach; may be repeated")
    parser.add_argument("--dry-run", action="store_true", help="parse only")
    parser.add_argument("--version", action="version", version="%(prog)s 1.0")
    mode = parser.add_mutually_exclusive_group()
    mode.add_argument("--fast", dest="mode", action="store_const", const="fast", help="no pauses")
    mode.add_argument("--slow", dest="mode", action="store_const", const="slow", help="long pauses")
    out = parser.add_argument_group("output", "Where the results go.")
    out.add_argument("-o", "--output", metavar="FILE", default="-", help="write results to FILE")
    out.add_argument("--format", choices=["text", "json"], default="text")
    return parser


parser = build_parser()
print(repr(parser.parse_args(["a"])))
ns = parser.parse_args(["a", "b", "-vv", "-d", "0.25", "--tag", "x", "-ty", "--fast", "-r2"])
print(ns)
print(vars(ns)["names"], ns.delay, ns.retries, ns.mode, "dry_run" in ns)
asyncio.run(main(ns))

print(parser.parse_known_args(["a", "--unknown", "b"]))
print(parser.format_usage(), end="")
for argv in (["-h"], ["--version"], [], ["a", "-r", "7"], ["a", "--fast", "--slow"], ["a", "-d", "soon"],
             ["a", "--format", "xml"], ["a", "--dr"], ["a", "-x"], ["a", "--delay"]):
    try:
        parser.parse_args(argv)
    except SystemExit as e:
        print("exit", e.code, "for", argv)

small = argparse.ArgumentParser(prog="small", add_help=False)
small.add_argument("src")
small.add_argument("dst", nargs="?", default="out")
small.add_argument("rest", nargs="*")
small.add_argument("--pair", nargs=2, type=int, metavar=("A", "B"))
small.add_argument("-q", action="store_false", dest="loud")
print(small.parse_args(["x"]))
print(small.parse_args(["x", "y", "z1", "z2", "--pair", "3", "4", "-q"]))
print(small.parse_args(["--", "-x"]))
small.print_help()
try:
    small.parse_args(["x", "--pair", "1"])
except SystemExit as e:
    print("exit", e.code)
print(argparse.Namespace(a=1, b="x"), argparse.Namespace(a=1) == argparse.Namespace(a=1))
sys.exit(parser.parse_args(["a", "--dry-run"]).dry_run and 3)
