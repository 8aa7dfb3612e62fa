"""Scale benchmark (issue 22): a campaign-heavy question of a million answers, and the Dask engine against local.

- `--million`: one open question of N answers (default 1,000,000): 55% copies of 40 campaign texts (a quarter of
  the copies retyped: other case, spacing or end punctuation, which `answer_key` folds), the rest drawn (seeded,
  with replacement) from 60,000 distinct texts of ../shared/data. A cold `consolidate run` (empty cache and run
  folder), one stage at a time (`consolidate <stage>`, each a fresh process): wall time and peak RSS per stage,
  embed statements/s, embedded and reused; stopped after `--budget-s`.
- `--dask`: the same recipe at 20,000 answers, cold, with `run.engine: local` and with `run.engine: dask` against
  a real `dask scheduler` and two `dask worker` processes (one thread each) on 127.0.0.1: the findings (question,
  title, respondents, members) must be identical; reports both wall times and the overhead.

Usage: python benchmarks/bench_scale.py [--million] [--dask] [--n 1000000] [--out benchmarks/scale.json]
                                       [--cache DIR] [--keep-cache DIR]
`--cache DIR` starts the large run from DIR's embeddings.sqlite (the figures then say so: a warm embed computes only
the texts the cache lacks and may not load the model); `--keep-cache DIR` keeps the run's cache for a later run.
Nothing from ../shared/data is copied into the repository: inputs are built in a temporary folder.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import random
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import yaml

sys.path.insert(0, str(Path(__file__).resolve().parent))
from bench_open import MEASURE, SHARED, measure, shared_texts  # noqa: E402

REPO = Path(__file__).resolve().parents[1]
CAMPAIGNS = 40
CAMPAIGN_SHARE = 0.55
DISTINCT = 60_000
SEED = 7
BIN = Path(sys.executable).parent


def campaign_answers(n: int, distinct: int = DISTINCT, seed: int = SEED) -> list[str]:
    """n answers: CAMPAIGN_SHARE copies of CAMPAIGNS long texts (some retyped), the rest from `distinct` texts."""
    pool = list(dict.fromkeys(t for t in shared_texts() if 3 <= len(t) <= 400))
    rng = random.Random(seed)
    sentences = (t for t in pool if t[-1] in ".!?" and t[0].isupper())  # opinions, not search snippets
    long = sorted((t for t in sentences if 25 <= len(t.split()) <= 80), key=lambda t: (len(t), t))
    campaigns = rng.sample(long, CAMPAIGNS)
    others = [t for t in pool if t not in set(campaigns)][:distinct]
    copies = round(n * CAMPAIGN_SHARE)
    weights = [1 / (i + 1) for i in range(CAMPAIGNS)]  # a few big campaigns, many small ones
    answers = [_retyped(t, rng) for t in rng.choices(campaigns, weights=weights, k=copies)]
    answers += rng.choices(others, k=n - copies)
    rng.shuffle(answers)
    return answers


def _retyped(text: str, rng: random.Random) -> str:
    """A campaign copy: three in four word for word, the others with other case, spacing or end punctuation."""
    kind = rng.randrange(8)
    if kind == 0:
        return text.upper()
    if kind == 1:
        return text.rstrip(".!") + "!"
    return "  " + text.lower() if kind == 2 else text


def write_question(work: Path, n: int, name: str, extra_run: dict[str, Any] | None = None) -> Path:
    """The generic CSV export of one open question and its config (cache and outputs under `work`)."""
    import pandas as pd

    work.mkdir(parents=True, exist_ok=True)
    export = work / f"answers{n}.csv"
    if not export.is_file():
        pd.DataFrame({"id": range(1, n + 1), "answer": campaign_answers(n)}).to_csv(export, index=False)
    config = {
        "input": {"path": str(export), "format": "generic", "id_column": "id"},
        "questions": [{"column": "answer", "id": "large", "kind": "open", "text": "Large open question"}],
        "run": {"name": name, "output_dir": str(work / "outputs"), **(extra_run or {})},
        "embed": {"cache_dir": str(work / f"cache-{name}")},
        "review": {"dir": str(work / "reviews")},
        "report": {"formats": ["md"]},
    }
    path = work / f"{name}.yaml"
    path.write_text(yaml.safe_dump(config, sort_keys=False))
    return path


def cold_run(config: Path) -> dict[str, Any]:
    """`consolidate run` in a fresh process: wall, peak RSS, stage seconds, embed facts."""
    result = measure([str(BIN / "consolidate"), "run", str(config)])
    return {"wall_s": round(result["wall_s"], 1), "peak_mb": round(result["peak_mb"]), **_facts(config)}


def _facts(config: Path) -> dict[str, Any]:
    """Stage seconds and embed facts from a run's manifest."""
    cfg = yaml.safe_load(config.read_text())
    manifest = json.loads((Path(cfg["run"]["output_dir"]) / cfg["run"]["name"] / "manifest.json").read_text())
    facts = manifest["stages"].get("embed", {}).get("facts", {})
    embed_s = manifest["stages"].get("embed", {}).get("seconds")
    return {
        "stage_s": {k: v.get("seconds") for k, v in manifest["stages"].items()},
        "statements": facts.get("statements"),
        "embedded": facts.get("embedded"),
        "reused": facts.get("reused"),
        "computed": facts.get("computed"),
        "embed_statements_per_s": round(facts["statements"] / embed_s) if embed_s else None,
        "embed_computed_per_s": round(facts["computed"] / embed_s, 1) if embed_s else None,
    }


def seed_cache(config: Path, cache: Path | None) -> str:
    """Copy a kept embedding cache (`--cache`) into the run's cache folder; 'cold' when there is none."""
    if cache is None:
        return "cold"
    target = Path(yaml.safe_load(config.read_text())["embed"]["cache_dir"])
    target.mkdir(parents=True, exist_ok=True)
    shutil.copy2(cache / "embeddings.sqlite", target / "embeddings.sqlite")
    return f"warm: embeddings.sqlite copied from {cache} before the run"


def keep_cache(config: Path, keep: Path | None) -> None:
    """Copy the run's embedding cache to `keep` (`--keep-cache`), so a later run can start from it."""
    if keep is not None:
        keep.mkdir(parents=True, exist_ok=True)
        source = Path(yaml.safe_load(config.read_text())["embed"]["cache_dir"]) / "embeddings.sqlite"
        shutil.copy2(source, keep / "embeddings.sqlite")


def staged_run(config: Path, budget_s: float) -> dict[str, Any]:
    """The stages one by one (`consolidate <stage>`), each in a fresh process: wall and peak RSS of each.

    A stage still running when the budget is spent is stopped (`timeout`) and reported as such; later ones are not run.
    """
    stages: dict[str, Any] = {}
    started = time.perf_counter()
    for stage in ("ingest", "closed", "embed", "cluster", "findings", "draft", "report"):
        left = budget_s - (time.perf_counter() - started)
        if left < 10:
            stages[stage] = "not run: time budget spent"
            continue
        command = ["timeout", str(int(left)), str(BIN / "consolidate"), stage, str(config)]
        out = subprocess.run([sys.executable, "-c", MEASURE, *command], capture_output=True, text=True)
        result = json.loads(out.stdout.strip().splitlines()[-1])
        stages[stage] = {"wall_s": round(result["wall_s"], 1), "peak_mb": round(result["peak_mb"]), "rc": result["rc"]}
        if result["rc"] != 0:
            stages[stage]["error"] = "stopped at the time budget" if result["rc"] == 124 else out.stderr[-400:]
            break
    done = [v for v in stages.values() if isinstance(v, dict)]
    return {
        "stages": stages,
        "peak_mb": max(v["peak_mb"] for v in done),
        "wall_s": round(sum(v["wall_s"] for v in done), 1),
        **_facts(config),
    }


def findings(config: Path) -> list[tuple[str, str, int, list[str]]]:
    """(question, title, respondents, members) of every finding of a run, in order."""
    cfg = yaml.safe_load(config.read_text())
    path = Path(cfg["run"]["output_dir"]) / cfg["run"]["name"] / "05_findings" / "findings.json"
    drafts = json.loads(path.read_text()).values()
    return [(d["question_id"], f["title"], f["n_respondents"], f["members"]) for d in drafts for f in d["findings"]]


def loopback_cluster(port: int, workers: int = 2) -> list[subprocess.Popen[bytes]]:
    """`dask scheduler` and `dask worker` processes (one thread each) on 127.0.0.1."""
    address = f"tcp://127.0.0.1:{port}"
    quiet = {"stdout": subprocess.DEVNULL, "stderr": subprocess.DEVNULL}
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    procs = [subprocess.Popen([str(BIN / "dask"), "scheduler", "--host", "127.0.0.1", "--port", str(port),
                               "--no-dashboard"], env=env, **quiet)]  # fmt: skip
    time.sleep(3)
    procs += [
        subprocess.Popen(
            [str(BIN / "dask"), "worker", address, "--nthreads", "1", "--host", "127.0.0.1", "--no-dashboard"],
            env=env,
            **quiet,
        )  # fmt: skip
        for _ in range(workers)
    ]
    time.sleep(5)
    return procs


def dask_vs_local(work: Path, n: int = 20_000, port: int = 8799) -> dict[str, Any]:
    """Cold local and cold Dask runs of the same n-answer question: identical findings? wall times."""
    local_cfg = write_question(work, n, "local")
    local = cold_run(local_cfg)
    procs = loopback_cluster(port)
    try:
        dask_cfg = write_question(work, n, "dask", {"engine": "dask", "scheduler": f"tcp://127.0.0.1:{port}"})
        on_dask = cold_run(dask_cfg)
    finally:
        for proc in reversed(procs):
            proc.terminate()
            proc.wait(timeout=30)
    same = findings(local_cfg) == findings(dask_cfg)
    return {
        "answers": n,
        "local": local,
        "dask": on_dask,
        "identical_findings": same,
        "findings": len(findings(local_cfg)),
        "overhead_s": round(on_dask["wall_s"] - local["wall_s"], 1),
        "embed_overhead_s": round(on_dask["stage_s"]["embed"] - local["stage_s"]["embed"], 1),
    }


def main() -> None:
    """Run the chosen benchmarks and write the figures."""
    parser = argparse.ArgumentParser()
    parser.add_argument("--million", action="store_true", help="the cold local run of --n answers")
    parser.add_argument("--dask", action="store_true", help="20,000 answers: dask (2 workers, loopback) vs local")
    parser.add_argument("--n", type=int, default=1_000_000)
    parser.add_argument("--budget-s", type=float, default=6 * 3600, help="stop the large run's stages after this")
    parser.add_argument("--out", type=Path, default=REPO / "benchmarks" / "scale.json")
    parser.add_argument("--cache", type=Path, help="start the large run from this folder's embeddings.sqlite")
    parser.add_argument("--keep-cache", type=Path, help="copy the large run's embeddings.sqlite here after it")
    args = parser.parse_args()
    if not (SHARED / "short_text").is_dir():
        raise SystemExit(f"{SHARED} is missing: this benchmark builds its inputs from the shared data")
    report: dict[str, Any] = json.loads(args.out.read_text()) if args.out.is_file() else {}
    report.update({"machine": f"{platform.platform()}, {os.cpu_count()} cores (shared)", "date": time.strftime("%F")})
    with tempfile.TemporaryDirectory() as tmp:
        if args.dask:
            report["dask_20k"] = dask_vs_local(Path(tmp) / "dask")
            print(json.dumps(report["dask_20k"]))
        if args.million:
            load_before = os.getloadavg()
            config = write_question(Path(tmp) / "m", args.n, "million")
            cache = seed_cache(config, args.cache)
            million = staged_run(config, args.budget_s)
            keep_cache(config, args.keep_cache)
            report[f"local_{args.n}"] = {
                **million,
                "embedding_cache": cache,
                "load_before": load_before,
                "load_after": os.getloadavg(),
            }
            print(json.dumps(report[f"local_{args.n}"]))
        shutil.rmtree(tmp, ignore_errors=True)
    args.out.write_text(json.dumps(report, indent=2) + "\n")
    print(f"wrote {args.out}")


if __name__ == "__main__":
    main()
