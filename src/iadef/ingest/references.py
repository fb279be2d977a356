"""Entities named by a common noun or a bare capitalised noun, resolved to one entity.

* ``named_nouns`` (data/classes.yaml): a capitalised noun that names one entity on its
  own, after a determiner: "l'État" -> a State "État".
* ``references``: "le ministère", "la Région", "la société", "cette agence"… stand for
  an entity named elsewhere in the article: the one entity of the noun's classes named
  *before* the noun, or, when none is named before it (a headline speaks of "la Région"
  before naming it), the one entity of those classes in the whole article. When two
  entities could be meant, nothing is resolved: a guess is not a proposal. The mention
  records what it resolved ("le ministère = ministère des Armées").
"""

from __future__ import annotations

import re
from typing import Protocol

from iadef.ingest.literals import Literals, alternation
from iadef.ingest.model import Entity
from iadef.ingest.rules import Rules
from iadef.ingest.textutil import fold, norm


class EntityFinder(Protocol):
    """What these steps use of :class:`iadef.ingest.entities.EntityFinder` (no import: no circle)."""

    text: str
    folded: str
    rules: Rules
    literals: Literals
    entities: dict[str, Entity]
    claimed: list[tuple[int, int, str]]

    def owner(self, start: int, end: int) -> str | None: ...

    def mention(
        self, entity: Entity, start: int, end: int, kind: str = "name", resolved: str | None = None
    ) -> None: ...

    def new(self, label: str, cls: str, confidence: float, rule: str) -> Entity: ...


_DETERMINER = r"(?<![\w])(?:le|la|l'|ce|cet|cette|du|au)\s*"
_NAME_AFTER = re.compile(r"^\s+(?:(?:de|du|des|d')\s*(?:la\s+|l')?)?[A-ZÀ-Ý]")


def named_noun_step(finder: EntityFinder) -> None:
    for word, rule in finder.rules.named_nouns.items():
        pattern = re.compile(rf"(?<=[lL]['’])\s*{re.escape(word)}(?![\w-])|(?<=\s[lL]e\s){re.escape(word)}(?![\w-])")
        for m in pattern.finditer(finder.text):
            start = m.start() + len(m.group()) - len(m.group().lstrip())
            if finder.owner(start, m.end()) is None:
                finder.mention(finder.new(word, rule.cls, rule.confidence, "named-noun"), start, m.end())


def reference_step(finder: EntityFinder) -> None:
    text, folded = finder.text, finder.folded
    for word, classes in finder.rules.references.items():
        pattern = re.compile(rf"{_DETERMINER}({re.escape(word)})(?![\w-])")
        for m in pattern.finditer(folded):
            start, end = m.start(1), m.end(1)
            if finder.owner(start, end) is not None or finder.owner(m.start(), m.end()) is not None:
                continue
            if _NAME_AFTER.match(text[end : end + 40]):
                continue  # "la société Bluecime", "le ministère des Armées": a name, not a reference
            target = antecedent(finder, classes, start)
            if target is None:
                continue
            entity, where = target
            phrase = text[m.start() : end]
            finder.mention(entity, start, end, "reference", f"{phrase} = {entity.label} ({where})")


def antecedent(finder: EntityFinder, classes: tuple[str, ...], at: int) -> tuple[Entity, str] | None:
    named = [
        (m.start, e)
        for e in finder.entities.values()
        if e.cls in classes
        for m in e.mentions
        if m.kind in ("name", "acronym")
    ]
    before = {e.id: e for start, e in named if start < at}
    if len(before) == 1:
        return next(iter(before.values())), "the one named before"
    if before:
        return None
    anywhere = {e.id: e for _, e in named}
    if len(anywhere) == 1:
        return next(iter(anywhere.values())), "the one the article names"
    return None


def nested_topic_claims(finder: EntityFinder, start: int, end: int) -> bool:
    """Free ``[start, end)`` for a longer topic: drop shorter Topic mentions inside it
    ("IA" inside "IA générative"). False when something else holds part of the span."""
    inside = [(s, e, ident) for s, e, ident in finder.claimed if s < end and e > start]
    if not inside or any(
        finder.entities[ident].cls != "Topic" or s < start or e > end or (s, e) == (start, end)
        for s, e, ident in inside
    ):
        return not inside
    for s, e, ident in inside:
        finder.claimed.remove((s, e, ident))
        entity = finder.entities[ident]
        entity.mentions = [m for m in entity.mentions if not (m.start == s and m.end == e)]
    return True


def is_date(finder: EntityFinder, start: int, end: int) -> bool:
    """A span the NER took for a name that is a date ("Début avril", "Mars 2024", a month alone: "April")."""
    if norm(finder.text[start:end]) in finder.rules.months:
        return True
    found = finder.literals.dates(finder.text, start, end, "2000")
    covered = sum(f.end - f.start for f in found)
    return covered >= len(norm(finder.text[start:end])) - 1 or norm(fold(finder.text[start:end])).isdigit()


def headed_name_step(finder: EntityFinder) -> None:
    """ "la société Preligens", "le groupe Safran", "la start-up française Mistral": a head noun of
    data/classes.yaml ``name_heads``, up to two of its ``name_head_adjectives``, then capitalised words
    name an entity of the head's class, whether the NER saw it or not."""
    heads = alternation(finder.rules.name_heads)
    if not heads:
        return
    adjectives = alternation(finder.rules.name_head_adjectives) or r"(?!)"
    pattern = re.compile(
        rf"(?<![\w])(?:la|le|l'|du|au|de la|une?|d'une?)\s*({heads})\s+(?:(?:{adjectives})\s+){{0,2}}(?=[a-z])",
        re.IGNORECASE,
    )
    name = re.compile(r"[A-ZÀ-Ý][\w&'’-]*(?:[ \t]+(?:[A-ZÀ-Ý][\w&'’-]*|AI|SA|SAS))*")
    for m in pattern.finditer(finder.folded):
        found = name.match(finder.text, m.end())
        if found is None:
            continue
        start, end = found.span()
        if finder.owner(start, end) is not None:
            continue
        rule = finder.rules.heads.get(norm(m.group(1)))
        if rule is not None:
            finder.mention(finder.new(found.group(), rule.cls, rule.confidence, "headed-name"), start, end)


def called_name_step(finder: EntityFinder) -> None:
    """ "l'agent conversationnel nommé « Génial »": a name in quotation marks after "nommé", "baptisé",
    "appelé" names an entity; its class comes from the head noun before (data ``called``), else the
    default class there."""
    called = finder.rules.called
    words = "|".join(re.escape(w) for w in called.get("verbs", ()))
    if not words:
        return
    pattern = re.compile(rf"(?<![\w])([\w'-]+)(?:\s+[\w'-]+)?\s+(?:{words})\s+[«\"]\s*([^»\"\n]{{2,40}}?)\s*[»\"]")
    for m in pattern.finditer(finder.folded):
        start, end = m.span(2)
        if finder.owner(start, end) is not None:
            continue
        rule = finder.rules.heads.get(m.group(1))
        cls = rule.cls if rule else called["default"][0]
        finder.mention(finder.new(finder.text[start:end], cls, 0.6, "called-name"), start, end)
