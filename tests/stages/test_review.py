"""Review reconciliation: each kind of reviewer edit survives a rerun, or is reported as not applied."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from pipeline.diff import compare_assignments
from pipeline.stages.draft import render_markdown
from pipeline.stages.review import MATCH_THRESHOLD, reconcile
from pipeline.stages.review.match import jaccard, match_sets
from pipeline.stages.review.report import question_status, render_rerun, render_status, summary_line
from pipeline.stages.shared.sidecar import Finding, QuestionDraft
from pipeline.steps.review import dump_draft, read_draft, write_draft
from tests.stages.review_helpers import QID, generated, sid

A = [sid(i) for i in range(0, 10)]
B = [sid(i) for i in range(10, 16)]
C = [sid(i) for i in range(16, 20)]
NOISE = [sid(30), sid(31)]


def first() -> QuestionDraft:
    return reconcile(None, generated([A, B, C], NOISE)).draft


def by_members(draft: QuestionDraft, statement: str) -> Finding:
    return next(f for f in draft.findings if statement in f.members)


def edit(draft: QuestionDraft, statement: str, **update: object) -> QuestionDraft:
    """Edit the finding holding `statement` as an analyst would."""
    findings = [f.model_copy(update=update) if statement in f.members else f for f in draft.findings]
    return draft.model_copy(update={"findings": findings})


def perturbed() -> QuestionDraft:
    """The same themes, a few statements moved: A loses one to B, C gains a new answer."""
    return generated([A[:-1], [*B, A[-1]], [*C, sid(40)]], [*NOISE, sid(41)])


def test_first_run_creates_review_copy_with_baselines() -> None:
    result = reconcile(None, generated([A, B, C], NOISE))
    assert result.report.first_run and len(result.report.new) == 3
    assert all(f.generated is not None and f.generated.members == f.members for f in result.draft.findings)
    assert "First run" in summary_line(result.report)


def test_reconcile_is_idempotent_and_does_not_mutate_inputs() -> None:
    gen = perturbed()
    before = gen.model_dump()
    previous = edit(first(), A[0], title="Mine", status="accepted")
    once = reconcile(previous, gen).draft
    twice = reconcile(once, gen).draft
    assert dump_draft(once) == dump_draft(twice)
    assert gen.model_dump() == before


def test_renamed_title_and_summary_survive_a_new_clustering() -> None:
    previous = edit(first(), A[0], title="Weak coordination", summary="Bureaux do not talk to each other.")
    result = reconcile(previous, perturbed())
    finding = by_members(result.draft, A[0])
    assert (finding.title, finding.summary) == ("Weak coordination", "Bureaux do not talk to each other.")
    assert finding.generated is not None and finding.generated.title == by_members(first(), A[0]).title
    kinds = {(e.kind, e.applied) for e in result.report.edits}
    assert kinds == {("title", True), ("summary", True)}


def test_unedited_text_follows_the_new_generated_text() -> None:
    gen = perturbed()
    renamed = gen.model_copy(update={"findings": [f.model_copy(update={"title": "New words"}) for f in gen.findings]})
    result = reconcile(first(), renamed)
    assert {f.title for f in result.draft.findings} == {"New words"}
    assert not result.report.edits


def test_status_and_note_carry_over_and_accepted_changes_are_flagged() -> None:
    previous = edit(first(), A[0], status="accepted", note="checked by AB")
    previous = edit(previous, C[0], status="rejected")
    draft = reconcile(previous, perturbed()).draft
    a, c = by_members(draft, A[0]), by_members(draft, C[0])
    assert (a.status, a.note, c.status) == ("accepted", "checked by AB", "rejected")
    assert a.changed is not None and "-1" in a.changed
    assert c.changed is None  # only accepted findings need a second look
    status = question_status(draft)
    assert (status.accepted, status.rejected, status.draft) == (1, 1, 1)
    assert any(a.id in line for line in status.attention)
    assert "need attention" in render_status([status])


def test_same_clustering_does_not_flag_accepted_findings() -> None:
    previous = edit(first(), A[0], status="accepted")
    assert by_members(reconcile(previous, generated([A, B, C], NOISE)).draft, A[0]).changed is None


def test_merge_moves_members_and_keeps_the_source_under_merged() -> None:
    base = first()
    target = by_members(base, A[0]).id
    previous = edit(base, B[0], merge_into=target)
    draft = reconcile(previous, perturbed()).draft
    merged = by_members(draft, A[0])
    assert set(B) | set(A) <= set(merged.members)
    assert merged.n_respondents == len(A) + len(B)
    assert merged.pct == round(100.0 * merged.n_respondents / draft.answered, 1)
    assert [f.merge_into for f in draft.merged] == [target]
    assert len(draft.findings) == 2 and [f.rank for f in draft.findings] == [1, 2]
    assert "## Merged by the reviewer" in render_markdown(draft)


def test_merge_chain_and_bad_merges() -> None:
    base = first()
    ida, idb, idc = (by_members(base, x[0]).id for x in (A, B, C))
    chained = reconcile(edit(edit(base, C[0], merge_into=idb), B[0], merge_into=ida), perturbed()).draft
    assert len(chained.findings) == 1 and chained.findings[0].id == ida
    cycle = reconcile(edit(edit(base, C[0], merge_into=idb), B[0], merge_into=idc), perturbed())
    assert len(cycle.draft.findings) == 3
    assert sum("cycle" in line for line in cycle.draft.unapplied) == 2
    unknown = reconcile(edit(base, C[0], merge_into="q1-nope"), perturbed()).draft
    assert unknown.unapplied == [f"{idc}: merge_into q1-nope not applied: no finding with id 'q1-nope' in this run"]
    assert by_members(unknown, C[0]).merge_into == "q1-nope"  # the edit stays where the analyst wrote it


def test_split_pins_named_answers_into_a_new_finding() -> None:
    base = first()
    split = Finding(title="Budget for travel", summary="Travel money is short.", pinned=[A[0], A[1]])
    previous = base.model_copy(update={"findings": [*base.findings, split]})
    result = reconcile(previous, perturbed())
    new = next(f for f in result.draft.findings if f.title == "Budget for travel")
    assert new.members == [A[0], A[1]] and new.n_respondents == 2 and new.id.startswith(f"{QID}-a")
    assert A[0] not in by_members(result.draft, A[2]).members
    again = reconcile(result.draft, perturbed()).draft
    assert dump_draft(again) == dump_draft(result.draft)


def test_move_an_answer_by_pinning_it_to_another_finding() -> None:
    draft = reconcile(edit(first(), C[0], pinned=[A[3]]), perturbed()).draft
    assert A[3] in by_members(draft, C[0]).members
    assert sum(A[3] in f.members for f in draft.findings) == 1


def test_exclude_sends_an_answer_to_not_grouped() -> None:
    base = first()
    draft = reconcile(edit(base, A[0], excluded=[A[5]]), generated([A, B, C], NOISE)).draft
    assert A[5] not in by_members(draft, A[0]).members
    assert A[5] in draft.not_grouped_members and draft.not_grouped == 3


def test_pins_and_exclusions_that_cannot_apply_are_listed() -> None:
    base = first()
    previous = edit(base, C[0], pinned=[A[3], "R999:q1:0"], excluded=["R998:q1:0"])
    previous = edit(previous, B[0], pinned=[A[3]])
    result = reconcile(previous, perturbed())
    reasons = " | ".join(result.draft.unapplied)
    assert "R999:q1:0 not applied: no such statement" in reasons
    assert "R998:q1:0 not applied: no such statement" in reasons
    assert "pinned to several findings" in reasons
    assert len(result.report.unapplied) == 4  # both pins of the twice-pinned statement


def test_vanished_finding_keeps_its_edits_and_comes_back() -> None:
    base = first()
    previous = edit(base, C[0], title="Events", status="accepted")
    gone = reconcile(previous, generated([A, B], [*NOISE, *C]))
    assert [f.title for f in gone.draft.vanished] == ["Events"]
    assert {e.kind for e in gone.report.unapplied} == {"title", "status"}
    assert "Vanished" in render_rerun(gone.report)
    back = reconcile(gone.draft, generated([A, B, C], NOISE)).draft
    assert by_members(back, C[0]).title == "Events" and not back.vanished and not back.unapplied


def test_unedited_vanished_findings_are_dropped_from_the_review_copy() -> None:
    result = reconcile(first(), generated([A, B], [*NOISE, *C]))
    assert not result.draft.vanished and len(result.report.vanished) == 1


def test_late_responses_form_new_findings_and_edits_still_apply() -> None:
    previous = edit(first(), A[0], title="Mine")
    late = [sid(i) for i in range(50, 58)]
    result = reconcile(previous, generated([A, B, C, late], NOISE))
    assert by_members(result.draft, A[0]).title == "Mine"
    assert [t for _, t in result.report.new] == [by_members(result.draft, late[0]).title]
    assert result.draft.answered == 30


def test_counts_are_distinct_respondents() -> None:
    two = [sid(0, 0), sid(0, 1), sid(1, 0)]
    draft = reconcile(None, generated([two, B])).draft
    assert by_members(draft, two[0]).n_respondents == 2


def test_analyst_text_round_trips_byte_for_byte(tmp_path: Path) -> None:
    text = "  «Quoted», trailing space \nsecond line: # not a comment\t"
    draft = reconcile(edit(first(), A[0], title=text, note="yes"), perturbed()).draft
    write_draft(tmp_path / "q.yaml", draft)
    assert by_members(read_draft(tmp_path / "q.yaml"), A[0]).title == text


def test_legacy_review_copy_without_generated_block() -> None:
    last = generated([A, B, C], NOISE)
    legacy = edit(last, A[0], title="Renamed before this version")
    legacy = legacy.model_copy(
        update={"findings": [f.model_copy(update={"status": "accepted"}) for f in legacy.findings]}
    )
    renamed = perturbed().model_copy(
        update={"findings": [f.model_copy(update={"title": "New words"}) for f in perturbed().findings]}
    )
    with_last = reconcile(legacy, renamed, last_generated=last).draft
    assert all(f.status == "accepted" and f.generated is not None for f in with_last.findings)
    assert sorted(f.title for f in with_last.findings) == ["New words", "New words", "Renamed before this version"]
    without = reconcile(legacy, renamed).draft  # baseline unknown: every title is kept as analyst text
    assert "New words" not in {f.title for f in without.findings}


def test_match_sets_hungarian_and_threshold() -> None:
    old = [frozenset("abcd"), frozenset("efgh")]
    new = [frozenset("efgx"), frozenset("abcd"), frozenset("zzzz")]
    assert match_sets(old, new, MATCH_THRESHOLD) == [(0, 1, 1.0), (1, 0, 0.6)]
    assert match_sets(old, [frozenset("axyz")], MATCH_THRESHOLD) == []
    assert jaccard(frozenset(), frozenset()) == 0.0


@given(
    st.lists(st.integers(0, 5), min_size=1, max_size=40),
    st.lists(st.integers(0, 6), min_size=1, max_size=40),
)
@settings(max_examples=60, deadline=None)
def test_match_sets_equals_the_full_assignment(old_labels: list[int], new_labels: list[int]) -> None:
    """Solving each set of overlapping groups alone gives the optimum of the whole old x new table."""
    from scipy.optimize import linear_sum_assignment

    def groups(labels: list[int]) -> list[frozenset[str]]:
        return [frozenset(str(i) for i, x in enumerate(labels) if x == g) for g in sorted(set(labels))]

    old, new = groups(old_labels), groups(new_labels)
    table = np.array([[jaccard(a, b) for b in new] for a in old])
    rows, cols = linear_sum_assignment(table, maximize=True)
    pairs = match_sets(old, new, 0.0)
    assert len({i for i, _, _ in pairs}) == len(pairs) == len({j for _, j, _ in pairs})
    assert all(score == pytest.approx(table[i, j]) for i, j, score in pairs)
    assert sum(score for _, _, score in pairs) == pytest.approx(float(table[rows, cols].sum()))


def _assign(pairs: list[tuple[str, str]]) -> pd.DataFrame:
    return pd.DataFrame(
        {"question_id": "q1", "statement_id": [s for s, _ in pairs], "finding_id": [f for _, f in pairs]}
    )


def test_diff_compares_runs_by_overlap_not_ids() -> None:
    a = _assign([("s1", "x"), ("s2", "x"), ("s3", "y"), ("s4", "y"), ("s5", "")])
    relabelled = _assign([("s1", "p"), ("s2", "p"), ("s3", "q"), ("s4", "q"), ("s5", "")])
    row = compare_assignments(a, relabelled).iloc[0]
    assert (row["unchanged_share"], row["adjusted_rand"], row["matched"]) == (1.0, 1.0, 2)
    moved = _assign([("s1", "p"), ("s2", "q"), ("s3", "q"), ("s4", "q"), ("s5", "q")])
    row = compare_assignments(a, moved).iloc[0]
    assert row["unchanged_share"] == 0.6 and row["adjusted_rand"] < 1.0


def test_question_without_findings() -> None:
    empty = generated([], [sid(1)])
    result = reconcile(first(), empty)
    assert result.draft.findings == [] and result.draft.not_grouped_members == [sid(1)]
    assert len(result.report.vanished) == 3
    assert reconcile(None, generated([])).draft.findings == []


def with_subpoints(draft: QuestionDraft) -> QuestionDraft:
    """The generated draft with finding A made of two sub-points: A[:6] and A[6:]."""
    from pipeline.stages.shared.sidecar import SubPoint

    points = [
        SubPoint(id=f"{QID}-p1", title="First half", summary="Half one.", n_respondents=6, members=A[:6]),
        SubPoint(id=f"{QID}-p2", title="Second half", summary="Half two.", n_respondents=4, members=A[6:]),
    ]
    findings = [f.model_copy(update={"subpoints": points}) if A[0] in f.members else f for f in draft.findings]
    return draft.model_copy(update={"findings": findings})


def test_split_out_makes_a_sub_point_a_finding_of_its_own_once() -> None:
    gen = with_subpoints(generated([A, B, C], NOISE))
    previous = edit(reconcile(None, gen).draft, A[0], split_out=[f"{QID}-p2"])
    once = reconcile(previous, gen)
    split = next(f for f in once.draft.findings if f.id == f"{QID}-p2")
    assert split.title == "Second half" and split.summary == "Half two." and sorted(split.members) == sorted(A[6:])
    assert not set(A[6:]) & set(by_members(once.draft, A[0]).members)
    assert not once.draft.unapplied
    twice = reconcile(once.draft, gen).draft
    assert dump_draft(twice) == dump_draft(once.draft)  # the split is made once, then kept as an analyst finding


def test_split_out_of_an_unknown_sub_point_is_reported() -> None:
    gen = with_subpoints(generated([A, B, C], NOISE))
    previous = edit(reconcile(None, gen).draft, A[0], split_out=[f"{QID}-nope"])
    result = reconcile(previous, gen)
    assert any("split_out" in line and "no such sub-point" in line for line in result.draft.unapplied)


def test_merge_hints_follow_the_review_copy_ids() -> None:
    from pipeline.stages.shared.sidecar import MergeHint

    gen = generated([A, B, C], NOISE)
    ids = [f.id for f in gen.findings]
    gen = gen.model_copy(update={"suggested_merges": [MergeHint(finding=ids[2], into=ids[1], similarity=0.8)]})
    previous = first()
    renamed = [f.model_copy(update={"id": f"{f.id}-old"}) for f in previous.findings]  # ids from an earlier run
    result = reconcile(previous.model_copy(update={"findings": renamed}), gen).draft
    hint = result.suggested_merges[0]
    assert {hint.finding, hint.into} <= {f.id for f in result.findings} and hint.finding.endswith("-old")
    merged = edit(result, C[0], merge_into=hint.into)
    assert not reconcile(merged, gen).draft.suggested_merges  # merged away: no hint left
