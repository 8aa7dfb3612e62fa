"""`consolidate tune`: a small grid of clustering settings summarised per setting."""

from __future__ import annotations

import math
from pathlib import Path

import numpy as np
import pandas as pd
from typer.testing import CliRunner

from pipeline.cli import app
from pipeline.config import CampaignsConfig, ClusterConfig, FindingsConfig, StatementsConfig
from pipeline.stages.cluster import run_cluster
from pipeline.stages.embed import build_statements, run_embed
from pipeline.tune import cluster_grid, describe, format_rows, resolved_setting, stability, tune_question
from tests.conftest import THEMES, FakeEmbedder, make_open_answers


def test_grid_varies_size_around_current_and_both_methods() -> None:
    grid = cluster_grid(ClusterConfig(min_cluster_size=10), 1000)
    assert [describe(c, 1000) for c in grid[:5]] == [
        "eom size=5 samples=2", "eom size=8 samples=2", "eom size=10 samples=3",
        "eom size=15 samples=5", "eom size=20 samples=6",
    ]  # fmt: skip
    assert {c.cluster_selection_method for c in grid[5:]} == {"leaf"}


def test_tune_question_reports_each_setting() -> None:
    questions, answers = make_open_answers()
    statements = build_statements(answers, ["q_open"], lambda q: StatementsConfig())
    vectors = run_embed(statements, lambda q: FakeEmbedder())["q_open"].rows()
    tables = {"questions": questions, "answers": answers, "statements": statements}
    settings = cluster_grid(ClusterConfig(), len(statements))
    rows = tune_question(tables, vectors, settings, FindingsConfig(), seed=0)
    assert len(rows) == len(settings) and rows[0].current and not rows[1].current
    assert all(0.0 <= r.coverage <= 1.0 and len(r.titles) <= 5 and -1.0 <= r.stability <= 1.0 for r in rows)
    assert any(r.findings >= 3 for r in rows)
    assert "(current)" in format_rows(rows)[0] and "stability" in format_rows(rows)[0]


def test_tune_sets_campaigns_apart_as_run_does() -> None:
    questions, answers = make_open_answers()
    letter = (
        "Dear Secretariat, we the undersigned ask you to stop selling commercial services to private companies "
        "and to keep the data free and open for every country. Signed, {}."
    )
    copies = pd.DataFrame(
        {
            "respondent_id": [f"C{i}" for i in range(6)],
            "question_id": "q_open",
            "value": [letter.format(name) for name in ("Ana", "Bo", "Chen", "Dita", "Emil", "Fay")],
            "status": "answer",
            "source_row": range(100, 106),
        }
    )
    answers = pd.concat([answers, copies], ignore_index=True)
    statements = build_statements(answers, ["q_open"], lambda q: StatementsConfig())
    vectors = run_embed(statements, lambda q: FakeEmbedder())["q_open"].rows()
    tables = {"questions": questions, "answers": answers, "statements": statements}
    settings = [ClusterConfig()]
    kept_in = tune_question(tables, vectors, settings, FindingsConfig(), 0, with_stability=False)[0]
    apart = tune_question(tables, vectors, settings, FindingsConfig(), 0, False, CampaignsConfig())[0]
    assert kept_in.campaigns == 0 and apart.campaigns == 1
    assert apart.findings == kept_in.findings - 1  # the letter's theme is a campaign, no finding
    assert not any("undersigned" in t.lower() or "secretariat" in t.lower() for t in apart.titles)
    assert "1 campaign(s) apart" in format_rows([apart])[0]


def test_stability_is_high_for_separated_groups_and_low_for_noise() -> None:
    rng = np.random.default_rng(0)
    centres = np.eye(16)[:3] * 3
    separated = np.vstack([c + rng.normal(scale=0.1, size=(20, 16)) for c in centres])
    cloud = rng.normal(size=(60, 16))
    people = [f"R{i}" for i in range(60)]
    statements = pd.DataFrame(
        {
            "statement_id": [f"{p}:q:1" for p in people],
            "respondent_id": people,
            "question_id": "q",
            "text": [f"answer {p}" for p in people],
        }
    )
    setting = ClusterConfig(min_cluster_size=5)
    scores = []
    for vectors in (separated, cloud):
        labels = run_cluster(statements, {"q": vectors}, lambda q: setting, seed=0)["cluster"].to_numpy()
        scores.append(stability(statements, vectors, setting, labels, seed=0))
    assert scores[0] > 0.95 and scores[1] < scores[0] - 0.3
    assert math.isnan(stability(statements.head(3), separated[:3], setting, labels[:3], seed=0))


def test_stability_reclusters_subsets_with_the_auto_values_of_all_statements() -> None:
    fixed = resolved_setting(ClusterConfig(), 1100)
    assert (fixed.min_cluster_size, fixed.min_samples, fixed.n_components, fixed.smooth_neighbors) == (12, 4, 10, 12)
    assert resolved_setting(ClusterConfig(min_cluster_size=7, n_components=6), 1100).min_cluster_size == 7


def test_cli_tune_after_embed(tmp_path: Path) -> None:
    answers = [f"{v.capitalize()} {theme} {k}." for theme, vs in THEMES.items() for k, v in enumerate(vs * 3)]
    pd.DataFrame({"id": [f"R{i}" for i in range(len(answers))], "weak": answers}).to_csv(
        tmp_path / "export.csv", index=False
    )
    config = tmp_path / "t.yaml"
    config.write_text(
        "input: {path: export.csv, format: generic, id_column: id}\n"
        "questions: [{column: id, id: id, kind: ignore}, {column: weak, id: weak, kind: open}]\n"
        "embed: {backend: tfidf}\nrun: {output_dir: out}\n",
        encoding="utf-8",
    )
    runner = CliRunner()
    assert runner.invoke(app, ["tune", str(config), "--question", "weak"]).exit_code == 1  # not embedded yet
    for stage in ("ingest", "embed"):
        result = runner.invoke(app, [stage, str(config)])
        assert result.exit_code == 0, result.output
    result = runner.invoke(app, ["tune", str(config), "--question", "weak"])
    assert result.exit_code == 0, result.output
    assert "(current)" in result.output and "coverage" in result.output and "stability" in result.output
    quick = runner.invoke(app, ["tune", str(config), "--question", "weak", "--no-stability"])
    assert quick.exit_code == 0, quick.output
    assert "coverage" in quick.output and "stability" not in quick.output
