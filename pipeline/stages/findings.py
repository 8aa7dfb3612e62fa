"""Clusters -> ranked findings per open question: title, one-sentence summary, n and %, quotes, members.

Every count is in distinct respondents; every summary and quote is verbatim text of a member statement.
Ranking: respondents (desc), then statements (desc), then the smallest member statement id, so ties are stable.
"""

from __future__ import annotations

import hashlib
import re
from collections import Counter
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd

from pipeline.config import FindingsConfig
from pipeline.detect.values import REPLY_EDGES, non_answer_key
from pipeline.sidecar import Finding, QuestionDraft, Quote
from pipeline.stages.cluster import NOISE, unit_mean
from pipeline.stages.embed import open_question_ids
from pipeline.stages.keyphrases import (
    cluster_keyphrases,
    compound,
    headline_words,
    question_words,
    segments,
    word_key,
)

SENTENCE_BREAK = re.compile(r"(?<=[.!?])\s+")
CLAUSE_BREAK = re.compile(r"[;:,]\s+|\s+[-–—]\s+")
BULLETS = ("-", "•", "*", "=", "+", "@")
CENTRAL_FOR_TITLE = 3  # a key-phrase title should occur in one of this many most central statements


@dataclass(frozen=True)
class QuestionInput:
    """What the findings of one question are built from."""

    question_id: str
    question_text: str
    statements: pd.DataFrame  # statement_id, respondent_id, text (rows aligned with vectors and labels)
    vectors: np.ndarray
    labels: np.ndarray
    answered: int
    non_answers: int


def trim_summary(text: str, limit: int) -> str:
    """The leading whole sentences of `text` that fit in `limit` characters (a verbatim prefix).

    When even the first sentence is longer, it is cut at the last clause break, else word break, before the limit.
    """
    text = text.strip()
    if len(text) <= limit:
        return text
    kept = ""
    for match in SENTENCE_BREAK.finditer(text):
        if match.start() > limit:
            break
        kept = text[: match.start()]
    if kept:
        return kept
    head = text[:limit]
    breaks = [m.start() for m in CLAUSE_BREAK.finditer(head)]
    cut = breaks[-1] if breaks and breaks[-1] > limit // 3 else head.rfind(" ")
    return head[: cut if cut > 0 else limit].rstrip(" ,;:-–—")


def finding_id(question_id: str, anchor_statement: str) -> str:
    """Stable id: question id + short hash of the finding's most central statement."""
    return f"{question_id}-{hashlib.sha1(anchor_statement.encode()).hexdigest()[:6]}"


def _closest(vectors: np.ndarray, centre: np.ndarray) -> np.ndarray:
    """Member indices, most similar to the centre first (stable for ties)."""
    return np.argsort(-(vectors @ centre), kind="stable")


def _summary_index(texts: list[str], order: np.ndarray, title: str = "") -> int:
    """Most central member that reads as a statement (4+ words) and does not repeat the title, else the most central."""
    for index in order[:10]:
        if len(texts[index].split()) >= 4 and _norm(texts[index]).rstrip(".!;:") != _norm(title):
            return int(index)
    return int(order[0])


def _quotes(texts: list[str], people: list[str], order: np.ndarray, skip: int, k: int) -> list[Quote]:
    """Up to k central quotes from distinct respondents with distinct wording (never the summary's text)."""
    quotes: list[Quote] = []
    seen_people: set[str] = set()
    seen_texts = {_norm(texts[skip])}
    for index in order:
        if len(quotes) >= k:
            break
        person, text = people[int(index)], texts[int(index)]
        if person in seen_people or _norm(text) in seen_texts:
            continue
        seen_people.add(person)
        seen_texts.add(_norm(text))
        quotes.append(Quote(response_id=person, text=text))
    return quotes


def _norm(text: str) -> str:
    return " ".join(text.lower().split())


def _title(phrases: list[str], texts: list[str], order: np.ndarray, max_words: int) -> str:
    """A reply most members give word for word, else a central statement that reads as a headline, else a key phrase.

    The key phrase is the best one that the most central statements use (so the title agrees with the summary and
    quotes below it), else the best one; it gets the members' own casing ("AI tools", "ITU's mandate"), the most
    central member first on ties. A lone word takes the modifiers a central statement gives it ("Services" ->
    "Conformity assessment services", `keyphrases.compound`).
    """
    central = [texts[int(index)] for index in order]
    shared = _majority_text(texts, max_words)
    if shared:
        return _capitalise(shared)
    for text in central[:5]:
        if _headline_statement(text, max_words):
            return _capitalise(" ".join(text.strip().rstrip(".!;:").split()))
    if phrases:
        near = central[:CENTRAL_FOR_TITLE]
        chosen = next((p for p in phrases if next(_occurrences(p.split(), near), None)), phrases[0])
        longer = compound(chosen, near, max_words) if " " not in chosen else None
        return _capitalise(longer or original_casing(chosen, central))
    return _capitalise(_leading_words(central[0], max_words))


def _majority_text(texts: list[str], max_words: int) -> str | None:
    """The reply that more than half the members give word for word, in its most frequent spelling, else None.

    Case, spacing and surrounding punctuation are ignored ("Nothing", "nothing .", "NOTHING?"); the reply has at
    most max_words + 1 words (a title, not a sentence).
    """
    keys = [_norm(non_answer_key(text)) for text in texts]
    key, count = Counter(keys).most_common(1)[0] if keys else ("", 0)
    if not key or count < 2 or count * 2 <= len(texts) or len(key.split()) > max_words + 1:
        return None
    spellings = Counter(" ".join(t.strip(REPLY_EDGES).split()) for t, k in zip(texts, keys, strict=True) if k == key)
    return spellings.most_common(1)[0][0]


def _headline_statement(text: str, max_words: int) -> bool:
    """2..max_words+1 words, no list marker, starting and ending like a headline ("Reduce business-class travel")."""
    text = text.strip()
    words = text.rstrip(".!;:").split()
    return 2 <= len(words) <= max_words + 1 and not text.startswith(BULLETS) and headline_words(words)


def _leading_words(text: str, max_words: int) -> str:
    """Up to max_words leading words of the first run of words, trailing function words dropped."""
    runs = segments(text)
    words = runs[0][:max_words] if runs else text.split()[:max_words]
    while len(words) > 1 and not headline_words(words):
        words = words[:-1]
    return " ".join(words)


def _capitalise(text: str) -> str:
    """Upper-case the first character when it is lower-case, unless the first word has an inner capital ("iPhone")."""
    return text if odd_casing(text.split(" ", 1)[0]) else text[:1].upper() + text[1:]


def original_casing(phrase: str, texts: Sequence[str]) -> str:
    """The phrase as the texts most often write it ("ai tools" -> "AI tools"), the earliest text first on ties.

    The case of the first letter does not split the count ("Service" at a sentence start and "service" are one
    spelling; the title capitalises it anyway), and a spelling with a capital inside a word counts half ("servIce"
    in exports that garble the letter i; a brand written so everywhere keeps it). Returns the phrase unchanged when
    no text holds it within one run of words.
    """
    found = list(_occurrences(phrase.split(), texts))  # in text order: dict order and ties go to the earliest
    if not found:
        return phrase
    weight: dict[str, float] = {}
    for variant in found:
        spelling = _fold_first(variant)
        weight[spelling] = weight.get(spelling, 0.0) + (0.5 if any(odd_casing(w) for w in variant.split()) else 1.0)
    best = max(weight, key=weight.__getitem__)
    return Counter(v for v in found if _fold_first(v) == best).most_common(1)[0][0]


def _occurrences(target: list[str], texts: Sequence[str]) -> Iterator[str]:
    """Original words of each occurrence of the lower-cased words within one run of words, in text order."""
    n = len(target)
    for text in texts:
        for run in segments(text):
            keys = [word_key(w) for w in run]
            for s in range(len(run) - n + 1):
                if keys[s : s + n] == target:
                    yield " ".join(run[s : s + n])


def _fold_first(text: str) -> str:
    return text[:1].lower() + text[1:]


def odd_casing(word: str) -> bool:
    """A capital right after a small letter inside a word: garbled casing ("servIce") or a brand ("iPhone")."""
    return any(a.islower() and b.isupper() for a, b in zip(word, word[1:], strict=False))


def build_finding(q: QuestionInput, label: int, phrases: list[str], cfg: FindingsConfig) -> Finding:
    """Describe one cluster as a finding (rank filled in later)."""
    index = np.flatnonzero(q.labels == label)
    members = q.statements.iloc[index]
    texts = members["text"].astype(str).tolist()
    people = members["respondent_id"].astype(str).tolist()
    statement_ids = members["statement_id"].astype(str).tolist()
    vectors = q.vectors[index]
    centre = unit_mean(vectors)
    order = _closest(vectors, centre)
    title = _title(phrases, texts, order, cfg.title_words)
    anchor = _summary_index(texts, order, title)
    n = len(set(people))
    return Finding(
        id=finding_id(q.question_id, statement_ids[int(order[0])]),
        rank=1,
        title=title,
        summary=trim_summary(texts[anchor], cfg.summary_chars),
        n_respondents=n,
        pct=round(100.0 * n / q.answered, 1) if q.answered else 0.0,
        cohesion=round(float((vectors @ centre).mean()), 4),
        keywords=phrases,
        quotes=_quotes(texts, people, order, anchor, cfg.quotes),
        members=sorted(statement_ids),
    )


def question_findings(q: QuestionInput, cfg: FindingsConfig, edit_file: str = "") -> QuestionDraft:
    """All findings of one question, ranked, with the not-grouped respondents counted."""
    texts = q.statements["text"].astype(str).tolist()
    phrases = cluster_keyphrases(texts, q.labels, cfg, question_words(q.question_text)) if texts else {}
    found = [build_finding(q, label, phrases.get(label, []), cfg) for label in sorted(set(q.labels.tolist()) - {NOISE})]
    found.sort(key=lambda f: (-f.n_respondents, -len(f.members), f.members[0]))
    ranked = [f.model_copy(update={"rank": i}) for i, f in enumerate(found, start=1)]
    grouped = set(q.statements.loc[q.labels != NOISE, "respondent_id"].astype(str))
    ungrouped = q.statements[q.labels == NOISE]
    return QuestionDraft(
        question_id=q.question_id,
        question_text=q.question_text,
        edit_file=edit_file,
        answered=q.answered,
        non_answers=q.non_answers,
        not_grouped=len(set(ungrouped["respondent_id"].astype(str)) - grouped),
        not_grouped_members=sorted(ungrouped["statement_id"].astype(str)),
        top_n=cfg.top_n,
        findings=ranked,
    )


def run_findings(
    questions: pd.DataFrame,
    answers: pd.DataFrame,
    statements: pd.DataFrame,
    clusters: pd.DataFrame,
    vectors: dict[str, np.ndarray],
    findings_for: Callable[[str], FindingsConfig],
) -> dict[str, QuestionDraft]:
    """Build the ranked findings of every open question.

    Args:
        questions: ingest questions (`question_id, text, kind, ...`).
        answers: ingest answers (`respondent_id, question_id, status, ...`), for the answered / non-answer bases.
        statements: embed statements (`statement_id, respondent_id, question_id, text`).
        clusters: cluster output (`statement_id, question_id, cluster`), aligned with statements per question.
        vectors: question id -> embeddings in statements order.
        findings_for: a question's findings settings (overrides applied).

    Returns:
        question id -> QuestionDraft, in questionnaire order.
    """
    out: dict[str, QuestionDraft] = {}
    texts = dict(zip(questions["question_id"].astype(str), questions["text"].astype(str), strict=True))
    for qid in open_question_ids(questions):
        rows = statements[statements["question_id"] == qid].reset_index(drop=True)
        labels = clusters.loc[clusters["question_id"] == qid, "cluster"].to_numpy(dtype=np.int64)
        q_answers = answers[answers["question_id"] == qid]
        q = QuestionInput(
            question_id=qid,
            question_text=texts.get(qid, qid),
            statements=rows,
            vectors=vectors.get(qid, np.zeros((0, 0), dtype=np.float32)),
            labels=labels,
            answered=int(q_answers.loc[q_answers["status"] == "answer", "respondent_id"].nunique()),
            non_answers=int(q_answers.loc[q_answers["status"] == "non_answer", "respondent_id"].nunique()),
        )
        out[qid] = question_findings(q, findings_for(qid))
    return out
