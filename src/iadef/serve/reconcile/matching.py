"""Scoring reconciliation queries, and the suggest look-ups, over a :class:`ReconcileIndex`.

**Names.** The query and every name of an entity (labels, the names sources use,
acronyms, the key) are folded (:func:`iadef.sparql.lookup.fold`: case, accents,
apostrophes, elisions, punctuation). An equal folded name scores 100; otherwise the
score is the best of difflib's ratio between the folded strings and, when every word of
the query is a word of the name (or the reverse), 60 plus the share of words in common
times 30. Candidates under :data:`THRESHOLD` are dropped.

**Types.** ``type`` (one id or several) keeps entities of one of those classes or of a
subclass (``type_strict`` ``any``, the default, or ``all``: of every class given);
``should`` keeps every candidate and adds 5 to those of the type.

**Properties.** Each ``{"pid": P, "v": V}`` compares V (a string, a number, an entity
``{"id": KEY}`` or a list of them) with the entity's values for P: a literal by its folded
text, an entity by its key or any of its names, a place also through the places containing
it (``Rennes`` matches a site in Rennes); ``acronym`` compares with the acronyms. The score
is the name score's mean with 100 per matching property and 0 per other one.

**Match.** ``match`` is true for the best candidate when its name is equal (folded) to the
query, every property given matches, and no other candidate scores as high.
"""

from __future__ import annotations

import difflib
from dataclasses import dataclass
from typing import Any

from iadef.serve.reconcile.index import Entity, ReconcileIndex
from iadef.sparql.lookup import fold

THRESHOLD = 50.0
DEFAULT_LIMIT = 5
SUGGEST_PAGE = 10


@dataclass(frozen=True)
class Candidate:
    key: str
    score: float
    name_score: float
    features: tuple[tuple[str, float | bool], ...]


def name_score(query: str, names: set[str]) -> float:
    """How well the folded ``query`` names an entity known by the folded ``names`` (0 to 100)."""
    if not query:
        return 0.0
    best = 0.0
    words = set(query.split())
    for name in names:
        if name == query:
            return 100.0
        ratio = difflib.SequenceMatcher(None, query, name).ratio() * 100
        parts = set(name.split())
        if words <= parts or parts <= words:
            ratio = max(ratio, 60 + 30 * len(words & parts) / max(len(words | parts), 1))
        best = max(best, ratio)
    return round(best, 2)


def _values(v: Any) -> list[Any]:
    return v if isinstance(v, list) else [v]


def property_matches(index: ReconcileIndex, entity: Entity, pid: str, v: Any) -> bool:
    """Whether one of the values ``v`` is a value of ``pid`` for ``entity``."""
    wanted_ids = {str(x["id"]) for x in _values(v) if isinstance(x, dict) and "id" in x}
    wanted = {fold(str(x)) for x in _values(v) if not isinstance(x, dict)} - {""}
    if pid == "acronym":
        return bool(wanted & {fold(a) for a in entity.acronyms})
    for fact in entity.facts.get(pid, []):
        if fact.literal is not None and fold(str(fact.literal)) in wanted:
            return True
        if fact.ref is None:
            continue
        for place in index.within(fact.ref):
            target = index.entities.get(place)
            if place in wanted_ids or (target is not None and target.names & wanted):
                return True
    return False


def _types(query: dict[str, Any]) -> list[str]:
    given = query.get("type")
    if not given:
        return []
    return [str(t) for t in (given if isinstance(given, list) else [given])]


def reconcile(index: ReconcileIndex, query: dict[str, Any]) -> list[dict[str, Any]]:
    """The candidates for one reconciliation query, best first, as the API returns them."""
    text = fold(str(query.get("query") or ""))
    types = _types(query)
    strict = str(query.get("type_strict") or "any")
    properties = [p for p in query.get("properties") or [] if isinstance(p, dict) and "pid" in p]
    limit = int(query.get("limit") or DEFAULT_LIMIT)
    found: list[Candidate] = []
    for key, entity in index.entities.items():
        if not entity.classes:
            continue
        names_score = name_score(text, entity.names) if text else 0.0
        if text and names_score < THRESHOLD:
            continue
        of_type = index.types_of(entity)
        typed = [t in of_type for t in types]
        if types and strict == "all" and not all(typed):
            continue
        if types and strict != "all" and strict != "should" and not any(typed):
            continue
        matched = [property_matches(index, entity, str(p["pid"]), p.get("v")) for p in properties]
        if not text and not any(matched):
            continue
        parts = ([names_score] if text else []) + [100.0 if m else 0.0 for m in matched]
        score = sum(parts) / len(parts)
        if types and strict == "should" and any(typed):
            score = min(100.0, score + 5)
        features = (
            ("name", names_score),
            *((f"property:{p['pid']}", m) for p, m in zip(properties, matched, strict=True)),
        )
        found.append(Candidate(key, round(score, 2), names_score, features))
    found.sort(key=lambda c: (-c.score, index.label(c.key), c.key))
    found = found[: max(limit, 1)]
    results = []
    for rank, candidate in enumerate(found):
        entity = index.entities[candidate.key]
        unique = rank == 0 and (len(found) == 1 or found[1].score < candidate.score)
        exact = candidate.name_score == 100.0 or not text
        results.append(
            {
                "id": candidate.key,
                "name": entity.label,
                "description": describe(index, entity),
                "score": candidate.score,
                "match": bool(unique and exact and all(v for k, v in candidate.features if k != "name")),
                "type": [
                    {"id": c, "name": index.terms[c].name() if c in index.terms else c} for c in sorted(entity.classes)
                ],
                "features": [{"id": k, "value": v} for k, v in candidate.features],
            }
        )
    return results


def describe(index: ReconcileIndex, entity: Entity) -> str:
    """A short description: the class and the other names."""
    cls = ", ".join(index.terms[c].name() if c in index.terms else c for c in sorted(entity.classes))
    others = [n for n in entity.shown if n != entity.label][:4]
    return cls + (f" — {' · '.join(others)}" if others else "")


def _prefix_rank(prefix: str, names: set[str]) -> int | None:
    """0 if a name starts with ``prefix``, 1 if a word of a name does, 2 if a name holds it, else None."""
    ranks = []
    for name in names:
        if name.startswith(prefix):
            ranks.append(0)
        elif f" {prefix}" in f" {name}":
            ranks.append(1)
        elif prefix in name:
            ranks.append(2)
    return min(ranks) if ranks else None


def suggest_entities(index: ReconcileIndex, prefix: str, cursor: int = 0) -> list[dict[str, Any]]:
    folded = fold(prefix)
    ranked = []
    for key, entity in index.entities.items():
        rank = _prefix_rank(folded, entity.names) if folded else None
        if rank is not None and entity.classes:
            ranked.append((rank, entity.label.casefold(), key))
    ranked.sort()
    return [
        {
            "id": key,
            "name": index.entities[key].label,
            "description": describe(index, index.entities[key]),
            "notable": [
                {"id": c, "name": index.terms[c].name() if c in index.terms else c}
                for c in sorted(index.entities[key].classes)
            ],
        }
        for _, _, key in ranked[cursor : cursor + SUGGEST_PAGE]
    ]


def suggest_terms(index: ReconcileIndex, kind: str, prefix: str, cursor: int = 0) -> list[dict[str, Any]]:
    """Classes (``kind`` class) or properties whose id or labels match ``prefix``."""
    folded = fold(prefix)
    ranked = []
    for term in index.terms.values():
        if term.kind != kind:
            continue
        rank = _prefix_rank(folded, {fold(term.id), *(fold(label) for label in term.labels.values())})
        if rank is not None:
            ranked.append((rank, term.id))
    ranked.sort()
    results = []
    for _, tid in ranked[cursor : cursor + SUGGEST_PAGE]:
        term = index.terms[tid]
        item: dict[str, Any] = {"id": tid, "name": term.name("fr")}
        if term.labels.get("en"):
            item["description"] = term.labels["en"]
        results.append(item)
    return results
