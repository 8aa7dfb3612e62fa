"""`consolidate init`: inspect an export and draft a config whose comments explain every detected question kind.

What only a person can say is marked `TO FILL IN` in the draft and listed as a warning: the report's title when the
export does not say it (a Polis topic, the Forms title in `Title(1-67).xlsx`; never one made from a file name), and
the text of a question whose column name says nothing ("text", "Q3").
"""

from __future__ import annotations

import json
import os
import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import yaml
from pydantic import ValidationError

from pipeline.config import CLOSED_KINDS, MASK_KINDS, InputConfig, RunConfig, parse_config
from pipeline.detect import TO_FILL_IN, DetectedQuestion, detect_questions
from pipeline.errors import ConfigError
from pipeline.privacy import MASKS, mask_text
from pipeline.readers import RawExport, check_format, one_line, read_export
from pipeline.stages.report import Item, question_runs

__all__ = ["DetectedQuestion", "DraftedConfig", "detect_questions", "draft", "draft_config", "render_config"]

_YAML_UNSAFE_START = tuple("!&*-?{}[]|>@`\"'%#,:~ ")
TITLE_PLACEHOLDER = f"{TO_FILL_IN}: the report's title"
_FORMS_FILE = re.compile(r"^(?P<title>.*\S)\s*\(\d+-\d+\)(\s*\(\d+\))?$")  # `Title(1-67)`, `Title(1-67) (2)`
_MONTHS = "January|February|March|April|May|June|July|August|September|October|November|December"
_QUALTRICS_FILE = re.compile(rf"^(?P<title>.*\S)_({_MONTHS}) \d{{1,2}}, \d{{4}}_\d{{1,2}}\.\d{{2}}(\s*\(\d+\))?$")
_TITLED_FILES = {"msforms": (_FORMS_FILE, "Microsoft Forms"), "qualtrics": (_QUALTRICS_FILE, "Qualtrics")}


@dataclass(frozen=True)
class DraftedConfig:
    """A config draft and what `init` must tell the user to fill in (one line each)."""

    text: str
    warnings: tuple[str, ...]


def draft_config(export: Path, config_dir: Path, fmt: str = "auto", sheet: str | None = None) -> str:
    """The text of a commented YAML config for an export (see `draft`)."""
    return draft(export, config_dir, fmt, sheet).text


def draft(export: Path, config_dir: Path, fmt: str = "auto", sheet: str | None = None) -> DraftedConfig:
    """Read an export, detect its questions and return the text of a commented YAML config, with its warnings.

    Args:
        export: The survey export (xlsx or csv).
        config_dir: Folder the config will be written to; paths in the config are relative to it.
        fmt: Export format, or `auto` to detect it.
        sheet: Excel sheet name or 0-based number (as text); default: the first visible worksheet.

    Returns:
        YAML text that `pipeline.config.load_config` accepts once written into `config_dir`, and a warning per
        `TO FILL IN` placeholder in it.

    Raises:
        InputError: The export cannot be read, or the format name is unknown.
    """
    check_format(fmt)
    try:
        spec = InputConfig.model_validate({"path": export, "format": fmt, "sheet": sheet})
    except ValidationError as exc:
        raise ConfigError(f"Cannot read {export} as {fmt!r}: {exc.errors()[0]['msg']}.") from exc
    raw = read_export(export, spec)
    questions = detect_questions(raw)
    text = render_config(raw, questions, config_dir)
    parse_config(yaml.safe_load(text), config_dir, "the drafted config")  # the draft must always load
    return DraftedConfig(text, draft_warnings(raw, questions))


def draft_warnings(raw: RawExport, questions: Sequence[DetectedQuestion]) -> tuple[str, ...]:
    """One line per `TO FILL IN` placeholder of the draft: the report title, question texts."""
    lines = []
    if report_title(raw)[0] is None:
        lines.append(
            f"report.title is marked {TO_FILL_IN}: the export does not say what the consultation is called; "
            "write the report's title in the config"
        )
    lines += [
        f"question {q.id} ({_columns(q)}): text is marked {TO_FILL_IN}: {q.needs_text}; "
        "write the question asked in the config"
        for q in questions
        if q.needs_text
    ]
    return tuple(lines)


def _columns(q: DetectedQuestion) -> str:
    """`column 'text'`, or `columns 'Lärm' to 'Sonstiges'` for a question read from several columns."""
    if len(q.columns) > 1:
        return f"columns {one_line(q.columns[0], 40)!r} to {one_line(q.columns[-1], 40)!r}"
    return f"column {one_line(q.column, 60)!r}"


def render_config(raw: RawExport, questions: Sequence[DetectedQuestion], config_dir: Path) -> str:
    """YAML text of a config for `raw` with the detected `questions`, each preceded by a comment with its reason."""
    lines = _preamble(raw, questions)
    lines += _input_section(raw, config_dir)
    lines += _paths_sections(config_dir)
    lines += _report_section(raw)
    lines += _parts_lines(questions)
    lines += ["", "questions:"]
    for q in questions:
        lines += _question_lines(q)
    return "\n".join(lines) + "\n"


def _preamble(raw: RawExport, questions: Sequence[DetectedQuestion]) -> list[str]:
    kinds = Counter(q.kind for q in questions)
    summary = ", ".join(f"{n} {kind}" for kind, n in sorted(kinds.items()))
    meta = [q.id for q in questions if q.kind == "meta"]
    rows = len(raw.frame) - len(raw.excluded)
    responses = f"{rows} responses"
    if raw.author_column is not None:
        authors = raw.frame[raw.author_column].drop(index=list(raw.excluded)).nunique()
        responses = f"{rows} comments by {authors} authors"
    lines = [
        f"# Config drafted by `consolidate init` from {one_line(raw.path.name)} ({raw.format} export,",
        f"# {responses}, {len(questions)} columns: {summary}).",
        "# Each question has a comment saying why it got its kind. Check them; fix kinds, options (likert: most",
        "# positive first), ids and texts where needed; then run `consolidate run <this file>`.",
        "# Kinds: open (free text, clustered into findings), likert (ordered scale), single, multi, meta",
        "# (respondent attribute kept for breakdowns), personal (never copied to outputs), attachment (uploads:",
        "# counted, never written), ignore (left out). See the README's 'Real exports' section for corrections.",
    ]
    if meta:
        lines += [
            "# To break closed questions down by respondent attributes, add:",
            "#   closed:",
            f"#     breakdowns: {json.dumps(meta, ensure_ascii=False)}",
        ]
    return lines


def _input_section(raw: RawExport, config_dir: Path) -> list[str]:
    lines = ["", "input:", f"  path: {_scalar(_relative(raw.path, config_dir))}", f"  format: {raw.format}"]
    if raw.sheet is not None:
        lines.append(f"  sheet: {_quoted(raw.sheet)}")
        lines += _other_sheets(raw)
    if raw.encoding_confidence not in (None, "certain"):
        lines += [
            f"  # encoding: {one_line(raw.encoding_note or '', 200)} (confidence {raw.encoding_confidence});",
            "  # if accented letters look wrong in the outputs, set `encoding:` here (e.g. cp1252, mac_roman, cp1250)",
        ]
    if raw.unit == "comment":
        lines.append("  # each comment is one response (its author kept in the votes table); shares are of comments")
    elif raw.id_column is not None:
        lines.append(f"  # respondent ids come from the export's {_quoted(raw.id_column)} column when unique;")
        lines.append("  # set id_column to use another column")
    return lines


def _other_sheets(raw: RawExport) -> list[str]:
    """A comment naming the worksheets not read (hidden ones marked), when the workbook has several."""
    others = [f"{_quoted(s)}{' (hidden)' if s in raw.hidden_sheets else ''}" for s in raw.sheets if s != raw.sheet]
    if not others:
        return []
    skipped = "; hidden sheets are skipped" if raw.hidden_sheets else ""
    return [f"  # the workbook also has {one_line(', '.join(others), 200)}{skipped}: set sheet to read another"]


def report_title(raw: RawExport) -> tuple[str | None, str]:
    """The report title the export itself gives, and where from; (None, '') when it gives none.

    A Polis conversation's topic (summary.csv), or the survey's title in the name the tool gave its download:
    Microsoft Forms `<form title>(1-67).xlsx` (the responses exported), Qualtrics `<survey name>_March 1,
    2024_10.15.csv`. Never a title made from any other file name: `eu_ai_400.csv` is no title a reader should see.
    """
    topic = raw.polis.topic if raw.polis else ""
    if topic:
        return f"Polis conversation: {topic}", "the conversation's topic (summary.csv)"
    pattern, tool = _TITLED_FILES.get(raw.format, (None, ""))
    match = pattern.match(raw.path.stem) if pattern else None
    if match:
        return match["title"].replace("_", " ").strip(), f"the survey's title in the {tool} file name"
    return None, ""


def _report_section(raw: RawExport) -> list[str]:
    title, origin = report_title(raw)
    if title is not None:
        return [
            "report:",
            f"  # title proposed from {origin}; change it, and add `subtitle:` for a line under it",
            f"  title: {_scalar(title)}",
        ]
    hint = one_line(proposed_title(raw.path), 80)
    return [
        "report:",
        f"  # {TO_FILL_IN}: the export does not say what the consultation is called (its file name suggests",
        f"  # {json.dumps(hint, ensure_ascii=False)}): write the report's title here; `subtitle:` adds a line under it",
        f"  title: {_scalar(TITLE_PLACEHOLDER)}",
    ]


def _parts_lines(questions: Sequence[DetectedQuestion]) -> list[str]:
    """`report.parts` proposed from the export's grouping: a part per likert block and per run of closed questions.

    A block's part is titled by its header; a run is closed questions with the open ones after them. The proposal is
    active when the export has blocks, else commented out (the report groups questions in runs by default).
    """
    items = _report_items(questions)
    runs = question_runs(items, by_block=True)
    if len(runs) < 2:
        return []
    mark = "  " if any(item.block for item in items) else "  # "
    lines = [
        "  # parts of the results, from the export's grouping: give each a title (and an intro), move ids between",
        "  # them; questions left out follow in questionnaire order",
        f"{mark}parts:",
    ]
    for run in runs:
        title = next((item.block for item in run if item.block), None)
        ids = f"questions: [{', '.join(_scalar(qid) for item in run for qid in item.ids)}]"
        lines += [f"{mark}  - title: {_scalar(title)}", f"{mark}    {ids}"] if title else [f"{mark}  - {ids}"]
    return lines


def _report_items(questions: Sequence[DetectedQuestion]) -> list[Item]:
    """The closed and open questions as the report shows them: a likert block's statements are one item."""
    blocks: dict[str, list[str]] = {}
    for q in questions:
        if q.kind == "likert" and q.block is not None:
            blocks.setdefault(q.block, []).append(q.id)
    items = []
    for n, q in enumerate(questions):
        block = q.block if q.kind == "likert" else None
        if (q.kind in CLOSED_KINDS or q.kind == "open") and (block is None or blocks[block][0] == q.id):
            ids = tuple(blocks[block]) if block else (q.id,)
            items.append(Item(q.id, ids, q.kind != "open", n, block, q.other_of))
    return items


_FILLER_WORDS = frozenset(
    "export exports exported responses response results data download downloaded final copy raw csv xlsx".split()
)


def proposed_title(path: Path) -> str:
    """A readable name from an export's file name: `AI_whitepaper-export_v2.xlsx` -> `AI whitepaper`.

    Only a hint in the comment above a `TO FILL IN` title: a file name is no title.

    Email addresses and phone numbers in the name (`survey_jane@example.org_020 7946 0958.csv`) are left out.
    """
    stem, _ = mask_text(path.stem.replace("_", " "), MASK_KINDS)
    words = [w for w in re.split(r"[\s_.\-]+", stem.replace(MASKS["email"], " ").replace(MASKS["phone"], " ")) if w]
    kept = [w for w in words if w.casefold() not in _FILLER_WORDS and not re.fullmatch(r"v\d+|\(\d+\)", w)]
    name = " ".join(kept or words) or "the consultation"
    return name[:1].upper() + name[1:]


def _paths_sections(config_dir: Path) -> list[str]:
    root = config_dir.parent if config_dir.name == "configs" else config_dir
    return [
        "",
        "run:",
        f"  output_dir: {_scalar(_relative(root / 'outputs', config_dir))}",
        f"  seed: {RunConfig().seed}",
        "embed:",
        f"  cache_dir: {_scalar(_relative(root / 'outputs' / '.cache', config_dir))}",
        "review:",
        f"  dir: {_scalar(_relative(root / 'reviews', config_dir))}",
    ]


def _question_lines(q: DetectedQuestion) -> list[str]:
    lines = [f"  # {one_line(f'{q.kind}: {q.reason}', 300)}"]
    if q.needs_text:
        lines.append(f"  # {TO_FILL_IN}: {one_line(q.needs_text, 200)}; write the question asked as its text")
    if q.columns:
        lines.append(f"  - columns: [{', '.join(_quoted(c) for c in q.columns)}]")
    else:
        lines.append(f"  - column: {_scalar(q.column)}")
    lines += [f"    id: {_scalar(q.id)}", f"    kind: {q.kind}"]
    if q.needs_text:
        lines.append(f"    text: {_scalar(f'{TO_FILL_IN}: the question asked ({_columns(q)})')}")
    elif q.text is not None:
        lines.append(f"    text: {_scalar(q.text)}")
    if q.block is not None:
        lines.append(f"    block: {_scalar(q.block)}")
    if q.other_of is not None:
        lines.append(f"    other_of: {_scalar(q.other_of)}")
    if q.explains is not None:
        lines.append(f"    explains: {_scalar(q.explains)}")
    if q.options:
        lines.append(f"    options: [{', '.join(_quoted(o) for o in q.options)}]")
    return lines


def _relative(path: Path, config_dir: Path) -> str:
    """Path relative to the config folder when both share a folder below the file-system root, else absolute."""
    target, base = path.resolve(), config_dir.resolve()
    try:
        shared = Path(os.path.commonpath([target, base]))
    except ValueError:  # another drive (Windows)
        return target.as_posix()
    if shared == Path(shared.anchor):
        return target.as_posix()
    return Path(os.path.relpath(target, base)).as_posix()


def _scalar(value: str) -> str:
    """A YAML scalar: plain when it reads back as the same string, else double-quoted."""
    plain = (
        value
        and value == value.strip()
        and value.isprintable()
        and not value.startswith(_YAML_UNSAFE_START)
        and ": " not in value
        and " #" not in value
        and not value.endswith(":")
    )
    if plain:
        try:
            if yaml.safe_load(value) == value:
                return value
        except yaml.YAMLError:
            pass
    return _quoted(value)


def _quoted(value: str) -> str:
    """A double-quoted YAML scalar (JSON escaping, plus escapes for characters YAML does not allow raw)."""
    text = json.dumps(value, ensure_ascii=False)
    return "".join(ch if _yaml_printable(ch) else _escape(ch) for ch in text)


def _yaml_printable(ch: str) -> bool:
    code = ord(ch)
    if code in (0x2028, 0x2029):  # YAML reads these (and NEL, 0x85) as line breaks
        return False
    return (
        ch in "\t\n\r" or 0x20 <= code <= 0x7E or 0xA0 <= code <= 0xD7FF or 0xE000 <= code <= 0xFFFD or code >= 0x10000
    )


def _escape(ch: str) -> str:
    code = ord(ch)
    return f"\\u{code:04x}" if code <= 0xFFFF else f"\\U{code:08x}"
