"""Escaping for the XML exports (GEXF, GraphML): text and attribute values, XML 1.0 safe.

XML 1.0 cannot hold most control characters, even escaped; such a character in the data
is written as U+FFFD so that the file stays well-formed (tab, line feed and carriage
return are kept, the last two as character references in attributes).
"""

from __future__ import annotations

import re

_INVALID = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff\ud800-\udfff]")


def text(value: str) -> str:
    """``value`` as XML character data."""
    clean = _INVALID.sub("\ufffd", value)
    return clean.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\r", "&#13;")


def attr(value: str) -> str:
    """``value`` as a double-quoted XML attribute value (quotes included)."""
    escaped = text(value).replace('"', "&quot;").replace("\n", "&#10;").replace("\t", "&#9;")
    return f'"{escaped}"'
