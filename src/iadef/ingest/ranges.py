"""Events given a span of days: "l'European Cyber Week (19-21 novembre à Rennes)", "le salon se
tiendra du 17 au 21 juin 2024" -> startDate and endDate of the event named just before.

The year is the one written, else none: an ``xsd:gMonthDay`` such as ``--11-19`` (the article's own
date does not say which year an event falls in). The quote runs from the event's name to the last day.
"""

from __future__ import annotations

import re

from iadef.curation.ontology import Ontology
from iadef.ingest.entities import EntityFinder
from iadef.ingest.literals import alternation
from iadef.ingest.model import Fact


def event_ranges(finder: EntityFinder, ontology: Ontology) -> list[Fact]:
    months = alternation(finder.rules.months)
    if not months:
        return []
    span = re.compile(
        rf"(?<![\w])(?:du\s+)?(\d{{1,2}})(?:er)?\s*(?:[-–]|au)\s*(\d{{1,2}})\s+({months})(?:\s+((?:19|20)\d\d))?(?![\w])"
    )
    events = sorted(
        (m.start, m.end, e) for e in finder.entities.values() if ontology.is_a(e.cls, "Event") for m in e.mentions
    )
    facts: list[Fact] = []
    for m in span.finditer(finder.folded):
        first, last = int(m.group(1)), int(m.group(2))
        month = finder.rules.months[" ".join(m.group(3).split())]
        if not 1 <= first < last <= 31:
            continue
        sentence = finder.a.sentence_span(finder.a.sentence_of(m.start()))
        before = [(s, e, ev) for s, e, ev in events if sentence[0] <= s and e <= m.start() and m.start() - e <= 60]
        if not before:
            continue
        s, _, event = before[-1]
        the_year = m.group(4)
        prefix = f"{the_year}-" if the_year else "--"
        quote = (s, m.end())
        for prop, day in (("startDate", first), ("endDate", last)):
            value = f"{prefix}{month:02d}-{day:02d}"
            facts.append(Fact.quoted(event, prop, None, value, finder.text, quote, "event-days", 0.65))
    return facts
