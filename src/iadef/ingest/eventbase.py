"""What the event rules share (iadef.ingest.events, launches, awards): who acts on a verb, what is named
after it, and the words of time and place that may stand between the two.

The actor of a verb is the entity named right before it ("la Direction générale de l'armement a
notifié"; a post's holder when the article's mandates name one), else the subject the parser gives the
verb, or the verb it is coordinated with or depends on ("X, ministre des Armées, a inauguré … et
annoncé", "la DGA a annoncé avoir commandé"): an apposition does not hide the person before it.
"""

from __future__ import annotations

import re

from iadef.curation.ontology import Ontology
from iadef.ingest.entities import EntityFinder
from iadef.ingest.literals import Found, Literals, alternation
from iadef.ingest.model import Entity, Fact
from iadef.ingest.textutil import fold, word_pattern

NOT_ABOUT = ("Person", "Post", "Mandate", "Topic", "Budget", "Headcount", "City", "Country", "Territory")
# words a name is not made of, and that no insertion ("vendredi 8 mars") or adjective ("prochain") is
GRAMMAR = (
    r"(?!(?:de|du|des|d|le|la|les|l|un|une|que|qu|pour|sur|en|a|au|aux|avec|dans|par|et|ou|ne|pas|se|son|sa|ses)"
    r"(?![\w-]))"
)
DETERMINER = r"(?:la|le|les|l'|un|une|ce|cet|cette|ces|son|sa|ses|leur|leurs|notre|nos)"
OF = r"(?:de\s+la|de\s+l'|du|des|de|d')"
# the rules of the events' own entities (the relation rules leave them alone), and those they date
OWN = ("announcement", "launch", "award", "inauguration", "order", "won-contract")
DATED = ("announcement", "launch", "inauguration")
DAY = re.compile(r"(?:\d{4}|-)-\d\d-\d\d")
Named = tuple[int, int, Entity]


def status_of(finder: EntityFinder, start: int, end: int) -> str | None:
    """The status the words of ``text[start:end]`` give (data/statuses.yaml, first that occurs)."""
    for status, words in finder.rules.statuses:
        if any(re.search(word_pattern(w), finder.folded[start:end]) for w in words):
            return status
    return None


def named(finder: EntityFinder, at: int, words: int = 0, bracketed: bool = False) -> Named | None:
    """The entity named at ``at``, after a determiner and up to ``words`` lower-case words ("cette agence
    AMIAD") or, with none, one name head ("la société Exail"); ``bracketed``: or the acronym in brackets
    after a lower-case description that names nothing but topics ("le commandement militaire de la
    cyberdéfense (Comcyber)"), the span running from the description."""
    det = re.match(rf"{DETERMINER}(?![\w])\s*|l'\s*", finder.folded[at : at + 8])
    at += det.end() if det else 0
    start, hit = at, None
    for attempt in range(max(words, 1) + 1):
        hit = finder.named_at(at)
        if hit is not None or attempt == max(words, 1):
            break
        word = re.match(rf"{GRAMMAR}([\w-]+)\s+", finder.folded[at : at + 40])
        if word is None or not finder.text[at].islower():
            break
        if not words and word.group(1) not in finder.rules.name_heads:
            break
        at += word.end()
    if hit is not None or not bracketed or not finder.text[start : start + 1].islower():
        return hit
    phrase = re.match(r"[^,.;:!?()\n«»]{1,80}?\(\s*", finder.folded[start:])
    stop = start + phrase.end() if phrase else start
    if any(start <= s and e <= stop and finder.entities[i].cls != "Topic" for s, e, i in finder.claimed):
        return None  # "l'ambition de l'Agence … (ANRD)": the brackets are those of a name inside
    inner = finder.named_at(stop) if phrase else None
    close = re.match(r"\s*\)", finder.folded[inner[1] :]) if inner else None
    return (start, inner[1] + close.end(), inner[2]) if inner and close else None


def holder(finder: EntityFinder, facts: list[Fact], entity: Entity) -> Entity | None:
    """The one person who holds a post (or a mandate) in the article's mandates, if one."""
    mandates = {entity.id} if entity.cls == "Mandate" else {f.s for f in facts if f.p == "post" and f.o == entity.id}
    holders = {f.o for f in facts if f.p == "holder" and f.s in mandates and f.o}
    return finder.entities[holders.pop()] if len(holders) == 1 else None


def post_body(finder: EntityFinder, facts: list[Fact], entity: Entity) -> Entity | None:
    """The organisation of a post (or of a mandate's post): "le ministre a notifié" is the ministry's."""
    posts = {entity.id} if entity.cls == "Post" else {f.o for f in facts if f.p == "post" and f.s == entity.id}
    bodies = {f.o for f in facts if f.p == "postIn" and f.s in posts and f.o}
    return finder.entities[bodies.pop()] if len(bodies) == 1 else None


def subject(finder: EntityFinder, at: int) -> list[Named]:
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


def parsed_subject(finder: EntityFinder, start: int, end: int) -> list[Named]:
    """The entities the parser makes the subject of the verb in ``text[start:end]``, or of the verb it is
    coordinated with or is the complement of; those of its apposed post last."""
    tokens = finder.a.tokens
    verbs = [t for t in tokens if start <= t.start < end and t.pos == "VERB"] if finder.a.parsed else []
    if not verbs:
        return []
    verb = verbs[-1]
    for _ in range(3):
        nsubj = [t for t in tokens if t.head == verb.i and t.dep == "nsubj" and t.i != verb.i]
        if nsubj:
            at = nsubj[0].start
            found = [(s, e, finder.entities[i]) for s, e, i in finder.claimed if s <= at < e]
            found = [c for c in found if c[2].rule not in OWN]
            return sorted(found, key=lambda c: (c[2].cls in ("Post", "Mandate"), c[0] - c[1]))
        if verb.dep not in ("conj", "xcomp") or verb.head == verb.i:
            return []
        verb = tokens[verb.head]
    return []


def actor(
    finder: EntityFinder, facts: list[Fact], ontology: Ontology, at: int, end: int | None = None
) -> tuple[int, Entity, str | None] | None:
    """Who a verb at ``at`` has as subject: an actor as named, or a post's holder (with the resolution);
    with ``end`` (the verb's end), the parser's subject when no name stands right before."""
    named_before = subject(finder, at)
    for s, e, entity in named_before + (parsed_subject(finder, at, end) if end and not named_before else []):
        if entity.cls in ("Post", "Mandate"):
            person = holder(finder, facts, entity)
            if person is not None:
                return s, person, f"« {finder.text[s:e]} » → {person.label}"
        elif ontology.is_a(entity.cls, "Actor"):
            return s, entity, None
    return None


def slot(
    finder: EntityFinder, literals: Literals, ontology: Ontology, at: int, year: str | None
) -> tuple[int, list[Found], list[Named]]:
    """The words of time and place right after a verb ("ce jeudi 3 octobre à Rennes,", "le 8 septembre
    dernier", "mardi dernier"): where they end (after a comma closing them), the dates and the places
    they name."""
    time = rf"(?:{alternation(finder.rules.events.time_words) or '(?!)'}|[a-z]+ment)(?![\w'])"
    dates = literals.dates(finder.text, at, min(len(finder.text), at + 120), year)
    found_dates: list[Found] = []
    places: list[Named] = []
    end = at
    for _ in range(8):
        pos = end + _length(r"\s*,?\s*", finder.folded[end:])
        lead = re.match(rf"(?:(?:le|ce)\s+)?(?:{time}\s+)*", finder.folded[pos:])
        date = next((d for d in dates if d.start == pos + (lead.end() if lead else 0)), None)
        place = re.match(r"(?:a|au|en|dans)\s+", finder.folded[pos:])
        hit = named(finder, pos + place.end()) if place else None
        if date is not None:
            found_dates.append(date)
            end = date.end + _length(rf"(?:\s+{time})*", finder.folded[date.end :])
        elif hit is not None and ontology.is_a(hit[2].cls, "Place"):
            places.append(hit)
            end = hit[1]
        elif word := re.match(rf"(?:(?:ce|cette)\s+)?{time}", finder.folded[pos:]):  # "ce matin", "mardi"
            end = pos + word.end()
        else:
            break
    end += _length(r"\s*,", finder.folded[end:]) if end > at else 0  # "a inauguré le 3 mai à Rennes, le …"
    return end, found_dates, places


def _length(pattern: str, text: str) -> int:
    m = re.match(pattern, text)
    return m.end() if m else 0


def opening_date(
    finder: EntityFinder, literals: Literals, year: str | None, at: int, subject_start: int
) -> Found | None:
    """The date opening the sentence of ``at`` before the subject ("Le 8 mars 2024, le ministre a annoncé",
    "C'est à Paris le 2 mai que X a inauguré")."""
    index = finder.a.sentence_of(at)
    if index < 0:
        return None
    sentence = finder.a.sentence_span(index)[0]
    opening = literals.dates(finder.text, sentence, subject_start, year)
    if not opening:
        return None
    before, after = finder.folded[sentence : opening[0].start], finder.folded[opening[0].end : subject_start]
    if re.fullmatch(r"\s*(?:le|en|ce)?\s*", before) and re.match(r"\s*,", after):
        return opening[0]
    if re.fullmatch(r"\s*c'est\s+(?:[^,.;]{0,60}\s)?(?:le\s+)?", before) and re.match(r"\s+qu(?:e\s|')", after):
        return opening[0]
    return None


_OF_FORMS = {"du": "du ", "au": "du ", "le": "du ", "des": "des ", "aux": "des ", "les": "des ", "de la": "de la "}
_OF_FORMS |= {"la": "de la ", "de l'": "de l'", "l'": "de l'"}


def of_phrase(finder: EntityFinder, at: int, words: str) -> str:
    """``words`` after "du ", "de la ", "de l'", "d'", from the article's determiner before ``at`` ("au cœur
    du Campus") or at its start ("le lancement" -> "du lancement")."""
    det = re.match(r"(le|la|les|l')\s*(?=\S)", fold(words))
    if det is not None:
        return _OF_FORMS[det.group(1)] + words[det.end() :]
    before = re.search(r"(?<![\w])(de la|de l'|du|des|au|aux|le|la|les|l')\s*$", finder.folded[max(0, at - 8) : at])
    if before is not None:
        return _OF_FORMS[before.group(1)] + words
    return ("d'" if fold(words[:1]) in tuple("aeiou") else "de ") + words


def object_end(finder: EntityFinder, start: int) -> int:
    """Where the phrase starting at ``start`` ends: at the first stop, comma or bracket of its sentence."""
    index = finder.a.sentence_of(start)
    sentence_end = finder.a.sentence_span(index)[1] if index >= 0 else len(finder.text)
    stop = re.search(r"[.;:!?\n(]|,(?=\s)", finder.text[start:sentence_end])
    return start + (stop.start() if stop else len(finder.text[start:sentence_end]))


def retype(entity: Entity, cls: str, rule: str, places: bool = False) -> bool:
    """A new name the NER called a person (with ``places``, or a place) that an event's words show is not one
    ("le rachat de X", "a inauguré X"): the class those words give, with a lower confidence and the rule
    that said so. False when the entity stays a person (or a place)."""
    kinds = {"Person": "ner-per", "City": "ner-loc"} if places else {"Person": "ner-per"}
    if entity.cls not in kinds:
        return entity.cls not in ("Person", "City")
    if entity.rule != kinds[entity.cls] or entity.existing is not None:
        return False
    entity.cls, entity.confidence, entity.rule = cls, 0.4, rule
    return True
