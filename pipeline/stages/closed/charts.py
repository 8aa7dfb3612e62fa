"""Charts of closed questions: 100% stacked bars per likert block, bar charts for single and multi questions.

Charts are drawn in two steps: `chart_data` turns statistics into plain data (what is drawn, in which colour;
golden-tested), `render_chart` draws it with matplotlib's Agg/SVG backends (imported lazily, no pyplot, no global
state) into PNG or SVG bytes. The title is data (alt text), not drawn: the report's heading above the chart says
it already. Output bytes are deterministic: fixed DPI, fixed bundled font, no timestamps or
software metadata, fixed SVG id salt. The words drawn (the note, "n=", "No answers") come from the report's
catalogues (`pipeline.messages`, `chart.*` entries) in `report.language`; titles and options are the export's. A
language whose chart words the font cannot draw (Chinese: DejaVu Sans has no CJK glyphs; Arabic: no joined letter
forms) gets the English words, rather than empty boxes.
"""

from __future__ import annotations

import io
import math
import textwrap
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from functools import lru_cache
from typing import Any, Literal, cast

from pipeline.detect.scales import OTHER_LABELS, label_key
from pipeline.messages import TEXTS, Messages
from pipeline.stages.closed.model import ChartGroup, ClosedResult, QuestionStats

ChartFormat = Literal["png", "svg"]
FORMATS: tuple[ChartFormat, ...] = ("png", "svg")
DPI = 150
WIDTH_IN = 9.0
MIN_LABEL_PCT = 5.0  # segments narrower than this (in % points) get no label
# ColorBrewer Blues / Oranges (colour-blind safe as a diverging pair), indexed by how many colours are needed.
AGREE_COLORS: dict[int, tuple[str, ...]] = {
    1: ("#2171b5",),
    2: ("#08519c", "#6baed6"),
    3: ("#08519c", "#3182bd", "#9ecae1"),
    4: ("#08306b", "#2171b5", "#6baed6", "#c6dbef"),
}  # darkest = most positive
DISAGREE_COLORS: dict[int, tuple[str, ...]] = {
    1: ("#e6550d",),
    2: ("#fdae6b", "#d94801"),
    3: ("#fdd0a2", "#fd8d3c", "#d94801"),
    4: ("#fdd0a2", "#fdae6b", "#f16913", "#a63603"),
}  # lightest = least negative
TRACK_COLOR = "#f0f0f0"
NA_COLORS = ("#bdbdbd", "#969696", "#d9d9d9", "#737373")
BAR_COLOR = "#2b6ca3"
TEXT_COLOR = "#262626"
MUTED_COLOR = "#636363"
RC: dict[str, Any] = {
    "font.family": "DejaVu Sans",
    "font.size": 9.5,
    "svg.hashsalt": "consolidate",
    "svg.fonttype": "path",
    "path.simplify": False,
    "axes.edgecolor": "#bdbdbd",
    "text.color": TEXT_COLOR,
}


@dataclass(frozen=True)
class Segment:
    """One coloured piece of a bar: an option's share in percent (0 when nobody chose it)."""

    option: str
    pct: float
    count: int
    color: str
    shown: str  # the share as drawn: whole percent in the report's language ("85%", "85 %"), a bar's count after it


@dataclass(frozen=True)
class Bar:
    """One bar: a likert statement (stacked segments) or one option of a single/multi question."""

    label: str
    base: int
    base_label: str
    segments: tuple[Segment, ...]
    empty: bool = False


@dataclass(frozen=True)
class ChartData:
    """Everything a chart shows, independent of how it is drawn."""

    chart_id: str
    style: Literal["stacked", "bars"]
    title: str
    note: str
    bars: tuple[Bar, ...]
    empty_label: str
    legend: tuple[tuple[str, str], ...] = field(default_factory=tuple)


def chart_data(group: ChartGroup, stats: Sequence[QuestionStats], msgs: Messages | None = None) -> ChartData:
    """What the chart of one group shows: stacked bars for likert, one bar per option otherwise.

    `msgs` gives the words in the report's language (`report.language`); English by default.
    """
    words = chart_messages(msgs or Messages())
    if group.kind == "likert":
        return _stacked_data(group, stats, words)
    return _bars_data(group, stats[0], words)


def chart_messages(msgs: Messages) -> Messages:
    """`msgs` when the chart font draws every chart word of its language, else English (never boxes in a chart).

    Right-to-left languages get English too: the bundled DejaVu Sans lacks the joined Arabic letter forms that
    shaping needs, so an Arabic note would be drawn as boxes.
    """
    if msgs.right_to_left:
        return Messages()
    glyphs = _glyphs()
    keys = [k for k in TEXTS if k.startswith("chart.")] + ["open.nobody"]
    counts = (0, 1, 2, 3, 11, 100)  # one number of each plural form of the six UN languages (Arabic has six)
    texts = [msgs.count(k, n) for k in keys if TEXTS[k].plural for n in counts] + [msgs.raw(k) for k in keys]
    drawable_all = all(ord(c) in glyphs or c.isspace() for text in texts for c in text)
    return msgs if drawable_all else Messages()


def render_chart(data: ChartData, fmt: ChartFormat) -> bytes:
    """Draw a chart and return PNG or SVG bytes (identical bytes for identical data)."""
    import matplotlib
    from matplotlib.figure import Figure

    data = drawable_data(data)
    with matplotlib.rc_context(cast(Any, RC)):  # matplotlib types rc keys as a Literal union
        lines = sum(max(1, len(b.label.splitlines())) for b in data.bars)
        height = 0.55 + 0.42 * len(data.bars) + 0.15 * (lines - len(data.bars))
        height += 0.35 if data.legend else 0.0
        fig = Figure(figsize=(WIDTH_IN, height), dpi=DPI, layout="constrained")
        ax = fig.add_subplot()
        if data.style == "stacked":
            _draw_stacked(fig, ax, data)
        else:
            _draw_bars(ax, data)
        _finish_axes(ax, data)
        return _save(fig, fmt)


@lru_cache(maxsize=1)
def _glyphs() -> frozenset[int]:
    """Code points the chart font can draw."""
    from matplotlib import font_manager

    font = font_manager.get_font(font_manager.findfont(str(RC["font.family"])))
    return frozenset(font.get_charmap())


def drawable(text: str) -> str:
    """A label with the characters the chart font lacks (emoji) left out; one made only of them is named instead.

    The font would draw them as empty boxes (and warn for each). "👍 Great" becomes "Great"; "👍" becomes
    "thumbs up sign". Only chart labels change: tables and the report keep the text as given.
    """
    glyphs = _glyphs()
    lines = ["".join(c for c in line if ord(c) in glyphs) for line in text.split("\n")]
    kept = "\n".join(" ".join(line.split()) for line in lines)
    if kept.strip() or not text.strip():
        return kept
    names = [unicodedata.name(c, "").lower() for c in text if unicodedata.category(c) not in _INVISIBLE]
    return " ".join(n for n in names if n) or "?"


_INVISIBLE = frozenset({"Mn", "Me", "Cf", "Cc", "Sk", "Zs", "Zl", "Zp"})


def drawable_data(data: ChartData) -> ChartData:
    """The chart's texts as the font can draw them (see `drawable`)."""
    bars = tuple(
        replace(
            b,
            label=drawable(b.label),
            segments=tuple(replace(s, option=drawable(s.option), shown=drawable(s.shown)) for s in b.segments),
        )
        for b in data.bars
    )
    legend = tuple((drawable(option), color) for option, color in data.legend)
    return replace(
        data,
        title=drawable(data.title),
        note=drawable(data.note),
        bars=bars,
        legend=legend,
        empty_label=drawable(data.empty_label),
    )


def render_charts(result: ClosedResult, msgs: Messages | None = None) -> dict[str, bytes]:
    """Every chart of a closed result, as `{file name: bytes}` (`<chart_id>.png` and `<chart_id>.svg`).

    `msgs`: the report's language, so that the charts' words match the report around them.
    """
    files: dict[str, bytes] = {}
    for group in result.groups:
        data = chart_data(group, [result.question(q) for q in group.question_ids], msgs)
        for fmt in FORMATS:
            files[f"{group.chart_id}.{fmt}"] = render_chart(data, fmt)
    return files


def scale_colors(options: Sequence[str], agree: Sequence[str], na: Sequence[str]) -> dict[str, str]:
    """Diverging colours for a scale: blues for agree, oranges for the rest, greys for N/A-like ones and "Other".

    "Other" is a real answer, but on neither side of the scale.
    """
    colors: dict[str, str] = {}
    grey = iter(NA_COLORS * 4)
    positive = [o for o in options if o in agree and o not in na]
    negative = [o for o in options if o not in agree and o not in na and label_key(o) not in OTHER_LABELS]
    for options_, palette in ((positive, AGREE_COLORS), (negative, DISAGREE_COLORS)):
        shades = palette[min(max(len(options_), 1), len(palette))]
        for i, option in enumerate(options_):
            colors[option] = shades[min(i, len(shades) - 1)]
    for option in options:
        if option not in colors:
            colors[option] = next(grey)
    return colors


def wrap(text: str, width: int) -> str:
    """Wrap a label on word boundaries (long words are broken)."""
    return "\n".join(textwrap.wrap(" ".join(text.split()), width=width)) or text


def _stacked_data(group: ChartGroup, stats: Sequence[QuestionStats], msgs: Messages) -> ChartData:
    order: list[str] = []
    na: set[str] = set()
    for st in stats:
        order += [o.option for o in st.options if o.option not in order]
        na |= {o.option for o in st.options if o.na}
    drawn = {o.option for st in stats for o in st.options if o.share is not None and (not o.na or o.count)}
    chosen = {o.option for st in stats for o in st.options if o.count}
    off_scale = na | {o for o in order if label_key(o) in OTHER_LABELS}  # shown only when someone chose them
    shown = [o for o in order if o not in off_scale or (o in drawn and o in chosen)]
    colors = scale_colors(shown, stats[0].agree_options if stats else (), sorted(na))
    standalone = len(stats) == 1 and stats[0].block is None  # one likert question: the title says it all
    bars = tuple(_stacked_bar(st, shown, colors, "" if standalone else st.label, msgs) for st in stats)
    excluded = sum(st.na for st in stats)
    note = msgs("chart.note_single" if len(stats) == 1 else "chart.note_block")
    apart = shown_na_order(stats)
    if apart:
        note += msgs("chart.na_apart", options=" / ".join(apart), n=excluded)
    return ChartData(
        chart_id=group.chart_id,
        style="stacked",
        title=wrap(group.title, 100),
        note=note,
        bars=bars,
        empty_label=msgs("chart.no_answers"),
        legend=tuple((o, colors[o]) for o in shown),
    )


def shown_na_order(stats: Sequence[QuestionStats]) -> list[str]:
    """Non-substantive options someone chose that are kept out of the base, in scale order."""
    names: list[str] = []
    for st in stats:
        names += [o.option for o in st.options if o.na and o.count and o.share is None and o.option not in names]
    return names


def _stacked_bar(stats: QuestionStats, shown: Sequence[str], colors: dict[str, str], label: str, msgs: Messages) -> Bar:
    by_option = {o.option: o for o in stats.options}
    segments = tuple(
        Segment(
            option=o,
            pct=(pct := (by_option[o].share or 0.0) * 100 if o in by_option else 0.0),
            count=by_option[o].count if o in by_option else 0,
            color=colors[o],
            shown=_share_text(pct, msgs),
        )
        for o in shown
    )
    return _bar(label, stats, segments, msgs)


def _bar(label: str, stats: QuestionStats, segments: tuple[Segment, ...], msgs: Messages) -> Bar:
    """A bar of a question's `segments`, labelled and with the question's base ("n=67")."""
    return Bar(
        label=wrap(label, 40),
        base=stats.base,
        base_label=msgs("chart.n", n=stats.base),
        segments=segments,
        empty=stats.base == 0,
    )


def _bars_data(group: ChartGroup, stats: QuestionStats, msgs: Messages) -> ChartData:
    counted = [o for o in stats.options if o.share is not None or not o.na]
    grey = iter(NA_COLORS * 4)
    bars = tuple(
        _bar(
            o.option,
            stats,
            (_bar_segment(o.option, (o.share or 0.0) * 100, o.count, next(grey) if o.na else BAR_COLOR, msgs),),
            msgs,
        )
        for o in counted
    )
    kept_apart = [o for o in stats.options if o.na and o.share is None and o.count]
    note = msgs.count("chart.base_multi" if stats.kind == "multi" else "chart.base", stats.base)
    if kept_apart:
        note += msgs("chart.not_in_base", options=msgs.join(f"{o.option} {msgs.integer(o.count)}" for o in kept_apart))
    return ChartData(
        chart_id=group.chart_id,
        style="bars",
        title=wrap(group.title, 100),
        note=note,
        bars=bars,
        empty_label=msgs("open.nobody"),
    )


def _pct_label(pct: float) -> str:
    return f"{math.floor(pct + 0.5)}%"


def _share_text(pct: float, msgs: Messages) -> str:
    """A share as drawn in a chart: whole percent, rounded half up, in the report's language ("85 %" in French)."""
    return msgs.number(_pct_label(pct))


def _bar_segment(option: str, pct: float, count: int, color: str, msgs: Messages) -> Segment:
    """The one segment of a single/multi option's bar; its text gives the share and the count ("85 % (1 234)")."""
    return Segment(option, pct, count, color, f"{_share_text(pct, msgs)} ({msgs.integer(count)})")


def _text_color(hex_color: str) -> str:
    r, g, b = (int(hex_color[i : i + 2], 16) / 255 for i in (1, 3, 5))
    return "white" if 0.2126 * r + 0.7152 * g + 0.0722 * b < 0.55 else TEXT_COLOR


def _draw_stacked(fig: Any, ax: Any, data: ChartData) -> None:
    y = list(range(len(data.bars)))
    ax.barh(y, [100.0] * len(y), height=0.62, color=TRACK_COLOR, linewidth=0)
    for j, (option, color) in enumerate(data.legend):
        widths = [b.segments[j].pct for b in data.bars]
        lefts = [sum(s.pct for s in b.segments[:j]) for b in data.bars]
        ax.barh(y, widths, left=lefts, height=0.62, color=color, edgecolor="white", linewidth=0.8, label=option)
        for yi, (left, width) in enumerate(zip(lefts, widths, strict=True)):
            if width >= MIN_LABEL_PCT:
                ax.text(
                    left + width / 2,
                    yi,
                    data.bars[yi].segments[j].shown,
                    ha="center",
                    va="center",
                    fontsize=8.5,
                    color=_text_color(color),
                )
    for yi, bar in enumerate(data.bars):
        if bar.empty:
            ax.text(50, yi, data.empty_label, ha="center", va="center", fontsize=8.5, color=MUTED_COLOR, style="italic")
        ax.text(101.5, yi, bar.base_label, ha="left", va="center", fontsize=8, color=MUTED_COLOR, clip_on=False)
    if data.legend:
        fig.legend(loc="outside lower center", ncols=min(len(data.legend), 5), frameon=False, fontsize=8.5)


def _draw_bars(ax: Any, data: ChartData) -> None:
    y = list(range(len(data.bars)))
    segments = [b.segments[0] for b in data.bars]
    ax.barh(y, [100.0] * len(y), height=0.62, color=TRACK_COLOR, linewidth=0)
    ax.barh(y, [s.pct for s in segments], height=0.62, color=[s.color for s in segments])
    for yi, seg in enumerate(segments):
        if not data.bars[yi].empty:
            ax.text(
                seg.pct + 1,
                yi,
                seg.shown,
                ha="left",
                va="center",
                fontsize=8.5,
                color=TEXT_COLOR,
                clip_on=False,
            )
    if data.bars and all(b.empty for b in data.bars):
        ax.text(
            50,
            (len(y) - 1) / 2,
            data.empty_label,
            ha="center",
            va="center",
            fontsize=10,
            color=MUTED_COLOR,
            style="italic",
        )


def _finish_axes(ax: Any, data: ChartData) -> None:
    ax.set_xlim(0, 100)
    ax.set_ylim(max(len(data.bars), 1) - 0.5, -0.5)  # a chart without bars still gets a valid axis
    ax.set_yticks(range(len(data.bars)), [b.label for b in data.bars], fontsize=9)
    ax.tick_params(axis="y", length=0, pad=6)
    ax.set_xticks([])
    for side in ("top", "right", "bottom"):
        ax.spines[side].set_visible(False)
    ax.set_xlabel(wrap(data.note, 100), loc="left", fontsize=8, color=MUTED_COLOR, labelpad=6)


def _save(fig: Any, fmt: ChartFormat) -> bytes:
    buffer = io.BytesIO()
    if fmt == "png":
        fig.savefig(buffer, format="png", dpi=DPI, metadata={"Software": None}, facecolor="white")
    else:
        fig.savefig(buffer, format="svg", metadata={"Date": None, "Creator": None}, facecolor="white")
    return buffer.getvalue()
