"""The reviewer edits the browser sends, applied to a question's review copy (pure: touches no files).

Each edit only changes analyst fields (`title`, `summary`, `status`, `note`, `merge_into`, `pinned`, `excluded`,
`split_out`, `quotes`, `campaign`, and new analyst entries), exactly as a reviewer would in a text editor; the
reconciliation then recomputes members, counts and ranks (`pipeline.stages.review.reconcile`).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

from pipeline.errors import PipelineError
from pipeline.stages.shared.sidecar import QuestionDraft, Quote

EditKind = Literal[
    "title",
    "summary",
    "note",
    "status",
    "merge",
    "unmerge",
    "pin",
    "exclude",
    "split",
    "split_out",
    "keep_subpoint",
    "quote",
    "unquote",
    "quote_up",
    "quote_down",
    "quotes_reset",
    "quotes_set",
    "campaign",
]
SECTIONS = ("findings", "merged", "vanished")
STATUSES = ("draft", "accepted", "rejected")


class EditError(PipelineError):
    """An edit that cannot be made (unknown finding, empty title, ...); the message says what to do."""


class Edit(BaseModel):
    """One edit, as the browser sends it."""

    model_config = ConfigDict(extra="forbid")
    kind: EditKind
    finding: str = Field("", description="Id of the finding edited (for pin: the finding the statements move to).")
    text: str = Field("", description="New title, summary, note or status; the title of a split.", max_length=5000)
    target: str = Field("", description="Finding to merge into, sub-point id, or a quote's position (from 0).")
    statements: list[str] = Field(default_factory=list, description="Statement ids (pin, exclude, split).")
    summary: str = Field("", description="Summary of a split.", max_length=5000)


Data = dict[str, Any]
QuoteOf = Callable[[str], Quote]


def apply_edit(draft: QuestionDraft, edit: Edit, quote_of: QuoteOf | None = None) -> QuestionDraft:
    """The review copy with one edit made.

    Args:
        draft: the question's review copy as read from disk.
        edit: what the reviewer did.
        quote_of: the quote a statement id gives (its verbatim text and respondent); needed by `quote` edits.

    Returns:
        A new review copy (the input is not modified).

    Raises:
        EditError: the edit names a finding or statement that does not exist, or a value that is not allowed.
    """
    data = draft.model_dump(mode="json")
    if edit.kind in ("quote", "quotes_set"):
        _quote(data, edit, quote_of)
    else:
        EDITS[edit.kind](data, edit)
    return QuestionDraft.model_validate(data)


def _find(data: Data, fid: str) -> Data:
    for finding in _every(data):
        if finding["id"] == fid and fid:
            return finding
    raise EditError(f"There is no finding {fid!r} in {data['edit_file'] or data['question_id']}; reload the page.")


def _every(data: Data) -> list[Data]:
    return [f for section in SECTIONS for f in data[section]]


def _text(data: Data, edit: Edit) -> None:
    finding = _find(data, edit.finding)
    value = " ".join(edit.text.split())
    if edit.kind == "title" and not value:
        raise EditError("A title cannot be empty; type a title, or reject the finding instead.")
    finding[edit.kind] = value


def _note(data: Data, edit: Edit) -> None:
    _find(data, edit.finding)["note"] = edit.text.strip() or None


def _status(data: Data, edit: Edit) -> None:
    if edit.text not in STATUSES:
        raise EditError(f"Status {edit.text!r} is not one of {', '.join(STATUSES)}.")
    _find(data, edit.finding)["status"] = edit.text


def _merge(data: Data, edit: Edit) -> None:
    finding = _find(data, edit.finding)
    target = _find(data, edit.target)
    if target is finding:
        raise EditError("A finding cannot be merged into itself; pick another finding.")
    finding["merge_into"] = edit.target


def _unmerge(data: Data, edit: Edit) -> None:
    _find(data, edit.finding)["merge_into"] = None


def _unpin(data: Data, statements: list[str]) -> None:
    """Take statements out of every finding's `pinned` (a statement is pinned to one finding at most)."""
    for finding in _every(data):
        finding["pinned"] = [s for s in finding["pinned"] if s not in statements]


def _known(data: Data, statements: list[str]) -> list[str]:
    listed = {s for f in data["findings"] for s in f["members"]} | set(data["not_grouped_members"])
    listed |= {s for f in _every(data) for s in f["pinned"]}
    unknown = [s for s in statements if s not in listed]
    if not statements or unknown:
        what = f"unknown statement ids {', '.join(unknown[:3])}" if unknown else "no statements selected"
        raise EditError(f"Cannot move statements: {what}; reload the page and select them again.")
    return list(dict.fromkeys(statements))


def _pin(data: Data, edit: Edit) -> None:
    statements = _known(data, edit.statements)
    target = _find(data, edit.finding)
    _unpin(data, statements)
    target["excluded"] = [s for s in target["excluded"] if s not in statements]
    target["pinned"] = [*target["pinned"], *statements]


def _exclude(data: Data, edit: Edit) -> None:
    """Take statements out of the findings that hold them, and out of their own cluster: to "not grouped"."""
    statements = _known(data, edit.statements)
    _unpin(data, statements)
    for sid in statements:
        holders = [
            f for f in _every(data) if sid in f["members"] or sid in ((f.get("generated") or {}).get("members") or [])
        ]
        if edit.finding and not holders:
            holders = [_find(data, edit.finding)]
        for finding in holders:
            if sid not in finding["excluded"]:
                finding["excluded"] = [*finding["excluded"], sid]


def _split(data: Data, edit: Edit) -> None:
    statements = _known(data, edit.statements)
    title = " ".join(edit.text.split())
    if not title:
        raise EditError("A new finding needs a title; type one, then split again.")
    _unpin(data, statements)
    data["findings"].append({"title": title, "summary": " ".join(edit.summary.split()), "pinned": statements})


def _split_out(data: Data, edit: Edit) -> None:
    finding = _find(data, edit.finding)
    if edit.target not in {p["id"] for p in finding["subpoints"]} and edit.target not in finding["split_out"]:
        raise EditError(f"Finding {edit.finding} has no sub-point {edit.target!r}; reload the page.")
    keep = [s for s in finding["split_out"] if s != edit.target]
    finding["split_out"] = keep if edit.kind == "keep_subpoint" else [*keep, edit.target]
    if edit.kind == "keep_subpoint":  # the finding the split made goes: its statements go back where they were
        for section in SECTIONS:
            data[section] = [f for f in data[section] if not (f["id"] == edit.target and f.get("generated") is None)]


def _quote(data: Data, edit: Edit, quote_of: QuoteOf | None) -> None:
    """`quote`: add a statement of the finding as its last quote; `quotes_set`: its quotes are these statements.

    Either way the quotes are then the reviewer's choice (the report prints them all, in order).
    """
    finding = _find(data, edit.finding)
    if not edit.statements or (edit.kind == "quote" and len(edit.statements) != 1) or quote_of is None:
        raise EditError("Choose one statement to quote; reload the page.")
    quotes = [] if edit.kind == "quotes_set" else list(finding["quotes"])
    for sid in edit.statements:
        if sid not in finding["members"]:
            raise EditError(
                f"Statement {sid} is not in “{finding['title']}”: only its own statements can be its quotes."
            )
        quote = quote_of(sid).model_dump(mode="json")
        quotes = [q for q in quotes if (q["response_id"], q["text"]) != (quote["response_id"], quote["text"])]
        quotes.append(quote)
    finding["quotes"] = quotes


def _position(finding: Data, edit: Edit) -> int:
    if not edit.target.isdigit() or int(edit.target) >= len(finding["quotes"]):
        raise EditError(f"“{finding['title']}” has no quote number {edit.target}; reload the page.")
    return int(edit.target)


def _unquote(data: Data, edit: Edit) -> None:
    finding = _find(data, edit.finding)
    at = _position(finding, edit)
    finding["quotes"] = [q for i, q in enumerate(finding["quotes"]) if i != at]


def _move_quote(data: Data, edit: Edit) -> None:
    finding = _find(data, edit.finding)
    at = _position(finding, edit)
    to = at - 1 if edit.kind == "quote_up" else at + 1
    quotes = list(finding["quotes"])
    if 0 <= to < len(quotes):
        quotes[at], quotes[to] = quotes[to], quotes[at]
    finding["quotes"] = quotes


def _reset_quotes(data: Data, edit: Edit) -> None:
    finding = _find(data, edit.finding)
    generated = (finding.get("generated") or {}).get("quotes")
    finding["quotes"] = list(generated) if generated is not None else []


def _campaign(data: Data, edit: Edit) -> None:
    """Mark a finding as a campaign (text "true") or a detected campaign as not one ("false")."""
    if edit.text not in ("true", "false"):
        raise EditError(f"Campaign {edit.text!r} is not true or false; reload the page.")
    _find(data, edit.finding)["campaign"] = edit.text == "true"


EDITS: dict[str, Callable[[Data, Edit], None]] = {
    "title": _text,
    "summary": _text,
    "note": _note,
    "status": _status,
    "merge": _merge,
    "unmerge": _unmerge,
    "pin": _pin,
    "exclude": _exclude,
    "split": _split,
    "split_out": _split_out,
    "keep_subpoint": _split_out,
    "unquote": _unquote,
    "quote_up": _move_quote,
    "quote_down": _move_quote,
    "quotes_reset": _reset_quotes,
    "campaign": _campaign,
}


def describe(edit: Edit, before: QuestionDraft, after: QuestionDraft) -> str:
    """What an edit did, in one line naming findings by title (the message the page shows)."""
    titles = {f.id: f.title for f in (*before.findings, *before.merged, *before.vanished)}
    named = f"“{titles.get(edit.finding, edit.finding)}”"
    into = f"“{titles.get(edit.target, edit.target)}”"
    n = len(edit.statements)
    statements = "1 statement" if n == 1 else f"{n} statements"
    what = {
        "title": f"Renamed {named} to “{' '.join(edit.text.split())}”.",
        "summary": f"Saved the summary of {named}.",
        "note": f"Saved the note on {named}.",
        "status": f"{named}: {edit.text}.",
        "merge": f"Merged {named} into {into}.",
        "unmerge": f"Unmerged {named}.",
        "pin": f"Moved {statements} to {named}.",
        "exclude": f"Took {statements} out (not grouped).",
        "split": f"New finding “{' '.join(edit.text.split())}” with {statements}.",
        "split_out": f"Split a sub-point out of {named} as a finding of its own.",
        "keep_subpoint": f"Kept the sub-point in {named}.",
        "quote": f"Added a quote to {named}.",
        "unquote": f"Removed a quote from {named}.",
        "quote_up": f"Moved a quote of {named} up.",
        "quote_down": f"Moved a quote of {named} down.",
        "quotes_reset": f"{named} uses the pipeline's quotes again.",
        "quotes_set": f"{named} quotes {statements}.",
    }[edit.kind]
    return what + duplicate_warning(after, edit.finding if edit.kind == "title" else "")


def duplicate_warning(draft: QuestionDraft, fid: str) -> str:
    """A warning when another finding has the same title as finding `fid` ('' when none or no `fid`)."""
    mine = next((f for f in draft.findings if f.id == fid), None)
    if mine is None:
        return ""
    same = [f for f in draft.findings if f.id != fid and f.title.casefold() == mine.title.casefold()]
    if not same:
        return ""
    return f" Warning: #{same[0].rank} is also called “{mine.title}”: merge them or rename one."
