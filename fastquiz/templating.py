"""The Jinja templates in fastquiz/templates: HTML ones autoescaped, others (YAML, shell) as written."""
from __future__ import annotations

import shlex
from functools import cache

import jinja2


@cache
def _environment() -> jinja2.Environment:
    environment = jinja2.Environment(
        loader=jinja2.PackageLoader("fastquiz", "templates"),
        autoescape=jinja2.select_autoescape(enabled_extensions=("html.j2",), default_for_string=False),
        undefined=jinja2.StrictUndefined, keep_trailing_newline=True, trim_blocks=True, lstrip_blocks=True,
    )
    environment.filters["shell_quote"] = shlex.quote
    return environment


def render(template: str, **context) -> str:
    """The named template filled in with `context`."""
    return _environment().get_template(template).render(**context)
