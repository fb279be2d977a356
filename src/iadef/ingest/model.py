"""What the extractor proposes: entities with their mentions, facts with their quotes.

These records are the JSON contract of ``iadef ingest --dry-run --format json`` and the
items of a review queue (:mod:`iadef.ingest.queue`). Every offset is a character offset
in the article, and ``text == article[start:end]`` for every mention and quote.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from iadef.ingest.textutil import stable_id


@dataclass
class Mention:
    start: int
    end: int
    text: str
    kind: str = "name"  # name | acronym | reference (a pronoun, a demonstrative, an ellipsis)
    resolved: str | None = None

    def as_json(self) -> dict[str, Any]:
        out: dict[str, Any] = {"text": self.text, "start": self.start, "end": self.end}
        if self.kind != "name":
            out["kind"] = self.kind
        if self.resolved:
            out["resolved"] = self.resolved
        return out


@dataclass
class Entity:
    id: str
    label: str
    cls: str
    existing: str | None
    confidence: float
    rule: str
    mentions: list[Mention] = field(default_factory=list)

    def add(self, mention: Mention) -> None:
        if not any(m.start == mention.start and m.end == mention.end for m in self.mentions):
            self.mentions.append(mention)
            self.mentions.sort(key=lambda m: (m.start, m.end))

    @property
    def first(self) -> int:
        return self.mentions[0].start if self.mentions else 0

    def as_json(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "label": self.label,
            "class": self.cls,
            "existing": self.existing,
            "confidence": round(self.confidence, 2),
            "rule": self.rule,
            "mentions": [m.as_json() for m in self.mentions],
        }


@dataclass
class Fact:
    id: str
    s: str
    p: str
    o: str | None
    v: str | None
    status: str | None
    quote: str
    start: int
    end: int
    confidence: float
    rule: str
    resolved: str | None = None  # the pronoun or ellipsis the proposal resolved, if any

    @classmethod
    def quoted(
        cls,
        s: Entity,
        p: str,
        o: Entity | None,
        v: str | None,
        text: str,
        span: tuple[int, int],
        rule: str,
        confidence: float,
    ) -> Fact:
        """A fact whose quote is ``text[span[0]:span[1]]``, with its stable id."""
        quote = text[span[0] : span[1]]
        ident = stable_id("f", s.id, p, o.id if o else "", v or "", quote)
        return cls(ident, s.id, p, o.id if o else None, v, None, quote, span[0], span[1], confidence, rule)

    def as_json(self) -> dict[str, Any]:
        out: dict[str, Any] = {
            "id": self.id,
            "s": self.s,
            "p": self.p,
            "o": self.o,
            "v": self.v,
            "status": self.status,
            "quote": self.quote,
            "start": self.start,
            "end": self.end,
            "confidence": round(self.confidence, 2),
            "rule": self.rule,
        }
        if self.resolved:
            out["resolved"] = self.resolved
        return out


@dataclass
class Proposal:
    source: dict[str, Any]
    text: str
    entities: list[Entity]
    facts: list[Fact]

    def as_json(self) -> dict[str, Any]:
        return {
            "source": self.source,
            "entities": [e.as_json() for e in self.entities],
            "facts": [f.as_json() for f in self.facts],
        }
