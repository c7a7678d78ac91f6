"""Run one Python program as ``__main__`` and return its normalised output.

Standard library only; works on Python 3.8 to 3.13. The normalised output is the spec's "output block"
(spec/README.md): stdout lines verbatim, memory addresses written ``0x...``, and stderr reduced to marked
lines interleaved where they happened:

    [warning] Category: message           every warning shown (warnings.showwarning)
    [asyncio] message (repr(exception))   every record of the ``asyncio`` logger
    [stderr] text                         a line the program wrote to sys.stderr (print(file=...),
                                          logging's handlers)
    [uncaught] ValueError: boom           an exception that escaped the program
    [exit 3]                              a non-zero exit without an uncaught exception

After the program, its globals are cleared and the garbage collector runs, so that "never awaited"
warnings and "never retrieved" logs fire as they would at interpreter exit.

The program shares the interpreter with the caller: module state such as the ``Task-N`` counter and the
event loop policy persists between calls, so run each program in a fresh process to reproduce
``python3 FILE.py`` exactly.

CLI: ``python3 aiospec_capture.py FILE.py`` prints the normalised output of FILE.py and exits with the
program's exit status; ``python3 aiospec_capture.py - NAME`` reads the source from stdin and runs it under
the file name NAME.
"""

import asyncio
import gc
import io
import logging
import re
import sys
import traceback
import types
import warnings

_ADDRESS = re.compile(r"0x[0-9a-f]+")


def normalise(text):
    """Write every memory address as ``0x...``."""
    return _ADDRESS.sub("0x...", text)


class Result:
    """What one program printed.

    output       normalised text, one line per element of ``lines``, each ending in a newline
    lines        list of (normalised line, loop time or None): the loop time is the running loop's
                 ``time()`` when the line was completed, relative to the start of the first loop the
                 program ran; None when no loop was running
    exit_status  the process exit status ``python3 FILE.py`` would have (0, 1 for an uncaught exception,
                 the SystemExit code, 130 for KeyboardInterrupt)
    uncaught     the ``[uncaught]`` text (without the mark), or None
    """

    def __init__(self, lines, exit_status, uncaught):
        self.lines = lines
        self.output = "".join(text + "\n" for text, _ in lines)
        self.exit_status = exit_status
        self.uncaught = uncaught

    def __repr__(self):
        return "Result(exit_status={!r}, uncaught={!r}, output={!r})".format(
            self.exit_status, self.uncaught, self.output)


class _Recorder:
    """Collects output lines in the order they happen, each stamped with the loop time."""

    def __init__(self):
        self.lines = []
        self.base_time = None  # loop.time() when the first loop started running

    def loop_started(self, loop):
        if self.base_time is None:
            self.base_time = loop.time()

    def now(self):
        loop = asyncio.events._get_running_loop()
        if loop is None:
            return None
        # A loop that did not go through events._set_running_loop (e.g. a C loop) starts the clock here.
        self.loop_started(loop)
        return loop.time() - self.base_time

    def add(self, text):
        stamp = self.now()
        for line in text.split("\n"):
            self.lines.append((normalise(line), stamp))


class _Sink(io.RawIOBase):
    """The binary side of a replacement sys.stdout or sys.stderr: complete lines go to the recorder after
    ``mark``; a partial line waits for its newline."""

    def __init__(self, recorder, name, mark):
        super().__init__()
        self._recorder = recorder
        self._mark = mark
        self._partial = b""
        self.name = name

    def writable(self):
        return True

    def write(self, b):
        *complete, self._partial = (self._partial + bytes(b)).split(b"\n")
        for line in complete:
            self._recorder.add(self._mark + line.decode("utf-8", "backslashreplace"))
        return len(b)

    def finish(self):
        if self._partial:
            self._recorder.add(self._mark + self._partial.decode("utf-8", "backslashreplace"))
            self._partial = b""


def _stream(recorder, name, mark="", errors="strict"):
    """A text stream like the interpreter's sys.stdout / sys.stderr (same type, repr and errors)."""
    sink = _Sink(recorder, name, mark)
    stream = io.TextIOWrapper(sink, encoding="utf-8", errors=errors, write_through=True)
    stream.mode = "w"
    return stream, sink


class _AsyncioLogHandler(logging.Handler):
    """``[asyncio] message (repr(exception))``: only the first line of the message, since the rest
    (``future: <Task …>`` and the like) holds file paths."""

    def __init__(self, recorder):
        # logging.lastResort, which prints these records in a plain run, shows WARNING and above.
        super().__init__(logging.WARNING)
        self._recorder = recorder

    def emit(self, record):
        text = "[asyncio] " + record.getMessage().split("\n", 1)[0]
        if record.exc_info and record.exc_info[1] is not None:
            text += " ({!r})".format(record.exc_info[1])
        self._recorder.add(text)


def _exception_line(exc):
    # The last line: a SyntaxError's first ones are its File line, the source line and the caret.
    return traceback.format_exception_only(type(exc), exc)[-1].strip()


# Interpreter shutdown clears the main module's namespace (Objects/moduleobject.c _PyModule_ClearDict:
# first names with one leading underscore, then all others but __builtins__, in definition order) and then
# collects garbage. It runs with no Python frame, so warnings raised meanwhile are attributed to "sys:1"
# and the "default" action shows each text once; running the same steps as line 1 of a file "sys"
# reproduces that.
_SHUTDOWN = compile(
    "[ns.__setitem__(n, None) for n in list(ns) if n[:1] == '_' and n[:2] != '__']; "
    "[ns.__setitem__(n, None) for n in list(ns) if n != '__builtins__']; gc.collect()",
    "sys", "exec")


def _shut_down(namespace):
    exec(_SHUTDOWN, {"__name__": "sys", "ns": namespace, "gc": gc})


def run_program(source, filename):
    """Run ``source`` as the ``__main__`` module of file ``filename`` and return its Result."""
    recorder = _Recorder()
    stdout, stdout_sink = _stream(recorder, "<stdout>")
    stderr, stderr_sink = _stream(recorder, "<stderr>", "[stderr] ", "backslashreplace")
    handler = _AsyncioLogHandler(recorder)
    asyncio_logger = logging.getLogger("asyncio")
    saved = (sys.stdout, sys.stderr, sys.argv, sys.modules.get("__main__"), asyncio_logger.propagate,
             asyncio.events._set_running_loop, logging.root.handlers[:], logging.root.level)
    original_set_running_loop = asyncio.events._set_running_loop

    def set_running_loop(loop):
        if loop is not None:
            recorder.loop_started(loop)
        original_set_running_loop(loop)

    def show_warning(message, category, filename, lineno, file=None, line=None):
        recorder.add("[warning] {}: {}".format(category.__name__, message))

    module = types.ModuleType("__main__")
    module.__file__ = filename
    module.__builtins__ = __builtins__
    namespace = module.__dict__
    exit_status, uncaught = 0, None
    with warnings.catch_warnings():  # restores the filters and showwarning, resets warning registries
        warnings.showwarning = show_warning
        sys.stdout, sys.stderr = stdout, stderr
        sys.argv = [filename]
        sys.modules["__main__"] = module
        asyncio_logger.addHandler(handler)
        asyncio_logger.propagate = False
        asyncio.events._set_running_loop = set_running_loop
        try:
            try:
                exec(compile(source, filename, "exec"), namespace)
            except SystemExit as exc:
                exit_status = _exit_code(exc.code)
            except BaseException as exc:  # the program's uncaught exception, reported like the interpreter
                uncaught = _exception_line(exc)
                recorder.add("[uncaught] " + uncaught)
                exit_status = 130 if isinstance(exc, KeyboardInterrupt) else 1
                exc = None  # drop the traceback's frames so their coroutines can be finalised below
            stdout_sink.finish()
            stderr_sink.finish()
            _shut_down(namespace)
            stdout_sink.finish()
            stderr_sink.finish()
        finally:
            # logging.basicConfig's handlers write to this run's stderr: the next run starts unconfigured.
            (sys.stdout, sys.stderr, sys.argv, main, asyncio_logger.propagate,
             asyncio.events._set_running_loop, logging.root.handlers[:], root_level) = saved
            logging.root.setLevel(root_level)
            if main is None:
                sys.modules.pop("__main__", None)
            else:
                sys.modules["__main__"] = main
            asyncio_logger.removeHandler(handler)
    if exit_status and uncaught is None:
        recorder.lines.append(("[exit {}]".format(exit_status), None))
    return Result(recorder.lines, exit_status, uncaught)


def _exit_code(code):
    """The process exit status for SystemExit(code), as Py_Exit computes it."""
    if code is None:
        return 0
    if isinstance(code, int):
        return code & 0xFF
    return 1  # a message: printed to stderr, status 1


def main(argv=None):
    argv = sys.argv[1:] if argv is None else argv
    if len(argv) == 1 and argv[0] != "-":
        filename = argv[0]
        with open(filename, encoding="utf-8") as f:
            source = f.read()
    elif len(argv) == 2 and argv[0] == "-":
        filename = argv[1]
        source = sys.stdin.buffer.read().decode("utf-8")
    else:
        sys.stderr.write("usage: aiospec_capture.py FILE.py | aiospec_capture.py - NAME < SOURCE\n")
        return 2
    result = run_program(source, filename)
    out = sys.stdout.buffer if hasattr(sys.stdout, "buffer") else None
    if out is not None:
        out.write(result.output.encode("utf-8"))
        out.flush()
    else:
        sys.stdout.write(result.output)
    return result.exit_status


if __name__ == "__main__":
    sys.exit(main())
