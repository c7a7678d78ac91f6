# The traceback module: print_exc, format_exc, print_exception in both signatures, format_exception,
# format_exception_only, file=, and __traceback__'s tb_lineno and tb_next.
import sys
import traceback


def inner():
    return 1 / 0


def outer():
    inner()


try:
    outer()
except ZeroDivisionError as e:
    traceback.print_exc()
    sys.stderr.write(traceback.format_exc())
    traceback.print_exception(e)
    traceback.print_exception(type(e), e, e.__traceback__, file=sys.stderr)
    sys.stderr.write("".join(traceback.format_exception(e)))
    print(traceback.format_exception_only(e), file=sys.stderr)
    tb = e.__traceback__
    lines = []
    while tb is not None:
        lines.append(tb.tb_lineno)
        tb = tb.tb_next
    print(lines, file=sys.stderr)
    print(len(traceback.format_exception(e)), file=sys.stderr)
print(traceback.format_exc(), end="", file=sys.stderr)
