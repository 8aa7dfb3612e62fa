"""One chat request per finding: the question and a sample of its members, most central first, masked."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd

from pipeline.config import MASK_KINDS, WriterConfig
from pipeline.languages import UNDETERMINED, finding_language
from pipeline.privacy import mask_text
from pipeline.stages.shared.indexed import Indexed, as_indexed
from pipeline.stages.shared.sidecar import Finding, QuestionDraft

Message = dict[str, str]

LANGUAGE_NAMES = {
    "ar": "Arabic",
    "bg": "Bulgarian",
    "cs": "Czech",
    "da": "Danish",
    "de": "German",
    "el": "Greek",
    "en": "English",
    "es": "Spanish",
    "et": "Estonian",
    "fi": "Finnish",
    "fr": "French",
    "hr": "Croatian",
    "hu": "Hungarian",
    "it": "Italian",
    "ja": "Japanese",
    "lt": "Lithuanian",
    "lv": "Latvian",
    "nl": "Dutch",
    "pl": "Polish",
    "pt": "Portuguese",
    "ro": "Romanian",
    "ru": "Russian",
    "sk": "Slovak",
    "sl": "Slovenian",
    "sv": "Swedish",
    "zh": "Chinese",
}

SYSTEM = (
    "You help analysts report what respondents said in a public consultation. You are given the question and the "
    "answers of one group of respondents who made the same point. Name that point. Use only what the answers say; "
    "add no opinion, number or fact of your own. Reply with one JSON object and nothing else."
)

INSTRUCTIONS = (
    'Reply with only this JSON object: {{"title": "...", "summary": "...", "quote_ids": ["..."]}}\n'
    "- title: 2 to 8 words naming the point these answers make, in {language}, like a report heading "
    "(no final full stop).\n"
    "- summary: one sentence in {language} saying what these respondents said (no numbers or shares).\n"
    "- quote_ids: the ids (in square brackets above) of 1 to 3 answers that best show the point, copied exactly."
)

RETRY = "Your reply could not be used: {problems}. Reply again with only the JSON object, following the rules above."


@dataclass(frozen=True)
class Request:
    """One chat request: the finding it is for, its messages, the statements sent and their language."""

    question_id: str
    finding_id: str
    messages: tuple[Message, ...]
    sent: tuple[str, ...]
    language: str

    @property
    def checksum(self) -> str:
        """SHA-256 of the messages (the prompt), the cache key with the model's name."""
        text = json.dumps(list(self.messages), ensure_ascii=False, sort_keys=True)
        return hashlib.sha256(text.encode()).hexdigest()

    @property
    def chars(self) -> int:
        """Characters sent (about four per token)."""
        return sum(len(m["content"]) for m in self.messages)


def language_name(code: str) -> str:
    """English name of an ISO 639-1 code, for the prompt (the members' language)."""
    if code == UNDETERMINED:
        return "the language most of the answers are written in"
    return LANGUAGE_NAMES.get(code, f"the language with ISO 639-1 code '{code}'")


def masked(text: str) -> str:
    """Text with email addresses and phone numbers masked, whatever `input.mask` says (nothing else sent)."""
    return mask_text(text, MASK_KINDS)[0]


def central_members(finding: Finding, rows: pd.DataFrame, vectors: np.ndarray | Indexed) -> list[str]:
    """A finding's member statement ids, most central (cosine to the members' mean) first, ties by id.

    Args:
        finding: the finding.
        rows: the question's statements (`statement_id`), aligned with `vectors`.
        vectors: the question's statement embeddings (empty: members in id order).
    """
    index = {sid: i for i, sid in enumerate(rows["statement_id"].astype(str))}
    members = [m for m in sorted(finding.members) if m in index]
    if not members or len(vectors) != len(rows):
        return members
    block = as_indexed(vectors).rows(np.array([index[m] for m in members], dtype=np.int64)).astype(np.float64)
    centre = block.mean(axis=0)
    centre /= np.linalg.norm(centre) or 1.0
    scores = block @ centre
    order = sorted(range(len(members)), key=lambda i: (-round(float(scores[i]), 6), members[i]))
    return [members[i] for i in order]


def sample_lines(ids: Sequence[str], texts: Mapping[str, str], cfg: WriterConfig) -> list[tuple[str, str]]:
    """Up to `cfg.sample` (id, masked text) pairs, copies of a text already taken left out, each cut to length."""
    seen: set[str] = set()
    out: list[tuple[str, str]] = []
    for sid in ids:
        text = " ".join(masked(texts.get(sid, "")).split())
        key = text.casefold()
        if not text or key in seen:
            continue
        seen.add(key)
        out.append((sid, text if len(text) <= cfg.statement_chars else text[: cfg.statement_chars - 1] + "…"))
        if len(out) == cfg.sample:
            break
    return out


def finding_request(
    draft: QuestionDraft,
    finding: Finding,
    rows: pd.DataFrame,
    vectors: np.ndarray | Indexed,
    cfg: WriterConfig,
    language: str,
) -> Request | None:
    """The request for one finding (None when none of its members has text)."""
    texts = dict(zip(rows["statement_id"].astype(str), rows["text"].astype(str), strict=True))
    lines = sample_lines(central_members(finding, rows, vectors), texts, cfg)
    if not lines:
        return None
    answers = "\n".join(f"[{sid}] {text}" for sid, text in lines)
    user = (
        f"Question: {' '.join(masked(draft.question_text).split())}\n\n"
        f"Answers in this group, the most typical first:\n{answers}\n\n"
        + INSTRUCTIONS.format(language=language_name(language))
    )
    messages = ({"role": "system", "content": SYSTEM}, {"role": "user", "content": user})
    return Request(draft.question_id, finding.id, messages, tuple(sid for sid, _ in lines), language)


def members_language(finding: Finding, languages: Mapping[str, str], preferred: str | None, share: float) -> str:
    """The language of a finding's text: as the findings stage chose it (`languages.finding_language`)."""
    return finding_language([languages.get(m, UNDETERMINED) for m in finding.members], preferred, share)


def build_requests(
    drafts: Mapping[str, QuestionDraft],
    statements: pd.DataFrame,
    vectors: Mapping[str, np.ndarray | Indexed],
    cfg: WriterConfig,
    preferred: str | None = None,
    share: float = 0.2,
) -> list[Request]:
    """One request per top finding of every question, in question and rank order.

    Args:
        drafts: the findings stage's drafts.
        statements: embed statements (`statement_id, question_id, text[, language]`); no other column is sent.
        vectors: question id -> statement embeddings in statements order (for the central-first order).
        cfg: the writer settings (sample size, statement length).
        preferred: `report.language` (see `share`).
        share: `findings.language_share`: the text is asked for in `preferred` when this share of members wrote it.
    """
    out: list[Request] = []
    has_language = "language" in statements.columns
    for qid, draft in drafts.items():
        rows = statements[statements["question_id"].astype(str) == qid].reset_index(drop=True)
        ids = rows["statement_id"].astype(str)
        langs = dict(zip(ids, rows["language"].astype(str), strict=True)) if has_language else {}
        q_vectors = vectors.get(qid, np.zeros((0, 0), dtype=np.float32))
        for finding in draft.top:
            language = members_language(finding, langs, preferred, share)
            request = finding_request(draft, finding, rows, q_vectors, cfg, language)
            if request is not None:
                out.append(request)
    return out


def retry_request(request: Request, reply: str, problems: Sequence[str]) -> Request:
    """The second try: the first reply and what was wrong with it appended to the conversation."""
    extra = (
        {"role": "assistant", "content": reply},
        {"role": "user", "content": RETRY.format(problems="; ".join(problems))},
    )
    return Request(request.question_id, request.finding_id, request.messages + extra, request.sent, request.language)
