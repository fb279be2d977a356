"""Sites and the parts of an organisation, each with the facts that place them.

* A site named by its operator: "le site de la DGA MI à Bruz", "les locaux de la société
  Bluecime (Grenoble)", "le campus de l'École polytechnique en région parisienne" -> a Site
  (operatedBy the organisation, which hasSite it; containedInPlace the place that follows).
  "à <city>" is part of the site's name (an operator can have sites in several towns);
  "en <region>" or "(<city>)" only places it.
* A named place inside a town: "situé au Mont-Valérien à Suresnes" -> Mont-Valérien is a
  Site containedInPlace Suresnes (the NER calls both places; the preposition says which
  holds the other).
* A postal address under an organisation's name ("Centre media du ministère des Armées /
  60, boulevard du général Martial Valin / CS 21623 - 75009 Paris Cedex 15"): the organisation
  is located in the town after the postcode.
* A named part of an organisation: "l'agence AMIAD, dont le volet « recherche » sera basé
  sur le site de…" -> an OrganizationalUnit « volet « recherche » », subOrganizationOf the
  organisation "dont" refers to, located where the clause says; its parent hasSite that site.

Words are data (data/classes.yaml: ``sites``); the quote of every fact is the words from the
first end to the last, a verbatim substring that names both.
"""

from __future__ import annotations

import re

from iadef.ingest.entities import EntityFinder
from iadef.ingest.model import Entity, Fact
from iadef.ingest.textutil import word_pattern

PLACES = ("City", "Territory", "Country", "Site", "Place")
_NOT_OPERATORS = ("Person", "Post", "Mandate", "Topic", "Budget", "Headcount", *PLACES)
_DETERMINERS = re.compile(r"^\s*(?:de la|de l'|du|des|de|d')\s*(?:(?:la |le |les |l')?(?:societe|groupe|start-up) )?")


_DETERMINED = re.compile(r"(?<![\w])(?:le|la|les|l'|au|aux|du|des|un|une|ses|son|sa|leurs?|nouveaux?|nouvelles?)\s*$")


def _is_place(entity: Entity) -> bool:
    return entity.cls in PLACES


def _place_after(finder: EntityFinder, at: int) -> tuple[int, int, Entity, str] | None:
    """ "à Bruz", "en région parisienne", " (Grenoble)" right after ``at``: the place, its end and the link word."""
    acronym = re.match(r"\s*\([A-Z0-9]{2,10}\)", finder.text[at : at + 14])  # "l'ONERA (ONERA) à Palaiseau"
    at += acronym.end() if acronym else 0
    m = re.match(r"\s+(a|en|dans)\s+(?:la |le |l')?|\s*\(\s*", finder.folded[at : at + 12])
    if m is None:
        return None
    hit = finder.named_at(at + m.end())
    if hit is None or not _is_place(hit[2]) or hit[2].cls == "Country":
        return None
    start, end, place = hit
    word = m.group(1) or "("
    if word == "(":
        close = re.match(r"\s*\)", finder.text[end : end + 3])
        if close is None:
            return None
        end += close.end()
    return start, end, place, word


def sites(finder: EntityFinder) -> list[Fact]:
    heads = "|".join(word_pattern(h) for h in finder.rules.site_heads) or r"(?!)"
    facts: list[Fact] = []
    for m in re.finditer(rf"(?<=[\s'])(?:{heads})s?(?=\s+(?:de|du|des|d')(?![\w]))", finder.folded):
        if finder.owner(m.start(), m.end()) is not None or not _DETERMINED.search(finder.folded[: m.start()][-12:]):
            continue  # "les acteurs locaux de la BITD": an adjective, not the premises
        link = _DETERMINERS.match(finder.folded[m.end() : m.end() + 40])
        if link is None or not link.group().strip():
            continue
        hit = finder.named_at(m.end() + link.end(), slack=1)
        if hit is None or hit[2].cls in _NOT_OPERATORS or finder.folded[m.end() : hit[0]].count(" ") > 5:
            continue
        _, org_end, operator = hit
        place = _place_after(finder, org_end)
        name_end = place[1] if place is not None and place[3] == "a" else org_end
        label = finder.text[m.start() : name_end]
        site = finder.new(label, "Site", 0.6, "site")
        finder.mention(site, m.start(), name_end)
        quote_end = place[1] if place is not None else org_end
        span = (m.start(), quote_end)
        facts.append(Fact.quoted(site, "operatedBy", operator, None, finder.text, (m.start(), name_end), "site", 0.6))
        facts.append(Fact.quoted(operator, "hasSite", site, None, finder.text, (m.start(), name_end), "site", 0.55))
        if place is not None:
            facts.append(Fact.quoted(site, "containedInPlace", place[2], None, finder.text, span, "site-place", 0.6))
            if place[3] == "(":  # "la société Bluecime (Grenoble)": the brackets place the operator too
                facts.append(Fact.quoted(operator, "location", place[2], None, finder.text, span, "site-place", 0.5))
    return facts + _places_in_towns(finder) + _addresses(finder)


_POSTCODE = re.compile(r"(?<![\w])\d{5}\s+(?=[A-Z])")
_TOWN = re.compile(r"[A-ZÀ-Ý][\w'’]*(?:[ -](?!Cedex|CEDEX)[A-ZÀ-Ý][\w'’]*){0,3}")


def _town_after(finder: EntityFinder, at: int) -> tuple[int, int, Entity] | None:
    """ "75009 Paris Cedex 15": the town a postcode introduces, when the NER did not name it."""
    m = _TOWN.match(finder.text, at)
    if m is None or finder.owner(m.start(), m.end()) is not None:
        return None
    town = finder.new(m.group(), "City", 0.6, "postcode-town")
    finder.mention(town, m.start(), m.end())
    return m.start(), m.end(), town


def _addresses(finder: EntityFinder) -> list[Fact]:
    """An organisation's name alone on its line, its postal address on the next three: the town after the
    postcode holds it."""
    facts: list[Fact] = []
    for start, end, ident in sorted(finder.claimed):
        org = finder.entities[ident]
        line_start = finder.text.rfind("\n", 0, start) + 1
        line_end = finder.text.find("\n", end)
        if org.cls in _NOT_OPERATORS or finder.text[line_start:start].strip() or line_end < 0:
            continue
        if finder.text[end:line_end].strip():
            continue  # the name is not the whole line: a sentence, not an address block
        block_end = line_end
        for _ in range(3):
            following = finder.text.find("\n", block_end + 1)
            block_end = following if following >= 0 else len(finder.text)
            code = _POSTCODE.search(finder.text, line_end, block_end)
            if code is None:
                continue
            town = finder.named_at(code.end()) or _town_after(finder, code.end())
            if town is not None and town[2].cls == "City":
                span = (start, town[1])
                facts.append(Fact.quoted(org, "location", town[2], None, finder.text, span, "postal-address", 0.6))
            break
    return facts


_NAMED = re.compile(r"(?<![\w])(?:au|sur le|sur la|sur l')\s+([A-ZÀ-Ý][\w'’-]*(?:[ -][A-ZÀ-Ý][\w'’-]*){0,3})(?=\s+à\s)")


def _places_in_towns(finder: EntityFinder) -> list[Fact]:
    """ "au Mont-Valérien à Suresnes": a capitalised place, then "à" and a town -> a Site in that town."""
    for m in _NAMED.finditer(finder.text):
        if finder.owner(m.start(1), m.end(1)) is None and _place_after(finder, m.end(1)) is not None:
            finder.mention(finder.new(m.group(1), "Site", 0.55, "site-in-town"), m.start(1), m.end(1))
    facts: list[Fact] = []
    for s, e, ident in sorted(finder.claimed):
        inner = finder.entities[ident]
        if inner.cls not in ("City", "Site") or (inner.existing is not None and inner.cls == "City"):
            continue
        if not re.search(r"(?:\bau|\bsur le|\bsur la|\bsur l')\s*$", finder.folded[max(0, s - 8) : s]):
            continue
        place = _place_after(finder, e)
        if place is None or place[3] != "a" or place[2].cls not in ("City",) or place[2].id == inner.id:
            continue
        if inner.cls == "City" and inner.rule.startswith("ner-"):
            inner.cls, inner.rule = "Site", "site-in-town"
        facts.append(
            Fact.quoted(inner, "containedInPlace", place[2], None, finder.text, (s, place[1]), "site-in-town", 0.6)
        )
    return facts


_UNIT = re.compile(r"\b(?:le|la|son|sa|les|ses)\s+(?P<head>{heads})\s*«\s*(?P<name>[^»\n]{1,40}?)\s*»")
_SETTLED = re.compile(
    r"^[^.;:]{0,40}?\b(?:base|basee|installe|installee|implante|implantee|situe|situee|localise|localisee)\s+"
    r"(?:sur|a|au|dans|en)\s+(?:le |la |les |l')?"
)


def named_parts(finder: EntityFinder) -> list[Fact]:
    heads = "|".join(word_pattern(h).removeprefix(r"(?<![\w])") for h in finder.rules.part_heads) or r"(?!)"
    facts: list[Fact] = []
    parent: tuple[int, Entity] | None = None
    sentence = -1
    for m in re.finditer(_UNIT.pattern.replace("{heads}", heads), finder.folded):
        start, end = m.start("head"), m.end()
        if finder.owner(start, end) is not None:
            continue
        here = finder.a.sentence_of(start)
        coordinated = re.search(r"\bet\s+(?:le|la|les|son|sa|ses)\s*$", finder.folded[max(0, start - 12) : start])
        if not (coordinated and here == sentence and parent is not None):
            parent = _dont_parent(finder, start)  # "dont le volet A …, et le volet B …": B's parent is A's
        sentence = here
        if parent is None:
            continue  # "le volet « drones » de son rapport": a part of a text, not of an organisation
        unit = finder.new(finder.text[start:end], "OrganizationalUnit", 0.6, "unit-name")
        finder.mention(unit, start, end)
        p_start, parent_entity = parent
        span = (p_start, end)
        facts.append(Fact.quoted(unit, "subOrganizationOf", parent_entity, None, finder.text, span, "unit-of", 0.6))
        settled = _SETTLED.match(finder.folded[end : end + 80])
        if settled is None:
            continue
        hit = finder.named_at(end + settled.end())
        if hit is None or not _is_place(hit[2]):
            continue
        facts.append(Fact.quoted(unit, "location", hit[2], None, finder.text, (start, hit[1]), "unit-place", 0.6))
        if parent is not None and hit[2].cls == "Site":
            span = (parent[0], hit[1])
            facts.append(Fact.quoted(parent[1], "hasSite", hit[2], None, finder.text, span, "unit-site", 0.5))
    return facts


def _dont_parent(finder: EntityFinder, at: int) -> tuple[int, Entity] | None:
    """ "<organisation> …, dont le volet": the last organisation named before "dont" in the clause."""
    before = finder.folded[max(0, at - 80) : at]
    dont = re.search(r",\s*dont\s+(?:le|la|les|son|sa|ses)\s*$", before)
    if dont is None:
        return None
    limit = at - len(before) + dont.start()
    sentence = finder.a.sentence_span(finder.a.sentence_of(at))
    candidates = [
        (s, finder.entities[ident])
        for s, e, ident in finder.claimed
        if sentence[0] <= s and e <= limit and finder.entities[ident].cls not in _NOT_OPERATORS
    ]
    return max(candidates, key=lambda c: c[0]) if candidates else None
