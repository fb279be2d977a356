"""Dates, amounts and headcounts written in words, at the precision the text gives.

"4 avril 2024" -> 2024-04-04 (xsd:date); "début avril 2024" / "avril 2024" -> 2024-04;
"fin 2025" -> 2025; "l'automne 2025" -> 2025-23 (EDTF season); a day without a year
takes the article's year when it is known ("le 26 avril prochain"), else --MM-DD.
"130 millions d'euros" -> 130000000 EUR; "300 personnes" -> 300. Everything is
matched on the folded text, so offsets are the article's.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from iadef.ingest.rules import Rules
from iadef.ingest.textutil import fold


@dataclass(frozen=True)
class Found:
    start: int
    end: int
    kind: str  # date | amount | count
    value: str
    currency: str | None = None
    approximate: bool = False  # "près de 800 personnes", "environ 2 milliards d'euros"


def alternation(words: Iterable[str]) -> str:
    """Words as a regex alternation, longest first, spaces matching any run of blanks."""
    return "|".join(re.escape(w).replace(r"\ ", r"\s+") for w in sorted(words, key=lambda w: (-len(w), w)))


class Literals:
    def __init__(self, rules: Rules) -> None:
        self.rules = rules
        months, seasons, vague = (
            alternation(rules.months),
            alternation(rules.seasons),
            alternation(rules.vague),
        )
        year = r"((?:19|20)\d{2})(?![\d-])"
        self.patterns = [
            ("day", re.compile(rf"(?<![\w])(\d{{1,2}})(?:er)?\s+({months})\s+{year}")),
            ("day-no-year", re.compile(rf"(?<![\w-])(\d{{1,2}})(?:er)?\s+({months})(?![\w])(?!\s+\d)")),
            ("vague-month", re.compile(rf"(?<![\w])(?:{vague})\s+({months})(?:\s+{year})?(?![\w])")),
            ("month", re.compile(rf"(?<![\w])({months})\s+{year}")),
            ("season", re.compile(rf"(?<![\w])({seasons})\s+{year}")),
            ("year", re.compile(rf"(?<![\w-]){year}")),
        ]
        mult, cur = alternation(rules.multipliers), alternation(rules.currencies)
        number = r"(\d+(?:[ \u00a0.]\d{3})*(?:,\d+)?)"
        self.amount = re.compile(rf"(?<![\w]){number}\s*(?:({mult})(?![\w]))?\s*(?:d'|de\s+)?({cur})(?![\w])")
        self.bare_amount = re.compile(rf"(?<![\w]){number}\s*(milliards?|millions?)(?![\w])")
        self.count = re.compile(rf"(?<![\w])(\d+(?:[ \u00a0.]\d{{3}})*)\s+({alternation(rules.people)})(?![\w])")
        self.about = re.compile(rf"(?<![\w])(?:{alternation(rules.approximately)})\s*$")

    def dates(self, text: str, start: int, end: int, year: str | None = None) -> list[Found]:
        """Dates in ``text[start:end]``, most precise first where they overlap."""
        folded = fold(text)
        found: list[Found] = []
        for kind, pattern in self.patterns:
            for m in pattern.finditer(folded, start, end):
                value = self._date(kind, m, year)
                if value is not None and all(m.end() <= f.start or m.start() >= f.end for f in found):
                    found.append(Found(m.start(), m.end(), "date", value))
        return sorted(found, key=lambda f: f.start)

    def _date(self, kind: str, m: re.Match[str], year: str | None) -> str | None:
        months, seasons = self.rules.months, self.rules.seasons
        groups = m.groups()
        if kind == "day":
            return f"{groups[2]}-{months[' '.join(groups[1].split())]:02d}-{int(groups[0]):02d}"
        if kind == "day-no-year":
            month = months[" ".join(groups[1].split())]
            return f"{year}-{month:02d}-{int(groups[0]):02d}" if year else f"--{month:02d}-{int(groups[0]):02d}"
        if kind == "vague-month":
            the_year = groups[1] or year
            return f"{the_year}-{months[' '.join(groups[0].split())]:02d}" if the_year else None
        if kind == "month":
            return f"{groups[1]}-{months[' '.join(groups[0].split())]:02d}"
        if kind == "season":
            return f"{groups[1]}-{seasons[' '.join(groups[0].split())]}"
        return groups[0]

    def amounts(self, text: str, start: int, end: int) -> list[Found]:
        """Amounts of money; a bare "1,5 milliards" counts when the sentence states a currency elsewhere."""
        folded = fold(text)
        found = []
        for m in self.amount.finditer(folded, start, end):
            value = _number(m.group(1), self.rules.multipliers.get(m.group(2) or "", 1))
            if value is not None:
                found.append(Found(m.start(), m.end(), "amount", value, self.rules.currencies[m.group(3)]))
        if found:
            currency = found[0].currency
            for m in self.bare_amount.finditer(folded, start, end):
                if all(m.end() <= f.start or m.start() >= f.end for f in found):
                    value = _number(m.group(1), self.rules.multipliers[m.group(2)])
                    if value is not None:
                        found.append(Found(m.start(), m.end(), "amount", value, currency))
        return sorted((self.widen(folded, f) for f in found), key=lambda f: f.start)

    def counts(self, text: str, start: int, end: int) -> list[Found]:
        folded = fold(text)
        return [
            self.widen(folded, Found(m.start(), m.end(), "count", str(int(re.sub(r"\D", "", m.group(1))))))
            for m in self.count.finditer(folded, start, end)
        ]

    def widen(self, folded: str, found: Found) -> Found:
        """Take in the word that makes a figure approximate ("près de", "environ")."""
        m = self.about.search(folded, max(0, found.start - 24), found.start)
        if m is None:
            return found
        return Found(m.start(), found.end, found.kind, found.value, found.currency, True)


def _number(text: str, multiplier: int) -> str | None:
    digits = re.sub(r"[ \u00a0.]", "", text).replace(",", ".")
    try:
        value = Decimal(digits) * multiplier
    except InvalidOperation:
        return None
    return format(value.normalize(), "f") if value == value.to_integral() else format(value, "f")
