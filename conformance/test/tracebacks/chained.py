# Chained exceptions: an implicit __context__, `raise ... from`, `from None`.
def parse(text):
    try:
        return int(text)
    except ValueError as e:
        raise RuntimeError(f"cannot parse {text!r}") from e


def quiet(key):
    try:
        return {}[key]
    except KeyError:
        raise LookupError(key) from None


def load():
    try:
        parse("x")
    except RuntimeError:
        quiet("k")


try:
    load()
finally:
    print("cleanup")
