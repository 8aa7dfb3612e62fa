"""The Method section (how closed and open answers were processed) and the annex of per-question counts."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import pandas as pd

from pipeline.config import PipelineConfig
from pipeline.embedders import USE_NAME
from pipeline.labels import NON_SUBSTANTIVE
from pipeline.languages import format_counts
from pipeline.messages import Messages
from pipeline.stages.closed import ClosedResult, format_threshold
from pipeline.stages.report.model import Block, BulletList, Section, Table, clean_text, para, text
from pipeline.stages.report.open_sections import LoadedDraft, shown_findings

ANNEX_KINDS = ("open", "likert", "single", "multi", "attachment")


def method_section(
    cfg: PipelineConfig,
    drafts: Mapping[str, LoadedDraft],
    open_ids: Sequence[str],
    embed_facts: Mapping[str, Any],
    msgs: Messages | None = None,
    unusable: int = 0,
    comments: bool = False,
) -> Section:
    """How the results were produced: closed statistics, open-answer consolidation and finding counts.

    Checksums and model identities are left to the provenance annex, so the method reads as prose. `unusable`: rows
    of the export ingest left out (each listed in its issues.csv), said in one sentence when there are any.
    `comments`: the open answers are Polis comments (`questions.unit`), ranked and shared by comments: said once.
    """
    msgs = msgs or Messages()
    blocks: list[Block] = [
        para(text(msgs("m.closed"), bold=True), _closed_method(cfg, msgs)),
        para(
            text(msgs("m.open"), bold=True),
            _open_method(cfg, embed_facts, msgs, _has_campaigns(drafts, open_ids))
            + _multilingual(embed_facts, msgs)
            + (msgs("m.comments") if comments else ""),
        ),
        para(_finding_counts(drafts, open_ids, msgs)),
    ]
    written = _writer(cfg, drafts, open_ids, msgs)
    if written:
        blocks.append(para(written))
    if unusable:
        blocks.append(para(msgs("m.unusable", rows=msgs.count("n.row", unusable))))
    return Section(title=msgs("h.method"), level=2, anchor="method", blocks=tuple(blocks))


def provenance_section(
    cfg: PipelineConfig,
    embed_facts: Mapping[str, Any],
    manifest: Mapping[str, Any],
    msgs: Messages | None = None,
    drafts: Mapping[str, LoadedDraft] | None = None,
) -> Section:
    """Annex: the model identities (embedding; language model when one wrote), input checksum and version."""
    msgs = msgs or Messages()
    items = tuple(para(f) for f in _provenance(cfg, embed_facts, manifest, msgs, drafts or {}))
    return Section(title=msgs("h.provenance"), level=2, anchor="provenance", blocks=(BulletList(items=items),))


def model_name(
    cfg: PipelineConfig, embed_facts: Mapping[str, Any], identity: bool = True, msgs: Messages | None = None
) -> str:
    """The embedding model(s) the embed stage reports (names from the identities; hashes with `identity`).

    A run whose questions were embedded with different models (the multilingual one added for some) names each
    with its questions: "all-MiniLM-L6-v2 (q1, q2); all-MiniLM-L6-v2 + use-multilingual-v3 (q3)". Without facts,
    the configured model.
    """
    msgs = msgs or Messages()
    model = embed_facts.get("model")
    if not isinstance(model, Mapping):
        return str(model) if model else f"{cfg.embed.model} ({cfg.embed.backend}, {msgs('m.as_configured')})"
    if model.get("backend") == "tfidf":
        return f"TF-IDF + SVD ({model['backend']})"
    used = models_by_question(embed_facts)
    if len(used) > 1:
        return "; ".join(
            f"{identity_names(i)} ({', '.join(qids)}" + (f"; {msgs('m.identity')} {i})" if identity else ")")
            for i, qids in used.items()
        )
    ids = [str(i) for i in model.get("ids") or []]
    name = (
        " + ".join(dict.fromkeys(identity_names(i) for i in ids)) if ids else str(model.get("name") or cfg.embed.model)
    )
    details = [str(model["backend"])] if model.get("backend") else []
    if identity and ids:
        details.append(msgs("m.identity") + " " + ", ".join(ids))
    return f"{name} ({'; '.join(details)})" if details else name


def identity_names(identity: str) -> str:
    """`all-MiniLM-L6-v2@ab12+use-multilingual-v3@cd34` -> `all-MiniLM-L6-v2 + use-multilingual-v3`."""
    return " + ".join(part.split("@", 1)[0] for part in identity.split("+"))


def models_by_question(embed_facts: Mapping[str, Any]) -> dict[str, list[str]]:
    """Model identity -> the questions embedded with it (questionnaire order), from the embed stage's facts."""
    questions = embed_facts.get("questions")
    out: dict[str, list[str]] = {}
    if isinstance(questions, Mapping):
        for qid, facts in questions.items():
            if isinstance(facts, Mapping) and facts.get("model"):
                out.setdefault(str(facts["model"]), []).append(str(qid))
    return out


def _multilingual(embed_facts: Mapping[str, Any], msgs: Messages) -> str:
    """The sentence naming the questions embedded with the multilingual model by the automatic choice, if any."""
    questions = embed_facts.get("questions")
    if not isinstance(questions, Mapping):
        return ""
    moved = [str(q) for q, facts in questions.items() if isinstance(facts, Mapping) and facts.get("notice")]
    return msgs("m.multilingual", questions=msgs.join(moved), model=USE_NAME) if moved else ""


def annex_section(
    questions: pd.DataFrame,
    counts: pd.DataFrame | None,
    drafts: Mapping[str, LoadedDraft],
    closed: ClosedResult,
    languages: Mapping[str, Mapping[str, int]] | None = None,
    msgs: Messages | None = None,
    comments: bool = False,
) -> Section:
    """One row per question: answers, non-answers, blanks, (open questions) answers not grouped and languages.

    `comments`: the open answers are Polis comments (`questions.unit`), so the counts are of comments: said once.
    """
    msgs = msgs or Messages()
    by_id: dict[str, dict[str, Any]] = {}
    if counts is not None:
        by_id = {str(r["question_id"]): {str(k): v for k, v in r.items()} for r in counts.to_dict(orient="records")}
    rows: list[tuple[str, ...]] = []
    for q in questions.sort_values("position", kind="stable").to_dict(orient="records"):
        qid, kind = str(q["question_id"]), str(q["kind"])
        if kind in ANNEX_KINDS:
            found = _annex_counts(qid, kind, by_id.get(qid), drafts, closed, msgs)
            spoken = format_counts(dict((languages or {}).get(qid, {})))
            rows.append((_short(str(q["text"])), kind, *found, spoken, qid))
    table = Table(
        header=tuple(msgs("annex.header").split("|")),
        rows=tuple(rows),
        numeric=(2, 3, 4, 5),
        caption=msgs("annex.caption") + (msgs("m.comments") if comments else ""),
    )
    return Section(title=msgs("h.annex"), level=2, anchor="annex", blocks=(table,))


def _annex_counts(
    qid: str,
    kind: str,
    row: Mapping[str, Any] | None,
    drafts: Mapping[str, LoadedDraft],
    closed: ClosedResult,
    msgs: Messages,
) -> tuple[str, str, str, str]:
    loaded = drafts.get(qid)
    not_grouped = str(loaded.draft.not_grouped) if loaded else ("–" if kind != "open" else msgs("annex.no_draft"))
    if row is not None:
        return _num(row.get("answers")), _num(row.get("non_answers")), _num(row.get("blank")), not_grouped
    if loaded is not None:
        return str(loaded.draft.answered), str(loaded.draft.non_answers), "–", not_grouped
    if kind != "open":
        stats = closed.question(qid)
        return str(stats.answered), str(stats.na), str(stats.skipped), not_grouped
    return "–", "–", "–", not_grouped


def _closed_method(cfg: PipelineConfig, msgs: Messages) -> str:
    c = cfg.closed
    return clean_text(
        msgs(
            "m.closed_text",
            na=msgs("m.na_nonsubstantive")
            if c.na_values == list(NON_SUBSTANTIVE)
            else msgs.join(c.na_values) or msgs("m.na_none"),
            base=msgs("m.base_excluded" if c.na_mode == "exclude" else "m.base_included"),
            agree=" / ".join(c.agree) if c.agree else msgs("m.agree_default"),
            conf=msgs.number(f"{c.confidence * 100:g}"),
            threshold=msgs.number(format_threshold(c.threshold)),
        )
    )


def _has_campaigns(drafts: Mapping[str, LoadedDraft], open_ids: Sequence[str]) -> bool:
    """Whether any open question reported has a campaign (the method then says how campaigns are told apart)."""
    return any(drafts[q].draft.campaigns for q in open_ids if q in drafts)


def _open_method(cfg: PipelineConfig, embed_facts: Mapping[str, Any], msgs: Messages, campaigns: bool = False) -> str:
    cl = cfg.cluster
    reduce = msgs("m.no_reduction")
    if cl.reduce != "none":
        dims = msgs("m.dims_auto") if cl.n_components == "auto" else msgs("m.dims", n=cl.n_components)
        reduce = msgs("m.reduced", method=cl.reduce.upper(), dims=dims)
    smooth = ""
    if cl.smooth_steps and cl.smooth_neighbors != 0:
        k = msgs("m.up_to_15") if cl.smooth_neighbors == "auto" else str(cl.smooth_neighbors)
        smooth = msgs("m.smooth", k=k, steps=cl.smooth_steps)
    assign = msgs("m.assign", threshold=msgs.number(f"{cl.assign_threshold:g}")) if cl.assign_unclustered else ""
    if cl.theme_resolution is not None:
        resolution = msgs.number(f"{cl.theme_resolution:g}")
        assign += msgs("m.themes", resolution=resolution, share=msgs.pct(cl.catchall_share, 0))
    if cl.answer_context != 0:
        assign = msgs("m.context", auto=msgs("m.context_auto") if cl.answer_context == "auto" else "") + assign
    if cl.nothing_replies:
        assign += msgs("m.nothing", shown=msgs.join(msgs.quote(reply) for reply in cl.nothing_replies[:3]))
    if cfg.campaigns.separate and campaigns:
        least = cfg.campaigns.min_respondents
        assign += msgs("campaigns.method", least=least if least is not None else msgs("campaigns.least_auto"))
    hdbscan = {"mcs": cl.min_cluster_size, "ms": cl.min_samples, "selection": cl.cluster_selection_method}
    return clean_text(
        msgs(
            "m.open_text",
            split=msgs(f"m.split.{cfg.statements.split}"),
            model=model_name(cfg, embed_facts, False, msgs),
            smooth=smooth,
            reduce=reduce,
            **hdbscan,
            epsilon=msgs.number(f"{cl.cluster_selection_epsilon:g}"),
            seed=str(cfg.run.seed),
            assign=assign,
            top=cfg.findings.top_n,
        )
    )


def _finding_counts(drafts: Mapping[str, LoadedDraft], open_ids: Sequence[str], msgs: Messages) -> str:
    found = [drafts[q] for q in open_ids if q in drafts]
    shown = [f for d in found for f in shown_findings(d.draft)]
    accepted = sum(f.status == "accepted" for f in shown)
    return msgs(
        "m.finding_counts",
        open=msgs.count("n.open_question", len(open_ids)),
        found=len(found),
        reviewed=sum(d.source == "review" for d in found),
        shown=msgs.count("n.finding", len(shown)),
        accepted=accepted,
        pending=len(shown) - accepted,
        rejected=sum(f.status == "rejected" for d in found for f in d.draft.findings),
    )


def writer_models(drafts: Mapping[str, LoadedDraft], open_ids: Sequence[str]) -> tuple[list[str], int, int]:
    """The language models that were asked about the findings shown, how many were asked, how many it wrote."""
    shown = [f for q in open_ids if q in drafts for f in shown_findings(drafts[q].draft)]
    asked = [f for f in shown if f.written is not None]
    models = sorted({f.written.model for f in asked if f.written is not None})
    return models, len(asked), sum(f.written.fallback is None for f in asked if f.written is not None)


def _writer(cfg: PipelineConfig, drafts: Mapping[str, LoadedDraft], open_ids: Sequence[str], msgs: Messages) -> str:
    """The sentence saying that a language model wrote titles and summaries and was sent the answers ('' if not)."""
    models, asked, written = writer_models(drafts, open_ids)
    if not asked:
        return ""
    model = ", ".join(models)
    url = cfg.writer.base_url or msgs("m.as_configured")
    line = msgs("m.writer", written=written, asked=asked, model=model, url=url, sample=cfg.writer.sample)
    return clean_text(line + (msgs("m.writer_fallback", n=asked - written) if asked > written else ""))


def _provenance(
    cfg: PipelineConfig,
    embed_facts: Mapping[str, Any],
    manifest: Mapping[str, Any],
    msgs: Messages,
    drafts: Mapping[str, LoadedDraft],
) -> list[str]:
    facts = [msgs("m.model", value=model_name(cfg, embed_facts, True, msgs))]
    models = writer_models(drafts, list(drafts))[0]
    if models:
        facts.append(msgs("m.writer_model", value=f"{', '.join(models)} ({cfg.writer.base_url or '?'})"))
    if isinstance(embed_facts.get("statements"), int):
        facts.append(msgs("m.statements", value=embed_facts["statements"]))
    sha = manifest.get("input", {}).get("sha256") if isinstance(manifest.get("input"), Mapping) else None
    if sha:
        facts.append(msgs("m.sha", value=sha))
    if manifest.get("consolidate"):
        facts.append(msgs("m.version", value=manifest["consolidate"]))
    if cfg.report.date:
        facts.append(msgs("m.date", value=cfg.report.date))
    return [clean_text(f) for f in facts]


def _num(value: Any) -> str:
    return "–" if value is None or pd.isna(value) else str(int(value))


def _short(question_text: str, limit: int = 90) -> str:
    flat = " ".join(question_text.split())
    return clean_text(flat if len(flat) <= limit else flat[: limit - 1].rstrip() + "…")
