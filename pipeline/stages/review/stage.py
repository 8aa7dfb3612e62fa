"""Reconcile a reviewer's edited sidecar with freshly generated findings (pure: touches no files).

How a rerun carries edits over:

1. **Matching.** Every previous finding that came from a cluster (it has a `generated` block) is paired with a
   new finding by Hungarian assignment (`scipy.optimize.linear_sum_assignment`) on the Jaccard overlap of their
   cluster members. Pairs with overlap below `MATCH_THRESHOLD` (0.3: fewer than about half of either group's
   statements shared) are not matches. A matched finding keeps its id and every analyst field.
2. **Text.** A title or summary differing from the `generated` one was written by an analyst and always wins;
   its `generated` value is then frozen, so the edit stays recognisable on every later rerun.
3. **Membership.** Members start from the matched cluster, minus `excluded`; `merge_into` moves a finding's
   members into its target (chains followed; a merged finding without a group this run brings its previous
   statements); `pinned` statements are moved into the finding that pins them
   (one pinned to two findings stays put). Counts (distinct respondents), %, ranks and the not-grouped rest
   are then recomputed.
4. **Nothing is dropped.** Previous findings without a match are kept under `vanished` when they carry edits;
   merged findings are kept under `merged`. Every edit is reported as applied or unapplied, with the reason.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass

from pipeline.stages.review.match import Pair, match_sets
from pipeline.stages.review.model import (
    EditOutcome,
    Reconciled,
    RerunReport,
    edits_of,
    respondent_of_statement,
    with_baseline,
)
from pipeline.stages.shared.sidecar import Finding, Generated, MergeHint, QuestionDraft, Quote

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
    baseline = Generated(
        title=old.title if title_edited else fresh.title,
        summary=old.summary if summary_edited else fresh.summary,
        members=list(fresh.members),
    )
    return fresh.model_copy(
        update={
            "id": previous.id,
            "title": previous.title if title_edited else fresh.title,
            "summary": previous.summary if summary_edited else fresh.summary,
            "status": previous.status,
            "note": previous.note,
            "merge_into": previous.merge_into,
            "pinned": list(previous.pinned),
            "excluded": list(previous.excluded),
            "split_out": list(previous.split_out),
            "changed": previous.changed,
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
            out.append(_Entry(old.model_copy(update={"id": fid, "quotes": []}), [], old))
    return out


def _resolve_merges(live: dict[str, Finding]) -> tuple[dict[str, str], list[EditOutcome]]:
    """Final target of every live finding with a valid `merge_into` (chains followed), and the failed merges."""
    direct: dict[str, str] = {}
    failed: list[EditOutcome] = []
    for fid, finding in live.items():
        target = finding.merge_into
        if not target:
            continue
        reason = "a finding cannot be merged into itself" if target == fid else ""
        reason = reason or ("" if target in live else f"no finding with id {target!r} in this run")
        if reason:
            failed.append(EditOutcome(fid, "merge_into", target, False, reason))
        else:
            direct[fid] = target
    targets: dict[str, str] = {}
    for fid, target in direct.items():
        seen = {fid}
        while target in direct and target not in seen:
            seen.add(target)
            target = direct[target]
        if target in seen:
            failed.append(EditOutcome(fid, "merge_into", direct[fid], False, "the merges form a cycle"))
        else:
            targets[fid] = target
    return targets, failed


def _final_target(merge_into: str | None, live: dict[str, Finding], targets: dict[str, str]) -> str | None:
    """Where a finding without a group of its own this run merges to, or None."""
    if not merge_into or merge_into not in live:
        return None
    return targets.get(merge_into, merge_into)


def _groups(entries: list[_Entry], targets: dict[str, str]) -> dict[str, set[str]]:
    """Members of each final finding before pins: clusters minus exclusions, merged into their targets."""
    groups: dict[str, set[str]] = {e.finding.id: set() for e in entries if e.finding.id not in targets}
    for e in entries:
        groups[targets.get(e.finding.id, e.finding.id)] |= set(e.base) - set(e.finding.excluded)
    for e in entries:
        if e.finding.id in groups:
            groups[e.finding.id] -= set(e.finding.excluded)
    return groups


def _pin(
    entries: list[_Entry], targets: dict[str, str], groups: dict[str, set[str]], universe: set[str]
) -> list[EditOutcome]:
    """Move pinned statements into their findings; report pins and exclusions that cannot apply.

    A statement pinned to two or more findings stays where it is and every one of its pins is reported, so the
    outcome never depends on the order of findings in the file.
    """
    out: list[EditOutcome] = []
    pins: dict[str, list[str]] = {}
    for e in entries:
        for s in e.finding.pinned:
            pins.setdefault(s, []).append(e.finding.id)
    for s, owners in pins.items():
        if s not in universe:
            out += [EditOutcome(fid, "pin", s, False, "no such statement in this run") for fid in owners]
        elif len({targets.get(fid, fid) for fid in owners}) > 1:
            reason = f"pinned to several findings ({', '.join(sorted(set(owners)))}); keep one pin"
            out += [EditOutcome(fid, "pin", s, False, reason) for fid in owners]
        else:
            for members in groups.values():
                members.discard(s)
            groups[targets.get(owners[0], owners[0])].add(s)
            out += [EditOutcome(fid, "pin", s) for fid in owners]
    return out + _exclusions(entries, targets, groups, universe)


def _exclusions(
    entries: list[_Entry], targets: dict[str, str], groups: dict[str, set[str]], universe: set[str]
) -> list[EditOutcome]:
    """Outcome of every exclusion, once pins are applied (a pin or the merge target may keep the statement)."""
    out: list[EditOutcome] = []
    for e in entries:
        fid = e.finding.id
        dest = targets.get(fid, fid)
        for s in e.finding.excluded:
            if s not in universe:
                out.append(EditOutcome(fid, "exclude", s, False, "no such statement in this run"))
            elif s in groups[dest]:
                out.append(EditOutcome(fid, "exclude", s, False, f"it is pinned to or kept by {dest}"))
            else:
                out.append(EditOutcome(fid, "exclude", s))
    return out


def _text_outcomes(finding: Finding, merged_into: str | None, orphan: bool) -> list[EditOutcome]:
    """Outcome of a finding's edits other than the pins, exclusions and failed merges of live findings."""
    out: list[EditOutcome] = []
    lost = VANISHED_REASON if merged_into is None else "it has no group of its own in this run"
    for edit in edits_of(finding):
        if edit.kind == "split_out" or (edit.kind in ("pin", "exclude") and not orphan):
            continue  # split-outs are decided by `_expand_split_outs`, pins and exclusions by `_pin`
        if edit.kind == "merge_into":
            if merged_into is not None:
                out.append(edit)
            elif orphan:
                out.append(EditOutcome(edit.finding_id, edit.kind, edit.target, False, lost))
        elif merged_into is not None and edit.kind in ("title", "summary", "status", "note"):
            reason = f"merged into {merged_into}, so it is not shown"
            out.append(EditOutcome(edit.finding_id, edit.kind, edit.target, False, reason))
        elif orphan:
            out.append(EditOutcome(edit.finding_id, edit.kind, edit.target, False, lost))
        else:
            out.append(edit)
    return out


VANISHED_REASON = "no matching group in this run; kept under `vanished`"


def _counted(finding: Finding, members: set[str], answered: int) -> Finding:
    """A finding with members, distinct-respondent count and percent recomputed; quotes kept if still members."""
    respondents = {respondent_of_statement(s) for s in members}
    n = len(respondents)
    return finding.model_copy(
        update={
            "members": sorted(members),
            "n_respondents": n,
            "pct": min(100.0, round(100.0 * n / answered, 1)) if answered else 0.0,
            "quotes": [q for q in finding.quotes if q.response_id in respondents],
        }
    )


def _ranked(findings: list[Finding]) -> list[Finding]:
    """Rank like the findings stage: respondents, then statements (desc), then the smallest member id.

    Findings without members (an edit that could not be applied) come by id, so a rerun keeps their order.
    """
    order = sorted(
        findings, key=lambda f: (-f.n_respondents, -len(f.members), f.members[0] if f.members else "~", f.id)
    )
    return [f.model_copy(update={"rank": i}) for i, f in enumerate(order, start=1)]


def _flag(entry: _Entry, members: set[str], group_changed: bool) -> tuple[Finding, tuple[str, str, int, int] | None]:
    """Mark an accepted finding whose clustering changed; return the change (id, title, added, removed)."""
    before = set(entry.previous.members) if entry.previous is not None else set()
    if not group_changed or before == members:
        return entry.finding, None
    added, removed = len(members - before), len(before - members)
    change = (entry.finding.id, entry.finding.title, added, removed)
    if entry.finding.status != "accepted":
        return entry.finding, change
    note = f"membership changed on a rerun (+{added} / -{removed} statements); check it, then delete this line"
    return entry.finding.model_copy(update={"changed": note}), change


def _not_grouped(universe: set[str], grouped: set[str]) -> tuple[list[str], int]:
    rest = sorted(universe - grouped)
    people = {respondent_of_statement(s) for s in rest} - {respondent_of_statement(s) for s in grouped}
    return rest, len(people)


def reconcile(
    previous: QuestionDraft | None, generated: QuestionDraft, last_generated: QuestionDraft | None = None
) -> Reconciled:
    """Carry a review copy's edits over to newly generated findings of the same question.

    Args:
        previous: the reviewer's copy as last written and edited, or None on the first run.
        generated: the findings stage's draft of this run (not modified).
        last_generated: the previous run's generated sidecar; only used for review copies written before the
            `generated` block existed, to tell their edited text apart.

    Returns:
        The reconciled review copy (analyst fields verbatim; counts, ranks, members recomputed; unapplied edits
        listed under `unapplied`) and the rerun report.
    """
    fresh = [with_baseline(f) for f in generated.findings]
    empty = generated.model_copy(update={"findings": [], "merged": [], "vanished": []})
    known = {f.id: f for f in last_generated.findings} if last_generated is not None else {}
    expanded, split_outcomes = _expand_split_outs(previous or empty)
    matching = _match(expanded, fresh, known)
    entries = matching.entries
    live = {e.finding.id: e.finding for e in entries}
    targets, outcomes = _resolve_merges(live)
    outcomes += split_outcomes
    universe = {s for f in fresh for s in f.members} | set(generated.not_grouped_members)
    groups = _groups(entries, targets)
    _absorb_orphans(matching.orphans, live, targets, groups, universe)
    outcomes += _pin(entries, targets, groups, universe)
    findings, merged, changes = _rebuild(entries, targets, groups, generated.answered, outcomes)
    merged_too, vanished = _place_orphans(matching.orphans, live, targets, outcomes)
    merged += merged_too
    rest, people = _not_grouped(universe, {s for f in findings for s in f.members})
    outcomes = sorted(outcomes, key=lambda o: (o.finding_id, o.kind, o.target))
    ranked = _ranked(findings)
    draft = generated.model_copy(
        update={
            "findings": ranked,
            "suggested_merges": _hints(generated.suggested_merges, matching.renamed, ranked),
            "merged": merged,
            "vanished": vanished,
            "unapplied": [o.message() for o in outcomes if not o.applied],
            "not_grouped_members": rest,
            "not_grouped": people,
        }
    )
    report = RerunReport(
        question_id=generated.question_id,
        first_run=previous is None,
        matched=matching.report.matched,
        new=matching.report.new,
        vanished=matching.report.vanished,
        changed=tuple(changes),
        edits=tuple(outcomes),
    )
    return Reconciled(draft, report)


def _absorb_orphans(
    orphans: list[Finding],
    live: dict[str, Finding],
    targets: dict[str, str],
    groups: dict[str, set[str]],
    universe: set[str],
) -> None:
    """A merged finding with no group this run still brings its statements: they move into the merge target."""
    for orphan in orphans:
        target = _final_target(orphan.merge_into, live, targets)
        if target is None or target not in groups:
            continue
        moving = (set(orphan.members) & universe) - set(orphan.excluded)
        for members in groups.values():
            members -= moving
        groups[target] |= moving


def _place_orphans(
    orphans: list[Finding], live: dict[str, Finding], targets: dict[str, str], out: list[EditOutcome]
) -> tuple[list[Finding], list[Finding]]:
    """Previous findings without a group this run: merge sources stay merged, edited ones are kept as vanished."""
    merged: list[Finding] = []
    vanished: list[Finding] = []
    for orphan in orphans:
        target = _final_target(orphan.merge_into, live, targets)
        out += _text_outcomes(orphan, target, orphan=True)
        if target is not None:
            merged.append(orphan)
        elif _has_edits(orphan):
            vanished.append(orphan)
    return merged, vanished


def _pooled_quotes(sources: list[_Entry]) -> list[Quote]:
    """Quotes of a finding and the findings merged into it: one per respondent, at most as many as it had."""
    limit = max(len(x.finding.quotes) for x in sources)
    seen: set[str] = set()
    out: list[Quote] = []
    for quote in (q for x in sources for q in x.finding.quotes):
        if quote.response_id not in seen:
            seen.add(quote.response_id)
            out.append(quote)
    return out[: max(limit, 1)]


def _rebuild(
    entries: list[_Entry], targets: dict[str, str], groups: dict[str, set[str]], answered: int, out: list[EditOutcome]
) -> tuple[list[Finding], list[Finding], list[tuple[str, str, int, int]]]:
    """Final findings (counted, flagged), merged sources, and membership changes; edit outcomes go to `out`."""
    findings: list[Finding] = []
    merged: list[Finding] = []
    changes: list[tuple[str, str, int, int]] = []
    merged_into: dict[str, list[_Entry]] = {}
    for x in entries:
        if x.finding.id in targets:
            merged_into.setdefault(targets[x.finding.id], []).append(x)
    for e in entries:
        fid = e.finding.id
        target = targets.get(fid)
        out += _text_outcomes(e.finding, target, orphan=False)
        if target is not None:
            own = set(e.base) - set(e.finding.excluded)
            merged.append(_counted(e.finding, own, answered))
            continue
        sources = [e, *merged_into.get(fid, [])]
        finding, change = _flag(e, groups[fid], any(x.base_changed for x in sources))
        findings.append(_counted(finding.model_copy(update={"quotes": _pooled_quotes(sources)}), groups[fid], answered))
        if change is not None:
            changes.append(change)
    return findings, merged, changes


def _expand_split_outs(previous: QuestionDraft) -> tuple[QuestionDraft, list[EditOutcome]]:
    """Every sub-point listed under a finding's `split_out` as an analyst-made finding of its own.

    The new finding takes the sub-point's id, title and summary, and pins its statements, so they leave the finding
    it was merged into. A finding of that id already in the copy (an earlier run made it) is kept as it is; an id
    that is no sub-point of the finding is an unapplied edit.
    """
    every = [*previous.findings, *previous.merged, *previous.vanished]
    existing = {f.id for f in every}
    made: list[Finding] = []
    out: list[EditOutcome] = []
    for finding in every:
        points = {p.id: p for p in finding.subpoints}
        for sid in finding.split_out:
            point = points.get(sid)
            if sid in existing:
                out.append(EditOutcome(finding.id, "split_out", sid))
            elif point is None:
                out.append(EditOutcome(finding.id, "split_out", sid, False, "no such sub-point of this finding"))
            else:
                summary = point.summary or point.title
                made.append(Finding(id=sid, title=point.title, summary=summary, pinned=list(point.members)))
                existing.add(sid)
                out.append(EditOutcome(finding.id, "split_out", sid))
    return previous.model_copy(update={"findings": [*previous.findings, *made]}), out


def _hints(hints: list[MergeHint], renamed: dict[str, str], findings: list[Finding]) -> list[MergeHint]:
    """The generated merge hints under the review copy's finding ids, for pairs still both shown as findings."""
    shown = {f.id for f in findings}
    out: list[MergeHint] = []
    for hint in hints:
        finding, into = renamed.get(hint.finding, hint.finding), renamed.get(hint.into, hint.into)
        if finding in shown and into in shown and finding != into:
            out.append(hint.model_copy(update={"finding": finding, "into": into}))
    return out
