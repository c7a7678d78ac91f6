# itertools: the infinite iterators, the terminating ones and the combinatoric ones.
import itertools
from itertools import (accumulate, chain, combinations, combinations_with_replacement, compress, count, cycle,
                       dropwhile, filterfalse, groupby, islice, pairwise, permutations, product, repeat, starmap,
                       takewhile, tee, zip_longest)

c = count(5)
print(next(c), next(c), c, count(), count(1, 2), count(0.5, 0.25), type(c), type(c).__name__)
print(list(islice(count(10, -3), 4)), list(zip("abc", count())))
print(list(islice(cycle("ab"), 5)), list(cycle([])))
r = repeat("x", 3)
print(r, next(r), r, list(r), r, repeat(1), list(repeat(0, -1)))
print(list(accumulate([1, 2, 3, 4])), list(accumulate([3, 1, 4], max)), list(accumulate([1, 2], initial=10)), list(accumulate([])))
print(list(chain("ab", [1], (2, 3))), list(chain.from_iterable(["xy", "z"])), list(chain()))
print(list(compress("abcdef", [1, 0, 1, 0, 1, 1])), list(compress("abc", [1])))
print(list(dropwhile(lambda x: x < 3, [1, 2, 3, 1, 5])), list(takewhile(lambda x: x < 3, [1, 2, 3, 1])))
print(list(filterfalse(lambda x: x % 2, range(7))), list(filterfalse(None, [0, 1, "", "a"])))
print([(k, list(g)) for k, g in groupby("aaabccaa")])
print([(k, len(list(g))) for k, g in groupby([1, 3, 2, 4, 5], key=lambda x: x % 2)])
groups = list(groupby("aabb"))
print([(k, list(g)) for k, g in groups])
print(list(islice("abcdefg", 2)), list(islice("abcdefg", 2, 4)), list(islice("abcdefg", 2, None)), list(islice("abcdefg", 0, None, 2)))
it = iter(range(10))
print(list(islice(it, 0, 5, 3)), next(it))
for args in [(-1,), (1, -2), (0, 5, 0)]:
    try:
        islice("abc", *args)
    except ValueError as e:
        print(e)
print(list(starmap(pow, [(2, 5), (3, 2)])), list(pairwise("abcd")), list(pairwise("a")))
a, b = tee(iter([1, 2, 3]))
print(next(a), next(a), list(b), list(a), len(tee("ab", 3)))
print(list(zip_longest("ab", "xyz", fillvalue="-")), list(zip_longest([1, 2], [3])), list(zip_longest()))
print(list(product("ab", [0, 1])), list(product([1, 2], repeat=2)), list(product()), list(product("ab", [])))
print(list(permutations("abc", 2)), len(list(permutations(range(4)))), list(permutations([1, 2, 3], 4)))
print(list(combinations("abcd", 2)), list(combinations(range(4), 3)), list(combinations("ab", 0)), list(combinations("ab", 3)))
print(list(combinations_with_replacement("abc", 2)))
print(sorted(permutations([3, 1, 2]))[:2], sum(1 for _ in combinations(range(10), 4)))
print(isinstance(chain(), itertools.chain), repr(chain()).startswith("<itertools.chain object at 0x"))
