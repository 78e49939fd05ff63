from . import Variant

MUTANTS = [
    Variant("keeps the even numbers", old="if n % 2 == 1", new="if n % 2 == 0"),
    Variant("doubles every number, odd or not", old="for n in numbers if n % 2 == 1]", new="for n in numbers]"),
    Variant("filters with a for statement", old="    return [2 * n for n in numbers if n % 2 == 1]", new=(
        "    result = []\n    for n in numbers:\n        if n % 2 == 1:\n            result.append(2 * n)\n    return result"
    )),
]

MUTANTS += [
    Variant("hides the for statement in a helper", old="    return [2 * n for n in numbers if n % 2 == 1]", new=(
        "    return _odd_doubles(numbers)\n\n\ndef _odd_doubles(numbers):\n    result = [2 * n for n in []]\n"
        "    for n in numbers:\n        if n % 2 == 1:\n            result.append(2 * n)\n    return result")),
    Variant("a comprehension that does not run", old="    return [2 * n for n in numbers if n % 2 == 1]",
            new="    return [2 * n for n in numbers if n % 2 == 1] + undefined_name"),
]

ALTERNATIVES = [
    Variant("tests oddness with a bitwise and", old="if n % 2 == 1]", new="if n & 1]"),
    Variant("adds the number to itself", old="[2 * n for", new="[n + n for"),
    Variant("a helper for oddness, with type hints", old="if n % 2 == 1]", new=(
        "if is_odd(n)]\n\n\ndef is_odd(n: int) -> bool:\n    \"\"\"True for odd numbers, negative ones too.\"\"\"\n"
        "    return n % 2 != 0")),
]
