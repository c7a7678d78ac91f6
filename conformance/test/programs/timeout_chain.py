import asyncio


async def fetch(url, delay):
    await asyncio.sleep(delay)
    return f"<html>{url}</html>"


async def fetch_with_fallback(urls, per_try):
    errors = []
    for url, delay in urls:
        try:
            return await asyncio.wait_for(fetch(url, delay), timeout=per_try)
        except asyncio.TimeoutError:
            errors.append(url)
            print(f"{url} timed out")
    raise TimeoutError(f"all mirrors failed: {errors}")


async def main():
    mirrors = [("mirror1", 0.2), ("mirror2", 0.15), ("mirror3", 0.01)]
    page = await fetch_with_fallback(mirrors, 0.05)
    print(page)
    try:
        await fetch_with_fallback(mirrors[:2], 0.02)
    except TimeoutError as e:
        print(f"Error: {e}")


asyncio.run(main())
