"""Events and agreements a verb implies but no name states.

* Announcements: "le ministre des Armées a annoncé, courant mars, la création de cette agence
  AMIAD" -> an Announcement « annonce de la création de cette agence AMIAD », about the entity
  announced, announcedBy the actor named right before the verb (a post's holder when the article
  names one: posts.py's mandates), dated by the date between the verb and the noun, or by a date
  opening the sentence ("Le 8 mars 2024, …").
* Launches: "Campus Cyber régional (lancé le 26 avril prochain)", "le centre, inauguré le 3 mai,"
  -> a Launch about the entity named just before, dated by that day (the article's year when none
  is written). Only a day makes a launch: "créé en 2014" stays a founding date (relations.yaml).
* Awards: "le ministère a notifié au groupement A/B la mise en place d'un supercalculateur" with
  no agreement named in the clause -> a Contract: contractingAuthority the authority, contractor
  each recipient, party all of them, deliverable what the object names.

The event's mention is the clause that reports it (a reference, not a name); every quote runs
from the first end named to the last. Words are data (data/relations.yaml ``events``).
"""

from __future__ import annotations

import re

from iadef.curation.ontology import Ontology
from iadef.ingest.entities import EntityFinder
from iadef.ingest.literals import Found, Literals, alternation
from iadef.ingest.model import Entity, Fact
from iadef.ingest.textutil import fold, norm, word_pattern

_NOT_ABOUT = ("Person", "Post", "Mandate", "Topic", "Budget", "Headcount", "City", "Country", "Territory")
# words a name is not made of, and that no insertion ("vendredi 8 mars") or adjective ("prochain") is
_GRAMMAR = (
    r"(?!(?:de|du|des|d|le|la|les|l|un|une|que|qu|pour|sur|en|a|au|aux|avec|dans|par|et|ou|ne|pas|se|son|sa|ses)"
    r"(?![\w-]))"
)
_DETERMINER = r"(?:la|le|les|l'|un|une|ce|cet|cette|ces|son|sa|ses|leur|leurs|notre|nos)"
_OF = r"(?:de\s+la|de\s+l'|du|des|de|d')"
OWN = ("announcement", "launch", "award")  # the rules of this module's entities
DATED = ("announcement", "launch")  # those dated here: a date in their clause is theirs
_DAY = re.compile(r"(?:\d{4}|-)-\d\d-\d\d")


def _status(finder: EntityFinder, start: int, end: int) -> str | None:
    """The status the words of ``text[start:end]`` give (data/statuses.yaml, first that occurs)."""
    for status, words in finder.rules.statuses:
        if any(re.search(word_pattern(w), finder.folded[start:end]) for w in words):
            return status
    return None


def _named(finder: EntityFinder, at: int, words: int = 0) -> tuple[int, int, Entity] | None:
    """The entity named at ``at``, after a determiner and up to ``words`` lower-case words ("cette agence
    AMIAD") or, with none, one name head ("la société Exail")."""
    det = re.match(rf"{_DETERMINER}(?![\w])\s*|l'\s*", finder.folded[at : at + 8])
    at += det.end() if det else 0
    for attempt in range(max(words, 1) + 1):
        hit = finder.named_at(at)
        if hit is not None or attempt == max(words, 1):
            return hit
        word = re.match(rf"{_GRAMMAR}([\w-]+)\s+", finder.folded[at : at + 40])
        if word is None or not finder.text[at].islower():
            return None
        if not words and word.group(1) not in finder.rules.name_heads:
            return None
        at += word.end()
    return None


def _holder(finder: EntityFinder, facts: list[Fact], entity: Entity) -> Entity | None:
    """The one person who holds a post (or a mandate) in the article's mandates, if one."""
    mandates = {entity.id} if entity.cls == "Mandate" else {f.s for f in facts if f.p == "post" and f.o == entity.id}
    holders = {f.o for f in facts if f.p == "holder" and f.s in mandates and f.o}
    return finder.entities[holders.pop()] if len(holders) == 1 else None


def _post_body(finder: EntityFinder, facts: list[Fact], entity: Entity) -> Entity | None:
    """The organisation of a post (or of a mandate's post): "le ministre a notifié" is the ministry's."""
    posts = {entity.id} if entity.cls == "Post" else {f.o for f in facts if f.p == "post" and f.s == entity.id}
    bodies = {f.o for f in facts if f.p == "postIn" and f.s in posts and f.o}
    return finder.entities[bodies.pop()] if len(bodies) == 1 else None


def _subject(finder: EntityFinder, at: int) -> list[tuple[int, int, Entity]]:
    """The entities named right before ``at`` (only blanks and commas between, or the brackets of their
    own acronym: "la Direction générale de l'armement (DGA) a notifié"), longest first."""
    found = []
    for s, e, ident in finder.claimed:
        entity = finder.entities[ident]
        gap = finder.folded[e:at] if e <= at and at - e <= 3 else "-"
        if entity.rule in OWN or not re.fullmatch(r"\)?[\s,]*", gap):
            continue  # an event this module found is no subject
        if gap.startswith(")") and not any(re.fullmatch(r"\s*\(", finder.text[m.end : s]) for m in entity.mentions):
            continue  # "X (Y) a annoncé": Y is X's acronym, or not the subject
        found.append((s, e, entity))
    return sorted(found, key=lambda c: (-c[1], c[0]))


def _actor(
    finder: EntityFinder, facts: list[Fact], ontology: Ontology, at: int
) -> tuple[int, Entity, str | None] | None:
    """Who a verb at ``at`` has as subject: an actor as named, or a post's holder (with the resolution)."""
    for s, e, entity in _subject(finder, at):
        if entity.cls in ("Post", "Mandate"):
            holder = _holder(finder, facts, entity)
            if holder is not None:
                return s, holder, f"« {finder.text[s:e]} » → {holder.label}"
        elif ontology.is_a(entity.cls, "Actor"):
            return s, entity, None
    return None


def announcements(
    finder: EntityFinder, facts: list[Fact], literals: Literals, ontology: Ontology, year: str | None
) -> list[Fact]:
    rules = finder.rules.events
    if not rules.announce_verbs or not rules.announce_nouns:
        return []
    pattern = re.compile(
        rf"(?<![\w'])(?P<verb>{alternation(list(rules.announce_verbs))})(?![\w])"
        rf"(?P<slot>\s*,[^,.;:!?\n]{{1,50}},|(?:\s+{_GRAMMAR}[\w'-]+){{0,4}}?)\s+"
        rf"(?P<np>(?:la|le|les|un|une|l')\s*(?:{alternation(list(rules.announce_nouns))})"
        rf"(?:\s+{_GRAMMAR}[\w-]+)?\s*{_OF})\s*"
    )
    out: list[Fact] = []
    for m in pattern.finditer(finder.folded):
        hit = _named(finder, m.end(), words=2)
        if hit is None or hit[2].cls in _NOT_ABOUT or ontology.is_a(hit[2].cls, "Event"):
            continue
        _, end, about = hit
        label = "annonce " + _of(finder, m.start("np"), " ".join(finder.text[m.start("np") : end].split()))
        event = finder.new(label, "Announcement", rules.confidence, "announcement")
        finder.mention(event, m.start("verb"), end, "reference", "the announcement this clause reports")
        actor = _actor(finder, facts, ontology, m.start("verb"))
        start = actor[0] if actor else m.start("verb")
        conf = rules.confidence
        out.append(Fact.quoted(event, "about", about, None, finder.text, (start, end), "announcement", conf))
        if actor is not None:
            fact = Fact.quoted(event, "announcedBy", actor[1], None, finder.text, (start, end), "announcement", conf)
            fact.resolved = actor[2]
            out.append(fact)
        date = _announced_on(finder, literals, year, m, start)
        if date is not None:
            span = (min(start, date.start), end)
            out.append(Fact.quoted(event, "date", None, date.value, finder.text, span, "announcement-date", conf))
    return out


def _announced_on(
    finder: EntityFinder, literals: Literals, year: str | None, m: re.Match[str], subject: int
) -> Found | None:
    """The date between the verb and the noun ("a annoncé, courant mars, la création"), else the one
    opening the sentence before the subject ("Le 8 mars 2024, le ministre a annoncé")."""
    inside = literals.dates(finder.text, m.end("verb"), m.start("np"), year)
    if inside:
        return inside[0]
    index = finder.a.sentence_of(m.start())
    if index < 0:
        return None
    sentence = finder.a.sentence_span(index)[0]
    opening = literals.dates(finder.text, sentence, subject, year)
    if not opening or not re.match(r"\s*,", finder.folded[opening[0].end : subject]):
        return None
    return opening[0] if re.fullmatch(r"\s*(?:le|en|ce)?\s*", finder.folded[sentence : opening[0].start]) else None


def launches(finder: EntityFinder, literals: Literals, ontology: Ontology, year: str | None) -> list[Fact]:
    rules = finder.rules.events
    if not rules.launch_participles:
        return []
    auxiliaries = alternation(list(rules.launch_auxiliaries)) or r"(?!)"
    verb = re.compile(rf"(?<![\w'])(?P<verb>{alternation(list(rules.launch_participles))})\s+le\s+")
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
        named = _subject(finder, lead_start)
        if not named:
            continue
        s, e, about = named[0]
        if about.cls in _NOT_ABOUT or ontology.is_a(about.cls, "Event"):
            continue
        gender = finder.rules.genders.get(norm(about.label).split(" ")[0])
        if gender is not None and gender != ("feminine" if m.group("verb").rstrip("s").endswith("ee") else "masculine"):
            continue  # "la convention avec Thales, lancée le 3 mai": what was launched is not the name before
        dates = literals.dates(finder.text, m.end(), min(len(finder.text), m.end() + 40), year)
        if not dates or dates[0].start != m.end() or not _DAY.fullmatch(dates[0].value):
            continue
        tail = re.match(r"\s+[^\W\d]+(?=\s*[,;.)\n]|$)", finder.folded[dates[0].end : dates[0].end + 20])
        end = dates[0].end + (tail.end() if tail else 0)  # "le 26 avril prochain"
        quote_end = end + 1 if before.group("mark") == "(" and finder.text[end : end + 1] == ")" else end
        noun = rules.launch_participles[" ".join(m.group("verb").split())]
        label = f"{noun} {_of(finder, s, ' '.join(finder.text[s:e].split()))}"
        event = finder.new(label, "Launch", rules.confidence, "launch")
        finder.mention(event, m.start(), end, "reference", "the launch this clause reports")
        status = "planned" if _status(finder, m.start(), quote_end) == "planned" else None
        for prop, obj, value in (("about", about, None), ("date", None, dates[0].value)):
            fact = Fact.quoted(event, prop, obj, value, finder.text, (s, quote_end), "launch", rules.confidence)
            fact.status = status
            out.append(fact)
    return out


_OF_FORMS = {"du": "du ", "au": "du ", "le": "du ", "des": "des ", "aux": "des ", "les": "des ", "de la": "de la "}
_OF_FORMS |= {"la": "de la ", "de l'": "de l'", "l'": "de l'"}


def _of(finder: EntityFinder, at: int, words: str) -> str:
    """``words`` after "du ", "de la ", "de l'", "d'", from the article's determiner before ``at`` ("au cœur
    du Campus") or at its start ("le lancement" -> "du lancement")."""
    det = re.match(r"(le|la|les|l')\s*(?=\S)", fold(words))
    if det is not None:
        return _OF_FORMS[det.group(1)] + words[det.end() :]
    before = re.search(r"(?<![\w])(de la|de l'|du|des|au|aux|le|la|les|l')\s*$", finder.folded[max(0, at - 8) : at])
    if before is not None:
        return _OF_FORMS[before.group(1)] + words
    return ("d'" if fold(words[:1]) in tuple("aeiou") else "de ") + words


def awards(finder: EntityFinder, facts: list[Fact], ontology: Ontology) -> list[Fact]:
    rules = finder.rules.events
    if not rules.award_verbs:
        return []
    verb = re.compile(
        rf"(?<![\w'])(?P<verb>{alternation(list(rules.award_verbs))})(?![\w])"
        r"(?:\s*,[^,.;:!?\n]{1,40},)?\s+(?P<prep>a|au|aux)\s+"
    )
    out: list[Fact] = []
    for m in verb.finditer(finder.folded):
        authority = _authority(finder, facts, ontology, m.start())
        recipients, at = _recipients(finder, ontology, m.end())
        if authority is None or not recipients:
            continue
        obj = re.match(rf"\s*(?:{_DETERMINER}|des|du|de\s+la)(?![\w])\s*([\w-]+)|\s*l'\s*([\w-]+)", finder.folded[at:])
        if obj is None or (obj.group(1) or obj.group(2)) in rules.award_not_objects:
            continue
        obj_start = at + len(obj.group()) - len(obj.group().lstrip())
        index = finder.a.sentence_of(obj_start)
        sentence_end = finder.a.sentence_span(index)[1] if index >= 0 else len(finder.text)
        stop = re.search(r"[.;:!?\n(]|,(?=\s)", finder.text[obj_start:sentence_end])
        obj_end = obj_start + (stop.start() if stop else len(finder.text[obj_start:sentence_end]))
        inside = sorted((s, e, finder.entities[i]) for s, e, i in finder.claimed if m.start() <= s and e <= obj_end)
        if any(ontology.is_a(x.cls, "Agreement") for _, _, x in inside):
            continue  # "a notifié à X un contrat": the contract is named, the relation rules read it
        noun = rules.award_verbs[" ".join(m.group("verb").split())]
        named = " ".join(finder.text[m.start("prep") : recipients[-1][1]].split())
        label = f"{noun} {named} : {' '.join(finder.text[obj_start:obj_end].split())}"
        contract = finder.new(label, "Contract", rules.confidence, "award")
        finder.mention(contract, m.start("verb"), obj_end, "reference", "the contract this clause awards")
        span, conf, status = (authority[0], obj_end), rules.confidence, _status(finder, m.start(), obj_end)
        found = [("contractingAuthority", authority[1]), ("party", authority[1])]
        found += [(p, r[2]) for r in recipients for p in ("contractor", "party")]
        deliverable = next((x for s, _, x in inside if s >= obj_start and _deliverable(ontology, x)), None)
        found += [("deliverable", deliverable)] if deliverable is not None else []
        for prop, end in found:
            fact = Fact.quoted(contract, prop, end, None, finder.text, span, "award", conf)
            fact.status, fact.resolved = status, authority[2] if end is authority[1] else None
            out.append(fact)
    return out


def _authority(
    finder: EntityFinder, facts: list[Fact], ontology: Ontology, at: int
) -> tuple[int, Entity, str | None] | None:
    """The public body before the verb (data: ``authorities``), as named or the body of the post named
    ("le ministre a notifié"); a company or a body of unknown kind awards no contract here."""
    for s, e, entity in _subject(finder, at):
        body = _post_body(finder, facts, entity) if entity.cls in ("Post", "Mandate") else entity
        if body is None:
            continue
        if body.cls in finder.rules.events.award_authorities:
            return s, body, None if body is entity else f"« {finder.text[s:e]} » → {body.label}"
        return None
    return None


def _recipients(finder: EntityFinder, ontology: Ontology, at: int) -> tuple[list[tuple[int, int, Entity]], int]:
    """The organisations a contract is awarded to, "au groupement A/B", "à Thales et à Safran", and where
    their names end."""
    found: list[tuple[int, int, Entity]] = []
    end = at
    while True:
        hit = _named(finder, at)
        if hit is None or not ontology.is_a(hit[2].cls, "Organization"):
            break
        if hit[2].cls in finder.rules.events.award_not_recipients:
            return [], at
        found.append(hit)
        end = hit[1]
        join = re.match(r"\s*,\s*(?:a|au|aux)?\s+|\s+et\s+(?:(?:a|au|aux)\s+)?", finder.folded[end : end + 8])
        if join is None:
            break
        at = end + join.end()
    return found, end


def _deliverable(ontology: Ontology, entity: Entity) -> bool:
    """What a contract delivers: a thing, not an actor, a place, a subject area, a figure or an event."""
    if entity.cls in _NOT_ABOUT:
        return False
    return not any(ontology.is_a(entity.cls, c) for c in ("Actor", "Place", "Event", "Agreement"))
