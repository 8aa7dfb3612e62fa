"""Carry a review copy's findings over to this run's: match them to the new groups, keep their edits.

Steps 1 and 2 of `reconcile` (see `stage`): every previous finding that came from a cluster is paired with a new
finding by Hungarian assignment on the Jaccard overlap of their members (`match`; below MATCH_THRESHOLD no match);
a matched finding keeps its id and every analyst field, and its edited title, summary or campaign flag wins over
the generated one.
Analyst-made findings (a split) come back with their pinned statements.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass

from pipeline.stages.review.match import Pair, match_sets
from pipeline.stages.review.model import RerunReport, edits_of
from pipeline.stages.shared.sidecar import Finding, Generated, QuestionDraft

MATCH_THRESHOLD = 0.3


@dataclass
class _Entry:
    """A finding being rebuilt: its output fields and the statements its cluster contributes."""

    finding: Finding
    base: list[str]
    previous: Finding | None = None
    base_changed: bool = False


def _legacy(finding: Finding, known: dict[str, Finding]) -> Finding:
    """Give a finding from a review copy written before `generated` existed a baseline.

    The baseline is the finding of the same id in the previous generated sidecar (`known`) when there is one;
    otherwise it is unknown, and the title and summary are kept as analyst text (analyst text always wins).
    """
    if finding.generated is not None or finding.pinned or not finding.members:
        return finding
    source = known.get(finding.id)
    if source is None:
        return finding.model_copy(update={"generated": Generated(title="", summary="", members=finding.members)})
    baseline = Generated(title=source.title, summary=source.summary, members=list(finding.members))
    return finding.model_copy(update={"generated": baseline})


def _analyst_id(question_id: str, finding: Finding) -> str:
    key = ",".join(sorted(finding.pinned)) or finding.title
    return f"{question_id}-a{hashlib.sha1(key.encode()).hexdigest()[:6]}"


def _unique(fid: str, taken: set[str]) -> str:
    out, n = fid, 1
    while out in taken:
        n += 1
        out = f"{fid}-{n}"
    taken.add(out)
    return out


def _carry(previous: Finding, fresh: Finding) -> Finding:
    """The new cluster's finding under the previous id, analyst text and fields winning over generated ones."""
    assert previous.generated is not None
    old = previous.generated
    title_edited = previous.title != old.title
    summary_edited = previous.summary != old.summary
    quotes_edited = previous.quotes_chosen
    campaign_edited = previous.campaign != old.campaign
    baseline = Generated(
        title=old.title if title_edited else fresh.title,
        summary=old.summary if summary_edited else fresh.summary,
        members=list(fresh.members),
        quotes=list(old.quotes or []) if quotes_edited else list(fresh.quotes),
        campaign=old.campaign if campaign_edited else fresh.campaign,
    )
    return fresh.model_copy(
        update={
            "id": previous.id,
            "title": previous.title if title_edited else fresh.title,
            "summary": previous.summary if summary_edited else fresh.summary,
            "quotes": list(previous.quotes) if quotes_edited else list(fresh.quotes),
            "status": previous.status,
            "note": previous.note,
            "merge_into": previous.merge_into,
            "pinned": list(previous.pinned),
            "excluded": list(previous.excluded),
            "split_out": list(previous.split_out),
            "changed": previous.changed,
            "campaign": previous.campaign if campaign_edited else fresh.campaign,
            "generated": baseline,
        }
    )


def _has_edits(finding: Finding) -> bool:
    return bool(edits_of(finding)) or bool(finding.changed)


@dataclass
class _Matching:
    entries: list[_Entry]
    orphans: list[Finding]
    report: RerunReport
    renamed: dict[str, str]  # generated finding id -> its id in the review copy


def _match(previous: QuestionDraft, fresh: list[Finding], known: dict[str, Finding]) -> _Matching:
    """Pair previous findings with new ones; build the working entries (previous order first, then new)."""
    prior = [_legacy(f, known) for f in (*previous.findings, *previous.merged, *previous.vanished)]
    clustered = [f for f in prior if f.generated is not None]
    pairs: list[Pair] = match_sets(
        [frozenset(f.generated.members) for f in clustered if f.generated is not None],
        [frozenset(f.members) for f in fresh],
        MATCH_THRESHOLD,
    )
    by_prev = {i: (j, score) for i, j, score in pairs}
    taken = {j for _, j, _ in pairs}
    entries: list[_Entry] = []
    orphans: list[Finding] = []
    matched: list[tuple[str, str, float]] = []
    vanished: list[tuple[str, str]] = []
    ids: set[str] = set()
    renamed: dict[str, str] = {}
    for index, old in enumerate(clustered):
        if index in by_prev:
            j, score = by_prev[index]
            carried = _carry(old, fresh[j])
            carried = carried.model_copy(update={"id": _unique(carried.id, ids)})
            renamed[fresh[j].id] = carried.id
            changed = old.generated is not None and sorted(old.generated.members) != sorted(fresh[j].members)
            entries.append(_Entry(carried, list(fresh[j].members), old, changed))
            matched.append((old.id, fresh[j].id, round(score, 3)))
        else:
            vanished.append((old.id, old.title))
            orphans.append(old.model_copy(update={"id": _unique(old.id, ids)}))
    entries += _analyst_made(previous.question_id, prior, ids)
    new = [
        _Entry(f.model_copy(update={"id": _unique(f.id, ids)}), list(f.members))
        for j, f in enumerate(fresh)
        if j not in taken
    ]
    entries += new
    renamed.update(
        {f.id: e.finding.id for f, e in zip((f for j, f in enumerate(fresh) if j not in taken), new, strict=True)}
    )
    report = RerunReport(
        question_id=previous.question_id,
        first_run=False,
        matched=tuple(matched),
        new=tuple((e.finding.id, e.finding.title) for e in new),
        vanished=tuple(vanished),
    )
    return _Matching(entries, orphans, report, renamed)


def _analyst_made(question_id: str, prior: list[Finding], ids: set[str]) -> list[_Entry]:
    """Findings an analyst added (splits): members come from their pins only; ids are assigned when missing."""
    out: list[_Entry] = []
    for old in prior:
        if old.generated is None:
            fid = _unique(old.id or _analyst_id(question_id, old), ids)
            out.append(_Entry(old.model_copy(update={"id": fid}), [], old))
    return out
