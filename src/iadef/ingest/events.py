"""Announcements a verb implies but no name states (launches: iadef.ingest.launches; contracts awarded,
ordered or won: iadef.ingest.awards; what they share: iadef.ingest.eventbase).

* "le ministre des Armées a annoncé, courant mars, la création de cette agence AMIAD" -> an
  Announcement « annonce de la création de cette agence AMIAD », about the entity announced,
  announcedBy the actor of the verb (a post's holder when the article names one: posts.py's mandates),
  dated by the date between the verb and the noun ("a confirmé ce jeudi 6 juin le rachat de X"), or by
  a date opening the sentence ("Le 8 mars 2024, …"). What is announced is the entity after the noun
  ("la création de", "le rachat de", "une entrée au capital de"), after a chain of them and of amounts
  ("la mobilisation d'une enveloppe de 200 M€": the budget; "un investissement de 15 M€ pour la
  construction d'un Institut": the institute), or the one a phrase calls so ("la création d'un fonds
  … baptisé « Definnov »"); after a verb such as "dévoiler", the entity it has as object ("a dévoilé
  l'agence … (AMIAD)").
* "a annoncé mercredi avoir commandé …", "a annoncé jeudi que … avait remporté une commande": the
  announcement is about the contract the clause reports (awards.py's, or an agreement it names); a
  reporting verb ("a indiqué avoir …") announces only those.
* "…, a annoncé le ministère mardi.": the actor after the verb, in a clause that closes the sentence,
  made an announcement the sentence does not name.

The event's mention is the clause that reports it (a reference, not a name); every quote runs from the
first end named to the last. Words are data (data/relations.yaml ``events``).
"""

from __future__ import annotations

import re

from iadef.curation.ontology import Ontology
from iadef.ingest.entities import EntityFinder
from iadef.ingest.eventbase import (
    DETERMINER,
    GRAMMAR,
    NOT_ABOUT,
    OF,
    Named,
    actor,
    holder,
    named,
    of_phrase,
    opening_date,
    retype,
    slot,
)
from iadef.ingest.literals import Found, Literals, alternation
from iadef.ingest.model import Entity, Fact

_ABOUT_NOT = tuple(c for c in NOT_ABOUT if c != "Budget")  # an amount announced is what is announced


def announcements(
    finder: EntityFinder, facts: list[Fact], literals: Literals, ontology: Ontology, year: str | None
) -> list[Fact]:
    rules = finder.rules.events
    verbs = list(dict.fromkeys(rules.announce_verbs + rules.announce_reporting))
    if not verbs or not rules.announce_nouns:
        return []
    verb = re.compile(rf"(?<![\w'])(?P<verb>{alternation(verbs)})(?![\w'])")
    out: list[Fact] = []
    for m in verb.finditer(finder.folded):
        inverted = _inverted(finder, facts, ontology, m)  # "…, a annoncé le ministère mardi."
        if inverted:
            out += inverted
            continue
        form = " ".join(m.group("verb").split())
        who = actor(finder, facts, ontology, m.start(), m.end())
        incise = re.match(r"\s*,[^,.;:!?\n]{1,50},", finder.folded[m.end() :])
        ends = [m.end() + incise.end()] if incise else []
        ends.append(slot(finder, literals, ontology, m.end(), year)[0])
        for end in ends:
            found = _complement(finder, ontology, form, end, who is not None)
            if found is not None:
                out += _announce(finder, literals, year, m, who, end, *found)
                break
    return out


def _complement(
    finder: EntityFinder, ontology: Ontology, form: str, at: int, acted: bool
) -> tuple[Entity, int, int, int, str] | None:
    """What the verb's complement at ``at`` announces: the entity, the span of the words that name it (to
    label and quote the announcement), where the mention ends, and how the label reads."""
    rules = finder.rules.events
    rest = finder.folded[at:]
    if form in rules.announce_verbs:
        np = re.match(
            rf"\s*(?P<np>(?:la|le|les|un|une|l')\s*(?P<noun>{alternation(rules.announce_nouns)}))"
            rf"(?:\s+{GRAMMAR}[\w-]+)?\s*{OF}\s*",
            rest,
        )
        hit = _about_after(finder, at + np.end()) if np else None
        if np and hit and " ".join(np.group("noun").split()) in rules.announce_acquisitions:
            retype(hit[2], "Company", "ner-acquired", places=True)  # "le rachat de X": X is no person, no town
        if np and hit and hit[2].cls not in _ABOUT_NOT and not ontology.is_a(hit[2].cls, "Event"):
            end = hit[1] + len(re.match(r"\s*»|", finder.text[hit[1] :]).group())  # type: ignore[union-attr]
            return hit[2], at + np.start("np"), end, end, ""
    if form in rules.announce_objects and acted and re.match(rf"\s*(?:{DETERMINER}(?![\w])|l')", rest):
        start = at + len(rest) - len(rest.lstrip())
        hit = named(finder, start, bracketed=True)
        if hit and hit[2].cls not in NOT_ABOUT and not any(ontology.is_a(hit[2].cls, c) for c in ("Event", "Place")):
            return hit[2], start, hit[1], hit[1], ""
    reported = re.match(r"\s*(?:(?:d')?avoir\s|qu(?:e\s|'))", rest)  # "a annoncé avoir commandé", "… que …"
    index = finder.a.sentence_of(at)
    if reported and index >= 0:
        begin, stop = at + len(rest) - len(rest.lstrip()), finder.a.sentence_span(index)[1]
        inside = sorted((s, e, finder.entities[i]) for s, e, i in finder.claimed if begin <= s and e <= stop)
        agreement = next((c for c in inside if ontology.is_a(c[2].cls, "Agreement")), None)
        if agreement is not None:
            return agreement[2], agreement[0], agreement[1], at, agreement[2].label
    return None


def _about_after(finder: EntityFinder, at: int) -> Named | None:
    """The entity announced after the noun ("la création de" …): after further nouns of the list and of
    amounts, or called so in the phrase; for an amount, what it is for ("pour la construction d'un X")."""
    rules = finder.rules.events
    chain = re.compile(
        rf"\s*(?:{DETERMINER}(?![\w])\s*|l'\s*)?(?:{alternation(rules.announce_nouns + rules.announce_amounts)})"
        rf"(?:\s+{GRAMMAR}[\w-]+)?\s*{OF}\s*"
    )
    for _ in range(2):
        link = chain.match(finder.folded, at)
        at = link.end() if link else at
    hit = named(finder, at, words=2, bracketed=True)
    if hit is None:
        called = alternation(list(finder.rules.called.get("verbs", ())))
        phrase = re.match(rf"[^,.;:!?()\n«»]{{0,60}}?(?<![\w])(?:{called})\s*«?\s*", finder.folded[at:])
        hit = finder.named_at(at + phrase.end()) if phrase and called else None
    if hit is not None and hit[2].cls == "Budget":
        purpose = re.match(r"\s*pour\s+", finder.folded[hit[1] :])
        link = chain.match(finder.folded, hit[1] + purpose.end()) if purpose else None
        target = named(finder, link.end(), words=2) if link else None
        return target if target is not None else hit
    return hit


def _announce(
    finder: EntityFinder,
    literals: Literals,
    year: str | None,
    m: re.Match[str],
    who: tuple[int, Entity, str | None] | None,
    slot_end: int,
    about: Entity,
    start: int,
    end: int,
    mention_end: int,
    label: str,
) -> list[Fact]:
    rules = finder.rules.events
    if label and re.match(rf"{DETERMINER}(?![\w])|l'", finder.folded[start:]):
        label = ""  # "que … avait remporté une commande de …": the words that name it
    label = "annonce " + of_phrase(finder, start, label or " ".join(finder.text[start:end].split()))
    event = finder.new(label, "Announcement", rules.confidence, "announcement")
    finder.mention(event, m.start("verb"), mention_end, "reference", "the announcement this clause reports")
    first = who[0] if who else m.start("verb")
    span, conf = (first, max(end, mention_end)), rules.confidence
    out = [Fact.quoted(event, "about", about, None, finder.text, span, "announcement", conf)]
    if who is not None:
        fact = Fact.quoted(event, "announcedBy", who[1], None, finder.text, span, "announcement", conf)
        fact.resolved = who[2]
        out.append(fact)
    inside = literals.dates(finder.text, m.end("verb"), slot_end, year)
    date: Found | None = inside[0] if inside else opening_date(finder, literals, year, m.start(), first)
    if date is not None:
        dated = (min(first, date.start), span[1])
        out.append(Fact.quoted(event, "date", None, date.value, finder.text, dated, "announcement-date", conf))
    return out


def _inverted(finder: EntityFinder, facts: list[Fact], ontology: Ontology, m: re.Match[str]) -> list[Fact]:
    """ "…, a annoncé le ministère mardi.", "« … », a annoncé Thales dans un communiqué.": the announcer
    after the verb (a post's holder for a post), the clause closing the sentence."""
    form = " ".join(m.group("verb").split())
    if form not in finder.rules.events.announce_verbs:
        return []
    if not re.search(r",\s*$", finder.folded[max(0, m.start() - 3) : m.start()]):
        return []
    start = m.end() + len(finder.folded[m.end() :]) - len(finder.folded[m.end() :].lstrip())
    hit = named(finder, start) if start > m.end() else None
    who = hit[2] if hit else None
    if hit is not None and hit[2].cls in ("Post", "Mandate"):
        who = holder(finder, facts, hit[2])
    if hit is None or who is None or not ontology.is_a(who.cls, "Actor"):
        return []
    circumstances = r"\s*,?\s+(?:dans|lors|par|sur|via|au cours|a l'issue)(?![\w'])[^.;!?]*"
    if not re.match(rf"(?:(?:\s+[\w'-]+){{0,2}}|{circumstances})\s*(?:[.;!?]|$)", finder.folded[hit[1] :]):
        return []
    rules = finder.rules.events
    label = "annonce " + of_phrase(finder, start, " ".join(finder.text[start : hit[1]].split()))
    event = finder.new(label, "Announcement", rules.confidence, "announcement")
    finder.mention(event, m.start("verb"), hit[1], "reference", "the announcement this clause reports")
    span = (m.start("verb"), hit[1])
    fact = Fact.quoted(event, "announcedBy", who, None, finder.text, span, "announcement", rules.confidence)
    fact.resolved = None if who is hit[2] else f"« {finder.text[hit[0] : hit[1]]} » → {who.label}"
    return [fact]
