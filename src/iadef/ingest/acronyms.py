"""Acronym definitions written in the text tie two forms of one name.

Three shapes, as in French news and institutional pages:
  "Agence de l'innovation de défense (AID)"      long form, then the acronym in brackets
  "le SHOM (Service hydrographique … Marine)"      acronym, then the long form in brackets
  "l'AMIAD, l'Agence ministérielle pour …"         acronym, a comma, then the long form
A pair counts only when the acronym's letters appear, in order, at word starts of the
long form (Schwartz & Hearst, 2003), so "(2024)" or "(voir encadré)" are not acronyms.
:func:`tie_definitions` is the entity finder's step that makes each pair one entity.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Protocol

from iadef.ingest.references import EntityFinder as Finder
from iadef.ingest.ruleio import ClassRule
from iadef.ingest.rules import Rules
from iadef.ingest.textutil import norm, word_pattern

ACRONYM = r"[A-Z][A-Za-z0-9&]*[A-Z0-9][A-Za-z0-9&]*"
_BEFORE = re.compile(rf"\(\s*({ACRONYM})\s*\)")
_AFTER = re.compile(rf"(?<![\w])({ACRONYM})\s*\(([^()\n]{{4,120}})\)")
_APPOSED = re.compile(
    rf"(?<![\w])({ACRONYM}),\s*(?:ou\s+|or\s+)?(?:l['’]\s*|la\s+|le\s+|les\s+|the\s+)?([A-ZÀ-Ý][^,.;()\n]{{4,120}})"
)
_DETERMINER = re.compile(r"^(?:l['’]\s*|la\s+|le\s+|les\s+|the\s+|du\s+|de\s+la\s+|des\s+|d['’]\s*)", re.IGNORECASE)


@dataclass(frozen=True)
class Definition:
    acronym: tuple[int, int]
    long: tuple[int, int]


def _fits(acronym: str, long_form: str) -> int | None:
    """Where the shortest long-form suffix explaining the acronym starts, or None."""
    letters = [c.lower() for c in acronym if c.isalnum()]
    if len(letters) < 2:
        return None
    text = long_form.lower()
    index = len(text) - 1
    for position in range(len(letters) - 1, -1, -1):
        char = letters[position]
        while index >= 0:
            at_word_start = index == 0 or not text[index - 1].isalnum()
            if text[index] == char and (position > 0 or at_word_start):
                break
            index -= 1
        if index < 0:
            return None
        index -= 1
    start = index + 1
    while start > 0 and text[start - 1].isalnum():
        start -= 1
    words_used = len(long_form[start:].split())
    return start if words_used <= len(letters) + 5 else None


def find_definitions(text: str) -> list[Definition]:
    found: list[Definition] = []
    for m in _BEFORE.finditer(text):
        acronym = m.group(1)
        window_start = max(0, m.start() - 160)
        window = text[window_start : m.start()]
        window = window[max(window.rfind("\n"), window.rfind("("), window.rfind(";")) + 1 :]
        offset = m.start() - len(window)
        trimmed = window.rstrip()
        at = _fits(acronym, trimmed)
        if at is not None:
            start, end = offset + at, offset + len(trimmed)
            if text[start].isupper() or text[start:end].split()[0].lower() in _LOWER_HEADS:
                found.append(Definition((m.start(1), m.end(1)), (start, end)))
    for m in _AFTER.finditer(text):
        inner_start = m.start(2) + len(m.group(2)) - len(m.group(2).lstrip())
        inner = _DETERMINER.sub("", text[inner_start : m.end(2)])
        inner_start = m.end(2) - len(inner)
        if _fits(m.group(1), inner) == 0:
            found.append(Definition((m.start(1), m.end(1)), (inner_start, inner_start + len(inner.rstrip()))))
    for m in _APPOSED.finditer(text):
        long_form = m.group(2).rstrip()
        at = _fits(m.group(1), long_form)
        if at == 0:
            end = _trim_tail(m.group(1), long_form)
            found.append(Definition((m.start(1), m.end(1)), (m.start(2), m.start(2) + end)))
    unique: dict[tuple[int, int], Definition] = {}
    for definition in found:
        unique.setdefault(definition.acronym, definition)
    return sorted(unique.values(), key=lambda d: d.acronym)


_LINKS = ("de", "du", "des", "d'", "d’", "pour", "à", "en", "la", "le", "l'", "l’", "et")
_LOWER_HEADS = ("base", "loi", "pôle", "pole", "service", "direction", "agence", "commandement")


def _trim_tail(acronym: str, long_form: str) -> int:
    """Cut a long form after the word that explains the acronym's last letter (", est la …" is not part of it)."""
    words = list(re.finditer(r"\S+", long_form))
    for count in range(1, len(words) + 1):
        candidate = long_form[: words[count - 1].end()]
        if _fits(acronym, candidate) == 0 and count >= len(acronym) - 1:
            last = count
            while last < len(words) and words[last - 1].group().lower() in _LINKS:
                last += 1
            candidate = long_form[: words[last - 1].end()]
            rest = long_form[words[last - 1].end() :]
            tail = re.match(r"(\s+(?:de la|de l['’]|des|du|de|d['’]|pour|à|en)\s*[^\s,;.()]+)+", rest)
            return len(candidate) + (len(tail.group()) if tail else 0)
    return len(long_form)


def title_body(rules: Rules, long_form: str) -> str | None:
    """ "Secrétaire général pour les affaires régionales (SGAR)": a long form that is a post's title
    (data/posts.yaml) defines the acronym of the body the post heads. The body's name is the title
    with its head word rewritten (``organisation``: secrétaire → secrétariat), for its class; "" when
    the title names no body ("Chef d'état-major (CEM)"); None when the long form is not a title."""
    words = norm(long_form).split(" ")
    if not any(" ".join(words[: len(t.split(" "))]) == t for t in rules.titles):
        return None
    rewrite = rules.title_orgs.get(words[0])
    return " ".join([norm(rewrite), *words[1:]]) if rewrite else ""


class EntityFinder(Finder, Protocol):
    """What :func:`tie_definitions` uses of :class:`iadef.ingest.entities.EntityFinder` (no import: no circle)."""

    def classify(self, text: str, label: str) -> ClassRule | None: ...


_LEADING = re.compile(r"^(?:l['’]\s*|la\s+|le\s+|les\s+|un\s+|une\s+|des\s+|du\s+|d['’]\s*|the\s+)", re.IGNORECASE)


def tie_definitions(finder: EntityFinder) -> None:
    """Each definition of the text is one entity: the one already holding the acronym or the long form
    (a name starting where the long form starts; a topic inside it is not that name), else a new one
    classed by the long form's head word, mentioned by both forms wherever they occur unclaimed."""
    text, rules = finder.text, finder.rules
    for definition in find_definitions(text):
        (a_start, a_end), (l_start, l_end) = definition.acronym, definition.long
        acronym, long_form = text[a_start:a_end], _LEADING.sub("", text[l_start:l_end])
        l_start = l_end - len(long_form)
        if norm(long_form) in rules.not_entities or acronym.upper() in {n.upper() for n in rules.not_entities}:
            continue
        body = title_body(rules, long_form)  # "Secrétaire général … (SGAR)": the body, not the title
        named = [i for s, _, i in finder.claimed if s == l_start and finder.entities[i].cls != "Topic"]
        owner = finder.owner(a_start, a_end) or (named[0] if named and body is None else None)
        if body == "":
            continue
        if owner is not None:
            entity = finder.entities[owner]
        else:
            rule = finder.classify(body or long_form, "ORG") or ClassRule("Organization", 0.5)
            confidence, how = min(0.95, rule.confidence + 0.05), "acronym-title" if body else "acronym-definition"
            entity = finder.new(acronym if body else long_form, rule.cls, confidence, how)
        for m in re.finditer(rf"(?<![\w]){re.escape(acronym)}(?![\w])", text):
            if finder.owner(m.start(), m.end()) in (None, entity.id):
                finder.mention(entity, m.start(), m.end(), "acronym")
        for m in re.finditer(word_pattern(long_form), finder.folded) if body is None else ():
            if finder.owner(m.start(), m.end()) in (None, entity.id):
                finder.mention(entity, m.start(), m.end())
