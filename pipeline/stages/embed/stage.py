"""Open answers -> statements -> embeddings (one array per open question, rows aligned with the statements)."""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
import pandas as pd

from pipeline.artifacts import PHRASE_COLUMNS, STATEMENT_COLUMNS
from pipeline.config import StatementsConfig
from pipeline.detect.noise import NoiseRules
from pipeline.embedders import Embedder, PairedEmbedder, normalise, paired
from pipeline.languages import UNDETERMINED, detect_languages, other_function_words
from pipeline.stages.embed.statements import split_answer
from pipeline.stages.shared.copies import answer_keys, near_duplicate_keys
from pipeline.stages.shared.indexed import Indexed
from pipeline.stages.shared.phrases import PhraseVectors, candidate_phrases

ALIGN_NEIGHBOURS = 5  # multilingual neighbours that place a statement in another language (`align_languages`)
ALIGN_CHUNK = 1024  # foreign statements aligned at a time


def open_question_ids(questions: pd.DataFrame) -> list[str]:
    """Ids of open questions (including 'other, please specify' follow-ups), in questionnaire order."""
    open_q = questions[questions["kind"] == "open"].sort_values("position", kind="stable")
    return [str(q) for q in open_q["question_id"]]


def build_statements(
    answers: pd.DataFrame,
    question_ids: list[str],
    split_for: Callable[[str], StatementsConfig],
    rules: NoiseRules | None = None,
) -> pd.DataFrame:
    """Split the usable answers of open questions into statements.

    Args:
        answers: ingest answers (`respondent_id, question_id, value, status, source_row`, and `language` when
            ingest detected it; otherwise it is detected here).
        question_ids: open questions to include, in order.
        split_for: the statements config of a question (per-question overrides applied).
        rules: how a statement is judged noise (`detect.noise`: "Thank you.", "See attached."); None: never.

    Returns:
        One row per statement: `statement_id, respondent_id, question_id, answer_text, text, position,
        source_row, language, noise, copy_of`, ordered by question, then source row, then position in the answer.
        `statement_id` is `<respondent>:<question>:<n>`, n counting the respondent's statements to the question (a
        respondent with several answers goes on from where the first stopped); `language` is the answer's (ISO 639-1
        or `und`); `noise` the statement's noise kind, '' when it says something (it then joins no finding);
        `copy_of` the key its answer shares with its exact and near copies (`copy_keys`).
    """
    kinds: dict[str, str] = {}  # each distinct statement judged once (campaigns repeat theirs)

    def noise(text: str) -> str:
        if rules is None:
            return ""
        if text not in kinds:
            kinds[text] = rules.statement_kind(text) or ""
        return kinds[text]

    columns: dict[str, list[object]] = {name: [] for name in STATEMENT_COLUMNS if name != "copy_of"}
    usable = answers[(answers["status"] == "answer") & answers["question_id"].isin(question_ids)]
    order = {q: i for i, q in enumerate(question_ids)}
    usable = usable.assign(_q=usable["question_id"].map(order)).sort_values(["_q", "source_row"], kind="stable")
    made: dict[tuple[str, str], int] = {}
    if "language" not in usable.columns:
        usable = usable.assign(language=detect_languages(usable["value"].astype(str)))
    for record in usable.itertuples(index=False):  # column lists, not a dict per statement (a million answers)
        rid, qid, answer = str(record.respondent_id), str(record.question_id), str(record.value)
        cfg = split_for(qid)
        for position, text in enumerate(split_answer(answer, cfg.split, cfg.min_chars), start=1):
            n = made[rid, qid] = made.get((rid, qid), 0) + 1
            for name, value in (
                ("statement_id", f"{rid}:{qid}:{n}"),
                ("respondent_id", rid),
                ("question_id", qid),
                ("answer_text", answer),
                ("text", text),
                ("position", position),
                ("source_row", record.source_row),
                ("language", str(record.language)),
                ("noise", noise(text)),
            ):
                columns[name].append(value)
    frame = pd.DataFrame(columns, columns=STATEMENT_COLUMNS[:-1]).astype({"source_row": "int64"})
    return frame.assign(copy_of=copy_keys(frame))


def copy_keys(statements: pd.DataFrame) -> list[str]:
    """Each statement's `copy_of`: its answer's key, shared by exact and near copies within a question (`copies`)."""
    out = [""] * len(statements)
    for _, rows in statements.groupby("question_id", sort=False).indices.items():
        answers = statements["answer_text"].iloc[rows].astype(str).tolist()
        for row, key in zip(rows, near_duplicate_keys(answer_keys(answers)), strict=True):
            out[int(row)] = key
    return out


def distinct_texts(texts: list[str]) -> tuple[list[str], np.ndarray]:
    """The texts to embed once, and each text's row among them.

    Texts equal after the normalisation duplicates use (`copies.answer_key`: case, spacing and the punctuation at
    both ends ignored) share one vector: the first such text, in input order, is embedded for all of them, so a
    campaign sent 500,000 times costs one embedding and its copies reuse it by index.

    Returns:
        (distinct texts in first-seen order, int64 row of each input text in them).
    """
    rows, _ = pd.factorize(pd.Series(answer_keys(texts), dtype=object), sort=False)
    first = np.unique(rows, return_index=True)[1]
    return [texts[i] for i in first], np.asarray(rows, dtype=np.int64)


def embed_counts(statements: pd.DataFrame, embedder_for: Callable[[str], Embedder]) -> tuple[int, int]:
    """(statements embedded, statements reusing another's vector) as `run_embed` embeds them."""
    embedded = 0
    for _, subset, reusable in _groups(statements, embedder_for):
        embedded += len(distinct_texts(subset["text"].astype(str).tolist())[0]) if reusable else len(subset)
    return embedded, len(statements) - embedded


def _groups(
    statements: pd.DataFrame, embedder_for: Callable[[str], Embedder]
) -> list[tuple[Embedder, pd.DataFrame, bool]]:
    """Statements per embedder (questions sharing one are embedded in one call), and whether copies reuse vectors.

    A corpus-fitted embedder (TF-IDF) embeds each question alone and every statement (its fit counts copies).
    """
    groups: dict[int, tuple[Embedder, list[str]]] = {}
    for qid in dict.fromkeys(statements["question_id"]):
        embedder = embedder_for(str(qid))
        groups.setdefault(id(embedder), (embedder, []))[1].append(str(qid))
    out: list[tuple[Embedder, pd.DataFrame, bool]] = []
    for embedder, qids in groups.values():
        if getattr(embedder, "cacheable", True) is False:
            out += [(embedder, statements[statements["question_id"] == qid], False) for qid in qids]
        else:
            out.append((embedder, statements[statements["question_id"].isin(qids)], True))
    return out


def run_embed(statements: pd.DataFrame, embedder_for: Callable[[str], Embedder]) -> dict[str, Indexed]:
    """Embed the statements of every question; questions sharing an embedder are embedded in one call.

    Each distinct text (`distinct_texts`) is embedded once and its copies take its vector by index: a question's
    vectors are its distinct rows, in first-seen order, and each statement's row among them (`shared.indexed`).

    Args:
        statements: output of `build_statements`.
        embedder_for: the embedder of a question (the same object for questions with the same settings).

    Returns:
        Question id -> float32 unit vectors (`Indexed`: one row per distinct text, an index per statement in the
        statements' order). A corpus-fitted embedder (TF-IDF) and the paired models give every statement its row.
    """
    vectors: dict[str, Indexed] = {}
    for embedder, subset, reusable in _groups(statements, embedder_for):
        qids = [str(q) for q in dict.fromkeys(subset["question_id"])]
        if not reusable:
            vectors[qids[0]] = Indexed.full(embedder.embed(subset["text"].tolist()))
            continue
        if isinstance(embedder, PairedEmbedder):
            vectors.update({q: Indexed.full(v) for q, v in _paired(embedder, subset, qids).items()})
            continue
        texts, rows = distinct_texts(subset["text"].astype(str).tolist())
        matrix = embedder.embed(texts)
        for qid in qids:
            local, used = pd.factorize(rows[(subset["question_id"] == qid).to_numpy()], sort=False)
            vectors[qid] = Indexed(matrix[np.asarray(used, dtype=np.int64)], np.asarray(local, dtype=np.int64))
    return vectors


def with_vector_rows(statements: pd.DataFrame, vectors: dict[str, Indexed]) -> pd.DataFrame:
    """The statements with `vector_row`: each statement's row in its question's vectors (`run_embed`)."""
    rows = np.zeros(len(statements), dtype=np.int64)
    questions = statements["question_id"].astype(str).to_numpy()
    for qid, found in vectors.items():
        rows[questions == qid] = found.index
    return statements.assign(vector_row=rows)


def _paired(embedder: PairedEmbedder, statements: pd.DataFrame, qids: list[str]) -> dict[str, np.ndarray]:
    """Paired vectors of each question, its statements in other languages aligned (`align_languages`)."""
    texts, rows = distinct_texts(statements["text"].astype(str).tolist())
    first, second = (part[rows] for part in embedder.embed_parts(texts))
    languages = (
        statements["language"].astype(str).to_numpy()
        if "language" in statements
        else np.full(len(statements), UNDETERMINED)
    )
    foreign = ~np.isin(languages, [*embedder.first_languages, UNDETERMINED])
    out: dict[str, np.ndarray] = {}
    for qid in qids:
        mask = (statements["question_id"] == qid).to_numpy()
        out[qid] = paired(align_languages(first[mask], second[mask], foreign[mask]), second[mask])
    return out


def align_languages(
    first: np.ndarray, second: np.ndarray, foreign: np.ndarray, k: int = ALIGN_NEIGHBOURS
) -> np.ndarray:
    """The first model's vectors, those of `foreign` rows replaced from their multilingual neighbours.

    A statement in a language the first model does not cover gets, as its first-model vector, the unit mean of the
    first-model vectors of its `k` nearest statements in covered languages by the second (multilingual) model's
    cosine, weighted by that cosine: "Le soutien apporté aux pays africains" sits where "Support to African
    countries" sits, rather than near other French text. Unchanged when no row is foreign or none is covered.

    Args:
        first: the first model's unit vectors (rows = statements).
        second: the multilingual model's unit vectors, rows aligned.
        foreign: which rows are in a language the first model does not cover.
        k: neighbours averaged.
    """
    home = np.flatnonzero(~foreign)
    rows = np.flatnonzero(foreign)
    if not rows.size or not home.size:
        return first
    out = first.astype(np.float32, copy=True)
    k = min(k, home.size)
    for start in range(0, rows.size, ALIGN_CHUNK):  # bounded memory: ALIGN_CHUNK x covered statements at a time
        chunk = rows[start : start + ALIGN_CHUNK]
        sims = second[chunk] @ second[home].T
        nearest = np.argpartition(-sims, k - 1, axis=1)[:, :k]
        weights = np.clip(np.take_along_axis(sims, nearest, axis=1), 1e-6, None)
        out[chunk] = normalise(np.einsum("ij,ijd->id", weights, first[home][nearest]))
    return out


def build_phrases(statements: pd.DataFrame) -> pd.DataFrame:
    """Title candidates of every question (`titles.candidate_phrases`): `question_id, text`, most frequent first."""
    frames: list[pd.DataFrame] = []
    for qid, group in statements.groupby("question_id", sort=False):
        languages = group["language"].astype(str).tolist() if "language" in group else []
        found = candidate_phrases(group["text"].astype(str).tolist(), other=other_function_words(languages))
        frames.append(pd.DataFrame({"question_id": str(qid), "text": found}))
    return pd.concat(frames, ignore_index=True) if frames else pd.DataFrame(columns=PHRASE_COLUMNS)


def embed_phrases(
    statements: pd.DataFrame, embedder_for: Callable[[str], Embedder]
) -> tuple[pd.DataFrame, dict[str, np.ndarray]]:
    """Title candidates and their vectors, for the questions whose embedder is cacheable (a model, not TF-IDF).

    A corpus-fitted embedder would place phrases in another space than the statements, so its questions get none
    and their titles keep the key-phrase order.
    """
    phrases = build_phrases(statements)
    kept = [q for q in dict.fromkeys(phrases["question_id"]) if getattr(embedder_for(str(q)), "cacheable", True)]
    phrases = phrases[phrases["question_id"].isin(kept)].reset_index(drop=True)
    if not len(phrases):
        return phrases, {}
    return phrases, {qid: found.rows() for qid, found in run_embed(phrases, embedder_for).items()}


def phrase_sets(phrases: pd.DataFrame, vectors: dict[str, np.ndarray]) -> dict[str, PhraseVectors]:
    """Question id -> its title candidates and their vectors (`embed_phrases` output)."""
    return {
        str(qid): PhraseVectors(group["text"].astype(str).tolist(), vectors[str(qid)].astype(np.float64))
        for qid, group in phrases.groupby("question_id", sort=False)
        if str(qid) in vectors
    }
