"""Whose staff a headcount is, and what the article says of it, read from the clause around it.

* "le volet « production » sera installé à Bruz avec, à terme, 300 personnes": a count
  introduced by "avec" is the staff of the subject of the verb it completes (the parse's
  ``nsubj``/``nsubj:pass`` of that verb), when that subject is an organisation's mention.
* "300 personnes, dont de nombreux chercheurs": the "dont" clause after a count (words, no
  figure: "dont 1,5 milliards" is a part, see programmes.py) describes the headcount.

The headcounts themselves are made by structures.figures; the quote of each fact runs
from the first end to the last, so it names both.
"""

from __future__ import annotations

import re

from iadef.ingest.entities import EntityFinder
from iadef.ingest.model import Entity, Fact
from iadef.ingest.nlp import Analysis

_WITH = re.compile(r"(?<![\w])avec\s*,?\s*(?:[^,.;:]{1,20},\s*)?(?:pres de |environ |quelque )?$")
_SUBJECTS = ("nsubj", "nsubj:pass")
_VERBS = ("VERB", "AUX")
_NAMES = ("appos", "flat:name", "nmod", "flat")
_DONT = re.compile(r"^,\s*(dont\s+[^\d,.;:()«»\n]{3,80}?)\s*(?=[,.;:)\n]|$)")
_NOT_STAFF = ("Person", "Post", "Mandate", "Topic", "Budget", "Headcount", "Place", "City", "Territory", "Country")


def headcounts(finder: EntityFinder) -> list[Fact]:
    facts: list[Fact] = []
    for entity in [e for e in finder.entities.values() if e.cls == "Headcount"]:
        for mention in entity.mentions:
            owner = _with_subject(finder, mention.start)
            if owner is not None:
                start, whole = owner
                span = (start, mention.end)
                facts.append(Fact.quoted(entity, "headcountOf", whole, None, finder.text, span, "headcount-with", 0.6))
            dont = _DONT.match(finder.text[mention.end : mention.end + 100])
            if dont is not None:
                span = (mention.start, mention.end + dont.end(1))
                words = dont.group(1)
                facts.append(Fact.quoted(entity, "description", None, words, finder.text, span, "headcount-dont", 0.5))
    return facts


def _with_subject(finder: EntityFinder, at: int) -> tuple[int, Entity] | None:
    """The subject mention of the verb that "avec <count>" at ``at`` completes, if it names an organisation."""
    if not finder.a.parsed or _WITH.search(finder.folded[max(0, at - 40) : at]) is None:
        return None
    verb = _verb_of(finder.a, finder.a.token_at(at))
    if verb is None:
        return None
    sentence = finder.a.sentence_of(at)
    tokens = finder.a.tokens
    for subject in [t for t in tokens if t.head == verb and t.dep in _SUBJECTS and t.i != verb]:
        if finder.a.sentence_of(subject.start) != sentence:
            continue
        # "le volet « production »" is one mention; "le laboratoire Normandie Robotique": the name after the noun
        named = [
            subject,
            *(t for t in tokens if t.head == subject.i and t.dep in _NAMES and t.start <= subject.end + 2),
        ]
        for token in named:
            for s, e, ident in finder.claimed:
                entity = finder.entities[ident]
                if s <= token.start < e and entity.cls not in _NOT_STAFF:
                    return s, entity
    return None


def _verb_of(analysis: Analysis, index: int) -> int | None:
    """The verb a token depends on, walking up the parse (at most six steps)."""
    for _ in range(6):
        token = analysis.tokens[index]
        if token.pos in _VERBS and token.dep not in ("aux:pass", "aux:tense"):
            return token.i
        if token.head == token.i:
            return None
        index = token.head
    return None
