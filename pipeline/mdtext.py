"""Plain text as inert Markdown: answers, titles, notes and ids never become HTML, links or markup.

Every Markdown file the pipeline writes (drafts, rerun reports, the report, evaluation tables) puts user-supplied
text through these helpers, so `<script>`, `<img onerror=...>` or `[x](javascript:...)` in an answer shows as text.
"""

from __future__ import annotations

import re

_SPECIAL = re.compile(r"([\\`*\[\]<>#|~&]|(?<![0-9A-Za-z])_|_(?![0-9A-Za-z]))")
_SPACE = re.compile(r"\s+")
_LINE_START = re.compile(r"^(\d*)([-+.)])(?=\s|$|-)")  # list markers, and "---" (a rule)


def escape_md(value: str) -> str:
    """Plain text as inert Markdown: one line, punctuation that could start markup backslash-escaped."""
    flat = _SPACE.sub(" ", str(value))
    return _LINE_START.sub(r"\1\\\2", _SPECIAL.sub(r"\\\1", flat))


def code(value: str) -> str:
    """Text shown as inline code (ids): a code span when it can hold the text as is, else escaped plain text."""
    flat = _SPACE.sub(" ", str(value)).strip()
    if flat and "`" not in flat:
        return f"`{flat}`"
    return escape_md(flat)


def comment(value: str) -> str:
    """Text safe inside an HTML comment (`<!-- ... -->`): no `--` or `>` that could end it early."""
    return _SPACE.sub(" ", str(value)).replace("--", "- -").replace(">", "›")
