"""What the sentence readers use of :class:`iadef.ingest.relations.RelationFinder`.

Objectives, descriptions, frames and dates read a sentence with the relation finder's
helpers (its classes, subjects, quotes and facts). They type it with this protocol rather
than import the class, which imports them: no import circle.
"""

from __future__ import annotations

import re
from typing import Protocol

from iadef.ingest.literals import Literals
from iadef.ingest.model import Entity, Fact, Mention
from iadef.ingest.nlp import Analysis
from iadef.ingest.rules import Rules


class RelationFinder(Protocol):
    a: Analysis
    rules: Rules
    folded: str
    lead: re.Pattern[str]  # a sentence's bullet and opening connective
    literals: Literals
    year: str | None  # the article's, for dates written without one
    horizon: re.Pattern[str]  # "d'ici à", before a deadline
    dated: list[tuple[int, int]]  # the clauses whose dates are an event's own

    def is_a(self, cls: str, wanted: str, excluded: tuple[str, ...] = ()) -> bool: ...

    def trigger_positions(self, words: tuple[str, ...], start: int, end: int) -> list[int]: ...

    def subject_for(
        self,
        index: int,
        start: int,
        at: int,
        mentions: list[tuple[Mention, Entity]],
        wanted: tuple[str, ...],
        excluded: tuple[str, ...] = (),
        before: bool = False,
    ) -> tuple[Mention, Entity] | None: ...

    def quote(self, start: int, end: int, spans: list[tuple[int, int]]) -> tuple[int, int]: ...

    def relations(self, start: int, end: int, mentions: list[tuple[Mention, Entity]]) -> list[Fact]: ...

    def fact(
        self,
        s: Entity,
        p: str,
        o: Entity | None,
        v: str | None,
        span: tuple[int, int],
        confidence: float,
        rule: str,
        status: str | None,
        refs: list[Mention],
    ) -> Fact: ...
