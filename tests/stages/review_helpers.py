"""Hand-made generated drafts for the review reconciliation tests."""

from __future__ import annotations

import hashlib

from pipeline.stages.shared.sidecar import Finding, QuestionDraft, Quote

QID = "q1"


def sid(respondent: int, n: int = 0) -> str:
    return f"R{respondent:03d}:{QID}:{n}"


def gen_finding(members: list[str], title: str | None = None) -> Finding:
    anchor = sorted(members)[0]
    return Finding(
        id=f"{QID}-{hashlib.sha1(anchor.encode()).hexdigest()[:6]}",
        title=title or f"Theme {anchor}",
        summary=f"Summary of {anchor}.",
        n_respondents=len({m.rsplit(":", 2)[0] for m in members}),
        cohesion=0.5,
        quotes=[Quote(response_id=m.rsplit(":", 2)[0], text=f"text {m}") for m in sorted(members)[:3]],
        members=sorted(members),
    )


def generated(clusters: list[list[str]], noise: list[str] | None = None, answered: int | None = None) -> QuestionDraft:
    """A generated draft: one finding per cluster (ranked by size), the rest not grouped."""
    findings = [gen_finding(c) for c in clusters if c]
    findings.sort(key=lambda f: (-f.n_respondents, -len(f.members), f.members[0]))
    findings = [f.model_copy(update={"rank": i}) for i, f in enumerate(findings, start=1)]
    everyone = {m.rsplit(":", 2)[0] for c in clusters for m in c} | {m.rsplit(":", 2)[0] for m in noise or []}
    return QuestionDraft(
        question_id=QID,
        question_text="What matters?",
        answered=answered if answered is not None else len(everyone),
        non_answers=0,
        not_grouped=0,
        not_grouped_members=sorted(noise or []),
        top_n=5,
        findings=findings,
    )
