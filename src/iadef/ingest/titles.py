"""How far a post's title runs, and the body a title's own initials name.

* Extent: a title read by :func:`iadef.ingest.structures.posts` stops at the first comma
  or bracket. It goes on through
  - an acronym in brackets and the place or body written right after it: "Secrétaire
    général adjoint pour les affaires régionales (SGAR) Normandie";
  - a list of complements introduced by the same preposition as the title's last one, up
    to its last item after "et": "vice-présidente déléguée à la formation, à la recherche
    et à l'innovation", "ministre des Armées et des Anciens combattants" (but not ", de
    passage à Caen"). An item is a preposition, a determiner and nouns or adjectives (the
    model's parts of speech); a person's name is never an item ("… et de Claire Duval" is
    the next person, not the title).
* Initials: "Secrétaire général pour les affaires régionales" is the head of the body
  whose acronym its words' initials spell (SGAR), when the article names that acronym or
  the gazetteer knows it: the acronym's capitals are the initials of the title's first
  content words, in order (links such as "pour les" and a deputy's modifier such as
  "adjoint" skipped), before any name written inside the title ("directeur général adjoint
  de l'Agence …" spells nothing: the Agence is named).
"""

from __future__ import annotations

import re

from iadef.ingest.acronyms import ACRONYM
from iadef.ingest.entities import EntityFinder
from iadef.ingest.model import Entity
from iadef.ingest.rules import Rules
from iadef.ingest.textutil import norm

_ACRONYM_AFTER = re.compile(rf"[ \t]*\(\s*{ACRONYM}\s*\)")
_ITEM = re.compile(r"[ \t]*(?:,[ \t]*)?(et[ \t]+)?(?:(a|au|aux|de|du|des)[ \t]+|(d)')(?:(?:la|le|les)[ \t]+|l'[ \t]*)?")
_PREPOSITION = re.compile(r"(?<![\w'])(a|au|aux|de|du|des|d')(?=[\s]|(?<=')\w)")
_FAMILY = {"a": "a", "au": "a", "aux": "a", "de": "de", "du": "de", "des": "de", "d'": "de", "d": "de"}
_NOMINAL = ("NOUN", "PROPN", "ADJ")
_LINKS = frozenset({"de", "du", "des", "d", "la", "le", "les", "l", "pour", "a", "au", "aux", "et", "en", "sur", "of"})
_PLACES = ("Territory", "City", "Country", "Region", "Site")


def title_end(finder: EntityFinder, start: int, end: int) -> int:
    """The end of the title ``[start, end)`` once its bracketed acronym and its lists are read."""
    bracket = _ACRONYM_AFTER.match(finder.text, end)
    if bracket is not None:
        end = bracket.end()
        after = re.match(r"[ \t]+", finder.text[end:])
        if after is not None:
            place = _mention_at(finder, end + after.end())
            if place is not None:
                end = place
    family = _last_family(finder.folded[start:end])
    at = end
    for _ in range(8):  # a list is read up to its last item, after "et": ", de passage à Caen" is no list
        item = _ITEM.match(finder.folded, at)
        if family is None or item is None or _FAMILY[item.group(2) or item.group(3)] != family:
            break
        stop = _nominal_end(finder, item.end())
        if stop is None or _has_person(finder, item.start(), stop):
            break
        at = stop
        if item.group(1):
            end = stop
    return end


def _last_family(title: str) -> str | None:
    found = list(_PREPOSITION.finditer(title))
    return _FAMILY[found[-1].group(1)] if found else None


def _mention_at(finder: EntityFinder, at: int) -> int | None:
    """The end of a place or organisation named from ``at``: "(SGAR) Normandie"."""
    for s, e, ident in finder.claimed:
        entity = finder.entities[ident]
        if s == at and entity.cls not in ("Person", "Post", "Mandate", "Topic"):
            return e
    return None


def _nominal_end(finder: EntityFinder, at: int) -> int | None:
    """The end of the nouns and adjectives that start at ``at`` (same line), or None."""
    tokens = finder.a.tokens
    first = finder.a.token_at(at)
    if first >= len(tokens) or tokens[first].start != at or tokens[first].pos not in _NOMINAL:
        return None
    stop = tokens[first].end
    for token in tokens[first + 1 : first + 6]:
        gap = finder.text[stop : token.start]
        if "\n" in gap or gap.strip() or not (token.pos in _NOMINAL or token.text == "-"):
            break
        stop = token.end
    return stop if finder.text[stop - 1] != "-" else None


def _has_person(finder: EntityFinder, start: int, end: int) -> bool:
    return any(s < end and e > start and finder.entities[ident].cls == "Person" for s, e, ident in finder.claimed)


def initials_body(finder: EntityFinder, title: tuple[int, int]) -> Entity | None:
    """The organisation whose acronym the title's words spell ("Secrétaire général pour les affaires
    régionales" → the SGAR), named in the article or known to the gazetteer; None when none fits."""
    named_inside = min(
        (s for s, e, ident in finder.claimed if title[0] <= s and e <= title[1] and not _loose(finder.entities[ident])),
        default=title[1],
    )
    found = list(re.finditer(r"[^\s'()]+", finder.folded[title[0] : named_inside]))  # up to a name inside
    words = [w.group() for w in found]
    deputies = set(finder.rules.title_deputies)
    candidates: list[tuple[str, Entity | str]] = []
    for entity in finder.entities.values():
        if entity.cls not in ("Post", "Mandate", "Person", "Topic", *_PLACES):
            candidates += [(m.text, entity) for m in entity.mentions if m.kind == "acronym"]
    candidates.sort(key=lambda pair: (-len(pair[0]), pair[0]))
    for acronym, key in sorted(finder.g.by_acronym.items()):
        if finder.g.known[key].cls not in ("Post", "Mandate", "Person", "Topic", *_PLACES):
            candidates.append((acronym, key))
    for acronym, body in candidates:
        used = _spells(_capitals(acronym), words, deputies)
        if used:
            spelled = title[0] + found[used - 1].end()
            for s, e, ident in list(finder.claimed):  # "Affaires Régionales": words of the title, not a name
                other = finder.entities[ident]
                if title[0] <= s and e <= spelled and _loose(other):
                    finder.claimed.remove((s, e, ident))
                    other.mentions = [m for m in other.mentions if not (m.start == s and m.end == e)]
            if isinstance(body, Entity):
                return body
            known = finder.known(body)
            if not known.mentions:  # named only through the title: the title is its mention
                text = finder.text[title[0] : title[1]]
                finder.mention(known, title[0], title[1], "reference", f"{text} → {acronym} = {known.label}")
            return known
    return None


def _loose(entity: Entity) -> bool:
    """A capitalised span the NER took for a name, with no head word to class it ("Affaires Régionales")."""
    return entity.rule.startswith("ner-") and entity.cls == "Organization"


def _capitals(acronym: str) -> str:
    return "".join(c.lower() for c in acronym if c.isupper() or c.isdigit())


def _spells(letters: str, words: list[str], deputies: set[str]) -> int:
    """How many words of the title spell the letters as the initials of its first content words (a
    deputy's modifier skipped); 0 when they do not, or when they stop at the title's first word."""
    if len(letters) < 3:
        return 0

    def match(i: int, w: int) -> int:
        if i == len(letters):
            return w if w >= 2 else 0
        if w == len(words):
            return 0
        word = words[w]
        if word in _LINKS or (w > 0 and word in deputies):
            return match(i, w + 1)
        return match(i + 1, w + 1) if word[0] == letters[i] else 0

    return match(0, 0)


_MASCULINE = (("trice", "teur"), ("ee", "e"), ("ale", "al"), ("ente", "ent"), ("ointe", "oint"), ("iere", "ier"))


def post_key(rules: Rules, title: str) -> str:
    """What makes two titles one post (with one organisation): the title word and its modifiers,
    whatever the gender ("présidente" = "président"; "secrétaire général adjoint" ≠ "secrétaire général")."""
    words = norm(title).split(" ")
    head = next((t for t in rules.titles if " ".join(words[: len(t.split(" "))]) == t), words[0])
    key = head.split(" ")
    for word in words[len(key) :]:
        if word not in rules.title_modifiers:
            break
        key.append(word)
    return " ".join(_masculine(w) for w in key)


def _masculine(word: str) -> str:
    for suffix, replacement in _MASCULINE:
        if word.endswith(suffix):
            return word[: -len(suffix)] + replacement
    return word
