# JSON messages over asyncio streams: one json document per line between a client and a server,
# then json.dumps' options and json.loads' errors.
import asyncio
import json
import sys


handled = asyncio.Event()


class Opaque:
    pass


async def handle(reader, writer):
    while True:
        line = await reader.readline()
        if not line:
            break
        request = json.loads(line)
        reply = {"id": request["id"], "echo": request["body"], "len": len(request["body"]), "ok": True}
        writer.write(json.dumps(reply).encode() + b"\n")
        await writer.drain()
    writer.close()
    await writer.wait_closed()
    handled.set()


async def main():
    server = await asyncio.start_server(handle, "127.0.0.1", 0)
    port = server.sockets[0].getsockname()[1]
    reader, writer = await asyncio.open_connection("127.0.0.1", port)
    for i, body in enumerate(["hello", "naïve ☃", "tab\tquote\"", ""]):
        writer.write(json.dumps({"id": i, "body": body}).encode() + b"\n")
        await writer.drain()
        reply = json.loads(await reader.readline())
        print(reply)
    writer.close()
    await writer.wait_closed()
    await handled.wait()
    server.close()
    await server.wait_closed()

    doc = {"name": "job", "tags": ["a", "b"], "n": 3, "ratio": 0.1, "big": 1e20, "none": None, "t": True, "nested": {"z": [], "y": {}}}
    print(json.dumps(doc))
    print(json.dumps(doc, indent=2, sort_keys=True))
    print(json.dumps(doc, separators=(",", ":")), json.dumps([1, [2, [3]]], indent="\t"))
    print(json.dumps("naïve ☃ 😀"), json.dumps("naïve ☃ 😀", ensure_ascii=False), json.dumps("\x00\x1f\x7f\u2028"))
    print(json.dumps({1: "a", 2.5: "b", True: "c", None: "d"}), json.dumps([float("inf"), float("-inf"), float("nan"), -0.0, 1.5e-7]))
    print(json.dumps((1, 2)), json.dumps({"k": (1,)}), json.dumps({(1, 2): 3, "ok": 1}, skipkeys=True), json.dumps([], indent=4), json.dumps({}, indent=4))
    print(json.dumps({"when": Opaque()}, default=lambda o: "<obj>"), json.dumps([1, 2], indent=0))
    json.dump({"to": "stdout", "list": [1, 2]}, sys.stdout, indent=1)
    print()
    for text in ['{"a": [1, 2.5, -3e2, true, false, null], "b": "\\u00e9\\ud83d\\ude00\\n"}', "[]", " 42 ", '"x"', "-0", "1E3", "NaN", "[Infinity, -Infinity]"]:
        print(repr(json.loads(text)))
    print(json.loads(b'{"bytes": 1}'), json.loads('{"a": 1, "a": 2}'), json.loads('{"p": 1}', object_hook=lambda d: sorted(d.items())))
    print(json.loads("[1.5, 2]", parse_float=str, parse_int=lambda s: int(s) * 10), json.loads('[["k", 1]]'), json.loads('{"x": 1, "y": 2}', object_pairs_hook=list))
    for bad in ["", "   ", "[1,]", '{"a":1,}', "{'a': 1}", '{"a" 1}', "[1 2]", "[1, 2\n, x]", '"abc', '"a\\x"', '"\\u12"', "tru", "01", "1 2", '"a\nb"', "\ufeff1"]:
        try:
            json.loads(bad)
        except json.JSONDecodeError as e:
            print(type(e).__name__, e, e.msg, e.pos, e.lineno, e.colno, isinstance(e, ValueError))
    cycle = []
    cycle.append(cycle)
    for obj, kw in [(Opaque(), {}), ({(1, 2): 3}, {}), (cycle, {}), (float("nan"), {"allow_nan": False}), ([float("inf")], {"allow_nan": False, "indent": 1}), (1, {"bad": 1})]:
        try:
            json.dumps(obj, **kw)
        except (TypeError, ValueError) as e:
            print(type(e).__name__, e)
    try:
        json.loads(3)
    except TypeError as e:
        print("TypeError", e)


asyncio.run(main())
