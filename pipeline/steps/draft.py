"""Draft step: findings.json -> Markdown drafts, sidecars, reconciled review copies, assignments, breakdowns.

`06_draft/breakdowns.csv` says who said each finding as reviewed (the report's figures).

Each question's review copy is reconciled with the new findings and saved (`pipeline.steps.review.save`: created
on the first run, never written over a reviewer's edit). Review copies that no question of the run reads although
they hold edits (a question or config renamed) are warnings (`pipeline.steps.review.orphans`). The Markdown draft
and the assignments table show the reconciled findings and depend only on the input, the config and the review
copy (never on run history); `06_draft/<question>.rerun.md` reports what the rerun matched, added, lost and could
not apply.
"""

from __future__ import annotations

from pipeline.artifacts import RunPaths, read_json, read_table, write_atomic, write_csv, write_xlsx
from pipeline.config import PipelineConfig
from pipeline.runner import StageReport
from pipeline.stages.draft import assignments, render_markdown
from pipeline.stages.findings import question_votes
from pipeline.stages.review import render_rerun
from pipeline.stages.shared.sidecar import QuestionDraft
from pipeline.stages.shared.units import question_units
from pipeline.steps.review import display_path, orphan_warnings, reconcile_and_save, write_draft
from pipeline.steps.who import read_who


def _language_facts(paths: RunPaths, question_id: str) -> tuple[dict[str, int], list[str]]:
    """Language counts of a question's answers (ingest) and the model notice and warning (embed), if recorded."""
    stamps = {stage: paths.stage_stamp(stage) for stage in ("ingest", "embed")}
    facts = {stage: read_json(path).get("facts", {}) if path.is_file() else {} for stage, path in stamps.items()}
    languages = facts["ingest"].get("languages", {}).get(question_id, {})
    choice = facts["embed"].get("questions", {}).get(question_id, {})
    return dict(languages), [str(choice[k]) for k in ("notice", "warning") if choice.get(k)]


def step(cfg: PipelineConfig, paths: RunPaths) -> StageReport:
    """Write drafts, sidecars, reconciled review copies, rerun reports and the assignments table."""
    data = read_json(paths.findings)
    ids = None if paths.votes.is_file() else ["statement_id", "respondent_id"]  # Polis votes read the statements
    statements = read_table(paths.statements, ids)
    respondent_of = dict(
        zip(statements["statement_id"].astype(str), statements["respondent_id"].astype(str), strict=True)
    )
    votes = question_votes(statements, read_table(paths.votes)) if paths.votes.is_file() else {}
    who = read_who(cfg, paths)
    units = question_units(read_table(paths.questions)) if paths.questions.is_file() else {}
    shown: list[QuestionDraft] = []
    facts: dict[str, dict[str, object]] = {}
    for qid, raw in data.items():
        generated = QuestionDraft.model_validate(raw)
        result, rewritten = reconcile_and_save(cfg, paths, generated)
        write_draft(paths.draft_yaml(qid), generated)
        write_atomic(paths.rerun_md(qid), render_rerun(result.report))
        languages, notes = _language_facts(paths, qid)
        said = who.said(result.draft)
        unit = units.get(qid, "respondent")
        markdown = render_markdown(
            result.draft, votes=votes.get(qid), languages=languages, notes=notes, who=said, unit=unit
        )
        write_atomic(paths.draft_md(qid), markdown)
        shown.append(result.draft)
        facts[qid] = {
            "review_copy_updated": rewritten,
            "new": len(result.report.new),
            "vanished": len(result.report.vanished),
            "changed": len(result.report.changed),
            "unapplied_edits": len(result.report.unapplied),
        }
    table = assignments(shown, respondent_of)
    write_csv(paths.assignments_csv, table)
    write_xlsx(paths.assignments_xlsx, table, "assignments")
    write_csv(paths.draft_breakdowns, who.table(shown))
    warnings = orphan_warnings(cfg, {d.question_id: d for d in shown}, lambda path: display_path(cfg, path))
    return StageReport(facts={"drafts": len(shown), "review": facts, "warnings": warnings})
