"""Bodies named by a head word and its complement, whether the head has a capital or not.

"la direction interarmées des réseaux d'infrastructure et des systèmes d'information de la
Défense", "Centre media du ministère des Armées", "l'Assemblée plénière du Conseil régional",
"Délégation à l'information et à la communication de la défense DICoD": the NER cuts such
names short or misses them. A name is read as
  a head of data/classes.yaml ``units.heads`` (singular or plural), up to two lower-case
  words that qualify it ("interarmées", "media", "plénière"), then complements: a
  preposition ("de", "du", "des", "d'", "à", "au", "aux"), a determiner, and nouns or
  adjectives (the model's parts of speech) or a name the article holds; "et" and a
  preposition continue ("… d'infrastructure et des systèmes …"), and only after "et" may a
  name run over a line break (a name does not end with a conjunction).
It stands when
  - its head has a capital and a complement has a capital or is a name; or
  - its head has a capital inside a sentence (not after a full stop, a colon or a line break):
    French writes "la Direction des applications militaires" with one capital; or
  - its head is lower-case, one of ``units.adjectives`` qualifies it ("direction
    interarmées") and a complement has a capital; or
  - an acronym written right after it (a space or a line break, no brackets) has the
    name's initials, in order ("… de la défense DICoD"): the acronym is tied to it.
A head and its qualifying words alone ("Centre media", "Assemblée plénière") do not say whose
they are: when their first complement is an organisation's name, the name runs through it and
ends there, and :func:`units_of` proposes the unit subOrganizationOf that organisation (the
name, which names both, is the quote). A name with a complement of its own ends before the next
name ("Direction des applications militaires | du Commissariat …": the unit-of relation rule
reads that link). A name followed by an acronym in brackets that the article already ties to a
body is that body ("Agence … de défense (AMIAD)"), unless the body is named inside it
("Direction technique de l'Office … (ONR)": the ONR is the Office).
"""

from __future__ import annotations

import re
from typing import Protocol

from iadef.ingest.acronyms import ACRONYM
from iadef.ingest.gazetteer import Gazetteer
from iadef.ingest.literals import alternation
from iadef.ingest.model import Entity, Fact
from iadef.ingest.nlp import Analysis
from iadef.ingest.references import EntityFinder as Finder
from iadef.ingest.references import antecedent
from iadef.ingest.textutil import norm


class EntityFinder(Finder, Protocol):
    """What this step uses of :class:`iadef.ingest.entities.EntityFinder` (no import: no circle)."""

    a: Analysis
    g: Gazetteer

    def known(self, key: str) -> Entity: ...


_LINK = re.compile(r"(de\s+la|de\s+l['’]|des|du|de|d['’]|à\s+la|à\s+l['’]|au|aux|à)(?:[ \t]+|(?<=['’]))", re.IGNORECASE)
_AND = re.compile(r"[ \t]*,?[ \t]*et[ \t]*(?:\n[ \t]*)?", re.IGNORECASE)
_DETERMINER = re.compile(r"(?:la|le|les)[ \t]+|l['’]", re.IGNORECASE)
_QUALIFIER = re.compile(r"[ \t]+([a-zà-ÿœ][\w-]*)")
_BRACKET = re.compile(rf"[ \t]*\(\s*({ACRONYM})\s*\)")
_ACRONYM_AFTER = re.compile(rf"[ \t]*(?:\n[ \t]*)?({ACRONYM})(?![\w])")
_NOT_WORDS = frozenset(
    {"et", "ou", "qui", "que", "dont", "a", "est", "sera", "ont", "en", "sur", "pour", "par", "avec"}
)
_NOMINAL = ("NOUN", "PROPN", "ADJ")
_NOT_BODIES = ("Person", "Post", "Mandate", "Topic", "Budget", "Headcount")
_REPLACEABLE = ("ner-", "headed-name")
_PLACES = ("Territory", "City", "Country", "Site")


def unit_step(finder: EntityFinder) -> None:
    heads = alternation(finder.rules.unit_heads)
    if not heads or not finder.a.parsed:
        return
    for m in re.finditer(rf"(?<![\w])(?:{heads})s?(?![\w])", finder.folded):
        _read(finder, m.start(), m.end())


def _read(finder: EntityFinder, start: int, head_end: int) -> None:
    text = finder.text
    capital = text[start].isupper()
    end, qualifiers = head_end, []
    for _ in range(2):
        word = _QUALIFIER.match(text, end)
        if word is None or norm(word.group(1)) in _NOT_WORDS or _LINK.fullmatch(word.group(1) + " "):
            break
        token = finder.a.tokens[finder.a.token_at(word.start(1))]
        if token.pos not in (*_NOMINAL, "X"):
            break  # "la Direction recrute des ingénieurs": a verb, not a qualifier
        qualifiers.append(norm(word.group(1)))
        end = word.end()
    complements: list[tuple[int, int, str | None]] = []  # start, end, the entity id of a name
    while True:
        joined = _AND.match(text, end) if complements else None
        at = joined.end() if joined else end
        space = re.match(r"[ \t]*", text[at:])
        link = _LINK.match(text, at + (space.end() if space else 0))
        item = _item(finder, link.end(), owner_first=not complements) if link else None
        if item is None:
            break
        if item[2] is not None and complements and finder.entities[item[2]].cls not in _PLACES:
            break  # "Direction des applications militaires | du Commissariat …": its own name ends here
        complements.append(item)
        end = item[1]
        if item[2] is not None:
            break  # "Centre media du ministère des Armées": the organisation's name ends it
    if not complements:
        return
    acronym = _ACRONYM_AFTER.match(text, end)
    fits = acronym is not None and _initials(text[start:end], acronym.group(1))
    capitals = any(c is not None or any(ch.isupper() for ch in text[s:e]) for s, e, c in complements)
    adjective = any(q in finder.rules.unit_adjectives for q in qualifiers)
    inside = capital and re.search(r"[^\s«\"“(]\s*$", text[max(0, start - 3) : start]) is not None
    opening = re.search(r"(?:^|[.!?:;\n])[\s«\"“(]*$", text[:start]) is not None
    if not (fits or (capitals and (capital or adjective)) or (inside and not opening)):
        return
    entity = _claim(finder, start, end, head_end)
    if entity is not None and fits and acronym is not None:
        for found in re.finditer(rf"(?<![\w]){re.escape(acronym.group(1))}(?![\w])", text):
            if finder.owner(found.start(), found.end()) is None:
                finder.mention(entity, found.start(), found.end(), "acronym")


def _item(finder: EntityFinder, at: int, owner_first: bool) -> tuple[int, int, str | None] | None:
    """A complement from ``at``: a name the article holds (with its entity id) or nouns and adjectives."""
    determiner = _DETERMINER.match(finder.text, at)
    begin = at + (determiner.end() - determiner.start() if determiner else 0)
    for s, e, ident in finder.claimed:
        if s in (at, begin) and finder.entities[ident].cls not in _NOT_BODIES:
            if finder.entities[ident].rule.startswith(_REPLACEABLE) and not owner_first:
                continue
            return s, e, ident
    tokens = finder.a.tokens
    first = finder.a.token_at(begin)
    if first >= len(tokens) or tokens[first].start != begin or tokens[first].pos not in _NOMINAL:
        return None
    stop = tokens[first].end
    for token in tokens[first + 1 : first + 4]:
        gap = finder.text[stop : token.start]
        if gap.strip() or "\n" in gap or not (token.pos in _NOMINAL or token.text == "-"):
            break
        if token.pos != "ADJ" and token.text != "-" and not finder.text[token.start].isupper():
            break  # "la donnée | et": a second lower-case noun starts something else
        stop = token.end
    words = norm(finder.text[begin:stop])
    if owner_first and words in finder.rules.references:  # "du Conseil régional": the one body named
        target = antecedent(finder, finder.rules.references[words], begin)
        if target is not None:
            finder.mention(target[0], begin, stop, "reference", f"{finder.text[begin:stop]} = {target[0].label}")
            return begin, stop, target[0].id
    return begin, stop, None


def _initials(name: str, acronym: str) -> bool:
    """The acronym's capitals are the initials of the name's words, in order, links skipped."""
    words = [w for w in re.split(r"[\s'’-]+", norm(name)) if w and w not in _LINK_WORDS]
    capitals = [c.lower() for c in acronym if c.isupper()]
    return len(capitals) >= 3 and [w[0] for w in words] == capitals


_LINK_WORDS = frozenset({"de", "du", "des", "d", "la", "le", "les", "l", "a", "au", "aux", "et"})


def _claim(finder: EntityFinder, start: int, end: int, head_end: int) -> Entity | None:
    """Mention the name ``[start, end)``: it takes over the NER's shorter span at its head ("Centre
    media"); names inside its complements stay; a name running across it, or another entity's name
    at its head, keeps its words (None)."""
    replaced = []
    for s, e, ident in [(s, e, i) for s, e, i in finder.claimed if s < end and e > start]:
        other = finder.entities[ident]
        if s < start or e > end:
            return None
        if s < head_end:
            if other.rule.startswith(_REPLACEABLE):
                replaced.append((s, e, ident))
            elif (s, e) == (start, end):
                return other
            else:
                return None
    for s, e, ident in replaced:
        finder.claimed.remove((s, e, ident))
        other = finder.entities[ident]
        other.mentions = [m for m in other.mentions if not (m.start == s and m.end == e)]
    label = " ".join(finder.text[start:end].split())  # a name broken over two lines has one label
    key = finder.g.lookup(label)
    bracket = _BRACKET.match(finder.text, end)
    owner = finder.owner(bracket.start(1), bracket.end(1)) if bracket else None
    named = owner is not None and any(start <= m.start < end for m in finder.entities[owner].mentions)
    if owner is not None and not named and finder.entities[owner].cls not in _NOT_BODIES:
        entity = finder.entities[owner]  # "Agence … de défense (AMIAD)": the body its acronym names
    elif key is not None:
        entity = finder.known(key)
    else:
        rule = finder.rules.heads.get(norm(label).split(" ")[0].rstrip("s"))
        cls, confidence = (rule.cls, min(rule.confidence, 0.7)) if rule else ("OrganizationalUnit", 0.6)
        entity = finder.new(label, cls, confidence, "unit-name")
    finder.mention(entity, start, end)
    return entity


def units_of(finder: EntityFinder) -> list[Fact]:
    """ "Centre media du ministère des Armées": a unit (a head of ``units.heads``) whose name ends with an
    organisation's name is part of it (the name is the quote; it names both)."""
    facts: list[Fact] = []
    heads = {norm(h) for h in finder.rules.unit_heads}
    for entity in [e for e in finder.entities.values() if norm(e.label).split(" ")[0].rstrip("s") in heads]:
        for mention in [m for m in entity.mentions if m.kind == "name"]:
            for s, e, ident in finder.claimed:
                owner = finder.entities[ident]
                if ident == entity.id or not (mention.start < s and e == mention.end) or owner.cls in _NOT_BODIES:
                    continue
                ref = next((m for m in owner.mentions if m.start == s and m.kind == "reference"), None)
                span = (mention.start, mention.end)
                fact = Fact.quoted(entity, "subOrganizationOf", owner, None, finder.text, span, "unit-name", 0.6)
                fact.resolved = ref.resolved if ref else None
                facts.append(fact)
    return facts


def counted_units(finder: EntityFinder) -> list[Fact]:
    """ "15 centres de la donnée et de l'IA": a number before a plural unit head and its complement names
    a set of units (one entity, its count), the words after the number its name."""
    heads = alternation(finder.rules.unit_heads)
    if not heads:
        return []
    pattern = re.compile(
        rf"(?<![\w])(\d{{1,4}})\s+((?:{heads})s?\s+(?:de la|de l'|du|des|d'|de)\s*[^,.;:()\n]{{2,60}}?)"
        r"(?=\s+(?:au|aux|a|en|dans|pour|qui|sur|sont|seront|ont)\s|[,.;:()\n]|$)"
    )
    facts: list[Fact] = []
    for m in pattern.finditer(finder.folded):
        start, end = m.start(2), m.end(2)
        if int(m.group(1)) < 2 or any(s <= start < e or (s < end <= e and s < start) for s, e, _ in finder.claimed):
            continue  # the head is another name's, or a name runs across the end (names inside stay theirs)
        label = " ".join(finder.text[start:end].split())
        rule = finder.rules.heads.get(norm(label).split(" ")[0].rstrip("s"))
        units = finder.new(label, rule.cls if rule else "OrganizationalUnit", 0.55, "counted-units")
        finder.mention(units, start, end)
        facts.append(Fact.quoted(units, "count", None, m.group(1), finder.text, (m.start(), end), "counted-units", 0.6))
    return facts
