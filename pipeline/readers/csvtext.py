"""CSV text -> records, kept row for row even where a quote is left open; cell text as the pipeline keeps it.

`parse_csv` reads records strictly and re-reads, line by line, a record whose quotes break the format or that
swallowed lines which read as rows of their own (each such row is listed); `plain_text` is the NFC text without
control or text-direction characters that every cell of every export is turned into.
"""

from __future__ import annotations

import csv
import io
import re
import unicodedata

from pipeline.readers.workbook import GridProblem

__all__ = ["parse_csv", "plain_text"]


class _Lines:
    """The physical lines of a text, handed to csv.reader one at a time; `position` can be moved back."""

    def __init__(self, text: str) -> None:
        self.lines = io.StringIO(text, newline="").readlines()
        self.position = 0

    def __iter__(self) -> _Lines:
        return self

    def __next__(self) -> str:
        if self.position >= len(self.lines):
            raise StopIteration
        self.position += 1
        return self.lines[self.position - 1]


class _Swallowed(Exception):
    """A record spanning lines that read as rows of the file (a quote closed far from where it opened)."""


def parse_csv(text: str, sep: str) -> tuple[list[list[str]], list[GridProblem]]:
    """Records of a CSV text, and the rows whose quotes do not close where a field ends.

    A stray quote (`2,"Parking is bad, really,Agree`) opens a field that a lenient reader closes only at the next
    quote, swallowing the rows in between into one cell. Records are read strictly; a record whose quotes break
    the format, or that spans lines which read as rows of the file (`_swallows`), is read again from its first
    line alone (leniently), reading resumes on the next line, and the row is listed. Quoted fields that span
    lines otherwise (an answer of several paragraphs) are read as one record, as before.
    """
    lines = _Lines(text)
    rows: list[list[str]] = []
    problems: list[GridProblem] = []
    while True:
        start = lines.position
        try:
            for row in csv.reader(lines, delimiter=sep, strict=True):
                if (
                    rows
                    and lines.position - start > 1
                    and _swallows(lines.lines[start + 1 : lines.position], row, rows[0], sep)
                ):
                    raise _Swallowed
                rows.append(row)
                start = lines.position
            return rows, problems
        except (csv.Error, _Swallowed):
            line = lines.lines[start].rstrip("\r\n")
            rows.append(next(csv.reader([line], delimiter=sep), []))
            problems.append((len(rows), None, _QUOTE_PROBLEM))
            lines.position = start + 1


def _swallows(continued: list[str], row: list[str], header: list[str], sep: str) -> bool:
    """Whether a line the record continued onto reads as a row of its own.

    Such a line has the header's number of fields, the first shaped like the record's own first field when that is
    an id, holding a digit (`3` after `2`, `R0012` after `R0011`).
    """
    own = _shape(row[0]) if row else ""
    if "9" not in own:
        return False
    for line in continued:
        fields = next(csv.reader([line.rstrip("\r\n")], delimiter=sep), [])
        if len(fields) == len(header) and fields[0].strip() and _shape(fields[0]) == own:
            return True
    return False


def _shape(field: str) -> str:
    """Letters as `a`, runs of digits as `9` ('R0012' -> 'a9'), to compare ids."""
    return re.sub(r"\d+", "9", re.sub(r"[^\W\d_]+", "a", field.strip()))


_QUOTE_PROBLEM = (
    "a quote in this row does not close where a field ends (a stray or unclosed quote): the row was read on its own "
    "line so that the rows after it are kept; check its fields and its quotes"
)
_INVISIBLE = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")


def plain_text(text: str) -> str:
    """Text as the pipeline keeps it: NFC, without control characters (ESC, NUL, ...) or text-direction overrides.

    One option typed in composed (NFC) and decomposed (NFD) spelling is one option; control characters would be
    written raw into drafts and CSV tables; an unterminated right-to-left override (U+202E) in an answer reverses
    the report's text after it.
    """
    if _INVISIBLE.search(text):
        text = _INVISIBLE.sub("", text)
    return text if text.isascii() or unicodedata.is_normalized("NFC", text) else unicodedata.normalize("NFC", text)
