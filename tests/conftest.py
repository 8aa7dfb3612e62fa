"""Shared fixtures: a deterministic fake embedder and tiny open-answer tables."""

from __future__ import annotations

import hashlib
import re
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd
import pytest

if TYPE_CHECKING:
    from tests.hardening_helpers import Project

REPO = Path(__file__).resolve().parents[1]
SHARED_DATA = REPO.parent / "shared" / "data"


class FakeEmbedder:
    """Bag of hashed word stems: texts sharing words get similar vectors. Deterministic, no model."""

    identity = "fake-bow-64"

    def __init__(self, dim: int = 64) -> None:
        self.dim = dim
        self.calls = 0
        self.texts = 0

    def embed(self, texts: Sequence[str]) -> np.ndarray:
        self.calls += 1
        self.texts += len(texts)
        out = np.zeros((len(texts), self.dim), dtype=np.float32)
        for i, text in enumerate(texts):
            for word in re.findall(r"[a-z]{3,}", text.lower()):
                out[i, int(hashlib.md5(word[:5].encode()).hexdigest(), 16) % self.dim] += 1.0
        norms = np.linalg.norm(out, axis=1, keepdims=True)
        return out / np.where(norms == 0, 1, norms)


THEMES = {
    "coordination": [
        "poor coordination between bureaux",
        "bureaux coordination is weak",
        "coordination across bureaux lacking",
    ],
    "funding": [
        "funding is insufficient for the mandate",
        "not enough funding or budget",
        "budget and funding constraints",
    ],
    "events": [
        "too many events and workshops",
        "events workshops forums are too many",
        "fewer events please workshops",
    ],
}


def make_open_answers(per_theme: int = 8) -> tuple[pd.DataFrame, pd.DataFrame]:
    """A questions table with one open question and an answers table with three clear themes + a non-answer."""
    rows = []
    n = 0
    for theme, variants in THEMES.items():
        for k in range(per_theme):
            n += 1
            text = f"{variants[k % len(variants)].capitalize()} {theme} number {k}."
            rows.append(
                {
                    "respondent_id": f"R{n:04d}",
                    "question_id": "q_open",
                    "value": text,
                    "status": "answer",
                    "source_row": n + 1,
                }
            )
    rows.append(
        {"respondent_id": "R9999", "question_id": "q_open", "value": "N/A", "status": "non_answer", "source_row": 999}
    )
    answers = pd.DataFrame(rows)
    questions = pd.DataFrame(
        {
            "question_id": ["q_open"],
            "text": ["What is the main weakness?"],
            "kind": ["open"],
            "options": [[]],
            "block": [None],
            "other_of": [None],
            "source_column": ["What is the main weakness?"],
            "position": [0],
        }
    )
    return questions, answers


@pytest.fixture
def fake_embedder() -> FakeEmbedder:
    return FakeEmbedder()


@pytest.fixture
def open_tables() -> tuple[pd.DataFrame, pd.DataFrame]:
    return make_open_answers()


@pytest.fixture
def fake_model(monkeypatch: pytest.MonkeyPatch) -> None:
    """Every embed step of the test uses the fake embedder (no model is loaded)."""
    from tests.hardening_helpers import fake_embedder

    monkeypatch.setattr("pipeline.steps.embed.make_embedder", fake_embedder)


@pytest.fixture
def project(tmp_path: Path) -> Project:
    """An empty project folder (`data/`, `configs/`, `outputs/`, `reviews/` appear as they are written)."""
    from tests.hardening_helpers import Project

    return Project(tmp_path / "project")
