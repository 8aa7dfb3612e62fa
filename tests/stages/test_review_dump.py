"""`dump_draft` writes key by key and item by item (cached), and must give exactly `yaml.dump`'s text."""

from __future__ import annotations

import yaml

from pipeline.stages.review import reconcile
from pipeline.stages.shared.sidecar import Quote
from pipeline.steps.review import dump_draft
from pipeline.steps.review.sidecar import _Dumper, header
from tests.stages.review_helpers import generated, sid

TRICKY = ["1:20", "yes", "null", "a: b", "- x", "#c", "x" * 150 + " y" * 40, "é\u2028", "'q'", '"d"', "", "0x1F"]


def test_the_cached_writer_gives_yaml_dumps_exact_text() -> None:
    draft = reconcile(None, generated([[sid(i) for i in range(1, 9)], [sid(i) for i in range(9, 14)]])).draft
    first = draft.findings[0].model_copy(update={"quotes": [Quote(response_id="R1", text=t) for t in TRICKY[:6]]})
    for version in (
        draft,
        draft.model_copy(update={"not_grouped_members": TRICKY, "findings": [first, *draft.findings[1:]]}),
        draft.model_copy(update={"findings": [], "not_grouped_members": []}),
    ):
        body = yaml.dump(
            version.model_dump(mode="json"), Dumper=_Dumper, sort_keys=False, allow_unicode=True, width=100
        )
        assert dump_draft(version) == header(version.question_id) + body
        assert dump_draft(version) == header(version.question_id) + body  # from the cache too
