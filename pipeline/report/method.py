"""The Method section (how closed and open answers were processed) and the annex of per-question counts."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import pandas as pd

from pipeline.config import PipelineConfig
from pipeline.labels import NON_SUBSTANTIVE
from pipeline.report.model import Block, BulletList, Section, Table, clean_text, para, plural, text
from pipeline.report.open_sections import LoadedDraft, shown_findings
from pipeline.stages.closed_model import ClosedResult, format_threshold

ANNEX_KINDS = ("open", "likert", "single", "multi", "attachment")


def method_section(
    cfg: PipelineConfig, drafts: Mapping[str, LoadedDraft], open_ids: Sequence[str], embed_facts: Mapping[str, Any]
) -> Section:
    """How the results were produced: closed statistics, open-answer consolidation and finding counts.

    Checksums and model identities are left to the provenance annex, so the method reads as prose.
    """
    blocks: list[Block] = [
        para(text("Closed questions. ", bold=True), _closed_method(cfg)),
        para(text("Open questions. ", bold=True), _open_method(cfg, embed_facts)),
        para(_finding_counts(drafts, open_ids)),
    ]
    return Section(title="Method", level=2, anchor="method", blocks=tuple(blocks))


def provenance_section(cfg: PipelineConfig, embed_facts: Mapping[str, Any], manifest: Mapping[str, Any]) -> Section:
    """Annex: the model identity, input checksum and version that make the run reproducible."""
    items = tuple(para(f) for f in _provenance(cfg, embed_facts, manifest))
    return Section(title="Annex: provenance", level=2, anchor="provenance", blocks=(BulletList(items=items),))


def model_name(cfg: PipelineConfig, embed_facts: Mapping[str, Any], identity: bool = True) -> str:
    """The embedding model the embed stage reports (name, backend; its hashes with `identity`), else the configured."""
    model = embed_facts.get("model")
    if not isinstance(model, Mapping):
        return str(model) if model else f"{cfg.embed.model} ({cfg.embed.backend}, as configured)"
    name = str(model.get("name") or cfg.embed.model)
    if model.get("backend") == "tfidf":
        name = "TF-IDF + SVD"
    ids = model.get("ids")
    details = [str(model["backend"])] if model.get("backend") else []
    if identity and isinstance(ids, list) and ids:
        details.append("identity " + ", ".join(str(i) for i in ids))
    return f"{name} ({'; '.join(details)})" if details else name


def annex_section(
    questions: pd.DataFrame, counts: pd.DataFrame | None, drafts: Mapping[str, LoadedDraft], closed: ClosedResult
) -> Section:
    """One row per question: answers, non-answers, blanks and (open questions) answers not grouped."""
    by_id: dict[str, dict[str, Any]] = {}
    if counts is not None:
        by_id = {str(r["question_id"]): {str(k): v for k, v in r.items()} for r in counts.to_dict(orient="records")}
    rows: list[tuple[str, ...]] = []
    for q in questions.sort_values("position", kind="stable").to_dict(orient="records"):
        qid, kind = str(q["question_id"]), str(q["kind"])
        if kind in ANNEX_KINDS:
            rows.append((_short(str(q["text"])), kind, *_annex_counts(qid, kind, by_id.get(qid), drafts, closed), qid))
    table = Table(
        header=("Question", "Kind", "Answers", "Non-answers", "Blank", "Not grouped", "ID"),
        rows=tuple(rows),
        numeric=(2, 3, 4, 5),
        caption="Answers = respondents with a usable answer; not grouped = open answers that joined no finding.",
    )
    return Section(title="Annex: answers per question", level=2, anchor="annex", blocks=(table,))


def _annex_counts(
    qid: str, kind: str, row: Mapping[str, Any] | None, drafts: Mapping[str, LoadedDraft], closed: ClosedResult
) -> tuple[str, str, str, str]:
    loaded = drafts.get(qid)
    not_grouped = str(loaded.draft.not_grouped) if loaded else ("–" if kind != "open" else "no draft")
    if row is not None:
        return _num(row.get("answers")), _num(row.get("non_answers")), _num(row.get("blank")), not_grouped
    if loaded is not None:
        return str(loaded.draft.answered), str(loaded.draft.non_answers), "–", not_grouped
    if kind != "open":
        stats = closed.question(qid)
        return str(stats.answered), str(stats.na), str(stats.skipped), not_grouped
    return "–", "–", "–", not_grouped


def _closed_method(cfg: PipelineConfig) -> str:
    c = cfg.closed
    na = ", ".join(c.na_values) or "none"
    if c.na_values == list(NON_SUBSTANTIVE):
        na = '"No opinion", "Don\'t know", N/A and the like'
    base = "kept out of the base" if c.na_mode == "exclude" else "counted in the base"
    agree = " / ".join(c.agree) if c.agree else "the top two options of the scale (the top one on shorter scales)"
    return clean_text(
        f"Shares are of respondents who answered each question; non-substantive answers ({na}) are {base}, "
        'while "Other" counts as an answer. '
        f"Agreement is the share choosing {agree}, with {c.confidence * 100:g}% Wilson score intervals. "
        f"Statements with agreement above {format_threshold(c.threshold)} are listed under each chart. "
        "Per-question settings in the configuration may differ."
    )


def _open_method(cfg: PipelineConfig, embed_facts: Mapping[str, Any]) -> str:
    cl, st = cfg.cluster, cfg.statements
    split = {"none": "kept whole", "bullets": "split at bullets", "sentences": "split into sentences"}[st.split]
    reduce = "without dimension reduction"
    if cl.reduce != "none":
        dims = (
            "5 dimensions (10 from 1,000 statements)" if cl.n_components == "auto" else f"{cl.n_components} dimensions"
        )
        reduce = f"reduced with {cl.reduce.upper()} to {dims}"
    smooth = ""
    if cl.smooth_steps and cl.smooth_neighbors != 0:
        k = "up to 15" if cl.smooth_neighbors == "auto" else str(cl.smooth_neighbors)
        smooth = f", averaged over their {k} nearest neighbours ({cl.smooth_steps} rounds)"
    assign = ""
    if cl.assign_unclustered:
        assign = f" Answers not grouped were then assigned to the nearest finding at cosine ≥ {cl.assign_threshold:g}."
    if cl.nothing_replies:
        shown = ", ".join(f'"{reply}"' for reply in cl.nothing_replies[:3])
        assign += (
            f" Answers saying only {shown} or the like form one group of their own "
            "(reported when it reaches the minimum cluster size)."
        )
    return clean_text(
        f"Answers were {split}, embedded with the model {model_name(cfg, embed_facts, False)}{smooth}, {reduce} and "
        "grouped "
        f"with HDBSCAN (min_cluster_size {cl.min_cluster_size}, min_samples {cl.min_samples}, "
        f"selection {cl.cluster_selection_method}, epsilon {cl.cluster_selection_epsilon:g}; seed {cfg.run.seed})."
        f"{assign} Groups are ranked by the number of respondents; each question shows its top {cfg.findings.top_n}, "
        "with a drafted title and summary that reviewers edit, accept or reject. Rejected findings are left out; "
        "findings not yet reviewed are marked as drafts."
    )


def _finding_counts(drafts: Mapping[str, LoadedDraft], open_ids: Sequence[str]) -> str:
    found = [drafts[q] for q in open_ids if q in drafts]
    shown = [f for d in found for f in shown_findings(d.draft)]
    accepted = sum(f.status == "accepted" for f in shown)
    rejected = sum(f.status == "rejected" for d in found for f in d.draft.findings)
    reviewed = sum(d.source == "review" for d in found)
    return (
        f"{plural(len(open_ids), 'open question')}; findings drafts exist for {len(found)} "
        f"({reviewed} read from the review folder). {plural(len(shown), 'finding')} shown: "
        f"{accepted} accepted in review, {len(shown) - accepted} not yet reviewed; "
        f"{rejected} rejected in review and left out."
    )


def _provenance(cfg: PipelineConfig, embed_facts: Mapping[str, Any], manifest: Mapping[str, Any]) -> list[str]:
    facts = [f"Embedding model: {model_name(cfg, embed_facts)}"]
    if isinstance(embed_facts.get("statements"), int):
        facts.append(f"Statements embedded: {embed_facts['statements']}")
    sha = manifest.get("input", {}).get("sha256") if isinstance(manifest.get("input"), Mapping) else None
    if sha:
        facts.append(f"Input file SHA-256: {sha}")
    if manifest.get("consolidate"):
        facts.append(f"Consolidate version: {manifest['consolidate']}")
    if cfg.report.date:
        facts.append(f"Report date: {cfg.report.date}")
    return [clean_text(f) for f in facts]


def _num(value: Any) -> str:
    return "–" if value is None or pd.isna(value) else str(int(value))


def _short(question_text: str, limit: int = 90) -> str:
    flat = " ".join(question_text.split())
    return clean_text(flat if len(flat) <= limit else flat[: limit - 1].rstrip() + "…")
