"""Render the document model as Markdown (CommonMark + pipe tables); every text is escaped."""

from __future__ import annotations

from pipeline.mdtext import escape_md
from pipeline.stages.report.model import (
    Block,
    BulletList,
    Document,
    Figure,
    FindingItem,
    FindingList,
    Paragraph,
    Run,
    Section,
    Table,
)

__all__ = ["escape_md", "render_markdown", "render_section"]


def render_markdown(doc: Document, chart_dir: str = "../02_closed/charts") -> str:
    """The report as Markdown; charts are linked as `<chart_dir>/<chart id>.png`."""
    lines = [f"# {escape_md(doc.title)}", ""]
    if doc.subtitle:
        lines += [f"*{escape_md(doc.subtitle)}*", ""]
    for line in doc.cover:
        lines += [_runs(line), ""]
    for section in doc.sections:
        lines += render_section(section, chart_dir)
    return "\n".join(lines).rstrip() + "\n"


def render_section(section: Section, chart_dir: str = "../02_closed/charts") -> list[str]:
    """Lines of one section: heading, then each block followed by a blank line."""
    lines = [f"{'#' * section.level} {escape_md(section.title)}", ""]
    for block in section.blocks:
        lines += _block(block, chart_dir) + [""]
    return lines


def _runs(paragraph: Paragraph) -> str:
    return "".join(_run(r) for r in paragraph.runs)


def _run(run: Run) -> str:
    body = escape_md(run.text)
    if not body.strip():
        return body
    lead, core, trail = _split_space(body)
    if run.bold:
        core = f"**{core}**"
    if run.italic:
        core = f"*{core}*"
    return lead + core + trail


def _split_space(value: str) -> tuple[str, str, str]:
    core = value.strip()
    start = value.index(core)
    return value[:start], core, value[start + len(core) :]


def _block(block: Block, chart_dir: str) -> list[str]:
    if isinstance(block, Paragraph):
        body = _runs(block)
        plain = not any(r.bold or r.italic for r in block.runs)
        return [f"*{body}*" if block.muted and plain and body.strip() else body]
    if isinstance(block, BulletList):
        mark = "- ✓ " if block.check else "- "
        return [mark + _runs(item) for item in block.items]
    if isinstance(block, Table):
        return _table(block)
    if isinstance(block, Figure):
        return [f"![{escape_md(block.alt)}]({chart_dir}/{block.chart_id}.png)"]
    if isinstance(block, FindingList):
        return [line for item in block.items for line in _finding(item)]
    raise TypeError(f"unknown block {type(block).__name__}")


def _finding(item: FindingItem) -> list[str]:
    """The finding's bullet, then (indented into it) its quote and its details (votes, linked closed answer)."""
    line = f"- **{escape_md(item.title)}:** {escape_md(item.summary)} — {escape_md(item.count_text)}"
    lines = [line + (f" *{escape_md(item.draft_label)}*" if item.draft else "")]
    for i, text in enumerate(item.quote_texts):
        lines += [f"  > {escape_md(text)}"] if not i else ["", f"  > {escape_md(text)}"]
    for i, detail in enumerate(item.details):
        lines += ["", f"  *{escape_md(detail)}*"] if item.quote or i else [f"  *{escape_md(detail)}*"]
    return lines


def _table(table: Table) -> list[str]:
    align = ["---:" if i in table.numeric else "---" for i in range(len(table.header))]
    lines = [_row(table.header), "| " + " | ".join(align) + " |"]
    lines += [_row(row) for row in table.rows]
    if table.caption:
        lines += ["", f"*{escape_md(table.caption)}*"]
    return lines


def _row(cells: tuple[str, ...]) -> str:
    return "| " + " | ".join(escape_md(c) for c in cells) + " |"
