"""Themes -> ranked findings of one question: title, summary, n and %, quotes, coherence, sub-points, merge hints."""

from __future__ import annotations

import hashlib
from collections import Counter
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from pipeline.config import FindingsConfig
from pipeline.detect.noise import NOISE_KINDS
from pipeline.languages import UNDETERMINED, in_main_language, other_function_words
from pipeline.stages.cluster import NOISE, unit
from pipeline.stages.embed import open_question_ids
from pipeline.stages.findings.keyphrases import cluster_keyphrases, rank_keyphrases
from pipeline.stages.findings.text import quote_order, quotes, summary_index, trim_summary, without_lead_in
from pipeline.stages.findings.titles import TitleContext, choose_titles
from pipeline.stages.shared.indexed import Indexed, as_indexed
from pipeline.stages.shared.phrases import PhraseVectors
from pipeline.stages.shared.sidecar import Finding, MergeHint, QuestionDraft, SubPoint
from pipeline.stages.shared.threads import with_fixed_threads
from pipeline.stages.shared.words import question_words

TITLE_CANDIDATES = 10  # best key phrases of a finding weighed as its title
KEYWORDS = 5  # key phrases listed under a finding (sharing no word)
SUBPOINT_SUMMARY_CHARS = 300
MAX_SUBPOINTS = 8  # largest fine groups shown under a finding
SUBPOINT_FINDINGS = 30  # findings whose fine groups are shown
SUBPOINT_MIXED = 0.5  # two large sub-points less similar than this: the finding is flagged mixed
HINT_QUANTILE = 0.75  # a suggested merge is among the question's most similar quarter of pairs of findings


@dataclass(frozen=True)
class QuestionInput:
    """What the findings of one question are built from (rows of statements, vectors and labels aligned)."""

    question_id: str
    question_text: str
    statements: pd.DataFrame  # statement_id, respondent_id, text
    vectors: np.ndarray | Indexed  # unit vectors (an `Indexed`: a row per distinct vector, an index per statement)
    labels: np.ndarray  # theme per statement (NOISE = not grouped)
    answered: int
    non_answers: int
    set_apart: dict[str, int] = field(default_factory=dict)  # non-answers by noise kind (`set_apart_counts`)
    fine: np.ndarray | None = None  # fine group per statement: a theme's sub-points
    groups: np.ndarray | None = None  # coarser grouping: findings sharing one are suggested merges
    phrases: PhraseVectors | None = None
    languages: np.ndarray | None = None  # language of each statement (ISO 639-1 or "und")
    report_language: str | None = None  # the report's language: titles and sentences in it where members wrote it
    campaigns: np.ndarray | None = None  # campaign number per statement (-1: none): a campaign's theme is one


@dataclass(frozen=True)
class _Group:
    """One theme (or sub-point) being described: member rows, centroid, members most central first."""

    rows: np.ndarray
    centre: np.ndarray
    order: np.ndarray = field(repr=False)


def finding_id(question_id: str, anchor_statement: str) -> str:
    """Stable id: question id + short hash of the finding's most central statement."""
    return f"{question_id}-{hashlib.sha1(anchor_statement.encode()).hexdigest()[:6]}"


def subpoint_id(question_id: str, anchor_statement: str) -> str:
    """Stable id of a sub-point, never equal to a finding id: question id + `p` + hash of its central statement."""
    return f"{question_id}-p{hashlib.sha1(anchor_statement.encode()).hexdigest()[:6]}"


def _groups(q: QuestionInput, vectors64: Indexed, labels: np.ndarray) -> dict[int, _Group]:
    """Each label's members, unit centroid (of `vectors64`) and members most central first (by q's own vectors)."""
    own = as_indexed(q.vectors)
    out: dict[int, _Group] = {}
    for label in sorted(set(labels.tolist()) - {NOISE}):
        rows = np.flatnonzero(labels == label)
        centre = unit(vectors64.mean(rows))
        out[label] = _Group(rows, centre, np.argsort(-own.times(centre, rows), kind="stable"))
    return out


def _float64(q: QuestionInput) -> Indexed:
    """The question's vectors in float64 (its table of distinct rows converted once)."""
    return as_indexed(q.vectors).astype(np.float64)


def _ranked_labels(q: QuestionInput, groups: dict[int, _Group]) -> list[int]:
    """Labels by respondents (desc), then statements (desc), then the smallest member statement id; campaigns last."""
    ids = q.statements["statement_id"].astype(str).to_numpy()
    people = q.statements["respondent_id"].astype(str).to_numpy()

    def key(label: int) -> tuple[bool, int, int, str]:
        rows = groups[label].rows
        return (_is_campaign(q, groups[label]), -len(set(people[rows].tolist())), -len(rows), str(min(ids[rows])))

    return sorted(groups, key=key)


def _is_campaign(q: QuestionInput, group: _Group) -> bool:
    """Whether a theme is a campaign (the cluster stage gives each campaign a theme of its own)."""
    return q.campaigns is not None and bool((q.campaigns[group.rows] != NOISE).any())


def _finding(
    q: QuestionInput,
    vectors64: Indexed,
    group: _Group,
    title: str,
    rank: int,
    cfg: FindingsConfig,
    shown: np.ndarray | None,
) -> Finding:
    """One finding; `shown`: the statements' languages when quotes show them (see `_multilingual`), else None."""
    members = q.statements.iloc[group.rows]
    texts = members["text"].astype(str).tolist()
    people = members["respondent_id"].astype(str).tolist()
    ids = members["statement_id"].astype(str).tolist()
    vectors = vectors64.subset(group.rows)
    languages = shown[group.rows].tolist() if shown is not None else None
    share = cfg.language_share
    own = np.array(in_main_language(languages, q.report_language, share), dtype=bool) if languages else None
    anchor = summary_index(texts, group.order, title, own)
    lead = own if own is None or languages is None else _report_language_first(languages, q.report_language, own)
    order = quote_order(vectors, group.centre, anchor)
    n = len(set(people))
    cohesion = round(float(vectors.times(group.centre).mean()), 4)
    return Finding(
        id=finding_id(q.question_id, ids[int(group.order[0])]),
        rank=rank,
        title=title,
        summary=trim_summary(without_lead_in(texts[anchor]), cfg.summary_chars),
        n_respondents=n,
        pct=round(100.0 * n / q.answered, 1) if q.answered else 0.0,
        cohesion=cohesion,
        mixed=cohesion < cfg.coherence_floor or _subpoints_disagree(q, vectors64, group),
        quotes=quotes(texts, people, order, anchor, cfg.quotes, languages, lead, title),
        members=sorted(ids),
        campaign=_is_campaign(q, group),
    )


def _as_campaign(q: QuestionInput, group: _Group, finding: Finding, cfg: FindingsConfig) -> Finding:
    """A campaign summarised once: its summary is the answer most of its senders sent (trimmed), with no quotes.

    A campaign's statements are sentences of one text; a quote of one of them would repeat the summary's text.
    """
    if "answer_text" not in q.statements:
        return finding
    members = q.statements.iloc[group.rows]
    sent = dict(zip(members["respondent_id"].astype(str), members["answer_text"].astype(str), strict=True))
    counts = Counter(sent.values())
    text = min(counts, key=lambda t: (-counts[t], t))
    return finding.model_copy(update={"summary": trim_summary(text, cfg.summary_chars), "quotes": []})


def _report_language_first(languages: list[str], report_language: str | None, own: np.ndarray) -> np.ndarray:
    """Which members may give the first quote: those in the report's language when there are any, else `own`."""
    mine = np.array([lang == report_language for lang in languages], dtype=bool)
    return mine if mine.any() else own


def _subpoints_disagree(q: QuestionInput, vectors64: Indexed, group: _Group) -> bool:
    """Whether the two largest sub-points of a finding (each a fifth of it or more) say different things.

    Their centroids' cosine is under SUBPOINT_MIXED: the cluster stage split what disagreed more
    (`cluster.subpoint_agreement`), and what is left between the two is flagged for the analyst to split or keep.
    """
    if q.fine is None:
        return False
    sizes = Counter(int(v) for v in q.fine[group.rows] if v != NOISE)
    big = [v for v, n in sorted(sizes.items(), key=lambda x: (-x[1], x[0])) if n >= 0.2 * len(group.rows)][:2]
    if len(big) < 2:
        return False
    a, b = (unit(vectors64.mean(group.rows[q.fine[group.rows] == v])) for v in big)
    return float(a @ b) < SUBPOINT_MIXED


def _multilingual(q: QuestionInput) -> bool:
    """Whether the question's statements are in more than one (determined) language."""
    return q.languages is not None and len(set(q.languages.tolist()) - {UNDETERMINED}) > 1


def _subpoints(
    q: QuestionInput, theme: np.ndarray, shown: list[int], ctx: TitleContext, phrases: dict[int, list[str]]
) -> list[SubPoint]:
    """The fine groups `shown` of a theme (largest first), described (`phrases`: key phrases of fine groups).

    Each is read on the theme's own rows (`theme`): a fine group can reach into another theme (its statements moved
    there by echo folding, duplicates or assignment), and counted whole it was shown under both findings with more
    respondents than the finding holding it ("National services: 13 respondents" under WWCO's 12-respondent
    "National services" and under "Climate change"), and a `split_out` of it pinned the other finding's statements.
    """
    if len(shown) < 2 or q.fine is None:
        return []
    mine = np.zeros(len(q.fine), dtype=bool)
    mine[theme] = True
    groups = _groups(q, as_indexed(ctx.vectors), np.where(np.isin(q.fine, shown) & mine, q.fine, NOISE))
    order = _ranked_labels(q, groups)
    titles = choose_titles(
        ctx, [groups[g].rows for g in order], [phrases.get(g, []) for g in order], _centres(groups, order)
    )
    ids = q.statements["statement_id"].astype(str).to_numpy()
    people = q.statements["respondent_id"].astype(str).to_numpy()
    return [
        SubPoint(
            id=subpoint_id(q.question_id, str(ids[groups[g].rows[int(groups[g].order[0])]])),
            title=title,
            summary=trim_summary(
                without_lead_in(ctx.texts[int(groups[g].rows[int(groups[g].order[0])])]), SUBPOINT_SUMMARY_CHARS
            ),
            n_respondents=len(set(people[groups[g].rows].tolist())),
            members=sorted(ids[groups[g].rows].tolist()),
        )
        for g, title in zip(order, titles, strict=True)
    ]


def _shown_fine_groups(q: QuestionInput, order: list[int], groups: dict[int, _Group]) -> dict[int, list[int]]:
    """Theme -> the fine groups shown as its sub-points.

    The MAX_SUBPOINTS largest of each theme made of two or more, for the first SUBPOINT_FINDINGS themes (a finding
    far down the list is rarely split).
    """
    if q.fine is None:
        return {}
    out: dict[int, list[int]] = {}
    for theme in order[:SUBPOINT_FINDINGS]:
        values, counts = np.unique(q.fine[groups[theme].rows], return_counts=True)
        ranked = sorted(zip(values.tolist(), counts.tolist(), strict=True), key=lambda x: (-x[1], x[0]))
        keep = [int(v) for v, _ in ranked if v != NOISE]
        if len(keep) > 1:
            out[theme] = keep[:MAX_SUBPOINTS]
    return out


def _title_rows(q: QuestionInput, group: _Group, follows: np.ndarray | None) -> np.ndarray:
    """The rows a finding's title is read from: all its members; a campaign's first sentences only.

    A campaign letter states its ask in its first sentence; titled from all its sentences, whose words every copy
    shares alike, WWCO's coordinated letter ("WWCO should stop developing and marketing tailored weather and climate
    services that compete directly with those offered by its Sector Members. The role of an intergovernmental
    organization is to set standards...") was headed "Public services". `follows`: whether each statement follows
    an earlier one of its answer (None: positions unknown).
    """
    if follows is None or not _is_campaign(q, group):
        return group.rows
    first = group.rows[~follows[group.rows]]
    return first if len(first) else group.rows


def _centres(groups: dict[int, _Group], order: list[int]) -> np.ndarray:
    return np.vstack([groups[g].centre for g in order]) if order else np.zeros((0, 0))


def merge_hints(findings: list[Finding], coarse: list[int], centres: np.ndarray) -> list[MergeHint]:
    """Findings that probably say the same thing as a higher-ranked one, with the finding to merge into.

    A pair qualifies when both findings fall in one coarse group (the themes merged one step further) and their
    centroids are more similar than HINT_QUANTILE of the question's pairs of findings; a finding gets at most one
    hint, towards the most similar such finding.
    """
    if len(findings) < 2:
        return []
    similarity = centres @ centres.T
    floor = float(np.quantile(similarity[np.triu_indices(len(findings), 1)], HINT_QUANTILE))
    hints: list[MergeHint] = []
    for j, later in enumerate(findings):
        peers = [i for i in range(j) if coarse[i] != NOISE and coarse[i] == coarse[j] and similarity[i, j] >= floor]
        if peers:
            best = max(peers, key=lambda i: similarity[i, j])
            hints.append(
                MergeHint(finding=later.id, into=findings[best].id, similarity=round(float(similarity[best, j]), 4))
            )
    return hints


def question_findings(q: QuestionInput, cfg: FindingsConfig, edit_file: str = "") -> QuestionDraft:
    """All findings of one question, ranked, with sub-points, merge hints and the not-grouped respondents counted."""
    texts = q.statements["text"].astype(str).tolist()
    vectors = _float64(q)
    groups = _groups(q, vectors, q.labels)
    order = _ranked_labels(q, groups)
    avoid = question_words(q.question_text)
    other = other_function_words(q.languages.tolist()) if q.languages is not None else frozenset()
    follows = q.statements["position"].to_numpy() > 1 if "position" in q.statements else None
    ctx = TitleContext(
        texts,
        vectors,
        avoid,
        cfg.title_words,
        q.phrases,
        other,
        q.languages,
        q.report_language,
        cfg.language_share,
        follows,
    )
    ranked = rank_keyphrases(texts, q.labels, cfg, avoid, other) if texts else {}
    phrases = {label: r.pick(KEYWORDS) for label, r in ranked.items()}
    candidates = {label: r.pick(TITLE_CANDIDATES, diverse=False) for label, r in ranked.items()}
    shown = _shown_fine_groups(q, order, groups)
    fine_phrases = _fine_phrases(q, texts, shown, cfg, avoid, other)
    centres = _centres(groups, order)
    leads = [_title_rows(q, groups[g], follows) for g in order]
    lead_centres = centres.copy()
    for i, g in enumerate(order):
        if len(leads[i]) != len(groups[g].rows):
            lead_centres[i] = unit(vectors.mean(leads[i]))
    titles = choose_titles(ctx, leads, [candidates.get(g, []) for g in order], lead_centres)
    found = []
    shown_languages = q.languages if _multilingual(q) else None  # quote languages are shown only when they differ
    for rank, (label, title) in enumerate(zip(order, titles, strict=True), start=1):
        finding = _finding(q, vectors, groups[label], title, rank, cfg, shown_languages)
        if finding.campaign:
            finding = _as_campaign(q, groups[label], finding, cfg)
        subpoints = _subpoints(q, groups[label].rows, shown.get(label, []), ctx, fine_phrases)
        found.append(finding.model_copy(update={"keywords": phrases.get(label, []), "subpoints": subpoints}))
    coarse = [_coarse_label(q, groups[g]) for g in order]
    grouped = set(q.statements.loc[q.labels != NOISE, "respondent_id"].astype(str))
    ungrouped = q.statements[q.labels == NOISE]
    return QuestionDraft(
        question_id=q.question_id,
        question_text=q.question_text,
        edit_file=edit_file,
        answered=q.answered,
        non_answers=q.non_answers,
        set_apart=q.set_apart,
        not_grouped=len(set(ungrouped["respondent_id"].astype(str)) - grouped),
        not_grouped_members=sorted(ungrouped["statement_id"].astype(str)),
        top_n=cfg.top_n,
        findings=found,
        suggested_merges=merge_hints(found, coarse, centres),
    )


def _fine_phrases(
    q: QuestionInput,
    texts: list[str],
    shown: dict[int, list[int]],
    cfg: FindingsConfig,
    avoid: frozenset[str],
    other: frozenset[str],
) -> dict[int, list[str]]:
    """Title candidates of the fine groups shown as sub-points (one pass over the question)."""
    wanted = [g for groups in shown.values() for g in groups]
    if q.fine is None or not wanted:
        return {}
    fine = np.where(np.isin(q.fine, wanted) & (q.labels != NOISE), q.fine, NOISE)
    return cluster_keyphrases(texts, fine, cfg, avoid, TITLE_CANDIDATES, diverse=False, other=other)


def _coarse_label(q: QuestionInput, group: _Group) -> int:
    if q.groups is None:
        return NOISE
    values, counts = np.unique(q.groups[group.rows], return_counts=True)
    return int(values[np.argmax(counts)])


def set_apart_counts(answers: pd.DataFrame) -> dict[str, int]:
    """Respondents whose answer to a question was only noise, per kind (`detect.noise.NOISE_KINDS` order).

    Args:
        answers: one question's ingest answers (`respondent_id, status[, noise]`). A respondent with a usable answer
            (another of their answers) is not set apart; one with several kinds counts under the first.
    """
    if "noise" not in answers.columns:
        return {}
    answering = set(answers.loc[answers["status"] == "answer", "respondent_id"].astype(str))
    noise = answers[(answers["status"] == "non_answer") & ~answers["respondent_id"].astype(str).isin(answering)]
    first: dict[str, str] = {}
    for rid, kind in zip(noise["respondent_id"].astype(str), noise["noise"].astype(str), strict=True):
        kind = kind if kind in NOISE_KINDS else "non_answer"
        if rid not in first or NOISE_KINDS.index(kind) < NOISE_KINDS.index(first[rid]):
            first[rid] = kind
    counts = Counter(first.values())
    return {kind: counts[kind] for kind in NOISE_KINDS if counts[kind]}


@with_fixed_threads
def run_findings(
    questions: pd.DataFrame,
    answers: pd.DataFrame,
    statements: pd.DataFrame,
    clusters: pd.DataFrame,
    vectors: Mapping[str, np.ndarray | Indexed],
    findings_for: Callable[[str], FindingsConfig],
    phrases: dict[str, PhraseVectors] | None = None,
    report_language: str | None = None,
) -> dict[str, QuestionDraft]:
    """Build the ranked findings of every open question.

    Args:
        questions: ingest questions (`question_id, text, kind, ...`).
        answers: ingest answers (`respondent_id, question_id, status, ...`), for the answered / non-answer bases.
        statements: embed statements (`statement_id, respondent_id, question_id, text`).
        clusters: cluster output (`statement_id, question_id, cluster[, subcluster, group, campaign]`), aligned with
            statements per question.
        vectors: question id -> embeddings in statements order (an `Indexed`: a row per distinct vector).
        findings_for: a question's findings settings (overrides applied).
        phrases: question id -> embedded title candidates (embed stage); titles use key-phrase order without them.
        report_language: `report.language`: a finding's title, sentence and first quote come from its members in
            that language when at least `findings.language_share` of them wrote in it (`languages.finding_language`).

    Returns:
        question id -> QuestionDraft, in questionnaire order.
    """
    out: dict[str, QuestionDraft] = {}
    texts = dict(zip(questions["question_id"].astype(str), questions["text"].astype(str), strict=True))
    for qid in open_question_ids(questions):
        rows = statements[statements["question_id"] == qid].reset_index(drop=True)
        labels = clusters[clusters["question_id"] == qid]
        q_answers = answers[answers["question_id"] == qid]
        q = QuestionInput(
            question_id=qid,
            question_text=texts.get(qid, qid),
            statements=rows,
            vectors=vectors.get(qid, np.zeros((0, 0), dtype=np.float32)),
            labels=labels["cluster"].to_numpy(dtype=np.int64),
            answered=int(q_answers.loc[q_answers["status"] == "answer", "respondent_id"].nunique()),
            non_answers=int(q_answers.loc[q_answers["status"] == "non_answer", "respondent_id"].nunique()),
            set_apart=set_apart_counts(q_answers),
            fine=labels["subcluster"].to_numpy(dtype=np.int64) if "subcluster" in labels else None,
            groups=labels["group"].to_numpy(dtype=np.int64) if "group" in labels else None,
            phrases=(phrases or {}).get(qid),
            languages=rows["language"].astype(str).to_numpy() if "language" in rows else None,
            report_language=report_language,
            campaigns=labels["campaign"].to_numpy(dtype=np.int64) if "campaign" in labels else None,
        )
        out[qid] = question_findings(q, findings_for(qid))
    return out
