"""Who said each finding of one question, as the draft, the review page and the report show it.

`WhoSaid` bundles the question's breakdown table (`breakdowns.breakdown_table`, computed on the findings shown:
reviewed membership when there is a review copy), the texts of the respondent attributes and the closed question
the open question explains (`linked`).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import cached_property

import pandas as pd

from pipeline.artifacts import FINDING_BREAKDOWN_COLUMNS
from pipeline.languages import UNDETERMINED, format_counts, language_counts
from pipeline.messages import Messages
from pipeline.stages.findings.breakdowns import OVER, UNDER
from pipeline.stages.findings.linked import LinkedQuestion, closed_label, linked_sentence
from pipeline.stages.shared.sidecar import Finding

MARKS = {OVER: "▲", UNDER: "▼", "": ""}


def _empty() -> pd.DataFrame:
    return pd.DataFrame(columns=FINDING_BREAKDOWN_COLUMNS)


@dataclass(frozen=True, eq=False)
class WhoSaid:
    """One question's breakdowns (FINDING_BREAKDOWN_COLUMNS), attribute texts and linked closed question."""

    breakdowns: pd.DataFrame = field(default_factory=_empty)
    labels: Mapping[str, str] = field(default_factory=dict)
    linked: LinkedQuestion | None = None
    q_max: float = 0.05
    min_group: int = 5
    language_of: Mapping[str, str] = field(default_factory=dict)  # statement id -> its language

    def language_line(self, finding: Finding) -> str | None:
        """`Members by language: fr 4, es 3, en 2`, when the members are in more than one (determined) language."""
        counts = language_counts(self.language_of[m] for m in finding.members if m in self.language_of)
        if len([lang for lang in counts if lang != UNDETERMINED]) < 2:
            return None
        return f"Members by language: {format_counts(counts)}"

    def rows(self, finding_id: str) -> pd.DataFrame:
        """The breakdown rows of one finding (attributes and groups in table order)."""
        return self.breakdowns[self.breakdowns["finding_id"] == finding_id]

    def label(self, attribute: str) -> str:
        """An attribute's question text (its id when unknown)."""
        return self.labels.get(attribute, attribute)

    def group_lines(self, finding: Finding) -> list[str]:
        """`Type of respondent: Member State 13/40 (32.5%) ▲ · Sector Member 3/30 (10.0%)`, one per attribute."""
        return list(self._group_lines.get(finding.id, []))

    @cached_property
    def _group_lines(self) -> dict[str, list[str]]:
        """Every finding's group lines, from one pass over the breakdown table (in table order)."""
        cells: dict[str, dict[str, list[str]]] = {}
        for r in self.breakdowns.to_dict(orient="records"):
            cell = f"{r['value']} {r['n_respondents']}/{r['group_answered']} ({r['pct_of_group']:.1f}%)"
            cell += f" {MARKS[str(r['flag'])]}" if r["flag"] else ""
            cells.setdefault(str(r["finding_id"]), {}).setdefault(str(r["attribute"]), []).append(cell)
        return {
            fid: [f"{self.label(attribute)}: {' · '.join(parts)}" for attribute, parts in by_attribute.items()]
            for fid, by_attribute in cells.items()
        }

    def linked_lead(self, msgs: Messages) -> str | None:
        """The sentence naming the closed question the open one explains (None without one)."""
        return msgs("open.linked_lead", question=closed_label(self.linked.spec)) if self.linked else None

    def linked_line(self, finding: Finding, msgs: Messages) -> str | None:
        """How the finding's respondents answered the linked closed question (None without one)."""
        if self.linked is None:
            return None
        return linked_sentence(self.linked.among(finding.members), msgs)
