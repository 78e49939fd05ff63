"""Variants of the model answers: mutants that carry a real misconception and must fail
their question, and alternatives in other correct styles that must pass.

Each module here is named after a question's files (`q04_list_comprehension.py`) and
defines `MUTANTS` and `ALTERNATIVES`: lists of `Variant`, each an edit of the model
answer, so that a variant states only what it changes.
"""
from __future__ import annotations

import importlib
import pkgutil
from dataclasses import dataclass


@dataclass(frozen=True)
class Variant:
    """The model answer with `old` (which must occur exactly once) replaced by `new`; `way_around`
    marks a mutant that tries to earn points without doing the work (it must fail in grade mode too)."""

    description: str
    old: str
    new: str
    way_around: bool = False

    def apply(self, source: str) -> str:
        count = source.count(self.old)
        if count != 1:
            raise ValueError(f"{self.description!r}: the text to replace occurs {count} times, expected once")
        return source.replace(self.old, self.new)


def variants(kind: str) -> dict[str, list[Variant]]:
    """{question module name: its MUTANTS or ALTERNATIVES}."""
    found = {}
    for info in pkgutil.iter_modules(__path__):
        module = importlib.import_module(f"{__name__}.{info.name}")
        found[info.name] = getattr(module, kind)
    return found
