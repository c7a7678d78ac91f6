# An uncaught exception through plain functions, a method and a lambda: every frame, its source line
# and 3.11's position markers.
class Account:
    def __init__(self, balance):
        self.balance = balance

    def share(self, people):
        return self.balance / people


def split(accounts, people):
    return [a.share(people) for a in accounts]


def report(accounts):
    per_head = lambda n: split(accounts, n)
    print(per_head(2))
    print(per_head(0))


report([Account(10), Account(20)])
