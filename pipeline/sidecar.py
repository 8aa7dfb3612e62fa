"""The draft sidecar: the editable source of truth of one open question's findings.

The draft stage writes a generated sidecar into the run folder (`06_draft/<question>.yaml`) and a review copy
into the review folder (`reviews/<run>/<question>.yaml`). Reviewers edit only the review copy. On every rerun the
draft stage reconciles it with the new findings (`pipeline.stages.review`): analyst-written fields are kept
verbatim, counts and memberships are recomputed, and edits that cannot be applied are listed under `unapplied`.
The report reads the review copy when it exists.

Analyst fields of a finding: `title`, `summary`, `status`, `note`, `merge_into`, `pinned`, `excluded`. A new
entry without `generated` and with `pinned` statement ids is an analyst-made finding (a split). The `generated`
block records what the pipeline wrote, so the reconciliation can tell edited text from generated text.
"""

from __future__ import annotations

from pathlib import Path
from typing import Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError

from pipeline.artifacts import write_atomic
from pipeline.errors import InputError
from pipeline.yamlsafe import YamlRefused, load_yaml

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


EDIT_HELP = """\
# Edit per finding: title, summary, status (draft/accepted/rejected), note;
#   merge_into: <finding id> merges it into that finding; pinned: [statement ids] moves statements into it;
#   excluded: [statement ids] takes statements out of it. Split: add an entry with title, summary and pinned.
# Counts, ranks, members and `generated` are recomputed on every rerun; `unapplied` lists edits that failed.
"""


_SafeDumper = getattr(yaml, "CSafeDumper", yaml.SafeDumper)  # libyaml when available: same output, much faster


class _Dumper(_SafeDumper):  # type: ignore[misc,valid-type]
    """Safe dumper that double-quotes text containing fragile characters."""


def _represent_str(dumper: yaml.SafeDumper, text: str) -> yaml.ScalarNode:
    # Characters a plain or single-quoted scalar would turn into line breaks or lose (\r, NEL, LS, PS, BOM, other
    # control and format characters: all non-printable) are safe only double-quoted, where YAML escapes them, so
    # reviewer text survives a write and read byte for byte.
    fragile = not text.replace("\n", "").replace("\t", "").isprintable()
    return dumper.represent_scalar("tag:yaml.org,2002:str", text, style='"' if fragile else None)


_Dumper.add_representer(str, _represent_str)


def dump_draft(draft: QuestionDraft) -> str:
    """YAML text of a sidecar (stable key order, readable unicode, wide lines)."""
    body = yaml.dump(draft.model_dump(mode="json"), Dumper=_Dumper, sort_keys=False, allow_unicode=True, width=100)
    return header(draft.question_id) + body


def write_draft(path: Path, draft: QuestionDraft) -> None:
    """Write a sidecar atomically."""
    write_atomic(path, dump_draft(draft))


def header(question_id: str) -> str:
    """The comment block the pipeline puts at the top of a sidecar."""
    return f"# Findings of question {question_id}.\n{EDIT_HELP}"


def has_reviewer_comments(text: str, question_id: str) -> bool:
    """Whether a sidecar's text holds comments besides the generated header (or other hand formatting).

    A `#` can also sit inside an answer ("C#"), so a text with one counts only when dumping what it says does not
    give the same text back; a reviewer's comment, moved key or changed quoting then keeps the round-trip writer.
    """
    generated = header(question_id)
    if "#" not in (text[len(generated) :] if text.startswith(generated) else text):
        return False
    try:
        return dump_draft(parse_draft(text, Path("review copy"))) != text
    except InputError:
        return True


def review_text(draft: QuestionDraft, previous: str | None = None, commented: bool | None = None) -> str:
    """YAML text of a review copy, keeping the reviewer's comments and key order from its previous text.

    Args:
        draft: the new content of the review copy.
        previous: the review copy's current text, if any. When it holds comments, the new content is written into
            it in place (`pipeline.sidecar_roundtrip`); otherwise the copy is dumped afresh.
        commented: whether `previous` holds comments, when the caller knows (it wrote that very text); None to check.
    """
    if commented is None and previous is not None:
        commented = has_reviewer_comments(previous, draft.question_id)
    if previous is None or not commented:
        return dump_draft(draft)
    from pipeline.sidecar_roundtrip import update_text

    return update_text(previous, draft.model_dump(mode="json")) or dump_draft(draft)


def read_draft(path: Path) -> QuestionDraft:
    """Read and validate a sidecar; an invalid one is an InputError naming the file and field."""
    try:
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError as exc:
        raise InputError(
            f"{path} is not UTF-8 text (byte 0x{exc.object[exc.start]:02x} at position {exc.start}); "
            "your editor saved it in another encoding: save it again as UTF-8 and rerun."
        ) from exc
    return parse_draft(text, path)


def parse_draft(text: str, path: Path) -> QuestionDraft:
    """Validate a sidecar's text (read from `path`); an invalid one is an InputError naming the file and field."""
    try:
        return QuestionDraft.model_validate(load_yaml(text))
    except YamlRefused as exc:
        raise InputError(f"{path}: {exc}; then rerun.") from exc
    except yaml.YAMLError as exc:
        raise InputError(f"{path} is not valid YAML ({str(exc).splitlines()[0]}); fix the edit and rerun.") from exc
    except ValidationError as exc:
        err = exc.errors()[0]
        loc = ".".join(str(p) for p in err["loc"])
        raise InputError(f"{path}: {loc}: {err['msg']}; fix the edit and rerun.") from exc
