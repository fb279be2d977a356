"""Launches a verb implies but no name states (what the event rules share: iadef.ingest.eventbase).

* "Campus Cyber régional (lancé le 26 avril prochain)", "le centre, inauguré le 3 mai," -> a Launch
  about the entity named just before, dated by that day (the article's year when none is written).
  Only a day makes a launch: "créé en 2014" stays a founding date (relations.yaml).
* "La ministre des Armées, Florence Parly, a inauguré ce jeudi 3 octobre à Rennes, le commandement
  militaire de la cyberdéfense (Comcyber)" -> a Launch about what is inaugurated, its attendee the
  actor of the verb, dated and located by the words between the verb and the object, and the thing
  inaugurated located there too. The object is the entity it names, or, when none is named, the
  phrase itself if it starts with a noun of a place or a body ("le pôle recherche de l'AMIAD", "un
  nouveau bâtiment": data ``launches.objects``), kept in the event's label. "a posé la première pierre
  le 6 octobre d'un bâtiment" is the same, its object after "de".

The event's mention is the clause that reports it (a reference, not a name). Words are data
(data/relations.yaml ``events``).
"""

from __future__ import annotations

import re

from iadef.curation.ontology import Ontology
from iadef.ingest.entities import EntityFinder
from iadef.ingest.eventbase import (
    DAY,
    DETERMINER,
    NOT_ABOUT,
    OF,
    Named,
    actor,
    named,
    object_end,
    of_phrase,
    opening_date,
    retype,
    slot,
    status_of,
    subject,
)
from iadef.ingest.literals import Literals, alternation
from iadef.ingest.model import Entity, Fact
from iadef.ingest.textutil import norm

_AUXILIARIES = ("a", "ont", "avait", "avaient")


def launches(finder: EntityFinder, literals: Literals, ontology: Ontology, year: str | None) -> list[Fact]:
    rules = finder.rules.events
    if not rules.launch_participles:
        return []
    auxiliaries = alternation(rules.launch_auxiliaries) or r"(?!)"
    verb = re.compile(rf"(?<![\w'])(?P<verb>{alternation(rules.launch_participles)})\s+le\s+")
    # "X (lancé", "X, inauguré", "X, qui sera inauguré", "X sera officiellement inauguré" (not "X a lancé")
    lead = re.compile(
        rf"(?:(?P<mark>[(,])\s*(?:qui\s+)?(?:(?:{auxiliaries})\s+)?|\s+(?:qui\s+)?(?:{auxiliaries})\s+)"
        r"(?:[a-z]+ment\s+)?$"
    )
    out: list[Fact] = []
    for m in verb.finditer(finder.folded):
        before = lead.search(finder.folded[max(0, m.start() - 40) : m.start()])
        if before is None:
            continue
        lead_start = m.start() - (len(finder.folded[max(0, m.start() - 40) : m.start()]) - before.start())
        found = subject(finder, lead_start)
        if not found:
            continue
        s, e, about = found[0]
        if about.cls in NOT_ABOUT or ontology.is_a(about.cls, "Event"):
            continue
        gender = finder.rules.genders.get(norm(about.label).split(" ")[0])
        if gender is not None and gender != ("feminine" if m.group("verb").rstrip("s").endswith("ee") else "masculine"):
            continue  # "la convention avec Thales, lancée le 3 mai": what was launched is not the name before
        dates = literals.dates(finder.text, m.end(), min(len(finder.text), m.end() + 40), year)
        if not dates or dates[0].start != m.end() or not DAY.fullmatch(dates[0].value):
            continue
        tail = re.match(r"\s+[^\W\d]+(?=\s*[,;.)\n]|$)", finder.folded[dates[0].end : dates[0].end + 20])
        end = dates[0].end + (tail.end() if tail else 0)  # "le 26 avril prochain"
        quote_end = end + 1 if before.group("mark") == "(" and finder.text[end : end + 1] == ")" else end
        noun = rules.launch_participles[" ".join(m.group("verb").split())]
        label = f"{noun} {of_phrase(finder, s, ' '.join(finder.text[s:e].split()))}"
        event = finder.new(label, "Launch", rules.confidence, "launch")
        finder.mention(event, m.start(), end, "reference", "the launch this clause reports")
        status = "planned" if status_of(finder, m.start(), quote_end) == "planned" else None
        for prop, obj, value in (("about", about, None), ("date", None, dates[0].value)):
            fact = Fact.quoted(event, prop, obj, value, finder.text, (s, quote_end), "launch", rules.confidence)
            fact.status = status
            out.append(fact)
    return out


def _form(verb: str) -> str:
    """A verb form's pattern: an insertion may stand between the auxiliary and the participle ("a, dans la
    foulée, inauguré")."""
    words = [re.escape(w) for w in verb.split()]
    if len(words) > 1 and verb.split()[0] in _AUXILIARIES:
        return words[0] + r"(?:\s*,[^,.;:!?\n]{1,40},\s*|\s+)" + r"\s+".join(words[1:])
    return r"\s+".join(words)


def inaugurations(
    finder: EntityFinder, facts: list[Fact], literals: Literals, ontology: Ontology, year: str | None
) -> list[Fact]:
    rules = finder.rules.events
    if not rules.launch_active:
        return []
    forms = sorted(rules.launch_active, key=len, reverse=True)
    verb = re.compile(rf"(?<![\w'])(?P<verb>{'|'.join(_form(f) for f in forms)})(?![\w'])")
    out: list[Fact] = []
    for m in verb.finditer(finder.folded):
        form = re.sub(r"\s*,[^,]*,\s*|\s+", " ", m.group("verb"))
        bare = form.split()[0] not in _AUXILIARIES and not form.startswith(("vient", "viennent"))
        who = actor(finder, facts, ontology, m.start(), None if bare else m.end())
        if bare and (who is None or not finder.folded[_end_before(finder, m.start()) : m.start()].isspace()):
            continue  # "X inaugure …": its actor right before it; "X, inauguré le 3 mai," is a launch of X
        end, dates, places = slot(finder, literals, ontology, m.end(), year)
        at = end
        if form in rules.launch_active_of:
            of = re.match(rf"\s*{OF}\s*", finder.folded[at:])
            if of is None:
                continue
            at += of.end()
        at += len(finder.folded[at:]) - len(finder.folded[at:].lstrip())
        thing = _inaugurated(finder, ontology, at)
        if thing is None or (who is None and not dates):
            continue
        about, stop = thing
        noun = rules.launch_active[form]
        label = f"{noun} {of_phrase(finder, at, ' '.join(finder.text[at:stop].split()))}"
        event = finder.new(label, "Launch", rules.confidence, "inauguration")
        finder.mention(event, m.start(), stop, "reference", "the inauguration this clause reports")
        first = who[0] if who else m.start()
        date = dates[0] if dates else opening_date(finder, literals, year, m.start(), first)
        found: list[tuple[str, Entity | None, str | None, Entity]] = []
        found += [("about", about, None, event)] if about else []
        found += [("attendee", who[1], None, event)] if who else []
        found += [("date", None, date.value, event)] if date else []
        found += [("location", p[2], None, event) for p in places[:1]]
        if about is not None and not ontology.is_a(about.cls, "Place"):
            found += [("location", p[2], None, about) for p in places[:1]]
        for prop, obj, value, subj in found:
            span = (min(first, date.start) if prop == "date" and date else first, stop)
            fact = Fact.quoted(subj, prop, obj, value, finder.text, span, "inauguration", rules.confidence)
            fact.resolved = who[2] if who and obj is who[1] else None
            out.append(fact)
    return out


def _end_before(finder: EntityFinder, at: int) -> int:
    found = subject(finder, at)
    return found[0][1] if found else at


def _inaugurated(finder: EntityFinder, ontology: Ontology, at: int) -> tuple[Entity | None, int] | None:
    """What is inaugurated at ``at``: the entity named there, or the phrase of a place or a body, and where
    its words end."""
    det = re.match(rf"{DETERMINER}(?![\w])\s*|l'\s*", finder.folded[at:])
    if det is None:
        return None
    hit: Named | None = named(finder, at, words=2, bracketed=True)
    if hit is not None:
        entity = hit[2]
        if entity.cls == "Person":  # one inaugurates no person: a body, of the class its description gives
            described = finder.classify(finder.text[hit[0] : hit[1]].split("(")[0], "ORG")
            cls = described.cls if described and ontology.is_a(described.cls, "Organization") else "Organization"
            if not retype(entity, cls, "ner-per-inaugurated"):
                return None
        if entity.cls in NOT_ABOUT or ontology.is_a(entity.cls, "Event"):
            hit = None
        else:
            return entity, hit[1]
    heads = alternation(finder.rules.events.launch_objects)
    head = re.match(rf"(?:[\w-]+\s+)?(?:{heads})(?![\w'])", finder.folded[at + det.end() :]) if heads else None
    if head is None:
        return None
    stop = object_end(finder, at)
    called = alternation(list(finder.rules.called.get("verbs", ())))
    cut = re.search(rf"\s+(?:{called}|qui|et|a|sur|dans)(?![\w'])", finder.folded[at:stop]) if called else None
    return None, at + cut.start() if cut else stop
