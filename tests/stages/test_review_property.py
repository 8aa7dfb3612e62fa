"""Property: over random sequences of edits, reclusterings, late answers and reruns, no reviewer edit is lost.

Every edit is either applied or listed as unapplied; analyst text comes back byte for byte (also through YAML);
counts stay consistent with members; a second rerun on the same findings changes nothing.
"""

from __future__ import annotations

import difflib
from collections import Counter

import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from pipeline.stages.review import reconcile
from pipeline.stages.review.model import edits_of, respondent_of_statement
from pipeline.stages.shared.sidecar import Finding, QuestionDraft
from pipeline.steps.review import dump_draft
from tests.stages.review_helpers import generated, sid

TEXT = st.text(min_size=1, max_size=15)


def entries(draft: QuestionDraft) -> list[Finding]:
    return [*draft.findings, *draft.merged, *draft.vanished]


def analyst_view(f: Finding) -> tuple[object, ...]:
    edited_title = f.title if f.generated is None or f.title != f.generated.title else None
    edited_summary = f.summary if f.generated is None or f.summary != f.generated.summary else None
    return (edited_title, edited_summary, f.status, f.note, f.merge_into, tuple(f.pinned), tuple(f.excluded))


def check_rerun(previous: QuestionDraft, gen: QuestionDraft) -> QuestionDraft:
    result = reconcile(previous, gen)
    out = result.draft
    # 1. every edit is reported, applied or not; unapplied ones are listed in the review file
    wanted = Counter((e.kind, e.target) for f in entries(previous) for e in edits_of(f))
    assert wanted == Counter((e.kind, e.target) for e in result.report.edits)
    assert [e.message() for e in result.report.unapplied] == out.unapplied
    assert len(result.report.matched) + len(result.report.new) == len(gen.findings)
    # 2. analyst fields are kept verbatim (on the same id); only unedited vanished findings are dropped
    after = {f.id: f for f in entries(out)}
    for f in entries(previous):
        if not f.id:
            assert any(g.generated is None and analyst_view(g) == analyst_view(f) for g in entries(out))
        elif f.id in after:
            assert analyst_view(after[f.id]) == analyst_view(f)
        else:
            assert not edits_of(f) and f.generated is not None
    # 3. memberships partition the statements; counts are distinct respondents
    universe = {s for f in gen.findings for s in f.members} | set(gen.not_grouped_members)
    members = [s for f in out.findings for s in f.members]
    assert len(members) == len(set(members)) and set(members) | set(out.not_grouped_members) == universe
    assert not set(members) & set(out.not_grouped_members)
    for f in out.findings:
        assert f.n_respondents == len({respondent_of_statement(s) for s in f.members})
    # 4. YAML round trip keeps the text; a second rerun changes nothing
    assert QuestionDraft.model_validate(yaml.safe_load(dump_draft(out))) == out
    again = dump_draft(reconcile(out, gen).draft)
    assert again == dump_draft(out), "".join(
        difflib.unified_diff(dump_draft(out).splitlines(True), again.splitlines(True))
    )
    return out


def apply_edit(data: st.DataObject, draft: QuestionDraft, statements: list[str]) -> QuestionDraft:
    findings = list(draft.findings)
    if not findings:
        return draft
    i = data.draw(st.integers(0, len(findings) - 1))
    ids = [f.id for f in findings] + ["q1-unknown"]
    some = st.sampled_from([*statements, "R999:q1:9"])
    kind = data.draw(st.sampled_from(["title", "summary", "status", "note", "merge", "pin", "exclude", "split"]))
    update: dict[str, object] = {}
    if kind in ("title", "summary", "note"):
        update[kind] = data.draw(TEXT)
    elif kind == "status":
        update["status"] = data.draw(st.sampled_from(["accepted", "rejected", "draft"]))
    elif kind == "merge":
        update["merge_into"] = data.draw(st.sampled_from(ids))
    elif kind in ("pin", "exclude"):
        field = "pinned" if kind == "pin" else "excluded"
        update[field] = list(dict.fromkeys([*getattr(findings[i], field), data.draw(some)]))
    else:
        pins = data.draw(st.lists(some, min_size=1, max_size=3, unique=True))
        split = Finding(title=data.draw(TEXT), summary=data.draw(TEXT), pinned=pins)
        return draft.model_copy(update={"findings": [*findings, split]})
    findings[i] = findings[i].model_copy(update=update)
    return draft.model_copy(update={"findings": findings})


def perturb(data: st.DataObject, clusters: list[list[str]], noise: list[str]) -> tuple[list[list[str]], list[str]]:
    """Move a few statements between clusters and the not-grouped rest (as a parameter change would)."""
    clusters = [list(c) for c in clusters] + [[]]
    everything = [s for c in clusters for s in c] + noise
    noise = list(noise)
    for s in data.draw(st.lists(st.sampled_from(everything), max_size=6, unique=True)):
        for group in [*clusters, noise]:
            if s in group:
                group.remove(s)
        target = data.draw(st.integers(-1, len(clusters) - 1))
        (noise if target < 0 else clusters[target]).append(s)
    return [c for c in clusters if c], noise


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.data())
def test_no_edit_is_lost_or_silently_altered(data: st.DataObject) -> None:
    clusters = [[sid(i) for i in range(k, k + 6)] for k in (0, 6, 12)]
    noise = [sid(18), sid(19, 1), sid(19, 2)]
    review = reconcile(None, generated(clusters, noise)).draft
    next_respondent = 100
    for _ in range(data.draw(st.integers(1, 5))):
        statements = [s for c in clusters for s in c] + noise
        for _ in range(data.draw(st.integers(0, 4))):
            review = apply_edit(data, review, statements)
        step = data.draw(st.sampled_from(["same", "perturb", "late", "dissolve"]))
        if step == "perturb":
            clusters, noise = perturb(data, clusters, noise)
        elif step == "dissolve" and clusters:
            gone = clusters.pop(data.draw(st.integers(0, len(clusters) - 1)))
            noise = [*noise, *gone]
        elif step == "late":
            late = [sid(next_respondent + k) for k in range(data.draw(st.integers(1, 5)))]
            next_respondent += len(late)
            target = data.draw(st.integers(0, len(clusters)))
            clusters = (
                [*clusters, late]
                if target == len(clusters)
                else [c + late if j == target else c for j, c in enumerate(clusters)]
            )
        review = check_rerun(review, generated(clusters, noise))


def test_an_analyst_made_finding_takes_no_pooled_quotes_that_would_read_as_chosen() -> None:
    """Found by the property above: a finding merged into an analyst-made one pooled its quotes in; those counted as
    chosen, so when their respondent left, a rerun reported a quote edit nobody made."""
    clusters = [[sid(i) for i in range(k, k + 6)] for k in (0, 6, 12)]
    gen = generated(clusters)
    review = reconcile(None, gen).draft
    mine = Finding(title="Mine", summary="Said by the analyst.", pinned=[sid(0), sid(1)])
    review = check_rerun(review.model_copy(update={"findings": [*review.findings, mine]}), gen)
    made = next(f for f in review.findings if f.generated is None)
    donor = next(f for f in review.findings if sid(6) in f.members)
    merged = [f.model_copy(update={"merge_into": made.id}) if f.id == donor.id else f for f in review.findings]
    review = check_rerun(review.model_copy(update={"findings": merged}), gen)
    made = next(f for f in review.findings if f.id == made.id)
    assert sid(6) in made.members and not made.quotes_chosen
    excluded = [f.model_copy(update={"excluded": [sid(6)]}) if f.id == made.id else f for f in review.findings]
    check_rerun(review.model_copy(update={"findings": excluded}), gen)
