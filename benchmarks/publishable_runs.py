"""Issue 19's checks on real-shaped exports: `init` + `run` as a new user would, then publishable.py and WWCO gold.

For every development export of ../shared/data (WWCO, every Polis conversation, Decide Madrid, a seeded 1,000-answer
sample of rwwd_covid_worry, the three NHS questions) this script writes the export (as given, or as the CSV a
survey tool would give), runs `consolidate init` and `consolidate run` with no edits, and counts what keeps each
question's top 5 from being published with `../shared/tools/publishable.py`. On WWCO it also scores the run's
own assignments (`06_draft/assignments.csv`, so ingest's non-answer handling counts) against the gold themes:
top-5 recall and purity as `pipeline.evaluate` defines them, the gold `REFERENCE` / `NONE` answers that ended in a
finding, and the minority-language answers that sit in a finding made mostly of their language.

Usage: python benchmarks/publishable_runs.py [--sets wwco,polis,madrid,rwwd,nhs] [--out outputs/dev] [--tag now]
Runs go to `<out>/<tag>/` (configs, runs, review copies); writes `<out>/<tag>.json` (one entry per export, then the
totals), which `benchmarks/issue19.py --render` renders into docs/quality.md.
"""

from __future__ import annotations

import argparse
import json
import re
import runpy
import subprocess
import sys
from collections import Counter
from pathlib import Path
from typing import Any

import pandas as pd

from pipeline.evaluate import finding_sets, main_findings, parse_labels, top_scores

REPO = Path(__file__).resolve().parents[1]
SHARED = REPO.parent / "shared"
DATA = SHARED / "data"
SEED = 42
RWWD_SAMPLE = 1000
NHS_QUESTIONS = {
    "Trust B - Q1": "Please tell us about anything that we did particularly well.",
    "Trust C - Q1": "Please tell us about anything that we did particularly well.",
    "Trust C - Q2": "Please tell us about anything we could have done better.",
}
PROXIES = ("one_word", "incoherent", "non_answer", "reference", "url", "over35", "language_group", "repeated")


def exports(sets: list[str], folder: Path) -> dict[str, Path]:
    """Name -> export file of each development set asked for (derived CSVs are written under `folder`)."""
    folder.mkdir(parents=True, exist_ok=True)
    out: dict[str, Path] = {}
    if "wwco" in sets:
        out["wwco"] = DATA / "consultation_wwco" / "export.xlsx"
    if "polis" in sets:
        for conversation in sorted((DATA / "polis").glob("*/comments.csv")):
            out[f"polis-{conversation.parent.name}"] = conversation
    if "madrid" in sets:
        out["madrid"] = DATA / "decide_madrid_2019" / "comments.csv"
    if "rwwd" in sets:
        out["rwwd"] = _rwwd(folder)
    if "nhs" in sets:
        out.update(_nhs(folder))
    return out


def _rwwd(folder: Path) -> Path:
    frame = pd.read_csv(DATA / "rwwd_covid_worry" / "rwwd_phase1_clean.csv", dtype=str, keep_default_na=False)
    frame = frame.sample(n=RWWD_SAMPLE, random_state=SEED).sort_index()
    export = pd.DataFrame(
        {
            "Response ID": frame["response_id"],
            "How do you feel about the Corona situation at the moment? Please write in detail.": frame["text_long"],
        }
    )
    path = folder / "rwwd_sample.csv"
    export.to_csv(path, index=False)
    return path


def _nhs(folder: Path) -> dict[str, Path]:
    frame = pd.read_csv(DATA / "nhs_fft_phase1" / "text_data_trustBC.csv", dtype=str, keep_default_na=False)
    out: dict[str, Path] = {}
    for label, question in NHS_QUESTIONS.items():
        rows = frame[frame["question"] == label]
        name = "nhs-" + label.lower().replace(" - ", "-").replace(" ", "")
        path = folder / f"{name}.csv"
        pd.DataFrame({"ID": rows["row_index"], question: rows["feedback"]}).to_csv(path, index=False)
        out[name] = path
    return out


def consolidate(*args: str) -> None:
    """Run the `consolidate` command of this environment; stop on failure with its message."""
    command = [str(Path(sys.executable).parent / "consolidate"), *args]
    done = subprocess.run(command, capture_output=True, text=True, check=False)
    if done.returncode:
        raise SystemExit(f"{' '.join(command)} failed:\n{done.stdout}\n{done.stderr}")


def run_export(name: str, export: Path, out: Path) -> Path:
    """`init` then `run` with the config as drafted, in `out` (configs/, runs/, reviews/); returns the run folder."""
    config = out / "configs" / f"{name}.yaml"
    config.parent.mkdir(parents=True, exist_ok=True)
    consolidate("init", str(export), "--out", str(config), "--force")
    text = config.read_text(encoding="utf-8")
    for key, value in (
        ("output_dir", out / "runs"),
        ("cache_dir", REPO / "outputs" / ".cache"),
        ("dir", out / "reviews"),
    ):
        text = re.sub(rf"(?m)^(\s+){key}: .*$", rf"\g<1>{key}: {value}", text)
    config.write_text(text, encoding="utf-8")
    consolidate("run", str(config), "--force")  # code changes between runs: never reuse a stage
    return out / "runs" / name


def gold_titles() -> dict[str, str]:
    """WWCO theme code -> its bold title in themes.md ("Global Observations and Data Exchange")."""
    text = (DATA / "consultation_wwco" / "themes.md").read_text(encoding="utf-8")
    return dict(re.findall(r"\| `([A-Z_]+)` \| \*\*(.+?):\*\*", text))


def title_rows(column: str, rows: pd.DataFrame, labels: dict[str, frozenset[str]], cosine: Any) -> list[dict[str, Any]]:
    """Each top-5 finding's title beside the gold theme most of its answers carry, and their cosine."""
    themes = gold_titles()
    out = []
    for rank, members in rows[rows["rank"].between(1, 5)].groupby("rank"):
        codes = Counter(c for rid in set(members["response_id"].astype(str)) for c in labels.get(rid, ()))
        code = min(codes, key=lambda c: (-codes[c], c)) if codes else ""  # a tie: the first code, not the set order
        title = str(members["title"].iloc[0])
        gold = themes.get(code, code)
        out.append(
            {
                "question": column,
                "rank": int(rank),
                "title": title,
                "code": code,
                "gold": gold,
                "cosine": round(float(cosine(title, gold)), 3) if gold else None,
            }  # fmt: skip
        )
    return out


def wwco_scores(run: Path, cosine: Any) -> dict[str, Any]:
    """Gold scores of a WWCO run from its own assignments (module docstring)."""
    gold = pd.read_csv(DATA / "consultation_wwco" / "gold.csv", dtype=str, keep_default_na=False)
    questions = pd.read_parquet(run / "01_ingest" / "questions.parquet")[["question_id", "source_column"]]
    assigned = pd.read_csv(run / "06_draft" / "assignments.csv", dtype={"response_id": str})
    statements = pd.read_parquet(run / "03_embed" / "statements.parquet")
    language = dict(zip(statements["statement_id"].astype(str), statements["language"].astype(str), strict=True))
    per_question: dict[str, Any] = {}
    leaks: list[str] = []
    titles: list[dict[str, Any]] = []
    split = 0
    for qid, column in zip(questions["question_id"], questions["source_column"], strict=True):
        g = gold[gold["question"] == column]
        if g.empty:
            continue
        labels = {str(i): parse_labels(c) for i, c in zip(g["id"], g["labels"], strict=True)}
        rows = assigned[(assigned["question_id"] == qid) & assigned["finding_id"].notna()]
        ranked = _answer_findings(rows)
        found = finding_sets(ranked)
        scores = top_scores(found, labels)
        main = main_findings(ranked)
        for rid, codes in labels.items():
            if codes & {"REFERENCE", "NONE"} and main.get(rid, -1) != -1:
                leaks.append(f"{column[:40]} #{rid}: {g.loc[g['id'] == rid, 'text'].iloc[0][:50]!r}")
        split += _language_split(rows, language)
        titles += title_rows(column, rows, labels, cosine)
        per_question[column] = {**scores, "top5_titles": _titles(rows)}
    mean = {m: _mean([q[m] for q in per_question.values()]) for m in ("top5_recall", "top5_purity", "top5_f1")}
    cosines = [t["cosine"] for t in titles if t["cosine"] is not None]
    return {
        "questions": per_question,
        **mean,
        "title_cosine": round(sum(cosines) / max(1, len(cosines)), 3),
        "titles": titles,
        "reference_or_none_in_findings": leaks,
        "language_split": split,
    }


def _answer_findings(rows: pd.DataFrame) -> pd.DataFrame:
    """`id, finding` rows of a question: one per answer and finding it supports, its main finding first."""
    counts = rows.groupby(["response_id", "rank"]).size().rename("k").reset_index()
    counts = counts.sort_values(["response_id", "k", "rank"], ascending=[True, False, True])
    return pd.DataFrame({"id": counts["response_id"].astype(str), "finding": counts["rank"].astype(int)})


def _language_split(rows: pd.DataFrame, language: dict[str, str]) -> int:
    """Findings with 3+ members of which 80% are in a language that is under half of the question's statements."""
    langs = rows.assign(lang=rows["statement_id"].astype(str).map(language).fillna("und"))
    known = langs[langs["lang"] != "und"]
    share = known["lang"].value_counts(normalize=True)
    hits = 0
    for _, members in known.groupby("finding_id"):
        top = members["lang"].value_counts()
        if len(members) >= 3 and top.iloc[0] >= 0.8 * len(members) and share[top.index[0]] < 0.5:
            hits += 1
    return hits


def _titles(rows: pd.DataFrame) -> list[str]:
    top = rows[rows["rank"].between(1, 5)].drop_duplicates("rank").sort_values("rank")
    return top["title"].astype(str).tolist()


def _mean(values: list[float | None]) -> float:
    known = [float(v) for v in values if v is not None]
    return round(sum(known) / len(known), 3) if known else 0.0


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--sets", default="wwco,polis,madrid,rwwd,nhs")
    parser.add_argument("--out", default=str(REPO / "outputs" / "dev"))
    parser.add_argument("--tag", default="now")
    args = parser.parse_args()
    if not DATA.is_dir():
        raise SystemExit(f"{DATA} is absent: this benchmark needs the shared development data.")
    out = Path(args.out).resolve()
    publishable = runpy.run_path(str(SHARED / "tools" / "publishable.py"))
    results: dict[str, Any] = {}
    total: Counter[str] = Counter()
    for name, export in exports(args.sets.split(","), out / "exports").items():
        run = run_export(name, export, out / args.tag)
        stats = publishable["run_stats"](str(run))
        results[name] = stats
        total.update({k: v for k, v in stats.items() if isinstance(v, int)})
        if name == "wwco":
            results[name]["gold"] = wwco_scores(run, publishable["cosine"])
        print(name, json.dumps({k: v for k, v in stats.items() if k not in ("examples", "gold")}), flush=True)
    n = max(1, total["top5"])
    summary = {**total, "share": {k: round(total[k] / n, 3) for k in PROXIES}}
    summary["quotes_off_share"] = round(total["quotes_off"] / max(1, total["quotes"]), 3)
    results["total"] = summary
    (out / f"{args.tag}.json").write_text(json.dumps(results, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
    print(json.dumps(summary))
    if "wwco" in results:
        gold = results["wwco"]["gold"]
        print({k: gold[k] for k in ("top5_recall", "top5_purity", "top5_f1", "title_cosine", "language_split")})
        print("REFERENCE/NONE in findings:", len(gold["reference_or_none_in_findings"]))


if __name__ == "__main__":
    main()
