"""Render the document model as one self-contained HTML page (inline CSS, charts as data URIs, no scripts).

Every text from the data goes through `html.escape`; no raw HTML is ever taken from answers, titles or config.
A Content-Security-Policy forbids scripts and remote resources, as a second line of defence.

The same page prints as the PDF (`print_page=True`: PNG charts, which the PDF holds as images): A4 pages numbered
"n / N" in the bottom margin, the contents on the first page, headings kept with what follows. Fonts are listed
for the six UN languages (Noto Sans, Noto Sans Arabic, Noto Sans CJK; Debian's fonts-noto-core and fonts-noto-cjk),
and each paragraph, list item and cell takes its direction from its own text (Arabic answers read right to left).
A report in a right-to-left language (Arabic) gets `dir="rtl"` on the page: tables run from the right, lists and
the layout (indents, quote bars, numeric columns) mirror, since the CSS uses logical sides (start/end) throughout;
its own paragraphs and headings read right to left, while a heading or paragraph of the config's or respondents'
words in a left-to-right language keeps its direction (its question mark stays at its end).
"""

from __future__ import annotations

import base64
from html import escape

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

RTL = ' dir="rtl"'
CSP = "default-src 'none'; img-src data:; style-src 'unsafe-inline'"
CSS = """
body{font-family:"Noto Sans","DejaVu Sans","Segoe UI",Arial,"Noto Sans Arabic","Noto Naskh Arabic","Noto Sans CJK SC",
"Noto Sans SC","Microsoft YaHei",sans-serif;color:#262626;background:#fff;margin:0;line-height:1.5}
h1,h2,h3,p,li,th,td,caption,blockquote{unicode-bidi:plaintext}
main{max-width:58rem;margin:0 auto;padding:2rem 1.5rem 4rem}
h1{font-size:1.9rem;margin:0 0 .3rem;color:#08306b}
h2{font-size:1.4rem;margin:2.4rem 0 .8rem;padding-bottom:.25rem;border-bottom:2px solid #c6dbef;color:#08306b}
h3{font-size:1.1rem;margin:2rem 0 .6rem}
.subtitle{color:#636363;margin:0 0 1.5rem}
.cover{margin:0 0 1.5rem}.cover p{margin:.2rem 0}
nav.toc{background:#f5f8fc;border:1px solid #dbe6f3;border-radius:6px;padding:.8rem 1.2rem;margin:1.2rem 0 2rem}
nav.toc ol{margin:.3rem 0;padding-inline-start:1.3rem}
nav.toc a{color:#08519c;text-decoration:none}
nav.toc a:hover{text-decoration:underline}
figure{margin:1rem 0}
figure img{max-width:100%;height:auto;display:block}
p.muted,.caption{color:#636363;font-size:.9rem}
ul.check{list-style:none;padding-inline-start:1rem}
ul.check li::before{content:"\\2713\\00a0";color:#2171b5;font-weight:bold}
ul.findings li{margin:.45rem 0}
.count{color:#636363;font-size:.9rem;white-space:nowrap}
.draft{color:#a63603;font-size:.85rem;font-style:italic}
blockquote.quote{margin:.3rem 0 .2rem;margin-inline-start:1rem;padding-inline-start:.7rem;
border-inline-start:3px solid #c6dbef;color:#404040}
.votes{color:#636363;font-size:.9rem}
table{border-collapse:collapse;margin:.8rem 0 1.2rem;font-size:.9rem;width:100%}
table caption{caption-side:bottom;text-align:start;padding-top:.4rem}
th,td{border-bottom:1px solid #e0e0e0;padding:.35rem .6rem;text-align:start;vertical-align:top}
th{background:#f5f8fc;font-weight:600}
td.num,th.num{text-align:end}td.num{white-space:nowrap}th.num{min-width:4.5em}
html[dir=rtl] :is(h1,h2,h3,nav.toc li,th,td){text-align:right}html[dir=rtl] :is(th.num,td.num){text-align:left}
@page{size:A4;margin:18mm 16mm 20mm;
@bottom-center{content:counter(page) " / " counter(pages);font:8pt "Noto Sans","DejaVu Sans",sans-serif;color:#636363}}
@media print{html{font-size:10pt}main{max-width:none;padding:0}nav.toc{break-after:page}a{color:inherit}
h2,h3,section:has(>h2){break-after:avoid}figure,tr,blockquote,ul.check,ul.findings li{break-inside:avoid}}
"""


def render_html(doc: Document, print_page: bool = False) -> str:
    """The report as a self-contained HTML page with a table of contents (PNG charts when `print_page`)."""
    head = (
        "<!DOCTYPE html>\n"
        f'<html lang="{escape(doc.language)}"{RTL if doc.right_to_left else ""}>\n<head>\n<meta charset="utf-8">\n'
        f'<meta http-equiv="Content-Security-Policy" content="{CSP}">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        f"<title>{escape(doc.title)}</title>\n<style>{CSS}</style>\n</head>\n"
    )
    body = [f"<h1>{escape(doc.title)}</h1>"]
    if doc.subtitle:
        body.append(f'<p class="subtitle">{escape(doc.subtitle)}</p>')
    if doc.cover:
        body.append('<div class="cover">' + "".join(f"<p>{_paragraph(line)}</p>" for line in doc.cover) + "</div>")
    body.append(table_of_contents(doc))
    body += [render_section(s, print_page) for s in doc.sections]
    return head + "<body>\n<main>\n" + "\n".join(body) + "\n</main>\n</body>\n</html>\n"


def table_of_contents(doc: Document) -> str:
    """Nested ordered list of section links: level-3 sections nest under the level-2 section before them."""
    tree: list[tuple[Section, list[Section]]] = []
    for section in doc.sections:
        if section.level >= 3 and tree:
            tree[-1][1].append(section)
        else:
            tree.append((section, []))
    items = []
    for section, children in tree:
        sub = "".join(f"<li>{_link(c)}</li>" for c in children)
        items.append(f"<li>{_link(section)}{f'<ol>{sub}</ol>' if sub else ''}</li>")
    label = escape(doc.contents_title)
    return f'<nav class="toc" aria-label="{label}"><strong>{label}</strong>\n<ol>' + "\n".join(items) + "</ol></nav>"


def _link(section: Section) -> str:
    return f'<a href="#{escape(section.anchor)}">{escape(section.title)}</a>'


def render_section(section: Section, print_page: bool = False) -> str:
    """One section: its heading (with an id for the contents) and its blocks (PNG charts when `print_page`)."""
    tag = f"h{min(max(section.level, 2), 6)}"
    parts = [f'<section><{tag} id="{escape(section.anchor)}">{escape(section.title)}</{tag}>']
    parts += [_figure(b, png=print_page) if isinstance(b, Figure) else _block(b) for b in section.blocks]
    return "\n".join(parts) + "\n</section>"


def _run(run: Run) -> str:
    body = escape(run.text)
    if run.bold:
        body = f"<strong>{body}</strong>"
    if run.italic:
        body = f"<em>{body}</em>"
    return body


def _paragraph(paragraph: Paragraph) -> str:
    return "".join(_run(r) for r in paragraph.runs)


def _block(block: Block) -> str:
    if isinstance(block, Paragraph):
        return f"<p{_class('muted', block.muted)}>{_paragraph(block)}</p>"
    if isinstance(block, BulletList):
        items = "".join(f"<li>{_paragraph(i)}</li>" for i in block.items)
        return f"<ul{_class('check', block.check)}>{items}</ul>"
    if isinstance(block, Table):
        return _table(block)
    if isinstance(block, Figure):
        return _figure(block)
    if isinstance(block, FindingList):
        return '<ul class="findings">' + "".join(_finding(i) for i in block.items) + "</ul>"
    raise TypeError(f"unknown block {type(block).__name__}")


def _class(name: str, on: bool) -> str:
    return f' class="{name}"' if on else ""


def _finding(item: FindingItem) -> str:
    mark = f' <span class="draft">{escape(item.draft_label)}</span>' if item.draft else ""
    quote = "".join(f'<blockquote class="quote">{escape(text)}</blockquote>' for text in item.quote_texts)
    votes = "".join(f'<div class="votes">{escape(detail)}</div>' for detail in item.details)
    return (
        f"<li><strong>{escape(item.title)}:</strong> {escape(item.summary)} "
        f'<span class="count">— {escape(item.count_text)}</span>{mark}{quote}{votes}</li>'
    )


def _figure(figure: Figure, png: bool = False) -> str:
    mime, data = ("image/svg+xml", figure.svg) if figure.svg and not png else ("image/png", figure.png)
    uri = f"data:{mime};base64,{base64.b64encode(data).decode('ascii')}"
    caption = f'<figcaption class="caption">{escape(figure.caption)}</figcaption>' if figure.caption else ""
    return f'<figure><img src="{uri}" alt="{escape(figure.alt)}">{caption}</figure>'


def _table(table: Table) -> str:
    def cell(tag: str, i: int, value: str) -> str:
        return f"<{tag}{_class('num', i in table.numeric)}>{escape(value)}</{tag}>"

    head = "<tr>" + "".join(cell("th", i, h) for i, h in enumerate(table.header)) + "</tr>"
    rows = "".join("<tr>" + "".join(cell("td", i, v) for i, v in enumerate(r)) + "</tr>" for r in table.rows)
    caption = f'<caption class="caption">{escape(table.caption)}</caption>' if table.caption else ""
    return f"<table>{caption}<thead>{head}</thead><tbody>{rows}</tbody></table>"
