"""Deterministic YAML for the files ingest writes (queue, facts, appended blocks)."""

from __future__ import annotations

from typing import Any

import yaml


class _Dumper(yaml.SafeDumper):
    pass


def _str(dumper: yaml.SafeDumper, value: str) -> yaml.ScalarNode:
    # Quote every string: no YAML 1.1 reader may turn "NO" or "2024-04-04" into another type.
    return dumper.represent_scalar("tag:yaml.org,2002:str", value, style="'" if "\n" not in value else '"')


_Dumper.add_representer(str, _str)


def dump(data: Any) -> str:
    """Block-style YAML, keys in the order given, every string quoted, no line wrapping."""
    return yaml.dump(data, Dumper=_Dumper, allow_unicode=True, sort_keys=False, width=10_000, default_flow_style=False)
