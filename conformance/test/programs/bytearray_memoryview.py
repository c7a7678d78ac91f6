def show(label, f):
    try:
        print(label, repr(f()))
    except Exception as e:
        print(label, type(e).__name__, e)

ba = bytearray(b"hello")
print(ba, repr(ba), str(ba), len(ba), ba[0], ba[1:3], type(ba[1:3]).__name__, ba == b"hello", b"hello" == ba, ba + b"!", b"<" + ba, ba * 2)
ba.append(33); ba.extend(b"??"); ba.extend([65, 66]); ba.insert(0, 62); ba.insert(-1, 45)
print(ba, ba.pop(), ba.pop(0), ba)
ba.remove(ord("?")); ba[0] = 72; ba[1:3] = b"EE"; ba[-1:] = b"xyz"
print(ba)
del ba[0]; del ba[-3:]; del ba[::2]
print(ba, len(ba))
ba += b"++"; ba *= 2
print(ba, ba.upper(), ba.split(b"+"), type(ba.upper()).__name__, ba.copy() == ba, ba.copy() is ba)
ba.reverse(); print(ba); ba.clear(); print(ba, bytearray(3), bytearray([1, 2]), bytearray("é", "utf-8"), bytearray(b"x").decode())
show("append 256", lambda: bytearray().append(256))
show("append str", lambda: bytearray().append("a"))
show("extend int", lambda: bytearray().extend(5))
show("pop empty", lambda: bytearray().pop())
show("remove missing", lambda: bytearray(b"a").remove(9))
show("index", lambda: bytearray(b"a")[5])
show("hash", lambda: hash(bytearray()))
def setitem(o, k, v):
    o[k] = v
show("bytes setitem", lambda: setitem(b"abc", 0, 1))
def extended_slice():
    b = bytearray(b"abc")
    b[0:3:2] = b"xyz"
show("extended slice", extended_slice)
data = bytearray(b"abcdef")
m = memoryview(data)
print(repr(m)[:10], len(m), m[0], m[-1], m.nbytes, m.readonly, m.format, m.itemsize, m.ndim, m.shape, m.obj is data)
part = m[1:4]
print(part.tobytes(), part.tolist(), len(part), bytes(part), part == b"bcd", part.hex(), m[::2].tobytes(), m[::-1].tolist())
part[0] = 66; m[4:6] = b"EF"
print(data, part.tobytes())
show("resize exported", lambda: data.append(1))
show("readonly", lambda: setitem(memoryview(b"x"), 0, 1))
show("mv value", lambda: setitem(m, 0, 256))
def structure():
    m[0:2] = b"x"
show("mv structure", structure)
ro = memoryview(b"xyz")
print(ro.readonly, hash(ro) == hash(b"xyz"), list(ro), 120 in ro, ro == bytearray(b"xyz"), bool(memoryview(b"")))
m.release(); part.release()
data.append(33)
print(data, repr(m)[:19])
show("released len", lambda: len(m))
show("released getitem", lambda: m[0])
with memoryview(b"ctx") as cm:
    print(cm.tobytes(), cm[1])
show("after with", lambda: cm.tobytes())
show("memoryview of str", lambda: memoryview("s"))
show("mv index", lambda: ro[5])
show("mv key", lambda: ro["k"])
print(b"|".join([memoryview(b"a"), bytearray(b"b")]), b"abc".find(memoryview(b"c")), b"x" + memoryview(b"y"))
