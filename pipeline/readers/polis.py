"""Polis exports: the comments table plus what sits beside it (`summary.csv`, `participants-votes.csv`).

`comments.csv` has one row per comment (`comment-id`, `author-id`, `agrees`, `disagrees`, `moderated`,
`comment-body`, and in newer exports `passes`, `is-seed`, `is-meta`, ...). The conversation's prompt is in
`summary.csv` (rows `topic,<text>` and `conversation-description,<text>`); `participants-votes.csv` holds one row
per participant with their opinion group (`group-id`) and one column per comment id (1 agree, -1 disagree, 0 pass,
blank: not voted).

Older `comments.csv` files have no `passes` column: the conversation-wide passes are then counted from
`participants-votes.csv`, and where that file is absent too they are unknown (<NA>), never 0.
"""

from __future__ import annotations

import csv
import io
import logging
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

log = logging.getLogger(__name__)

VOTE_COLUMNS = ["comment_id", "group", "agrees", "disagrees", "passes"]
ALL_GROUPS = ""  # the `group` of the conversation-wide vote counts
_QUESTION = re.compile(r"[^?]*\?")
_TRUE = frozenset({"true", "1", "yes", "t"})


@dataclass(frozen=True)
class PolisContext:
    """What a Polis conversation says beside its comments.

    Attributes:
        topic: `summary.csv` topic ('' when absent).
        description: `summary.csv` conversation-description ('' when absent).
        votes: VOTE_COLUMNS: per comment id, conversation-wide counts (group '') and, when
            `participants-votes.csv` is present, counts per opinion group ('A', 'B', ...). `passes` is a nullable
            integer: <NA> where the export does not say (no `passes` column and no `participants-votes.csv`).
    """

    topic: str = ""
    description: str = ""
    votes: pd.DataFrame = field(default_factory=lambda: _table([]))

    @property
    def prompt(self) -> str:
        """The question participants answered: a topic that asks one, else the description's first question."""
        if self.topic.rstrip().endswith("?"):
            return self.topic.strip()
        match = _QUESTION.match(" ".join(self.description.split()))
        return match.group(0).strip() if match else self.topic.strip()


def column(frame: pd.DataFrame, name: str) -> str | None:
    """The frame column with this header (case and spaces ignored), or None."""
    return next((str(c) for c in frame.columns if str(c).strip().casefold() == name), None)


# a comment that only says who the participant is: "I live in a rural area", "I am 55 years of age or older", "My
# household income is less than $50,000", "I voted to Remain", "I identify as female"
_SELF = re.compile(
    r"^\s*(i am|i'm|i live|i was born|i identify|i consider myself|i voted|i own|i rent|"
    r"my (?:age|household|ethnicity|gender|income)|"
    r"i have (?:\d|children|kids|no children))\b",
    re.IGNORECASE,
)
_ATTRIBUTE = re.compile(
    r"\b(\d+|years?|aged?|old|older|younger|city|town|rural|urban|suburb\w*|village|region|class|income|born|male|"
    r"female|gender|woman|man|voted|remain|leave|student|retired|employed|unemployed|self.employed|parent|children|"
    r"kids|rent|homeowner|housing|descent|ethnicity)\b",
    re.IGNORECASE,
)
_VIEW = re.compile(
    r"\b(think\w*|believ\w*|feel\w*|should|must|worr\w*|concern\w*|support\w*|oppos\w*|agree\w*|disagree\w*|"
    r"want\w*|like|hate|prefer\w*|need\w*|fight\w*|advocat\w*|because|but|however|pro.choice|proud\w*)\b",
    re.IGNORECASE,
)
SELF_WORDS = 14  # a description of the participant is short


def describes_participant(text: str) -> bool:
    """Whether a comment only says who its participant is (age, place, income, identity, past vote), not a view.

    Polis moderators seed such statements so that votes on them segment the participants; newer exports flag them
    `is-meta`, older ones do not, and their findings then read "Years of age", "Small city" (scoop-hivemind.taxes,
    .ubi, .freshwater, london.youth.policing). One sentence of at most SELF_WORDS words, opening on the participant
    ("I am", "I live", "My household", "I identify", "I voted"), naming an attribute (an age, a place, an income,
    a gender, a class) and no view ("think", "should", "worried", "support", "but"...). Over the 11 shared Polis
    conversations it sets apart 95 of 3,557 comments; every one read as a description ("I am a retired teacher",
    "I live in a large NZ city"), none as a view ("I am worried about security issues with online voting" stays).
    """
    sentences = [part for part in re.split(r"[.!?]+\s+", text.strip()) if part.strip()]
    return (
        len(sentences) == 1
        and len(text.split()) <= SELF_WORDS
        and bool(_SELF.search(text))
        and bool(_ATTRIBUTE.search(text))
        and not _VIEW.search(text)
    )


def excluded_comments(frame: pd.DataFrame, unmoderated: str) -> dict[int, str]:
    """Frame rows that are not comments to report: meta statements, moderated out (-1) or never moderated (0).

    Meta statements (`is-meta` true) are questions about the participants ("I am between 20 and 25"), not views.

    Args:
        frame: comments.csv as str cells.
        unmoderated: `keep`, `drop`, or `auto` (dropped when the conversation accepted some comments: a moderated
            conversation never showed them to voters).
    """
    out: dict[int, str] = {}
    meta = column(frame, "is-meta")
    if meta is not None:
        flags = frame[meta].str.strip().str.casefold().tolist()
        out |= {
            i: "Polis meta statement (is-meta: a question about participants)"
            for i, f in enumerate(flags)
            if f in _TRUE
        }
    body = column(frame, "comment-body")
    if meta is None and body is not None:
        out |= {
            i: "Polis meta statement (inferred, no is-meta column: the comment describes the participant)"
            for i, text in enumerate(frame[body].tolist())
            if describes_participant(str(text))
        }
    name = column(frame, "moderated")
    if name is None:
        return out
    values = frame[name].str.strip().tolist()
    drop_zero = unmoderated == "drop" or (unmoderated == "auto" and "1" in values)
    for i, value in enumerate(values):
        if i in out:
            continue
        if value == "-1":
            out[i] = "comment moderated out in Polis (moderated = -1)"
        elif value == "0" and drop_zero:
            out[i] = "comment never moderated in Polis (moderated = 0; input.polis_unmoderated: keep to use it)"
    return dict(sorted(out.items()))


def read_context(path: Path, frame: pd.DataFrame) -> PolisContext:
    """The prompt (summary.csv) and the votes (comments.csv counts, participants-votes.csv groups) of a conversation."""
    summary = _summary(path.with_name("summary.csv"))
    participants = _rows(path.with_name("participants-votes.csv"))
    votes = _comment_votes(frame, _passes(participants))
    groups = _group_votes(participants)
    table = _table([votes, groups]) if not groups.empty else votes
    return PolisContext(
        topic=summary.get("topic", ""),
        description=summary.get("conversation-description", ""),
        votes=table.sort_values(["comment_id", "group"], kind="stable").reset_index(drop=True),
    )


def _rows(path: Path) -> list[list[str]]:
    if not path.is_file():
        return []
    try:
        return list(csv.reader(io.StringIO(path.read_text(encoding="utf-8-sig"), newline="")))
    except (OSError, UnicodeDecodeError, csv.Error) as exc:
        log.warning("%s: not read (%s); the Polis prompt / groups are left out", path, exc)
        return []


def _summary(path: Path) -> dict[str, str]:
    return {row[0].strip().casefold(): row[1].strip() for row in _rows(path) if len(row) >= 2 and row[0].strip()}


def _int(value: object) -> int:
    """A vote count: a whole number of at least 0, else 0 (`comment_problems` lists the cell)."""
    text = str(value).strip()
    return int(text) if text.isdigit() else 0


def comment_problems(frame: pd.DataFrame) -> tuple[dict[int, str], list[tuple[int, str, str]]]:
    """Comments whose id repeats an earlier one, and vote counts that are not counts, by frame row.

    Returns:
        Frame row -> why it is left out (a repeated comment id: its votes would count twice), and (frame row,
        column, problem) for each count that is not a whole number of at least 0 (`lots`, `-5`; read as 0).
    """
    repeated: dict[int, str] = {}
    ids = column(frame, "comment-id")
    if ids is not None:
        first: dict[str, int] = {}
        for i, cid in enumerate(frame[ids].str.strip().tolist()):
            if cid and first.setdefault(cid, i) != i:
                repeated[i] = f"comment id {cid!r} repeats an earlier comment's: left out (its votes would count twice)"
    bad: list[tuple[int, str, str]] = []
    for name in ("agrees", "disagrees", "passes"):
        header = column(frame, name)
        if header is None:
            continue
        for i, value in enumerate(frame[header].str.strip().tolist()):
            if value and not value.isdigit():
                bad.append((i, header, f"{name} {value!r} is not a number of votes: read as 0"))
    return repeated, bad


def _comment_votes(frame: pd.DataFrame, counted_passes: Mapping[str, int] | None) -> pd.DataFrame:
    """Conversation-wide counts of comments.csv; passes from participants-votes.csv when comments.csv has none.

    Args:
        frame: comments.csv as str cells.
        counted_passes: Comment id -> pass votes counted in participants-votes.csv (None without that file).
    """
    ids = column(frame, "comment-id")
    if ids is None:
        return _table([])
    counts: Mapping[str, str | None] = {k: column(frame, k) for k in ("agrees", "disagrees", "passes")}
    frame = frame[~frame[ids].str.strip().duplicated()]  # a repeated id's comment is left out, and so its votes
    comment_ids = frame[ids].str.strip()
    data = {
        "comment_id": comment_ids,
        "group": ALL_GROUPS,
        **{k: frame[c].map(_int) if c else 0 for k, c in counts.items() if k != "passes"},
        "passes": _pass_counts(frame, counts["passes"], comment_ids, counted_passes),
    }
    return _table([pd.DataFrame(data, columns=VOTE_COLUMNS)])


def _pass_counts(
    frame: pd.DataFrame, header: str | None, comment_ids: pd.Series, counted: Mapping[str, int] | None
) -> pd.Series:
    """Passes per comment: the `passes` column, else the count from participants-votes.csv, else <NA>.

    A comment participants-votes.csv has no column for gets <NA> too: nothing says how many passed it.
    """
    if header is not None:
        return frame[header].map(_int)
    known = counted or {}
    return pd.Series([known.get(cid, pd.NA) for cid in comment_ids], index=comment_ids.index, dtype="Int64")


def _table(parts: list[pd.DataFrame]) -> pd.DataFrame:
    """VOTE_COLUMNS with whole-number counts; `passes` nullable (<NA>: not known)."""
    frames = [p for p in parts if not p.empty]
    table = pd.concat(frames, ignore_index=True) if frames else pd.DataFrame(columns=VOTE_COLUMNS)
    return table[VOTE_COLUMNS].astype({"agrees": "int64", "disagrees": "int64", "passes": "Int64"})


def _votes_header(rows: list[list[str]]) -> tuple[int | None, list[tuple[int, str]]]:
    """Where participants-votes.csv has its `group-id` column, and its comment columns (index, comment id)."""
    if len(rows) < 2:
        return None, []
    header = [h.strip() for h in rows[0]]
    group_at = next((i for i, h in enumerate(header) if h.casefold() == "group-id"), None)
    return group_at, [(i, h) for i, h in enumerate(header) if h.isdigit()]


def _passes(rows: list[list[str]]) -> dict[str, int] | None:
    """Comment id -> pass votes (0 cells) of every participant in participants-votes.csv; None without that table."""
    _, comments = _votes_header(rows)
    if not comments:
        return None
    return {comment: sum(1 for row in rows[1:] if i < len(row) and row[i].strip() == "0") for i, comment in comments}


def _group_votes(rows: list[list[str]]) -> pd.DataFrame:
    """Per comment and opinion group: agree (1), disagree (-1) and pass (0) votes of participants-votes.csv."""
    group_at, comments = _votes_header(rows)
    if group_at is None or not comments:
        return _table([])
    tally: dict[tuple[str, str], list[int]] = {}
    for row in rows[1:]:
        group = _group_name(row[group_at] if group_at < len(row) else "")
        if not group:
            continue
        for i, comment in comments:
            vote = row[i].strip() if i < len(row) else ""
            if vote in ("1", "-1", "0"):
                tally.setdefault((comment, group), [0, 0, 0])[("1", "-1", "0").index(vote)] += 1
    records = [(c, g, *counts) for (c, g), counts in sorted(tally.items())]
    return _table([pd.DataFrame(records, columns=VOTE_COLUMNS)])


def _group_name(value: str) -> str:
    """Polis group ids 0, 1, 2 ... shown as the letters A, B, C ... Polis' own report uses."""
    value = value.strip()
    if value.isdigit() and int(value) < 26:
        return chr(ord("A") + int(value))
    return value
