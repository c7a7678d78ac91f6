# The same frame and line more than three times: "[Previous line repeated N more times]".
def countdown(n):
    if n == 0:
        raise ValueError("liftoff")
    return countdown(n - 1)


def walk(n):
    return countdown(n) if n > 0 else walk(n)


walk(30)
