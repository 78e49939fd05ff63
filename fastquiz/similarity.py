"""Similar answers: for each question, the pairs of submissions whose code matches once names,
comments and layout are set aside, found by fingerprinting in the manner of MOSS (winnowing:
Schleimer, Wilkerson and Aiken, SIGMOD 2003).

An answer becomes a sequence of tokens: the names it binds itself (variables, parameters, its
functions, attributes it sets) all read `V`, every string `S`; keywords, operators, numbers and
the names it takes from elsewhere (`torch`, `.sum`, `len`) stay as written; comments and blank
lines go. Each run of K tokens is hashed, and in every window of WINDOW consecutive hashes
the smallest is kept: any match of K + WINDOW - 1 tokens or more shares a fingerprint. What the
stub and the model answer hold, and what many submissions share (a common idiom, not a copy),
are set aside. Two answers are similar when most of the smaller one's fingerprints are also in
the other: copies with renamed variables or reordered statements keep most of theirs, answers
written independently share few once the idioms are gone.

(copydetect, which implements MOSS's winnowing for Python, was considered: it turns every
name, `torch` and `.sum` included, into the same token, and hashes with Python's salted
`hash`, so independent answers look more alike and results change from run to run.)
"""
from __future__ import annotations

import ast
import functools
import hashlib
import io
import itertools
import keyword
import math
import tokenize
from collections import Counter
from dataclasses import dataclass

from .grader.answers import walk

K = 5  # tokens per k-gram: a match shorter than this is noise
WINDOW = 4  # a match of K + WINDOW - 1 tokens is always found
THRESHOLD = 0.6  # share of the smaller answer's fingerprints found in the other
MIN_SHARED = 8  # fingerprints two answers must share at least: short answers can't be told apart
COMMON_SHARE = 0.25  # a fingerprint in at least this share of the submissions (and 4 of them) is an idiom

_SKIPPED = {tokenize.COMMENT, tokenize.NL, tokenize.ENCODING, tokenize.ENDMARKER, tokenize.TYPE_COMMENT}


@dataclass(frozen=True)
class Fingerprints:
    """An answer's winnowed fingerprints, each with the source lines its k-gram spans."""

    lines: dict[int, frozenset[int]]  # hash -> line numbers (1-based)

    @property
    def hashes(self) -> set[int]:
        return set(self.lines)


@dataclass(frozen=True)
class SimilarPair:
    """Two submissions' answers to one question that match: `similarity` is the share of the
    smaller one's fingerprints found in the other; `lines_a`/`lines_b` are the matching lines."""

    question: str  # the module, e.g. r2_all_ten_digits
    a: str
    b: str
    similarity: float
    shared: int
    lines_a: frozenset[int]
    lines_b: frozenset[int]


@functools.lru_cache(maxsize=1024)
def fingerprints(source: str) -> Fingerprints:
    """The winnowed fingerprints of `source`; none for code that does not parse. Worked out once per
    text: a class holds many copies of one file (its stub, an answer passed around)."""
    tokens = _normalised_tokens(source)
    texts = [text for text, _ in tokens]
    hashes = [_hash(" ".join(texts[i:i + K])) for i in range(len(tokens) - K + 1)]
    picked: set[int] = set()  # where each chosen k-gram starts
    for start in range(max(1, len(hashes) - WINDOW + 1)):
        window = hashes[start:start + WINDOW]
        if window:  # the rightmost smallest hash, as the paper's robust winnowing picks it
            picked.add(start + len(window) - 1 - window[::-1].index(min(window)))
    chosen: dict[int, frozenset[int]] = {}
    for start in sorted(picked):
        lines = frozenset(line for _, line in tokens[start:start + K])
        chosen[hashes[start]] = chosen.get(hashes[start], frozenset()) | lines
    return Fingerprints(chosen)


def similar_pairs(answers: dict[str, dict[str, str]], stubs: dict[str, str],
                  models: dict[str, str]) -> list[SimilarPair]:
    """Pairs of submissions whose answers to a question are similar, most similar first.
    `answers`: submission -> module -> code; `stubs`, `models`: module -> code of the stub and
    of the model answer, whose fingerprints never count."""
    pairs = []
    modules = sorted({module for files in answers.values() for module in files})
    for module in modules:
        base = fingerprints(stubs.get(module, "")).hashes | fingerprints(models.get(module, "")).hashes
        prints = {name: fingerprints(files[module]) for name, files in answers.items() if module in files}
        seen = Counter(h for p in prints.values() for h in p.hashes - base)
        common = {h for h, n in seen.items() if n >= max(4, math.ceil(COMMON_SHARE * len(prints)))}
        kept = {name: p.hashes - base - common for name, p in prints.items()}
        for a, b in itertools.combinations(sorted(prints), 2):
            shared = kept[a] & kept[b]
            smaller = min(len(kept[a]), len(kept[b]))
            if len(shared) >= MIN_SHARED and len(shared) / smaller >= THRESHOLD:
                pairs.append(SimilarPair(module, a, b, len(shared) / smaller, len(shared),
                                         _lines(prints[a], shared), _lines(prints[b], shared)))
    return sorted(pairs, key=lambda p: (-p.similarity, p.question, p.a, p.b))


def _lines(prints: Fingerprints, hashes: set[int]) -> frozenset[int]:
    return frozenset().union(*(prints.lines[h] for h in hashes))


def _normalised_tokens(source: str) -> list[tuple[str, int]]:
    """(token, line) pairs: names the code binds read V, strings S; comments and layout dropped."""
    try:
        bound = _bound_names(ast.parse(source))
        raw = list(tokenize.generate_tokens(io.StringIO(source).readline))
    except (SyntaxError, ValueError, RecursionError, MemoryError, tokenize.TokenError):
        return []
    tokens, previous = [], ""
    for token in raw:
        if token.type in _SKIPPED:
            continue
        text = token.string
        if token.type == tokenize.STRING or token.type in _FSTRING:
            text = "S"
        elif token.type == tokenize.NAME and not keyword.iskeyword(text) and text in bound:
            text = "V"
        elif token.type in (tokenize.NEWLINE, tokenize.INDENT, tokenize.DEDENT):
            text = {tokenize.NEWLINE: ";", tokenize.INDENT: "{", tokenize.DEDENT: "}"}[token.type]
        if text == "S" and previous == "S":  # an f-string's parts, or adjacent literals: one string
            continue
        tokens.append((text, token.start[0]))
        previous = text
    return tokens


_FSTRING = {getattr(tokenize, name) for name in ("FSTRING_START", "FSTRING_MIDDLE", "FSTRING_END")
            if hasattr(tokenize, name)}


def _bound_names(tree: ast.AST) -> set[str]:
    """The names the code chooses itself: what it assigns, its parameters, functions, classes,
    import aliases, and the attributes it sets (self.weights = ...)."""
    names = set()
    for node in walk(tree):
        if isinstance(node, ast.Name) and isinstance(node.ctx, (ast.Store, ast.Del)):
            names.add(node.id)
        elif isinstance(node, ast.Attribute) and isinstance(node.ctx, ast.Store):
            names.add(node.attr)
        elif isinstance(node, ast.arg):
            names.add(node.arg)
        elif isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            names.add(node.name)
        elif isinstance(node, ast.alias) and node.asname:
            names.add(node.asname)
    return names


def _hash(text: str) -> int:
    """A hash that is the same in every run (Python's own `hash` of a str is salted)."""
    return int.from_bytes(hashlib.blake2b(text.encode(), digest_size=8).digest(), "big")
