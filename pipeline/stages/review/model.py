"""Data of the review reconciliation: reviewer edits, their outcomes and the rerun report."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from pipeline.stages.shared.sidecar import Finding, Generated, QuestionDraft

EditKind = Literal[
    "title",
    "summary",
    "status",
    "note",
    "merge_into",
    "pin",
    "exclude",
    "split",
    "split_out",
    "quotes",
    "quote",
    "campaign",
]


@dataclass(frozen=True)
class EditOutcome:
    """One reviewer edit and whether it could be applied in this run."""

    finding_id: str
    kind: EditKind
    target: str = ""
    applied: bool = True
    reason: str = ""

    def message(self) -> str:
        """One line: which edit, of which finding, and why it was not applied."""
        what = f"{self.kind} {self.target}".strip()
        return f"{self.finding_id}: {what}" + (f" not applied: {self.reason}" if not self.applied else "")


@dataclass(frozen=True)
class RerunReport:
    """What a rerun did to one question's reviewed findings."""

    question_id: str
    first_run: bool
    matched: tuple[tuple[str, str, float], ...] = ()
    new: tuple[tuple[str, str], ...] = ()
    vanished: tuple[tuple[str, str], ...] = ()
    changed: tuple[tuple[str, str, int, int], ...] = ()
    edits: tuple[EditOutcome, ...] = ()

    @property
    def unapplied(self) -> list[EditOutcome]:
        """Edits that could not be applied (they stay in the review file)."""
        return [e for e in self.edits if not e.applied]


@dataclass(frozen=True)
class Reconciled:
    """The reconciled review copy and the report of what changed."""

    draft: QuestionDraft
    report: RerunReport


def respondent_of_statement(statement_id: str) -> str:
    """Respondent id of a statement id `respondent:question:n`."""
    parts = statement_id.rsplit(":", 2)
    return parts[0] if len(parts) == 3 else statement_id


def with_baseline(finding: Finding) -> Finding:
    """A generated finding with its `generated` block filled in from its own text and members."""
    return finding.model_copy(
        update={
            "generated": Generated(
                title=finding.title,
                summary=finding.summary,
                members=list(finding.members),
                quotes=list(finding.quotes),
                campaign=finding.campaign,
            )
        }
    )


def edits_of(finding: Finding) -> list[EditOutcome]:
    """Every reviewer edit recorded on a finding (outcome not yet decided)."""
    fid = finding.id
    out: list[EditOutcome] = []
    if finding.generated is None:
        out.append(EditOutcome(fid, "split"))
    else:
        if finding.title != finding.generated.title:
            out.append(EditOutcome(fid, "title"))
        if finding.summary != finding.generated.summary:
            out.append(EditOutcome(fid, "summary"))
        if finding.campaign != finding.generated.campaign:
            out.append(EditOutcome(fid, "campaign", "true" if finding.campaign else "false"))
    if finding.status != "draft":
        out.append(EditOutcome(fid, "status", finding.status))
    if finding.note:
        out.append(EditOutcome(fid, "note"))
    if finding.merge_into:
        out.append(EditOutcome(fid, "merge_into", finding.merge_into))
    out += [EditOutcome(fid, "pin", s) for s in finding.pinned]
    out += [EditOutcome(fid, "exclude", s) for s in finding.excluded]
    out += [EditOutcome(fid, "split_out", s) for s in finding.split_out]
    if finding.generated is not None and finding.quotes_chosen:
        out.append(EditOutcome(fid, "quotes", str(len(finding.quotes))))
    return out
