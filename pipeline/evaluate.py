"""Evaluate open-question consolidation against hand-coded (gold) answers.

The gold file is a UTF-8 CSV with columns `id`, `text`, `labels` (gold labels joined by `|`; empty = none) and an
optional `question` (each question is evaluated on its own). The answers go through the same consolidation as
`consolidate run` (statements -> embeddings -> HDBSCAN -> ranked findings), then every answer gets its findings:
`finding` is a rank 1..N, or -1 when the answer is not grouped. An answer split into statements gets one row per
distinct finding it supports; the first row is its main finding (the one holding most of its statements, ties
by rank). Answers with an empty text are not answers: they get -1 and stay out of every metric. Non-answers
(`input.non_answers` of the config, e.g. "n/a", "no comment", a text without a letter or digit, keyboard mash,
reference-only answers such as "see attached") are handled as `consolidate run` handles them: they join no
finding, so they get -1 and count as not covered.

Metrics, per question (the averages are unweighted means over questions, skipping undefined values):

- `coverage`: share of answers whose main finding is not -1.
- `nmi`, `ari`, `v_measure`, `ami`: scikit-learn scores between the gold label and the main finding, over the
  answers with exactly one gold label; -1 is kept as one cluster (so leaving answers ungrouped is not free).
- `acc`: Hungarian accuracy, defined only when every answer has exactly one gold label: clusters are matched
  one-to-one to labels to maximise agreement; answers in -1 or in unmatched (surplus) clusters count as wrong.
- Top-5 metrics. T1..T5 = the gold labels ranked by the number of answers carrying them (ties by name);
  F1..F5 = our top 5 findings, each the set of answers with a row for it. For a pair, P = |F∩T| / |F| and
  R = |F∩T| / |T|, where F∩T are the answers of F whose gold set contains T and |T| counts every answer
  carrying T. `top5_recall`: share of T1..T5 for which some F in F1..F5 has P >= 0.5. `top5_purity`: mean over
  F1..F5 of the best P over all gold labels (0 when there is no finding). `top5_f1`: F1..F5 matched one-to-one
  to T1..T5 on the F1-score 2PR / (P + R) (Hungarian), sum of matched scores / max(#F, #T).

A metric that is undefined for a question (no single-label answers, not every answer single-label, no gold
label at all) is `null` in `metrics.json` and `-` in `metrics.md`.
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from pipeline.artifacts import write_atomic, write_csv
from pipeline.config import PipelineConfig, parse_config
from pipeline.detect.noise import NoiseRules, rules_from_config
from pipeline.embedders import Embedder
from pipeline.errors import InputError
from pipeline.mdtext import escape_md
from pipeline.stages.cluster import NOISE, run_cluster
from pipeline.stages.embed import ModelChoice, build_statements, choose_models, embed_phrases, phrase_sets, run_embed
from pipeline.stages.findings import run_findings
from pipeline.stages.shared.sidecar import QuestionDraft

GOLD_COLUMNS = ("id", "text", "labels")
ASSIGNMENT_COLUMNS = ["question", "id", "finding"]
METRICS = ("coverage", "nmi", "ari", "v_measure", "ami", "acc", "top5_recall", "top5_purity", "top5_f1")
DEFAULT_QUESTION = "all"
TOP = 5

Metrics = dict[str, float | None]


@dataclass(frozen=True)
class GoldQuestion:
    """One question of a gold file: answers in file order, gold label sets by answer id."""

    question: str
    ids: list[str]
    texts: list[str]
    labels: dict[str, frozenset[str]]


# --------------------------------------------------------------------------- gold file


def parse_labels(cell: str) -> frozenset[str]:
    """Gold labels of one cell: `|`-separated, trimmed, empties dropped."""
    return frozenset(part.strip() for part in cell.split("|") if part.strip())


def read_gold(path: Path) -> list[GoldQuestion]:
    """Read a gold CSV (`id, text, labels[, question]`) into one GoldQuestion per question, in file order."""
    if not path.is_file():
        raise InputError(f"Gold file {path} not found; pass a CSV with columns id, text, labels[, question].")
    try:
        frame = pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8-sig")  # Excel adds a BOM
    except (UnicodeDecodeError, pd.errors.ParserError, pd.errors.EmptyDataError) as exc:
        raise InputError(f"{path} is not a readable UTF-8 CSV ({type(exc).__name__}); save it as CSV UTF-8.") from exc
    return gold_questions(frame, str(path))


def gold_questions(frame: pd.DataFrame, source: str = "gold") -> list[GoldQuestion]:
    """Split a gold frame (`id, text, labels[, question]`) by question; validates columns and ids once."""
    missing = [c for c in GOLD_COLUMNS if c not in frame.columns]
    if missing:
        raise InputError(f"{source} lacks column(s) {missing}; it has {list(frame.columns)}; add them and rerun.")
    questions = (
        frame["question"].astype(str) if "question" in frame.columns else pd.Series(DEFAULT_QUESTION, frame.index)
    )
    frame = frame.assign(question=questions, id=frame["id"].astype(str).str.strip())
    dupes = frame.loc[frame.duplicated(["question", "id"]), "id"].tolist()
    if dupes:
        raise InputError(f"{source}: duplicate ids within a question {sorted(set(dupes))[:5]}; make ids unique.")
    out: list[GoldQuestion] = []
    for question, group in frame.groupby("question", sort=False):
        ids = group["id"].tolist()
        labels = {i: parse_labels(str(cell)) for i, cell in zip(ids, group["labels"], strict=True)}
        out.append(GoldQuestion(str(question), ids, group["text"].astype(str).tolist(), labels))
    return out


# --------------------------------------------------------------------------- running the pipeline


def question_ids(names: Sequence[str]) -> list[str]:
    """Config ids of distinct gold question names.

    A name that is a valid id is kept, so per-question overrides apply; others become `q<position>` (with `_`
    appended until unused).
    """
    used = set(names)
    out: list[str] = []
    for index, name in enumerate(names, start=1):
        candidate = name
        if not name or any(not (c.isalnum() or c in "_-") for c in name):
            candidate = f"q{index}"
            while candidate in used:
                candidate += "_"
            used.add(candidate)
        out.append(candidate)
    return out


def pipeline_tables(gold: Sequence[GoldQuestion], rules: NoiseRules) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Ingest-shaped `questions` and `answers` tables for gold questions.

    Statuses as ingest gives them: empty texts are `blank`; texts the noise `rules` set apart (`detect.noise`: listed
    non-answers, pointers elsewhere, links, courtesy, keyboard mash) are `non_answer`, with their kind in `noise`;
    the rest `answer`.
    """
    qrows: list[dict[str, object]] = []
    arows: list[dict[str, object]] = []
    for index, (g, qid) in enumerate(zip(gold, question_ids([g.question for g in gold]), strict=True), start=1):
        qrows.append(
            {
                "question_id": qid,
                "text": g.question,
                "kind": "open",
                "options": [],
                "block": None,
                "other_of": None,
                "source_column": g.question,
                "position": index,
            }
        )
        for row, (rid, text) in enumerate(zip(g.ids, g.texts, strict=True), start=2):
            kind = rules.answer_kind(text) if text.strip() else None
            status = "blank" if not text.strip() else "non_answer" if kind else "answer"
            arows.append(
                {"respondent_id": rid, "question_id": qid, "value": text, "status": status, "source_row": row}
                | {"noise": kind or ""}
            )
    columns = ["respondent_id", "question_id", "value", "status", "source_row", "noise"]
    return pd.DataFrame(qrows), pd.DataFrame(arows, columns=columns)


def section_for(cfg: PipelineConfig, section: str) -> Callable[[str], Any]:
    """A question's stage settings: its overrides when the config lists the question, else the base section."""
    known = {q.id for q in cfg.questions}
    return lambda qid: cfg.for_question(qid, section) if qid in known else getattr(cfg, section)


def consolidate(
    questions: pd.DataFrame, answers: pd.DataFrame, cfg: PipelineConfig, embedder_for: Callable[[str], Embedder]
) -> tuple[pd.DataFrame, dict[str, QuestionDraft]]:
    """Run statements -> embed -> cluster -> findings exactly as `consolidate run` does.

    A question whose answers are not (almost) all in the model's languages is embedded with the multilingual
    model, as `run` does (`pipeline.stages.embed.model_choice`), and campaigns are set apart as `run` sets them
    (`cfg.campaigns`): a campaign is a finding ranked after the others, so it is in no top 5.

    Args:
        questions: ingest-shaped questions (`question_id, text, kind, position, ...`).
        answers: ingest-shaped answers (`respondent_id, question_id, value, status, source_row`).
        cfg: pipeline config (statements, cluster, findings sections and the seed are used).
        embedder_for: the embedder of a question.

    Returns:
        The statements (`statement_id, respondent_id, question_id, text, ...`) and question id -> QuestionDraft.
    """
    qids = questions["question_id"].astype(str).tolist()
    statements = build_statements(answers, qids, section_for(cfg, "statements"), rules_from_config(cfg))
    choices = choose_models(statements, section_for(cfg, "embed"))
    embedder_for = switched_embedders(cfg, choices, embedder_for)
    vectors = run_embed(statements, embedder_for)
    phrases = phrase_sets(*embed_phrases(statements, embedder_for))
    clusters = run_cluster(statements, vectors, section_for(cfg, "cluster"), cfg.run.seed, cfg.campaigns)
    findings_for = section_for(cfg, "findings")
    drafts = run_findings(questions, answers, statements, clusters, vectors, findings_for, phrases)
    return statements, drafts


def switched_embedders(
    cfg: PipelineConfig, choices: Mapping[str, ModelChoice], embedder_for: Callable[[str], Embedder]
) -> Callable[[str], Embedder]:
    """Questions the model choice moved to the multilingual model get it (as in `run`); others keep theirs."""
    moved = {qid for qid, choice in choices.items() if choice.notice}
    if not moved:
        return embedder_for
    from pipeline.steps.embed import embedders_by_question

    multilingual = embedders_by_question(cfg, lambda qid: choices[qid].settings)
    return lambda qid: multilingual(qid) if qid in moved else embedder_for(qid)


def draft_assignments(
    question: str, ids: Sequence[str], statements: pd.DataFrame, draft: QuestionDraft
) -> pd.DataFrame:
    """Findings of every answer from a draft: `question, id, finding`, main finding first, -1 when not grouped.

    Args:
        question: the gold question name written in the `question` column.
        ids: answer ids in output order.
        statements: `statement_id, respondent_id` of the question's statements.
        draft: the question's findings (members are statement ids).
    """
    owner = dict(zip(statements["statement_id"].astype(str), statements["respondent_id"].astype(str), strict=True))
    counts: dict[str, Counter[int]] = {}
    for finding in draft.findings:
        for sid in finding.members:
            counts.setdefault(owner[sid], Counter())[finding.rank] += 1
    rows: list[tuple[str, str, int]] = []
    for rid in ids:
        found = counts.get(rid, Counter())
        ranks = sorted(found, key=lambda r: (-found[r], r)) or [NOISE]
        rows.extend((question, rid, rank) for rank in ranks)
    return pd.DataFrame(rows, columns=ASSIGNMENT_COLUMNS)


def label_assignments(question: str, ids: Sequence[str], labels: Sequence[int]) -> pd.DataFrame:
    """Assignments from one cluster label per answer (baselines): clusters ranked by size, ties by first answer."""
    sizes = Counter(label for label in labels if label != NOISE)
    first = {label: i for i, label in reversed(list(enumerate(labels)))}
    order = sorted(sizes, key=lambda label: (-sizes[label], first[label]))
    rank = {label: r for r, label in enumerate(order, start=1)}
    rows = [(question, rid, rank.get(label, NOISE)) for rid, label in zip(ids, labels, strict=True)]
    return pd.DataFrame(rows, columns=ASSIGNMENT_COLUMNS)


def run_evaluation(
    gold: Sequence[GoldQuestion], cfg: PipelineConfig, embedder_for: Callable[[str], Embedder]
) -> tuple[pd.DataFrame, dict[str, Metrics]]:
    """Consolidate every gold question and score it; returns (assignments, question -> metrics)."""
    questions, answers = pipeline_tables(gold, rules_from_config(cfg))
    statements, drafts = consolidate(questions, answers, cfg, embedder_for)
    frames: list[pd.DataFrame] = []
    metrics: dict[str, Metrics] = {}
    for qid, g in zip(questions["question_id"], gold, strict=True):
        rows = statements[statements["question_id"] == qid]
        assigned = draft_assignments(g.question, g.ids, rows, drafts[str(qid)])
        frames.append(assigned)
        metrics[g.question] = score(assigned, g)
    return pd.concat(frames, ignore_index=True), metrics


# --------------------------------------------------------------------------- metrics (pure)


def main_findings(assignments: pd.DataFrame) -> dict[str, int]:
    """Answer id -> its main finding (its first row)."""
    first = assignments.drop_duplicates("id", keep="first")
    return dict(zip(first["id"].astype(str), first["finding"].astype(int), strict=True))


def finding_sets(assignments: pd.DataFrame, top: int = TOP) -> list[set[str]]:
    """Answer sets of findings 1..top (those that exist), in rank order."""
    ranks = sorted(r for r in set(assignments["finding"].astype(int)) if 1 <= r <= top)
    return [set(assignments.loc[assignments["finding"] == r, "id"].astype(str)) for r in ranks]


def label_counts(labels: Mapping[str, frozenset[str]]) -> dict[str, int]:
    """Gold label -> number of answers carrying it, most frequent first (ties by name)."""
    counts = Counter(label for ls in labels.values() for label in ls)
    return dict(sorted(counts.items(), key=lambda item: (-item[1], item[0])))


def precision_recall(
    members: set[str], label: str, labels: Mapping[str, frozenset[str]], size: int
) -> tuple[float, float]:
    """P = |F∩T| / |F| and R = |F∩T| / |T| for a finding's answers and a gold label carried by `size` answers."""
    hits = sum(1 for a in members if label in labels.get(a, frozenset()))
    return (hits / len(members) if members else 0.0), (hits / size if size else 0.0)


def f1(p: float, r: float) -> float:
    """Harmonic mean of precision and recall (0 when both are 0)."""
    return 2 * p * r / (p + r) if p + r else 0.0


def partition_scores(gold: Sequence[str], predicted: Sequence[int]) -> Metrics:
    """NMI, ARI, V-measure and AMI between single gold labels and cluster labels (-1 is one cluster)."""
    from sklearn import metrics as skm

    if not gold:
        return {"nmi": None, "ari": None, "v_measure": None, "ami": None}
    return {
        "nmi": float(skm.normalized_mutual_info_score(gold, predicted)),
        "ari": float(skm.adjusted_rand_score(gold, predicted)),
        "v_measure": float(skm.v_measure_score(gold, predicted)),
        "ami": float(skm.adjusted_mutual_info_score(gold, predicted)),
    }


def hungarian_accuracy(gold: Sequence[str], predicted: Sequence[int]) -> float:
    """Best one-to-one match of clusters to labels; -1 and unmatched clusters count as wrong."""
    from scipy.optimize import linear_sum_assignment

    if not gold:
        return 0.0
    labels = sorted(set(gold))
    clusters = sorted(set(predicted) - {NOISE})
    if not clusters:
        return 0.0
    table = np.zeros((len(labels), len(clusters)))
    for g, p in zip(gold, predicted, strict=True):
        if p != NOISE:
            table[labels.index(g), clusters.index(p)] += 1
    rows, cols = linear_sum_assignment(table, maximize=True)
    return float(table[rows, cols].sum() / len(gold))


def top_scores(found: list[set[str]], labels: Mapping[str, frozenset[str]], top: int = TOP) -> Metrics:
    """top5_recall, top5_purity and top5_f1 of findings F1..F5 against gold labels T1..T5 (module docstring)."""
    from scipy.optimize import linear_sum_assignment

    counts = label_counts(labels)
    targets = list(counts)[:top]
    found = found[:top]
    purity = [max((precision_recall(f, t, labels, n)[0] for t, n in counts.items()), default=0.0) for f in found]
    if not targets:
        return {"top5_recall": None, "top5_purity": float(np.mean(purity)) if purity else 0.0, "top5_f1": None}
    pr = [[precision_recall(f, t, labels, counts[t]) for t in targets] for f in found]
    recall = sum(any(pr[i][j][0] >= 0.5 for i in range(len(found))) for j in range(len(targets))) / len(targets)
    scores = np.array([[f1(p, r) for p, r in row] for row in pr]).reshape(len(found), len(targets))
    rows, cols = linear_sum_assignment(scores, maximize=True)
    return {
        "top5_recall": recall,
        "top5_purity": float(np.mean(purity)) if purity else 0.0,
        "top5_f1": float(scores[rows, cols].sum() / max(len(found), len(targets))),
    }


def score(assignments: pd.DataFrame, gold: GoldQuestion) -> Metrics:
    """Every metric of one question (module docstring) from its assignments and gold labels."""
    ids = [i for i, text in zip(gold.ids, gold.texts, strict=True) if text.strip()]
    if not ids:
        return dict.fromkeys(METRICS)
    rows = assignments[assignments["id"].astype(str).isin(ids)]
    main = main_findings(rows)
    labels = {i: gold.labels[i] for i in ids}
    single = [i for i in ids if len(labels[i]) == 1]
    g = [next(iter(labels[i])) for i in single]
    p = [main.get(i, NOISE) for i in single]
    out: Metrics = {"coverage": sum(main.get(i, NOISE) != NOISE for i in ids) / len(ids)}
    out.update(partition_scores(g, p))
    out["acc"] = hungarian_accuracy(g, p) if len(single) == len(ids) else None
    out.update(top_scores(finding_sets(rows), labels))
    return {m: out[m] for m in METRICS}


def average(per_question: Mapping[str, Metrics]) -> Metrics:
    """Unweighted mean of each metric over the questions where it is defined."""
    out: Metrics = {}
    for m in METRICS:
        values = [v[m] for v in per_question.values() if v[m] is not None]
        out[m] = float(np.mean([float(x) for x in values if x is not None])) if values else None
    return out


# --------------------------------------------------------------------------- outputs


def _cell(value: float | None) -> str:
    return "-" if value is None else f"{value:.3f}"


def metrics_markdown(per_question: Mapping[str, Metrics], answers: Mapping[str, int], title: str) -> str:
    """A Markdown table: one row per question plus the mean row."""
    head = "| question | answers | " + " | ".join(METRICS) + " |"
    lines = [f"# {escape_md(title)}", "", head, "|" + "---|" * (len(METRICS) + 2)]
    for q, values in per_question.items():
        lines.append(
            f"| {escape_md(q)} | {answers.get(q, 0)} | " + " | ".join(_cell(values[m]) for m in METRICS) + " |"
        )
    mean = average(per_question)
    lines.append(f"| **mean** | {sum(answers.values())} | " + " | ".join(_cell(mean[m]) for m in METRICS) + " |")
    return "\n".join(lines) + "\n"


def write_evaluation(out: Path, assignments: pd.DataFrame, per_question: Mapping[str, Metrics], source: str) -> None:
    """Write `assignments.csv`, `metrics.json` (per question + mean) and `metrics.md` into `out`."""
    out.mkdir(parents=True, exist_ok=True)
    write_csv(out / "assignments.csv", assignments)
    answers = {str(q): int(n) for q, n in assignments.groupby("question", sort=False)["id"].nunique().items()}
    payload = {"gold": source, "questions": dict(per_question), "mean": average(per_question), "answers": answers}
    write_atomic(out / "metrics.json", json.dumps(payload, indent=2, ensure_ascii=False) + "\n")
    write_atomic(out / "metrics.md", metrics_markdown(per_question, answers, f"Evaluation of {source}"))


# --------------------------------------------------------------------------- entry point


def default_config(gold_path: Path) -> PipelineConfig:
    """The config `run` would use with no settings; relative paths resolve as for a config in `./configs`."""
    return parse_config({"input": {"path": str(gold_path)}}, Path.cwd() / "configs", "evaluate")


def embedders(cfg: PipelineConfig) -> Callable[[str], Embedder]:
    """A question's embedder, built once per distinct embed settings (like the embed step)."""
    from pipeline.steps.embed import embedders_by_question

    return embedders_by_question(cfg, section_for(cfg, "embed"))


def evaluate_file(gold_path: Path, cfg: PipelineConfig, out: Path) -> Metrics:
    """Evaluate a gold CSV with a config, write the outputs into `out`; returns the mean metrics."""
    gold = read_gold(gold_path)
    assignments, per_question = run_evaluation(gold, cfg, embedders(cfg))
    write_evaluation(out, assignments, per_question, gold_path.name)
    return average(per_question)
