"""Render the document model as a Word document (python-docx), with byte-stable output."""

from __future__ import annotations

import io
import unicodedata
from typing import Any

from pipeline.stages.report.model import (
    Block,
    BulletList,
    Document,
    Figure,
    FindingItem,
    FindingList,
    Paragraph,
    Section,
    Table,
)
from pipeline.xlsx import FIXED_TIME, restamp_zip

PICTURE_WIDTH_IN = 6.3
MUTED_RGB = (0x63, 0x63, 0x63)
DRAFT_RGB = (0xA6, 0x36, 0x03)
# the elements that follow w:bidi, w:rtl and w:bidiVisual in their parents (ECMA-376 schema order)
_AFTER_BIDI = (
    "w:adjustRightInd",
    "w:snapToGrid",
    "w:spacing",
    "w:ind",
    "w:contextualSpacing",
    "w:mirrorIndents",
    "w:suppressOverlap",
    "w:jc",
    "w:textDirection",
    "w:textAlignment",
    "w:textboxTightWrap",
    "w:outlineLvl",
    "w:divId",
    "w:cnfStyle",
    "w:rPr",
    "w:sectPr",
    "w:pPrChange",
)
_AFTER_RTL = ("w:cs", "w:em", "w:lang", "w:eastAsianLayout", "w:specVanish", "w:oMath")
_AFTER_BIDI_VISUAL = (
    "w:tblStyleRowBandSize",
    "w:tblStyleColBandSize",
    "w:tblW",
    "w:jc",
    "w:tblCellSpacing",
    "w:tblInd",
    "w:tblBorders",
    "w:shd",
    "w:tblLayout",
    "w:tblCellMar",
    "w:tblLook",
    "w:tblCaption",
    "w:tblDescription",
    "w:tblPrChange",
)
_STYLE_IDS: dict[str, str] = {}  # every document starts from python-docx's default template, so ids are shared


def render_docx(doc: Document) -> bytes:
    """The report as .docx bytes: headings, charts as pictures, finding bullets with bold titles, tables."""
    import docx

    word = docx.Document()
    _fix_properties(word, doc.title)
    _paragraph(word, "Title", doc.title)
    if doc.subtitle:
        _add_paragraph(word, Paragraph(runs=(), muted=True), extra=doc.subtitle)
    for line in doc.cover:
        _add_paragraph(word, line)
    for section in doc.sections:
        render_section(word, section)
    _set_language(word, doc.language, doc.right_to_left)
    buffer = io.BytesIO()
    word.save(buffer)
    return restamp_zip(buffer.getvalue())


def render_section(word: Any, section: Section) -> None:
    """Add one section (heading level 2 -> Word Heading 1, 3 -> Heading 2) and its blocks."""
    _paragraph(word, f"Heading {max(1, section.level - 1)}", section.title)
    for block in section.blocks:
        _block(word, block)


def _style_id(word: Any, name: str) -> str:
    """Id of a style of the default template, looked up once (python-docx scans every style per lookup by name)."""
    if name not in _STYLE_IDS:
        _STYLE_IDS[name] = word.styles[name].style_id
    return _STYLE_IDS[name]


def _paragraph(word: Any, style: str | None, text: str = "") -> Any:
    """A new paragraph at the end of the document with the named style (None: the default style)."""
    out = word.add_paragraph(text)
    if style is not None:
        out._p.style = _style_id(word, style)
    return out


def _set_language(word: Any, language: str, right_to_left: bool) -> None:
    """The document's proofing language; for a right-to-left language also bidi paragraphs and tables, rtl runs.

    Word reads direction per paragraph (`w:bidi`), per run (`w:rtl`) and per table (`w:bidiVisual`, the first column
    on the right); numeric cells keep the paragraph's own alignment there, since left and right swap in bidi text.
    """
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    defaults = word.styles.element.find(qn("w:docDefaults")).find(qn("w:rPrDefault")).find(qn("w:rPr"))
    lang = defaults.find(qn("w:lang"))
    if lang is None:
        lang = OxmlElement("w:lang")
        defaults.append(lang)
    side = "w:bidi" if right_to_left else ("w:eastAsia" if language.startswith("zh") else "w:val")
    lang.set(qn(side), language)
    if not right_to_left:
        return
    body = word.element.body
    for paragraph in body.iter(qn("w:p")):
        properties = paragraph.get_or_add_pPr()
        for jc in properties.findall(qn("w:jc")):
            properties.remove(jc)
        properties.insert_element_before(OxmlElement("w:bidi"), *_AFTER_BIDI)
    for run in body.iter(qn("w:r")):
        if _right_to_left_text("".join(t.text or "" for t in run.iter(qn("w:t")))):
            _rtl_run(run.get_or_add_rPr())
    for table in body.iter(qn("w:tbl")):
        table.tblPr.insert_element_before(OxmlElement("w:bidiVisual"), *_AFTER_BIDI_VISUAL)


def _right_to_left_text(text: str) -> bool:
    return any(unicodedata.bidirectional(char) in ("R", "AL") for char in text)


def _rtl_run(properties: Any) -> None:
    """Mark a run of Arabic (or Hebrew) text right to left; Word bolds and italicises such runs by bCs and iCs."""
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    for plain, complex_script in (("w:b", "w:bCs"), ("w:i", "w:iCs")):
        found = properties.find(qn(plain))
        if found is not None and properties.find(qn(complex_script)) is None:
            found.addnext(OxmlElement(complex_script))
    properties.insert_element_before(OxmlElement("w:rtl"), *_AFTER_RTL)


def _fix_properties(word: Any, title: str) -> None:
    props = word.core_properties
    props.title = title
    props.author = "Consolidate"
    props.last_modified_by = "Consolidate"
    props.comments = ""
    props.revision = 1
    props.created = FIXED_TIME
    props.modified = FIXED_TIME
    props.last_printed = FIXED_TIME


def _block(word: Any, block: Block) -> None:
    if isinstance(block, Paragraph):
        _add_paragraph(word, block)
    elif isinstance(block, BulletList):
        for item in block.items:
            _add_paragraph(word, item, style="List Bullet", prefix="✓ " if block.check else "")
    elif isinstance(block, Table):
        _table(word, block)
    elif isinstance(block, Figure):
        _figure(word, block)
    elif isinstance(block, FindingList):
        for finding in block.items:
            _finding(word, finding)
    else:
        raise TypeError(f"unknown block {type(block).__name__}")


def _add_paragraph(word: Any, paragraph: Paragraph, style: str | None = None, prefix: str = "", extra: str = "") -> Any:
    from docx.shared import RGBColor

    out = _paragraph(word, style)
    if prefix:
        out.add_run(prefix)
    for run in paragraph.runs:
        added = out.add_run(run.text)
        added.bold = run.bold or None
        added.italic = run.italic or None
    if extra:
        out.add_run(extra)
    if paragraph.muted:
        for run in out.runs:
            run.font.color.rgb = RGBColor(*MUTED_RGB)
    return out


def _finding(word: Any, item: FindingItem) -> None:
    from docx.shared import RGBColor

    out = _paragraph(word, "List Bullet")
    out.add_run(f"{item.title}:").bold = True
    out.add_run(f" {item.summary} ")
    count = out.add_run(f"— {item.count_text}")
    count.font.color.rgb = RGBColor(*MUTED_RGB)
    if item.draft:
        mark = out.add_run(f" {item.draft_label}")
        mark.italic = True
        mark.font.color.rgb = RGBColor(*DRAFT_RGB)
    for text in item.quote_texts:
        _paragraph(word, "Quote", text)
    for detail in item.details:
        _add_paragraph(word, Paragraph(runs=(), muted=True), extra=detail)


def _figure(word: Any, figure: Figure) -> None:
    from docx.shared import Inches

    word.add_picture(io.BytesIO(figure.png), width=Inches(PICTURE_WIDTH_IN))
    shape = word.inline_shapes[-1]
    shape._inline.docPr.set("descr", figure.alt)
    if figure.caption:
        _paragraph(word, "Caption", figure.caption)


def _table(word: Any, table: Table) -> None:
    from docx.enum.text import WD_ALIGN_PARAGRAPH

    grid = word.add_table(rows=1 + len(table.rows), cols=len(table.header))
    grid._tbl.tblStyle_val = _style_id(word, "Light List Accent 1")
    rows = grid.rows
    for i, value in enumerate(table.header):
        rows[0].cells[i].text = value
    for r, row in enumerate(table.rows, start=1):
        cells = rows[r].cells
        for i, value in enumerate(row):
            cells[i].text = value
            if i in table.numeric:
                cells[i].paragraphs[0].alignment = WD_ALIGN_PARAGRAPH.RIGHT
    if table.caption:
        _paragraph(word, "Caption", table.caption)
