"""One proposal per fact: duplicates found by several rules are merged before a curator sees them."""

from __future__ import annotations

from iadef.ingest.model import Fact

# rules whose facts keep every property of a pair: a contract's party is also its contractor or authority
_EVERY_PROPERTY = ("post-title", "award", "order", "won-contract")


def dedupe(facts: list[Fact]) -> list[Fact]:
    """One proposal per (subject, property, object or value): the most confident, then the shortest quote.
    For one pair of entities, only the best-supported property is kept."""
    best: dict[tuple[str, str, str], Fact] = {}
    for fact in facts:
        key = (fact.s, fact.p, fact.o or f"v:{fact.v}")
        current = best.get(key)
        if current is None or (-fact.confidence, fact.end - fact.start, fact.start) < (
            -current.confidence,
            current.end - current.start,
            current.start,
        ):
            best[key] = fact
    pairs: dict[tuple[str, str], Fact] = {}
    values = []
    for fact in best.values():
        if fact.o is None or fact.rule in _EVERY_PROPERTY:
            values.append(fact)
            continue
        pair = (min(fact.s, fact.o), max(fact.s, fact.o))
        current = pairs.get(pair)
        if current is None or (-fact.confidence, fact.id) < (-current.confidence, current.id):
            pairs[pair] = fact
    return sorted([*values, *pairs.values()], key=lambda f: (f.start, f.s, f.p, f.o or "", f.v or "", f.id))
