"""A sentence framed by the one before: "Ainsi, …", "À ce titre, …", "Dans ce cadre, …".

The connective says that what follows is done under what the previous sentence spoke of:
its agreement or programme (its subject, the pronoun it opened with, the list its bullet
belongs to, or the first agreement or programme it names). In a framed sentence:

* the frame is an implicit end of the sentence's relations, as a reference at the
  connective ("Ainsi, une nouvelle impulsion sera donnée au PEC": the convention's
  beneficiary), shown to the curator as resolved;
* an agreement the sentence names is provided for by a framing agreement ("Ainsi, … un
  partenariat stratégique … sera développé": providedForBy the convention), or aligned with
  a framing programme ("À ce titre, le ministère a notifié …": the contract serves the
  strategy).

Connectives are data (data/relations.yaml: ``frames``).
"""

from __future__ import annotations

import re

from iadef.ingest.literals import alternation
from iadef.ingest.model import Entity, Fact, Mention
from iadef.ingest.reader import RelationFinder
from iadef.ingest.textutil import BULLET

_LEAD = re.compile(rf"^{BULLET}*")
_FRAMES = ("Agreement", "Programme")


class Frames:
    def __init__(self, finder: RelationFinder, entities: dict[str, Entity]) -> None:
        """``entities``: all of the article's, those the event rules state included (a contract awards.py made)."""
        self.f, self.entities = finder, entities
        words = alternation(finder.rules.frames)
        self.opening = re.compile(rf"(?:{words})\s*,") if words else None
        self.previous: Entity | None = None  # what the last sentence spoke of

    def frame(self, start: int, end: int) -> tuple[Mention, Entity] | None:
        """The implicit reference of a framed sentence, at its connective."""
        if self.opening is None or self.previous is None:
            return None
        lead = len(self.f.a.text[start:end]) - len(_LEAD.sub("", self.f.a.text[start:end], count=1))
        m = self.opening.match(self.f.folded, start + lead, end)
        if m is None:
            return None
        words = self.f.a.text[m.start() : m.end() - 1].rstrip()
        said = f"« {words} » = {self.previous.label}"
        return Mention(m.start(), m.start() + len(words), words, "reference", said), self.previous

    def kept(self, facts: list[Fact], frame: tuple[Mention, Entity] | None) -> list[Fact]:
        """The relations read with the frame as an end, but only by the properties a frame can take
        (data/relations.yaml ``frame_properties``): "Ainsi, un partenariat sera développé avec l'AID"
        does not say the AID developed the convention of the sentence before."""
        if frame is None or frame[0].resolved is None:
            return facts
        said = frame[0].resolved
        return [f for f in facts if f.p in self.f.rules.frame_properties or said not in (f.resolved or "")]

    def facts(self, start: int, end: int, frame: tuple[Mention, Entity]) -> list[Fact]:
        """An agreement named in a framed sentence is provided for by the framing agreement, or serves
        the framing programme."""
        reference, framing = frame
        prop = "providedForBy" if self.f.is_a(framing.cls, "Agreement") else "alignedWith"
        out: list[Fact] = []
        named = [(m, e) for e in self.entities.values() for m in e.mentions if start <= m.start < end]
        for mention, entity in sorted(named, key=lambda pair: (pair[0].start, pair[1].id)):
            if entity is framing or not self.f.is_a(entity.cls, "Agreement") or entity.id in {f.s for f in out}:
                continue  # a contract awards.py made from "a notifié …" is named by its clause (a reference)
            span = self.f.quote(start, end, [(reference.start, reference.end), (mention.start, mention.end)])
            out.append(self.f.fact(entity, prop, framing, None, span, 0.4, "framed", None, [reference]))
        return out

    def remember(self, start: int, end: int, ends: list[tuple[Mention, Entity]], aims: list[Fact]) -> None:
        """What this sentence spoke of, for the next one: the subject of its aims, else the reference it
        opened with, else the first agreement or programme it names; a sentence naming none ends the frame."""
        subject = next((f.s for f in aims), None)
        named = sorted(
            ((m, e) for m, e in ends if any(self.f.is_a(e.cls, c) for c in _FRAMES)),
            key=lambda pair: (pair[0].kind != "reference", pair[0].start),
        )
        if subject is not None and subject in self.entities:
            self.previous = self.entities[subject]
        else:
            self.previous = named[0][1] if named else None
