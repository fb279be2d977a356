"""How well a Wikidata item matches an iadef entity: one score in [0, 1].

score = 0.60 x name similarity + 0.25 x type compatibility + 0.15 x French context,
minus 0.30 when the candidate's type is refused for our class (a Company that is a
city), floored at 0.

- name similarity: the best match between our names (French and English labels, the
  names the documents use) and the item's labels, aliases and official names (P1448),
  case and accents ignored; 1.0 when equal, else difflib's ratio. An acronym counts
  only when equal, and then 0.9 (acronyms are ambiguous).
- type: 1.0 compatible, 0.5 unknown, 0.0 incompatible (see :mod:`.typemap`).
- French context: 1.0 when the item's country (P17) is France (Q142), 0.5 without a
  country, 0.0 for another country.
"""

from __future__ import annotations

import difflib
from dataclasses import dataclass

from iadef.wikidata import entity as wd
from iadef.wikidata.settings import AMBIGUITY, FRANCE, THRESHOLDS
from iadef.wikidata.typemap import COMPATIBLE, INCOMPATIBLE, TypeMap, TypeRule, fold

WEIGHTS = {"name": 0.60, "type": 0.25, "france": 0.15}
PENALTY = 0.30
ACRONYM_MATCH = 0.9
TYPE_SCORES = {COMPATIBLE: 1.0, INCOMPATIBLE: 0.0}


@dataclass(frozen=True)
class Names:
    """What we call an entity: full names, and acronyms (compared exactly only)."""

    full: tuple[str, ...]
    acronyms: tuple[str, ...]


@dataclass(frozen=True)
class Score:
    """A candidate's score and its parts, for the decisions file."""

    qid: str
    label: str
    total: float
    name: float
    type: float
    france: float
    matched: str
    type_reason: str

    def explain(self) -> str:
        return (
            f"score {self.total:.2f} = name {self.name:.2f} ({self.matched!r}), "
            f"type {self.type:.2f} ({self.type_reason}), France {self.france:.2f}"
        )


def candidate_names(item: wd.Json) -> list[str]:
    """Labels, aliases and official names (P1448) of an item."""
    names = wd.texts(item, "labels") + wd.texts(item, "aliases")
    names += [v for v in wd.values(item, "P1448") if isinstance(v, str)]
    return list(dict.fromkeys(names))


def name_similarity(ours: Names, theirs: list[str]) -> tuple[float, str]:
    """Best similarity between our names and theirs, and the name of theirs that matched."""
    best, matched = 0.0, ""
    folded = [(fold(t), t) for t in theirs if fold(t)]
    for name in ours.full:
        mine = fold(name)
        if not mine:
            continue
        for other, original in folded:
            ratio = 1.0 if mine == other else difflib.SequenceMatcher(None, mine, other).ratio()
            if ratio > best:
                best, matched = ratio, original
    for acronym in ours.acronyms:
        mine = fold(acronym)
        for other, original in folded:
            if mine and mine == other and best < ACRONYM_MATCH:
                best, matched = ACRONYM_MATCH, original
    return best, matched


def france_context(item: wd.Json) -> float:
    countries = wd.items(item, "P17")
    if not countries:
        return 0.5
    return 1.0 if FRANCE in countries else 0.0


def score(ours: Names, item: wd.Json, rule: TypeRule | None, p31_labels: dict[str, list[str]]) -> Score:
    """Score one candidate item (already fetched with wbgetentities)."""
    name, matched = name_similarity(ours, candidate_names(item))
    p31 = wd.items(item, "P31")
    labels = [text for q in p31 for text in p31_labels.get(q, [])]
    verdict, reason = TypeMap.verdict(rule, p31, labels)
    type_score = TYPE_SCORES.get(verdict, 0.5)
    france = france_context(item)
    total = WEIGHTS["name"] * name + WEIGHTS["type"] * type_score + WEIGHTS["france"] * france
    if verdict == INCOMPATIBLE:
        total -= PENALTY
    return Score(
        qid=wd.resolved_id(item),
        label=wd.label(item),
        total=round(max(0.0, min(1.0, total)), 2),
        name=round(name, 3),
        type=type_score,
        france=france,
        matched=matched,
        type_reason=reason,
    )


def classify(best: Score | None, runner_up: Score | None = None) -> str:
    """auto, proposed or left, by the thresholds (auto needs a clear lead over the runner-up)."""
    if best is None or best.total < THRESHOLDS["propose"]:
        return "left"
    if best.total >= THRESHOLDS["auto"]:
        if runner_up is not None and best.total - runner_up.total < AMBIGUITY:
            return "proposed"
        return "auto"
    return "proposed"
