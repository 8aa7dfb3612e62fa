"""The draft sidecar: the editable source of truth of one open question's findings.

The draft stage writes a generated sidecar into the run folder (`06_draft/<question>.yaml`) and a review copy
into the review folder (`reviews/<run>/<question>.yaml`). Reviewers edit only the review copy. On every rerun the
draft stage reconciles it with the new findings (`pipeline.stages.review`): analyst-written fields are kept
verbatim, counts and memberships are recomputed, and edits that cannot be applied are listed under `unapplied`.
The report reads the review copy when it exists.

Analyst fields of a finding: `title`, `summary`, `status`, `note`, `merge_into`, `pinned`, `excluded`. A new
entry without `generated` and with `pinned` statement ids is an analyst-made finding (a split). The `generated`
block records what the pipeline wrote, so the reconciliation can tell edited text from generated text.

This module is the schema only: the findings stage fills it, the review stage reconciles it, the draft and report
stages render it. Its files (YAML text that keeps the reviewer's comments, reading, writing, the review copies on
disk) are the review stage's I/O side, `pipeline.steps.review`.
"""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, SerializerFunctionWrapHandler, model_serializer

Status = Literal["draft", "accepted", "rejected"]


class Quote(BaseModel):
    """A verbatim quote and the response it comes from."""

    model_config = ConfigDict(extra="forbid")
    response_id: str
    text: str
    language: str | None = Field(None, description="ISO 639-1 code of the quote's language (`und`: unsure).")


class Generated(BaseModel):
    """What the pipeline generated for a finding; edited text is told apart by comparing with it."""

    model_config = ConfigDict(extra="forbid")
    title: str
    summary: str
    members: list[str] = Field(default_factory=list, description="The cluster's statements (before edits).")


class Written(BaseModel):
    """What a language model wrote for a finding (`writer.backend: openai`), or why its text was not used.

    The finding's title (summary) is the model's while it equals `title` (`summary`); an analyst's edit wins.
    """

    model_config = ConfigDict(extra="forbid")
    model: str = Field(description="The model that was asked.")
    title: str = Field("", description="The model's title ('' when it fell back).")
    summary: str = Field("", description="The model's one sentence ('' when it fell back).")
    cited: list[Quote] = Field(default_factory=list, description="The member statements the model cited.")
    extractive_title: str = Field("", description="The extractive title it replaced.")
    extractive_summary: str = Field("", description="The extractive sentence it replaced.")
    fallback: str | None = Field(None, description="Why the model's text was not used (the extractive text kept).")


class SubPoint(BaseModel):
    """A finer group folded into a finding: what it says, who says it, and its statements.

    A reviewer splits one back out as a finding of its own by listing its id under the finding's `split_out`.
    """

    model_config = ConfigDict(extra="forbid")
    id: str = Field(description="Stable id (question id + hash of the sub-point's most central statement).")
    title: str
    summary: str = Field("", description="Its most central statement (the summary of the finding a split makes).")
    n_respondents: int = Field(0, ge=0)
    members: list[str] = Field(default_factory=list, description="Statement ids.")


class MergeHint(BaseModel):
    """Two findings that probably say the same thing, and the one-line edit that would merge them."""

    model_config = ConfigDict(extra="forbid")
    finding: str = Field(description="Id of the finding to fold in.")
    into: str = Field(description="Id of the finding it would merge into.")
    similarity: float = Field(description="Cosine similarity of the two findings' centroids.")

    @property
    def edit(self) -> str:
        """The review-copy edit that applies this merge."""
        return f"merge_into: {self.into}"


class Finding(BaseModel):
    """One finding: a ranked group of statements with a title and a one-sentence summary."""

    model_config = ConfigDict(extra="forbid")
    id: str = Field("", description="Stable id (question id + hash of the founding members); kept across reruns.")
    title: str
    summary: str
    status: Status = "draft"
    note: str | None = Field(None, description="Reviewer note.")
    merge_into: str | None = Field(None, description="Reviewer edit: merge this finding into the finding with this id.")
    pinned: list[str] = Field(default_factory=list, description="Reviewer edit: statement ids moved into this finding.")
    excluded: list[str] = Field(default_factory=list, description="Reviewer edit: statement ids taken out of it.")
    split_out: list[str] = Field(
        default_factory=list, description="Reviewer edit: sub-point ids to make findings of their own."
    )
    changed: str | None = Field(None, description="Set when membership changed on a rerun; delete once checked.")
    rank: int = Field(1, ge=1)
    n_respondents: int = Field(0, ge=0, description="Distinct respondents among members.")
    pct: float = Field(0.0, ge=0.0, le=100.0, description="Percent of respondents who answered the question.")
    cohesion: float = Field(0.0, description="Mean cosine similarity of members to their centroid (coherence).")
    mixed: bool = Field(
        False, description="Coherence below the floor: members say different things; consider splitting."
    )
    keywords: list[str] = Field(default_factory=list, description="Key phrases of the members (title source).")
    quotes: list[Quote] = Field(default_factory=list)
    members: list[str] = Field(default_factory=list, description="Statement ids (respondent:question:n).")
    subpoints: list[SubPoint] = Field(default_factory=list, description="Finer groups merged into this finding.")
    generated: Generated | None = Field(None, description="Pipeline-generated values; do not edit.")
    written: Written | None = Field(None, description="Text a language model wrote (writer); do not edit.")

    @model_serializer(mode="wrap")
    def _without_unwritten(self, handler: SerializerFunctionWrapHandler) -> dict[str, Any]:
        """`written` is left out when no model was asked, so extractive runs write what they always wrote."""
        data: dict[str, Any] = handler(self)
        if self.written is None:
            data.pop("written", None)
        return data

    @property
    def model_title(self) -> bool:
        """Whether the title shown is the language model's (not extractive, not an analyst's edit)."""
        return self.written is not None and self.written.fallback is None and self.title == self.written.title

    @property
    def model_summary(self) -> bool:
        """Whether the sentence shown is the language model's (not extractive, not an analyst's edit)."""
        return self.written is not None and self.written.fallback is None and self.summary == self.written.summary


class QuestionDraft(BaseModel):
    """All findings of one open question."""

    model_config = ConfigDict(extra="forbid")
    question_id: str
    question_text: str
    edit_file: str = Field("", description="The file reviewers edit.")
    answered: int = Field(ge=0, description="Respondents with at least one usable answer.")
    non_answers: int = Field(ge=0)
    set_apart: dict[str, int] = Field(
        default_factory=dict,
        description="Respondents whose whole answer was noise, per kind (`detect.noise`): the non-answers by kind.",
    )
    not_grouped: int = Field(ge=0, description="Respondents none of whose statements joined a finding.")
    top_n: int = Field(ge=1)
    unapplied: list[str] = Field(default_factory=list, description="Reviewer edits that could not be applied.")
    findings: list[Finding] = Field(default_factory=list, description="Ranked; the first top_n are the top findings.")
    merged: list[Finding] = Field(default_factory=list, description="Findings merged into another (`merge_into`).")
    vanished: list[Finding] = Field(
        default_factory=list, description="Reviewed findings with no matching group in this run (edits kept)."
    )
    not_grouped_members: list[str] = Field(default_factory=list)
    suggested_merges: list[MergeHint] = Field(
        default_factory=list, description="Pairs of findings that probably say the same thing (not applied)."
    )

    @property
    def top(self) -> list[Finding]:
        """The top findings (rejected ones stay listed but are flagged by status)."""
        return self.findings[: self.top_n]

    @property
    def others(self) -> list[Finding]:
        """Findings ranked after the top ones."""
        return self.findings[self.top_n :]
