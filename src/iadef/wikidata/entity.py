"""Reading Wikidata entity JSON (the ``wbgetentities`` shape) without surprises.

Only what the linker and the enrichment need: labels, aliases and descriptions in
French and English, and the values of a few statements (items, strings, times,
coordinates, monolingual texts). Deprecated statements are ignored; preferred ones
come first.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

Json = dict[str, Any]


@dataclass(frozen=True)
class Time:
    """A Wikidata time value: ``+1946-01-01T00:00:00Z`` with its precision (9 year, 10 month, 11 day)."""

    text: str
    precision: int


@dataclass(frozen=True)
class Coordinates:
    """A globe coordinate in degrees."""

    latitude: float
    longitude: float


def texts(entity: Json, field: str, languages: tuple[str, ...] = ("fr", "en")) -> list[str]:
    """Labels or descriptions (one per language) or aliases (many), in ``languages`` order."""
    found: list[str] = []
    block = entity.get(field, {})
    if not isinstance(block, dict):
        return found
    for lang in languages:
        value = block.get(lang)
        items = value if isinstance(value, list) else [value]
        for item in items:
            if isinstance(item, dict) and isinstance(item.get("value"), str) and item["value"] not in found:
                found.append(item["value"])
    return found


def label(entity: Json, languages: tuple[str, ...] = ("fr", "en")) -> str:
    """The first label in ``languages``, or the id."""
    labels = texts(entity, "labels", languages)
    return labels[0] if labels else str(entity.get("id", ""))


def _statements(entity: Json, prop: str) -> list[Json]:
    claims = entity.get("claims", {})
    found = claims.get(prop, []) if isinstance(claims, dict) else []
    kept = [c for c in found if isinstance(c, dict) and c.get("rank") != "deprecated"]
    return sorted(kept, key=lambda c: 0 if c.get("rank") == "preferred" else 1)


def values(entity: Json, prop: str) -> list[Any]:
    """The plain values of ``prop``: item ids, strings, :class:`Time`, :class:`Coordinates`, texts."""
    out: list[Any] = []
    for claim in _statements(entity, prop):
        snak = claim.get("mainsnak", {})
        if not isinstance(snak, dict) or snak.get("snaktype", "value") != "value":
            continue
        datavalue = snak.get("datavalue", {})
        value = datavalue.get("value") if isinstance(datavalue, dict) else None
        kind = datavalue.get("type") if isinstance(datavalue, dict) else None
        parsed = _parse(kind, value)
        if parsed is not None and parsed not in out:
            out.append(parsed)
    return out


def _parse(kind: object, value: object) -> Any:
    if isinstance(value, str):
        return value
    if not isinstance(value, dict):
        return None
    if kind == "wikibase-entityid" or "numeric-id" in value or ("id" in value and len(value) <= 3):
        ident = value.get("id")
        if isinstance(ident, str):
            return ident
        numeric = value.get("numeric-id")
        return f"Q{numeric}" if isinstance(numeric, int) else None
    if kind == "time" or "time" in value:
        precision = value.get("precision", 11)
        return Time(str(value.get("time", "")), int(precision) if isinstance(precision, int) else 11)
    if kind == "globecoordinate" or "latitude" in value:
        try:
            return Coordinates(float(value["latitude"]), float(value["longitude"]))
        except (KeyError, TypeError, ValueError):
            return None
    if kind == "monolingualtext" or "text" in value:
        text = value.get("text")
        return text if isinstance(text, str) else None
    return None


def items(entity: Json, prop: str) -> list[str]:
    """Item ids (``Q…``) of ``prop``."""
    return [v for v in values(entity, prop) if isinstance(v, str) and v[:1] == "Q" and v[1:].isdigit()]


def resolved_id(entity: Json) -> str:
    """The entity's own id: the redirect target when the requested id was redirected."""
    redirect = entity.get("redirects")
    if isinstance(redirect, dict) and isinstance(redirect.get("to"), str):
        return str(redirect["to"])
    return str(entity.get("id", ""))


def is_missing(entity: Json) -> bool:
    return "missing" in entity or not entity.get("id")
