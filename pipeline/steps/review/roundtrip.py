"""Round-trip rewriting of a review copy: the reviewer's `# comments` and key order survive every rewrite.

A review copy is rewritten by every rerun (reconciliation) and by every edit made in the browser. When the file
holds comments of the reviewer's own, the new content is written into the previous YAML document in place
(ruamel.yaml round-trip mode) instead of being dumped afresh, so that:

- a comment stays on the key it was written beside or below (`title: X  # checked with AB`);
- a finding keeps its comments wherever it moves (findings are matched by `id`, also between `findings`,
  `merged` and `vanished`; an analyst entry without an id yet is matched by its title);
- an item of a list of statement ids keeps its end-of-line comment while the id is still listed; comment lines
  after the last item of a list (typically the lines above the next finding) stay at the end of the list;
- the keys keep the order the file had; keys new in the schema are inserted where the schema puts them.

Round-tripping costs seconds on very large files, so files without comments are dumped by the fast writer.
"""

from __future__ import annotations

import io
import json
from typing import Any

import yaml
from ruamel.yaml import YAML
from ruamel.yaml.comments import CommentedMap, CommentedSeq
from ruamel.yaml.error import YAMLError

Pool = dict[str, CommentedMap]
FINDING_LISTS = ("findings", "merged", "vanished")
MAX_COMMENT_COLUMN = 120


def _yaml() -> YAML:
    """Round-trip YAML with the fast writer's conventions (null spelled out, unicode as is, no line folding)."""
    rt = YAML(typ="rt")
    rt.width = 4096
    rt.allow_unicode = True
    rt.representer.add_representer(
        type(None), lambda rep, _value: rep.represent_scalar("tag:yaml.org,2002:null", "null")
    )
    rt.representer.add_representer(str, _represent_str)
    return rt


_RESOLVER = yaml.resolver.Resolver()


def _represent_str(rep: Any, value: str) -> Any:
    """A string, quoted whenever YAML 1.1 (the fast reader) would read it plain as something else.

    ruamel writes YAML 1.2, where "off", "yes", "1e5" or "null" are plain strings.
    """
    tag = _RESOLVER.resolve(yaml.ScalarNode, value, (True, False))  # type: ignore[no-untyped-call]
    style = "'" if tag != "tag:yaml.org,2002:str" else None
    return rep.represent_scalar("tag:yaml.org,2002:str", value, style=style)


def update_text(previous: str, data: dict[str, Any]) -> str | None:
    """The previous YAML text with its content replaced by `data`, keeping comments and key order.

    Args:
        previous: the review copy as it is on disk.
        data: the new content (plain JSON-like data, e.g. `QuestionDraft.model_dump(mode="json")`).

    Returns:
        The new YAML text, or None when the previous text is not a YAML mapping (the caller dumps afresh).
    """
    rt = _yaml()
    try:
        doc = rt.load(previous)
    except YAMLError:
        return None
    if not isinstance(doc, CommentedMap):
        return None
    _update_map(doc, data, _pool(doc))
    _unpad(doc)
    out = io.StringIO()
    rt.dump(doc, out)
    return out.getvalue()


def _unpad(node: Any) -> None:
    """End-of-line comments placed past MAX_COMMENT_COLUMN go right after their value instead.

    ruamel puts a comment back at the column it was read at: after a note of 50 MB, or one edited shorter, it was
    padded with that many spaces (the file doubled). Comments aligned within a normal line width keep their column.
    """
    if not isinstance(node, CommentedMap | CommentedSeq):
        return
    for entry in node.ca.items.values():
        for token in entry if isinstance(entry, list) else ():
            mark = getattr(token, "start_mark", None)
            if mark is not None and mark.column > MAX_COMMENT_COLUMN and not token.value.startswith("\n"):
                mark.column = 0
    for child in node.values() if isinstance(node, CommentedMap) else node:
        _unpad(child)


def _pool(doc: CommentedMap) -> Pool:
    """Every finding of the previous document by its key, whichever list it was in."""
    pool: Pool = {}
    for section in FINDING_LISTS:
        items = doc.get(section)
        if isinstance(items, CommentedSeq):
            pool.update({_key(item): item for item in items if isinstance(item, CommentedMap)})
    return pool


def _key(item: Any) -> str:
    """Identity of a list item across rewrites: a finding's id (else its title), else the whole value."""
    if isinstance(item, dict):
        if item.get("id"):
            return f"id:{item['id']}"
        if "title" in item:
            return f"title:{item['title']}"
        return "value:" + json.dumps({str(k): v for k, v in item.items()}, sort_keys=True, default=str)
    return "value:" + json.dumps(item, default=str)


def _update_map(old: CommentedMap, new: dict[str, Any], pool: Pool) -> None:
    """Put `new`'s content into `old` in place: existing keys keep their place and comments."""
    for key in [k for k in old if k not in new]:
        del old[key]
    for position, (key, value) in enumerate(new.items()):
        if key in old:
            old[key] = _merged(old[key], value, pool, old, key)
        else:
            old.insert(min(position, len(old)), key, value)


def _merged(old: Any, new: Any, pool: Pool, parent: CommentedMap, key: str) -> Any:
    """The value to store: the previous container updated in place when the shapes agree, else the new value."""
    if isinstance(old, CommentedMap) and isinstance(new, dict):
        _update_map(old, new, pool)
        return old
    if isinstance(old, CommentedSeq) and isinstance(new, list):
        _update_seq(old, new, pool, parent, key)
        return old
    return new


def _update_seq(old: CommentedSeq, new: list[Any], pool: Pool, parent: CommentedMap, key: str) -> None:
    """Replace a list's items in place; comments follow their item, a trailing comment stays at the end."""
    comments = {_key(item): old.ca.items[i] for i, item in enumerate(old) if i in old.ca.items}
    trailing = _trailing_comment(old)
    local = {_key(item): item for item in old if isinstance(item, CommentedMap)}
    shared = pool if key in FINDING_LISTS else {}  # findings move between these lists; nested lists stay local
    items: list[Any] = []
    for value in new:
        previous = shared.get(_key(value)) or local.get(_key(value)) if isinstance(value, dict) else None
        if isinstance(previous, CommentedMap):
            _update_map(previous, value, pool)
            items.append(previous)
        else:
            items.append(value)
    old.ca.items.clear()
    old[:] = items
    for i, item in enumerate(items):
        if _key(item) in comments:
            old.ca.items[i] = comments[_key(item)]
    if items:
        old.fa.set_block_style()
    else:
        old.fa.set_flow_style()
    if trailing is not None:
        _place_trailing(old, trailing, parent, key)


def _trailing_comment(seq: CommentedSeq) -> Any:
    """The comment lines after a list's last item (ruamel keeps them on that item), detached from it."""
    last = len(seq) - 1
    entry = seq.ca.items.get(last)
    if last < 0 or not entry or entry[0] is None or not entry[0].value.startswith("\n"):
        return None
    token = entry[0]
    entry[0] = None
    return token


def _place_trailing(seq: CommentedSeq, token: Any, parent: CommentedMap, key: str) -> None:
    """Attach comment lines after the (new) last item, or after the key when the list is now empty."""
    if len(seq):
        entry = seq.ca.items.setdefault(len(seq) - 1, [None, None, None, None])
        if entry[0] is None:
            entry[0] = token
        return
    entry = parent.ca.items.setdefault(key, [None, None, None, None])
    if entry[2] is None:
        entry[2] = token
