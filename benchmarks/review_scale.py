"""Issue 21: the review page at 10,000+ statements in one question (page bytes, edit and search server time).

Builds the shipped sample's run (tfidf embedder), then adds to it a synthetic open question `big` of N statements
(default 10,500 from 7,700 respondents, 42 findings, a third not grouped) with its generated sidecar and review copy,
the way the draft stage writes them: the cheapest run of that size, and the same one the browser test uses. Then,
in-process (Starlette TestClient, so the figures are server time without a browser), it measures:

- the bytes of the question page (target < 1.5 MB);
- the server time of edits (rename, accept, move 3 statements, take 2 out, choose a quote, merge / unmerge,
  summary), each made REPEATS times after the page was loaded, applied and answered with the parts of the page it
  changed (target < 300 ms);
- the server time of searches (text, response id, language, finding, not grouped) (target < 300 ms).

Usage: python benchmarks/review_scale.py [--statements 10500] [--out outputs/dev/review_scale.json]
"""

from __future__ import annotations

import argparse
import json
import statistics
import tempfile
import time
from pathlib import Path
from typing import Any

import pandas as pd

from pipeline.artifacts import RunPaths, review_copy, write_atomic
from pipeline.config import load_config
from pipeline.stages.review import reconcile
from pipeline.stages.shared.sidecar import Finding, QuestionDraft, Quote
from pipeline.steps.review import dump_draft, write_draft

QUESTION = "big"
REPEATS = 5  # each edit kind is made this many times after the page was loaded; median and slowest reported
WORDS = (
    "parking bus fares cycle lanes trains noise trees housing rents schools doctors waiting lists libraries "
    "parks litter lighting safety police shops markets jobs wages youth clubs elderly care broadband water "
    "flooding energy bills recycling roads potholes pavements trams taxis airport tourism museums sport pools"
).split()
LANGUAGES = ("en", "en", "en", "fr", "es")


def _text(i: int, topic: int) -> str:
    a, b, c = WORDS[topic % len(WORDS)], WORDS[(topic * 7 + i) % len(WORDS)], WORDS[(i * 13) % len(WORDS)]
    return f"Statement {i}: more {a} and better {b}, because {c} matters to people here (point {i % 97})."


def add_big_question(config: Path, statements: int = 10_500, findings: int = 42) -> str:
    """Add a synthetic open question of `statements` statements to the (already run) run of `config`.

    Returns the question id. Statement ids are `<respondent>:big:<n>` with respondents numbered from 1 (so that
    sorting as text and as numbers differ); two thirds of the statements form `findings` findings, the rest are
    not grouped.
    """
    cfg = load_config(config)
    paths = RunPaths(cfg.run_dir)
    people = max(1, statements * 11 // 15)
    rows = []
    for i in range(statements):
        respondent = str(1 + i % people)
        n = 1 + i // people
        rows.append(
            {
                "statement_id": f"{respondent}:{QUESTION}:{n}",
                "respondent_id": respondent,
                "question_id": QUESTION,
                "text": _text(i, i % (findings * 3 // 2)),
                "language": LANGUAGES[i % len(LANGUAGES)],
            }
        )
    new = pd.DataFrame(rows)
    table = pd.read_parquet(paths.statements)
    table = table[table["question_id"] != QUESTION]
    for column in table.columns:
        if column not in new:
            new[column] = "" if table[column].dtype == object or str(table[column].dtype) == "str" else 0
    write_atomic_table = pd.concat([table, new[table.columns]], ignore_index=True)
    write_atomic_table.to_parquet(paths.statements, index=False)
    grouped: dict[int, list[dict[str, str]]] = {}
    rest: list[str] = []
    for i, row in enumerate(rows):
        topic = i % (findings * 3 // 2)  # a third of the statements join no finding
        if topic >= findings:
            rest.append(row["statement_id"])
        else:
            grouped.setdefault(topic, []).append(row)
    found = []
    for topic, members in sorted(grouped.items()):
        ids = [m["statement_id"] for m in members]
        quotes = [Quote(response_id=m["respondent_id"], text=m["text"], language=m["language"]) for m in members[:3]]
        found.append(
            Finding(
                id=f"{QUESTION}-{topic:06x}",
                title=f"More {WORDS[topic % len(WORDS)]} ({topic})",
                summary=members[0]["text"],
                members=sorted(ids),
                n_respondents=len({m["respondent_id"] for m in members}),
                cohesion=0.6,
                quotes=quotes,
            )
        )
    found.sort(key=lambda f: (-f.n_respondents, f.id))
    found = [f.model_copy(update={"rank": r}) for r, f in enumerate(found, start=1)]
    draft = QuestionDraft(
        question_id=QUESTION,
        question_text="What would make the city better? (synthetic, issue 21)",
        answered=people,
        non_answers=0,
        not_grouped=0,
        top_n=5,
        findings=found,
        not_grouped_members=sorted(rest),
    )
    copy = review_copy(cfg, QUESTION)
    draft = draft.model_copy(update={"edit_file": str(copy)})
    write_draft(paths.draft_yaml(QUESTION), draft)
    reviewed = reconcile(None, draft).draft
    write_atomic(copy, dump_draft(reviewed))
    return QUESTION


def _timed(action: Any, runs: int = 1) -> tuple[Any, float]:
    started = time.perf_counter()
    out = None
    for _ in range(runs):
        out = action()
    return out, (time.perf_counter() - started) / runs * 1000


def measure(config: Path) -> dict[str, Any]:
    """Page bytes, edit and search server times (ms) on question `big` of the run of `config`."""
    from starlette.testclient import TestClient

    from pipeline.review_web.app import Guard, create_app
    from pipeline.review_web.store import ReviewStore

    guard = Guard("tok", "csrf", frozenset({"testserver"}))
    client = TestClient(create_app(ReviewStore(config), guard))
    headers = {"X-CSRF-Token": "csrf"}
    page, first_ms = _timed(lambda: client.get(f"/tok/q/{QUESTION}"))
    _, page_ms = _timed(lambda: client.get(f"/tok/q/{QUESTION}"), 3)
    version = page.text.split('data-version="', 1)[1].split('"', 1)[0]
    draft = load_config(config)
    copy = review_copy(draft, QUESTION)
    from pipeline.steps.review import read_draft

    reviewed = read_draft(copy)
    f1, f2 = reviewed.findings[0], reviewed.findings[1]
    source = reviewed.findings[3].members
    edits: dict[str, Any] = {
        "rename": lambda i: {"kind": "title", "finding": f1.id, "text": f"Renamed at scale {i}"},
        "accept": lambda i: {"kind": "status", "finding": f2.id, "text": ("accepted", "draft")[i % 2]},
        "move 3 statements": lambda i: {"kind": "pin", "finding": f1.id, "statements": source[3 * i : 3 * i + 3]},
        "take 2 out (not grouped)": lambda i: {"kind": "exclude", "statements": source[40 + 2 * i : 42 + 2 * i]},
        "choose a quote": lambda i: {"kind": "quote", "finding": f1.id, "statements": [f1.members[-1 - i]]},
        "merge": lambda i: {"kind": "merge" if i % 2 == 0 else "unmerge", "finding": f2.id, "target": f1.id},
        "summary": lambda i: {"kind": "summary", "finding": f2.id, "text": f"A summary written at scale {i}."},
    }
    edit_ms: dict[str, float] = {}
    edit_max: dict[str, float] = {}
    for name, make in edits.items():
        times = []
        for i in range(REPEATS):
            body = {"version": version, "edit": make(i)}
            post = lambda body=body: client.post(f"/tok/api/q/{QUESTION}/edit", json=body, headers=headers)  # noqa: E731
            response, ms = _timed(post)
            assert response.status_code == 200, response.text
            version = response.json()["version"]
            times.append(ms)
        edit_ms[name] = round(statistics.median(times), 1)
        edit_max[name] = round(max(times), 1)
    some = reviewed.not_grouped_members[5]
    searches = {
        "text": "q=bus+fares",
        "response id": f"q={some.split(':')[0]}",
        "language fr": "lang=fr",
        "finding": f"finding={f2.id}",
        "not grouped + text": "finding=-&q=parking",
        "page 40 of all": "page=40",
    }
    search_ms: dict[str, float] = {}
    for name, query in searches.items():
        response, ms = _timed(lambda query=query: client.get(f"/tok/q/{QUESTION}/statements?{query}"), 3)
        assert response.status_code == 200, response.text
        search_ms[name] = round(ms, 1)
    n = len(reviewed.not_grouped_members) + sum(len(f.members) for f in reviewed.findings)
    return {
        "statements": n,
        "findings": len(reviewed.findings),
        "page_bytes": len(page.content),
        "page_ms_first": round(first_ms, 1),
        "page_ms": round(page_ms, 1),
        "edit_ms_median": edit_ms,
        "edit_ms_slowest": edit_max,
        "edit_ms_max": max(edit_max.values()),
        "search_ms": search_ms,
        "search_ms_max": max(search_ms.values()),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--statements", type=int, default=10_500)
    parser.add_argument("--out", type=Path, default=Path("outputs/dev/review_scale.json"))
    args = parser.parse_args()
    from pipeline.runner import run_stages
    from tests.test_review_e2e import write_config

    with tempfile.TemporaryDirectory() as tmp:
        config = write_config(Path(tmp), "sample")
        run_stages(load_config(config))
        add_big_question(config, args.statements)
        result = measure(config)
    result["targets"] = {"page_bytes": 1_500_000, "edit_ms": 300, "search_ms": 300}
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(result, indent=2) + "\n", encoding="utf-8")
    print(json.dumps(result, indent=2))


if __name__ == "__main__":
    main()
