"""The checks of issue 11 (whole themes, no catch-alls, titles that name the theme) for benchmarks/quality.py.

- the sample's own themes (`data/sample/gold.csv`, written by `data/sample/make_gold.py`) as the first dev set;
- per question of every dev set: the largest finding's share of the respondents, its coherence, and that share over
  the share of the largest gold theme (target: at most 1.5);
- on the sample: the mean cosine (bundled model) between each top-5 title and the gold theme it matches;
- the targets, with the figures of the defaults before the issue (`benchmarks/issue11_before.json`) beside ours.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
from scipy.optimize import linear_sum_assignment

from pipeline.config import PipelineConfig
from pipeline.detect.noise import rules_from_config
from pipeline.evaluate import (
    GoldQuestion,
    Metrics,
    consolidate,
    draft_assignments,
    embedders,
    f1,
    label_counts,
    pipeline_tables,
    precision_recall,
)

REPO = Path(__file__).resolve().parents[1]
SAMPLE_GOLD = REPO / "data" / "sample" / "gold.csv"
BEFORE = Path(__file__).resolve().parent / "issue11_before.json"
SURVEY_SETS = ("nhs", "gambling_XS", "flaky")
MAX_RATIO = 1.5


def sample() -> pd.DataFrame:
    """The sample's gold (`question, id, text, labels`)."""
    return pd.read_csv(SAMPLE_GOLD, dtype=str, keep_default_na=False)


def _drafts(gold: list[GoldQuestion], cfg: PipelineConfig) -> tuple[pd.DataFrame, pd.DataFrame, dict[str, Any]]:
    questions, answers = pipeline_tables(gold, rules_from_config(cfg))
    statements, drafts = consolidate(questions, answers, cfg, embedders(cfg))
    return questions, statements, drafts


def _matched(a: pd.DataFrame, g: GoldQuestion) -> tuple[list[int], list[str]]:
    """Ranks of the top-5 findings matched one-to-one to the five largest gold themes (F1, Hungarian)."""
    ids = [i for i, t in zip(g.ids, g.texts, strict=True) if t.strip()]
    labels = {i: g.labels[i] for i in ids}
    counts = label_counts(labels)
    targets = list(counts)[:5]
    found = {r: set(a.loc[a["finding"] == r, "id"].astype(str)) for r in range(1, 6)}
    ranks = [r for r, members in found.items() if members]
    if not ranks or not targets:
        return [], []
    scores = np.array([[f1(*precision_recall(found[r], t, labels, counts[t])) for t in targets] for r in ranks])
    rows, cols = linear_sum_assignment(scores, maximize=True)
    return [ranks[i] for i in rows], [targets[j] for j in cols]


def question_checks(name: str, gold: list[GoldQuestion], cfg: PipelineConfig) -> dict[str, Any]:
    """Largest finding per question and, with `titles`, the matched top-5 titles and their cosines."""
    questions, statements, drafts = _drafts(gold, cfg)
    largest: list[dict[str, Any]] = []
    titles: list[dict[str, Any]] = []
    for qid, g in zip(questions["question_id"].astype(str), gold, strict=True):
        draft = drafts[qid]
        a = draft_assignments(g.question, g.ids, statements[statements["question_id"] == qid], draft)
        ids = [i for i, t in zip(g.ids, g.texts, strict=True) if t.strip()]
        counts = label_counts({i: g.labels[i] for i in ids})
        gold_share = max(counts.values()) / len(ids) if counts and ids else 0.0
        top = max(draft.findings, key=lambda f: f.n_respondents, default=None)
        share = top.n_respondents / draft.answered if top is not None and draft.answered else 0.0
        largest.append(
            {
                "dataset": name,
                "question": g.question,
                "share": round(share, 3),
                "coherence": round(top.cohesion, 3) if top is not None else None,
                "gold_share": round(gold_share, 3),
                "ratio": round(share / gold_share, 2) if gold_share else None,
            }
        )
        ranks, themes = _matched(a, g)
        titles += [
            {"question": g.question, "title": draft.findings[r - 1].title, "theme": t}
            for r, t in zip(ranks, themes, strict=True)
        ]
    return {"largest": largest, "titles": titles}


def title_cosines(titles: list[dict[str, Any]], cfg: PipelineConfig) -> list[dict[str, Any]]:
    """Each matched title with its cosine (bundled model) to the gold theme name."""
    if not titles:
        return []
    embed = embedders(cfg)("titles")
    a = np.asarray(embed.embed([t["title"] for t in titles]))
    b = np.asarray(embed.embed([t["theme"] for t in titles]))
    return [{**t, "cosine": round(float(x @ y), 3)} for t, x, y in zip(titles, a, b, strict=True)]


def _robust_mean(robust: dict[str, list[Metrics]], method: str, metric: str) -> tuple[float, float]:
    values = [float(m[metric]) for m in robust[method] if m[metric] is not None]
    return (float(np.mean(values)), float(np.std(values))) if values else (float("nan"), 0.0)


def target_lines(
    robust: dict[str, dict[str, list[Metrics]]], checks: dict[str, dict[str, Any]], titles: list[dict[str, Any]]
) -> list[str]:
    """The targets of issue 11: before (issue11_before.json) and now (robust means), met or not."""
    before = json.loads(BEFORE.read_text(encoding="utf-8"))
    ours = "ours (defaults)"
    lines = [
        "",
        "## Issue 11 targets",
        "",
        f"`before`: the defaults before issue 11 (commit {before['computed_at_commit']}), `now`: today's defaults;",
        f"both the mean ± standard deviation over {before['draws']} random {before['share']:.0%} answer subsets.",
        "",
        "| check | target | before | now | met |",
        "|---|---|---|---|---|",
    ]

    def row(check: str, target: str, old: list[float] | None, new: tuple[float, float], ok: bool) -> None:
        was = f"{old[0]:.3f} ± {old[1]:.3f}" if old else "-"
        lines.append(f"| {check} | {target} | {was} | {new[0]:.3f} ± {new[1]:.3f} | {'yes' if ok else 'no'} |")

    if "sample" in robust:
        for metric, floor in (("top5_recall", 0.9), ("top5_purity", 0.85)):
            new = _robust_mean(robust["sample"], ours, metric)
            row(f"sample: {metric}", f">= {floor}", before["robust"]["sample"][metric], new, new[0] >= floor)
    for name in (n for n in SURVEY_SETS if n in robust):
        old = before["robust"][name]
        purity = _robust_mean(robust[name], ours, "top5_purity")
        recall = _robust_mean(robust[name], ours, "top5_recall")
        f1_now = _robust_mean(robust[name], ours, "top5_f1")
        row(f"{name}: top5_purity", ">= 0.75", old["top5_purity"], purity, purity[0] >= 0.75)
        row(f"{name}: top5_recall", "not below before", old["top5_recall"], recall, recall[0] >= old["top5_recall"][0])
        row(f"{name}: top5_f1", "+0.1 over before", old["top5_f1"], f1_now, f1_now[0] >= old["top5_f1"][0] + 0.1)
    worst = max((c for v in checks.values() for c in v["largest"] if c["ratio"] is not None), key=lambda c: c["ratio"])
    lines.append(
        f"| largest finding over largest gold theme, worst question | <= {MAX_RATIO} | - | {worst['ratio']:.2f} "
        f"({worst['dataset']}: {worst['question']}) | {'yes' if worst['ratio'] <= MAX_RATIO else 'no'} |"
    )
    if titles:
        mean = float(np.mean([t["cosine"] for t in titles]))
        lines.append(
            f"| sample: title cosine to the matched gold theme (one run) | >= 0.6 | {before['sample_title_cosine']:.3f}"
            f" | {mean:.3f} | {'yes' if mean >= 0.6 else 'no'} |"
        )
    return lines


def detail_lines(checks: dict[str, dict[str, Any]], titles: list[dict[str, Any]]) -> list[str]:
    """Per question: the largest finding; on the sample: every matched top-5 title and its cosine."""
    lines = [
        "",
        "## Largest finding per question (defaults, all answers)",
        "",
        "| dataset | question | largest finding: share of respondents | its coherence | largest gold theme: share |"
        " ratio |",
        "|---|---|---|---|---|---|",
    ]
    for values in checks.values():
        for c in values["largest"]:
            lines.append(
                f"| {c['dataset']} | {c['question'][:60]} | {c['share']:.3f} | {c['coherence']} | {c['gold_share']:.3f}"
                f" | {c['ratio']} |"
            )
    if titles:
        lines += ["", "## Sample: top-5 titles and the gold theme each matches", ""]
        lines += ["| question | title | gold theme | cosine |", "|---|---|---|---|"]
        lines += [f"| {t['question'][:50]} | {t['title']} | {t['theme']} | {t['cosine']:.3f} |" for t in titles]
    return lines
