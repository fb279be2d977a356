"""What a programme's name and a figure's wording say on their own.

* A programme, plan, law or strategy whose name holds a span of years ("le plan
  Auvergne-Rhône-Alpes 2022-2028", "la loi de programmation militaire 2024-2030") covers
  those years: periodStart and periodEnd, quoted by the name. A single year is not read
  ("le plan France 2030" names a horizon, not a period).
* An amount introduced by "dont" after another ("54 milliards d'euros au niveau national,
  dont 1,5 milliards pour l'IA") is part of it: partOf, quoted from the first amount to
  the second.
"""

from __future__ import annotations

import itertools
import re

from iadef.ingest.entities import EntityFinder
from iadef.ingest.model import Fact

PROGRAMMES = ("Programme", "Plan", "Law", "Strategy")
_SPAN = re.compile(r"(?<!\d)((?:19|20)\d\d)\s*[-–]\s*((?:19|20)\d\d)(?!\d)")


def named_periods(finder: EntityFinder) -> list[Fact]:
    facts: list[Fact] = []
    for entity in finder.entities.values():
        if entity.cls not in PROGRAMMES:
            continue
        for mention in entity.mentions:
            years = _SPAN.search(mention.text) if mention.kind == "name" else None
            if years is None or int(years.group(1)) > int(years.group(2)):
                continue
            span = (mention.start, mention.end)
            for prop, value in (("periodStart", years.group(1)), ("periodEnd", years.group(2))):
                facts.append(Fact.quoted(entity, prop, None, value, finder.text, span, "name-period", 0.6))
            break
    return facts


def budget_parts(finder: EntityFinder) -> list[Fact]:
    budgets = sorted(
        ((m.start, m.end, e) for e in finder.entities.values() if e.cls == "Budget" for m in e.mentions),
        key=lambda x: (x[0], x[1]),
    )
    facts: list[Fact] = []
    for (s1, e1, whole), (s2, e2, part) in itertools.pairwise(budgets):
        between = finder.folded[e1:s2]
        if whole.id == part.id or finder.a.sentence_of(s1) != finder.a.sentence_of(s2):
            continue
        if re.fullmatch(r"[^.;:()]{0,60},\s*dont\s+", between):
            facts.append(Fact.quoted(part, "partOf", whole, None, finder.text, (s1, e2), "budget-part", 0.6))
    return facts
