def show(label, f):
    try:
        print(label, repr(f()))
    except Exception as e:
        print(label, type(e).__name__, e)
        if isinstance(e, UnicodeError):
            print("  ", repr(e), e.args[0], e.args[2], e.args[3], e.args[4])

text = "héllo wörld €😀"
data = text.encode()
print(data, len(text), len(data), data.decode(), data.decode("utf-8") == text, text.encode("UTF-8") == data, text.encode("utf8") == data)
print("abc".encode("ascii"), "é".encode("latin-1"), b"\xe9\xff".decode("latin-1"), repr(b"\x80\xa0\xad\xae".decode("iso-8859-1")), b"\xe9".decode("ISO8859-1"))
show("ascii encode", lambda: "café".encode("ascii"))
show("ascii run", lambda: "naïve ünïcode".encode("ascii"))
show("latin-1 euro", lambda: "5€".encode("latin-1"))
show("utf-8 bad start", lambda: b"ok\xff".decode())
show("utf-8 truncated", lambda: b"\xe2\x82".decode("utf-8"))
show("utf-8 bad continuation", lambda: b"\xe2\x28\xa1".decode())
show("utf-8 surrogate bytes", lambda: b"\xed\xa0\x80".decode())
show("ascii decode", lambda: b"a\xffb".decode("ascii"))
for errors in ["ignore", "replace", "backslashreplace", "surrogateescape"]:
    show("decode " + errors, lambda: b"a\xff\xe2\x82b\xf0\x9f\x98A".decode("utf-8", errors))
    show("ascii decode " + errors, lambda: b"a\xffb".decode("ascii", errors=errors))
for errors in ["ignore", "replace", "backslashreplace", "xmlcharrefreplace"]:
    show("encode " + errors, lambda: "é€😀x".encode("ascii", errors))
    show("latin encode " + errors, lambda: "é€😀x".encode("latin-1", errors))
escaped = b"caf\xe9 \xff".decode("utf-8", "surrogateescape")
print(repr(escaped), len(escaped), escaped.encode("utf-8", "surrogateescape"))
show("surrogates strict", lambda: escaped.encode())
show("surrogateescape non-escape", lambda: "a\ud800".encode("utf-8", "surrogateescape"))
print("\ud800".encode("utf-8", "surrogatepass"), repr(b"\xed\xa0\x80".decode("utf-8", "surrogatepass")))
show("unknown handler unused", lambda: "x".encode("ascii", "bogus"))
show("unknown handler used", lambda: "é".encode("ascii", "bogus"))
show("decode xmlcharrefreplace", lambda: b"\xff".decode("utf-8", "xmlcharrefreplace"))
show("encoding type", lambda: "x".encode(1))
show("errors type", lambda: b"x".decode("utf-8", errors=1))
show("str decode", lambda: str(b"caf\xc3\xa9", "utf-8"))
show("str errors", lambda: str(b"\xff", errors="replace"))
show("str of str", lambda: str("x", "utf-8"))
show("str of int", lambda: str(1, "utf-8"))
show("bytes no encoding", lambda: bytes("x"))
show("bytes negative", lambda: bytes(-1))
show("bytes range", lambda: bytes([256]))
show("bytes float", lambda: bytes(1.5))
show("bytes str items", lambda: bytes(["a"]))
for spelling in ["utf_8", "U8", " utf-8 ", "Utf--8", "cp65001", "latin", "L1", "us-ascii", "646", "iso-ir-6"]:
    show(spelling, lambda: b"ok".decode(spelling))
try:
    b"\x80abc".decode("utf-8")
except UnicodeDecodeError as e:
    print(e.encoding, e.object, e.start, e.end, e.reason, isinstance(e, ValueError), type(e).__mro__[1].__name__)
try:
    "\u20ac".encode("ascii")
except UnicodeEncodeError as e:
    print(e.encoding, e.object, e.start, e.end, e.reason)
print(UnicodeDecodeError("utf-8", b"\xff\xfe", 0, 2, "custom"), UnicodeEncodeError("ascii", "\U0001f600", 0, 1, "r"))
raise UnicodeDecodeError("utf-8", b"\x80", 0, 1, "invalid start byte")
