"""Compare the finding assignments of two runs: how many statements kept their finding, and the adjusted Rand index.

Findings of the two runs are matched one-to-one by member overlap (Hungarian assignment on Jaccard, pairs below
`MATCH_THRESHOLD` unmatched, as in the review reconciliation). A statement in both runs is *unchanged* when its
finding in run A is matched to its finding in run B, or when it is not grouped in both. The adjusted Rand index
(scikit-learn) compares the two partitions of the shared statements, "not grouped" counting as one group.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd
from sklearn.metrics import adjusted_rand_score

from pipeline.artifacts import RunPaths
from pipeline.errors import InputError
from pipeline.stages.review import MATCH_THRESHOLD, match_sets

DIFF_COLUMNS = [
    "question_id", "statements_a", "statements_b", "shared", "findings_a", "findings_b", "matched",
    "unchanged_share", "adjusted_rand",
]  # fmt: skip


def _groups(labels: pd.Series) -> dict[str, frozenset[str]]:
    """Finding id -> its statement ids (not-grouped statements left out)."""
    grouped = labels[labels != ""]
    return {str(fid): frozenset(map(str, ids)) for fid, ids in grouped.groupby(grouped).groups.items()}


def compare_question(a: pd.Series, b: pd.Series) -> dict[str, object]:
    """Compare one question's assignments.

    Args:
        a: statement id (index) -> finding id in run A ("" = not grouped).
        b: the same for run B.

    Returns:
        One row of `DIFF_COLUMNS` (without `question_id`).
    """
    shared = a.index.intersection(b.index).sort_values()
    la, lb = a.loc[shared], b.loc[shared]
    ga, gb = _groups(la), _groups(lb)
    keys_a, keys_b = list(ga), list(gb)
    pairs = match_sets([ga[k] for k in keys_a], [gb[k] for k in keys_b], MATCH_THRESHOLD)
    mapping = {keys_a[i]: keys_b[j] for i, j, _ in pairs}
    same = sum(
        (x == "" and y == "") or (x != "" and mapping.get(x) == y)
        for x, y in zip(la.tolist(), lb.tolist(), strict=True)
    )
    return {
        "statements_a": len(a),
        "statements_b": len(b),
        "shared": len(shared),
        "findings_a": len(_groups(a)),
        "findings_b": len(_groups(b)),
        "matched": len(pairs),
        "unchanged_share": round(same / len(shared), 4) if len(shared) else 0.0,
        "adjusted_rand": round(float(adjusted_rand_score(la.tolist(), lb.tolist())), 4) if len(shared) else 0.0,
    }


def compare_assignments(a: pd.DataFrame, b: pd.DataFrame) -> pd.DataFrame:
    """Per-question comparison of two assignments tables (`question_id, statement_id, finding_id, ...`).

    Returns:
        `DIFF_COLUMNS`, one row per question present in either table, in sorted question order.
    """
    rows: list[dict[str, object]] = []
    for qid in sorted(set(a["question_id"]) | set(b["question_id"])):
        rows.append({"question_id": qid, **compare_question(_labels(a, qid), _labels(b, qid))})
    return pd.DataFrame(rows, columns=DIFF_COLUMNS)


def _labels(table: pd.DataFrame, qid: str) -> pd.Series:
    rows = table[table["question_id"] == qid]
    return pd.Series(rows["finding_id"].fillna("").astype(str).to_numpy(), index=rows["statement_id"].astype(str))


def read_assignments(run_dir: Path) -> pd.DataFrame:
    """The assignments table of a run folder; a missing one is an InputError saying what to run."""
    path = RunPaths(run_dir).assignments_csv
    if not path.is_file():
        raise InputError(f"{path} not found; pass a run folder (outputs/<run>) whose draft stage has run.")
    return pd.read_csv(path, dtype=str, keep_default_na=False)


def diff_runs(run_a: Path, run_b: Path) -> pd.DataFrame:
    """Compare the assignments of two run folders (see `compare_assignments`)."""
    return compare_assignments(read_assignments(run_a), read_assignments(run_b))


def render_diff(frame: pd.DataFrame) -> str:
    """Plain-text table of a comparison, for the terminal."""
    if frame.empty:
        return "No open questions in either run."
    lines = [f"{'question':<20} {'unchanged':>9} {'ARI':>6} {'findings A/B':>12} {'shared':>7}"]
    for row in frame.to_dict("records"):
        pair = f"{row['findings_a']}/{row['findings_b']}"
        lines.append(
            f"{row['question_id']!s:<20} {row['unchanged_share']:>9.1%} {row['adjusted_rand']:>6.2f} "
            f"{pair:>12} {row['shared']!s:>7}"
        )
    return "\n".join(lines)
