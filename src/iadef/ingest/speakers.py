"""Who "nous" is in a quotation: the organisation of the speaker the article attributes it to.

"« Cette feuille de route que nous signons avec l'État confirme notre ambition … ». Catherine
STARON, Vice-présidente de la Région Auvergne-Rhône-Alpes …": the quotation is hers (her name
follows its closing mark), her title is a post of the Région (posts.py: holder, post, postIn),
so each "nous" inside stands for the Région, a reference the relation rules read like a name
("nous signons avec l'État": the Région and the State). Only a speaker whose post the article
ties to one organisation gives "nous" a meaning; a quotation with no attributed speaker, or a
speaker with no post, leaves it unresolved.
"""

from __future__ import annotations

import re

from iadef.ingest.entities import EntityFinder
from iadef.ingest.model import Entity, Fact

_QUOTATION = re.compile(r"«([^«»]{40,3000})»")
_ATTRIBUTION = re.compile(r"\s*[.,!?]?\s*(?:[-–—]\s*)?")
_WE = re.compile(r"(?<![\w])nous(?![\w])")


def speakers(finder: EntityFinder, facts: list[Fact]) -> None:
    """Each "nous" of an attributed quotation becomes a reference to the speaker's organisation."""
    holders = {f.s: f.o for f in facts if f.p == "holder" and f.o}  # mandate -> person
    posts = {f.s: f.o for f in facts if f.p == "post" and f.o}  # mandate -> post
    bodies = {f.s: f.o for f in facts if f.p == "postIn" and f.o}  # post -> organisation
    for m in _QUOTATION.finditer(finder.text):
        lead = _ATTRIBUTION.match(finder.text, m.end())
        at = lead.end() if lead else m.end()
        speaker = _speaker(finder, at, holders, posts, bodies)
        if speaker is None:
            continue
        person, org = speaker
        for we in _WE.finditer(finder.folded, m.start(1), m.end(1)):
            if finder.owner(we.start(), we.end()) is None:
                said = f"nous = {org.label} (the speaker, {person.label})"
                finder.mention(org, we.start(), we.end(), "reference", said)


def _speaker(
    finder: EntityFinder, at: int, holders: dict[str, str], posts: dict[str, str], bodies: dict[str, str]
) -> tuple[Entity, Entity] | None:
    """The person named at ``at`` and the one organisation the article gives their post."""
    named = [finder.entities[i] for s, _, i in finder.claimed if s == at]  # the name, or the mandate it opens
    people = {e.id for e in named if e.cls == "Person"} | {holders[e.id] for e in named if e.id in holders}
    if len(people) != 1:
        return None
    person = finder.entities[people.pop()]
    orgs = {bodies[posts[m]] for m, p in holders.items() if p == person.id and posts.get(m) in bodies}
    if len(orgs) != 1:
        return None
    return person, finder.entities[orgs.pop()]
