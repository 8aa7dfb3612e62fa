"""The draft sidecar: the editable source of truth of one open question's findings.

The draft stage writes a generated sidecar into the run folder (`06_draft/<question>.yaml`) and, when the
reviewer has no copy yet, a review copy into the review folder (`reviews/<run>/<question>.yaml`). Reviewers edit
only the review copy; it is never overwritten. The report reads the review copy when it exists.
"""

from __future__ import annotations

from pathlib import Path
from typing import Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError

from pipeline.artifacts import write_atomic
from pipeline.errors import InputError

Status = Literal["draft", "accepted", "rejected"]


class Quote(BaseModel):
    """A verbatim quote and the response it comes from."""

    model_config = ConfigDict(extra="forbid")
    response_id: str
    text: str


class Finding(BaseModel):
    """One finding: a ranked group of statements with a title and a one-sentence summary."""

    model_config = ConfigDict(extra="forbid")
    id: str = Field(description="Stable id (question id + hash of the founding members).")
    rank: int = Field(ge=1)
    title: str
    summary: str
    status: Status = "draft"
    n_respondents: int = Field(ge=0, description="Distinct respondents among members.")
    pct: float = Field(ge=0.0, le=100.0, description="Percent of respondents who answered the question.")
    cohesion: float = Field(description="Mean cosine similarity of members to their centroid.")
    keywords: list[str] = Field(default_factory=list, description="Key phrases of the members (title source).")
    quotes: list[Quote] = Field(default_factory=list)
    members: list[str] = Field(default_factory=list, description="Statement ids (respondent:question:n).")
    note: str | None = None


class QuestionDraft(BaseModel):
    """All findings of one open question."""

    model_config = ConfigDict(extra="forbid")
    question_id: str
    question_text: str
    edit_file: str = Field("", description="The file reviewers edit.")
    answered: int = Field(ge=0, description="Respondents with at least one usable answer.")
    non_answers: int = Field(ge=0)
    not_grouped: int = Field(ge=0, description="Respondents none of whose statements joined a finding.")
    not_grouped_members: list[str] = Field(default_factory=list)
    top_n: int = Field(ge=1)
    findings: list[Finding] = Field(default_factory=list, description="Ranked; the first top_n are the top findings.")

    @property
    def top(self) -> list[Finding]:
        """The top findings (rejected ones stay listed but are flagged by status)."""
        return self.findings[: self.top_n]

    @property
    def others(self) -> list[Finding]:
        """Findings ranked after the top ones."""
        return self.findings[self.top_n :]


def dump_draft(draft: QuestionDraft) -> str:
    """YAML text of a sidecar (stable key order, readable unicode, wide lines)."""
    header = f"# Findings of question {draft.question_id}. Edit titles, summaries and status here.\n"
    body = yaml.safe_dump(draft.model_dump(mode="json"), sort_keys=False, allow_unicode=True, width=100)
    return header + body


def write_draft(path: Path, draft: QuestionDraft) -> None:
    """Write a sidecar atomically."""
    write_atomic(path, dump_draft(draft))


def read_draft(path: Path) -> QuestionDraft:
    """Read and validate a sidecar; an invalid one is an InputError naming the file and field."""
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        return QuestionDraft.model_validate(data)
    except yaml.YAMLError as exc:
        raise InputError(f"{path} is not valid YAML ({str(exc).splitlines()[0]}); fix the edit and rerun.") from exc
    except ValidationError as exc:
        err = exc.errors()[0]
        loc = ".".join(str(p) for p in err["loc"])
        raise InputError(f"{path}: {loc}: {err['msg']}; fix the edit and rerun.") from exc
