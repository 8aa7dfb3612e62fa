"""Loading the YAML people write and commit (configs, review copies), refusing what would silently mislead.

PyYAML's safe loader takes two things without a word:

- a key given twice in one mapping: the second silently replaces the first (a second `closed:` section at the end
  of a config dropped every breakdown of the first);
- aliases (`*a`) of anchors (`&a`) whose lists hold more aliases: a 1 KB file that expands to billions of values
  (an "alias bomb") exhausts memory long after it was read.

`load_yaml` refuses both with a `YamlRefused` error that names the key and its lines, or the size the aliases
expand to; callers turn it into their one-line error. Merge keys (`<<: *defaults`) may still be overridden.
"""

from __future__ import annotations

import re
from typing import Any

import yaml
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

MAX_ALIASED_VALUES = 100_000  # values that aliases may add to a document beyond those written out
_ANCHOR = re.compile(r"(?:^|[\s\[{,:?-])&[^\s\[\]{},]")
_MERGE = "tag:yaml.org,2002:merge"
_Base: Any = getattr(yaml, "CSafeLoader", yaml.SafeLoader)  # libyaml's parser when available: much faster


class YamlRefused(yaml.YAMLError):
    """YAML that parses but would silently mislead (a duplicate key) or exhaust memory (an alias bomb)."""


class _Loader(_Base):  # type: ignore[misc]
    """The safe loader, refusing duplicate keys and alias bombs."""

    def construct_document(self, node: Node) -> Any:
        if self.anchored:
            _check_aliases(node)
        return super().construct_document(node)

    def construct_mapping(self, node: MappingNode, deep: bool = False) -> Any:
        _check_duplicates(node)
        return super().construct_mapping(node, deep=deep)


def load_yaml(text: str) -> Any:
    """Parse one YAML document with the safe loader.

    Raises:
        YamlRefused: A mapping gives a key twice, or aliases expand to more than MAX_ALIASED_VALUES extra values.
        yaml.YAMLError: The text is not valid YAML.
    """
    loader = _Loader(text)
    loader.anchored = bool(_ANCHOR.search(text))  # no anchor, no alias: the walk below is skipped
    try:
        return loader.get_single_data()
    finally:
        loader.dispose()


def _check_duplicates(node: MappingNode) -> None:
    seen: dict[tuple[str, str], int] = {}
    for key, _ in node.value:
        if not isinstance(key, ScalarNode) or key.tag == _MERGE:
            continue
        line = key.start_mark.line + 1
        first = seen.get((key.tag, key.value))
        if first is not None:
            raise YamlRefused(
                f"key {key.value!r} is given twice (lines {first} and {line}) in one section; the second would "
                "silently replace the first: merge the two into one"
            )
        seen[(key.tag, key.value)] = line


def _check_aliases(root: Node) -> None:
    """Refuse a document whose aliases expand to far more values than it writes out (sizes counted bottom-up)."""
    sizes: dict[int, int] = {}
    open_nodes: set[int] = set()  # on the current path: an alias back to one of them (a cycle) counts once
    stack: list[tuple[Node, bool]] = [(root, False)]
    while stack:
        node, ready = stack.pop()
        children = _children(node)
        if ready or not children:
            sizes[id(node)] = 1 + sum(sizes.get(id(child), 1) for child in children)
            open_nodes.discard(id(node))
        elif id(node) not in sizes and id(node) not in open_nodes:
            open_nodes.add(id(node))
            stack.append((node, True))
            stack.extend((child, False) for child in children if id(child) not in sizes)
    extra = sizes[id(root)] - len(sizes)
    if extra > MAX_ALIASED_VALUES:
        raise YamlRefused(
            f"its aliases (*name) expand to {sizes[id(root)]:,} values, {extra:,} more than are written out "
            f"(at most {MAX_ALIASED_VALUES:,} more are allowed): write the values out instead"
        )


def _children(node: Node) -> list[Node]:
    if isinstance(node, SequenceNode):
        return list(node.value)
    if isinstance(node, MappingNode):
        return [part for pair in node.value for part in pair]
    return []
