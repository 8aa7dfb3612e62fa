"""Reconcile a reviewer's edited sidecar with freshly generated findings (pure: touches no files).

How a rerun carries edits over:

1. **Matching.** Every previous finding that came from a cluster (it has a `generated` block) is paired with a
   new finding by Hungarian assignment (`scipy.optimize.linear_sum_assignment`) on the Jaccard overlap of their
   cluster members. Pairs with overlap below `MATCH_THRESHOLD` (0.3: fewer than about half of either group's
   statements shared) are not matches. A matched finding keeps its id and every analyst field.
2. **Text.** A title, summary or `campaign` flag differing from the `generated` one was written by an analyst and
   always wins; its `generated` value is then frozen, so the edit stays recognisable on every later rerun.
3. **Membership.** Members start from the matched cluster, minus `excluded`; `merge_into` moves a finding's
   members into its target (chains followed; a merged finding without a group this run brings its previous
   statements); `pinned` statements are moved into the finding that pins them
   (one pinned to two findings stays put). Counts (distinct respondents), %, ranks and the not-grouped rest
   are then recomputed.
4. **Nothing is dropped.** Previous findings without a match are kept under `vanished` when they carry edits;
   merged findings are kept under `merged`. Every edit is reported as applied or unapplied, with the reason.
"""

from __future__ import annotations

from pipeline.stages.review.carry import _Entry, _has_edits, _match
from pipeline.stages.review.edits import _final_target, _groups, _pin, _resolve_merges, _text_outcomes
from pipeline.stages.review.model import (
    EditOutcome,
    Reconciled,
    RerunReport,
    respondent_of_statement,
    with_baseline,
)
from pipeline.stages.shared.sidecar import Finding, MergeHint, QuestionDraft, Quote


def _counted(finding: Finding, members: set[str], answered: int) -> Finding:
    """A finding with members, distinct-respondent count and percent recomputed.

    Generated quotes are kept while their respondent is a member (their `generated` record alike, so they do not
    read as chosen); quotes a reviewer chose are kept verbatim (the report prints those of members only).
    """
    respondents = {respondent_of_statement(s) for s in members}
    n = len(respondents)
    update: dict[str, object] = {
        "members": sorted(members),
        "n_respondents": n,
        "pct": min(100.0, round(100.0 * n / answered, 1)) if answered else 0.0,
    }
    if not finding.quotes_chosen:
        update["quotes"] = [q for q in finding.quotes if q.response_id in respondents]
        if finding.generated is not None and finding.generated.quotes is not None:
            update["generated"] = finding.generated.model_copy(update={"quotes": update["quotes"]})
    return finding.model_copy(update=update)


def quote_outcomes(finding: Finding) -> list[EditOutcome]:
    """Chosen quotes whose respondent is no longer a member of the finding: not applied (the report skips them)."""
    if not finding.quotes_chosen:
        return []
    respondents = {respondent_of_statement(s) for s in finding.members}
    reason = "the respondent is no longer in this finding, so the report leaves this quote out"
    return [
        EditOutcome(finding.id, "quote", q.response_id, False, reason)
        for q in finding.quotes
        if q.response_id not in respondents
    ]


def _ranked(findings: list[Finding]) -> list[Finding]:
    """Rank like the findings stage: respondents, then statements (desc), then the smallest member id; campaigns last.

    Findings without members (an edit that could not be applied) come by id, so a rerun keeps their order.
    """
    order = sorted(
        findings,
        key=lambda f: (f.campaign, -f.n_respondents, -len(f.members), f.members[0] if f.members else "~", f.id),
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


def _pooled(finding: Finding, sources: list[_Entry]) -> Finding:
    """A finding with the quotes of the findings merged into it pooled in, unless a reviewer chose its quotes.

    An analyst-made finding (no `generated` block) keeps the quotes the analyst gave it: pooled quotes would count as
    chosen ones (`Finding.quotes_chosen`), and a rerun would then report an edit nobody made.
    """
    if finding.generated is None or finding.quotes_chosen or len(sources) == 1:
        return finding
    quotes = _pooled_quotes(sources)
    generated = finding.generated.model_copy(update={"quotes": quotes})
    return finding.model_copy(update={"quotes": quotes, "generated": generated})


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
        counted = _counted(_pooled(finding, sources), groups[fid], answered)
        out += quote_outcomes(counted)
        findings.append(counted)
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
