"""Checks of config values that are more than a type: codec names, delimiters, run folder names and paths.

Kept apart from the models (`model`, `sections`) so that the rules, and the messages users see, are in one place.
"""

from __future__ import annotations

import codecs
import os
import re
from pathlib import Path

from pipeline.errors import ConfigError, OutputError

# Offered in `consolidate schema`; any text codec Python knows is accepted.
COMMON_ENCODINGS: tuple[str, ...] = (
    "utf-8",
    "utf-8-sig",
    "utf-16",
    "cp1252",
    "cp1250",
    "cp1251",
    "cp1253",
    "cp1254",
    "cp1257",
    "mac_roman",
    "cp850",
    "latin-1",
    "iso-8859-15",
    "shift_jis",
    "gb18030",
    "big5",
    "euc-kr",
)
_NAME_FORBIDDEN = frozenset('/\\<>:"|?*')
# Names Windows reserves for devices, with or without an extension ("con", "NUL.txt", "com1"): no folder can have them.
_RESERVED = re.compile(r"(?i)^(con|prn|aux|nul|com[0-9¹²³]|lpt[0-9¹²³])(\..*)?$")


def run_name_problem(name: str) -> str | None:
    """Why a run name is not a plain folder name (it must not reach outside `run.output_dir`), or None."""
    bad = sorted({c for c in name if c in _NAME_FORBIDDEN or not c.isprintable()})
    if _RESERVED.match(name) or name.endswith("."):
        return (
            f"run name {name!r} is a name Windows reserves for a device or cannot give a folder (CON, PRN, AUX, NUL, "
            "COM1-9, LPT1-9, with or without an extension, or a name ending in '.'): choose another"
        )
    if not name.strip() or name != name.strip() or name.startswith(".") or bad or len(name) > 100:
        shown = f" (it contains {''.join(bad)!r})" if bad else ""
        return (
            f"run name {name!r} must be a plain folder name{shown}: letters, digits, spaces, '-', '_' and '.', "
            "not starting with '.', no '/', '\\' or '..', at most 100 characters"
        )
    return None


def check_encoding(value: str) -> str:
    """`auto` or the name of a text codec Python knows (`cp1252`, `mac_roman`, `latin-1`, ...)."""
    if value == "auto":
        return value
    try:
        info = codecs.lookup(value)
    except LookupError:
        info = None
    if info is None or not getattr(info, "_is_text_encoding", True):
        raise ValueError(f"unknown text encoding {value!r}; use auto or one of {', '.join(COMMON_ENCODINGS)}")
    return value


def check_delimiter(value: str | None) -> str | None:
    """One character that can separate CSV fields (not a letter, digit, quote or line break), or None."""
    if value is not None and (len(value) != 1 or value in '\r\n"' or value.isalnum()):
        raise ValueError(
            f"delimiter {value!r} must be one character that is not a letter, digit, quote or line break, "
            'such as ",", ";", "|" or "\\t" (a tab, written "\\t" in double quotes); leave it out to detect it'
        )
    return value


def inside(root: Path, name: str, setting: str) -> Path:
    """`root / name`, checked to be a folder directly under `root` (a ConfigError otherwise).

    A run folder that is a symbolic link is refused (an OutputError): writes into it would land wherever it points,
    outside the project (a link committed to `reviews/` could aim them at any file of whoever runs the pipeline).
    """
    path = Path(os.path.normpath(root / name))
    if run_name_problem(name) or path.parent != Path(os.path.normpath(root)):
        raise ConfigError(f"Run folder {name!r} would not be a folder of {setting} ({root}); use a plain run.name.")
    if path.is_symlink():
        raise OutputError(
            f"Run folder {path} is a symbolic link (to {os.readlink(path)}); consolidate never writes through a link: "
            f"replace it with a real folder, or point {setting} at the folder you want."
        )
    return path
