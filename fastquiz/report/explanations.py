"""The free-text EXPLAIN answers, read from the files' syntax trees (never by running them)."""
from __future__ import annotations

import ast
import re
import textwrap
from pathlib import Path

_LISTED = re.compile(r"\s|[-*•]\s|\d+[.)]\s")  # a line that starts indented, or as an item of a list


def read_explain(path: Path) -> str:
    """The string a file assigns to EXPLAIN at top level (the last one), "" when there is none;
    hard-wrapped prose is joined into paragraphs. Raises OSError or SyntaxError for a file that
    can't be read."""
    tree = ast.parse(Path(path).read_text(encoding="utf-8"), filename=str(path))
    text = ""
    for node in tree.body:
        if isinstance(node, ast.Assign):
            targets = node.targets
        elif isinstance(node, ast.AnnAssign):
            targets = [node.target]
        else:
            continue
        if any(isinstance(t, ast.Name) and t.id == "EXPLAIN" for t in targets):
            value = node.value
            text = value.value if isinstance(value, ast.Constant) and isinstance(value.value, str) else ""
    return _reflow(textwrap.dedent(text).strip())


def _reflow(text: str) -> str:
    """Join the lines of each paragraph, except paragraphs laid out on purpose (indented lines, lists)."""
    paragraphs = re.split(r"\n[ \t]*\n", text)
    return "\n\n".join(
        paragraph if any(_LISTED.match(line) for line in paragraph.splitlines()[1:])
        else " ".join(line.strip() for line in paragraph.splitlines())
        for paragraph in paragraphs
    )
