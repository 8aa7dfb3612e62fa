"""Render Markdown as a CommonMark renderer would, and list what in it could be active HTML."""

from __future__ import annotations

from html.parser import HTMLParser

from markdown_it import MarkdownIt

SAFE_TAGS = frozenset(
    {"p", "h1", "h2", "h3", "h4", "h5", "h6", "ul", "ol", "li", "strong", "em", "blockquote", "code", "pre", "hr"}
    | {"br", "table", "thead", "tbody", "tr", "th", "td", "a", "img"}
)
UNSAFE_SCHEMES = ("javascript:", "vbscript:", "data:")


class _Tags(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.problems: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag not in SAFE_TAGS:
            self.problems.append(f"<{tag}>")
        for name, value in attrs:
            link = (value or "").strip().lower()
            if name.startswith("on") or (name in ("href", "src") and link.startswith(UNSAFE_SCHEMES)):
                self.problems.append(f"<{tag} {name}={value!r}>")


def active_html(markdown_text: str) -> list[str]:
    """Elements and attributes of the rendered Markdown that a browser would run (HTML comments are inert)."""
    md = MarkdownIt("commonmark").enable("table")
    md.validateLink = lambda url: True  # render javascript: links as a less careful renderer would
    html = md.render(markdown_text)
    parser = _Tags()
    parser.feed(html)
    return parser.problems
