import asyncio


class APIError(Exception):
    def __init__(self, status, message):
        super().__init__(f"{status}: {message}")
        self.status = status


class RateLimited(APIError):
    pass


async def call_api(endpoint):
    await asyncio.sleep(0.01)
    if endpoint == "/limited":
        raise RateLimited(429, "Too Many Requests")
    if endpoint == "/missing":
        raise APIError(404, "Not Found")
    return {"endpoint": endpoint, "ok": True}


async def safe_call(endpoint):
    try:
        return await call_api(endpoint)
    except RateLimited as e:
        print(f"rate limited on {endpoint} (status {e.status})")
        return None
    except APIError as e:
        raise RuntimeError(f"call to {endpoint} failed") from e


async def main():
    endpoints = ["/users", "/limited", "/missing"]
    results = await asyncio.gather(*(safe_call(e) for e in endpoints), return_exceptions=True)
    for endpoint, result in zip(endpoints, results):
        if isinstance(result, Exception):
            print(f"{endpoint}: {type(result).__name__}: {result}")
            print(f"  caused by {result.__cause__!r}")
        else:
            print(f"{endpoint}: {result}")
    print(isinstance(RateLimited(1, "x"), APIError), RateLimited.__name__)
    try:
        async with asyncio.TaskGroup() as tg:
            tg.create_task(call_api("/missing"))
            tg.create_task(call_api("/limited"))
    except ExceptionGroup as eg:
        print("task group:", [str(e) for e in eg.exceptions])
        statuses = sorted(e.status for e in eg.exceptions)
        print("statuses:", statuses)


asyncio.run(main())
