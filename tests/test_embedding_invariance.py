"""A text's vector depends on its own text only: not on the texts embedded with it, their order, or the cache.

Found on 7 Dec: the sample's findings differed between a run on a fresh embedding cache and one on a cache filled
by earlier runs (a quote and a finding id), because a batch's shape and padding moved vectors by up to 1e-7.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from pipeline.embedders import CachedEmbedder, EmbeddingCache, SentenceTransformerEmbedder, UseEmbedder

REPO = Path(__file__).resolve().parents[1]
TEXTS = [
    "Parking is too expensive.",
    "More buses in the evening, please.",
    "The staff were lovely and the ward was clean.",
    "Reduce the length of the reports and put the detail in annexes.",
    "Explain significant variances between the approved budget and actual expenditure.",
    "Nothing.",
    "A review of the administrative overhead in each Bureau would likely reveal savings.",
    "Il faudrait fournir des explications détaillées sur les principaux postes de dépenses.",
    "Simplify internal procedures for procurement and recruitment.",
    "Climate funds, MDBs, private sector",
    "Too many workshops",
    "Global data exchange.",
] + [f"Answer number {i} says the regional offices need {i} more staff." for i in range(14)]


def _model(kind: type, folder: Path) -> SentenceTransformerEmbedder | UseEmbedder:
    return (
        SentenceTransformerEmbedder("default", folder) if kind is SentenceTransformerEmbedder else UseEmbedder(folder)
    )


def _split_and_cached(kind: type, folder: Path) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Vectors of TEXTS embedded at once, in two reversed calls, and through a cache filled by another call."""
    model = _model(kind, folder)
    whole = model.embed(TEXTS)
    parts = np.empty_like(whole)
    evens, odds = list(range(0, len(TEXTS), 2))[::-1], list(range(1, len(TEXTS), 2))
    parts[evens] = model.embed([TEXTS[i] for i in evens])
    parts[odds] = model.embed([TEXTS[i] for i in odds])
    cached = CachedEmbedder(model, EmbeddingCache(folder / "cache.sqlite"))
    cached.embed(TEXTS[3:9] + ["An unrelated answer of some length about the budget and its annexes."])
    return whole, parts, cached.embed(TEXTS)


def check(kind: str, folder: str) -> None:
    """The invariance checks for one model, in a process of its own (`test_...`)."""
    model = SentenceTransformerEmbedder if kind == "minilm" else UseEmbedder
    whole, parts, cached = _split_and_cached(model, Path(folder))
    assert whole.tobytes() == parts.tobytes(), "vectors differ when embedded in other batches"
    assert whole.tobytes() == cached.tobytes(), "vectors differ through a cache filled by another call"
    assert _model(model, Path(folder)).embed([TEXTS[6]]).tobytes() == whole[6:7].tobytes(), "alone differs"


@pytest.mark.model
@pytest.mark.parametrize("kind", ["minilm", "use"])
def test_a_texts_vector_is_the_same_whatever_is_embedded_with_it(kind: str, tmp_path: Path) -> None:
    """Run in a process of its own: torch stays out of this one (other tests check a run never imports it)."""
    code = "import sys; from tests.test_embedding_invariance import check; check(sys.argv[1], sys.argv[2])"
    done = subprocess.run(
        [sys.executable, "-c", code, kind, str(tmp_path)], capture_output=True, text=True, cwd=REPO, check=False
    )
    assert done.returncode == 0, done.stderr[-2000:]
