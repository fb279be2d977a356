"""Strict reading of curated YAML files, keeping line numbers.

Every scalar is read as text, exactly as written: no YAML 1.1 coercion turns
``NO`` into ``False``, ``0123`` into 83 or ``2024-04-04`` into a date. Duplicate
keys, non-UTF-8 bytes, empty and oversized files are refused with the file and line.
The values returned remember where they were written (``.line``, 1-based).
"""

from __future__ import annotations

from pathlib import Path

import yaml

from iadef.errors import SeedError
from iadef.files import read_bounded

MAX_BYTES = 5_000_000
MAX_DEPTH = 32


class YStr(str):
    """A string that remembers the line it was written on."""

    line: int


class YList(list["YValue"]):
    """A list that remembers the line it starts on."""

    line: int


class YMap(dict[str, "YValue"]):
    """A mapping that remembers its line and the line of each key."""

    line: int
    key_lines: dict[str, int]


YValue = YStr | YList | YMap


def read_yaml(path: Path, shown: str) -> YMap:
    """Read ``path`` (shown in messages as ``shown``) into located values."""
    raw = read_bounded(
        path,
        shown,
        MAX_BYTES,
        error=SeedError,
        allowed="allowed for a seed file",
        hint="split it into several files, one per source document",
    )
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        raise SeedError(
            f"not valid UTF-8 (byte 0x{raw[exc.start]:02x})",
            path=shown,
            line=line,
            hint="save the file as UTF-8",
        ) from None
    try:
        loader = _StrictLoader(text, shown)
        try:
            node = loader.get_single_node()
        finally:
            loader.dispose()
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        error_line = mark.line + 1 if mark is not None else None
        raise SeedError(
            f"malformed YAML: {exc.problem or exc.context}",
            path=shown,
            line=error_line,
            hint="check indentation and quoting; quote values containing ': ' or starting with a quote",
        ) from None
    except yaml.YAMLError as exc:  # yaml.reader.ReaderError: a control character
        position, char = getattr(exc, "position", None), getattr(exc, "character", None)
        raise SeedError(
            f"malformed YAML: control character U+{char if isinstance(char, int) else 0:04X} is not allowed",
            path=shown,
            line=text.count("\n", 0, position) + 1 if isinstance(position, int) else None,
            hint="remove control characters from the file",
        ) from None
    if node is None:
        raise SeedError("file is empty", path=shown, line=1, hint="add content or delete the file")
    value = _convert(node, shown)
    if not isinstance(value, YMap):
        raise SeedError("the top level must be a mapping", path=shown, line=1)
    return value


class _StrictLoader(yaml.SafeLoader):
    """Composes nodes, refusing aliases (a few lines of them can expand to billions of
    values) and deep nesting (PyYAML's time grows with the square of the depth)."""

    def __init__(self, text: str, shown: str) -> None:
        super().__init__(text)
        self.shown = shown
        self.depth = 0

    def compose_node(self, parent: yaml.Node | None, index: object) -> yaml.Node | None:
        event = self.peek_event()  # type: ignore[no-untyped-call]
        line = event.start_mark.line + 1 if event.start_mark is not None else None
        if isinstance(event, yaml.AliasEvent):
            raise SeedError("YAML aliases (*name) are not allowed", path=self.shown, line=line, hint="write it in full")
        if self.depth >= MAX_DEPTH:
            raise SeedError(f"nested more than {MAX_DEPTH} levels deep", path=self.shown, line=line, hint="flatten it")
        self.depth += 1
        try:
            return super().compose_node(parent, index)  # type: ignore[arg-type]
        finally:
            self.depth -= 1


def only_fields(mapping: YMap, allowed: tuple[str, ...], shown: str, what: str) -> None:
    """Refuse any key of ``mapping`` not in ``allowed``, naming the file and line."""
    for name in mapping:
        if name not in allowed:
            raise SeedError(
                f"unknown field {name!r} in {what}",
                path=shown,
                line=mapping.key_lines[name],
                hint=f"allowed fields: {', '.join(allowed)}",
            )


def _convert(node: yaml.Node, shown: str) -> YValue:
    line = node.start_mark.line + 1
    if isinstance(node, yaml.ScalarNode):
        text = YStr(node.value)
        text.line = line
        return text
    if isinstance(node, yaml.SequenceNode):
        items = YList(_convert(child, shown) for child in node.value)
        items.line = line
        return items
    if isinstance(node, yaml.MappingNode):
        mapping = YMap()
        mapping.line = line
        mapping.key_lines = {}
        for key_node, value_node in node.value:
            if not isinstance(key_node, yaml.ScalarNode):
                raise SeedError("a key must be plain text", path=shown, line=key_node.start_mark.line + 1)
            key = key_node.value
            key_line = key_node.start_mark.line + 1
            if key in mapping:
                raise SeedError(
                    f"duplicate key {key!r} (first at line {mapping.key_lines[key]})",
                    path=shown,
                    line=key_line,
                    hint="merge the two entries or rename one",
                )
            mapping[key] = _convert(value_node, shown)
            mapping.key_lines[key] = key_line
        return mapping
    raise SeedError("unsupported YAML node (aliases and tags are not allowed)", path=shown, line=line)
