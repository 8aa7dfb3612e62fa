"""Export layouts: format detection from the header rows, and header cells -> described columns.

A column's `question` and `sublabel` come from the layout: `<question>.<statement>` (Microsoft Forms),
`<question> - <row>` (Qualtrics), `Question [Row]` (Google Forms, LimeSurvey), `<question>` + line break + `: <item>`
(EU Survey), or the two header rows of SurveyMonkey. Question detection uses them to build likert blocks.
"""

from __future__ import annotations

import os
import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass, replace

FORMATS = ("msforms", "google", "qualtrics", "surveymonkey", "limesurvey", "eusurvey", "polis", "generic")
MULTI_SEPARATORS = {"msforms": ";", "google": ", ", "qualtrics": ",", "eusurvey": ";"}
ID_COLUMNS: dict[str, tuple[str, ...]] = {
    "msforms": ("id",),
    "qualtrics": ("responseid", "response id"),
    "surveymonkey": ("respondent id",),
    "limesurvey": ("id", "response_id", "response id"),
    "eusurvey": ("reference",),
    "polis": ("comment-id",),
}
# What one row of a format's open answers is, when not a respondent: a Polis comment is a statement put to the room
# (its support is the votes, and a moderator often writes most of them), so findings count comments, not authors.
COUNT_UNITS: dict[str, str] = {"polis": "comment"}
PERSONAL_COLUMNS: dict[str, frozenset[str]] = {
    "msforms": frozenset({"email", "name"}),
    "google": frozenset({"email address", "email"}),
    "qualtrics": frozenset(
        {
            "ipaddress",
            "recipientlastname",
            "recipientfirstname",
            "recipientemail",
            "externalreference",
            "externaldatareference",
            "locationlatitude",
            "locationlongitude",
        }
    ),
    "surveymonkey": frozenset({"ip address", "email address", "first name", "last name", "custom data 1"}),
    "limesurvey": frozenset({"ipaddr", "ip address", "token", "firstname", "lastname", "email"}),
    "eusurvey": frozenset({"first name", "surname", "organisation name", "transparency register number", "email"}),
    "polis": frozenset(),
    "generic": frozenset(),
}
_GOOGLE_FIRST = frozenset({"timestamp", "marca temporal", "horodateur", "zeitstempel", "carimbo de data/hora"})
_LIME_META = frozenset(
    {
        "submitdate",
        "lastpage",
        "startlanguage",
        "seed",
        "datestamp",
        "startdate",
        "date submitted",
        "last page",
        "start language",
    }
)
_BRACKET = re.compile(r"^(?P<q>.*\S)\s*\[(?P<s>[^\[\]]+)\]$", re.DOTALL)
_QUALTRICS_TEXT = re.compile(r"^(?P<q>.*\S) - (?P<s>[^-]*?\S) - Text$", re.DOTALL)
_ID_HEADER = re.compile(
    r"^(?:(?:response|respondent|submission|record|entry|case|participant|reference|ref|row|answer|feedback)"
    r"[ _.-]?)?(?:id|no\.?|number|nr|#|uuid|ref\.?|reference)$"
)
_SM_PLAIN = frozenset({"", "response", "open-ended response"})


@dataclass(frozen=True)
class ColumnInfo:
    """One column of an export, as the header rows describe it.

    Attributes:
        name: Unique column name (what `questions[].column` in the config refers to).
        header: The original header text (Qualtrics: row 2; SurveyMonkey: both rows joined).
        question: Question text without the matrix row / option part.
        sublabel: Matrix row, statement or option label; '' when the header is a whole question.
        code: The export's own column id when it has one (Qualtrics row 1), else ''.
    """

    name: str
    header: str
    question: str
    sublabel: str = ""
    code: str = ""


def norm(text: str) -> str:
    """Lower-case, trimmed, single-spaced, NFC header text for matching."""
    return " ".join(unicodedata.normalize("NFC", text.replace("\ufeff", "")).split()).casefold()


def id_header(header: str) -> bool:
    """Whether a header names a record id (`ID`, `Response ID`, `submission_id`, `Ref. no`, ...)."""
    return bool(_ID_HEADER.match(norm(header)))


def detect_format(rows: Sequence[Sequence[str]]) -> str:
    """Name the survey tool that produced an export, from its first header rows ('generic' if unknown)."""
    first_cells = [norm(c) for c in rows[0]] if rows else []
    first = set(first_cells)
    third = rows[2] if len(rows) > 2 else []
    if {"comment-id", "author-id", "comment-body"} <= first:
        return "polis"
    if first & {"startdate", "responseid"} and ("responseid" in first or any("importid" in c.lower() for c in third)):
        return "qualtrics"
    if {"respondent id", "collector id"} <= first:
        return "surveymonkey"
    if {"start time", "completion time"} <= first and "id" in first:
        return "msforms"
    if first_cells and first_cells[0] in _GOOGLE_FIRST:
        return "google"
    if first & {"id", "response_id", "response id"} and len(first & _LIME_META) >= 2:
        return "limesurvey"
    if first_cells and first_cells[0] == "reference" and first & {"feedback date", "user type"}:
        return "eusurvey"
    return "generic"


def header_row_count(fmt: str, rows: Sequence[Sequence[str]]) -> int:
    """Number of header rows of a format (Qualtrics: 3 with an ImportId row, else 2)."""
    if fmt == "qualtrics":
        has_import_ids = len(rows) > 2 and any("importid" in c.lower() for c in rows[2])
        return 3 if has_import_ids else 2
    return 2 if fmt == "surveymonkey" else 1


def _clean(text: str) -> str:
    return text.replace("\r\n", "\n").replace("\r", "\n").replace("\ufeff", "").strip()


def describe_columns(fmt: str, header: Sequence[Sequence[str]]) -> list[ColumnInfo]:
    """Describe each column from the header rows (names may still repeat; see `unique_names`)."""
    rows = [[_clean(c) for c in row] for row in header]
    if fmt == "qualtrics" and len(rows) >= 2:
        return _qualtrics(rows[0], rows[1])
    if fmt == "surveymonkey" and len(rows) >= 2:
        return _surveymonkey(rows[0], rows[1])
    texts = rows[0] if rows else []
    if fmt == "msforms":
        return _runs(texts, re.compile(r"\.+"))
    if fmt == "eusurvey":
        return _runs(texts, re.compile(r"\s*\n\s*:\s*"))
    return [_bracketed(t) for t in texts]


def _bracketed(text: str) -> ColumnInfo:
    match = _BRACKET.match(text)
    if match:
        return ColumnInfo(text, text, match["q"].strip(), match["s"].strip())
    return ColumnInfo(text, text, text)


def _runs(texts: Sequence[str], boundary: re.Pattern[str]) -> list[ColumnInfo]:
    """Split adjacent headers sharing a prefix that ends at `boundary` into question + sublabel."""
    out = [ColumnInfo(t, t, t) for t in texts]
    i = 0
    while i < len(texts) - 1:
        cut = _shared_cut(texts[i], texts[i + 1], boundary)
        if cut is None:
            i += 1
            continue
        question, end = cut
        j = i + 1
        while j + 1 < len(texts) and texts[j + 1].startswith(texts[i][:end]) and texts[j + 1][end:].strip(". "):
            j += 1
        for k in range(i, j + 1):
            out[k] = ColumnInfo(texts[k], texts[k], question, texts[k][end:].lstrip(". ").strip())
        i = j + 1
    return out


def _shared_cut(a: str, b: str, boundary: re.Pattern[str]) -> tuple[str, int] | None:
    prefix = os.path.commonprefix([a, b])
    cuts = [m for m in boundary.finditer(a) if m.end() <= len(prefix) and m.start() > 0]
    if not cuts:
        return None
    last = cuts[-1]
    end = last.end()
    while end < len(a) and a[end] == "." and a[last.start()] == ".":
        end += 1
    question = a[: last.start()].strip()
    if not a[end:].strip(". ") or not b[end:].strip(". ") or not any(c.isalpha() for c in question):
        return None
    return question, end


def _qualtrics(codes: Sequence[str], texts: Sequence[str]) -> list[ColumnInfo]:
    texts = [t.replace(" - Selected Choice - ", " - ") for t in list(texts) + [""] * (len(codes) - len(texts))]
    plain = _runs([t.removesuffix(" - Selected Choice") for t in texts], re.compile(r" - "))
    out = []
    for code, text, info in zip(codes, texts, plain, strict=False):
        other = _QUALTRICS_TEXT.match(text)
        question, sublabel = (other["q"], other["s"]) if other else (info.question, info.sublabel)
        out.append(ColumnInfo(code or text, text or code, question or code, sublabel, code))
    return out


def _surveymonkey(first: Sequence[str], second: Sequence[str]) -> list[ColumnInfo]:
    second = list(second) + [""] * (len(first) - len(second))
    out, current = [], ""
    for top, sub in zip(first, second, strict=False):
        current = top or (current if sub else "")
        if not current:
            out.append(ColumnInfo(sub, sub, sub))
        elif norm(sub) in _SM_PLAIN:
            out.append(ColumnInfo(current, current, current))
        else:
            out.append(ColumnInfo(f"{current} - {sub}", f"{current} - {sub}", current, sub))
    return out


def unique_names(columns: Sequence[ColumnInfo]) -> list[ColumnInfo]:
    """Give blank names `Column N` and repeated names pandas-style suffixes (`X`, `X.1`, `X.2`)."""
    named = [
        c if c.name else replace(c, name=f"Column {i + 1}", header=c.header or f"Column {i + 1}")
        for i, c in enumerate(columns)
    ]
    taken = {c.name for c in named}
    seen: set[str] = set()
    out = []
    for col in named:
        name, k = col.name, 0
        while name in seen or (k and name in taken):
            k += 1
            name = f"{col.name}.{k}"
        seen.add(name)
        out.append(replace(col, name=name))
    return out
