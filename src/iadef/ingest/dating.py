"""Dates of a sentence: which entity each date is the date of, and by which property.

A date in a name ("plan France 2030") or in an event's own clause (events.py) is not the
sentence's; one after a horizon word ("d'ici à 2030") is a deadline. The other dates go to
the rules of data/relations.yaml ``dates``, the rule whose trigger is nearest the date first:
a founding date to what the participle or "création" speaks of (founding.py), another to the
nearest entity of the rule's class; dated mandates are attested at that date.
"""

from __future__ import annotations

from functools import partial

from iadef.ingest.founding import founded
from iadef.ingest.model import Entity, Fact, Mention
from iadef.ingest.reader import RelationFinder
from iadef.ingest.rules import DateRule


def dates(self: RelationFinder, index: int, start: int, end: int, mentions: list[tuple[Mention, Entity]]) -> list[Fact]:
    """The dates of a sentence, each given to what the date rules (data/relations.yaml ``dates``) say it dates."""
    out = []
    single: dict[tuple[str, str], tuple[int, Fact]] = {}  # (rule, entity) -> the date nearest a trigger
    positions = {r.name: self.trigger_positions(r.triggers, start, end) for r in self.rules.dates if r.triggers}
    for found in self.literals.dates(self.a.text, start, end, self.year):
        if self.horizon.search(self.folded[max(start, found.start - 16) : found.start]):
            continue  # "d'ici à 2030": a horizon, not the date of what the sentence states
        if any(m.start <= found.start and found.end <= m.end for m, _ in mentions if m.kind == "name"):
            continue  # "plan France 2030": a year in a name
        for rule in self.rules.dates:
            for mention, entity in mentions if rule.every else []:  # every mandate of a dated sentence is
                if self.is_a(entity.cls, rule.subject, rule.exclude_subject) or entity.cls == rule.subject:
                    span = self.quote(start, end, [(mention.start, mention.end), (found.start, found.end)])
                    out.append(  # attested at that date, an event's date too
                        self.fact(entity, rule.prop, None, found.value, span, rule.confidence, rule.name, None, [])
                    )
        if any(s <= found.start and found.end <= e for s, e in self.dated):
            continue  # "(lancé le 26 avril)": the launch's date (events.py, launches.py), no other

        def nearest(rule: DateRule, at: int = found.start) -> int:
            return min((abs(p - at) for p in positions[rule.name]), default=10**6) if rule.triggers else 10**5

        for rule in sorted((r for r in self.rules.dates if not r.every), key=nearest):
            if rule.triggers and not positions[rule.name]:
                continue
            pair = (
                founded(
                    self.folded,
                    start,
                    end,
                    rule.triggers,
                    mentions,
                    partial(_fits, self, rule),
                )
                if rule.name.startswith("founding")  # "créée en 2024 par Thales, cortAIx …": cortAIx's
                else self.subject_for(index, start, found.start, mentions, (rule.subject,), rule.exclude_subject)
            )
            if pair is None:
                continue
            mention, entity = pair
            span = self.quote(start, end, [(mention.start, mention.end), (found.start, found.end)])
            fact = self.fact(entity, rule.prop, None, found.value, span, rule.confidence, rule.name, None, [mention])
            distance, best = nearest(rule), single.get((rule.name, entity.id))
            if best is None or distance < best[0]:  # one signature date per agreement: the nearest its verb
                single[(rule.name, entity.id)] = (distance, fact)
            break
    return out + [fact for _, fact in single.values()]


def _fits(self: RelationFinder, rule: DateRule, entity: Entity) -> bool:
    return self.is_a(entity.cls, rule.subject, rule.exclude_subject)
