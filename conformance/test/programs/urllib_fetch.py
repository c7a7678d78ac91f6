# URLs taken apart with urllib.parse before open_connection, as HTTP clients written on streams do.
import asyncio
import urllib.parse
from urllib.parse import parse_qs, quote, urlencode, urljoin, urlsplit


async def handle(reader, writer):
    request = (await reader.readline()).decode().rstrip()
    method, target, _ = request.split(" ")
    url = urlsplit(target)
    query = parse_qs(url.query)
    body = f"{method} {urllib.parse.unquote(url.path)} {sorted(query.items())}"
    writer.write(f"HTTP/1.0 200 OK\r\nContent-Length: {len(body)}\r\n\r\n{body}".encode())
    await writer.drain()
    writer.close()


async def get(url):
    parts = urlsplit(url)
    reader, writer = await asyncio.open_connection(parts.hostname, parts.port or 80)
    target = parts.path + ("?" + parts.query if parts.query else "")
    writer.write(f"GET {target} HTTP/1.0\r\nHost: {parts.netloc}\r\n\r\n".encode())
    status = (await reader.readline()).decode().rstrip()
    while (await reader.readline()) != b"\r\n":
        pass
    body = (await reader.read()).decode()
    writer.close()
    return status, body


async def main():
    server = await asyncio.start_server(handle, "127.0.0.1", 0)
    port = server.sockets[0].getsockname()[1]
    base = f"http://user:secret@127.0.0.1:{port}/api/v1/"
    for path in ["items?" + urlencode({"q": "a b&c", "page": 2}), quote("file name.txt"), "../v2/x?tag=1&tag=2"]:
        status, body = await get(urljoin(base, path))
        print(status, "|", body)
    server.close()
    await server.wait_closed()


u = urlsplit("HTTPS://User:Pw@Example.COM:8443/a/b;p?x=1&y=2#frag")
print(u)
print(u.scheme, u.netloc, u.hostname, u.port, u.username, u.password, u.geturl())
print(u._replace(fragment="", query="z=3").geturl())
print(urllib.parse.urlparse("http://h/p;params?q#f"))
print(urlsplit("//example.org/x").port, urlsplit("mailto:someone@example.org"), urlsplit("/relative/path?q"))
print(urllib.parse.urlunsplit(("http", "h:1", "/p", "a=1", "")), urllib.parse.urlunparse(("ftp", "h", "p", "x", "", "")))
for rel in ["g", "./g", "g/", "/g", "//g", "?y", "g?y", "#s", "..", "../..", "../../g", "", "http:g", "https://other/z"]:
    print(repr(rel), "->", urljoin("http://a/b/c/d;p?q", rel))
print(quote("a b/c?d=é"), quote("/x y", safe=""), urllib.parse.quote_plus("a b+c/d"))
print(urllib.parse.unquote("a%20b%2Fc%C3%A9%zz%"), urllib.parse.unquote_plus("a+b%2B"), urllib.parse.unquote("%ff"))
print(urlencode([("k", "v 1"), ("k", "é")]), urlencode({"a": [1, 2], "b": "x"}, doseq=True), urlencode({"a": [1, 2]}))
print(parse_qs("a=1&a=2&b=&c"), parse_qs("a=1&b=", keep_blank_values=True))
print(urllib.parse.parse_qsl("x=%41+b;y=2", separator=";"), urllib.parse.parse_qsl("a=1&&b=2"))
try:
    urlsplit("http://h:99999/").port
except ValueError as e:
    print("ValueError:", e)
try:
    urlsplit("http://h:x1/").port
except ValueError as e:
    print("ValueError:", e)
try:
    urlsplit("http://[::1/")
except ValueError as e:
    print("ValueError:", e)
asyncio.run(main())
