"""A model's reply read (code fences and text around the JSON object tolerated) and checked against the members."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass

from pipeline.languages import UNDETERMINED, detect_language
from pipeline.stages.embed import split_answer
from pipeline.stages.writer.prompt import Request, language_name

TITLE_WORDS = (2, 8)
SUMMARY_CHARS = 400
_FENCE = re.compile(r"```(?:json)?", re.IGNORECASE)
_THINKING = re.compile(r"<think>.*?</think>", re.IGNORECASE | re.DOTALL)  # reasoning models think aloud first
_QUOTES = "\"'“”‘’«»"


@dataclass(frozen=True)
class Reply:
    """A reply read: a title, one sentence and the ids of the statements it cites."""

    title: str
    summary: str
    quote_ids: tuple[str, ...]


def _objects(text: str) -> list[dict[str, object]]:
    """Every JSON object found in the text, in order (the first `{` that starts one wins)."""
    decoder = json.JSONDecoder()
    found: list[dict[str, object]] = []
    start = text.find("{")
    while start != -1:
        try:
            value, end = decoder.raw_decode(text, start)
        except json.JSONDecodeError:
            start = text.find("{", start + 1)
            continue
        if isinstance(value, dict):
            found.append(value)
        start = text.find("{", end)
    return found


def _clean(value: object) -> str:
    return " ".join(str(value).split()).strip(_QUOTES + " ") if isinstance(value, str | int | float) else ""


def parse_reply(text: str) -> Reply | str:
    """The reply's title, summary and quote ids, or a one-line problem when it holds no such JSON object.

    A reply wrapped in a code fence or with text around the object is read (a reasoning model's `<think>` block
    left out); the first object with a `title` wins.
    """
    for value in _objects(_FENCE.sub("", _THINKING.sub("", text))):
        if "title" not in value:
            continue
        ids = value.get("quote_ids", [])
        ids = ids if isinstance(ids, list) else [ids]
        title = _clean(value.get("title")).rstrip(".")
        return Reply(title, _clean(value.get("summary")), tuple(_clean(i).strip("[]") for i in ids if _clean(i)))
    return "the reply holds no JSON object with a title" if "{" in text else "the reply is not JSON"


def check_reply(written: Reply, request: Request) -> list[str]:
    """What keeps a reply from being used (empty: it is grounded).

    The title has 2-8 words on one line; the summary is one sentence of at most 400 characters; the quote ids are
    1-3 of the statements sent; title and summary are in the members' language (when both can be told).
    """
    problems: list[str] = []
    words = len(written.title.split())
    if not TITLE_WORDS[0] <= words <= TITLE_WORDS[1]:
        problems.append(f"the title has {words} words, not {TITLE_WORDS[0]} to {TITLE_WORDS[1]}")
    sentences = split_answer(written.summary, "sentences", 1) if written.summary else []
    if len(sentences) != 1 or len(written.summary) > SUMMARY_CHARS:
        problems.append(f"the summary is {len(sentences)} sentences, not one of at most {SUMMARY_CHARS} characters")
    unknown = [i for i in written.quote_ids if i not in request.sent]
    if unknown:
        problems.append(f"quote ids {', '.join(unknown[:3])} are not among the answers sent")
    elif not written.quote_ids:
        problems.append("no quote ids")
    language = detect_language(f"{written.title}. {written.summary}")
    if UNDETERMINED not in (language, request.language) and language != request.language:
        problems.append(f"it is written in {language_name(language)}, not in {language_name(request.language)}")
    return problems
