"""What a founding date is the date of: the thing the participle or the noun "création" speaks of.

The nearest name to the date is often the wrong one: "créée en 2024 par Thales, cortAIx
regroupe …" (cortAIx was created, Thales created it), "« Definvest », fonds de 100 millions
d'euros créé en 2017" (the fund, not its budget), "l'AMIAD a été créée (en mai 2024) par le
ministre" (the agency, not the ministry), "a annoncé la création de cette agence". So:

* a participle ("créé", "fondée", …) opening the sentence, its clause closed by a comma: the
  name right after that comma (the sentence's subject: "…, la société Aquila"), else none
  ("…, votre agence vise à soutenir le ministère": not the ministry);
* a participle elsewhere: the nearest name before it ("le PEC, créé en 2014", "X a été créée");
* the noun ("la création de X"): the name right after it;
* never the name after "par" (the creator) nor a budget, headcount, topic or place.

Returns None when no name fits; the date rules then fall back to the nearest name.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from iadef.ingest.model import Entity, Mention
from iadef.ingest.textutil import word_pattern

_NOT_FOUNDED = ("Budget", "Headcount", "Topic", "Post", "Mandate", "Person", "City", "Country", "Territory", "Site")
_OPENING = re.compile(r"^[\s•·*\-–—]*(?:[\w' ]{1,20},\s*)?$")  # "Pour rappel, créée en 2024 …"
_SUBJECT = re.compile(r"^\s*(?:(?:la|le|les|l'|cette|ce|cet)\s*(?:[a-z-]+\s+){0,2})?$")
_AGENT = re.compile(r"(?<![\w])par\s+(?:la |le |les |l')?$")
_OF = re.compile(r"^\s*(?:de la |de l'|du |des |de |d')(?:cette |ce |cet |la |le |l')?")


def founded(
    folded: str,
    start: int,
    end: int,
    triggers: tuple[str, ...],
    mentions: list[tuple[Mention, Entity]],
    wanted: Callable[[Entity], bool],
) -> tuple[Mention, Entity] | None:
    """The mention of a ``wanted`` entity a founding trigger of ``folded[start:end]`` speaks of, or None."""
    fits = [
        (m, e)
        for m, e in mentions
        if wanted(e) and e.cls not in _NOT_FOUNDED and not _AGENT.search(folded[start : m.start])
    ]
    for word in triggers:
        for t in re.finditer(word_pattern(word), folded[start:end]):
            at, after = start + t.start(), start + t.end()
            if word.startswith("creation") or word.startswith("fondation"):
                of = _OF.match(folded[after : after + 20])
                hit = [(m, e) for m, e in fits if of is not None and m.start == after + of.end()]
            elif _OPENING.match(folded[start:at]) and not any(m.start < at for m, _ in mentions):
                comma = folded.find(",", after, end)
                hit = [  # the subject right after the comma ("…, la société X"), not a name further on
                    (m, e)
                    for m, e in fits
                    if comma >= 0 and m.start > comma and _SUBJECT.match(folded[comma + 1 : m.start])
                ]
            else:
                hit = sorted(((m, e) for m, e in fits if m.end <= at), key=lambda p: -p[0].start)
            if hit:
                return hit[0]
    return None
