"""A reviewer's `# comments` in the review copy survive every rewrite (reruns and browser edits)."""

from __future__ import annotations

import yaml

from pipeline.stages.review import reconcile
from pipeline.stages.shared.sidecar import QuestionDraft
from pipeline.steps.review import dump_draft, review_text
from tests.stages.review_helpers import generated, sid

A = [sid(i) for i in range(1, 7)]
B = [sid(i) for i in range(7, 11)]
C = [sid(i) for i in range(11, 14)]


def commented_first_copy() -> tuple[QuestionDraft, str]:
    first = reconcile(None, generated([A, B, C], noise=[sid(20)])).draft
    text = dump_draft(first)
    a, b = first.findings[0], first.findings[1]
    text = text.replace(f"  title: {a.title}\n", f"  title: {a.title}  # AB: check wording\n", 1)
    text = text.replace(f"- id: {b.id}\n", f"# Reviewer: B looks like A\n- id: {b.id}\n", 1)
    text = text.replace("question_id: q1\n", "# Round 2 of the review, 3 May\nquestion_id: q1\n", 1)
    text = text.replace(f"  - {sid(3)}\n", f"  - {sid(3)}  # odd one\n", 1)
    return first, text


COMMENTS = ("# AB: check wording", "# Reviewer: B looks like A", "# Round 2 of the review, 3 May", "# odd one")


def test_a_copy_without_comments_is_dumped_afresh() -> None:
    first = reconcile(None, generated([A, B])).draft
    assert review_text(first, dump_draft(first)) == dump_draft(first)


def test_comments_survive_a_rerun_with_new_clusters_and_a_merge() -> None:
    first, text = commented_first_copy()
    edited = yaml.safe_load(text)
    edited["findings"][1]["merge_into"] = first.findings[0].id
    previous = QuestionDraft.model_validate(edited)
    # the rerun: cluster A lost a statement, C grew
    rerun = reconcile(previous, generated([A[:-1], B, [*C, A[-1]]], noise=[sid(20)])).draft
    out = review_text(rerun, text)
    for comment in COMMENTS:
        assert comment in out, comment
    assert QuestionDraft.model_validate(yaml.safe_load(out)) == rerun
    assert out.index("# AB: check wording") < out.index("summary:")
    again = reconcile(QuestionDraft.model_validate(yaml.safe_load(out)), generated([A, B, C])).draft
    twice = review_text(again, out)
    assert all(comment in twice for comment in COMMENTS)
    assert QuestionDraft.model_validate(yaml.safe_load(twice)) == again


def test_rewriting_unchanged_content_is_stable() -> None:
    first, text = commented_first_copy()
    once = review_text(first, text)
    assert review_text(first, once) == once


def test_comment_after_a_list_that_empties_is_kept() -> None:
    first, text = commented_first_copy()
    data = yaml.safe_load(text)
    data["not_grouped_members"] = []
    emptied = QuestionDraft.model_validate(data)
    text = text.replace(f"- {sid(20)}\n", f"- {sid(20)}\n# about the rest\n", 1)
    out = review_text(emptied, text)
    assert "# about the rest" in out
    assert QuestionDraft.model_validate(yaml.safe_load(out)) == emptied


def test_a_hash_inside_an_answer_is_no_comment() -> None:
    first = reconcile(None, generated([A, B])).draft
    finding = first.findings[0].model_copy(update={"summary": "We use C# and F# #hashtags"})
    first = first.model_copy(update={"findings": [finding, *first.findings[1:]]})
    from pipeline.steps.review import has_reviewer_comments

    assert not has_reviewer_comments(dump_draft(first), first.question_id)
    assert review_text(first, dump_draft(first)) == dump_draft(first)


def test_round_trip_keeps_words_yaml_1_1_reads_as_booleans_as_text() -> None:
    first, text = commented_first_copy()
    finding = first.findings[0].model_copy(update={"keywords": ["off", "yes", "null", "1e5"]})
    draft = first.model_copy(update={"findings": [finding, *first.findings[1:]]})
    out = review_text(draft, text)
    assert "# AB: check wording" in out
    assert QuestionDraft.model_validate(yaml.safe_load(out)).findings[0].keywords == ["off", "yes", "null", "1e5"]
