from . import Variant

MUTANTS = [
    Variant("builds a list of lists instead of tuples", old="return list(zip(xs, ys))",
            new="return [[x, y] for x, y in zip(xs, ys)]"),
    Variant("returns the lazy zip object itself", old="return list(zip(xs, ys))", new="return zip(xs, ys)"),
    Variant("builds a dict from inputs to labels", old="return list(zip(xs, ys))", new="return dict(zip(xs, ys))"),
    Variant("thinks the pairs are made lazily", old='PAIRS = "a"', new='PAIRS = "d"'),
]

ALTERNATIVES = [
    Variant("indexes both sequences in a comprehension", old="return list(zip(xs, ys))",
            new="return [(xs[i], ys[i]) for i in range(len(xs))]"),
    Variant("a loop with append", old="    return list(zip(xs, ys))",
            new="    pairs = []\n    for i, x in enumerate(xs):\n        pairs.append((x, ys[i]))\n    return pairs"),
    Variant("map with a two-argument lambda", old="return list(zip(xs, ys))",
            new="return list(map(lambda x, y: (x, y), xs, ys))"),
]
