"""Tests of aiospec_adapter.py through its protocol (python3 -m unittest in this directory)."""
import json
import os
import subprocess
import sys
import unittest

ADAPTER = os.path.join(os.path.dirname(os.path.abspath(__file__)), "aiospec_adapter.py")


def converse(requests, loop="cpython", python=sys.executable):
    text = "".join(json.dumps(r) + "\n" for r in requests)
    out = subprocess.run([python, ADAPTER, "--loop", loop], input=text, capture_output=True, text=True,
                         timeout=60, check=True).stdout
    return [json.loads(line) for line in out.splitlines()]


SLEEPER = "import asyncio, time\nasync def main():\n    t = time.time()\n    await asyncio.sleep(5)\n" \
          "    print('slept', round(time.time() - t, 3))\nasyncio.run(main())\n"


class AdapterTest(unittest.TestCase):
    def test_hello_then_one_response_per_request(self):
        hello, *rest = converse([{"type": "run", "id": "x", "program": "print('hi')\n"}])
        self.assertEqual(hello["type"], "hello")
        self.assertEqual(hello["protocol"], 1)
        self.assertIn("virtual", hello["time"])
        self.assertEqual(rest, [{"type": "result", "id": "x", "output": "hi\n", "lines": [["hi", None]],
                                 "exit_status": 0, "uncaught": None, "seconds": rest[0]["seconds"]}])

    def test_virtual_time_makes_sleeps_free_and_exact(self):
        _, result = converse([{"type": "run", "id": "v", "program": SLEEPER, "time": "virtual", "timeout": 3}])
        self.assertEqual(result["output"], "slept 5.0\n")
        self.assertAlmostEqual(result["lines"][0][1], 5.0, places=6)

    def test_uncaught_exception_and_exit_status(self):
        _, result = converse([{"type": "run", "id": "u", "program": "raise ValueError('boom')\n"}])
        self.assertEqual(result["output"], "[uncaught] ValueError: boom\n")
        self.assertEqual(result["exit_status"], 1)

    def test_crash_and_timeout_cost_one_case(self):
        _, crash, timeout, after = converse([
            {"type": "run", "id": "c", "program": "import os\nos._exit(7)\n"},
            {"type": "run", "id": "t", "program": "while True:\n    pass\n", "timeout": 0.5},
            {"type": "run", "id": "a", "program": "print('still here')\n"},
        ])
        self.assertEqual((crash["type"], crash["id"]), ("crash", "c"))
        self.assertIn("status 7", crash["message"])
        self.assertEqual((timeout["type"], timeout["id"]), ("timeout", "t"))
        self.assertEqual(after["output"], "still here\n")

    def test_bad_request_is_an_error_response(self):
        text = "not json\n" + json.dumps({"type": "frobnicate", "id": "f"}) + "\n"
        out = subprocess.run([sys.executable, ADAPTER], input=text, capture_output=True, text=True,
                             timeout=60).stdout.splitlines()
        self.assertEqual([json.loads(line)["type"] for line in out], ["hello", "error", "error"])

    def test_pure_python_tasks(self):
        _, result = converse([{"type": "run", "id": "p", "program": "import asyncio\nprint(asyncio.Task.__module__)\n"}],
                             loop="cpython-pytasks")
        self.assertEqual(result["output"], "asyncio.tasks\n")

    def test_missing_loop_is_reported_in_hello(self):
        out = subprocess.run([sys.executable, ADAPTER, "--loop", "no_such_module:factory"], input="",
                             capture_output=True, text=True, timeout=60)
        self.assertEqual(out.returncode, 3)
        self.assertIn("cannot load loop", json.loads(out.stdout.splitlines()[0])["error"])


if __name__ == "__main__":
    unittest.main()
