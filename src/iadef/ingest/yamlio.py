"""Deterministic YAML for the files ingest writes (queue, facts, appended blocks)."""

from __future__ import annotations

import re
from typing import Any

import yaml


class _Dumper(yaml.SafeDumper):
    pass


_PLAIN = re.compile(r"^[a-z][a-z0-9_-]*$")
_SPECIAL = {"yes", "no", "on", "off", "true", "false", "null", "y", "n", "none"}


def _str(dumper: yaml.SafeDumper, value: str) -> yaml.ScalarNode:
    # Quote every string but plain identifiers: no YAML 1.1 reader may turn "NO" or "2024-04-04" into another type.
    plain = bool(_PLAIN.match(value)) and value not in _SPECIAL
    style = None if plain else ("'" if "\n" not in value else '"')
    return dumper.represent_scalar("tag:yaml.org,2002:str", value, style=style)


_Dumper.add_representer(str, _str)


def dump(data: Any) -> str:
    """Block-style YAML, keys in the order given, every string quoted, no line wrapping."""
    return yaml.dump(data, Dumper=_Dumper, allow_unicode=True, sort_keys=False, width=10_000, default_flow_style=False)
