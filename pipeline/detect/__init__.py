"""Question detection: what each column of an export is (open, likert, single, multi, meta, personal, ignore).

Used by `consolidate init` (which writes the decisions, with their reasons, into a config draft) and by ingest
when the config lists no questions. Rules, in order: select-all questions exported one column per option, or as
runs of 0/1 columns (one `multi` question with `columns`); personal headers/values; the export's id column; Polis
columns (the comment text is the open question, the rest is metadata); metadata and timing columns; empty columns;
links (URL headers or values: ignored); uploads (`attachment`); 'Other, please specify' text; respondent attributes
(header: type, country, city, age group...); dates; ids; numbers; lone 0/1 flags (ignored); ordered scales
(likert); multi-select cells; few repeated values (single; longer labels when the tool marks a choice question or
a 'please specify' column follows); names repeated across many rows (meta); anything else is open text. Adjacent
likert columns of one question (`<question>.<statement>`, `<question> - <row>`, `Question [Row]`, ...) share a
`block`; 'please specify' text is linked to its choice question (`other_of`). A question whose only heading is a
column name that says nothing ("text", "Q3") gets `needs_text`, which `init` turns into a placeholder and a warning.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from pipeline.config import DEFAULT_NON_ANSWERS, DEFAULT_NOTHING_REPLIES, Kind, QuestionConfig
from pipeline.detect.follow_ups import Draft, link_explanations, link_others, question_text
from pipeline.detect.groups import FlagGroup, flag_groups, flag_values, option_groups, option_label, ticked
from pipeline.detect.rules import (
    attachment_header,
    attribute_header,
    date_values,
    email_values,
    file_values,
    generic_header,
    id_values,
    metadata_header,
    other_header,
    personal_header,
    phone_values,
    place_header,
    slug,
    unique_ids,
    url_header,
    url_values,
)
from pipeline.detect.scales import ScaleMatch, match_scale
from pipeline.detect.values import (
    MAX_CHOICES,
    MAX_NAME_VALUES,
    attribute_values,
    by_frequency,
    choice_options,
    median_words,
    multi_options,
    non_answer_keys,
    numeric_values,
)
from pipeline.messages import Messages
from pipeline.readers import ColumnInfo, RawExport

MAX_META_VALUES = 60
TO_FILL_IN = "TO FILL IN"  # starts what `init` writes where only a person can say (a title, a question's text)
QUESTION_KINDS = ("open", "likert", "single", "multi")


@dataclass(frozen=True)
class DetectedQuestion:
    """The detected kind of one column, with the reason written as a comment in the config draft.

    `needs_text` says why the question's text must be written by a person (its column name says nothing of what was
    asked), None when the text (or the header) will do.
    """

    column: str
    id: str
    kind: Kind
    reason: str
    text: str | None = None
    options: tuple[str, ...] = ()
    block: str | None = None
    other_of: str | None = None
    columns: tuple[str, ...] = ()
    needs_text: str | None = None
    explains: str | None = None

    def to_config(self) -> QuestionConfig:
        """The question as a config entry."""
        return QuestionConfig(
            column=self.column,
            columns=list(self.columns),
            id=self.id,
            kind=self.kind,
            text=self.text,
            options=list(self.options),
            block=self.block,
            other_of=self.other_of,
            explains=self.explains,
        )


def detect_questions(
    raw: RawExport, non_answers: Sequence[str] = DEFAULT_NON_ANSWERS, language: str = "en"
) -> list[DetectedQuestion]:
    """Detect the kind of every column of an export.

    Args:
        raw: The export.
        non_answers: Cell texts that are not answers (they do not make a column look like a choice question).
            Nor do the default nothing replies ("no", "none", "nothing"): ten "No" among free texts are answers
            to an open question, not the options of a choice question.
        language: Language of the neutral heading a Polis conversation without `summary.csv` gets.

    Returns:
        One entry per column, in export order, with a unique id and the reason for its kind.
    """
    skip = non_answer_keys([*non_answers, *DEFAULT_NOTHING_REPLIES])
    drafts = _drafts(raw, skip)
    _polis_heading(raw, drafts, Messages(language))
    link_others(drafts)
    link_explanations(drafts)
    _build_blocks(drafts)
    ids = unique_ids(_id_base(d, drafts) for d in drafts)
    return [_finish(d, ids[i], ids) for i, d in enumerate(drafts)]


def _drafts(raw: RawExport, skip: frozenset[str]) -> list[Draft]:
    """One draft per column, except that a one-column-per-option run (or a run of 0/1 columns) is one multi question."""
    columns = raw.columns
    groups = {g[0]: g for g in option_groups(columns, lambda name: column_values(raw, name))}
    grouped = {i for g in groups.values() for i in g}
    flags = {g.indexes[0]: g for g in _flag_groups(raw, grouped)}
    grouped |= {i for g in flags.values() for i in g.indexes}
    drafts: list[Draft] = []
    for i, col in enumerate(columns):
        if i in groups:
            drafts.append(_option_group(raw, [columns[k] for k in groups[i]]))
        elif i in flags:
            drafts.append(_flag_group(raw, flags[i]))
        elif i not in grouped:
            hint = i + 1 < len(columns) and other_header(columns[i + 1].sublabel or columns[i + 1].header)
            drafts.append(_classify(raw, col, column_values(raw, col.name), skip, hint))
    return drafts


def _option_group(raw: RawExport, members: list[ColumnInfo]) -> Draft:
    labels = [option_label(c) for c in members]
    n_ticked = sum(1 for i in range(len(raw.frame)) if i not in raw.excluded and _any_ticked(raw, members, i))
    reason = f"select-all exported one column per option ({len(members)} columns), {n_ticked} respondents ticked any"
    first = members[0]
    info = ColumnInfo(first.name, first.question, first.question, "", first.code)
    return Draft(info, "multi", reason, options=labels, columns=members)


def _flag_groups(raw: RawExport, grouped: set[int]) -> list[FlagGroup]:
    """Runs of 0/1 columns (not in Polis exports, whose true/false columns are metadata)."""
    if raw.format == "polis":
        return []
    columns = raw.columns

    def eligible(i: int) -> bool:
        col = columns[i]
        meta = any(metadata_header(h) for h in (col.name, col.code, col.header) if h)
        return i not in grouped and col.name != raw.id_column and not meta

    return flag_groups(columns, lambda name: column_values(raw, name), eligible)


def _flag_group(raw: RawExport, group: FlagGroup) -> Draft:
    members = [raw.columns[i] for i in group.indexes]
    labels = [group.label(option_label(c)) for c in members]
    rows = sum(1 for i in range(len(raw.frame)) if i not in raw.excluded and _any_ticked(raw, members, i))
    named = f"sharing the header start {group.prefix!r}" if group.question else "with no shared header start"
    reason = f"{len(members)} adjacent 0/1 columns {named}: one option each, {rows} rows with any 1"
    first = members[0]
    question = group.question or first.name
    draft = Draft(ColumnInfo(first.name, question, question, "", first.code), "multi", reason, columns=members)
    draft.options, draft.text = labels, group.question or None
    if not group.question:
        draft.needs_text = "its 0/1 columns share no header that says what they are"
    return draft


def _any_ticked(raw: RawExport, members: list[ColumnInfo], row: int) -> bool:
    return any(ticked(str(raw.frame.at[row, c.name])) for c in members)


def column_values(raw: RawExport, name: str) -> list[str]:
    """Non-blank, trimmed cells of one column (rows that are not responses left out)."""
    cells = raw.frame[name].tolist()
    return [clean for i, cell in enumerate(cells) if i not in raw.excluded and (clean := clean_cell(cell))]


def clean_cell(cell: object) -> str:
    """Cell text with line endings normalised to LF and surrounding whitespace trimmed."""
    if not isinstance(cell, str):
        return ""
    return cell.replace("\r\n", "\n").replace("\r", "\n").strip()


def _classify(raw: RawExport, col: ColumnInfo, values: list[str], skip: frozenset[str], hint: bool) -> Draft:
    personal = _personal_reason(raw, col, values)
    if personal:
        return Draft(col, "personal", f"{personal} — never copied to outputs")
    if col.name == raw.id_column:
        if raw.unit == "comment":
            return Draft(col, "ignore", "the comment's own id (each comment is one response, counted as a comment)")
        return Draft(col, "ignore", "the export's own response id (used as respondent_id when unique)")
    if raw.format == "polis":
        return _polis(raw, col, values)
    if any(metadata_header(h) for h in (col.name, col.code, col.header) if h):
        return Draft(col, "ignore", "metadata/timing column of the survey tool, not a question")
    if not values:
        return Draft(col, "ignore", "no answers in any row")
    if url_header(col.sublabel or col.header) or url_values(values):
        return Draft(col, "ignore", f"links (URLs: {len(values)} respondents), not answers to summarise")
    if attachment_header(col.sublabel or col.header) or file_values(values):
        reason = f"an upload ({len(values)} respondents attached something): counted, never clustered or written"
        return Draft(col, "attachment", reason, values)
    if other_header(col.sublabel or col.header):
        return Draft(col, "open", _open_reason(values), values, other=True)
    return _by_values(raw, col, values, skip, hint or col.header.endswith(" - Selected Choice"))


def _polis_heading(raw: RawExport, drafts: list[Draft], msgs: Messages) -> None:
    """A neutral heading for Polis comments without a prompt (no summary.csv), never the column name `comment-body`."""
    for draft in drafts:
        if raw.format == "polis" and draft.kind == "open" and draft.text is None:
            draft.text = msgs("open.polis_heading")
            draft.reason += "; no summary.csv, so a neutral heading: write the conversation's question as text"


def _polis(raw: RawExport, col: ColumnInfo, values: list[str]) -> Draft:
    if col.name.strip().casefold() != "comment-body":
        return Draft(col, "ignore", "Polis metadata (authors and votes are read from the export on their own)")
    prompt = raw.polis.prompt if raw.polis else ""
    source = " (the conversation's prompt, from summary.csv)" if prompt else ""
    reason = f"Polis comments, each counted once (its author kept beside it); {_open_reason(values)}{source}"
    return Draft(col, "open", reason, values, text=prompt or None)


def _personal_reason(raw: RawExport, col: ColumnInfo, values: list[str]) -> str | None:
    what = personal_header(col.question if col.sublabel else col.header)
    if what:
        return f"header looks like {what} column"
    if col.name in raw.personal:
        return f"{raw.format} exports put personal data in this column"
    if email_values(values):
        return "values look like email addresses"
    return "values look like phone numbers" if phone_values(values) else None


def _by_values(raw: RawExport, col: ColumnInfo, values: list[str], skip: frozenset[str], hint: bool) -> Draft:
    distinct = by_frequency(values)
    limit = MAX_NAME_VALUES if place_header(col.header) else MAX_META_VALUES
    if attribute_header(col.header) and len(distinct) <= limit and median_words(values) <= 6:
        if len(distinct) == 1 and len(values) > 1:
            return Draft(col, "ignore", f"respondent attribute with one value for everyone ({distinct[0]!r})")
        return Draft(
            col, "meta", f"header looks like a respondent attribute; {len(distinct)} distinct values", values, distinct
        )
    if date_values(values):
        return Draft(col, "ignore", "values look like dates or times")
    if id_values(values):
        return Draft(col, "ignore", "values look like ids (all different, one word with a digit each)")
    if len(set(values)) > MAX_CHOICES and numeric_values(values):
        reason = f"values are numbers ({len(set(values))} distinct: counts, amounts or ids), not text to summarise"
        return Draft(col, "ignore", reason + "; set kind: single to chart them")
    if flag_values(values):
        reason = "only 0/1 (or true/false) values: a flag, not a question; set kind: meta to break results down by it"
        return Draft(col, "ignore", reason)
    scale = match_scale(values)
    if scale is not None:
        return Draft(col, "likert", _likert_reason(scale), values, scale.options)
    separator = raw.separator
    options = multi_options(values, separator)
    if options is not None:
        return Draft(
            col, "multi", f"cells split by {separator!r} into {len(options)} repeated options", values, options
        )
    options = choice_options(values, skip, hint)
    if options is not None:
        why = "a choice question (labelled so, or followed by 'please specify')" if hint else "mostly repeated"
        return Draft(col, "single", f"{len(options)} distinct values, {why}", values, options)
    if attribute_values(values):
        reason = (
            f"{len(distinct)} short names repeated across {len(values)} rows (places, organisations...): "
            "a respondent attribute; set kind: open if it is a question"
        )
        return Draft(col, "meta", reason, values, distinct)
    return Draft(col, "open", _open_reason(values), values)


def _likert_reason(scale: ScaleMatch) -> str:
    return f"{len(scale.ranks)} distinct values matching the {scale.describe()}"


def _open_reason(values: list[str]) -> str:
    return f"{len(values)} answers, median {median_words(values):g} words, {len(set(values))} distinct"


def _build_blocks(drafts: list[Draft]) -> None:
    used: dict[str, int] = {}
    for run in _runs(drafts):
        members = [drafts[i] for i in run]
        scale = match_scale([v for d in members for v in d.values])
        if scale is None and any(d.kind != "single" for d in members):
            continue
        block = members[0].info.question
        used[block] = used.get(block, 0) + 1
        name = block if used[block] == 1 else f"{block} ({used[block]})"
        options = scale.options if scale else by_frequency([v for d in members for v in d.values])
        for k, d in enumerate(members, start=1):
            if scale:
                d.kind = "likert"
                d.reason = (
                    f"{len(set(d.values))} distinct values; statement {k} of {len(members)} of a block "
                    f"on the {scale.describe()}"
                )
            d.options, d.block = options, name


def _runs(drafts: list[Draft]) -> list[list[int]]:
    """Runs of adjacent likert/single columns that share a question and each have a sub-label."""
    runs: list[list[int]] = []
    for i, d in enumerate(drafts):
        if d.kind not in ("likert", "single") or not d.info.sublabel or d.other:
            continue
        last = runs[-1][-1] if runs else -2
        if last == i - 1 and drafts[last].info.question == d.info.question:
            runs[-1].append(i)
        else:
            runs.append([i])
    return [r for r in runs if len(r) >= 2]


def _id_base(d: Draft, drafts: list[Draft]) -> str:
    if d.columns and d.text is None and d.needs_text:
        return "flags"
    if d.other_of is not None:
        return f"{slug(question_text(drafts[d.other_of]), 3)}_other"
    return slug(d.info.header if d.kind in ("personal", "ignore") else question_text(d))


def _needsquestion_text(d: Draft, text: str) -> str | None:
    """Why a question's text must be written by a person, or None."""
    if d.needs_text or d.kind not in QUESTION_KINDS or d.text is not None or d.block is not None:
        return d.needs_text
    return f"its column is headed {text!r}, which does not say what was asked" if generic_header(text) else None


def _finish(d: Draft, question_id: str, ids: list[str]) -> DetectedQuestion:
    text = question_text(d)
    return DetectedQuestion(
        column=d.info.name,
        id=question_id,
        kind=d.kind,
        reason=d.reason,
        text=None if text == d.info.name or d.kind in ("personal", "ignore") else text,
        options=tuple(d.options) if d.kind in ("likert", "single", "multi", "meta") else (),
        block=d.block,
        other_of=ids[d.other_of] if d.other_of is not None else None,
        explains=ids[d.explains] if d.explains is not None else None,
        columns=tuple(c.name for c in d.columns),
        needs_text=_needsquestion_text(d, text),
    )
