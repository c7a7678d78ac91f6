# 3.11's carets: ~ under a binary operator's operands and ^ under the operator, ~ under a subscript's
# value, none when the span covers the line, to the line's end for a span over several lines.
import traceback

data = {"items": [1, 2], "name": "é"}


def attempts():
    yield lambda: data["items"][5]
    yield lambda: data["name"] + 1
    yield lambda: data["missing"]
    yield lambda: (data
                   ["other"])
    yield lambda: len(
        5)
    yield lambda: undefined_name


def unpack():
    a, b = data["items"] + [3]


def store():
    items = data["items"]
    items[7] = 1


for attempt in list(attempts()) + [unpack, store]:
    try:
        attempt()
    except Exception:
        traceback.print_exc()
x = 1
assert x == 2, "x is not 2"
