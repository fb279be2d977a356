"""Who an objective says an agreement is for: "Soutenir les acteurs locaux de la BITD …" as an
objective of a convention makes those actors its beneficiary.

An objective (already tied to its agreement or programme, through a list, a pronoun or the
sentence) whose words start with a verb or noun of support (data/relations.yaml,
``objectives.support``) followed by an actor's mention gives ``beneficiary``, with the
objective's quote; when the agreement is not named in that quote, the fact says which
objective it was read from.
"""

from __future__ import annotations

import re

from iadef.ingest.model import Entity, Fact
from iadef.ingest.textutil import fold, word_pattern

_ACTORS = ("Person", "Post", "Mandate", "Topic", "Budget", "Headcount", "City", "Territory", "Country", "Site")


def beneficiaries(facts: list[Fact], entities: dict[str, Entity], text: str, support: tuple[str, ...]) -> list[Fact]:
    if not support:
        return []
    words = re.compile(rf"^(?:{'|'.join(word_pattern(w) for w in support)})\s*")
    mentions = sorted(
        ((m.start, m.end, e) for e in entities.values() if e.cls not in _ACTORS for m in e.mentions),
        key=lambda x: (x[0], -x[1]),
    )
    out: list[Fact] = []
    for fact in facts:
        if fact.p != "objective" or fact.v is None:
            continue
        at = text.find(fact.v[:40], fact.start, fact.end)
        if at < 0:
            continue
        lead = words.match(fold(text[at : at + 60]))
        if lead is None:
            continue
        start = at + lead.end()
        actor = next((e for s, _, e in mentions if start <= s <= start + 4 and e.id != fact.s), None)
        if actor is None:
            continue
        derived = Fact.quoted(
            entities[fact.s], "beneficiary", actor, None, text, (fact.start, fact.end), "objective-beneficiary", 0.0
        )
        derived.status, derived.resolved = fact.status, fact.resolved
        derived.confidence = round(fact.confidence * 0.9, 2)
        if derived.resolved is None and not any(
            fact.start <= m.start and m.end <= fact.end for m in entities[fact.s].mentions
        ):
            derived.resolved = f"the objective « {fact.v[:60]} » of {entities[fact.s].label}"
        out.append(derived)
    return out
