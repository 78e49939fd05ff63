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

MUTANTS += [
    Variant("appends inside a comprehension, used only for its side effect",
            old="    return [2 * n for n in numbers if n % 2 == 1]",
            new="    result = []\n    [result.append(2 * n) for n in numbers if n % 2 == 1]\n    return result"),
    Variant("two comprehensions: one keeps the odd numbers, the other doubles them",
            old="    return [2 * n for n in numbers if n % 2 == 1]",
            new="    odds = [n for n in numbers if n % 2 == 1]\n    return [2 * n for n in odds]"),
    Variant("C's remainder (math.fmod), which is -1 for a negative odd number",
            old="def double_odds(numbers: list[int]) -> list[int]:\n    return [2 * n for n in numbers if n % 2 == 1]",
            new="import math\n\n\ndef double_odds(numbers: list[int]) -> list[int]:\n"
                "    return [2 * n for n in numbers if math.fmod(n, 2) == 1]"),
    Variant("sorts the result", old="    return [2 * n for n in numbers if n % 2 == 1]",
            new="    return sorted([2 * n for n in numbers if n % 2 == 1])"),
]

ALTERNATIVES = [
    Variant("tests oddness with a bitwise and", old="if n % 2 == 1]", new="if n & 1]"),
    Variant("adds the number to itself", old="[2 * n for", new="[n + n for"),
    Variant("a helper for oddness, with type hints", old="if n % 2 == 1]", new=(
        "if is_odd(n)]\n\n\ndef is_odd(n: int) -> bool:\n    \"\"\"True for odd numbers, negative ones too.\"\"\"\n"
        "    return n % 2 != 0")),
]
