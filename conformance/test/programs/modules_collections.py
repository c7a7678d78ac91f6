# collections: deque, defaultdict, Counter, OrderedDict, ChainMap.
import asyncio
from collections import ChainMap, Counter, OrderedDict, defaultdict, deque

d = deque([1, 2, 3])
d.append(4)
d.appendleft(0)
print(d, len(d), d[0], d[-1], 3 in d, bool(d), bool(deque()), d.maxlen)
print(d.pop(), d.popleft(), d)
d.extend([7, 8])
d.extendleft("ab")
print(d, d.count(7), d.index(7), list(d), list(reversed(list(d))))
d.rotate(2)
print(d)
d.rotate(-3)
print(d)
d.remove("a")
d[0] = "z"
del d[1]
d.insert(1, "i")
print(d, d == deque(["z", "i", 2, 3, 7, 8]), d == ["z"], d.copy())
d.reverse()
print(d)
d.clear()
print(d)
last3 = deque(maxlen=3)
for i in range(6):
    last3.append(i)
print(last3, last3.maxlen)
last3.appendleft(-1)
print(last3, deque("abc", 2), deque(maxlen=0))
for bad in [lambda: deque().pop(), lambda: deque().popleft(), lambda: deque([1])[5], lambda: deque([1, 2], 2).insert(0, 0)]:
    try:
        bad()
    except IndexError as e:
        print("IndexError", e)
try:
    deque([1]).remove(9)
except ValueError as e:
    print(e)

dd = defaultdict(list)
for word in ["apple", "avocado", "banana", "blueberry", "cherry"]:
    dd[word[0]].append(word)
print(dd, dd["z"], len(dd), type(dd), isinstance(dd, dict), dd.default_factory)
counts = defaultdict(int)
for ch in "mississippi":
    counts[ch] += 1
print(counts, dict(counts), counts.get("q"), "q" in counts)
print(defaultdict(None, {1: 2}), defaultdict(lambda: "n/a")["k"])
try:
    defaultdict(None)["x"]
except KeyError as e:
    print("KeyError", e)
try:
    defaultdict(5)
except TypeError as e:
    print(e)
print(dd.copy() == dd, type(dd.copy()))

c = Counter("abracadabra")
print(c, c["a"], c["z"], c.most_common(2), c.total(), sorted(c.elements()))
c.update("aaz")
c.subtract({"b": 2})
print(c, Counter(), Counter(a=2, b=1), Counter({"x": 3}))
a, b = Counter(a=3, b=1, c=2), Counter(a=1, b=2, d=1)
print(a + b, a - b, a | b, a & b)
print(Counter(a=1) == Counter(a=1, b=0), Counter(a=1) == {"a": 1}, isinstance(c, dict), type(c))
words = "the cat and the hat and the bat".split()
print(Counter(words).most_common(), Counter(words).most_common(1))

od = OrderedDict()
od["b"] = 1
od["a"] = 2
od["c"] = 3
od.move_to_end("b")
print(od, list(od), od.popitem(), od.popitem(last=False), od)
od["a"] = 9
od.move_to_end("a", last=False)
print(od, OrderedDict(), OrderedDict([(1, 2)]) == OrderedDict([(1, 2)]))
print(OrderedDict(a=1, b=2) == OrderedDict(b=2, a=1), OrderedDict(a=1, b=2) == {"b": 2, "a": 1})
try:
    od.move_to_end("zz")
except KeyError as e:
    print("KeyError", e)

defaults = {"color": "red", "user": "guest"}
cli = {"user": "admin"}
cm = ChainMap(cli, defaults)
print(cm, cm["user"], cm["color"], len(cm), list(cm), "color" in cm, cm.get("x", 0))
cm["color"] = "blue"
print(cli, cm.maps, cm.new_child({"z": 1}), cm.parents, sorted(cm.items()))
try:
    cm["nope"]
except KeyError as e:
    print("KeyError", e)


async def main():
    recent = deque(maxlen=2)
    for i in range(4):
        await asyncio.sleep(0)
        recent.append(i)
    print(recent)

asyncio.run(main())
