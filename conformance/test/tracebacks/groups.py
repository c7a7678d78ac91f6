# ExceptionGroup trees as 3.11 prints them: nesting, notes, and "... (N more exceptions)" past 15.
import traceback


def fail(i):
    try:
        raise ValueError(i)
    except ValueError as e:
        e.add_note(f"attempt {i}")
        return e


try:
    raise ExceptionGroup("many", [fail(i) for i in range(17)])
except ExceptionGroup as eg:
    traceback.print_exception(eg)

inner = ExceptionGroup("inner", [TypeError("t"), KeyError("k")])
raise ExceptionGroup("outer", [inner, OSError("disk")])
