"""Tests for aiospec_capture (stdlib unittest): python3 -m unittest test_capture (from this directory)."""

import os
import subprocess
import sys
import tempfile
import textwrap
import unittest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import aiospec_capture  # noqa: E402


def run(source):
    return aiospec_capture.run_program(textwrap.dedent(source), "example.py")


class OutputForms(unittest.TestCase):
    def test_stdout_lines_verbatim(self):
        r = run("""
            print("a", 1)
            print("b", end="")
            print("c")
            print("ü")
        """)
        self.assertEqual(r.output, "a 1\nbc\nü\n")
        self.assertEqual(r.exit_status, 0)
        self.assertIsNone(r.uncaught)

    def test_partial_last_line_is_kept(self):
        self.assertEqual(run('print("x", end="")').output, "x\n")

    def test_addresses_are_normalised(self):
        r = run("""
            async def work():
                pass
            c = work()
            print(c)
            c.close()
        """)
        self.assertEqual(r.output, "<coroutine object work at 0x...>\n")

    def test_warning_is_interleaved_where_it_happened(self):
        r = run("""
            async def work():
                pass
            def f():
                work()
            print("before")
            f()
            print("after")
        """)
        self.assertEqual(r.output, "before\n[warning] RuntimeWarning: coroutine 'work' was never awaited\n"
                                   "after\n")

    def test_globals_are_finalised_after_the_program(self):
        r = run("""
            async def work():
                pass
            async def other():
                pass
            a = work()
            b = work()
            c = other()
            print("end")
        """)
        # As at interpreter exit: one warning per text (they share the location sys:1).
        self.assertEqual(r.output, "end\n[warning] RuntimeWarning: coroutine 'work' was never awaited\n"
                                   "[warning] RuntimeWarning: coroutine 'other' was never awaited\n")

    def test_asyncio_log_with_exception(self):
        r = run("""
            import asyncio
            async def bad():
                raise ValueError("boom")
            async def main():
                t = asyncio.create_task(bad())
                await asyncio.sleep(0)
                del t
                print("main done")
            asyncio.run(main())
        """)
        self.assertEqual(r.output, "[asyncio] Task exception was never retrieved (ValueError('boom'))\n"
                                   "main done\n")

    def test_asyncio_log_without_exception(self):
        r = run("""
            import asyncio
            async def forever():
                await asyncio.sleep(10)
            loop = asyncio.new_event_loop()
            t = loop.create_task(forever())
            loop.run_until_complete(asyncio.sleep(0))
            loop.close()
            del t
            print("end")
        """)
        # The pending task sits in a reference cycle, so only the final collection reports it.
        self.assertEqual(r.output, "end\n[asyncio] Task was destroyed but it is pending!\n")

    def test_uncaught_exception(self):
        r = run("""
            print("x")
            raise KeyError("k")
        """)
        self.assertEqual(r.output, "x\n[uncaught] KeyError: 'k'\n")
        self.assertEqual(r.exit_status, 1)
        self.assertEqual(r.uncaught, "KeyError: 'k'")

    def test_uncaught_exception_from_asyncio_run(self):
        r = run("""
            import asyncio
            async def main():
                raise asyncio.CancelledError()
            asyncio.run(main())
        """)
        self.assertEqual(r.output, "[uncaught] asyncio.exceptions.CancelledError\n")

    def test_exit_status(self):
        r = run("""
            import sys
            print("hi")
            sys.exit(3)
        """)
        self.assertEqual(r.output, "hi\n[exit 3]\n")
        self.assertEqual(r.exit_status, 3)
        self.assertIsNone(r.uncaught)

    def test_exit_zero_is_not_marked(self):
        r = run("raise SystemExit(0)")
        self.assertEqual((r.output, r.exit_status), ("", 0))


class LoopTime(unittest.TestCase):
    def test_lines_carry_loop_time(self):
        r = run("""
            import asyncio
            async def main():
                print("start")
                await asyncio.sleep(0.05)
                print("later")
            print("outside")
            asyncio.run(main())
            print("after")
        """)
        texts = [t for t, _ in r.lines]
        self.assertEqual(texts, ["outside", "start", "later", "after"])
        times = [t for _, t in r.lines]
        self.assertIsNone(times[0])
        self.assertIsNone(times[3])
        self.assertGreaterEqual(times[1], 0.0)
        self.assertLess(times[1], 0.05)
        self.assertGreaterEqual(times[2], 0.05)


class Isolation(unittest.TestCase):
    def test_state_is_restored(self):
        import asyncio
        import logging
        import warnings
        saved = (sys.stdout, sys.argv, sys.modules.get("__main__"), warnings.showwarning,
                 logging.getLogger("asyncio").propagate, asyncio.events._set_running_loop)
        run("""
            import asyncio
            async def main():
                print(__name__)
            asyncio.run(main())
        """)
        self.assertEqual(saved, (sys.stdout, sys.argv, sys.modules.get("__main__"), warnings.showwarning,
                                 logging.getLogger("asyncio").propagate, asyncio.events._set_running_loop))

    def test_program_runs_as_main(self):
        self.assertEqual(run("print(__name__, __file__)").output, "__main__ example.py\n")


class CommandLine(unittest.TestCase):
    def test_stdout_identical_to_plain_run(self):
        source = textwrap.dedent("""
            import asyncio
            async def child(n):
                print("child", n, "start")
                await asyncio.sleep(0)
                print("child", n, "end")
                return n
            async def main():
                print(await asyncio.gather(child(1), child(2)))
            asyncio.run(main())
        """)
        with tempfile.TemporaryDirectory() as d:
            path = os.path.join(d, "prog.py")
            with open(path, "w") as f:
                f.write(source)
            plain = subprocess.run([sys.executable, path], stdout=subprocess.PIPE, check=True).stdout
            captured = subprocess.run([sys.executable, aiospec_capture.__file__, path],
                                      stdout=subprocess.PIPE, check=True).stdout
            self.assertEqual(plain, captured)
            piped = subprocess.run([sys.executable, aiospec_capture.__file__, "-", "prog.py"],
                                   input=source.encode(), stdout=subprocess.PIPE, check=True).stdout
            self.assertEqual(plain, piped)

    def test_exit_status_is_propagated(self):
        p = subprocess.run([sys.executable, aiospec_capture.__file__, "-", "x.py"],
                           input=b"raise ValueError('v')", stdout=subprocess.PIPE)
        self.assertEqual(p.returncode, 1)
        self.assertEqual(p.stdout, b"[uncaught] ValueError: v\n")


if __name__ == "__main__":
    unittest.main()
