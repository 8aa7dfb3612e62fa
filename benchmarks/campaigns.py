"""Benchmark of campaign detection (issue 27): found, counted, not merged, nothing else called a campaign, and fast.

Parts (figures go to --out, default benchmarks/campaigns.json):
- chance: in the shared data sets, the largest group of exact or near copies of a text of 15+ words that is not a
  campaign (how many respondents send one long text by chance): the ground for `campaigns.min_respondents` auto.
- constructed: a 20,000-answer question from ../shared/data texts (COVID worry texts, Decide Madrid comments, NHS
  feedback, StackOverflow titles) with 6 campaigns of 200-4,000 respondents, each a long text sent with template
  edits: a name filled in, a salutation added, a sentence changed, case and spacing. Every campaign must be found with
  its count within 2%, none merged with another, and no ordinary group called a campaign.
- pairs: the MinHash LSH near-duplicate keys (`stages/shared/copies.py`) against exact pairwise word 3-gram Jaccard
  on a sample of the constructed question's long answers: pair precision and recall.
- scale: detection time at --scale rows (the constructed question grown, campaigns 6x as large).
- wwco: the WWCO "stop doing" question: the coordinated block (IDs 114-118 and 125) is one campaign.
- run (--run): `consolidate run` on the constructed question (tfidf backend, fresh process) with campaigns set apart
  and not, to relate detection time to a run's; and on the WWCO export (the bundled model) for its report line.

Usage: python benchmarks/campaigns.py [--rows 20000] [--scale 120000] [--run] [--out benchmarks/campaigns.json]
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import random
import re
import subprocess
import sys
import tempfile
import time
from collections import Counter
from itertools import combinations
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import yaml

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from pipeline.stages.cluster.campaigns import NOT_CAMPAIGN, campaign_labels, min_respondents  # noqa: E402
from pipeline.stages.shared.copies import NEAR_JACCARD, SHINGLE, answer_keys, near_duplicate_keys  # noqa: E402

SHARED = REPO.parent / "shared" / "data"
WWCO = SHARED / "consultation_wwco"
WWCO_BLOCK = {"114", "115", "116", "117", "118", "125"}
WWCO_STOP = "What do you believe WWCO should stop doing?"
SIZES = (200, 450, 800, 1500, 2500, 4000)
TOLERANCE = 0.02
NAMES = ["Ana Silva", "Ben Okafor", "Chen Wei", "Dita Novak", "Emil Berg", "Fatima Haddad", "Gus Ortega", "Hana Sato"]
SALUTATIONS = ["Dear Secretariat,", "To whom it may concern:", "Dear Sir or Madam,", "Hello,"]
_WORDS = re.compile(r"\w+")
CONSOLIDATE = [
    sys.executable,
    "-c",
    "import sys; from pipeline.launch import main; sys.argv[0] = 'consolidate'; main()",
]
_SENTENCE = re.compile(r"(?<=[.!?])\s+")


def ordinary_pool() -> list[str]:
    """Real answers of the shared sets: long COVID worry texts, Spanish comments, NHS feedback, question titles.

    Decide Madrid holds real copy-paste campaigns ("hay una propuesta muy buena ... votadla y dadle difusión", 62
    times): each group of exact or near copies is kept once, so the only campaigns are the planted ones.
    """
    worry = pd.read_csv(SHARED / "rwwd_covid_worry" / "rwwd_phase1_clean.csv", usecols=["text_long"])
    madrid = pd.read_csv(SHARED / "decide_madrid_2019" / "comments.csv", usecols=["text"])
    nhs = pd.read_csv(SHARED / "nhs_fft_phase1" / "text_data_trustBC.csv", usecols=["feedback"])
    titles = (SHARED / "short_text" / "stackoverflow" / "StackOverflow.txt").read_text(encoding="utf-8").splitlines()
    texts = [
        " ".join(t.split())
        for t in [*_texts(worry["text_long"]), *_texts(madrid["text"]), *_texts(nhs["feedback"]), *titles]
    ]
    texts = [t for t in texts if t]
    return list({key: text for key, text in zip(near_duplicate_keys(answer_keys(texts)), texts, strict=True)}.values())


def templates(pool: list[str], k: int, rng: random.Random) -> list[str]:
    """k letters to send as campaigns (they leave the ordinary pool): 80-200 words in 5+ sentences, none over a
    quarter of the words (so "a changed sentence" changes a sentence, not half the letter)."""

    def letter(text: str) -> bool:
        words = len(_WORDS.findall(text))
        sentences = _SENTENCE.split(text)
        longest = max(len(_WORDS.findall(s)) for s in sentences)
        return 80 <= words <= 200 and len(sentences) >= 5 and longest <= 0.25 * words

    return rng.sample(sorted(t for t in pool if letter(t)), k)


def variant(template: str, rng: random.Random, filler: list[str]) -> str:
    """One campaign copy: exact (35%) or with a name, a salutation, a changed sentence and/or case and spacing."""
    if rng.random() < 0.35:
        return template
    text = template
    if rng.random() < 0.5:
        text += f" Signed, {rng.choice(NAMES)} ({rng.randint(1, 99_999)})."
    if rng.random() < 0.3:
        text = f"{rng.choice(SALUTATIONS)} {text}"
    if rng.random() < 0.3:
        sentences = _SENTENCE.split(text)
        sentences[rng.randrange(len(sentences))] = rng.choice(filler)
        text = " ".join(sentences)
    if rng.random() < 0.2:
        text = text.lower().replace(". ", ".  ")
    return text


def constructed(rows: int, sizes: tuple[int, ...], seed: int = 7) -> tuple[list[str], np.ndarray]:
    """Answers of one question and the planted campaign of each (-1: ordinary), shuffled (seeded)."""
    rng = random.Random(seed)
    pool = ordinary_pool()
    letters = templates(pool, len(sizes), rng)
    rest = [t for t in pool if t not in set(letters)]
    filler = [t for t in rest if 8 <= len(_WORDS.findall(t)) <= 25][:2000]
    answers = [variant(letter, rng, filler) for letter, n in zip(letters, sizes, strict=True) for _ in range(n)]
    truth = [i for i, n in enumerate(sizes) for _ in range(n)]
    ordinary = rows - len(answers)
    answers += [rest[rng.randrange(len(rest))] for _ in range(ordinary)]  # drawn with replacement: chance copies
    truth += [NOT_CAMPAIGN] * ordinary
    order = list(range(len(answers)))
    rng.shuffle(order)
    return [answers[i] for i in order], np.array([truth[i] for i in order])


def detect(answers: list[str]) -> tuple[np.ndarray, list[str], dict[str, float]]:
    """Campaign labels as the pipeline finds them (embed: copy keys; cluster: campaigns), with their timings."""
    start = time.perf_counter()
    keys = near_duplicate_keys(answer_keys(answers))
    keyed = time.perf_counter()
    people = np.array([f"R{i}" for i in range(len(answers))])
    labels = campaign_labels(answers, people, min_respondents(len(answers), None), keys)
    done = time.perf_counter()
    return labels, keys, {"copy_keys_s": round(keyed - start, 3), "campaigns_s": round(done - keyed, 3)}


def score(truth: np.ndarray, found: np.ndarray) -> dict[str, Any]:
    """Per planted campaign: the detected campaign holding most of it, its count, error, and whether it is merged."""
    out: dict[str, Any] = {"planted": [], "false_campaigns": 0}
    for planted in sorted(set(truth.tolist()) - {NOT_CAMPAIGN}):
        hits = Counter(found[truth == planted].tolist())
        best, _ = max(((k, v) for k, v in hits.items() if k != NOT_CAMPAIGN), key=lambda x: x[1], default=(None, 0))
        size = int((truth == planted).sum())
        counted = int((found == best).sum()) if best is not None else 0
        plants = set(truth[found == best].tolist()) - {NOT_CAMPAIGN} if best is not None else set()
        out["planted"].append(
            {
                "size": size,
                "found": counted,
                "error": round(abs(counted - size) / size, 4),
                "merged": len(plants) > 1,
                "split_into": len(set(hits) - {NOT_CAMPAIGN}),
            }
        )
    for label in sorted(set(found.tolist()) - {NOT_CAMPAIGN}):
        members = truth[found == label]
        if (members == NOT_CAMPAIGN).sum() > len(members) / 2:
            out["false_campaigns"] += 1
    out["ordinary_called_campaign"] = int(((truth == NOT_CAMPAIGN) & (found != NOT_CAMPAIGN)).sum())
    out["passed"] = (
        all(p["found"] and p["error"] <= TOLERANCE and not p["merged"] for p in out["planted"])
        and out["false_campaigns"] == 0
    )
    return out


def shingles(text: str) -> frozenset[str]:
    words = _WORDS.findall(text)
    return frozenset(" ".join(words[i : i + SHINGLE]) for i in range(len(words) - SHINGLE + 1))


def pairs(answers: list[str], keys: list[str], truth: np.ndarray, n: int, seed: int = 3) -> dict[str, Any]:
    """LSH keys against exact pairwise Jaccard on n long answers (half campaign copies): pair precision, recall.

    `precision`/`recall`: pairs given one key against pairs whose Jaccard is at least NEAR_JACCARD; keys are
    transitive (a copy joined through another copy), so `chained_*` compares with the exact pairs' components.
    """
    rng = random.Random(seed)
    akeys = answer_keys(answers)
    long = [i for i, k in enumerate(akeys) if len(_WORDS.findall(k)) >= 15]
    copies = [i for i in long if truth[i] != NOT_CAMPAIGN]
    others = [i for i in long if truth[i] == NOT_CAMPAIGN]
    sample = rng.sample(copies, min(n // 2, len(copies))) + rng.sample(others, min(n // 2, len(others)))
    sets = {i: shingles(akeys[i]) for i in sample}
    start = time.perf_counter()
    exact = {
        (a, b) for a, b in combinations(sample, 2) if len(sets[a] & sets[b]) >= NEAR_JACCARD * len(sets[a] | sets[b])
    }
    exact_s = time.perf_counter() - start
    same_key = {(a, b) for a, b in combinations(sample, 2) if keys[a] == keys[b]}
    both = len(exact & same_key)
    group = _components(sample, exact)
    linked = {(a, b) for a, b in combinations(sample, 2) if group[a] == group[b]}  # exact pairs, chained
    return {
        "answers": len(sample),
        "pairs": len(sample) * (len(sample) - 1) // 2,
        "pairs_jaccard_at_least": NEAR_JACCARD,
        "exact_pairs": len(exact),
        "keyed_pairs": len(same_key),
        "precision": round(both / len(same_key), 4) if same_key else 1.0,
        "recall": round(both / len(exact), 4) if exact else 1.0,
        "exact_pairwise_s": round(exact_s, 2),
        "chained_precision": round(len(linked & same_key) / len(same_key), 4) if same_key else 1.0,
        "chained_recall": round(len(linked & same_key) / len(linked), 4) if linked else 1.0,
    }


def _components(items: list[int], edges: set[tuple[int, int]]) -> dict[int, int]:
    """Connected component of each item, named by its smallest item: groups of copies joined through others."""
    import networkx as nx

    graph = nx.Graph()
    graph.add_nodes_from(items)
    graph.add_edges_from(edges)
    return {i: min(component) for component in nx.connected_components(graph) for i in component}


def _texts(column: pd.Series) -> list[str]:
    return [str(t) for t in column.fillna("")]


def chance() -> dict[str, int]:
    """Largest group of respondents sending one 15+ word text (exact or near copies) per shared set, no campaign."""
    sets: dict[str, list[list[str]]] = {
        "nhs": [
            _texts(g["feedback"])
            for _, g in pd.read_csv(SHARED / "nhs_fft_phase1" / "text_data_trustBC.csv").groupby("question")
        ],
        "covid_worry": [_texts(pd.read_csv(SHARED / "rwwd_covid_worry" / "rwwd_phase1_clean.csv")["text_long"])],
        "decide_madrid": [_texts(pd.read_csv(SHARED / "decide_madrid_2019" / "comments.csv")["text"])],
        "polis": [
            _texts(pd.read_csv(path)["comment-body"]) for path in sorted((SHARED / "polis").glob("*/comments.csv"))
        ],
        "wwco_other_than_block": [
            [t for i, t in zip(g["id"], g["text"], strict=True) if q != WWCO_STOP or i not in WWCO_BLOCK]
            for q, g in pd.read_csv(WWCO / "gold.csv", dtype=str, keep_default_na=False).groupby("question")
        ],
    }
    out: dict[str, int] = {}
    for name, questions in sets.items():
        largest = 0
        for texts in questions:
            keys = near_duplicate_keys(answer_keys(list(texts)))
            counts = Counter(k for k in keys if len(_WORDS.findall(k)) >= 15)
            largest = max(largest, max(counts.values(), default=0))
        out[name] = largest
    return out


def wwco() -> dict[str, Any]:
    """The WWCO "stop doing" answers: which respondents detection puts in a campaign."""
    gold = pd.read_csv(WWCO / "gold.csv", dtype=str, keep_default_na=False)
    stop = gold[(gold["question"] == WWCO_STOP) & ~gold["labels"].isin(["NONE"])]
    answers = stop["text"].tolist()
    labels, _, _ = detect(answers)
    ids = stop["id"].to_numpy()
    campaigns = {int(c): sorted(ids[labels == c].tolist(), key=int) for c in set(labels.tolist()) - {NOT_CAMPAIGN}}
    return {
        "answers": len(answers),
        "min_respondents": min_respondents(len(answers), None),
        "campaigns": campaigns,
        "block_is_one_campaign": list(campaigns.values()) == [sorted(WWCO_BLOCK, key=int)],
    }


def _run(config: Path) -> dict[str, Any]:
    start = time.perf_counter()
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    done = subprocess.run([*CONSOLIDATE, "run", str(config)], capture_output=True, text=True, env=env)
    wall = time.perf_counter() - start
    if done.returncode:
        raise SystemExit(done.stdout[-2000:] + done.stderr[-2000:])
    manifest = json.loads((config.parent / "outputs" / config.stem / "manifest.json").read_text())
    stages = {s: round(float(v.get("seconds", 0.0)), 2) for s, v in manifest.get("stages", {}).items()}
    return {"wall_s": round(wall, 2), "stage_s": stages}


def _config(folder: Path, name: str, export: Path, questions: list[dict[str, Any]], **sections: Any) -> Path:
    data: dict[str, Any] = {
        "input": {"path": str(export)},
        "questions": questions,
        "run": {"name": name, "output_dir": str(folder / "outputs")},
        "review": {"dir": str(folder / "reviews")},
        "embed": {"cache_dir": str(folder / "cache")},
        "report": {"formats": ["md"]},
        **sections,
    }
    path = folder / f"{name}.yaml"
    path.write_text(yaml.safe_dump(data, sort_keys=False))
    return path


def runs(answers: list[str]) -> dict[str, Any]:
    """`consolidate run` on the constructed question, campaigns apart and not (tfidf backend), and on WWCO."""
    out: dict[str, Any] = {}
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        export = folder / "constructed.csv"
        pd.DataFrame({"ID": range(1, len(answers) + 1), "Answer": answers}).to_csv(export, index=False)
        questions = [{"column": "ID", "id": "id", "kind": "ignore"}, {"column": "Answer", "id": "q", "kind": "open"}]
        for separate in (True, False):
            name = f"constructed_{'apart' if separate else 'together'}"
            config = _config(
                folder, name, export, questions, embed={"backend": "tfidf", "cache_dir": str(folder / "cache")},
                campaigns={"separate": separate},
            )  # fmt: skip
            out[name] = _run(config)
            findings = json.loads((folder / "outputs" / name / "05_findings" / "findings.json").read_text())["q"]
            top = [f for f in findings["findings"] if not f["campaign"]][:5]
            out[name]["top5"] = [[f["title"], f["n_respondents"]] for f in top]
            out[name]["campaigns"] = sum(f["campaign"] for f in findings["findings"])
        out["wwco"] = wwco_run(folder)
    return out


def wwco_run(folder: Path) -> dict[str, Any]:
    """WWCO with the bundled model: its campaigns.csv and the report's campaign line."""
    config = folder / "wwco.yaml"
    init = [*CONSOLIDATE, "init", str(WWCO / "export.xlsx"), "--out", str(config)]
    subprocess.run(init, check=True, capture_output=True, env={**os.environ, "PYTHONPATH": str(REPO)})
    data = yaml.safe_load(config.read_text())
    data.update(_config_paths(folder))
    config.write_text(yaml.safe_dump(data, sort_keys=False))
    timing = _run(config)
    run = folder / "outputs" / "wwco"
    table = pd.read_csv(run / "05_findings" / "campaigns.csv", keep_default_na=False)
    assignments = pd.read_csv(run / "06_draft" / "assignments.csv", dtype=str, keep_default_na=False)
    report = (run / "07_report" / "report.md").read_text(encoding="utf-8")
    return {
        **timing,
        "campaigns": table.drop(columns=["text"]).to_dict("records"),
        "campaign_respondents": sorted(set(assignments.loc[assignments["campaign_id"] != "", "response_id"]), key=int),
        "report_lines": [line for line in report.splitlines() if "campaign" in line.lower()],
    }


def _config_paths(folder: Path) -> dict[str, Any]:
    return {
        "run": {"name": "wwco", "output_dir": str(folder / "outputs")},
        "review": {"dir": str(folder / "reviews")},
        "embed": {"cache_dir": str(folder / "cache")},
        "report": {"formats": ["md"]},
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=20_000)
    parser.add_argument("--scale", type=int, default=120_000, help="rows of the detection-time run (0: skip)")
    parser.add_argument("--pairs", type=int, default=1_500, help="long answers in the exact pairwise sample")
    parser.add_argument("--run", action="store_true", help="also run the pipeline (tfidf 20k; WWCO, bundled model)")
    parser.add_argument("--out", type=Path, default=REPO / "benchmarks" / "campaigns.json")
    args = parser.parse_args()
    if not SHARED.is_dir():
        raise SystemExit(f"{SHARED} is absent; this benchmark needs the shared data.")
    result: dict[str, Any] = {"date": time.strftime("%Y-%m-%d"), "machine": platform.platform()}
    result["chance_largest_long_copy_group"] = chance()
    print("chance", json.dumps(result["chance_largest_long_copy_group"]), flush=True)
    answers, truth = constructed(args.rows, SIZES)
    found, keys, timing = detect(answers)
    result["constructed"] = {"rows": args.rows, "sizes": list(SIZES), **timing, **score(truth, found)}
    print("constructed", json.dumps(result["constructed"]), flush=True)
    result["pairs"] = pairs(answers, keys, truth, args.pairs)
    print("pairs", json.dumps(result["pairs"]), flush=True)
    if args.scale:
        grown, planted = constructed(args.scale, tuple(6 * s for s in SIZES), seed=11)
        labels, _, scale_timing = detect(grown)
        result["scale"] = {"rows": args.scale, **scale_timing, "passed": score(planted, labels)["passed"]}
        print("scale", json.dumps(result["scale"]), flush=True)
    result["wwco"] = wwco()
    print("wwco", json.dumps(result["wwco"]), flush=True)
    if args.run:
        result["runs"] = runs(answers)
        print("runs", json.dumps(result["runs"]), flush=True)
    args.out.write_text(json.dumps(result, indent=1) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
