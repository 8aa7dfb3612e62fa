"""Benchmark of the open-question pipeline: cold and warm runs on the sample and on a 20k-answer question.

For each dataset it measures, each in a fresh process:
- cold: `consolidate run` with an empty embedding cache and run folder (wall time, peak RSS);
- forward: the model's forward passes alone (`SentenceTransformer.encode`) on the same unique statements;
- warm: `consolidate run` again after changing a clustering parameter (cache hit; must not import torch), five
  times, alternating between two settings so every rerun reclusters; the median wall time is reported.

Usage: python benchmarks/bench_open.py [--skip-large] [--out benchmarks/results.json]
The 20k question is built from ../shared/data (NHS feedback + StackOverflow titles); it is skipped when absent.
"""

from __future__ import annotations

import argparse
import json
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import yaml

REPO = Path(__file__).resolve().parents[1]
WARM_RUNS = 5  # warm reruns per dataset; the median is reported (single runs vary by +-10 % on 2 cores)
SHARED = REPO.parent / "shared" / "data"
MEASURE = """
import resource, subprocess, sys, time, json
t = time.perf_counter(); rc = subprocess.call(sys.argv[1:])
print(json.dumps({"rc": rc, "wall_s": time.perf_counter() - t,
                  "peak_mb": resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024}))
"""
FORWARD = """
import json, sys, time
import pandas as pd
from pipeline.embedders import resolve_model_path
from sentence_transformers import SentenceTransformer
texts = list(dict.fromkeys(pd.read_parquet(sys.argv[1])["text"].astype(str)))
texts.sort(key=len)
model = SentenceTransformer(str(resolve_model_path("all-MiniLM-L6-v2")), device="cpu", local_files_only=True)
t = time.perf_counter()
for i in range(0, len(texts), 64):
    model.encode(texts[i:i + 64], batch_size=64, normalize_embeddings=True)
print(json.dumps({"forward_s": time.perf_counter() - t, "texts": len(texts)}))
"""


def measure(args: list[str]) -> dict[str, float]:
    """Run a command in a fresh process; return its wall time and peak memory."""
    out = subprocess.run([sys.executable, "-c", MEASURE, *args], capture_output=True, text=True, check=True)
    result: dict[str, float] = json.loads(out.stdout.strip().splitlines()[-1])
    if result["rc"] != 0:
        raise SystemExit(f"command failed: {' '.join(args)}\n{out.stderr}")
    return result


def forward_time(statements: Path) -> dict[str, float]:
    """Time of the model's forward passes alone on the run's unique statements."""
    out = subprocess.run([sys.executable, "-c", FORWARD, str(statements)], capture_output=True, text=True, check=True)
    result: dict[str, float] = json.loads(out.stdout.strip().splitlines()[-1])
    return result


def write_config(
    base: dict[str, object], work: Path, name: str, cluster: dict[str, object], file: str | None = None
) -> Path:
    """A copy of a config (run `name`, written to `file`.yaml) with absolute paths into `work` and cluster settings."""
    cfg = json.loads(json.dumps(base))
    cfg["run"] = {**cfg.get("run", {}), "name": name, "output_dir": str(work / "outputs")}
    cfg["embed"] = {**cfg.get("embed", {}), "cache_dir": str(work / "cache")}
    cfg["review"] = {"dir": str(work / "reviews")}
    cfg["cluster"] = {**cfg.get("cluster", {}), **cluster}
    work.mkdir(parents=True, exist_ok=True)
    path = work / f"{file or name}.yaml"
    path.write_text(yaml.safe_dump(cfg, sort_keys=False))
    return path


def bench(label: str, base: dict[str, object], work: Path, stages: list[str] | None = None) -> dict[str, object]:
    """Cold run, forward-pass time and warm rerun with a changed clustering parameter."""
    cli = [str(Path(sys.executable).with_name("consolidate")), "run"]
    cold_cfg = write_config(base, work, label, {})
    cold = measure([*cli, str(cold_cfg)])
    run_dir = work / "outputs" / label
    cold_manifest = json.loads((run_dir / "manifest.json").read_text())
    forward = forward_time(run_dir / "03_embed" / "statements.parquet")
    warm_cfg = write_config(base, work, label, {"min_cluster_size": 6}, file=f"{label}-warm")
    runs, manifests = [], []
    for i in range(WARM_RUNS):  # alternate the two settings: every rerun changes a clustering parameter
        runs.append(measure([*cli, str(warm_cfg if i % 2 == 0 else cold_cfg)]))
        manifests.append(json.loads((run_dir / "manifest.json").read_text()))
    manifest = manifests[0]
    warm = {"wall_s": statistics.median(r["wall_s"] for r in runs), "peak_mb": max(r["peak_mb"] for r in runs)}
    return {
        "dataset": label,
        "statements": forward["texts"],
        "cold_wall_s": round(cold["wall_s"], 2),
        "cold_peak_mb": round(cold["peak_mb"]),
        "forward_s": round(forward["forward_s"], 2),
        "cold_over_forward": round(cold["wall_s"] / forward["forward_s"], 2),
        "cold_stage_s": {k: v.get("seconds") for k, v in cold_manifest["stages"].items()},
        "warm_wall_s": round(warm["wall_s"], 2),
        "warm_runs_s": [round(r["wall_s"], 2) for r in runs],
        "warm_peak_mb": round(warm["peak_mb"]),
        "warm_torch_imported": any(m.get("torch_imported") for m in manifests),
        "warm_embed_skipped": all(m["stages"]["embed"].get("skipped") for m in manifests),
        "warm_stage_s": {k: v.get("seconds") for k, v in manifest["stages"].items()},
    }


def large_question(work: Path, n: int = 20000) -> dict[str, object] | None:
    """A generic CSV with one open question of n answers from the shared data, and its config."""
    nhs = SHARED / "nhs_fft_phase1" / "text_data_trustBC.csv"
    so = SHARED / "short_text" / "stackoverflow" / "StackOverflow.txt"
    if not (nhs.is_file() and so.is_file()):
        return None
    import pandas as pd

    texts = pd.read_csv(nhs)["feedback"].dropna().astype(str).tolist()
    texts += so.read_text(encoding="utf-8", errors="replace").splitlines()
    frame = pd.DataFrame({"id": range(1, n + 1), "answer": [t.strip() or "-" for t in texts[:n]]})
    path = work / "large.csv"
    frame.to_csv(path, index=False)
    return {
        "input": {"path": str(path), "format": "generic", "id_column": "id"},
        "questions": [{"column": "answer", "id": "large", "kind": "open", "text": "Large open question"}],
        "report": {"formats": ["md"]},
    }


def main() -> None:
    """Run the benchmarks and write the figures."""
    parser = argparse.ArgumentParser()
    parser.add_argument("--skip-large", action="store_true")
    parser.add_argument("--out", type=Path, default=REPO / "benchmarks" / "results.json")
    args = parser.parse_args()
    sample = yaml.safe_load((REPO / "configs" / "sample.yaml").read_text())
    sample["input"]["path"] = str((REPO / "configs" / sample["input"]["path"]).resolve())
    results = []
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        results.append(bench("sample", sample, work / "sample"))
        print(json.dumps(results[-1]))
        large = None if args.skip_large else large_question(work)
        if large is not None:
            results.append(bench("large20k", large, work / "large"))
            print(json.dumps(results[-1]))
        shutil.rmtree(work, ignore_errors=True)
    report = {"date": time.strftime("%Y-%m-%d"), "machine": platform.platform(), "results": results}
    args.out.write_text(json.dumps(report, indent=2) + "\n")
    print(f"wrote {args.out}")


if __name__ == "__main__":
    main()
