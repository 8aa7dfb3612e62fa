"""Model-written titles on WWCO beside the extractive ones: cosine to the gold titles and publishable.py's proxies.

Needs a real OpenAI-compatible endpoint (a llama.cpp server, Ollama, vLLM, Azure OpenAI) named by environment
variables; without one it says so and exits 0 (nothing is measured):

    CONSOLIDATE_WRITER_URL=http://127.0.0.1:8080/v1 CONSOLIDATE_WRITER_MODEL=qwen2.5-3b-instruct \
        python benchmarks/writer.py [--out outputs/bench_writer]

`CONSOLIDATE_WRITER_KEY_ENV` names the variable holding an API key (Azure, OpenAI). The WWCO export
(`../shared/data/consultation_wwco`) is run twice from the same `consolidate init` config, once extractive and once
with `writer.backend: openai` (same clusters: same seed); each top-5 title is set beside the gold theme most of its
answers carry (`themes.md`) with their cosine (bundled all-MiniLM-L6-v2, as publishable.py computes it), and
`../shared/tools/publishable.py` counts what keeps each run's top 5 from being published. Writes `<out>/writer.json`
and prints a Markdown table to read the titles side by side.
"""

from __future__ import annotations

import argparse
import json
import os
import runpy
import sys
from pathlib import Path
from typing import Any

import yaml
from publishable_runs import DATA, REPO, SHARED, consolidate, wwco_scores

PROXIES = ("one_word", "incoherent", "quotes_off", "non_answer", "reference", "url", "over35", "repeated")


def endpoint() -> dict[str, Any] | None:
    """The writer section from the environment, or None when no endpoint is configured."""
    url, model = os.environ.get("CONSOLIDATE_WRITER_URL"), os.environ.get("CONSOLIDATE_WRITER_MODEL")
    if not url or not model:
        return None
    section: dict[str, Any] = {"backend": "openai", "base_url": url, "model": model, "timeout_s": 120}
    if os.environ.get("CONSOLIDATE_WRITER_KEY_ENV"):
        section["api_key_env"] = os.environ["CONSOLIDATE_WRITER_KEY_ENV"]
    return section


def configs(out: Path, writer: dict[str, Any]) -> dict[str, Path]:
    """`consolidate init` on WWCO once, then an extractive and a writer config from it (own run and review folders)."""
    drafted = out / "init.yaml"
    out.mkdir(parents=True, exist_ok=True)
    consolidate("init", str(DATA / "consultation_wwco" / "export.xlsx"), "--out", str(drafted), "--force")
    base = yaml.safe_load(drafted.read_text(encoding="utf-8"))
    base["input"]["path"] = str((DATA / "consultation_wwco" / "export.xlsx").resolve())
    base["embed"] = {**base.get("embed", {}), "cache_dir": str(REPO / "outputs" / ".cache")}
    paths: dict[str, Path] = {}
    for name, extra in (("extractive", {}), ("writer", {"writer": writer})):
        data = {**base, **extra, "run": {**base.get("run", {}), "name": "wwco", "output_dir": str(out / name)}}
        data["review"] = {"dir": str(out / name / "reviews")}
        paths[name] = out / f"{name}.yaml"
        paths[name].write_text(yaml.safe_dump(data, sort_keys=False, allow_unicode=True), encoding="utf-8")
    return paths


def side_by_side(runs: dict[str, dict[str, Any]]) -> list[str]:
    """A Markdown table: per top-5 finding, the gold title, the extractive and the model title, their cosines."""
    lines = ["| question | gold | extractive | cos | model | cos |", "|---|---|---|---:|---|---:|"]
    model = {(t["question"], t["rank"]): t for t in runs["writer"]["gold"]["titles"]}
    for t in runs["extractive"]["gold"]["titles"]:
        m = model.get((t["question"], t["rank"]), {})
        cells = [t["question"][:40], t["gold"], t["title"], t["cosine"], m.get("title", ""), m.get("cosine", "")]
        lines.append("| " + " | ".join(str(c) for c in cells) + " |")
    return lines


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--out", default=str(REPO / "outputs" / "bench_writer"))
    args = parser.parse_args()
    writer = endpoint()
    if writer is None:
        print("No language model endpoint configured (set CONSOLIDATE_WRITER_URL and CONSOLIDATE_WRITER_MODEL):")
        print("nothing measured. See the README, 'Model-written titles (optional)'.")
        return
    if not DATA.is_dir():
        raise SystemExit(f"{DATA} is absent: this benchmark needs the shared development data.")
    out = Path(args.out).resolve()
    publishable = runpy.run_path(str(SHARED / "tools" / "publishable.py"))
    runs: dict[str, dict[str, Any]] = {}
    for name, config in configs(out, writer).items():
        consolidate("run", str(config), "--force")
        run = out / name / "wwco"
        stats = publishable["run_stats"](str(run))
        manifest = json.loads((run / "manifest.json").read_text(encoding="utf-8"))
        runs[name] = {**stats, "gold": wwco_scores(run, publishable["cosine"]), "writer": manifest.get("writer")}
    (out / "writer.json").write_text(json.dumps(runs, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
    print("\n".join(side_by_side(runs)))
    for name, found in runs.items():
        proxies = {k: found.get(k, 0) for k in PROXIES}
        print(f"{name}: title cosine {found['gold']['title_cosine']}, publishable proxies {proxies}")
    print("writer:", json.dumps(runs["writer"]["writer"]))


if __name__ == "__main__":
    sys.exit(main())
