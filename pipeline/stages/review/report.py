"""Readable summaries of review reconciliation: the per-question rerun report and the review status."""

from __future__ import annotations

from dataclasses import dataclass

from pipeline.mdtext import code, escape_md
from pipeline.stages.review.model import RerunReport
from pipeline.stages.shared.sidecar import QuestionDraft


def summary_line(report: RerunReport) -> str:
    """One sentence for the draft header: what the rerun matched, added, lost and which edits failed."""
    if report.first_run:
        return "First run: the review copy was created from the generated findings."
    failed = len(report.unapplied)
    return (
        f"Rerun: {len(report.matched)} findings matched, {len(report.new)} new, {len(report.vanished)} vanished, "
        f"{len(report.changed)} with changed membership; {len(report.edits) - failed} reviewer edits applied, "
        f"{failed} not applied" + (" (listed in the review file under `unapplied`)." if failed else ".")
    )


def render_rerun(report: RerunReport) -> str:
    """The rerun report of one question as Markdown (`06_draft/<question>.rerun.md`); every text is escaped."""
    lines = [f"# Rerun report: {escape_md(report.question_id)}", "", escape_md(summary_line(report)), ""]
    if report.matched:
        lines += ["## Matched (previous id -> new group, overlap)", ""]
        lines += [f"- {code(old)} -> {code(new)} (Jaccard {score:.2f})" for old, new, score in report.matched]
        lines.append("")
    lines += _section("New findings", [f"{code(fid)} {escape_md(title)}" for fid, title in report.new])
    lines += _section(
        "Vanished (no matching group)", [f"{code(fid)} {escape_md(title)}" for fid, title in report.vanished]
    )
    lines += _section(
        "Changed membership",
        [f"{code(fid)} {escape_md(title)}: +{a} / -{r} statements" for fid, title, a, r in report.changed],
    )
    lines += _section("Edits not applied (kept in the review file)", [escape_md(e.message()) for e in report.unapplied])
    lines += _section("Edits applied", [escape_md(e.message()) for e in report.edits if e.applied])
    return "\n".join(lines)


def _section(title: str, items: list[str]) -> list[str]:
    return [f"## {title}", "", *([f"- {item}" for item in items] or ["- none"]), ""]


@dataclass(frozen=True)
class QuestionStatus:
    """Review progress of one question and what needs the reviewer's attention."""

    question_id: str
    draft: int
    accepted: int
    rejected: int
    merged: int
    vanished: int
    attention: tuple[str, ...]


def question_status(draft: QuestionDraft) -> QuestionStatus:
    """Count findings by status; list accepted findings whose membership changed, and unapplied edits."""
    statuses = [f.status for f in draft.findings]
    attention = [f"{f.id} ({f.title}): {f.changed}" for f in draft.findings if f.changed and f.status == "accepted"]
    attention += [f"unapplied edit {line}" for line in draft.unapplied]
    return QuestionStatus(
        question_id=draft.question_id,
        draft=statuses.count("draft"),
        accepted=statuses.count("accepted"),
        rejected=statuses.count("rejected"),
        merged=len(draft.merged),
        vanished=len(draft.vanished),
        attention=tuple(attention),
    )


def render_status(statuses: list[QuestionStatus]) -> str:
    """Plain-text review status of every question, for the terminal."""
    if not statuses:
        return "No review copies yet; run the draft stage first."
    lines: list[str] = []
    for s in statuses:
        lines.append(
            f"{s.question_id}: {s.accepted} accepted, {s.rejected} rejected, {s.draft} draft, "
            f"{s.merged} merged, {s.vanished} vanished"
            + (f"; {len(s.attention)} need attention" if s.attention else "")
        )
        lines += [f"  - {item}" for item in s.attention]
    return "\n".join(lines)
