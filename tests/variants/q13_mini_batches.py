from . import Variant

MUTANTS = [
    Variant("rounds down even when the last batch is kept",
            old="return math.ceil(n_items / batch_size)", new="return n_items // batch_size"),
    Variant("always adds one batch for the remainder",
            old="return math.ceil(n_items / batch_size)", new="return n_items // batch_size + 1"),
    Variant("ignores drop_last", old="    if drop_last:\n        return n_items // batch_size\n", new=""),
    Variant("thinks mini-batches are only about memory", old='WHY_MINI_BATCHES = "a"', new='WHY_MINI_BATCHES = "d"'),
]

ALTERNATIVES = [
    Variant("ceiling by negative floor division", old="math.ceil(n_items / batch_size)", new="-(-n_items // batch_size)"),
    Variant("divmod", old="    return math.ceil(n_items / batch_size)", new=(
        "    full, rest = divmod(n_items, batch_size)\n    return full + (1 if rest else 0)")),
    Variant("counts the batch starts", old="    if drop_last:\n        return n_items // batch_size\n"
            "    return math.ceil(n_items / batch_size)", new=(
        "    starts = range(0, n_items, batch_size)\n"
        "    return sum(1 for s in starts if not drop_last or s + batch_size <= n_items)")),
]
