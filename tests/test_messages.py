"""Every message that suggests a command or an option names one that exists: the messages are read
from the source (what is raised, echoed or failed with), and each suggestion's `--help` is run.

A message names a command in full (`fastquiz data download --url URL`), or, raised by a command
of fastquiz/commands/, an option of that command bare (--workspace): such a message must name an
option of every command that can reach the code raising it. Elsewhere (the data layer, the
exports, the notebook), a message can't know which command runs it, so it names options only
inside a whole command."""
from __future__ import annotations

import ast
import re
from dataclasses import dataclass
from pathlib import Path

import click
import pytest
from click.testing import CliRunner

from fastquiz.cli import main
from workspaces import ROOT

MESSAGE_CALLS = {"echo", "secho", "fail", "print", "require_writable"}  # and any ...Error(...) or ...Exception(...)
# A command: in backticks, or bare where a command's name follows, up to the end of its clause.
SPAN = re.compile(rf"`fastquiz( [^`]*)`|(?<![\w.`'-])fastquiz ((?:{'|'.join(main.commands)})(?![\w'-])[^`);:\n]*)")
OPTION = re.compile(r"(?<![\w-])--[a-z][\w-]*")


@dataclass(frozen=True)
class Message:
    file: str
    line: int
    text: str  # its literal parts, with {} for what is filled in
    function: str  # the top-level function raising it, "" at module level

    def __str__(self) -> str:
        return f"{self.file}:{self.line}: {self.text!r}"


def text_of(node: ast.AST) -> str:
    """The literal text of a message expression: its strings, with {} where a value is filled in."""
    pieces = []
    for child in ast.walk(node):
        if isinstance(child, ast.JoinedStr):
            pieces.append("".join(v.value if isinstance(v, ast.Constant) else "{}" for v in child.values))
        elif isinstance(child, ast.Constant) and isinstance(child.value, str) and not _in_joined(child, node):
            pieces.append(child.value)
    return " ".join(pieces)


def _in_joined(constant: ast.Constant, root: ast.AST) -> bool:
    return any(isinstance(n, ast.JoinedStr) and constant in n.values for n in ast.walk(root))


def _is_message_call(node: ast.AST) -> bool:
    if not isinstance(node, ast.Call):
        return False
    name = node.func.attr if isinstance(node.func, ast.Attribute) else getattr(node.func, "id", "")
    return name in MESSAGE_CALLS or name.endswith(("Error", "Exception", "Unavailable", "Failed"))


def messages(path: Path) -> list[Message]:
    """What a module raises, echoes, fails with or returns as text (a message made by a helper)."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    found: dict[tuple[int, str], Message] = {}
    for top in tree.body:
        function = top.name if isinstance(top, (ast.FunctionDef, ast.AsyncFunctionDef)) else ""
        for node in ast.walk(top):
            if isinstance(node, (ast.Raise, ast.Return)) or _is_message_call(node):
                text = text_of(node)
                if text.strip():
                    found.setdefault((node.lineno, text), Message(str(path.relative_to(ROOT)), node.lineno, text, function))
    return list(found.values())


FASTQUIZ_MESSAGES = [m for path in sorted((ROOT / "fastquiz").rglob("*.py")) for m in messages(path)]
GRADER_MESSAGES = [m for path in sorted((ROOT / "grader").glob("*.py")) for m in messages(path)]


def resolve(words: list[str]) -> tuple[list[str], click.Command]:
    """The command path that `words` (after `fastquiz`) start with, and its command."""
    command: click.Command = main
    path = []
    for word in words:
        if not isinstance(command, click.Group) or word not in command.commands:
            break
        command = command.commands[word]
        path.append(word)
    return path, command


def help_of(path: list[str]) -> str:
    result = CliRunner().invoke(main, [*path, "--help"])
    assert result.exit_code == 0, f"fastquiz {' '.join(path)} --help: {result.output}"
    return result.output


def lists_option(help_text: str, option: str) -> bool:
    """Whether `--help`'s list of options holds `option`."""
    return re.search(rf"^\s+(?:-\w, )?{re.escape(option)}\b", help_text, re.MULTILINE) is not None


def suggestions(text: str) -> list[tuple[list[str], list[str]]]:
    """The commands a message names in full: (the words after `fastquiz`, the options among them)."""
    spans = [quoted or bare for quoted, bare in SPAN.findall(text)]
    return [(span.split(), OPTION.findall(span)) for span in spans]


def test_the_messages_are_found():
    """The scan sees the messages it must: a sample of known ones, in each kind of call."""
    texts = [m.text for m in FASTQUIZ_MESSAGES]
    assert any("is not in a fastquiz workspace" in t for t in texts)  # raise FastquizError(f"...")
    assert any(t.startswith("More: fastquiz hint {} --level") for t in texts)  # click.echo(f"...")
    assert any("--ci grades once" in t for t in texts)  # raise click.UsageError("...")
    assert len(FASTQUIZ_MESSAGES) > 100


@pytest.mark.parametrize("message", [m for m in FASTQUIZ_MESSAGES + GRADER_MESSAGES if suggestions(m.text)], ids=str)
def test_every_command_a_message_suggests_exists_with_its_options(message):
    for words, options in suggestions(message.text):
        path, command = resolve(words)
        assert path and not isinstance(command, click.Group), f"{message}: no command `fastquiz {' '.join(words)}`"
        shown = help_of(path)
        for option in options:
            assert lists_option(shown, option), f"{message}: `fastquiz {' '.join(path)}` has no {option}"


# --- options named bare, by the commands of fastquiz/commands/ ----------------------------------

def commands_by_callback() -> dict[tuple[str, str], tuple[str, ...]]:
    """{(module file, function name): its command's words}, for every command of the CLI."""
    found = {}

    def walk(command: click.Command, path: list[str]) -> None:
        if command.callback is not None and path:
            code = command.callback.__code__
            found[(str(Path(code.co_filename).resolve().relative_to(ROOT)), command.callback.__name__)] = tuple(path)
        for name, sub in getattr(command, "commands", {}).items():
            walk(sub, [*path, name])

    walk(main, [])
    return found


def reaching_commands() -> dict[tuple[str, str], set[tuple[str, ...]]]:
    """{(module file, function) of fastquiz/commands/: the commands whose code reaches it}: each command's
    callback, then every function of fastquiz/commands/ that a reached one calls by name (defined in its
    module, or imported from another module there), until nothing new is reached."""
    calls: dict[tuple[str, str], set[tuple[str, str]]] = {}
    for path in sorted((ROOT / "fastquiz" / "commands").glob("*.py")):
        file, tree = str(path.relative_to(ROOT)), ast.parse(path.read_text())
        known = {top.name: (file, top.name) for top in tree.body if isinstance(top, ast.FunctionDef)}
        for node in ast.walk(tree):  # `from .options import resolve_workspace`, at the top or in a function
            if isinstance(node, ast.ImportFrom) and node.level == 1 and node.module:
                known.update({a.asname or a.name: (f"fastquiz/commands/{node.module}.py", a.name) for a in node.names})
        for top in tree.body:
            if isinstance(top, ast.FunctionDef):
                used = {n.id for n in ast.walk(top) if isinstance(n, ast.Name)}
                calls[(file, top.name)] = {known[name] for name in used if name in known}
    reached: dict[tuple[str, str], set[tuple[str, ...]]] = {key: set() for key in calls}
    for key, words in commands_by_callback().items():
        if key in reached:
            reached[key].add(words)
    changed = True
    while changed:
        changed = False
        for caller, callees in calls.items():
            for callee in callees & set(reached):
                if not reached[caller] <= reached[callee]:
                    reached[callee] |= reached[caller]
                    changed = True
    return reached


def bare_options(message: Message) -> list[str]:
    return OPTION.findall(SPAN.sub("", message.text))


@pytest.mark.parametrize("message", [m for m in FASTQUIZ_MESSAGES if bare_options(m)], ids=str)
def test_an_option_named_bare_belongs_to_every_command_that_can_say_it(message):
    assert message.file.startswith("fastquiz/commands/"), \
        f"{message}: outside fastquiz/commands/, name an option with its command (`fastquiz grade --data DIR`)"
    commands = reaching_commands()[(message.file, message.function)]
    assert commands, f"{message}: no command reaches {message.function}"
    for words in sorted(commands):
        shown = help_of(list(words))
        for option in bare_options(message):
            assert lists_option(shown, option), f"{message}: `fastquiz {' '.join(words)}` has no {option}"


def test_a_message_naming_an_option_that_does_not_exist_is_caught():
    """The checks above fail where they must: `data download` has no --data, and a helper of `grade` can't
    name `check`'s --watch."""
    (words, options), = suggestions("could not download it: pass `fastquiz data download --data DIR`")
    path, _ = resolve(words)
    assert path == ["data", "download"] and options == ["--data"] and not lists_option(help_of(path), "--data")
    assert resolve(["dta", "download"])[0] == []
    assert reaching_commands()[("fastquiz/commands/grade.py", "_executor")] == {("grade",)}
    assert not lists_option(help_of(["grade"]), "--watch")
