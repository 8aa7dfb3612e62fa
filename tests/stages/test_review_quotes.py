"""Quotes a reviewer chose (`quotes:` of a finding): kept over reruns, reported when unappliable, printed in order."""

from __future__ import annotations

from pipeline.messages import Messages
from pipeline.stages.report.model import FindingList
from pipeline.stages.report.open_sections import LoadedDraft, open_section, printed_quotes
from pipeline.stages.review import reconcile
from pipeline.stages.shared.sidecar import QuestionDraft, Quote
from tests.stages.review_helpers import generated, sid

CLUSTERS = [[sid(r) for r in range(1, 8)], [sid(r) for r in range(10, 14)]]


def _first_run() -> QuestionDraft:
    return reconcile(None, generated(CLUSTERS)).draft


def test_generated_quotes_are_not_chosen_and_the_report_prints_one() -> None:
    draft = _first_run()
    finding = draft.findings[0]
    assert finding.generated is not None and finding.generated.quotes == finding.quotes
    assert not finding.quotes_chosen
    assert printed_quotes(finding) == finding.quotes[:1]


def test_chosen_quotes_survive_a_rerun_in_their_order_and_all_print() -> None:
    draft = _first_run()
    finding = draft.findings[0]
    chosen = [Quote(response_id="R005", text="text R005:q1:0"), finding.quotes[0]]
    edited = draft.model_copy(update={"findings": [finding.model_copy(update={"quotes": chosen}), *draft.findings[1:]]})
    assert edited.findings[0].quotes_chosen
    again = reconcile(edited, generated(CLUSTERS)).draft
    kept = next(f for f in again.findings if f.id == finding.id)
    assert kept.quotes == chosen and kept.quotes_chosen
    assert printed_quotes(kept) == chosen
    section = open_section("q1", "What matters?", LoadedDraft(again, "review"), msgs=Messages("en"))
    items = next(b for b in section.blocks if isinstance(b, FindingList)).items
    item = next(i for i in items if i.title == kept.title)
    assert item.quote_texts == (
        "“text R005:q1:0” (response R005)",
        f"“{chosen[1].text}” (response {chosen[1].response_id})",
    )
    assert not again.unapplied


def test_a_chosen_quote_of_a_respondent_who_left_is_kept_listed_and_not_printed() -> None:
    draft = _first_run()
    finding = draft.findings[0]
    chosen = [Quote(response_id="R002", text="text R002:q1:0"), Quote(response_id="R003", text="text R003:q1:0")]
    edited = finding.model_copy(update={"quotes": chosen, "excluded": [sid(2)]})
    again = reconcile(draft.model_copy(update={"findings": [edited, *draft.findings[1:]]}), generated(CLUSTERS)).draft
    kept = next(f for f in again.findings if f.id == finding.id)
    assert kept.quotes == chosen  # nothing a reviewer wrote is dropped
    assert printed_quotes(kept) == chosen[1:]
    assert any("quote R002 not applied" in line for line in again.unapplied)


def test_generated_quotes_follow_the_members_without_reading_as_chosen() -> None:
    draft = _first_run()
    finding = draft.findings[0]
    gone = finding.quotes[0].response_id
    edited = finding.model_copy(update={"excluded": [s for s in finding.members if s.startswith(gone + ":")]})
    again = reconcile(draft.model_copy(update={"findings": [edited, *draft.findings[1:]]}), generated(CLUSTERS)).draft
    kept = next(f for f in again.findings if f.id == finding.id)
    assert gone not in {q.response_id for q in kept.quotes}
    assert not kept.quotes_chosen
