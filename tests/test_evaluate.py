"""Evaluation metrics against hand-computed values, assignments from drafts, and `consolidate evaluate`."""

from __future__ import annotations

import json
import math
from pathlib import Path

import pandas as pd
import pytest
from typer.testing import CliRunner

from pipeline.cli import app
from pipeline.detect.noise import NoiseRules
from pipeline.detect.values import non_answer_keys
from pipeline.errors import InputError
from pipeline.evaluate import (
    ASSIGNMENT_COLUMNS,
    METRICS,
    GoldQuestion,
    average,
    draft_assignments,
    gold_questions,
    hungarian_accuracy,
    label_assignments,
    label_counts,
    partition_scores,
    pipeline_tables,
    question_ids,
    score,
    top_scores,
)
from pipeline.stages.shared.sidecar import Finding, QuestionDraft
from tests.conftest import THEMES


def assigned(rows: list[tuple[str, int]], question: str = "q") -> pd.DataFrame:
    return pd.DataFrame([(question, i, f) for i, f in rows], columns=ASSIGNMENT_COLUMNS)


def gold(labels: dict[str, str], question: str = "q") -> GoldQuestion:
    ids = list(labels)
    parsed = {i: frozenset(x for x in labels[i].split("|") if x) for i in ids}
    return GoldQuestion(question, ids, [f"text {i}" for i in ids], parsed)


# Multi-label case: counts A:3 (a, b, d), B:2 (b, c), C:1 (e); f has no label. F1 = {a, b, c}, F2 = {b, e, f}.
MULTI = gold({"a": "A", "b": "A|B", "c": "B", "d": "A", "e": "C", "f": ""})
MULTI_ROWS = [("a", 1), ("b", 1), ("b", 2), ("c", 1), ("d", -1), ("e", 2), ("f", 2)]


def test_coverage_counts_main_findings_only() -> None:
    metrics = score(assigned(MULTI_ROWS), MULTI)
    assert metrics["coverage"] == pytest.approx(5 / 6)  # only d is not grouped


def test_partition_scores_hand_computed() -> None:
    # contingency x:{1:2}, y:{1:1, 2:1}: ARI = (1 - 1) / (2.5 - 1) = 0;
    # MI = .5 ln(4/3) + .25 ln(2/3) + .25 ln 2; NMI = MI / mean(H(gold) = ln 2, H(pred) = H(.75, .25)).
    scores = partition_scores(["x", "x", "y", "y"], [1, 1, 1, 2])
    mi = 0.5 * math.log(4 / 3) + 0.25 * math.log(2 / 3) + 0.25 * math.log(2)
    h_pred = -(0.75 * math.log(0.75) + 0.25 * math.log(0.25))
    assert scores["ari"] == pytest.approx(0.0, abs=1e-12)
    assert scores["nmi"] == pytest.approx(mi / ((math.log(2) + h_pred) / 2))
    assert scores["v_measure"] == pytest.approx(scores["nmi"])


def test_noise_is_one_cluster_in_partition_scores() -> None:
    assert partition_scores(["x", "x", "y", "y"], [-1, -1, 3, 3])["nmi"] == pytest.approx(1.0)
    assert partition_scores(["x", "x", "y", "y"], [-1, -1, -1, -1])["ari"] == pytest.approx(0.0)
    assert partition_scores([], [])["nmi"] is None


def test_hungarian_accuracy_counts_noise_and_surplus_clusters_as_wrong() -> None:
    # x->1 (2), y->2 (1), z->3 (1): 4 of 6; the -1 answer is wrong.
    assert hungarian_accuracy(["x", "x", "x", "y", "y", "z"], [1, 1, 2, 2, -1, 3]) == pytest.approx(4 / 6)
    # two clusters for x: only one can be matched.
    assert hungarian_accuracy(["x", "x", "y", "y"], [1, 2, 3, 3]) == pytest.approx(3 / 4)
    assert hungarian_accuracy(["x", "x"], [-1, -1]) == 0.0


def test_top5_metrics_multi_label_hand_computed() -> None:
    found = [{"a", "b", "c"}, {"b", "e", "f"}]
    metrics = top_scores(found, MULTI.labels)
    # P(F1,A) = P(F1,B) = 2/3 >= .5 -> A and B recalled; C's best P is 1/3.
    assert metrics["top5_recall"] == pytest.approx(2 / 3)
    # best P: F1 2/3, F2 1/3.
    assert metrics["top5_purity"] == pytest.approx(0.5)
    # F1 scores: F1 [2/3, .8, 0], F2 [1/3, .4, .5]; best matching F1-B + F2-C = 1.3, over max(2, 3).
    assert metrics["top5_f1"] == pytest.approx(1.3 / 3)


def test_score_of_multi_label_question() -> None:
    metrics = score(assigned(MULTI_ROWS), MULTI)
    assert set(metrics) == set(METRICS)
    assert metrics["acc"] is None  # b has two labels, f none
    assert metrics["top5_f1"] == pytest.approx(1.3 / 3)
    # single-label answers a, c, d, e: gold A B A C vs main 1 1 -1 2.
    assert metrics["nmi"] == pytest.approx(partition_scores(["A", "B", "A", "C"], [1, 1, -1, 2])["nmi"])


def test_perfect_single_label_question_scores_one() -> None:
    g = gold({"a": "X", "b": "X", "c": "Y", "d": "Y"})
    metrics = score(assigned([("a", 1), ("b", 1), ("c", 2), ("d", 2)]), g)
    assert all(metrics[m] == pytest.approx(1.0) for m in METRICS)


def test_no_findings_gives_zero_top5_and_undefined_acc_base() -> None:
    g = gold({"a": "X", "b": "Y"})
    metrics = score(assigned([("a", -1), ("b", -1)]), g)
    assert metrics["coverage"] == 0.0 and metrics["acc"] == 0.0
    assert metrics["top5_recall"] == 0.0 and metrics["top5_purity"] == 0.0 and metrics["top5_f1"] == 0.0


def test_targets_ranked_by_count_then_name_and_cut_at_five() -> None:
    labels = {str(i): frozenset({label}) for i, label in enumerate("ggffeeddcba")}
    assert list(label_counts(labels))[:5] == ["d", "e", "f", "g", "a"]
    only_small = [{"10"}]  # one finding holding the answer labelled a (T5)
    assert top_scores(only_small, labels)["top5_recall"] == pytest.approx(1 / 5)


def test_average_skips_undefined_values() -> None:
    both = {"q1": dict.fromkeys(METRICS, 1.0), "q2": {**dict.fromkeys(METRICS, 0.0), "acc": None}}
    mean = average(both)
    assert mean["coverage"] == 0.5 and mean["acc"] == 1.0


def test_draft_assignments_main_finding_first() -> None:
    statements = pd.DataFrame(
        {
            "statement_id": ["R1:q:1", "R1:q:2", "R1:q:3", "R2:q:1", "R2:q:2", "R3:q:1"],
            "respondent_id": ["R1", "R1", "R1", "R2", "R2", "R3"],
        }
    )

    def finding(rank: int, members: list[str]) -> Finding:
        return Finding(id=f"f{rank}", rank=rank, title="t", summary="s", n_respondents=1, pct=1.0, cohesion=1.0,
                       members=members)  # fmt: skip

    draft = QuestionDraft(
        question_id="q",
        question_text="Q?",
        answered=3,
        non_answers=0,
        not_grouped=1,
        top_n=5,
        findings=[finding(1, ["R1:q:2", "R2:q:2"]), finding(2, ["R1:q:1", "R1:q:3"]), finding(3, ["R2:q:1"])],
    )
    rows = draft_assignments("Q", ["R1", "R2", "R3"], statements, draft)
    assert list(rows.itertuples(index=False, name=None)) == [
        ("Q", "R1", 2),  # two statements in finding 2
        ("Q", "R1", 1),
        ("Q", "R2", 1),  # one statement each: the better rank first
        ("Q", "R2", 3),
        ("Q", "R3", -1),
    ]


def test_label_assignments_rank_clusters_by_size() -> None:
    rows = label_assignments("q", ["a", "b", "c", "d", "e"], [7, 3, 3, -1, 7])
    assert rows["finding"].tolist() == [1, 2, 2, -1, 1]  # 7 and 3 have two answers each: 7 comes first


def test_gold_validation_reports_all_missing_columns_and_duplicates() -> None:
    with pytest.raises(InputError, match=r"\['text', 'labels'\]"):
        gold_questions(pd.DataFrame({"id": ["1"]}))
    with pytest.raises(InputError, match="duplicate ids"):
        gold_questions(pd.DataFrame({"id": ["1", "1"], "text": ["a", "b"], "labels": ["", ""]}))


def test_question_ids_keep_valid_names_only() -> None:
    assert question_ids(["Trust B - Q1", "q1", "Q2"]) == ["q1_", "q1", "Q2"]


def write_gold(path: Path) -> None:
    rows = []
    for question in ("Trust B - Q1", "second"):
        for theme, variants in THEMES.items():
            for k in range(8):
                text = f"{variants[k % len(variants)].capitalize()} {theme} number {k}."
                rows.append({"question": question, "id": f"{theme[:2]}{k}", "text": text, "labels": theme})
    rows.append({"question": "second", "id": "blank", "text": "", "labels": ""})
    pd.DataFrame(rows).to_csv(path, index=False, encoding="utf-8-sig")  # as Excel saves "CSV UTF-8"


def test_cli_evaluate_writes_assignments_and_metrics(tmp_path: Path) -> None:
    write_gold(tmp_path / "gold.csv")
    config = tmp_path / "tfidf.yaml"
    config.write_text("input: {path: gold.csv}\nembed: {backend: tfidf}\n", encoding="utf-8")
    out = tmp_path / "eval"
    result = CliRunner().invoke(
        app, ["evaluate", str(tmp_path / "gold.csv"), "--config", str(config), "--out", str(out)]
    )
    assert result.exit_code == 0, result.output
    assignments = pd.read_csv(out / "assignments.csv", dtype={"id": str})
    assert list(assignments.columns) == ["question", "id", "finding"]
    assert set(assignments["question"]) == {"Trust B - Q1", "second"}
    assert assignments.loc[assignments["id"] == "blank", "finding"].tolist() == [-1]
    metrics = json.loads((out / "metrics.json").read_text(encoding="utf-8"))
    assert set(metrics["questions"]) == {"Trust B - Q1", "second"}
    assert metrics["answers"] == {"Trust B - Q1": 24, "second": 25}
    assert metrics["mean"]["coverage"] > 0.5 and metrics["mean"]["nmi"] > 0.5
    assert "| **mean** |" in (out / "metrics.md").read_text(encoding="utf-8")


def test_cli_evaluate_bad_gold_is_one_line_error(tmp_path: Path) -> None:
    (tmp_path / "gold.csv").write_text("id,text\n1,hello\n", encoding="utf-8")
    result = CliRunner().invoke(app, ["evaluate", str(tmp_path / "gold.csv"), "--out", str(tmp_path / "o")])
    assert result.exit_code == 1
    assert "lacks column(s) ['labels']" in result.output


def test_evaluate_groups_answers_exactly_like_run(tmp_path: Path) -> None:
    from pipeline.artifacts import RunPaths
    from pipeline.config import load_config
    from pipeline.evaluate import embedders, read_gold, run_evaluation
    from pipeline.runner import run_stages

    answers = [
        f"{v.capitalize()} {theme} {k}. Also {theme}!" for theme, vs in THEMES.items() for k, v in enumerate(vs * 3)
    ]
    letter = (
        "Dear Secretariat, we the undersigned ask you to stop selling commercial services to private companies "
        "and to keep the data free and open for every country. Signed, {}."
    )
    answers += [letter.format(name) for name in ("Ana", "Bo", "Chen", "Dita", "Emil", "Fay")]  # a campaign
    answers += ["No comment", "n/a", "-", "???"]  # non-answers: in no finding, whichever command runs
    ids = [f"R{i}" for i in range(len(answers))]
    pd.DataFrame({"id": ids, "weak": answers}).to_csv(tmp_path / "export.csv", index=False)
    pd.DataFrame({"id": ids, "text": answers, "labels": ""}).to_csv(tmp_path / "gold.csv", index=False)
    config = tmp_path / "t.yaml"
    config.write_text(
        "input: {path: export.csv, format: generic, id_column: id}\n"
        "questions: [{column: id, id: id, kind: ignore}, {column: weak, id: weak, kind: open}]\n"
        "embed: {backend: tfidf}\nrun: {output_dir: out}\n",
        encoding="utf-8",
    )
    cfg = load_config(config)
    run_stages(cfg, ["ingest", "embed", "cluster", "findings"])
    found = json.loads(RunPaths(cfg.run_dir).findings.read_text(encoding="utf-8"))["weak"]
    by_run = {(m.split(":")[0], f["rank"]) for f in found["findings"] for m in f["members"]}
    assignments, _ = run_evaluation(read_gold(tmp_path / "gold.csv"), cfg, embedders(cfg))
    by_evaluate = {(r.id, r.finding) for r in assignments.itertuples() if r.finding != -1}
    assert by_run and by_evaluate == by_run
    campaign = [f for f in found["findings"] if f["campaign"]]  # set apart by both: ranked after every finding
    assert len(campaign) == 1 and {m.split(":")[0] for m in campaign[0]["members"]} == set(ids[-10:-4])
    assert campaign[0]["rank"] == len(found["findings"])
    assert assignments.set_index("id").loc[ids[-4:], "finding"].tolist() == [-1] * 4


def test_pipeline_tables_give_statuses_as_ingest_does() -> None:
    gold = GoldQuestion("q", ["1", "2", "3", "4", "5"], ["Too slow.", "", "  No. ", "--", "Nope, nothing"], {})
    _, answers = pipeline_tables([gold], NoiseRules.build(non_answer_keys(["no", "n/a"])))
    assert answers["status"].tolist() == ["answer", "blank", "non_answer", "non_answer", "non_answer"]
    assert answers["noise"].tolist() == ["", "", "non_answer", "non_answer", "non_answer"]
