"""Groupings of actors: consortia named by their members ("le groupement Hewlett Packard
Enterprise/Orange", "un consortium formé de Thales et d'Airbus"), and the local members of an
industrial base ("les acteurs locaux de la BITD", "les entreprises régionales de la BITD").

The head word (data/classes.yaml ``consortium_heads``) names the grouping, not its first
member: the NER's "Hewlett Packard Enterprise", typed Consortium by its head word, is a
member again, and the grouping becomes its own entity (class Consortium, labelled with the
words of the article), each member memberOf it. The quote is the grouping's name, which
names every member.
"""

from __future__ import annotations

import re

from iadef.ingest.entities import EntityFinder
from iadef.ingest.model import Entity, Fact
from iadef.ingest.textutil import word_pattern

_MEMBER_CLASSES = ("Company", "Organization", "Consortium", "PublicEstablishment", "EducationalInstitution")
_JOIN = re.compile(r"\s*/\s*|\s*-\s*|,\s*|\s+et\s+(?:d'|de\s+)?|\s+and\s+")


def consortia(finder: EntityFinder) -> list[Fact]:
    heads = "|".join(word_pattern(h) for h in finder.rules.consortium_heads) or r"(?!)"
    facts: list[Fact] = []
    for m in re.finditer(
        rf"(?:{heads})\s+(?:(?:forme|compose|constitue|mene)e?\s+(?:de\s+|d'|par\s+))?", finder.folded
    ):
        members: list[Entity] = []
        at, end = m.end(), m.end()
        while True:
            hit = finder.named_at(at)
            if hit is None or hit[2].cls not in _MEMBER_CLASSES:
                break
            members.append(hit[2])
            end = hit[1]
            join = _JOIN.match(finder.folded[end : end + 8])
            if join is None:
                break
            at = end + join.end()
        if len(members) < 2:
            continue
        for member in members:
            if member.cls == "Consortium" and member.rule.startswith(("ner-", "headed")):
                member.cls = "Organization"  # the head word named the grouping, not this member
        label = finder.text[m.start() : end]
        grouping = finder.new(label, "Consortium", 0.65, "consortium")
        finder.mention(grouping, m.start(), end)
        for member in members:
            facts.append(
                Fact.quoted(member, "memberOf", grouping, None, finder.text, (m.start(), end), "consortium", 0.65)
            )
    return facts


def local_members(finder: EntityFinder) -> list[Fact]:
    """ "les acteurs locaux de la Base industrielle et technologique de défense": the local part of a
    base (class IndustrialBase), subOrganizationOf it; the quote is the phrase, which names both."""
    nouns = "|".join(word_pattern(n) for n in finder.rules.member_nouns) or r"(?!)"
    adjectives = "|".join(word_pattern(a) for a in finder.rules.local_adjectives) or r"(?!)"
    pattern = rf"(?:{nouns})(?:\s+et\s+(?:{nouns}))?\s+(?:{adjectives})\s+(?:de la|de l'|du|des|de)\s*"
    facts: list[Fact] = []
    for m in re.finditer(pattern, finder.folded):
        hit = finder.named_at(m.end())
        if hit is None or hit[2].cls != "IndustrialBase" or finder.owner(m.start(), m.end()) is not None:
            continue
        base = hit[2]
        group = finder.new(finder.text[m.start() : hit[1]], "IndustrialBase", 0.55, "local-members")
        finder.mention(group, m.start(), hit[1])
        facts.append(
            Fact.quoted(group, "subOrganizationOf", base, None, finder.text, (m.start(), hit[1]), "local-members", 0.55)
        )
    return facts
