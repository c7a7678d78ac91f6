import asyncio

USERS = {1: "alice", 2: "bob", 3: "carol", 4: "dave"}


async def fetch_user(uid):
    await asyncio.sleep(0.01)
    if uid not in USERS:
        raise KeyError(uid)
    return {"id": uid, "name": USERS[uid], "score": uid * 7 % 5}


async def main():
    ids = [3, 1, 4, 9, 2]
    tasks = {uid: asyncio.create_task(fetch_user(uid)) for uid in ids}
    await asyncio.wait(tasks.values())
    found, missing = {}, []
    for uid, task in tasks.items():
        if task.exception() is not None:
            missing.append(uid)
            print(f"user {uid}: {task.exception()!r}")
        else:
            found[uid] = task.result()
    print("missing:", missing)
    ranking = sorted(found.values(), key=lambda u: (-u["score"], u["name"]))
    for pos, user in enumerate(ranking, start=1):
        print(pos, user["name"].title(), user["score"])
    by_score = {}
    for user in found.values():
        by_score.setdefault(user["score"], []).append(user["name"])
    print(by_score)
    print(list(found.keys()), set(USERS) - set(found))
    names = ", ".join(u["name"].upper() for u in ranking)
    print(names)
    print(found.get(9, "n/a"), found.pop(1)["name"], len(found))


asyncio.run(main())
