"""Text that students control (submission names, messages, titles) made safe for each output
it reaches: a spreadsheet cell, XML, a Markdown table. HTML is escaped by Jinja's autoescape."""
from __future__ import annotations

import re
import string

# Characters XML 1.0 allows: tab, newline, carriage return, and the ranges below; nothing else,
# not even as a character reference (&#27; is as invalid as a raw ESC).
_NOT_XML = re.compile("[^\t\n\r\u0020-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")
# A spreadsheet reads a cell that starts with one of these as a formula (OWASP: CSV injection), and a
# cell may start after any character some spreadsheet splits cells or lines at (";" in most European
# locales), a space or a quote or two in between.
_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
_FORMULA_AFTER_SEPARATOR = re.compile(r"""([,;|\t\r\n][\s"']*)([=+\-@])""")
_CONTROL = re.compile(r"[\x00-\x1f\x7f]")
_CONTROL_BUT_LINES = re.compile(r"[\x00-\x08\x0b-\x1f\x7f]")
_SURROGATE = re.compile("[\ud800-\udfff]")
_PUNCTUATION = re.compile(f"([{re.escape(string.punctuation)}])")


def readable(text: str) -> str:
    """`text` that can be written as UTF-8: bytes that were not UTF-8 (which `os.fsdecode` keeps
    as the surrogates U+DC80..U+DCFF) shown as `\\xNN`, any other lone surrogate as `\\uXXXX`."""
    return _SURROGATE.sub(_escape_surrogate, text)


def _escape_surrogate(match: re.Match) -> str:
    code = ord(match.group())
    return f"\\x{code - 0xDC00:02x}" if 0xDC80 <= code <= 0xDCFF else f"\\u{code:04x}"


def csv_cell(value: object) -> object:
    """A spreadsheet cell: numbers as they are; in text, a single quote before every formula that a
    spreadsheet could read there, at its start or after a separator, so that it shows as text.
    Write text cells quoted (`csv.QUOTE_NONNUMERIC`), so that no separator in them splits the cell."""
    if not isinstance(value, str):
        return value
    value = _FORMULA_AFTER_SEPARATOR.sub(r"\1'\2", readable(value))
    return f"'{value}" if value.lstrip(" \"'").startswith(_FORMULA_STARTS) else value


def plain_text(text: str) -> str:
    """`text` for a platform that shows it as plain text: lines and tabs kept, other control
    characters (terminal escapes, NUL, which databases refuse) removed."""
    return _CONTROL_BUT_LINES.sub("", readable(text))


def xml_text(text: str) -> str:
    """`text` without the characters XML 1.0 forbids (control characters, NUL, lone surrogates)."""
    return _NOT_XML.sub("", readable(text))


def markdown_cell(text: str) -> str:
    """Text for one cell of a Markdown table, shown as written: every ASCII punctuation character
    backslash-escaped (CommonMark allows it for all of them), so that nothing becomes a link,
    emphasis, HTML or the end of the cell; control characters and line breaks become spaces."""
    return _PUNCTUATION.sub(r"\\\1", _CONTROL.sub(" ", readable(text)))
