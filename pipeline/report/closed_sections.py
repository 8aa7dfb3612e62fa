"""Report sections of closed questions: one per chart group (likert block, single or multi question)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from pipeline.report.model import (
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
from pipeline.stages.closed_model import ChartGroup, ClosedResult, QuestionStats, format_pct

ChartImages = tuple[bytes, bytes | None]  # (png, svg)


def closed_section(
    group: ChartGroup, result: ClosedResult, charts: Mapping[str, ChartImages], confidence: float
) -> Section:
    """The section of one chart group: heading, chart, threshold statements (likert), table and notes.

    Args:
        group: the chart group (likert block or one single/multi question).
        result: closed statistics of the run.
        charts: chart images by chart id.
        confidence: confidence level of the agree intervals (for the table header).

    Returns:
        A level-3 section anchored at `q-<chart id>`.
    """
    stats = [result.question(q) for q in group.question_ids]
    blocks: list[Block] = [_figure(group, charts)]
    if group.kind == "likert" and stats[0].block is not None:
        blocks += _threshold_blocks(group)
        blocks.append(likert_table(stats, confidence))
    else:
        blocks += [_base_paragraph(stats[0]), *_top_box(stats[0], confidence), options_table(stats[0])]
    blocks += [para(note, muted=True) for st in stats for note in st.notes if note != _NOBODY]
    return Section(title=clean_text(group.title), level=3, anchor=f"q-{group.chart_id}", blocks=tuple(blocks))


_NOBODY = "No one answered this question."


def likert_table(stats: Sequence[QuestionStats], confidence: float) -> Table:
    """Statement | Agree | interval | Base | N/A | Skipped, one row per statement."""
    rows = tuple(
        (
            clean_text(st.label),
            f"{format_pct(st.agree_share)} ({st.agree} of {st.base})" if st.base else "no answers",
            f"{format_pct(st.agree_low)}–{format_pct(st.agree_high)}" if st.agree_low is not None else "–",
            str(st.base),
            str(st.na),
            str(st.skipped),
        )
        for st in stats
    )
    agree = " / ".join(stats[0].agree_options) if stats else ""
    return Table(
        header=("Statement", "Agree", f"{confidence * 100:g}% interval", "Base", "N/A", "Skipped"),
        rows=rows,
        caption=clean_text(f"Agree = {agree}; base = respondents who answered, N/A per the closed settings."),
        numeric=(1, 2, 3, 4, 5),
    )


def options_table(stats: QuestionStats) -> Table:
    """Option | Respondents | Share, in scale order; options kept out of the base say so."""
    rows = tuple((clean_text(o.option), str(o.count), _share_cell(stats, o.share)) for o in stats.options)
    share = "Share of respondents" if stats.kind == "multi" else "Share"
    return Table(header=("Option", "Respondents", share), rows=rows, numeric=(1, 2))


def _share_cell(stats: QuestionStats, share: float | None) -> str:
    if stats.base == 0:
        return "–"
    return format_pct(share) if share is not None else "not in base"


def _figure(group: ChartGroup, charts: Mapping[str, ChartImages]) -> Block:
    images = charts.get(group.chart_id)
    if images is None:
        return para("Chart not available; rerun the closed stage to draw it.", muted=True)
    kind = "Stacked bar chart" if group.kind == "likert" else "Bar chart"
    return Figure(chart_id=group.chart_id, alt=clean_text(f"{kind}: {group.title}"), png=images[0], svg=images[1])


def _threshold_blocks(group: ChartGroup) -> list[Block]:
    if group.sentence is None:
        return []
    lead = Paragraph((text(group.sentence, bold=bool(group.items)),))
    if not group.items:
        return [lead]
    return [lead, BulletList(items=tuple(para(item) for item in group.items), check=True)]


def _top_box(stats: QuestionStats, confidence: float) -> list[Block]:
    """A standalone likert question: the share choosing the agree (top) options, with its interval."""
    if stats.kind != "likert" or not stats.base or stats.agree_low is None or stats.agree_high is None:
        return []
    interval = f"{confidence * 100:g}% interval {format_pct(stats.agree_low)}–{format_pct(stats.agree_high)}"
    return [
        para(
            text(" or ".join(stats.agree_options) + ": ", bold=True),
            f"{format_pct(stats.agree_share)} ({stats.agree} of {stats.base}; {interval}).",
        )
    ]


def _base_paragraph(stats: QuestionStats) -> Paragraph:
    if stats.answered == 0:
        return para(_NOBODY)
    parts = [f"{stats.answered} of {stats.respondents} respondents answered ({stats.skipped} skipped)"]
    if stats.na:
        kept = any(o.na and o.share is None for o in stats.options)
        parts.append(f"{stats.na} answered only N/A or similar, {'kept out of' if kept else 'included in'} the base")
    if stats.kind == "multi":
        parts.append("several answers were possible, so shares add up to more than 100%")
    return para("; ".join(parts) + ".", muted=True)
