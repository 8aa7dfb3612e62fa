"""Apply a review copy's membership edits: merges (`merge_into`), pins, exclusions, and the text edits' outcomes.

Step 3 of `reconcile` (see `stage`): members start from the matched group minus `excluded`; `merge_into` moves a
finding's members into its target (chains followed); `pinned` statements move into the finding that pins them (one
pinned to two findings stays put). Every edit is reported as applied or not, with the reason (`EditOutcome`).
"""

from __future__ import annotations

from pipeline.stages.review.carry import _Entry
from pipeline.stages.review.model import EditOutcome, edits_of
from pipeline.stages.shared.sidecar import Finding

VANISHED_REASON = "no matching group in this run; kept under `vanished`"


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
        elif merged_into is not None and edit.kind in ("title", "summary", "status", "note", "campaign"):
            reason = f"merged into {merged_into}, so it is not shown"
            out.append(EditOutcome(edit.finding_id, edit.kind, edit.target, False, reason))
        elif orphan:
            out.append(EditOutcome(edit.finding_id, edit.kind, edit.target, False, lost))
        else:
            out.append(edit)
    return out
