"""Who said it: the respondents of each finding per group of a respondent attribute (a `meta` question).

For one open question the population is its answering respondents (`answered` of the draft). For each finding,
attribute and value: `n_respondents` of the finding in that group, `group_answered` (the group's answering
respondents) and `pct_of_group` (100 x n / group). A group is tested against the rest of the population with
Fisher's exact test (two-sided) when it and the rest both have at least `findings.breakdown_min_group`
respondents; the p-values of one question (every finding, attribute and group tested) get Benjamini-Hochberg
q-values, and a group with q <= `findings.breakdown_q` is flagged `over` or `under` (its share above or below the
rest's). Respondents without a value are the group `(not stated)`: counted, so groups add up to the finding, never
tested.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass

import numpy as np
import pandas as pd

from pipeline.artifacts import FINDING_BREAKDOWN_COLUMNS, RESPONDENT_COLUMNS
from pipeline.config import FindingsConfig
from pipeline.stages.shared.sidecar import Finding, QuestionDraft

NOT_STATED = "(not stated)"
OVER, UNDER = "over", "under"


@dataclass(frozen=True)
class QuestionGroups:
    """The answering respondents of one open question with their group per attribute.

    Attributes:
        question_id: the open question.
        groups: index respondent id (str); one column per attribute, values as text (NOT_STATED when missing).
        respondent_of: statement id -> respondent id.
        min_group: smallest group (and rest) that is tested.
        q_max: highest q-value that is flagged.
    """

    question_id: str
    groups: pd.DataFrame
    respondent_of: Mapping[str, str]
    min_group: int
    q_max: float

    @property
    def attributes(self) -> list[str]:
        """The attributes, in config order."""
        return [str(c) for c in self.groups.columns]

    def respondents(self, members: Iterable[str]) -> list[str]:
        """The answering respondents among a finding's statements (sorted, each once)."""
        found = {self.respondent_of[m] for m in members if m in self.respondent_of}
        return sorted(found.intersection(self.groups.index))

    def values(self, attribute: str) -> list[str]:
        """An attribute's groups: largest first (ties by name), `(not stated)` last."""
        sizes = self.groups[attribute].value_counts()
        return sorted((str(v) for v in sizes.index), key=lambda v: (v == NOT_STATED, -int(sizes[v]), v))


def breakdown_attributes(respondents: pd.DataFrame, cfg: FindingsConfig) -> list[str]:
    """The attributes to break findings down by: `findings.breakdowns`, else meta columns with 2 to N values."""
    meta = [str(c) for c in respondents.columns if c not in RESPONDENT_COLUMNS]
    if cfg.breakdowns is not None:
        return [a for a in cfg.breakdowns if a in meta]
    out = []
    for column in meta:
        values = respondents[column].dropna().astype(str).str.strip()
        distinct = values[values != ""].nunique()
        if 2 <= distinct <= cfg.breakdown_values:
            out.append(column)
    return out


def question_groups(
    answers: pd.DataFrame,
    statements: pd.DataFrame,
    respondents: pd.DataFrame,
    settings_for: Callable[[str], FindingsConfig],
    question_ids: Iterable[str],
) -> dict[str, QuestionGroups]:
    """The groups of every open question that has attributes to break down by.

    Args:
        answers: ingest answers (`respondent_id, question_id, status`): who answered each question.
        statements: embed statements (`statement_id, respondent_id, question_id`).
        respondents: ingest respondents (`respondent_id, source_row` + one column per meta question).
        settings_for: a question's findings settings (overrides applied).
        question_ids: the open questions.
    """
    out: dict[str, QuestionGroups] = {}
    by_id = respondents.assign(respondent_id=respondents["respondent_id"].astype(str)).set_index("respondent_id")
    for qid in question_ids:
        cfg = settings_for(qid)
        attributes = breakdown_attributes(respondents, cfg)
        if not attributes:
            continue
        rows = answers[(answers["question_id"] == qid) & (answers["status"] == "answer")]
        answering = sorted(set(rows["respondent_id"].astype(str)).intersection(by_id.index))
        groups = by_id.loc[answering, attributes].astype("string").apply(lambda c: c.str.strip())
        groups = groups.fillna(NOT_STATED).replace("", NOT_STATED).astype(str)
        mine = statements[statements["question_id"] == qid]
        respondent_of = dict(zip(mine["statement_id"].astype(str), mine["respondent_id"].astype(str), strict=True))
        out[qid] = QuestionGroups(qid, groups, respondent_of, cfg.breakdown_min_group, cfg.breakdown_q)
    return out


def breakdown_table(draft: QuestionDraft, groups: QuestionGroups) -> pd.DataFrame:
    """FINDING_BREAKDOWN_COLUMNS for every finding of a draft (rejected ones too); q-values over the question."""
    records: list[dict[str, object]] = []
    for finding in draft.findings:
        records += _finding_rows(draft.question_id, finding, groups)
    table = pd.DataFrame(records, columns=[*FINDING_BREAKDOWN_COLUMNS, "rest_pct", "p_value"])
    tested = table["p_value"].notna()
    table["q_value"] = np.nan
    if tested.any():
        from scipy.stats import false_discovery_control  # scipy.stats: ~1 s of imports, only when there are tests

        table.loc[tested, "q_value"] = false_discovery_control(table.loc[tested, "p_value"].to_numpy(float))
    table["q_value"] = table["q_value"].round(6)
    table["flag"] = _flags(table, groups)
    return table[FINDING_BREAKDOWN_COLUMNS]


def _finding_rows(question_id: str, finding: Finding, groups: QuestionGroups) -> list[dict[str, object]]:
    ids = groups.respondents(finding.members)
    total, size = len(groups.groups), len(ids)
    rows: list[dict[str, object]] = []
    for attribute in groups.attributes:
        column = groups.groups[attribute]
        inside = column.loc[ids].value_counts()
        sizes = column.value_counts()
        for value in groups.values(attribute):
            group, hits = int(sizes[value]), int(inside.get(value, 0))
            testable = value != NOT_STATED and min(group, total - group) >= groups.min_group
            p_value = _fisher(hits, size - hits, group - hits, total - group - size + hits) if testable else None
            rows.append(
                {
                    "question_id": question_id,
                    "finding_id": finding.id,
                    "attribute": attribute,
                    "value": value,
                    "n_respondents": hits,
                    "group_answered": group,
                    "pct_of_group": round(100.0 * hits / group, 1) if group else 0.0,
                    "rest_pct": 100.0 * (size - hits) / (total - group) if total > group else 0.0,
                    "p_value": p_value,
                }
            )
    return rows


def _fisher(a: int, b: int, c: int, d: int) -> float:
    """Two-sided Fisher's exact test of [[in group and finding, rest in finding], [group not in it, rest not]]."""
    from scipy.stats import fisher_exact

    return float(fisher_exact([[a, b], [c, d]]).pvalue)


def _flags(table: pd.DataFrame, groups: QuestionGroups) -> pd.Series:
    flagged = table["q_value"].notna() & (table["q_value"] <= groups.q_max)
    over = table["pct_of_group"] > table["rest_pct"]
    return pd.Series(np.where(flagged, np.where(over, OVER, UNDER), ""), index=table.index)


def flagged(table: pd.DataFrame) -> pd.DataFrame:
    """The flagged rows of a breakdown table."""
    return table[table["flag"] != ""]
