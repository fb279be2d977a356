"""What a post's title is, how far it runs, and the body it names.

* Form (:func:`title_pattern`): a title word of data/posts.yaml, up to two function or
  nationality adjectives ("directeur technique", "ministre français"), and a complement after
  a link; before it, a determiner and a word that says when the post is held ("alors",
  "l'ancien", "le premier"). A title holds no auxiliary and no main verb (:func:`verbless`).

* Extent: a title read by :func:`iadef.ingest.structures.posts` stops at the first comma
  or bracket. It goes on through
  - an acronym in brackets and the place or body written right after it: "Secrétaire
    général adjoint pour les affaires régionales (SGAR) Normandie";
  - a list of complements introduced by the same preposition as the title's last one, up
    to its last item after "et": "vice-présidente déléguée à la formation, à la recherche
    et à l'innovation", "ministre des Armées et des Anciens combattants" (but not ", de
    passage à Caen"). An item is a preposition, a determiner and nouns or adjectives (the
    model's parts of speech); a person's name is never an item ("… et de Claire Duval" is
    the next person, not the title). After "de la stratégie", items need not repeat the
    preposition: "en charge de la stratégie, l'innovation et la recherche" (but a title is no
    item: "…, le préfet et le recteur" are the next persons);
  - the body named right after it: "… et la recherche de Thales".
* Head: the title's words before the body it names ("directeur général" of "directeur
  général de Bpifrance") are a mention of the post too; a new name right after the title's
  link is that body (:func:`named_body`).
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
from iadef.ingest.literals import alternation
from iadef.ingest.model import Entity
from iadef.ingest.rules import Rules
from iadef.ingest.textutil import norm

_ACRONYM_AFTER = re.compile(rf"[ \t]*\(\s*{ACRONYM}\s*\)")
_ITEM = re.compile(r"[ \t]*(?:,[ \t]*)?(et[ \t]+)?(?:(a|au|aux|de|du|des)[ \t]+|(d)')(?:(?:la|le|les)[ \t]+|l'[ \t]*)?")
_PREPOSITION = re.compile(r"(?<![\w'])(a|au|aux|de|du|des|d')(?=[\s]|(?<=')\w)")
# a list item after a complement "de la stratégie" that does not repeat its preposition: ", l'innovation et la …"
_BARE_AFTER = re.compile(
    r"(?<![\w'])(?:de|du|des|d')\s+(?:la|le|les)\s|(?<![\w'])(?:de|d')\s*l'|(?<![\w'])(?:du|des)\s"
)
_BARE_ITEM = re.compile(r"[ \t]*(?:,[ \t]*|[ \t]+(?=et))(et[ \t]+)?(?:(?:la|le|les)[ \t]+|l'[ \t]*)")
_OF = re.compile(r"[ \t]+(?:de|du|des|d')[ \t]*(?:(?:la|le|les)[ \t]+|l'[ \t]*)?")
_FAMILY = {"a": "a", "au": "a", "aux": "a", "de": "de", "du": "de", "des": "de", "d'": "de", "d": "de"}
_NOMINAL = ("NOUN", "PROPN", "ADJ")
_LINKS = frozenset({"de", "du", "des", "d", "la", "le", "les", "l", "pour", "a", "au", "aux", "et", "en", "sur", "of"})
_DETERMINED = re.compile(r"(?:\b(?:la|le|les|du|des|au|aux)|l')\s*$")
_PLACES = ("Territory", "City", "Country", "Region", "Site")
_DET = r"(?:l['’]\s*|la\s+|le\s+|les\s+|sa\s+|son\s+|notre\s+)?"
_HEAD_TAIL = re.compile(
    r"(?:\s*[(,])?\s*(?:(?<![\w'])(?:de|du|des|d'|au|aux|a|chez|pour)\s*(?:la\s+|le\s+|les\s+|l')?(?:[a-z-]+\s+)?)?$"
)


def title_pattern(rules: Rules) -> tuple[str, str]:
    """The regular expressions (on folded text) of a title (group ``title``: its words, a function or
    nationality adjective, and a complement after a link) and of what may come before it (group ``when``:
    a determiner, and a word that says when the post is held, "alors", "l'ancien", "le premier")."""
    alt = alternation
    words = rules.title_words
    qualifiers = alt([*rules.title_modifiers, *words["nationalities"]])
    links = alt(rules.title_links)
    title = (
        rf"(?P<title>(?:{alt(rules.titles)})(?:\s+(?:{qualifiers})(?![\w-])){{0,2}}"
        rf"(?:\s+(?:{links})\s*[^,;.()\n]{{2,80}}?)?)"
    )
    early = rf"(?:(?:{alt(words['before'])})(?:\s+|-))"  # lazy: "Premier ministre" is a title, not "premier"
    return title, rf"(?P<when>{early}??{_DET}{early}??)"


def verbless(finder: EntityFinder, start: int, end: int) -> bool:
    """Whether ``[start, end)`` holds no auxiliary and no main verb: a title, not a clause."""
    return not any(
        start <= t.start < end and (t.pos == "AUX" or (t.pos == "VERB" and t.dep == "ROOT")) for t in finder.a.tokens
    )


def named_complement(finder: EntityFinder, title: tuple[int, int]) -> bool:
    """Whether a title names what it is the title of by a capitalised word after its link ("ministre de la
    Défense"), outside brackets: a post even when the article names no such body ("chef de projet" is none)."""
    words = finder.text[title[0] : title[1]]
    link = re.search(r"\s(?:de|du|des|d['’]|pour|aux?|à|en charge)(?:\s|(?<=['’]))", words)
    return (
        link is not None and re.search(r"(?<![\w])[A-ZÀ-Ý]", re.sub(r"\([^()]*\)", "", words[link.end() :])) is not None
    )


def head_mention(finder: EntityFinder, post: Entity, title: tuple[int, int], body: Entity | None) -> None:
    """ "directeur général de cortAIx France", "Directrice du centre DGA Maîtrise de l'information": the words
    of the title before the body it names ("directeur général", "Directrice") are a mention of the post too."""
    if body is None:
        return
    inside = [m.start for m in body.mentions if title[0] < m.start and m.end <= title[1]]
    if not inside:
        return
    tail = _HEAD_TAIL.search(finder.folded[title[0] : min(inside)])
    end = title[0] + (tail.start() if tail else min(inside) - title[0])
    if end > title[0] and re.search(r"\w", finder.text[title[0] : end]):
        finder.mention(post, title[0], end)


def named_body(finder: EntityFinder, title: tuple[int, int]) -> Entity | None:
    """ "directeur général de Bpifrance", "… de cortAIx France": a name the NER found right after the title's
    first link, with no determiner ("de la Communication" is a function), that no entity but a place inside it
    claims, is the body the post belongs to: a new Organization (the places inside it, "France", are words of
    its name). A new name the NER called a place, after an executive's title ("directeur général de
    NovaRobotix"), is an Organization too: places have mayors and prefects, not directors (data/posts.yaml
    ``executives``)."""
    rules = finder.rules
    alt = alternation
    qualifiers = alt([*rules.title_modifiers, *rules.title_words["nationalities"]])
    lead = re.compile(rf"(?:{alt(rules.titles)})(?:\s+(?:{qualifiers})){{0,2}}\s+(?:{alt(rules.title_links)})\s*")
    for span in finder.a.ents:
        if span.label == "PER" or not (title[0] < span.start and span.end <= title[1]):
            continue
        led = lead.fullmatch(finder.folded, title[0], span.start)
        name = norm(finder.text[span.start : span.end])
        if led is None or name in rules.references or name in rules.heads:
            continue  # "vice-présidente de la Région": a reference (iadef.ingest.references), not a name
        if _DETERMINED.search(led.group()):
            continue  # "directeur de la Communication", "de la Franche Comté Numérique": a function, or a doubt
        claims = [(s, e, i) for s, e, i in finder.claimed if s < span.end and e > span.start]
        exact = [finder.entities[i] for s, e, i in claims if (s, e) == (span.start, span.end)]
        head = post_key(rules, finder.text[title[0] : span.start]).split(" ")[0]
        if exact and len(claims) == 1 and _new_place(exact[0]) and head in rules.title_words["executives"]:
            exact[0].cls, exact[0].confidence, exact[0].rule = "Organization", 0.4, "ner-loc-headed"
            return exact[0]
        if exact or any(finder.entities[i].cls not in _PLACES for s, e, i in claims):
            continue
        for s, e, ident in claims:
            other = finder.entities[ident]
            finder.claimed.remove((s, e, ident))
            other.mentions = [m for m in other.mentions if not (m.start == s and m.end == e)]
        body = finder.new(finder.text[span.start : span.end], "Organization", 0.5, "post-body")
        finder.mention(body, span.start, span.end)
        return body
    return None


def _new_place(entity: Entity) -> bool:
    return entity.cls == "City" and entity.existing is None and entity.rule.startswith("ner-")


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
    bare = _BARE_AFTER.search(finder.folded[start:end]) is not None  # "de la stratégie": ", l'innovation" may follow
    at = end
    for _ in range(8):  # a list is read up to its last item, after "et": ", de passage à Caen" is no list
        item = _ITEM.match(finder.folded, at)
        if family is None or item is None or _FAMILY[item.group(2) or item.group(3)] != family:
            item = _BARE_ITEM.match(finder.folded, at) if bare and family is not None else None
            if item is None or finder.text[item.end()].isupper() or _is_title(finder, item.end()):
                break
        stop = _nominal_end(finder, item.end())
        if stop is None or _has_person(finder, item.start(), stop):
            break
        at = stop
        if item.group(1):  # the item after "et": the list's last
            end = stop
    body = _OF.match(finder.folded, end)  # "… et la recherche de Thales": the body the title ends with
    if body is not None:
        named = _mention_at(finder, body.end())
        if named is not None and not _is_place(finder, body.end()):
            end = named
    return end


def _is_title(finder: EntityFinder, at: int) -> bool:
    """Whether a title starts at ``at`` ("…, le préfet et le recteur": the next persons, not a list item)."""
    words = finder.folded[at : at + 40]
    return any(words.startswith(t) and not re.match(r"[\w-]", words[len(t) : len(t) + 1]) for t in finder.rules.titles)


def _is_place(finder: EntityFinder, at: int) -> bool:
    return any(s == at and finder.entities[ident].cls in _PLACES for s, e, ident in finder.claimed)


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
