"""The sidecar's files: YAML text of a `QuestionDraft` that keeps the reviewer's comments, read and written atomically.

The schema is `pipeline.stages.shared.sidecar`; `pipeline.steps.review.roundtrip` rewrites a commented review copy
in place.
"""

from __future__ import annotations

import json
from pathlib import Path

import yaml
from pydantic import ValidationError

from pipeline.artifacts import write_atomic
from pipeline.errors import InputError
from pipeline.stages.shared.sidecar import QuestionDraft
from pipeline.yamlsafe import YamlRefused, load_yaml

EDIT_HELP = """\
# Edit per finding: title, summary, status (draft/accepted/rejected), note;
#   merge_into: <finding id> merges it into that finding; pinned: [statement ids] moves statements into it;
#   excluded: [statement ids] takes statements out of it. Split: add an entry with title, summary and pinned.
#   campaign: false = not a campaign (it joins the findings), true = a campaign (reported apart, once).
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
    """YAML text of a sidecar (stable key order, readable unicode, wide lines).

    The text is the one `yaml.dump` writes for the whole document, written key by key and finding by finding so
    that the parts unchanged since an earlier call come from a small cache (an edit in the browser of a question
    of 10,000 statements rewrites one finding, not the whole file).
    """
    data = draft.model_dump(mode="json")
    parts = [header(draft.question_id)]
    for key, value in data.items():
        if isinstance(value, list) and value and all(isinstance(item, dict | str) for item in value):
            parts.append(f"{key}:\n")  # a block list at the top level: its items' text does not depend on the rest
            parts.extend(_dumped([item]) for item in value)
        else:
            parts.append(_dumped({key: value}))
    return "".join(parts)


_DUMPED: dict[str, str] = {}
_DUMPED_MAX = 65536


def _dumped(value: object) -> str:
    """`yaml.dump` of one top-level key or one list item (a finding, a statement id), cached by its JSON text."""
    key = json.dumps(value, ensure_ascii=False, sort_keys=False)
    text = _DUMPED.get(key)
    if text is None:
        text = yaml.dump(value, Dumper=_Dumper, sort_keys=False, allow_unicode=True, width=100)
        if len(_DUMPED) >= _DUMPED_MAX:
            _DUMPED.clear()
        _DUMPED[key] = text
    return text


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
            it in place (`pipeline.steps.review.roundtrip`); otherwise the copy is dumped afresh.
        commented: whether `previous` holds comments, when the caller knows (it wrote that very text); None to check.
    """
    if commented is None and previous is not None:
        commented = has_reviewer_comments(previous, draft.question_id)
    if previous is None or not commented:
        return dump_draft(draft)
    from pipeline.steps.review.roundtrip import update_text

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
