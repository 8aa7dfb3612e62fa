"""Hand-built ingest tables (following the 01_ingest column contracts) for the closed and report stage tests.

Imported by tests/stages/test_closed.py and test_report.py as `tests.stages.survey`.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pandas as pd

from pipeline.artifacts import RunPaths, write_csv, write_table
from pipeline.config import PipelineConfig, parse_config
from pipeline.stages.shared.sidecar import Finding, QuestionDraft

SCALE = ["Strongly agree", "Somewhat agree", "Do not agree", "N/A", "Other"]
SP_BLOCK = "The ITU strategic plan can benefit from..."
RESPONDENTS = [f"r{i:02d}" for i in range(1, 11)]


def _question(
    qid: str, text: str, kind: str, position: int, options: list[str] | None = None, block: str | None = None
) -> dict[str, Any]:
    return {
        "question_id": qid,
        "text": text,
        "kind": kind,
        "options": options or [],
        "block": block,
        "other_of": None,
        "source_column": text,
        "position": position,
    }


def survey_questions() -> pd.DataFrame:
    """Questions in survey order: meta, single, four likert statements of one block, multi, empty, open."""
    rows = [
        _question("rtype", "Respondent type", "meta", 0),
        _question(
            "fam",
            "How familiar are you with the current strategic plan?",
            "single",
            1,
            ["Very familiar", "Somewhat familiar", "Not familiar"],
        ),
        _question("sp_a", f"{SP_BLOCK} more focus of the activities of the organization", "likert", 2, SCALE, SP_BLOCK),
        _question("sp_b", f"{SP_BLOCK} revisiting the strategic goals", "likert", 3, SCALE, SP_BLOCK),
        _question("sp_c", f"{SP_BLOCK} revisiting the enablers", "likert", 4, SCALE, SP_BLOCK),
        _question("sp_d", f"{SP_BLOCK} further simplification and clarity", "likert", 5, SCALE, SP_BLOCK),
        _question("chan", "How do you follow ITU's work?", "multi", 6, ["Email", "Website", "Meetings", "Other"]),
        _question("empty", "Would you recommend the consultation?", "single", 7, ["Yes", "No"]),
        _question("q_strength", "What is the main strength of the ITU?", "open", 8),
    ]
    return pd.DataFrame(rows)


# value per respondent r01..r10 (None = skipped)
_LIKERT: dict[str, list[str | None]] = {
    # 6 SA, 3 SomA, 1 N/A -> exclude: base 9, agree 9; include: base 10, agree 9
    "sp_a": ["Strongly agree"] * 6 + ["Somewhat agree"] * 3 + ["N/A"],
    # 3 SA, 2 SomA, 3 DNA, 2 skipped -> base 8, agree 5 (62.5%)
    "sp_b": ["Strongly agree"] * 3 + ["Somewhat agree"] * 2 + ["Do not agree"] * 3 + [None, None],
    # nobody answered
    "sp_c": [None] * 10,
    # 5 SA, 3 SomA, 1 DNA, 1 skipped -> base 9, agree 8 (88.9%)
    "sp_d": [None] + ["Strongly agree"] * 5 + ["Somewhat agree"] * 3 + ["Do not agree"],
    # single: 4 very, 3 somewhat, 2 not, 1 skipped
    "fam": ["Very familiar"] * 4 + ["Somewhat familiar"] * 3 + ["Not familiar"] * 2 + [None],
}
# multi: chosen options per respondent
_MULTI: list[list[str]] = [
    ["Email", "Website"],
    ["Email"],
    ["Website", "Meetings"],
    ["Other"],
    ["Email", "Other"],
    ["Email", "Website", "Meetings"],
    [],
    ["Website"],
    ["Email"],
    [],
]
_OPEN = [
    "Global collaboration",
    "Neutral platform",
    "<script>alert(1)</script>",
    "n/a",
    None,
    "Expertise",
    "Consensus building",
    None,
    "Global reach",
    "Standards",
]
_RTYPE = ["Member State"] * 6 + ["Sector Member"] * 3 + [None]


def survey_answers() -> pd.DataFrame:
    """Long answers table: one row per (respondent, question, chosen value); blanks absent."""
    rows: list[dict[str, Any]] = []
    for qid, values in _LIKERT.items():
        rows += [_answer(r, qid, v) for r, v in zip(RESPONDENTS, values, strict=True) if v is not None]
    for r, chosen in zip(RESPONDENTS, _MULTI, strict=True):
        rows += [_answer(r, "chan", v) for v in chosen]
    for r, text in zip(RESPONDENTS, _OPEN, strict=True):
        if text is not None:
            rows.append(_answer(r, "q_strength", text, "non_answer" if text == "n/a" else "answer"))
    return pd.DataFrame(rows, columns=["respondent_id", "question_id", "value", "status", "source_row"])


def _answer(respondent: str, qid: str, value: str, status: str = "answer") -> dict[str, Any]:
    return {
        "respondent_id": respondent,
        "question_id": qid,
        "value": value,
        "status": status,
        "source_row": int(respondent[1:]) + 1,
    }


def survey_respondents() -> pd.DataFrame:
    """Respondents with the meta column `rtype` (one respondent did not state it)."""
    return pd.DataFrame(
        {
            "respondent_id": RESPONDENTS,
            "source_row": [int(r[1:]) + 1 for r in RESPONDENTS],
            "rtype": _RTYPE,
        }
    )


def make_config(tmp: Path, **sections: Any) -> PipelineConfig:
    """A config rooted in `tmp` with the given section overrides."""
    data: dict[str, Any] = {
        "input": {"path": "export.csv"},
        "run": {"name": "test", "output_dir": "outputs"},
        "review": {"dir": "reviews"},
    }
    data.update(sections)
    return parse_config(data, tmp)


def write_ingest(paths: RunPaths, questions: pd.DataFrame, answers: pd.DataFrame, respondents: pd.DataFrame) -> None:
    """Write the 01_ingest artifacts (tables + counts.csv) the closed and report steps read."""
    write_table(paths.questions, questions)
    write_table(paths.answers, answers)
    write_table(paths.respondents, respondents)
    counts = []
    for q in questions.to_dict(orient="records"):
        rows = answers[answers["question_id"] == q["question_id"]]
        answered = rows.loc[rows["status"] == "answer", "respondent_id"].nunique()
        non = rows.loc[rows["status"] == "non_answer", "respondent_id"].nunique()
        counts.append(
            {
                "question_id": q["question_id"],
                "kind": q["kind"],
                "respondents": len(respondents),
                "answers": answered,
                "non_answers": non,
                "blank": len(respondents) - answered - non,
                "unreadable": 0,
            }
        )
    write_csv(paths.counts, pd.DataFrame(counts))


def make_draft(
    title: str = "Global collaboration", summary: str = "Members value bringing everyone together."
) -> QuestionDraft:
    """A sidecar with an accepted, a draft, a rejected (in the top 3) and a fourth (beyond top 3) finding."""

    def finding(rank: int, title: str, summary: str, status: str, n: int) -> Finding:
        return Finding(
            id=f"q_strength-{rank}",
            rank=rank,
            title=title,
            summary=summary,
            status=status,
            n_respondents=n,
            pct=round(100 * n / 7, 1),
            cohesion=0.8,
            members=[f"r0{rank}:q_strength:0"],
        )

    return QuestionDraft(
        question_id="q_strength",
        question_text="What is the main strength of the ITU?",
        answered=7,
        non_answers=1,
        not_grouped=2,
        top_n=3,
        findings=[
            finding(1, title, summary, "accepted", 3),
            finding(2, "Neutral platform", "An unbiased forum for standards.", "draft", 2),
            finding(3, "Rejected idea", "This finding was rejected.", "rejected", 1),
            finding(4, "Beyond the top", "Ranked fourth, not shown.", "accepted", 1),
        ],
    )
