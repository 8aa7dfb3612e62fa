"""Follow-up columns: 'please specify' text (`other_of`) and explanations of a closed answer (`explains`).

'Other, please specify' text is linked to its choice question; an open question asking to explain the closed answer
before it ("Please explain", "Why?") is linked to that question.

Also the working record of one column while detection runs (`Draft`) and the text a question is shown with.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from pipeline.config import CLOSED_KINDS, Kind
from pipeline.detect.rules import explain_header
from pipeline.readers import ColumnInfo


@dataclass
class Draft:
    """One column as detection sees it, before ids are given."""

    info: ColumnInfo
    kind: Kind
    reason: str
    values: list[str] = field(default_factory=list)
    options: list[str] = field(default_factory=list)
    other: bool = False
    other_of: int | None = None
    explains: int | None = None
    block: str | None = None
    columns: list[ColumnInfo] = field(default_factory=list)
    text: str | None = None
    needs_text: str | None = None


def question_text(d: Draft) -> str:
    """The text a question is shown with: set text, else its sub-label in a block, else its header or question."""
    if d.text is not None:
        return d.text
    if d.block is not None:
        return d.info.sublabel
    return d.info.header if d.info.sublabel else d.info.question


def link_others(drafts: list[Draft]) -> None:
    """'Other, please specify' text follows the choice question it specifies (`other_of`)."""
    for i, draft in enumerate(drafts):
        if not draft.other:
            continue
        target = _other_target(drafts, i)
        if target is not None:
            draft.other_of = target
            draft.text = f"{question_text(drafts[target])} (other, please specify)"
            draft.reason = f"'Other, please specify' text of the choice question before it; {draft.reason}"


def link_explanations(drafts: list[Draft]) -> None:
    """An open column asking to explain ("Please explain", "Why?") right after a closed question explains it."""
    for i, draft in enumerate(drafts):
        header = draft.info.sublabel or draft.info.header
        if draft.kind != "open" or not explain_header(header):
            continue
        before = [j for j in range(i) if drafts[j].kind not in ("ignore", "personal", "meta")]
        if before and drafts[before[-1]].kind in CLOSED_KINDS:
            draft.explains = before[-1]
            draft.reason = f"explains the closed question before it; {draft.reason}"


def _other_target(drafts: list[Draft], i: int) -> int | None:
    question = drafts[i].info.question
    for j in range(i - 1, -1, -1):
        if drafts[j].kind in ("single", "multi") and drafts[j].info.question == question:
            return j
    before = [j for j in range(i) if drafts[j].kind not in ("ignore", "personal")]
    return before[-1] if before and drafts[before[-1]].kind in ("single", "multi") else None
