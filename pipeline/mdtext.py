"""Plain text as inert Markdown: answers, titles, notes and ids never become HTML, links or markup.

Every Markdown file the pipeline writes (drafts, rerun reports, the report, evaluation tables) puts user-supplied
text through these helpers, so `<script>`, `<img onerror=...>` or `[x](javascript:...)` in an answer shows as text.
"""

from __future__ import annotations

import re

_SPECIAL = re.compile(r"([\\`*\[\]<>#|~&]|(?<![0-9A-Za-z])_|_(?![0-9A-Za-z]))")
_SPACE = re.compile(r"\s+")
_LINE_START = re.compile(r"^(\d*)([-+.)])(?=\s|$|-)")  # list markers, and "---" (a rule)
# Bare links that GitHub-flavoured Markdown makes clickable (extended autolinks): `https://...`, `www....`. An
# escaped colon or dot reads the same but no longer starts a link.
_AUTOLINK = re.compile(r"(?i)\b((?:https?|ftp):)(?=//)|\b(www)\.(?=\S)")


def escape_md(value: str) -> str:
    """Plain text as inert Markdown: one line, punctuation that could start markup or a bare link backslash-escaped."""
    flat = _SPACE.sub(" ", str(value))
    escaped = _LINE_START.sub(r"\1\\\2", _SPECIAL.sub(r"\\\1", flat))
    return _AUTOLINK.sub(_unlink, escaped)


def _unlink(match: re.Match[str]) -> str:
    scheme, www = match.group(1), match.group(2)
    return f"{scheme[:-1]}\\:" if scheme else f"{www}\\."


def code(value: str) -> str:
    """Text shown as inline code (ids): a code span when it can hold the text as is, else escaped plain text."""
    flat = _SPACE.sub(" ", str(value)).strip()
    if flat and "`" not in flat:
        return f"`{flat}`"
    return escape_md(flat)


def comment(value: str) -> str:
    """Text safe inside an HTML comment (`<!-- ... -->`): no `--` or `>` that could end it early."""
    return _SPACE.sub(" ", str(value)).replace("--", "- -").replace(">", "›")
