"""How a student's function is written, read from the whole file's syntax tree in the check's process.

A rule such as "no Python loop in column_means" or "no ready-made ReLU" must hold for all the
code the function can run: its definition, every other binding of its name anywhere at the top
of the file (a later `column_means = looping_version` wins at run time), and, as deep as they
go, the module-level helpers, aliases and imports it refers to. `Reachable` collects that code;
the worker that runs the student's file is never asked about it. Code that rebinds names in ways
a syntax tree can't follow (`exec`, `globals()`, `setattr`, ...) is reported as such.
"""
from __future__ import annotations

import ast
import functools
from pathlib import Path

from ... import exercises
from ..answers import walk

LOOPS = (ast.For, ast.AsyncFor, ast.While, ast.ListComp, ast.SetComp, ast.DictComp, ast.GeneratorExp)
HIDDEN_LOOPS = {"map", "filter", "reduce", "vectorize", "frompyfunc", "apply_", "map_"}  # a loop in a call
DYNAMIC = {"exec", "eval", "compile", "globals", "vars", "locals", "setattr", "delattr", "__import__",
           "importlib.import_module", "sys.modules"}
DYNAMIC_ATTRIBUTES = {"__dict__", "__code__", "__globals__", "__builtins__"}


class Reachable:
    """The code a top-level function `name` of `source` can run, as far as the file shows it."""

    def __init__(self, source: str, name: str):
        self.tree = _parse(source)
        self.aliases = _aliases(self.tree)  # e.g. np -> numpy, F -> torch.nn.functional, mm -> torch.matmul
        bindings = _bindings(self.tree)
        self.nodes: list[ast.AST] = []
        wanted, seen = [name], set()
        while wanted:
            current = wanted.pop()
            if current in seen:
                continue
            seen.add(current)
            for node in bindings.get(current, []):
                self.nodes.append(node)
                wanted += [name for name in _free_names(node) if name in bindings]
        self.defined = name in bindings
        self.below = [sub for node in self.nodes for sub in walk(node)]  # the reached code, every node of it
        top_level_code = [n for n in self.tree.body if not isinstance(n, (ast.FunctionDef, ast.AsyncFunctionDef,
                                                                         ast.ClassDef, ast.Import, ast.ImportFrom))]
        names = {self.qualified(n) for n in self.below + [sub for node in top_level_code for sub in walk(node)]
                 if isinstance(n, (ast.Name, ast.Attribute))}
        rebound = {g for n in walk(self.tree) if isinstance(n, ast.Global) for g in n.names} & seen
        self.dynamic = sorted((names & DYNAMIC) | {n.rsplit(".", 1)[-1] for n in names} & DYNAMIC_ATTRIBUTES
                              | {f"global {g}" for g in rebound})

    def qualified(self, node: ast.AST) -> str:
        """What an expression names: `np.dot` is "numpy.dot", `F.relu` "torch.nn.functional.relu",
        `x.relu` stays "x.relu" (a method of whatever x is), a call's result is "f()"."""
        if isinstance(node, ast.Name):
            return self.aliases.get(node.id, node.id)
        if isinstance(node, ast.Attribute):
            return f"{self.qualified(node.value)}.{node.attr}"
        if isinstance(node, ast.Call):
            return f"{self.qualified(node.func)}()"
        return "?"

    def uses(self, names: set[str]) -> list[str]:
        """What the code refers to whose last part is one of `names`: attributes (`torch.matmul`,
        `a.mm`) and imported or aliased names (`from numpy import dot`); a local variable that
        happens to be called `dot` is not a use."""
        found = set()
        for sub in self.below:
            if isinstance(sub, ast.Attribute) or isinstance(sub, ast.Name) and sub.id in self.aliases:
                found.add(self.qualified(sub))
            elif isinstance(sub, ast.alias):
                found.add(sub.name)
        return sorted(ref for ref in found if ref.rsplit(".", 1)[-1] in names)

    def calls(self) -> list[str]:
        """The qualified names of the functions the code calls."""
        return [self.qualified(n.func) for n in self.below if isinstance(n, ast.Call)]

    def loops(self) -> list[str]:
        """The Python loops the code runs: for/while statements, comprehensions, and map, filter and the like."""
        found = {type(n).__name__ for n in self.below if isinstance(n, LOOPS)}
        found |= {f"{call.rsplit('.', 1)[-1]}()" for call in self.calls() if call.rsplit(".", 1)[-1] in HIDDEN_LOOPS}
        return sorted(found)


def _aliases(tree: ast.Module) -> dict[str, str]:
    """Names that stand for something importable: imports anywhere, and top-level `name = a.b` assignments."""
    aliases: dict[str, str] = {}
    for node in walk(tree):
        if isinstance(node, (ast.Import, ast.ImportFrom)):
            for alias in node.names:
                local = alias.asname or alias.name.split(".")[0]
                if isinstance(node, ast.ImportFrom):
                    aliases[local] = f"{node.module}.{alias.name}"
                else:
                    aliases[local] = alias.name if alias.asname else local
    for statement in _top_level(tree.body):
        if isinstance(statement, ast.Assign) and isinstance(statement.value, (ast.Name, ast.Attribute)):
            for target in statement.targets:
                if isinstance(target, ast.Name):
                    value = statement.value
                    chain = []
                    while isinstance(value, ast.Attribute):
                        chain.append(value.attr)
                        value = value.value
                    if isinstance(value, ast.Name):
                        aliases[target.id] = ".".join([aliases.get(value.id, value.id), *reversed(chain)])
    return aliases


def _bindings(tree: ast.Module) -> dict[str, list[ast.AST]]:
    """Every top-level binding of each name: definitions, assignments, imports (also under if/try/with/for)."""
    found: dict[str, list[ast.AST]] = {}
    for statement in _top_level(tree.body):
        for name in _bound_names(statement):
            found.setdefault(name, []).append(statement)
    return found


def _free_names(node: ast.AST) -> set[str]:
    """The names a statement refers to that it does not bind itself: in a function (or a class), its
    parameters and the names it assigns are its own, not the module's, unless declared global."""
    nodes = walk(node)
    loaded = {n.id for n in nodes if isinstance(n, ast.Name) and isinstance(n.ctx, ast.Load)}
    if not isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
        return loaded
    own, declared = set(), set()
    for n in nodes:
        if isinstance(n, ast.Name) and isinstance(n.ctx, (ast.Store, ast.Del)):
            own.add(n.id)
        elif isinstance(n, ast.arguments):
            own |= {a.arg for a in [*n.posonlyargs, *n.args, *n.kwonlyargs, n.vararg, n.kwarg] if a is not None}
        elif isinstance(n, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)) and n is not node:
            own.add(n.name)
        elif isinstance(n, (ast.Import, ast.ImportFrom)):
            own |= {alias.asname or alias.name.split(".")[0] for alias in n.names}
        elif isinstance(n, (ast.Global, ast.Nonlocal)):
            declared |= set(n.names)
    decorators = {n.id for d in getattr(node, "decorator_list", []) for n in walk(d) if isinstance(n, ast.Name)}
    return (loaded - (own - declared)) | decorators


def _top_level(body: list[ast.stmt]) -> list[ast.stmt]:
    """The statements that run at the top of the module, entering if/try/with/for blocks but no definitions."""
    found = []
    for statement in body:
        found.append(statement)
        if isinstance(statement, (ast.If, ast.Try, ast.With, ast.For, ast.While)):
            for block in ("body", "orelse", "finalbody"):
                found += _top_level(getattr(statement, block, []))
            for handler in getattr(statement, "handlers", []):
                found += _top_level(handler.body)
    return found


@functools.lru_cache(maxsize=16)
def _parse(source: str) -> ast.Module:
    """A file's syntax tree, parsed once for every name the checks follow in it (nothing changes it)."""
    return ast.parse(source)


@functools.lru_cache(maxsize=64)
def read(source: str, name: str) -> Reachable:
    """`Reachable(source, name)`, worked out once per source: checks ask for it in every example."""
    return Reachable(source, name)


def reachable(student, name: str) -> Reachable:
    """The code of the student's `name`, with an assertion a student can act on when it can't be followed."""
    code = read(student.source, name)
    assert code.defined, f"{student.path.name} has no {name}: keep the names the stub defines"
    assert not code.dynamic, (
        f"{name} or the top of the file uses {', '.join(code.dynamic)}, which the grader can't follow: "
        f"write {name} with plain functions and imports"
    )
    return code


def assert_no_loops(student, name: str, advice: str) -> None:
    """No Python loop anywhere in what `name` runs (helpers included); `advice` says what to do instead."""
    loops = reachable(student, name).loops()
    assert not loops, f"{name} uses a Python loop ({', '.join(loops)}), in itself or in a helper: {advice}"


def assert_given_unchanged(student, name: str) -> None:
    """The stub's given function `name` is in the student's file as the stub has it, and nothing rebinds it."""
    reachable(student, name)
    assert _unchanged(student.source, student.path.name, name), (
        f"{name} is given by the stub: keep it exactly as the stub has it, and don't rebind it")


@functools.lru_cache(maxsize=64)
def _unchanged(source: str, stub: str, name: str) -> bool:
    """Whether `source` defines `name` once, as the stub file `stub` does (worked out once per source)."""
    mine = read(source, name)
    bound_once = sum(1 for n in mine.nodes if name in _bound_names(n)) == 1
    return bound_once and _definitions(mine, name) == _given(stub, name)


@functools.lru_cache(maxsize=64)
def _given(stub: str, name: str) -> list[str]:
    """How the stub file `stub` defines `name` (read once)."""
    return _definitions(read((Path(exercises.__file__).parent / stub).read_text(encoding="utf-8"), name), name)


def _definitions(code: Reachable, name: str) -> list[str]:
    return [ast.dump(n) for n in code.nodes if getattr(n, "name", None) == name]


def _bound_names(node: ast.AST) -> set[str]:
    """The names a top-level statement binds."""
    if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
        return {node.name}
    if isinstance(node, (ast.Import, ast.ImportFrom)):
        return {alias.asname or alias.name.split(".")[0] for alias in node.names}
    if isinstance(node, ast.With):
        targets = [item.optional_vars for item in node.items if item.optional_vars is not None]
    elif isinstance(node, ast.Assign):
        targets = node.targets
    elif isinstance(node, (ast.AnnAssign, ast.AugAssign, ast.For)):
        targets = [node.target]
    else:
        targets = [n.target for n in walk(node) if isinstance(n, ast.NamedExpr)] if isinstance(node, ast.Expr) else []
    return {n.id for t in targets for n in walk(t) if isinstance(n, ast.Name)}
