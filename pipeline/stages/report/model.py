"""The one document model every report format is rendered from.

A `Document` is a title plus sections; a section holds blocks: paragraphs (runs of plain/bold/italic text),
bullet lists, tables, figures and finding lists. All text is plain text: renderers escape it for their format,
so answer text can never become markup.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field

_EMPHASIS = re.compile(r"\*\*(?=\S)(.+?)(?<=\S)\*\*|\*(?=[^\s*])(.+?)(?<=[^\s*])\*")
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ufffe\uffff]")


def clean_text(text: str) -> str:
    """Text safe for every format: NFC-normalised, without control characters XML cannot hold."""
    return _CONTROL.sub("", unicodedata.normalize("NFC", str(text)))


@dataclass(frozen=True)
class Run:
    """A piece of text with one style."""

    text: str
    bold: bool = False
    italic: bool = False


@dataclass(frozen=True)
class Paragraph:
    """A paragraph of styled runs."""

    runs: tuple[Run, ...]
    muted: bool = False

    @property
    def text(self) -> str:
        """The plain text of the paragraph."""
        return "".join(r.text for r in self.runs)


@dataclass(frozen=True)
class BulletList:
    """A bulleted list; `check` marks items with a tick (as in the threshold statements)."""

    items: tuple[Paragraph, ...]
    check: bool = False


@dataclass(frozen=True)
class Table:
    """A table of plain-text cells; `numeric` lists the right-aligned column indices."""

    header: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]
    caption: str | None = None
    numeric: tuple[int, ...] = ()


@dataclass(frozen=True)
class Figure:
    """A chart: PNG bytes (docx, fallback), optional SVG bytes (HTML) and its file name for Markdown links."""

    chart_id: str
    alt: str
    png: bytes
    svg: bytes | None = None
    caption: str | None = None


@dataclass(frozen=True)
class FindingItem:
    """One finding of an open question as the report shows it."""

    title: str
    summary: str
    n_respondents: int
    pct: float
    draft: bool = False
    quote: str | None = None
    quote_source: str | None = None
    more_quotes: tuple[str, ...] = ()  # further quotes a reviewer chose, each as `quote_text` writes it
    details: tuple[str, ...] = ()  # muted lines under the finding: its Polis votes, the linked closed answer
    count_label: str = ""
    draft_label: str = "(draft, not yet reviewed)"

    @property
    def count_text(self) -> str:
        """`12 respondents (28.6%)`, or the count in the report's language when `count_label` is set."""
        return self.count_label or f"{plural(self.n_respondents, 'respondent')} ({self.pct:.1f}%)"

    @property
    def quote_text(self) -> str:
        """`“The quote” (response R012)`, or '' without a quote."""
        return f"“{self.quote}” ({self.quote_source})" if self.quote else ""

    @property
    def quote_texts(self) -> tuple[str, ...]:
        """Every quote printed under the finding, in order (`quote_text` first)."""
        return ((self.quote_text,) if self.quote else ()) + self.more_quotes


@dataclass(frozen=True)
class FindingList:
    """The ranked findings of one open question."""

    items: tuple[FindingItem, ...]


Block = Paragraph | BulletList | Table | Figure | FindingList


@dataclass(frozen=True)
class Section:
    """A heading (level 2 or 3; the title is level 1) and its blocks; `anchor` is a safe HTML id."""

    title: str
    level: int
    anchor: str
    blocks: tuple[Block, ...] = field(default_factory=tuple)


@dataclass(frozen=True)
class Document:
    """The whole report."""

    title: str
    subtitle: str | None
    sections: tuple[Section, ...]
    language: str = "en"
    contents_title: str = "Contents"
    right_to_left: bool = False  # the report's language is written right to left (Arabic): HTML dir, Word bidi
    cover: tuple[Paragraph, ...] = ()  # lines under the title: the meeting, the dates of the consultation

    @property
    def figures(self) -> list[Figure]:
        """Every figure, in order."""
        return [b for s in self.sections for b in s.blocks if isinstance(b, Figure)]


DRAFT_MARK = "(draft, not yet reviewed)"


def plural(n: int, noun: str, plural_form: str | None = None) -> str:
    """`1 respondent`, `2 respondents`."""
    return f"{n} {noun if n == 1 else plural_form or noun + 's'}"


def text(value: str, bold: bool = False, italic: bool = False) -> Run:
    """A run of cleaned text."""
    return Run(clean_text(value), bold=bold, italic=italic)


def para(*parts: str | Run, muted: bool = False) -> Paragraph:
    """A paragraph from plain strings and runs."""
    return Paragraph(tuple(p if isinstance(p, Run) else text(p) for p in parts), muted=muted)


def markdown_runs(line: str) -> tuple[Run, ...]:
    """Runs of a line of the config's own text: `**bold**` and `*italic*` become styled runs, the rest plain text."""
    runs: list[Run] = []
    at = 0
    for match in _EMPHASIS.finditer(line):
        if match.start() > at:
            runs.append(text(line[at : match.start()]))
        bold, italic = match.group(1), match.group(2)
        runs.append(text(bold, bold=True) if bold is not None else text(italic, italic=True))
        at = match.end()
    if at < len(line):
        runs.append(text(line[at:]))
    return tuple(runs)


def markdown_paragraphs(value: str, muted: bool = False) -> tuple[Paragraph, ...]:
    """Paragraphs of the config's own text (purpose, intros): blank lines part them, other line breaks are spaces."""
    chunks = re.split(r"\n\s*\n", value.strip())
    joined = (" ".join(line.strip() for line in chunk.splitlines() if line.strip()) for chunk in chunks)
    return tuple(Paragraph(markdown_runs(chunk), muted=muted) for chunk in joined if chunk)
