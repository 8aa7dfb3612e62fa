"""Quality benchmark: our open-question findings vs BERTopic and k-means on hand-coded public data.

Converts the dev data in ../shared/data into gold CSVs (`question, id, text, labels`) in a temp folder, reads
them back with `pipeline.evaluate.read_gold`, and scores, with the metrics of `pipeline.evaluate`:

- ours (defaults) and a few one-setting variants: the real pipeline (`pipeline.evaluate.run_evaluation`);
- BERTopic 0.17 with its defaults (UMAP seeded), on the same MiniLM embeddings of whole answers;
- MiniLM + k-means with the true number of labels (oracle k), same embeddings;
- TF-IDF + k-means (oracle k), the classic short-text baseline.

All MiniLM vectors come from the pipeline's embedding cache (outputs/.cache), so reruns only cluster.
Times are clustering (+ findings for ours) per dataset, embeddings cached.

Each dataset is also rerun on --draws random 90% subsets of its answers (ours, a few variants, the k-means
oracle) to show how much the figures move when a few answers change.

Usage: python benchmarks/quality.py [--sample 5000] [--only nhs,flaky] [--no-bertopic] [--draws 4] [--out FILE.md]
       python benchmarks/quality.py --from-json [--speed]   (re-render; --speed re-times the 10k clustering check)
       python benchmarks/quality.py --write-gold DIR        (the gold CSVs, for `consolidate evaluate DIR/nhs.csv`)
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
import time
import warnings
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from pipeline.config import PipelineConfig, parse_config
from pipeline.detect.noise import rules_from_config
from pipeline.evaluate import (
    GoldQuestion,
    Metrics,
    average,
    embedders,
    label_assignments,
    pipeline_tables,
    read_gold,
    run_evaluation,
    score,
    section_for,
)
from pipeline.stages.embed import build_statements, run_embed

sys.path.insert(0, str(Path(__file__).resolve().parent))
import issue11  # noqa: E402

REPO = Path(__file__).resolve().parents[1]
DATA = REPO.parent / "shared" / "data"
SEED = 42
TF = DATA / "themefinder_synthetic" / "evals" / "data" / "gambling_XS"

# ours: defaults, then one change at a time
VARIANTS: dict[str, dict[str, Any]] = {
    "ours (defaults)": {},
    "ours no answer context": {"cluster": {"answer_context": 0}},
    "ours answer_context 1": {"cluster": {"answer_context": 1}},
    "ours no theme merge (fine groups)": {"cluster": {"theme_resolution": None}},
    "ours theme_resolution 4": {"cluster": {"theme_resolution": 4}},
    "ours leaf": {"cluster": {"cluster_selection_method": "leaf"}},
    "ours split=none": {"statements": {"split": "none"}},
    "ours assign_threshold 0.5": {"cluster": {"assign_threshold": 0.5}},
    "ours no context, no merge, no catch-all split (issue #6 clustering)": {
        "cluster": {"answer_context": 0, "theme_resolution": None}
    },
}
# methods rerun on random subsets of the answers (robustness section)
ROBUST = (
    "ours (defaults)",
    "ours no answer context",
    "ours answer_context 1",
    "ours no theme merge (fine groups)",
    "ours no context, no merge, no catch-all split (issue #6 clustering)",
    "minilm+kmeans (oracle k)",
)
ROBUST_SHARE = 0.9


# --------------------------------------------------------------------------- datasets -> gold frames


def nhs() -> pd.DataFrame:
    d = pd.read_csv(DATA / "nhs_fft_phase1" / "text_data_trustBC.csv", dtype=str, keep_default_na=False)
    d = d[d["feedback"].str.strip() != ""]
    return pd.DataFrame(
        {"question": d["question"], "id": d["row_index"], "text": d["feedback"], "labels": d["subcategory"]}
    )


def gambling() -> pd.DataFrame:
    frames = []
    for part in ("question_part_1", "question_part_2"):
        answers = pd.read_json(TF / "inputs" / part / "responses.jsonl", lines=True)
        mapping = pd.read_json(next((TF / "outputs" / "mapping").glob(f"*/{part}/mapping.jsonl")), lines=True)
        labels = dict(zip(mapping["response_id"], mapping["labels"].map("|".join), strict=True))
        frames.append(
            pd.DataFrame(
                {
                    "question": part,
                    "id": answers["response_id"].astype(str),
                    "text": answers["response"],
                    "labels": answers["response_id"].map(labels).fillna(""),
                }
            )
        )
    return pd.concat(frames, ignore_index=True)


def flaky() -> pd.DataFrame:
    frames = []
    for q in ("sq2", "sq6", "sq8", "sq11"):
        d = pd.read_csv(DATA / "flaky_tests_survey" / "csv" / f"{q}_long.csv", dtype=str, keep_default_na=False)
        labels = d["codes"].map(lambda c: "|".join(x.strip() for x in c.split("|")))
        frames.append(pd.DataFrame({"question": q, "id": d["segment_id"], "text": d["text"], "labels": labels}))
    return pd.concat(frames, ignore_index=True)


def subsample(frame: pd.DataFrame, n: int) -> pd.DataFrame:
    return frame if len(frame) <= n else frame.sample(n=n, random_state=SEED).sort_index()


def stc(name: str, folder: str, n: int) -> pd.DataFrame:
    base = DATA / "short_text" / folder
    texts = (base / f"{name}.txt").read_text(encoding="utf-8-sig", errors="replace").splitlines()
    gnd = (base / f"{name}_gnd.txt").read_text(encoding="utf-8").split()
    frame = pd.DataFrame({"question": folder, "id": [str(i) for i in range(len(texts))], "text": texts, "labels": gnd})
    return subsample(frame[frame["text"].str.strip() != ""], n)


def banking(n: int) -> pd.DataFrame:
    d = pd.read_csv(DATA / "short_text" / "banking77" / "test.csv", dtype=str)
    frame = pd.DataFrame(
        {"question": "banking77", "id": d.index.astype(str), "text": d["text"], "labels": d["category"]}
    )
    return subsample(frame, n)


def clinc(n: int) -> pd.DataFrame:
    test = json.loads((DATA / "short_text" / "clinc150" / "data_full.json").read_text(encoding="utf-8"))["test"]
    frame = pd.DataFrame(
        {
            "question": "clinc150",
            "id": [str(i) for i in range(len(test))],
            "text": [t for t, _ in test],
            "labels": [label for _, label in test],
        }  # fmt: skip
    )
    return subsample(frame, n)


def datasets(n: int) -> dict[str, Callable[[], pd.DataFrame]]:
    return {
        "sample": issue11.sample,
        "nhs": nhs,
        "gambling_XS": gambling,
        "flaky": flaky,
        "stackoverflow": lambda: stc("StackOverflow", "stackoverflow", n),
        "searchsnippets": lambda: stc("SearchSnippets", "searchsnippets", n),
        "banking77": lambda: banking(n),
        "clinc150": lambda: clinc(n),
    }


# --------------------------------------------------------------------------- methods


def config(extra: dict[str, Any]) -> PipelineConfig:
    data: dict[str, Any] = {"input": {"path": "gold.csv"}, **extra}
    return parse_config(data, REPO / "configs", "quality")


def run_ours(gold: list[GoldQuestion], extra: dict[str, Any]) -> tuple[dict[str, Metrics], float, dict[str, Any]]:
    cfg = config(extra)
    embed = embedders(cfg)
    questions, answers = pipeline_tables(gold, rules_from_config(cfg))  # warm the cache: embedding is not clustering
    run_embed(build_statements(answers, questions["question_id"].tolist(), section_for(cfg, "statements")), embed)
    start = time.perf_counter()
    assignments, metrics = run_evaluation(gold, cfg, embed)
    elapsed = time.perf_counter() - start
    found = assignments.groupby("question", sort=False)["finding"].max().clip(lower=0)
    return metrics, elapsed, {"findings": {g.question: int(found.get(g.question, 0)) for g in gold}}


def whole_answers(g: GoldQuestion) -> tuple[list[str], list[str]]:
    kept = [(i, t) for i, t in zip(g.ids, g.texts, strict=True) if t.strip()]
    return [i for i, _ in kept], [t for _, t in kept]


def oracle_k(g: GoldQuestion, n: int) -> int:
    return max(2, min(n - 1, len({label for ls in g.labels.values() for label in ls})))


def kmeans_labels(points: Any, k: int) -> list[int]:
    from sklearn.cluster import KMeans

    return [int(x) for x in KMeans(n_clusters=k, n_init=10, random_state=SEED).fit_predict(points)]


def bertopic_labels(texts: list[str], vectors: np.ndarray) -> list[int]:
    from bertopic import BERTopic
    from umap import UMAP

    umap_model = UMAP(n_neighbors=15, n_components=5, min_dist=0.0, metric="cosine", random_state=SEED)
    topics, _ = BERTopic(umap_model=umap_model).fit_transform(texts, vectors)
    return [int(t) for t in topics]


def tfidf_points(texts: list[str]) -> Any:
    from sklearn.feature_extraction.text import TfidfVectorizer

    return TfidfVectorizer(sublinear_tf=True, stop_words="english").fit_transform(texts)


def run_baseline(gold: list[GoldQuestion], method: str) -> tuple[dict[str, Metrics], float, dict[str, Any]]:
    embed = embedders(config({}))
    metrics: dict[str, Metrics] = {}
    elapsed = 0.0
    notes: dict[str, Any] = {}
    for g in gold:
        ids, texts = whole_answers(g)
        vectors = embed(g.question).embed(texts) if method != "tfidf+kmeans" else None
        start = time.perf_counter()
        try:
            if method == "bertopic":
                labels = bertopic_labels(texts, np.asarray(vectors))
            elif method == "minilm+kmeans (oracle k)":
                labels = kmeans_labels(vectors, oracle_k(g, len(ids)))
            else:
                labels = kmeans_labels(tfidf_points(texts), oracle_k(g, len(ids)))
        except Exception as exc:  # noqa: BLE001 - a baseline failing on a tiny question is a result, not a crash
            notes[g.question] = f"failed: {type(exc).__name__}: {str(exc)[:80]}"
            labels = [-1] * len(ids)
        elapsed += time.perf_counter() - start
        metrics[g.question] = score(label_assignments(g.question, ids, labels), g)
        notes.setdefault("findings", {})[g.question] = len(set(labels) - {-1})
    return metrics, elapsed, notes


def answer_subset(g: GoldQuestion, draw: int) -> GoldQuestion:
    """A seeded random ROBUST_SHARE of a question's answers (file order kept)."""
    rng = np.random.default_rng(SEED + draw)
    keep = np.sort(rng.choice(len(g.ids), size=round(ROBUST_SHARE * len(g.ids)), replace=False))
    ids = [g.ids[i] for i in keep]
    return GoldQuestion(g.question, ids, [g.texts[i] for i in keep], {i: g.labels[i] for i in ids})


def run_method(gold: list[GoldQuestion], method: str) -> tuple[dict[str, Metrics], float, dict[str, Any]]:
    return run_ours(gold, VARIANTS[method]) if method in VARIANTS else run_baseline(gold, method)


def robust_run(gold: list[GoldQuestion], draws: int) -> dict[str, list[Metrics]]:
    """Method -> dataset-mean metrics on each of `draws` random subsets of every question's answers."""
    return {
        method: [average(run_method([answer_subset(g, d) for g in gold], method)[0]) for d in range(draws)]
        for method in ROBUST
    }


# --------------------------------------------------------------------------- clustering speed at 10k


def speed_check(n: int = 10000) -> dict[str, float]:
    """Seconds to cluster n StackOverflow titles (embeddings cached): our clustering stage with its defaults vs
    BERTopic's UMAP + HDBSCAN defaults, UMAP timed on its first call in this process (numba compilation included)
    and again on a second call."""
    from hdbscan import HDBSCAN
    from umap import UMAP

    from pipeline.config import ClusterConfig
    from pipeline.stages.cluster import cluster_vectors

    texts = stc("StackOverflow", "stackoverflow", 20000)["text"].astype(str).tolist()[:n]
    vectors = np.asarray(embedders(config({}))("speed").embed(texts), dtype=np.float64)
    out = {"n": float(len(texts))}
    for run in ("ours_first", "ours"):  # the first call includes importing scikit-learn's and scipy's modules
        start = time.perf_counter()
        cluster_vectors(vectors, ClusterConfig(), SEED)
        out[run] = time.perf_counter() - start
    for run in ("bertopic_first", "bertopic_second"):
        start = time.perf_counter()
        points = UMAP(n_neighbors=15, n_components=5, min_dist=0.0, metric="cosine", random_state=SEED).fit_transform(
            vectors
        )
        HDBSCAN(min_cluster_size=10, metric="euclidean", cluster_selection_method="eom").fit_predict(points)
        out[run] = time.perf_counter() - start
    return out


def speed_lines(speed: dict[str, float]) -> list[str]:
    nan = float("nan")
    ratio = speed["bertopic_second"] / speed["ours"]
    return [
        "",
        f"## Clustering speed at {int(speed['n'])} answers (StackOverflow titles, embeddings cached)",
        "",
        "| method | seconds |",
        "|---|---|",
        f"| ours (defaults: smoothing, PCA, HDBSCAN), first call (imports) | {speed.get('ours_first', nan):.1f} |",
        f"| ours (defaults: smoothing, PCA, HDBSCAN), second call | {speed['ours']:.1f} |",
        f"| BERTopic's UMAP + HDBSCAN, first call (numba compilation) | {speed['bertopic_first']:.1f} |",
        f"| BERTopic's UMAP + HDBSCAN, second call | {speed['bertopic_second']:.1f} |",
        "",
        f"Second calls: ours is {ratio:.1f}x faster than BERTopic's clustering without its compile step; first "
        f"calls: {speed['bertopic_first'] / speed.get('ours_first', speed['ours']):.1f}x. Target: at least 5x.",
    ]


def target_lines(results: dict[str, dict[str, Any]]) -> list[str]:
    """Where the defaults stand against the targets of issue #6 (figures from the tables above)."""
    lines = ["", "## Targets", "", "| check | ours | reference | met |", "|---|---|---|---|"]

    def mean(dataset: str, method: str, metric: str) -> float:
        value = average(results[dataset][method]["metrics"])[metric]
        return float("nan") if value is None else float(value)

    def row(check: str, ours: float, ref: float, ref_text: str) -> None:
        lines.append(f"| {check} | {ours:.3f} | {ref_text} | {'yes' if ours >= ref else 'no'} |")

    ours = "ours (defaults)"
    for d in results:
        refs = {m: mean(d, m, "top5_f1") for m in ("bertopic", "minilm+kmeans (oracle k)") if m in results[d]}
        if refs:
            text = ", ".join(f"{m} {v:.3f}" for m, v in refs.items())
            lines.append(
                f"| {d}: top5_f1 above BERTopic and the oracle | {mean(d, ours, 'top5_f1'):.3f} | {text} | "
                + ("yes" if all(mean(d, ours, "top5_f1") > v for v in refs.values()) else "no")
                + " |"
            )
    if "nhs" in results:
        row("nhs: top5_recall >= 0.6", mean("nhs", ours, "top5_recall"), 0.6, "0.6")
        row("nhs: top5_purity >= 0.75", mean("nhs", ours, "top5_purity"), 0.75, "0.75")
    for d in (d for d in results if d not in SURVEYS):
        oracle = mean(d, "minilm+kmeans (oracle k)", "nmi")
        row(f"{d}: NMI at least the oracle's", mean(d, ours, "nmi"), oracle, f"{oracle:.3f}")
    return lines


# --------------------------------------------------------------------------- report

SHOWN = ("coverage", "nmi", "ari", "ami", "acc", "top5_recall", "top5_purity", "top5_f1")


def cell(value: float | None) -> str:
    return "-" if value is None else f"{value:.3f}"


def table(rows: list[tuple[str, Metrics, str, str]]) -> list[str]:
    head = "| method | " + " | ".join(SHOWN) + " | findings | time s |"
    out = [head, "|" + "---|" * (len(SHOWN) + 3)]
    for name, m, findings, seconds in rows:
        out.append(f"| {name} | " + " | ".join(cell(m[k]) for k in SHOWN) + f" | {findings} | {seconds} |")
    return out


def commit() -> str:
    result = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=REPO, capture_output=True, text=True)
    dirty = subprocess.run(["git", "status", "--porcelain"], cwd=REPO, capture_output=True, text=True).stdout
    return result.stdout.strip() + (" (+ uncommitted changes)" if dirty.strip() else "")


SURVEYS = ("sample", "nhs", "gambling_XS", "flaky")
BALANCED = ("stackoverflow", "banking77", "clinc150")  # (near-)equal label sizes: T1..T5 are ties broken by name


def mean_rows(results: dict[str, dict[str, Any]], names: list[str]) -> list[str]:
    rows = []
    for method in next(iter(results.values())):
        per_dataset = {d: average(results[d][method]["metrics"]) for d in names}
        seconds = sum(results[d][method]["seconds"] for d in names)
        rows.append((method, average(per_dataset), "", f"{seconds:.1f}"))
    return table(rows)


def dataset_rows(by_method: dict[str, Any]) -> list[str]:
    rows = []
    for method, r in by_method.items():
        count = "/".join(str(v) for v in r["notes"].get("findings", {}).values())
        rows.append((method, average(r["metrics"]), count, f"{r['seconds']:.1f}"))
    lines = table(rows)
    failures = {q: v for m in by_method.values() for q, v in m["notes"].items() if q != "findings"}
    return lines + (["", "Failures: " + "; ".join(f"{q}: {v}" for q, v in failures.items())] if failures else [])


ROBUST_SHOWN = ("coverage", "nmi", "top5_recall", "top5_purity", "top5_f1")

# Written by hand: what the tables do not show. Keep it true when the defaults change.
NOTES = """
## Reading the targets

- **How findings are built now (issue 11).** HDBSCAN cuts a question's statements into fine groups; the fine
  groups are merged into themes by modularity on their nearest-centroid graph, at a resolution that grows with
  the number of fine groups (`theme_resolution` x max(1, k/10)), so the cut is chosen per question from the data;
  a theme holding more than `catchall_share` of the question whose parts are loosely linked (modularity inside
  < 0.3) is split back. A theme's fine groups are its sub-points in the draft, the review copy and the browser,
  and two themes of one coarser community are a suggested merge. The row `ours no context, no merge, no
  catch-all split (issue #6 clustering)` is the clustering this replaced, measured by the same code.
- **The answer's context** (`cluster.answer_context`): a statement's vector is mixed with its answer's mean, so
  the sentences of one answer stay together. It wins where answers are paragraphs (the sample: top-5 purity
  0.76 without, 0.89 with, when it was chosen) and loses where most answers are one sentence (flaky: top-5 recall
  0.43 without, 0.26 with; NHS 0.44 / 0.37). `auto` reads it only where at least 40% of a question's answers hold
  two or more statements: compare the rows `ours no answer context` and `ours answer_context 1`.
- Defaults are one setting away in the rows `ours ...` below; the robustness section tells which differences
  are larger than the spread between random subsets of the answers. Differences within that spread are not
  evidence either way.
- **The sample** (`data/sample`, gold from `data/sample/make_gold.py`) is the mission's own shape: 67
  respondents, 8 open questions, short to medium answers. It is written by us, so it is reported first but
  never tuned on alone: every change was also scored on the survey sets and the short-text sets.
- **flaky** has 17-76 answers per question: one answer moved changes a top-5 F1 by several hundredths
  (the spread between subsets is in the robustness section). Its largest finding is the "nothing" group
  ("No", "None", "Nothing else"), which human coders also report as one code.
- **NHS recall and purity.** The five largest human codes of each question include overlapping ones ("Attitude Of
  Staff", "Staff: General", "Care received" for the same praise of staff): a finding that holds one of them is
  impure by construction. No method here reaches the targets, the k-means oracle included.
- **Short-text NMI.** Banking77 and CLINC150 have 77 and 150 equal-sized intents, SearchSnippets 8 broad
  domains. There the theme merge changes nothing (with dozens of fine groups its resolution grows until no merge
  pays) and most answers are one sentence (auto: no answer context), so the rows without them equal the
  defaults. We stay below the k-means oracle's NMI: fewer groups than intents (min_cluster_size grows with
  sqrt(n), for survey themes) and about a fifth of the texts not grouped (cosine to every centroid below 0.6),
  which NMI counts as one cluster.
- **Top-5 F1 on the balanced sets** compares our five largest findings with five labels picked by name among
  equal-sized labels: it is reported for completeness, not as evidence.

Tried for issue 11 and not adopted (scratch experiments on the sample, the survey sets and the short-text sets,
not rerun by this script; none won beyond the spread between subsets on both the sample and the surveys):

- centring the vectors (removing the question's mean) before clustering;
- cutting an agglomerative tree or choosing k-means' k per question by silhouette instead of the modularity merge;
- modularity communities on the statements directly (no HDBSCAN fine groups);
- `evoc` (beta) layers, the layer nearest 8 clusters taken as the themes;
- a fixed merge resolution (3 or 4 at every size) instead of one growing with the number of fine groups;
- `catchall_share` 0.35 (no change) and trimming members below a cosine of 0.4 to their centroid;
- an attention-weighted answer context, and a fixed answer context of 0.5 or 1 for every question;
- `pynndescent` for the neighbour search at 100k (its numba compilation costs more than it saves per run) and
  `hnswlib` (fast, but clustering a seeded 20,000-statement sample and placing the rest by nearest centroid made
  an approximate index unnecessary).

Tried for issue 6 (figures against the defaults of the time): choosing min_cluster_size by stability or DBCV,
HDBSCAN's `max_cluster_size`, not-grouped statements joining their neighbours' finding, agglomerative clustering
for small questions: none beyond the spread.
"""


def robust_lines(robust: dict[str, dict[str, list[Metrics]]], groups: dict[str, list[str]]) -> list[str]:
    """Mean ± standard deviation over the random subsets, averaged over the datasets of each group."""
    draws = len(next(iter(next(iter(robust.values())).values())))
    lines = [
        "",
        f"## Robustness: {draws} random subsets of {ROBUST_SHARE:.0%} of the answers",
        "",
        "Single runs move by a few hundredths when a handful of answers change (HDBSCAN on small questions),",
        "so the defaults were compared on these subsets. Per method: the mean over subsets ± the standard",
        "deviation of the group mean between subsets.",
    ]
    for title, names in groups.items():
        names = [d for d in names if d in robust]
        if not names:
            continue
        lines += ["", f"### {title}", "", "| method | " + " | ".join(ROBUST_SHOWN) + " |", "|---" * 6 + "|"]
        for method in ROBUST:
            cells = []
            for metric in ROBUST_SHOWN:
                per_draw = []
                for d in range(draws):
                    values = [robust[n][method][d][metric] for n in names]
                    kept = [float(v) for v in values if v is not None]
                    per_draw.append(float(np.mean(kept)) if kept else float("nan"))
                cells.append(f"{np.mean(per_draw):.3f} ± {np.std(per_draw):.3f}")
            lines.append(f"| {method} | " + " | ".join(cells) + " |")
    return lines


def write_report(
    out: Path,
    results: dict[str, dict[str, Any]],
    sizes: dict[str, str],
    sample: int,
    speed: dict[str, float] | None,
    robust: dict[str, dict[str, list[Metrics]]] | None = None,
    computed: str = "",
    checks: dict[str, dict[str, Any]] | None = None,
) -> None:
    titles = (checks or {}).get("sample", {}).get("titles", [])
    lines = [
        "# Quality of the open-question findings",
        "",
        f"Generated by `python benchmarks/quality.py`: figures computed on {computed}, rendered at commit {commit()}.",
        "Metrics are defined in `pipeline/evaluate.py`; each is averaged over the questions of a dataset, then",
        "over datasets (unweighted). `acc` only exists where every answer has exactly one gold label.",
        f"StackOverflow and SearchSnippets are random samples of {sample} answers (seed {SEED}). Baselines",
        "cluster whole answers; ours splits answers into sentences (except `split=none`). k-means gets the true",
        "number of labels (an oracle a real survey does not have). Time: clustering (and findings for ours) in",
        "seconds, embeddings cached, 2 CPU cores; the first UMAP run of a process includes ~25 s of numba",
        "compilation, and times vary by about 2x between runs.",
        "",
        "Every `ours (defaults)` row can be reproduced with the CLI: `python benchmarks/quality.py --write-gold",
        "outputs/gold` writes the gold CSVs, then `consolidate evaluate outputs/gold/nhs.csv --out outputs/eval/nhs`",
        "gives the row's figures as the `mean` of `metrics.json`.",
        "",
        f"Top-5 metrics are only informative where label sizes are skewed, as in surveys: in {', '.join(BALANCED)}",
        "every label has (nearly) the same number of answers, so T1..T5 are ties broken by name.",
        "",
        "Answers in several languages (language detection, the multilingual model, findings across languages) are",
        "measured on their own page: [multilingual.md](multilingual.md), by `python benchmarks/multilingual.py`.",
    ]
    groups = {
        "survey data (" + ", ".join(d for d in SURVEYS if d in results) + ")": [d for d in SURVEYS if d in results],
        "short-text sets": [d for d in results if d not in SURVEYS],
        "all datasets": list(results),
    }
    if robust and checks:
        lines += issue11.target_lines(robust, checks, titles)
    lines += ["", "## Earlier targets (issue 6)", *target_lines(results)[3:]]
    lines += NOTES.rstrip("\n").split("\n") + (speed_lines(speed) if speed else [])
    lines += robust_lines(robust, groups) if robust else []
    lines += issue11.detail_lines(checks, titles) if checks else []
    for title, names in groups.items():
        if names:
            lines += ["", f"## Mean over {title}", "", *mean_rows(results, names)]
    for dataset, by_method in results.items():
        lines += ["", f"## {dataset} ({sizes[dataset]})", "", *dataset_rows(by_method)]
    out.parent.mkdir(parents=True, exist_ok=True)
    text = "\n".join(lines) + "\n"
    kept = kept_block(out.read_text(encoding="utf-8")) if out.is_file() else ""
    out.write_text(insert_block(text, kept) if kept else text, encoding="utf-8")


BLOCK_START, BLOCK_END = "<!-- issue19:start -->", "<!-- issue19:end -->"  # written by benchmarks/issue19.py


def kept_block(text: str) -> str:
    """The issue-19 block of a page (markers included), or ''."""
    if BLOCK_START not in text or BLOCK_END not in text:
        return ""
    return BLOCK_START + text.split(BLOCK_START, 1)[1].split(BLOCK_END, 1)[0] + BLOCK_END


def insert_block(text: str, block: str) -> str:
    """The page with its issue-19 block replaced by `block`, or `block` inserted before the first `## ` heading."""
    if kept_block(text):
        head, rest = text.split(BLOCK_START, 1)
        return head + block + rest.split(BLOCK_END, 1)[1]
    cut = text.find("\n## ")
    return (text[:cut] + "\n\n" + block + "\n" + text[cut:]) if cut >= 0 else text.rstrip("\n") + "\n\n" + block + "\n"


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--sample", type=int, default=5000)
    parser.add_argument("--only", default="", help="comma-separated dataset names")
    parser.add_argument("--no-bertopic", action="store_true")
    parser.add_argument("--out", type=Path, default=REPO / "docs" / "quality.md")
    parser.add_argument("--json", type=Path, default=REPO / "outputs" / "quality.json")
    parser.add_argument("--from-json", action="store_true", help="only re-render --out from --json")
    parser.add_argument("--speed", action="store_true", help="with --from-json: (re)measure the 10k speed check")
    parser.add_argument("--draws", type=int, default=4, help="random answer subsets for the robustness section")
    parser.add_argument("--write-gold", type=Path, help="only write each dataset's gold CSV into this folder")
    args = parser.parse_args()
    if args.write_gold:
        args.write_gold.mkdir(parents=True, exist_ok=True)
        for name, load in datasets(args.sample).items():
            load().to_csv(args.write_gold / f"{name}.csv", index=False)
            print(f"wrote {args.write_gold / name}.csv", file=sys.stderr)
        return
    if args.from_json:
        saved = json.loads(args.json.read_text(encoding="utf-8"))
        if args.speed:
            saved["speed"] = speed_check()
            args.json.write_text(json.dumps(saved, indent=1), encoding="utf-8")
        write_report(
            args.out,
            saved["results"],
            saved["sizes"],
            args.sample,
            saved.get("speed"),
            saved.get("robust"),
            saved.get("computed", "?"),
            saved.get("checks"),
        )
        return
    warnings.filterwarnings("ignore", message="n_jobs value", category=UserWarning)  # UMAP: seeded => 1 thread
    chosen = {k: v for k, v in datasets(args.sample).items() if not args.only or k in args.only.split(",")}
    baselines = ["minilm+kmeans (oracle k)", "tfidf+kmeans"] + ([] if args.no_bertopic else ["bertopic"])
    results: dict[str, dict[str, Any]] = {}
    robust: dict[str, dict[str, list[Metrics]]] = {}
    checks: dict[str, dict[str, Any]] = {}
    sizes: dict[str, str] = {}
    computed = f"{time.strftime('%Y-%m-%d %H:%M')} at commit {commit()}"
    speed = None if args.no_bertopic else speed_check()  # first: UMAP's first call then includes its compilation
    with tempfile.TemporaryDirectory() as tmp:
        for name, load in chosen.items():
            path = Path(tmp) / f"{name}.csv"
            load().to_csv(path, index=False)
            gold = read_gold(path)
            sizes[name] = f"{len(gold)} question(s), " + ", ".join(str(len(g.ids)) for g in gold) + " answers"
            results[name] = {}
            for variant, extra in VARIANTS.items():
                metrics, seconds, notes = run_ours(gold, extra)
                results[name][variant] = {"metrics": metrics, "seconds": seconds, "notes": notes}
                print(name, variant, f"{seconds:.1f}s", json.dumps(average(metrics)), flush=True)
            for method in baselines:
                metrics, seconds, notes = run_baseline(gold, method)
                results[name][method] = {"metrics": metrics, "seconds": seconds, "notes": notes}
                print(name, method, f"{seconds:.1f}s", json.dumps(average(metrics)), flush=True)
            if args.draws:
                robust[name] = robust_run(gold, args.draws)
                print(name, "robustness done", flush=True)
            if name in SURVEYS:
                checks[name] = issue11.question_checks(name, gold, config({}))
                if name == "sample":
                    checks[name]["titles"] = issue11.title_cosines(checks[name]["titles"], config({}))
            args.json.parent.mkdir(parents=True, exist_ok=True)
            saved = {"sizes": sizes, "results": results, "robust": robust, "computed": computed, "checks": checks}
            args.json.write_text(json.dumps(saved, indent=1), encoding="utf-8")
    saved = {"sizes": sizes, "results": results, "speed": speed, "robust": robust, "computed": computed}
    saved["checks"] = checks
    args.json.write_text(json.dumps(saved, indent=1), encoding="utf-8")
    write_report(args.out, results, sizes, args.sample, speed, robust, computed, checks)
    print(f"wrote {args.out}", file=sys.stderr)


if __name__ == "__main__":
    main()
