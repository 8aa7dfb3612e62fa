"""Report sections of closed questions: one per chart group (likert block, single or multi question)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from pipeline.messages import Messages
from pipeline.stages.closed import ChartGroup, ClosedResult, QuestionStats, threshold_sentence
from pipeline.stages.report.model import (
    Block,
    BulletList,
    Figure,
    Paragraph,
    Section,
    Table,
    clean_text,
    para,
    text,
)

ChartImages = tuple[bytes, bytes | None]  # (png, svg)


def closed_section(
    group: ChartGroup,
    result: ClosedResult,
    charts: Mapping[str, ChartImages],
    confidence: float,
    msgs: Messages | None = None,
) -> Section:
    """The section of one chart group: heading, chart, threshold statements (likert), table and notes.

    Args:
        group: the chart group (likert block or one single/multi question).
        result: closed statistics of the run.
        charts: chart images by chart id.
        confidence: confidence level of the agree intervals (for the table header).
        msgs: the report's words (`report.language`); English by default.

    Returns:
        A level-3 section anchored at `q-<chart id>`.
    """
    msgs = msgs or Messages()
    stats = [result.question(q) for q in group.question_ids]
    blocks: list[Block] = [_figure(group, charts, msgs)]
    if group.kind == "likert" and stats[0].block is not None:
        blocks += _threshold_blocks(group, stats, msgs)
        blocks.append(likert_table(stats, confidence, msgs))
    else:
        blocks += [
            _base_paragraph(stats[0], msgs),
            *_top_box(stats[0], confidence, msgs),
            options_table(stats[0], msgs),
        ]
    blocks += [para(note, muted=True) for st in stats for note in st.notes if note != _NOBODY]
    return Section(title=clean_text(group.title), level=3, anchor=f"q-{group.chart_id}", blocks=tuple(blocks))


_NOBODY = "No one answered this question."


def likert_table(stats: Sequence[QuestionStats], confidence: float, msgs: Messages | None = None) -> Table:
    """Statement | Agree | interval | Base | N/A | Skipped, one row per statement."""
    msgs = msgs or Messages()
    rows = tuple(
        (
            clean_text(st.label),
            msgs("closed.agree_cell", pct=msgs.pct(st.agree_share), agree=st.agree, base=st.base)
            if st.base
            else msgs("closed.no_answers"),
            f"{msgs.pct(st.agree_low)}–{msgs.pct(st.agree_high)}" if st.agree_low is not None else "–",
            str(st.base),
            str(st.na),
            str(st.skipped),
        )
        for st in stats
    )
    agree = " / ".join(stats[0].agree_options) if stats else ""
    return Table(
        header=tuple(msgs("closed.header", conf=msgs.number(f"{confidence * 100:g}")).split("|")),
        rows=rows,
        caption=clean_text(msgs("closed.caption", agree=agree)),
        numeric=(1, 2, 3, 4, 5),
    )


def options_table(stats: QuestionStats, msgs: Messages | None = None) -> Table:
    """Option | Respondents | Share, in scale order; options kept out of the base say so."""
    msgs = msgs or Messages()
    rows = tuple((clean_text(o.option), str(o.count), _share_cell(stats, o.share, msgs)) for o in stats.options)
    header = msgs("closed.options_header_multi" if stats.kind == "multi" else "closed.options_header")
    return Table(header=tuple(header.split("|")), rows=rows, numeric=(1, 2))


def _share_cell(stats: QuestionStats, share: float | None, msgs: Messages) -> str:
    if stats.base == 0:
        return "–"
    return msgs.pct(share) if share is not None else msgs("closed.not_in_base")


def _figure(group: ChartGroup, charts: Mapping[str, ChartImages], msgs: Messages) -> Block:
    images = charts.get(group.chart_id)
    if images is None:
        return para(msgs("closed.no_chart"), muted=True)
    alt = msgs("closed.alt_likert" if group.kind == "likert" else "closed.alt_bar", title=group.title)
    return Figure(chart_id=group.chart_id, alt=clean_text(alt), png=images[0], svg=images[1])


def _threshold_blocks(group: ChartGroup, stats: Sequence[QuestionStats], msgs: Messages) -> list[Block]:
    """The threshold sentence of a likert block, in the report's language (the closed stage wrote it in English)."""
    if group.sentence is None or group.threshold is None:
        return []
    sentence, items = threshold_sentence(stats[0].block, stats, group.threshold, msgs)
    lead = Paragraph((text(sentence, bold=bool(items)),))
    if not items:
        return [lead]
    return [lead, BulletList(items=tuple(para(item) for item in items), check=True)]


def _top_box(stats: QuestionStats, confidence: float, msgs: Messages) -> list[Block]:
    """A standalone likert question: the share choosing the agree (top) options, with its interval."""
    if stats.kind != "likert" or not stats.base or stats.agree_low is None or stats.agree_high is None:
        return []
    figures = {"pct": msgs.pct(stats.agree_share), "agree": stats.agree, "base": stats.base}
    interval = {"conf": msgs.number(f"{confidence * 100:g}"), "low": msgs.pct(stats.agree_low)}
    return [
        para(
            text(msgs("closed.or").join(map(msgs.isolate, stats.agree_options)) + msgs("p.colon"), bold=True),
            msgs("closed.top_box", **figures, **interval, high=msgs.pct(stats.agree_high)),
        )
    ]


def _base_paragraph(stats: QuestionStats, msgs: Messages) -> Paragraph:
    if stats.answered == 0:
        return para(msgs("open.nobody"))
    parts = [msgs("closed.base", answered=stats.answered, respondents=stats.respondents, skipped=stats.skipped)]
    if stats.na:
        kept = any(o.na and o.share is None for o in stats.options)
        parts.append(msgs("closed.na_kept_out" if kept else "closed.na_included", na=stats.na))
    if stats.kind == "multi":
        parts.append(msgs("closed.multi"))
    return para(msgs("p.clauses").join(parts) + msgs("p.sentence_end"), muted=True)
